/* The notice letter (công văn) to one school: what it must publish or
 * update on its portal, by when.  One self-contained HTML file with an A4
 * print stylesheet, laid out like an administrative letter: the sender and
 * the national motto side by side, number and date left blank for the
 * office, the items as a table, the deadline, the addressees and the
 * signature block.  Compact type keeps a letter of 30 items within two A4
 * pages (tests/integration/test_report_notice.sh prints one in Chromium).
 * Every crawled or registry string goes through out_html. */
#include <string.h>

#include "reports/out.h"
#include "reports/report.h"
#include "reports/wording.h"

static const char css[] =
	"@page{size:A4 portrait;margin:12mm 12mm 12mm 20mm}"
	"body{font-family:'Times New Roman',Times,'Liberation Serif',serif;font-size:11pt;"
	"line-height:1.3;color:#000;max-width:180mm;margin:1rem auto;padding:0 .5rem}"
	"table.hdr{width:100%;border-collapse:collapse}table.hdr td{vertical-align:top;"
	"text-align:center;padding:0}table.hdr td.l{width:40%}table.hdr .i{font-size:10.5pt}"
	".up{text-transform:uppercase}.b{font-weight:700}.i{font-style:italic}"
	".rule{display:inline-block;border-top:1px solid #000;width:40%;height:0;margin:.1rem 0 .3rem}"
	".vv{font-size:10.5pt;margin-top:.2rem}.to{text-align:center;margin:1rem 0 .6rem}"
	"p{margin:.35rem 0;text-align:justify}"
	"p.looked{font-size:9.5pt}table.items{width:100%;border-collapse:collapse;font-size:8.5pt;line-height:1.15;"
	"table-layout:fixed;margin:.4rem 0}"
	"table.items th,table.items td{border:1px solid #000;padding:.15rem .3rem;"
	"vertical-align:top;text-align:left;overflow-wrap:anywhere}"
	"table.items th{text-align:center;background:#eee}table.items col.n{width:8mm}"
	"table.items col.a{width:43%}table.items col.f{width:17%}"
	"table.items td.n{text-align:center}small,.code{font-size:8.5pt;color:#333}"
	".url{font-size:8.5pt;word-break:break-all}"
	"table.sign{width:100%;margin-top:.8rem;border-collapse:collapse}"
	"table.sign td{vertical-align:top;padding:0}table.sign td.l{width:50%;font-size:10pt}"
	"table.sign td.r{text-align:center}.space{height:22mm}"
	"@media print{body{margin:0;max-width:none;padding:0}tr{break-inside:avoid}"
	"th{background:#eee!important;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"table.sign{break-inside:avoid}}";

bool report_notice_due(const struct school_result *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].verdict == VERDICT_MISSING ||
		    r->findings[i].verdict == VERDICT_STALE)
			return true;
	return false;
}

/* "dd/mm/yyyy" for a valid "YYYY-MM-DD"; false otherwise. */
static bool date_vi(char *dst, size_t n, const char *s)
{
	int i;

	for (i = 0; s && i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
			return false;
	if (!s || s[10])
		return false;
	snprintf(dst, n, "%.2s/%.2s/%.4s", s + 8, s + 5, s);
	return true;
}

bool report_notice_date_ok(const char *s)
{
	char tmp[16];
	int m, d;

	if (!date_vi(tmp, sizeof(tmp), s))
		return false;
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* The header: sender (unit, a blank line for the office's name, the
 * number) beside the national motto and the place and date to fill in. */
static void header(struct out *o, const struct school_result *r)
{
	out_s(o, "<table class=\"hdr\"><tr><td class=\"l\"><div class=\"up\">Ủy ban nhân dân ");
	out_html(o, r->school.unit ? r->school.unit : "……………");
	out_s(o, "</div><div class=\"b\">……………………………………</div><div class=\"rule\"></div>"
		 "<div>Số: ………/………</div>"
		 "<div class=\"vv\">V/v công khai thông tin trên cổng thông tin điện tử "
		 "của nhà trường</div></td>"
		 "<td><div class=\"b\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>"
		 "<div class=\"b\">Độc lập - Tự do - Hạnh phúc</div><div class=\"rule\"></div>"
		 "<div class=\"i\">Thành phố Hồ Chí Minh, ngày …… tháng …… năm 20……</div>"
		 "</td></tr></table>\n");
}

/* What the law asks: the item, its code, the rule's requirement and its
 * legal basis. */
static void requirement(struct out *o, const struct finding *f, const struct wording_finding *w)
{
	out_s(o, "<b>");
	out_html(o, f->title ? f->title : f->item);
	out_s(o, "</b> <span class=\"code\">");
	out_html(o, f->item);
	out_s(o, "</span>");
	if (w->requirement) {
		out_s(o, "<br>");
		out_html(o, w->requirement);
	}
	if (w->basis[0] && !w->requirement) {
		out_s(o, "<br><small>Căn cứ: ");
		out_html(o, w->basis);
		out_s(o, "</small>");
	}
}

/* u cut to 80 bytes on a character boundary, with an ellipsis: a printed
 * letter shows where the page is, not the whole query string. */
static void short_url(struct out *o, const char *u)
{
	char cut[96];
	size_t n = strlen(u);

	if (n <= 80) {
		out_html(o, u);
		return;
	}
	n = 80;
	while (n > 0 && ((unsigned char)u[n] & 0xC0) == 0x80)
		n--;
	snprintf(cut, sizeof(cut), "%.*s…", (int)n, u);
	out_html(o, cut);
}

/* A verdict a person decided says so, with who, when and why; one whose
 * decision is outdated says the machine verdict stands until a new one. */
static void decided(struct out *o, const struct finding *f)
{
	const struct decision *d = f->decision;
	char day[16], at[16];

	if (f->decision_state == DECISION_NONE || !d)
		return;
	out_s(o, f->decision_state == DECISION_APPLIED
			 ? "<br><small>Kết quả đã được xem xét bởi "
			 : "<br><small>Quyết định xem xét trước đây của ");
	out_html(o, d->by);
	if (d->at) {
		out_s(o, " ngày ");
		/* "YYYY-MM-DD HH:MM:SS": the day, as the letter writes dates. */
		snprintf(day, sizeof(day), "%.10s", d->at);
		out_html(o, date_vi(at, sizeof(at), day) ? at : d->at);
	}
	if (f->decision_state == DECISION_APPLIED) {
		out_s(o, " (máy đánh giá: ");
		out_s(o, verdict_label(f->machine_verdict));
		out_s(o, "). Lý do: ");
		out_html(o, d->reason);
	} else {
		out_s(o, " cần xem xét lại vì bằng chứng đã thay đổi; kết quả trên là đánh giá của "
			 "máy");
	}
	out_s(o, ".</small>");
}

/* What the audit found, with the page and date it used. */
static void finding_found(struct out *o, const struct finding *f, const struct wording_finding *w)
{
	char d[16];

	if (f->verdict == VERDICT_STALE) {
		out_s(o, "Chỉ có bản");
		if (f->period_found) {
			out_s(o, " năm học ");
			out_html(o, f->period_found);
		} else {
			out_s(o, " năm học trước");
		}
		if (f->date) {
			out_s(o, " (ngày ");
			out_html(o, date_vi(d, sizeof(d), f->date) ? d : f->date);
			out_s(o, ")");
		}
		out_s(o, ".");
	} else {
		/* Where the program looked is said once, above the table. */
		out_s(o, "Không tìm thấy.");
		if (!w->looked[0] && w->note) {
			out_s(o, " <small>");
			out_html(o, w->note);
			out_s(o, "</small>");
		}
	}
	if (f->url) {
		out_s(o, "<br><span class=\"url\">");
		short_url(o, f->url);
		out_s(o, "</span>");
	}
	decided(o, f);
}

/* How to fix it: the rule's remedy, else publish (or update) under the
 * disclosure section with the school year in the title. */
static void remedy(struct out *o, const struct finding *f, const struct wording_finding *w,
		   const char *period)
{
	if (w->remedy) {
		out_html(o, w->remedy);
		return;
	}
	out_s(o, f->verdict == VERDICT_STALE ? "Cập nhật bản" : "Đăng");
	if (period) {
		out_s(o, " năm học ");
		out_html(o, period);
	}
	out_s(o, " trong chuyên mục Công khai, tiêu đề ghi rõ năm học.");
}

/* Where the program looked, once for the letter: the first missing
 * item's account (they differ only in the item named). */
static void looked(struct out *o, const struct school_result *r, const char *period)
{
	struct wording_finding w;
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		/* What the program saw, so not an item a person decided. */
		if (r->findings[i].verdict != VERDICT_MISSING ||
		    r->findings[i].decision_state == DECISION_APPLIED)
			continue;
		wording_finding_init(&w, &r->findings[i], r, period);
		if (w.looked[0]) {
			out_s(o, "<p class=\"looked\">Cách rà soát: ");
			out_html(o, w.looked);
			out_s(o, "</p>\n");
		}
		wording_finding_release(&w);
		return;
	}
}

static void items(struct out *o, const struct school_result *r, const char *period)
{
	struct wording_finding w;
	size_t i, n = 0;

	out_s(o, "<table class=\"items\"><colgroup><col class=\"n\"><col class=\"a\">"
		 "<col class=\"f\"><col></colgroup>\n<thead><tr><th>TT</th>"
		 "<th>Nội dung phải công khai</th><th>Kết quả rà soát</th>"
		 "<th>Đề nghị khắc phục</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		if (f->verdict != VERDICT_MISSING && f->verdict != VERDICT_STALE)
			continue;
		wording_finding_init(&w, f, r, period);
		out_f(o, "<tr><td class=\"n\">%zu</td><td>", ++n);
		requirement(o, f, &w);
		out_s(o, "</td><td>");
		finding_found(o, f, &w);
		out_s(o, "</td><td>");
		remedy(o, f, &w, period);
		out_s(o, "</td></tr>\n");
		wording_finding_release(&w);
	}
	out_s(o, "</tbody></table>\n");
}

static void deadline_line(struct out *o, const char *deadline)
{
	char d[16];

	out_s(o, "<p>Thời hạn hoàn thành: ");
	if (deadline && date_vi(d, sizeof(d), deadline))
		out_f(o, "<b>trước ngày %s</b>.", d);
	else
		out_s(o, "trước ngày …… tháng …… năm 20…… .");
	out_s(o, " Sau khi hoàn thành, nhà trường báo cáo bằng văn bản về đơn vị, kèm đường dẫn "
		 "đến từng nội dung đã đăng.</p>\n");
}

static void signature(struct out *o)
{
	out_s(o, "<table class=\"sign\"><tr><td class=\"l\"><b><i>Nơi nhận:</i></b><br>"
		 "- Như trên;<br>- Lưu: VT.</td><td class=\"r\"><div class=\"b\">THỦ TRƯỞNG ĐƠN "
		 "VỊ</div><div class=\"i\">(Ký, ghi rõ họ tên và đóng dấu)</div>"
		 "<div class=\"space\"></div><div>……………………………</div></td></tr></table>\n");
}

status report_notice(FILE *f, const struct report_meta *m, const struct school_result *r,
		     const char *deadline)
{
	const char *period = r->period ? r->period : m->period;
	const char *as_of = r->as_of ? r->as_of : m->as_of;
	char d[16];
	struct out o;

	out_init(&o, f, m->stop);
	out_s(&o, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"referrer\" content=\"no-referrer\">\n<title>Công văn đề nghị công "
		  "khai thông tin: ");
	out_html(&o, r->school.name ? r->school.name : r->school.id);
	out_s(&o, "</title>\n<style>");
	out_s(&o, css);
	out_s(&o, "</style>\n</head>\n<body>\n");
	header(&o, r);
	out_s(&o, "<p class=\"to\">Kính gửi: Hiệu trưởng ");
	out_html(&o, r->school.name ? r->school.name : r->school.id);
	out_s(&o, " <span class=\"code\">(mã trường ");
	out_html(&o, r->school.id);
	out_s(&o, ")</span></p>\n<p>Căn cứ kết quả rà soát cổng thông tin điện tử của nhà trường");
	if (r->school.portal_url) {
		out_s(&o, " (<span class=\"url\">");
		out_html(&o, r->school.portal_url);
		out_s(&o, "</span>)");
	}
	if (period) {
		out_s(&o, ", năm học ");
		out_html(&o, period);
	}
	if (as_of) {
		out_s(&o, ", dữ liệu tính đến ngày ");
		out_html(&o, date_vi(d, sizeof(d), as_of) ? d : as_of);
	}
	out_s(&o, ", nhà trường chưa công khai đầy đủ các nội dung theo quy định. Đề nghị nhà "
		  "trường đăng tải, cập nhật các nội dung sau:</p>\n");
	looked(&o, r, period);
	items(&o, r, period);
	deadline_line(&o, deadline);
	signature(&o);
	out_s(&o, "</body>\n</html>\n");
	return out_finish(&o);
}
