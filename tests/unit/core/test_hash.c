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

static void string_hash_is_fnv1a64_of_the_bytes(void **state)
{
	(void)state;
	assert_true(hash_str("") == 0xcbf29ce484222325ULL);
	assert_true(hash_str("a") == 0xaf63dc4c8601ec8cULL);
	assert_true(hash_str("foobar") == 0x85944171f73967e8ULL);
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

static void word_hash_sees_every_byte_and_length(void **state)
{
	char a[100], b[100];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(a); i++)
		a[i] = (char)(i * 7 + 3);
	for (n = 0; n <= sizeof(a); n += 13) {
		/* Changing any single byte changes the hash... */
		for (i = 0; i < n; i++) {
			memcpy(b, a, n);
			b[i] ^= 1;
			assert_true(hash_words64(a, n) != hash_words64(b, n));
		}
		/* ...and so does the length, even with trailing zeros. */
		memset(b, 0, sizeof(b));
		memcpy(b, a, n);
		if (n < sizeof(b))
			assert_true(hash_words64(b, n) != hash_words64(b, n + 1));
	}
	assert_true(hash_words64(a, 64) == hash_words64(a, 64));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fnv1a64_matches_reference_vectors),
		cmocka_unit_test(string_hash_is_fnv1a64_of_the_bytes),
		cmocka_unit_test(hashing_in_pieces_equals_hashing_at_once),
		cmocka_unit_test(hex_is_sixteen_lower_case_digits),
		cmocka_unit_test(word_hash_sees_every_byte_and_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
