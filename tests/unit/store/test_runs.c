/* Run records: runs_get gives back what runs_start stored, bands and stale
 * credit typed (no string round trip), and a store of schema version 1
 * (bands in the "A=90;...;stale=0.5" string) opens with its runs' bands
 * converted. */
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
#include "store/runs.h"

static char db_path[64];

static int setup(void **state)
{
	int fd;

	(void)state;
	snprintf(db_path, sizeof(db_path), "/tmp/test_runs_XXXXXX");
	fd = mkstemp(db_path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	char p[80];

	(void)state;
	unlink(db_path);
	snprintf(p, sizeof(p), "%s-wal", db_path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", db_path);
	unlink(p);
	return 0;
}

static void audit_run_reads_back_typed(void **state)
{
	/* 200/3 does not survive printing with %g: a typed band must. */
	const struct run_band bands[] = {{"A", 90}, {"B", 200.0 / 3}, {"E", 0}};
	struct run_info crawl = {0}, audit = {0}, got;
	struct store *s = NULL;

	(void)state;
	assert_int_equal(store_open(&s, db_path), ST_OK);
	crawl.kind = "crawl";
	crawl.params = "--delay 50";
	assert_int_equal(runs_start(s, &crawl), ST_OK);
	audit.kind = "audit";
	audit.crawl_run = crawl.id;
	audit.ruleset = "tt09-2009";
	audit.ruleset_version = "1";
	audit.ruleset_hash = "00ff";
	audit.period = "2017-2018";
	audit.as_of = "2018-05-15";
	audit.bands = bands;
	audit.nbands = 3;
	audit.stale_credit = 0.25;
	audit.scored = true;
	assert_int_equal(runs_start(s, &audit), ST_OK);
	assert_int_equal(runs_finish(s, audit.id, "done"), ST_OK);

	assert_int_equal(runs_get(s, audit.id, &got), ST_OK);
	assert_int_equal(got.id, audit.id);
	assert_string_equal(got.kind, "audit");
	assert_string_equal(got.state, "done");
	assert_string_equal(got.params, "");
	assert_int_equal(got.crawl_run, crawl.id);
	assert_string_equal(got.ruleset, "tt09-2009");
	assert_string_equal(got.ruleset_version, "1");
	assert_string_equal(got.ruleset_hash, "00ff");
	assert_string_equal(got.period, "2017-2018");
	assert_string_equal(got.as_of, "2018-05-15");
	assert_true(got.scored);
	assert_true(got.stale_credit == 0.25);
	assert_int_equal(got.nbands, 3);
	assert_string_equal(got.bands[1].rating, "B");
	assert_true(got.bands[1].min == 200.0 / 3);
	assert_string_equal(got.bands[2].rating, "E");
	runs_info_release(&got);

	assert_int_equal(runs_get(s, crawl.id, &got), ST_OK);
	assert_string_equal(got.kind, "crawl");
	assert_string_equal(got.state, "running");
	assert_string_equal(got.params, "--delay 50");
	assert_null(got.ruleset);
	assert_false(got.scored);
	assert_int_equal(got.nbands, 0);
	runs_info_release(&got);

	assert_int_equal(runs_get(s, audit.id + 100, &got), ST_NOTFOUND);
	runs_info_release(&got);
	store_free(s);
}

static void version_1_store_converts_the_scoring_string(void **state)
{
	static const char v1[] =
		"CREATE TABLE runs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, params TEXT NOT NULL "
		"DEFAULT '', crawl_run INTEGER, ruleset TEXT, ruleset_version TEXT, ruleset_hash TEXT, "
		"period TEXT, as_of TEXT, scoring TEXT, started_at TEXT NOT NULL, finished_at TEXT, "
		"state TEXT NOT NULL DEFAULT 'running');"
		"INSERT INTO runs (id, kind, started_at) VALUES (1, 'crawl', 'x');"
		"INSERT INTO runs (id, kind, crawl_run, scoring, started_at, state) VALUES "
		"(2, 'audit', 1, 'A=90;B=80;C=66.6667;D=50;E=0;stale=0.25', 'x', 'done');"
		"CREATE TABLE schools (id TEXT PRIMARY KEY, name TEXT NOT NULL, unit TEXT NOT NULL, "
		"level TEXT NOT NULL, ownership TEXT NOT NULL, portal_url TEXT, imported_at TEXT NOT "
		"NULL, updated_at TEXT NOT NULL);"
		"PRAGMA user_version = 1;";
	struct run_info got;
	struct store *s = NULL;
	sqlite3 *db = NULL;

	(void)state;
	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, v1, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	assert_int_equal(store_open(&s, db_path), ST_OK);
	assert_int_equal(runs_get(s, 2, &got), ST_OK);
	assert_true(got.scored);
	assert_true(got.stale_credit == 0.25);
	assert_int_equal(got.nbands, 5);
	assert_string_equal(got.bands[0].rating, "A");
	assert_true(got.bands[0].min == 90);
	assert_string_equal(got.bands[2].rating, "C");
	assert_true(got.bands[2].min == 66.6667);
	assert_string_equal(got.bands[4].rating, "E");
	assert_true(got.bands[4].min == 0);
	runs_info_release(&got);
	assert_int_equal(runs_get(s, 1, &got), ST_OK);
	assert_false(got.scored);
	assert_int_equal(got.nbands, 0);
	runs_info_release(&got);
	store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(audit_run_reads_back_typed, setup, teardown),
		cmocka_unit_test_setup_teardown(version_1_store_converts_the_scoring_string, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
