/* The adoption report in every format, and its compare form.  Human
 * formats (text, Markdown, HTML) show one "with portal / schools (rate)"
 * cell per level; machine formats (CSV, XLSX) one number per column; JSON
 * has the nested shape of docs/REPORTS.md. */
#include "reports/adoption_write.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "reports/adoption.h"
#include "reports/doc.h"
#include "reports/out.h"

static const char title[] =
    "Thống kê trường có cổng thông tin điện tử hoạt động (phụ lục công văn 3630/GDĐT-TTTT)";
static const char total_label[] = "Toàn thành phố";
static const char *const group_labels[ADOPTION_NLEVELS + 1] = {
    "Tất cả", "Mầm non", "Tiểu học", "THCS", "THPT", "GDTX"};

static const struct adoption_cell *group(const struct adoption_row *r, size_t g)
{
	return g == 0 ? &r->all : &r->level[g - 1];
}

static const char *group_key(size_t g)
{
	return g == 0 ? "all" : adoption_levels[g - 1];
}

/* "18/98 (18,4%)", or "—" for a level with no school. */
static char *compact(const struct adoption_cell *c)
{
	char pct[40], *s;
	double rate;
	struct buf b = BUF_INIT(128);

	if (!adoption_rate(c, &rate))
		return str_dup("—");
	out_fmt_vi(pct, sizeof(pct), rate * 100, 1);
	if (buf_printf(&b, "%zu/%zu (%s%%)", c->with_portal, c->schools, pct) < 0) {
		buf_release(&b);
		return NULL;
	}
	s = buf_detach(&b);
	return s;
}

static void human_row(struct table *t, const struct adoption_row *r, const char *unit)
{
	size_t row = table_row(t), g;

	table_text(t, row, 0, unit);
	for (g = 0; g <= ADOPTION_NLEVELS; g++)
		table_own(t, row, 1 + g, compact(group(r, g)));
}

static void machine_row(struct table *t, const struct adoption_row *r, const char *unit)
{
	size_t row = table_row(t), g;
	double rate;

	table_text(t, row, 0, unit);
	for (g = 0; g <= ADOPTION_NLEVELS; g++) {
		const struct adoption_cell *c = group(r, g);

		table_num(t, row, 1 + 3 * g, (double)c->with_portal);
		table_num(t, row, 2 + 3 * g, (double)c->schools);
		if (adoption_rate(c, &rate))
			table_num(t, row, 3 + 3 * g, rate);
	}
}

static void build_table(struct table *t, const struct adoption *a, bool human)
{
	char key[32], label[64];
	size_t g, i;

	table_init(t, "units", "Tỷ lệ trường có cổng thông tin hoạt động theo đơn vị");
	table_col(t, "unit", "Đơn vị", COL_TEXT);
	for (g = 0; g <= ADOPTION_NLEVELS; g++) {
		if (human) {
			table_col(t, group_key(g), group_labels[g], COL_TEXT);
			continue;
		}
		snprintf(key, sizeof(key), "%s_with_portal", group_key(g));
		snprintf(label, sizeof(label), "%s: có cổng", group_labels[g]);
		table_col(t, key, label, COL_INT);
		snprintf(key, sizeof(key), "%s_schools", group_key(g));
		snprintf(label, sizeof(label), "%s: số trường", group_labels[g]);
		table_col(t, key, label, COL_INT);
		snprintf(key, sizeof(key), "%s_rate", group_key(g));
		snprintf(label, sizeof(label), "%s: tỷ lệ", group_labels[g]);
		table_col(t, key, label, COL_PCT);
	}
	for (i = 0; i < a->nunits; i++)
		(human ? human_row : machine_row)(t, &a->units[i], a->units[i].unit);
	table_foot(t);
	(human ? human_row : machine_row)(t, &a->total, total_label);
}

static void json_cell(struct out *o, const char *key, const struct adoption_cell *c)
{
	double rate;

	out_f(o, "\"%s\": {\"with_portal\": %zu, \"schools\": %zu, \"rate\": ", key, c->with_portal,
	      c->schools);
	if (adoption_rate(c, &rate))
		out_num(o, rate);
	else
		out_s(o, "null");
	out_s(o, "}");
}

static void json_groups(struct out *o, const struct adoption_row *r)
{
	size_t g;

	for (g = 0; g <= ADOPTION_NLEVELS; g++) {
		out_s(o, g ? ", " : "");
		json_cell(o, group_key(g), group(r, g));
	}
}

static status write_json(FILE *f, const struct doc *d, const struct adoption *a)
{
	struct out o;
	size_t i;

	out_init(&o, f);
	out_s(&o, "{\n  \"kind\": \"adoption\",\n  \"meta\": ");
	doc_json_meta(&o, d);
	out_s(&o, a->nunits ? ",\n  \"units\": [" : ",\n  \"units\": []");
	for (i = 0; i < a->nunits; i++) {
		out_s(&o, i ? ",\n    {\"unit\": " : "\n    {\"unit\": ");
		out_json(&o, a->units[i].unit);
		out_s(&o, ", ");
		json_groups(&o, &a->units[i]);
		out_s(&o, "}");
	}
	out_s(&o, a->nunits ? "\n  ],\n  \"total\": {" : ",\n  \"total\": {");
	json_groups(&o, &a->total);
	out_s(&o, "},\n  \"notes\": ");
	doc_json_notes(&o, d);
	out_s(&o, "\n}\n");
	return out_finish(&o);
}

static bool human_format(enum report_format fmt)
{
	return fmt == REPORT_TEXT || fmt == REPORT_MD || fmt == REPORT_HTML;
}

status adoption_write(FILE *f, enum report_format fmt, const struct report_meta *m,
		      const struct portal_check *v, size_t n)
{
	struct adoption *a = NULL;
	struct doc d;
	struct table t;
	const char **labels = NULL;
	double *values = NULL;
	bool *has = NULL;
	size_t i;
	status st = adoption_new(&a, v, n, (long long)m->audit_run);

	if (st < 0)
		return st;
	memset(&d, 0, sizeof(d));
	table_init(&t, "units", "");
	d.kind = "adoption";
	d.title = title;
	d.m = m;
	d.notes = a->notes;
	d.nnotes = a->nnotes;
	if (fmt == REPORT_JSON) {
		st = write_json(f, &d, a);
		goto done;
	}
	build_table(&t, a, human_format(fmt));
	d.tables[d.ntables++] = &t;
	labels = calloc(a->nunits + 1, sizeof(*labels));
	values = calloc(a->nunits + 1, sizeof(*values));
	has = calloc(a->nunits + 1, sizeof(*has));
	if (!labels || !values || !has) {
		st = status_set(ST_NOMEM, "out of memory drawing the adoption chart");
		goto done;
	}
	for (i = 0; i < a->nunits; i++) {
		labels[i] = a->units[i].unit;
		has[i] = adoption_rate(&a->units[i].all, &values[i]);
	}
	d.chart_title = "Tỷ lệ trường có cổng thông tin hoạt động theo đơn vị (tất cả các cấp)";
	d.chart_labels = labels;
	d.chart_values = values;
	d.chart_has = has;
	d.chart_n = a->nunits;
	d.chart_pct = true;
	st = doc_write(f, fmt, &d);
done:
	free(labels);
	free(values);
	free(has);
	table_release(&t);
	adoption_free(a);
	return st;
}
