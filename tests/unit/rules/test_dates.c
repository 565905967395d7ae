/* Date and school-year extraction (rules/dates.h), with the rows of
 * tests/fixtures/rules/vn-dates-cases.tsv (origin in its README). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/norm.h"
#include "rules/dates.h"

static char *plain(const char *s)
{
	char *p = NULL;

	assert_int_equal(norm_fold(s, strlen(s), NULL, &p), ST_OK);
	return p;
}

static int sy_of(const char *s)
{
	char *p = plain(s);
	struct school_year sy;
	int r = dates_find_school_year(p, &sy) ? sy.first : 0;

	free(p);
	return r;
}

static void test_school_year_label_forms(void **state)
{
	static const struct {
		const char *text;
		int first;
	} cases[] = {
		{"Cam kết chất lượng giáo dục năm học 2017-2018", 2017},
		{"NĂM HỌC 2017 - 2018", 2017},
		{"năm học 2017–2018", 2017}, /* en dash */
		{"năm học 2017 – 2018", 2017},
		{"NH 17-18", 2017},
		{"Báo cáo NH 23-24", 2023},
		{"nam hoc 2017_2018", 2017},
		{"Năm học 20182019", 2018},
		{"/cong-khai/nam-hoc-2017-2018/co-so-vat-chat.html", 2017},
		{"ba-cong-khai-2020-2021", 2020},
		{"năm học 2017-18", 2017},
		{"2017/2018", 2017},
		/* Not school years. */
		{"2017-2019", 0},
		{"Ngày 2017-09-29", 0},
		{"trang 17-18", 0},
		{"Điện thoại 028 3829 1234", 0},
		{"120172018", 0},
		{"năm 2017", 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (sy_of(cases[i].text) != cases[i].first)
			fail_msg("\"%s\": got %d, want %d", cases[i].text, sy_of(cases[i].text),
				 cases[i].first);
}

static void test_every_school_year_is_found_with_its_span(void **state)
{
	char *p = plain("Lễ khai giảng năm học 2017-2018; Cơ sở vật chất năm học 2016 - 2017");
	struct school_year sy[4];

	assert_int_equal(dates_find_school_years(p, sy, 4), 2);
	assert_int_equal(sy[0].first, 2017);
	assert_int_equal(sy[1].first, 2016);
	assert_memory_equal(p + sy[1].start, "2016 - 2017", sy[1].len);
	free(p);
}

static void test_calendar_year_labels(void **state)
{
	static const struct {
		const char *text;
		int year;
	} cases[] = {
		{"Công khai quyết toán năm 2017", 2017},
		{"Quyết toán ngân sách năm tài chính 2016", 2016},
		{"Ngày hội đọc sách năm 2018", 2018},
		{"năm học 2017-2018", 0},
		{"năm 2017-2018", 0},
		{"thu chi tài chính", 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = plain(cases[i].text);
		int y = 0;

		if (!dates_find_calendar_year(p, &y))
			y = 0;
		if (y != cases[i].year)
			fail_msg("\"%s\": got %d, want %d", cases[i].text, y, cases[i].year);
		free(p);
	}
}

/* Each row of the fixture: case_id, input, expected (YYYY-MM-DD[ HH:MM]). */
static void test_dates_from_vn_dates_fixture(void **state)
{
	char path[1024], line[1024];
	FILE *f;
	int rows = 0;

	snprintf(path, sizeof(path), "%s/rules/vn-dates-cases.tsv", getenv("PA_FIXTURES"));
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (fgets(line, sizeof(line), f)) {
		char *id = line, *input, *want, *tab, got[32];
		struct date_found d;
		char *p;

		input = strchr(id, '\t');
		assert_non_null(input);
		*input++ = '\0';
		want = strchr(input, '\t');
		assert_non_null(want);
		*want++ = '\0';
		tab = strchr(want, '\t');
		assert_non_null(tab);
		*tab = '\0';
		p = plain(input);
		if (dates_find_dates(p, &d, 1) != 1)
			fail_msg("%s: no date in \"%s\"", id, input);
		if (d.hour >= 0 && strlen(want) > 10)
			snprintf(got, sizeof(got), "%04d-%02d-%02d %02d:%02d", d.y, d.m, d.d,
				 d.hour, d.min);
		else
			snprintf(got, sizeof(got), "%04d-%02d-%02d", d.y, d.m, d.d);
		if (strcmp(got, want) != 0)
			fail_msg("%s: \"%s\" gave %s, want %s", id, input, got, want);
		free(p);
		rows++;
	}
	fclose(f);
	assert_int_equal(rows, 12);
}

static void test_dates_reject_impossible_and_find_several(void **state)
{
	static const char *const none[] = {"31/02/2017", "29/02/2017", "ngày 32 tháng 1 năm 2017",
					   "2017-13-01", "12/2017",    "năm học 2017-2018",
					   "1/1/17"};
	struct date_found d[4];
	char *p;

	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
		p = plain(none[i]);
		if (dates_find_dates(p, d, 4) != 0)
			fail_msg("\"%s\" is not a date", none[i]);
		free(p);
	}
	p = plain("Đăng 29/02/2016, sửa Thứ Hai, 2/10/2017 08:15; ký ngày 5 tháng 9 năm 2017");
	assert_int_equal(dates_find_dates(p, d, 4), 3);
	assert_int_equal(d[0].y * 10000 + d[0].m * 100 + d[0].d, 20160229);
	assert_int_equal(d[0].hour, -1);
	assert_int_equal(d[1].y * 10000 + d[1].m * 100 + d[1].d, 20171002);
	assert_int_equal(d[1].hour * 100 + d[1].min, 815);
	assert_int_equal(d[2].y * 10000 + d[2].m * 100 + d[2].d, 20170905);
	assert_memory_equal(p + d[2].start, "ngay 5 thang 9 nam 2017", d[2].len);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_school_year_label_forms),
		cmocka_unit_test(test_every_school_year_is_found_with_its_span),
		cmocka_unit_test(test_calendar_year_labels),
		cmocka_unit_test(test_dates_from_vn_dates_fixture),
		cmocka_unit_test(test_dates_reject_impossible_and_find_several),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
