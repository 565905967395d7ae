/* Markdown: GitHub-flavoured tables.  Every crawled string goes through
 * escape_md, which also defuses raw HTML (Markdown passes it through). */
#include <math.h>

#include "reports/doc.h"
#include "reports/out.h"
#include "reports/wording.h"
#include "reports/writer.h"

/* One "- **label:** value" line ("—" when empty). */
static void item(struct out *o, const char *label, const char *value)
{
	out_f(o, "- **%s:** ", label);
	out_md(o, value && value[0] ? value : "—");
	out_s(o, "\n");
}

/* What was audited: period, as-of date and rule set. */
static void scope_items(struct out *o, const struct report_facts *fx)
{
	item(o, "Năm học", fx->period);
	item(o, "Tính đến ngày", fx->as_of);
	out_s(o, "- **Bộ quy tắc:** ");
	out_md(o, fx->ruleset ? fx->ruleset : "—");
	if (fx->ruleset_version) {
		out_s(o, ", phiên bản ");
		out_md(o, fx->ruleset_version);
	}
	if (fx->ruleset_hash) {
		out_s(o, ", mã băm ");
		out_md(o, fx->ruleset_hash);
	}
	out_s(o, "\n");
}

/* Where the numbers come from (view_provenance). */
static void run_items(struct out *o, const struct report_facts *fx)
{
	struct view_fact pf[VIEW_NPROV];
	size_t n = view_provenance(pf, fx);

	for (size_t i = 0; i < n; i++)
		item(o, pf[i].label, pf[i].value);
}

/* How scores are computed: the formula, the bands and the weights, as
 * tables. */
static void footer(struct out *o, const struct report_facts *fx)
{
	const struct report_scoring *s = fx->scoring;
	const struct view_item *items = fx->items;
	size_t nitems = fx->nitems, i;
	char formula[512], num[32];

	view_formula(formula, sizeof(formula), s);
	out_f(o, "\n## Cách tính điểm\n\n%s\n\n| Xếp loại | Điểm tối thiểu |\n| --- | ---: |\n",
	      formula);
	for (i = 0; i < s->nbands; i++) {
		out_fmt_vi(num, sizeof(num), s->bands[i].min, 1);
		out_s(o, "| ");
		out_md(o, s->bands[i].rating);
		out_f(o, " | %s |\n", num);
	}
	out_s(o, "\n| Mục | Căn cứ | Trọng số |\n| --- | --- | ---: |\n");
	for (i = 0; i < nitems; i++) {
		char basis[256];

		out_s(o, "| ");
		out_md(o, items[i].title ? items[i].title : items[i].item);
		out_s(o, " <sub>");
		out_md(o, items[i].item);
		out_s(o, "</sub> | ");
		out_md(o,
		       items[i].basis ? wording_basis(basis, sizeof(basis), items[i].basis) : "—");
		out_s(o, " | ");
		out_num(o, items[i].weight);
		out_s(o, " |\n");
	}
}

static void finding_row(struct out *o, const struct finding *f)
{
	out_s(o, "| ");
	out_md(o, f->title ? f->title : f->item);
	out_f(o, " | %s", verdict_label(f->verdict));
	/* Beside a verdict a person decided, what the machine said. */
	if (f->decision_state == DECISION_APPLIED)
		out_f(o, " (máy đánh giá: %s)", verdict_label(f->machine_verdict));
	else if (f->decision_state == DECISION_OUTDATED)
		out_s(o, " (cần xem xét lại)");
	out_s(o, " | ");
	out_md(o, f->period_found ? f->period_found : "—");
	out_s(o, " | ");
	out_md(o, f->date ? f->date : "—");
	if (f->date_source) {
		out_s(o, " (");
		out_md(o, wording_date_source(f->date_source));
		out_s(o, ")");
	}
	out_s(o, " | ");
	out_num(o, f->weight);
	out_s(o, " | ");
	out_md(o, f->url ? f->url : "—");
	if (f->evidence) {
		out_s(o, " «");
		out_md(o, f->evidence);
		out_s(o, "»");
	}
	out_s(o, " |\n");
}

/* One "  - label: value" line of a finding's details ("" prints nothing). */
static void sub_item(struct out *o, const char *label, const char *value)
{
	if (!value || !value[0])
		return;
	out_f(o, "  - %s: ", label);
	out_md(o, value);
	out_s(o, "\n");
}

/* Under the table, each item in full: the requirement, what was found,
 * where the program looked and how to fix it. */
static void finding_details(struct out *o, const struct finding *f, const struct school_result *r,
			    const char *period)
{
	struct wording_decision d;
	struct wording_finding w;

	wording_finding_init(&w, f, r, period);
	out_s(o, "- **");
	out_md(o, f->title ? f->title : f->item);
	out_f(o, "** (%s) <sub>", verdict_label(f->verdict));
	out_md(o, f->item);
	out_s(o, "</sub>\n");
	wording_decision_init(&d, f);
	for (size_t i = 0; i < d.n; i++)
		sub_item(o, d.line[i].label, d.line[i].value);
	sub_item(o, "Yêu cầu", w.requirement ? w.requirement : w.basis);
	sub_item(o, "Bằng chứng", f->url);
	sub_item(o, "Nội dung khớp", f->evidence);
	sub_item(o, "Ngày", w.date);
	sub_item(o, "Ghi chú", w.note ? w.note : f->note);
	sub_item(o, "Đã tìm", w.looked);
	sub_item(o, "Cách khắc phục", w.remedy);
	wording_finding_release(&w);
}

/* What people's decisions changed, and the decisions to review again. */
static void reviewed_items(struct out *o, const struct school_result *r)
{
	struct view_fact rf[2];
	size_t n = view_reviewed_facts(rf, r);

	for (size_t i = 0; i < n; i++)
		item(o, rf[i].label, rf[i].value);
}

static status md_school(FILE *f, const struct report_facts *fx, const struct school_result *r)
{
	char num[32], level[128];
	struct out o;
	size_t i;

	out_init(&o, f, fx->stop);
	out_s(&o, "# ");
	out_md(&o, r->school.name ? r->school.name : r->school.id);
	out_s(&o, "\n\n");
	item(&o, "Mã trường", r->school.id);
	item(&o, "Đơn vị quản lý", r->school.unit);
	item(&o, "Cấp học", wording_level(level, sizeof(level), r->school.level));
	item(&o, "Cổng thông tin", r->school.portal_url);
	scope_items(&o, fx);
	out_f(&o, "- **Trang đã thu thập:** %d (lỗi: %d)\n", r->pages, r->errors);
	run_items(&o, fx);
	if (r->has_score && isfinite(r->score)) {
		out_fmt_vi(num, sizeof(num), r->score, 1);
		out_f(&o, "- **Điểm:** %s / 100\n", num);
		item(&o, "Xếp loại", r->rating);
	} else {
		item(&o, "Điểm", "không đánh giá được");
		out_s(&o, "- **Lý do:** ");
		view_print_vi(&o, out_md, view_unassessed_reason(r));
		out_s(&o, "\n");
	}
	reviewed_items(&o, r);
	out_s(&o,
	      "\n## Kết quả\n\n| Mục | Kết quả | Năm học | Ngày (nguồn) | Trọng số | Bằng chứng "
	      "|\n| --- | --- | --- | --- | ---: | --- |\n");
	for (i = 0; i < r->nfindings; i++)
		finding_row(&o, &r->findings[i]);
	if (r->nfindings)
		out_s(&o, "\n## Yêu cầu, kết quả và cách khắc phục\n\n");
	for (i = 0; i < r->nfindings; i++)
		finding_details(&o, &r->findings[i], r, fx->period);
	footer(&o, fx);
	return out_finish(&o);
}

static void school_rows(struct out *o, const struct report_view *v)
{
	char num[32], level[128];
	size_t i;

	out_s(o, v->ranking ? "| Hạng | Hạng trong đơn vị và cấp " : "");
	out_s(o, "| Mã trường | Tên trường | Đơn vị | Cấp | Điểm | Xếp loại |");
	out_s(o, v->nreviewed ? " Đã xem xét |\n" : "\n");
	out_s(o, v->ranking ? "| ---: | ---: " : "");
	out_s(o, "| --- | --- | --- | --- | ---: | --- |");
	out_s(o, v->nreviewed ? " --- |\n" : "\n");
	for (i = 0; i < v->nassessed; i++) {
		const struct view_school *vs = &v->schools[i];
		const struct school_info *s = &vs->r->school;

		if (v->ranking)
			out_f(o, "| %zu | %zu ", vs->rank, vs->group_rank);
		out_s(o, "| ");
		out_md(o, s->id);
		out_s(o, " | ");
		out_md(o, s->name);
		out_s(o, " | ");
		out_md(o, s->unit);
		out_s(o, " | ");
		out_md(o, wording_level(level, sizeof(level), s->level));
		out_fmt_vi(num, sizeof(num), vs->r->score, 1);
		out_f(o, " | %s | ", num);
		out_md(o, vs->r->rating ? vs->r->rating : "—");
		if (v->nreviewed) {
			char cell[160];

			out_s(o, " | ");
			out_md(o, view_reviewed_cell(cell, sizeof(cell), vs));
		}
		out_s(o, " |\n");
	}
}

static void item_rows(struct out *o, const struct report_view *v)
{
	char num[32];
	size_t i;

	out_s(o, "\n## Tỷ lệ đạt theo mục\n\n| Mục | Đạt | Cũ | Thiếu | Cần xem xét | Không truy "
		 "cập được | Tỷ lệ đạt |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (i = 0; i < v->nitems; i++) {
		const struct view_item *it = &v->items[i];

		out_s(o, "| ");
		out_md(o, it->title ? it->title : it->item);
		out_f(o, " | %zu | %zu | %zu | %zu | %zu | ", it->count[VERDICT_PASS],
		      it->count[VERDICT_STALE], it->count[VERDICT_MISSING],
		      it->count[VERDICT_REVIEW], it->count[VERDICT_UNREACHABLE]);
		if (it->has_rate) {
			out_fmt_vi(num, sizeof(num), it->rate * 100, 1);
			out_f(o, "%s %% |\n", num);
		} else {
			out_s(o, "— |\n");
		}
	}
}

static void heading(struct out *o, const char *title, const char *kind)
{
	out_s(o, "# ");
	out_md(o, title);
	out_s(o, "\n\n");
	item(o, "Loại báo cáo", wording_kind(kind));
}

static status md_schools(FILE *f, const struct report_view *v, const struct city *c)
{
	const struct report_scoring *s = v->facts.scoring;
	struct out o;
	size_t i;

	out_init(&o, f, v->facts.stop);
	heading(&o, v->facts.title, v->kind);
	if (v->selector)
		item(&o, "Đơn vị", v->selector);
	scope_items(&o, &v->facts);
	run_items(&o, &v->facts);
	out_f(&o,
	      "- **Số trường:** %zu (chấm điểm được: %zu; chưa thu thập: %zu)\n\n"
	      "## Các trường\n\n",
	      v->n, v->nassessed, v->nnot_crawled);
	school_rows(&o, v);
	out_s(&o, "\n## Phân bố xếp loại\n\n| Xếp loại | Số trường |\n| --- | ---: |\n");
	for (i = 0; i < s->nbands; i++) {
		out_s(&o, "| ");
		out_md(&o, s->bands[i].rating);
		out_f(&o, " | %zu |\n", v->band_count[i]);
	}
	if (v->other_rating)
		out_f(&o, "| khác | %zu |\n", v->other_rating);
	if (v->show_units)
		table_write_md(&o, &c->units);
	item_rows(&o, v);
	if (v->show_levels)
		table_write_md(&o, &c->levels);
	if (v->nassessed < v->n) {
		out_s(&o,
		      "\n## Không đánh giá được (không xếp hạng)\n\n| Mã trường | Tên trường | Lý do "
		      "|\n| --- | --- | --- |\n");
		for (i = v->nassessed; i < v->n; i++) {
			const struct school_result *r = v->schools[i].r;

			out_s(&o, "| ");
			out_md(&o, r->school.id);
			out_s(&o, " | ");
			out_md(&o, r->school.name);
			out_s(&o, " | ");
			view_print_vi(&o, out_md, view_unassessed_reason(r));
			out_s(&o, " |\n");
		}
	}
	footer(&o, &v->facts);
	return out_finish(&o);
}

/* A table report states its facts as a list, then the scoring inline. */
static void doc_footer(struct out *o, const struct report_facts *fx)
{
	char formula[512];

	view_formula(formula, sizeof(formula), fx->scoring);
	out_f(o, "\n## Cách tính điểm\n\n%s\n\n- **Xếp loại:** ", formula);
	view_bands_weights(o, fx, out_md, "- **Trọng số:** ");
}

static status md_doc(FILE *f, const struct doc *d)
{
	struct out o;
	size_t i;

	out_init(&o, f, d->facts.stop);
	heading(&o, d->facts.title, d->kind);
	if (d->selector)
		item(&o, "Chọn", d->selector);
	run_items(&o, &d->facts);
	scope_items(&o, &d->facts);
	if (d->has_prev) {
		out_s(&o, "\n**So sánh với lần đánh giá trước:**\n\n");
		run_items(&o, &d->prev);
		scope_items(&o, &d->prev);
	}
	for (i = 0; i < d->ntables; i++)
		table_write_md(&o, d->tables[i]);
	if (d->nnotes)
		out_s(&o, "\n## Ghi chú về dữ liệu\n\n");
	for (i = 0; i < d->nnotes; i++) {
		out_s(&o, "- ");
		out_md(&o, d->notes[i]);
		out_s(&o, "\n");
	}
	doc_footer(&o, &d->facts);
	return out_finish(&o);
}

const struct report_writer md_writer = {
	.name = "md",
	.format = REPORT_MD,
	.school = md_school,
	.schools = md_schools,
	.doc = md_doc,
};
