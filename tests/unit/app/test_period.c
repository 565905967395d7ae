/* The school year of a date, and period validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"

static void period_of_date_starts_on_1_august(void **state)
{
	static const struct {
		const char *date, *period;
	} cases[] = {
		{"2018-05-15", "2017-2018"}, {"2018-07-31", "2017-2018"},
		{"2018-08-01", "2018-2019"}, {"2017-09-05", "2017-2018"},
		{"2026-01-01", "2025-2026"}, {"2024-12-31", "2024-2025"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[10];

		assert_int_equal(app_period_for(cases[i].date, out), ST_OK);
		assert_string_equal(out, cases[i].period);
	}
}

static void bad_dates_are_rejected(void **state)
{
	char out[10];

	(void)state;
	assert_int_equal(app_period_for("2018-02-30", out), ST_INVALID);
	assert_int_equal(app_period_for("18-05-15", out), ST_INVALID);
	assert_int_equal(app_period_for("2018/05/15", out), ST_INVALID);
}

static void periods_need_consecutive_years(void **state)
{
	(void)state;
	assert_int_equal(app_period_check("2017-2018"), ST_OK);
	assert_int_equal(app_period_check("2017-2019"), ST_INVALID);
	assert_int_equal(app_period_check("2017–2018"), ST_INVALID);
	assert_int_equal(app_period_check("17-18"), ST_INVALID);
	assert_int_equal(app_period_check("abcd-efgh"), ST_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(period_of_date_starts_on_1_august),
		cmocka_unit_test(bad_dates_are_rejected),
		cmocka_unit_test(periods_need_consecutive_years),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
