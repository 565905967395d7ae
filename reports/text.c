/* Terminal text: aligned columns measured in display width (Vietnamese
 * with combining marks and wide characters line up), every crawled string
 * stripped of control and bidi characters so no escape sequence reaches
 * the terminal. */
#include <math.h>
#include <string.h>

#include "reports/city.h"
#include "reports/out.h"
#include "reports/writer.h"

#define COL_ITEM 40
#define COL_VERDICT 20
#define COL_PERIOD 11

static void field(struct out *o, const char *label, const char *value)
{
	out_s(o, label);
	out_text(o, value && value[0] ? value : "—");
	out_s(o, "\n");
}

static void run_line(struct out *o, const char *label, int64_t id)
{
	if (id)
		out_f(o, "%s%lld\n", label, (long long)id);
	else
		out_f(o, "%s—\n", label);
}

static void ruleset_line(struct out *o, const char *name, const char *version, const char *hash)
{
	out_s(o, "Bộ quy tắc:      ");
	out_text(o, name ? name : "—");
	if (version) {
		out_s(o, " phiên bản ");
		out_text(o, version);
	}
	if (hash) {
		out_s(o, " (");
		out_text(o, hash);
		out_s(o, ")");
	}
	out_s(o, "\n");
}

static void bands(struct out *o, const struct report_scoring *s)
{
	char num[32];
	size_t i;

	out_s(o, "Xếp loại:        ");
	for (i = 0; i < s->nbands; i++) {
		out_fmt_vi(num, sizeof(num), s->bands[i].min, 1);
		out_s(o, i ? "; " : "");
		out_text(o, s->bands[i].rating);
		out_f(o, " ≥ %s", num);
	}
	out_s(o, s->nbands ? "\n" : "—\n");
}

static void scoring_footer(struct out *o, const struct report_scoring *s)
{
	char formula[512];

	view_formula(formula, sizeof(formula), s);
	out_s(o, "\nCách tính điểm:  ");
	out_s(o, formula);
	out_s(o, "\n");
	bands(o, s);
}

static void finding_row(struct out *o, const struct finding *f)
{
	out_s(o, "  ");
	out_text_col(o, f->title ? f->title : f->item, COL_ITEM);
	out_s(o, "  ");
	out_text_col(o, view_verdict_label(f->verdict), COL_VERDICT);
	out_s(o, "  ");
	out_text_col(o, f->period_found ? f->period_found : "—", COL_PERIOD);
	out_s(o, "  ");
	out_text(o, f->date ? f->date : "—");
	if (f->date_source) {
		out_s(o, " (");
		out_text(o, f->date_source);
		out_s(o, ")");
	}
	out_s(o, "\n");
	if (f->url) {
		out_s(o, "      ");
		out_text(o, f->url);
		out_s(o, "\n");
	}
	if (f->evidence) {
		out_s(o, "      «");
		out_text_cut(o, f->evidence, 100);
		out_s(o, "»\n");
	}
	if (f->note) {
		out_s(o, "      ");
		out_text(o, f->note);
		out_s(o, "\n");
	}
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
		out_text(o, view_reason_vi(view_unassessed_reason(r)));
		out_s(o, "\n");
	}
}

static status text_school(FILE *f, const struct report_meta *m, const struct school_result *r)
{
	const struct school_info *s = &r->school;
	struct out o;
	size_t i;

	out_init(&o, f);
	out_s(&o, "Trường:          ");
	out_text(&o, s->name ? s->name : "—");
	out_s(&o, "\n");
	field(&o, "Mã trường:       ", s->id);
	field(&o, "Đơn vị quản lý:  ", s->unit);
	field(&o, "Cấp học:         ", s->level);
	field(&o, "Cổng thông tin:  ", s->portal_url);
	field(&o, "Năm học:         ", view_pick(r->period, m->period));
	field(&o, "Tính đến ngày:   ", view_pick(r->as_of, m->as_of));
	ruleset_line(&o, view_pick(r->ruleset, m->ruleset),
		     view_pick(r->ruleset_version, m->ruleset_version),
		     view_pick(r->ruleset_hash, m->ruleset_hash));
	out_f(&o, "Trang thu thập:  %d (lỗi: %d)\n", r->pages, r->errors);
	run_line(&o, "Lần thu thập:    ", r->crawl_run_id ? r->crawl_run_id : m->crawl_run);
	run_line(&o, "Lần đánh giá:    ", r->run_id ? r->run_id : m->audit_run);
	score_line(&o, r);
	out_s(&o, "\n  ");
	out_text_col(&o, "Mục", COL_ITEM);
	out_s(&o, "  ");
	out_text_col(&o, "Kết quả", COL_VERDICT);
	out_s(&o, "  ");
	out_text_col(&o, "Năm học", COL_PERIOD);
	out_s(&o, "  Ngày (nguồn)\n");
	for (i = 0; i < r->nfindings; i++)
		finding_row(&o, &r->findings[i]);
	if (!r->nfindings)
		out_s(&o, "  (không có kết quả)\n");
	scoring_footer(&o, &m->scoring);
	out_s(&o, "Trọng số:        ");
	for (i = 0; i < r->nfindings; i++) {
		out_s(&o, i ? "; " : "");
		out_text(&o, r->findings[i].item);
		out_s(&o, " ");
		out_num(&o, r->findings[i].weight);
	}
	out_s(&o, "\n");
	return out_finish(&o);
}

static void list_header(struct out *o, const struct report_view *v)
{
	const struct report_meta *m = v->m;

	out_text(o, v->title);
	out_s(o, "\n");
	field(o, "Loại báo cáo:    ", v->kind);
	if (v->selector)
		field(o, "Đơn vị:          ", v->selector);
	field(o, "Năm học:         ", m->period);
	field(o, "Tính đến ngày:   ", m->as_of);
	ruleset_line(o, m->ruleset, m->ruleset_version, m->ruleset_hash);
	run_line(o, "Lần thu thập:    ", m->crawl_run);
	run_line(o, "Lần đánh giá:    ", m->audit_run);
	out_f(o, "Số trường:       %zu (chấm điểm được: %zu)\n\n", v->n, v->nassessed);
}

static void school_table(struct out *o, const struct report_view *v)
{
	char num[32];
	size_t i;

	out_s(o, v->ranking ? "  Hạng  Hạng ĐV-cấp  " : "  ");
	out_text_col(o, "Mã trường", 14);
	out_s(o, "  ");
	out_text_col(o, "Tên trường", 36);
	out_s(o, "  ");
	out_text_col(o, "Đơn vị", 16);
	out_s(o, "  ");
	out_text_col(o, "Cấp", 8);
	out_s(o, "   Điểm  Xếp loại\n");
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
		out_text_col(o, s->level, 8);
		out_fmt_vi(num, sizeof(num), vs->r->score, 1);
		out_f(o, "  %5s  ", num);
		out_text(o, vs->r->rating ? vs->r->rating : "—");
		out_s(o, "\n");
	}
	if (!v->nassessed)
		out_s(o, "  (không có trường nào được chấm điểm)\n");
}

static void distribution(struct out *o, const struct report_view *v)
{
	char num[32];
	size_t i;

	out_s(o, "\nPhân bố xếp loại: ");
	for (i = 0; i < v->m->scoring.nbands; i++) {
		out_s(o, i ? "; " : "");
		out_text(o, v->m->scoring.bands[i].rating);
		out_f(o, ": %zu", v->band_count[i]);
	}
	if (v->other_rating || !v->m->scoring.nbands)
		out_f(o, "%skhác: %zu", v->m->scoring.nbands ? "; " : "", v->other_rating);
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
		out_text(o, view_reason_vi(view_unassessed_reason(r)));
		out_s(o, "\n");
	}
}

static status text_schools(FILE *f, const struct report_view *v)
{
	struct out o;
	size_t i;

	out_init(&o, f);
	list_header(&o, v);
	school_table(&o, v);
	distribution(&o, v);
	if (v->show_units)
		table_write_text(&o, &v->city->units);
	if (v->show_levels)
		table_write_text(&o, &v->city->levels);
	unassessed(&o, v);
	scoring_footer(&o, &v->m->scoring);
	out_s(&o, "Trọng số:        ");
	for (i = 0; i < v->nitems; i++) {
		out_s(&o, i ? "; " : "");
		out_text(&o, v->items[i].item);
		out_s(&o, " ");
		out_num(&o, v->items[i].weight);
	}
	out_s(&o, "\n");
	return out_finish(&o);
}

const struct report_writer text_writer = {
    .name = "text",
    .format = REPORT_TEXT,
    .school = text_school,
    .schools = text_schools,
};
