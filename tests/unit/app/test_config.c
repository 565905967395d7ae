/* The configuration file parser (app/config.h): keys, comments, ranges,
 * CIDRs, errors as "file:line: what is wrong", and how its settings reach
 * the crawl options; the rules directory lookup order (app/rulesdir.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/config.h"
#include "app/rulesdir.h"
#include "core/status.h"
#include "tests/unit/common/tmpfiles.h"

static status parse(struct config *c, const char *text)
{
	struct config init = CONFIG_INIT;

	*c = init;
	return config_parse(c, "t.conf", text, strlen(text));
}

static void every_key_is_read(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(parse(&c, "# a comment\n"
				   "\n"
				   "db = /var/lib/portal-audit/portal-audit.db\n"
				   "  rules_dir=/srv/rules  \n"
				   "\tper_host = 3\n"
				   "delay = 2500\r\n"
				   "timeout = 45\n"
				   "max_pages = 0\n"
				   "allow_addr = 10.0.0.0/8\n"
				   "allow_addr = 2001:db8::/32\n"
				   "user_agent = bot/1 (x)"),
			 ST_OK);
	assert_string_equal(c.db, "/var/lib/portal-audit/portal-audit.db");
	assert_string_equal(c.rules_dir, "/srv/rules");
	assert_string_equal(c.user_agent, "bot/1 (x)");
	assert_int_equal(c.per_host, 3);
	assert_int_equal(c.delay_ms, 2500);
	assert_int_equal(c.timeout_s, 45);
	assert_int_equal(c.max_pages, 0);
	assert_int_equal(c.nallow_addr, 2);
	assert_string_equal(c.allow_addr[0], "10.0.0.0/8");
	assert_string_equal(c.allow_addr[1], "2001:db8::/32");
	assert_null(c.path);
	config_release(&c);
}

static void unset_keys_stay_unset(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(parse(&c, "# nothing but comments\n#db = x\n\n"), ST_OK);
	assert_null(c.db);
	assert_null(c.rules_dir);
	assert_null(c.user_agent);
	assert_int_equal(c.per_host, -1);
	assert_int_equal(c.delay_ms, -1);
	assert_int_equal(c.timeout_s, -1);
	assert_int_equal(c.max_pages, -1);
	assert_int_equal(c.nallow_addr, 0);
	config_release(&c);
}

static void contact_goes_into_the_user_agent(void **state)
{
	struct config c;
	char want[256];
	const char *def = CRAWL_DEFAULT_USER_AGENT;

	(void)state;
	assert_int_equal(parse(&c, "contact = mailto:it@example.vn\n"), ST_OK);
	snprintf(want, sizeof(want), "%.*s (+mailto:it@example.vn)", (int)strcspn(def, " "), def);
	assert_string_equal(c.user_agent, want);
	assert_true(strncmp(c.user_agent, "portal-audit/", 13) == 0);
	config_release(&c);
}

/* Each bad file fails with exactly this message. */
static void errors_name_file_line_and_problem(void **state)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{"db = a\nspeed = 3\n", "t.conf:2: unknown key 'speed'"},
		{"per_host = two\n", "t.conf:1: per_host: 'two' is not a whole number"},
		{"per_host = 17\n", "t.conf:1: per_host: 17 is out of range (1 to 16)"},
		{"delay = -1\n", "t.conf:1: delay: -1 is out of range (0 to 600000)"},
		{"timeout = 0\n", "t.conf:1: timeout: 0 is out of range (1 to 3600)"},
		{"\n\n\nallow_addr = 10.0.0.0/33\n",
		 "t.conf:4: allow_addr: '10.0.0.0/33' is not an address or CIDR range"},
		{"allow_addr = example.org\n",
		 "t.conf:1: allow_addr: 'example.org' is not an address or CIDR range"},
		{"just words\n", "t.conf:1: expected 'key = value', got 'just words'"},
		{"db =\n", "t.conf:1: db: empty value"},
		{"delay = 1\n# x\ndelay = 2\n", "t.conf:3: delay is set twice (first on line 1)"},
		{"contact = a@b.vn\nuser_agent = x\n",
		 "t.conf:2: give contact or user_agent, not both"},
		{"db = a\x01b\n", "t.conf:1: control character in line"},
		{"[crawl]\n", "t.conf:1: expected 'key = value', got '[crawl]'"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config c;

		assert_int_equal(parse(&c, cases[i].text), ST_PARSE);
		assert_string_equal(status_message(), cases[i].message);
		/* A failed parse leaves nothing behind. */
		assert_null(c.db);
		assert_int_equal(c.nallow_addr, 0);
	}
}

static void a_nul_byte_is_an_error(void **state)
{
	struct config c = CONFIG_INIT;

	(void)state;
	assert_int_equal(config_parse(&c, "t.conf", "db = a\0b\n", 9), ST_PARSE);
	assert_string_equal(status_message(), "t.conf:1: NUL byte in line");
}

static char *write_temp(const char *text)
{
	char path[TMPFILES_PATH], *dup;

	assert_int_equal(tmpfiles_text(path, "pa-config-test", "", text, strlen(text)), 0);
	dup = strdup(path);
	assert_non_null(dup);
	return dup;
}

static void load_reads_a_file_and_names_it(void **state)
{
	struct config c = CONFIG_INIT;
	char *path = write_temp("timeout = 7\nbogus = 1\n");
	char want[256];

	(void)state;
	assert_int_equal(config_load(&c, path, true), ST_PARSE);
	snprintf(want, sizeof(want), "%s:2: unknown key 'bogus'", path);
	assert_string_equal(status_message(), want);
	unlink(path);
	free(path);

	path = write_temp("timeout = 7\n");
	assert_int_equal(config_load(&c, path, true), ST_OK);
	assert_string_equal(c.path, path);
	assert_int_equal(c.timeout_s, 7);
	config_release(&c);
	unlink(path);
	free(path);
}

static void a_missing_file_is_an_error_only_when_required(void **state)
{
	struct config c = CONFIG_INIT;

	(void)state;
	assert_int_equal(config_load(&c, "/nonexistent/portal-audit.conf", false), ST_OK);
	assert_null(c.path);
	assert_int_equal(config_load(&c, "/nonexistent/portal-audit.conf", true), ST_INVALID);
	assert_string_equal(
		status_message(),
		"config file /nonexistent/portal-audit.conf: No such file or directory");
}

static void config_values_become_crawl_options(void **state)
{
	struct crawl_options o = CRAWL_OPTIONS_INIT, d = CRAWL_OPTIONS_INIT;
	struct config c;

	(void)state;
	assert_int_equal(parse(&c, "per_host = 4\nallow_addr = 127.0.0.0/8\n"), ST_OK);
	config_apply_crawl(&c, &o);
	assert_int_equal(o.per_host, 4);
	assert_int_equal(o.nallow_addr, 1);
	assert_string_equal(o.allow_addr[0], "127.0.0.0/8");
	/* What the file does not set keeps the crawler's default. */
	assert_int_equal(o.delay_ms, d.delay_ms);
	assert_int_equal(o.timeout_s, d.timeout_s);
	assert_int_equal(o.max_pages, d.max_pages);
	assert_null(o.user_agent);
	config_release(&c);
}

/* rules_dir of the config beats $PORTAL_AUDIT_RULES, which beats the
 * location beside the binary; a missing directory is named. */
static void rules_directory_lookup_order(void **state)
{
	char dir[] = "/tmp/pa-rulesdir-test.XXXXXX";
	const char *origin = NULL;
	char *out = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("PORTAL_AUDIT_RULES", "/nonexistent/env-rules", 1);
	assert_int_equal(rulesdir_find(&out, &origin, dir), ST_OK);
	assert_string_equal(out, dir);
	assert_string_equal(origin, "rules_dir of the config file");
	free(out);

	assert_int_equal(rulesdir_find(&out, &origin, NULL), ST_NOTFOUND);
	assert_null(out);
	assert_string_equal(status_message(),
			    "rules directory /nonexistent/env-rules ($PORTAL_AUDIT_RULES): No such "
			    "file or directory; give --rules FILE, rules_dir in the config file or "
			    "$PORTAL_AUDIT_RULES");

	setenv("PORTAL_AUDIT_RULES", dir, 1);
	assert_int_equal(rulesdir_find(&out, &origin, NULL), ST_OK);
	assert_string_equal(out, dir);
	free(out);

	/* Unset: beside the binary.  This test binary lives in the build
	 * tree, which links share/portal-audit/rules to rules/sets. */
	unsetenv("PORTAL_AUDIT_RULES");
	assert_int_equal(rulesdir_find(&out, &origin, NULL), ST_OK);
	assert_string_equal(origin, "beside the binary");
	assert_true(strstr(out, "/share/portal-audit/rules") != NULL);
	assert_int_equal(access(out, R_OK), 0);
	free(out);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_key_is_read),
		cmocka_unit_test(unset_keys_stay_unset),
		cmocka_unit_test(contact_goes_into_the_user_agent),
		cmocka_unit_test(errors_name_file_line_and_problem),
		cmocka_unit_test(a_nul_byte_is_an_error),
		cmocka_unit_test(load_reads_a_file_and_names_it),
		cmocka_unit_test(a_missing_file_is_an_error_only_when_required),
		cmocka_unit_test(config_values_become_crawl_options),
		cmocka_unit_test(rules_directory_lookup_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
