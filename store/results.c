#include "store/results.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/str.h"
#include "store/decisions.h"
#include "store/runs.h"

static status delete_school(struct store *s, int64_t run_id, const char *school_id)
{
	static const char *const sql[] = {
		"DELETE FROM findings WHERE run_id = ? AND school_id = ?",
		"DELETE FROM scores WHERE run_id = ? AND school_id = ?",
	};
	status st = ST_OK;
	size_t i;

	for (i = 0; i < 2 && st == ST_OK; i++) {
		sqlite3_stmt *stmt = NULL;

		st = store_prepare(s, &stmt, sql[i]);
		if (st < 0)
			break;
		sqlite3_bind_int64(stmt, 1, run_id);
		store_bind_text(stmt, 2, school_id);
		st = store_step_done(s, stmt);
		sqlite3_finalize(stmt);
	}
	return st;
}

/* The items' requirement and remedy, once per run and item. */
static status put_texts(struct store *s, int64_t run_id, const struct school_result *r)
{
	sqlite3_stmt *stmt = NULL;
	status st =
		store_prepare(s, &stmt,
			      "INSERT OR IGNORE INTO item_texts (run_id, item, requirement, remedy)"
			      " VALUES (?,?,?,?)");

	for (size_t i = 0; st == ST_OK && i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		if (!f->requirement && !f->remedy)
			continue;
		sqlite3_bind_int64(stmt, 1, run_id);
		store_bind_text(stmt, 2, f->item);
		store_bind_text(stmt, 3, f->requirement);
		store_bind_text(stmt, 4, f->remedy);
		st = store_step_done(s, stmt);
	}
	sqlite3_finalize(stmt);
	return st;
}

static status put_findings(struct store *s, int64_t run_id, const struct school_result *r)
{
	sqlite3_stmt *stmt = NULL;
	status st;
	size_t i;

	st = store_prepare(s, &stmt,
			   "INSERT INTO findings (run_id, school_id, ord, item, title, grp, basis,"
			   " verdict, url, evidence, date, date_source, period_found, note, weight)"
			   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	for (i = 0; st == ST_OK && i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		sqlite3_bind_int64(stmt, 1, run_id);
		store_bind_text(stmt, 2, r->school.id);
		sqlite3_bind_int64(stmt, 3, (sqlite3_int64)i);
		store_bind_text(stmt, 4, f->item);
		store_bind_text(stmt, 5, f->title);
		store_bind_text(stmt, 6, f->group);
		store_bind_text(stmt, 7, f->basis);
		store_bind_text(stmt, 8, verdict_str(f->verdict));
		store_bind_text(stmt, 9, f->url);
		store_bind_text(stmt, 10, f->evidence);
		store_bind_text(stmt, 11, f->date);
		store_bind_text(stmt, 12, f->date_source);
		store_bind_text(stmt, 13, f->period_found);
		store_bind_text(stmt, 14, f->note);
		sqlite3_bind_double(stmt, 15, f->weight);
		st = store_step_done(s, stmt);
	}
	sqlite3_finalize(stmt);
	return st == ST_OK ? put_texts(s, run_id, r) : st;
}

status results_put(struct store *s, int64_t run_id, const struct school_result *r)
{
	sqlite3_stmt *stmt = NULL;
	status st = delete_school(s, run_id, r->school.id);

	if (st == ST_OK)
		st = put_findings(s, run_id, r);
	if (st == ST_OK)
		st = store_prepare(
			s, &stmt,
			"INSERT INTO scores (run_id, school_id, score, rating, reachable,"
			" reason, pages, errors, crawl_run, crawled_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run_id);
	store_bind_text(stmt, 2, r->school.id);
	if (r->has_score)
		sqlite3_bind_double(stmt, 3, r->score);
	else
		sqlite3_bind_null(stmt, 3);
	store_bind_text(stmt, 4, r->rating);
	sqlite3_bind_int(stmt, 5, r->reachable);
	store_bind_text(stmt, 6, r->unreachable_reason);
	sqlite3_bind_int(stmt, 7, r->pages);
	sqlite3_bind_int(stmt, 8, r->errors);
	if (r->crawl_run_id)
		sqlite3_bind_int64(stmt, 9, r->crawl_run_id);
	else
		sqlite3_bind_null(stmt, 9);
	store_bind_text(stmt, 10, r->crawled_at);
	st = store_step_done(s, stmt);
	sqlite3_finalize(stmt);
	return st;
}

static status load_findings(struct store *s, int64_t run_id, struct school_result *r)
{
	sqlite3_stmt *stmt = NULL;
	status st;
	int row, ok = 1;

	st = store_prepare(
		s, &stmt,
		"SELECT f.item, title, grp, basis, verdict, url, evidence, date, date_source,"
		" period_found, note, weight, t.requirement, t.remedy FROM findings f"
		" LEFT JOIN item_texts t ON t.run_id = f.run_id AND t.item = f.item"
		" WHERE f.run_id = ? AND f.school_id = ? ORDER BY ord");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run_id);
	store_bind_text(stmt, 2, r->school.id);
	while (st == ST_OK && (row = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct finding f;

		memset(&f, 0, sizeof(f));
		f.item = store_column_dup(stmt, 0, &ok);
		f.title = store_column_dup(stmt, 1, &ok);
		f.group = store_column_dup(stmt, 2, &ok);
		f.basis = store_column_dup(stmt, 3, &ok);
		f.url = store_column_dup(stmt, 5, &ok);
		f.evidence = store_column_dup(stmt, 6, &ok);
		f.date = store_column_dup(stmt, 7, &ok);
		f.date_source = store_column_dup(stmt, 8, &ok);
		f.period_found = store_column_dup(stmt, 9, &ok);
		f.note = store_column_dup(stmt, 10, &ok);
		f.weight = sqlite3_column_double(stmt, 11);
		f.requirement = store_column_dup(stmt, 12, &ok);
		f.remedy = store_column_dup(stmt, 13, &ok);
		if (!ok)
			st = status_set(ST_NOMEM, "out of memory loading findings");
		if (st == ST_OK)
			st = verdict_parse((const char *)sqlite3_column_text(stmt, 4), &f.verdict);
		if (st == ST_OK)
			st = school_result_add(r, &f);
		finding_release(&f);
	}
	if (st == ST_OK && row != SQLITE_DONE)
		st = store_error(s, "cannot read findings");
	sqlite3_finalize(stmt);
	return st;
}

/* A school as the run saw it: its frozen registry entry (run_schools),
 * else (runs made before there was one) the registry as it is now. */
#define RUN_SCHOOL(col) " CASE WHEN r.school_id IS NULL THEN s." col " ELSE r." col " END"
#define RESULT_SELECT                                                                                                                          \
	"SELECT c.school_id," RUN_SCHOOL("name") "," RUN_SCHOOL("unit") "," RUN_SCHOOL("level") "," RUN_SCHOOL(                                \
		"ownership") "," RUN_SCHOOL("portal_url") ", c.score, c.rating,"                                                               \
							  " c.reachable, c.reason, c.pages, c.errors, c.crawl_run, c.crawled_at FROM scores c" \
							  " JOIN schools s ON s.id = c.school_id LEFT JOIN run_schools r"                      \
							  " ON r.run_id = c.run_id AND r.school_id = c.school_id WHERE c.run_id = ?"

static status load_score_row(sqlite3_stmt *stmt, struct school_result *r)
{
	int ok = 1;

	r->school.id = store_column_dup(stmt, 0, &ok);
	r->school.name = store_column_dup(stmt, 1, &ok);
	r->school.unit = store_column_dup(stmt, 2, &ok);
	r->school.level = store_column_dup(stmt, 3, &ok);
	r->school.ownership = store_column_dup(stmt, 4, &ok);
	r->school.portal_url = store_column_dup(stmt, 5, &ok);
	r->has_score = sqlite3_column_type(stmt, 6) != SQLITE_NULL;
	r->score = sqlite3_column_double(stmt, 6);
	r->rating = store_column_dup(stmt, 7, &ok);
	r->reachable = sqlite3_column_int(stmt, 8);
	r->unreachable_reason = store_column_dup(stmt, 9, &ok);
	r->pages = sqlite3_column_int(stmt, 10);
	r->errors = sqlite3_column_int(stmt, 11);
	r->crawl_run_id = sqlite3_column_int64(stmt, 12);
	r->crawled_at = store_column_dup(stmt, 13, &ok);
	return ok ? ST_OK : status_set(ST_NOMEM, "out of memory loading a score");
}

/* Copies a string of the run record; false when out of memory. */
static bool dup_field(char **dst, const char *v)
{
	*dst = str_dup(v);
	return !v || *dst;
}

/* Gives r the facts of its audit run ri. */
static status copy_run(struct school_result *r, const struct run_info *ri)
{
	/* crawl_run_id is the school's own (scores.crawl_run). */
	r->run_id = ri->id;
	if (!dup_field(&r->period, ri->period) || !dup_field(&r->as_of, ri->as_of) ||
	    !dup_field(&r->ruleset, ri->ruleset) ||
	    !dup_field(&r->ruleset_version, ri->ruleset_version) ||
	    !dup_field(&r->ruleset_hash, ri->ruleset_hash))
		return status_set(ST_NOMEM, "out of memory reading run %lld", (long long)ri->id);
	return ST_OK;
}

static status load_run(struct store *s, int64_t run_id, struct school_result *r)
{
	struct run_info ri;
	status st = runs_get(s, run_id, &ri);

	if (st == ST_OK)
		st = copy_run(r, &ri);
	runs_info_release(&ri);
	return st;
}

status results_load(struct store *s, int64_t run_id, const char *school_id,
		    struct school_result *out)
{
	sqlite3_stmt *stmt = NULL;
	status st;
	int row;

	memset(out, 0, sizeof(*out));
	st = store_prepare(s, &stmt, RESULT_SELECT " AND c.school_id = ?");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run_id);
	store_bind_text(stmt, 2, school_id);
	row = sqlite3_step(stmt);
	if (row == SQLITE_ROW)
		st = load_score_row(stmt, out);
	else if (row == SQLITE_DONE)
		st = status_set(ST_NOTFOUND, "school %s has no result in audit run %lld", school_id,
				(long long)run_id);
	else
		st = store_error(s, "cannot read scores");
	sqlite3_finalize(stmt);
	if (st == ST_OK)
		st = load_run(s, run_id, out);
	if (st == ST_OK)
		st = load_findings(s, run_id, out);
	if (st == ST_OK)
		st = decisions_apply(s, out);
	if (st < 0)
		school_result_release(out);
	return st;
}

status results_load_all(struct store *s, int64_t run_id, const char *unit,
			struct school_result **out, size_t *n)
{
	sqlite3_stmt *stmt = NULL;
	struct school_result *v = NULL;
	size_t cnt = 0, cap = 0, i;
	struct run_info ri = {0};
	status st;
	int row = SQLITE_DONE;

	*out = NULL;
	*n = 0;
	st = store_prepare(s, &stmt,
			   unit ? RESULT_SELECT
				   " AND" RUN_SCHOOL("unit") " = ? ORDER BY c.school_id"
				: RESULT_SELECT " ORDER BY c.school_id");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run_id);
	if (unit)
		store_bind_text(stmt, 2, unit);
	while (st == ST_OK && (row = sqlite3_step(stmt)) == SQLITE_ROW) {
		/* Doubling: one realloc per row copied the whole array each time. */
		if ((st = ARRAY_GROW(v, cnt + 1, cap)) < 0)
			break;
		memset(&v[cnt], 0, sizeof(v[cnt]));
		cnt++;
		st = load_score_row(stmt, &v[cnt - 1]);
	}
	if (st == ST_OK && row != SQLITE_DONE)
		st = store_error(s, "cannot read scores");
	sqlite3_finalize(stmt);
	if (st == ST_OK && cnt)
		st = runs_get(s, run_id, &ri);
	for (i = 0; st == ST_OK && i < cnt; i++) {
		st = copy_run(&v[i], &ri);
		if (st == ST_OK)
			st = load_findings(s, run_id, &v[i]);
	}
	runs_info_release(&ri);
	/* Final verdicts: the decisions of the period, in one query. */
	if (st == ST_OK)
		st = decisions_apply_all(s, v, cnt);
	if (st < 0) {
		results_free(v, cnt);
		return st;
	}
	*out = v;
	*n = cnt;
	return ST_OK;
}

void results_free(struct school_result *v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		school_result_release(&v[i]);
	free(v);
}
