/* The city report puts units and levels side by side: per-unit counts,
 * mean score, rating counts and compliance; item pass rates by level with
 * multi-level schools in each of their levels. */
#include "sample.h"

static void three(struct school_result rs[3])
{
	sample_school(&rs[0], "A", "Trường A", "Quận 10", "th+thcs", "http://a/");
	sample_score(&rs[0], 90, "A");
	sample_finding(&rs[0], "staff", "Đội ngũ", VERDICT_PASS, "http://a/s", "x", NULL, 50);
	sample_finding(&rs[0], "finance", "Tài chính", VERDICT_MISSING, NULL, NULL, NULL, 50);
	sample_school(&rs[1], "B", "Trường B", "Quận 2", "thcs", "http://b/");
	sample_score(&rs[1], 40, "E");
	sample_finding(&rs[1], "staff", "Đội ngũ", VERDICT_STALE, "http://b/s", "y", NULL, 50);
	sample_finding(&rs[1], "finance", "Tài chính", VERDICT_PASS, "http://b/f", "z", NULL, 50);
	sample_school(&rs[2], "C", "Trường C", "Quận 10", "mn", "http://c/");
	sample_unreachable(&rs[2], "timeout");
	sample_finding(&rs[2], "staff", "Đội ngũ", VERDICT_UNREACHABLE, NULL, NULL, NULL, 50);
}

static void release(struct school_result rs[3])
{
	size_t i;

	for (i = 0; i < 3; i++)
		school_result_release(&rs[i]);
}

static void test_city_json_has_units_levels_and_ratings(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result rs[3];
	char *got;

	three(rs);
	got = render_schools(REPORT_JSON, "city", &m, rs, 3);
	/* Units in natural order (Quận 2 before Quận 10), then the total. */
	assert_non_null(strstr(
		got,
		"\"units\": [\n"
		"    {\"unit\": \"Quận 2\", \"schools\": 1, \"assessed\": 1, \"mean_score\": 40, "
		"\"rating_A\": 0, \"rating_B\": 0, \"rating_C\": 0, \"rating_D\": 0, "
		"\"rating_E\": 1, \"compliance\": 0.5, \"not_crawled\": 0},\n"
		"    {\"unit\": \"Quận 10\", \"schools\": 2, \"assessed\": 1, \"mean_score\": 90, "
		"\"rating_A\": 1, \"rating_B\": 0, \"rating_C\": 0, \"rating_D\": 0, "
		"\"rating_E\": 0, \"compliance\": 0.5, \"not_crawled\": 0},\n"
		"    {\"unit\": \"Toàn thành phố\", \"schools\": 3, \"assessed\": 2, "
		"\"mean_score\": 65, \"rating_A\": 1, \"rating_B\": 0, \"rating_C\": 0, "
		"\"rating_D\": 0, \"rating_E\": 1, \"compliance\": 0.5, \"not_crawled\": 0}\n  ]"));
	/* th+thcs school A counts in th and thcs; C is unreachable: mn has
	 * nothing judged. */
	assert_non_null(strstr(got, "{\"item\": \"staff\", \"title\": \"Đội ngũ\", \"mn\": null, "
				    "\"th\": 1, \"thcs\": 0.5, \"thpt\": null, \"gdtx\": null}"));
	assert_non_null(
		strstr(got, "\"ratings\": [{\"rating\": \"A\", \"min\": 85, \"schools\": 1}"));
	free(got);
	/* A unit report has levels but no units table; a ranking neither. */
	got = render_schools(REPORT_JSON, "unit", &m, rs, 3);
	assert_non_null(strstr(got, "\"levels\": ["));
	assert_null(strstr(got, "\"units\": ["));
	free(got);
	got = render_schools(REPORT_JSON, "ranking", &m, rs, 3);
	assert_null(strstr(got, "\"levels\": ["));
	free(got);
	release(rs);
}

static void test_city_human_formats_show_units_levels_weights_and_bands(void **state)
{
	static const enum report_format fmts[] = {REPORT_TEXT, REPORT_MD, REPORT_HTML};
	struct report_meta m = sample_meta();
	struct school_result rs[3];
	size_t i;

	three(rs);
	for (i = 0; i < 3; i++) {
		char *got = render_schools(fmts[i], "city", &m, rs, 3);

		assert_non_null(strstr(got, "Các đơn vị"));
		assert_non_null(strstr(got, "Toàn thành phố"));
		assert_non_null(strstr(got, "Tỷ lệ đạt theo mục và cấp học"));
		assert_non_null(strstr(got, "Tiểu học"));
		assert_non_null(strstr(got, "Loại A"));
		assert_non_null(strstr(got, "50,0%"));
		/* Weights and bands stated. */
		assert_non_null(strstr(got, "Tài chính"));
		assert_non_null(strstr(got, "85,0"));
		free(got);
	}
	release(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_city_json_has_units_levels_and_ratings),
		cmocka_unit_test(test_city_human_formats_show_units_levels_weights_and_bands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
