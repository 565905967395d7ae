#include "crawler/robots.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/array.h"
#include "core/buf.h"
#include "core/str.h"

/* Longest line read; longer lines are cut (as Google's parser does, which
 * is what site owners test their files against). */
#define ROBOTS_MAX_LINE 16663

struct rule {
	char *pat;
	size_t len;
	bool allow;
};

struct rules {
	struct rule *v;
	size_t n, cap;
	long delay_ms;
};

struct robots {
	struct rules ours, star;
	bool use_ours;
	bool all; /* no rules at all: everything allowed or disallowed */
	bool all_allow;
	char **sitemaps;
	size_t nsitemaps;
};

/* The parser's view of the current group. */
struct parse {
	struct robots *r;
	char token[64]; /* our product token */
	bool in_ours, in_star;
	bool seen_rule; /* a rule since the last user-agent line */
	bool seen_ours;
};

static bool is_agent_char(char c)
{
	return isalpha((unsigned char)c) || c == '-' || c == '_';
}

bool robots_valid_agent(const char *ua)
{
	size_t i;

	if (!ua || !*ua)
		return false;
	for (i = 0; ua[i]; i++)
		if (!is_agent_char(ua[i]))
			return false;
	return true;
}

status robots_escape_pattern(char **out, const char *pat)
{
	struct buf b = BUF_INIT(ROBOTS_MAX_LINE * 3 + 16);
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)pat;
	status st = ST_OK;

	*out = NULL;
	for (; *p && st == ST_OK; p++) {
		if (*p == '%' && isxdigit(p[1]) && isxdigit(p[2])) {
			char e[3] = {'%', (char)toupper(p[1]), (char)toupper(p[2])};

			st = buf_add(&b, e, 3);
			p += 2;
		} else if (*p >= 0x80) {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};

			st = buf_add(&b, e, 3);
		} else {
			st = buf_addc(&b, (char)*p);
		}
	}
	if (st == ST_OK && !(*out = buf_detach(&b)))
		st = status_set(ST_NOMEM, "out of memory escaping a robots.txt pattern");
	buf_release(&b);
	return st;
}

status robots_path(char **out, const char *url)
{
	size_t start = 0, n = strlen(url), early, proto, path, hash, end;
	const char *p;
	struct buf b = BUF_INIT(n + 2);
	status st;

	*out = NULL;
	if (n >= 2 && url[0] == '/' && url[1] == '/')
		start = 2;
	early = start + strcspn(url + start, "/?;");
	p = strstr(url + start, "://");
	proto = p ? (size_t)(p - url) : n;
	if (early < proto || proto == n)
		proto = start;
	else
		proto += 3;
	path = proto + strcspn(url + proto, "/?;");
	if (path >= n) {
		st = buf_addc(&b, '/');
	} else {
		p = strchr(url + start, '#');
		hash = p ? (size_t)(p - url) : n;
		if (hash < path) {
			st = buf_addc(&b, '/');
		} else {
			end = hash;
			st = url[path] != '/' ? buf_addc(&b, '/') : ST_OK;
			if (st == ST_OK)
				st = buf_add(&b, url + path, end - path);
		}
	}
	if (st == ST_OK && !(*out = buf_detach(&b)))
		st = status_set(ST_NOMEM, "out of memory");
	buf_release(&b);
	return st;
}

static status add_rule(struct rules *rs, bool allow, const char *value)
{
	struct rule r = {NULL, 0, allow};
	status st;

	if (!*value || rs->n >= ROBOTS_MAX_RULES)
		return ST_OK; /* an empty pattern matches nothing */
	st = ARRAY_GROW(rs->v, rs->n + 1, rs->cap);
	if (st < 0)
		return st;
	st = robots_escape_pattern(&r.pat, value);
	if (st < 0)
		return st;
	r.len = strlen(r.pat);
	rs->v[rs->n++] = r;
	return ST_OK;
}

static void set_delay(struct rules *rs, const char *value)
{
	char *end = NULL;
	double d = strtod(value, &end);

	if (end != value && d >= 0 && d < 86400 && rs->delay_ms < 0)
		rs->delay_ms = (long)(d * 1000.0);
}

static status add_sitemap(struct robots *r, const char *value)
{
	if (!*value || r->nsitemaps >= ROBOTS_MAX_SITEMAPS)
		return ST_OK;
	if (ARRAY_RESIZE(r->sitemaps, r->nsitemaps + 1) < 0)
		return ST_NOMEM;
	if (!(r->sitemaps[r->nsitemaps] = str_dup(value)))
		return status_set(ST_NOMEM, "out of memory reading robots.txt");
	r->nsitemaps++;
	return ST_OK;
}

enum key { K_UNKNOWN, K_AGENT, K_ALLOW, K_DISALLOW, K_SITEMAP, K_DELAY };

/* Key names, with the common misspellings that real files carry and
 * major crawlers accept. */
static enum key classify(const char *k)
{
	static const struct {
		const char *name;
		enum key key;
	} keys[] = {
		{"user-agent", K_AGENT},  {"useragent", K_AGENT},   {"user agent", K_AGENT},
		{"allow", K_ALLOW},       {"disallow", K_DISALLOW}, {"dissallow", K_DISALLOW},
		{"dissalow", K_DISALLOW}, {"disalow", K_DISALLOW},  {"diasllow", K_DISALLOW},
		{"disallaw", K_DISALLOW}, {"sitemap", K_SITEMAP},   {"site-map", K_SITEMAP},
		{"crawl-delay", K_DELAY},
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcasecmp(k, keys[i].name) == 0)
			return keys[i].key;
	return K_UNKNOWN;
}

static void on_agent(struct parse *ps, const char *value)
{
	size_t n = 0;

	if (ps->seen_rule) {
		ps->in_ours = ps->in_star = false;
		ps->seen_rule = false;
	}
	if (value[0] == '*' && (value[1] == '\0' || isspace((unsigned char)value[1]))) {
		ps->in_star = true;
		return;
	}
	while (is_agent_char(value[n]))
		n++;
	if (n && n == strlen(ps->token) && strncasecmp(value, ps->token, n) == 0) {
		ps->in_ours = true;
		ps->seen_ours = true;
	}
}

static status on_line(struct parse *ps, char *key, char *value)
{
	enum key k = classify(key);
	status st = ST_OK;

	switch (k) {
	case K_AGENT:
		on_agent(ps, value);
		break;
	case K_ALLOW:
	case K_DISALLOW:
		ps->seen_rule = true;
		if (ps->in_ours)
			st = add_rule(&ps->r->ours, k == K_ALLOW, value);
		if (st == ST_OK && ps->in_star)
			st = add_rule(&ps->r->star, k == K_ALLOW, value);
		break;
	case K_DELAY:
		ps->seen_rule = true;
		if (ps->in_ours)
			set_delay(&ps->r->ours, value);
		if (ps->in_star)
			set_delay(&ps->r->star, value);
		break;
	case K_SITEMAP:
		st = add_sitemap(ps->r, value);
		break;
	case K_UNKNOWN:
		break;
	}
	return st;
}

/* Splits one line (comment already removed) into key and value: "key:
 * value", or "key value" when the colon is missing and the value is one
 * word. */
static status parse_line(struct parse *ps, char *line)
{
	char *colon = strchr(line, ':'), *key = line, *value;

	if (colon) {
		*colon = '\0';
		value = colon + 1;
	} else {
		value = line + strcspn(line, " \t");
		if (!*value)
			return ST_OK;
		*value++ = '\0';
		str_trim(value);
		if (strpbrk(value, " \t"))
			return ST_OK;
	}
	str_trim(key);
	str_trim(value);
	if (!*key)
		return ST_OK;
	return on_line(ps, key, value);
}

static void token_of(const char *ua, char *out, size_t out_len)
{
	size_t n = 0;

	while (ua && is_agent_char(ua[n]) && n + 1 < out_len) {
		out[n] = ua[n];
		n++;
	}
	out[n] = '\0';
}

status robots_new(struct robots **out, const char *body, size_t len, const char *user_agent)
{
	struct parse ps;
	char *line = NULL;
	size_t i = 0;
	status st = ST_OK;

	*out = NULL;
	if (!body)
		return robots_new_all(out, true);
	memset(&ps, 0, sizeof(ps));
	token_of(user_agent, ps.token, sizeof(ps.token));
	ps.r = calloc(1, sizeof(*ps.r));
	line = malloc(ROBOTS_MAX_LINE + 1);
	if (!ps.r || !line) {
		st = status_set(ST_NOMEM, "out of memory reading robots.txt");
		goto done;
	}
	ps.r->ours.delay_ms = ps.r->star.delay_ms = -1;
	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && st == ST_OK) {
		size_t e = i, n;

		while (e < len && body[e] != '\n' && body[e] != '\r')
			e++;
		n = e - i < ROBOTS_MAX_LINE ? e - i : ROBOTS_MAX_LINE;
		memcpy(line, body + i, n);
		line[n] = '\0';
		line[strcspn(line, "#")] = '\0'; /* also stops at a NUL byte */
		st = parse_line(&ps, line);
		i = e + (e + 1 < len && body[e] == '\r' && body[e + 1] == '\n' ? 2 : 1);
	}
	ps.r->use_ours = ps.seen_ours;
done:
	free(line);
	if (st < 0) {
		robots_free(ps.r);
		return st;
	}
	*out = ps.r;
	return ST_OK;
}

status robots_new_all(struct robots **out, bool allow)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return status_set(ST_NOMEM, "out of memory");
	(*out)->all = true;
	(*out)->all_allow = allow;
	(*out)->ours.delay_ms = (*out)->star.delay_ms = -1;
	return ST_OK;
}

static void free_rules(struct rules *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++)
		free(rs->v[i].pat);
	free(rs->v);
}

void robots_free(struct robots *r)
{
	if (!r)
		return;
	free_rules(&r->ours);
	free_rules(&r->star);
	str_free_array(r->sitemaps, r->nsitemaps);
	free(r);
}

/* Pattern match with '*' and a final '$', tracking the set of path
 * positions reachable so far: linear in pattern times path, never
 * exponential however many stars a hostile file has. */
static bool matches(const char *path, size_t plen, const char *pat, size_t *pos)
{
	size_t npos = 1, i, j;

	pos[0] = 0;
	for (j = 0; pat[j]; j++) {
		if (pat[j] == '$' && pat[j + 1] == '\0')
			return pos[npos - 1] == plen;
		if (pat[j] == '*') {
			npos = plen - pos[0] + 1;
			for (i = 1; i < npos; i++)
				pos[i] = pos[i - 1] + 1;
		} else {
			size_t k = 0;

			for (i = 0; i < npos; i++)
				if (pos[i] < plen && path[pos[i]] == pat[j])
					pos[k++] = pos[i] + 1;
			if (k == 0)
				return false;
			npos = k;
		}
	}
	return true;
}

bool robots_allowed(const struct robots *r, const char *path)
{
	const struct rules *rs;
	size_t plen = strlen(path), i, best = 0, *pos;
	bool allow = true, any = false;

	if (r->all || strcmp(path, "/robots.txt") == 0)
		return r->all ? r->all_allow : true;
	rs = r->use_ours ? &r->ours : &r->star;
	if (rs->n == 0)
		return true;
	pos = malloc((plen + 1) * sizeof(*pos));
	if (!pos)
		return false; /* cannot tell: be polite */
	for (i = 0; i < rs->n; i++) {
		const struct rule *ru = &rs->v[i];

		if (any && (ru->len < best || (ru->len == best && !ru->allow)))
			continue;
		if (!matches(path, plen, ru->pat, pos))
			continue;
		if (!any || ru->len > best || ru->allow)
			allow = ru->allow;
		best = ru->len;
		any = true;
	}
	free(pos);
	return allow;
}

long robots_crawl_delay_ms(const struct robots *r)
{
	return r->use_ours ? r->ours.delay_ms : r->star.delay_ms;
}

size_t robots_nsitemaps(const struct robots *r)
{
	return r->nsitemaps;
}

const char *robots_sitemap(const struct robots *r, size_t i)
{
	return i < r->nsitemaps ? r->sitemaps[i] : NULL;
}
