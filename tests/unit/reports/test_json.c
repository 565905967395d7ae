/* The JSON school result is a contract (DESIGN.md §3): exact bytes. */
#include "sample.h"

static void test_school_json_has_the_contract_shape(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result r;
	char *got;

	sample_school(&r, "79760101", "Trường THCS \"Lê\" Văn Sĩ", "Quận 3", "thcs",
		      "http://thcslevansi.hcm.edu.vn/");
	sample_score(&r, 82.5, "B");
	r.pages = 57;
	sample_finding(&r, "quality_commitment", "Cam kết chất lượng giáo dục", VERDICT_PASS,
		       "http://thcslevansi.hcm.edu.vn/cong-khai/cam-ket",
		       "Cam kết chất lượng giáo dục năm học 2017-2018\n", "2017-09-15", 20);
	sample_finding(&r, "staff", "Đội ngũ", VERDICT_MISSING, NULL, NULL, NULL, 12.5);
	got = render_school(REPORT_JSON, &m, &r);
	assert_string_equal(
		got,
		"{\n"
		"  \"school\": {\"id\": \"79760101\", \"name\": \"Trường THCS \\\"Lê\\\" Văn Sĩ\", "
		"\"unit\": \"Quận 3\", \"level\": \"thcs\", \"level_vi\": \"THCS\", \"portal_url\": "
		"\"http://thcslevansi.hcm.edu.vn/\", \"ownership\": null},\n"
		"  \"period\": \"2017-2018\",\n"
		"  \"as_of\": \"2018-05-31\",\n"
		"  \"ruleset\": \"tt09-2009\",\n"
		"  \"ruleset_version\": \"1\",\n"
		"  \"ruleset_hash\": \"abc123\",\n"
		"  \"crawl_run\": 3,\n"
		"  \"crawl\": {\"pages\": 57, \"errors\": 0, \"reachable\": true},\n"
		"  \"unreachable_reason\": null,\n"
		"  \"unreachable_reason_vi\": null,\n"
		"  \"score\": 82.5,\n"
		"  \"rating\": \"B\",\n"
		"  \"scoring\": {\"stale_credit\": 0.5, \"bands\": [{\"rating\": \"A\", \"min\": 85}, "
		"{\"rating\": \"B\", \"min\": 70}, {\"rating\": \"C\", \"min\": 50}, {\"rating\": "
		"\"D\", "
		"\"min\": 30}, {\"rating\": \"E\", \"min\": 0}]},\n"
		"  \"provenance\": {\"crawl_from\": null, \"crawl_to\": null, \"crawl_nth\": null, "
		"\"label\": null, \"version\": null},\n"
		"  \"findings\": [\n"
		"    {\"item\": \"quality_commitment\", \"title\": \"Cam kết chất lượng giáo dục\", "
		"\"verdict\": \"pass\", \"url\": \"http://thcslevansi.hcm.edu.vn/cong-khai/cam-ket\", "
		"\"evidence\": \"Cam kết chất lượng giáo dục năm học 2017-2018\\u000a\", \"date\": "
		"\"2017-09-15\", \"date_source\": \"page\", \"period_found\": \"2017-2018\", "
		"\"weight\": "
		"20, \"basis\": null, \"group\": null, \"note\": null, \"verdict_vi\": \"Đạt\", "
		"\"date_source_vi\": \"ngày đăng trên trang\", \"note_vi\": null, \"basis_vi\": null, "
		"\"requirement\": null, \"looked_vi\": null, \"remedy_vi\": null},\n"
		"    {\"item\": \"staff\", \"title\": \"Đội ngũ\", \"verdict\": \"missing\", \"url\": "
		"null, \"evidence\": null, \"date\": null, \"date_source\": null, \"period_found\": "
		"null, \"weight\": 12.5, \"basis\": null, \"group\": null, \"note\": null, "
		"\"verdict_vi\": \"Thiếu\", \"date_source_vi\": null, \"note_vi\": null, \"basis_vi\": "
		"null, \"requirement\": null, \"looked_vi\": \"Chương trình đã đọc 57 trang và tài "
		"liệu của cổng thông tin (tiêu đề, đề mục, liên kết, tệp đính kèm, văn bản) và không "
		"thấy nơi nào nêu mục này.\", \"remedy_vi\": null}\n"
		"  ]\n"
		"}\n");
	free(got);
	school_result_release(&r);
}

static void test_unreachable_school_has_null_score_and_rating(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result r;
	char *got;

	sample_school(&r, "X1", "Trường X", "Quận 7", "th", "http://x.hcm.edu.vn/");
	sample_unreachable(&r, "DNS: không phân giải được tên miền");
	/* A stale rating left in the struct must not leak into the output. */
	r.rating = str_dup("A");
	got = render_school(REPORT_JSON, &m, &r);
	assert_non_null(
		strstr(got, "\"crawl\": {\"pages\": 0, \"errors\": 1, \"reachable\": false},\n"
			    "  \"unreachable_reason\": \"DNS: không phân giải được tên miền\",\n"
			    "  \"unreachable_reason_vi\": \"DNS: không phân giải được tên miền\",\n"
			    "  \"score\": null,\n"
			    "  \"rating\": null,\n"));
	assert_non_null(strstr(got, "\"findings\": []\n}\n"));
	free(got);
	school_result_release(&r);
}

static void test_school_values_win_over_meta_and_absent_runs_are_null(void **state)
{
	struct report_meta m = {0};
	struct school_result r;
	char *got;

	sample_school(&r, "S", "S", NULL, NULL, NULL);
	r.period = str_dup("2025-2026");
	got = render_school(REPORT_JSON, &m, &r);
	assert_non_null(strstr(got, "\"period\": \"2025-2026\",\n  \"as_of\": null,"));
	assert_non_null(strstr(got, "\"ruleset_hash\": null,\n  \"crawl_run\": null,"));
	assert_non_null(strstr(
		got, "\"unit\": null, \"level\": null, \"level_vi\": null, \"portal_url\": null"));
	free(got);
	school_result_release(&r);
}

static void test_json_is_byte_identical_across_renders(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result rs[2];
	char *a, *b;

	sample_school(&rs[0], "B2", "Trường B", "Quận 1", "th", "http://b/");
	sample_score(&rs[0], 100.0 / 3.0, "D");
	sample_finding(&rs[0], "facilities", "Cơ sở vật chất", VERDICT_STALE, "http://b/csvc", NULL,
		       "2016-09-01", 1.0 / 3.0);
	sample_school(&rs[1], "A1", "Trường A", "Quận 1", "th", "http://a/");
	sample_unreachable(&rs[1], "timeout");
	a = render_schools(REPORT_JSON, "city", &m, rs, 2);
	b = render_schools(REPORT_JSON, "city", &m, rs, 2);
	assert_string_equal(a, b);
	/* Deterministic number formatting: %.6g for non-integers. */
	assert_non_null(strstr(a, "\"score\": 33.3333,"));
	assert_non_null(strstr(a, "\"weight\": 0.333333,"));
	assert_non_null(
		strstr(a, "\"unassessed\": [\n    {\"id\": \"A1\", \"name\": \"Trường A\", "
			  "\"reason\": \"timeout\", \"reason_vi\": \"máy chủ không trả lời trong "
			  "thời gian chờ\"}\n  ]\n}\n"));
	assert_non_null(strstr(a,
			       "{\"item\": \"facilities\", \"title\": \"Cơ sở vật chất\", "
			       "\"weight\": 0.333333, \"pass\": 0, \"stale\": 1, \"missing\": 0, "
			       "\"review\": 0, \"unreachable\": 0, \"rate\": 0}"));
	free(a);
	free(b);
	school_result_release(&rs[0]);
	school_result_release(&rs[1]);
}

/* Re-auditing a stored crawl gives a new audit run id; the JSON must not
 * change with it, for one school and for lists. */
static void test_json_does_not_depend_on_the_audit_run(void **state)
{
	struct report_meta m1 = sample_meta(), m2 = sample_meta();
	struct school_result r;
	char *a, *b;

	sample_school(&r, "S1", "Trường S", "Quận 7", "th", "http://s/");
	sample_score(&r, 90, "A");
	sample_finding(&r, "facilities", "Cơ sở vật chất", VERDICT_PASS, "http://s/c", "x",
		       "2017-09-01", 20);
	m2.audit_run = 8;
	r.run_id = 7;
	a = render_school(REPORT_JSON, &m1, &r);
	r.run_id = 8;
	b = render_school(REPORT_JSON, &m2, &r);
	assert_string_equal(a, b);
	assert_null(strstr(a, "audit_run"));
	free(a);
	free(b);
	a = render_schools(REPORT_JSON, "city", &m1, &r, 1);
	r.run_id = 7;
	b = render_schools(REPORT_JSON, "city", &m2, &r, 1);
	assert_string_equal(a, b);
	assert_null(strstr(a, "audit_run"));
	assert_non_null(strstr(a, "\"crawl_run\": 3"));
	free(a);
	free(b);
	school_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_school_json_has_the_contract_shape),
		cmocka_unit_test(test_unreachable_school_has_null_score_and_rating),
		cmocka_unit_test(test_school_values_win_over_meta_and_absent_runs_are_null),
		cmocka_unit_test(test_json_is_byte_identical_across_renders),
		cmocka_unit_test(test_json_does_not_depend_on_the_audit_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
