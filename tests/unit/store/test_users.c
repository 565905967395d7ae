/* Dashboard accounts, sessions and the re-check queue: an account's scope
 * is checked against the registry, a login takes the right password only,
 * the max_failures-th wrong one locks the account until the lock ends, a
 * disabled account cannot log in, sessions live until they expire or end,
 * the store never holds a password or a token in clear, and a school user
 * may queue 3 re-checks a day. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/users.h"
#include "tests/unit/common/tmpfiles.h"

static char db_path[TMPFILES_PATH];
static struct store *S;

static void exec(const char *sql)
{
	assert_int_equal(sqlite3_exec(store_db(S), sql, NULL, NULL, NULL), SQLITE_OK);
}

static int setup(void **state)
{
	(void)state;
	if (tmpfiles_store(db_path, "test_users") < 0 || store_open(&S, db_path) != ST_OK)
		return -1;
	exec("INSERT INTO schools (id, name, unit, level, ownership, portal_url, imported_at,"
	     " updated_at) VALUES"
	     " ('S1', 'Trường Một', 'Phường Bến Nghé', 'thcs', 'cong_lap', 'http://a/', 'x', 'x'),"
	     " ('S2', 'Trường Hai', 'Phường Sài Gòn', 'th', 'cong_lap', 'http://b/', 'x', 'x')");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_free(S);
	S = NULL;
	tmpfiles_store_remove(db_path);
	return 0;
}

/* How many rows sql counts. */
static long count(const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	long n;

	assert_int_equal(sqlite3_prepare_v2(store_db(S), sql, -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

static status login(const char *name, const char *pw, bool *locked)
{
	struct user u;
	status st = users_login(S, name, pw, 10, 600, &u, locked);

	user_release(&u);
	return st;
}

static void add_checks_role_and_registry(void **state)
{
	(void)state;
	assert_int_equal(users_add(S, "admin", ROLE_ADMIN, NULL, NULL, "pw-admin"), ST_OK);
	assert_int_equal(users_add(S, "bn", ROLE_UNIT, "Phường Bến Nghé", NULL, "pw"), ST_OK);
	assert_int_equal(users_add(S, "s1", ROLE_SCHOOL, NULL, "S1", "pw"), ST_OK);
	/* Taken name, unknown unit or school, wrong or missing scope, empty
	 * password, a name with a space. */
	assert_int_equal(users_add(S, "admin", ROLE_ADMIN, NULL, NULL, "x"), ST_INVALID);
	assert_int_equal(users_add(S, "u2", ROLE_UNIT, "Quận 99", NULL, "x"), ST_NOTFOUND);
	assert_non_null(strstr(status_message(), "Quận 99"));
	assert_int_equal(users_add(S, "s9", ROLE_SCHOOL, NULL, "S9", "x"), ST_NOTFOUND);
	assert_int_equal(users_add(S, "s2", ROLE_SCHOOL, "Phường Sài Gòn", "S2", "x"), ST_INVALID);
	assert_int_equal(users_add(S, "u3", ROLE_UNIT, NULL, NULL, "x"), ST_INVALID);
	assert_int_equal(users_add(S, "a2", ROLE_ADMIN, "Phường Sài Gòn", NULL, "x"), ST_INVALID);
	assert_int_equal(users_add(S, "a3", ROLE_ADMIN, NULL, NULL, ""), ST_INVALID);
	assert_int_equal(users_add(S, "a b", ROLE_ADMIN, NULL, NULL, "x"), ST_INVALID);
	assert_int_equal(users_add(S, "", ROLE_ADMIN, NULL, NULL, "x"), ST_INVALID);
	assert_int_equal(count("SELECT count(*) FROM users"), 3);
}

static void role_names_round_trip(void **state)
{
	enum user_role r = ROLE_ADMIN;

	(void)state;
	assert_int_equal(user_role_parse("school", &r), ST_OK);
	assert_int_equal(r, ROLE_SCHOOL);
	assert_string_equal(user_role_str(ROLE_UNIT), "unit");
	assert_int_equal(user_role_parse("root", &r), ST_INVALID);
}

static void password_stored_as_argon2id_only(void **state)
{
	(void)state;
	assert_int_equal(users_add(S, "u", ROLE_ADMIN, NULL, NULL, "hunter2-secret"), ST_OK);
	assert_int_equal(count("SELECT count(*) FROM users WHERE pw_hash LIKE '$argon2id$%'"), 1);
	assert_int_equal(count("SELECT count(*) FROM users WHERE instr(pw_hash, 'hunter2') > 0"),
			 0);
	/* A fresh salt: the same password hashes differently. */
	assert_int_equal(users_add(S, "v", ROLE_ADMIN, NULL, NULL, "hunter2-secret"), ST_OK);
	assert_int_equal(count("SELECT count(DISTINCT pw_hash) FROM users"), 2);
}

static void login_takes_right_password_only(void **state)
{
	struct user u;
	bool locked = true;

	(void)state;
	assert_int_equal(users_add(S, "s1", ROLE_SCHOOL, NULL, "S1", "đúng rồi"), ST_OK);
	assert_int_equal(users_login(S, "s1", "đúng rồi", 10, 600, &u, &locked), ST_OK);
	assert_false(locked);
	assert_string_equal(u.name, "s1");
	assert_int_equal(u.role, ROLE_SCHOOL);
	assert_string_equal(u.school_id, "S1");
	assert_null(u.unit);
	user_release(&u);
	assert_int_equal(login("s1", "đúng rồi ", &locked), ST_DENIED);
	assert_false(locked);
	/* Unknown name: the same answer, the same message. */
	assert_int_equal(login("s1", "sai", &locked), ST_DENIED);
	{
		char wrong[256];

		snprintf(wrong, sizeof(wrong), "%s", status_message());
		assert_int_equal(login("nobody", "sai", &locked), ST_DENIED);
		assert_string_equal(status_message(), wrong);
		assert_null(strstr(wrong, "sai"));
	}
	assert_false(locked);
}

static void tenth_failure_locks_until_lock_ends(void **state)
{
	bool locked = false;
	int i;

	(void)state;
	assert_int_equal(users_add(S, "bn", ROLE_UNIT, "Phường Bến Nghé", NULL, "mật khẩu"), ST_OK);
	for (i = 1; i < 10; i++) {
		assert_int_equal(login("bn", "sai", &locked), ST_DENIED);
		assert_false(locked);
	}
	/* A success resets the count: nine more failures do not lock. */
	assert_int_equal(login("bn", "mật khẩu", &locked), ST_OK);
	for (i = 1; i < 10; i++)
		assert_int_equal(login("bn", "sai", &locked), ST_DENIED);
	assert_false(locked);
	assert_int_equal(login("bn", "sai", &locked), ST_DENIED);
	assert_true(locked);
	/* Locked: even the right password is refused. */
	locked = false;
	assert_int_equal(login("bn", "mật khẩu", &locked), ST_DENIED);
	assert_true(locked);
	assert_int_equal(
		count("SELECT count(*) FROM users WHERE locked_until > strftime('%s','now')"
		      " + 500"),
		1);
	/* The lock ends (moved into the past rather than waited for). */
	exec("UPDATE users SET locked_until = strftime('%s','now') - 1");
	assert_int_equal(login("bn", "mật khẩu", &locked), ST_OK);
	assert_false(locked);
}

static void lock_ends_by_the_clock(void **state)
{
	struct user u;
	bool locked = false;

	(void)state;
	assert_int_equal(users_add(S, "x", ROLE_ADMIN, NULL, NULL, "pw"), ST_OK);
	assert_int_equal(users_login(S, "x", "bad", 2, 1, &u, &locked), ST_DENIED);
	assert_int_equal(users_login(S, "x", "bad", 2, 1, &u, &locked), ST_DENIED);
	assert_true(locked);
	sleep(2);
	assert_int_equal(users_login(S, "x", "pw", 2, 1, &u, &locked), ST_OK);
	assert_false(locked);
	user_release(&u);
}

static void disabled_account_cannot_log_in(void **state)
{
	char token[65], csrf[65], got_csrf[65];
	struct user u;
	bool locked = false;

	(void)state;
	assert_int_equal(users_add(S, "s2", ROLE_SCHOOL, NULL, "S2", "pw"), ST_OK);
	assert_int_equal(users_login(S, "s2", "pw", 10, 600, &u, &locked), ST_OK);
	assert_int_equal(sessions_create(S, u.id, 3600, token, csrf), ST_OK);
	user_release(&u);
	assert_int_equal(users_disable(S, "s2"), ST_OK);
	assert_int_equal(login("s2", "pw", &locked), ST_DENIED);
	assert_false(locked);
	/* Its sessions went with it. */
	assert_int_equal(sessions_lookup(S, token, &u, got_csrf), ST_NOTFOUND);
	assert_int_equal(users_disable(S, "nobody"), ST_NOTFOUND);
	assert_int_equal(users_passwd(S, "nobody", "pw"), ST_NOTFOUND);
}

static void passwd_changes_password_and_ends_sessions(void **state)
{
	char token[65], csrf[65], got_csrf[65];
	struct user u;
	bool locked = false;

	(void)state;
	assert_int_equal(users_add(S, "a", ROLE_ADMIN, NULL, NULL, "old"), ST_OK);
	assert_int_equal(users_login(S, "a", "old", 10, 600, &u, &locked), ST_OK);
	assert_int_equal(sessions_create(S, u.id, 3600, token, csrf), ST_OK);
	user_release(&u);
	assert_int_equal(users_passwd(S, "a", ""), ST_INVALID);
	assert_int_equal(users_passwd(S, "a", "new"), ST_OK);
	assert_int_equal(login("a", "old", &locked), ST_DENIED);
	assert_int_equal(login("a", "new", &locked), ST_OK);
	assert_int_equal(sessions_lookup(S, token, &u, got_csrf), ST_NOTFOUND);
}

static void sessions_live_until_expiry_or_end(void **state)
{
	char token[65], csrf[65], got_csrf[65], other[65], other_csrf[65], sql[256];
	struct user u, me;
	bool locked = false;

	(void)state;
	assert_int_equal(users_add(S, "bn", ROLE_UNIT, "Phường Bến Nghé", NULL, "pw"), ST_OK);
	assert_int_equal(users_login(S, "bn", "pw", 10, 600, &me, &locked), ST_OK);
	assert_int_equal(sessions_create(S, me.id, 3600, token, csrf), ST_OK);
	assert_int_equal(strlen(token), 64);
	assert_int_equal(strlen(csrf), 64);
	assert_string_not_equal(token, csrf);
	assert_int_equal(sessions_lookup(S, token, &u, got_csrf), ST_OK);
	assert_string_equal(u.name, "bn");
	assert_int_equal(u.role, ROLE_UNIT);
	assert_string_equal(u.unit, "Phường Bến Nghé");
	assert_string_equal(got_csrf, csrf);
	user_release(&u);
	/* Only a digest is stored, never the token. */
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE token_hash = '%s'", token);
	assert_int_equal(count(sql), 0);
	assert_int_equal(count("SELECT count(*) FROM sessions WHERE length(token_hash) = 64"), 1);
	/* Unknown, malformed and one letter off. */
	assert_int_equal(sessions_lookup(S, "abc", &u, got_csrf), ST_NOTFOUND);
	assert_int_equal(sessions_lookup(S, NULL, &u, got_csrf), ST_NOTFOUND);
	memcpy(other, token, 65);
	other[0] = other[0] == 'a' ? 'b' : 'a';
	assert_int_equal(sessions_lookup(S, other, &u, got_csrf), ST_NOTFOUND);
	/* Expired (moved into the past rather than waited for). */
	assert_int_equal(sessions_create(S, me.id, 3600, other, other_csrf), ST_OK);
	exec("UPDATE sessions SET expires_at = strftime('%s','now') - 1");
	assert_int_equal(sessions_lookup(S, other, &u, got_csrf), ST_NOTFOUND);
	assert_int_equal(sessions_lookup(S, token, &u, got_csrf), ST_NOTFOUND);
	/* Ended: the id is gone for good. */
	assert_int_equal(sessions_create(S, me.id, 3600, token, csrf), ST_OK);
	assert_int_equal(sessions_lookup(S, token, &u, got_csrf), ST_OK);
	user_release(&u);
	assert_int_equal(sessions_end(S, token), ST_OK);
	assert_int_equal(sessions_lookup(S, token, &u, got_csrf), ST_NOTFOUND);
	/* The expired ones were swept by the newer creations. */
	assert_int_equal(count("SELECT count(*) FROM sessions"), 0);
	user_release(&me);
}

static void session_expires_by_the_clock(void **state)
{
	char token[65], csrf[65], got[65];
	struct user u;

	(void)state;
	assert_int_equal(users_add(S, "a", ROLE_ADMIN, NULL, NULL, "pw"), ST_OK);
	assert_int_equal(sessions_create(S, 1, 1, token, csrf), ST_OK);
	sleep(2);
	assert_int_equal(sessions_lookup(S, token, &u, got), ST_NOTFOUND);
}

/* Marks the re-check done as the worker would. */
static void run_it(int64_t id)
{
	struct recheck r;

	assert_int_equal(rechecks_take(S, &r), ST_OK);
	assert_int_equal(r.id, id);
	assert_int_equal(r.state, RECHECK_RUNNING);
	recheck_release(&r);
	assert_int_equal(rechecks_finish(S, id, true, 0, 0, "xong"), ST_OK);
}

static void school_may_recheck_three_times_a_day(void **state)
{
	int64_t id = 0, again = 0;
	struct recheck r;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(rechecks_enqueue(S, "S1", "s1", 3, &id), ST_OK);
		/* Asked again while queued: the same one, not counted. */
		assert_int_equal(rechecks_enqueue(S, "S1", "s1", 3, &again), ST_OK);
		assert_int_equal(again, id);
		run_it(id);
	}
	assert_int_equal(rechecks_enqueue(S, "S1", "s1", 3, &id), ST_DENIED);
	assert_non_null(strstr(status_message(), "tối đa 3"));
	assert_int_equal(id, 0);
	/* An officer is not limited, and does not use the school's share. */
	assert_int_equal(rechecks_enqueue(S, "S1", "bn", -1, &id), ST_OK);
	run_it(id);
	assert_int_equal(rechecks_enqueue(S, "S2", "s2", 3, &id), ST_OK);
	assert_int_equal(rechecks_enqueue(S, "S9", "x", -1, &id), ST_NOTFOUND);
	/* Yesterday's do not count. */
	exec("UPDATE rechecks SET queued_at = '2000-01-01T00:00:00Z' WHERE school_id = 'S1'");
	assert_int_equal(rechecks_enqueue(S, "S1", "s1", 3, &id), ST_OK);
	assert_int_equal(rechecks_get(S, id, &r), ST_OK);
	assert_int_equal(r.state, RECHECK_QUEUED);
	assert_int_equal(r.position, 2); /* behind S2's */
	assert_string_equal(r.by, "s1");
	recheck_release(&r);
}

static void queue_runs_oldest_first_with_progress(void **state)
{
	int64_t a = 0, b = 0;
	struct recheck r, *v = NULL;
	size_t n = 0;
	int stale = 0;

	(void)state;
	assert_int_equal(rechecks_take(S, &r), ST_NOTFOUND);
	assert_int_equal(rechecks_enqueue(S, "S1", "bn", -1, &a), ST_OK);
	assert_int_equal(rechecks_enqueue(S, "S2", "bn", -1, &b), ST_OK);
	assert_int_equal(rechecks_get(S, b, &r), ST_OK);
	assert_int_equal(r.position, 2);
	recheck_release(&r);
	assert_int_equal(rechecks_take(S, &r), ST_OK);
	assert_int_equal(r.id, a);
	assert_non_null(r.started_at);
	recheck_release(&r);
	assert_int_equal(rechecks_progress(S, a, "12 trang"), ST_OK);
	assert_int_equal(rechecks_get(S, b, &r), ST_OK);
	assert_int_equal(r.position, 1);
	recheck_release(&r);
	assert_int_equal(rechecks_get(S, a, &r), ST_OK);
	assert_int_equal(r.state, RECHECK_RUNNING);
	assert_string_equal(r.progress, "12 trang");
	assert_int_equal(r.position, 0);
	recheck_release(&r);
	/* A worker died with it running: failed on the next start. */
	assert_int_equal(rechecks_fail_stale(S, &stale), ST_OK);
	assert_int_equal(stale, 1);
	assert_int_equal(rechecks_get(S, a, &r), ST_OK);
	assert_int_equal(r.state, RECHECK_FAILED);
	assert_non_null(r.finished_at);
	recheck_release(&r);
	run_it(b);
	assert_int_equal(rechecks_enqueue(S, "S1", "bn", -1, &a), ST_OK);
	assert_int_equal(rechecks_of_school(S, "S1", &v, &n), ST_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, a); /* newest first */
	assert_int_equal(v[1].state, RECHECK_FAILED);
	rechecks_free(v, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(add_checks_role_and_registry, setup, teardown),
		cmocka_unit_test(role_names_round_trip),
		cmocka_unit_test_setup_teardown(password_stored_as_argon2id_only, setup, teardown),
		cmocka_unit_test_setup_teardown(login_takes_right_password_only, setup, teardown),
		cmocka_unit_test_setup_teardown(tenth_failure_locks_until_lock_ends, setup,
						teardown),
		cmocka_unit_test_setup_teardown(lock_ends_by_the_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(disabled_account_cannot_log_in, setup, teardown),
		cmocka_unit_test_setup_teardown(passwd_changes_password_and_ends_sessions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(sessions_live_until_expiry_or_end, setup, teardown),
		cmocka_unit_test_setup_teardown(session_expires_by_the_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(school_may_recheck_three_times_a_day, setup,
						teardown),
		cmocka_unit_test_setup_teardown(queue_runs_oldest_first_with_progress, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
