/* The one renderer of reports (app/report_render.h): moved out of
 * cmd_report.c so `serve` renders its pages with the same code. */
#include "app/report_render.h"

#include "app/app.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "reports/review.h"
#include "store/decisions.h"
#include "store/report_queries.h"
#include "store/results.h"
#include "web/web.h"

/* ---- the meta of finished audit runs, shared by the process ----
 * A finished run's meta (weights: a GROUP BY over every finding of the
 * run; provenance: min/max fetch time over its crawl's pages; bands) never
 * changes (runs are never deleted), so it is loaded once per run and
 * shared, read only, by every renderer on every thread.  An entry is
 * reference counted: one evicted while in use is freed by its last user.
 * A run not finished is loaded for the one caller and not kept. */
#define META_CACHE_MAX 8

struct meta_ref {
	struct meta_holder h;
	int64_t run;
	unsigned refs;      /* users, plus one while in the cache */
	unsigned long used; /* the tick of the last use, for LRU */
};

static pthread_mutex_t meta_mu = PTHREAD_MUTEX_INITIALIZER;
static struct meta_ref *meta_cache[META_CACHE_MAX];
static unsigned long meta_tick;

static void meta_unref(struct meta_ref *m)
{
	bool last;

	if (!m)
		return;
	pthread_mutex_lock(&meta_mu);
	last = --m->refs == 0;
	pthread_mutex_unlock(&meta_mu);
	if (last) {
		app_report_meta_release(&m->h);
		free(m);
	}
}

/* The cached entry of run, referenced, or NULL. */
static struct meta_ref *meta_find(int64_t run)
{
	struct meta_ref *hit = NULL;
	size_t i;

	pthread_mutex_lock(&meta_mu);
	for (i = 0; i < META_CACHE_MAX && !hit; i++) {
		if (meta_cache[i] && meta_cache[i]->run == run) {
			hit = meta_cache[i];
			hit->refs++;
			hit->used = ++meta_tick;
		}
	}
	pthread_mutex_unlock(&meta_mu);
	return hit;
}

/* Keeps m (a finished run's) in the cache in place of the least recently
 * used entry, unless another thread cached the run meanwhile. */
static void meta_keep(struct meta_ref *m)
{
	struct meta_ref *old = NULL;
	size_t i, victim = 0;

	pthread_mutex_lock(&meta_mu);
	for (i = 0; i < META_CACHE_MAX; i++) {
		if (meta_cache[i] && meta_cache[i]->run == m->run) {
			pthread_mutex_unlock(&meta_mu);
			return;
		}
		if (!meta_cache[i] ||
		    (meta_cache[victim] && meta_cache[i]->used < meta_cache[victim]->used))
			victim = i;
	}
	old = meta_cache[victim];
	m->refs++;
	m->used = ++meta_tick;
	meta_cache[victim] = m;
	pthread_mutex_unlock(&meta_mu);
	meta_unref(old);
}

/* The meta of audit run `run`, referenced: release with meta_unref. */
static status meta_get(struct store *s, int64_t run, struct meta_ref **out)
{
	struct meta_ref *m = meta_find(run);
	status st;

	*out = NULL;
	if (m) {
		*out = m;
		return ST_OK;
	}
	if (!(m = calloc(1, sizeof(*m))))
		return status_set(ST_NOMEM, "out of memory");
	if ((st = app_report_meta(s, run, &m->h)) < 0) {
		free(m);
		return st;
	}
	m->run = run;
	m->refs = 1;
	if (m->h.run.state && strcmp(m->h.run.state, "done") == 0)
		meta_keep(m);
	*out = m;
	return ST_OK;
}

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
	if ((st = meta_get(s, run, &l->ref)) < 0)
		return st;
	l->h.meta = l->ref->h.meta;
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
	meta_unref(l->ref);
	memset(l, 0, sizeof(*l));
}

const struct school_result *report_loaded_results(const struct report_loaded *l)
{
	return l->has_one ? &l->one : l->all;
}

/* `report school ID --history`: the newest result of every period. */
/* The newest result of every period of school id, oldest first, and the
 * meta of the newest run (referenced). */
static status history_load(struct store *s, const char *id, struct school_result **out,
			   size_t *nout, struct meta_ref **m)
{
	struct school_result *v = NULL;
	int64_t *runs = NULL;
	size_t n = 0, i;
	status st;

	*out = NULL;
	*nout = 0;
	*m = NULL;
	st = report_queries_history(s, id, &runs, &n);
	if (st == ST_OK && n == 0)
		st = status_set(ST_NOTFOUND, "school %s has no result in any finished audit run",
				id);
	if (st == ST_OK && !(v = calloc(n, sizeof(*v))))
		st = status_set(ST_NOMEM, "out of memory");
	for (i = 0; st == ST_OK && i < n; i++)
		st = results_load(s, runs[i], id, &v[i]);
	if (st == ST_OK)
		st = meta_get(s, runs[n - 1], m);
	free(runs);
	if (st < 0) {
		results_free(v, v ? n : 0);
		return st;
	}
	*out = v;
	*nout = n;
	return ST_OK;
}

static status render_history(struct store *s, const struct report_request *rq, FILE *f)
{
	struct school_result *v = NULL;
	struct meta_ref *m = NULL;
	struct report_meta meta;
	size_t n = 0;
	status st = history_load(s, rq->selector, &v, &n, &m);

	if (st == ST_OK) {
		meta = m->h.meta;
		meta.stop = rq->stop;
		meta.links = rq->links;
		st = report_history(f, rq->fmt, &meta, v, n);
	}
	meta_unref(m);
	results_free(v, n);
	return st;
}

/* Writes a report into a malloc'd string. */
static status to_string(char **doc, size_t *len, const struct report_meta *m,
			const struct school_result *v, size_t n, bool history)
{
	FILE *f = open_memstream(doc, len);
	status st;

	if (!f)
		return status_set(ST_NOMEM, "out of memory");
	st = history ? report_history(f, REPORT_HTML, m, v, n)
		     : report_school(f, REPORT_HTML, m, &v[n - 1]);
	if (fclose(f) != 0 && st == ST_OK)
		st = status_set(ST_IO, "cannot write a report");
	return st;
}

status report_render_school_page(struct store *s, const char *id, const volatile sig_atomic_t *stop,
				 struct web_school_page *out)
{
	struct school_result *v = NULL;
	struct meta_ref *m = NULL;
	struct report_meta meta;
	size_t n = 0;
	status st = history_load(s, id, &v, &n, &m);

	memset(out, 0, sizeof(*out));
	if (st == ST_NOTFOUND)
		st = status_set(ST_NOTFOUND, "Trường %s chưa có kết quả đánh giá nào.", id);
	if (st == ST_OK) {
		meta = m->h.meta;
		meta.stop = stop;
		meta.links = "/";
		out->run = m->run;
		st = to_string(&out->doc, &out->ndoc, &meta, v, n, false);
	}
	if (st == ST_OK)
		st = to_string(&out->history, &out->nhistory, &meta, v, n, true);
	if (st == ST_OK) {
		out->result = v[n - 1];
		memset(&v[n - 1], 0, sizeof(v[n - 1]));
	} else {
		free(out->doc);
		free(out->history);
		memset(out, 0, sizeof(*out));
	}
	meta_unref(m);
	results_free(v, n);
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
	struct meta_ref *m = NULL;
	struct report_meta meta;
	size_t nq = 0, nt = 0, kq = 0, kt = 0;
	status st = meta_get(s, rq->run, &m);

	if (st == ST_OK)
		st = decisions_queue(s, rq->run,
				     VERDICT_BIT(VERDICT_REVIEW) | VERDICT_BIT(VERDICT_MISSING) |
					     VERDICT_BIT(VERDICT_STALE) |
					     VERDICT_BIT(VERDICT_UNREACHABLE),
				     &q, &nq);
	if (st == ST_OK)
		st = decisions_trail(s, m->h.meta.period ? m->h.meta.period : "", &t, &nt);
	/* Kept rows move to the front; every row is freed below. */
	if (st == ST_OK) {
		kq = app_keep_rows(q, nq, sizeof(*q), review_open, rq);
		kt = app_keep_rows(t, nt, sizeof(*t), trail_selected, rq);
	}
	if (st == ST_OK) {
		meta = m->h.meta;
		meta.stop = rq->stop;
		st = report_review(f, rq->fmt, &meta, q, kq, t, kt);
	}
	decisions_queue_free(q, nq);
	decisions_trail_free(t, nt);
	meta_unref(m);
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
