/* `runs list`: every crawl and audit run of the database with its label,
 * so people can name a run (`--run LABEL`) instead of guessing its id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/listing.h"
#include "store/runs.h"

static const struct cli_opt runs_list_opts[] = {
	{"--format", NULL, CLI_STR, "table|csv|json", "table", "how the runs are printed",
	 OPT_FORMAT, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group runs_list_group = {"List options", runs_list_opts};

const struct cli_command cmd_runs_list_cli = {
	"runs list",
	"[OPTIONS]",
	"Lists the crawl and audit runs, oldest first.",
	"Columns: id, kind (crawl, audit), scope (full; check for the runs of the check\n"
	"command), label (--label of crawl and audit), period, started, finished (UTC),\n"
	"schools (sites of a crawl, results of an audit) and state (running, done,\n"
	"interrupted, failed).  A label names its run wherever a run id is taken\n"
	"(--run, --compare, --crawl-run); labels are unique per kind.\n",
	{&runs_list_group},
};

#define NCOLS 9

static const char *const heads[NCOLS] = {"id",      "kind",     "scope",   "label", "period",
					 "started", "finished", "schools", "state"};

/* Column c of row i as text; num holds a number's digits. */
static const char *cell(const void *rows, size_t i, int c, char num[24])
{
	const struct run_row *w = (const struct run_row *)rows + i;

	switch (c) {
	case 0:
		snprintf(num, 24, "%lld", (long long)w->id);
		return num;
	case 1:
		return w->kind;
	case 2:
		return w->scope;
	case 3:
		return w->label;
	case 4:
		return w->period;
	case 5:
		return w->started_at;
	case 6:
		return w->finished_at;
	case 7:
		snprintf(num, 24, "%ld", w->schools);
		return num;
	default:
		return w->state;
	}
}

static int parse(int argc, char **argv, enum listing_format *fmt)
{
	struct args a;
	int id;

	if (argc < 2 || strcmp(argv[1], "list") != 0)
		return app_usage("runs: which subcommand? list (try portal-audit help runs)");
	args_init(&a, argc, argv, 2);
	while ((id = cli_next(&a, &cmd_runs_list_cli)) != CLI_END && !a.bad) {
		if (id != OPT_FORMAT)
			return app_usage("runs list: unexpected '%s' (see portal-audit runs list "
					 "--help)",
					 a.val);
		if (listing_format_parse("runs list", a.val, fmt) != EXIT_OK)
			return EXIT_USAGE;
	}
	return a.bad ? EXIT_USAGE : EXIT_OK;
}

int cmd_runs(struct app *a, int argc, char **argv)
{
	enum listing_format fmt = LISTING_TABLE;
	struct listing l = {heads, NCOLS, 0, cell, NULL, 1u << 0 | 1u << 7};
	struct run_row *v = NULL;
	struct store *s = NULL;
	size_t n = 0;
	status st;
	int rc;

	rc = parse(argc, argv, &fmt);
	if (rc == EXIT_OK)
		rc = app_open_store(&s, a, STORE_READ);
	if (rc != EXIT_OK)
		return rc;
	st = runs_list(s, &v, &n);
	store_free(s);
	if (st < 0)
		return app_fail(st);
	l.nrows = n;
	l.rows = v;
	rc = listing_stdout(a, fmt, &l);
	runs_rows_free(v, n);
	return rc;
}
