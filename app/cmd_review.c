/* `review list|decide|trail`: the queue of items a person should look
 * at, a person's decision on one item, and the trail of every decision
 * (docs/REVIEW.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/report_out.h"
#include "core/log.h"
#include "reports/review.h"
#include "store/decisions.h"
#include "store/report_queries.h"
#include "store/registry.h"
#include "store/runs.h"

#define RUN_OPT                                                                                  \
	{                                                                                        \
		"--run", NULL, CLI_STR, "RUN", "the newest finished audit",                      \
			"the audit run (id or label) whose verdicts are reviewed", OPT_RUN, 0, 0 \
	}

static const struct cli_opt list_opts[] = {
	RUN_OPT,
	{"--verdict", NULL, CLI_STR, "review|missing|stale|all", "review",
	 "which machine verdicts are listed (all: the three)", OPT_VERDICT, 0, 0},
	{"--format", NULL, CLI_STR, "table|csv|json", "table", "how the queue is printed",
	 OPT_FORMAT, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group list_group = {"List options", list_opts};

const struct cli_command cmd_review_list_cli = {
	"review list",
	"[SELECTION] [OPTIONS]",
	"Lists the items waiting for a person's decision, oldest crawl first.",
	"An item waits when its machine verdict is one asked for and no decision\n"
	"applies to it: none was made, or the evidence changed since (\"cần xem xét\n"
	"lại\").  Each row has the evidence URL and the text the audit found.\n",
	{&selection_group, &list_group},
};

static const struct cli_opt decide_opts[] = {
	{"--verdict", NULL, CLI_STR, "pass|stale|missing", NULL, "the decided verdict (required)",
	 OPT_VERDICT, 0, 0},
	{"--reason", NULL, CLI_STR, "TEXT", NULL, "why (required, not empty)", OPT_REASON, 0, 0},
	{"--by", NULL, CLI_STR, "NAME", NULL, "who decides (required, not empty)", OPT_BY, 0, 0},
	{"--evidence", NULL, CLI_STR, "URL", NULL,
	 "the page that shows it (its content is watched when the item has no evidence URL)",
	 OPT_EVIDENCE, 0, 0},
	RUN_OPT,
	CLI_OPT_END,
};
static const struct cli_group decide_group = {"Decision options", decide_opts};

const struct cli_command cmd_review_decide_cli = {
	"review decide",
	"SCHOOL ITEM OPTIONS",
	"Records a decision on one item of one school for the audit run's period.",
	"The decision replaces the machine verdict in every report and re-scores the\n"
	"school while the machine verdict and the evidence page stay the same; a\n"
	"later decision supersedes it.  Decisions are never deleted.\n",
	{&decide_group},
};

static const struct cli_opt trail_opts[] = {
	{"--format", NULL, CLI_STR, "csv|json|xlsx", "csv", "the export format", OPT_FORMAT, 0, 0},
	{"--output", "-o", CLI_STR, "FILE", "standard output", "write the trail to FILE",
	 OPT_OUTPUT, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group trail_group = {"Trail options", trail_opts};

const struct cli_command cmd_review_trail_cli = {
	"review trail",
	"[SELECTION] [OPTIONS]",
	"Exports every decision in the order made, superseded ones too.",
	NULL,
	{&selection_group, &trail_group},
};

struct review_opts {
	struct selection sel;
	const char *school, *item, *run_ref, *format, *out;
	struct decision d;
	unsigned verdicts;
	bool has_verdict;
};

int app_review_run(struct store *s, const char *ref, int64_t *run)
{
	status st = ref ? runs_resolve(s, "audit", ref, run) : runs_latest(s, "audit", false, run);

	if (st == ST_NOTFOUND && !ref)
		st = status_set(ST_NOTFOUND,
				"no finished audit run: run `portal-audit audit` first");
	if (st == ST_OK && ref)
		st = report_queries_check_audit(s, *run);
	return st < 0 ? app_fail(st) : EXIT_OK;
}

static int parse_verdicts(const char *v, unsigned *out)
{
	if (strcmp(v, "review") == 0)
		*out = VERDICT_BIT(VERDICT_REVIEW);
	else if (strcmp(v, "missing") == 0)
		*out = VERDICT_BIT(VERDICT_MISSING);
	else if (strcmp(v, "stale") == 0)
		*out = VERDICT_BIT(VERDICT_STALE);
	else if (strcmp(v, "all") == 0)
		*out = VERDICT_BIT(VERDICT_REVIEW) | VERDICT_BIT(VERDICT_MISSING) |
		       VERDICT_BIT(VERDICT_STALE);
	else
		return app_usage("review list: --verdict: want review, missing, stale or all, not "
				 "'%s'",
				 v);
	return EXIT_OK;
}

static int parse_decided(const char *v, enum verdict *out)
{
	if (strcmp(v, "pass") == 0)
		*out = VERDICT_PASS;
	else if (strcmp(v, "stale") == 0)
		*out = VERDICT_STALE;
	else if (strcmp(v, "missing") == 0)
		*out = VERDICT_MISSING;
	else
		return app_usage("--verdict: want pass, stale or missing, not '%s'", v);
	return EXIT_OK;
}

/* One option of any review subcommand. */
static int take(struct review_opts *o, struct args *a, int id, const char *sub)
{
	switch (id) {
	case OPT_RUN:
		o->run_ref = a->val;
		return EXIT_OK;
	case OPT_FORMAT:
		o->format = a->val;
		return EXIT_OK;
	case OPT_OUTPUT:
		o->out = a->val;
		return EXIT_OK;
	case OPT_VERDICT:
		o->has_verdict = true;
		return sub[0] == 'l' ? parse_verdicts(a->val, &o->verdicts)
				     : parse_decided(a->val, &o->d.verdict);
	case OPT_REASON:
		o->d.reason = (char *)a->val;
		return EXIT_OK;
	case OPT_BY:
		o->d.by = (char *)a->val;
		return EXIT_OK;
	case OPT_EVIDENCE:
		o->d.evidence_url = (char *)a->val;
		return EXIT_OK;
	case CLI_OPERAND:
		if (sub[0] == 'd' && !o->school)
			o->school = a->val;
		else if (sub[0] == 'd' && !o->item)
			o->item = a->val;
		else
			return app_usage("review %s: unexpected '%s' (see portal-audit review %s "
					 "--help)",
					 sub, a->val, sub);
		return EXIT_OK;
	default:
		if (selection_take(a, id, &o->sel))
			return EXIT_OK;
		return app_usage("review %s: unexpected option", sub);
	}
}

static int parse(struct review_opts *o, int argc, char **argv, const struct cli_command *cli)
{
	const char *sub = cli->name + strlen("review ");
	struct args a;
	int id, rc = EXIT_OK;

	o->verdicts = VERDICT_BIT(VERDICT_REVIEW);
	args_init(&a, argc, argv, 2);
	while (rc == EXIT_OK && (id = cli_next(&a, cli)) != CLI_END && !a.bad)
		rc = take(o, &a, id, sub);
	if (rc != EXIT_OK || a.bad)
		return EXIT_USAGE;
	if (sub[0] == 'd') {
		if (!o->school || !o->item)
			return app_usage(
				"review decide: needs SCHOOL ITEM (see portal-audit review "
				"decide --help)");
		if (!o->has_verdict || !o->d.reason || !o->d.by)
			return app_usage("review decide: needs --verdict, --reason and --by");
	}
	return EXIT_OK;
}

static bool queue_selected(const void *row, const void *sel)
{
	return selection_has(sel, &((const struct review_row *)row)->school);
}

static bool trail_selected(const void *row, const void *sel)
{
	return selection_has(sel, &((const struct decision_row *)row)->school);
}

/* Checks the selection against the registry: an unknown school or unit
 * is ST_NOTFOUND naming the closest one. */
static status check_selection(struct store *s, const struct selection *sel)
{
	struct school_info *v = NULL;
	size_t n = 0;
	status st;

	if (!sel->nids && !sel->unit && !sel->level)
		return ST_OK;
	st = selection_schools(s, sel, &v, &n);
	registry_list_free(v, n);
	return st;
}

static status list(struct store *s, const struct review_opts *o, int64_t run, FILE *f)
{
	enum report_format fmt = REPORT_TEXT;
	struct review_row *v = NULL;
	struct meta_holder h;
	size_t n = 0, kept;
	status st;

	memset(&h, 0, sizeof(h));
	if (o->format && strcmp(o->format, "csv") == 0)
		fmt = REPORT_CSV;
	else if (o->format && strcmp(o->format, "json") == 0)
		fmt = REPORT_JSON;
	st = app_report_meta(s, run, &h);
	if (st == ST_OK)
		st = decisions_queue(s, run, o->verdicts, &v, &n);
	if (st == ST_OK) {
		kept = app_keep_rows(v, n, sizeof(*v), queue_selected, &o->sel);
		st = report_review_queue(f, fmt, &h.meta, v, kept);
	}
	decisions_queue_free(v, n);
	app_report_meta_release(&h);
	return st;
}

static status trail(struct store *s, const struct review_opts *o, FILE *f)
{
	enum report_format fmt = REPORT_CSV;
	struct decision_row *v = NULL;
	size_t n = 0;
	status st;

	if (o->format && strcmp(o->format, "json") == 0)
		fmt = REPORT_JSON;
	else if (o->format && strcmp(o->format, "xlsx") == 0)
		fmt = REPORT_XLSX;
	st = decisions_trail(s, NULL, &v, &n);
	if (st == ST_OK)
		st = report_review_trail(f, fmt, v,
					 app_keep_rows(v, n, sizeof(*v), trail_selected, &o->sel));
	decisions_trail_free(v, n);
	return st;
}

static int decide(struct store *s, const struct review_opts *o, int64_t run)
{
	int64_t id = 0;
	status st = decisions_add(s, run, o->school, o->item, &o->d, &id);

	if (st < 0)
		return app_fail(st);
	printf("review: decision %lld recorded: %s %s %s\n", (long long)id, o->school, o->item,
	       verdict_str(o->d.verdict));
	return EXIT_OK;
}

/* Writes list or trail to o->out (stdout when none), whole or not at all. */
static int print(struct store *s, const struct review_opts *o, bool is_list, int64_t run)
{
	struct report_out_file out;
	status st = report_out_open(&out, o->out);

	if (st == ST_OK) {
		st = is_list ? list(s, o, run, out.f) : trail(s, o, out.f);
		if (st == ST_OK)
			st = report_out_close(&out, true);
		else if (report_out_close(&out, false) < 0)
			log_warn("%s", status_message());
	}
	if (st < 0)
		return app_fail(st);
	if (o->out && strcmp(o->out, "-") != 0)
		fprintf(stderr, "review: wrote %s\n", o->out);
	return EXIT_OK;
}

static int check_format(const struct review_opts *o, bool is_list)
{
	const char *f = o->format;

	if (is_list && f && strcmp(f, "table") && strcmp(f, "csv") && strcmp(f, "json"))
		return app_usage("review list: --format: want table, csv or json, not '%s'", f);
	if (!is_list && f && strcmp(f, "csv") && strcmp(f, "json") && strcmp(f, "xlsx"))
		return app_usage("review trail: --format: want csv, json or xlsx, not '%s'", f);
	if (!is_list && f && strcmp(f, "xlsx") == 0 && (!o->out || strcmp(o->out, "-") == 0))
		return app_usage("review trail: --format xlsx needs -o FILE.xlsx");
	return EXIT_OK;
}

int cmd_review(struct app *a, int argc, char **argv)
{
	const struct cli_command *cli = NULL;
	struct review_opts o;
	struct store *s = NULL;
	int64_t run = 0;
	int rc;

	memset(&o, 0, sizeof(o));
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		cli = &cmd_review_list_cli;
	else if (argc >= 2 && strcmp(argv[1], "decide") == 0)
		cli = &cmd_review_decide_cli;
	else if (argc >= 2 && strcmp(argv[1], "trail") == 0)
		cli = &cmd_review_trail_cli;
	else
		return app_usage(
			"review: which subcommand? list, decide or trail (try portal-audit "
			"help review)");
	rc = parse(&o, argc, argv, cli);
	if (rc == EXIT_OK && cli != &cmd_review_decide_cli)
		rc = check_format(&o, cli == &cmd_review_list_cli);
	if (rc == EXIT_OK)
		rc = app_open_store(&s, a,
				    cli == &cmd_review_decide_cli ? STORE_WRITE : STORE_READ);
	if (rc == EXIT_OK)
		store_set_stop(s, &a->stop);
	if (rc == EXIT_OK && cli != &cmd_review_decide_cli) {
		status st = check_selection(s, &o.sel);

		rc = st < 0 ? app_fail(st) : EXIT_OK;
	}
	if (rc == EXIT_OK && cli != &cmd_review_trail_cli)
		rc = app_review_run(s, o.run_ref, &run);
	if (rc == EXIT_OK)
		rc = cli == &cmd_review_decide_cli ? decide(s, &o, run)
						   : print(s, &o, cli == &cmd_review_list_cli, run);
	store_free(s);
	selection_release(&o.sel);
	return rc;
}
