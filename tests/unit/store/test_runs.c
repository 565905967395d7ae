/* Run records: runs_get gives back what runs_start stored, bands and stale
 * credit typed (no string round trip), and a store of schema version 1
 * (bands in the "A=90;...;stale=0.5" string) opens with its runs' bands
 * converted; the runs of check are never the newest, labels name runs, and
 * a school's newest crawl is found whichever run it was. */
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
#include "tests/unit/common/tmpfiles.h"

static char db_path[TMPFILES_PATH];

static int setup(void **state)
{
	(void)state;
	return tmpfiles_store(db_path, "test_runs");
}

static int teardown(void **state)
{
	(void)state;
	tmpfiles_store_remove(db_path);
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
		"CREATE TABLE sites (run_id INTEGER NOT NULL, school_id TEXT NOT NULL, state TEXT);"
		"CREATE TABLE scores (run_id INTEGER NOT NULL, school_id TEXT NOT NULL, score REAL);"
		/* The columns later migrations index (as version 1 had them). */
		"CREATE TABLE pages (run_id INTEGER NOT NULL, fetched_at INTEGER NOT NULL DEFAULT 0);"
		"CREATE TABLE findings (run_id INTEGER NOT NULL, item TEXT NOT NULL, ord INTEGER, "
		"weight REAL, title TEXT, basis TEXT);"
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

static int64_t start(struct store *s, const char *kind, const char *scope, const char *label)
{
	struct run_info ri = {0};

	ri.kind = kind;
	ri.scope = scope;
	ri.label = label;
	assert_int_equal(runs_start(s, &ri), ST_OK);
	return ri.id;
}

static void exec_sql(struct store *s, const char *sql)
{
	assert_int_equal(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
}

/* The runs of check are never the newest run; labels name runs of their
 * kind, are unique per kind and never read as ids. */
static void check_runs_are_never_the_newest_and_labels_resolve(void **state)
{
	struct store *s = NULL;
	int64_t crawl, check, id = 0;
	struct run_info dup = {0};

	(void)state;
	assert_int_equal(store_open(&s, db_path), ST_OK);
	crawl = start(s, "crawl", NULL, "dot-1");
	assert_int_equal(runs_finish(s, crawl, "done"), ST_OK);
	check = start(s, "crawl", "check", NULL);
	assert_int_equal(runs_finish(s, check, "done"), ST_OK);
	start(s, "crawl", "check", NULL); /* a killed check: still running */
	assert_int_equal(runs_latest(s, "crawl", false, &id), ST_OK);
	assert_int_equal(id, crawl);
	assert_int_equal(runs_latest(s, "crawl", true, &id), ST_OK);
	assert_int_equal(id, crawl);

	assert_int_equal(runs_resolve(s, "crawl", "dot-1", &id), ST_OK);
	assert_int_equal(id, crawl);
	assert_int_equal(runs_resolve(s, "crawl", "2", &id), ST_OK);
	assert_int_equal(id, check);
	assert_int_equal(runs_resolve(s, "audit", "dot-1", &id), ST_NOTFOUND);
	assert_non_null(strstr(status_message(), "not an audit run"));
	assert_int_equal(runs_resolve(s, "crawl", "dot-2", &id), ST_NOTFOUND);
	assert_non_null(strstr(status_message(), "'dot-2'"));
	assert_int_equal(runs_resolve(s, "crawl", "99", &id), ST_NOTFOUND);

	/* Unique per kind: an audit may share the crawl's label. */
	dup.kind = "crawl";
	dup.label = "dot-1";
	assert_int_equal(runs_start(s, &dup), ST_INVALID);
	assert_int_equal(dup.id, 0);
	start(s, "audit", NULL, "dot-1");
	assert_int_equal(runs_resolve(s, "audit", "dot-1", &id), ST_OK);
	assert_int_equal(runs_label_check("2025"), ST_INVALID);
	assert_int_equal(runs_label_check(""), ST_INVALID);
	assert_int_equal(runs_label_check("a\tb"), ST_INVALID);
	assert_int_equal(runs_label_check("hk1-2025 đợt 2"), ST_OK);
	store_free(s);
}

/* A school's newest crawl is the newest done site of it in any run, any
 * scope; pending sites and crawls older than not_before do not count. */
static void a_schools_newest_crawl_is_its_newest_done_site(void **state)
{
	struct store *s = NULL;
	int64_t run = 0;
	char at[21];

	(void)state;
	assert_int_equal(store_open(&s, db_path), ST_OK);
	exec_sql(s,
		 "INSERT INTO schools (id, name, unit, level, ownership, portal_url, imported_at,"
		 " updated_at) VALUES ('A','A','U','th','cong_lap','http://a/','x','x'),"
		 " ('B','B','U','th','cong_lap','http://b/','x','x')");
	start(s, "crawl", NULL, NULL);    /* 1: A and B done */
	start(s, "crawl", NULL, NULL);    /* 2: A done later */
	start(s, "crawl", "check", NULL); /* 3: B pending (killed) */
	exec_sql(s, "INSERT INTO sites (run_id, school_id, start_url, state, finished_at) VALUES"
		    " (1, 'A', 'http://a/', 'done', '2025-09-01T00:00:00Z'),"
		    " (1, 'B', 'http://b/', 'done', '2025-09-01T00:00:05Z'),"
		    " (2, 'A', 'http://a/', 'done', '2025-09-02T00:00:00Z'),"
		    " (3, 'B', 'http://b/', 'pending', NULL)");
	assert_int_equal(runs_school_crawl(s, "A", 0, NULL, &run, at), ST_OK);
	assert_int_equal(run, 2);
	assert_string_equal(at, "2025-09-02T00:00:00Z");
	assert_int_equal(runs_school_crawl(s, "B", 0, NULL, &run, at), ST_OK);
	assert_int_equal(run, 1);
	assert_int_equal(runs_school_crawl(s, "A", 1, NULL, &run, at), ST_OK);
	assert_int_equal(run, 1);
	assert_int_equal(runs_school_crawl(s, "B", 2, NULL, &run, at), ST_NOTFOUND);
	assert_int_equal(runs_school_crawl(s, "B", 0, "2025-09-01T12:00:00Z", &run, at),
			 ST_NOTFOUND);
	assert_int_equal(runs_school_crawl(s, "A", 0, "2025-09-01T12:00:00Z", &run, at), ST_OK);
	assert_int_equal(run, 2);
	assert_int_equal(runs_school_crawl(s, "C", 0, NULL, &run, at), ST_NOTFOUND);
	store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(audit_run_reads_back_typed, setup, teardown),
		cmocka_unit_test_setup_teardown(version_1_store_converts_the_scoring_string, setup,
						teardown),
		cmocka_unit_test_setup_teardown(check_runs_are_never_the_newest_and_labels_resolve,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_schools_newest_crawl_is_its_newest_done_site,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
