#include "store/runs.h"

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
	sqlite3_stmt *st = NULL;
	status rc;
	size_t i;

	if (!ri->nbands)
		return ST_OK;
	rc = store_prepare(s, &st,
			   "INSERT INTO run_bands (run_id, ord, rating, min) VALUES (?,?,?,?)");
	for (i = 0; rc == ST_OK && i < ri->nbands; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ri->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		store_bind_text(st, 3, ri->bands[i].rating);
		sqlite3_bind_double(st, 4, ri->bands[i].min);
		rc = store_step_done(s, st);
	}
	sqlite3_finalize(st);
	return rc;
}

status runs_start(struct store *s, struct run_info *ri)
{
	sqlite3_stmt *st = NULL;
	char now[21];
	status rc;

	rc = store_prepare(s, &st,
			   "INSERT INTO runs (kind, params, crawl_run, ruleset, ruleset_version,"
			   " ruleset_hash, period, as_of, stale_credit, started_at)"
			   " VALUES (?,?,?,?,?,?,?,?,?,?)");
	if (rc < 0)
		return rc;
	now_iso(now);
	store_bind_text(st, 1, ri->kind);
	store_bind_text(st, 2, ri->params ? ri->params : "");
	if (ri->crawl_run)
		sqlite3_bind_int64(st, 3, ri->crawl_run);
	else
		sqlite3_bind_null(st, 3);
	store_bind_text(st, 4, ri->ruleset);
	store_bind_text(st, 5, ri->ruleset_version);
	store_bind_text(st, 6, ri->ruleset_hash);
	store_bind_text(st, 7, ri->period);
	store_bind_text(st, 8, ri->as_of);
	if (ri->scored)
		sqlite3_bind_double(st, 9, ri->stale_credit);
	else
		sqlite3_bind_null(st, 9);
	store_bind_text(st, 10, now);
	rc = store_step_done(s, st);
	if (rc == ST_OK)
		ri->id = sqlite3_last_insert_rowid(store_db(s));
	sqlite3_finalize(st);
	/* A failure here leaves a run without its bands: it stays "running"
	 * and the caller marks it failed, so no report reads it. */
	if (rc == ST_OK)
		rc = put_bands(s, ri);
	return rc;
}

status runs_finish(struct store *s, int64_t id, const char *state)
{
	sqlite3_stmt *st = NULL;
	char now[21];
	status rc;

	rc = store_prepare(s, &st, "UPDATE runs SET state = ?, finished_at = ? WHERE id = ?");
	if (rc < 0)
		return rc;
	now_iso(now);
	store_bind_text(st, 1, state);
	store_bind_text(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	rc = store_step_done(s, st);
	sqlite3_finalize(st);
	return rc;
}

status runs_latest(struct store *s, const char *kind, bool include_unfinished, int64_t *id)
{
	sqlite3_stmt *st = NULL;
	status rc;
	int r;

	rc = store_prepare(s, &st,
			   include_unfinished
				   ? "SELECT id FROM runs WHERE kind = ? ORDER BY id DESC LIMIT 1"
				   : "SELECT id FROM runs WHERE kind = ? AND state = 'done'"
				     " ORDER BY id DESC LIMIT 1");
	if (rc < 0)
		return rc;
	store_bind_text(st, 1, kind);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (r == SQLITE_DONE)
		rc = status_set(ST_NOTFOUND, "%s: no %s%s run yet", store_path(s),
				include_unfinished ? "" : "finished ", kind);
	else
		rc = store_error(s, "cannot read runs");
	sqlite3_finalize(st);
	return rc;
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
static const char *keep(struct run_info *ri, sqlite3_stmt *st, int col, int *ok)
{
	char *v = store_column_dup(st, col, ok);

	if (v && !own(ri, v)) {
		*ok = 0;
		return NULL;
	}
	return v;
}

static status get_bands(struct store *s, struct run_info *ri)
{
	struct run_band *bands = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	status rc;
	int r = SQLITE_ROW, ok = 1;

	rc = store_prepare(s, &st,
			   "SELECT rating, min FROM run_bands WHERE run_id = ? ORDER BY ord");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, ri->id);
	while (ok && (r = sqlite3_step(st)) == SQLITE_ROW) {
		if (ARRAY_RESIZE(bands, n + 1) < 0) {
			ok = 0;
			break;
		}
		bands[n].rating = keep(ri, st, 0, &ok);
		bands[n++].min = sqlite3_column_double(st, 1);
	}
	sqlite3_finalize(st);
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
	sqlite3_stmt *st = NULL;
	status rc;
	int r, ok = 1;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(s, &st,
			   "SELECT kind, state, params, crawl_run, ruleset, ruleset_version,"
			   " ruleset_hash, period, as_of, stale_credit FROM runs WHERE id = ?");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		out->id = id;
		out->kind = keep(out, st, 0, &ok);
		out->state = keep(out, st, 1, &ok);
		out->params = keep(out, st, 2, &ok);
		out->crawl_run = sqlite3_column_int64(st, 3);
		out->ruleset = keep(out, st, 4, &ok);
		out->ruleset_version = keep(out, st, 5, &ok);
		out->ruleset_hash = keep(out, st, 6, &ok);
		out->period = keep(out, st, 7, &ok);
		out->as_of = keep(out, st, 8, &ok);
		out->scored = sqlite3_column_type(st, 9) != SQLITE_NULL;
		out->stale_credit = sqlite3_column_double(st, 9);
		if (!ok)
			rc = status_set(ST_NOMEM, "out of memory reading run %lld", (long long)id);
	} else if (r == SQLITE_DONE) {
		rc = status_set(ST_NOTFOUND, "%s: no run %lld", store_path(s), (long long)id);
	} else {
		rc = store_error(s, "cannot read run");
	}
	sqlite3_finalize(st);
	if (rc == ST_OK)
		rc = get_bands(s, out);
	return rc;
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
