#include "reports/table.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/finding.h"
#include "core/str.h"
#include "reports/escape.h"
#include "reports/wording.h"

/* Widest text column in terminal output; longer cells are cut with "…". */
#define TEXT_COL_MAX 40

void table_init(struct table *t, const char *key, const char *title)
{
	memset(t, 0, sizeof(*t));
	t->key = key;
	t->title = title;
}

void table_release(struct table *t)
{
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		free(t->cols[i].key);
		free(t->cols[i].label);
	}
	free(t->cols);
	free(t->cells);
	str_free_array(t->owned, t->nowned);
	memset(t, 0, sizeof(*t));
}

static void oom(struct table *t)
{
	if (t->st == ST_OK)
		t->st = status_set(ST_NOMEM, "out of memory building a report table");
}

void table_col(struct table *t, const char *key, const char *label, enum col_type type)
{
	struct col *c;

	if (t->st != ST_OK)
		return;
	if (ARRAY_RESIZE(t->cols, t->ncols + 1) < 0) {
		oom(t);
		return;
	}
	c = &t->cols[t->ncols];
	c->key = str_dup(key);
	c->label = str_dup(label);
	c->type = type;
	t->ncols++;
	if (!c->key || !c->label)
		oom(t);
}

size_t table_row(struct table *t)
{
	if (t->st != ST_OK || !t->ncols) {
		if (!t->ncols && t->st == ST_OK)
			t->st = status_set(ST_INVALID, "report table %s has no columns", t->key);
		return t->nrows ? t->nrows - 1 : 0;
	}
	if (t->nrows == t->cap) {
		size_t ncells = t->cap * t->ncols;

		if (ARRAY_GROW(t->cells, (t->nrows + 1) * t->ncols, ncells) < 0) {
			oom(t);
			return t->nrows ? t->nrows - 1 : 0;
		}
		t->cap = ncells / t->ncols;
	}
	memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof(struct cell));
	return t->nrows++;
}

void table_foot(struct table *t)
{
	t->foot = t->nrows;
	t->has_foot = true;
}

bool table_is_foot(const struct table *t, size_t row)
{
	return t->has_foot && row >= t->foot;
}

static struct cell *at(struct table *t, size_t row, size_t col)
{
	if (t->st != ST_OK || row >= t->nrows || col >= t->ncols)
		return NULL;
	return &t->cells[row * t->ncols + col];
}

const struct cell *table_cell(const struct table *t, size_t row, size_t col)
{
	return &t->cells[row * t->ncols + col];
}

void table_text(struct table *t, size_t row, size_t col, const char *s)
{
	struct cell *c = at(t, row, col);

	if (c && s) {
		c->set = true;
		c->s = s;
	}
}

void table_num(struct table *t, size_t row, size_t col, double v)
{
	struct cell *c = at(t, row, col);

	if (c) {
		c->set = true;
		c->v = v;
	}
}

void table_own(struct table *t, size_t row, size_t col, char *s)
{
	if (!s || t->st != ST_OK) {
		free(s);
		if (!s)
			oom(t);
		return;
	}
	if (ARRAY_RESIZE(t->owned, t->nowned + 1) < 0) {
		free(s);
		oom(t);
		return;
	}
	t->owned[t->nowned++] = s;
	table_text(t, row, col, s);
}

static const char *const status_keys[] = {"improved", "worsened",    "unchanged",   "new",
					  "gone",     "not_crawled", "not_compared"};
static const char *const status_labels[] = {
	"Tiến bộ", "Giảm", "Không đổi", "Mới", "Không còn", "Chưa thu thập", "Không so sánh được"};

const char *table_status_label(const char *key)
{
	size_t i;

	for (i = 0; key && i < sizeof(status_keys) / sizeof(status_keys[0]); i++)
		if (strcmp(key, status_keys[i]) == 0)
			return status_labels[i];
	return key ? key : "—";
}

static bool is_num(enum col_type t)
{
	return t != COL_TEXT && t != COL_STATUS && t != COL_VERDICT && t != COL_LEVEL;
}

static void signed_vi(char *dst, size_t n, double v, int decimals, const char *unit)
{
	char num[40];

	out_fmt_vi(num, sizeof(num), v < 0 ? -v : v, decimals);
	/* A change that rounds to zero is shown unsigned. */
	if (strcmp(num, "0,0") == 0 || strcmp(num, "0") == 0)
		snprintf(dst, n, "%s%s", num, unit);
	else
		snprintf(dst, n, "%s%s%s", v < 0 ? "−" : "+", num, unit);
}

/* The human form of a cell: trusted text in dst, or NULL with *raw set to
 * the untrusted string the caller must escape. */
static const char *human(const struct col *c, const struct cell *x, char *dst, size_t n,
			 const char **raw)
{
	enum verdict v;

	*raw = NULL;
	if (!x->set)
		return "—";
	switch (c->type) {
	case COL_TEXT:
		*raw = x->s;
		return NULL;
	case COL_LEVEL: /* an unknown code stays as it is: escaped */
		*raw = wording_level(dst, n, x->s);
		return NULL;
	case COL_INT:
		snprintf(dst, n, "%.0f", x->v);
		return dst;
	case COL_SCORE:
		out_fmt_vi(dst, n, x->v, 1);
		return dst;
	case COL_PCT: {
		char num[40];

		out_fmt_vi(num, sizeof(num), x->v * 100, 1);
		snprintf(dst, n, "%s%%", num);
		return dst;
	}
	case COL_DELTA:
		signed_vi(dst, n, x->v, 1, "");
		return dst;
	case COL_PDELTA:
		signed_vi(dst, n, x->v * 100, 1, " điểm %");
		return dst;
	case COL_STATUS:
		return table_status_label(x->s);
	case COL_VERDICT:
		if (x->s && verdict_parse(x->s, &v) == ST_OK)
			return verdict_label(v);
		return "—";
	}
	return "—";
}

/* Display width of a cell in the terminal. */
static size_t width_of(const struct col *c, const struct cell *x)
{
	char tmp[64];
	const char *raw, *h = human(c, x, tmp, sizeof(tmp), &raw);
	struct buf b = BUF_INIT(1u << 20);
	size_t w;

	if (h)
		return escape_text_width(h);
	if (escape_text(&b, raw) < 0) {
		buf_release(&b);
		return TEXT_COL_MAX;
	}
	w = escape_text_width(buf_str(&b));
	buf_release(&b);
	return w > TEXT_COL_MAX ? TEXT_COL_MAX : w;
}

static void text_cell(struct out *o, const struct col *c, const struct cell *x, size_t w)
{
	char tmp[64];
	const char *raw, *h = human(c, x, tmp, sizeof(tmp), &raw);
	size_t pad;

	if (!h) {
		out_text_col(o, raw, w);
		return;
	}
	pad = escape_text_width(h);
	pad = pad < w ? w - pad : 0;
	if (is_num(c->type))
		for (; pad; pad--)
			out_s(o, " ");
	out_s(o, h);
	if (!is_num(c->type))
		for (; pad; pad--)
			out_s(o, " ");
}

void table_write_text(struct out *o, const struct table *t)
{
	size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(*w));
	size_t r, c, total = 0;

	if (!w) {
		if (o->st == ST_OK)
			o->st = status_set(ST_NOMEM, "out of memory writing a table");
		return;
	}
	for (c = 0; c < t->ncols; c++) {
		w[c] = escape_text_width(t->cols[c].label);
		for (r = 0; r < t->nrows; r++) {
			size_t cw = width_of(&t->cols[c], table_cell(t, r, c));

			w[c] = cw > w[c] ? cw : w[c];
		}
		total += w[c] + 2;
	}
	out_s(o, "\n");
	out_text(o, t->title);
	out_s(o, ":\n");
	for (c = 0; c < t->ncols; c++) {
		size_t pad = w[c] - escape_text_width(t->cols[c].label);

		out_s(o, "  ");
		for (; is_num(t->cols[c].type) && pad; pad--)
			out_s(o, " ");
		out_text(o, t->cols[c].label);
		for (; pad; pad--)
			out_s(o, " ");
	}
	out_s(o, "\n");
	for (r = 0; r < t->nrows; r++) {
		if (t->has_foot && r == t->foot) {
			out_s(o, "  ");
			for (c = 2; c < total; c++)
				out_s(o, "-");
			out_s(o, "\n");
		}
		for (c = 0; c < t->ncols; c++) {
			out_s(o, "  ");
			text_cell(o, &t->cols[c], table_cell(t, r, c), w[c]);
		}
		out_s(o, "\n");
	}
	if (!t->nrows)
		out_s(o, "  (không có dòng nào)\n");
	free(w);
}

void table_write_md(struct out *o, const struct table *t)
{
	char tmp[64];
	size_t r, c;

	out_s(o, "\n## ");
	out_md(o, t->title);
	out_s(o, "\n\n|");
	for (c = 0; c < t->ncols; c++) {
		out_s(o, " ");
		out_md(o, t->cols[c].label);
		out_s(o, " |");
	}
	out_s(o, "\n|");
	for (c = 0; c < t->ncols; c++)
		out_s(o, is_num(t->cols[c].type) ? " ---: |" : " --- |");
	out_s(o, "\n");
	for (r = 0; r < t->nrows; r++) {
		bool bold = table_is_foot(t, r);

		out_s(o, "|");
		for (c = 0; c < t->ncols; c++) {
			const char *raw, *h = human(&t->cols[c], table_cell(t, r, c), tmp,
						    sizeof(tmp), &raw);

			out_s(o, bold ? " **" : " ");
			if (h)
				out_s(o, h);
			else
				out_md(o, raw);
			out_s(o, bold ? "** |" : " |");
		}
		out_s(o, "\n");
	}
}

/* The machine form of a number: an integer for counts, else out_num. */
static void machine_num(struct out *o, const struct col *c, const struct cell *x)
{
	if (c->type == COL_INT)
		out_f(o, "%.0f", x->v);
	else
		out_num(o, x->v);
}

void table_write_csv(struct out *o, const struct table *t)
{
	size_t r, c;

	for (c = 0; c < t->ncols; c++) {
		out_s(o, c ? "," : "");
		out_csv(o, t->cols[c].key);
	}
	out_s(o, "\r\n");
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const struct cell *x = table_cell(t, r, c);

			out_s(o, c ? "," : "");
			if (!x->set)
				continue;
			if (is_num(t->cols[c].type))
				machine_num(o, &t->cols[c], x);
			else
				out_csv(o, x->s);
		}
		out_s(o, "\r\n");
	}
}

void table_write_json(struct out *o, const struct table *t, int indent)
{
	size_t r, c;

	if (!t->nrows) {
		out_s(o, "[]");
		return;
	}
	out_s(o, "[");
	for (r = 0; r < t->nrows; r++) {
		out_f(o, "%s\n%*s{", r ? "," : "", indent + 2, "");
		for (c = 0; c < t->ncols; c++) {
			const struct cell *x = table_cell(t, r, c);

			out_s(o, c ? ", " : "");
			out_json(o, t->cols[c].key);
			out_s(o, ": ");
			if (!x->set)
				out_s(o, "null");
			else if (is_num(t->cols[c].type))
				machine_num(o, &t->cols[c], x);
			else
				out_json(o, x->s);
		}
		out_s(o, "}");
	}
	out_f(o, "\n%*s]", indent, "");
}

static void html_cell(struct out *o, const struct col *c, const struct cell *x)
{
	char tmp[64];
	const char *raw, *h = human(c, x, tmp, sizeof(tmp), &raw);
	const char *move = "";

	/* Colour a change only when it shows as one (not "0,0"). */
	if (x->set && (c->type == COL_DELTA || c->type == COL_PDELTA) && h[0] != '0')
		move = x->v > 0 ? " up" : " down";
	/* Rates are shaded so a printed page reads like a heat map. */
	if (x->set && c->type == COL_PCT)
		move = x->v >= 0.9 ? " p-hi" : x->v >= 0.5 ? " p-mid" : " p-lo";
	if (is_num(c->type))
		out_f(o, "<td class=\"num%s\">", move);
	else
		out_s(o, "<td>");
	if (!x->set)
		out_s(o, "—");
	else if (c->type == COL_STATUS)
		out_f(o, "<span class=\"st st-%s\">%s</span>", h == x->s ? "other" : x->s, h);
	else if (c->type == COL_VERDICT)
		out_f(o, "<span class=\"v v-%s\">%s</span>", strcmp(h, "—") ? x->s : "none", h);
	else if (h)
		out_s(o, h);
	else
		out_html(o, raw);
	out_s(o, "</td>");
}

void table_write_html(struct out *o, const struct table *t)
{
	size_t r, c;

	out_s(o, "<h2>");
	out_html(o, t->title);
	out_f(o, "</h2>\n<table class=\"t-%s\">\n<thead><tr>", t->key);
	for (c = 0; c < t->ncols; c++) {
		out_s(o, is_num(t->cols[c].type) ? "<th class=\"num\">" : "<th>");
		out_html(o, t->cols[c].label);
		out_s(o, "</th>");
	}
	out_s(o, "</tr></thead>\n<tbody>\n");
	for (r = 0; r < t->nrows; r++) {
		if (t->has_foot && r == t->foot)
			out_s(o, "</tbody>\n<tfoot>\n");
		out_s(o, "<tr>");
		for (c = 0; c < t->ncols; c++)
			html_cell(o, &t->cols[c], table_cell(t, r, c));
		out_s(o, "</tr>\n");
	}
	if (!t->nrows)
		out_f(o, "<tr><td colspan=\"%zu\">Không có dòng nào.</td></tr>\n", t->ncols);
	out_s(o,
	      t->has_foot && t->foot < t->nrows ? "</tfoot>\n</table>\n" : "</tbody>\n</table>\n");
}
