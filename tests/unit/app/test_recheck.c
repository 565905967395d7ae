/* The re-check worker's thread: started beside a store, it runs a queued
 * re-check (here of a school without a portal, so no network is needed)
 * into a done re-check with a check-scope audit run, is woken at once by
 * recheck_worker_wake, and stops promptly when idle. */
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

#include "app/recheck.h"
#include "core/clock.h"
#include "store/db.h"
#include "store/users.h"
#include "tests/unit/common/tmpfiles.h"

static char db_path[TMPFILES_PATH], rules[512];
static char *opts[] = {"--rules", rules, "--period", "2017-2018", "--as-of", "2018-05-15"};

static int setup(void **state)
{
	struct store *s = NULL;

	(void)state;
	snprintf(rules, sizeof(rules), "%s/rules/sets/tt09-2009.yaml", getenv("PA_SOURCE"));
	if (tmpfiles_store(db_path, "test_recheck") < 0 || store_open(&s, db_path) != ST_OK)
		return -1;
	if (sqlite3_exec(store_db(s),
			 "INSERT INTO schools (id, name, unit, level, ownership, portal_url,"
			 " imported_at, updated_at) VALUES ('S1', 'Trường Một', 'Quận 1', 'th',"
			 " 'cong_lap', NULL, 'x', 'x')",
			 NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	store_free(s);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpfiles_store_remove(db_path);
	return 0;
}

/* Polls the re-check until it is done or failed, at most limit_ms. */
static enum recheck_state wait_end(int64_t id, int limit_ms, struct recheck *out)
{
	int64_t end = clock_ms() + limit_ms;
	struct store *s = NULL;
	enum recheck_state state = RECHECK_QUEUED;

	assert_int_equal(store_open_mode(&s, db_path, STORE_READ), ST_OK);
	do {
		recheck_release(out);
		assert_int_equal(rechecks_get(s, id, out), ST_OK);
		state = out->state;
		if (state == RECHECK_DONE || state == RECHECK_FAILED)
			break;
		usleep(20000);
	} while (clock_ms() < end);
	store_free(s);
	return state;
}

static void worker_thread_runs_queued_recheck(void **state)
{
	struct app a;
	struct recheck_options o = {6, opts, NULL};
	struct recheck_worker *w = NULL;
	struct store *s = NULL;
	struct recheck r;
	int64_t id = 0, t0;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&r, 0, sizeof(r));
	a.db_path = db_path;
	/* A long poll: only the wake can start it soon. */
	assert_int_equal(recheck_worker_start(&w, &a, &o, 600000), ST_OK);
	assert_int_equal(store_open(&s, db_path), ST_OK);
	assert_int_equal(rechecks_enqueue(s, "S1", "s1", 3, &id), ST_OK);
	store_free(s);
	recheck_worker_wake(w);
	assert_int_equal(wait_end(id, 60000, &r), RECHECK_DONE);
	assert_non_null(r.progress);
	assert_non_null(strstr(r.progress, "xong"));
	assert_true(r.audit_run > 0);
	assert_non_null(r.finished_at);
	recheck_release(&r);
	/* Stopping an idle worker does not wait for its poll. */
	t0 = clock_ms();
	recheck_worker_stop(w);
	assert_true(clock_ms() - t0 < 30000);
	recheck_worker_stop(NULL);
	assert_int_equal(store_open_mode(&s, db_path, STORE_READ), ST_OK);
	{
		sqlite3_stmt *stmt = NULL;

		assert_int_equal(
			sqlite3_prepare_v2(store_db(s),
					   "SELECT count(*) FROM runs WHERE scope = 'check'"
					   " AND state = 'done'",
					   -1, &stmt, NULL),
			SQLITE_OK);
		assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(stmt, 0), 2);
		sqlite3_finalize(stmt);
	}
	store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(worker_thread_runs_queued_recheck, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
