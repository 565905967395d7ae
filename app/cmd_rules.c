/* `rules lint PATH...` and `rules test PATH...`. */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "rules/ruleset.h"

int cmd_rules(struct app *a, int argc, char **argv)
{
	const char *const *paths = (const char *const *)argv + 2;
	size_t n = argc > 2 ? (size_t)(argc - 2) : 0;
	int r;

	(void)a;
	if (argc < 3 || (strcmp(argv[1], "lint") && strcmp(argv[1], "test")))
		return app_usage("usage: rules lint PATH... | rules test PATH...");
	if (strcmp(argv[1], "lint") == 0) {
		r = ruleset_lint(paths, n, stderr);
		if (r < 0)
			return app_fail((status)r);
		if (r > 0) {
			fprintf(stderr, "rules lint: %d error%s\n", r, r == 1 ? "" : "s");
			return EXIT_USAGE;
		}
		printf("rules lint: %zu file%s, no errors\n", n, n == 1 ? "" : "s");
		return EXIT_OK;
	}
	r = ruleset_selftest(paths, n, stdout);
	if (r < 0)
		return app_fail((status)r);
	if (r > 0) {
		fprintf(stderr, "rules test: %d example%s failed\n", r, r == 1 ? "" : "s");
		return EXIT_THRESHOLD;
	}
	printf("rules test: all examples pass\n");
	return EXIT_OK;
}
