#include "app/cmd_schools.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/status.h"
#include "store/registry.h"

#define EXIT_OK 0
#define EXIT_INPUT 2
#define EXIT_RUNTIME 3

#define USAGE_IMPORT "usage: portal-audit [--db FILE] schools import FILE.csv"
#define USAGE_LIST                                                                                 \
	"usage: portal-audit [--db FILE] schools list [--unit U] [--level L] "                     \
	"[--format table|csv|json]"

enum list_format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON };

static int usage(const char *line)
{
	fprintf(stderr, "%s\n", line);
	return EXIT_INPUT;
}

/* Input problems (the user can fix them) exit 2; the rest exit 3. */
static int fail(status st)
{
	fprintf(stderr, "portal-audit: %s\n", status_message());
	return (st == ST_INVALID || st == ST_IO || st == ST_LIMIT || st == ST_PARSE ||
		st == ST_NOTFOUND)
		   ? EXIT_INPUT
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

static int cmd_import(struct store *s, int argc, char **argv)
{
	struct import_result res;
	const char *path;
	status st;
	int i = 2;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	else if (i < argc && argv[i][0] == '-' && argv[i][1])
		return usage(USAGE_IMPORT);
	if (argc - i != 1)
		return usage(USAGE_IMPORT);
	path = argv[i];
	st = registry_import(s, path, stderr, stdout, &res);
	if (st < 0)
		return fail(st);
	if (res.total == 0)
		fprintf(stderr, "portal-audit: %s: header only, no schools in the file\n", path);
	printf("imported %s: %d school%s (%d added, %d updated, %d unchanged)\n", path, res.total,
	       res.total == 1 ? "" : "s", res.added, res.updated, res.unchanged);
	return finish_output();
}

/* Terminal columns taken by s; control characters print as one '?'. */
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
		cw = cp < 0x20 || cp == 0x7f ? 1 : utf8proc_charwidth(cp);
		w += cw > 0 ? (size_t)cw : 0;
		p += k;
	}
	return w;
}

static void put_cell(const char *s, size_t pad)
{
	for (; *s; s++)
		putchar(((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s);
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
	bool quote =
	    formula || strpbrk(s, ",\"\r\n") || s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' ');

	if (quote)
		putchar('"');
	if (formula)
		putchar('\'');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	if (quote)
		putchar('"');
	fputs(last ? "\r\n" : ",", stdout);
}

static void print_csv(const struct school_info *v, size_t n)
{
	size_t i;

	fputs("school_id,name,unit,level,ownership,portal_url\r\n", stdout);
	for (i = 0; i < n; i++) {
		csv_cell(v[i].id, false);
		csv_cell(v[i].name, false);
		csv_cell(v[i].unit, false);
		csv_cell(v[i].level, false);
		csv_cell(v[i].ownership, false);
		csv_cell(v[i].portal_url ? v[i].portal_url : "", true);
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

		if (c == '"' || c == '\\')
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
		putchar('}');
	}
	fputs(n ? "\n]\n" : "]\n", stdout);
}

/* Reads "--name VALUE" or "--name=VALUE" at argv[*i]; true when matched
 * (*val is NULL when the value is missing). */
static bool option(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return false;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return true;
	}
	if (argv[*i][n] != '\0')
		return false;
	*val = *i + 1 < argc ? argv[++*i] : NULL;
	return true;
}

static int cmd_list(struct store *s, int argc, char **argv)
{
	struct registry_filter f = REGISTRY_FILTER_INIT;
	enum list_format format = FORMAT_TABLE;
	struct school_info *v = NULL;
	const char *val = NULL;
	size_t n = 0;
	status st;
	int i;

	for (i = 2; i < argc; i++) {
		if (option(argc, argv, &i, "--unit", &val)) {
			f.unit = val;
		} else if (option(argc, argv, &i, "--level", &val)) {
			f.level = val;
		} else if (option(argc, argv, &i, "--format", &val)) {
			if (val && strcmp(val, "table") == 0)
				format = FORMAT_TABLE;
			else if (val && strcmp(val, "csv") == 0)
				format = FORMAT_CSV;
			else if (val && strcmp(val, "json") == 0)
				format = FORMAT_JSON;
			else
				return usage(USAGE_LIST);
		} else {
			return usage(USAGE_LIST);
		}
		if (!val)
			return usage(USAGE_LIST);
	}
	st = registry_list(s, &f, &v, &n);
	if (st == ST_INVALID) {
		fprintf(stderr, "portal-audit: schools list: --level: %s\n", status_message());
		return usage(USAGE_LIST);
	}
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

int cmd_schools(struct store *s, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "import") == 0)
		return cmd_import(s, argc, argv);
	if (strcmp(sub, "list") == 0)
		return cmd_list(s, argc, argv);
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
		printf("%s\n%s\n", USAGE_IMPORT, USAGE_LIST);
		return finish_output();
	}
	if (*sub)
		fprintf(stderr, "portal-audit: schools: unknown subcommand '%s'\n", sub);
	fprintf(stderr, "%s\n%s\n", USAGE_IMPORT, USAGE_LIST);
	return EXIT_INPUT;
}
