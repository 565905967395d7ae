/* `report KIND`: render the results of an audit run (the newest finished
 * one unless --run N) in one of the report formats; with --compare RUN,
 * side by side with the earlier audit run RUN. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "core/log.h"
#include "app/report_out.h"
#include "store/report_queries.h"
#include "store/results.h"
#include "store/runs.h"

struct report_opts {
	const char *kind, *selector, *format, *out;
	const char *school, *unit, *deadline; /* notice */
	const char *run_ref, *compare_ref;    /* --run, --compare: a run id or label */
	int64_t compare;
	const volatile sig_atomic_t *stop;
};

static const struct cli_opt report_opts[] = {
	{"--format", NULL, CLI_STR, "html|csv|json|md|xlsx|text", "text", "the report format",
	 OPT_FORMAT, 0, 0},
	{"--output", "-o", CLI_STR, "PATH", "standard output",
	 "write the report to PATH (xlsx needs one)", OPT_OUTPUT, 0, 0},
	{"--run", NULL, CLI_STR, "RUN", "the newest finished audit",
	 "report this audit run (id or label)", OPT_RUN, 0, 0},
	{"--compare", NULL, CLI_STR, "RUN", NULL,
	 "put earlier audit run RUN (id or label) beside it, with the change", OPT_COMPARE, 0, 0},
	{"--school", NULL, CLI_STR, "ID", "every school", "notice: only this school", OPT_SCHOOL, 0,
	 0},
	{"--unit", NULL, CLI_STR, "U", "every unit", "notice: only the schools of this unit",
	 OPT_UNIT, 0, 0},
	{"--deadline", NULL, CLI_STR, "YYYY-MM-DD", "a blank to fill in",
	 "notice: the date the letters set", OPT_DEADLINE, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group report_group = {"Report options", report_opts};

const struct cli_command cmd_report_cli = {
	"report",
	"KIND [OPTIONS]",
	"Writes a report of an audit run (shapes: docs/REPORTS.md).",
	"KIND is one of:\n"
	"  school ID     one school: every criterion with its evidence\n"
	"  unit U        the schools of one unit (district or ward office)\n"
	"  city          every school, by unit\n"
	"  adoption      which schools have a reachable portal\n"
	"  ranking       the schools by score\n"
	"  snapshot      one CSV row per school, one column per item\n"
	"  notice        a letter per school with missing or stale items,\n"
	"                as DIR/cong-van-ID.html (-o DIR)\n",
	{&report_group},
};

/* The checks of `report notice` and `report snapshot`. */
static int parse_new_kinds(struct report_opts *o)
{
	bool notice = o->kind[0] == 'n';

	if (o->selector)
		return app_usage("report %s: unexpected '%s'", o->kind, o->selector);
	if (o->compare)
		return app_usage("report %s: --compare does not apply", o->kind);
	if (!o->format)
		o->format = notice ? "html" : "csv";
	if (strcmp(o->format, notice ? "html" : "csv") != 0)
		return app_usage("report %s: only --format %s", o->kind, notice ? "html" : "csv");
	if (notice && (!o->out || strcmp(o->out, "-") == 0))
		return app_usage("report notice: needs -o DIR (one letter per school)");
	if (notice && o->school && o->unit)
		return app_usage("report notice: --school or --unit, not both");
	if (o->deadline && !report_notice_date_ok(o->deadline))
		return app_usage("report notice: --deadline '%s' is not a date YYYY-MM-DD",
				 o->deadline);
	return EXIT_OK;
}

static int parse(struct report_opts *o, int argc, char **argv)
{
	struct args a;
	int id;

	args_init(&a, argc, argv, 1);
	while ((id = cli_next(&a, &cmd_report_cli)) != CLI_END && !a.bad) {
		switch (id) {
		case CLI_OPERAND:
			if (!o->kind)
				o->kind = a.val;
			else if (!o->selector)
				o->selector = a.val;
			else
				return app_usage("report: unexpected '%s'", a.val);
			break;
		case OPT_FORMAT:
			o->format = a.val;
			break;
		case OPT_OUTPUT:
			o->out = a.val;
			break;
		case OPT_RUN:
			o->run_ref = a.val;
			break;
		case OPT_COMPARE:
			o->compare_ref = a.val;
			break;
		case OPT_SCHOOL:
			o->school = a.val;
			break;
		case OPT_UNIT:
			o->unit = a.val;
			break;
		case OPT_DEADLINE:
			o->deadline = a.val;
			break;
		default:
			break;
		}
	}
	if (a.bad)
		return EXIT_USAGE;
	if (!o->kind)
		return app_usage("report: which report? school ID | unit U | city | adoption | "
				 "ranking | snapshot | notice");
	if ((o->school || o->unit || o->deadline) && strcmp(o->kind, "notice") != 0)
		return app_usage("report: --school, --unit and --deadline are for report notice");
	if (strcmp(o->kind, "notice") == 0 || strcmp(o->kind, "snapshot") == 0)
		return parse_new_kinds(o);
	if (strcmp(o->kind, "school") == 0 || strcmp(o->kind, "unit") == 0) {
		if (!o->selector)
			return app_usage("report %s: needs %s", o->kind,
					 o->kind[0] == 's' ? "a school id" : "a unit name");
	} else if (strcmp(o->kind, "city") && strcmp(o->kind, "adoption") &&
		   strcmp(o->kind, "ranking")) {
		return app_usage("report: unknown kind '%s' (school, unit, city, adoption, "
				 "ranking, snapshot, notice)",
				 o->kind);
	} else if (o->selector) {
		return app_usage("report %s: unexpected '%s'", o->kind, o->selector);
	}
	return EXIT_OK;
}

/* The results a report shows from one audit run: one school, the
 * schools of a unit or all, or the portal state of every registered
 * school (adoption). */
struct loaded {
	struct meta_holder h;
	struct school_result one;
	struct school_result *all;
	struct portal_check *portals;
	size_t n;
	bool has_one;
};

/* Loads run's results for o.  missing_ok: a school absent from the run is
 * not an error (compare: it is "new" or "gone"). */
static status load(struct store *s, const struct report_opts *o, int64_t run, bool missing_ok,
		   struct loaded *l)
{
	status st;

	memset(l, 0, sizeof(*l));
	if ((st = app_report_meta(s, run, &l->h)) < 0)
		return st;
	if (strcmp(o->kind, "adoption") == 0)
		return report_queries_portals(s, run, &l->portals, &l->n);
	if (strcmp(o->kind, "school") == 0) {
		st = results_load(s, run, o->selector, &l->one);
		l->has_one = st == ST_OK;
		l->n = l->has_one;
		return st == ST_NOTFOUND && missing_ok ? ST_OK : st;
	}
	st = results_load_all(s, run, strcmp(o->kind, "unit") == 0 ? o->selector : NULL, &l->all,
			      &l->n);
	if (st == ST_OK && l->n == 0 && strcmp(o->kind, "unit") == 0 && !missing_ok)
		st = status_set(ST_NOTFOUND, "no school of unit '%s' in audit run %lld",
				o->selector, (long long)run);
	return st;
}

static void unload(struct loaded *l)
{
	if (l->has_one)
		school_result_release(&l->one);
	results_free(l->all, l->all ? l->n : 0);
	report_queries_portals_free(l->portals, l->portals ? l->n : 0);
	app_report_meta_release(&l->h);
	memset(l, 0, sizeof(*l));
}

static const struct school_result *results_of(const struct loaded *l)
{
	return l->has_one ? &l->one : l->all;
}

static status render(struct store *s, const struct report_opts *o, enum report_format fmt,
		     int64_t run, FILE *f)
{
	struct loaded cur, prev;
	status st;

	memset(&prev, 0, sizeof(prev));
	st = load(s, o, run, o->compare != 0, &cur);
	if (st == ST_OK && o->compare)
		st = load(s, o, o->compare, true, &prev);
	/* Writers stop at the next chunk once a signal sets o->stop. */
	cur.h.meta.stop = prev.h.meta.stop = o->stop;
	if (st == ST_OK && *o->stop)
		st = status_set(ST_INTERRUPTED, "report interrupted");
	if (st == ST_OK && o->compare && strcmp(o->kind, "school") == 0 && !cur.n && !prev.n)
		st = status_set(ST_NOTFOUND, "school %s has no result in audit run %lld nor %lld",
				o->selector, (long long)run, (long long)o->compare);
	if (st < 0)
		goto out;
	if (strcmp(o->kind, "adoption") == 0 && o->compare)
		st = report_adoption_compare(f, fmt, &cur.h.meta, cur.portals, cur.n, &prev.h.meta,
					     prev.portals, prev.n);
	else if (strcmp(o->kind, "adoption") == 0)
		st = report_adoption(f, fmt, &cur.h.meta, cur.portals, cur.n);
	else if (o->compare)
		st = report_compare(f, fmt, o->kind, o->selector, &cur.h.meta, results_of(&cur),
				    cur.n, &prev.h.meta, results_of(&prev), prev.n);
	else if (cur.has_one)
		st = report_school(f, fmt, &cur.h.meta, &cur.one);
	else
		st = report_schools(f, fmt, o->kind, o->selector, &cur.h.meta, cur.all, cur.n);
out:
	unload(&cur);
	unload(&prev);
	return st;
}

/* One letter, written as DIR/cong-van-ID.html (characters of the id other
 * than letters, digits, '.', '_' and '-' become '_'). */
static status notice_one(const struct report_opts *o, const struct report_meta *m,
			 const struct school_result *r)
{
	char path[4096];
	struct report_out_file of;
	size_t n, i;
	status st;

	n = (size_t)snprintf(path, sizeof(path), "%s/cong-van-", o->out);
	for (i = 0; r->school.id && r->school.id[i] && n + 6 < sizeof(path); i++) {
		char c = r->school.id[i];
		bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';

		path[n++] = safe ? c : '_';
	}
	snprintf(path + n, sizeof(path) - n, ".html");
	if ((st = report_out_open(&of, path)) < 0)
		return st;
	st = report_notice(of.f, m, r, o->deadline);
	if (st == ST_OK)
		return report_out_close(&of, true);
	if (report_out_close(&of, false) < 0)
		log_warn("%s", status_message());
	return st;
}

/* report notice: a letter per selected school with a missing or stale
 * item, in the folder o->out (made when missing). */
static status notices(struct store *s, const struct report_opts *o, int64_t run)
{
	struct loaded l;
	size_t i, written = 0;
	status st;

	memset(&l, 0, sizeof(l));
	if ((st = app_report_meta(s, run, &l.h)) < 0)
		return st;
	l.h.meta.stop = o->stop;
	if (o->school) {
		st = results_load(s, run, o->school, &l.one);
		l.has_one = st == ST_OK;
		l.n = l.has_one;
	} else {
		st = results_load_all(s, run, o->unit, &l.all, &l.n);
		if (st == ST_OK && !l.n && o->unit)
			st = status_set(ST_NOTFOUND, "no school of unit '%s' in audit run %lld",
					o->unit, (long long)run);
	}
	if (st == ST_OK && mkdir(o->out, 0777) != 0 && errno != EEXIST)
		st = status_set(ST_IO, "%s: cannot create the folder: %s", o->out, strerror(errno));
	for (i = 0; st == ST_OK && i < l.n; i++) {
		const struct school_result *r = &results_of(&l)[i];

		if (!report_notice_due(r))
			continue;
		st = notice_one(o, &l.h.meta, r);
		written += st == ST_OK;
	}
	unload(&l);
	if (st == ST_OK)
		fprintf(stderr, "report: wrote %zu letter%s to %s\n", written,
			written == 1 ? "" : "s", o->out);
	return st;
}

int cmd_report(struct app *a, int argc, char **argv)
{
	struct report_opts o;
	enum report_format fmt = REPORT_TEXT;
	struct report_out_file out;
	struct store *s = NULL;
	int64_t run;
	status st;
	int rc;

	memset(&o, 0, sizeof(o));
	o.stop = &a->stop;
	rc = parse(&o, argc, argv);
	if (rc != EXIT_OK)
		return rc;
	if (o.format && report_format_parse(o.format, &fmt) < 0)
		return app_usage("report: %s", status_message());
	if (fmt == REPORT_XLSX && (!o.out || strcmp(o.out, "-") == 0))
		return app_usage("report: --format xlsx needs -o FILE.xlsx");
	rc = app_open_store(&s, a, STORE_READ);
	if (rc != EXIT_OK)
		return rc;
	store_set_stop(s, &a->stop);
	st = o.run_ref ? runs_resolve(s, "audit", o.run_ref, &run)
		       : runs_latest(s, "audit", false, &run);
	if (st == ST_OK && o.run_ref)
		st = report_queries_check_audit(s, run);
	if (st == ST_OK && o.compare_ref &&
	    (st = runs_resolve(s, "audit", o.compare_ref, &o.compare)) == ST_OK)
		st = report_queries_check_audit(s, o.compare);
	if (st == ST_OK && strcmp(o.kind, "notice") == 0) {
		st = notices(s, &o, run);
		store_free(s);
		return st < 0 ? app_fail(st) : EXIT_OK;
	}
	if (st == ST_OK)
		st = report_out_open(&out, o.out);
	if (st == ST_OK) {
		st = render(s, &o, fmt, run, out.f);
		if (st == ST_IO && out.path) {
			char why[512];

			/* Copy first: status_set writes the buffer
			 * status_message() points into. */
			snprintf(why, sizeof(why), "%s", status_message());
			st = status_set(ST_IO, "%s: %s", out.path, why);
		}
		/* Whatever failed once a signal came (a query, the writer),
		 * the reason is the signal. */
		if (st < 0 && a->stop)
			st = status_set(ST_INTERRUPTED, "report interrupted: %s not written",
					out.path ? out.path : "output");
		if (st == ST_OK)
			st = report_out_close(&out, true);
		else if (report_out_close(&out, false) < 0)
			log_warn("%s", status_message());
	}
	store_free(s);
	if (st < 0)
		return app_fail(st);
	if (o.out && strcmp(o.out, "-") != 0)
		fprintf(stderr, "report: wrote %s\n", o.out);
	return EXIT_OK;
}
