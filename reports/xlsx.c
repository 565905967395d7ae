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
#include <strings.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/buf.h"
#include "reports/adoption.h"
#include "reports/doc.h"
#include "reports/escape.h"
#include "reports/wording.h"
#include "reports/out.h"

/* Excel's limit on the characters of one cell; kept in bytes, which is
 * stricter. */
#define CELL_MAX 32767

struct xw {
	lxw_workbook *wb;
	lxw_format *head, *pct, *dec, *wrap, *sdec, *spct, *date, *link, *bold;
	lxw_format *verdict[VIEW_NVERDICTS]; /* the grid's cells, coloured like the HTML */
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

/* A text cell in format fmt (may be NULL), neutralised by escape_cell. */
static void str_fmt(struct xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
		    lxw_format *fmt)
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
	fail(x, worksheet_write_string(ws, r, c, buf_str(&x->tmp), fmt), "write text");
}

static void str(struct xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s)
{
	str_fmt(x, ws, r, c, s, NULL);
}

/* The school's levels in Vietnamese, "" when none. */
static const char *level_vi(char *buf, size_t n, const char *level)
{
	const char *s = wording_level(buf, n, level);

	return s ? s : "";
}

/* Indexed by enum verdict: the HTML report's verdict colours. */
static const lxw_color_t verdict_bg[VIEW_NVERDICTS] = {0xDAFBE1, 0xFFF8C5, 0xFFEBE9, 0xEAEEF2,
						       0xDDF4FF};

/* Whether u is a URL to write as a hyperlink: http(s), printable ASCII
 * only (no space, quote, angle bracket or bidi control, which a hyperlink
 * would show unneutralised), shorter than Excel's limit. */
static bool linkable(const char *u)
{
	size_t i;

	if (!u || (strncasecmp(u, "http://", 7) != 0 && strncasecmp(u, "https://", 8) != 0))
		return false;
	for (i = 0; u[i]; i++)
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7F || u[i] == '"' ||
		    u[i] == '<' || u[i] == '>')
			return false;
	return i < 2000;
}

/* A hyperlink cell for a linkable URL; any other text, or a URL Excel
 * refuses (a sheet past its hyperlink limit), is a text cell. */
static void url(struct xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *u)
{
	if (!u || failed(x))
		return;
	if (linkable(u) && worksheet_write_url(ws, r, c, u, x->link) == LXW_NO_ERROR)
		return;
	str(x, ws, r, c, u);
}

/* A date cell (shown dd/mm/yyyy) for "YYYY-MM-DD", else a text cell. */
static void date(struct xw *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s)
{
	lxw_datetime dt;
	int i;

	if (!s || failed(x))
		return;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
			break;
	memset(&dt, 0, sizeof(dt));
	if (i == 10 && s[10] == '\0') {
		dt.year =
			(s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		dt.month = (uint8_t)((s[5] - '0') * 10 + (s[6] - '0'));
		dt.day = (uint8_t)((s[8] - '0') * 10 + (s[9] - '0'));
	}
	if (dt.year >= 1900 && dt.month >= 1 && dt.month <= 12 && dt.day >= 1 && dt.day <= 31)
		fail(x, worksheet_write_datetime(ws, r, c, &dt, x->date), "write date");
	else
		str(x, ws, r, c, s);
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
	size_t i;
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
	x->date = workbook_add_format(x->wb);
	x->link = workbook_add_format(x->wb);
	x->bold = workbook_add_format(x->wb);
	for (i = 0; i < VIEW_NVERDICTS; i++)
		if (!(x->verdict[i] = workbook_add_format(x->wb)))
			return status_set(ST_NOMEM, "xlsx: out of memory");
	if (!x->head || !x->pct || !x->dec || !x->wrap || !x->sdec || !x->spct || !x->date ||
	    !x->link || !x->bold)
		return status_set(ST_NOMEM, "xlsx: out of memory");
	format_set_num_format(x->date, "dd/mm/yyyy");
	format_set_underline(x->link, LXW_UNDERLINE_SINGLE);
	format_set_font_color(x->link, LXW_COLOR_BLUE);
	format_set_bold(x->bold);
	for (i = 0; i < VIEW_NVERDICTS; i++)
		format_set_bg_color(x->verdict[i], verdict_bg[i]);
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
	date(x, ws, (lxw_row_t)r, 1, v ? v : "");
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

/* Columns 11..16 of a finding: the machine verdict and the decision. */
static void decision_cells(struct xw *x, lxw_worksheet *ws, lxw_row_t row, const struct finding *f)
{
	const struct decision *d = f->decision;

	if (f->decision_state == DECISION_NONE)
		return;
	str(x, ws, row, 11, verdict_label(f->machine_verdict));
	str(x, ws, row, 12, wording_decision_label(f->decision_state));
	if (!d)
		return;
	str(x, ws, row, 13, d->by);
	str(x, ws, row, 14, d->at);
	str(x, ws, row, 15, d->reason);
	url(x, ws, row, 16, d->evidence_url);
}

/* One row of the "Kết quả" sheet: a finding, then its decision when the
 * sheet has the decision columns (ncols > 11). */
static void finding_cells(struct xw *x, lxw_worksheet *ws, lxw_row_t row,
			  const struct school_result *r, const struct finding *fd, size_t ncols)
{
	char *note = wording_note(fd->note);

	str(x, ws, row, 0, r->school.id);
	str(x, ws, row, 1, fd->item);
	str(x, ws, row, 2, fd->title);
	str(x, ws, row, 3, verdict_label(fd->verdict));
	url(x, ws, row, 4, fd->url);
	str(x, ws, row, 5, fd->evidence);
	date(x, ws, row, 6, fd->date);
	str(x, ws, row, 7, wording_date_source(fd->date_source));
	str(x, ws, row, 8, fd->period_found);
	num(x, ws, row, 9, fd->weight, NULL);
	str(x, ws, row, 10, note ? note : fd->note);
	free(note);
	if (ncols > 11)
		decision_cells(x, ws, row, fd);
}

/* Under the score in "Thông tin": the score before people's decisions
 * and how many findings they decide or must review again. */
static void reviewed_rows(struct xw *x, lxw_worksheet *ws, size_t next,
			  const struct school_result *r, size_t outdated)
{
	if (r->ndecided) {
		str(x, ws, (lxw_row_t)next, 0, "Điểm trước khi xem xét");
		if (r->machine_has_score)
			num(x, ws, (lxw_row_t)next, 2, r->machine_score, x->dec);
		else
			str(x, ws, (lxw_row_t)next, 1, "không đánh giá được");
		str(x, ws, (lxw_row_t)next + 1, 0, "Số mục đã được người xem xét");
		num(x, ws, (lxw_row_t)next + 1, 2, (double)r->ndecided, NULL);
		next += 2;
	}
	if (outdated) {
		str(x, ws, (lxw_row_t)next, 0, "Số mục cần xem xét lại");
		num(x, ws, (lxw_row_t)next, 2, (double)outdated, NULL);
	}
}

static status xlsx_school(FILE *f, const struct report_facts *fx, const struct school_result *r)
{
	static const char *const cols[] = {"Mã trường",
					   "Mã mục",
					   "Mục",
					   "Kết quả",
					   "Đường dẫn bằng chứng",
					   "Bằng chứng",
					   "Ngày",
					   "Nguồn ngày",
					   "Năm học tìm thấy",
					   "Trọng số",
					   "Ghi chú",
					   "Máy đánh giá",
					   "Trạng thái xem xét",
					   "Người xem xét",
					   "Thời điểm xem xét",
					   "Lý do",
					   "Bằng chứng người xem xét cung cấp"};
	static const double widths[] = {14, 24, 36, 20, 40, 50, 12, 12, 14,
					9,  50, 20, 18, 20, 20, 50, 40};
	bool scored = r->has_score && isfinite(r->score);
	char level[128], why[512];
	const char *facts[][2] = {
		{"Trường", r->school.name},
		{"Mã trường", r->school.id},
		{"Đơn vị quản lý", r->school.unit},
		{"Cấp học", NULL},
		{"Loại hình", city_ownership_label(r->school.ownership)},
		{"Năm học", fx->period},
		{"Tính đến ngày", fx->as_of},
		{"Xếp loại", scored ? r->rating : NULL},
		{"Lý do",
		 scored ? NULL : view_reason_vi(why, sizeof(why), view_unassessed_reason(r))},
	};
	size_t i, next = 0, applied, outdated, ncols;
	lxw_worksheet *ws, *info;
	struct xw x;
	status st;

	facts[3][1] = level_vi(level, sizeof(level), r->school.level);
	/* The decision columns only when a decision touches the school, so
	 * an undecided school's workbook is as it was. */
	view_decision_counts(r, &applied, &outdated);
	ncols = applied || outdated ? 17 : 11;
	st = xw_open(&x, fx->stop);
	ws = st == ST_OK ? sheet(&x, "Kết quả", cols, widths, ncols) : NULL;
	for (i = 0; ws && i < r->nfindings; i++)
		finding_cells(&x, ws, (lxw_row_t)(i + 1), r, &r->findings[i], ncols);
	if (ws) {
		filter(&x, ws, r->nfindings, ncols);
		info = info_sheet(&x, fx, facts, sizeof(facts) / sizeof(facts[0]), &next);
		if (info) {
			str(&x, info, (lxw_row_t)next, 0, "Cổng thông tin");
			url(&x, info, (lxw_row_t)next, 1, r->school.portal_url);
			str(&x, info, (lxw_row_t)next + 1, 0, "Điểm");
			if (scored)
				num(&x, info, (lxw_row_t)next + 1, 2, r->score, x.dec);
			else
				str(&x, info, (lxw_row_t)next + 1, 1, "không đánh giá được");
			reviewed_rows(&x, info, next + 2, r, outdated);
		}
		st = x.st;
	}
	return xw_close(&x, f, st);
}

static void schools_sheet(struct xw *x, const struct report_view *v)
{
	const char *cols[11] = {
		"Mã trường", "Tên trường",    "Đơn vị", "Cấp học", "Điểm",
		"Xếp loại",  "Truy cập được", "Lý do",  "Hạng",    "Hạng trong đơn vị và cấp"};
	double widths[11] = {14, 40, 18, 16, 9, 9, 13, 40, 8, 14};
	size_t ncols = v->ranking ? 10 : 8, i;
	lxw_worksheet *ws;

	/* "Đã xem xét" last, and only when a decision touches a school. */
	if (v->nreviewed) {
		cols[ncols] = "Đã xem xét";
		widths[ncols] = 40;
		ncols++;
	}
	ws = sheet(x, "Trường", cols, widths, ncols);
	char why[512];
	char level[128];

	for (i = 0; ws && i < v->n; i++) {
		const struct view_school *vs = &v->schools[i];
		const struct school_result *r = vs->r;
		lxw_row_t row = (lxw_row_t)(i + 1);

		str(x, ws, row, 0, r->school.id);
		str(x, ws, row, 1, r->school.name);
		str(x, ws, row, 2, r->school.unit);
		str(x, ws, row, 3, level_vi(level, sizeof(level), r->school.level));
		if (vs->assessed) {
			num(x, ws, row, 4, r->score, x->dec);
			str(x, ws, row, 5, r->rating);
		}
		str(x, ws, row, 6, r->reachable ? "có" : "không");
		str(x, ws, row, 7,
		    view_reason_vi(why, sizeof(why),
				   vs->assessed ? r->unreachable_reason
						: view_unassessed_reason(r)));
		if (v->ranking && vs->assessed) {
			num(x, ws, row, 8, (double)vs->rank, NULL);
			num(x, ws, row, 9, (double)vs->group_rank, NULL);
		}
		if (v->nreviewed && (vs->decided || vs->outdated))
			str(x, ws, row, (lxw_col_t)(ncols - 1),
			    view_reviewed_cell(why, sizeof(why), vs));
	}
	filter(x, ws, v->n, ncols);
}

/* "Trường × Mục": one row per school, one column per item with the verdict
 * in Vietnamese, so an officer filters "schools missing X" directly. */
static void grid_sheet(struct xw *x, const struct report_view *v)
{
	static const char *const fixed[] = {"Mã trường", "Tên trường",     "Đơn vị", "Cấp học",
					    "Loại hình", "Cổng thông tin", "Điểm",   "Xếp loại"};
	static const double fixed_w[] = {14, 36, 16, 16, 14, 30, 8, 9};
	size_t nf = sizeof(fixed) / sizeof(fixed[0]), ncols = nf + v->nitems, i, k;
	unsigned char *row = malloc(v->nitems ? v->nitems : 1);
	lxw_worksheet *ws = NULL;
	char level[128];

	if (!row) {
		if (x->st == ST_OK)
			x->st = status_set(ST_NOMEM, "xlsx: out of memory");
		return;
	}
	if (ncols > LXW_COL_MAX)
		ncols = LXW_COL_MAX; /* Excel's 16,384 columns; the rest is in "Mục" */
	ws = sheet(x, "Trường × Mục", fixed, fixed_w, nf);
	for (i = nf; ws && i < ncols; i++) {
		str_fmt(x, ws, 0, (lxw_col_t)i,
			v->items[i - nf].title ? v->items[i - nf].title : v->items[i - nf].item,
			x->head);
		if (x->st == ST_OK)
			fail(x, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, 16, NULL),
			     "column");
	}
	if (ws)
		worksheet_freeze_panes(ws, 1, 2);
	for (i = 0; ws && i < v->n && !failed(x); i++) {
		const struct view_school *vs = &v->schools[i];
		const struct school_result *r = vs->r;
		lxw_row_t rr = (lxw_row_t)(i + 1);

		str(x, ws, rr, 0, r->school.id);
		str(x, ws, rr, 1, r->school.name);
		str(x, ws, rr, 2, r->school.unit);
		str(x, ws, rr, 3, level_vi(level, sizeof(level), r->school.level));
		str(x, ws, rr, 4, city_ownership_label(r->school.ownership));
		url(x, ws, rr, 5, r->school.portal_url);
		if (vs->assessed) {
			num(x, ws, rr, 6, r->score, x->dec);
			str(x, ws, rr, 7, r->rating);
		}
		view_school_verdicts(v, r, row);
		for (k = 0; nf + k < ncols; k++)
			if (row[k] != VIEW_NO_VERDICT && !failed(x))
				fail(x,
				     worksheet_write_string(ws, rr, (lxw_col_t)(nf + k),
							    verdict_label((enum verdict)row[k]),
							    x->verdict[row[k]]),
				     "write text");
	}
	filter(x, ws, v->n, ncols);
	free(row);
}

static void items_sheet(struct xw *x, const struct report_view *v)
{
	static const char *const cols[] = {"Mã mục",
					   "Mục",
					   "Trọng số",
					   "Đạt",
					   "Cũ (chưa cập nhật)",
					   "Thiếu",
					   "Cần xem xét",
					   "Không truy cập được",
					   "Tỷ lệ đạt"};
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
		goto out;
	}
	for (c = 0; c < t->ncols; c++) {
		cols[c] = t->cols[c].label;
		widths[c] = t->cols[c].type == COL_TEXT ? (c == 0 ? 24 : 30) : 14;
	}
	ws = sheet(x, t->sheet ? t->sheet : t->key, cols, widths, t->ncols);
	for (r = 0; ws && r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const struct cell *cl = table_cell(t, r, c);
			/* Totals sit below the filtered range after an empty
			 * row, so sorting or filtering never mixes them in. */
			lxw_row_t row = (lxw_row_t)(r + 1 + table_is_foot(t, r));
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
		filter(x, ws, t->has_foot ? t->foot : t->nrows, t->ncols);
out:
	free(cols);
	free(widths);
}

static void ratings_sheet(struct xw *x, const struct report_view *v)
{
	static const char *const cols[] = {"Xếp loại", "Điểm tối thiểu", "Số trường"};
	static const double widths[] = {10, 14, 10};
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
	static const char *const cols[] = {"Mã trường", "Tên trường", "Lý do"};
	static const double widths[] = {14, 40, 50};
	lxw_worksheet *ws = sheet(x, "Không đánh giá được", cols, widths, 3);
	char why[512];
	size_t i;

	for (i = v->nassessed; ws && i < v->n; i++) {
		lxw_row_t row = (lxw_row_t)(i - v->nassessed + 1);

		str(x, ws, row, 0, v->schools[i].r->school.id);
		str(x, ws, row, 1, v->schools[i].r->school.name);
		str(x, ws, row, 2,
		    view_reason_vi(why, sizeof(why), view_unassessed_reason(v->schools[i].r)));
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
		grid_sheet(&x, v);
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

/* ---- the appendix of dispatch 3630 ------------------------------------ */

static const char *const group_labels[ADOPTION_NLEVELS + 1] = {"Tất cả", "Mầm non", "Tiểu học",
							       "THCS",   "THPT",    "GDTX"};
static const char *const own_labels[3] = {"Công lập", "Ngoài công lập", "Cộng"};

/* The adoption counts of all schools, the public ones and the private ones. */
struct split {
	struct adoption *a[3]; /* [0] public, [1] private, [2] all */
	struct portal_check *part[2];
};

static status split_new(struct split *sp, const struct doc *d)
{
	size_t i, n[2] = {0, 0};
	status st = ST_OK;
	int k;

	memset(sp, 0, sizeof(*sp));
	for (k = 0; k < 2; k++)
		if (!(sp->part[k] = calloc(d->nportals ? d->nportals : 1, sizeof(*sp->part[k]))))
			return status_set(ST_NOMEM, "xlsx: out of memory");
	for (i = 0; i < d->nportals; i++) {
		const char *o = d->portals[i].school.ownership;

		/* Copies share the borrowed strings; adoption_new borrows them too. */
		if (o && strcmp(o, "cong_lap") == 0)
			sp->part[0][n[0]++] = d->portals[i];
		else if (o && strcmp(o, "ngoai_cong_lap") == 0)
			sp->part[1][n[1]++] = d->portals[i];
	}
	for (k = 0; k < 2 && st == ST_OK; k++)
		st = adoption_new(&sp->a[k], sp->part[k], n[k], (long long)d->facts.audit_run);
	if (st == ST_OK)
		st = adoption_new(&sp->a[2], d->portals, d->nportals,
				  (long long)d->facts.audit_run);
	return st;
}

static void split_release(struct split *sp)
{
	int k;

	for (k = 0; k < 3; k++)
		adoption_free(sp->a[k]);
	free(sp->part[0]);
	free(sp->part[1]);
}

/* The row of unit in a (sorted like every adoption), advancing *j. */
static const struct adoption_row *match(const struct adoption *a, size_t *j, const char *unit)
{
	while (*j < a->nunits && adoption_unit_cmp(a->units[*j].unit, unit) < 0)
		(*j)++;
	if (*j < a->nunits && strcmp(a->units[*j].unit, unit) == 0)
		return &a->units[*j];
	return NULL;
}

/* One line of the appendix: STT, unit, ownership and "có cổng / số trường
 * / tỷ lệ" for all levels then each level. */
static void appendix_line(struct xw *x, lxw_worksheet *ws, lxw_row_t r, size_t no, const char *unit,
			  int own, const struct adoption_row *row, lxw_format *f)
{
	size_t g;
	double rate;

	if (no)
		num(x, ws, r, 0, (double)no, f);
	str_fmt(x, ws, r, 1, unit, f);
	str_fmt(x, ws, r, 2, own_labels[own], f);
	for (g = 0; g <= ADOPTION_NLEVELS; g++) {
		const struct adoption_cell *c = g ? &row->level[g - 1] : &row->all;
		lxw_col_t col = (lxw_col_t)(3 + 3 * g);

		num(x, ws, r, col, (double)c->with_portal, f);
		num(x, ws, r, col + 1, (double)c->schools, f);
		if (adoption_rate(c, &rate))
			num(x, ws, r, col + 2, rate, x->pct);
	}
}

static const struct adoption_row empty_row;

/* "Phụ lục 3630": unit rows (public, private, both), columns per level
 * with "có cổng / số trường / tỷ lệ" under a merged level heading; the
 * city totals below the filtered range. */
static void appendix_sheet(struct xw *x, const struct doc *d, const struct split *sp)
{
	static const char *const metric[3] = {"Có cổng", "Số trường", "Tỷ lệ"};
	const struct adoption *all = sp->a[2];
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Phụ lục 3630");
	size_t i, g, j[2] = {0, 0}, last;
	lxw_row_t r;
	int k;

	if (!ws) {
		if (x->st == ST_OK)
			x->st = status_set(ST_NOMEM, "xlsx: cannot add a sheet");
		return;
	}
	fail(x,
	     worksheet_merge_range(ws, 0, 0, 0, 20, d->facts.title ? d->facts.title : "", x->bold),
	     "merge");
	fail(x, worksheet_merge_range(ws, 2, 0, 3, 0, "STT", x->head), "merge");
	fail(x, worksheet_merge_range(ws, 2, 1, 3, 1, "Đơn vị", x->head), "merge");
	fail(x, worksheet_merge_range(ws, 2, 2, 3, 2, "Loại hình", x->head), "merge");
	fail(x, worksheet_set_column(ws, 0, 0, 6, NULL), "column");
	fail(x, worksheet_set_column(ws, 1, 1, 22, NULL), "column");
	fail(x, worksheet_set_column(ws, 2, 2, 15, NULL), "column");
	fail(x, worksheet_set_column(ws, 3, 20, 10, NULL), "column");
	for (g = 0; g <= ADOPTION_NLEVELS && x->st == ST_OK; g++) {
		lxw_col_t c = (lxw_col_t)(3 + 3 * g);

		fail(x, worksheet_merge_range(ws, 2, c, 2, c + 2, group_labels[g], x->head),
		     "merge");
		for (k = 0; k < 3; k++)
			fail(x, worksheet_write_string(ws, 3, c + (lxw_col_t)k, metric[k], x->head),
			     "header");
	}
	r = 4;
	for (i = 0; i < all->nunits && !failed(x); i++) {
		const char *unit = all->units[i].unit;

		for (k = 0; k < 2; k++) {
			const struct adoption_row *row = match(sp->a[k], &j[k], unit);

			appendix_line(x, ws, r++, i + 1, unit, k, row ? row : &empty_row, NULL);
		}
		appendix_line(x, ws, r++, i + 1, unit, 2, &all->units[i], x->bold);
	}
	last = r - 1;
	fail(x, worksheet_autofilter(ws, 3, 0, (lxw_row_t)(last < 4 ? 3 : last), 20), "autofilter");
	worksheet_freeze_panes(ws, 4, 3);
	r++; /* an empty row: the totals are not part of the filtered range */
	for (k = 0; k < 3; k++)
		appendix_line(x, ws, r++, 0, "Toàn thành phố", k, &sp->a[k]->total, x->bold);
	r++;
	str(x, ws, r++, 1,
	    "Trường có nhiều cấp học (ví dụ Tiểu học và THCS) được tính một lần ở cột Tất cả và một "
	    "lần ở mỗi cấp học của trường, nên tổng các cấp có thể lớn hơn số trường.");
	str(x, ws, r, 1,
	    "Trường chưa ghi loại hình (công lập hoặc ngoài công lập) chỉ được tính ở dòng Cộng.");
}

/* Why a school has no working portal, for people. */
static const char *no_portal_reason(char *why, size_t n, const struct portal_check *p)
{
	if (!p->school.portal_url || !p->school.portal_url[0])
		return "chưa đăng ký địa chỉ cổng thông tin";
	if (!p->in_run)
		return "trường không có trong lần đánh giá này";
	if (p->reason && p->reason[0])
		return view_reason_vi(why, n, p->reason);
	if (!p->checked)
		return "không có kết quả kiểm tra cổng thông tin";
	return "cổng thông tin không truy cập được";
}

/* "Chưa có cổng": every school without a working portal, and why. */
static void no_portal_sheet(struct xw *x, const struct doc *d)
{
	static const char *const cols[] = {"Mã trường", "Tên trường",     "Đơn vị", "Cấp học",
					   "Loại hình", "Cổng thông tin", "Lý do"};
	static const double widths[] = {14, 36, 16, 16, 14, 34, 44};
	lxw_worksheet *ws = sheet(x, "Chưa có cổng", cols, widths, 7);
	char level[128], why[512];
	size_t i, n = 0;

	for (i = 0; ws && i < d->nportals; i++) {
		const struct portal_check *p = &d->portals[i];
		lxw_row_t r;

		if (adoption_working(p))
			continue;
		r = (lxw_row_t)++n;
		str(x, ws, r, 0, p->school.id);
		str(x, ws, r, 1, p->school.name);
		str(x, ws, r, 2, p->school.unit);
		str(x, ws, r, 3, level_vi(level, sizeof(level), p->school.level));
		str(x, ws, r, 4, city_ownership_label(p->school.ownership));
		url(x, ws, r, 5, p->school.portal_url);
		str(x, ws, r, 6, no_portal_reason(why, sizeof(why), p));
	}
	filter(x, ws, n, 7);
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
	if (st == ST_OK && d->portals && !p) {
		struct split sp;

		if ((st = split_new(&sp, d)) == ST_OK) {
			appendix_sheet(&x, d, &sp);
			no_portal_sheet(&x, d);
		}
		split_release(&sp);
	}
	for (i = 0; st == ST_OK && !(d->portals && !p) && i < d->ntables; i++)
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
