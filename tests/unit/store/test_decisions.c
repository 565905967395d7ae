/* decisions_apply's rules: with no decision the machine verdict is final;
 * a decision applies while the machine verdict and the evidence page's
 * content hash are those it was made on (re-scoring the school, the
 * audit's score kept as the machine score); a changed hash or machine
 * verdict makes it outdated; a finding without a URL is judged by the
 * reviewer's evidence page; a later decision supersedes; bad input writes
 * nothing; decisions cannot be changed or deleted. */
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
#include "store/decisions.h"
#include "store/results.h"
#include "store/runs.h"
#include "tests/unit/common/tmpfiles.h"

static char db_path[TMPFILES_PATH];
static int64_t audit_id, crawl_id;

#define PAGE "http://s.example/cam-ket/"
#define NEWS "http://s.example/tin-tuc/"

static void exec(struct store *s, const char *sql)
{
	assert_int_equal(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
}

/* One school, a crawl with two pages and an audit of three items:
 * commitment (stale, weight 20, evidence PAGE), posting (review, weight 5,
 * no URL) and staff (pass, weight 20).  Machine score 100 * 30 / 45. */
static struct store *fixture(void)
{
	static const struct run_band bands[] = {{"A", 90}, {"B", 80}, {"C", 65}, {"E", 0}};
	struct run_info crawl = {0}, audit = {0};
	struct finding f[3] = {{0}};
	struct school_result r = {0};
	struct store *s = NULL;

	assert_int_equal(store_open(&s, db_path), ST_OK);
	exec(s, "INSERT INTO schools (id, name, unit, level, ownership, imported_at, updated_at)"
		" VALUES ('S1', 'Trường 1', 'Quận 1', 'thpt', 'cong_lap', 'x', 'x')");
	crawl.kind = "crawl";
	assert_int_equal(runs_start(s, &crawl), ST_OK);
	crawl_id = crawl.id;
	assert_int_equal(runs_finish(s, crawl.id, "done"), ST_OK);
	exec(s, "INSERT INTO pages (run_id, school_id, requested_url, content_hash) VALUES"
		" (1, 'S1', '" PAGE "', 'h1'), (1, 'S1', '" NEWS "', 'n1')");
	audit.kind = "audit";
	audit.crawl_run = crawl.id;
	audit.period = "2017-2018";
	audit.bands = bands;
	audit.nbands = 4;
	audit.stale_credit = 0.5;
	audit.scored = true;
	assert_int_equal(runs_start(s, &audit), ST_OK);
	audit_id = audit.id;
	f[0].item = "commitment", f[0].verdict = VERDICT_STALE, f[0].weight = 20, f[0].url = PAGE;
	f[1].item = "posting", f[1].verdict = VERDICT_REVIEW, f[1].weight = 5;
	f[2].item = "staff", f[2].verdict = VERDICT_PASS, f[2].weight = 20, f[2].url = PAGE;
	r.school.id = "S1";
	r.findings = f;
	r.nfindings = 3;
	r.has_score = true;
	r.score = 100.0 * 30 / 45;
	r.rating = "E";
	r.reachable = true;
	r.crawl_run_id = crawl.id;
	assert_int_equal(results_put(s, audit.id, &r), ST_OK);
	assert_int_equal(runs_finish(s, audit.id, "done"), ST_OK);
	return s;
}

static int setup(void **state)
{
	(void)state;
	return tmpfiles_store(db_path, "test_decisions");
}

static int teardown(void **state)
{
	(void)state;
	tmpfiles_store_remove(db_path);
	return 0;
}

static void decide(struct store *s, const char *item, enum verdict v, const char *evidence)
{
	struct decision d = {0};

	d.verdict = v;
	d.reason = "lý do";
	d.by = "Người xem";
	d.evidence_url = (char *)evidence;
	assert_int_equal(decisions_add(s, audit_id, "S1", item, &d, NULL), ST_OK);
}

static const struct finding *item(const struct school_result *r, const char *id)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].item, id) == 0)
			return &r->findings[i];
	fail_msg("no item %s", id);
	return NULL;
}

static void no_decision_keeps_the_machine(void **state)
{
	struct store *s = fixture();
	struct school_result r;

	(void)state;
	assert_int_equal(results_load(s, audit_id, "S1", &r), ST_OK);
	assert_int_equal(r.ndecided, 0);
	assert_int_equal(item(&r, "commitment")->decision_state, DECISION_NONE);
	assert_int_equal(item(&r, "commitment")->verdict, VERDICT_STALE);
	assert_null(item(&r, "commitment")->decision);
	assert_float_equal(r.score, 100.0 * 30 / 45, 1e-9);
	school_result_release(&r);
	store_free(s);
}

static void applied_decision_rescores(void **state)
{
	struct store *s = fixture();
	struct school_result r;
	const struct finding *f;

	(void)state;
	decide(s, "commitment", VERDICT_PASS, NULL);
	assert_int_equal(results_load(s, audit_id, "S1", &r), ST_OK);
	f = item(&r, "commitment");
	assert_int_equal(f->decision_state, DECISION_APPLIED);
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_int_equal(f->machine_verdict, VERDICT_STALE);
	assert_non_null(f->decision);
	assert_string_equal(f->decision->by, "Người xem");
	assert_int_equal(r.ndecided, 1);
	assert_float_equal(r.score, 100.0 * 40 / 45, 1e-9);
	assert_string_equal(r.rating, "B");
	assert_true(r.machine_has_score);
	assert_float_equal(r.machine_score, 100.0 * 30 / 45, 1e-9);
	assert_string_equal(r.machine_rating, "E");
	school_result_release(&r);
	store_free(s);
}

/* The table of what makes a decision outdated. */
static void changes_make_it_outdated(void **state)
{
	static const struct {
		const char *change; /* SQL run after the decision */
		enum decision_state want;
	} cases[] = {
		{"SELECT 1", DECISION_APPLIED},
		{"UPDATE pages SET content_hash = 'h2' WHERE requested_url = '" PAGE "'",
		 DECISION_OUTDATED},
		{"UPDATE findings SET verdict = 'missing' WHERE item = 'commitment'",
		 DECISION_OUTDATED},
		{"UPDATE pages SET content_hash = 'n2' WHERE requested_url = '" NEWS "'",
		 DECISION_APPLIED},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct store *s = fixture();
		struct school_result r;

		decide(s, "commitment", VERDICT_PASS, NULL);
		exec(s, cases[i].change);
		assert_int_equal(results_load(s, audit_id, "S1", &r), ST_OK);
		assert_int_equal(item(&r, "commitment")->decision_state, cases[i].want);
		if (cases[i].want == DECISION_OUTDATED) {
			/* The machine verdict is final; nothing re-scored. */
			assert_int_not_equal(item(&r, "commitment")->verdict, VERDICT_PASS);
			assert_int_equal(r.ndecided, 0);
			assert_float_equal(r.score, 100.0 * 30 / 45, 1e-9);
		}
		school_result_release(&r);
		store_free(s);
		teardown(NULL);
	}
}

static void no_url_uses_the_reviewers_page(void **state)
{
	struct store *s = fixture();
	struct school_result r;

	(void)state;
	decide(s, "posting", VERDICT_PASS, NEWS);
	assert_int_equal(results_load(s, audit_id, "S1", &r), ST_OK);
	assert_int_equal(item(&r, "posting")->decision_state, DECISION_APPLIED);
	school_result_release(&r);
	exec(s, "UPDATE pages SET content_hash = 'n2' WHERE requested_url = '" NEWS "'");
	assert_int_equal(results_load(s, audit_id, "S1", &r), ST_OK);
	assert_int_equal(item(&r, "posting")->decision_state, DECISION_OUTDATED);
	assert_int_equal(item(&r, "posting")->verdict, VERDICT_REVIEW);
	school_result_release(&r);
	store_free(s);
}

static void newest_wins_and_all_loads_agree(void **state)
{
	struct store *s = fixture();
	struct school_result *v = NULL;
	struct decision_row *t = NULL;
	size_t n = 0, nt = 0;

	(void)state;
	decide(s, "staff", VERDICT_MISSING, NULL);
	decide(s, "staff", VERDICT_STALE, NULL);
	assert_int_equal(results_load_all(s, audit_id, NULL, &v, &n), ST_OK);
	assert_int_equal(n, 1);
	assert_int_equal(item(&v[0], "staff")->verdict, VERDICT_STALE);
	assert_float_equal(v[0].score, 100.0 * 20 / 45, 1e-9);
	results_free(v, n);
	assert_int_equal(decisions_trail(s, NULL, &t, &nt), ST_OK);
	assert_int_equal(nt, 2);
	assert_int_equal(t[0].superseded_by, t[1].d.id);
	assert_int_equal(t[1].superseded_by, 0);
	decisions_trail_free(t, nt);
	store_free(s);
}

static void bad_input_writes_nothing(void **state)
{
	struct store *s = fixture();
	struct decision d = {0};
	sqlite3_stmt *st = NULL;

	(void)state;
	d.verdict = VERDICT_PASS;
	d.reason = "r";
	d.by = "b";
	assert_int_equal(decisions_add(s, audit_id, "NOPE", "staff", &d, NULL), ST_NOTFOUND);
	assert_int_equal(decisions_add(s, audit_id, "S1", "nope", &d, NULL), ST_NOTFOUND);
	d.verdict = VERDICT_REVIEW;
	assert_int_equal(decisions_add(s, audit_id, "S1", "staff", &d, NULL), ST_INVALID);
	d.verdict = VERDICT_PASS;
	d.reason = " ";
	assert_int_equal(decisions_add(s, audit_id, "S1", "staff", &d, NULL), ST_INVALID);
	d.reason = "r";
	d.by = "";
	assert_int_equal(decisions_add(s, audit_id, "S1", "staff", &d, NULL), ST_INVALID);
	assert_int_equal(appeals_close(s, 9, true, VERDICT_PASS, "r", "b"), ST_NOTFOUND);
	assert_int_equal(store_prepare(s, &st, "SELECT count(*) FROM decisions"), ST_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	decide(s, "staff", VERDICT_MISSING, NULL);
	assert_int_not_equal(sqlite3_exec(store_db(s), "UPDATE decisions SET verdict = 'pass'",
					  NULL, NULL, NULL),
			     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(store_db(s), "DELETE FROM decisions", NULL, NULL, NULL),
			     SQLITE_OK);
	store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(no_decision_keeps_the_machine, setup, teardown),
		cmocka_unit_test_setup_teardown(applied_decision_rescores, setup, teardown),
		cmocka_unit_test_setup_teardown(changes_make_it_outdated, setup, teardown),
		cmocka_unit_test_setup_teardown(no_url_uses_the_reviewers_page, setup, teardown),
		cmocka_unit_test_setup_teardown(newest_wins_and_all_loads_agree, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_input_writes_nothing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
