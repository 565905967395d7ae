/* Terminal text: aligned columns measured in display width (Vietnamese
 * with combining marks and wide characters line up), every crawled string
 * stripped of control and bidi characters so no escape sequence reaches
 * the terminal. */
#include <math.h>
#include <string.h>

#include "reports/doc.h"
#include "reports/escape.h"
#include "reports/out.h"
#include "reports/wording.h"
#include "reports/writer.h"

#define COL_ITEM 40
#define COL_VERDICT 20
#define COL_PERIOD 11

/* One "label:" line, the value starting in column 18 ("—" when empty). */
static void fact(struct out *o, const char *label, const char *value)
{
	size_t w = escape_text_width(label);

	out_f(o, "%s:%-*s", label, (int)(w < 16 ? 16 - w : 1), "");
	out_text(o, value && value[0] ? value : "—");
	out_s(o, "\n");
}

/* The rule set: "name phiên bản V (hash)" in the school and list reports,
 * "name, phiên bản V, mã băm H" in the table reports (kept as they were). */
static void ruleset_fact(struct out *o, const struct report_facts *fx, bool commas)
{
	out_s(o, "Bộ quy tắc:      ");
	out_text(o, fx->ruleset ? fx->ruleset : "—");
	if (fx->ruleset_version) {
		out_s(o, commas ? ", phiên bản " : " phiên bản ");
		out_text(o, fx->ruleset_version);
	}
	if (fx->ruleset_hash) {
		out_s(o, commas ? ", mã băm " : " (");
		out_text(o, fx->ruleset_hash);
		out_s(o, commas ? "" : ")");
	}
	out_s(o, "\n");
}

/* What was audited: period, as-of date and rule set. */
static void scope_facts(struct out *o, const struct report_facts *fx, bool commas)
{
	fact(o, "Năm học", fx->period);
	fact(o, "Tính đến ngày", fx->as_of);
	ruleset_fact(o, fx, commas);
}

/* Where the numbers come from: crawl time span, audit time, the runs
 * counted, the label and the program (view_provenance). */
static void run_facts(struct out *o, const struct report_facts *fx)
{
	struct view_fact pf[VIEW_NPROV];
	size_t n = view_provenance(pf, fx);

	for (size_t i = 0; i < n; i++)
		fact(o, pf[i].label, pf[i].value);
}

/* How scores are computed, the bands and the weights: stated by every
 * report, even one that shows no score, so its reader knows the rules. */
static void footer(struct out *o, const struct report_facts *fx)
{
	char formula[512];

	view_formula(formula, sizeof(formula), fx->scoring);
	out_s(o, "\nCách tính điểm:  ");
	out_s(o, formula);
	out_s(o, "\nXếp loại:        ");
	view_bands_weights(o, fx, out_text, "Trọng số:        ");
}

/* One indented "label: value" line under a finding ("" prints nothing). */
static void detail(struct out *o, const char *label, const char *value)
{
	if (!value || !value[0])
		return;
	out_f(o, "      %s: ", label);
	out_text(o, value);
	out_s(o, "\n");
}

/* A person's decision beside the final verdict (wording_decision). */
static void decision_lines(struct out *o, const struct finding *f)
{
	struct wording_decision d;

	wording_decision_init(&d, f);
	for (size_t i = 0; i < d.n; i++)
		detail(o, d.line[i].label, d.line[i].value);
}

static void finding_row(struct out *o, const struct finding *f, const struct school_result *r,
			const char *period)
{
	struct wording_finding w;

	wording_finding_init(&w, f, r, period);
	out_s(o, "  ");
	out_text_col(o, f->title ? f->title : f->item, COL_ITEM);
	out_s(o, "  ");
	out_text_col(o, verdict_label(f->verdict), COL_VERDICT);
	out_s(o, "  ");
	out_text_col(o, f->period_found ? f->period_found : "—", COL_PERIOD);
	out_s(o, "  ");
	out_text(o, w.date[0] ? w.date : "—");
	out_s(o, "\n");
	decision_lines(o, f);
	detail(o, "Yêu cầu", w.requirement ? w.requirement : w.basis);
	detail(o, "Bằng chứng", f->url);
	if (f->evidence) {
		out_s(o, "      Nội dung khớp: «");
		out_text_cut(o, f->evidence, 100);
		out_s(o, "»\n");
	}
	detail(o, "Ghi chú", w.note ? w.note : f->note);
	detail(o, "Đã tìm", w.looked);
	detail(o, "Cách khắc phục", w.remedy);
	detail(o, "Mã mục", f->item);
	wording_finding_release(&w);
}

/* Under the score: what people's decisions changed, and the decisions
 * that need a new review. */
static void reviewed_lines(struct out *o, const struct school_result *r)
{
	struct view_fact rf[2];
	size_t n = view_reviewed_facts(rf, r);

	for (size_t i = 0; i < n; i++)
		fact(o, rf[i].label, rf[i].value);
}

static void score_line(struct out *o, const struct school_result *r)
{
	char num[32];

	if (r->has_score && isfinite(r->score)) {
		out_fmt_vi(num, sizeof(num), r->score, 1);
		out_f(o, "Điểm:            %s / 100   Xếp loại: ", num);
		out_text(o, r->rating ? r->rating : "—");
		out_s(o, "\n");
	} else {
		out_s(o, "Điểm:            không đánh giá được: ");
		view_print_vi(o, out_text, view_unassessed_reason(r));
		out_s(o, "\n");
	}
	reviewed_lines(o, r);
}

static status text_school(FILE *f, const struct report_facts *fx, const struct school_result *r)
{
	const struct school_info *s = &r->school;
	char level[128];
	struct out o;
	size_t i;

	out_init(&o, f, fx->stop);
	fact(&o, "Trường", s->name);
	fact(&o, "Mã trường", s->id);
	fact(&o, "Đơn vị quản lý", s->unit);
	fact(&o, "Cấp học", wording_level(level, sizeof(level), s->level));
	fact(&o, "Cổng thông tin", s->portal_url);
	scope_facts(&o, fx, false);
	out_f(&o, "Trang thu thập:  %d (lỗi: %d)\n", r->pages, r->errors);
	run_facts(&o, fx);
	score_line(&o, r);
	out_s(&o, "\n  ");
	out_text_col(&o, "Mục", COL_ITEM);
	out_s(&o, "  ");
	out_text_col(&o, "Kết quả", COL_VERDICT);
	out_s(&o, "  ");
	out_text_col(&o, "Năm học", COL_PERIOD);
	out_s(&o, "  Ngày (nguồn)\n");
	for (i = 0; i < r->nfindings; i++)
		finding_row(&o, &r->findings[i], r, fx->period);
	if (!r->nfindings)
		out_s(&o, "  (không có kết quả)\n");
	footer(&o, fx);
	return out_finish(&o);
}

static void list_header(struct out *o, const struct report_view *v)
{
	out_text(o, v->facts.title);
	out_s(o, "\n");
	fact(o, "Loại báo cáo", wording_kind(v->kind));
	if (v->selector)
		fact(o, "Đơn vị", v->selector);
	scope_facts(o, &v->facts, false);
	run_facts(o, &v->facts);
	out_f(o, "Số trường:       %zu (chấm điểm được: %zu; chưa thu thập: %zu)\n\n", v->n,
	      v->nassessed, v->nnot_crawled);
}

static void school_table(struct out *o, const struct report_view *v)
{
	char num[32], level[128];
	size_t i;

	out_s(o, v->ranking ? "  Hạng  Hạng ĐV-cấp  " : "  ");
	out_text_col(o, "Mã trường", 14);
	out_s(o, "  ");
	out_text_col(o, "Tên trường", 36);
	out_s(o, "  ");
	out_text_col(o, "Đơn vị", 16);
	out_s(o, "  ");
	out_text_col(o, "Cấp", 8);
	out_s(o, v->nreviewed ? "   Điểm  Xếp loại  Đã xem xét\n" : "   Điểm  Xếp loại\n");
	for (i = 0; i < v->nassessed; i++) {
		const struct view_school *vs = &v->schools[i];
		const struct school_info *s = &vs->r->school;

		if (v->ranking)
			out_f(o, "  %4zu  %11zu  ", vs->rank, vs->group_rank);
		else
			out_s(o, "  ");
		out_text_col(o, s->id, 14);
		out_s(o, "  ");
		out_text_col(o, s->name, 36);
		out_s(o, "  ");
		out_text_col(o, s->unit, 16);
		out_s(o, "  ");
		out_text_col(o, wording_level(level, sizeof(level), s->level), 8);
		out_fmt_vi(num, sizeof(num), vs->r->score, 1);
		out_f(o, "  %5s  ", num);
		if (v->nreviewed) {
			char cell[160];

			out_text_col(o, vs->r->rating ? vs->r->rating : "—", 8);
			out_s(o, "  ");
			out_text(o, view_reviewed_cell(cell, sizeof(cell), vs));
		} else {
			out_text(o, vs->r->rating ? vs->r->rating : "—");
		}
		out_s(o, "\n");
	}
	if (!v->nassessed)
		out_s(o, "  (không có trường nào được chấm điểm)\n");
}

static void distribution(struct out *o, const struct report_view *v)
{
	const struct report_scoring *s = v->facts.scoring;
	char num[32];
	size_t i;

	out_s(o, "\nPhân bố xếp loại: ");

	for (i = 0; i < s->nbands; i++) {
		out_s(o, i ? "; " : "");
		out_text(o, s->bands[i].rating);
		out_f(o, ": %zu", v->band_count[i]);
	}
	if (v->other_rating || !s->nbands)
		out_f(o, "%skhác: %zu", s->nbands ? "; " : "", v->other_rating);
	out_s(o, "\n\nTỷ lệ đạt theo mục:\n");
	for (i = 0; i < v->nitems; i++) {
		const struct view_item *it = &v->items[i];

		out_s(o, "  ");
		out_text_col(o, it->title ? it->title : it->item, COL_ITEM);
		if (it->has_rate) {
			out_fmt_vi(num, sizeof(num), it->rate * 100, 1);
			out_f(o, "  %6s%%", num);
		} else {
			out_s(o, "       —");
		}
		out_f(o,
		      "  (đạt %zu, cũ %zu, thiếu %zu, cần xem xét %zu, không truy cập được %zu)\n",
		      it->count[VERDICT_PASS], it->count[VERDICT_STALE], it->count[VERDICT_MISSING],
		      it->count[VERDICT_REVIEW], it->count[VERDICT_UNREACHABLE]);
	}
}

static void unassessed(struct out *o, const struct report_view *v)
{
	size_t i;

	if (v->nassessed == v->n)
		return;
	out_s(o, "\nKhông đánh giá được (không xếp hạng):\n");
	for (i = v->nassessed; i < v->n; i++) {
		const struct school_result *r = v->schools[i].r;

		out_s(o, "  ");
		out_text_col(o, r->school.id, 14);
		out_s(o, "  ");
		out_text_col(o, r->school.name, 36);
		out_s(o, "  ");
		view_print_vi(o, out_text, view_unassessed_reason(r));
		out_s(o, "\n");
	}
}

static status text_schools(FILE *f, const struct report_view *v, const struct city *c)
{
	struct out o;

	out_init(&o, f, v->facts.stop);
	list_header(&o, v);
	school_table(&o, v);
	distribution(&o, v);
	if (v->show_units)
		table_write_text(&o, &c->units);
	if (v->show_levels)
		table_write_text(&o, &c->levels);
	unassessed(&o, v);
	footer(&o, &v->facts);
	return out_finish(&o);
}

static status text_doc(FILE *f, const struct doc *d)
{
	struct out o;
	size_t i;

	out_init(&o, f, d->facts.stop);
	out_text(&o, d->facts.title);
	out_s(&o, "\n");
	fact(&o, "Loại báo cáo", wording_kind(d->kind));
	if (d->selector)
		fact(&o, "Chọn", d->selector);
	run_facts(&o, &d->facts);
	scope_facts(&o, &d->facts, true);
	if (d->has_prev) {
		out_s(&o, "\nSo sánh với:\n");
		run_facts(&o, &d->prev);
		scope_facts(&o, &d->prev, true);
	}
	for (i = 0; i < d->ntables; i++)
		table_write_text(&o, d->tables[i]);
	if (d->nnotes)
		out_s(&o, "\nGhi chú về dữ liệu:\n");
	for (i = 0; i < d->nnotes; i++) {
		out_s(&o, "  - ");
		out_text(&o, d->notes[i]);
		out_s(&o, "\n");
	}
	footer(&o, &d->facts);
	return out_finish(&o);
}

const struct report_writer text_writer = {
	.name = "text",
	.format = REPORT_TEXT,
	.school = text_school,
	.schools = text_schools,
	.doc = text_doc,
};
