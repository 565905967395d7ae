/* The SQLite store: one file holding the registry, crawl runs with their
 * page models, audit runs with findings and scores.
 *
 * store_open creates or migrates the schema (versioned by PRAGMA
 * user_version, forward migrations only), in WAL mode with foreign keys on.
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

/* Opens (creating if needed) the database at path and brings its schema up
 * to date.  On failure *out is NULL and status_message() names the file. */
status store_open(struct store **out, const char *path) PA_MUST_CHECK;
/* Like store_open, but a missing file is ST_NOTFOUND "no such database:
 * PATH" and nothing is created. */
status store_open_existing(struct store **out, const char *path) PA_MUST_CHECK;
/* Opens an existing database read-only-ish for a reader thread (no
 * migration; fails if the schema is older than this program). */
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

/* Binds a string or NULL. */
int store_bind_text(sqlite3_stmt *st, int idx, const char *v);
/* Copies a column (NULL stays NULL); *ok is cleared on out of memory. */
char *store_column_dup(sqlite3_stmt *st, int col, int *ok);

#endif
