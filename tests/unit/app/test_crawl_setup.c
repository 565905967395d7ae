/* crawl_setup: a bad --resolve or --allow-addr is a usage error at parse
 * time (before any store is opened), and the options recorded with a run
 * parse back to the same crawl options, quoted words included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "app/crawl_setup.h"

static int parse(struct crawl_setup *cs, struct app *a, int argc, char **argv)
{
	return crawl_setup_parse(cs, a, argc, argv, 1, false);
}

static void bad_resolve_and_ranges_are_usage_errors(void **state)
{
	static const char *const bad[][2] = {
		{"--resolve", "a.vn:80:127.0.0.l"},     {"--resolve", "a.vn:80"},
		{"--resolve", "a.vn:http:127.0.0.1"},   {"--resolve", ":80:127.0.0.1"},
		{"--resolve", "a.vn:70000:127.0.0.1"},  {"--resolve", "a.vn:80:127.0.0.1,"},
		{"--allow-addr", "127.0.0.1/33"},       {"--allow-addr", "127.0.O.1"},
		{"--hosts-file", "/nonexistent/hosts"},
	};
	static const char *const good[][2] = {
		{"--resolve", "a.vn:80:127.0.0.1"},     {"--resolve", "+a.vn:443:[::1]"},
		{"--resolve", "a.vn:80:127.0.0.1,::1"}, {"--resolve", "-a.vn:80"},
		{"--allow-addr", "127.0.0.0/8"},        {"--allow-addr", "::1"},
	};
	struct app a;
	size_t i;

	(void)state;
	memset(&a, 0, sizeof(a));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct crawl_setup cs;
		char *argv[] = {"crawl", (char *)bad[i][0], (char *)bad[i][1]};

		assert_int_equal(parse(&cs, &a, 3, argv), EXIT_USAGE);
		crawl_setup_release(&cs);
	}
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct crawl_setup cs;
		char *argv[] = {"crawl", (char *)good[i][0], (char *)good[i][1]};

		assert_int_equal(parse(&cs, &a, 3, argv), EXIT_OK);
		crawl_setup_release(&cs);
	}
}

static void recorded_options_parse_back(void **state)
{
	char *argv[] = {"crawl",
			"--user-agent",
			"bot (liên hệ: it's \\ \"x\")",
			"--resolve",
			"a.vn:80:127.0.0.1",
			"--delay",
			"250",
			"--unit",
			"Quận 1",
			"--user-agent",
			""};
	char *resume[] = {"crawl", "--resume", "--delay", "40"};
	struct crawl_setup cs, back;
	struct app a;

	(void)state;
	memset(&a, 0, sizeof(a));
	assert_int_equal(parse(&cs, &a, 9, argv), EXIT_OK);
	assert_int_equal(crawl_setup_parse_recorded(&back, &a, cs.params, 4, resume), EXIT_OK);
	assert_string_equal(back.opts.user_agent, "bot (liên hệ: it's \\ \"x\")");
	assert_int_equal(back.nresolve, 1);
	assert_string_equal(back.resolve[0], "a.vn:80:127.0.0.1");
	assert_string_equal(back.sel.unit, "Quận 1");
	/* given beside --resume, after the recorded ones: it wins */
	assert_int_equal(back.opts.delay_ms, 40);
	assert_true(back.resume);
	crawl_setup_release(&back);
	crawl_setup_release(&cs);
	/* an empty word survives too */
	assert_int_equal(parse(&cs, &a, 11, argv), EXIT_OK);
	assert_int_equal(crawl_setup_parse_recorded(&back, &a, cs.params, 1, resume), EXIT_OK);
	assert_string_equal(back.opts.user_agent, "");
	crawl_setup_release(&back);
	crawl_setup_release(&cs);
	/* records of older programs: words separated by spaces */
	assert_int_equal(
		crawl_setup_parse_recorded(&back, &a, "--delay 70 --max-pages 9", 1, resume),
		EXIT_OK);
	assert_int_equal(back.opts.delay_ms, 70);
	assert_int_equal(back.opts.max_pages, 9);
	crawl_setup_release(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_resolve_and_ranges_are_usage_errors),
		cmocka_unit_test(recorded_options_parse_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
