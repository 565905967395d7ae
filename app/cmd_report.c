/* `report KIND`: render the results of an audit run (the newest finished
 * one unless --run N) in one of the report formats. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/log.h"
#include "app/report_out.h"
#include "store/report_queries.h"
#include "store/results.h"
#include "store/runs.h"

struct report_opts {
	const char *kind, *selector, *format, *out;
	long run, compare;
};

static int parse(struct report_opts *o, int argc, char **argv)
{
	struct args a;

	args_init(&a, argc, argv, 1);
	if (args_done(&a))
		return app_usage("report: which report? school ID | unit U | city | adoption | ranking");
	o->kind = argv[a.i++];
	if ((strcmp(o->kind, "school") == 0 || strcmp(o->kind, "unit") == 0)) {
		if (args_done(&a) || args_peek(&a)[0] == '-')
			return app_usage("report %s: needs %s", o->kind,
					 o->kind[0] == 's' ? "a school id" : "a unit name");
		o->selector = argv[a.i++];
	} else if (strcmp(o->kind, "city") && strcmp(o->kind, "adoption") &&
		   strcmp(o->kind, "ranking")) {
		return app_usage("report: unknown kind '%s' (school, unit, city, adoption, ranking)",
				 o->kind);
	}
	while (!args_done(&a)) {
		if (args_opt(&a, "--format"))
			o->format = a.val;
		else if (args_opt(&a, "-o") || args_opt(&a, "--output"))
			o->out = a.val;
		else if (args_opt(&a, "--run"))
			(void)args_long(&a, "--run", 1, 1L << 40, &o->run);
		else if (args_opt(&a, "--compare"))
			(void)args_long(&a, "--compare", 1, 1L << 40, &o->compare);
		else if (!a.bad)
			return app_usage("report: unknown option '%s'", args_peek(&a));
	}
	return a.bad ? EXIT_USAGE : EXIT_OK;
}

static status render(struct store *s, const struct report_opts *o, enum report_format fmt,
		     int64_t run, FILE *f)
{
	struct meta_holder h;
	struct school_result one;
	struct school_result *all = NULL;
	size_t n = 0;
	status st = app_report_meta(s, run, &h);

	if (st < 0)
		return st;
	if (strcmp(o->kind, "adoption") == 0) {
		struct portal_check *pc = NULL;

		st = report_queries_portals(s, run, &pc, &n);
		if (st == ST_OK)
			st = report_adoption(f, fmt, &h.meta, pc, n);
		report_queries_portals_free(pc, n);
	} else if (strcmp(o->kind, "school") == 0) {
		st = results_load(s, run, o->selector, &one);
		if (st == ST_OK) {
			st = report_school(f, fmt, &h.meta, &one);
			school_result_release(&one);
		}
	} else {
		st = results_load_all(s, run, strcmp(o->kind, "unit") == 0 ? o->selector : NULL,
				      &all, &n);
		if (st == ST_OK && n == 0 && strcmp(o->kind, "unit") == 0)
			st = status_set(ST_NOTFOUND, "no school of unit '%s' in audit run %lld",
					o->selector, (long long)run);
		if (st == ST_OK)
			st = report_schools(f, fmt, o->kind, o->selector, &h.meta, all, n);
		results_free(all, n);
	}
	app_report_meta_release(&h);
	return st;
}

int cmd_report(struct app *a, int argc, char **argv)
{
	struct report_opts o;
	enum report_format fmt = REPORT_TEXT;
	struct out_file out;
	struct store *s;
	int64_t run;
	status st;
	int rc;

	memset(&o, 0, sizeof(o));
	rc = parse(&o, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (o.format && report_format_parse(o.format, &fmt) < 0)
		return app_usage("report: %s", status_message());
	if (fmt == REPORT_XLSX && (!o.out || strcmp(o.out, "-") == 0))
		return app_usage("report: --format xlsx needs -o FILE.xlsx");
	if (o.compare)
		return app_usage("report: --compare is not implemented yet");
	s = app_open_store(a);
	if (!s)
		return EXIT_RUNTIME;
	run = o.run;
	st = run ? report_queries_check_audit(s, run) : runs_latest(s, "audit", false, &run);
	if (st == ST_OK)
		st = out_open(&out, o.out);
	if (st == ST_OK) {
		st = render(s, &o, fmt, run, out.f);
		if (st == ST_OK)
			st = out_close(&out, true);
		else
			if (out_close(&out, false) < 0)
				log_warn("%s", status_message());
	}
	store_free(s);
	if (st < 0)
		return app_fail(st);
	if (o.out && strcmp(o.out, "-") != 0)
		fprintf(stderr, "report: wrote %s\n", o.out);
	return EXIT_OK;
}
