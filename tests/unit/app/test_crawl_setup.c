/* crawl_setup: a bad --resolve or --allow-addr is a usage error at parse
 * time (before any store is opened), the options recorded with a run
 * parse back to the same crawl options, quoted words included, and
 * loading keeps only the id and portal URL of each selected school (and
 * the --hosts-file entries of their hosts), packed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/app.h"
#include "app/crawl_setup.h"
#include "store/adhoc.h"
#include "store/db.h"
#include "store/registry.h"

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

/* Writes text to a new temporary file named from tmpl. */
static void write_temp(char *tmpl, const char *text)
{
	int fd = mkstemp(tmpl);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

struct loaded {
	char db[64], csv[64], hosts[64], rules[1024];
	struct store *s;
};

static void loaded_open(struct loaded *l)
{
	struct import_result res;
	struct school_info adhoc = {0};

	snprintf(l->db, sizeof(l->db), "/tmp/test_crawl_setup_XXXXXX");
	snprintf(l->csv, sizeof(l->csv), "/tmp/test_crawl_setup_csv_XXXXXX");
	snprintf(l->hosts, sizeof(l->hosts), "/tmp/test_crawl_setup_hosts_XXXXXX");
	snprintf(l->rules, sizeof(l->rules), "%s/rules/sets/tt09-2009.yaml", getenv("PA_SOURCE"));
	write_temp(l->db, "");
	write_temp(l->csv,
		   "school_id,name,unit,level,ownership,portal_url\n"
		   "79-Q01-TH-0002,Trường B,Quận 1,th,cong_lap,http://th-b.hcm.edu.vn:8080/\n"
		   "79-Q01-TH-0001,Trường A,Quận 1,th,cong_lap,http://th-a.hcm.edu.vn/\n"
		   "79-Q01-TH-0003,Trường không cổng,Quận 1,th,cong_lap,\n"
		   "79-Q03-TH-0001,Trường C,Quận 3,th,cong_lap,http://th-c.hcm.edu.vn/\n");
	write_temp(l->hosts, "th-a.hcm.edu.vn 127.0.0.2\n"
			     "TH-B.hcm.edu.vn 127.0.0.3\n"
			     "# a comment\n"
			     "th-c.hcm.edu.vn 127.0.0.4\n"
			     "no-school.hcm.edu.vn 127.0.0.9\n");
	memset(&res, 0, sizeof(res));
	assert_int_equal(store_open(&l->s, l->db), ST_OK);
	assert_int_equal(registry_import(l->s, l->csv, NULL, NULL, &res), ST_OK);
	adhoc.id = ADHOC_ID_PREFIX "x.vn";
	adhoc.name = adhoc.level = "x";
	adhoc.unit = "Quận 1";
	adhoc.ownership = "";
	adhoc.portal_url = "http://x.vn/";
	assert_int_equal(adhoc_school_put(l->s, &adhoc), ST_OK);
}

static void loaded_close(struct loaded *l)
{
	store_free(l->s);
	unlink(l->db);
	unlink(l->csv);
	unlink(l->hosts);
}

/* Loads `crawl EXTRA... --hosts-file H --rules R --period 2017-2018`. */
static int load(struct crawl_setup *cs, struct loaded *l, const char *x1, const char *x2)
{
	static struct app a;
	char *argv[] = {"crawl",    "--hosts-file", l->hosts,    "--rules",           l->rules,
			"--period", "2017-2018",    "--resolve", "a.vn:80:127.0.0.1", (char *)x1,
			(char *)x2};
	int rc = parse(cs, &a, x1 ? 11 : 9, argv);

	return rc == EXIT_OK ? crawl_setup_load(cs, l->s) : rc;
}

static void load_keeps_id_and_portal_of_selected_schools(void **state)
{
	static const char *const want[] = {"79-Q01-TH-0001", "http://th-a.hcm.edu.vn/",
					   "79-Q01-TH-0002", "http://th-b.hcm.edu.vn:8080/",
					   "79-Q03-TH-0001", "http://th-c.hcm.edu.vn/"};
	struct crawl_setup cs;
	struct loaded l;
	size_t i;

	(void)state;
	loaded_open(&l);
	/* Every school with a portal, by id; no ad hoc school of check. */
	assert_int_equal(load(&cs, &l, NULL, NULL), EXIT_OK);
	assert_null(cs.schools);
	assert_int_equal(cs.sites.n, 6);
	for (i = 0; i < 6; i++)
		assert_string_equal(strlist_get(&cs.sites, i), want[i]);
	/* --resolve first, then a hosts line per school on its host (any
	 * case), with the school's port; none for a host of no school. */
	assert_int_equal(cs.nresolve, 4);
	assert_ptr_equal(cs.opts.resolve, cs.resolve);
	assert_int_equal(cs.opts.nresolve, 4);
	assert_string_equal(cs.resolve[0], "a.vn:80:127.0.0.1");
	assert_string_equal(cs.resolve[1], "th-a.hcm.edu.vn:80:127.0.0.2");
	assert_string_equal(cs.resolve[2], "TH-B.hcm.edu.vn:8080:127.0.0.3");
	assert_string_equal(cs.resolve[3], "th-c.hcm.edu.vn:80:127.0.0.4");
	crawl_setup_release(&cs);
	/* A unit: its schools only, and their hosts' entries. */
	assert_int_equal(load(&cs, &l, "--unit", "Quận 3"), EXIT_OK);
	assert_int_equal(cs.sites.n, 2);
	assert_string_equal(strlist_get(&cs.sites, 0), "79-Q03-TH-0001");
	assert_int_equal(cs.nresolve, 2);
	assert_string_equal(cs.resolve[1], "th-c.hcm.edu.vn:80:127.0.0.4");
	crawl_setup_release(&cs);
	/* An ad hoc school when named; an unknown id is an error, nothing kept. */
	assert_int_equal(load(&cs, &l, "--school", ADHOC_ID_PREFIX "x.vn"), EXIT_OK);
	assert_int_equal(cs.sites.n, 2);
	assert_string_equal(strlist_get(&cs.sites, 1), "http://x.vn/");
	crawl_setup_release(&cs);
	assert_int_not_equal(load(&cs, &l, "--school", "79-Q09-TH-0001"), EXIT_OK);
	assert_int_equal(cs.sites.n, 0);
	crawl_setup_release(&cs);
	loaded_close(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bad_resolve_and_ranges_are_usage_errors),
		cmocka_unit_test(load_keeps_id_and_portal_of_selected_schools),
		cmocka_unit_test(recorded_options_parse_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
