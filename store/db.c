#include "store/db.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/str.h"

struct store {
	sqlite3 *db;
	char *path;
};

/* Forward migrations: migrations[i] takes the schema from version i to
 * i + 1.  Never edit a released step; add a new one. */
static const char *const migrations[] = {
	/* 0 -> 1: the first schema. */
	"CREATE TABLE schools ("
	"  id TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  unit TEXT NOT NULL,"
	"  level TEXT NOT NULL,"
	"  ownership TEXT NOT NULL,"
	"  portal_url TEXT,"
	"  imported_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE INDEX schools_unit ON schools(unit);"
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('crawl', 'audit')),"
	"  params TEXT NOT NULL DEFAULT '',"
	"  crawl_run INTEGER REFERENCES runs(id),"
	"  ruleset TEXT, ruleset_version TEXT, ruleset_hash TEXT,"
	"  period TEXT, as_of TEXT,"
	"  scoring TEXT," /* "A=90;B=80;...;stale=0.5": bands and stale credit used */
	"  started_at TEXT NOT NULL,"
	"  finished_at TEXT,"
	"  state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'interrupted', 'failed'))"
	");"
	"CREATE TABLE sites ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  school_id TEXT NOT NULL REFERENCES schools(id),"
	"  start_url TEXT NOT NULL,"
	"  final_host TEXT,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),"
	"  reachable INTEGER,"
	"  reason TEXT,"
	"  pages INTEGER NOT NULL DEFAULT 0,"
	"  errors INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (run_id, school_id)"
	");"
	"CREATE TABLE pages ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  school_id TEXT NOT NULL REFERENCES schools(id),"
	"  requested_url TEXT NOT NULL,"
	"  final_url TEXT,"
	"  status INTEGER NOT NULL DEFAULT 0,"
	"  depth INTEGER NOT NULL DEFAULT 0,"
	"  content_type TEXT, charset TEXT,"
	"  bytes INTEGER NOT NULL DEFAULT 0,"
	"  fetched_at INTEGER NOT NULL DEFAULT 0,"
	"  fetch_ms INTEGER NOT NULL DEFAULT 0,"
	"  etag TEXT, last_modified TEXT, sitemap_lastmod TEXT, content_hash TEXT,"
	"  error TEXT,"
	"  title TEXT,"
	"  headings TEXT," /* "level<TAB>text" lines */
	"  metas TEXT,"    /* "name<TAB>content" lines */
	"  text TEXT,"
	"  main_text TEXT,"
	"  links TEXT," /* [["url","anchor text"],...] in page order (JSON), NULL when none */
	"  UNIQUE (run_id, school_id, requested_url)"
	");"
	"CREATE INDEX pages_school ON pages(school_id, run_id);"
	/* A page's links live in one column of its row: a row per link cost
	 * ~100 B-tree inserts per page.  The view keeps them queryable. */
	"CREATE VIEW links (page_id, ord, url, text) AS"
	"  SELECT p.id, j.key, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]')"
	"  FROM pages p, json_each(p.links) j;"
	"CREATE TABLE findings ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  school_id TEXT NOT NULL REFERENCES schools(id),"
	"  ord INTEGER NOT NULL,"
	"  item TEXT NOT NULL,"
	"  title TEXT, grp TEXT, basis TEXT,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'stale', 'missing', 'unreachable', 'review')),"
	"  url TEXT, evidence TEXT, date TEXT, date_source TEXT, period_found TEXT, note TEXT,"
	"  weight REAL NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (run_id, school_id, ord)"
	");"
	"CREATE TABLE scores ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  school_id TEXT NOT NULL REFERENCES schools(id),"
	"  score REAL,"
	"  rating TEXT,"
	"  reachable INTEGER NOT NULL,"
	"  reason TEXT,"
	"  pages INTEGER NOT NULL DEFAULT 0,"
	"  errors INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (run_id, school_id)"
	");",
	/* 1 -> 2: an audit run's rating bands and stale credit, typed (they
	 * were the string runs.scoring, "A=90;B=80;...;stale=0.5", which new
	 * runs leave NULL).  Old runs are converted: the bands come before
	 * "stale=", in order, and every value was written with %g. */
	"ALTER TABLE runs ADD COLUMN stale_credit REAL;"
	"CREATE TABLE run_bands ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  ord INTEGER NOT NULL,"
	"  rating TEXT NOT NULL,"
	"  min REAL NOT NULL,"
	"  PRIMARY KEY (run_id, ord)"
	");"
	"UPDATE runs SET stale_credit = CAST(substr(scoring, instr(scoring, 'stale=') + 6) AS REAL)"
	"  WHERE instr(scoring, 'stale=') > 0;"
	"INSERT INTO run_bands (run_id, ord, rating, min)"
	"  WITH RECURSIVE split(run_id, ord, part, rest) AS ("
	"    SELECT id, 0, '', scoring || ';' FROM runs WHERE scoring IS NOT NULL AND scoring <> ''"
	"    UNION ALL"
	"    SELECT run_id, ord + 1, substr(rest, 1, instr(rest, ';') - 1),"
	"      substr(rest, instr(rest, ';') + 1) FROM split WHERE rest <> '')"
	"  SELECT run_id, ord - 1, substr(part, 1, instr(part, '=') - 1),"
	"    CAST(substr(part, instr(part, '=') + 1) AS REAL)"
	"  FROM split WHERE ord > 0 AND instr(part, '=') > 1"
	"    AND substr(part, 1, instr(part, '=') - 1) <> 'stale';",
	/* 2 -> 3: the unit hierarchy (a school's district and province before
	 * 1/7/2025, the kind and parent of every unit), the registry's history
	 * (valid from / to) and each audit run's frozen copy of the registry.
	 * Runs made before this step have no copy: they read the registry. */
	"ALTER TABLE schools ADD COLUMN former_unit TEXT;"
	"ALTER TABLE schools ADD COLUMN former_province TEXT;"
	"CREATE TABLE units ("
	"  name TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL," /* phuong, xa, dac_khu, quan, huyen, thi_xa, thanh_pho, tinh, ... */
	"  parent TEXT"
	");"
	"CREATE TABLE school_history ("
	"  school_id TEXT NOT NULL,"
	"  name TEXT NOT NULL, unit TEXT NOT NULL, level TEXT NOT NULL, ownership TEXT NOT NULL,"
	"  portal_url TEXT, former_unit TEXT, former_province TEXT,"
	"  valid_from TEXT NOT NULL,"
	"  valid_to TEXT" /* NULL: the current entry */
	");"
	"CREATE INDEX school_history_id ON school_history(school_id, valid_from);"
	"INSERT INTO school_history (school_id, name, unit, level, ownership, portal_url,"
	"  valid_from) SELECT id, name, unit, level, ownership, portal_url, updated_at FROM schools;"
	"CREATE TABLE run_schools ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  school_id TEXT NOT NULL,"
	"  name TEXT NOT NULL, unit TEXT NOT NULL, level TEXT NOT NULL, ownership TEXT NOT NULL,"
	"  portal_url TEXT, former_unit TEXT, former_province TEXT,"
	"  PRIMARY KEY (run_id, school_id)"
	");",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int store_schema_version(void)
{
	return NMIGRATIONS;
}

sqlite3 *store_db(struct store *s)
{
	return s->db;
}

const char *store_path(const struct store *s)
{
	return s->path;
}

/* The progress handler: non-zero interrupts the running statement. */
static int stopped(void *stop)
{
	return *(const volatile sig_atomic_t *)stop != 0;
}

void store_set_stop(struct store *s, const volatile sig_atomic_t *stop)
{
	/* The handler's argument is not const: it is only ever read. */
	/* SQLite counts steps per statement: many short ones need a small N. */
	sqlite3_progress_handler(s->db, stop ? 64 : 0, stop ? stopped : NULL,
				 (void *)(uintptr_t)stop);
}

status store_error(struct store *s, const char *what)
{
	int err = sqlite3_system_errno(s->db), code = sqlite3_errcode(s->db) & 0xff;

	if (code == SQLITE_INTERRUPT)
		return status_set(ST_INTERRUPTED, "%s: %s: interrupted", s->path, what);
	/* SQLite says "disk I/O error" for a full disk: add the OS error when
	 * there is one, else the likely cause. */
	if (code == SQLITE_IOERR || code == SQLITE_FULL)
		return status_set(ST_DB, "%s: %s: %s (%s)", s->path, what, sqlite3_errmsg(s->db),
				  err ? strerror(err) : "is the disk full or not writable?");
	return status_set(ST_DB, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static status exec(struct store *s, const char *sql)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_error(s, "cannot execute");
	return ST_OK;
}

status store_begin(struct store *s)
{
	return exec(s, "BEGIN IMMEDIATE");
}

status store_commit(struct store *s)
{
	return exec(s, "COMMIT");
}

void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

status store_prepare(struct store *s, sqlite3_stmt **out, const char *sql)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, out, NULL) != SQLITE_OK) {
		*out = NULL;
		return status_set(ST_DB, "%s: cannot prepare statement: %s", s->path,
				  sqlite3_errmsg(s->db));
	}
	return ST_OK;
}

status store_step_done(struct store *s, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_error(s, "write failed");
	return ST_OK;
}

int store_bind_text(sqlite3_stmt *st, int idx, const char *v)
{
	return v ? sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, idx);
}

char *store_column_dup(sqlite3_stmt *st, int col, int *ok)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	char *c;

	if (!v)
		return NULL;
	c = str_dup((const char *)v);
	if (!c)
		*ok = 0;
	return c;
}

static status get_version(struct store *s, int *version)
{
	sqlite3_stmt *st = NULL;
	status rc;

	rc = store_prepare(s, &st, "PRAGMA user_version");
	if (rc < 0)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = store_error(s, "cannot read the schema version");
	else
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc;
}

/* Applies each missing step in its own transaction together with the new
 * user_version, so a crash mid-migration leaves a consistent older schema. */
static status migrate(struct store *s)
{
	char sql[64];
	int version = 0;
	status st = get_version(s, &version);

	if (st < 0)
		return st;
	if (version > NMIGRATIONS)
		return status_set(ST_DB, "%s: schema version %d is newer than this program (%d)",
				  s->path, version, NMIGRATIONS);
	for (; version < NMIGRATIONS; version++) {
		st = store_begin(s);
		if (st < 0)
			return st;
		st = exec(s, migrations[version]);
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version + 1);
		if (st == ST_OK)
			st = exec(s, sql);
		if (st == ST_OK)
			st = store_commit(s);
		if (st < 0) {
			store_rollback(s);
			return st;
		}
	}
	return ST_OK;
}

static status open_conn(struct store **out, const char *path, int flags)
{
	struct store *s = NULL;
	status st = ST_OK;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = str_dup(path))) {
		st = status_set(ST_NOMEM, "out of memory opening %s", path);
		goto cleanup;
	}
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		st = status_set(ST_DB, "%s: cannot open database: %s", path,
				s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto cleanup;
	}
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_extended_result_codes(s->db, 1);
	st = exec(s, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
		     "PRAGMA synchronous = NORMAL;");
	if (st < 0)
		goto cleanup;
	*out = s;
	s = NULL;
cleanup:
	store_free(s);
	return st;
}

status store_open(struct store **out, const char *path)
{
	status st = open_conn(out, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);

	if (st == ST_OK && (st = migrate(*out)) < 0) {
		store_free(*out);
		*out = NULL;
	}
	return st;
}

status store_open_existing(struct store **out, const char *path)
{
	status st;

	*out = NULL;
	/* Checked first for the message; the open below cannot create the
	 * file either, should it vanish in between. */
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return status_set(ST_NOTFOUND, "no such database: %s", path);
	st = open_conn(out, path, SQLITE_OPEN_READWRITE);
	if (st == ST_OK && (st = migrate(*out)) < 0) {
		store_free(*out);
		*out = NULL;
	}
	return st;
}

status store_open_reader(struct store **out, const char *path)
{
	int version = 0;
	status st = open_conn(out, path, SQLITE_OPEN_READWRITE);

	if (st == ST_OK && (st = get_version(*out, &version)) == ST_OK && version != NMIGRATIONS)
		st = status_set(ST_DB,
				"%s: schema version %d, expected %d (run any write command once)",
				path, version, NMIGRATIONS);
	if (st < 0) {
		store_free(*out);
		*out = NULL;
	}
	return st;
}

void store_free(struct store *s)
{
	if (!s)
		return;
	if (s->db)
		sqlite3_close_v2(s->db);
	free(s->path);
	free(s);
}
