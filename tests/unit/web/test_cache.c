/* The school pages' cache (web/cache.c): hits only at the generation an
 * entry was made at, a newer generation empties it, the entry and byte
 * bounds evict the least recently used, and an entry evicted while in use
 * stays valid until its user lets it go. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/str.h"
#include "web/internal.h"

/* An entry for school id with a document of n bytes. */
static struct web_cached *entry(const char *id, size_t n)
{
	struct web_cached *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	assert_non_null(e->id = str_dup(id));
	assert_non_null(e->page.doc = calloc(1, n + 1));
	memset(e->page.doc, 'x', n);
	e->page.ndoc = n;
	return e;
}

static void put(struct web_cache *c, uint64_t gen, const char *id, size_t n)
{
	web_cache_unref(c, web_cache_put(c, gen, entry(id, n)));
}

static bool has(struct web_cache *c, const char *id, uint64_t gen)
{
	struct web_cached *e = web_cache_get(c, id, gen);

	web_cache_unref(c, e);
	return e != NULL;
}

static void test_generation(void **state)
{
	struct web_cache *c = NULL;

	(void)state;
	assert_int_equal(web_cache_new(&c, 8, 1 << 20), ST_OK);
	put(c, 1, "a", 10);
	assert_true(has(c, "a", 1));
	assert_false(has(c, "b", 1));
	/* A newer generation: the store changed, nothing is served. */
	assert_false(has(c, "a", 2));
	put(c, 2, "a", 10);
	assert_true(has(c, "a", 2));
	/* Made at an older generation (a request that began before a change):
	 * not kept. */
	put(c, 1, "b", 10);
	assert_false(has(c, "b", 2));
	assert_false(has(c, "b", 1));
	web_cache_free(c);
}

static void test_bounds_evict_lru(void **state)
{
	struct web_cache *c = NULL;

	(void)state;
	assert_int_equal(web_cache_new(&c, 3, 1 << 20), ST_OK);
	put(c, 1, "a", 10);
	put(c, 1, "b", 10);
	put(c, 1, "c", 10);
	assert_true(has(c, "a", 1)); /* b is now the least recently used */
	put(c, 1, "d", 10);
	assert_false(has(c, "b", 1));
	assert_true(has(c, "a", 1) && has(c, "c", 1) && has(c, "d", 1));
	web_cache_free(c);
	/* The byte bound: two large entries do not fit together; one larger
	 * than the bound is never kept. */
	assert_int_equal(web_cache_new(&c, 100, 200000), ST_OK);
	put(c, 1, "a", 90000);
	put(c, 1, "b", 90000);
	put(c, 1, "c", 90000);
	assert_false(has(c, "a", 1));
	assert_true(has(c, "b", 1) && has(c, "c", 1));
	put(c, 1, "huge", 300000);
	assert_false(has(c, "huge", 1));
	web_cache_free(c);
}

static void test_evicted_in_use(void **state)
{
	struct web_cache *c = NULL;
	struct web_cached *held;

	(void)state;
	assert_int_equal(web_cache_new(&c, 1, 1 << 20), ST_OK);
	put(c, 1, "a", 10);
	held = web_cache_get(c, "a", 1);
	assert_non_null(held);
	put(c, 1, "b", 10); /* evicts a */
	assert_false(has(c, "a", 1));
	assert_int_equal(held->page.ndoc, 10);
	assert_int_equal(held->page.doc[9], 'x');
	web_cache_unref(c, held); /* freed here (ASan: no leak, no use after free) */
	web_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generation),
		cmocka_unit_test(test_bounds_evict_lru),
		cmocka_unit_test(test_evicted_in_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
