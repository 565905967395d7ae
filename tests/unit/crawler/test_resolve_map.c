/* resolve_map: each transfer carries the CURLOPT_RESOLVE entries of its
 * own host (and its www. twin) only, as non-permanent entries, however
 * many the crawl has: libcurl walks its whole DNS cache after every
 * transfer, so loading every entry made the time per school grow with the
 * number of schools (docs/BENCH.md, scale). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "crawler/resolve_map.h"

static size_t count(const struct curl_slist *l)
{
	size_t n = 0;

	for (; l; l = l->next)
		n++;
	return n;
}

static bool has(const struct curl_slist *l, const char *item)
{
	for (; l; l = l->next)
		if (strcmp(l->data, item) == 0)
			return true;
	return false;
}

/* resolve_map_for's lists, freed by done(): each call gives a new one. */
static struct curl_slist *given[16];
static size_t ngiven;

static const struct curl_slist *for_url(struct resolve_map *m, const char *url)
{
	struct curl_slist unset, *l = &unset;

	assert_int_equal(resolve_map_for(&l, m, url), ST_OK);
	assert_true(ngiven < sizeof(given) / sizeof(given[0]));
	given[ngiven++] = l;
	return l;
}

static void done(struct resolve_map *m)
{
	while (ngiven > 0)
		curl_slist_free_all(given[--ngiven]);
	resolve_map_free(m);
}

#define NHOSTS 20000

/* 20,000 schools: a transfer carries one entry, not 20,000. */
static void test_one_host_of_many(void **state)
{
	char **e = calloc(NHOSTS, sizeof(*e)), **u = calloc(NHOSTS, sizeof(*u));
	struct resolve_map *m;
	const struct curl_slist *l;
	size_t i;

	(void)state;
	assert_non_null(e);
	assert_non_null(u);
	for (i = 0; i < NHOSTS; i++) {
		e[i] = malloc(64);
		u[i] = malloc(64);
		assert_non_null(e[i]);
		assert_non_null(u[i]);
		snprintf(e[i], 64, "s%zu.hcm.edu.vn:18500:127.1.%zu.%zu", i, i / 250, 1 + i % 250);
		snprintf(u[i], 64, "http://s%zu.hcm.edu.vn:18500/", i);
	}
	assert_int_equal(
		resolve_map_new(&m, (const char *const *)e, NHOSTS, (const char *const *)u, NHOSTS),
		ST_OK);
	l = for_url(m, "http://s12345.hcm.edu.vn:18500/tin-tuc/a.html?x=1");
	assert_int_equal(count(l), 1);
	assert_string_equal(l->data, "+s12345.hcm.edu.vn:18500:127.1.49.96");
	l = for_url(m, "http://S0.HCM.edu.vn:18500/");
	assert_int_equal(count(l), 1);
	assert_string_equal(l->data, "+s0.hcm.edu.vn:18500:127.1.0.1");
	assert_null(for_url(m, "http://other.hcm.edu.vn:18500/"));
	assert_null(for_url(m, "not a url"));
	done(m);
	for (i = 0; i < NHOSTS; i++) {
		free(e[i]);
		free(u[i]);
	}
	free(e);
	free(u);
}

/* A site's host and its www. twin travel together, every port of them;
 * a host that is no site's start (a redirect target) is permanent and
 * goes once, with the first transfer. */
static void test_sites_twins_and_others(void **state)
{
	const char *e[] = {"thcs-a.edu.vn:80:127.0.0.2", "www.thcs-a.edu.vn:80:127.0.0.3",
			   "thcs-a.edu.vn:8080:127.0.0.4", "thcs-b.edu.vn:80:127.0.0.5",
			   "moved.edu.vn:80:127.0.0.6"};
	const char *sites[] = {"http://www.thcs-a.edu.vn/", "thcs-b.edu.vn"};
	struct resolve_map *m;
	const struct curl_slist *l;

	(void)state;
	assert_int_equal(resolve_map_new(&m, e, 5, sites, 2), ST_OK);
	l = for_url(m, "http://thcs-b.edu.vn/"); /* the first transfer */
	assert_int_equal(count(l), 2);
	assert_string_equal(l->data, "moved.edu.vn:80:127.0.0.6");
	assert_string_equal(l->next->data, "+thcs-b.edu.vn:80:127.0.0.5");
	l = for_url(m, "http://thcs-b.edu.vn/a.html");
	assert_int_equal(count(l), 1);
	assert_string_equal(l->data, "+thcs-b.edu.vn:80:127.0.0.5");
	l = for_url(m, "http://thcs-a.edu.vn/");
	assert_int_equal(count(l), 3);
	assert_true(has(l, "+thcs-a.edu.vn:80:127.0.0.2"));
	assert_true(has(l, "+www.thcs-a.edu.vn:80:127.0.0.3"));
	assert_true(has(l, "+thcs-a.edu.vn:8080:127.0.0.4"));
	l = for_url(m, "https://www.thcs-a.edu.vn:8080/x");
	assert_int_equal(count(l), 3);
	assert_string_equal(l->data, "+thcs-a.edu.vn:80:127.0.0.2");
	assert_string_equal(l->next->data, "+www.thcs-a.edu.vn:80:127.0.0.3");
	assert_string_equal(l->next->next->data, "+thcs-a.edu.vn:8080:127.0.0.4");
	assert_null(for_url(m, "http://moved.edu.vn/"));
	assert_null(for_url(NULL, "http://a.vn/"));
	done(m);
}

/* '+' and '-' are kept as given. */
static void test_prefixes(void **state)
{
	const char *e[] = {"+a.vn:80:127.0.0.2", "-b.vn:80"};
	const char *sites[] = {"http://a.vn/", "http://b.vn/"};
	struct resolve_map *m;
	const struct curl_slist *l;

	(void)state;
	assert_int_equal(resolve_map_new(&m, e, 2, sites, 2), ST_OK);
	l = for_url(m, "http://a.vn/");
	assert_int_equal(count(l), 1);
	assert_string_equal(l->data, "+a.vn:80:127.0.0.2");
	l = for_url(m, "http://b.vn/");
	assert_int_equal(count(l), 1);
	assert_string_equal(l->data, "-b.vn:80");
	done(m);
}

static void test_bad_entry(void **state)
{
	const char *e[] = {"a.vn:80:127.0.0.2", "b.vn:80"};
	const char *sites[] = {"http://a.vn/"};
	struct resolve_map *m = (struct resolve_map *)e;

	(void)state;
	assert_int_equal(resolve_map_new(&m, e, 2, sites, 1), ST_INVALID);
	assert_null(m);
	assert_non_null(strstr(status_message(), "'b.vn:80'"));
	assert_int_equal(resolve_map_new(&m, e, 0, sites, 1), ST_OK);
	assert_null(for_url(m, "http://a.vn/"));
	done(m);
}

/* The map refers to the entries it was given (one index of 4 bytes per
 * entry, not a copy of each): a change to an entry shows in the lists. */
static void test_entries_are_referred_to_not_copied(void **state)
{
	char e0[] = "a.vn:80:127.0.0.2", e1[] = "b.vn:80:127.0.0.3", e2[] = "c.vn:80:127.0.0.4";
	const char *e[] = {e2, e0, e1};
	const char *sites[] = {"http://b.vn/", "http://a.vn/"};
	struct resolve_map *m;
	const struct curl_slist *l;

	(void)state;
	assert_int_equal(resolve_map_new(&m, e, 3, sites, 2), ST_OK);
	e0[sizeof(e0) - 2] = '9';
	l = for_url(m, "http://a.vn/x"); /* the first: c.vn, no site's, then a.vn */
	assert_int_equal(count(l), 2);
	assert_string_equal(l->data, "c.vn:80:127.0.0.4");
	assert_string_equal(l->next->data, "+a.vn:80:127.0.0.9");
	l = for_url(m, "http://b.vn/");
	assert_int_equal(count(l), 1);
	assert_string_equal(l->data, "+b.vn:80:127.0.0.3");
	assert_null(for_url(m, "http://c.vn/"));
	done(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_host_of_many),
		cmocka_unit_test(test_sites_twins_and_others),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_bad_entry),
		cmocka_unit_test(test_entries_are_referred_to_not_copied),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
