#include "app/config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/buf.h"
#include "core/str.h"
#include "crawler/guard.h"

/* A configuration file is a few dozen lines; anything near this is not one. */
#define CONFIG_MAX_BYTES (1u << 20)

enum kind { K_STRING, K_CONTACT, K_LONG, K_CIDR };

struct key {
	const char *name;
	enum kind kind;
	size_t off;    /* of the char * or long it sets in struct config */
	long min, max; /* K_LONG: the range its command-line option accepts */
};

#define STR(k, field)                                             \
	{                                                         \
		k, K_STRING, offsetof(struct config, field), 0, 0 \
	}
#define NUM(k, field, min, max)                                     \
	{                                                           \
		k, K_LONG, offsetof(struct config, field), min, max \
	}
static const struct key keys[] = {
	STR("db", db),
	STR("rules_dir", rules_dir),
	STR("user_agent", user_agent),
	{"contact", K_CONTACT, offsetof(struct config, user_agent), 0, 0},
	NUM("per_host", per_host, 1, 16),
	NUM("delay", delay_ms, 0, 600000),
	NUM("timeout", timeout_s, 1, 3600),
	NUM("max_pages", max_pages, 0, 10000000),
	{"allow_addr", K_CIDR, 0, 0, 0},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

struct parser {
	struct config *c;
	const char *name;
	int line;
	int seen[NKEYS]; /* line a key was first set on, 0 when not yet */
};

static status fail(const struct parser *p, const char *fmt, const char *a, const char *b)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, a, b);
	return status_set(ST_PARSE, "%s:%d: %s", p->name, p->line, msg);
}

/* contact = X makes the User-Agent "portal-audit/VERSION (+X)". */
static char *contact_user_agent(const char *contact)
{
	const char *ua = CRAWL_DEFAULT_USER_AGENT;
	struct buf b = BUF_INIT(1024);

	if (buf_add(&b, ua, strcspn(ua, " ")) < 0 || buf_printf(&b, " (+%s)", contact) < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static status add_cidr(struct parser *p, const char *value)
{
	struct config *c = p->c;
	struct guard *g = NULL;
	const char *one[1] = {value};

	if (guard_new(&g, false, one, 1) < 0)
		return fail(p, "allow_addr: '%s' is not an address or CIDR range", value, "");
	guard_free(g);
	if (ARRAY_RESIZE(c->allow_addr, c->nallow_addr + 1) < 0)
		return ST_NOMEM;
	if (!(c->allow_addr[c->nallow_addr] = str_dup(value)))
		return status_set(ST_NOMEM, "out of memory");
	c->nallow_addr++;
	return ST_OK;
}

static status set_key(struct parser *p, size_t k, const char *value)
{
	const struct key *key = &keys[k];
	char *field = (char *)p->c + key->off;
	char **str = (char **)(void *)field;

	if (key->kind == K_CIDR)
		return add_cidr(p, value);
	if (p->seen[k]) {
		char first[32];

		snprintf(first, sizeof(first), "%d", p->seen[k]);
		return fail(p, "%s is set twice (first on line %s)", key->name, first);
	}
	p->seen[k] = p->line;
	if (key->kind == K_LONG) {
		if (str_to_long(value, key->min, key->max, (long *)(void *)field) < 0)
			return fail(p, "%s: %s", key->name, status_message());
		return ST_OK;
	}
	if (*str)
		return fail(p, "give contact or user_agent, not both", "", "");
	*str = key->kind == K_CONTACT ? contact_user_agent(value) : str_dup(value);
	return *str ? ST_OK : status_set(ST_NOMEM, "out of memory");
}

static status parse_line(struct parser *p, char *line)
{
	char *s = str_trim(line), *eq, *name, *value;
	size_t k;

	if (!*s || *s == '#')
		return ST_OK;
	for (const char *q = s; *q; q++)
		if ((unsigned char)*q < 0x20 && *q != '\t')
			return fail(p, "control character in line", "", "");
	eq = strchr(s, '=');
	if (!eq)
		return fail(p, "expected 'key = value', got '%s'", s, "");
	*eq = '\0';
	name = str_trim(s);
	value = str_trim(eq + 1);
	for (k = 0; k < NKEYS; k++)
		if (strcmp(name, keys[k].name) == 0)
			break;
	if (k == NKEYS)
		return fail(p, "unknown key '%s'", name, "");
	if (!*value)
		return fail(p, "%s: empty value", name, "");
	return set_key(p, k, value);
}

status config_parse(struct config *c, const char *name, const char *text, size_t len)
{
	struct parser p = {c, name, 0, {0}};
	struct buf line = BUF_INIT(4096);
	status st = ST_OK;
	size_t i = 0;

	while (st == ST_OK && i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;

		p.line++;
		buf_reset(&line);
		if (memchr(text + i, '\0', n))
			st = fail(&p, "NUL byte in line", "", "");
		else if (buf_add(&line, text + i, n) < 0)
			st = fail(&p, "line longer than 4096 bytes", "", "");
		else
			st = parse_line(&p, line.ptr);
		i += n + 1;
	}
	buf_release(&line);
	if (st < 0)
		config_release(c);
	return st;
}

status config_load(struct config *c, const char *path, bool required)
{
	struct buf text = BUF_INIT(CONFIG_MAX_BYTES);
	char chunk[4096];
	FILE *f = fopen(path, "r");
	status st = ST_OK;
	size_t n;

	if (!f) {
		if (!required && errno == ENOENT)
			return ST_OK;
		return status_set(ST_INVALID, "config file %s: %s", path, strerror(errno));
	}
	while (st == ST_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&text, chunk, n) < 0)
			st = status_set(ST_INVALID, "config file %s: larger than %u bytes", path,
					CONFIG_MAX_BYTES);
	if (st == ST_OK && ferror(f))
		st = status_set(ST_INVALID, "config file %s: %s", path, strerror(errno));
	fclose(f);
	if (st == ST_OK)
		st = config_parse(c, path, text.ptr ? text.ptr : "", text.len);
	if (st == ST_OK && !(c->path = str_dup(path)))
		st = status_set(ST_NOMEM, "out of memory");
	buf_release(&text);
	if (st < 0)
		config_release(c);
	return st;
}

void config_apply_crawl(const struct config *c, struct crawl_options *o)
{
	if (c->user_agent)
		o->user_agent = c->user_agent;
	if (c->per_host >= 0)
		o->per_host = (int)c->per_host;
	if (c->delay_ms >= 0)
		o->delay_ms = (int)c->delay_ms;
	if (c->timeout_s >= 0)
		o->timeout_s = c->timeout_s;
	if (c->max_pages >= 0)
		o->max_pages = (int)c->max_pages;
	if (c->nallow_addr) {
		o->allow_addr = (const char *const *)c->allow_addr;
		o->nallow_addr = c->nallow_addr;
	}
}

void config_release(struct config *c)
{
	struct config init = CONFIG_INIT;

	free(c->path);
	free(c->db);
	free(c->rules_dir);
	free(c->user_agent);
	str_free_array(c->allow_addr, c->nallow_addr);
	*c = init;
}
