/* URL resolution: every RFC 3986 §5.4 example (read from
 * tests/fixtures/url at test time) plus the normalisations the crawler relies on for deduplication. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crawler/url.h"

/* Splits a TSV line in place into at most max fields. */
static int split_tabs(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (n < max) {
		f[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

static void test_rfc3986_examples_resolve_as_the_rfc_says(void **state)
{
	const char *dir = getenv("PA_FIXTURES");
	char path[1024], line[2048], *f[6];
	FILE *fp;
	int rows = 0;

	(void)state;
	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/url/rfc3986-resolution-examples.tsv", dir);
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof(line), fp)); /* header */
	while (fgets(line, sizeof(line), fp)) {
		char *got = NULL, want[512];
		status st;

		if (split_tabs(line, f, 6) < 4)
			continue;
		rows++;
		/* We drop fragments, so compare with the expected URL minus its
		 * fragment. */
		snprintf(want, sizeof(want), "%s", f[3]);
		want[strcspn(want, "#")] = '\0';
		/* Scheme-based normalisation (RFC 3986 §6.2.3) writes an empty
		 * path as "/": http://g and http://g/ are the same resource. */
		if (strncmp(want, "http://", 7) == 0 && !strchr(want + 7, '/'))
			memcpy(want + strlen(want), "/", 2);
		st = url_resolve(&got, f[1], f[2]);
		if (strcmp(f[0], "rfc01") == 0) {
			/* g:h is not http(s): refused. */
			assert_int_equal(st, ST_INVALID);
			assert_null(got);
		} else if (strcmp(f[0], "rfc42") == 0) {
			/* "http:g": the RFC allows the strict answer "http:g"
			 * (not a fetchable URL) or the backward-compatible
			 * http://a/b/c/g.  libcurl reads it as an absolute URL
			 * with host "g"; any of these is acceptable, a crash or
			 * another base-relative path is not. */
			if (st == ST_OK)
				assert_true(strcmp(got, "http://a/b/c/g") == 0 ||
					    strcmp(got, "http://g/") == 0);
			else
				assert_int_equal(st, ST_INVALID);
		} else {
			if (st != ST_OK || strcmp(got, want) != 0)
				fail_msg("%s: %s + %s -> %s, want %s", f[0], f[1], f[2],
					 got ? got : "(error)", want);
		}
		free(got);
	}
	fclose(fp);
	assert_int_equal(rows, 42);
}

struct norm_case {
	const char *base, *ref, *want; /* want NULL: ST_INVALID */
};

static void test_normalisation_lowers_host_drops_default_port_and_fragment(void **state)
{
	static const struct norm_case cases[] = {
		{NULL, "HTTP://Example.COM:80/a/../B?x=1#frag", "http://example.com/B?x=1"},
		{NULL, "https://Example.com:443/", "https://example.com/"},
		{NULL, "https://example.com:8443/p", "https://example.com:8443/p"},
		{"http://thcs.hcm.edu.vn/a/b.html", "  ../c d.html \n",
		 "http://thcs.hcm.edu.vn/c%20d.html"},
		{"http://x.vn/", "//cdn.x.vn/img", "http://cdn.x.vn/img"},
		{"http://x.vn/a/", "?page=2", "http://x.vn/a/?page=2"},
		{"http://x.vn/", "mailto:a@b.vn", NULL},
		{"http://x.vn/", "javascript:void(0)", NULL},
		{"http://x.vn/", "ftp://x.vn/file", NULL},
		{NULL, "not a url", NULL},
		{NULL, "http://", NULL},
		{"http://x.vn/", "tin-t\xe1\xbb\xa9\x63.html", "http://x.vn/tin-t%e1%bb%a9c.html"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = NULL;
		status st = url_resolve(&got, cases[i].base, cases[i].ref);

		if (!cases[i].want) {
			if (st != ST_INVALID)
				fail_msg("case %zu: %s accepted as %s", i, cases[i].ref, got);
			assert_null(got);
			continue;
		}
		if (st != ST_OK || strcasecmp(got, cases[i].want) != 0)
			fail_msg("case %zu: %s -> %s, want %s", i, cases[i].ref,
				 got ? got : "(error)", cases[i].want);
		free(got);
	}
}

static void test_host_and_path_query(void **state)
{
	char *s = NULL;

	(void)state;
	assert_int_equal(url_host(&s, "https://WWW.Example.vn:8080/a?b"), ST_OK);
	assert_string_equal(s, "www.example.vn");
	free(s);
	assert_int_equal(url_path_query(&s, "https://x.vn"), ST_OK);
	assert_string_equal(s, "/");
	free(s);
	assert_int_equal(url_path_query(&s, "https://x.vn/a/b;p?q=1&r"), ST_OK);
	assert_string_equal(s, "/a/b;p?q=1&r");
	free(s);
	assert_int_equal(url_host(&s, "/relative"), ST_INVALID);
	assert_null(s);
}

static void test_same_site_is_equal_or_www_variant(void **state)
{
	(void)state;
	assert_true(url_same_site("x.hcm.edu.vn", "x.hcm.edu.vn"));
	assert_true(url_same_site("www.x.hcm.edu.vn", "X.hcm.edu.vn"));
	assert_true(url_same_site("x.hcm.edu.vn", "www.x.hcm.edu.vn"));
	assert_false(url_same_site("y.hcm.edu.vn", "x.hcm.edu.vn"));
	assert_false(url_same_site("hcm.edu.vn", "x.hcm.edu.vn"));
	assert_false(url_same_site("www.www.x.vn", "x.vn"));
	assert_false(url_same_site(NULL, "x.vn"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3986_examples_resolve_as_the_rfc_says),
		cmocka_unit_test(test_normalisation_lowers_host_drops_default_port_and_fragment),
		cmocka_unit_test(test_host_and_path_query),
		cmocka_unit_test(test_same_site_is_equal_or_www_variant),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
