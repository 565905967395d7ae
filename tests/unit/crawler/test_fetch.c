/* fetch.c's pure helpers: the Retry-After value, seconds or an HTTP-date,
 * capped (a value above the cap counts as the cap, never as absent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <time.h>

#include "crawler/fetch.h"

static void test_retry_after_values(void **state)
{
	static const struct {
		const char *value;
		long want;
	} cases[] = {
		{"0", 0},
		{"2", 2},
		{"30", 30},
		{"86400", 86400},
		{"86401", FETCH_RETRY_AFTER_MAX},
		{"999999", FETCH_RETRY_AFTER_MAX},
		{"99999999999999999999999", FETCH_RETRY_AFTER_MAX},
		{"", -1},
		{"soon", -1},
		{"-5", -1},
		{"3 seconds", -1},
		/* HTTP-dates, against now = Sun, 06 Nov 1994 08:49:37 GMT. */
		{"Sun, 06 Nov 1994 08:49:37 GMT", 0},
		{"Sun, 06 Nov 1994 08:50:07 GMT", 30},
		{"Sun, 06 Nov 1994 08:00:00 GMT", 0},
		{"Tue, 06 Dec 1994 08:49:37 GMT", FETCH_RETRY_AFTER_MAX},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long got = fetch_parse_retry_after(cases[i].value, 784111777);

		if (got != cases[i].want)
			fail_msg("Retry-After '%s': got %ld, want %ld", cases[i].value, got,
				 cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_retry_after_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
