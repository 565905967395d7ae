/* `audit`: evaluate the rules against a stored crawl, with no network.
 * Results of all schools are written in transactions of COMMIT_EVERY
 * schools; the run is marked done only at the end, and reports use done
 * runs, so an interrupted audit never shows as a partial result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "app/audit_one.h"
#include "app/crawl_setup.h"
#include "store/registry.h"
#include "store/results.h"
#include "store/runs.h"

#define COMMIT_EVERY 100

struct audit_opts {
	struct selection sel;
	const char *rules_path, *period, *as_of;
	char period_buf[10], as_of_buf[11];
	long crawl_run;
	bool quiet;
};

static int parse(struct audit_opts *o, int argc, char **argv)
{
	struct args a;

	args_init(&a, argc, argv, 1);
	while (!args_done(&a)) {
		if (selection_parse(&a, &o->sel))
			continue;
		if (args_opt(&a, "--rules"))
			o->rules_path = a.val;
		else if (args_opt(&a, "--period"))
			o->period = a.val;
		else if (args_opt(&a, "--as-of"))
			o->as_of = a.val;
		else if (args_opt(&a, "--crawl-run"))
			(void)args_long(&a, "--crawl-run", 1, 1L << 40, &o->crawl_run);
		else if (args_flag(&a, "--quiet"))
			o->quiet = true;
		else if (!a.bad)
			return app_usage("audit: unknown option '%s'", args_peek(&a));
	}
	if (a.bad)
		return EXIT_USAGE;
	return app_resolve_period(&o->period, &o->as_of, o->period_buf, o->as_of_buf);
}

struct tally {
	long schools, assessed, pass, findings;
	double score_sum;
};

static status audit_all(struct store *s, const struct ruleset *rs, const struct audit_opts *o,
			int64_t run_id, int64_t crawl_run, const struct school_info *schools,
			size_t n, struct tally *t)
{
	struct eval_options eo = EVAL_OPTIONS_INIT;
	status st = store_begin(s);
	size_t i, j;

	eo.period = o->period;
	eo.as_of = o->as_of;
	for (i = 0; i < n && st == ST_OK; i++) {
		struct school_result r;

		st = app_audit_school(s, rs, &eo, crawl_run, &schools[i], &r);
		if (st < 0)
			break;
		r.run_id = run_id;
		st = results_put(s, run_id, &r);
		t->schools++;
		if (r.has_score) {
			t->assessed++;
			t->score_sum += r.score;
		}
		for (j = 0; j < r.nfindings; j++) {
			t->findings++;
			t->pass += r.findings[j].verdict == VERDICT_PASS;
		}
		school_result_release(&r);
		if (st == ST_OK && (i + 1) % COMMIT_EVERY == 0) {
			st = store_commit(s);
			if (st == ST_OK)
				st = store_begin(s);
		}
	}
	if (st == ST_OK)
		st = store_commit(s);
	else
		store_rollback(s);
	return st;
}

static int audit_main(struct store *s, struct audit_opts *o)
{
	struct ruleset *rs = NULL;
	struct school_info *schools = NULL;
	size_t n = 0;
	struct run_info ri = {0};
	struct tally t = {0};
	int64_t crawl_run = o->crawl_run;
	char *scoring = NULL;
	status st;

	st = app_load_rules(&rs, o->rules_path, o->period);
	if (st == ST_OK && !crawl_run)
		st = runs_latest(s, "crawl", false, &crawl_run);
	if (st == ST_OK)
		st = selection_schools(s, &o->sel, &schools, &n);
	if (st == ST_OK && !(scoring = app_scoring_string(rs)))
		st = status_set(ST_NOMEM, "out of memory");
	if (st < 0)
		goto cleanup;
	ri.kind = "audit";
	ri.crawl_run = crawl_run;
	ri.ruleset = ruleset_name(rs);
	ri.ruleset_version = ruleset_version(rs);
	ri.ruleset_hash = ruleset_hash(rs);
	ri.period = o->period;
	ri.as_of = o->as_of;
	ri.scoring = scoring;
	st = runs_start(s, &ri);
	if (st == ST_OK)
		st = audit_all(s, rs, o, ri.id, crawl_run, schools, n, &t);
	if (st == ST_OK)
		st = runs_finish(s, ri.id, "done");
	else if (ri.id)
		if (runs_finish(s, ri.id, "failed") < 0)
			log_warn("%s", status_message());
	if (st == ST_OK && !o->quiet)
		printf("audit: run %lld of crawl %lld, rules %s %s, period %s as of %s: %ld schools, "
		       "%ld assessed, mean score %.1f, %ld of %ld findings pass\n",
		       (long long)ri.id, (long long)crawl_run, ruleset_name(rs), ruleset_version(rs),
		       o->period, o->as_of, t.schools, t.assessed,
		       t.assessed ? t.score_sum / (double)t.assessed : 0.0, t.pass, t.findings);
cleanup:
	free(scoring);
	registry_list_free(schools, n);
	ruleset_free(rs);
	return st < 0 ? app_fail(st) : EXIT_OK;
}

int cmd_audit(struct app *a, int argc, char **argv)
{
	struct audit_opts o;
	struct store *s;
	int rc;

	memset(&o, 0, sizeof(o));
	rc = parse(&o, argc, argv);
	if (rc == EXIT_OK) {
		s = app_open_store(a);
		rc = s ? audit_main(s, &o) : EXIT_RUNTIME;
		store_free(s);
	}
	selection_release(&o.sel);
	return rc;
}
