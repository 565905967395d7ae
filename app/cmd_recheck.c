/* `recheck add` and `recheck run-queue`: the dashboard's re-check queue
 * from the command line (app/recheck.h).  An operator queues a re-check
 * without the school users' daily limit; run-queue runs every queued
 * re-check once, as the server's worker does, and exits. */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/crawl_setup.h"
#include "app/recheck.h"
#include "store/users.h"

static const struct cli_opt add_opts[] = {
	{"--school", NULL, CLI_STR, "ID", NULL, "the school to re-check", OPT_SCHOOL, 0, 0},
	{"--by", NULL, CLI_STR, "NAME", "cli", "who asked, as the dashboard shows it", OPT_BY, 0,
	 0},
	CLI_OPT_END,
};
static const struct cli_group add_group = {"Re-check options", add_opts};

const struct cli_command cmd_recheck_add_cli = {
	"recheck add",
	"--school ID [OPTIONS]",
	"Queues a re-check of one school (a crawl and an audit, by a worker).",
	"No daily limit applies (that is for school users of the dashboard).  While a\n"
	"re-check of the school is queued or running, its id is printed instead.\n"
	"Prints: recheck: queued id=N school=ID position=N\n",
	{&add_group},
};

const struct cli_command cmd_recheck_run_cli = {
	"recheck run-queue",
	"[OPTIONS]",
	"Runs every queued re-check once, oldest first, then exits.",
	"Each re-check is crawled and audited as `check --school ID OPTIONS` would be;\n"
	"its runs have scope \"check\" and its audit run is recorded with it.  One line\n"
	"per re-check on stdout, then a summary:\n"
	"  recheck: done|failed id=N school=ID crawl_run=N audit_run=N\n"
	"  recheck: queue empty ran=N failed=N\n"
	"Exit status 3 when a re-check failed (the site being unreachable is no failure).\n",
	{&crawl_setup_group, &crawl_setup_rules_group},
};

static int add(struct app *a, int argc, char **argv)
{
	const char *school = NULL, *by = "cli";
	struct store *s = NULL;
	struct recheck r;
	struct args ar;
	int64_t id = 0;
	status st;
	int opt, rc;

	args_init(&ar, argc, argv, 2);
	while ((opt = cli_next(&ar, &cmd_recheck_add_cli)) != CLI_END && !ar.bad) {
		if (opt == OPT_SCHOOL)
			school = ar.val;
		else if (opt == OPT_BY)
			by = ar.val;
		else
			return app_usage("recheck add: unexpected '%s' (see portal-audit recheck "
					 "add --help)",
					 ar.val);
	}
	if (ar.bad)
		return EXIT_USAGE;
	if (!school)
		return app_usage("recheck add: --school ID is required");
	rc = app_open_store(&s, a, STORE_WRITE);
	if (rc != EXIT_OK)
		return rc;
	st = rechecks_enqueue(s, school, by, -1, &id);
	if (st == ST_OK)
		st = rechecks_get(s, id, &r);
	if (st == ST_OK) {
		printf("recheck: %s id=%lld school=%s position=%d\n",
		       r.state == RECHECK_QUEUED ? "queued" : "running", (long long)id, school,
		       r.position);
		recheck_release(&r);
	}
	store_free(s);
	return st < 0 ? app_fail(st) : EXIT_OK;
}

static int run_queue(struct app *a, int argc, char **argv)
{
	struct recheck_options o = {argc - 2, argv + 2, stderr};
	struct recheck_outcome out;
	struct args ar;
	int ran = 0, failed = 0, opt;
	status st;

	/* Checked against run-queue's table; the worker parses them again as
	 * check's options. */
	args_init(&ar, argc, argv, 2);
	while ((opt = cli_next(&ar, &cmd_recheck_run_cli)) != CLI_END && !ar.bad)
		if (opt == CLI_OPERAND)
			return app_usage("recheck run-queue: unexpected '%s' (see portal-audit "
					 "recheck run-queue --help)",
					 ar.val);
	if (ar.bad)
		return EXIT_USAGE;
	while (!a->stop) {
		st = recheck_worker_run_one(a, &o, &out);
		if (st < 0)
			return app_fail(st);
		if (!out.id)
			break;
		ran++;
		failed += !out.ok;
		printf("recheck: %s id=%lld school=%s crawl_run=%lld audit_run=%lld\n",
		       out.ok ? "done" : "failed", (long long)out.id, out.school_id,
		       (long long)out.crawl_run, (long long)out.audit_run);
		fflush(stdout);
	}
	printf("recheck: %s ran=%d failed=%d\n", a->stop ? "interrupted" : "queue empty", ran,
	       failed);
	return failed || a->stop ? EXIT_RUNTIME : EXIT_OK;
}

int cmd_recheck(struct app *a, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "add") == 0)
		return add(a, argc, argv);
	if (argc > 1 && strcmp(argv[1], "run-queue") == 0)
		return run_queue(a, argc, argv);
	return app_usage("recheck: which subcommand? add or run-queue (try portal-audit help "
			 "recheck)");
}
