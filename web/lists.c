/* The dashboard's lists: the review queue with a decide form per item,
 * the appeals with a close form per open one, and the runs.  Each keeps
 * to the user's scope (web_sees_school). */
#include <string.h>

#include "store/decisions.h"
#include "store/runs.h"
#include "web/internal.h"

/* <td>s</td>, escaped; "—" for NULL. */
static status cell(struct buf *b, const char *s)
{
	status st = buf_adds(b, "<td>");

	if (st == ST_OK)
		st = page_esc(b, s ? s : "—");
	return st == ST_OK ? buf_adds(b, "</td>") : st;
}

/* <td> with a link to the school page. */
static status school_cell(struct buf *b, const struct school_info *si)
{
	status st = buf_adds(b, "<td><a href=\"/school/");

	if (st == ST_OK)
		st = page_seg(b, si->id);
	if (st == ST_OK)
		st = buf_adds(b, "\">");
	if (st == ST_OK)
		st = page_esc(b, si->name ? si->name : si->id);
	return st == ST_OK ? buf_adds(b, "</a></td>") : st;
}

static void finish(struct web_req *rq, struct web_resp *resp, status st)
{
	if (st == ST_OK)
		st = page_close(&resp->body);
	if (st < 0) {
		web_fail(resp, rq, st, 403);
		return;
	}
	resp->code = 200;
	resp->html = true;
	resp->ctype = "text/html; charset=utf-8";
}

static status review_row(struct web_req *rq, struct buf *b, const struct review_row *w)
{
	status st = buf_adds(b, "<tr>");

	if (st == ST_OK)
		st = school_cell(b, &w->school);
	if (st == ST_OK)
		st = cell(b, w->school.unit);
	if (st == ST_OK)
		st = cell(b, w->f.title ? w->f.title : w->f.item);
	if (st == ST_OK)
		st = cell(b, w->state == DECISION_OUTDATED ? "Cần xem xét lại"
							   : verdict_label(w->f.verdict));
	if (st == ST_OK)
		st = cell(b, w->f.url);
	if (st == ST_OK)
		st = cell(b, w->f.evidence);
	if (st == ST_OK)
		st = buf_adds(b, "<td>");
	if (st == ST_OK)
		st = school_decide_form(rq, b, w->school.id, w->f.item, "review");
	return st == ST_OK ? buf_adds(b, "</td></tr>\n") : st;
}

void lists_review(struct web_req *rq, struct web_resp *resp)
{
	struct review_row *v = NULL;
	struct buf *b = &resp->body;
	size_t n = 0, i, shown = 0;
	int64_t run = 0;
	status st;

	if (!web_is_officer(rq)) {
		web_error(resp, rq, 403, "Trang này dành cho cán bộ đơn vị và Sở.");
		return;
	}
	st = runs_latest(rq->s, "audit", false, &run);
	if (st == ST_OK)
		st = decisions_queue(rq->s, run, VERDICT_BIT(VERDICT_REVIEW), &v, &n);
	if (st == ST_NOTFOUND)
		st = ST_OK; /* no audit yet: an empty queue */
	if (st == ST_OK)
		st = page_open(b, rq, "Các mục cần xem xét");
	if (st == ST_OK)
		st = buf_adds(
			b,
			"<p>Tải về hàng đợi và các quyết định: <a href=\"/review.html\">HTML</a> "
			"<a href=\"/review.csv\">CSV</a> <a href=\"/review.json\">JSON</a> "
			"<a href=\"/review.xlsx\">Excel</a></p>\n");
	if (st == ST_OK)
		st = buf_adds(b,
			      "<table id=\"queue\"><tr><th>Trường</th><th>Đơn vị</th><th>Mục</th>"
			      "<th>Kết luận</th><th>URL bằng chứng</th><th>Bằng chứng</th>"
			      "<th>Quyết định</th></tr>\n");
	for (i = 0; st == ST_OK && i < n; i++) {
		if (!web_sees_school(rq, &v[i].school))
			continue;
		st = review_row(rq, b, &v[i]);
		shown++;
	}
	if (st == ST_OK)
		st = buf_adds(b, "</table>\n");
	if (st == ST_OK && !shown)
		st = buf_adds(b, "<p>Không có mục nào đang chờ xem xét.</p>\n");
	decisions_queue_free(v, n);
	finish(rq, resp, st);
}

static status close_form(struct web_req *rq, struct buf *b, const struct appeal *a)
{
	status st = buf_printf(b,
			       "<form class=\"inline\" method=\"post\" "
			       "action=\"/appeals/%lld/close\">",
			       (long long)a->id);

	if (st == ST_OK)
		st = page_csrf(b, rq);
	if (st == ST_OK)
		st = buf_adds(b, "<select name=\"decision\" aria-label=\"Xử lý\">"
				 "<option value=\"accept\">Chấp nhận</option>"
				 "<option value=\"reject\">Bác bỏ</option></select>"
				 "<select name=\"verdict\" aria-label=\"Kết luận khi chấp nhận\">"
				 "<option value=\"pass\">Đạt</option>"
				 "<option value=\"stale\">Cũ (chưa cập nhật)</option>"
				 "<option value=\"missing\">Thiếu</option></select>"
				 "<input name=\"reason\" required maxlength=\"2000\" "
				 "placeholder=\"Lý do\" aria-label=\"Lý do\">"
				 "<button type=\"submit\">Xử lý</button></form>");
	return st;
}

static status appeal_row(struct web_req *rq, struct buf *b, const struct appeal *a)
{
	status st = buf_printf(b, "<tr id=\"appeal-%lld\"><td>%lld</td>", (long long)a->id,
			       (long long)a->id);

	if (st == ST_OK)
		st = school_cell(b, &a->school);
	if (st == ST_OK)
		st = cell(b, a->item_title ? a->item_title : a->item);
	if (st == ST_OK)
		st = cell(b, verdict_label(a->verdict));
	if (st == ST_OK)
		st = cell(b, a->by);
	if (st == ST_OK)
		st = cell(b, a->opened_at);
	if (st == ST_OK)
		st = cell(b, a->text);
	if (st == ST_OK)
		st = cell(b, a->evidence_url);
	if (st == ST_OK)
		st = cell(b, appeal_state_label(a->state));
	if (st == ST_OK)
		st = buf_adds(b, "<td>");
	if (st == ST_OK && a->state == APPEAL_OPEN && web_is_officer(rq))
		st = close_form(rq, b, a);
	else if (st == ST_OK && a->state != APPEAL_OPEN) {
		st = page_esc(b, a->closed_by);
		if (st == ST_OK)
			st = buf_adds(b, ": ");
		if (st == ST_OK)
			st = page_esc(b, a->close_reason);
	}
	return st == ST_OK ? buf_adds(b, "</td></tr>\n") : st;
}

status lists_appeals_table(struct web_req *rq, struct buf *b, const char *school, size_t *shown)
{
	struct appeal *v = NULL;
	size_t n = 0;
	status st = appeals_list(rq->s, false, &v, &n);

	*shown = 0;
	if (st == ST_OK)
		st = lists_appeals_rows(rq, b, v, n, school, shown);
	appeals_free(v, n);
	return st;
}

status lists_appeals_rows(struct web_req *rq, struct buf *b, const struct appeal *v, size_t n,
			  const char *school, size_t *shown)
{
	size_t i;
	status st;

	*shown = 0;
	st = buf_adds(b, "<table id=\"appeals\"><tr><th>Số</th><th>Trường</th><th>Mục</th>"
			 "<th>Kết luận bị khiếu nại</th><th>Người gửi</th><th>Lúc</th>"
			 "<th>Nội dung</th><th>URL bằng chứng</th><th>Trạng thái</th>"
			 "<th>Xử lý</th></tr>\n");
	for (i = 0; st == ST_OK && i < n; i++) {
		if (!web_sees_school(rq, &v[i].school) ||
		    (school && (!v[i].school.id || strcmp(v[i].school.id, school) != 0)))
			continue;
		st = appeal_row(rq, b, &v[i]);
		++*shown;
	}
	if (st == ST_OK)
		st = buf_adds(b, "</table>\n");
	return st;
}

void lists_appeals(struct web_req *rq, struct web_resp *resp)
{
	struct buf *b = &resp->body;
	size_t shown = 0;
	status st = page_open(b, rq, "Khiếu nại");

	if (st == ST_OK)
		st = lists_appeals_table(rq, b, NULL, &shown);
	if (st == ST_OK && !shown)
		st = buf_adds(b, "<p>Chưa có khiếu nại nào.</p>\n");
	finish(rq, resp, st);
}

void lists_runs(struct web_req *rq, struct web_resp *resp)
{
	struct run_row *v = NULL;
	struct buf *b = &resp->body;
	size_t n = 0, i;
	status st;

	if (!web_is_officer(rq)) {
		web_error(resp, rq, 403, "Trang này dành cho cán bộ đơn vị và Sở.");
		return;
	}
	st = runs_list(rq->s, &v, &n);
	if (st == ST_OK)
		st = page_open(b, rq, "Các lượt chạy");
	if (st == ST_OK)
		st = buf_adds(b, "<table id=\"runs\"><tr><th>Số</th><th>Loại</th><th>Phạm vi</th>"
				 "<th>Nhãn</th><th>Năm học</th><th>Bắt đầu</th><th>Kết thúc</th>"
				 "<th>Số trường</th><th>Trạng thái</th></tr>\n");
	/* Newest first. */
	for (i = n; st == ST_OK && i-- > 0;) {
		st = buf_printf(b, "<tr><td>%lld</td>", (long long)v[i].id);
		if (st == ST_OK)
			st = cell(b, strcmp(v[i].kind, "crawl") == 0 ? "Thu thập" : "Đánh giá");
		if (st == ST_OK)
			st = cell(b, v[i].scope);
		if (st == ST_OK)
			st = cell(b, v[i].label);
		if (st == ST_OK)
			st = cell(b, v[i].period);
		if (st == ST_OK)
			st = cell(b, v[i].started_at);
		if (st == ST_OK)
			st = cell(b, v[i].finished_at);
		if (st == ST_OK)
			st = buf_printf(b, "<td>%ld</td>", v[i].schools);
		if (st == ST_OK)
			st = cell(b, v[i].state);
		if (st == ST_OK)
			st = buf_adds(b, "</tr>\n");
	}
	if (st == ST_OK)
		st = buf_adds(b, "</table>\n");
	runs_rows_free(v, n);
	finish(rq, resp, st);
}
