/* The registry import: validation with every error as file:line, atomic
 * writes, updates reported, NFC, levels, and the list/get queries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "store/csv.h"
#include "store/db.h"
#include "store/registry.h"
#include "tests/unit/common/tmpfiles.h"

struct ctx {
	char db[TMPFILES_PATH];
	struct store *s;
};

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return -1;
	if (tmpfiles_store(c->db, "test_registry") < 0 || store_open(&c->s, c->db) < 0)
		return -1;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	store_free(c->s);
	tmpfiles_store_remove(c->db);
	free(c);
	return 0;
}

static const char *fixture(const char *name)
{
	static char path[4096];
	const char *dir = getenv("PA_FIXTURES");

	snprintf(path, sizeof(path), "%s/registry/%s", dir ? dir : "tests/fixtures", name);
	return path;
}

/* Writes data to a fresh temporary .csv file; the caller unlinks and
 * frees the returned path. */
static char *tmp_csv(const char *data, size_t len)
{
	char path[TMPFILES_PATH], *dup;

	assert_int_equal(tmpfiles_text(path, "test_registry", ".csv", data, len), 0);
	dup = strdup(path);
	assert_non_null(dup);
	return dup;
}

struct outcome {
	status st;
	struct import_result res;
	char *errs, *changes;
	size_t errs_len, changes_len;
};

static void outcome_release(struct outcome *o)
{
	free(o->errs);
	free(o->changes);
}

static struct outcome run_import(struct store *s, const char *path)
{
	struct outcome o;
	FILE *e, *ch;

	memset(&o, 0, sizeof(o));
	e = open_memstream(&o.errs, &o.errs_len);
	ch = open_memstream(&o.changes, &o.changes_len);
	assert_non_null(e);
	assert_non_null(ch);
	o.st = registry_import(s, path, e, ch, &o.res);
	fclose(e);
	fclose(ch);
	return o;
}

static struct outcome import_text(struct store *s, const char *text, char **path_out)
{
	char *path = tmp_csv(text, strlen(text));
	struct outcome o = run_import(s, path);

	unlink(path);
	if (path_out)
		*path_out = path;
	else
		free(path);
	return o;
}

/* Every row of schools, timestamps included, as text. */
static char *dump(struct store *s)
{
	struct buf b = BUF_INIT(1 << 24);
	sqlite3_stmt *st = NULL;

	assert_int_equal(store_prepare(s, &st,
				       "SELECT id, name, unit, level, ownership, "
				       "ifnull(portal_url, '(null)'), imported_at, updated_at "
				       "FROM schools ORDER BY id"),
			 ST_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int i;

		for (i = 0; i < 8; i++)
			assert_int_equal(buf_printf(&b, "%s%c", sqlite3_column_text(st, i),
						    i == 7 ? '\n' : '|'),
					 ST_OK);
	}
	sqlite3_finalize(st);
	return buf_detach(&b);
}

static int count(struct store *s)
{
	sqlite3_stmt *st = NULL;
	int n;

	assert_int_equal(store_prepare(s, &st, "SELECT count(*) FROM schools"), ST_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Lists with a filter and compares the ids, given as one space-separated
 * string ("" for none). */
static void expect_ids(struct store *s, const char *unit, const char *level, const char *ids)
{
	struct registry_filter f = REGISTRY_FILTER_INIT;
	struct school_info *v = NULL;
	struct buf b = BUF_INIT(1 << 20);
	size_t n = 0, i;

	f.unit = unit;
	f.level = level;
	assert_int_equal(registry_list(s, &f, &v, &n), ST_OK);
	for (i = 0; i < n; i++)
		assert_int_equal(buf_printf(&b, "%s%s", i ? " " : "", v[i].id), ST_OK);
	assert_string_equal(buf_str(&b), ids);
	buf_release(&b);
	registry_list_free(v, n);
}

static void test_good_file_imports_and_lists_with_filters(void **state)
{
	struct ctx *c = *state;
	struct outcome o = run_import(c->s, fixture("good.csv"));
	struct school_info si;

	assert_int_equal(o.st, ST_OK);
	assert_string_equal(o.errs, "");
	assert_string_equal(o.changes, "");
	assert_int_equal(o.res.total, 6);
	assert_int_equal(o.res.added, 6);
	assert_int_equal(o.res.updated, 0);
	assert_int_equal(o.res.unchanged, 0);
	assert_int_equal(o.res.errors, 0);
	assert_int_equal(count(c->s), 6);

	expect_ids(c->s, NULL, NULL,
		   "79-CC-GDTX-0006 79-Q01-TH-0001 79-Q01-THCS-0002 79-Q07-LC-0004 "
		   "79-Q07-MN-0005 79-SO-THPT-0003");
	expect_ids(c->s, "Quận 7", NULL, "79-Q07-LC-0004 79-Q07-MN-0005");
	expect_ids(c->s, "Qua\xCC\xA3\xCC\x82n 7", NULL, "79-Q07-LC-0004 79-Q07-MN-0005");
	expect_ids(c->s, "Quận 9", NULL, "");
	/* A single level matches any component of a multi-level school. */
	expect_ids(c->s, NULL, "th", "79-Q01-TH-0001 79-Q07-LC-0004");
	expect_ids(c->s, NULL, "THCS", "79-Q01-THCS-0002 79-Q07-LC-0004");
	expect_ids(c->s, NULL, "thcs+th", "79-Q07-LC-0004");
	expect_ids(c->s, "Quận 7", "mn", "79-Q07-MN-0005");
	expect_ids(c->s, "Sở", "thpt", "79-SO-THPT-0003");

	assert_int_equal(registry_get(c->s, "79-Q07-LC-0004", &si), ST_OK);
	assert_string_equal(si.name, "Trường Quốc tế Mùa Thu");
	assert_string_equal(si.level, "th+thcs");
	assert_string_equal(si.ownership, "ngoai_cong_lap");
	assert_string_equal(si.portal_url, "https://muathu.example.hcm.edu.vn:8443/trang-chu?x=1");
	school_info_release(&si);
	/* Spaces collapsed, case of level and ownership normalised. */
	assert_int_equal(registry_get(c->s, "79-Q07-MN-0005", &si), ST_OK);
	assert_string_equal(si.name, "Mầm non Hoa Sen");
	assert_string_equal(si.level, "mn");
	assert_string_equal(si.ownership, "cong_lap");
	school_info_release(&si);
	/* Doubled quotes unescaped; an empty portal_url is NULL. */
	assert_int_equal(registry_get(c->s, "79-SO-THPT-0003", &si), ST_OK);
	assert_string_equal(si.name, "Trường THPT \"Chuyên\" Lê Quý Đôn");
	assert_null(si.portal_url);
	school_info_release(&si);
	assert_int_equal(registry_get(c->s, "79-Q01-THCS-0002", &si), ST_OK);
	assert_string_equal(si.name, "Trường THCS Nguyễn Du, Quận 1");
	school_info_release(&si);
	outcome_release(&o);
}

static void test_unknown_level_filter_is_invalid(void **state)
{
	struct ctx *c = *state;
	struct registry_filter f = {NULL, "daihoc"};
	struct school_info *v = NULL;
	size_t n = 5;

	assert_int_equal(registry_list(c->s, &f, &v, &n), ST_INVALID);
	assert_null(v);
	assert_int_equal(n, 0);
	assert_non_null(strstr(status_message(), "unknown level 'daihoc'"));
}

static void test_get_missing_school_is_notfound(void **state)
{
	struct ctx *c = *state;
	struct school_info si;

	assert_int_equal(registry_get(c->s, "no-such-id", &si), ST_NOTFOUND);
	assert_null(si.id);
}

static char *expected_errors(const char *path, const char *const *lines, size_t n)
{
	struct buf b = BUF_INIT(1 << 20);
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(buf_printf(&b, "%s:%s\n", path, lines[i]), ST_OK);
	return buf_detach(&b);
}

static void test_bad_file_reports_every_error_and_writes_nothing(void **state)
{
	static const char *const lines[] = {
		"3: empty school_id",
		"4: empty name",
		"5: empty unit",
		/* One message on two lines (parenthesised: not a missing comma). */
		("6: unknown level 'daihoc' (expected mn, th, thcs, thpt or gdtx, or a '+'-joined "
		 "combination such as th+thcs)"),
		"7: level 'th+th' names 'th' twice",
		"8: unknown ownership 'tu_thuc' (expected cong_lap or ngoai_cong_lap)",
		"9: duplicate school_id '79-A-0001' (first on line 2)",
		"10: portal_url 'ftp://x.example.hcm.edu.vn' is not an http:// or https:// URL",
		"11: portal_url 'https://' has no host",
		"12: portal_url 'http://a b.vn' contains white space",
		"14: expected 6 fields as in the header, found 5",
		"15: level 'th+' has an empty part around '+'",
		"16: school_id '79 A 0014' contains white space",
		"17: portal_url 'https://x.vn:99999/' has a bad port",
		"18: text after a closing quote (write a quote inside a quoted field as \"\")",
		"19: empty level",
		"19: empty ownership",
	};
	struct ctx *c = *state;
	struct outcome good = run_import(c->s, fixture("good.csv"));
	char *before = dump(c->s), *after, *want;
	struct outcome o;

	assert_int_equal(good.st, ST_OK);
	o = run_import(c->s, fixture("bad.csv"));
	assert_int_equal(o.st, ST_INVALID);
	want = expected_errors(fixture("bad.csv"), lines, sizeof(lines) / sizeof(lines[0]));
	assert_string_equal(o.errs, want);
	assert_int_equal(o.res.errors, 17);
	assert_int_equal(o.res.added + o.res.updated + o.res.unchanged + o.res.total, 0);
	assert_string_equal(o.changes, "");
	assert_non_null(strstr(status_message(), ": 17 errors, nothing imported"));
	/* Line 2 was valid, yet nothing of the file was written. */
	after = dump(c->s);
	assert_string_equal(after, before);
	assert_int_equal(count(c->s), 6);
	free(before);
	free(after);
	free(want);
	outcome_release(&o);
	outcome_release(&good);
}

static void test_bad_header_names_each_problem(void **state)
{
	static const char *const lines[] = {
		"1: unknown column 'district' (the columns are school_id, name, unit, level, "
		"ownership, portal_url, and optionally former_unit, former_province)",
		"1: column 'name' appears twice (columns 2 and 5)",
		"1: missing column 'unit' (the header must name school_id, name, unit, level, "
		"ownership, portal_url)",
		"1: missing column 'ownership' (the header must name school_id, name, unit, level, "
		"ownership, portal_url)",
	};
	struct ctx *c = *state;
	struct outcome o = run_import(c->s, fixture("bad_header.csv"));
	char *want = expected_errors(fixture("bad_header.csv"), lines, 4);

	assert_int_equal(o.st, ST_INVALID);
	assert_string_equal(o.errs, want);
	assert_int_equal(count(c->s), 0);
	free(want);
	outcome_release(&o);
}

static void test_reimport_updates_changed_schools_and_keeps_absent_ones(void **state)
{
	struct ctx *c = *state;
	struct outcome a = run_import(c->s, fixture("good.csv"));
	struct outcome b = run_import(c->s, fixture("changed.csv"));
	struct outcome again;
	struct school_info si;
	char *before;

	assert_int_equal(a.st, ST_OK);
	assert_int_equal(b.st, ST_OK);
	assert_string_equal(b.errs, "");
	/* One line per changed school, in file order. */
	assert_string_equal(
		b.changes,
		"updated 79-Q01-TH-0001: name 'Trường Tiểu học Lê Lợi' -> 'Trường Tiểu học Lê Lợi "
		"(cơ sở 2)'\n"
		"updated 79-SO-THPT-0003: portal_url (none) -> "
		"'https://thptlequydon.example.hcm.edu.vn'\n"
		"updated 79-Q07-MN-0005: portal_url 'https://mnhoasen.example.hcm.edu.vn' -> (none)\n");
	assert_int_equal(b.res.total, 6);
	assert_int_equal(b.res.added, 1);
	assert_int_equal(b.res.updated, 3);
	assert_int_equal(b.res.unchanged, 2);
	/* 79-Q07-LC-0004 is not in changed.csv and is kept. */
	assert_int_equal(count(c->s), 7);
	assert_int_equal(registry_get(c->s, "79-Q07-LC-0004", &si), ST_OK);
	school_info_release(&si);
	assert_int_equal(registry_get(c->s, "79-Q01-TH-0001", &si), ST_OK);
	assert_string_equal(si.name, "Trường Tiểu học Lê Lợi (cơ sở 2)");
	school_info_release(&si);

	/* The same file again changes nothing, not even timestamps. */
	before = dump(c->s);
	again = run_import(c->s, fixture("changed.csv"));
	assert_int_equal(again.st, ST_OK);
	assert_string_equal(again.changes, "");
	assert_int_equal(again.res.unchanged, 6);
	assert_int_equal(again.res.added + again.res.updated, 0);
	{
		char *after = dump(c->s);

		assert_string_equal(after, before);
		free(after);
	}
	free(before);
	outcome_release(&a);
	outcome_release(&b);
	outcome_release(&again);
}

static void test_nfd_text_is_stored_as_nfc(void **state)
{
	struct ctx *c = *state;
	struct outcome o =
		import_text(c->s,
			    "school_id,name,unit,level,ownership,portal_url\n"
			    "X-1,Tru\xCC\x9Bo\xCC\x9B\xCC\x80ng Tie\xCC\x82\xCC\x89u ho\xCC\xA3"
			    "c \xC4\x90o\xCC\x82\xCC\x81ng \xC4\x90"
			    "a,Qua\xCC\xA3\xCC\x82n 7,th,cong_lap,\n",
			    NULL);
	struct school_info si;

	assert_int_equal(o.st, ST_OK);
	assert_int_equal(registry_get(c->s, "X-1", &si), ST_OK);
	assert_string_equal(si.name, "Trường Tiểu học Đống Đa");
	assert_string_equal(si.unit, "Quận 7");
	school_info_release(&si);
	outcome_release(&o);
}

static void test_levels_are_canonicalised(void **state)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{"th", "th"},
		{"TH", "th"},
		{"thcs+th", "th+thcs"},
		{"gdtx+mn+thpt", "mn+thpt+gdtx"},
		{" th + thcs ", "th+thcs"},
		{"mn+th+thcs+thpt+gdtx", "mn+th+thcs+thpt+gdtx"},
	};
	static const char *const bad[] = {"",          "+",  "th+",     "th++thcs", "th+th",
					  "THCS+thcs", "dh", "th,thcs", "thcsx"};
	size_t i;
	char *out;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(registry_level_canon(ok[i].in, &out), ST_OK);
		assert_string_equal(out, ok[i].out);
		free(out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		out = (char *)"sentinel";
		assert_int_equal(registry_level_canon(bad[i], &out), ST_INVALID);
		assert_null(out);
	}
}

static void test_portal_urls_are_checked(void **state)
{
	static const struct {
		const char *url, *error; /* NULL: accepted */
	} cases[] = {
		{"https://a.vn", NULL},
		{"HTTP://A.VN/x", NULL},
		{"http://user@host.vn:8080/p?q#f", NULL},
		{"http://[::1]:80/", NULL},
		{"http://a.vn:65535", NULL},
		{"http://:80/", "has no host"},
		{"https://?q", "has no host"},
		{"http://user@/", "has no host"},
		{"http://host:/", "has a bad port"},
		{"http://host:0", "has a bad port"},
		{"http://host:65536", "has a bad port"},
		{"http://host:8a", "has a bad port"},
		{"http://[::1", "has a bad IPv6 host"},
		{"mailto:x@y.vn", "is not an http:// or https:// URL"},
		{"https:/a.vn", "is not an http:// or https:// URL"},
		{"www.a.vn", "is not an http:// or https:// URL"},
		{"\"http://a.vn/x y\"", "contains white space"},
	};
	struct ctx *c = *state;
	char text[256], want[512];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = NULL;
		struct outcome o;

		snprintf(
			text, sizeof(text),
			"school_id,name,unit,level,ownership,portal_url\nU-%zu,n,u,th,cong_lap,%s\n",
			i, cases[i].url);
		o = import_text(c->s, text, &path);
		if (!cases[i].error) {
			assert_int_equal(o.st, ST_OK);
			assert_string_equal(o.errs, "");
		} else {
			const char *shown = cases[i].url;
			size_t n = strlen(shown);

			if (shown[0] == '"') /* the CSV quotes are not part of the value */
				shown++, n -= 2;
			snprintf(want, sizeof(want), "%s:2: portal_url '%.*s' %s\n", path, (int)n,
				 shown, cases[i].error);
			assert_int_equal(o.st, ST_INVALID);
			assert_string_equal(o.errs, want);
		}
		free(path);
		outcome_release(&o);
	}
}

static void test_header_only_is_zero_schools(void **state)
{
	struct ctx *c = *state;
	struct outcome o = run_import(c->s, fixture("header_only.csv"));

	assert_int_equal(o.st, ST_OK);
	assert_string_equal(o.errs, "");
	assert_int_equal(o.res.total, 0);
	assert_int_equal(count(c->s), 0);
	outcome_release(&o);
}

static void test_empty_file_is_an_error(void **state)
{
	struct ctx *c = *state;
	char *path = NULL, want[512];
	struct outcome o = import_text(c->s, "\xEF\xBB\xBF\r\n\r\n", &path);

	assert_int_equal(o.st, ST_INVALID);
	snprintf(want, sizeof(want),
		 "%s:1: empty file: expected a header row naming school_id, name, unit, level, "
		 "ownership, portal_url\n",
		 path);
	assert_string_equal(o.errs, want);
	free(path);
	outcome_release(&o);
}

static void test_blank_rows_are_skipped(void **state)
{
	struct ctx *c = *state;
	struct outcome o = import_text(c->s,
				       "school_id,name,unit,level,ownership,portal_url\n"
				       "\n"
				       "A-1,n,u,th,cong_lap,\n"
				       ",,,,,\n"
				       "  ,  ,,,,\n",
				       NULL);

	assert_int_equal(o.st, ST_OK);
	assert_int_equal(o.res.total, 1);
	assert_int_equal(count(c->s), 1);
	outcome_release(&o);
}

static void test_control_characters_are_rejected(void **state)
{
	struct ctx *c = *state;
	char *path = NULL, want[256];
	struct outcome o = import_text(c->s,
				       "school_id,name,unit,level,ownership,portal_url\n"
				       "A-1,bell\x07,u,th,cong_lap,\n",
				       &path);

	assert_int_equal(o.st, ST_INVALID);
	snprintf(want, sizeof(want), "%s:2: control character in name\n", path);
	assert_string_equal(o.errs, want);
	free(path);
	outcome_release(&o);
}

static void test_errors_past_the_cap_are_counted(void **state)
{
	struct ctx *c = *state;
	struct buf b = BUF_INIT(1 << 20);
	char *path = NULL, tail[256];
	struct outcome o;
	size_t lines = 0, i;
	const char *last;
	int k;

	assert_int_equal(buf_adds(&b, "school_id,name,unit,level,ownership,portal_url\n"), ST_OK);
	for (k = 0; k < REGISTRY_MAX_ERRORS + 200; k++)
		assert_int_equal(buf_printf(&b, "id-%d,n,u,bogus,cong_lap,\n", k), ST_OK);
	o = import_text(c->s, buf_str(&b), &path);
	assert_int_equal(o.st, ST_INVALID);
	assert_int_equal(o.res.errors, REGISTRY_MAX_ERRORS + 200);
	for (i = 0; i < o.errs_len; i++)
		lines += o.errs[i] == '\n';
	assert_int_equal(lines, REGISTRY_MAX_ERRORS + 1);
	snprintf(tail, sizeof(tail), "%s: ... and 200 more errors\n", path);
	last = o.errs + o.errs_len - strlen(tail);
	assert_string_equal(last, tail);
	/* The last printed error is the 1000th bad row, on line 1001. */
	snprintf(tail, sizeof(tail), "%s:1001: unknown level 'bogus'", path);
	assert_non_null(strstr(o.errs, tail));
	free(path);
	buf_release(&b);
	outcome_release(&o);
}

static void test_missing_file_is_an_io_error(void **state)
{
	struct ctx *c = *state;
	struct outcome o = run_import(c->s, "/nonexistent/registry.csv");

	assert_int_equal(o.st, ST_IO);
	assert_non_null(strstr(status_message(), "/nonexistent/registry.csv"));
	outcome_release(&o);
}

/* A ward-by-ward school list in the shape of the one public HCMC list we
 * know (code,name,level,ward; tests/fixtures/registry/README.md).  It does
 * not follow our contract, so as is it must be refused with messages that
 * say exactly what to change. */
static const char *ward_list_path(void)
{
	static char path[4096];
	const char *dir = getenv("PA_FIXTURES");

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/registry/ward-list.csv", dir);
	assert_int_equal(access(path, R_OK), 0);
	return path;
}

static void test_ward_list_with_other_columns_is_refused_clearly(void **state)
{
	static const char *const lines[] = {
		"1: unknown column 'code' (the columns are school_id, name, unit, level, ownership, "
		"portal_url, and optionally former_unit, former_province)",
		"1: unknown column 'ward' (the columns are school_id, name, unit, level, ownership, "
		"portal_url, and optionally former_unit, former_province)",
		"1: missing column 'school_id' (the header must name school_id, name, unit, level, "
		"ownership, portal_url)",
		"1: missing column 'unit' (the header must name school_id, name, unit, level, "
		"ownership, portal_url)",
		"1: missing column 'ownership' (the header must name school_id, name, unit, level, "
		"ownership, portal_url)",
		"1: missing column 'portal_url' (the header must name school_id, name, unit, level, "
		"ownership, portal_url)",
	};
	struct ctx *c = *state;
	const char *path = ward_list_path();
	struct outcome o;
	char *want;

	o = run_import(c->s, path);
	want = expected_errors(path, lines, 6);
	assert_int_equal(o.st, ST_INVALID);
	assert_string_equal(o.errs, want);
	assert_int_equal(count(c->s), 0);
	free(want);
	outcome_release(&o);
}

static status add_field(struct buf *b, const char *v, char sep)
{
	status st = buf_addc(b, '"');

	for (; st == ST_OK && *v; v++)
		st = *v == '"' ? buf_adds(b, "\"\"") : buf_addc(b, *v);
	if (st == ST_OK)
		st = buf_addc(b, '"');
	return st == ST_OK ? buf_addc(b, sep) : st;
}

/* Mapped to our columns (code -> school_id, ward -> unit, the portal
 * https://<code>.hcm.edu.vn), the list imports whole, names in NFD too. */
static void test_ward_list_mapped_to_contract_imports(void **state)
{
	struct ctx *c = *state;
	const char *src = ward_list_path();
	struct csv_reader *r = NULL;
	struct buf b = BUF_INIT(1 << 24);
	struct csv_record rec;
	struct outcome o, again;
	char *path, url[512];
	bool got;

	assert_int_equal(csv_open(&r, src), ST_OK);
	assert_int_equal(csv_next(r, &rec, &got), ST_OK); /* code,name,level,ward */
	assert_int_equal(buf_adds(&b, "school_id,name,unit,level,ownership,portal_url\r\n"), ST_OK);
	for (;;) {
		assert_int_equal(csv_next(r, &rec, &got), ST_OK);
		if (!got)
			break;
		assert_int_equal(rec.n, 4);
		snprintf(url, sizeof(url), "https://%s.hcm.edu.vn", rec.fields[0]);
		assert_int_equal(add_field(&b, rec.fields[0], ','), ST_OK);
		assert_int_equal(add_field(&b, rec.fields[1], ','), ST_OK);
		assert_int_equal(add_field(&b, rec.fields[3], ','), ST_OK);
		assert_int_equal(add_field(&b, rec.fields[2], ','), ST_OK);
		assert_int_equal(add_field(&b, "cong_lap", ','), ST_OK);
		assert_int_equal(add_field(&b, url, '\r'), ST_OK);
		assert_int_equal(buf_addc(&b, '\n'), ST_OK);
	}
	csv_free(r);
	path = tmp_csv(b.ptr, b.len);
	o = run_import(c->s, path);
	assert_int_equal(o.st, ST_OK);
	assert_string_equal(o.errs, "");
	assert_int_equal(o.res.total, 20);
	assert_int_equal(o.res.added, 20);
	assert_int_equal(count(c->s), 20);
	expect_ids(c->s, "phuongandong", "thcs", "thcskimdong");
	expect_ids(c->s, "phuongandong", "th", "thtranquoctoan");
	expect_ids(c->s, "xanhabe", NULL, "mnvanhkhuyen-nb thcsnhonduc thhiepphuoc");
	again = run_import(c->s, path);
	assert_int_equal(again.st, ST_OK);
	assert_int_equal(again.res.unchanged, 20);
	unlink(path);
	free(path);
	buf_release(&b);
	outcome_release(&o);
	outcome_release(&again);
}

static void test_former_columns_are_optional_and_complete(void **state)
{
	struct ctx *c = *state;
	struct outcome o;
	struct school_info si;
	const char *kind;

	/* On some rows only: an error naming the line, nothing written. */
	o = import_text(c->s,
			"school_id,name,unit,level,ownership,portal_url,former_province\n"
			"A,Trường A,Phường Một,th,cong_lap,,Tỉnh Bình Dương\n"
			"B,Trường B,Phường Một,th,cong_lap,,\n",
			NULL);
	assert_int_equal(o.st, ST_INVALID);
	assert_non_null(strstr(o.errs, ":3: empty former_province (the file has a "
				       "former_province column"));
	assert_int_equal(count(c->s), 0);
	outcome_release(&o);

	o = import_text(c->s,
			"school_id,name,unit,level,ownership,portal_url,former_unit,"
			"former_province\n"
			"A,Trường A,Phường Một,th,cong_lap,,Quận 1,Thành phố Hồ Chí Minh\n",
			NULL);
	assert_int_equal(o.st, ST_OK);
	outcome_release(&o);
	/* A file without the columns keeps the stored values. */
	o = import_text(c->s,
			"school_id,name,unit,level,ownership,portal_url\n"
			"A,Trường A mới,Phường Một,th,cong_lap,\n",
			NULL);
	assert_int_equal(o.st, ST_OK);
	assert_int_equal(o.res.updated, 1);
	assert_null(strstr(o.changes, "former"));
	outcome_release(&o);
	assert_int_equal(registry_get(c->s, "A", &si), ST_OK);
	assert_string_equal(si.name, "Trường A mới");
	assert_string_equal(si.former_unit, "Quận 1");
	assert_string_equal(si.former_province, "Thành phố Hồ Chí Minh");
	school_info_release(&si);

	assert_int_equal(registry_unit_kind("Phường Sài Gòn", false, &kind), ST_OK);
	assert_string_equal(kind, "phuong");
	assert_int_equal(registry_unit_kind("ĐẶC KHU Côn Đảo", false, &kind), ST_OK);
	assert_string_equal(kind, "dac_khu");
	assert_int_equal(registry_unit_kind("Thành phố Thủ Đức", false, &kind), ST_OK);
	assert_string_equal(kind, "thanh_pho");
	assert_int_equal(registry_unit_kind("Thành phố Hồ Chí Minh", true, &kind), ST_OK);
	assert_string_equal(kind, "thanh_pho_tw");
	assert_int_equal(registry_unit_kind("Sở", false, &kind), ST_OK);
	assert_string_equal(kind, "khac");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_good_file_imports_and_lists_with_filters),
		T(test_unknown_level_filter_is_invalid),
		T(test_get_missing_school_is_notfound),
		T(test_bad_file_reports_every_error_and_writes_nothing),
		T(test_bad_header_names_each_problem),
		T(test_reimport_updates_changed_schools_and_keeps_absent_ones),
		T(test_nfd_text_is_stored_as_nfc),
		cmocka_unit_test(test_levels_are_canonicalised),
		T(test_portal_urls_are_checked),
		T(test_header_only_is_zero_schools),
		T(test_empty_file_is_an_error),
		T(test_blank_rows_are_skipped),
		T(test_control_characters_are_rejected),
		T(test_errors_past_the_cap_are_counted),
		T(test_missing_file_is_an_io_error),
		T(test_ward_list_with_other_columns_is_refused_clearly),
		T(test_ward_list_mapped_to_contract_imports),
		T(test_former_columns_are_optional_and_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
