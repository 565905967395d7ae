#include "app/crawl_setup.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/str.h"
#include "store/registry.h"

#ifndef PA_RULES_DIR
#define PA_RULES_DIR "rules/sets"
#endif

static bool push(void *arrp, size_t *n, size_t elem, const void *v)
{
	char **arr = arrp;
	char *nv = realloc(*arr, (*n + 1) * elem);

	if (!nv)
		return false;
	memcpy(nv + *n * elem, v, elem);
	*arr = nv;
	(*n)++;
	return true;
}

static bool parse_crawl_opt(struct crawl_setup *cs, struct args *a)
{
	struct crawl_options *o = &cs->opts;
	long v = 0;

	if (args_opt(a, "--threads")) {
		/* Parser threads; 0 parses on the crawl thread itself. */
		return args_long(a, "--threads", 0, 64, &v) && ((o->parse_threads = (int)v), true);
	}
	if (args_opt(a, "--per-host"))
		return args_long(a, "--per-host", 1, 16, &v) && ((o->per_host = (int)v), true);
	if (args_opt(a, "--delay"))
		return args_long(a, "--delay", 0, 600000, &v) && ((o->delay_ms = (int)v), true);
	if (args_opt(a, "--max-pages"))
		return args_long(a, "--max-pages", 0, 10000000, &v) && ((o->max_pages = (int)v), true);
	if (args_opt(a, "--explore"))
		return args_long(a, "--explore", 0, 10000000, &v) &&
		       ((o->explore_pages = (int)v), true);
	if (args_opt(a, "--list-pages"))
		/* News list pages per site outside the explore budget. */
		return args_long(a, "--list-pages", 0, 10000, &v) && ((o->list_pages = (int)v), true);
	if (args_opt(a, "--section-pages"))
		/* Pages and posts of a disclosure section per site. */
		return args_long(a, "--section-pages", 0, 10000, &v) &&
		       ((o->section_pages = (int)v), true);
	if (args_opt(a, "--focus")) {
		/* off: no explore budget, every page up to --max-pages. */
		if (strcmp(a->val, "off") == 0)
			o->explore_pages = 0;
		else if (strcmp(a->val, "on") != 0) {
			app_usage("--focus: want on or off, not '%s'", a->val);
			a->bad = true;
			return false;
		}
		return true;
	}
	if (args_opt(a, "--max-depth"))
		return args_long(a, "--max-depth", 0, 1000, &v) && ((o->max_depth = (int)v), true);
	if (args_opt(a, "--timeout"))
		return args_long(a, "--timeout", 1, 3600, &v) && ((o->timeout_s = v), true);
	if (args_opt(a, "--user-agent")) {
		o->user_agent = a->val;
		return true;
	}
	if (args_opt(a, "--resolve")) {
		char *copy = str_dup(a->val);

		return copy && push(&cs->resolve, &cs->nresolve, sizeof(char *), &copy);
	}
	if (args_opt(a, "--allow-addr"))
		return push(&cs->allow_addr, &cs->nallow_addr, sizeof(char *), &a->val);
	if (args_opt(a, "--hosts-file")) {
		cs->hosts_file = a->val;
		return true;
	}
	if (args_flag(a, "--allow-private")) {
		o->allow_private = true;
		return true;
	}
	if (args_flag(a, "--resume")) {
		cs->resume = true;
		return true;
	}
	if (args_flag(a, "--quiet")) {
		cs->quiet = true;
		return true;
	}
	return false;
}

static bool parse_common(struct crawl_setup *cs, struct args *a, bool check_mode)
{
	if (args_opt(a, "--rules")) {
		cs->rules_path = a->val;
		return true;
	}
	if (args_opt(a, "--period")) {
		cs->period = a->val;
		return true;
	}
	if (args_opt(a, "--as-of")) {
		cs->as_of = a->val;
		return true;
	}
	if (check_mode && args_opt(a, "--format")) {
		cs->format = a->val;
		return true;
	}
	if (check_mode && args_opt(a, "--level")) {
		cs->level = a->val;
		return true;
	}
	return parse_crawl_opt(cs, a) || selection_parse(a, &cs->sel);
}

int crawl_setup_parse(struct crawl_setup *cs, struct app *a, int argc, char **argv, int first,
		      bool check_mode)
{
	struct crawl_options init = CRAWL_OPTIONS_INIT;
	struct buf params = BUF_INIT(1 << 16);
	struct args ar;
	int i;

	memset(cs, 0, sizeof(*cs));
	cs->opts = init;
	/* One parser thread beside the fetch thread by default: the libcurl
	 * loop and libxml2 then use both cores of a small server. */
	cs->opts.parse_threads = 1;
	cs->opts.stop = &a->stop;
	/* -1 until parsed: the explore budget defaults to
	 * CRAWL_EXPLORE_DEFAULT, or none with --max-pages 0 (a full crawl). */
	cs->opts.explore_pages = -1;
	args_init(&ar, argc, argv, first);
	while (!args_done(&ar)) {
		const char *w = args_peek(&ar);

		if (parse_common(cs, &ar, check_mode))
			continue;
		if (ar.bad)
			break;
		if (check_mode && w[0] != '-' && !cs->url) {
			cs->url = w;
			ar.i++;
			continue;
		}
		app_usage("%s: unknown option '%s'", argv[0], w);
		ar.bad = true;
	}
	if (ar.bad)
		return EXIT_USAGE;
	if (cs->opts.explore_pages < 0)
		cs->opts.explore_pages = cs->opts.max_pages == 0 ? 0 : CRAWL_EXPLORE_DEFAULT;
	for (i = 1; i < argc; i++)
		if (buf_printf(&params, "%s%s", i > 1 ? " " : "", argv[i]) < 0)
			break;
	cs->params = buf_detach(&params);
	cs->opts.resolve = (const char *const *)cs->resolve;
	cs->opts.nresolve = cs->nresolve;
	cs->opts.allow_addr = cs->allow_addr;
	cs->opts.nallow_addr = cs->nallow_addr;
	return EXIT_OK;
}

int app_resolve_period(const char **period, const char **as_of, char period_buf[10],
		       char as_of_buf[11])
{
	int y, m, d;

	if (!*as_of) {
		app_today(as_of_buf);
		*as_of = as_of_buf;
	} else if (clock_parse_date(*as_of, &y, &m, &d) < 0) {
		return app_usage("--as-of: %s", status_message());
	}
	if (!*period) {
		if (app_period_for(*as_of, period_buf) < 0)
			return app_usage("--as-of: %s", status_message());
		*period = period_buf;
	} else if (app_period_check(*period) < 0) {
		return app_usage("--period: %s", status_message());
	}
	return EXIT_OK;
}

status app_load_rules(struct ruleset **out, const char *path, const char *period)
{
	char def[512];
	const char *name;
	const char *dir = getenv("PORTAL_AUDIT_RULES");

	if (!path) {
		name = ruleset_default_for_period(period);
		if (!name)
			return status_set(ST_INVALID, "no rule set for period '%s'", period);
		snprintf(def, sizeof(def), "%s/%s.yaml", dir && *dir ? dir : PA_RULES_DIR, name);
		path = def;
	}
	return ruleset_load(out, path);
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

static struct host_port *host_ports(const struct crawl_setup *cs)
{
	struct host_port *hp = calloc(cs->nschools ? cs->nschools : 1, sizeof(*hp));
	size_t i;

	for (i = 0; hp && i < cs->nschools; i++) {
		CURLU *u = curl_url();

		if (u && cs->schools[i].portal_url && *cs->schools[i].portal_url &&
		    curl_url_set(u, CURLUPART_URL, cs->schools[i].portal_url, 0) == CURLUE_OK &&
		    curl_url_get(u, CURLUPART_HOST, &hp[i].host, 0) == CURLUE_OK)
			(void)curl_url_get(u, CURLUPART_PORT, &hp[i].port, CURLU_DEFAULT_PORT);
		curl_url_cleanup(u);
	}
	return hp;
}

/* Adds HOST:PORT:ADDR for every selected school whose portal is on host. */
static bool add_mapping(struct crawl_setup *cs, const struct host_port *hp, const char *host,
			const char *addr)
{
	size_t i;

	for (i = 0; i < cs->nschools; i++) {
		struct buf b = BUF_INIT(1024);
		char *entry;

		if (!hp[i].host || !hp[i].port || !str_eq_nocase(hp[i].host, host))
			continue;
		if (buf_printf(&b, "%s:%s:%s", host, hp[i].port, addr) < 0)
			return false;
		entry = buf_detach(&b);
		if (!entry || !push(&cs->resolve, &cs->nresolve, sizeof(char *), &entry)) {
			free(entry);
			return false;
		}
	}
	return true;
}

/* Reads "HOST ADDR" lines (blank lines and # comments allowed). */
static int load_hosts_file(struct crawl_setup *cs)
{
	FILE *f = fopen(cs->hosts_file, "r");
	struct host_port *hp = NULL;
	char line[1024];
	int lineno = 0, rc = EXIT_OK;

	if (!f) {
		fprintf(stderr, "portal-audit: %s: cannot open: %m\n", cs->hosts_file);
		return EXIT_USAGE;
	}
	hp = host_ports(cs);
	while (hp && rc == EXIT_OK && fgets(line, sizeof(line), f)) {
		char *p = str_trim(line), *sp, *addr;

		lineno++;
		if (!*p || *p == '#')
			continue;
		sp = strpbrk(p, " \t");
		addr = sp ? str_trim(sp + 1) : NULL;
		if (!sp || !*addr || strpbrk(addr, " \t")) {
			fprintf(stderr, "portal-audit: %s:%d: expected 'HOST ADDR'\n", cs->hosts_file,
				lineno);
			rc = EXIT_USAGE;
			break;
		}
		*sp = '\0';
		if (!add_mapping(cs, hp, p, addr)) {
			fprintf(stderr, "portal-audit: out of memory reading %s\n", cs->hosts_file);
			rc = EXIT_RUNTIME;
		}
	}
	if (!hp)
		rc = EXIT_RUNTIME;
	host_ports_free(hp, cs->nschools);
	fclose(f);
	cs->opts.resolve = (const char *const *)cs->resolve;
	cs->opts.nresolve = cs->nresolve;
	return rc;
}

int crawl_setup_load(struct crawl_setup *cs, struct store *s)
{
	status st;
	int rc;

	rc = app_resolve_period(&cs->period, &cs->as_of, cs->period_buf, cs->as_of_buf);
	if (rc != EXIT_OK)
		return rc;
	st = app_load_rules(&cs->rules, cs->rules_path, cs->period);
	if (st < 0)
		return app_fail(st);
	cs->opts.focus_keywords = ruleset_focus_keywords(cs->rules, &cs->opts.nfocus_keywords);
	/* app_resolve_period checked the form YYYY-YYYY. */
	cs->opts.period_year = (int)strtol(cs->period, NULL, 10);
	if (!cs->url || cs->sel.nids) {
		st = selection_schools(s, &cs->sel, &cs->schools, &cs->nschools);
		if (st < 0)
			return app_fail(st);
	}
	if (cs->hosts_file)
		return load_hosts_file(cs);
	return EXIT_OK;
}

void crawl_setup_release(struct crawl_setup *cs)
{
	size_t i;

	for (i = 0; i < cs->nresolve; i++)
		free(cs->resolve[i]);
	free(cs->resolve);
	free(cs->allow_addr);
	free(cs->params);
	registry_list_free(cs->schools, cs->nschools);
	ruleset_free(cs->rules);
	selection_release(&cs->sel);
	memset(cs, 0, sizeof(*cs));
}
