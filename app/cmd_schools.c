#include "app/cmd_schools.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "app/app.h"
#include "core/status.h"
#include "reports/escape.h"
#include "store/registry.h"

enum list_format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON };

const struct cli_command cmd_schools_import_cli = {
	"schools import",
	"FILE.csv",
	"Registers or updates schools from a registry CSV file.",
	"Creates the database when it does not exist.  All or nothing: one bad row\n"
	"rejects the file, every error printed as file:line: what is wrong.  Columns:\n"
	"school_id, name, unit, level, ownership, portal_url.  Schools missing from\n"
	"the file are kept (a file may cover one district only).\n",
	{NULL},
};

static const struct cli_opt list_opts[] = {
	{"--unit", NULL, CLI_STR, "U", NULL, "only the schools of this unit", OPT_UNIT, 0, 0},
	{"--level", NULL, CLI_STR, "L", NULL, "only this level: mn, th, thcs, thpt, gdtx",
	 OPT_LEVEL, 0, 0},
	{"--format", NULL, CLI_STR, "table|csv|json", "table",
	 "csv can be imported again; json is an array of objects", OPT_FORMAT, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group list_group = {"List options", list_opts};

const struct cli_command cmd_schools_list_cli = {
	"schools list", "[OPTIONS]", "Lists the registry.", NULL, {&list_group},
};

static int usage(const struct cli_command *cmd, const char *what, const char *word)
{
	return app_usage("%s: %s '%s' (see portal-audit %s --help)", cmd->name, what, word,
			 cmd->name);
}

/* Input problems (the user can fix them) exit 2; the rest exit 3. */
static int fail(status st)
{
	fprintf(stderr, "portal-audit: %s\n", status_message());
	return (st == ST_INVALID || st == ST_IO || st == ST_LIMIT || st == ST_PARSE ||
		st == ST_NOTFOUND)
		       ? EXIT_USAGE
		       : EXIT_RUNTIME;
}

/* stdout may be a closed pipe or a full disk: a listing that was not
 * written is a failure, not a success. */
static int finish_output(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "portal-audit: cannot write the output\n");
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

static int cmd_import(struct app *a, int argc, char **argv)
{
	struct import_result res;
	struct store *s = NULL;
	const char *path = NULL;
	struct args ar;
	status st;
	int id, rc;

	args_init(&ar, argc, argv, 2);
	while ((id = cli_next(&ar, &cmd_schools_import_cli)) == CLI_OPERAND) {
		if (path)
			return usage(&cmd_schools_import_cli, "one file only, not also", ar.val);
		path = ar.val;
	}
	if (id != CLI_END)
		return EXIT_USAGE;
	if (!path)
		return app_usage(
			"schools import: which file? (see portal-audit schools import --help)");
	rc = app_open_store(&s, a, STORE_WRITE | STORE_CREATE);
	if (rc != EXIT_OK)
		return rc;
	st = registry_import(s, path, stderr, stdout, &res);
	store_free(s);
	if (st < 0)
		return fail(st);
	if (res.total == 0)
		fprintf(stderr, "portal-audit: %s: header only, no schools in the file\n", path);
	printf("imported %s: %d school%s (%d added, %d updated, %d unchanged)\n", path, res.total,
	       res.total == 1 ? "" : "s", res.added, res.updated, res.unchanged);
	return finish_output();
}

/* Terminal columns taken by s; control and bidi characters print as one
 * '?' (put_cell). */
static size_t display_width(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t w = 0;

	while (*p) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
		int cw;

		if (k <= 0) {
			w++;
			p++;
			continue;
		}
		cw = cp < 0x20 || cp == 0x7f || escape_is_bidi(cp) ? 1 : utf8proc_charwidth(cp);
		w += cw > 0 ? (size_t)cw : 0;
		p += k;
	}
	return w;
}

/* The length of the bidi control starting s (escape_is_bidi), else 0. */
static size_t bidi_at(const char *s)
{
	size_t adv;
	int32_t cp = (unsigned char)*s >= 0x80 ? escape_utf8_next(s, strlen(s), &adv) : -1;

	return cp >= 0 && escape_is_bidi(cp) ? adv : 0;
}

static void put_cell(const char *s, size_t pad)
{
	while (*s) {
		size_t k = bidi_at(s);

		putchar(k || (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
		s += k ? k : 1;
	}
	while (pad--)
		putchar(' ');
}

static const char *cell(const struct school_info *si, int col)
{
	const char *v[6] = {si->id, si->name, si->unit, si->level, si->ownership, si->portal_url};

	return v[col] && *v[col] ? v[col] : "-";
}

static void print_table(const struct school_info *v, size_t n)
{
	static const char *const head[6] = {"ID", "NAME", "UNIT", "LEVEL", "OWNERSHIP", "PORTAL"};
	size_t width[6], i;
	int c;

	for (c = 0; c < 6; c++)
		width[c] = strlen(head[c]);
	for (i = 0; i < n; i++)
		for (c = 0; c < 6; c++) {
			size_t w = display_width(cell(&v[i], c));

			if (w > width[c])
				width[c] = w;
		}
	for (c = 0; c < 6; c++)
		put_cell(head[c], c < 5 ? width[c] - strlen(head[c]) + 2 : 0);
	putchar('\n');
	for (i = 0; i < n; i++) {
		for (c = 0; c < 6; c++) {
			const char *t = cell(&v[i], c);

			put_cell(t, c < 5 ? width[c] - display_width(t) + 2 : 0);
		}
		putchar('\n');
	}
}

/* One RFC 4180 cell.  A leading ' defuses cells a spreadsheet would read
 * as a formula (DESIGN.md §4, "Safe"). */
static void csv_cell(const char *s, bool last)
{
	bool formula = strchr("=+-@\t\r", s[0]) && s[0];
	bool quote = formula || strpbrk(s, ",\"\r\n") || s[0] == ' ' ||
		     (s[0] && s[strlen(s) - 1] == ' ');

	if (quote)
		putchar('"');
	if (formula)
		putchar('\'');
	while (*s) {
		size_t k = bidi_at(s);

		if (k) {
			fputs("\xEF\xBF\xBD", stdout); /* U+FFFD: no raw bidi control */
			s += k;
			continue;
		}
		if (*s == '"')
			putchar('"');
		putchar(*s++);
	}
	if (quote)
		putchar('"');
	fputs(last ? "\r\n" : ",", stdout);
}

/* The former_unit and former_province columns are listed when a school
 * has one, so a registry without them lists (and re-imports) as before. */
static bool any_former(const struct school_info *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].former_unit || v[i].former_province)
			return true;
	return false;
}

static void print_csv(const struct school_info *v, size_t n)
{
	bool former = any_former(v, n);
	size_t i;

	fputs(former ? "school_id,name,unit,level,ownership,portal_url,former_unit,former_province\r\n"
		     : "school_id,name,unit,level,ownership,portal_url\r\n",
	      stdout);
	for (i = 0; i < n; i++) {
		csv_cell(v[i].id, false);
		csv_cell(v[i].name, false);
		csv_cell(v[i].unit, false);
		csv_cell(v[i].level, false);
		csv_cell(v[i].ownership, false);
		csv_cell(v[i].portal_url ? v[i].portal_url : "", !former);
		if (former) {
			csv_cell(v[i].former_unit ? v[i].former_unit : "", false);
			csv_cell(v[i].former_province ? v[i].former_province : "", true);
		}
	}
}

static void json_string(const char *s)
{
	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t k = bidi_at(s);

		if (k) {
			size_t adv;

			printf("\\u%04x", (unsigned)escape_utf8_next(s, k, &adv));
			s += k - 1;
		} else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_json(const struct school_info *v, size_t n)
{
	size_t i;

	putchar('[');
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n  {\"id\": " : "\n  {\"id\": ", stdout);
		json_string(v[i].id);
		fputs(", \"name\": ", stdout);
		json_string(v[i].name);
		fputs(", \"unit\": ", stdout);
		json_string(v[i].unit);
		fputs(", \"level\": ", stdout);
		json_string(v[i].level);
		fputs(", \"ownership\": ", stdout);
		json_string(v[i].ownership);
		fputs(", \"portal_url\": ", stdout);
		json_string(v[i].portal_url && *v[i].portal_url ? v[i].portal_url : NULL);
		if (v[i].former_unit) {
			fputs(", \"former_unit\": ", stdout);
			json_string(v[i].former_unit);
		}
		if (v[i].former_province) {
			fputs(", \"former_province\": ", stdout);
			json_string(v[i].former_province);
		}
		putchar('}');
	}
	fputs(n ? "\n]\n" : "]\n", stdout);
}

/* Parses the options of schools list; an exit code. */
static int list_parse(int argc, char **argv, struct registry_filter *f, enum list_format *format)
{
	const struct cli_command *cmd = &cmd_schools_list_cli;
	struct args ar;
	int id;

	args_init(&ar, argc, argv, 2);
	while ((id = cli_next(&ar, cmd)) != CLI_END && !ar.bad) {
		if (id == OPT_UNIT) {
			f->unit = ar.val;
		} else if (id == OPT_LEVEL) {
			f->level = ar.val;
		} else if (id == OPT_FORMAT) {
			if (strcmp(ar.val, "table") == 0)
				*format = FORMAT_TABLE;
			else if (strcmp(ar.val, "csv") == 0)
				*format = FORMAT_CSV;
			else if (strcmp(ar.val, "json") == 0)
				*format = FORMAT_JSON;
			else
				return usage(cmd, "--format: want table, csv or json, not", ar.val);
		} else {
			return usage(cmd, "unexpected", ar.val);
		}
	}
	return ar.bad ? EXIT_USAGE : EXIT_OK;
}

static int cmd_list(struct app *a, int argc, char **argv)
{
	struct registry_filter f = REGISTRY_FILTER_INIT;
	enum list_format format = FORMAT_TABLE;
	struct school_info *v = NULL;
	struct store *s = NULL;
	size_t n = 0;
	status st;
	int rc;

	rc = list_parse(argc, argv, &f, &format);
	if (rc == EXIT_OK)
		rc = app_open_store(&s, a, STORE_READ);
	if (rc != EXIT_OK)
		return rc;
	st = registry_list(s, &f, &v, &n);
	store_free(s);
	if (st == ST_INVALID)
		return app_usage("schools list: --level: %s", status_message());
	if (st < 0)
		return fail(st);
	if (format == FORMAT_TABLE)
		print_table(v, n);
	else if (format == FORMAT_CSV)
		print_csv(v, n);
	else
		print_json(v, n);
	registry_list_free(v, n);
	if (format == FORMAT_TABLE && n == 0)
		fprintf(stderr, "portal-audit: no schools match\n");
	return finish_output();
}

int cmd_schools(struct app *a, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "import") == 0)
		return cmd_import(a, argc, argv);
	return cmd_list(a, argc, argv);
}
