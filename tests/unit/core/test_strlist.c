/* strlist: strings packed in one buffer, found by index, surviving the
 * moves of the buffer as it grows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/strlist.h"

static void strings_come_back_in_order(void **state)
{
	static const char *const in[] = {"79-Q01-TH-0001", "http://th-a.hcm.edu.vn/", "", "x"};
	struct strlist l = STRLIST_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		assert_int_equal(strlist_adds(&l, in[i]), ST_OK);
	assert_int_equal(l.n, 4);
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		assert_string_equal(strlist_get(&l, i), in[i]);
	/* Each string costs its bytes and its NUL in the text. */
	assert_int_equal(l.len, 15 + 24 + 1 + 2);
	strlist_release(&l);
	assert_null(l.text);
	assert_int_equal(l.n, 0);
}

static void add_takes_n_bytes_and_ends_them(void **state)
{
	struct strlist l = STRLIST_INIT;

	(void)state;
	assert_int_equal(strlist_add(&l, "host:80:127.0.0.1 trailing", 17), ST_OK);
	assert_string_equal(strlist_get(&l, 0), "host:80:127.0.0.1");
	strlist_release(&l);
}

/* 20,000 entries of a city: all found after the buffer moved many times. */
static void many_strings_survive_growth(void **state)
{
	struct strlist l = STRLIST_INIT;
	char s[64];
	size_t i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		snprintf(s, sizeof(s), "s%zu.hcm.edu.vn:18500:127.1.%zu.%zu", i, i / 250, i % 250);
		assert_int_equal(strlist_adds(&l, s), ST_OK);
	}
	for (i = 0; i < 20000; i += 997) {
		snprintf(s, sizeof(s), "s%zu.hcm.edu.vn:18500:127.1.%zu.%zu", i, i / 250, i % 250);
		assert_string_equal(strlist_get(&l, i), s);
	}
	assert_string_equal(strlist_get(&l, 19999), "s19999.hcm.edu.vn:18500:127.1.79.249");
	strlist_release(&l);
}

/* A shrunk list holds exactly its bytes and offsets, keeps every string,
 * and still takes more. */
static void shrink_keeps_the_strings_and_drops_the_slack(void **state)
{
	struct strlist l = STRLIST_INIT;
	char s[32];
	size_t i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		snprintf(s, sizeof(s), "host-%zu", i);
		assert_int_equal(strlist_adds(&l, s), ST_OK);
	}
	assert_true(l.cap > l.len);
	strlist_shrink(&l);
	assert_int_equal(l.cap, l.len);
	assert_int_equal(l.offcap, l.n);
	for (i = 0; i < 1000; i += 111) {
		snprintf(s, sizeof(s), "host-%zu", i);
		assert_string_equal(strlist_get(&l, i), s);
	}
	assert_int_equal(strlist_adds(&l, "one more"), ST_OK);
	assert_string_equal(strlist_get(&l, 1000), "one more");
	assert_string_equal(strlist_get(&l, 999), "host-999");
	strlist_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strings_come_back_in_order),
		cmocka_unit_test(add_takes_n_bytes_and_ends_them),
		cmocka_unit_test(many_strings_survive_growth),
		cmocka_unit_test(shrink_keeps_the_strings_and_drops_the_slack),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
