#include "store/runs.h"

#include <stdlib.h>
#include <time.h>

#include "core/clock.h"

static void now_iso(char out[21])
{
	clock_datetime(time(NULL), out);
}

status runs_start(struct store *s, struct run_info *ri)
{
	sqlite3_stmt *st = NULL;
	char now[21];
	status rc;

	rc = store_prepare(s, &st,
			   "INSERT INTO runs (kind, params, crawl_run, ruleset, ruleset_version,"
			   " ruleset_hash, period, as_of, scoring, started_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
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
	store_bind_text(st, 9, ri->scoring);
	store_bind_text(st, 10, now);
	rc = store_step_done(s, st);
	if (rc == ST_OK)
		ri->id = sqlite3_last_insert_rowid(store_db(s));
	sqlite3_finalize(st);
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

static void take(char **dst, char *v)
{
	if (dst)
		*dst = v;
	else
		free(v);
}

status runs_get(struct store *s, int64_t id, char **kind, int64_t *crawl_run, char **period,
		char **as_of, char **ruleset, char **ruleset_version, char **ruleset_hash)
{
	sqlite3_stmt *st = NULL;
	status rc;
	int r, ok = 1;

	rc = store_prepare(s, &st,
			   "SELECT kind, crawl_run, period, as_of, ruleset, ruleset_version,"
			   " ruleset_hash FROM runs WHERE id = ?");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		take(kind, store_column_dup(st, 0, &ok));
		if (crawl_run)
			*crawl_run = sqlite3_column_int64(st, 1);
		take(period, store_column_dup(st, 2, &ok));
		take(as_of, store_column_dup(st, 3, &ok));
		take(ruleset, store_column_dup(st, 4, &ok));
		take(ruleset_version, store_column_dup(st, 5, &ok));
		take(ruleset_hash, store_column_dup(st, 6, &ok));
		if (!ok)
			rc = status_set(ST_NOMEM, "out of memory reading run %lld", (long long)id);
	} else if (r == SQLITE_DONE) {
		rc = status_set(ST_NOTFOUND, "%s: no run %lld", store_path(s), (long long)id);
	} else {
		rc = store_error(s, "cannot read run");
	}
	sqlite3_finalize(st);
	return rc;
}

status runs_scoring(struct store *s, int64_t id, char **scoring)
{
	sqlite3_stmt *st = NULL;
	status rc;
	int ok = 1;

	*scoring = NULL;
	rc = store_prepare(s, &st, "SELECT scoring FROM runs WHERE id = ?");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		*scoring = store_column_dup(st, 0, &ok);
	sqlite3_finalize(st);
	return ok ? ST_OK : status_set(ST_NOMEM, "out of memory");
}
