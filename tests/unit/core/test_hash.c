/* FNV-1a 64 against published test vectors, and its hex form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/hash.h"

static void fnv1a64_matches_reference_vectors(void **state)
{
	static const struct {
		const char *in;
		uint64_t want;
	} cases[] = {
		{"", 0xcbf29ce484222325ULL},
		{"a", 0xaf63dc4c8601ec8cULL},
		{"foobar", 0x85944171f73967e8ULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_true(hash_fnv1a64(HASH_FNV1A64_INIT, cases[i].in, strlen(cases[i].in)) ==
			    cases[i].want);
}

static void hashing_in_pieces_equals_hashing_at_once(void **state)
{
	const char *s = "Công khai thu chi tài chính";
	uint64_t whole = hash_fnv1a64(HASH_FNV1A64_INIT, s, strlen(s));
	uint64_t parts = hash_fnv1a64(hash_fnv1a64(HASH_FNV1A64_INIT, s, 7), s + 7, strlen(s) - 7);

	(void)state;
	assert_true(whole == parts);
}

static void hex_is_sixteen_lower_case_digits(void **state)
{
	char hex[17];

	(void)state;
	hash_hex(0xaf63dc4c8601ec8cULL, hex);
	assert_string_equal(hex, "af63dc4c8601ec8c");
	hash_hex(0x1ULL, hex);
	assert_string_equal(hex, "0000000000000001");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fnv1a64_matches_reference_vectors),
		cmocka_unit_test(hashing_in_pieces_equals_hashing_at_once),
		cmocka_unit_test(hex_is_sixteen_lower_case_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
