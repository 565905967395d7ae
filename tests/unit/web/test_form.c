/* The dashboard's request helpers: form decoding and its bounds, the
 * constant-time token comparison, path segment checks, and the CSP's style
 * hashes (web/form.c, web/csp.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "web/internal.h"

static void test_form_decodes_plus_and_percent(void **state)
{
	struct form f;
	const char *body = "username=nd&password=a+b%26c%3D&csrf=&reason=L%C3%BD+do";

	(void)state;
	assert_int_equal(form_parse(&f, body, strlen(body)), ST_OK);
	assert_string_equal(form_get(&f, "username"), "nd");
	assert_string_equal(form_get(&f, "password"), "a b&c=");
	assert_string_equal(form_get(&f, "csrf"), "");
	assert_string_equal(form_get(&f, "reason"), "Lý do");
	assert_null(form_get(&f, "missing"));
	form_release(&f);
}

static void test_form_refuses_bad_text_and_too_many_fields(void **state)
{
	struct form f;
	char body[FORM_MAX * 4 + 8];
	size_t i, n = 0;
	static const char *const bad[] = {"a=%00b", "a=%C3", "a=%1B[31m", "a%00=b"};

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(form_parse(&f, bad[i], strlen(bad[i])), ST_INVALID);
		form_release(&f);
	}
	assert_int_equal(form_parse(&f, "a=b\0c", 5), ST_INVALID);
	form_release(&f);
	for (i = 0; i <= FORM_MAX; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "k=v&");
	assert_int_equal(form_parse(&f, body, n), ST_LIMIT);
	form_release(&f);
	/* Empty pairs are skipped, a key without '=' is an empty value. */
	assert_int_equal(form_parse(&f, "&&flag&x=1&", 11), ST_OK);
	assert_string_equal(form_get(&f, "flag"), "");
	assert_string_equal(form_get(&f, "x"), "1");
	form_release(&f);
}

static void test_token_eq(void **state)
{
	(void)state;
	assert_true(web_token_eq("abc", "abc"));
	assert_false(web_token_eq("abc", "abd"));
	assert_false(web_token_eq("abc", "abcd"));
	assert_false(web_token_eq("", ""));
	assert_false(web_token_eq(NULL, "abc"));
	assert_false(web_token_eq("abc", NULL));
}

static void test_random_token_is_64_hex_and_differs(void **state)
{
	char a[65], b[65];
	size_t i;

	(void)state;
	assert_int_equal(web_random_token(a), ST_OK);
	assert_int_equal(web_random_token(b), ST_OK);
	assert_int_equal(strlen(a), 64);
	for (i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	assert_string_not_equal(a, b);
}

static void test_segment_ok(void **state)
{
	char longer[202];

	(void)state;
	assert_true(web_segment_ok("79-Q01-THCS-0001"));
	assert_true(web_segment_ok("Quận 1"));
	assert_false(web_segment_ok(""));
	assert_false(web_segment_ok(NULL));
	assert_false(web_segment_ok("a/b"));
	assert_false(web_segment_ok("a\nb"));
	assert_false(web_segment_ok("\xC3"));
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_false(web_segment_ok(longer));
}

static void test_csp_hashes_styles(void **state)
{
	/* sha256("p{}") and sha256("color:red"), base64. */
	const char *page = "<style>p{}</style><p style=\"color:red\">x</p>"
			   "<p>&lt;style&gt;evil&lt;/style&gt; style=&quot;x&quot;</p>";
	char *c = csp_for(page, strlen(page), true);
	char *plain = csp_for("x", 1, false);

	(void)state;
	assert_non_null(c);
	assert_non_null(strstr(c, "default-src 'none'"));
	assert_non_null(strstr(c, "frame-ancestors 'none'"));
	assert_non_null(strstr(c, "'sha256-gG2yISYereRMiG2lMXrbiUgi0Ubw9p7QCeWcroOvy9Y='"));
	assert_non_null(strstr(c, "'sha256-8f935d27GvUutRyY9yWScUMiFUk4WTdZURISiYfPOeQ='"));
	assert_non_null(strstr(c, "'unsafe-hashes'"));
	assert_null(strstr(c, "unsafe-inline"));
	assert_null(strstr(c, "script-src"));
	/* Exactly the two hashes: escaped text adds none. */
	assert_null(strstr(strstr(strstr(c, "sha256-") + 1, "sha256-") + 1, "sha256-"));
	assert_non_null(plain);
	assert_null(strstr(plain, "style-src"));
	free(c);
	free(plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_decodes_plus_and_percent),
		cmocka_unit_test(test_form_refuses_bad_text_and_too_many_fields),
		cmocka_unit_test(test_token_eq),
		cmocka_unit_test(test_random_token_is_64_hex_and_differs),
		cmocka_unit_test(test_segment_ok),
		cmocka_unit_test(test_csp_hashes_styles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
