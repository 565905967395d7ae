/* `rules lint PATH...` and `rules test PATH...`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "rules/ruleset.h"

const struct cli_command cmd_rules_lint_cli = {
	"rules lint",
	"PATH...",
	"Validates rule files (the rule language: docs/RULES.md).",
	"Each error is printed as file:line:col: what is wrong; exit status 2 when a\n"
	"file has errors.\n",
	{NULL},
};

const struct cli_command cmd_rules_test_cli = {
	"rules test",
	"PATH...",
	"Runs the examples embedded in rule files.",
	"Exit status 1 when an example fails.\n",
	{NULL},
};

/* The PATH operands after argv[2], into *paths (malloc'd, borrowed
 * strings); an exit code. */
static int operands(const struct cli_command *cmd, int argc, char **argv, const char ***paths,
		    size_t *n)
{
	struct args a;
	int id;

	*paths = calloc(argc > 0 ? (size_t)argc : 1, sizeof(**paths));
	*n = 0;
	if (!*paths)
		return app_usage("out of memory");
	args_init(&a, argc, argv, 2);
	while ((id = cli_next(&a, cmd)) == CLI_OPERAND)
		(*paths)[(*n)++] = a.val;
	if (id != CLI_END)
		return EXIT_USAGE;
	if (!*n)
		return app_usage("%s: give one or more rule files (see portal-audit %s --help)",
				 cmd->name, cmd->name);
	return EXIT_OK;
}

static int lint(const char *const *paths, size_t n)
{
	int r = ruleset_lint(paths, n, stderr);

	if (r < 0)
		return app_fail((status)r);
	if (r > 0) {
		fprintf(stderr, "rules lint: %d error%s\n", r, r == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	printf("rules lint: %zu file%s, no errors\n", n, n == 1 ? "" : "s");
	return EXIT_OK;
}

static int selftest(const char *const *paths, size_t n)
{
	int r = ruleset_selftest(paths, n, stdout);

	if (r < 0)
		return app_fail((status)r);
	if (r > 0) {
		fprintf(stderr, "rules test: %d example%s failed\n", r, r == 1 ? "" : "s");
		return EXIT_THRESHOLD;
	}
	printf("rules test: all examples pass\n");
	return EXIT_OK;
}

int cmd_rules(struct app *a, int argc, char **argv)
{
	bool is_lint = argc > 1 && strcmp(argv[1], "lint") == 0;
	const char **paths = NULL;
	size_t n = 0;
	int rc;

	(void)a;
	rc = operands(is_lint ? &cmd_rules_lint_cli : &cmd_rules_test_cli, argc, argv, &paths, &n);
	if (rc == EXIT_OK)
		rc = is_lint ? lint(paths, n) : selftest(paths, n);
	free(paths);
	return rc;
}
