/* Loader, linter, self-test and small accessors of rules/ruleset.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/status.h"
#include "rules/ruleset.h"

static char *path_in(const char *env, const char *rel)
{
	const char *base = getenv(env);
	size_t n;
	char *p;

	assert_non_null(base);
	n = strlen(base) + strlen(rel) + 2;
	p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", base, rel);
	return p;
}

/* Lints one fixture; returns the error count and the printed errors. */
static int lint_fixture(const char *name, char *out, size_t cap)
{
	char *path = path_in("PA_FIXTURES", name);
	const char *paths[1] = {path};
	FILE *f = fmemopen(out, cap, "w");
	int n;

	assert_non_null(f);
	memset(out, 0, cap);
	n = ruleset_lint(paths, 1, f);
	fclose(f);
	out[cap - 1] = '\0';
	free(path);
	return n;
}

static void test_yaml_syntax_error_reports_file_line_col(void **state)
{
	char out[2048];
	struct ruleset *rs = NULL;
	char *path = path_in("PA_FIXTURES", "rules/broken_yaml.yaml");

	assert_int_equal(lint_fixture("rules/broken_yaml.yaml", out, sizeof(out)), 1);
	/* The unterminated quote runs to the end of the file (line 7). */
	assert_non_null(strstr(out, "broken_yaml.yaml:7:1: YAML: "));
	assert_int_equal(ruleset_load(&rs, path), ST_PARSE);
	assert_null(rs);
	assert_non_null(strstr(status_message(), "broken_yaml.yaml:7:1:"));
	free(path);
}

static void test_bad_regex_reports_position_and_offset(void **state)
{
	char out[2048];

	assert_int_equal(lint_fixture("rules/bad_regex.yaml", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "bad_regex.yaml:9:9: match: bad pattern at offset 15: "));
	assert_non_null(strstr(out, "co so (vat chat"));
}

static void test_unknown_key_is_an_error(void **state)
{
	char out[2048];

	assert_int_equal(lint_fixture("rules/unknown_key.yaml", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "unknown_key.yaml:8:5: rule: unknown key \"colour\""));
}

static void test_duplicate_id_points_at_second_definition(void **state)
{
	char out[2048];

	assert_int_equal(lint_fixture("rules/dup_id.yaml", out, sizeof(out)), 1);
	assert_non_null(
		strstr(out, "dup_id.yaml:9:9: rule staff: duplicate id (first defined at "));
	assert_non_null(strstr(out, "dup_id.yaml:3)"));
}

static void test_unknown_level_is_an_error(void **state)
{
	char out[2048];

	assert_int_equal(lint_fixture("rules/bad_level.yaml", out, sizeof(out)), 1);
	assert_non_null(strstr(out, "bad_level.yaml:6:20: levels: unknown level \"dai_hoc\""));
}

static void test_non_numeric_weight_is_an_error(void **state)
{
	char out[2048];

	assert_int_equal(lint_fixture("rules/bad_weight.yaml", out, sizeof(out)), 1);
	assert_non_null(strstr(
		out, "bad_weight.yaml:7:13: weight: \"twenty\" is not a non-negative number"));
}

static void test_lint_reports_every_error_not_just_the_first(void **state)
{
	char out[4096];
	int n = lint_fixture("rules/many_errors.yaml", out, sizeof(out));

	assert_non_null(strstr(out, "bands: list bands from the highest min down"));
	assert_non_null(strstr(
		out, "many_errors.yaml:9:25: freshness.policy: unknown policy \"sometimes\""));
	assert_non_null(strstr(
		out, "many_errors.yaml:10:23: effective.from: \"2018-13-01\" is not a date"));
	assert_non_null(strstr(out, "group must be CL, ĐK, TC, OTHER or PORTAL, not \"XX\""));
	assert_non_null(strstr(out, "many_errors.yaml:15:13: where: unknown place \"sidebar\""));
	assert_non_null(strstr(out, "match: bad pattern at offset 2"));
	assert_non_null(strstr(out, "expect: want match, no_match"));
	assert_non_null(strstr(out, "many_errors.yaml:11:5: rule b: missing group"));
	assert_int_equal(n, 8);
}

static void test_lint_of_missing_file_is_an_io_failure(void **state)
{
	const char *paths[1] = {"/nonexistent/rules.yaml"};
	char out[512];
	FILE *f = fmemopen(out, sizeof(out), "w");

	assert_int_equal(ruleset_lint(paths, 1, f), ST_IO);
	fclose(f);
}

static void test_directory_merges_files_with_portal_last(void **state)
{
	char *dir = path_in("PA_FIXTURES", "rules/good_dir");
	struct ruleset *rs = NULL;
	const struct rule *rules;
	const struct rating_band *bands;
	size_t n, nk;
	const char *const *kw;

	assert_int_equal(ruleset_load(&rs, dir), ST_OK);
	assert_string_equal(ruleset_name(rs), "fixture-set");
	assert_string_equal(ruleset_version(rs), "7");
	/* The portal file's own header does not override the rule set's. */
	assert_true(ruleset_stale_credit(rs) == 0.25);
	assert_int_equal(ruleset_bands(rs, &bands), 2);
	assert_string_equal(bands[0].rating, "Tốt");
	assert_true(bands[0].min == 75);
	rules = ruleset_rules(rs, &n);
	assert_int_equal(n, 3);
	assert_string_equal(rules[0].id, "facilities");
	assert_string_equal(rules[2].id, "portal_integrated");
	assert_int_equal(rules[0].levels, LEVEL_TH | LEVEL_THCS);
	assert_int_equal(rules[1].days, 14); /* weekly cadence */
	assert_int_equal(strlen(ruleset_hash(rs)), 16);
	kw = ruleset_focus_keywords(rs, &nk);
	assert_int_equal(nk, 3); /* the focus list (folded) + "thuc don" */
	assert_string_equal(kw[0], "co so vat chat");
	assert_string_equal(kw[1], "csvc");
	assert_string_equal(kw[2], "thuc don");
	assert_null(kw[3]);
	ruleset_free(rs);
	free(dir);
}

static void test_rule_set_file_is_merged_with_portal_yaml(void **state)
{
	char *path = path_in("PA_SOURCE", "rules/sets/tt09-2009.yaml");
	char *portal = path_in("PA_SOURCE", "rules/sets/portal.yaml");
	struct ruleset *rs = NULL, *ps = NULL;
	const struct rule *rules;
	size_t n, nk;
	const char *const *kw;
	bool commitment = false;

	assert_int_equal(ruleset_load(&rs, path), ST_OK);
	assert_string_equal(ruleset_name(rs), "tt09-2009");
	rules = ruleset_rules(rs, &n);
	assert_string_equal(rules[0].id, "quality_commitment");
	assert_string_equal(rules[n - 1].id, "yearly_section");
	kw = ruleset_focus_keywords(rs, &nk);
	for (size_t i = 0; i < nk; i++)
		commitment = commitment || strcmp(kw[i], "cam ket chat luong") == 0;
	assert_true(commitment);
	/* portal.yaml alone is not merged with itself. */
	assert_int_equal(ruleset_load(&ps, portal), ST_OK);
	assert_string_equal(ruleset_name(ps), "portal");
	ruleset_rules(ps, &nk);
	assert_true(nk < n);
	assert_string_not_equal(ruleset_hash(rs), ruleset_hash(ps));
	ruleset_free(rs);
	ruleset_free(ps);
	free(path);
	free(portal);
}

/* What people read comes from the rule file: lint wants a requirement
 * and a remedy on every rule, and says where one is missing; loading does
 * not (an older file still audits). */
static void test_lint_wants_requirement_and_remedy_on_every_rule(void **state)
{
	char out[4096];
	struct ruleset *rs = NULL;
	char *path = path_in("PA_FIXTURES", "rules/cadence.yaml");

	(void)state;
	assert_int_equal(lint_fixture("rules/cadence.yaml", out, sizeof(out)), 4);
	assert_non_null(strstr(out, "cadence.yaml:9:1: rule weekly_saturday: missing requirement"));
	assert_non_null(strstr(out, "cadence.yaml:9:1: rule weekly_saturday: missing remedy"));
	assert_non_null(strstr(out, "cadence.yaml:27:1: rule monthly_25: missing remedy"));
	assert_int_equal(ruleset_load(&rs, path), ST_OK);
	ruleset_free(rs);
	free(path);
}

static void test_shipped_rule_sets_lint_clean_and_pass_selftest(void **state)
{
	static const char *const sets[] = {"rules/sets/tt09-2009.yaml", "rules/sets/tt36-2017.yaml",
					   "rules/sets/tt09-2024.yaml", "rules/sets/portal.yaml"};
	char out[8192];

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char *path = path_in("PA_SOURCE", sets[i]);
		const char *paths[1] = {path};
		FILE *f;
		int fails;

		f = fmemopen(out, sizeof(out), "w");
		assert_int_equal(ruleset_lint(paths, 1, f), 0);
		fclose(f);
		memset(out, 0, sizeof(out));
		f = fmemopen(out, sizeof(out), "w");
		fails = ruleset_selftest(paths, 1, f);
		fclose(f);
		if (fails != 0)
			fprintf(stderr, "%s", out);
		assert_int_equal(fails, 0);
		free(path);
	}
}

static void test_selftest_reports_a_failing_example(void **state)
{
	/* The fixture's facilities example matches; write one that cannot. */
	char dir[] = "/tmp/pa-rules-selftest-XXXXXX";
	char path[128], out[2048];
	const char *paths[1] = {path};
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/one.yaml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("rules:\n  - id: facilities\n    title: CSVC\n    group: ĐK\n    levels: all\n    weight: 1\n"
	      "    match: ['co so vat chat']\n    examples:\n"
	      "      - {text: \"Thực đơn tuần\", where: title, expect: match}\n"
	      "      - {text: \"Cơ sở vật chất\", where: body, expect: match}\n",
	      f);
	fclose(f);
	f = fmemopen(out, sizeof(out), "w");
	assert_int_equal(ruleset_selftest(paths, 1, f), 2);
	fclose(f);
	assert_non_null(strstr(out, "one.yaml:9:9: rule facilities: expected match, got no_match"));
	/* The second fails because the rule does not look at the body. */
	assert_non_null(strstr(out, "one.yaml:10:9:"));
	remove(path);
	rmdir(dir);
}

static void test_default_rule_set_by_period(void **state)
{
	assert_string_equal(ruleset_default_for_period("2017-2018"), "tt09-2009");
	assert_string_equal(ruleset_default_for_period("2018-2019"), "tt36-2017");
	assert_string_equal(ruleset_default_for_period("2020-2021"), "tt36-2017");
	assert_string_equal(ruleset_default_for_period("2023-2024"), "tt36-2017");
	assert_string_equal(ruleset_default_for_period("2024-2025"), "tt09-2024");
	assert_string_equal(ruleset_default_for_period("2025-2026"), "tt09-2024");
	assert_null(ruleset_default_for_period("2017-2019"));
	assert_null(ruleset_default_for_period("2017"));
	assert_null(ruleset_default_for_period(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_syntax_error_reports_file_line_col),
		cmocka_unit_test(test_bad_regex_reports_position_and_offset),
		cmocka_unit_test(test_unknown_key_is_an_error),
		cmocka_unit_test(test_duplicate_id_points_at_second_definition),
		cmocka_unit_test(test_unknown_level_is_an_error),
		cmocka_unit_test(test_non_numeric_weight_is_an_error),
		cmocka_unit_test(test_lint_reports_every_error_not_just_the_first),
		cmocka_unit_test(test_lint_of_missing_file_is_an_io_failure),
		cmocka_unit_test(test_directory_merges_files_with_portal_last),
		cmocka_unit_test(test_rule_set_file_is_merged_with_portal_yaml),
		cmocka_unit_test(test_lint_wants_requirement_and_remedy_on_every_rule),
		cmocka_unit_test(test_shipped_rule_sets_lint_clean_and_pass_selftest),
		cmocka_unit_test(test_selftest_reports_a_failing_example),
		cmocka_unit_test(test_default_rule_set_by_period),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
