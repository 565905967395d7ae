/* `report KIND`: render the results of an audit run (the newest finished
 * one unless --run N) in one of the report formats; with --compare RUN,
 * side by side with the earlier audit run RUN; --group-by puts the
 * schools in their former districts or provinces; `report school ID
 * --history` shows every period; `report school --all|--unit U -o DIR`
 * writes one file per school. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "core/log.h"
#include "app/report_out.h"
#include "core/str.h"
#include "reports/review.h"
#include "store/decisions.h"
#include "store/report_queries.h"
#include "store/results.h"
#include "store/runs.h"

struct report_opts {
	const char *kind, *selector, *format, *out;
	const char *school, *unit, *deadline; /* notice; unit: also school */
	const char *run_ref, *compare_ref;    /* --run, --compare: a run id or label */
	int64_t compare;
	enum group_by group_by;
	bool history, all;
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
	{"--school", NULL, CLI_STR, "ID", "every school", "notice, review: only this school",
	 OPT_SCHOOL, 0, 0},
	{"--unit", NULL, CLI_STR, "U", NULL,
	 "school: one report per school of unit U into -o DIR; notice: the letters of unit U;"
	 " review: its schools",
	 OPT_UNIT, 0, 0},
	{"--deadline", NULL, CLI_STR, "YYYY-MM-DD", "a blank to fill in",
	 "notice: the date the letters set", OPT_DEADLINE, 0, 0},
	{"--group-by", NULL, CLI_STR, "unit|former_unit|former_province", "unit",
	 "city, adoption, ranking: group schools by unit, former district or former province",
	 OPT_GROUP_BY, 0, 0},
	{"--history", NULL, CLI_FLAG, NULL, NULL, "school ID: the results of every audited period",
	 OPT_HISTORY, 0, 0},
	{"--all", NULL, CLI_FLAG, NULL, NULL, "school: one report per school into -o DIR", OPT_ALL,
	 0, 0},
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
	"                as DIR/cong-van-ID.html (-o DIR)\n"
	"  review        the items waiting for a person and the decisions made\n"
	"                (--school ID or --unit U)\n"
	"report school --all|--unit U -o DIR writes DIR/ID.EXT per school.\n",
	{&report_group},
};

/* The checks of `report notice` and `report snapshot`. */
static int parse_new_kinds(struct report_opts *o)
{
	bool notice = o->kind[0] == 'n';

	if (o->selector)
		return app_usage("report %s: unexpected '%s'", o->kind, o->selector);
	if (o->compare_ref)
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

static const char *const group_names[] = {
	[GROUP_UNIT] = "unit",
	[GROUP_FORMER_UNIT] = "former_unit",
	[GROUP_FORMER_PROVINCE] = "former_province",
};

static status parse_group_by(const char *v, enum group_by *out)
{
	size_t i;

	for (i = 0; i < sizeof(group_names) / sizeof(group_names[0]); i++) {
		if (strcmp(v, group_names[i]) == 0) {
			*out = (enum group_by)i;
			return ST_OK;
		}
	}
	app_usage("report: --group-by: unknown value '%s' (unit, former_unit, former_province)", v);
	return ST_INVALID;
}

/* report school --all | --unit U -o DIR. */
static int check_batch(const struct report_opts *o)
{
	if (o->all && o->unit)
		return app_usage("report school: --all or --unit, not both");
	if (o->selector)
		return app_usage("report school: a school id or --%s, not both",
				 o->all ? "all" : "unit");
	if (o->history || o->compare_ref)
		return app_usage("report school --%s: no --history or --compare",
				 o->all ? "all" : "unit");
	if (!o->out || strcmp(o->out, "-") == 0)
		return app_usage("report school --%s: needs -o DIR (one file per school)",
				 o->all ? "all" : "unit");
	return EXIT_OK;
}

/* report review [--school ID | --unit U]. */
static int check_review(const struct report_opts *o)
{
	if (o->selector)
		return app_usage("report review: unexpected '%s' (--school ID or --unit U)",
				 o->selector);
	if (o->compare_ref || o->deadline || o->history || o->all || o->group_by != GROUP_UNIT)
		return app_usage("report review: takes --school or --unit, --run, --format and -o");
	if (o->school && o->unit)
		return app_usage("report review: --school or --unit, not both");
	return EXIT_OK;
}

/* The checks of the kind and of which options go with it. */
static int check_kind(struct report_opts *o)
{
	if (!o->kind)
		return app_usage("report: which report? school ID | unit U | city | adoption | "
				 "ranking | snapshot | notice | review");
	if (strcmp(o->kind, "review") == 0)
		return check_review(o);
	if ((o->school || o->deadline) && strcmp(o->kind, "notice") != 0)
		return app_usage("report: --school and --deadline are for report notice");
	if (strcmp(o->kind, "notice") == 0 || strcmp(o->kind, "snapshot") == 0)
		return parse_new_kinds(o);
	if (o->group_by != GROUP_UNIT && strcmp(o->kind, "city") && strcmp(o->kind, "adoption") &&
	    strcmp(o->kind, "ranking"))
		return app_usage("report %s: --group-by is for city, adoption and ranking",
				 o->kind);
	if ((o->history || o->all || o->unit) && strcmp(o->kind, "school") != 0)
		return app_usage("report %s: --%s is for report school", o->kind,
				 o->history ? "history"
				 : o->all   ? "all"
					    : "unit");
	if (o->all || o->unit)
		return check_batch(o);
	if (o->history && o->compare_ref)
		return app_usage("report school: --history and --compare do not go together");
	if (strcmp(o->kind, "school") == 0 || strcmp(o->kind, "unit") == 0) {
		if (!o->selector)
			return app_usage("report %s: needs %s", o->kind,
					 o->kind[0] == 's' ? "a school id" : "a unit name");
	} else if (strcmp(o->kind, "city") && strcmp(o->kind, "adoption") &&
		   strcmp(o->kind, "ranking")) {
		return app_usage("report: unknown kind '%s' (school, unit, city, adoption, "
				 "ranking, snapshot, notice, review)",
				 o->kind);
	} else if (o->selector) {
		return app_usage("report %s: unexpected '%s'", o->kind, o->selector);
	}
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
		case OPT_GROUP_BY:
			if (parse_group_by(a.val, &o->group_by) < 0)
				return EXIT_USAGE;
			break;
		case OPT_HISTORY:
			o->history = true;
			break;
		case OPT_ALL:
			o->all = true;
			break;
		default:
			break;
		}
	}
	return a.bad ? EXIT_USAGE : check_kind(o);
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

static int cmp_group(const void *a, const void *b)
{
	return strcmp(((const struct school_group *)a)->id, ((const struct school_group *)b)->id);
}

/* Puts each school of l under its group (--group-by former_unit or
 * former_province) instead of its unit, as run's registry has it. */
static status regroup(struct store *s, const struct report_opts *o, int64_t run, struct loaded *l)
{
	struct school_group *g = NULL, key, *hit;
	struct school_info *si;
	size_t ng = 0, i;
	char *name;
	status st;

	if (o->group_by == GROUP_UNIT || (!l->all && !l->portals))
		return ST_OK;
	st = report_queries_groups(s, run, o->group_by, &g, &ng);
	for (i = 0; st == ST_OK && i < l->n; i++) {
		si = l->portals ? &l->portals[i].school : &l->all[i].school;
		key.id = si->id;
		hit = bsearch(&key, g, ng, sizeof(*g), cmp_group);
		/* A school without a recorded former province. */
		name = str_dup(hit && hit->group ? hit->group : "Không rõ");
		if (!name) {
			st = status_set(ST_NOMEM, "out of memory");
			break;
		}
		free(si->unit);
		si->unit = name;
	}
	report_queries_groups_free(g, ng);
	return st;
}

/* Loads run's results for o.  missing_ok: a school absent from the run is
 * not an error (compare: it is "new" or "gone"). */
static status load(struct store *s, const struct report_opts *o, int64_t run, bool missing_ok,
		   struct loaded *l)
{
	status st;

	memset(l, 0, sizeof(*l));
	if ((st = app_report_meta(s, run, &l->h)) < 0)
		return st;
	if (strcmp(o->kind, "adoption") == 0) {
		st = report_queries_portals(s, run, &l->portals, &l->n);
		return st == ST_OK ? regroup(s, o, run, l) : st;
	}
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
	return st == ST_OK ? regroup(s, o, run, l) : st;
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

/* `report school ID --history`: the newest result of every period. */
static status render_history(struct store *s, const struct report_opts *o, enum report_format fmt,
			     FILE *f)
{
	struct school_result *v = NULL;
	struct meta_holder h;
	int64_t *runs = NULL;
	size_t n = 0, i;
	status st;

	memset(&h, 0, sizeof(h));
	st = report_queries_history(s, o->selector, &runs, &n);
	if (st == ST_OK && n == 0)
		st = status_set(ST_NOTFOUND, "school %s has no result in any finished audit run",
				o->selector);
	if (st == ST_OK && !(v = calloc(n, sizeof(*v))))
		st = status_set(ST_NOMEM, "out of memory");
	for (i = 0; st == ST_OK && i < n; i++)
		st = results_load(s, runs[i], o->selector, &v[i]);
	if (st == ST_OK && (st = app_report_meta(s, runs[n - 1], &h)) == ST_OK) {
		h.meta.stop = o->stop;
		st = report_history(f, fmt, &h.meta, v, n);
	}
	app_report_meta_release(&h);
	results_free(v, n);
	free(runs);
	return st;
}

static bool review_selected(const struct report_opts *o, const struct school_info *si)
{
	return (!o->school || (si->id && strcmp(si->id, o->school) == 0)) &&
	       (!o->unit || (si->unit && strcmp(si->unit, o->unit) == 0));
}

/* Open: left for review by the machine, or a decision needs a new one. */
static bool review_open(const void *row, const void *o)
{
	const struct review_row *w = row;

	return (w->f.verdict == VERDICT_REVIEW || w->state == DECISION_OUTDATED) &&
	       review_selected(o, &w->school);
}

static bool trail_selected(const void *row, const void *o)
{
	return review_selected(o, &((const struct decision_row *)row)->school);
}

/* `report review`: the open queue (items the machine left for review and
 * decisions that need a new one) and the decisions of the run's period. */
static status render_review(struct store *s, const struct report_opts *o, enum report_format fmt,
			    int64_t run, FILE *f)
{
	struct review_row *q = NULL;
	struct decision_row *t = NULL;
	struct meta_holder h;
	size_t nq = 0, nt = 0, kq = 0, kt = 0;
	status st = app_report_meta(s, run, &h);

	if (st == ST_OK)
		st = decisions_queue(s, run,
				     VERDICT_BIT(VERDICT_REVIEW) | VERDICT_BIT(VERDICT_MISSING) |
					     VERDICT_BIT(VERDICT_STALE) |
					     VERDICT_BIT(VERDICT_UNREACHABLE),
				     &q, &nq);
	if (st == ST_OK)
		st = decisions_trail(s, h.meta.period ? h.meta.period : "", &t, &nt);
	/* Kept rows move to the front; every row is freed below. */
	if (st == ST_OK) {
		kq = app_keep_rows(q, nq, sizeof(*q), review_open, o);
		kt = app_keep_rows(t, nt, sizeof(*t), trail_selected, o);
	}
	if (st == ST_OK) {
		h.meta.stop = o->stop;
		st = report_review(f, fmt, &h.meta, q, kq, t, kt);
	}
	decisions_queue_free(q, nq);
	decisions_trail_free(t, nt);
	app_report_meta_release(&h);
	return st;
}

static status render(struct store *s, const struct report_opts *o, enum report_format fmt,
		     int64_t run, FILE *f)
{
	struct loaded cur, prev;
	status st;

	if (o->history)
		return render_history(s, o, fmt, f);
	if (strcmp(o->kind, "review") == 0)
		return render_review(s, o, fmt, run, f);
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

/* DIR/ID.EXT for a school; a '/' or a leading '.' of the id becomes '_'. */
static char *batch_path(const char *dir, const char *id, enum report_format fmt)
{
	static const char *const exts[] = {
		[REPORT_TEXT] = "txt", [REPORT_JSON] = "json", [REPORT_HTML] = "html",
		[REPORT_CSV] = "csv",  [REPORT_MD] = "md",     [REPORT_XLSX] = "xlsx",
	};
	const char *ext = exts[fmt];
	size_t n = strlen(dir) + strlen(id) + strlen(ext) + 3, i, base;
	char *p = malloc(n);

	if (!p)
		return NULL;
	snprintf(p, n, "%s/%s.%s", dir, id, ext);
	base = strlen(dir) + 1;
	for (i = base; i < base + strlen(id); i++)
		if (p[i] == '/' || p[i] == '\\' || (i == base && p[i] == '.'))
			p[i] = '_';
	return p;
}

/* `report school --all | --unit U -o DIR`: one file per school of the run,
 * each written whole or not at all. */
static status write_batch(struct store *s, const struct report_opts *o, enum report_format fmt,
			  int64_t run, size_t *written)
{
	struct school_result *all = NULL;
	struct meta_holder h;
	struct report_out_file out;
	size_t n = 0, i;
	char *path;
	status st;

	*written = 0;
	st = app_report_meta(s, run, &h);
	if (st < 0)
		return st;
	h.meta.stop = o->stop;
	st = results_load_all(s, run, o->unit, &all, &n);
	if (st == ST_OK && n == 0)
		st = o->unit ? status_set(ST_NOTFOUND, "no school of unit '%s' in audit run %lld",
					  o->unit, (long long)run)
			     : status_set(ST_NOTFOUND, "no school in audit run %lld",
					  (long long)run);
	if (st == ST_OK && mkdir(o->out, 0777) < 0 && errno != EEXIST)
		st = status_set(ST_IO, "%s: cannot create the directory: %s", o->out,
				strerror(errno));
	for (i = 0; st == ST_OK && i < n; i++) {
		if (!(path = batch_path(o->out, all[i].school.id, fmt))) {
			st = status_set(ST_NOMEM, "out of memory");
			break;
		}
		st = report_out_open(&out, path);
		if (st == ST_OK) {
			st = report_school(out.f, fmt, &h.meta, &all[i]);
			if (st == ST_OK)
				st = report_out_close(&out, true);
			else if (report_out_close(&out, false) < 0)
				log_warn("%s", status_message());
		}
		if (st == ST_IO) {
			char why[512];

			snprintf(why, sizeof(why), "%s", status_message());
			st = status_set(ST_IO, "%s: %s", path, why);
		}
		free(path);
		*written += st == ST_OK;
	}
	results_free(all, n);
	app_report_meta_release(&h);
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
	if (st == ST_OK && (o.all || o.unit)) {
		size_t written = 0;

		st = write_batch(s, &o, fmt, run, &written);
		store_free(s);
		if (st < 0)
			return app_fail(st);
		fprintf(stderr, "report: wrote %zu files to %s\n", written, o.out);
		return EXIT_OK;
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
