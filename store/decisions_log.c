/* Recording decisions, the review queue and the trail (store/decisions.h). */
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/str.h"
#include "store/decisions_int.h"

/* True when s holds something besides spaces. */
static bool filled(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return true;
	return false;
}

status decisions_insert(struct store *s, int64_t run, const char *school_id, const char *item,
			const struct decision_target *t, const struct decision *d, int64_t *id)
{
	sqlite3_stmt *st = NULL, *cache = NULL;
	char *hash = NULL;
	status rc;

	/* The hash the carry-over compares (docs/REVIEW.md): the finding's
	 * evidence page, else the page the reviewer named. */
	rc = decisions_page_hash(s, &cache, t->crawl_run, school_id,
				 t->url ? t->url : d->evidence_url, &hash);
	sqlite3_finalize(cache);
	if (rc == ST_OK)
		rc = store_prepare(
			s, &st,
			"INSERT INTO decisions (period, school_id, item, item_title, run_id,"
			" machine_verdict, machine_url, content_hash, verdict, reason, decided_by, at,"
			" evidence_url, appeal_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,"
			" coalesce(?12, strftime('%Y-%m-%d %H:%M:%S', 'now')),?,?)");
	if (rc == ST_OK) {
		store_bind_text(st, 1, t->period);
		store_bind_text(st, 2, school_id);
		store_bind_text(st, 3, item);
		store_bind_text(st, 4, t->title);
		sqlite3_bind_int64(st, 5, run);
		store_bind_text(st, 6, verdict_str(t->machine));
		store_bind_text(st, 7, t->url);
		store_bind_text(st, 8, hash);
		store_bind_text(st, 9, verdict_str(d->verdict));
		store_bind_text(st, 10, d->reason);
		store_bind_text(st, 11, d->by);
		store_bind_text(st, 12, d->at);
		store_bind_text(st, 13, d->evidence_url);
		if (d->appeal_id)
			sqlite3_bind_int64(st, 14, d->appeal_id);
		else
			sqlite3_bind_null(st, 14);
		rc = store_step_done(s, st);
	}
	if (rc == ST_OK && id)
		*id = sqlite3_last_insert_rowid(store_db(s));
	sqlite3_finalize(st);
	free(hash);
	return rc;
}

status decisions_check(const struct decision *d)
{
	if (d->verdict != VERDICT_PASS && d->verdict != VERDICT_STALE &&
	    d->verdict != VERDICT_MISSING)
		return status_set(ST_INVALID,
				  "a decision's verdict is pass, stale or missing, not %s",
				  verdict_str(d->verdict));
	if (!filled(d->reason))
		return status_set(ST_INVALID, "a decision needs a reason (--reason TEXT)");
	if (!filled(d->by))
		return status_set(ST_INVALID,
				  "a decision needs the name of who made it (--by NAME)");
	return ST_OK;
}

status decisions_add(struct store *s, int64_t run, const char *school_id, const char *item,
		     const struct decision *d, int64_t *id)
{
	struct decision_target t;
	status rc = decisions_check(d);

	if (rc < 0)
		return rc;
	rc = decisions_target(s, run, school_id, item, &t);
	if (rc < 0)
		return rc;
	rc = store_begin(s);
	if (rc == ST_OK) {
		rc = decisions_insert(s, run, school_id, item, &t, d, id);
		if (rc == ST_OK)
			rc = store_commit(s);
		else
			store_rollback(s);
	}
	decisions_target_release(&t);
	return rc;
}

/* A school as the run saw it (store/results.c has the same rule). */
#define RUN_SCHOOL(col) " CASE WHEN rs.school_id IS NULL THEN s." col " ELSE rs." col " END"

static status queue_row(struct store *s, sqlite3_stmt *st, sqlite3_stmt **cache, int64_t run,
			struct review_row *w, bool *keep)
{
	struct decision d;
	int ok = 1;
	bool decided = sqlite3_column_type(st, 21) != SQLITE_NULL;
	status rc;

	memset(w, 0, sizeof(*w));
	memset(&d, 0, sizeof(d));
	w->run_id = run;
	w->school.id = store_column_dup(st, 0, &ok);
	w->school.name = store_column_dup(st, 1, &ok);
	w->school.unit = store_column_dup(st, 2, &ok);
	w->school.level = store_column_dup(st, 3, &ok);
	w->school.ownership = store_column_dup(st, 4, &ok);
	w->school.portal_url = store_column_dup(st, 5, &ok);
	w->crawled_at = store_column_dup(st, 6, &ok);
	w->f.item = store_column_dup(st, 8, &ok);
	w->f.title = store_column_dup(st, 9, &ok);
	w->f.group = store_column_dup(st, 10, &ok);
	w->f.basis = store_column_dup(st, 11, &ok);
	w->f.url = store_column_dup(st, 13, &ok);
	w->f.evidence = store_column_dup(st, 14, &ok);
	w->f.date = store_column_dup(st, 15, &ok);
	w->f.date_source = store_column_dup(st, 16, &ok);
	w->f.period_found = store_column_dup(st, 17, &ok);
	w->f.note = store_column_dup(st, 18, &ok);
	w->f.weight = sqlite3_column_double(st, 19);
	w->period = store_column_dup(st, 20, &ok);
	rc = ok ? verdict_parse((const char *)sqlite3_column_text(st, 12), &w->f.verdict)
		: status_set(ST_NOMEM, "out of memory reading the review queue");
	w->f.machine_verdict = w->f.verdict;
	if (rc == ST_OK && decided)
		rc = decisions_read_row(st, 21, &d);
	if (rc == ST_OK && decided)
		rc = decisions_judge(s, cache, sqlite3_column_int64(st, 7), w->school.id,
				     w->f.verdict, w->f.url, &d,
				     (const char *)sqlite3_column_text(st, 29), &w->state);
	*keep = rc == ST_OK && w->state != DECISION_APPLIED;
	if (*keep && w->state == DECISION_OUTDATED) {
		w->outdated = malloc(sizeof(*w->outdated));
		if (!w->outdated)
			rc = status_set(ST_NOMEM, "out of memory reading the review queue");
		else {
			*w->outdated = d;
			memset(&d, 0, sizeof(d));
		}
	}
	decision_release(&d);
	return rc;
}

static void review_row_release(struct review_row *w)
{
	school_info_release(&w->school);
	free(w->period);
	free(w->crawled_at);
	finding_release(&w->f);
	decision_release(w->outdated);
	free(w->outdated);
	memset(w, 0, sizeof(*w));
}

status decisions_queue(struct store *s, int64_t run, unsigned verdicts, struct review_row **out,
		       size_t *n)
{
	sqlite3_stmt *st = NULL, *cache = NULL;
	struct review_row *v = NULL;
	size_t len = 0, cap = 0;
	int row = SQLITE_DONE;
	status rc;

	*out = NULL;
	*n = 0;
	/* The newest decision on each finding's item rides along, so the
	 * whole queue is one query. */
	rc = store_prepare(
		s, &st,
		"SELECT f.school_id," RUN_SCHOOL("name") "," RUN_SCHOOL("unit") "," RUN_SCHOOL("level") "," RUN_SCHOOL("ownership") "," RUN_SCHOOL(
			"portal_url") ","
				      " c.crawled_at, c.crawl_run, f.item, f.title, f.grp, f.basis, f.verdict, f.url,"
				      " f.evidence, f.date, f.date_source, f.period_found, f.note, f.weight,"
				      " coalesce(r.period, ''), " DECISION_COLS
				      ", d.content_hash FROM findings f"
				      " JOIN runs r ON r.id = f.run_id"
				      " JOIN scores c ON c.run_id = f.run_id AND c.school_id = f.school_id"
				      " JOIN schools s ON s.id = f.school_id"
				      " LEFT JOIN run_schools rs ON rs.run_id = f.run_id AND rs.school_id = f.school_id"
				      " LEFT JOIN decisions d ON d.id = (SELECT max(e.id) FROM decisions e WHERE"
				      " e.period = coalesce(r.period, '') AND e.school_id = f.school_id AND"
				      " e.item = f.item)"
				      " WHERE f.run_id = ?1 ORDER BY c.crawled_at IS NULL, c.crawled_at, f.school_id,"
				      " f.ord");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while (rc == ST_OK && (row = sqlite3_step(st)) == SQLITE_ROW) {
		enum verdict machine;
		bool keep = false;

		if (verdict_parse((const char *)sqlite3_column_text(st, 12), &machine) < 0 ||
		    !(verdicts & VERDICT_BIT(machine)))
			continue;
		if ((rc = ARRAY_GROW(v, len + 1, cap)) < 0)
			break;
		rc = queue_row(s, st, &cache, run, &v[len], &keep);
		if (rc == ST_OK && keep)
			len++;
		else
			review_row_release(&v[len]);
	}
	if (rc == ST_OK && row != SQLITE_DONE)
		rc = store_error(s, "cannot read the review queue");
	sqlite3_finalize(st);
	sqlite3_finalize(cache);
	if (rc < 0) {
		decisions_queue_free(v, len);
		return rc;
	}
	*out = v;
	*n = len;
	return ST_OK;
}

void decisions_queue_free(struct review_row *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		review_row_release(&v[i]);
	free(v);
}

static status trail_row(sqlite3_stmt *st, struct decision_row *w)
{
	int ok = 1;
	status rc;

	memset(w, 0, sizeof(*w));
	rc = decisions_read_row(st, 0, &w->d);
	w->period = store_column_dup(st, 8, &ok);
	w->item = store_column_dup(st, 9, &ok);
	w->item_title = store_column_dup(st, 10, &ok);
	w->machine_url = store_column_dup(st, 11, &ok);
	w->content_hash = store_column_dup(st, 12, &ok);
	w->superseded_by = sqlite3_column_int64(st, 13);
	w->school.id = store_column_dup(st, 14, &ok);
	w->school.name = store_column_dup(st, 15, &ok);
	w->school.unit = store_column_dup(st, 16, &ok);
	w->school.level = store_column_dup(st, 17, &ok);
	w->school.ownership = store_column_dup(st, 18, &ok);
	w->school.portal_url = store_column_dup(st, 19, &ok);
	if (rc == ST_OK && !ok)
		rc = status_set(ST_NOMEM, "out of memory reading the trail");
	return rc;
}

static void decision_row_release(struct decision_row *w)
{
	decision_release(&w->d);
	school_info_release(&w->school);
	free(w->period);
	free(w->item);
	free(w->item_title);
	free(w->machine_url);
	free(w->content_hash);
}

status decisions_trail(struct store *s, const char *period, struct decision_row **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	struct decision_row *v = NULL;
	size_t len = 0, cap = 0;
	int row = SQLITE_DONE;
	status rc;

	*out = NULL;
	*n = 0;
	rc = store_prepare(
		s, &st,
		"SELECT " DECISION_COLS ", d.period, d.item, d.item_title, d.machine_url,"
		" d.content_hash, (SELECT min(e.id) FROM decisions e WHERE e.period = d.period AND"
		" e.school_id = d.school_id AND e.item = d.item AND e.id > d.id), d.school_id,"
		" s.name, s.unit, s.level, s.ownership, s.portal_url FROM decisions d"
		" LEFT JOIN schools s ON s.id = d.school_id WHERE ?1 IS NULL OR d.period = ?1"
		" ORDER BY d.id");
	if (rc < 0)
		return rc;
	store_bind_text(st, 1, period);
	while (rc == ST_OK && (row = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = ARRAY_GROW(v, len + 1, cap)) < 0)
			break;
		rc = trail_row(st, &v[len]);
		len++;
	}
	if (rc == ST_OK && row != SQLITE_DONE)
		rc = store_error(s, "cannot read the trail");
	sqlite3_finalize(st);
	if (rc < 0) {
		decisions_trail_free(v, len);
		return rc;
	}
	*out = v;
	*n = len;
	return ST_OK;
}

void decisions_trail_free(struct decision_row *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		decision_row_release(&v[i]);
	free(v);
}
