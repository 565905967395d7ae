/* XLSX through libxlsxwriter: a sheet per table, numbers as numbers,
 * percentages formatted, frozen header rows and autofilters.  Text cells
 * go through escape_cell, so no crawled string reads as a formula.
 *
 * libxlsxwriter writes only to a named file, so the workbook is built in a
 * private temporary file, copied to the caller's FILE, and removed. */
#include "reports/writer.h"

#ifdef PA_HAVE_XLSX

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/buf.h"
#include "reports/doc.h"
#include "reports/escape.h"
#include "reports/wording.h"
#include "reports/out.h"

/* Excel's limit on the characters of one cell; kept in bytes, which is
 * stricter. */
#define CELL_MAX 32767

struct xw {
	lxw_workbook *wb;
	lxw_format *head, *pct, *dec, *wrap, *sdec, *spct;
	struct buf tmp;
	status st;
	const volatile sig_atomic_t *stop;
	char path[256];
};

/* True once the workbook failed or was stopped (checked per cell, so a
 * large sheet stops at once). */
static bool failed(struct xw *x)
{
	if (x->st == ST_OK && x->stop && *x->stop)
		x->st = status_set(ST_INTERRUPTED, "report interrupted");
	return x->st != ST_OK;
}

static void fail(struct xw *x, lxw_error e, const char *what)
{
	if (e != LXW_NO_ERROR && x->st == ST_OK)
		x->st = status_set(ST_IO, "xlsx: %s: %s", what, lxw_strerror(e));
}

static void str(struct xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s)
{
	status st;

	if (!s || failed(x))
		return;
	buf_reset(&x->tmp);
	if ((st = escape_cell(&x->tmp, s)) < 0) {
		x->st = st;
		return;
	}
	if (x->tmp.len > CELL_MAX - 4) {
		/* Cut on a code point boundary and say so with an ellipsis. */
		size_t cut = CELL_MAX - 4;

		while (cut > 0 && ((unsigned char)x->tmp.ptr[cut] & 0xC0) == 0x80)
			cut--;
		memcpy(x->tmp.ptr + cut, "…", sizeof("…"));
	}
	fail(x, worksheet_write_string(ws, r, c, buf_str(&x->tmp), NULL), "write text");
}

static void num(struct xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
	if (!failed(x) && isfinite(v))
		fail(x, worksheet_write_number(ws, r, c, v, f), "write number");
}

/* A sheet with a bold, frozen header row and column widths. */
static lxw_worksheet *sheet(struct xw *x, const char *name, const char *const *cols,
			    const double *widths, size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	size_t i;

	if (!ws) {
		if (x->st == ST_OK)
			x->st = status_set(ST_NOMEM, "xlsx: cannot add sheet %s", name);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		fail(x, worksheet_write_string(ws, 0, (lxw_col_t)i, cols[i], x->head), "header");
		fail(x, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL),
		     "column");
	}
	worksheet_freeze_panes(ws, 1, 0);
	return ws;
}

static void filter(struct xw *x, lxw_worksheet *ws, size_t rows, size_t cols)
{
	if (ws && x->st == ST_OK)
		fail(x, worksheet_autofilter(ws, 0, 0, (lxw_row_t)rows, (lxw_col_t)(cols - 1)),
		     "autofilter");
}

static status xw_open(struct xw *x, const volatile sig_atomic_t *stop)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	memset(x, 0, sizeof(*x));
	x->stop = stop;
	buf_init(&x->tmp, 1u << 20);
	snprintf(x->path, sizeof(x->path), "%s/portal-audit-XXXXXX.xlsx",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemps(x->path, 5);
	if (fd < 0) {
		x->path[0] = '\0';
		return status_set(ST_IO, "xlsx: cannot create a temporary file");
	}
	close(fd);
	x->wb = workbook_new(x->path);
	if (!x->wb)
		return status_set(ST_IO, "xlsx: cannot start a workbook");
	x->head = workbook_add_format(x->wb);
	x->pct = workbook_add_format(x->wb);
	x->dec = workbook_add_format(x->wb);
	x->wrap = workbook_add_format(x->wb);
	x->sdec = workbook_add_format(x->wb);
	x->spct = workbook_add_format(x->wb);
	if (!x->head || !x->pct || !x->dec || !x->wrap || !x->sdec || !x->spct)
		return status_set(ST_NOMEM, "xlsx: out of memory");
	format_set_bold(x->head);
	format_set_bg_color(x->head, 0xF6F8FA);
	format_set_num_format(x->pct, "0.0%");
	format_set_num_format(x->dec, "0.0");
	format_set_text_wrap(x->wrap);
	/* Changes carry their sign; a percentage change is in points. */
	format_set_num_format(x->sdec, "+0.0;-0.0;0.0");
	format_set_num_format(x->spct, "+0.0%;-0.0%;0.0%");
	return ST_OK;
}

/* Closes the workbook, copies it to f and removes the temporary file. */
static status xw_close(struct xw *x, FILE *f, status st)
{
	char chunk[65536];
	FILE *in = NULL;
	size_t n;

	if (x->wb && st != ST_OK) {
		/* Nothing of a failed workbook is wanted: free it unwritten. */
		lxw_workbook_free(x->wb);
	} else if (x->wb) {
		lxw_error e = workbook_close(x->wb);

		if (e != LXW_NO_ERROR)
			st = status_set(ST_IO, "xlsx: %s", lxw_strerror(e));
	}
	if (st == ST_OK && !(in = fopen(x->path, "rb")))
		st = status_set(ST_IO, "xlsx: cannot reopen %s", x->path);
	while (st == ST_OK && (n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (fwrite(chunk, 1, n, f) != n)
			st = status_set(ST_IO, "cannot write the report");
	if (st == ST_OK && (ferror(in) || fflush(f) != 0))
		st = status_set(ST_IO, "cannot write the report");
	if (in)
		fclose(in);
	if (x->path[0])
		unlink(x->path);
	buf_release(&x->tmp);
	return st;
}

static size_t info_row(struct xw *x, lxw_worksheet *ws, size_t r, const char *k, const char *v)
{
	str(x, ws, (lxw_row_t)r, 0, k);
	str(x, ws, (lxw_row_t)r, 1, v ? v : "");
	return r + 1;
}

static size_t info_run(struct xw *x, lxw_worksheet *ws, size_t r, const char *k, int64_t id)
{
	str(x, ws, (lxw_row_t)r, 0, k);
	if (id)
		num(x, ws, (lxw_row_t)r, 1, (double)id, NULL);
	return r + 1;
}

/* The sheet of facts every report states: runs, rule set, formula,
 * bands and weights. */
static lxw_worksheet *info_sheet(struct xw *x, const struct report_facts *fx,
				 const char *const facts[][2], size_t nfacts, size_t *next)
{
	const struct report_scoring *s = fx->scoring;
	static const char *const cols[] = {"Mục", "Giá trị", "Trọng số"};
	static const double widths[] = {34, 60, 12};
	char formula[512];
	lxw_worksheet *ws = sheet(x, "Thông tin", cols, widths, 3);
	size_t r = 1, i;

	if (!ws)
		return NULL;
	for (i = 0; i < nfacts; i++)
		r = info_row(x, ws, r, facts[i][0], facts[i][1]);
	r = info_run(x, ws, r, "Lần thu thập", fx->crawl_run);
	r = info_run(x, ws, r, "Lần đánh giá", fx->audit_run);
	r = info_row(x, ws, r, "Bộ quy tắc", fx->ruleset);
	r = info_row(x, ws, r, "Phiên bản bộ quy tắc", fx->ruleset_version);
	r = info_row(x, ws, r, "Mã băm bộ quy tắc", fx->ruleset_hash);
	view_formula(formula, sizeof(formula), s);
	r = info_row(x, ws, r, "Cách tính điểm", formula);
	for (i = 0; i < s->nbands; i++, r++) {
		str(x, ws, (lxw_row_t)r, 0, "Xếp loại (điểm tối thiểu)");
		str(x, ws, (lxw_row_t)r, 1, s->bands[i].rating);
		num(x, ws, (lxw_row_t)r, 2, s->bands[i].min, NULL);
	}
	for (i = 0; i < fx->nitems; i++, r++) {
		str(x, ws, (lxw_row_t)r, 0, fx->items[i].item);
		str(x, ws, (lxw_row_t)r, 1, fx->items[i].title);
		num(x, ws, (lxw_row_t)r, 2, fx->items[i].weight, NULL);
	}
	/* Filtering the facts is of little use, but every sheet gets the same
	 * frame so a reader finds the same controls everywhere. */
	filter(x, ws, r - 1, 3);
	*next = r;
	return ws;
}

static status xlsx_school(FILE *f, const struct report_facts *fx, const struct school_result *r)
{
	static const char *const cols[] = {"school_id",   "item",         "title",    "verdict",
					   "Kết quả",     "url",          "evidence", "date",
					   "date_source", "period_found", "weight"};
	static const double widths[] = {12, 24, 36, 12, 20, 40, 50, 12, 12, 12, 9};
	bool scored = r->has_score && isfinite(r->score);
	const char *facts[][2] = {
		{"Trường", r->school.name},
		{"Mã trường", r->school.id},
		{"Đơn vị quản lý", r->school.unit},
		{"Cấp học", r->school.level},
		{"Cổng thông tin", r->school.portal_url},
		{"Năm học", fx->period},
		{"Tính đến ngày", fx->as_of},
		{"Xếp loại", scored ? r->rating : NULL},
		{"Lý do", scored ? NULL : view_unassessed_reason(r)},
	};
	size_t i, next = 0;
	lxw_worksheet *ws, *info;
	struct xw x;
	status st;

	st = xw_open(&x, fx->stop);
	ws = st == ST_OK ? sheet(&x, "Kết quả", cols, widths, 11) : NULL;
	for (i = 0; ws && i < r->nfindings; i++) {
		const struct finding *fd = &r->findings[i];
		lxw_row_t row = (lxw_row_t)(i + 1);

		str(&x, ws, row, 0, r->school.id);
		str(&x, ws, row, 1, fd->item);
		str(&x, ws, row, 2, fd->title);
		str(&x, ws, row, 3, verdict_str(fd->verdict));
		str(&x, ws, row, 4, verdict_label(fd->verdict));
		str(&x, ws, row, 5, fd->url);
		str(&x, ws, row, 6, fd->evidence);
		str(&x, ws, row, 7, fd->date);
		str(&x, ws, row, 8, fd->date_source);
		str(&x, ws, row, 9, fd->period_found);
		num(&x, ws, row, 10, fd->weight, NULL);
	}
	if (ws) {
		filter(&x, ws, r->nfindings, 11);
		info = info_sheet(&x, fx, facts, sizeof(facts) / sizeof(facts[0]), &next);
		if (info) {
			str(&x, info, (lxw_row_t)next, 0, "Điểm");
			if (scored)
				num(&x, info, (lxw_row_t)next, 2, r->score, x.dec);
			else
				str(&x, info, (lxw_row_t)next, 1, "không đánh giá được");
		}
		st = x.st;
	}
	return xw_close(&x, f, st);
}

static void schools_sheet(struct xw *x, const struct report_view *v)
{
	static const char *const cols[] = {"school_id", "name",      "unit",      "level",
					   "score",     "rating",    "reachable", "reason",
					   "rank",      "group_rank"};
	static const double widths[] = {12, 40, 18, 10, 9, 8, 10, 40, 8, 11};
	size_t ncols = v->ranking ? 10 : 8, i;
	lxw_worksheet *ws = sheet(x, "Trường", cols, widths, ncols);

	for (i = 0; ws && i < v->n; i++) {
		const struct view_school *vs = &v->schools[i];
		const struct school_result *r = vs->r;
		lxw_row_t row = (lxw_row_t)(i + 1);

		str(x, ws, row, 0, r->school.id);
		str(x, ws, row, 1, r->school.name);
		str(x, ws, row, 2, r->school.unit);
		str(x, ws, row, 3, r->school.level);
		if (vs->assessed) {
			num(x, ws, row, 4, r->score, x->dec);
			str(x, ws, row, 5, r->rating);
		}
		if (x->st == ST_OK)
			fail(x, worksheet_write_boolean(ws, row, 6, r->reachable, NULL), "boolean");
		str(x, ws, row, 7,
		    vs->assessed ? r->unreachable_reason : view_unassessed_reason(r));
		if (v->ranking && vs->assessed) {
			num(x, ws, row, 8, (double)vs->rank, NULL);
			num(x, ws, row, 9, (double)vs->group_rank, NULL);
		}
	}
	filter(x, ws, v->n, ncols);
}

static void items_sheet(struct xw *x, const struct report_view *v)
{
	static const char *const cols[] = {"item",    "title",  "weight",      "pass", "stale",
					   "missing", "review", "unreachable", "rate"};
	static const double widths[] = {26, 40, 9, 8, 8, 9, 8, 12, 9};
	lxw_worksheet *ws = sheet(x, "Mục", cols, widths, 9);
	size_t i, k;

	for (i = 0; ws && i < v->nitems; i++) {
		const struct view_item *it = &v->items[i];
		static const enum verdict order[] = {VERDICT_PASS, VERDICT_STALE, VERDICT_MISSING,
						     VERDICT_REVIEW, VERDICT_UNREACHABLE};
		lxw_row_t row = (lxw_row_t)(i + 1);

		str(x, ws, row, 0, it->item);
		str(x, ws, row, 1, it->title);
		num(x, ws, row, 2, it->weight, NULL);
		for (k = 0; k < 5; k++)
			num(x, ws, row, (lxw_col_t)(3 + k), (double)it->count[order[k]], NULL);
		if (it->has_rate)
			num(x, ws, row, 8, it->rate, x->pct);
	}
	filter(x, ws, v->nitems, 9);
}

/* One sheet of a table: numbers as numbers with their formats, text
 * neutralised, statuses and verdicts as their Vietnamese labels. */
static void table_sheet(struct xw *x, const struct table *t)
{
	const char **cols = calloc(t->ncols ? t->ncols : 1, sizeof(*cols));
	double *widths = calloc(t->ncols ? t->ncols : 1, sizeof(*widths));
	lxw_worksheet *ws = NULL;
	enum verdict vd;
	size_t r, c;

	if (!cols || !widths) {
		if (x->st == ST_OK)
			x->st = status_set(ST_NOMEM, "xlsx: out of memory");
		goto done;
	}
	for (c = 0; c < t->ncols; c++) {
		cols[c] = t->cols[c].label;
		widths[c] = t->cols[c].type == COL_TEXT ? (c == 0 ? 24 : 30) : 14;
	}
	ws = sheet(x, t->sheet ? t->sheet : t->key, cols, widths, t->ncols);
	for (r = 0; ws && r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const struct cell *cl = table_cell(t, r, c);
			lxw_row_t row = (lxw_row_t)(r + 1);
			lxw_col_t col = (lxw_col_t)c;

			if (!cl->set)
				continue;
			switch (t->cols[c].type) {
			case COL_TEXT:
				str(x, ws, row, col, cl->s);
				break;
			case COL_LEVEL: {
				char lv[128];

				str(x, ws, row, col, wording_level(lv, sizeof(lv), cl->s));
				break;
			}
			case COL_STATUS:
				str(x, ws, row, col, table_status_label(cl->s));
				break;
			case COL_VERDICT:
				str(x, ws, row, col,
				    verdict_parse(cl->s, &vd) == ST_OK ? verdict_label(vd) : cl->s);
				break;
			case COL_INT:
				num(x, ws, row, col, cl->v, NULL);
				break;
			case COL_SCORE:
				num(x, ws, row, col, cl->v, x->dec);
				break;
			case COL_PCT:
				num(x, ws, row, col, cl->v, x->pct);
				break;
			case COL_DELTA:
				num(x, ws, row, col, cl->v, x->sdec);
				break;
			case COL_PDELTA:
				num(x, ws, row, col, cl->v, x->spct);
				break;
			}
		}
	}
	if (ws)
		filter(x, ws, t->nrows, t->ncols);
done:
	free(cols);
	free(widths);
}

static void ratings_sheet(struct xw *x, const struct report_view *v)
{
	static const char *const cols[] = {"rating", "min", "schools"};
	static const double widths[] = {10, 10, 10};
	const struct report_scoring *s = v->facts.scoring;
	lxw_worksheet *ws = sheet(x, "Xếp loại", cols, widths, 3);
	size_t i;

	for (i = 0; ws && i < s->nbands; i++) {
		str(x, ws, (lxw_row_t)(i + 1), 0, s->bands[i].rating);
		num(x, ws, (lxw_row_t)(i + 1), 1, s->bands[i].min, NULL);
		num(x, ws, (lxw_row_t)(i + 1), 2, (double)v->band_count[i], NULL);
	}
	if (ws && v->other_rating) {
		str(x, ws, (lxw_row_t)(s->nbands + 1), 0, "khác");
		num(x, ws, (lxw_row_t)(s->nbands + 1), 2, (double)v->other_rating, NULL);
	}
	filter(x, ws, s->nbands + (v->other_rating ? 1 : 0), 3);
}

static void unassessed_sheet(struct xw *x, const struct report_view *v)
{
	static const char *const cols[] = {"id", "name", "reason"};
	static const double widths[] = {12, 40, 50};
	lxw_worksheet *ws = sheet(x, "Không đánh giá được", cols, widths, 3);
	size_t i;

	for (i = v->nassessed; ws && i < v->n; i++) {
		lxw_row_t row = (lxw_row_t)(i - v->nassessed + 1);

		str(x, ws, row, 0, v->schools[i].r->school.id);
		str(x, ws, row, 1, v->schools[i].r->school.name);
		str(x, ws, row, 2, view_unassessed_reason(v->schools[i].r));
	}
	filter(x, ws, v->n - v->nassessed, 3);
}

static status xlsx_schools(FILE *f, const struct report_view *v, const struct city *c)
{
	const struct report_facts *fx = &v->facts;
	const char *const facts[][2] = {
		{"Tiêu đề", fx->title},  {"Loại báo cáo", v->kind},    {"Đơn vị", v->selector},
		{"Năm học", fx->period}, {"Tính đến ngày", fx->as_of},
	};
	size_t next = 0;
	struct xw x;
	status st;

	st = xw_open(&x, fx->stop);
	if (st == ST_OK) {
		schools_sheet(&x, v);
		if (v->show_units)
			table_sheet(&x, &c->units);
		items_sheet(&x, v);
		if (v->show_levels)
			table_sheet(&x, &c->levels);
		ratings_sheet(&x, v);
		unassessed_sheet(&x, v);
		info_sheet(&x, fx, facts, sizeof(facts) / sizeof(facts[0]), &next);
		st = x.st;
	}
	return xw_close(&x, f, st);
}

static void notes_sheet(struct xw *x, const struct doc *d)
{
	static const char *const cols[] = {"Ghi chú về dữ liệu"};
	static const double widths[] = {120};
	lxw_worksheet *ws;
	size_t i;

	if (!d->nnotes)
		return;
	ws = sheet(x, "Ghi chú", cols, widths, 1);
	for (i = 0; ws && i < d->nnotes; i++)
		str(x, ws, (lxw_row_t)(i + 1), 0, d->notes[i]);
	if (ws)
		filter(x, ws, d->nnotes, 1);
}

static status xlsx_doc(FILE *f, const struct doc *d)
{
	const struct report_facts *fx = &d->facts, *p = d->has_prev ? &d->prev : NULL;
	char prev_run[32] = "", prev_crawl[32] = "";
	const char *facts[][2] = {
		{"Tiêu đề", fx->title},
		{"Loại báo cáo", d->kind},
		{"Chọn", d->selector},
		{"Năm học", fx->period},
		{"Tính đến ngày", fx->as_of},
		{"So sánh với lần đánh giá", p ? prev_run : NULL},
		{"Lần thu thập (lần trước)", p ? prev_crawl : NULL},
		{"Năm học (lần trước)", p ? p->period : NULL},
		{"Tính đến ngày (lần trước)", p ? p->as_of : NULL},
		{"Bộ quy tắc (lần trước)", p ? p->ruleset : NULL},
		{"Mã băm bộ quy tắc (lần trước)", p ? p->ruleset_hash : NULL},
	};
	size_t i, next = 0, nfacts = p ? 11 : 5;
	struct xw x;
	status st;

	if (p) {
		snprintf(prev_run, sizeof(prev_run), "%lld", (long long)p->audit_run);
		snprintf(prev_crawl, sizeof(prev_crawl), "%lld", (long long)p->crawl_run);
	}
	st = xw_open(&x, fx->stop);
	for (i = 0; st == ST_OK && i < d->ntables; i++)
		table_sheet(&x, d->tables[i]);
	if (st == ST_OK) {
		notes_sheet(&x, d);
		info_sheet(&x, fx, facts, nfacts, &next);
		st = x.st;
	}
	return xw_close(&x, f, st);
}

const struct report_writer xlsx_writer = {
	.name = "xlsx",
	.format = REPORT_XLSX,
	.school = xlsx_school,
	.schools = xlsx_schools,
	.doc = xlsx_doc,
};

#else /* !PA_HAVE_XLSX */

/* Registered without functions, so "xlsx" parses and report_* answer
 * "xlsx is not available yet". */
const struct report_writer xlsx_writer = {
	.name = "xlsx",
	.format = REPORT_XLSX,
	.school = NULL,
	.schools = NULL,
	.doc = NULL,
};

#endif
