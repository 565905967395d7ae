#include "app/listing.h"

#include <string.h>

#include "app/app.h"
#include "reports/escape.h"

#define MAX_WIDTH 40

int listing_format_parse(const char *cmd, const char *v, enum listing_format *out)
{
	if (strcmp(v, "table") == 0)
		*out = LISTING_TABLE;
	else if (strcmp(v, "csv") == 0)
		*out = LISTING_CSV;
	else if (strcmp(v, "json") == 0)
		*out = LISTING_JSON;
	else
		return app_usage("%s: --format: want table, csv or json, not '%s'", cmd, v);
	return EXIT_OK;
}

static const char *shown(const char *t)
{
	return t && *t ? t : "-";
}

static void print_table(struct out *o, const struct listing *l)
{
	size_t width[32], i, w;
	char num[24];
	int c, n = l->ncols < 32 ? l->ncols : 32;

	for (c = 0; c < n; c++)
		width[c] = strlen(l->heads[c]);
	for (i = 0; i < l->nrows; i++)
		for (c = 0; c < n; c++) {
			w = escape_text_width(shown(l->cell(l->rows, i, c, num)));
			if (w > width[c])
				width[c] = w > MAX_WIDTH ? MAX_WIDTH : w;
		}
	for (c = 0; c < n; c++)
		out_text_col(o, l->heads[c], c < n - 1 ? width[c] + 2 : strlen(l->heads[c]));
	out_s(o, "\n");
	for (i = 0; i < l->nrows; i++) {
		for (c = 0; c < n; c++) {
			const char *t = shown(l->cell(l->rows, i, c, num));

			if (c < n - 1)
				out_text_col(o, t, width[c] + 2);
			else
				out_text(o, t);
		}
		out_s(o, "\n");
	}
}

static void print_csv(struct out *o, const struct listing *l)
{
	char num[24];
	size_t i;
	int c;

	for (c = 0; c < l->ncols; c++) {
		out_csv(o, l->heads[c]);
		out_s(o, c < l->ncols - 1 ? "," : "\r\n");
	}
	for (i = 0; i < l->nrows; i++)
		for (c = 0; c < l->ncols; c++) {
			out_csv(o, l->cell(l->rows, i, c, num));
			out_s(o, c < l->ncols - 1 ? "," : "\r\n");
		}
}

static void print_json(struct out *o, const struct listing *l)
{
	char num[24];
	size_t i;
	int c;

	out_s(o, "[");
	for (i = 0; i < l->nrows; i++) {
		out_s(o, i ? ",\n  {" : "\n  {");
		for (c = 0; c < l->ncols; c++) {
			out_f(o, "%s\"%s\": ", c ? ", " : "", l->heads[c]);
			if (l->numeric & (1u << c))
				out_s(o, l->cell(l->rows, i, c, num));
			else
				out_json(o, l->cell(l->rows, i, c, num));
		}
		out_s(o, "}");
	}
	out_s(o, l->nrows ? "\n]\n" : "]\n");
}

void listing_print(struct out *o, enum listing_format fmt, const struct listing *l)
{
	if (fmt == LISTING_TABLE)
		print_table(o, l);
	else if (fmt == LISTING_CSV)
		print_csv(o, l);
	else
		print_json(o, l);
}

int listing_stdout(struct app *a, enum listing_format fmt, const struct listing *l)
{
	struct out o;
	status st;

	out_init(&o, stdout, &a->stop);
	listing_print(&o, fmt, l);
	st = out_finish(&o);
	return st < 0 ? app_fail(st) : EXIT_OK;
}
