/* Dashboard accounts, sessions and the re-check queue (issue 14,
 * docs/DASHBOARD.md).  Passwords are kept as argon2id hashes (never
 * logged); session tokens as random 256-bit values, 64 hex characters.
 * Strings in the structs are owned; free with the matching _release. */
#ifndef STORE_USERS_H
#define STORE_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

enum user_role { ROLE_ADMIN, ROLE_UNIT, ROLE_SCHOOL };
/* "admin", "unit", "school"; parse gives ST_INVALID for anything else. */
const char *user_role_str(enum user_role r);
status user_role_parse(const char *s, enum user_role *out) PA_MUST_CHECK;

struct user {
	int64_t id;
	char *name;
	enum user_role role;
	char *unit;      /* ROLE_UNIT: the unit it sees and decides for */
	char *school_id; /* ROLE_SCHOOL: its school */
	bool disabled;
};
void user_release(struct user *u);

/* users add: the unit or school must exist in the registry (ST_NOTFOUND
 * naming it), admin takes neither, unit exactly a unit, school exactly a
 * school (ST_INVALID otherwise); the name is 1-64 printable bytes, unique. */
status users_add(struct store *s, const char *name, enum user_role role, const char *unit,
		 const char *school_id, const char *password) PA_MUST_CHECK;
status users_passwd(struct store *s, const char *name, const char *password) PA_MUST_CHECK;
status users_disable(struct store *s, const char *name) PA_MUST_CHECK;
status users_list(struct store *s, struct user **out, size_t *n) PA_MUST_CHECK;
void users_free(struct user *v, size_t n);

/* Login: ST_OK with *out filled when name and password match an enabled
 * account that is not locked.  A wrong password counts a failure; the
 * `max_failures`-th failure in a row locks the account for lock_seconds.
 * Locked, disabled, unknown and wrong all answer ST_DENIED (one message,
 * nothing telling them apart); *locked is set when the account is locked. */
status users_login(struct store *s, const char *name, const char *password, int max_failures,
		   int lock_seconds, struct user *out, bool *locked) PA_MUST_CHECK;

/* Sessions: a new random token and CSRF token (64 hex each) valid for
 * ttl_seconds; lookup gives the user and CSRF token of a live session
 * (ST_NOTFOUND when unknown, expired or logged out, or the user disabled);
 * end deletes it so the id can never be used again.  The store keeps only
 * the SHA-256 of the token.  users_passwd and users_disable end every
 * session of the user. */
status sessions_create(struct store *s, int64_t user_id, int ttl_seconds, char token[65],
		       char csrf[65]) PA_MUST_CHECK;
status sessions_lookup(struct store *s, const char *token, struct user *out,
		       char csrf[65]) PA_MUST_CHECK;
status sessions_end(struct store *s, const char *token) PA_MUST_CHECK;

/* The re-check queue: one crawl + audit of one school, run by one worker. */
enum recheck_state { RECHECK_QUEUED, RECHECK_RUNNING, RECHECK_DONE, RECHECK_FAILED };
struct recheck {
	int64_t id;
	char *school_id, *by, *queued_at, *started_at, *finished_at;
	enum recheck_state state;
	int64_t audit_run; /* the audit run it made (RECHECK_DONE), or 0 */
	int position;      /* place in the queue, 1 = next (RECHECK_QUEUED) */
	char *progress;    /* last progress line, e.g. "12 trang", or NULL */
};
void recheck_release(struct recheck *r);
/* A school user may queue at most per_day re-checks of its school a day
 * (UTC; ST_DENIED with a message beyond it); per_day < 0: no limit.
 * An unknown school is ST_NOTFOUND.  While a re-check of the school is
 * queued or running, that one's id is given back (ST_OK) and nothing is
 * queued or counted, so a second click costs nothing.  Only re-checks
 * queued with a limit (per_day >= 0) count toward it: an officer's
 * re-check leaves the school its own. */
status rechecks_enqueue(struct store *s, const char *school_id, const char *by, int per_day,
			int64_t *id) PA_MUST_CHECK;
status rechecks_get(struct store *s, int64_t id, struct recheck *out) PA_MUST_CHECK;
/* The re-checks of a school, newest first. */
status rechecks_of_school(struct store *s, const char *school_id, struct recheck **out,
			  size_t *n) PA_MUST_CHECK;
void rechecks_free(struct recheck *v, size_t n);

/* The worker's side (app/recheck.h), on a connection that holds the
 * store's writer lock (STORE_EXCLUSIVE), so one worker runs at a time.
 * take: the oldest queued re-check, marked running (ST_NOTFOUND when the
 * queue is empty).  progress: its progress line.  finish: done (with the
 * runs it made) or failed (with the reason as its progress line).
 * fail_stale: marks failed every re-check left running by a worker that
 * died, "bị gián đoạn"; *n says how many. */
status rechecks_take(struct store *s, struct recheck *out) PA_MUST_CHECK;
/* How many re-checks are queued (any connection, read only). */
status rechecks_queued(struct store *s, int *n) PA_MUST_CHECK;
status rechecks_progress(struct store *s, int64_t id, const char *text) PA_MUST_CHECK;
status rechecks_finish(struct store *s, int64_t id, bool ok, int64_t crawl_run, int64_t audit_run,
		       const char *progress) PA_MUST_CHECK;
status rechecks_fail_stale(struct store *s, int *n) PA_MUST_CHECK;

#endif
