/* Open modes: the writer lock refuses a second holder at once and names
 * the holder's PID, and goes with the connection; a reader creates
 * nothing, writes nothing and leaves no -wal/-shm behind; a missing file
 * is ST_NOTFOUND in every mode without STORE_CREATE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db.h"

static char dir[64], db_path[96], lock_path[112];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_db_XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db_path, sizeof(db_path), "%s/t.db", dir);
	snprintf(lock_path, sizeof(lock_path), "%s.lock", db_path);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static bool exists(const char *suffix)
{
	char p[128];
	struct stat sb;

	snprintf(p, sizeof(p), "%s%s", db_path, suffix);
	return stat(p, &sb) == 0;
}

static void second_exclusive_writer_is_refused_with_the_pid(void **state)
{
	struct store *a = NULL, *b = NULL, *w = NULL;
	char want[64];

	(void)state;
	assert_int_equal(store_open_mode(&a, db_path, STORE_WRITE | STORE_CREATE | STORE_EXCLUSIVE),
			 ST_OK);
	assert_true(exists(".lock"));
	/* flock(2) locks belong to the open file: a second open in the same
	 * process conflicts like another process. */
	assert_int_equal(store_open_mode(&b, db_path, STORE_WRITE | STORE_EXCLUSIVE), ST_DB);
	assert_null(b);
	snprintf(want, sizeof(want), "kho đang được dùng bởi tiến trình %ld:", (long)getpid());
	assert_non_null(strstr(status_message(), want));
	/* A writer beside it (audit) and a reader are not refused. */
	assert_int_equal(store_open_mode(&w, db_path, STORE_WRITE), ST_OK);
	store_free(w);
	assert_int_equal(store_open_mode(&w, db_path, STORE_READ), ST_OK);
	store_free(w);
	store_free(a);
	assert_int_equal(store_open_mode(&b, db_path, STORE_WRITE | STORE_EXCLUSIVE), ST_OK);
	store_free(b);
}

static void reader_creates_and_writes_nothing(void **state)
{
	struct store *s = NULL;
	struct stat before, after;
	sqlite3_stmt *st = NULL;

	(void)state;
	for (int mode = STORE_READ; mode <= (STORE_WRITE | STORE_EXCLUSIVE); mode++) {
		if (mode & STORE_CREATE)
			continue;
		assert_int_equal(store_open_mode(&s, db_path, mode), ST_NOTFOUND);
		assert_null(s);
		assert_false(exists(""));
		assert_false(exists(".lock"));
	}
	assert_int_equal(store_open(&s, db_path), ST_OK);
	store_free(s);
	assert_false(exists("-wal"));
	assert_int_equal(stat(db_path, &before), 0);
	assert_int_equal(store_open_mode(&s, db_path, STORE_READ), ST_OK);
	assert_int_equal(store_prepare(s, &st,
				       "INSERT INTO schools (id, name, unit, level, "
				       "ownership, imported_at, updated_at) VALUES "
				       "('a', 'a', 'u', 'th', 'cong_lap', 'x', 'x')"),
			 ST_OK);
	assert_int_not_equal(store_step_done(s, st), ST_OK);
	sqlite3_finalize(st);
	store_free(s);
	assert_int_equal(stat(db_path, &after), 0);
	assert_int_equal(before.st_size, after.st_size);
	assert_int_equal(before.st_mtim.tv_sec, after.st_mtim.tv_sec);
	assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
	assert_false(exists("-wal"));
	assert_false(exists("-shm"));
	assert_false(exists(".lock"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(second_exclusive_writer_is_refused_with_the_pid,
						setup, teardown),
		cmocka_unit_test_setup_teardown(reader_creates_and_writes_nothing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
