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
static const char *const group_labels[ADOPTION_NLEVELS + 1] = {"Tất cả", "Mầm non", "Tiểu học",
							       "THCS",   "THPT",    "GDTX"};

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
	table_num(t, row, 2 + ADOPTION_NLEVELS, (double)r->not_crawled);
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
	table_num(t, row, 4 + 3 * ADOPTION_NLEVELS, (double)r->not_crawled);
}

static void build_table(struct table *t, const struct adoption *a, bool human)
{
	char key[32], label[64];
	size_t g, i;

	table_init(t, "units", "Tỷ lệ trường có cổng thông tin hoạt động theo đơn vị");
	t->sheet = "Đơn vị";
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
	table_col(t, "not_crawled", "Chưa thu thập", COL_INT);
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
	out_f(o, ", \"not_crawled\": %zu", r->not_crawled);
}

static status write_json(FILE *f, const struct doc *d, const struct adoption *a)
{
	struct out o;
	size_t i;

	out_init(&o, f, d->facts.stop);
	out_s(&o, "{\n  \"kind\": \"adoption\",\n  \"meta\": ");
	json_doc_meta(&o, d);
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
	json_doc_notes(&o, d);
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
	table_init(&t, "units", "");
	if ((st = doc_init(&d, "adoption", title, m, NULL)) < 0)
		goto out;
	d.notes = a->notes;
	d.nnotes = a->nnotes;
	d.portals = v;
	d.nportals = n;
	if (fmt == REPORT_JSON) {
		st = write_json(f, &d, a);
		goto out;
	}
	build_table(&t, a, human_format(fmt));
	d.tables[d.ntables++] = &t;
	labels = calloc(a->nunits + 1, sizeof(*labels));
	values = calloc(a->nunits + 1, sizeof(*values));
	has = calloc(a->nunits + 1, sizeof(*has));
	if (!labels || !values || !has) {
		st = status_set(ST_NOMEM, "out of memory drawing the adoption chart");
		goto out;
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
out:
	doc_release(&d);
	free(labels);
	free(values);
	free(has);
	table_release(&t);
	adoption_free(a);
	return st;
}

/* ---- compare ----------------------------------------------------------- */

static const struct adoption_row *find_unit(const struct adoption *a, const char *unit)
{
	size_t i;

	for (i = 0; i < a->nunits; i++)
		if (strcmp(a->units[i].unit, unit) == 0)
			return &a->units[i];
	return NULL;
}

static void cmp_unit_row(struct table *t, const char *unit, const struct adoption_row *c,
			 const struct adoption_row *p)
{
	size_t r = table_row(t);
	double rc = 0, rp = 0;
	bool hc = c && adoption_rate(&c->all, &rc), hp = p && adoption_rate(&p->all, &rp);
	/* A unit none of whose schools an audit covered was not in that run. */
	const char *st = !p || !p->audited ? "new" : !c || !c->audited ? "gone" : "unchanged";

	table_text(t, r, 0, unit);
	if (c) {
		table_num(t, r, 1, (double)c->all.with_portal);
		table_num(t, r, 2, (double)c->all.schools);
	}
	if (hc)
		table_num(t, r, 3, rc);
	if (p)
		table_num(t, r, 4, (double)p->all.with_portal);
	if (hp)
		table_num(t, r, 5, rp);
	if (hc && hp && strcmp(st, "unchanged") == 0) {
		table_num(t, r, 6, rc - rp);
		if (rc - rp > 1e-9)
			st = "improved";
		else if (rc - rp < -1e-9)
			st = "worsened";
	}
	table_text(t, r, 7, st);
}

static void cmp_units(struct table *t, const struct adoption *c, const struct adoption *p)
{
	size_t i;

	table_init(t, "units", "So sánh tỷ lệ trường có cổng thông tin hoạt động theo đơn vị");
	t->sheet = "Đơn vị";
	table_col(t, "unit", "Đơn vị", COL_TEXT);
	table_col(t, "with_portal", "Có cổng", COL_INT);
	table_col(t, "schools", "Số trường", COL_INT);
	table_col(t, "rate", "Tỷ lệ", COL_PCT);
	table_col(t, "previous_with_portal", "Có cổng lần trước", COL_INT);
	table_col(t, "previous_rate", "Tỷ lệ lần trước", COL_PCT);
	table_col(t, "delta", "Thay đổi", COL_PDELTA);
	table_col(t, "status", "Đánh giá", COL_STATUS);
	for (i = 0; i < c->nunits; i++)
		cmp_unit_row(t, c->units[i].unit, &c->units[i], find_unit(p, c->units[i].unit));
	for (i = 0; i < p->nunits; i++)
		if (!find_unit(c, p->units[i].unit))
			cmp_unit_row(t, p->units[i].unit, NULL, &p->units[i]);
	table_foot(t);
	cmp_unit_row(t, total_label, &c->total, &p->total);
}

static const struct portal_check *find_school(const struct portal_check *v, size_t n,
					      const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].school.id, id) == 0)
			return &v[i];
	return NULL;
}

/* One school whose portal state differs between the runs (or that is in
 * only one of them). */
static void cmp_school_row(struct table *t, const struct portal_check *c,
			   const struct portal_check *p)
{
	const struct portal_check *any = c ? c : p;
	bool in_c = c && c->in_run, in_p = p && p->in_run;
	bool wc = c && adoption_working(c), wp = p && adoption_working(p);
	size_t r;

	if (in_c && in_p && wc == wp && c->not_crawled == p->not_crawled)
		return;
	if (!in_c && !in_p)
		return;
	r = table_row(t);
	table_text(t, r, 0, any->school.id);
	table_text(t, r, 1, any->school.name);
	table_text(t, r, 2, any->school.unit);
	if (in_c)
		table_text(t, r, 3, wc ? "có" : "không");
	if (in_p)
		table_text(t, r, 4, wp ? "có" : "không");
	table_text(t, r, 5,
		   !in_p                              ? "new"
		   : !in_c                            ? "gone"
		   : c->not_crawled || p->not_crawled ? "not_crawled"
		   : wc                               ? "improved"
						      : "worsened");
}

static void cmp_schools(struct table *t, const struct portal_check *cur, size_t ncur,
			const struct portal_check *prev, size_t nprev)
{
	size_t i;

	table_init(t, "schools", "Các trường thay đổi trạng thái cổng thông tin");
	t->sheet = "Trường";
	table_col(t, "id", "Mã trường", COL_TEXT);
	table_col(t, "name", "Tên trường", COL_TEXT);
	table_col(t, "unit", "Đơn vị", COL_TEXT);
	table_col(t, "working", "Cổng hoạt động", COL_TEXT);
	table_col(t, "previous_working", "Lần trước", COL_TEXT);
	table_col(t, "status", "Đánh giá", COL_STATUS);
	for (i = 0; i < ncur; i++)
		cmp_school_row(t, &cur[i], find_school(prev, nprev, cur[i].school.id));
	for (i = 0; i < nprev; i++)
		if (!find_school(cur, ncur, prev[i].school.id))
			cmp_school_row(t, NULL, &prev[i]);
}

status adoption_write_compare(FILE *f, enum report_format fmt, const struct report_meta *m,
			      const struct portal_check *cur, size_t ncur,
			      const struct report_meta *pm, const struct portal_check *prev,
			      size_t nprev)
{
	struct adoption *ac = NULL, *ap = NULL;
	struct table tu, ts;
	struct doc d;
	status st;

	table_init(&tu, "units", "");
	table_init(&ts, "schools", "");
	st = adoption_new(&ac, cur, ncur, (long long)m->audit_run);
	if (st == ST_OK)
		st = adoption_new(&ap, prev, nprev, (long long)pm->audit_run);
	if (st == ST_OK)
		st = doc_init(&d, "adoption",
			      "So sánh tỷ lệ trường có cổng thông tin điện tử hoạt động giữa hai "
			      "lần đánh giá",
			      m, pm);
	if (st == ST_OK) {
		d.notes = ac->notes;
		d.nnotes = ac->nnotes;
		cmp_units(&tu, ac, ap);
		cmp_schools(&ts, cur, ncur, prev, nprev);
		d.tables[d.ntables++] = &tu;
		d.tables[d.ntables++] = &ts;
		st = doc_write(f, fmt, &d);
		doc_release(&d);
	}
	table_release(&tu);
	table_release(&ts);
	adoption_free(ac);
	adoption_free(ap);
	return st;
}
