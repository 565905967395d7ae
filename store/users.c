/* Dashboard accounts, sessions and the re-check queue (store/users.h).
 *
 * Passwords: argon2id (libargon2) with a random 16-byte salt from
 * getrandom(2), t = 2 passes over m = 19 MiB, one lane: the OWASP
 * minimum for argon2id, about 90 ms a login on the 2-core test machine
 * (64 MiB took 350-500 ms there, too slow for a login beside a loaded
 * server).  One setting for tests and production; the parameters live in
 * the encoded hash, so raising them later keeps old hashes verifiable.
 *
 * Session tokens: 32 bytes from getrandom(2) as 64 hex digits; the store
 * keeps their SHA-256 (libcrypto), so a copy of the database lets nobody
 * in, and the lookup compares digests, not secrets.  Neither a password
 * nor a token ever goes into a message or a log line. */
#include "store/users.h"

#include <argon2.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/clock.h"
#include "core/str.h"

#define PW_T_COST 2
#define PW_M_COST (19 * 1024) /* KiB */
#define PW_LANES 1
#define PW_SALT_BYTES 16
#define PW_HASH_BYTES 32
#define PW_MAX_BYTES 1024
#define NAME_MAX_BYTES 64

/* The one answer of a failed login, whatever failed. */
#define LOGIN_DENIED "tên đăng nhập hoặc mật khẩu không đúng"

static const char *const role_names[] = {"admin", "unit", "school"};

const char *user_role_str(enum user_role r)
{
	return (unsigned)r < 3 ? role_names[r] : "?";
}

status user_role_parse(const char *s, enum user_role *out)
{
	int i;

	for (i = 0; i < 3; i++)
		if (s && strcmp(s, role_names[i]) == 0) {
			*out = (enum user_role)i;
			return ST_OK;
		}
	return status_set(ST_INVALID, "unknown role '%s': want admin, unit or school", s ? s : "");
}

void user_release(struct user *u)
{
	if (!u)
		return;
	free(u->name);
	free(u->unit);
	free(u->school_id);
	memset(u, 0, sizeof(*u));
}

void users_free(struct user *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		user_release(&v[i]);
	free(v);
}

/* n random bytes from the kernel's generator. */
static status random_bytes(unsigned char *out, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(out + got, n - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return status_set(ST_IO, "getrandom: %s", strerror(errno));
		got += (size_t)r;
	}
	return ST_OK;
}

static void to_hex(const unsigned char *v, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[v[i] >> 4];
		out[2 * i + 1] = digits[v[i] & 15];
	}
	out[2 * n] = '\0';
}

/* 32 random bytes as 64 hex digits. */
static status random_token(char out[65])
{
	unsigned char raw[32];
	status st = random_bytes(raw, sizeof(raw));

	if (st == ST_OK)
		to_hex(raw, sizeof(raw), out);
	explicit_bzero(raw, sizeof(raw));
	return st;
}

/* The SHA-256 of a token, as the store keeps it. */
static status token_digest(const char *token, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (EVP_Digest(token, strlen(token), md, &len, EVP_sha256(), NULL) != 1 || len != 32)
		return status_set(ST_IO, "SHA-256 failed");
	to_hex(md, 32, out);
	return ST_OK;
}

/* 64 lower-case hex digits: the only shape a token has. */
static bool token_shape(const char *t)
{
	size_t i;

	for (i = 0; t && i < 64; i++)
		if (!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
			return false;
	return t && t[64] == '\0';
}

static status password_check(const char *pw)
{
	size_t n = pw ? strlen(pw) : 0;

	if (n == 0)
		return status_set(ST_INVALID, "the password is empty");
	if (n > PW_MAX_BYTES)
		return status_set(ST_INVALID, "the password is longer than %d bytes", PW_MAX_BYTES);
	return ST_OK;
}

/* The encoded argon2id hash of pw with a fresh salt; free the result. */
static status password_hash(const char *pw, char **out)
{
	unsigned char salt[PW_SALT_BYTES];
	size_t len = argon2_encodedlen(PW_T_COST, PW_M_COST, PW_LANES, PW_SALT_BYTES, PW_HASH_BYTES,
				       Argon2_id);
	char *enc = malloc(len);
	status st = enc ? random_bytes(salt, sizeof(salt)) : status_set(ST_NOMEM, "out of memory");
	int rc;

	*out = NULL;
	if (st == ST_OK) {
		rc = argon2id_hash_encoded(PW_T_COST, PW_M_COST, PW_LANES, pw, strlen(pw), salt,
					   sizeof(salt), PW_HASH_BYTES, enc, len);
		if (rc != ARGON2_OK)
			st = status_set(rc == ARGON2_MEMORY_ALLOCATION_ERROR ? ST_NOMEM : ST_IO,
					"argon2id: %s", argon2_error_message(rc));
	}
	if (st == ST_OK) {
		*out = enc;
		enc = NULL;
	}
	free(enc);
	return st;
}

/* A hash of a password nobody has, with the real parameters: an unknown
 * name costs the same time as a known one. */
static const char dummy_hash[] = "$argon2id$v=19$m=19456,t=2,p=1$AQAAAAAAAAAAAAAAAAAAAA$"
				 "pknriHOlJzv0XkEtbatz6vkG87evVC/1hU61WI901QU";

static bool password_ok(const char *hash, const char *pw)
{
	return argon2id_verify(hash, pw, strlen(pw)) == ARGON2_OK;
}

/* 1 to 64 bytes, no space and no control character. */
static status name_check(const char *name)
{
	size_t n = name ? strlen(name) : 0, i;

	if (n == 0 || n > NAME_MAX_BYTES)
		return status_set(ST_INVALID, "a user name has 1 to %d bytes", NAME_MAX_BYTES);
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] <= 0x20 || name[i] == 0x7f)
			return status_set(ST_INVALID,
					  "user name '%s': no spaces or control characters", name);
	return ST_OK;
}

/* Runs sql with text parameters (NULL binds NULL); *found says whether
 * it gave a row, *val its first column as an integer. */
static status query(struct store *s, const char *sql, const char *const *params, int nparams,
		    bool *found, int64_t *val)
{
	sqlite3_stmt *stmt = NULL;
	status st = store_prepare(s, &stmt, sql);
	int i, rc;

	for (i = 0; st == ST_OK && i < nparams; i++)
		store_bind_text(stmt, i + 1, params[i]);
	if (st == ST_OK) {
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			if (found)
				*found = true;
			if (val)
				*val = sqlite3_column_int64(stmt, 0);
		} else if (rc == SQLITE_DONE) {
			if (found)
				*found = false;
		} else {
			st = store_error(s, "query failed");
		}
	}
	sqlite3_finalize(stmt);
	return st;
}

/* What role takes: admin neither, unit a unit, school a school, each in
 * the registry. */
static status scope_check(struct store *s, enum user_role role, const char *unit,
			  const char *school_id)
{
	const char *p[1];
	bool found = false;
	status st;

	if (role == ROLE_ADMIN && (unit || school_id))
		return status_set(ST_INVALID, "an admin takes neither --unit nor --school");
	if (role == ROLE_UNIT && (!unit || school_id))
		return status_set(ST_INVALID, "a unit user takes --unit U and no --school");
	if (role == ROLE_SCHOOL && (!school_id || unit))
		return status_set(ST_INVALID, "a school user takes --school ID and no --unit");
	if (role == ROLE_ADMIN)
		return ST_OK;
	p[0] = role == ROLE_UNIT ? unit : school_id;
	st = query(s,
		   role == ROLE_UNIT
			   ? "SELECT 1 FROM schools WHERE unit = ? LIMIT 1"
			   : "SELECT 1 FROM schools WHERE id = ? AND id NOT LIKE 'check:%'",
		   p, 1, &found, NULL);
	if (st == ST_OK && !found)
		st = status_set(ST_NOTFOUND, "no %s '%s' in the registry",
				role == ROLE_UNIT ? "unit" : "school", p[0]);
	return st;
}

status users_add(struct store *s, const char *name, enum user_role role, const char *unit,
		 const char *school_id, const char *password)
{
	sqlite3_stmt *stmt = NULL;
	char *hash = NULL, now[21];
	bool taken = false;
	status st = name_check(name);

	if (st == ST_OK)
		st = password_check(password);
	if (st == ST_OK)
		st = scope_check(s, role, unit, school_id);
	if (st == ST_OK)
		st = query(s, "SELECT 1 FROM users WHERE name = ?", &name, 1, &taken, NULL);
	if (st == ST_OK && taken)
		st = status_set(ST_INVALID, "user '%s' exists already", name);
	if (st == ST_OK)
		st = password_hash(password, &hash);
	if (st == ST_OK)
		st = store_prepare(s, &stmt,
				   "INSERT INTO users (name, role, unit, school_id, pw_hash,"
				   " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
	if (st == ST_OK) {
		clock_datetime(time(NULL), now);
		store_bind_text(stmt, 1, name);
		store_bind_text(stmt, 2, user_role_str(role));
		store_bind_text(stmt, 3, unit);
		store_bind_text(stmt, 4, school_id);
		store_bind_text(stmt, 5, hash);
		store_bind_text(stmt, 6, now);
		store_bind_text(stmt, 7, now);
		if (sqlite3_step(stmt) != SQLITE_DONE)
			st = (sqlite3_errcode(store_db(s)) & 0xff) == SQLITE_CONSTRAINT
				     ? status_set(ST_INVALID, "user '%s' exists already", name)
				     : store_error(s, "cannot add the user");
	}
	sqlite3_finalize(stmt);
	free(hash);
	return st;
}

/* Runs a write with text parameters in its own transaction with the
 * session cleanup of the user: *changed says whether a user row changed. */
static status user_write(struct store *s, const char *sql, const char *const *params, int n,
			 const char *name, bool *changed)
{
	sqlite3_stmt *stmt = NULL;
	const char *p[1] = {name};
	status st = store_begin(s);
	int i;

	if (st == ST_OK)
		st = store_prepare(s, &stmt, sql);
	for (i = 0; st == ST_OK && i < n; i++)
		store_bind_text(stmt, i + 1, params[i]);
	if (st == ST_OK && sqlite3_step(stmt) != SQLITE_DONE)
		st = store_error(s, "cannot update the user");
	*changed = st == ST_OK && sqlite3_changes(store_db(s)) > 0;
	sqlite3_finalize(stmt);
	if (st == ST_OK && *changed)
		st = query(
			s,
			"DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)",
			p, 1, NULL, NULL);
	if (st == ST_OK)
		return store_commit(s);
	store_rollback(s);
	return st;
}

status users_passwd(struct store *s, const char *name, const char *password)
{
	char *hash = NULL, now[21];
	const char *p[3];
	bool changed = false;
	status st = password_check(password);

	if (st == ST_OK)
		st = password_hash(password, &hash);
	if (st == ST_OK) {
		clock_datetime(time(NULL), now);
		p[0] = hash;
		p[1] = now;
		p[2] = name;
		st = user_write(s,
				"UPDATE users SET pw_hash = ?, updated_at = ?, failures = 0,"
				" locked_until = 0 WHERE name = ?",
				p, 3, name, &changed);
	}
	if (st == ST_OK && !changed)
		st = status_set(ST_NOTFOUND, "no user '%s'", name);
	free(hash);
	return st;
}

status users_disable(struct store *s, const char *name)
{
	char now[21];
	const char *p[2] = {now, name};
	bool changed = false;
	status st;

	clock_datetime(time(NULL), now);
	st = user_write(s, "UPDATE users SET disabled = 1, updated_at = ? WHERE name = ?", p, 2,
			name, &changed);
	if (st == ST_OK && !changed)
		st = status_set(ST_NOTFOUND, "no user '%s'", name);
	return st;
}

/* Fills u from columns id, name, role, unit, school_id, disabled at col. */
static status user_from_row(sqlite3_stmt *stmt, int col, struct user *u)
{
	int ok = 1;
	enum user_role r = ROLE_ADMIN;
	const unsigned char *role = sqlite3_column_text(stmt, col + 2);

	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(stmt, col);
	u->name = store_column_dup(stmt, col + 1, &ok);
	if (user_role_parse((const char *)role, &r) < 0)
		return status_set(ST_DB, "user %lld has an unknown role",
				  (long long)sqlite3_column_int64(stmt, col));
	u->role = r;
	u->unit = store_column_dup(stmt, col + 3, &ok);
	u->school_id = store_column_dup(stmt, col + 4, &ok);
	u->disabled = sqlite3_column_int(stmt, col + 5) != 0;
	if (!ok || !u->name) {
		user_release(u);
		return status_set(ST_NOMEM, "out of memory");
	}
	return ST_OK;
}

static status user_row(sqlite3_stmt *stmt, void *u)
{
	return user_from_row(stmt, 0, u);
}

static void users_free_rows(void *v, size_t n)
{
	users_free(v, n);
}

status users_list(struct store *s, struct user **out, size_t *n)
{
	sqlite3_stmt *stmt = NULL;
	status st = store_prepare(s, &stmt,
				  "SELECT id, name, role, unit, school_id, disabled FROM users"
				  " ORDER BY name");

	return store_rows(s, st, stmt, sizeof(**out), user_row, users_free_rows,
			  "cannot list the users", (void **)out, n);
}

/* One account as the login reads it. */
struct login_row {
	struct user u;
	char *hash;
	int64_t locked_until;
	bool found;
};

static status login_row_load(struct store *s, const char *name, struct login_row *lr)
{
	sqlite3_stmt *stmt = NULL;
	int ok = 1, rc;
	status st = store_prepare(s, &stmt,
				  "SELECT id, name, role, unit, school_id, disabled, pw_hash,"
				  " locked_until FROM users WHERE name = ?");

	memset(lr, 0, sizeof(*lr));
	if (st == ST_OK) {
		store_bind_text(stmt, 1, name);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			st = user_from_row(stmt, 0, &lr->u);
			lr->hash = store_column_dup(stmt, 6, &ok);
			lr->locked_until = sqlite3_column_int64(stmt, 7);
			lr->found = st == ST_OK;
			if (st == ST_OK && (!ok || !lr->hash))
				st = status_set(ST_NOMEM, "out of memory");
		} else if (rc != SQLITE_DONE) {
			st = store_error(s, "cannot read the user");
		}
	}
	sqlite3_finalize(stmt);
	return st;
}

/* A wrong password: one more failure in a row; the max_failures-th locks
 * the account for lock_seconds and starts the count again.  Sets *locked. */
static status login_failed(struct store *s, int64_t id, int max_failures, int lock_seconds,
			   bool *locked)
{
	char idbuf[24], until[24];
	const char *p[3] = {idbuf, NULL, NULL};
	int64_t failures = 0;
	status st = store_begin(s);

	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)id);
	if (st == ST_OK)
		st = query(
			s,
			"UPDATE users SET failures = failures + 1 WHERE id = ? RETURNING failures",
			p, 1, NULL, &failures);
	if (st == ST_OK && max_failures > 0 && failures >= max_failures) {
		snprintf(until, sizeof(until), "%lld", (long long)time(NULL) + lock_seconds);
		p[0] = until;
		p[1] = idbuf;
		st = query(s, "UPDATE users SET failures = 0, locked_until = ? WHERE id = ?", p, 2,
			   NULL, NULL);
		*locked = true;
	}
	if (st == ST_OK)
		return store_commit(s);
	store_rollback(s);
	return st;
}

status users_login(struct store *s, const char *name, const char *password, int max_failures,
		   int lock_seconds, struct user *out, bool *locked)
{
	struct login_row lr;
	char idbuf[24];
	const char *p[1] = {idbuf};
	status st;
	bool good;

	memset(out, 0, sizeof(*out));
	*locked = false;
	if (!name || !password)
		return status_set(ST_DENIED, LOGIN_DENIED);
	st = login_row_load(s, name, &lr);
	if (st < 0)
		goto out;
	if (lr.found && lr.locked_until > (int64_t)time(NULL)) {
		/* No verification while locked: guessing goes nowhere. */
		*locked = true;
		st = status_set(ST_DENIED, LOGIN_DENIED);
		goto out;
	}
	good = password_ok(lr.found ? lr.hash : dummy_hash, password);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)lr.u.id);
	if (lr.found && !good)
		st = login_failed(s, lr.u.id, max_failures, lock_seconds, locked);
	else if (lr.found && !lr.u.disabled)
		st = query(s, "UPDATE users SET failures = 0, locked_until = 0 WHERE id = ?", p, 1,
			   NULL, NULL);
	if (st == ST_OK && (!lr.found || !good || lr.u.disabled))
		st = status_set(ST_DENIED, LOGIN_DENIED);
	if (st == ST_OK) {
		*out = lr.u;
		memset(&lr.u, 0, sizeof(lr.u));
	}
out:
	user_release(&lr.u);
	free(lr.hash);
	return st;
}

status sessions_create(struct store *s, int64_t user_id, int ttl_seconds, char token[65],
		       char csrf[65])
{
	sqlite3_stmt *stmt = NULL;
	char digest[65];
	int64_t now = (int64_t)time(NULL);
	status st = random_token(token);

	if (st == ST_OK)
		st = random_token(csrf);
	if (st == ST_OK)
		st = token_digest(token, digest);
	if (st == ST_OK)
		st = store_prepare(s, &stmt,
				   "INSERT INTO sessions (token_hash, user_id, csrf, created_at,"
				   " expires_at) VALUES (?, ?, ?, ?, ?)");
	if (st == ST_OK) {
		store_bind_text(stmt, 1, digest);
		sqlite3_bind_int64(stmt, 2, user_id);
		store_bind_text(stmt, 3, csrf);
		sqlite3_bind_int64(stmt, 4, now);
		sqlite3_bind_int64(stmt, 5, now + ttl_seconds);
		st = store_step_done(s, stmt);
	}
	sqlite3_finalize(stmt);
	/* Expired sessions go as new ones come: the table stays small. */
	if (st == ST_OK &&
	    (st = store_prepare(s, &stmt, "DELETE FROM sessions WHERE expires_at <= ?")) == ST_OK) {
		sqlite3_bind_int64(stmt, 1, now);
		st = store_step_done(s, stmt);
		sqlite3_finalize(stmt);
	}
	if (st < 0) {
		token[0] = '\0';
		csrf[0] = '\0';
	}
	return st;
}

status sessions_lookup(struct store *s, const char *token, struct user *out, char csrf[65])
{
	sqlite3_stmt *stmt = NULL;
	char digest[65];
	status st;
	int rc;

	memset(out, 0, sizeof(*out));
	csrf[0] = '\0';
	if (!token_shape(token))
		return status_set(ST_NOTFOUND, "no such session");
	st = token_digest(token, digest);
	if (st == ST_OK)
		st = store_prepare(
			s, &stmt,
			"SELECT u.id, u.name, u.role, u.unit, u.school_id, u.disabled,"
			" s.csrf FROM sessions s JOIN users u ON u.id = s.user_id"
			" WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0");
	if (st == ST_OK) {
		store_bind_text(stmt, 1, digest);
		sqlite3_bind_int64(stmt, 2, (int64_t)time(NULL));
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			const unsigned char *c = sqlite3_column_text(stmt, 6);

			st = user_from_row(stmt, 0, out);
			if (st == ST_OK && c && strlen((const char *)c) == 64)
				memcpy(csrf, c, 65);
			else if (st == ST_OK)
				st = status_set(ST_DB, "a session has no CSRF token");
		} else if (rc == SQLITE_DONE) {
			st = status_set(ST_NOTFOUND, "no such session");
		} else {
			st = store_error(s, "cannot read the session");
		}
	}
	sqlite3_finalize(stmt);
	if (st < 0) {
		user_release(out);
		csrf[0] = '\0';
	}
	return st;
}

status sessions_end(struct store *s, const char *token)
{
	char digest[65];
	const char *p[1] = {digest};
	status st;

	if (!token_shape(token))
		return ST_OK;
	st = token_digest(token, digest);
	if (st == ST_OK)
		st = query(s, "DELETE FROM sessions WHERE token_hash = ?", p, 1, NULL, NULL);
	return st;
}

static const char *const recheck_states[] = {"queued", "running", "done", "failed"};

void recheck_release(struct recheck *r)
{
	if (!r)
		return;
	free(r->school_id);
	free(r->by);
	free(r->queued_at);
	free(r->started_at);
	free(r->finished_at);
	free(r->progress);
	memset(r, 0, sizeof(*r));
}

void rechecks_free(struct recheck *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		recheck_release(&v[i]);
	free(v);
}

/* The columns recheck_from_row reads, then the queue position. */
#define RECHECK_COLS                                                                  \
	"r.id, r.school_id, r.by, r.queued_at, r.started_at, r.finished_at, r.state," \
	" r.audit_run, r.progress,"                                                   \
	" CASE r.state WHEN 'queued' THEN (SELECT count(*) FROM rechecks q"           \
	"   WHERE q.state = 'queued' AND q.id <= r.id) ELSE 0 END"

/* Reads RECHECK_COLS into r (a struct recheck: a store_row_fn). */
static status recheck_from_row(sqlite3_stmt *stmt, void *elem)
{
	struct recheck *r = elem;
	const char *state = (const char *)sqlite3_column_text(stmt, 6);
	int ok = 1, i;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(stmt, 0);
	r->school_id = store_column_dup(stmt, 1, &ok);
	r->by = store_column_dup(stmt, 2, &ok);
	r->queued_at = store_column_dup(stmt, 3, &ok);
	r->started_at = store_column_dup(stmt, 4, &ok);
	r->finished_at = store_column_dup(stmt, 5, &ok);
	for (i = 0; i < 4; i++)
		if (state && strcmp(state, recheck_states[i]) == 0)
			r->state = (enum recheck_state)i;
	r->audit_run = sqlite3_column_int64(stmt, 7);
	r->progress = store_column_dup(stmt, 8, &ok);
	r->position = sqlite3_column_int(stmt, 9);
	if (!ok) {
		recheck_release(r);
		return status_set(ST_NOMEM, "out of memory");
	}
	return ST_OK;
}

static void rechecks_free_rows(void *v, size_t n)
{
	rechecks_free(v, n);
}

/* The re-checks sql selects (RECHECK_COLS from rechecks r), bound to one
 * text and one integer parameter when given. */
static status rechecks_select(struct store *s, const char *sql, const char *text, int64_t num,
			      struct recheck **out, size_t *n)
{
	sqlite3_stmt *stmt = NULL;
	status st = store_prepare(s, &stmt, sql);

	if (st == ST_OK && text)
		store_bind_text(stmt, 1, text);
	else if (st == ST_OK)
		sqlite3_bind_int64(stmt, 1, num);
	return store_rows(s, st, stmt, sizeof(**out), recheck_from_row, rechecks_free_rows,
			  "cannot read the re-checks", (void **)out, n);
}

status rechecks_get(struct store *s, int64_t id, struct recheck *out)
{
	struct recheck *v = NULL;
	size_t n = 0;
	status st = rechecks_select(s, "SELECT " RECHECK_COLS " FROM rechecks r WHERE r.id = ?",
				    NULL, id, &v, &n);

	memset(out, 0, sizeof(*out));
	if (st == ST_OK && n == 0)
		st = status_set(ST_NOTFOUND, "no re-check %lld", (long long)id);
	if (st == ST_OK) {
		*out = v[0];
		memset(&v[0], 0, sizeof(v[0]));
	}
	rechecks_free(v, n);
	return st;
}

status rechecks_of_school(struct store *s, const char *school_id, struct recheck **out, size_t *n)
{
	return rechecks_select(s,
			       "SELECT " RECHECK_COLS " FROM rechecks r WHERE r.school_id = ?"
			       " ORDER BY r.id DESC",
			       school_id, 0, out, n);
}

/* Inside the enqueue transaction: *id of a queued or running re-check of
 * the school (0: none), and how many limited ones were queued today. */
static status recheck_pending(struct store *s, const char *school_id, int64_t *id, int64_t *today)
{
	char day[24];
	const char *p[2] = {school_id, day};
	bool found = false;
	status st;

	*id = 0;
	st = query(s,
		   "SELECT id FROM rechecks WHERE school_id = ? AND state IN ('queued', 'running')"
		   " ORDER BY id LIMIT 1",
		   p, 1, &found, id);
	if (st < 0)
		return st;
	if (!found)
		*id = 0;
	clock_date(time(NULL), day);
	memcpy(day + 10, "T00:00:00Z", 11);
	return query(s,
		     "SELECT count(*) FROM rechecks WHERE school_id = ? AND limited = 1"
		     " AND queued_at >= ?",
		     p, 2, NULL, today);
}

status rechecks_enqueue(struct store *s, const char *school_id, const char *by, int per_day,
			int64_t *id)
{
	sqlite3_stmt *stmt = NULL;
	const char *p[1] = {school_id};
	int64_t pending = 0, today = 0;
	bool found = false;
	char now[21];
	status st;

	*id = 0;
	st = query(s, "SELECT 1 FROM schools WHERE id = ?", p, 1, &found, NULL);
	if (st == ST_OK && !found)
		return status_set(ST_NOTFOUND, "no school '%s' in the registry", school_id);
	if (st == ST_OK)
		st = store_begin(s);
	if (st < 0)
		return st;
	st = recheck_pending(s, school_id, &pending, &today);
	if (st == ST_OK && pending) {
		*id = pending;
		goto out;
	}
	if (st == ST_OK && per_day >= 0 && today >= per_day) {
		st = status_set(ST_DENIED,
				"trường %s đã yêu cầu kiểm tra lại %lld lần hôm nay; tối đa %d lần "
				"một ngày",
				school_id, (long long)today, per_day);
		goto out;
	}
	if (st == ST_OK)
		st = store_prepare(s, &stmt,
				   "INSERT INTO rechecks (school_id, by, limited, queued_at)"
				   " VALUES (?, ?, ?, ?)");
	if (st == ST_OK) {
		clock_datetime(time(NULL), now);
		store_bind_text(stmt, 1, school_id);
		store_bind_text(stmt, 2, by ? by : "");
		sqlite3_bind_int(stmt, 3, per_day >= 0);
		store_bind_text(stmt, 4, now);
		st = store_step_done(s, stmt);
		*id = sqlite3_last_insert_rowid(store_db(s));
	}
out:
	sqlite3_finalize(stmt);
	if (st == ST_OK)
		return store_commit(s);
	store_rollback(s);
	*id = 0;
	return st;
}

status rechecks_take(struct store *s, struct recheck *out)
{
	char now[21];
	const char *p[1] = {now};
	int64_t id = 0;
	bool found = false;
	status st = store_begin(s);

	memset(out, 0, sizeof(*out));
	clock_datetime(time(NULL), now);
	if (st == ST_OK)
		st = query(s,
			   "UPDATE rechecks SET state = 'running', started_at = ?"
			   " WHERE id = (SELECT id FROM rechecks WHERE state = 'queued'"
			   " ORDER BY id LIMIT 1) RETURNING id",
			   p, 1, &found, &id);
	if (st == ST_OK)
		st = store_commit(s);
	else
		store_rollback(s);
	if (st == ST_OK && !found)
		return status_set(ST_NOTFOUND, "no re-check is queued");
	return st == ST_OK ? rechecks_get(s, id, out) : st;
}

status rechecks_queued(struct store *s, int *n)
{
	int64_t k = 0;
	status st =
		query(s, "SELECT count(*) FROM rechecks WHERE state = 'queued'", NULL, 0, NULL, &k);

	*n = st == ST_OK ? (int)k : 0;
	return st;
}

status rechecks_progress(struct store *s, int64_t id, const char *text)
{
	sqlite3_stmt *stmt = NULL;
	status st = store_prepare(s, &stmt, "UPDATE rechecks SET progress = ? WHERE id = ?");

	if (st == ST_OK) {
		store_bind_text(stmt, 1, text);
		sqlite3_bind_int64(stmt, 2, id);
		st = store_step_done(s, stmt);
	}
	sqlite3_finalize(stmt);
	return st;
}

status rechecks_finish(struct store *s, int64_t id, bool ok, int64_t crawl_run, int64_t audit_run,
		       const char *progress)
{
	sqlite3_stmt *stmt = NULL;
	char now[21];
	status st = store_prepare(s, &stmt,
				  "UPDATE rechecks SET state = ?, finished_at = ?, crawl_run = ?,"
				  " audit_run = ?, progress = coalesce(?, progress) WHERE id = ?");

	if (st == ST_OK) {
		clock_datetime(time(NULL), now);
		store_bind_text(stmt, 1, ok ? "done" : "failed");
		store_bind_text(stmt, 2, now);
		if (crawl_run)
			sqlite3_bind_int64(stmt, 3, crawl_run);
		if (audit_run)
			sqlite3_bind_int64(stmt, 4, audit_run);
		store_bind_text(stmt, 5, progress);
		sqlite3_bind_int64(stmt, 6, id);
		st = store_step_done(s, stmt);
	}
	sqlite3_finalize(stmt);
	return st;
}

status rechecks_fail_stale(struct store *s, int *n)
{
	char now[21];
	const char *p[1] = {now};
	status st;

	clock_datetime(time(NULL), now);
	*n = 0;
	st = query(s,
		   "UPDATE rechecks SET state = 'failed', finished_at = ?,"
		   " progress = 'bị gián đoạn' WHERE state = 'running'",
		   p, 1, NULL, NULL);
	if (st == ST_OK)
		*n = sqlite3_changes(store_db(s));
	return st;
}
