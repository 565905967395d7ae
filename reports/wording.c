/* The English → Vietnamese table of reports/wording.h.  Each entry is an
 * English template of a string the crawler or the audit writes (crawler/
 * fetch.c, crawl.c, crawl_done.c, guard.c; rules/eval.c, evalportal.c;
 * app/audit_one.c), with {} for a value, and its Vietnamese with {1},
 * {2}... for the values in order; {2s} prints value 2 as a date source.
 * A new English message of the program needs one row here (the report
 * test tests/integration/test_report_vietnamese.sh fails without it). */
#include "reports/wording.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

struct wording {
	const char *en, *vi;
};

/* More specific templates come before the general ones they overlap. */
static const struct wording table[] = {
	/* Reasons a site could not be read (crawler, app/audit_one.c). */
	{"dns", "không phân giải được tên miền (lỗi DNS)"},
	{"connect", "không kết nối được máy chủ"},
	{"timeout", "máy chủ không trả lời trong thời gian chờ"},
	{"tls", "lỗi kết nối bảo mật (TLS/HTTPS)"},
	{"redirects", "chuyển hướng quá nhiều lần"},
	{"protocol", "giao thức không được hỗ trợ"},
	{"network", "lỗi mạng"},
	{"parked", "tên miền đã hết hạn hoặc cổng thông tin tạm ngưng hoạt động"},
	{"unreachable", "không truy cập được"},
	{"site not reachable", "không truy cập được cổng thông tin"},
	{"no portal URL registered", "chưa đăng ký địa chỉ cổng thông tin"},
	{"not included in the crawl", "trường không có trong lần thu thập này"},
	{"crawl of this site did not finish", "việc thu thập cổng này chưa hoàn tất"},
	{"not_crawled", "chưa thu thập"},
	{"site time budget exceeded", "hết thời gian cho phép thu thập một cổng"},
	{"budget", "hết thời gian cho phép thu thập một cổng"},
	{"soft404", "trang đầu là trang báo lỗi không tìm thấy"},
	{"robots", "tệp robots.txt không cho phép thu thập"},
	{"robots (robots.txt: http {})",
	 "không đọc được tệp robots.txt (mã HTTP {1}) nên không được phép thu thập"},
	{"robots: Crawl-delay {} s above the cap of {} s",
	 "tệp robots.txt đòi giãn cách {1} giây giữa hai lần tải, vượt mức tối đa {2} giây"},
	{"http {}", "máy chủ trả mã lỗi HTTP {1}"},
	{"not html (no type)", "trang đầu không phải trang web (không ghi kiểu nội dung)"},
	{"not html ({})", "trang đầu không phải trang web (kiểu {1})"},
	{"invalid start URL: {}", "địa chỉ cổng thông tin không hợp lệ: {1}"},
	{"address guard: non-IP address not allowed",
	 "bị chặn vì địa chỉ máy chủ không phải địa chỉ IP"},
	{"address guard: {} not allowed", "bị chặn vì {1} là địa chỉ mạng nội bộ"},
	{"body exceeds {} bytes", "trang lớn hơn {1} byte"},
	/* Audit notes (rules/eval.c, rules/evalportal.c). */
	{"item found without a year label: a person should check it",
	 "tìm thấy mục nhưng không ghi năm học: cần người kiểm tra"},
	{"item found but undated: a person should check it",
	 "tìm thấy mục nhưng không có ngày đăng: cần người kiểm tra"},
	{"no year label; dated {}, before the rule took effect on {}: an earlier regime's disclosure",
	 "không ghi năm học; đăng ngày {1}, trước khi quy định có hiệu lực ({2}): công khai theo "
	 "quy định cũ"},
	{"no year label; dated {}, before {} took effect on {}: an earlier regime's disclosure",
	 "không ghi năm học; đăng ngày {1}, trước khi {2} có hiệu lực ({3}): công khai theo quy "
	 "định cũ"},
	{"posted {} ({}), {} working days after the document dated {}: over the {} allowed",
	 "đăng ngày {1} (theo {2s}), {3} ngày làm việc sau ngày văn bản {4}: quá thời hạn {5} "
	 "ngày làm việc"},
	{"attachment {}", "tệp đính kèm {1}"},
	{"page dated {} ({})", "trang ghi ngày {1} (theo {2s})"},
	{"portal host (none) is not under hcm.edu.vn", "chưa có tên miền cổng thông tin"},
	{"portal host {} is under hcm.edu.vn", "tên miền {1} thuộc hệ thống hcm.edu.vn"},
	{"portal host {} is not under hcm.edu.vn", "tên miền {1} không thuộc hệ thống hcm.edu.vn"},
	{"{} posts dated {} to {} (want {}): {} from {} news list page, {} from article pages only",
	 "{1} bài đăng từ {2} đến {3} (cần ít nhất {4}): {5} bài từ {6} trang danh sách tin, {7} "
	 "bài chỉ thấy trên trang bài viết"},
	{"{} posts dated {} to {} (want {}): {} from {} news list pages, {} from article pages "
	 "only",
	 "{1} bài đăng từ {2} đến {3} (cần ít nhất {4}): {5} bài từ {6} trang danh sách tin, {7} "
	 "bài chỉ thấy trên trang bài viết"},
	{"no news list with dated posts found",
	 "không tìm thấy trang danh sách tin nào có ghi ngày đăng"},
	{"disclosure section has no part for the current school year",
	 "chuyên mục công khai chưa có phần riêng cho năm học hiện tại"},
};

static const struct wording sources[] = {
	{"label", "nhãn năm học"},
	{"body", "nội dung trang"},
	{"document", "văn bản đính kèm"},
	{"title", "tiêu đề trang"},
	{"page", "ngày đăng trên trang"},
	{"meta", "thẻ meta của trang"},
	{"sitemap", "sơ đồ trang sitemap.xml"},
	{"http", "thời điểm sửa đổi do máy chủ báo"},
};

static const struct wording levels[] = {
	{"mn", "Mầm non"}, {"th", "Tiểu học"}, {"thcs", "THCS"}, {"thpt", "THPT"}, {"gdtx", "GDTX"},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MAXV 8

const char *wording_word(const char *s)
{
	for (size_t i = 0; s && i < NELEM(table); i++)
		if (!strstr(table[i].en, "{}") && strcmp(s, table[i].en) == 0)
			return table[i].vi;
	return s;
}

const char *wording_date_source(const char *s)
{
	for (size_t i = 0; s && i < NELEM(sources); i++)
		if (strcmp(s, sources[i].en) == 0)
			return sources[i].vi;
	return s;
}

/* Whether s[i..j) holds "; ", the separator of parts: no value spans it. */
static bool has_sep(const char *s, size_t i, size_t j)
{
	for (; i + 1 < j; i++)
		if (s[i] == ';' && s[i + 1] == ' ')
			return true;
	return false;
}

/* Matches template t against all of s[0..end).  Each {} takes the
 * shortest run (at least one byte, never "; ") before the next literal;
 * the last one, the rest.  On a match value k is s + off[k], len[k]. */
static bool match(const char *t, const char *s, size_t end, size_t *off, size_t *len, size_t *nv)
{
	size_t i = 0;

	*nv = 0;
	for (;;) {
		const char *ph = strstr(t, "{}");
		size_t lit = ph ? (size_t)(ph - t) : strlen(t), nlit, j;
		const char *next;

		if (i + lit > end || strncmp(s + i, t, lit) != 0)
			return false;
		i += lit;
		if (!ph)
			return i == end;
		t = ph + 2;
		next = strstr(t, "{}");
		nlit = next ? (size_t)(next - t) : strlen(t);
		if (*nv == MAXV || i >= end)
			return false;
		if (nlit == 0) {
			j = end; /* the value runs to the end */
		} else {
			for (j = i + 1; j + nlit <= end && strncmp(s + j, t, nlit) != 0; j++)
				;
			if (j + nlit > end)
				return false;
		}
		if (has_sep(s, i, j))
			return false;
		off[*nv] = i;
		len[*nv] = j - i;
		(*nv)++;
		i = j;
	}
}

static status emit(struct buf *b, const char *vi, const char *s, const size_t *off,
		   const size_t *len, size_t nv)
{
	status st = ST_OK;

	while (*vi && st == ST_OK) {
		const char *p = strchr(vi, '{');
		size_t k;

		if (!p)
			return buf_adds(b, vi);
		if ((st = buf_add(b, vi, (size_t)(p - vi))) < 0)
			return st;
		k = (size_t)(p[1] - '1');
		vi = p + 2;
		if (k >= nv)
			continue;
		if (*vi == 's') { /* a date source */
			char src[32];
			size_t n = len[k] < sizeof(src) - 1 ? len[k] : sizeof(src) - 1;

			memcpy(src, s + off[k], n);
			src[n] = '\0';
			st = buf_adds(b, wording_date_source(src));
			vi++;
		} else {
			st = buf_add(b, s + off[k], len[k]);
		}
		if (st == ST_OK && *vi == '}')
			vi++;
	}
	return st;
}

/* Translates one part s[0..end) into b; false when no template fits. */
static bool translate_part(struct buf *b, const char *s, size_t end, status *st)
{
	size_t off[MAXV], len[MAXV], nv;

	for (size_t i = 0; i < NELEM(table); i++)
		if (match(table[i].en, s, end, off, len, &nv)) {
			*st = emit(b, table[i].vi, s, off, len, nv);
			return true;
		}
	return false;
}

char *wording_note(const char *s)
{
	struct buf b = BUF_INIT(1 << 20);
	size_t n, i = 0;
	status st = ST_OK;

	if (!s)
		return NULL;
	n = strlen(s);
	do {
		const char *rest = s + i;
		size_t seps[32], nsep = 0, end = n - i;
		bool done;

		for (const char *e = strstr(rest, "; "); e && nsep < 32; e = strstr(e + 2, "; "))
			seps[nsep++] = (size_t)(e - rest);
		if (i > 0)
			st = buf_adds(&b, "; ");
		/* A template may itself hold "; ": the widest part first. */
		done = st == ST_OK && translate_part(&b, rest, end, &st);
		while (st == ST_OK && !done && nsep > 0) {
			end = seps[--nsep];
			done = translate_part(&b, rest, end, &st);
		}
		if (st == ST_OK && !done) { /* no template: the first part as it is */
			end = strcspn(rest, ";");
			while (rest[end] == ';' && rest[end + 1] != ' ')
				end += 1 + strcspn(rest + end + 1, ";");
			st = buf_add(&b, rest, end);
		}
		i += end + (i + end < n ? 2 : 0);
	} while (st == ST_OK && i < n);
	if (st != ST_OK) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

const char *wording_level(char *dst, size_t n, const char *level)
{
	struct buf b = BUF_INIT(n ? n - 1 : 0);
	const char *p = level;

	if (!level || !n)
		return NULL;
	dst[0] = '\0';
	while (*p) {
		size_t k = strcspn(p, "+");
		const char *vi = NULL;

		for (size_t i = 0; i < NELEM(levels); i++)
			if (strlen(levels[i].en) == k && strncmp(p, levels[i].en, k) == 0)
				vi = levels[i].vi;
		if ((p != level && buf_adds(&b, " + ") < 0) ||
		    (vi ? buf_adds(&b, vi) : buf_add(&b, p, k)) < 0)
			break;
		p += k;
		if (*p == '+')
			p++;
	}
	snprintf(dst, n, "%s", buf_str(&b));
	buf_release(&b);
	return dst;
}

/* "TT 09/2024/TT-BGDĐT, điều 4, khoản 1" (rules/eval.c basis_text). */
const char *wording_basis(char *dst, size_t n, const char *basis)
{
	const char *art, *cl, *end;
	char doc[200], where[64] = "";

	if (!basis || !n)
		return NULL;
	art = strstr(basis, ", điều ");
	cl = strstr(basis, ", khoản ");
	end = art ? art : cl ? cl : basis + strlen(basis);
	if (strncmp(basis, "TT ", 3) == 0)
		snprintf(doc, sizeof(doc), "Thông tư %.*s", (int)(end - basis - 3), basis + 3);
	else if (strncmp(basis, "HCMC rubric ", 12) == 0)
		snprintf(doc, sizeof(doc),
			 "mục %.*s Tiêu chuẩn đánh giá thi đua nhiệm vụ CNTT của Sở GD&ĐT TP.HCM",
			 (int)(end - basis - 12), basis + 12);
	else if (strstr(basis, "/GDĐT-") && strncmp(basis, "Công văn", 8) != 0)
		snprintf(doc, sizeof(doc), "Công văn %.*s của Sở GD&ĐT TP.HCM", (int)(end - basis),
			 basis);
	else
		snprintf(doc, sizeof(doc), "%.*s", (int)(end - basis), basis);
	if (art && cl)
		snprintf(where, sizeof(where), "Điều %.*s khoản %s ",
			 (int)(cl - art - strlen(", điều ")), art + strlen(", điều "),
			 cl + strlen(", khoản "));
	else if (art)
		snprintf(where, sizeof(where), "Điều %s ", art + strlen(", điều "));
	else if (cl)
		snprintf(where, sizeof(where), "Khoản %s ", cl + strlen(", khoản "));
	snprintf(dst, n, "%s%s", where, doc);
	return dst;
}

/* s with every "{period}" replaced by period ("năm học hiện tại" when
 * unknown); allocated, NULL on failure. */
static char *fill_period(const char *s, const char *period)
{
	struct buf b = BUF_INIT(1 << 16);
	const char *p;

	if (!period || !*period)
		period = "hiện tại";
	while ((p = strstr(s, "{period}")) != NULL) {
		if (buf_add(&b, s, (size_t)(p - s)) < 0 || buf_adds(&b, period) < 0)
			break;
		s = p + strlen("{period}");
	}
	if (buf_adds(&b, s) < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static void looked(struct wording_finding *w, const struct finding *f,
		   const struct school_result *r)
{
	char read[160];

	snprintf(read, sizeof(read), "Chương trình đã đọc %d trang và tài liệu của cổng thông tin",
		 r ? r->pages : 0);
	if (r && r->errors) {
		size_t k = strlen(read);

		snprintf(read + k, sizeof(read) - k, " (%d lần tải lỗi)", r->errors);
	}
	switch (f->verdict) {
	case VERDICT_MISSING:
		snprintf(w->looked, sizeof(w->looked),
			 "%s (tiêu đề, đề mục, liên kết, tệp đính kèm, văn bản) và không thấy nơi "
			 "nào nêu mục này.",
			 read);
		break;
	case VERDICT_STALE:
		snprintf(w->looked, sizeof(w->looked),
			 "%s; bản mới nhất tìm thấy là của %s%s, chưa có bản của năm học đang "
			 "đánh giá.",
			 read, f->period_found ? "năm học " : "lần đăng ",
			 f->period_found ? f->period_found : (f->date ? f->date : "trước"));
		break;
	case VERDICT_REVIEW:
		snprintf(w->looked, sizeof(w->looked),
			 "%s; bằng chứng tìm thấy chưa đủ chắc chắn, cần người kiểm tra.", read);
		break;
	case VERDICT_UNREACHABLE:
		snprintf(w->looked, sizeof(w->looked),
			 "Không đọc được cổng thông tin nên không đánh giá được mục này.");
		break;
	default:
		w->looked[0] = '\0';
	}
}

void wording_finding_init(struct wording_finding *w, const struct finding *f,
			  const struct school_result *r, const char *period)
{
	memset(w, 0, sizeof(*w));
	w->requirement = f->requirement;
	if (f->basis)
		wording_basis(w->basis, sizeof(w->basis), f->basis);
	if (f->date && f->date_source)
		snprintf(w->date, sizeof(w->date), "%s (theo %s)", f->date,
			 wording_date_source(f->date_source));
	else if (f->date)
		snprintf(w->date, sizeof(w->date), "%s", f->date);
	w->note = wording_note(f->note);
	/* Where the program looked describes what the machine saw, even when a
	 * person's decision made another verdict final. */
	if (f->decision_state == DECISION_APPLIED) {
		struct finding machine = *f;

		machine.verdict = f->machine_verdict;
		looked(w, &machine, r);
	} else {
		looked(w, f, r);
	}
	if (f->remedy && (f->verdict == VERDICT_MISSING || f->verdict == VERDICT_STALE ||
			  f->verdict == VERDICT_REVIEW))
		w->remedy = fill_period(f->remedy, period);
}

void wording_finding_release(struct wording_finding *w)
{
	free(w->note);
	free(w->remedy);
	memset(w, 0, sizeof(*w));
}

const char *wording_decision_key(enum decision_state st)
{
	return st == DECISION_APPLIED ? "applied" : st == DECISION_OUTDATED ? "outdated" : NULL;
}

const char *wording_decision_label(enum decision_state st)
{
	return st == DECISION_APPLIED    ? "Đã xem xét"
	       : st == DECISION_OUTDATED ? "Cần xem xét lại"
					 : NULL;
}

static void decision_line(struct wording_decision *w, const char *label, const char *value)
{
	if (value && value[0] && w->n < WORDING_NDECISION) {
		w->line[w->n].label = label;
		w->line[w->n].value = value;
		w->n++;
	}
}

void wording_decision_init(struct wording_decision *w, const struct finding *f)
{
	const struct decision *d = f->decision;

	memset(w, 0, sizeof(*w));
	w->state = wording_decision_label(f->decision_state);
	if (!w->state)
		return;
	if (f->decision_state == DECISION_APPLIED) {
		decision_line(w, "Máy đánh giá", verdict_label(f->machine_verdict));
	} else {
		decision_line(w, "Cần xem xét lại",
			      "bằng chứng đã thay đổi sau lần xem xét trước; kết quả trên là "
			      "đánh giá của máy");
		if (d)
			decision_line(w, "Quyết định trước đây", verdict_label(d->verdict));
	}
	if (!d)
		return;
	decision_line(w, "Người xem xét", d->by);
	decision_line(w, "Thời điểm xem xét", d->at);
	decision_line(w, "Lý do", d->reason);
	decision_line(w, "Bằng chứng người xem xét cung cấp", d->evidence_url);
	if (d->appeal_id > 0) {
		snprintf(w->appeal, sizeof(w->appeal), "số %lld", (long long)d->appeal_id);
		decision_line(w, "Theo kháng nghị", w->appeal);
	}
}

static const struct wording kinds[] = {
	{"school", "Một trường"},
	{"unit", "Đơn vị quản lý"},
	{"city", "Toàn thành phố"},
	{"ranking", "Xếp hạng"},
	{"adoption", "Tỷ lệ có cổng thông tin (công văn 3630)"},
	{"review", "Xem xét và quyết định"},
};

const char *wording_kind(const char *kind)
{
	for (size_t i = 0; kind && i < NELEM(kinds); i++)
		if (strcmp(kind, kinds[i].en) == 0)
			return kinds[i].vi;
	return kind;
}
