/* Markdown: GitHub-flavoured tables.  Every crawled string goes through
 * escape_md, which also defuses raw HTML (Markdown passes it through). */
#include <math.h>
#include <stdlib.h>

#include "reports/city.h"
#include "reports/out.h"
#include "reports/writer.h"

static void item(struct out *o, const char *label, const char *value)
{
	out_f(o, "- **%s:** ", label);
	out_md(o, value && value[0] ? value : "—");
	out_s(o, "\n");
}

static void run_item(struct out *o, const char *label, int64_t id)
{
	if (id)
		out_f(o, "- **%s:** %lld\n", label, (long long)id);
	else
		out_f(o, "- **%s:** —\n", label);
}

static void ruleset(struct out *o, const char *name, const char *version, const char *hash)
{
	out_s(o, "- **Bộ quy tắc:** ");
	out_md(o, name ? name : "—");
	if (version) {
		out_s(o, ", phiên bản ");
		out_md(o, version);
	}
	if (hash) {
		out_s(o, ", mã băm ");
		out_md(o, hash);
	}
	out_s(o, "\n");
}

static void footer(struct out *o, const struct report_scoring *s, const struct view_item *items,
		   size_t nitems)
{
	char formula[512], num[32];
	size_t i;

	view_formula(formula, sizeof(formula), s);
	out_f(o, "\n## Cách tính điểm\n\n%s\n\n| Xếp loại | Điểm tối thiểu |\n| --- | ---: |\n",
	      formula);
	for (i = 0; i < s->nbands; i++) {
		out_fmt_vi(num, sizeof(num), s->bands[i].min, 1);
		out_s(o, "| ");
		out_md(o, s->bands[i].rating);
		out_f(o, " | %s |\n", num);
	}
	out_s(o, "\n| Mục | Tên | Trọng số |\n| --- | --- | ---: |\n");
	for (i = 0; i < nitems; i++) {
		out_s(o, "| ");
		out_md(o, items[i].item);
		out_s(o, " | ");
		out_md(o, items[i].title);
		out_s(o, " | ");
		out_num(o, items[i].weight);
		out_s(o, " |\n");
	}
}

static void finding_row(struct out *o, const struct finding *f)
{
	out_s(o, "| ");
	out_md(o, f->title ? f->title : f->item);
	out_f(o, " | %s | ", view_verdict_label(f->verdict));
	out_md(o, f->period_found ? f->period_found : "—");
	out_s(o, " | ");
	out_md(o, f->date ? f->date : "—");
	if (f->date_source) {
		out_s(o, " (");
		out_md(o, f->date_source);
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

static status md_school(FILE *f, const struct report_meta *m, const struct school_result *r)
{
	struct view_item *items = NULL;
	size_t nitems = 0, i;
	char num[32];
	struct out o;
	status st;

	if ((st = view_items_of(r, &items, &nitems)) < 0)
		return st;
	out_init(&o, f);
	out_s(&o, "# ");
	out_md(&o, r->school.name ? r->school.name : r->school.id);
	out_s(&o, "\n\n");
	item(&o, "Mã trường", r->school.id);
	item(&o, "Đơn vị quản lý", r->school.unit);
	item(&o, "Cấp học", r->school.level);
	item(&o, "Cổng thông tin", r->school.portal_url);
	item(&o, "Năm học", view_pick(r->period, m->period));
	item(&o, "Tính đến ngày", view_pick(r->as_of, m->as_of));
	ruleset(&o, view_pick(r->ruleset, m->ruleset),
		view_pick(r->ruleset_version, m->ruleset_version),
		view_pick(r->ruleset_hash, m->ruleset_hash));
	out_f(&o, "- **Trang đã thu thập:** %d (lỗi: %d)\n", r->pages, r->errors);
	run_item(&o, "Lần thu thập", r->crawl_run_id ? r->crawl_run_id : m->crawl_run);
	run_item(&o, "Lần đánh giá", r->run_id ? r->run_id : m->audit_run);
	if (r->has_score && isfinite(r->score)) {
		out_fmt_vi(num, sizeof(num), r->score, 1);
		out_f(&o, "- **Điểm:** %s / 100\n", num);
		item(&o, "Xếp loại", r->rating);
	} else {
		item(&o, "Điểm", "không đánh giá được");
		item(&o, "Lý do", view_reason_vi(view_unassessed_reason(r)));
	}
	out_s(&o,
	      "\n## Kết quả\n\n| Mục | Kết quả | Năm học | Ngày (nguồn) | Trọng số | Bằng chứng "
	      "|\n| --- | --- | --- | --- | ---: | --- |\n");
	for (i = 0; i < r->nfindings; i++)
		finding_row(&o, &r->findings[i]);
	footer(&o, &m->scoring, items, nitems);
	free(items);
	return out_finish(&o);
}

static void school_rows(struct out *o, const struct report_view *v)
{
	char num[32];
	size_t i;

	out_s(o, v->ranking ? "| Hạng | Hạng trong đơn vị và cấp " : "");
	out_s(o, "| Mã trường | Tên trường | Đơn vị | Cấp | Điểm | Xếp loại |\n");
	out_s(o, v->ranking ? "| ---: | ---: " : "");
	out_s(o, "| --- | --- | --- | --- | ---: | --- |\n");
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
		out_md(o, s->level);
		out_fmt_vi(num, sizeof(num), vs->r->score, 1);
		out_f(o, " | %s | ", num);
		out_md(o, vs->r->rating ? vs->r->rating : "—");
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

static status md_schools(FILE *f, const struct report_view *v)
{
	const struct report_meta *m = v->m;
	struct out o;
	size_t i;

	out_init(&o, f);
	out_s(&o, "# ");
	out_md(&o, v->title);
	out_s(&o, "\n\n");
	item(&o, "Loại báo cáo", v->kind);
	if (v->selector)
		item(&o, "Đơn vị", v->selector);
	item(&o, "Năm học", m->period);
	item(&o, "Tính đến ngày", m->as_of);
	ruleset(&o, m->ruleset, m->ruleset_version, m->ruleset_hash);
	run_item(&o, "Lần thu thập", m->crawl_run);
	run_item(&o, "Lần đánh giá", m->audit_run);
	out_f(&o, "- **Số trường:** %zu (chấm điểm được: %zu)\n\n## Các trường\n\n", v->n,
	      v->nassessed);
	school_rows(&o, v);
	out_s(&o, "\n## Phân bố xếp loại\n\n| Xếp loại | Số trường |\n| --- | ---: |\n");
	for (i = 0; i < m->scoring.nbands; i++) {
		out_s(&o, "| ");
		out_md(&o, m->scoring.bands[i].rating);
		out_f(&o, " | %zu |\n", v->band_count[i]);
	}
	if (v->other_rating)
		out_f(&o, "| khác | %zu |\n", v->other_rating);
	if (v->show_units)
		table_write_md(&o, &v->city->units);
	item_rows(&o, v);
	if (v->show_levels)
		table_write_md(&o, &v->city->levels);
	if (v->nassessed < v->n) {
		out_s(
		    &o,
		    "\n## Không đánh giá được (không xếp hạng)\n\n| Mã trường | Tên trường | Lý do "
		    "|\n| --- | --- | --- |\n");
		for (i = v->nassessed; i < v->n; i++) {
			const struct school_result *r = v->schools[i].r;

			out_s(&o, "| ");
			out_md(&o, r->school.id);
			out_s(&o, " | ");
			out_md(&o, r->school.name);
			out_s(&o, " | ");
			out_md(&o, view_reason_vi(view_unassessed_reason(r)));
			out_s(&o, " |\n");
		}
	}
	footer(&o, &m->scoring, v->items, v->nitems);
	return out_finish(&o);
}

const struct report_writer md_writer = {
    .name = "md",
    .format = REPORT_MD,
    .school = md_school,
    .schools = md_schools,
};
