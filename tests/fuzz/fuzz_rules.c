/* Fuzz target: rules/ruleset.h, YAML rule files (docs/RULES.md).
 *
 * The input is written to a file alone in a private directory (so no
 * portal.yaml is merged) and loaded, linted and self-tested.  Load and
 * lint must agree: a file that loads lints clean, a file that fails to
 * parse has lint errors.  A loaded set has a name, a 16-digit hash, bands
 * highest first and a stale credit in [0, 1]. */
#include <stdio.h>
#include <string.h>

#include "rules/ruleset.h"
#include "tests/fuzz/fuzz.h"

static void check_loaded(const struct ruleset *rs)
{
	const struct rating_band *bands = NULL;
	const char *const *kw;
	const char *hash = ruleset_hash(rs);
	size_t n = 0, nb, nk = 0;

	FUZZ_CHECK(ruleset_name(rs) != NULL);
	FUZZ_CHECK(hash && strlen(hash) == 16 && strspn(hash, "0123456789abcdef") == 16);
	(void)ruleset_version(rs);
	nb = ruleset_bands(rs, &bands);
	for (size_t i = 1; i < nb; i++)
		FUZZ_CHECK(bands[i - 1].min >= bands[i].min);
	FUZZ_CHECK(ruleset_stale_credit(rs) >= 0 && ruleset_stale_credit(rs) <= 1);
	kw = ruleset_focus_keywords(rs, &nk);
	FUZZ_CHECK(kw && kw[nk] == NULL);
	for (size_t i = 0; i < nk; i++)
		FUZZ_CHECK(kw[i] && fuzz_utf8_valid(kw[i], strlen(kw[i])));
	(void)ruleset_rules(rs, &n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write_tmp("rules.yaml", data, size);
	const char *paths[1] = {path};
	FILE *devnull = fopen("/dev/null", "w");
	struct ruleset *rs = NULL;
	status st;
	int nerr;

	FUZZ_CHECK(devnull != NULL);
	st = ruleset_load(&rs, path);
	if (st == ST_OK) {
		FUZZ_CHECK(rs != NULL);
		check_loaded(rs);
	} else {
		FUZZ_CHECK(rs == NULL && st == ST_PARSE);
	}
	ruleset_free(rs);
	nerr = ruleset_lint(paths, 1, devnull);
	FUZZ_CHECK(nerr >= 0);
	/* A set that loads may still lack what lint wants beside (requirement,
	 * remedy); one that does not load always has an error. */
	FUZZ_CHECK(st == ST_OK || nerr > 0);
	if (st == ST_OK)
		(void)ruleset_selftest(paths, 1, devnull);
	fclose(devnull);
	return 0;
}
