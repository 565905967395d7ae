/* Fuzz target: store/registry.h, importing a registry CSV into a fresh
 * in-memory store.
 *
 * Import is all or nothing, so: on success every school of the file is
 * new in the fresh store and listed back with a canonical level and an
 * http(s) portal or none, and importing the same file again changes
 * nothing; on failure nothing is stored.  registry_level_canon also gets
 * the raw input as a level value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/registry.h"
#include "tests/fuzz/fuzz.h"

/* The first line of the input as a level value.  Invalid UTF-8 overflows a
 * stack buffer in registry.c show() (finding F3), so it is only tried with
 * FUZZ_KNOWN_BUGS. */
static void check_level(struct store *s, const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	char *level = fuzz_cstr(data, nl ? (size_t)(nl - data) : size);
	char *canon = NULL;
	struct registry_filter f = REGISTRY_FILTER_INIT;
	struct school_info *v = NULL;
	size_t n = 0;

	{
		if (registry_level_canon(level, &canon) == ST_OK)
			FUZZ_CHECK(canon && strlen(canon) <= strlen(level));
		f.level = level;
		if (registry_list(s, &f, &v, &n) == ST_OK)
			registry_list_free(v, n);
	}
	free(canon);
	free(level);
}

static void check_listed(struct store *s, int total)
{
	struct school_info *v = NULL;
	size_t n = 0;

	FUZZ_CHECK(registry_list(s, NULL, &v, &n) == ST_OK);
	FUZZ_CHECK(n == (size_t)total);
	for (size_t i = 0; i < n; i++) {
		struct school_info one = {0};
		char *canon = NULL;

		FUZZ_CHECK(v[i].id && v[i].name && v[i].unit && v[i].level && v[i].ownership);
		FUZZ_CHECK(i == 0 || strcmp(v[i - 1].id, v[i].id) < 0);
		FUZZ_CHECK(registry_level_canon(v[i].level, &canon) == ST_OK);
		FUZZ_CHECK(strcmp(canon, v[i].level) == 0);
		free(canon);
		FUZZ_CHECK(!v[i].portal_url || strncasecmp(v[i].portal_url, "http://", 7) == 0 ||
			   strncasecmp(v[i].portal_url, "https://", 8) == 0);
		FUZZ_CHECK(registry_get(s, v[i].id, &one) == ST_OK);
		FUZZ_CHECK(strcmp(one.name, v[i].name) == 0);
		school_info_release(&one);
	}
	registry_list_free(v, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store *s = NULL;
	struct import_result res = {0}, again = {0};
	FILE *devnull = fopen("/dev/null", "w");
	const char *path = fuzz_write_tmp("registry.csv", data, size);
	status st;

	FUZZ_CHECK(devnull != NULL);
	FUZZ_CHECK(store_open(&s, ":memory:") == ST_OK);
	st = registry_import(s, path, devnull, devnull, &res);
	if (st == ST_OK) {
		FUZZ_CHECK(res.errors == 0);
		FUZZ_CHECK(res.added == res.total && res.updated == 0 && res.unchanged == 0);
		check_listed(s, res.total);
		FUZZ_CHECK(registry_import(s, path, devnull, devnull, &again) == ST_OK);
		FUZZ_CHECK(again.unchanged == res.total && again.added == 0 && again.updated == 0);
	} else {
		FUZZ_CHECK(st == ST_INVALID || st == ST_LIMIT);
		FUZZ_CHECK(st != ST_INVALID || res.errors > 0);
		check_listed(s, 0);
	}
	check_level(s, data, size);
	store_free(s);
	fclose(devnull);
	return 0;
}
