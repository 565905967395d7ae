/* The one host/path splitter and the growing-array helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/array.h"
#include "core/urlsplit.h"

static void view_is(struct strview v, const char *want)
{
	assert_int_equal(v.len, strlen(want));
	assert_memory_equal(v.ptr, want, v.len);
}

static void splits_host_port_and_path(void **state)
{
	static const struct {
		const char *url, *host, *port, *path;
	} cases[] = {
		{"http://thcs.hcm.edu.vn/a/b?x=1#f", "thcs.hcm.edu.vn", "", "/a/b?x=1#f"},
		{"https://user:pw@Host.vn:8443/", "Host.vn", "8443", "/"},
		{"http://[::1]:8080/x", "[::1]", "8080", "/x"},
		{"http://[::1]/x", "[::1]", "", "/x"},
		{"http://h.vn?q=/a", "h.vn", "", "?q=/a"},
		{"http://h.vn", "h.vn", "", ""},
		{"/relative/path", "", "", "/relative/path"},
		{"", "", "", ""},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct urlsplit u;

		urlsplit(&u, cases[i].url);
		view_is(u.host, cases[i].host);
		view_is(u.port, cases[i].port);
		assert_string_equal(u.path, cases[i].path);
		assert_int_equal(u.absolute, strstr(cases[i].url, "://") != NULL);
	}
}

static void copies_the_host_or_nothing(void **state)
{
	char small[4], big[64];

	(void)state;
	urlsplit_host("http://a.b.vn:80/x", big, sizeof(big));
	assert_string_equal(big, "a.b.vn");
	urlsplit_host("http://a.b.vn/x", small, sizeof(small));
	assert_string_equal(small, "");
	urlsplit_host(NULL, big, sizeof(big));
	assert_string_equal(big, "");
}

static void arrays_grow_and_keep_their_content(void **state)
{
	int *v = NULL, *w = NULL;
	size_t cap = 0, n;

	(void)state;
	for (n = 0; n < 1000; n++) {
		assert_int_equal(ARRAY_GROW(v, n + 1, cap), ST_OK);
		assert_true(cap > n);
		v[n] = (int)n;
	}
	for (n = 0; n < 1000; n++) {
		assert_int_equal(ARRAY_ROOM(w, n), ST_OK);
		w[n] = (int)n * 2;
	}
	for (n = 0; n < 1000; n++)
		assert_true(v[n] == (int)n && w[n] == (int)n * 2);
	assert_int_equal(ARRAY_RESIZE(v, 3), ST_OK);
	assert_int_equal(v[2], 2);
	/* An impossible size fails and leaves the array as it was. */
	assert_int_equal(ARRAY_RESIZE(v, SIZE_MAX / 2), ST_NOMEM);
	assert_int_equal(v[2], 2);
	free(v);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(splits_host_port_and_path),
		cmocka_unit_test(copies_the_host_or_nothing),
		cmocka_unit_test(arrays_grow_and_keep_their_content),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
