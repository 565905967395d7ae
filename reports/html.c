/* HTML: one self-contained file (inline CSS, inline SVG, no script, no
 * external asset) that prints well.  Every crawled string goes through
 * escape_html; a crawled URL becomes a link only when it is http(s), so a
 * javascript: or data: URL stays inert text. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reports/doc.h"
#include "reports/out.h"
#include "reports/wording.h"
#include "reports/writer.h"

static const char css[] =
	"body{font-family:system-ui,'Segoe UI',Roboto,Arial,sans-serif;margin:2rem auto;"
	"max-width:72rem;padding:0 1rem;color:#1b1f24;line-height:1.45}"
	"h1{font-size:1.6rem;margin-bottom:.3rem}h2{font-size:1.2rem;margin-top:2rem;"
	"border-bottom:1px solid #d0d7de;padding-bottom:.2rem}"
	"dl.facts{display:grid;grid-template-columns:max-content auto;gap:.15rem 1rem}"
	"dl.facts dt{font-weight:600}dl.facts dd{margin:0}"
	"table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.92rem}"
	"th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}"
	"th{background:#f6f8fa}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
	"th[aria-sort=descending]::after{content:' \\25BC';color:#1b1f24}"
	".v{font-weight:600;padding:.1rem .4rem;border-radius:.25rem;white-space:nowrap}"
	".v-pass{background:#dafbe1;color:#116329}.v-stale{background:#fff8c5;color:#7d4e00}"
	".v-missing{background:#ffebe9;color:#a40e26}.v-unreachable{background:#eaeef2;"
	"color:#424a53}.v-review{background:#ddf4ff;color:#0a3069}"
	".score{font-size:1.3rem;font-weight:700}.evidence{color:#57606a;font-size:.85rem}"
	".url{word-break:break-all}.note{color:#57606a;font-style:italic}"
	".req{color:#424a53;font-size:.82rem;margin-top:.2rem}.looked{color:#57606a;"
	"font-size:.85rem}.fix{color:#7d4e00;font-size:.85rem}"
	"footer{margin-top:2.5rem;border-top:2px solid #d0d7de;font-size:.88rem;color:#424a53}"
	"footer table{width:auto;min-width:24rem}caption{text-align:left;font-weight:600}"
	"svg text{font-family:inherit;font-size:12px}"
	"tfoot td{font-weight:700;background:#f6f8fa}td.up{color:#116329}td.down{color:#a40e26}"
	".st{font-weight:600;padding:.1rem .4rem;border-radius:.25rem;white-space:nowrap}"
	".st-improved{background:#dafbe1;color:#116329}.st-worsened{background:#ffebe9;"
	"color:#a40e26}.st-unchanged{background:#eaeef2;color:#424a53}.st-new{background:#ddf4ff;"
	"color:#0a3069}.st-gone{background:#fff8c5;color:#7d4e00}"
	"p.kicker{color:#57606a;text-transform:uppercase;letter-spacing:.04em;font-size:.8rem;"
	"margin:0}h1{margin-top:.2rem}"
	".card{display:flex;flex-wrap:wrap;gap:1.2rem;align-items:center;border:1px solid #d0d7de;"
	"border-radius:.5rem;padding:.7rem 1.2rem;margin:.8rem 0 1rem}"
	".big{font-size:2.2rem;font-weight:700;line-height:1}.big small{font-size:1rem;"
	"color:#57606a;font-weight:400}.badge{font-size:1.7rem;font-weight:700;color:#fff;"
	"border-radius:.4rem;padding:.05rem .75rem}.card .chips .v{margin-right:.35rem}"
	".card .why{color:#424a53}td.bar{white-space:nowrap}"
	".t-schools td:nth-child(1),.t-schools td:nth-child(3),.t-schools td:nth-child(4),"
	".t-units td:first-child{white-space:nowrap}"
	"td.p-hi{background:#dafbe1}td.p-mid{background:#fff8c5}td.p-lo{background:#ffebe9}"
	"figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}"
	"ul.notes li{color:#7d4e00}p.cmp{font-weight:600;margin:.8rem 0 .2rem}"
	".legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85rem;margin:.3rem 0;"
	"padding:0;list-style:none}.legend i{display:inline-block;width:.9rem;height:.9rem;"
	"vertical-align:-.1rem;margin-right:.3rem;border:1px solid #8c959f}"
	"p.foot{font-size:.85rem;color:#424a53}table.grid{width:auto;font-size:.8rem}"
	"table.grid td.g{text-align:center;padding:.1rem .35rem}ol.keys{font-size:.85rem;"
	"columns:2 20rem}a.portal{font-size:.8rem;margin-left:.3rem}"
	/* A4 portrait: every table fits the 186 mm between the margins at
	 * its own size (fixed layout, long words and URLs wrap), so the
	 * browser never shrinks the page to fit. */
	"@page{size:A4 portrait;margin:12mm}"
	"@media print{body{margin:0;max-width:none;padding:0;font-size:10pt;"
	"-webkit-print-color-adjust:exact;print-color-adjust:exact}.card{break-inside:avoid}"
	"a{color:inherit;text-decoration:none}h2{break-after:avoid}tr{break-inside:avoid}"
	"th{background:#eee!important}.v{border:1px solid #999;white-space:normal}"
	"table{font-size:8.5pt}td,th,dd,code{overflow-wrap:anywhere}"
	"table.findings{table-layout:fixed}table.findings th:nth-child(1){width:22%}"
	"table.findings th:nth-child(2){width:11%}table.findings th:nth-child(3){width:10%}"
	"table.findings th:nth-child(4){width:12%}table.findings th:nth-child(5){width:7%}"
	".evidence,.note{font-size:8pt}"
	"dl.facts{grid-template-columns:max-content minmax(0,1fr)}footer table{min-width:0}"
	"svg{max-width:100%;height:auto}svg,figure,footer table{break-inside:avoid}}";

static const char *const band_colors[] = {"#2da44e", "#8cc265", "#d4a72c",
					  "#e16f24", "#cf222e", "#8250df"};

static bool is_http(const char *u)
{
	return u && (strncasecmp(u, "http://", 7) == 0 || strncasecmp(u, "https://", 8) == 0);
}

/* A link when u is http(s), else the escaped text; "—" for NULL. */
static void href(struct out *o, const char *u, const char *text)
{
	if (!u) {
		out_s(o, "—");
		return;
	}
	if (!is_http(u)) {
		out_html(o, text ? text : u);
		return;
	}
	out_s(o, "<a rel=\"nofollow noopener noreferrer\" href=\"");
	out_html(o, u);
	out_s(o, "\">");
	out_html(o, text ? text : u);
	out_s(o, "</a>");
}

/* The link to a school's own report (kind "school") or a unit's ("unit",
 * only with links): SCHOOLID.html beside this one (the file `report
 * school --all -o DIR` writes), or LINKSschool/ID (m->links, the
 * dashboard); the id percent-encoded outside [A-Za-z0-9._-]. */
static void report_link_open(struct out *o, const char *links, const char *kind, const char *id)
{
	const unsigned char *p = (const unsigned char *)(id ? id : "");

	out_s(o, "<a href=\"");
	if (links)
		out_f(o, "%s%s/", links, kind);
	for (; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-')
			out_f(o, "%c", *p);
		else
			out_f(o, "%%%02X", *p);
	}
	out_s(o, links ? "\">" : ".html\">");
}

/* The school's name linked to its report, then a small link to its portal. */
static void school_links(struct out *o, const char *links, const struct school_info *s)
{
	report_link_open(o, links, "school", s->id);
	out_html(o, s->name ? s->name : s->id ? s->id : "—");
	out_s(o, "</a>");
	if (is_http(s->portal_url)) {
		out_s(o, "<a class=\"portal\" rel=\"nofollow noopener noreferrer\" href=\"");
		out_html(o, s->portal_url);
		out_s(o, "\">cổng thông tin</a>");
	}
}

/* The document start up to <body>: charset, title (escaped), the inline
 * stylesheet with its print rules. */
static void head(struct out *o, const char *title)
{
	out_s(o, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		 "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
	out_html(o, title);
	out_s(o, "</title>\n<style>");
	out_s(o, css);
	out_s(o, "</style>\n</head>\n<body>\n");
}

/* One <dt>label</dt><dd>value</dd> of a facts list; value is escaped
 * ("—" when NULL or empty), label is trusted. */
static void fact(struct out *o, const char *label, const char *value)
{
	out_f(o, "<dt>%s</dt><dd>", label);
	out_html(o, value && value[0] ? value : "—");
	out_s(o, "</dd>\n");
}

/* Where the numbers come from (view_provenance). */
static void run_facts(struct out *o, const struct report_facts *fx)
{
	struct view_fact pf[VIEW_NPROV];
	size_t n = view_provenance(pf, fx);

	for (size_t i = 0; i < n; i++)
		fact(o, pf[i].label, pf[i].value);
}

static void verdict(struct out *o, enum verdict v)
{
	out_f(o, "<span class=\"v v-%s\">%s</span>", verdict_str(v), verdict_label(v));
}

/* What was audited: period, as-of date and rule set. */
static void scope_facts(struct out *o, const struct report_facts *fx)
{
	fact(o, "Năm học", fx->period);
	fact(o, "Tính đến ngày", fx->as_of);
	out_s(o, "<dt>Bộ quy tắc</dt><dd>");
	out_html(o, fx->ruleset ? fx->ruleset : "—");
	if (fx->ruleset_version) {
		out_s(o, ", phiên bản ");
		out_html(o, fx->ruleset_version);
	}
	if (fx->ruleset_hash) {
		out_s(o, ", mã băm <code>");
		out_html(o, fx->ruleset_hash);
		out_s(o, "</code>");
	}
	out_s(o, "</dd>\n");
}

/* The footer every report carries (runs, rule set, formula, weights,
 * bands) and the document end: where the numbers come from. */
static void footer(struct out *o, const struct report_facts *fx)
{
	const struct report_scoring *s = fx->scoring;
	char formula[512], num[32];
	size_t i;

	out_s(o, "<footer>\n<h2>Căn cứ đánh giá</h2>\n<dl class=\"facts\">\n");
	run_facts(o, fx);
	scope_facts(o, fx);
	out_s(o, "</dl>\n");
	view_formula(formula, sizeof(formula), s);
	out_f(o, "<p>%s</p>\n", formula);
	out_s(o, "<table class=\"weights\"><caption>Trọng số các mục</caption>\n<tr><th>Mục</th>"
		 "<th>Tên</th><th>Căn cứ</th><th class=\"num\">Trọng số</th></tr>\n");
	for (i = 0; i < fx->nitems; i++) {
		char basis[256];

		out_s(o, "<tr><td><small><code>");
		out_html(o, fx->items[i].item);
		out_s(o, "</code></small></td><td>");
		out_html(o, fx->items[i].title);
		out_s(o, "</td><td>");
		out_html(o, wording_basis(basis, sizeof(basis), fx->items[i].basis));
		out_s(o, "</td><td class=\"num\">");
		out_num(o, fx->items[i].weight);
		out_s(o, "</td></tr>\n");
	}
	out_s(o, "</table>\n<table class=\"bands\"><caption>Thang xếp loại</caption>\n<tr><th>Xếp "
		 "loại</th><th class=\"num\">Điểm tối thiểu</th></tr>\n");
	for (i = 0; i < s->nbands; i++) {
		out_fmt_vi(num, sizeof(num), s->bands[i].min, 1);
		out_s(o, "<tr><td>");
		out_html(o, s->bands[i].rating);
		out_f(o, "</td><td class=\"num\">%s</td></tr>\n", num);
	}
	out_s(o, "</table>\n</footer>\n</body>\n</html>\n");
}

/* One <div class="cls"><b>label:</b> value</div> ("" prints nothing). */
static void detail(struct out *o, const char *cls, const char *label, const char *value)
{
	if (!value || !value[0])
		return;
	out_f(o, "<div class=\"%s\"><b>%s:</b> ", cls, label);
	out_html(o, value);
	out_s(o, "</div>");
}

/* Under a verdict a person decided, the machine's; under one whose
 * decision is outdated, that it needs a new review. */
static void decision_verdict(struct out *o, const struct finding *f)
{
	if (f->decision_state == DECISION_APPLIED) {
		out_s(o, "<div class=\"looked\">Máy đánh giá: ");
		verdict(o, f->machine_verdict);
		out_s(o, "</div>");
	} else if (f->decision_state == DECISION_OUTDATED) {
		out_s(o, "<div class=\"fix\"><b>Cần xem xét lại</b></div>");
	}
}

/* Who decided, when and why, and the reviewer's evidence as a link. */
static void decision_details(struct out *o, const struct finding *f)
{
	struct wording_decision d;

	wording_decision_init(&d, f);
	if (!d.n)
		return;
	out_f(o, "<div class=\"req\"><b>%s</b>", d.state);
	for (size_t i = 0; i < d.n; i++) {
		out_f(o, "<br><b>%s:</b> ", d.line[i].label);
		if (f->decision && d.line[i].value == f->decision->evidence_url)
			href(o, d.line[i].value, NULL);
		else
			out_html(o, d.line[i].value);
	}
	out_s(o, "</div>");
}

static void finding_row(struct out *o, const struct finding *f, const struct school_result *r,
			const char *period)
{
	struct wording_finding w;

	wording_finding_init(&w, f, r, period);
	out_s(o, "<tr><td>");
	out_html(o, f->title ? f->title : f->item);
	out_s(o, " <small><code>");
	out_html(o, f->item);
	out_s(o, "</code></small>");
	detail(o, "req", "Yêu cầu", w.requirement ? w.requirement : w.basis);
	out_s(o, "</td><td>");
	verdict(o, f->verdict);
	decision_verdict(o, f);
	out_s(o, "</td><td>");
	out_html(o, f->period_found ? f->period_found : "—");
	out_s(o, "</td><td>");
	out_html(o, f->date ? f->date : "—");
	if (f->date_source) {
		out_s(o, " <small>(");
		out_html(o, wording_date_source(f->date_source));
		out_s(o, ")</small>");
	}
	out_s(o, "</td><td class=\"num\">");
	out_num(o, f->weight);
	out_s(o, "</td><td><span class=\"url\">");
	href(o, f->url, NULL);
	out_s(o, "</span>");
	if (f->evidence) {
		out_s(o, "<div class=\"evidence\">«");
		out_html(o, f->evidence);
		out_s(o, "»</div>");
	}
	if (f->note) {
		out_s(o, "<div class=\"note\">");
		out_html(o, w.note ? w.note : f->note);
		out_s(o, "</div>");
	}
	decision_details(o, f);
	detail(o, "looked", "Đã tìm", w.looked);
	detail(o, "fix", "Cách khắc phục", w.remedy);
	out_s(o, "</td></tr>\n");
	wording_finding_release(&w);
}

/* The band colour of a rating (grey when it is no band's). */
static const char *rating_color(const struct report_scoring *s, const char *rating)
{
	size_t i;

	for (i = 0; rating && i < s->nbands; i++)
		if (strcmp(s->bands[i].rating, rating) == 0)
			return band_colors[i % 6];
	return "#57606a";
}

/* In the card: the score before people's decisions, and the decisions
 * that need a new review. */
static void reviewed_card(struct out *o, const struct school_result *r)
{
	struct view_fact rf[2];
	size_t n = view_reviewed_facts(rf, r);

	for (size_t i = 0; i < n; i++) {
		out_f(o, "<div class=\"why\">%s: ", rf[i].label);
		out_html(o, rf[i].value);
		out_s(o, "</div>");
	}
}

/* The result at a glance: score and rating, or why there is none, and the
 * count of each verdict. */
static void score_card(struct out *o, const struct report_scoring *s, const struct school_result *r)
{
	size_t count[VIEW_NVERDICTS] = {0}, i;
	char num[32];

	for (i = 0; i < r->nfindings; i++)
		if ((unsigned)r->findings[i].verdict < VIEW_NVERDICTS)
			count[r->findings[i].verdict]++;
	out_s(o, "<div class=\"card\">");
	if (r->has_score && isfinite(r->score)) {
		out_fmt_vi(num, sizeof(num), r->score, 1);
		out_f(o, "<div class=\"big\">%s<small> / 100 điểm</small></div>", num);
		if (r->rating) {
			out_f(o, "<div class=\"badge\" style=\"background:%s\" title=\"Xếp loại\">",
			      rating_color(s, r->rating));
			out_html(o, r->rating);
			out_s(o, "</div>");
		}
	} else {
		out_s(o, "<div class=\"big\">—</div><div class=\"why\">Không chấm điểm "
			 "(không xếp hạng)</div>");
	}
	out_s(o, "<div class=\"chips\">");
	for (i = 0; i < VIEW_NVERDICTS; i++)
		if (count[i])
			out_f(o, "<span class=\"v v-%s\">%s: %zu</span>",
			      verdict_str((enum verdict)i), verdict_label((enum verdict)i),
			      count[i]);
	out_s(o, "</div>");
	reviewed_card(o, r);
	out_s(o, "</div>\n");
}

static void school_facts(struct out *o, const struct report_facts *fx,
			 const struct school_result *r)
{
	const struct school_info *s = &r->school;
	char level[128];

	out_s(o, "<dl class=\"facts\">\n");
	fact(o, "Mã trường", s->id);
	fact(o, "Đơn vị quản lý", s->unit);
	fact(o, "Cấp học", wording_level(level, sizeof(level), s->level));
	out_s(o, "<dt>Cổng thông tin</dt><dd class=\"url\">");
	href(o, s->portal_url, NULL);
	out_s(o, "</dd>\n");
	scope_facts(o, fx);
	out_f(o, "<dt>Trang đã thu thập</dt><dd>%d (lỗi: %d)</dd>\n", r->pages, r->errors);
	/* The score and rating are in the card above; only why there is none
	 * is a fact of its own. */
	if (!(r->has_score && isfinite(r->score))) {
		out_s(o, "<dt>Điểm</dt><dd class=\"score\">không đánh giá được</dd>\n");
		out_s(o, "<dt>Lý do</dt><dd>");
		view_print_vi(o, out_html, view_unassessed_reason(r));
		out_s(o, "</dd>\n");
	}
	out_s(o, "</dl>\n");
}

static status html_school(FILE *f, const struct report_facts *fx, const struct school_result *r)
{
	struct out o;
	size_t i;

	out_init(&o, f, fx->stop);
	head(&o, fx->title ? fx->title : r->school.name);
	out_s(&o,
	      "<header>\n<p class=\"kicker\">Đánh giá công khai trên cổng thông tin điện tử</p>\n"
	      "<h1>");
	out_html(&o, r->school.name ? r->school.name : r->school.id);
	out_s(&o, "</h1>\n");
	score_card(&o, fx->scoring, r);
	school_facts(&o, fx, r);
	out_s(&o, "</header>\n<main>\n<h2>Kết quả theo mục</h2>\n<table class=\"findings\">\n"
		  "<tr><th>Mục</th><th>Kết quả</th><th>Năm học tìm thấy</th><th>Ngày (nguồn)</th>"
		  "<th class=\"num\">Trọng số</th><th>Bằng chứng</th></tr>\n");
	for (i = 0; i < r->nfindings; i++)
		finding_row(&o, &r->findings[i], r, fx->period);
	if (!r->nfindings)
		out_s(&o, "<tr><td colspan=\"6\">Không có kết quả.</td></tr>\n");
	out_s(&o, "</table>\n</main>\n");
	footer(&o, fx);
	return out_finish(&o);
}

/* A horizontal bar chart (inline SVG), one bar per label (escaped);
 * values are fractions 0..1 drawn as percentages when pct, else scores
 * 0..100; has[i] false draws no bar ("—"). */
static void bars(struct out *o, const char *title, const char *const *labels, const double *values,
		 const bool *has, size_t n, bool pct)
{
	const double x0 = 190, plot = 420;
	char num[40];
	size_t i;

	out_s(o, "<figure class=\"bars\"><figcaption>");
	out_html(o, title);
	out_f(o,
	      "</figcaption>\n<svg class=\"chart\" width=\"680\" height=\"%zu\" "
	      "viewBox=\"0 0 680 %zu\" role=\"img\" aria-label=\"",
	      n * 24 + 28, n * 24 + 28);
	out_html(o, title);
	out_s(o, "\">\n");
	for (i = 0; i <= 4; i++) /* grid at 0, 25, 50, 75, 100 % */
		out_f(o,
		      "<line x1=\"%.1f\" y1=\"0\" x2=\"%.1f\" y2=\"%zu\" stroke=\"#d0d7de\"/>"
		      "<text x=\"%.1f\" y=\"%zu\" text-anchor=\"middle\" fill=\"#57606a\">%zu%s</text>\n",
		      x0 + plot * (double)i / 4, x0 + plot * (double)i / 4, n * 24 + 4,
		      x0 + plot * (double)i / 4, n * 24 + 20, i * 25, pct ? "%" : "");
	for (i = 0; i < n; i++) {
		double v = has[i] ? (pct ? values[i] : values[i] / 100) : 0;
		size_t y = i * 24 + 4;

		v = v < 0 ? 0 : v > 1 ? 1 : v; /* never draw past 100 % */
		out_f(o, "<text x=\"%.0f\" y=\"%zu\" text-anchor=\"end\">", x0 - 8, y + 13);
		out_html(o, labels[i] ? labels[i] : "—");
		out_s(o, "</text>");
		if (has[i]) {
			out_fmt_vi(num, sizeof(num), pct ? values[i] * 100 : values[i], 1);
			out_f(o,
			      "<rect x=\"%.0f\" y=\"%zu\" width=\"%.1f\" height=\"16\" "
			      "fill=\"%s\"/><text x=\"%.1f\" y=\"%zu\">%s%s</text>\n",
			      x0, y, plot * v,
			      v >= 0.9   ? "#2da44e"
			      : v >= 0.5 ? "#d4a72c"
					 : "#cf222e",
			      x0 + plot * v + 6, y + 13, num, pct ? "%" : "");
		} else {
			out_f(o, "<text x=\"%.0f\" y=\"%zu\">—</text>\n", x0 + 6, y + 13);
		}
	}
	out_s(o, "</svg>\n<ul class=\"legend\"><li><i style=\"background:#2da44e\"></i>từ 90%</li>"
		 "<li><i style=\"background:#d4a72c\"></i>từ 50% đến dưới 90%</li>"
		 "<li><i style=\"background:#cf222e\"></i>dưới 50%</li><li>— : không có trường</li>"
		 "</ul></figure>\n");
}

/* Vertical bars: how many schools earned each rating. */
static void rating_chart(struct out *o, const struct report_view *v)
{
	const struct report_scoring *s = v->facts.scoring;
	size_t nb = s->nbands + (v->other_rating ? 1 : 0), max = 0, i;
	const double plot = 140.0;
	char num[32];

	for (i = 0; i < s->nbands; i++)
		max = v->band_count[i] > max ? v->band_count[i] : max;
	max = v->other_rating > max ? v->other_rating : max;
	out_f(o,
	      "<svg class=\"chart\" width=\"%zu\" height=\"190\" viewBox=\"0 0 %zu 190\" "
	      "role=\"img\" aria-label=\"Phân bố xếp loại\">\n",
	      40 + nb * 80, 40 + nb * 80);
	out_s(o, "<line x1=\"20\" y1=\"160.5\" x2=\"100%\" y2=\"160.5\" stroke=\"#8c959f\"/>\n");
	for (i = 0; i < nb; i++) {
		bool other = i == s->nbands;
		size_t count = other ? v->other_rating : v->band_count[i];
		double h = max ? plot * (double)count / (double)max : 0;
		size_t x = 30 + i * 80;

		out_f(o, "<rect x=\"%zu\" y=\"%.1f\" width=\"60\" height=\"%.1f\" fill=\"%s\"/>\n",
		      x, 160 - h, h, other ? "#8c959f" : band_colors[i % 6]);
		out_f(o, "<text x=\"%zu\" y=\"%.1f\" text-anchor=\"middle\">%zu</text>\n", x + 30,
		      155 - h, count);
		out_f(o, "<text x=\"%zu\" y=\"178\" text-anchor=\"middle\">", x + 30);
		if (other)
			out_s(o, "khác");
		else
			out_html(o, s->bands[i].rating);
		out_s(o, "</text>\n");
	}
	out_s(o, "</svg>\n<ul class=\"legend\">");
	for (i = 0; i < nb; i++) {
		bool other = i == s->nbands;

		out_f(o, "<li><i style=\"background:%s\"></i>",
		      other ? "#8c959f" : band_colors[i % 6]);
		if (other) {
			out_s(o, "xếp loại khác</li>");
			continue;
		}
		out_s(o, "Loại ");
		out_html(o, s->bands[i].rating);
		out_fmt_vi(num, sizeof(num), s->bands[i].min, 1);
		out_f(o, ": từ %s điểm</li>", num);
	}
	out_s(o, "<li>Chiều cao cột: số trường</li></ul>\n");
}

/* One row per item: the share of judged schools that passed, as a bar. */
static void item_rates(struct out *o, const struct report_view *v)
{
	char num[32];
	size_t i;

	out_s(o, "<h2>Tỷ lệ đạt theo mục</h2>\n<table class=\"items\">\n<tr><th>Mục</th>"
		 "<th class=\"num\">Đạt</th><th class=\"num\">Cũ</th><th class=\"num\">Thiếu</th>"
		 "<th class=\"num\">Cần xem xét</th><th class=\"num\">Không truy cập được</th>"
		 "<th>Tỷ lệ đạt</th></tr>\n");
	for (i = 0; i < v->nitems; i++) {
		const struct view_item *it = &v->items[i];

		out_s(o, "<tr><td>");
		out_html(o, it->title ? it->title : it->item);
		out_f(o,
		      "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
		      "<td class=\"num\">%zu</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
		      "<td class=\"bar\">",
		      it->count[VERDICT_PASS], it->count[VERDICT_STALE], it->count[VERDICT_MISSING],
		      it->count[VERDICT_REVIEW], it->count[VERDICT_UNREACHABLE]);
		if (it->has_rate) {
			out_fmt_vi(num, sizeof(num), it->rate * 100, 1);
			out_f(o,
			      "<svg width=\"160\" height=\"14\" role=\"img\" aria-label=\"%s%%\">"
			      "<rect width=\"160\" height=\"14\" fill=\"#eaeef2\"/>"
			      "<rect width=\"%.1f\" height=\"14\" fill=\"#2da44e\"/></svg> %s%%",
			      num, 160 * it->rate, num);
		} else {
			out_s(o, "—");
		}
		out_s(o, "</td></tr>\n");
	}
	out_s(o,
	      "</table>\n<ul class=\"legend\"><li><i style=\"background:#2da44e\"></i>"
	      "tỷ lệ đạt</li><li><i style=\"background:#eaeef2\"></i>chưa đạt (cũ, thiếu, cần "
	      "xem xét)</li><li>Tỷ lệ đạt = Đạt / (Đạt + Cũ + Thiếu + Cần xem xét); trường không "
	      "truy cập được không tính</li></ul>\n");
}

static const char multi_level_note[] =
	"<p class=\"foot\">Ghi chú: trường có nhiều cấp học (ví dụ trường Tiểu học và THCS, "
	"mã cấp th+thcs) được tính ở mỗi cấp học của trường, nên tổng số trường theo các cấp "
	"có thể lớn hơn số trường.</p>\n";

/* The symbol of each verdict in the grid, beside its colour, so the grid
 * reads in black and white too.  Indexed by enum verdict. */
static const char *const grid_marks[VIEW_NVERDICTS] = {"✓", "C", "✗", "–", "?"};

static void grid_legend(struct out *o)
{
	size_t k;

	out_s(o, "<ul class=\"legend\">");
	for (k = 0; k < VIEW_NVERDICTS; k++)
		out_f(o, "<li><span class=\"v v-%s\">%s</span> %s</li>",
		      verdict_str((enum verdict)k), grid_marks[k], verdict_label((enum verdict)k));
	out_s(o, "<li>để trống: mục không áp dụng cho trường</li></ul>\n");
}

/* The school × item grid: one row per school (linked to its report), one
 * column per item numbered as in the key below, each cell coloured by the
 * verdict. */
static void grid(struct out *o, const struct report_view *v)
{
	unsigned char *row = malloc(v->nitems ? v->nitems : 1);
	size_t i, k;

	if (!row)
		return; /* a report without its grid beats none; the tables above stand */
	out_s(o, "<h2>Kết quả từng trường theo mục</h2>\n");
	grid_legend(o);
	out_s(o, "<table class=\"grid\">\n<tr><th>Mã trường</th><th>Tên trường</th>");
	for (k = 0; k < v->nitems; k++) {
		out_s(o, "<th class=\"num\" title=\"");
		out_html(o, v->items[k].title ? v->items[k].title : v->items[k].item);
		out_f(o, "\">%zu</th>", k + 1);
	}
	out_s(o, "</tr>\n");
	for (i = 0; i < v->n; i++) {
		const struct school_result *r = v->schools[i].r;

		out_s(o, "<tr><td>");
		out_html(o, r->school.id);
		out_s(o, "</td><td>");
		report_link_open(o, v->m->links, "school", r->school.id);
		out_html(o, r->school.name ? r->school.name : r->school.id);
		out_s(o, "</a></td>");
		view_school_verdicts(v, r, row);
		for (k = 0; k < v->nitems; k++) {
			if (row[k] == VIEW_NO_VERDICT) {
				out_s(o, "<td></td>");
				continue;
			}
			out_f(o, "<td class=\"g v-%s\" title=\"%s\">%s</td>",
			      verdict_str((enum verdict)row[k]),
			      verdict_label((enum verdict)row[k]), grid_marks[row[k]]);
		}
		out_s(o, "</tr>\n");
	}
	out_s(o, "</table>\n<ol class=\"keys\">");
	for (k = 0; k < v->nitems; k++) {
		out_s(o, "<li>");
		out_html(o, v->items[k].title ? v->items[k].title : v->items[k].item);
		out_s(o, " <code>");
		out_html(o, v->items[k].item);
		out_s(o, "</code></li>");
	}
	out_s(o, "</ol>\n");
	free(row);
}

static void school_table(struct out *o, const struct report_view *v)
{
	char num[32], level[128];
	size_t i;

	out_s(o, "<h2>Các trường</h2>\n<table class=\"schools\">\n<tr>");
	if (v->ranking)
		out_s(o, "<th class=\"num sort\" aria-sort=\"ascending\">Hạng</th>"
			 "<th class=\"num sort\">Hạng trong đơn vị và cấp</th>");
	out_f(o,
	      "<th class=\"sort\">Mã trường</th><th class=\"sort\">Tên trường</th>"
	      "<th class=\"sort\">Đơn vị</th><th class=\"sort\">Cấp</th>"
	      "<th class=\"num sort\"%s>Điểm</th><th class=\"sort\">Xếp loại</th>%s</tr>\n",
	      v->ranking ? " aria-sort=\"descending\"" : "",
	      v->nreviewed ? "<th class=\"sort\">Đã xem xét</th>" : "");
	for (i = 0; i < v->nassessed; i++) {
		const struct view_school *vs = &v->schools[i];
		const struct school_info *s = &vs->r->school;

		out_s(o, "<tr>");
		if (v->ranking)
			out_f(o, "<td class=\"num\">%zu</td><td class=\"num\">%zu</td>", vs->rank,
			      vs->group_rank);
		out_s(o, "<td>");
		out_html(o, s->id);
		out_s(o, "</td><td>");
		school_links(o, v->m->links, s);
		out_s(o, "</td><td>");
		if (v->m->links && s->unit)
			report_link_open(o, v->m->links, "unit", s->unit);
		out_html(o, s->unit);
		out_s(o, v->m->links && s->unit ? "</a></td><td>" : "</td><td>");
		out_html(o, wording_level(level, sizeof(level), s->level));
		out_fmt_vi(num, sizeof(num), vs->r->score, 1);
		out_f(o, "</td><td class=\"num\">%s</td><td>", num);
		out_html(o, vs->r->rating ? vs->r->rating : "—");
		if (v->nreviewed) {
			char cell[160];

			out_s(o, "</td><td>");
			out_html(o, view_reviewed_cell(cell, sizeof(cell), vs));
		}
		out_s(o, "</td></tr>\n");
	}
	if (!v->nassessed)
		out_s(o, "<tr><td colspan=\"8\">Không có trường nào được chấm điểm.</td></tr>\n");
	out_s(o, "</table>\n");
}

static void unassessed(struct out *o, const struct report_view *v)
{
	size_t i;

	if (v->nassessed == v->n)
		return;
	out_s(o, "<h2>Không đánh giá được (không xếp hạng)</h2>\n<table class=\"unassessed\">\n"
		 "<tr><th>Mã trường</th><th>Tên trường</th><th>Cổng thông tin</th><th>Lý do</th>"
		 "</tr>\n");
	for (i = v->nassessed; i < v->n; i++) {
		const struct school_result *r = v->schools[i].r;

		out_s(o, "<tr><td>");
		out_html(o, r->school.id);
		out_s(o, "</td><td>");
		report_link_open(o, v->m->links, "school", r->school.id);
		out_html(o, r->school.name ? r->school.name : r->school.id);
		out_s(o, "</a></td><td class=\"url\">");
		href(o, r->school.portal_url, NULL);
		out_s(o, "</td><td>");
		view_print_vi(o, out_html, view_unassessed_reason(r));
		out_s(o, "</td></tr>\n");
	}
	out_s(o, "</table>\n");
}

/* The document start and the page heading, opening the facts list. */
static void header_open(struct out *o, const char *title)
{
	head(o, title);
	out_s(o, "<header>\n<h1>");
	out_html(o, title);
	out_s(o, "</h1>\n<dl class=\"facts\">\n");
}

static status html_schools(FILE *f, const struct report_view *v, const struct city *c)
{
	struct out o;

	out_init(&o, f, v->facts.stop);
	header_open(&o, v->facts.title);
	if (v->selector)
		fact(&o, "Đơn vị", v->selector);
	scope_facts(&o, &v->facts);
	out_f(&o,
	      "<dt>Số trường</dt><dd>%zu (chấm điểm được: %zu; không đánh giá được: %zu, "
	      "trong đó chưa thu thập: %zu)</dd>\n",
	      v->n, v->nassessed, v->n - v->nassessed, v->nnot_crawled);
	out_s(&o, "</dl>\n</header>\n<main>\n<h2>Phân bố xếp loại</h2>\n");
	rating_chart(&o, v);
	if (v->show_units)
		table_write_html(&o, &c->units);
	item_rates(&o, v);
	if (v->show_levels) {
		table_write_html(&o, &c->levels);
		out_s(&o, multi_level_note);
	}
	school_table(&o, v);
	unassessed(&o, v);
	if (v->show_levels)
		grid(&o, v);
	out_s(&o, "</main>\n");
	footer(&o, &v->facts);
	return out_finish(&o);
}

/* The run facts in a table report's header: audit run first. */
static void doc_run_facts(struct out *o, const struct report_facts *fx)
{
	run_facts(o, fx);
	scope_facts(o, fx);
}

static status html_doc(FILE *f, const struct doc *d)
{
	struct out o;
	size_t i;

	out_init(&o, f, d->facts.stop);
	header_open(&o, d->facts.title);
	if (d->selector)
		fact(&o, "Chọn", d->selector);
	doc_run_facts(&o, &d->facts);
	out_s(&o, "</dl>\n");
	if (d->has_prev) {
		out_s(&o,
		      "<p class=\"cmp\">So sánh với lần đánh giá trước:</p>\n<dl class=\"facts\">\n");
		doc_run_facts(&o, &d->prev);
		out_s(&o, "</dl>\n");
	}
	out_s(&o, "</header>\n<main>\n");
	if (d->chart_title)
		bars(&o, d->chart_title, d->chart_labels, d->chart_values, d->chart_has, d->chart_n,
		     d->chart_pct);
	for (i = 0; i < d->ntables; i++)
		table_write_html(&o, d->tables[i]);
	if (strcmp(d->kind, "adoption") == 0)
		out_s(&o, multi_level_note);
	if (d->nnotes)
		out_s(&o, "<h2>Ghi chú về dữ liệu</h2>\n<ul class=\"notes\">\n");
	for (i = 0; i < d->nnotes; i++) {
		out_s(&o, "<li>");
		out_html(&o, d->notes[i]);
		out_s(&o, "</li>\n");
	}
	if (d->nnotes)
		out_s(&o, "</ul>\n");
	out_s(&o, "</main>\n");
	footer(&o, &d->facts);
	return out_finish(&o);
}

const struct report_writer html_writer = {
	.name = "html",
	.format = REPORT_HTML,
	.school = html_school,
	.schools = html_schools,
	.doc = html_doc,
};
