#include "store/runs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/array.h"
#include "core/clock.h"

static void now_iso(char out[21])
{
	clock_datetime(time(NULL), out);
}

static status put_bands(struct store *s, const struct run_info *ri)
{
	sqlite3_stmt *stmt = NULL;
	status st;
	size_t i;

	if (!ri->nbands)
		return ST_OK;
	st = store_prepare(s, &stmt,
			   "INSERT INTO run_bands (run_id, ord, rating, min) VALUES (?,?,?,?)");
	for (i = 0; st == ST_OK && i < ri->nbands; i++) {
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, ri->id);
		sqlite3_bind_int64(stmt, 2, (sqlite3_int64)i);
		store_bind_text(stmt, 3, ri->bands[i].rating);
		sqlite3_bind_double(stmt, 4, ri->bands[i].min);
		st = store_step_done(s, stmt);
	}
	sqlite3_finalize(stmt);
	return st;
}

/* ST_INVALID when another run of ri's kind has ri's label. */
static status label_free(struct store *s, const struct run_info *ri)
{
	int64_t other = 0;
	status st;

	if (!ri->label)
		return ST_OK;
	st = runs_label_check(ri->label);
	if (st == ST_OK && runs_resolve(s, ri->kind, ri->label, &other) == ST_OK)
		st = status_set(ST_INVALID, "--label: %s run %lld is already labelled '%s'",
				ri->kind, (long long)other, ri->label);
	return st;
}

status runs_start(struct store *s, struct run_info *ri)
{
	sqlite3_stmt *stmt = NULL;
	char now[21];
	status st;

	st = label_free(s, ri);
	if (st == ST_OK)
		st = store_prepare(
			s, &stmt,
			"INSERT INTO runs (kind, params, crawl_run, ruleset, ruleset_version,"
			" ruleset_hash, period, as_of, stale_credit, started_at, scope,"
			" label) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
	if (st < 0)
		return st;
	now_iso(now);
	store_bind_text(stmt, 1, ri->kind);
	store_bind_text(stmt, 2, ri->params ? ri->params : "");
	if (ri->crawl_run)
		sqlite3_bind_int64(stmt, 3, ri->crawl_run);
	else
		sqlite3_bind_null(stmt, 3);
	store_bind_text(stmt, 4, ri->ruleset);
	store_bind_text(stmt, 5, ri->ruleset_version);
	store_bind_text(stmt, 6, ri->ruleset_hash);
	store_bind_text(stmt, 7, ri->period);
	store_bind_text(stmt, 8, ri->as_of);
	if (ri->scored)
		sqlite3_bind_double(stmt, 9, ri->stale_credit);
	else
		sqlite3_bind_null(stmt, 9);
	store_bind_text(stmt, 10, now);
	store_bind_text(stmt, 11, ri->scope ? ri->scope : "full");
	store_bind_text(stmt, 12, ri->label);
	st = store_step_done(s, stmt);
	if (st == ST_OK)
		ri->id = sqlite3_last_insert_rowid(store_db(s));
	sqlite3_finalize(stmt);
	/* A failure here leaves a run without its bands: it stays "running"
	 * and the caller marks it failed, so no report reads it. */
	if (st == ST_OK)
		st = put_bands(s, ri);
	return st;
}

status runs_set_crawl(struct store *s, int64_t id, int64_t crawl_run)
{
	sqlite3_stmt *stmt = NULL;
	status st = store_prepare(s, &stmt, "UPDATE runs SET crawl_run = ? WHERE id = ?");

	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, crawl_run);
	sqlite3_bind_int64(stmt, 2, id);
	st = store_step_done(s, stmt);
	sqlite3_finalize(stmt);
	return st;
}

status runs_finish(struct store *s, int64_t id, const char *state)
{
	sqlite3_stmt *stmt = NULL;
	char now[21];
	status st;

	st = store_prepare(s, &stmt, "UPDATE runs SET state = ?, finished_at = ? WHERE id = ?");
	if (st < 0)
		return st;
	now_iso(now);
	store_bind_text(stmt, 1, state);
	store_bind_text(stmt, 2, now);
	sqlite3_bind_int64(stmt, 3, id);
	st = store_step_done(s, stmt);
	sqlite3_finalize(stmt);
	return st;
}

status runs_latest(struct store *s, const char *kind, bool include_unfinished, int64_t *id)
{
	sqlite3_stmt *stmt = NULL;
	status st;
	int r;

	st = store_prepare(s, &stmt,
			   include_unfinished
				   ? "SELECT id FROM runs WHERE kind = ? AND scope = 'full'"
				     " ORDER BY id DESC LIMIT 1"
				   : "SELECT id FROM runs WHERE kind = ? AND scope = 'full'"
				     " AND state = 'done' ORDER BY id DESC LIMIT 1");
	if (st < 0)
		return st;
	store_bind_text(stmt, 1, kind);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(stmt, 0);
	else if (r == SQLITE_DONE)
		st = status_set(ST_NOTFOUND, "%s: no %s%s run yet", store_path(s),
				include_unfinished ? "" : "finished ", kind);
	else
		st = store_error(s, "cannot read runs");
	sqlite3_finalize(stmt);
	return st;
}

/* Hands the allocation v to ri; false (v freed) when out of memory. */
static bool own(struct run_info *ri, void *v)
{
	if (ARRAY_RESIZE(ri->owned, ri->nowned + 1) < 0) {
		free(v);
		return false;
	}
	ri->owned[ri->nowned++] = v;
	return true;
}

/* Keeps a column's copy in ri (NULL for SQL NULL) and returns it. */
static const char *keep(struct run_info *ri, sqlite3_stmt *stmt, int col, int *ok)
{
	char *v = store_column_dup(stmt, col, ok);

	if (v && !own(ri, v)) {
		*ok = 0;
		return NULL;
	}
	return v;
}

static status get_bands(struct store *s, struct run_info *ri)
{
	struct run_band *bands = NULL;
	sqlite3_stmt *stmt = NULL;
	size_t n = 0;
	status st;
	int r = SQLITE_ROW, ok = 1;

	st = store_prepare(s, &stmt,
			   "SELECT rating, min FROM run_bands WHERE run_id = ? ORDER BY ord");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, ri->id);
	while (ok && (r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (ARRAY_RESIZE(bands, n + 1) < 0) {
			ok = 0;
			break;
		}
		bands[n].rating = keep(ri, stmt, 0, &ok);
		bands[n++].min = sqlite3_column_double(stmt, 1);
	}
	sqlite3_finalize(stmt);
	/* The array itself is one more allocation the record owns. */
	if (!ok)
		free(bands);
	else if (bands && !own(ri, bands))
		ok = 0;
	if (!ok)
		return status_set(ST_NOMEM, "out of memory reading run %lld", (long long)ri->id);
	if (r != SQLITE_DONE)
		return store_error(s, "cannot read run bands");
	ri->bands = bands;
	ri->nbands = n;
	return ST_OK;
}

status runs_get(struct store *s, int64_t id, struct run_info *out)
{
	sqlite3_stmt *stmt = NULL;
	status st;
	int r, ok = 1;

	memset(out, 0, sizeof(*out));
	st = store_prepare(s, &stmt,
			   "SELECT kind, state, params, crawl_run, ruleset, ruleset_version,"
			   " ruleset_hash, period, as_of, stale_credit, scope, label, started_at,"
			   " finished_at FROM runs WHERE id = ?");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, id);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		out->id = id;
		out->kind = keep(out, stmt, 0, &ok);
		out->state = keep(out, stmt, 1, &ok);
		out->params = keep(out, stmt, 2, &ok);
		out->crawl_run = sqlite3_column_int64(stmt, 3);
		out->ruleset = keep(out, stmt, 4, &ok);
		out->ruleset_version = keep(out, stmt, 5, &ok);
		out->ruleset_hash = keep(out, stmt, 6, &ok);
		out->period = keep(out, stmt, 7, &ok);
		out->as_of = keep(out, stmt, 8, &ok);
		out->scored = sqlite3_column_type(stmt, 9) != SQLITE_NULL;
		out->stale_credit = sqlite3_column_double(stmt, 9);
		out->scope = keep(out, stmt, 10, &ok);
		out->label = keep(out, stmt, 11, &ok);
		out->started_at = keep(out, stmt, 12, &ok);
		out->finished_at = keep(out, stmt, 13, &ok);
		if (!ok)
			st = status_set(ST_NOMEM, "out of memory reading run %lld", (long long)id);
	} else if (r == SQLITE_DONE) {
		st = status_set(ST_NOTFOUND, "%s: no run %lld", store_path(s), (long long)id);
	} else {
		st = store_error(s, "cannot read run");
	}
	sqlite3_finalize(stmt);
	if (st == ST_OK)
		st = get_bands(s, out);
	return st;
}

void runs_info_release(struct run_info *ri)
{
	size_t i;

	if (!ri)
		return;
	for (i = 0; i < ri->nowned; i++)
		free(ri->owned[i]);
	free(ri->owned);
	memset(ri, 0, sizeof(*ri));
}

status runs_label_check(const char *label)
{
	size_t i, n = label ? strlen(label) : 0;
	bool digits = true;

	if (n == 0 || n > 64)
		return status_set(ST_INVALID, "--label: a label has 1 to 64 bytes");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)label[i];

		if (c < 0x20 || c == 0x7f)
			return status_set(ST_INVALID, "--label: '%s' holds a control character",
					  label);
		digits = digits && c >= '0' && c <= '9';
	}
	if (digits)
		return status_set(ST_INVALID,
				  "--label: '%s' is only digits and would read as a run id", label);
	return ST_OK;
}

static bool all_digits(const char *v)
{
	if (!*v)
		return false;
	for (; *v; v++)
		if (*v < '0' || *v > '9')
			return false;
	return true;
}

status runs_resolve(struct store *s, const char *kind, const char *ref, int64_t *id)
{
	sqlite3_stmt *stmt = NULL;
	bool by_id = all_digits(ref);
	const char *other;
	status st;
	int r;

	*id = 0;
	st = store_prepare(s, &stmt,
			   by_id ? "SELECT id, kind FROM runs WHERE id = CAST(?1 AS INTEGER)"
				 : "SELECT id, kind FROM runs WHERE label = ?1"
				   " ORDER BY kind = ?2 DESC LIMIT 1");
	if (st < 0)
		return st;
	store_bind_text(stmt, 1, ref);
	store_bind_text(stmt, 2, kind);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		other = (const char *)sqlite3_column_text(stmt, 1);
		if (other && strcmp(other, kind) == 0)
			*id = sqlite3_column_int64(stmt, 0);
		else
			st = status_set(ST_NOTFOUND, "run '%s' is a %s run, not a%s %s run", ref,
					other ? other : "?", kind[0] == 'a' ? "n" : "", kind);
	} else if (r == SQLITE_DONE) {
		st = status_set(ST_NOTFOUND,
				by_id ? "there is no run %s" : "there is no run labelled '%s'",
				ref);
	} else {
		st = store_error(s, "cannot read runs");
	}
	sqlite3_finalize(stmt);
	return st;
}

status runs_school_crawl(struct store *s, const char *school_id, int64_t only,
			 const char *not_before, int64_t *run, char finished_at[21])
{
	sqlite3_stmt *stmt = NULL;
	const char *at;
	status st;
	int r;

	*run = 0;
	finished_at[0] = '\0';
	/* sites.finished_at is NULL only for sites done before it existed and
	 * whose run never ended; the run's start stands in. */
	st = store_prepare(s, &stmt,
			   "SELECT x.run_id, coalesce(x.finished_at, r.finished_at, r.started_at)"
			   " AS t FROM sites x JOIN runs r ON r.id = x.run_id"
			   " WHERE x.school_id = ?1 AND x.state = 'done' AND r.kind = 'crawl'"
			   " AND (?2 IS NULL OR t >= ?2) AND (?3 = 0 OR x.run_id = ?3)"
			   " ORDER BY t DESC, x.run_id DESC LIMIT 1");
	if (st < 0)
		return st;
	store_bind_text(stmt, 1, school_id);
	store_bind_text(stmt, 2, not_before);
	sqlite3_bind_int64(stmt, 3, only);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		*run = sqlite3_column_int64(stmt, 0);
		at = (const char *)sqlite3_column_text(stmt, 1);
		snprintf(finished_at, 21, "%s", at ? at : "");
	} else if (r == SQLITE_DONE) {
		st = ST_NOTFOUND;
	} else {
		st = store_error(s, "cannot read sites");
	}
	sqlite3_finalize(stmt);
	return st;
}

/* Reads one row of runs_list's query into a struct run_row. */
static status run_row(sqlite3_stmt *stmt, void *elem)
{
	struct run_row *w = elem;
	int ok = 1;

	w->id = sqlite3_column_int64(stmt, 0);
	w->kind = store_column_dup(stmt, 1, &ok);
	w->scope = store_column_dup(stmt, 2, &ok);
	w->label = store_column_dup(stmt, 3, &ok);
	w->period = store_column_dup(stmt, 4, &ok);
	w->started_at = store_column_dup(stmt, 5, &ok);
	w->finished_at = store_column_dup(stmt, 6, &ok);
	w->state = store_column_dup(stmt, 7, &ok);
	w->schools = (long)sqlite3_column_int64(stmt, 8);
	return ok ? ST_OK : status_set(ST_NOMEM, "out of memory reading runs");
}

static void run_rows_free(void *v, size_t n)
{
	runs_rows_free(v, n);
}

status runs_list(struct store *s, struct run_row **out, size_t *n)
{
	sqlite3_stmt *stmt = NULL;
	status st = store_prepare(
		s, &stmt,
		"SELECT r.id, r.kind, r.scope, r.label, r.period, r.started_at, r.finished_at,"
		" r.state, CASE r.kind WHEN 'crawl' THEN"
		" (SELECT count(*) FROM sites x WHERE x.run_id = r.id)"
		" ELSE (SELECT count(*) FROM scores c WHERE c.run_id = r.id) END"
		" FROM runs r ORDER BY r.id");

	return store_rows(s, st, stmt, sizeof(**out), run_row, run_rows_free, "cannot read runs",
			  (void **)out, n);
}

void runs_rows_free(struct run_row *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].kind);
		free(v[i].scope);
		free(v[i].label);
		free(v[i].period);
		free(v[i].started_at);
		free(v[i].finished_at);
		free(v[i].state);
	}
	free(v);
}
