/* The SQLite store: one file holding the registry, crawl runs with their
 * page models, audit runs with findings and scores.
 *
 * store_open_mode creates or migrates the schema (versioned by PRAGMA
 * user_version, forward migrations only), in WAL mode with foreign keys on,
 * or opens it read-only; writers that crawl hold an exclusive lock.
 * A struct store is one connection: use it from one thread at a time;
 * readers on other threads open their own.  SQL goes only through prepared
 * statements with bound parameters. */
#ifndef STORE_DB_H
#define STORE_DB_H

#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>

#include "core/status.h"

struct store;

/* How a command opens the store (flags, or-ed):
 *
 *   STORE_READ       an existing file, read only: query_only, no
 *                    journal-mode switch, nothing written, no lock, and the
 *                    -wal/-shm files it needs removed again (as the last
 *                    connection); a file that cannot be written is opened
 *                    SQLITE_OPEN_READONLY, and in a directory that cannot
 *                    be written it is read as immutable.  An older schema is brought up to date
 *                    when the file can be written, else refused with a
 *                    message naming the file.  report, schools list.
 *   STORE_WRITE      read-write in WAL mode, schema brought up to date.
 *                    Writes in short transactions beside a running crawl
 *                    (audit, schools import).
 *   STORE_CREATE     with STORE_WRITE: create the file when missing.
 *   STORE_EXCLUSIVE  with STORE_WRITE: take the store's writer lock, an
 *                    flock(2) on "PATH.lock" holding our PID, for the life
 *                    of the connection.  A second holder is refused at once
 *                    with ST_DB "kho đang được dùng bởi tiến trình PID".
 *                    Commands that crawl (crawl, check) hold it.
 *
 * Without STORE_CREATE a missing file is ST_NOTFOUND "no such database:
 * PATH" and nothing is created.  On failure *out is NULL and
 * status_message() names the file. */
enum {
	STORE_READ = 0,
	STORE_WRITE = 1 << 0,
	STORE_CREATE = 1 << 1,
	STORE_EXCLUSIVE = 1 << 2,
};
status store_open_mode(struct store **out, const char *path, int mode) PA_MUST_CHECK;
/* store_open_mode(out, path, STORE_WRITE | STORE_CREATE): tests and tools. */
status store_open(struct store **out, const char *path) PA_MUST_CHECK;
/* store_open_mode(out, path, STORE_WRITE). */
status store_open_existing(struct store **out, const char *path) PA_MUST_CHECK;
/* Opens an existing database read-only for a reader thread (no
 * migration; fails if the schema is not this program's). */
status store_open_reader(struct store **out, const char *path) PA_MUST_CHECK;
void store_free(struct store *s);
/* Once *stop becomes non-zero (a signal), statements of s stop within a
 * few thousand SQLite steps and fail with ST_INTERRUPTED; NULL: never. */
void store_set_stop(struct store *s, const volatile sig_atomic_t *stop);

/* The connection, for the store's own modules. */
sqlite3 *store_db(struct store *s);
const char *store_path(const struct store *s);

status store_begin(struct store *s) PA_MUST_CHECK; /* BEGIN IMMEDIATE */
status store_commit(struct store *s) PA_MUST_CHECK;
void store_rollback(struct store *s);

/* Prepares sql (cached per connection is not needed: callers keep their
 * statements).  Sets a detail message naming the SQL on failure. */
status store_prepare(struct store *s, sqlite3_stmt **out, const char *sql) PA_MUST_CHECK;
/* Executes a statement with no result rows; resets it afterwards. */
status store_step_done(struct store *s, sqlite3_stmt *st) PA_MUST_CHECK;
/* Sets ST_DB with sqlite's message for the connection. */
status store_error(struct store *s, const char *what);

/* Reads the current row of stmt into elem (zeroed before the call).  On
 * failure elem must hold only what the list's release function frees. */
typedef status (*store_row_fn)(sqlite3_stmt *stmt, void *elem);

/* Steps stmt (prepared; NULL after a failed store_prepare gives st) to its
 * end, reading each row with read into a new element of size `size` of a
 * malloc'd array, and finalizes it.  On success *out (NULL when no row)
 * and *n are the caller's; on failure release(v, count) frees the rows
 * read, *out is NULL and what (e.g. "cannot read runs") names a database
 * error.  st is store_prepare's result, so callers chain the two. */
status store_rows(struct store *s, status st, sqlite3_stmt *stmt, size_t size, store_row_fn read,
		  void (*release)(void *v, size_t n), const char *what, void **out,
		  size_t *n) PA_MUST_CHECK;

/* Binds a string or NULL. */
int store_bind_text(sqlite3_stmt *st, int idx, const char *v);
/* Copies a column (NULL stays NULL); *ok is cleared on out of memory. */
char *store_column_dup(sqlite3_stmt *st, int col, int *ok);

#endif
