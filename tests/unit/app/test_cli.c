/* The option tables: cli_next parses what they say, and the defaults
 * the help shows are the ones the parser applies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "app/cli.h"
#include "app/crawl_setup.h"
#include "core/str.h"

static const struct cli_command *const all[] = {
	&cli_global,     &cmd_schools_import_cli, &cmd_schools_list_cli,
	&cmd_crawl_cli,  &cmd_audit_cli,          &cmd_check_cli,
	&cmd_report_cli, &cmd_rules_lint_cli,     &cmd_rules_test_cli,
};
#define NALL (sizeof(all) / sizeof(all[0]))

static int next(const struct cli_command *cmd, int argc, char **argv, struct args *a)
{
	args_init(a, argc, argv, 0);
	return cli_next(a, cmd);
}

static void values_follow_or_join_the_option(void **state)
{
	char *v1[] = {"--delay", "250"}, *v2[] = {"--delay=250"};
	struct args a;

	(void)state;
	assert_int_equal(next(&cmd_crawl_cli, 2, v1, &a), OPT_DELAY);
	assert_int_equal(a.num, 250);
	assert_int_equal(a.i, 2);
	assert_int_equal(next(&cmd_crawl_cli, 1, v2, &a), OPT_DELAY);
	assert_int_equal(a.num, 250);
	assert_string_equal(a.val, "250");
}

static void aliases_flags_and_operands(void **state)
{
	char *v1[] = {"-o", "x.html"}, *v2[] = {"city"}, *v3[] = {"--", "--odd"},
	     *v4[] = {"--quiet"}, *v5[] = {"-"};
	struct args a;

	(void)state;
	assert_int_equal(next(&cmd_report_cli, 2, v1, &a), OPT_OUTPUT);
	assert_string_equal(a.val, "x.html");
	assert_int_equal(next(&cmd_report_cli, 1, v2, &a), CLI_OPERAND);
	assert_string_equal(a.val, "city");
	assert_int_equal(next(&cmd_report_cli, 2, v3, &a), CLI_OPERAND);
	assert_string_equal(a.val, "--odd");
	assert_int_equal(next(&cmd_crawl_cli, 1, v4, &a), OPT_QUIET);
	assert_int_equal(next(&cmd_report_cli, 1, v5, &a), CLI_OPERAND);
	assert_int_equal(cli_next(&a, &cmd_report_cli), CLI_END);
}

static void bad_words_are_usage_errors(void **state)
{
	char *unknown[] = {"--delay-ms", "5"}, *missing[] = {"--delay"},
	     *range[] = {"--per-host", "17"}, *flagval[] = {"--quiet=yes"},
	     *notint[] = {"--threads", "x"}, *other[] = {"--resume"}, *help[] = {"--help"};
	struct args a;

	(void)state;
	assert_int_equal(next(&cmd_crawl_cli, 2, unknown, &a), CLI_ERROR);
	assert_true(a.bad);
	assert_int_equal(next(&cmd_crawl_cli, 1, missing, &a), CLI_ERROR);
	assert_int_equal(next(&cmd_crawl_cli, 2, range, &a), CLI_ERROR);
	assert_int_equal(next(&cmd_crawl_cli, 1, flagval, &a), CLI_ERROR);
	assert_int_equal(next(&cmd_audit_cli, 2, notint, &a), CLI_ERROR);
	/* check takes the crawl options but not --resume */
	assert_int_equal(next(&cmd_check_cli, 1, other, &a), CLI_ERROR);
	/* main answers --help before a command parses */
	assert_int_equal(next(&cmd_crawl_cli, 1, help, &a), CLI_ERROR);
}

static void help_is_found_where_an_option_stands(void **state)
{
	char *v1[] = {"crawl", "--unit", "Q1", "-h"}, *v2[] = {"crawl", "--user-agent", "-h"},
	     *v3[] = {"report", "--", "--help"}, *v4[] = {"crawl", "--delay=5", "--help"};

	(void)state;
	assert_true(cli_wants_help(&cmd_crawl_cli, 4, v1, 1));
	assert_false(cli_wants_help(&cmd_crawl_cli, 3, v2, 1));
	assert_false(cli_wants_help(&cmd_report_cli, 3, v3, 1));
	assert_true(cli_wants_help(&cmd_crawl_cli, 3, v4, 1));
}

/* Every table entry is complete and no command has a name twice. */
static void tables_are_well_formed(void **state)
{
	size_t c, g;

	(void)state;
	for (c = 0; c < NALL; c++) {
		for (g = 0; g < CLI_MAX_GROUPS && all[c]->groups[g]; g++) {
			const struct cli_opt *o;

			for (o = all[c]->groups[g]->opts; o->name; o++) {
				assert_non_null(o->help);
				assert_true(o->id > OPT_NONE);
				assert_true(strncmp(o->name, "--", 2) == 0);
				assert_true((o->kind == CLI_FLAG) == (o->arg == NULL));
				assert_true(o->kind != CLI_INT || o->min <= o->max);
				/* the first entry of that name is this one: no
				 * name is used twice in a command */
				assert_ptr_equal(cli_find(all[c], o->name), o);
				assert_true(!o->alias || cli_find(all[c], o->alias) == o);
			}
		}
	}
}

/* Field by field: struct padding is not compared. */
static void assert_same_options(const struct crawl_options *x, const struct crawl_options *y)
{
	assert_int_equal(x->max_pages, y->max_pages);
	assert_int_equal(x->max_depth, y->max_depth);
	assert_int_equal(x->max_bytes, y->max_bytes);
	assert_int_equal(x->timeout_s, y->timeout_s);
	assert_int_equal(x->site_budget_s, y->site_budget_s);
	assert_int_equal(x->max_redirects, y->max_redirects);
	assert_int_equal(x->per_host, y->per_host);
	assert_int_equal(x->delay_ms, y->delay_ms);
	assert_int_equal(x->max_connections, y->max_connections);
	assert_int_equal(x->allow_private, y->allow_private);
	assert_int_equal(x->parse_threads, y->parse_threads);
	assert_int_equal(x->explore_pages, y->explore_pages);
	assert_int_equal(x->list_pages, y->list_pages);
	assert_ptr_equal(x->user_agent, y->user_agent);
	assert_int_equal(x->nresolve, y->nresolve);
	assert_int_equal(x->nallow_addr, y->nallow_addr);
}

/* The default an integer option's help shows, given on the command line,
 * changes nothing: help and parser agree. */
static void shown_defaults_are_the_parsers(void **state)
{
	static const struct cli_command *const cmds[] = {&cmd_crawl_cli, &cmd_check_cli};
	struct app app;
	size_t c, g;
	int checked = 0;

	(void)state;
	memset(&app, 0, sizeof(app));
	for (c = 0; c < 2; c++) {
		struct crawl_setup base;
		/* check takes the URL operand; crawl starts after it */
		char *argv0[] = {"x", "http://a.example/"};

		assert_int_equal(crawl_setup_parse(&base, &app, 2, argv0, c == 1 ? 1 : 2, c == 1),
				 EXIT_OK);
		for (g = 0; g < CLI_MAX_GROUPS && cmds[c]->groups[g]; g++) {
			const struct cli_opt *o;

			for (o = cmds[c]->groups[g]->opts; o->name; o++) {
				struct crawl_setup cs;
				char *argv[] = {"x", "http://a.example/", (char *)o->name,
						(char *)o->def};
				long v;

				if (!o->def ||
				    (o->kind == CLI_INT
					     ? str_to_long(o->def, o->min, o->max, &v) < 0
					     : strcmp(o->name, "--focus") != 0))
					continue;
				assert_int_equal(crawl_setup_parse(&cs, &app, 4, argv,
								   c == 1 ? 1 : 2, c == 1),
						 EXIT_OK);
				/* the strings differ (params); the options must not */
				assert_same_options(&cs.opts, &base.opts);
				crawl_setup_release(&cs);
				checked++;
			}
		}
		crawl_setup_release(&base);
	}
	assert_true(checked >= 18);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(values_follow_or_join_the_option),
		cmocka_unit_test(aliases_flags_and_operands),
		cmocka_unit_test(bad_words_are_usage_errors),
		cmocka_unit_test(help_is_found_where_an_option_stands),
		cmocka_unit_test(tables_are_well_formed),
		cmocka_unit_test(shown_defaults_are_the_parsers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
