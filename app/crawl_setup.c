#include "app/crawl_setup.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app/config.h"
#include "app/rulesdir.h"
#include "core/array.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/schoolyear.h"
#include "core/str.h"
#include "crawler/guard.h"
#include "store/registry.h"

static bool push(void *arrp, size_t *n, size_t elem, const void *v)
{
	char *arr;

	if (array_resize(arrp, *n + 1, elem) < 0)
		return false;
	memcpy(&arr, arrp, sizeof(arr));
	memcpy(arr + *n * elem, v, elem);
	(*n)++;
	return true;
}

static const struct cli_opt crawl_opts[] = {
	{"--max-docs", NULL, CLI_INT, "N", "40",
	 "linked documents (PDF, DOCX, XLSX, DOC, XLS) read per site, outside --max-pages",
	 OPT_MAX_DOCS, 0, 100000},
	{"--max-doc-bytes", NULL, CLI_INT, "B", "10485760", "bytes of one document, decompressed",
	 OPT_MAX_DOC_BYTES, 1, 1L << 30},
	{"--doc-timeout", NULL, CLI_INT, "S", "10", "seconds to extract one document's text",
	 OPT_DOC_TIMEOUT, 1, 600},
	{"--explore", NULL, CLI_INT, "N", "1",
	 "pages per site that are not disclosure links, once those are known", OPT_EXPLORE, 0,
	 10000000},
	{"--list-pages", NULL, CLI_INT, "N", "6",
	 "news list pages per site beside the explore budget (to count posts)", OPT_LIST_PAGES, 0,
	 10000},
	{"--section-pages", NULL, CLI_INT, "N", "24",
	 "pages and posts of a disclosure section per site beside the explore budget",
	 OPT_SECTION_PAGES, 0, 10000},
	{"--focus", NULL, CLI_STR, "on|off", "on",
	 "off: a full crawl, no explore budget (also the default with --max-pages 0)", OPT_FOCUS, 0,
	 0},
	{"--threads", NULL, CLI_INT, "N", "1", "HTML parser threads; 0 parses on the fetch thread",
	 OPT_THREADS, 0, 64},
	{"--per-host", NULL, CLI_INT, "N", "2", "connections at once to one host", OPT_PER_HOST, 1,
	 16},
	{"--delay", NULL, CLI_INT, "MS", "1000", "milliseconds between requests to one host",
	 OPT_DELAY, 0, 600000},
	{"--max-pages", NULL, CLI_INT, "N", "300", "pages per site, 0 for no limit", OPT_MAX_PAGES,
	 0, 10000000},
	{"--max-depth", NULL, CLI_INT, "N", "10", "links followed from the start page",
	 OPT_MAX_DEPTH, 0, 1000},
	{"--timeout", NULL, CLI_INT, "S", "20", "seconds per request", OPT_TIMEOUT, 1, 3600},
	{"--user-agent", NULL, CLI_STR, "UA", CRAWL_DEFAULT_USER_AGENT,
	 "the User-Agent header; put a contact in it", OPT_USER_AGENT, 0, 0},
	{"--resolve", NULL, CLI_STR, "HOST:PORT:ADDR", NULL,
	 "connect to ADDR for HOST:PORT (repeatable)", OPT_RESOLVE, 0, 0},
	{"--hosts-file", NULL, CLI_STR, "FILE", NULL,
	 "read HOST ADDR lines, like --resolve for each school's port", OPT_HOSTS_FILE, 0, 0},
	{"--allow-private", NULL, CLI_FLAG, NULL, NULL,
	 "allow private, loopback and link-local addresses", OPT_ALLOW_PRIVATE, 0, 0},
	{"--allow-addr", NULL, CLI_STR, "CIDR", NULL,
	 "allow only addresses in these ranges (repeatable)", OPT_ALLOW_ADDR, 0, 0},
	{"--quiet", NULL, CLI_FLAG, NULL, NULL, "no progress lines, only the summary", OPT_QUIET, 0,
	 0},
	CLI_OPT_END,
};
const struct cli_group crawl_setup_group = {"Crawl options", crawl_opts};

static const struct cli_opt rules_opts[] = {
	{"--rules", NULL, CLI_STR, "PATH", "the rule set in force for the period",
	 "the rule set file to use", OPT_RULES, 0, 0},
	{"--period", NULL, CLI_STR, "YYYY-YYYY", "the school year of --as-of",
	 "the school year audited", OPT_PERIOD, 0, 0},
	{"--as-of", NULL, CLI_STR, "YYYY-MM-DD", "today", "the date deadlines are judged on",
	 OPT_AS_OF, 0, 0},
	CLI_OPT_END,
};
const struct cli_group crawl_setup_rules_group = {"Rule set and period", rules_opts};

/* Applies one numeric crawl option; false when id is none of them. */
static bool take_crawl_num(struct crawl_options *o, const struct args *a, int id)
{
	switch (id) {
	case OPT_THREADS:
		o->parse_threads = (int)a->num;
		return true;
	case OPT_PER_HOST:
		o->per_host = (int)a->num;
		return true;
	case OPT_DELAY:
		o->delay_ms = (int)a->num;
		return true;
	case OPT_MAX_PAGES:
		o->max_pages = (int)a->num;
		return true;
	case OPT_MAX_DOCS:
		o->max_docs = (int)a->num;
		return true;
	case OPT_MAX_DOC_BYTES:
		o->max_doc_bytes = (size_t)a->num;
		return true;
	case OPT_DOC_TIMEOUT:
		o->doc_timeout_s = a->num;
		return true;
	case OPT_EXPLORE:
		o->explore_pages = (int)a->num;
		return true;
	case OPT_LIST_PAGES:
		o->list_pages = (int)a->num;
		return true;
	case OPT_SECTION_PAGES:
		o->section_pages = (int)a->num;
		return true;
	case OPT_MAX_DEPTH:
		o->max_depth = (int)a->num;
		return true;
	case OPT_TIMEOUT:
		o->timeout_s = a->num;
		return true;
	default:
		return false;
	}
}

/* Applies one crawl option; false when id is none. */
static bool take_crawl_opt(struct crawl_setup *cs, struct args *a, int id)
{
	struct crawl_options *o = &cs->opts;

	if (take_crawl_num(o, a, id))
		return true;
	switch (id) {
	case OPT_FOCUS:
		if (strcmp(a->val, "off") == 0) {
			o->explore_pages = 0;
		} else if (strcmp(a->val, "on") != 0) {
			app_usage("--focus: want on or off, not '%s'", a->val);
			a->bad = true;
		}
		return true;
	case OPT_USER_AGENT:
		o->user_agent = a->val;
		return true;
	case OPT_RESOLVE: /* the word stays: argv, or argv_owned and words */
		if (!push(&cs->resolve, &cs->nresolve, sizeof(char *), &a->val))
			a->bad = true;
		return true;
	case OPT_ALLOW_ADDR:
		if (!push(&cs->allow_addr, &cs->nallow_addr, sizeof(char *), &a->val))
			a->bad = true;
		return true;
	case OPT_HOSTS_FILE:
		cs->hosts_file = a->val;
		return true;
	case OPT_ALLOW_PRIVATE:
		o->allow_private = true;
		return true;
	case OPT_RESUME:
		cs->resume = true;
		return true;
	case OPT_LABEL:
		cs->label = a->val;
		return true;
	case OPT_QUIET:
		cs->quiet = true;
		return true;
	default:
		return false;
	}
}

/* Applies one option of the rule set group or of check; false when id is
 * none of them. */
static bool take_other_opt(struct crawl_setup *cs, struct args *a, int id)
{
	switch (id) {
	case OPT_RULES:
		cs->rules_path = a->val;
		return true;
	case OPT_PERIOD:
		cs->period = a->val;
		return true;
	case OPT_AS_OF:
		cs->as_of = a->val;
		return true;
	case OPT_FORMAT:
		cs->format = a->val;
		return true;
	case OPT_FAIL_UNDER:
		if (app_parse_score(a->val, &cs->fail_under) != EXIT_OK)
			a->bad = true;
		cs->has_fail_under = true;
		return true;
	default:
		return false;
	}
}

/* Appends arg to b as one shell word: as is when it is plain, else in
 * single quotes (a quote inside as '\''). */
static status add_word(struct buf *b, const char *arg, bool first)
{
	static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789-_./:=,@%+";
	status st = first ? ST_OK : buf_add(b, " ", 1);
	const char *p;

	if (st == ST_OK && *arg && strspn(arg, plain) == strlen(arg))
		return buf_add(b, arg, strlen(arg));
	if (st == ST_OK)
		st = buf_add(b, "'", 1);
	for (p = arg; st == ST_OK && *p; p++)
		st = *p == '\'' ? buf_add(b, "'\\''", 4) : buf_add(b, p, 1);
	return st == ST_OK ? buf_add(b, "'", 1) : st;
}

/* Splits recorded options into words (add_word's quoting; older records
 * are words separated by spaces).  *text holds the words, *words points
 * into it, NULL-terminated. */
static status split_words(const char *rec, char **text, char ***words, size_t *n)
{
	size_t len = strlen(rec), k = 0, nw = 0;
	char *t = malloc(len + 1), **w = calloc(len / 2 + 2, sizeof(*w));
	bool quoted = false, in_word = false;
	const char *p;

	*text = NULL;
	*words = NULL;
	*n = 0;
	if (!t || !w) {
		free(t);
		free(w);
		return status_set(ST_NOMEM, "out of memory");
	}
	for (p = rec; *p; p++) {
		if (!quoted && (*p == ' ' || *p == '\t')) {
			if (in_word)
				t[k++] = '\0';
			in_word = false;
			continue;
		}
		if (!in_word)
			w[nw++] = t + k;
		in_word = true;
		if (*p == '\'')
			quoted = !quoted;
		else if (!quoted && *p == '\\' && p[1])
			t[k++] = *++p;
		else
			t[k++] = *p;
	}
	t[k] = '\0';
	if (quoted) {
		free(t);
		free(w);
		return status_set(ST_PARSE, "unbalanced quote in the recorded options: %s", rec);
	}
	*text = t;
	*words = w;
	*n = nw;
	return ST_OK;
}

/* "[+]HOST:PORT:ADDR[,ADDR...]" with numeric addresses (IPv6 ones may be
 * in brackets), or "-HOST:PORT" (curl's removal). */
static bool resolve_entry_ok(const char *e)
{
	bool removal = *e == '-';
	const char *c1, *p;
	char addr[64], *end;
	long port;

	if (*e == '+' || *e == '-')
		e++;
	c1 = strchr(e, ':');
	if (!c1 || c1 == e)
		return false;
	errno = 0;
	port = strtol(c1 + 1, &end, 10);
	if (errno || end == c1 + 1 || port < 1 || port > 65535)
		return false;
	if (removal || *end != ':')
		return removal && *end == '\0';
	for (p = end + 1;; p++) {
		size_t n = strcspn(p, ",");
		unsigned char bin[16];

		const char *a = p;

		if (n >= 2 && p[0] == '[' && p[n - 1] == ']') {
			a++;
			n -= 2;
		}
		if (n == 0 || n >= sizeof(addr))
			return false;
		memcpy(addr, a, n);
		addr[n] = '\0';
		if (inet_pton(AF_INET, addr, bin) != 1 && inet_pton(AF_INET6, addr, bin) != 1)
			return false;
		p += strcspn(p, ",");
		if (*p != ',')
			return true;
	}
}

/* Checks what the crawl would find wrong only once it runs. */
static int check_options(const struct crawl_setup *cs)
{
	struct guard *g = NULL;
	size_t i;

	for (i = 0; i < cs->nresolve; i++)
		if (!resolve_entry_ok(cs->resolve[i]))
			return app_usage("--resolve: '%s' is not HOST:PORT:ADDR with a numeric "
					 "address, e.g. truong.edu.vn:80:127.0.0.1",
					 cs->resolve[i]);
	if (guard_new(&g, cs->opts.allow_private, cs->opts.allow_addr, cs->opts.nallow_addr) < 0)
		return app_usage("--allow-addr: %s", status_message());
	guard_free(g);
	if (cs->hosts_file && access(cs->hosts_file, R_OK) != 0)
		return app_usage("--hosts-file: %s: cannot open: %s", cs->hosts_file,
				 strerror(errno));
	return EXIT_OK;
}

int crawl_setup_parse(struct crawl_setup *cs, struct app *a, int argc, char **argv, int first,
		      bool check_mode)
{
	const struct cli_command *cmd = check_mode ? &cmd_check_cli : &cmd_crawl_cli;
	struct crawl_options init = CRAWL_OPTIONS_INIT;
	struct buf params = BUF_INIT(1 << 16);
	struct args ar;
	int i, id;

	memset(cs, 0, sizeof(*cs));
	cs->opts = init;
	/* One parser thread beside the fetch thread by default: the libcurl
	 * loop and libxml2 then use both cores of a small server. */
	cs->opts.parse_threads = 1;
	cs->opts.stop = &a->stop;
	/* -1 until parsed: the explore budget defaults to
	 * CRAWL_EXPLORE_DEFAULT, or none with --max-pages 0 (a full crawl). */
	cs->opts.explore_pages = -1;
	cs->app = a;
	cs->scope = check_mode ? "check" : "full";
	if (a->config)
		config_apply_crawl(a->config, &cs->opts);
	args_init(&ar, argc, argv, first);
	while ((id = cli_next(&ar, cmd)) != CLI_END && !ar.bad) {
		/* check: --level is the level of an unregistered school. */
		if (check_mode && id == OPT_LEVEL) {
			cs->level = ar.val;
		} else if (check_mode && id == CLI_OPERAND && !cs->url) {
			cs->url = ar.val;
		} else if (id == CLI_OPERAND) {
			app_usage("%s: unexpected '%s' (see portal-audit %s --help)", cmd->name,
				  ar.val, cmd->name);
			ar.bad = true;
		} else if (!take_crawl_opt(cs, &ar, id) && !take_other_opt(cs, &ar, id)) {
			(void)selection_take(&ar, id, &cs->sel);
		}
	}
	if (ar.bad)
		return EXIT_USAGE;
	if (cs->opts.explore_pages < 0)
		cs->opts.explore_pages = cs->opts.max_pages == 0 ? 0 : CRAWL_EXPLORE_DEFAULT;
	for (i = 1; i < argc; i++)
		if (add_word(&params, argv[i], i == 1) < 0)
			break;
	cs->params = buf_detach(&params);
	cs->opts.resolve = (const char *const *)cs->resolve;
	cs->opts.nresolve = cs->nresolve;
	if (cs->nallow_addr) { /* else the config file's, if any */
		cs->opts.allow_addr = cs->allow_addr;
		cs->opts.nallow_addr = cs->nallow_addr;
	}
	return check_options(cs);
}

int crawl_setup_parse_recorded(struct crawl_setup *cs, struct app *a, const char *recorded,
			       int argc, char **argv)
{
	char *text = NULL, **words = NULL, **all = NULL;
	size_t n = 0;
	int i, rc;
	status st = split_words(recorded ? recorded : "", &text, &words, &n);

	memset(cs, 0, sizeof(*cs));
	if (st == ST_OK && !(all = calloc(n + (size_t)argc + 1, sizeof(*all))))
		st = status_set(ST_NOMEM, "out of memory");
	if (st < 0) {
		free(text);
		free(words);
		return app_fail(st);
	}
	all[0] = argv[0];
	memcpy(all + 1, words, n * sizeof(*all));
	for (i = 1; i < argc; i++)
		all[n + (size_t)i] = argv[i];
	free(words);
	rc = crawl_setup_parse(cs, a, (int)n + argc, all, 1, false);
	/* Kept: the options point into them. */
	cs->argv_owned = all;
	cs->words = text;
	return rc;
}

int app_resolve_period(const char **period, const char **as_of, char period_buf[10],
		       char as_of_buf[11])
{
	int y, m, d, first;

	if (!*as_of) {
		app_today(as_of_buf);
		*as_of = as_of_buf;
	} else if (clock_parse_date(*as_of, &y, &m, &d) < 0) {
		return app_usage("--as-of: %s", status_message());
	}
	if (!*period) {
		if (schoolyear_of_date(*as_of, &first) < 0)
			return app_usage("--as-of: %s", status_message());
		schoolyear_format(first, period_buf);
		*period = period_buf;
	} else if (schoolyear_parse(*period, &first) < 0) {
		return app_usage("--period: %s", status_message());
	}
	return EXIT_OK;
}

status app_load_rules(struct ruleset **out, const char *path, const struct app *a,
		      const char *period)
{
	struct buf def = BUF_INIT(8192);
	const char *name, *origin;
	char *dir = NULL;
	status st;

	*out = NULL;
	/* A missing file is a usage error (exit 2), named. */
	if (path && access(path, R_OK) != 0)
		return status_set(ST_NOTFOUND, "%s: cannot read the rule set: %s", path,
				  strerror(errno));
	if (path)
		return ruleset_load(out, path);
	name = ruleset_default_for_period(period);
	if (!name)
		return status_set(ST_INVALID, "no rule set for period '%s'", period);
	st = rulesdir_find(&dir, &origin, a->config ? a->config->rules_dir : NULL);
	if (st == ST_OK)
		st = buf_printf(&def, "%s/%s.yaml", dir, name);
	if (st == ST_OK && access(def.ptr, R_OK) != 0)
		st = status_set(ST_NOTFOUND, "rule set %s (rules directory %s): %s", def.ptr,
				origin, strerror(errno));
	if (st == ST_OK)
		st = ruleset_load(out, def.ptr);
	free(dir);
	buf_release(&def);
	return st;
}

/* Host and port of each selected school's portal URL, parsed once. */
struct host_port {
	char *host, *port;
};

static void host_ports_free(struct host_port *hp, size_t n)
{
	size_t i;

	for (i = 0; hp && i < n; i++) {
		curl_free(hp[i].host);
		curl_free(hp[i].port);
	}
	free(hp);
}

/* By host, ignoring case; schools without a host last. */
static int host_port_cmp(const void *a, const void *b)
{
	const struct host_port *x = a, *y = b;

	if (!x->host || !y->host)
		return !x->host - !y->host;
	return strcasecmp(x->host, y->host);
}

/* Sorted by host, so that each line of a hosts file finds its schools by
 * binary search: a line per school over every school was quadratic in
 * the number of schools (4 x 10^8 comparisons at 20,000).  Transient:
 * freed before the crawl. */
static struct host_port *host_ports(const struct crawl_setup *cs, size_t n)
{
	struct host_port *hp = calloc(n ? n : 1, sizeof(*hp));
	size_t i;

	for (i = 0; hp && i < n; i++) {
		CURLU *u = curl_url();

		if (u &&
		    curl_url_set(u, CURLUPART_URL, strlist_get(&cs->sites, 2 * i + 1), 0) ==
			    CURLUE_OK &&
		    curl_url_get(u, CURLUPART_HOST, &hp[i].host, 0) == CURLUE_OK)
			(void)curl_url_get(u, CURLUPART_PORT, &hp[i].port, CURLU_DEFAULT_PORT);
		curl_url_cleanup(u);
	}
	if (hp)
		qsort(hp, n, sizeof(*hp), host_port_cmp);
	return hp;
}

/* Adds HOST:PORT:ADDR to cs->hosts for every school whose portal is on
 * host (hp: the n schools sorted by host_ports); b is scratch. */
static bool add_mapping(struct crawl_setup *cs, const struct host_port *hp, size_t n,
			const char *host, const char *addr, struct buf *b)
{
	size_t lo = 0, hi = n, i;

	while (lo < hi) { /* the first school whose host is not below host */
		size_t mid = lo + (hi - lo) / 2;

		if (hp[mid].host && strcasecmp(hp[mid].host, host) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < n && hp[i].host && str_eq_nocase(hp[i].host, host); i++) {
		if (!hp[i].port)
			continue;
		buf_reset(b);
		if (buf_printf(b, "%s:%s:%s", host, hp[i].port, addr) < 0 ||
		    strlist_add(&cs->hosts, b->ptr, b->len) < 0)
			return false;
	}
	return true;
}

/* Points cs->resolve at the hosts entries too, once they are all read
 * (adding to the list may move its text). */
static bool resolve_add_hosts(struct crawl_setup *cs)
{
	size_t i, n = cs->nresolve;

	/* Kept for the whole crawl: without the slack of its growth. */
	strlist_shrink(&cs->hosts);
	if (ARRAY_RESIZE(cs->resolve, n + cs->hosts.n + 1) < 0)
		return false;
	for (i = 0; i < cs->hosts.n; i++)
		cs->resolve[n + i] = strlist_get(&cs->hosts, i);
	cs->nresolve = n + cs->hosts.n;
	cs->opts.resolve = cs->resolve;
	cs->opts.nresolve = cs->nresolve;
	return true;
}

/* Reads "HOST ADDR" lines (blank lines and # comments allowed). */
static int load_hosts_file(struct crawl_setup *cs)
{
	FILE *f = fopen(cs->hosts_file, "r");
	size_t nsites = cs->sites.n / 2;
	struct host_port *hp = NULL;
	struct buf b = BUF_INIT(4096);
	char line[1024];
	int lineno = 0, rc = EXIT_OK;

	if (!f) {
		fprintf(stderr, "portal-audit: %s: cannot open: %m\n", cs->hosts_file);
		return EXIT_USAGE;
	}
	hp = host_ports(cs, nsites);
	while (hp && rc == EXIT_OK && fgets(line, sizeof(line), f)) {
		char *p = str_trim(line), *sp, *addr;

		lineno++;
		if (!*p || *p == '#')
			continue;
		sp = strpbrk(p, " \t");
		addr = sp ? str_trim(sp + 1) : NULL;
		if (!sp || !*addr || strpbrk(addr, " \t")) {
			fprintf(stderr, "portal-audit: %s:%d: expected 'HOST ADDR'\n",
				cs->hosts_file, lineno);
			rc = EXIT_USAGE;
			break;
		}
		*sp = '\0';
		if (!add_mapping(cs, hp, nsites, p, addr, &b)) {
			fprintf(stderr, "portal-audit: out of memory reading %s\n", cs->hosts_file);
			rc = EXIT_RUNTIME;
		}
	}
	if (!hp || (rc == EXIT_OK && !resolve_add_hosts(cs)))
		rc = EXIT_RUNTIME;
	host_ports_free(hp, nsites);
	buf_release(&b);
	fclose(f);
	return rc;
}

int crawl_setup_rules(struct crawl_setup *cs)
{
	status st;
	int rc;

	if (cs->rules)
		return EXIT_OK;
	rc = app_resolve_period(&cs->period, &cs->as_of, cs->period_buf, cs->as_of_buf);
	if (rc != EXIT_OK)
		return rc;
	st = app_load_rules(&cs->rules, cs->rules_path, cs->app, cs->period);
	if (st < 0)
		return app_fail(st);
	cs->opts.focus_keywords = ruleset_focus_keywords(cs->rules, &cs->opts.nfocus_keywords);
	/* app_resolve_period checked the form YYYY-YYYY. */
	cs->opts.period_year = (int)strtol(cs->period, NULL, 10);
	return EXIT_OK;
}

status crawl_setup_add_schools(struct crawl_setup *cs)
{
	size_t i;
	status st = ST_OK;

	for (i = 0; st == ST_OK && i < cs->nschools; i++) {
		const struct school_info *si = &cs->schools[i];

		if (!si->portal_url || !*si->portal_url)
			continue;
		st = strlist_adds(&cs->sites, si->id);
		if (st == ST_OK)
			st = strlist_adds(&cs->sites, si->portal_url);
	}
	return st;
}

int crawl_setup_load(struct crawl_setup *cs, struct store *s)
{
	status st = ST_OK;
	int rc = crawl_setup_rules(cs);

	if (rc != EXIT_OK)
		return rc;
	/* A crawl keeps only each school's id and portal URL, packed: a
	 * struct school_info per school (~900 bytes with the resolve entries
	 * and the crawl's host table) made its memory grow with the city. */
	if (strcmp(cs->scope, "check") != 0) {
		st = selection_portals(s, &cs->sel, &cs->sites);
	} else if (!cs->url || cs->sel.nids) { /* check --school: audited after */
		st = selection_schools(s, &cs->sel, &cs->schools, &cs->nschools);
		if (st == ST_OK)
			st = crawl_setup_add_schools(cs);
	}
	if (st < 0)
		return app_fail(st);
	if (cs->hosts_file)
		return load_hosts_file(cs);
	return EXIT_OK;
}

void crawl_setup_release(struct crawl_setup *cs)
{
	free(cs->resolve);
	strlist_release(&cs->hosts);
	strlist_release(&cs->sites);
	free(cs->allow_addr);
	free(cs->params);
	free(cs->argv_owned);
	free(cs->words);
	registry_list_free(cs->schools, cs->nschools);
	ruleset_free(cs->rules);
	selection_release(&cs->sel);
	memset(cs, 0, sizeof(*cs));
}
