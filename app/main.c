/* portal-audit: audits school web portals for the disclosures the law
 * requires.  This file parses the global options and dispatches to the
 * command table. */
#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/cmd_schools.h"
#include "core/log.h"

static struct app the_app;

static void on_signal(int sig)
{
	(void)sig;
	the_app.stop = 1;
}

static int run_schools(struct app *a, int argc, char **argv)
{
	struct store *s = app_open_store(a);
	int rc;

	if (!s)
		return EXIT_RUNTIME;
	rc = cmd_schools(s, argc, argv);
	store_free(s);
	return rc;
}

static const struct command {
	const char *name;
	int (*run)(struct app *a, int argc, char **argv);
	const char *usage;
} commands[] = {
	{"schools", run_schools, "schools import FILE.csv | schools list [--unit U] [--level L] [--format table|csv|json]"},
	{"crawl", cmd_crawl, "crawl [SELECTION] [CRAWL OPTIONS]"},
	{"audit", cmd_audit, "audit [SELECTION] [--rules PATH] [--period YYYY-YYYY] [--as-of YYYY-MM-DD]"},
	{"check", cmd_check, "check (URL | --school ID) [--rules PATH] [--period P] [--as-of D] [--format text|json]"},
	{"report", cmd_report, "report KIND [--format html|csv|json|md|xlsx|text] [-o PATH] [--run N] [--compare RUN]"},
	{"rules", cmd_rules, "rules lint PATH... | rules test PATH..."},
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: portal-audit [--db FILE] [--verbose] COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f, "\nSELECTION: --school ID... | --unit U | --level L   (default: all)\n"
		   "CRAWL OPTIONS: --threads N --per-host N --delay MS --max-pages N --max-depth N\n"
		   "  --timeout S --user-agent UA --resume --quiet --resolve HOST:PORT:ADDR\n"
		   "  --hosts-file FILE --allow-private --allow-addr CIDR\n"
		   "  --max-docs N --max-doc-bytes B --doc-timeout S\n"
		   "default database: ./portal-audit.db; see README.md\n");
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	struct args a;
	size_t i;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	the_app.db_path = "portal-audit.db";
	the_app.argv0 = argv[0];
	args_init(&a, argc, argv, 1);
	while (!args_done(&a) && args_peek(&a)[0] == '-') {
		if (args_opt(&a, "--db"))
			the_app.db_path = a.val;
		else if (args_flag(&a, "--verbose") || args_flag(&a, "-v"))
			log_set_level(LOG_INFO);
		else if (args_flag(&a, "--help") || args_flag(&a, "-h")) {
			usage(stdout);
			return EXIT_OK;
		} else if (args_flag(&a, "--version")) {
			puts("portal-audit 0.1");
			return EXIT_OK;
		} else {
			if (!a.bad)
				app_usage("unknown option '%s'", args_peek(&a));
			return EXIT_USAGE;
		}
	}
	if (a.bad)
		return EXIT_USAGE;
	if (args_done(&a)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(args_peek(&a), commands[i].name) == 0) {
			if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
				fprintf(stderr, "portal-audit: cannot initialise libcurl\n");
				return EXIT_RUNTIME;
			}
			rc = commands[i].run(&the_app, argc - a.i, argv + a.i);
			curl_global_cleanup();
			return rc;
		}
	}
	app_usage("unknown command '%s' (try --help)", args_peek(&a));
	return EXIT_USAGE;
}
