#include "store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/array.h"
#include "core/buf.h"
#include "core/str.h"

/* How long a write waits for another connection's write transaction,
 * polling every BUSY_POLL_MS.  Writers beside a crawl (audit, schools
 * import) wait for the crawl's transactions, one page each, and the crawl
 * waits for an audit's batch.  SQLite's default handler sleeps up to
 * 100 ms between tries and so misses most of the short gaps between
 * another writer's transactions. */
#define BUSY_TIMEOUT_MS 60000
#define BUSY_POLL_MS 2

struct store {
	sqlite3 *db;
	char *path;
	int lock_fd; /* the writer lock "PATH.lock", or -1 */
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
	/* 2 -> 3: what each item of an audit run requires and how to fix it
	 * (the rule's requirement and remedy), once per run and item; older
	 * runs have none. */
	"CREATE TABLE item_texts ("
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  item TEXT NOT NULL,"
	"  requirement TEXT, remedy TEXT,"
	"  PRIMARY KEY (run_id, item)"
	");",
	/* 3 -> 4: a run's scope ('check' for the runs of the check command,
	 * which are never "the newest run" of a report, an audit or a resume)
	 * and optional label (unique per kind); when a site's crawl finished;
	 * which crawl run an audit read for each school, and when it finished
	 * (audit reads each school's own newest crawl).  Old done sites take
	 * their run's end; old scores their run's crawl. */
	"ALTER TABLE runs ADD COLUMN scope TEXT NOT NULL DEFAULT 'full'"
	"  CHECK (scope IN ('full', 'check'));"
	"ALTER TABLE runs ADD COLUMN label TEXT;"
	"CREATE UNIQUE INDEX runs_kind_label ON runs(kind, label) WHERE label IS NOT NULL;"
	"ALTER TABLE sites ADD COLUMN finished_at TEXT;"
	"UPDATE sites SET finished_at = (SELECT coalesce(r.finished_at, r.started_at) FROM runs r"
	"  WHERE r.id = sites.run_id) WHERE state = 'done';"
	"CREATE INDEX sites_school ON sites(school_id, state);"
	"ALTER TABLE scores ADD COLUMN crawl_run INTEGER REFERENCES runs(id);"
	"ALTER TABLE scores ADD COLUMN crawled_at TEXT;"
	"UPDATE scores SET crawl_run = (SELECT r.crawl_run FROM runs r WHERE r.id = scores.run_id),"
	"  crawled_at = (SELECT coalesce(c.finished_at, c.started_at) FROM runs r"
	"  JOIN runs c ON c.id = r.crawl_run WHERE r.id = scores.run_id);",
	/* 4 -> 5: the unit hierarchy (a school's district and province before
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
	/* 5 -> 6: people's decisions on items and schools' appeals
	 * (docs/REVIEW.md).  Decisions are append-only: the triggers refuse
	 * any UPDATE or DELETE; a closed appeal is never changed again. */
	"CREATE TABLE decisions ("
	"  id INTEGER PRIMARY KEY,"
	"  period TEXT NOT NULL," /* the audit run's period, '' when it had none */
	"  school_id TEXT NOT NULL,"
	"  item TEXT NOT NULL,"
	"  item_title TEXT,"
	"  run_id INTEGER NOT NULL REFERENCES runs(id)," /* the audit run it was made on */
	"  machine_verdict TEXT NOT NULL,"
	"  machine_url TEXT,"
	"  content_hash TEXT,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'stale', 'missing')),"
	"  reason TEXT NOT NULL CHECK (reason <> ''),"
	"  decided_by TEXT NOT NULL CHECK (decided_by <> ''),"
	"  at TEXT NOT NULL,"
	"  evidence_url TEXT,"
	"  appeal_id INTEGER"
	");"
	"CREATE INDEX decisions_key ON decisions(period, school_id, item, id);"
	"CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions"
	"  BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions"
	"  BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	"CREATE TABLE appeals ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES runs(id),"
	"  period TEXT NOT NULL,"
	"  school_id TEXT NOT NULL,"
	"  item TEXT NOT NULL,"
	"  item_title TEXT,"
	"  verdict TEXT NOT NULL,"
	"  opened_by TEXT NOT NULL CHECK (opened_by <> ''),"
	"  text TEXT NOT NULL CHECK (text <> ''),"
	"  evidence_url TEXT,"
	"  opened_at TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'accepted', 'rejected')),"
	"  closed_by TEXT, closed_at TEXT, close_reason TEXT,"
	"  decision_id INTEGER REFERENCES decisions(id)"
	");"
	"CREATE TRIGGER appeals_closed BEFORE UPDATE ON appeals WHEN OLD.state <> 'open'"
	"  BEGIN SELECT RAISE(ABORT, 'a closed appeal does not change'); END;"
	"CREATE TRIGGER appeals_no_delete BEFORE DELETE ON appeals"
	"  BEGIN SELECT RAISE(ABORT, 'appeals are never deleted'); END;",
	/* 6 -> 7: dashboard accounts (argon2id hashes; consecutive failures
	 * and the lock's end, unix seconds), sessions (the SHA-256 of the
	 * token, never the token) and the re-check queue (store/users.h). */
	"CREATE TABLE users ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('admin', 'unit', 'school')),"
	"  unit TEXT, school_id TEXT,"
	"  pw_hash TEXT NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  failures INTEGER NOT NULL DEFAULT 0,"
	"  locked_until INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE TABLE sessions ("
	"  token_hash TEXT PRIMARY KEY,"
	"  user_id INTEGER NOT NULL REFERENCES users(id),"
	"  csrf TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL"
	");"
	"CREATE INDEX sessions_user ON sessions(user_id);"
	"CREATE TABLE rechecks ("
	"  id INTEGER PRIMARY KEY,"
	"  school_id TEXT NOT NULL,"
	"  by TEXT NOT NULL,"
	"  limited INTEGER NOT NULL DEFAULT 0," /* counts toward the school's daily limit */
	"  queued_at TEXT NOT NULL,"
	"  started_at TEXT, finished_at TEXT,"
	"  state TEXT NOT NULL DEFAULT 'queued'"
	"    CHECK (state IN ('queued', 'running', 'done', 'failed')),"
	"  crawl_run INTEGER REFERENCES runs(id),"
	"  audit_run INTEGER REFERENCES runs(id),"
	"  progress TEXT"
	");"
	"CREATE INDEX rechecks_school ON rechecks(school_id, queued_at);"
	"CREATE INDEX rechecks_state ON rechecks(state, id);",
	/* 7 -> 8: every report reads its run's provenance (the first and
	 * last fetch of the crawl run) and item weights (one row per item);
	 * without these indexes both read every page or finding row of the
	 * run, 0.3 s of a dashboard page on a 2,000-school store. */
	("CREATE INDEX pages_run_fetched ON pages(run_id, fetched_at);"
	 "CREATE INDEX findings_run_item ON findings(run_id, item, ord, weight, title, basis);"),
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

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

status store_rows(struct store *s, status st, sqlite3_stmt *stmt, size_t size, store_row_fn read,
		  void (*release)(void *v, size_t n), const char *what, void **out, size_t *n)
{
	void *v = NULL;
	size_t len = 0, cap = 0;
	int row = SQLITE_DONE;

	*out = NULL;
	*n = 0;
	while (st == ST_OK && (row = sqlite3_step(stmt)) == SQLITE_ROW) {
		char *elem;

		if ((st = array_grow(&v, &cap, len + 1, size)) < 0)
			break;
		elem = (char *)v + len * size;
		memset(elem, 0, size);
		len++;
		st = read(stmt, elem);
	}
	if (st == ST_OK && row != SQLITE_DONE)
		st = store_error(s, what);
	sqlite3_finalize(stmt);
	if (st < 0) {
		release(v, len);
		return st;
	}
	*out = v;
	*n = len;
	return ST_OK;
}

static int busy_wait(void *unused, int tries)
{
	(void)unused;
	if (tries >= BUSY_TIMEOUT_MS / BUSY_POLL_MS)
		return 0;
	usleep(BUSY_POLL_MS * 1000);
	return 1;
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

status store_step_done(struct store *s, sqlite3_stmt *stmt)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_error(s, "write failed");
	return ST_OK;
}

int store_bind_text(sqlite3_stmt *stmt, int idx, const char *v)
{
	return v ? sqlite3_bind_text(stmt, idx, v, -1, SQLITE_TRANSIENT)
		 : sqlite3_bind_null(stmt, idx);
}

char *store_column_dup(sqlite3_stmt *stmt, int col, int *ok)
{
	const unsigned char *v = sqlite3_column_text(stmt, col);
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
	sqlite3_stmt *stmt = NULL;
	status st;

	st = store_prepare(s, &stmt, "PRAGMA user_version");
	if (st < 0)
		return st;
	if (sqlite3_step(stmt) != SQLITE_ROW)
		st = store_error(s, "cannot read the schema version");
	else
		*version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return st;
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

/* Opens the connection; uri: path is a "file:" URI.  A reader
 * (!writer) switches nothing, the journal mode is the file's, and
 * query_only refuses any write. */
static status open_conn(struct store **out, const char *path, const char *uri, int flags,
			bool writer)
{
	struct store *s = NULL;
	status st = ST_OK;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (s)
		s->lock_fd = -1;
	if (!s || !(s->path = str_dup(path))) {
		st = status_set(ST_NOMEM, "out of memory opening %s", path);
		goto out;
	}
	if (sqlite3_open_v2(uri ? uri : path, &s->db, flags | (uri ? SQLITE_OPEN_URI : 0), NULL) !=
	    SQLITE_OK) {
		st = status_set(ST_DB, "%s: cannot open database: %s", path,
				s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto out;
	}
	sqlite3_busy_handler(s->db, busy_wait, NULL);
	sqlite3_extended_result_codes(s->db, 1);
	if (!writer)
		st = exec(s, "PRAGMA query_only = ON");
	else
		st = exec(s, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
			     "PRAGMA synchronous = NORMAL;");
	if (st < 0)
		goto out;
	*out = s;
	s = NULL;
out:
	store_free(s);
	return st;
}

/* Takes the writer lock: flock(2) on "PATH.lock", which then holds our
 * PID for the message of whoever comes second.  The lock goes with the
 * process (kill -9 included); the file stays. */
static status take_lock(struct store *s)
{
	struct buf b = BUF_INIT(4096);
	char pid[32] = "";
	ssize_t n;
	int fd;
	status st = buf_printf(&b, "%s.lock", s->path);

	if (st < 0)
		return st;
	fd = open(b.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		st = status_set(ST_DB, "%s: cannot open the lock file: %s", b.ptr, strerror(errno));
		goto out;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int err = errno;

		/* The holder writes its PID just after locking: give it a moment. */
		for (int i = 0; i < 20 && (n = pread(fd, pid, sizeof(pid) - 1, 0)) <= 0; i++)
			usleep(10000);
		n = pread(fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		close(fd);
		if (err != EWOULDBLOCK)
			st = status_set(ST_DB, "%s: cannot lock: %s", b.ptr, strerror(err));
		else
			st = status_set(
				ST_DB,
				"kho đang được dùng bởi tiến trình %s: %s (một lệnh crawl "
				"hoặc check khác đang ghi vào kho này; chờ nó xong rồi chạy lại)",
				*pid ? pid : "khác", s->path);
		goto out;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		st = status_set(ST_DB, "%s: cannot write the lock file: %s", b.ptr,
				strerror(errno));
		close(fd);
		goto out;
	}
	s->lock_fd = fd;
out:
	buf_release(&b);
	return st;
}

/* "file:PATH?immutable=1", PATH percent-encoded. */
static status immutable_uri(struct buf *b, const char *path)
{
	status st = buf_printf(b, "file:");
	const unsigned char *p;

	for (p = (const unsigned char *)path; st == ST_OK && *p; p++)
		st = (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p > 0x7e)
			     ? buf_printf(b, "%%%02X", *p)
			     : buf_printf(b, "%c", *p);
	return st == ST_OK ? buf_printf(b, "?immutable=1") : st;
}

/* A WAL file with frames: its content is not in the main file yet. */
static bool wal_has_frames(const char *path)
{
	struct buf b = BUF_INIT(4096);
	struct stat sb;
	bool has =
		buf_printf(&b, "%s-wal", path) == ST_OK && stat(b.ptr, &sb) == 0 && sb.st_size > 0;

	buf_release(&b);
	return has;
}

/* Opens read-only and reads the schema version.  A WAL-mode file in a
 * directory where the -shm and -wal files cannot be made (a read-only
 * share) cannot be opened so: with no WAL content outside the file, it
 * is then opened immutable (nobody can be writing it there). */
static status open_readonly(struct store **out, const char *path, int *version)
{
	struct buf uri = BUF_INIT(16384);
	/* Read-write at the file level (SQLite falls back to read-only when
	 * the file is): then, as the last connection, it removes the -wal and
	 * -shm files it made, as a writer does; a read-only one leaves them. */
	status st = open_conn(out, path, NULL, SQLITE_OPEN_READWRITE, false);

	if (st == ST_OK && (st = get_version(*out, version)) < 0 && !wal_has_frames(path)) {
		char *first = str_dup(status_message());

		store_free(*out);
		st = immutable_uri(&uri, path);
		if (st == ST_OK)
			st = open_conn(out, path, uri.ptr, SQLITE_OPEN_READONLY, false);
		if (st == ST_OK)
			st = get_version(*out, version);
		if (st < 0 && first)
			st = status_set(st, "%s", first);
		free(first);
	}
	if (st < 0) {
		store_free(*out);
		*out = NULL;
	}
	buf_release(&uri);
	return st;
}

/* The read-only store: an older schema is brought up to date through a
 * short write connection when the file can be written. */
static status open_read(struct store **out, const char *path)
{
	struct store *w = NULL;
	int version = 0;
	status st = open_readonly(out, path, &version);

	if (st < 0 || version == NMIGRATIONS)
		return st;
	store_free(*out);
	*out = NULL;
	if (version > NMIGRATIONS)
		return status_set(ST_DB, "%s: schema version %d is newer than this program (%d)",
				  path, version, NMIGRATIONS);
	if (access(path, W_OK) != 0 || store_open_mode(&w, path, STORE_WRITE) < 0)
		return status_set(ST_DB,
				  "%s: schema version %d is older than this program's (%d) and the "
				  "file cannot be written: upgrade it with any writing command "
				  "(e.g. audit) where it can be",
				  path, version, NMIGRATIONS);
	store_free(w);
	return open_readonly(out, path, &version);
}

status store_open_mode(struct store **out, const char *path, int mode)
{
	int flags = SQLITE_OPEN_READWRITE | (mode & STORE_CREATE ? SQLITE_OPEN_CREATE : 0);
	struct store *s = NULL;
	status st = ST_OK;

	*out = NULL;
	/* Checked first for the message; the open below cannot create the
	 * file either, should it vanish in between. */
	if (!(mode & STORE_CREATE) && access(path, F_OK) != 0 && errno == ENOENT)
		return status_set(ST_NOTFOUND, "no such database: %s", path);
	if (!(mode & STORE_WRITE))
		return open_read(out, path);
	if (mode & STORE_EXCLUSIVE && strcmp(path, ":memory:") != 0) {
		/* Locked before the first write, migrations included. */
		if (!(s = calloc(1, sizeof(*s))) || !(s->path = str_dup(path)))
			st = status_set(ST_NOMEM, "out of memory opening %s", path);
		if (s)
			s->lock_fd = -1;
		if (st == ST_OK)
			st = take_lock(s);
	}
	if (st == ST_OK)
		st = open_conn(out, path, NULL, flags, true);
	if (st == ST_OK && (st = migrate(*out)) < 0) {
		store_free(*out);
		*out = NULL;
	}
	if (st == ST_OK && s) {
		(*out)->lock_fd = s->lock_fd;
		s->lock_fd = -1;
	}
	store_free(s);
	return st;
}

status store_open(struct store **out, const char *path)
{
	return store_open_mode(out, path, STORE_WRITE | STORE_CREATE);
}

status store_open_existing(struct store **out, const char *path)
{
	return store_open_mode(out, path, STORE_WRITE);
}

status store_open_reader(struct store **out, const char *path)
{
	int version = 0;
	status st = open_readonly(out, path, &version);

	if (st == ST_OK && version != NMIGRATIONS) {
		st = status_set(ST_DB,
				"%s: schema version %d, expected %d (run any write command once)",
				path, version, NMIGRATIONS);
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
	/* Closing the descriptor releases the lock, after the last write. */
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->path);
	free(s);
}
