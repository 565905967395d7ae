/* portal-audit: audits school web portals for the disclosures the law
 * requires.  This file parses the global options, answers help requests
 * and dispatches to the command table. */
#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/cmd_schools.h"
#include "app/config.h"
#include "core/log.h"

static struct app the_app;
static struct config the_config = CONFIG_INIT;
static const char *config_path; /* --config */

static void on_signal(int sig)
{
	(void)sig;
	/* Atomic: the audit's worker threads read the flag (cmd_audit.c). */
	__atomic_store_n(&the_app.stop, 1, __ATOMIC_RELAXED);
}

/* Every command, subcommands as "group sub"; its option table is its
 * help. */
static const struct command {
	const struct cli_command *cli;
	int (*run)(struct app *a, int argc, char **argv);
} commands[] = {
	{&cmd_schools_import_cli, cmd_schools},
	{&cmd_schools_list_cli, cmd_schools},
	{&cmd_crawl_cli, cmd_crawl},
	{&cmd_audit_cli, cmd_audit},
	{&cmd_check_cli, cmd_check},
	{&cmd_report_cli, cmd_report},
	{&cmd_rules_lint_cli, cmd_rules},
	{&cmd_rules_test_cli, cmd_rules},
	{&cmd_runs_list_cli, cmd_runs},
	{&cmd_review_list_cli, cmd_review},
	{&cmd_review_decide_cli, cmd_review},
	{&cmd_review_trail_cli, cmd_review},
	{&cmd_appeal_open_cli, cmd_appeal},
	{&cmd_appeal_list_cli, cmd_appeal},
	{&cmd_appeal_close_cli, cmd_appeal},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void overview(FILE *f)
{
	size_t i;

	fprintf(f, "usage: portal-audit %s\n\n%s\n\nCommands:\n", cli_global.operands,
		cli_global.summary);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %s %s\n      %s\n", commands[i].cli->name, commands[i].cli->operands,
			commands[i].cli->summary);
	cli_print_options(f, &cli_global);
	fputs("\nportal-audit help COMMAND (or COMMAND --help) lists the options of a command.\n"
	      "Exit status: 0 success, 1 a --fail-under threshold failed (or rules test),\n"
	      "2 usage or input error, 3 runtime failure.  Manual: man portal-audit\n",
	      f);
}

/* The commands whose name starts with word (one, or a group's
 * subcommands): first index and count. */
static size_t lookup(const char *word, const char *sub, size_t *first)
{
	size_t i, n = 0, len = strlen(word);

	for (i = 0; i < NCOMMANDS; i++) {
		const char *name = commands[i].cli->name;

		if (strncmp(name, word, len) != 0 || (name[len] != '\0' && name[len] != ' '))
			continue;
		if (sub && name[len] == ' ' && strcmp(name + len + 1, sub) != 0)
			continue;
		if (!n++)
			*first = i;
	}
	return n;
}

/* Prints the help of the commands in argv[0..] ("crawl", "schools",
 * "schools list"), or the overview when argc is 0. */
static int help(int argc, char **argv)
{
	size_t first = 0, n, i;

	if (argc == 0) {
		overview(stdout);
		return EXIT_OK;
	}
	n = lookup(argv[0], argc > 1 ? argv[1] : NULL, &first);
	if (!n || argc > 2 || (argc == 2 && !strchr(commands[first].cli->name, ' ')))
		return app_usage("help: no command '%s%s%s' (try portal-audit help)", argv[0],
				 argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
	for (i = first; i < first + n; i++) {
		if (i > first)
			fputs("\n", stdout);
		cli_help(stdout, commands[i].cli);
	}
	return EXIT_OK;
}

/* `portal-audit __options`: every option the parser accepts, one
 * "COMMAND<TAB>OPTION<TAB>ARG" line each, for the tests and the bash
 * completion.  Not in the help. */
static int list_options(void)
{
	size_t i;

	cli_list_options(stdout, &cli_global);
	for (i = 0; i < NCOMMANDS; i++)
		cli_list_options(stdout, commands[i].cli);
	return EXIT_OK;
}

/* Global options; returns -1 to go on with the command at a->i, else an
 * exit code. */
static int parse_global(struct args *a)
{
	int id;

	while (!args_done(a) && args_peek(a)[0] == '-') {
		if (strcmp(args_peek(a), "--help") == 0 || strcmp(args_peek(a), "-h") == 0)
			return help(0, NULL);
		switch ((id = cli_next(a, &cli_global))) {
		case OPT_DB:
			the_app.db_path = a->val;
			break;
		case OPT_CONFIG:
			config_path = a->val;
			break;
		case OPT_VERBOSE:
			log_set_level(LOG_INFO);
			break;
		case OPT_VERSION:
			puts("portal-audit " PA_VERSION);
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (args_done(a)) {
		overview(stderr);
		return EXIT_USAGE;
	}
	return -1;
}

static int run(struct args *a)
{
	const char *word = args_peek(a);
	const char *sub = a->i + 1 < a->argc ? a->argv[a->i + 1] : NULL;
	size_t first = 0, n;
	status st;
	int rc, rest = a->argc - a->i;
	char **argv = a->argv + a->i;

	if (strcmp(word, "help") == 0)
		return help(rest - 1, argv + 1);
	if (strcmp(word, "__options") == 0)
		return list_options();
	n = lookup(word, NULL, &first);
	if (!n)
		return app_usage("unknown command '%s' (try portal-audit help)", word);
	if (n > 1) {
		/* A group: the subcommand picks the command. */
		if (sub && (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0))
			return help(1, argv);
		if (!sub || !lookup(word, sub, &first)) {
			app_usage("%s: %s subcommand%s%s (try portal-audit help %s)", word,
				  sub ? "unknown" : "which", sub ? " " : "?", sub ? sub : "", word);
			return EXIT_USAGE;
		}
	}
	if (cli_wants_help(commands[first].cli, rest, argv,
			   strchr(commands[first].cli->name, ' ') ? 2 : 1)) {
		cli_help(stdout, commands[first].cli);
		return EXIT_OK;
	}
	/* The system file is read when it exists; a --config file must exist.
	 * Help above works even when the file is broken. */
	st = config_load(&the_config, config_path ? config_path : CONFIG_SYSTEM_PATH,
			 config_path != NULL);
	if (st < 0)
		return app_fail(st);
	the_app.config = &the_config;
	if (!the_app.db_path)
		the_app.db_path = the_config.db ? the_config.db : "portal-audit.db";
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "portal-audit: cannot initialise libcurl\n");
		return EXIT_RUNTIME;
	}
	rc = commands[first].run(&the_app, rest, argv);
	curl_global_cleanup();
	config_release(&the_config);
	return rc;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct args a;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	the_app.argv0 = argv[0];
	args_init(&a, argc, argv, 1);
	rc = parse_global(&a);
	if (rc >= 0)
		return rc;
	rc = run(&a);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "portal-audit: cannot write the output\n");
		return EXIT_RUNTIME;
	}
	return rc;
}
