#include "reports/doc.h"

#include <stdlib.h>
#include <string.h>

#include "reports/escape.h"
#include "reports/html.h"
#include "reports/view.h"

#define BOM "\xEF\xBB\xBF"

/* ---- text and Markdown ---------------------------------------------- */

/* One "label: value" line; md selects the Markdown list form. */
static void fact(struct out *o, bool md, const char *label, const char *value)
{
	if (md) {
		out_f(o, "- **%s:** ", label);
		out_md(o, value && value[0] ? value : "—");
	} else {
		size_t w = escape_text_width(label);

		out_f(o, "%s:%-*s", label, (int)(w < 16 ? 16 - w : 1), "");
		out_text(o, value && value[0] ? value : "—");
	}
	out_s(o, "\n");
}

static void run_fact(struct out *o, bool md, const char *label, int64_t id)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", (long long)id);
	fact(o, md, label, id ? num : NULL);
}

static void ruleset_fact(struct out *o, bool md, const struct report_meta *m)
{
	void (*esc)(struct out *, const char *) = md ? out_md : out_text;

	if (md)
		out_s(o, "- **Bộ quy tắc:** ");
	else
		out_s(o, "Bộ quy tắc:      ");
	esc(o, m->ruleset ? m->ruleset : "—");
	if (m->ruleset_version) {
		out_s(o, ", phiên bản ");
		esc(o, m->ruleset_version);
	}
	if (m->ruleset_hash) {
		out_s(o, ", mã băm ");
		esc(o, m->ruleset_hash);
	}
	out_s(o, "\n");
}

/* The facts of a run: which crawl and audit, period, as-of, rule set. */
static void run_facts(struct out *o, bool md, const struct report_meta *m)
{
	run_fact(o, md, "Lần thu thập", m->crawl_run);
	run_fact(o, md, "Lần đánh giá", m->audit_run);
	fact(o, md, "Năm học", m->period);
	fact(o, md, "Tính đến ngày", m->as_of);
	ruleset_fact(o, md, m);
}

static void plain_header(struct out *o, bool md, const struct doc *d)
{
	if (md) {
		out_s(o, "# ");
		out_md(o, d->title);
		out_s(o, "\n\n");
	} else {
		out_text(o, d->title);
		out_s(o, "\n");
	}
	fact(o, md, "Loại báo cáo", d->kind);
	if (d->selector)
		fact(o, md, "Chọn", d->selector);
	run_facts(o, md, d->m);
	if (d->prev) {
		out_s(o, md ? "\n**So sánh với lần đánh giá trước:**\n\n" : "\nSo sánh với:\n");
		run_facts(o, md, d->prev);
	}
}

static void plain_notes(struct out *o, bool md, const struct doc *d)
{
	size_t i;

	if (!d->nnotes)
		return;
	out_s(o, md ? "\n## Ghi chú về dữ liệu\n\n" : "\nGhi chú về dữ liệu:\n");
	for (i = 0; i < d->nnotes; i++) {
		out_s(o, md ? "- " : "  - ");
		if (md)
			out_md(o, d->notes[i]);
		else
			out_text(o, d->notes[i]);
		out_s(o, "\n");
	}
}

/* How scores are computed, the bands and the weights: stated by every
 * report, even one that shows no score, so its reader knows the rules. */
static void plain_footer(struct out *o, bool md, const struct report_meta *m)
{
	void (*esc)(struct out *, const char *) = md ? out_md : out_text;
	char formula[512], num[32];
	size_t i;

	view_formula(formula, sizeof(formula), &m->scoring);
	out_s(o, md ? "\n## Cách tính điểm\n\n" : "\nCách tính điểm:  ");
	out_s(o, formula);
	out_s(o, md ? "\n\n- **Xếp loại:** " : "\nXếp loại:        ");
	for (i = 0; i < m->scoring.nbands; i++) {
		out_fmt_vi(num, sizeof(num), m->scoring.bands[i].min, 1);
		out_s(o, i ? "; " : "");
		esc(o, m->scoring.bands[i].rating);
		out_f(o, " ≥ %s", num);
	}
	out_s(o, md ? "\n- **Trọng số:** " : "\nTrọng số:        ");
	for (i = 0; i < m->nweights; i++) {
		out_s(o, i ? "; " : "");
		esc(o, m->weights[i].item);
		out_s(o, " ");
		out_num(o, m->weights[i].weight);
	}
	out_s(o, m->nweights ? "\n" : "—\n");
}

static status write_plain(FILE *f, bool md, const struct doc *d)
{
	struct out o;
	size_t i;

	out_init(&o, f);
	plain_header(&o, md, d);
	for (i = 0; i < d->ntables; i++) {
		if (md)
			table_write_md(&o, d->tables[i]);
		else
			table_write_text(&o, d->tables[i]);
	}
	plain_notes(&o, md, d);
	plain_footer(&o, md, d->m);
	return out_finish(&o);
}

/* ---- CSV and JSON ---------------------------------------------------- */

static status write_csv(FILE *f, const struct doc *d)
{
	struct out o;

	out_init(&o, f);
	out_s(&o, BOM);
	if (d->csv_table < d->ntables)
		table_write_csv(&o, d->tables[d->csv_table]);
	return out_finish(&o);
}

static void json_run(struct out *o, const struct report_meta *m)
{
	out_s(o, "\"crawl_run\": ");
	if (m->crawl_run)
		out_f(o, "%lld", (long long)m->crawl_run);
	else
		out_s(o, "null");
	out_s(o, ", \"period\": ");
	out_json(o, m->period);
	out_s(o, ", \"as_of\": ");
	out_json(o, m->as_of);
	out_s(o, ", \"ruleset\": ");
	out_json(o, m->ruleset);
	out_s(o, ", \"ruleset_version\": ");
	out_json(o, m->ruleset_version);
	out_s(o, ", \"ruleset_hash\": ");
	out_json(o, m->ruleset_hash);
}

void doc_json_meta(struct out *o, const struct doc *d)
{
	const struct report_scoring *s = &d->m->scoring;
	size_t i;

	out_s(o, "{\"title\": ");
	out_json(o, d->title);
	out_s(o, ", ");
	json_run(o, d->m);
	out_s(o, ",\n    \"scoring\": {\"stale_credit\": ");
	out_num(o, s->stale_credit);
	out_s(o, ", \"bands\": [");
	for (i = 0; i < s->nbands; i++) {
		out_s(o, i ? ", {\"rating\": " : "{\"rating\": ");
		out_json(o, s->bands[i].rating);
		out_s(o, ", \"min\": ");
		out_num(o, s->bands[i].min);
		out_s(o, "}");
	}
	out_s(o, "], \"weights\": [");
	for (i = 0; i < d->m->nweights; i++) {
		out_s(o, i ? ", {\"item\": " : "{\"item\": ");
		out_json(o, d->m->weights[i].item);
		out_s(o, ", \"weight\": ");
		out_num(o, d->m->weights[i].weight);
		out_s(o, "}");
	}
	out_s(o, "]}");
	if (d->prev) {
		out_s(o, ",\n    \"compare_to\": {");
		json_run(o, d->prev);
		out_s(o, "}");
	}
	out_s(o, "}");
}

void doc_json_notes(struct out *o, const struct doc *d)
{
	size_t i;

	out_s(o, d->nnotes ? "[" : "[]");
	for (i = 0; i < d->nnotes; i++) {
		out_s(o, i ? ",\n    " : "\n    ");
		out_json(o, d->notes[i]);
	}
	if (d->nnotes)
		out_s(o, "\n  ]");
}

static status write_json(FILE *f, const struct doc *d)
{
	struct out o;
	size_t i;

	out_init(&o, f);
	out_s(&o, "{\n  \"kind\": ");
	out_json(&o, d->kind);
	out_s(&o, ",\n  \"selector\": ");
	out_json(&o, d->selector);
	out_s(&o, ",\n  \"meta\": ");
	doc_json_meta(&o, d);
	for (i = 0; i < d->ntables; i++) {
		out_s(&o, ",\n  ");
		out_json(&o, d->tables[i]->key);
		out_s(&o, ": ");
		table_write_json(&o, d->tables[i], 2);
	}
	out_s(&o, ",\n  \"notes\": ");
	doc_json_notes(&o, d);
	out_s(&o, "\n}\n");
	return out_finish(&o);
}

/* ---- HTML ------------------------------------------------------------ */

static void html_run_facts(struct out *o, const struct report_meta *m)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", (long long)m->audit_run);
	html_fact(o, "Lần đánh giá", m->audit_run ? num : NULL);
	snprintf(num, sizeof(num), "%lld", (long long)m->crawl_run);
	html_fact(o, "Lần thu thập", m->crawl_run ? num : NULL);
	html_fact(o, "Năm học", m->period);
	html_fact(o, "Tính đến ngày", m->as_of);
	html_ruleset_fact(o, m->ruleset, m->ruleset_version, m->ruleset_hash);
}

static status write_html(FILE *f, const struct doc *d)
{
	const struct report_meta *m = d->m;
	const char *rs[3] = {m->ruleset, m->ruleset_version, m->ruleset_hash};
	struct out o;
	size_t i;

	out_init(&o, f);
	html_head(&o, d->title);
	out_s(&o, "<header>\n<h1>");
	out_html(&o, d->title);
	out_s(&o, "</h1>\n<dl class=\"facts\">\n");
	if (d->selector)
		html_fact(&o, "Chọn", d->selector);
	html_run_facts(&o, m);
	out_s(&o, "</dl>\n");
	if (d->prev) {
		out_s(&o, "<p class=\"cmp\">So sánh với lần đánh giá trước:</p>\n<dl class=\"facts\">\n");
		html_run_facts(&o, d->prev);
		out_s(&o, "</dl>\n");
	}
	out_s(&o, "</header>\n<main>\n");
	if (d->chart_title)
		html_bars(&o, d->chart_title, d->chart_labels, d->chart_values, d->chart_has,
			  d->chart_n, d->chart_pct);
	for (i = 0; i < d->ntables; i++)
		table_write_html(&o, d->tables[i]);
	if (d->nnotes) {
		out_s(&o, "<h2>Ghi chú về dữ liệu</h2>\n<ul class=\"notes\">\n");
		for (i = 0; i < d->nnotes; i++) {
			out_s(&o, "<li>");
			out_html(&o, d->notes[i]);
			out_s(&o, "</li>\n");
		}
		out_s(&o, "</ul>\n");
	}
	out_s(&o, "</main>\n");
	html_footer(&o, m, m->crawl_run, m->audit_run, m->period, m->as_of, rs, NULL, 0);
	return out_finish(&o);
}

status doc_write(FILE *f, enum report_format fmt, const struct doc *d)
{
	size_t i;

	for (i = 0; i < d->ntables; i++)
		if (d->tables[i]->st < 0)
			return d->tables[i]->st;
	switch (fmt) {
	case REPORT_TEXT:
		return write_plain(f, false, d);
	case REPORT_MD:
		return write_plain(f, true, d);
	case REPORT_CSV:
		return write_csv(f, d);
	case REPORT_JSON:
		return write_json(f, d);
	case REPORT_HTML:
		return write_html(f, d);
	case REPORT_XLSX:
		return xlsx_write_doc(f, d);
	}
	return status_set(ST_INVALID, "unknown report format %d", (int)fmt);
}
