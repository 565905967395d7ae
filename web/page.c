/* The dashboard's own HTML: the frame of its pages, the navigation bar
 * and how a report document from the renderer is wrapped.  The report
 * documents are spliced by text: "<body>", "</body>" and "</head>" appear
 * in them only where reports/html.c wrote them, since every string from a
 * site is escaped ('<' as an entity). */
#include <string.h>

#include "reports/escape.h"
#include "web/internal.h"

#define WEB_CSS                                                                                      \
	"nav.pa{font:14px/1.4 system-ui,sans-serif;background:#0b3d62;color:#fff;padding:.4rem "     \
	"1rem;display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:center}"                        \
	"nav.pa a{color:#fff}nav.pa form{display:inline;margin-left:auto}"                           \
	"nav.pa button{font:inherit}.pa-dl{font:13px system-ui,sans-serif;padding:.3rem 1rem;"       \
	"background:#eef3f8}.pa-box{font:14px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem " \
	"auto;padding:0 1rem}.pa-box table{border-collapse:collapse;width:100%}"                     \
	".pa-box td,.pa-box th{border:1px solid #d0d7de;padding:.25rem .4rem;text-align:left;"       \
	"vertical-align:top}.pa-box form.inline{display:flex;flex-wrap:wrap;gap:.3rem}"              \
	".pa-box label{display:block;margin:.3rem 0}.pa-err{color:#a40e26;font-weight:600}"

static const char *const formats[][2] = {
	{"html", "HTML"},   {"json", "JSON"},  {"csv", "CSV"},
	{"md", "Markdown"}, {"xlsx", "Excel"}, {"txt", "Văn bản"},
};

status page_esc(struct buf *b, const char *s)
{
	return escape_html(b, s ? s : "");
}

status page_seg(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	status st = ST_OK;

	for (p = (const unsigned char *)s; st == ST_OK && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '~')
			st = buf_addc(b, (char)*p);
		else
			st = buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
	return st;
}

status page_csrf(struct buf *b, const struct web_req *rq)
{
	status st = buf_adds(b, "<input type=\"hidden\" name=\"csrf\" value=\"");

	if (st == ST_OK)
		st = page_esc(b, rq->csrf);
	return st == ST_OK ? buf_adds(b, "\">") : st;
}

static status nav_link(struct buf *b, const char *href_head, const char *seg, const char *label)
{
	status st = buf_printf(b, "<a href=\"%s", href_head);

	if (st == ST_OK && seg)
		st = page_seg(b, seg);
	if (st == ST_OK)
		st = buf_adds(b, "\">");
	if (st == ST_OK)
		st = page_esc(b, label);
	return st == ST_OK ? buf_adds(b, "</a>") : st;
}

static status nav(struct buf *b, const struct web_req *rq)
{
	const struct user *u = &rq->user;
	status st;

	if (!rq->authed)
		return ST_OK;
	st = buf_adds(b, "<nav class=\"pa\">");
	if (st == ST_OK && u->role == ROLE_ADMIN)
		st = nav_link(b, "/city", NULL, "Thành phố");
	if (st == ST_OK && u->role == ROLE_UNIT)
		st = nav_link(b, "/unit/", u->unit, u->unit);
	if (st == ST_OK && u->role == ROLE_SCHOOL)
		st = nav_link(b, "/school/", u->school_id, "Trường của tôi");
	if (st == ST_OK && u->role != ROLE_SCHOOL) {
		st = nav_link(b, "/ranking", NULL, "Xếp hạng");
		if (st == ST_OK)
			st = nav_link(b, "/adoption", NULL, "Triển khai cổng");
		if (st == ST_OK)
			st = nav_link(b, "/review", NULL, "Cần xem xét");
	}
	if (st == ST_OK)
		st = nav_link(b, "/appeals", NULL, "Khiếu nại");
	if (st == ST_OK && u->role != ROLE_SCHOOL)
		st = nav_link(b, "/runs", NULL, "Các lượt chạy");
	if (st == ST_OK)
		st = buf_adds(b, "<form method=\"post\" action=\"/logout\"><span>");
	if (st == ST_OK)
		st = page_esc(b, u->name);
	if (st == ST_OK)
		st = buf_adds(b, "</span> ");
	if (st == ST_OK)
		st = page_csrf(b, rq);
	if (st == ST_OK)
		st = buf_adds(b, "<button type=\"submit\">Đăng xuất</button></form></nav>\n");
	return st;
}

static status downloads(struct buf *b, const char *base)
{
	size_t i;
	status st;

	if (!base)
		return ST_OK;
	st = buf_adds(b, "<div class=\"pa-dl\">Tải về:");
	for (i = 0; st == ST_OK && i < sizeof(formats) / sizeof(formats[0]); i++)
		st = buf_printf(b, " <a href=\"%s.%s\">%s</a>", base, formats[i][0], formats[i][1]);
	return st == ST_OK ? buf_adds(b, "</div>\n") : st;
}

status page_open(struct buf *b, const struct web_req *rq, const char *title)
{
	status st = buf_adds(b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta "
				"charset=\"utf-8\">\n<meta name=\"viewport\" "
				"content=\"width=device-width,initial-scale=1\">\n<title>");

	if (st == ST_OK)
		st = page_esc(b, title);
	if (st == ST_OK)
		st = buf_adds(b, "</title>\n<style>" WEB_CSS "</style>\n</head>\n<body>\n");
	if (st == ST_OK)
		st = nav(b, rq);
	if (st == ST_OK)
		st = buf_adds(b, "<main class=\"pa-box\">\n<h1>");
	if (st == ST_OK)
		st = page_esc(b, title);
	return st == ST_OK ? buf_adds(b, "</h1>\n") : st;
}

status page_close(struct buf *b)
{
	return buf_adds(b, "</main>\n</body>\n</html>\n");
}

/* The last occurrence of needle in doc[0..n), or NULL. */
static const char *last_of(const char *doc, size_t n, const char *needle)
{
	const char *p = doc, *hit = NULL, *q;
	size_t k = strlen(needle);

	while ((q = memmem(p, n - (size_t)(p - doc), needle, k))) {
		hit = q;
		p = q + k;
	}
	return hit;
}

status page_body_of(struct buf *b, const char *doc, size_t n)
{
	const char *open = memmem(doc, n, "<body>", 6), *close = last_of(doc, n, "</body>");

	if (!open || !close || close < open)
		return status_set(ST_PARSE, "report document without a body");
	open += 6;
	return buf_add(b, open, (size_t)(close - open));
}

status page_report(struct buf *b, const struct web_req *rq, const char *doc, size_t n,
		   const char *base, const char *extra)
{
	const char *head = memmem(doc, n, "</head>", 7), *open = memmem(doc, n, "<body>", 6);
	const char *close = last_of(doc, n, "</body>");
	status st;

	if (!head || !open || !close || close < open || open < head)
		return status_set(ST_PARSE, "report document without a head or body");
	open += 6;
	st = buf_add(b, doc, (size_t)(head - doc));
	if (st == ST_OK)
		st = buf_adds(b, "<style>" WEB_CSS "</style>\n");
	if (st == ST_OK)
		st = buf_add(b, head, (size_t)(open - head));
	if (st == ST_OK)
		st = nav(b, rq);
	if (st == ST_OK)
		st = downloads(b, base);
	if (st == ST_OK)
		st = buf_add(b, open, (size_t)(close - open));
	if (st == ST_OK && extra)
		st = buf_adds(b, extra);
	if (st == ST_OK)
		st = buf_adds(b, close);
	return st;
}
