/* `check (URL | --school ID)`: crawl and audit one school now and print
 * the result.  The crawl and audit are stored like any other runs, so
 * `report school ID` can show the same result later.  A URL that is not
 * any registered school's portal is checked as an ad hoc school whose id
 * is "check:HOST". */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/audit_one.h"
#include "app/crawl_setup.h"
#include "app/report_out.h"
#include "core/buf.h"
#include "core/str.h"
#include "store/adhoc.h"
#include "store/registry.h"
#include "store/results.h"
#include "store/runs.h"

/* The level of an unregistered school, guessed from the usual host
 * prefixes (thcsnguyendu.hcm.edu.vn), else given by --level. */
static const char *guess_level(const char *host)
{
	static const char *const prefixes[] = {"thpt", "thcs", "gdnn-gdtx", "gdtx", "mn", "th"};
	static const char *const levels[] = {"thpt", "thcs", "gdtx", "gdtx", "mn", "th"};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (str_starts_with(host, prefixes[i]))
			return levels[i];
	return "thcs";
}

static status adhoc_school(struct store *s, struct crawl_setup *cs)
{
	struct school_info si;
	struct buf id = BUF_INIT(4096);
	char *host = NULL;
	CURLU *u = curl_url();
	status st = ST_OK;

	memset(&si, 0, sizeof(si));
	if (!u || curl_url_set(u, CURLUPART_URL, cs->url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    (!str_starts_with(cs->url, "http://") && !str_starts_with(cs->url, "https://")))
		st = status_set(ST_INVALID, "check: '%s' is not an http(s) URL", cs->url);
	if (st == ST_OK && buf_printf(&id, ADHOC_ID_PREFIX "%s", host) < 0)
		st = status_set(ST_NOMEM, "out of memory");
	if (st == ST_OK) {
		si.id = id.ptr;
		si.name = host;
		si.unit = "";
		si.level = (char *)(cs->level ? cs->level : guess_level(host));
		si.ownership = "";
		si.portal_url = (char *)cs->url;
		st = adhoc_school_put(s, &si);
	}
	if (st == ST_OK) {
		cs->schools = calloc(1, sizeof(*cs->schools));
		cs->nschools = cs->schools ? 1 : 0;
		st = cs->schools ? registry_get(s, id.ptr, &cs->schools[0])
				 : status_set(ST_NOMEM, "out of memory");
	}
	buf_release(&id);
	curl_free(host);
	curl_url_cleanup(u);
	return st;
}

/* Picks the school: --school ID, a registered school with this portal
 * URL, or an ad hoc one. */
static status pick_school(struct store *s, struct crawl_setup *cs)
{
	struct school_info *all = NULL;
	size_t n = 0, i;
	status st;

	if (cs->sel.nids)
		return ST_OK;
	st = registry_list(s, NULL, &all, &n);
	for (i = 0; st == ST_OK && i < n; i++) {
		if (all[i].portal_url && strcmp(all[i].portal_url, cs->url) == 0) {
			cs->schools = calloc(1, sizeof(*cs->schools));
			if (!cs->schools) {
				st = status_set(ST_NOMEM, "out of memory");
				break;
			}
			cs->schools[0] = all[i];
			memset(&all[i], 0, sizeof(all[i]));
			cs->nschools = 1;
			break;
		}
	}
	registry_list_free(all, n);
	if (st == ST_OK && !cs->nschools)
		st = adhoc_school(s, cs);
	return st;
}

static status audit_and_print(struct store *s, struct crawl_setup *cs, int64_t crawl_run,
			      enum report_format fmt, double *score)
{
	struct audit_begin b = {0};
	struct school_result r;
	struct meta_holder h;
	int64_t run = 0;
	status st;

	b.crawl_run = crawl_run;
	b.period = cs->period;
	b.as_of = cs->as_of;
	b.params = cs->params;
	b.scope = "check";
	st = app_audit_single(s, cs->rules, &b, &cs->schools[0], &r, &run);
	if (st == ST_OK && r.has_score)
		*score = r.score;
	if (st == ST_OK && (st = app_report_meta(s, run, &h)) == ST_OK) {
		st = report_school(stdout, fmt, &h.meta, &r);
		app_report_meta_release(&h);
	}
	school_result_release(&r);
	return st;
}

static const struct cli_opt check_opts[] = {
	{"--school", NULL, CLI_STR, "ID", NULL, "check this registered school instead of a URL",
	 OPT_SCHOOL, 0, 0},
	{"--level", NULL, CLI_STR, "L", "guessed from the host name, else thcs",
	 "level of an unregistered school: mn, th, thcs, thpt, gdtx", OPT_LEVEL, 0, 0},
	{"--format", NULL, CLI_STR, "text|json", "text", "how the result is printed", OPT_FORMAT, 0,
	 0},
	{"--fail-under", NULL, CLI_STR, "SCORE", NULL,
	 "exit 1 when the score is under SCORE (0-100) or cannot be assessed", OPT_FAIL_UNDER, 0,
	 0},
	CLI_OPT_END,
};
static const struct cli_group check_group = {"Check options", check_opts};

const struct cli_command cmd_check_cli = {
	"check",
	"(URL | --school ID) [OPTIONS]",
	"Crawls and audits one school now and prints the result.",
	"The runs are stored with scope \"check\": the school's crawl counts as its\n"
	"newest for the next audit, but neither run is ever \"the newest run\" of a\n"
	"report, an audit or crawl --resume.  A URL that is no registered school's\n"
	"portal is checked as an ad hoc school with id check:HOST.  The crawl's\n"
	"summary line goes to stderr, the result to stdout.\n",
	{&check_group, &crawl_setup_group, &crawl_setup_rules_group},
};

int cmd_check(struct app *a, int argc, char **argv)
{
	struct crawl_setup cs;
	enum report_format fmt = REPORT_TEXT;
	struct store *s = NULL;
	int64_t crawl_run = 0;
	status st = ST_OK;
	double score = -1;
	int rc;

	rc = crawl_setup_parse(&cs, a, argc, argv, 1, true);
	if (rc == EXIT_OK && (!cs.url == !cs.sel.nids || cs.sel.nids > 1))
		rc = app_usage("check: give one URL or one --school ID");
	else if (cs.format && (report_format_parse(cs.format, &fmt) < 0 ||
			       (fmt != REPORT_TEXT && fmt != REPORT_JSON)))
		rc = app_usage("check: --format must be text or json");
	/* check URL may register an ad hoc school, so it may create the
	 * database; check --school needs the registry to exist. */
	if (rc == EXIT_OK)
		rc = app_open_store(&s, a,
				    STORE_WRITE | STORE_EXCLUSIVE | (cs.url ? STORE_CREATE : 0));
	if (rc == EXIT_OK)
		rc = crawl_setup_load(&cs, s);
	if (rc == EXIT_OK && (st = pick_school(s, &cs)) < 0)
		rc = app_fail(st);
	if (rc == EXIT_OK)
		rc = app_crawl(s, &cs, stderr, &crawl_run);
	if (rc == EXIT_OK && (st = audit_and_print(s, &cs, crawl_run, fmt, &score)) < 0)
		rc = app_fail(st);
	/* An unassessable school (score -1) fails any threshold: nothing shows
	 * that it meets it. */
	if (rc == EXIT_OK && cs.has_fail_under && score < cs.fail_under) {
		if (score < 0)
			fprintf(stderr,
				"portal-audit: the school could not be assessed, so it fails "
				"--fail-under %g\n",
				cs.fail_under);
		else
			fprintf(stderr, "portal-audit: score %.1f is under --fail-under %g\n",
				score, cs.fail_under);
		rc = EXIT_THRESHOLD;
	}
	crawl_setup_release(&cs);
	store_free(s);
	return rc;
}
