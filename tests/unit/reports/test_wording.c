/* The English words of the crawler and the audit, in Vietnamese. */
#include "sample.h"

#include "reports/wording.h"

struct case_ {
	const char *in, *want;
};

static void check_notes(const struct case_ *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *got = wording_note(c[i].in);

		assert_non_null(got);
		if (strcmp(got, c[i].want) != 0)
			fail_msg("case %zu: got [%s], want [%s]", i, got, c[i].want);
		free(got);
	}
}

static void test_reasons_are_translated_with_their_values(void **state)
{
	static const struct case_ cases[] = {
		{"connect", "không kết nối được máy chủ"},
		{"dns", "không phân giải được tên miền (lỗi DNS)"},
		{"http 503", "máy chủ trả mã lỗi HTTP 503"},
		{"address guard: 10.0.0.1 not allowed",
		 "bị chặn vì 10.0.0.1 là địa chỉ mạng nội bộ"},
		{"robots (robots.txt: http 500)",
		 "không đọc được tệp robots.txt (mã HTTP 500) nên không được phép thu thập"},
		{"not html (application/pdf)",
		 "trang đầu không phải trang web (kiểu application/pdf)"},
		/* Unknown text passes unchanged (it is escaped by the writer). */
		{"bị chặn bởi robots.txt: http://a/", "bị chặn bởi robots.txt: http://a/"},
		{"", ""},
	};

	(void)state;
	check_notes(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_joined_notes_are_translated_part_by_part(void **state)
{
	static const struct case_ cases[] = {
		{"page dated 2017-09-15 (page)",
		 "trang ghi ngày 2017-09-15 (theo ngày đăng trên trang)"},
		{"attachment http://x/a;b.pdf; page dated 2017-09-15 (meta)",
		 "tệp đính kèm http://x/a;b.pdf; trang ghi ngày 2017-09-15 (theo thẻ meta của trang)"},
		{"4 posts dated 2017-08-01 to 2018-05-15 (want 40): 0 from 0 news list pages, 4 from "
		 "article pages only; no news list with dated posts found",
		 "4 bài đăng từ 2017-08-01 đến 2018-05-15 (cần ít nhất 40): 0 bài từ 0 trang danh sách "
		 "tin, 4 bài chỉ thấy trên trang bài viết; không tìm thấy trang danh sách tin nào có "
		 "ghi ngày đăng"},
		/* A template holding "; " wins over its first part. */
		{"mục trong bài đăng chung; no year label; dated 2015-03-01, before TT 36/2017 took "
		 "effect on 2018-02-13: an earlier regime's disclosure",
		 "mục trong bài đăng chung; không ghi năm học; đăng ngày 2015-03-01, trước khi TT "
		 "36/2017 có hiệu lực (2018-02-13): công khai theo quy định cũ"},
		{"disclosure section has no part for the current school year",
		 "chuyên mục công khai chưa có phần riêng cho năm học hiện tại"},
	};

	(void)state;
	check_notes(cases, sizeof(cases) / sizeof(cases[0]));
	assert_null(wording_note(NULL));
}

static void test_levels_sources_and_bases_read_as_vietnamese(void **state)
{
	char b[256];

	(void)state;
	assert_string_equal(wording_level(b, sizeof(b), "mn"), "Mầm non");
	assert_string_equal(wording_level(b, sizeof(b), "th+thcs"), "Tiểu học + THCS");
	assert_string_equal(wording_level(b, sizeof(b), "xyz"), "xyz");
	assert_string_equal(wording_date_source("label"), "nhãn năm học");
	assert_string_equal(wording_date_source("weird"), "weird");
	assert_string_equal(wording_basis(b, sizeof(b), "TT 09/2024/TT-BGDĐT, điều 4, khoản 1"),
			    "Điều 4 khoản 1 Thông tư 09/2024/TT-BGDĐT");
	assert_string_equal(wording_basis(b, sizeof(b), "TT 53/2012/TT-BGDĐT, điều 11"),
			    "Điều 11 Thông tư 53/2012/TT-BGDĐT");
	assert_string_equal(wording_basis(b, sizeof(b), "3630/GDĐT-TTTT"),
			    "Công văn 3630/GDĐT-TTTT của Sở GD&ĐT TP.HCM");
	assert_string_equal(
		wording_basis(b, sizeof(b), "HCMC rubric 3.4"),
		"mục 3.4 Tiêu chuẩn đánh giá thi đua nhiệm vụ CNTT của Sở GD&ĐT TP.HCM");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reasons_are_translated_with_their_values),
		cmocka_unit_test(test_joined_notes_are_translated_part_by_part),
		cmocka_unit_test(test_levels_sources_and_bases_read_as_vietnamese),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
