/* The one renderer of reports (app/report_render.h): moved out of
 * cmd_report.c so `serve` renders its pages with the same code. */
#include "app/report_render.h"

#include "app/app.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "reports/review.h"
#include "store/decisions.h"
#include "store/report_queries.h"
#include "store/results.h"

static int cmp_group(const void *a, const void *b)
{
	return strcmp(((const struct school_group *)a)->id, ((const struct school_group *)b)->id);
}

/* Puts each school of l under its group (--group-by former_unit or
 * former_province) instead of its unit, as run's registry has it. */
static status regroup(struct store *s, const struct report_request *rq, int64_t run,
		      struct report_loaded *l)
{
	struct school_group *g = NULL, key, *hit;
	struct school_info *si;
	size_t ng = 0, i;
	char *name;
	status st;

	if (rq->group_by == GROUP_UNIT || (!l->all && !l->portals))
		return ST_OK;
	st = report_queries_groups(s, run, rq->group_by, &g, &ng);
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

/* Keeps only the portals of schools of unit u (a dashboard unit officer's
 * adoption table). */
static void keep_unit(struct report_loaded *l, const char *u)
{
	size_t i, k = 0;

	for (i = 0; i < l->n; i++) {
		if (l->portals[i].school.unit && strcmp(l->portals[i].school.unit, u) == 0)
			l->portals[k++] = l->portals[i];
		else {
			school_info_release(&l->portals[i].school);
			free(l->portals[i].reason);
		}
	}
	l->n = k;
}

/* Loads run's results for rq.  missing_ok: a school absent from the run is
 * not an error (compare: it is "new" or "gone"). */
static status load(struct store *s, const struct report_request *rq, int64_t run, bool missing_ok,
		   struct report_loaded *l)
{
	const char *unit;
	status st;

	memset(l, 0, sizeof(*l));
	if ((st = app_report_meta(s, run, &l->h)) < 0)
		return st;
	if (strcmp(rq->kind, "adoption") == 0) {
		st = report_queries_portals(s, run, &l->portals, &l->n);
		if (st == ST_OK && rq->only_unit)
			keep_unit(l, rq->only_unit);
		return st == ST_OK ? regroup(s, rq, run, l) : st;
	}
	if (strcmp(rq->kind, "school") == 0) {
		st = results_load(s, run, rq->selector, &l->one);
		l->has_one = st == ST_OK;
		l->n = l->has_one;
		return st == ST_NOTFOUND && missing_ok ? ST_OK : st;
	}
	unit = strcmp(rq->kind, "unit") == 0 ? rq->selector : rq->only_unit;
	st = results_load_all(s, run, unit, &l->all, &l->n);
	if (st == ST_OK && l->n == 0 && strcmp(rq->kind, "unit") == 0 && !missing_ok)
		st = status_set(ST_NOTFOUND, "no school of unit '%s' in audit run %lld",
				rq->selector, (long long)run);
	return st == ST_OK ? regroup(s, rq, run, l) : st;
}

void report_loaded_release(struct report_loaded *l)
{
	if (l->has_one)
		school_result_release(&l->one);
	results_free(l->all, l->all ? l->n : 0);
	report_queries_portals_free(l->portals, l->portals ? l->n : 0);
	app_report_meta_release(&l->h);
	memset(l, 0, sizeof(*l));
}

const struct school_result *report_loaded_results(const struct report_loaded *l)
{
	return l->has_one ? &l->one : l->all;
}

/* `report school ID --history`: the newest result of every period. */
static status render_history(struct store *s, const struct report_request *rq, FILE *f)
{
	struct school_result *v = NULL;
	struct meta_holder h;
	int64_t *runs = NULL;
	size_t n = 0, i;
	status st;

	memset(&h, 0, sizeof(h));
	st = report_queries_history(s, rq->selector, &runs, &n);
	if (st == ST_OK && n == 0)
		st = status_set(ST_NOTFOUND, "school %s has no result in any finished audit run",
				rq->selector);
	if (st == ST_OK && !(v = calloc(n, sizeof(*v))))
		st = status_set(ST_NOMEM, "out of memory");
	for (i = 0; st == ST_OK && i < n; i++)
		st = results_load(s, runs[i], rq->selector, &v[i]);
	if (st == ST_OK && (st = app_report_meta(s, runs[n - 1], &h)) == ST_OK) {
		h.meta.stop = rq->stop;
		h.meta.links = rq->links;
		st = report_history(f, rq->fmt, &h.meta, v, n);
	}
	app_report_meta_release(&h);
	results_free(v, n);
	free(runs);
	return st;
}

static bool review_selected(const struct report_request *rq, const struct school_info *si)
{
	return (!rq->selector || (si->id && strcmp(si->id, rq->selector) == 0)) &&
	       (!rq->only_unit || (si->unit && strcmp(si->unit, rq->only_unit) == 0));
}

/* Open: left for review by the machine, or a decision needs a new one. */
static bool review_open(const void *row, const void *rq)
{
	const struct review_row *w = row;

	return (w->f.verdict == VERDICT_REVIEW || w->state == DECISION_OUTDATED) &&
	       review_selected(rq, &w->school);
}

static bool trail_selected(const void *row, const void *rq)
{
	return review_selected(rq, &((const struct decision_row *)row)->school);
}

/* `report review`: the open queue (items the machine left for review and
 * decisions that need a new one) and the decisions of the run's period. */
static status render_review(struct store *s, const struct report_request *rq, FILE *f)
{
	struct review_row *q = NULL;
	struct decision_row *t = NULL;
	struct meta_holder h;
	size_t nq = 0, nt = 0, kq = 0, kt = 0;
	status st = app_report_meta(s, rq->run, &h);

	if (st == ST_OK)
		st = decisions_queue(s, rq->run,
				     VERDICT_BIT(VERDICT_REVIEW) | VERDICT_BIT(VERDICT_MISSING) |
					     VERDICT_BIT(VERDICT_STALE) |
					     VERDICT_BIT(VERDICT_UNREACHABLE),
				     &q, &nq);
	if (st == ST_OK)
		st = decisions_trail(s, h.meta.period ? h.meta.period : "", &t, &nt);
	/* Kept rows move to the front; every row is freed below. */
	if (st == ST_OK) {
		kq = app_keep_rows(q, nq, sizeof(*q), review_open, rq);
		kt = app_keep_rows(t, nt, sizeof(*t), trail_selected, rq);
	}
	if (st == ST_OK) {
		h.meta.stop = rq->stop;
		st = report_review(f, rq->fmt, &h.meta, q, kq, t, kt);
	}
	decisions_queue_free(q, nq);
	decisions_trail_free(t, nt);
	app_report_meta_release(&h);
	return st;
}

status report_render(struct store *s, const struct report_request *rq, FILE *f)
{
	struct report_loaded cur, prev;
	int64_t run = rq->run;
	status st;

	if (rq->history)
		return render_history(s, rq, f);
	if (strcmp(rq->kind, "review") == 0)
		return render_review(s, rq, f);
	memset(&prev, 0, sizeof(prev));
	st = load(s, rq, run, rq->compare != 0, &cur);
	if (st == ST_OK && rq->compare)
		st = load(s, rq, rq->compare, true, &prev);
	/* Writers stop at the next chunk once a signal sets rq->stop. */
	cur.h.meta.stop = prev.h.meta.stop = rq->stop;
	cur.h.meta.links = prev.h.meta.links = rq->links;
	if (st == ST_OK && rq->stop && *rq->stop)
		st = status_set(ST_INTERRUPTED, "report interrupted");
	if (st == ST_OK && rq->compare && strcmp(rq->kind, "school") == 0 && !cur.n && !prev.n)
		st = status_set(ST_NOTFOUND, "school %s has no result in audit run %lld nor %lld",
				rq->selector, (long long)run, (long long)rq->compare);
	if (st < 0)
		goto out;
	if (strcmp(rq->kind, "adoption") == 0 && rq->compare)
		st = report_adoption_compare(f, rq->fmt, &cur.h.meta, cur.portals, cur.n,
					     &prev.h.meta, prev.portals, prev.n);
	else if (strcmp(rq->kind, "adoption") == 0)
		st = report_adoption(f, rq->fmt, &cur.h.meta, cur.portals, cur.n);
	else if (rq->compare)
		st = report_compare(f, rq->fmt, rq->kind, rq->selector, &cur.h.meta,
				    report_loaded_results(&cur), cur.n, &prev.h.meta,
				    report_loaded_results(&prev), prev.n);
	else if (cur.has_one)
		st = report_school(f, rq->fmt, &cur.h.meta, &cur.one);
	else
		st = report_schools(f, rq->fmt, rq->kind, rq->selector, &cur.h.meta, cur.all,
				    cur.n);
out:
	report_loaded_release(&cur);
	report_loaded_release(&prev);
	return st;
}
