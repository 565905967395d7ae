/* `runs list`: every crawl and audit run of the database with its label,
 * so people can name a run (`--run LABEL`) instead of guessing its id. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "reports/escape.h"
#include "reports/out.h"
#include "store/runs.h"

enum runs_format { RUNS_TABLE, RUNS_CSV, RUNS_JSON };

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

/* Column c of row w as text; num holds the numbers. */
static const char *cell(const struct run_row *w, int c, char num[2][24])
{
	switch (c) {
	case 0:
		snprintf(num[0], 24, "%lld", (long long)w->id);
		return num[0];
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
		snprintf(num[1], 24, "%ld", w->schools);
		return num[1];
	default:
		return w->state;
	}
}

static void print_table(struct out *o, const struct run_row *v, size_t n)
{
	size_t width[NCOLS], i, w;
	char num[2][24];
	const char *t;
	int c;

	for (c = 0; c < NCOLS; c++)
		width[c] = strlen(heads[c]);
	for (i = 0; i < n; i++)
		for (c = 0; c < NCOLS; c++) {
			t = cell(&v[i], c, num);
			w = escape_text_width(t && *t ? t : "-");
			if (w > width[c])
				width[c] = w > 40 ? 40 : w;
		}
	for (c = 0; c < NCOLS; c++)
		out_text_col(o, heads[c], c < NCOLS - 1 ? width[c] + 2 : strlen(heads[c]));
	out_s(o, "\n");
	for (i = 0; i < n; i++) {
		for (c = 0; c < NCOLS; c++) {
			t = cell(&v[i], c, num);
			t = t && *t ? t : "-";
			if (c < NCOLS - 1)
				out_text_col(o, t, width[c] + 2);
			else
				out_text(o, t);
		}
		out_s(o, "\n");
	}
}

static void print_csv(struct out *o, const struct run_row *v, size_t n)
{
	char num[2][24];
	size_t i;
	int c;

	out_s(o, "id,kind,scope,label,period,started,finished,schools,state\r\n");
	for (i = 0; i < n; i++)
		for (c = 0; c < NCOLS; c++) {
			out_csv(o, cell(&v[i], c, num));
			out_s(o, c < NCOLS - 1 ? "," : "\r\n");
		}
}

static void print_json(struct out *o, const struct run_row *v, size_t n)
{
	char num[2][24];
	size_t i;
	int c;

	out_s(o, "[");
	for (i = 0; i < n; i++) {
		out_s(o, i ? ",\n  {" : "\n  {");
		for (c = 0; c < NCOLS; c++) {
			out_f(o, "%s\"%s\": ", c ? ", " : "", heads[c]);
			if (c == 0 || c == 7)
				out_s(o, cell(&v[i], c, num));
			else
				out_json(o, cell(&v[i], c, num));
		}
		out_s(o, "}");
	}
	out_s(o, n ? "\n]\n" : "]\n");
}

static int parse(int argc, char **argv, enum runs_format *fmt)
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
		if (strcmp(a.val, "table") == 0)
			*fmt = RUNS_TABLE;
		else if (strcmp(a.val, "csv") == 0)
			*fmt = RUNS_CSV;
		else if (strcmp(a.val, "json") == 0)
			*fmt = RUNS_JSON;
		else
			return app_usage("runs list: --format: want table, csv or json, not '%s'",
					 a.val);
	}
	return a.bad ? EXIT_USAGE : EXIT_OK;
}

int cmd_runs(struct app *a, int argc, char **argv)
{
	enum runs_format fmt = RUNS_TABLE;
	struct run_row *v = NULL;
	struct store *s = NULL;
	struct out o;
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
	out_init(&o, stdout, &a->stop);
	if (fmt == RUNS_TABLE)
		print_table(&o, v, n);
	else if (fmt == RUNS_CSV)
		print_csv(&o, v, n);
	else
		print_json(&o, v, n);
	runs_rows_free(v, n);
	st = out_finish(&o);
	return st < 0 ? app_fail(st) : EXIT_OK;
}
