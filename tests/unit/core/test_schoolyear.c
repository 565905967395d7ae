/* The school year: of a date (it turns over on 1 August), of a period
 * "YYYY-YYYY", and the period's name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/schoolyear.h"

static void school_year_of_date_starts_on_1_august(void **state)
{
	static const struct {
		const char *date, *period;
	} cases[] = {
		{"2018-05-15", "2017-2018"}, {"2018-07-31", "2017-2018"},
		{"2018-08-01", "2018-2019"}, {"2017-09-05", "2017-2018"},
		{"2026-01-01", "2025-2026"}, {"2024-12-31", "2024-2025"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[10];
		int first = 0;

		assert_int_equal(schoolyear_of_date(cases[i].date, &first), ST_OK);
		schoolyear_format(first, out);
		assert_string_equal(out, cases[i].period);
	}
	assert_int_equal(schoolyear_first(2018, 7), 2017);
	assert_int_equal(schoolyear_first(2018, 8), 2018);
}

static void bad_dates_are_rejected(void **state)
{
	int first = 0;

	(void)state;
	assert_int_equal(schoolyear_of_date("2018-02-30", &first), ST_INVALID);
	assert_int_equal(schoolyear_of_date("18-05-15", &first), ST_INVALID);
	assert_int_equal(schoolyear_of_date("2018/05/15", &first), ST_INVALID);
	assert_int_equal(schoolyear_of_date("1000-01-01", &first), ST_INVALID);
}

static void periods_need_consecutive_plausible_years(void **state)
{
	static const char *const bad[] = {
		"2017-2019",  "2017–2018", "17-18",     "abcd-efgh",
		"2017-20180", "1989-1990", "2100-2101",
	};
	int first = 0;

	(void)state;
	assert_int_equal(schoolyear_parse("2017-2018", &first), ST_OK);
	assert_int_equal(first, 2017);
	assert_int_equal(schoolyear_parse("2099-2100", &first), ST_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(schoolyear_parse(bad[i], &first), ST_INVALID);
	assert_int_equal(schoolyear_parse(NULL, &first), ST_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(school_year_of_date_starts_on_1_august),
		cmocka_unit_test(bad_dates_are_rejected),
		cmocka_unit_test(periods_need_consecutive_plausible_years),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
