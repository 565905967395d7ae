/* Decisions: how a person's decision turns a machine verdict into the
 * final one (docs/REVIEW.md).  The rule of carry-over lives in judge():
 * a decision applies while the machine verdict it was made on and the
 * content hash of the evidence page are what the audit now has. */
#include "store/decisions.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/score.h"
#include "core/str.h"
#include "store/decisions_int.h"
#include "store/runs.h"

/* The newest decision on one (school, item) of a period. */
struct newest {
	char *school_id, *item, *content_hash;
	struct decision d;
};

static void newest_free(struct newest *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].school_id);
		free(v[i].item);
		free(v[i].content_hash);
		decision_release(&v[i].d);
	}
	free(v);
}

status decisions_read_row(sqlite3_stmt *st, int col, struct decision *d)
{
	int ok = 1;
	status rc;

	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(st, col);
	rc = verdict_parse((const char *)sqlite3_column_text(st, col + 1), &d->verdict);
	if (rc == ST_OK)
		rc = verdict_parse((const char *)sqlite3_column_text(st, col + 2), &d->machine);
	d->reason = store_column_dup(st, col + 3, &ok);
	d->by = store_column_dup(st, col + 4, &ok);
	d->at = store_column_dup(st, col + 5, &ok);
	d->evidence_url = store_column_dup(st, col + 6, &ok);
	d->appeal_id = sqlite3_column_int64(st, col + 7);
	if (rc == ST_OK && !ok)
		rc = status_set(ST_NOMEM, "out of memory reading decisions");
	if (rc < 0)
		decision_release(d);
	return rc;
}

/* The newest decision of every (school, item) of `period` (of one school
 * when school_id is not NULL), by school id then item. */
static status load_newest(struct store *s, const char *period, const char *school_id,
			  struct newest **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	struct newest *v = NULL;
	size_t len = 0, cap = 0;
	int row = SQLITE_DONE, ok = 1;
	status rc;

	*out = NULL;
	*n = 0;
	rc = store_prepare(
		s, &st,
		"SELECT d.school_id, d.item, d.content_hash, " DECISION_COLS " FROM decisions d"
		" WHERE d.period = ?1 AND (?2 IS NULL OR d.school_id = ?2) AND d.id = (SELECT"
		" max(e.id) FROM decisions e WHERE e.period = d.period AND e.school_id ="
		" d.school_id AND e.item = d.item) ORDER BY d.school_id, d.item");
	if (rc < 0)
		return rc;
	store_bind_text(st, 1, period ? period : "");
	store_bind_text(st, 2, school_id);
	while (rc == ST_OK && (row = sqlite3_step(st)) == SQLITE_ROW) {
		struct newest *w;

		if ((rc = ARRAY_GROW(v, len + 1, cap)) < 0)
			break;
		w = &v[len];
		memset(w, 0, sizeof(*w));
		rc = decisions_read_row(st, 3, &w->d);
		if (rc < 0)
			break;
		len++;
		w->school_id = store_column_dup(st, 0, &ok);
		w->item = store_column_dup(st, 1, &ok);
		w->content_hash = store_column_dup(st, 2, &ok);
		if (!ok)
			rc = status_set(ST_NOMEM, "out of memory reading decisions");
	}
	if (rc == ST_OK && row != SQLITE_DONE)
		rc = store_error(s, "cannot read decisions");
	sqlite3_finalize(st);
	if (rc < 0) {
		newest_free(v, len);
		return rc;
	}
	*out = v;
	*n = len;
	return ST_OK;
}

/* The first decision of school_id in v (sorted by school id), or NULL. */
static const struct newest *find_school(const struct newest *v, size_t n, const char *school_id,
					size_t *count)
{
	size_t lo = 0, hi = n, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(v[mid].school_id, school_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < n && strcmp(v[lo].school_id, school_id) == 0)
		lo++;
	*count = lo - first;
	return *count ? &v[first] : NULL;
}

status decisions_page_hash(struct store *s, sqlite3_stmt **cache, int64_t crawl_run,
			   const char *school_id, const char *url, char **hash)
{
	int row, ok = 1;
	status rc = ST_OK;

	*hash = NULL;
	if (!url || !crawl_run)
		return ST_OK;
	if (!*cache)
		rc = store_prepare(
			s, cache,
			"SELECT content_hash FROM pages WHERE run_id = ?1 AND school_id = ?2 AND"
			" (requested_url = ?3 OR final_url = ?3) ORDER BY requested_url = ?3 DESC,"
			" id LIMIT 1");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(*cache, 1, crawl_run);
	store_bind_text(*cache, 2, school_id);
	store_bind_text(*cache, 3, url);
	row = sqlite3_step(*cache);
	if (row == SQLITE_ROW)
		*hash = store_column_dup(*cache, 0, &ok);
	else if (row != SQLITE_DONE)
		rc = store_error(s, "cannot read a page's content hash");
	sqlite3_reset(*cache);
	if (rc == ST_OK && !ok)
		rc = status_set(ST_NOMEM, "out of memory reading a content hash");
	return rc;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

status decisions_judge(struct store *s, sqlite3_stmt **cache, int64_t crawl_run,
		       const char *school_id, enum verdict machine, const char *url,
		       const struct decision *d, const char *content_hash,
		       enum decision_state *state)
{
	char *hash = NULL;
	status rc;

	*state = DECISION_NONE;
	if (!d)
		return ST_OK;
	if (d->machine != machine) {
		*state = DECISION_OUTDATED;
		return ST_OK;
	}
	/* The evidence page: the finding's own, else the one the reviewer
	 * named (a "missing" finding has no URL). */
	rc = decisions_page_hash(s, cache, crawl_run, school_id, url ? url : d->evidence_url,
				 &hash);
	if (rc == ST_OK)
		*state = same_str(hash, content_hash) ? DECISION_APPLIED : DECISION_OUTDATED;
	free(hash);
	return rc;
}

static status copy_decision(const struct decision *d, struct decision **out)
{
	struct decision *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return status_set(ST_NOMEM, "out of memory copying a decision");
	*c = *d;
	c->reason = str_dup(d->reason);
	c->by = str_dup(d->by);
	c->at = str_dup(d->at);
	c->evidence_url = str_dup(d->evidence_url);
	if ((d->reason && !c->reason) || (d->by && !c->by) || (d->at && !c->at) ||
	    (d->evidence_url && !c->evidence_url)) {
		decision_release(c);
		free(c);
		return status_set(ST_NOMEM, "out of memory copying a decision");
	}
	*out = c;
	return ST_OK;
}

/* The decision on item among a school's newest decisions, or NULL. */
static const struct newest *find_item(const struct newest *v, size_t n, const char *item)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].item, item) == 0)
			return &v[i];
	return NULL;
}

/* Re-scores r from its final verdicts, keeping the audit's as machine_*. */
static status rescore(struct school_result *r, const struct run_info *ri)
{
	struct rating_band bands[16];
	struct score_result sc;
	size_t nb = ri->nbands < 16 ? ri->nbands : 16;
	char *rating;

	for (size_t i = 0; i < nb; i++) {
		bands[i].rating = ri->bands[i].rating;
		bands[i].min = ri->bands[i].min;
	}
	score_compute(r->findings, r->nfindings, ri->scored ? ri->stale_credit : 0.5, bands, nb,
		      &sc);
	rating = sc.rating ? str_dup(sc.rating) : NULL;
	if (sc.rating && !rating)
		return status_set(ST_NOMEM, "out of memory scoring decisions");
	r->machine_has_score = r->has_score;
	r->machine_score = r->score;
	r->machine_rating = r->rating;
	r->has_score = sc.has_score;
	r->score = sc.score;
	r->rating = rating;
	return ST_OK;
}

/* Applies the school's newest decisions v[0..n) to r. */
static status apply_one(struct store *s, sqlite3_stmt **cache, struct school_result *r,
			const struct newest *v, size_t n)
{
	status rc = ST_OK;

	r->ndecided = 0;
	for (size_t i = 0; rc == ST_OK && i < r->nfindings; i++) {
		struct finding *f = &r->findings[i];
		const struct newest *w = v ? find_item(v, n, f->item) : NULL;

		f->machine_verdict = f->verdict;
		f->decision_state = DECISION_NONE;
		if (!w)
			continue;
		rc = decisions_judge(s, cache, r->crawl_run_id, r->school.id, f->verdict, f->url,
				     &w->d, w->content_hash, &f->decision_state);
		if (rc == ST_OK)
			rc = copy_decision(&w->d, &f->decision);
		if (rc == ST_OK && f->decision_state == DECISION_APPLIED) {
			f->verdict = w->d.verdict;
			r->ndecided++;
		}
	}
	return rc;
}

status decisions_apply_all(struct store *s, struct school_result *v, size_t n)
{
	struct newest *dec = NULL;
	struct run_info ri = {0};
	sqlite3_stmt *cache = NULL;
	size_t ndec = 0, i;
	const char *period = NULL;
	status rc = ST_OK;

	for (i = 0; rc == ST_OK && i < n; i++) {
		struct school_result *r = &v[i];
		const struct newest *mine;
		size_t nmine = 0;

		/* One query per period (a run's schools share it). */
		if (i == 0 || !same_str(period, r->period)) {
			newest_free(dec, ndec);
			dec = NULL;
			ndec = 0;
			period = r->period;
			rc = load_newest(s, period, n == 1 ? r->school.id : NULL, &dec, &ndec);
			if (rc < 0)
				break;
		}
		mine = find_school(dec, ndec, r->school.id, &nmine);
		rc = apply_one(s, &cache, r, mine, nmine);
		if (rc < 0 || r->ndecided == 0)
			continue;
		if (ri.id != r->run_id) {
			runs_info_release(&ri);
			rc = runs_get(s, r->run_id, &ri);
		}
		if (rc == ST_OK)
			rc = rescore(r, &ri);
	}
	sqlite3_finalize(cache);
	runs_info_release(&ri);
	newest_free(dec, ndec);
	return rc;
}

status decisions_apply(struct store *s, struct school_result *r)
{
	return decisions_apply_all(s, r, 1);
}

void decisions_target_release(struct decision_target *t)
{
	if (!t)
		return;
	free(t->period);
	free(t->url);
	free(t->title);
	memset(t, 0, sizeof(*t));
}

/* Why run has no finding on item for school_id: an unknown school, no
 * result in the run, an unknown item, or one that does not apply. */
static status no_target(struct store *s, sqlite3_stmt *st, int64_t run, const char *school_id,
			const char *item)
{
	sqlite3_stmt *q = NULL;
	status rc;
	int known_item = 0;

	if (sqlite3_column_type(st, 5) == SQLITE_NULL)
		return status_set(ST_NOTFOUND, "unknown school '%s'", school_id);
	if (sqlite3_column_type(st, 6) == SQLITE_NULL)
		return status_set(ST_NOTFOUND, "school %s has no result in audit run %lld",
				  school_id, (long long)run);
	rc = store_prepare(s, &q, "SELECT 1 FROM findings WHERE run_id = ? AND item = ? LIMIT 1");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(q, 1, run);
	store_bind_text(q, 2, item);
	known_item = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	if (!known_item)
		return status_set(ST_NOTFOUND,
				  "unknown item '%s' (audit run %lld has no such item)", item,
				  (long long)run);
	return status_set(ST_INVALID, "item %s does not apply to school %s in audit run %lld", item,
			  school_id, (long long)run);
}

/* The final verdict of t's finding, after the newest decision on it. */
static status target_final(struct store *s, const char *school_id, const char *item,
			   struct decision_target *t)
{
	struct newest *v = NULL;
	const struct newest *w;
	sqlite3_stmt *cache = NULL;
	enum decision_state state = DECISION_NONE;
	size_t n = 0;
	status rc = load_newest(s, t->period, school_id, &v, &n);

	t->final = t->machine;
	w = rc == ST_OK ? find_item(v, n, item) : NULL;
	if (w)
		rc = decisions_judge(s, &cache, t->crawl_run, school_id, t->machine, t->url, &w->d,
				     w->content_hash, &state);
	if (rc == ST_OK && state == DECISION_APPLIED)
		t->final = w->d.verdict;
	sqlite3_finalize(cache);
	newest_free(v, n);
	return rc;
}

status decisions_target(struct store *s, int64_t run, const char *school_id, const char *item,
			struct decision_target *t)
{
	sqlite3_stmt *st = NULL;
	int row, ok = 1;
	status rc;

	memset(t, 0, sizeof(*t));
	rc = store_prepare(
		s, &st,
		"SELECT coalesce(r.period, ''), c.crawl_run, f.verdict, f.url, f.title,"
		" (SELECT 1 FROM schools WHERE id = ?2), c.school_id FROM runs r"
		" LEFT JOIN scores c ON c.run_id = r.id AND c.school_id = ?2"
		" LEFT JOIN findings f ON f.run_id = r.id AND f.school_id = ?2 AND f.item = ?3"
		" WHERE r.id = ?1 AND r.kind = 'audit' ORDER BY f.ord LIMIT 1");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	store_bind_text(st, 2, school_id);
	store_bind_text(st, 3, item);
	row = sqlite3_step(st);
	if (row == SQLITE_DONE)
		rc = status_set(ST_NOTFOUND, "there is no audit run %lld", (long long)run);
	else if (row != SQLITE_ROW)
		rc = store_error(s, "cannot read findings");
	else if (sqlite3_column_type(st, 2) == SQLITE_NULL)
		rc = no_target(s, st, run, school_id, item);
	else {
		t->period = store_column_dup(st, 0, &ok);
		t->crawl_run = sqlite3_column_int64(st, 1);
		t->url = store_column_dup(st, 3, &ok);
		t->title = store_column_dup(st, 4, &ok);
		rc = verdict_parse((const char *)sqlite3_column_text(st, 2), &t->machine);
		if (rc == ST_OK && !ok)
			rc = status_set(ST_NOMEM, "out of memory reading a finding");
	}
	sqlite3_finalize(st);
	if (rc == ST_OK)
		rc = target_final(s, school_id, item, t);
	if (rc < 0)
		decisions_target_release(t);
	return rc;
}
