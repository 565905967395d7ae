/* `appeal open|list|close`: a school contests a verdict, and a person
 * accepts (recording a decision) or rejects it (docs/REVIEW.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/report_out.h"
#include "core/str.h"
#include "reports/review.h"
#include "store/decisions.h"

static const struct cli_opt open_opts[] = {
	{"--by", NULL, CLI_STR, "NAME", NULL, "who opens it (required, not empty)", OPT_BY, 0, 0},
	{"--text", NULL, CLI_STR, "TEXT", NULL, "what the school says (required, not empty)",
	 OPT_TEXT, 0, 0},
	{"--evidence", NULL, CLI_STR, "URL", NULL, "the page that shows the item", OPT_EVIDENCE, 0,
	 0},
	{"--run", NULL, CLI_STR, "RUN", "the newest finished audit",
	 "the audit run (id or label) whose verdict is contested", OPT_RUN, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group open_group = {"Appeal options", open_opts};

const struct cli_command cmd_appeal_open_cli = {
	"appeal open",
	"SCHOOL ITEM OPTIONS",
	"Opens an appeal against the verdict on one item of one school.",
	NULL,
	{&open_group},
};

static const struct cli_opt list_opts[] = {
	{"--all", NULL, CLI_FLAG, NULL, NULL, "closed appeals too (default: open ones)", OPT_ALL, 0,
	 0},
	{"--format", NULL, CLI_STR, "table|csv|json", "table", "how the appeals are printed",
	 OPT_FORMAT, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group list_group = {"List options", list_opts};

const struct cli_command cmd_appeal_list_cli = {
	"appeal list", "[OPTIONS]",   "Lists the open appeals (--all: every appeal), oldest first.",
	NULL,          {&list_group},
};

static const struct cli_opt close_opts[] = {
	{"--accept", NULL, CLI_FLAG, NULL, NULL, "accept it: records a decision", OPT_ACCEPT, 0, 0},
	{"--reject", NULL, CLI_FLAG, NULL, NULL, "reject it: no verdict changes", OPT_REJECT, 0, 0},
	{"--reason", NULL, CLI_STR, "TEXT", NULL, "why (required, not empty)", OPT_REASON, 0, 0},
	{"--by", NULL, CLI_STR, "NAME", NULL, "who decides (required, not empty)", OPT_BY, 0, 0},
	{"--verdict", NULL, CLI_STR, "pass|stale|missing", "pass",
	 "with --accept: the verdict the decision records", OPT_VERDICT, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group close_group = {"Close options", close_opts};

const struct cli_command cmd_appeal_close_cli = {
	"appeal close",
	"ID --accept|--reject OPTIONS",
	"Closes an open appeal; accepting records a decision on the item.",
	NULL,
	{&close_group},
};

struct appeal_opts {
	const char *school, *item, *by, *text, *evidence, *run_ref, *reason, *format, *id;
	enum verdict verdict;
	bool all, accept, reject, has_verdict;
};

static int operand(struct appeal_opts *o, const char *sub, const char *v)
{
	if (sub[0] == 'o' && !o->school)
		o->school = v;
	else if (sub[0] == 'o' && !o->item)
		o->item = v;
	else if (sub[0] == 'c' && !o->id)
		o->id = v;
	else
		return app_usage("appeal %s: unexpected '%s' (see portal-audit appeal %s --help)",
				 sub, v, sub);
	return EXIT_OK;
}

static int take(struct appeal_opts *o, struct args *a, int id, const char *sub)
{
	switch (id) {
	case CLI_OPERAND:
		return operand(o, sub, a->val);
	case OPT_BY:
		o->by = a->val;
		break;
	case OPT_TEXT:
		o->text = a->val;
		break;
	case OPT_EVIDENCE:
		o->evidence = a->val;
		break;
	case OPT_RUN:
		o->run_ref = a->val;
		break;
	case OPT_REASON:
		o->reason = a->val;
		break;
	case OPT_FORMAT:
		o->format = a->val;
		if (strcmp(o->format, "table") && strcmp(o->format, "csv") &&
		    strcmp(o->format, "json"))
			return app_usage("appeal list: --format: want table, csv or json, not '%s'",
					 o->format);
		break;
	case OPT_ALL:
		o->all = true;
		break;
	case OPT_ACCEPT:
		o->accept = true;
		break;
	case OPT_REJECT:
		o->reject = true;
		break;
	case OPT_VERDICT:
		o->has_verdict = true;
		if (verdict_parse(a->val, &o->verdict) < 0 ||
		    (o->verdict != VERDICT_PASS && o->verdict != VERDICT_STALE &&
		     o->verdict != VERDICT_MISSING))
			return app_usage(
				"appeal close: --verdict: want pass, stale or missing, not "
				"'%s'",
				a->val);
		break;
	default:
		return app_usage("appeal %s: unexpected option", sub);
	}
	return EXIT_OK;
}

static int check(const struct appeal_opts *o, const char *sub)
{
	if (sub[0] == 'o' && (!o->school || !o->item))
		return app_usage(
			"appeal open: needs SCHOOL ITEM (see portal-audit appeal open --help)");
	if (sub[0] == 'o' && (!o->by || !o->text))
		return app_usage("appeal open: needs --by and --text");
	if (sub[0] == 'c' && !o->id)
		return app_usage("appeal close: needs the appeal's ID");
	if (sub[0] == 'c' && o->accept == o->reject)
		return app_usage("appeal close: --accept or --reject (one of them)");
	if (sub[0] == 'c' && (!o->reason || !o->by))
		return app_usage("appeal close: needs --reason and --by");
	if (sub[0] == 'c' && o->has_verdict && !o->accept)
		return app_usage("appeal close: --verdict goes with --accept");
	return EXIT_OK;
}

static int parse(struct appeal_opts *o, int argc, char **argv, const struct cli_command *cli)
{
	const char *sub = cli->name + strlen("appeal ");
	struct args a;
	int id, rc = EXIT_OK;

	o->verdict = VERDICT_PASS;
	args_init(&a, argc, argv, 2);
	while (rc == EXIT_OK && (id = cli_next(&a, cli)) != CLI_END && !a.bad)
		rc = take(o, &a, id, sub);
	if (rc != EXIT_OK || a.bad)
		return EXIT_USAGE;
	return check(o, sub);
}

static int do_open(struct store *s, const struct appeal_opts *o)
{
	int64_t run = 0, id = 0;
	int rc = app_review_run(s, o->run_ref, &run);
	status st;

	if (rc != EXIT_OK)
		return rc;
	st = appeals_open(s, run, o->school, o->item, o->by, o->text, o->evidence, &id);
	if (st < 0)
		return app_fail(st);
	printf("appeal: appeal %lld opened: %s %s\n", (long long)id, o->school, o->item);
	return EXIT_OK;
}

static int do_list(struct store *s, const struct appeal_opts *o)
{
	enum report_format fmt = REPORT_TEXT;
	struct appeal *v = NULL;
	size_t n = 0;
	status st;

	if (o->format && strcmp(o->format, "csv") == 0)
		fmt = REPORT_CSV;
	else if (o->format && strcmp(o->format, "json") == 0)
		fmt = REPORT_JSON;
	st = appeals_list(s, !o->all, &v, &n);
	if (st == ST_OK)
		st = report_appeals(stdout, fmt, v, n);
	if (st == ST_OK && fflush(stdout) != 0)
		st = status_set(ST_IO, "cannot write to standard output");
	appeals_free(v, n);
	return st < 0 ? app_fail(st) : EXIT_OK;
}

static int do_close(struct store *s, const struct appeal_opts *o)
{
	long id = 0;
	status st = str_to_long(o->id, 1, 1L << 62, &id);

	if (st < 0)
		return app_usage("appeal close: '%s' is no appeal id", o->id);
	st = appeals_close(s, id, o->accept, o->verdict, o->reason, o->by);
	if (st < 0)
		return app_fail(st);
	printf("appeal: appeal %ld %s\n", id, o->accept ? "accepted" : "rejected");
	return EXIT_OK;
}

int cmd_appeal(struct app *a, int argc, char **argv)
{
	const struct cli_command *cli = NULL;
	struct appeal_opts o;
	struct store *s = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	if (argc >= 2 && strcmp(argv[1], "open") == 0)
		cli = &cmd_appeal_open_cli;
	else if (argc >= 2 && strcmp(argv[1], "list") == 0)
		cli = &cmd_appeal_list_cli;
	else if (argc >= 2 && strcmp(argv[1], "close") == 0)
		cli = &cmd_appeal_close_cli;
	else
		return app_usage("appeal: which subcommand? open, list or close (try portal-audit "
				 "help appeal)");
	rc = parse(&o, argc, argv, cli);
	if (rc == EXIT_OK)
		rc = app_open_store(&s, a, cli == &cmd_appeal_list_cli ? STORE_READ : STORE_WRITE);
	if (rc != EXIT_OK)
		return rc;
	store_set_stop(s, &a->stop);
	if (cli == &cmd_appeal_open_cli)
		rc = do_open(s, &o);
	else if (cli == &cmd_appeal_list_cli)
		rc = do_list(s, &o);
	else
		rc = do_close(s, &o);
	store_free(s);
	return rc;
}
