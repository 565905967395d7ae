/* The dashboard's sections of a school page below the report: the
 * school's history (the `report school --history` renderer), a decide
 * form per item waiting for review (officers), the appeal form (the
 * school's user and admin) and the re-check button with the queue. */
#include <stdlib.h>
#include <string.h>

#include "store/decisions.h"
#include "web/internal.h"

#define RECHECKS_SHOWN 5

static const char *const recheck_labels[] = {
	[RECHECK_QUEUED] = "Đang chờ",
	[RECHECK_RUNNING] = "Đang chạy",
	[RECHECK_DONE] = "Hoàn tất",
	[RECHECK_FAILED] = "Thất bại",
};

status school_decide_form(struct web_req *rq, struct buf *b, const char *school, const char *item,
			  const char *back)
{
	status st =
		buf_adds(b, "<form class=\"inline\" method=\"post\" action=\"/review/decide\">");

	if (st == ST_OK)
		st = page_csrf(b, rq);
	if (st == ST_OK)
		st = buf_adds(b, "<input type=\"hidden\" name=\"school\" value=\"");
	if (st == ST_OK)
		st = page_esc(b, school);
	if (st == ST_OK)
		st = buf_adds(b, "\"><input type=\"hidden\" name=\"item\" value=\"");
	if (st == ST_OK)
		st = page_esc(b, item);
	if (st == ST_OK)
		st = buf_printf(b,
				"\"><input type=\"hidden\" name=\"back\" value=\"%s\">"
				"<select name=\"verdict\" aria-label=\"Kết luận\">"
				"<option value=\"pass\">Đạt</option>"
				"<option value=\"stale\">Cũ (chưa cập nhật)</option>"
				"<option value=\"missing\">Thiếu</option></select>"
				"<input name=\"reason\" required maxlength=\"2000\" "
				"placeholder=\"Lý do\" aria-label=\"Lý do\">"
				"<input name=\"evidence\" type=\"url\" maxlength=\"2000\" "
				"placeholder=\"URL bằng chứng (không bắt buộc)\" "
				"aria-label=\"URL bằng chứng\">"
				"<button type=\"submit\">Quyết định</button></form>",
				back);
	return st;
}

/* The history of every audited period (the history renderer's document). */
static status history(struct buf *b, const struct web_school_page *p)
{
	status st = buf_adds(b, "<section class=\"pa-history\"><h2>Lịch sử qua các năm học</h2>\n");

	if (st == ST_OK)
		st = page_body_of(b, p->history, p->nhistory);
	return st == ST_OK ? buf_adds(b, "</section>\n") : st;
}

/* Items of r waiting for a person: machine verdict "review" that no
 * applying decision settles. */
static status decide_section(struct web_req *rq, struct buf *b, const struct school_result *r)
{
	size_t i, shown = 0;
	status st = ST_OK;

	for (i = 0; st == ST_OK && i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];

		if (f->verdict != VERDICT_REVIEW || f->decision_state == DECISION_APPLIED)
			continue;
		if (shown++ == 0)
			st = buf_adds(b,
				      "<section class=\"pa-box\" id=\"decide\"><h2>Quyết định các "
				      "mục cần xem xét</h2>\n<table><tr><th>Mục</th><th>Bằng "
				      "chứng</th><th>Quyết định</th></tr>\n");
		if (st == ST_OK)
			st = buf_adds(b, "<tr><td>");
		if (st == ST_OK)
			st = page_esc(b, f->title ? f->title : f->item);
		if (st == ST_OK)
			st = buf_adds(b, "</td><td class=\"url\">");
		if (st == ST_OK)
			st = page_esc(b, f->url ? f->url : "—");
		if (st == ST_OK)
			st = buf_adds(b, "</td><td>");
		if (st == ST_OK)
			st = school_decide_form(rq, b, r->school.id, f->item, "school");
		if (st == ST_OK)
			st = buf_adds(b, "</td></tr>\n");
	}
	if (st == ST_OK && shown)
		st = buf_adds(b, "</table></section>\n");
	return st;
}

static status appeal_section(struct web_req *rq, struct buf *b, const struct school_result *r)
{
	size_t i;
	status st;

	if (!r->nfindings)
		return ST_OK;
	st = buf_adds(b, "<section class=\"pa-box\" id=\"appeal\"><h2>Khiếu nại một kết luận</h2>\n"
			 "<form method=\"post\" action=\"/appeals/open\">");
	if (st == ST_OK)
		st = page_csrf(b, rq);
	if (st == ST_OK)
		st = buf_adds(b, "<input type=\"hidden\" name=\"school\" value=\"");
	if (st == ST_OK)
		st = page_esc(b, r->school.id);
	if (st == ST_OK)
		st = buf_adds(b, "\"><label>Mục <select name=\"item\">");
	for (i = 0; st == ST_OK && i < r->nfindings; i++) {
		st = buf_adds(b, "<option value=\"");
		if (st == ST_OK)
			st = page_esc(b, r->findings[i].item);
		if (st == ST_OK)
			st = buf_adds(b, "\">");
		if (st == ST_OK)
			st = page_esc(b, r->findings[i].title ? r->findings[i].title
							      : r->findings[i].item);
		if (st == ST_OK)
			st = buf_printf(b, " — %s</option>", verdict_label(r->findings[i].verdict));
	}
	if (st == ST_OK)
		st = buf_adds(b,
			      "</select></label><label>Nội dung <textarea name=\"text\" required "
			      "maxlength=\"4000\" rows=\"3\" cols=\"60\"></textarea></label>"
			      "<label>URL bằng chứng (không bắt buộc) <input name=\"evidence\" "
			      "type=\"url\" maxlength=\"2000\"></label>"
			      "<button type=\"submit\">Gửi khiếu nại</button></form></section>\n");
	return st;
}

/* The school's appeals: open ones, and who closed the others and why. */
static status appeals_section(struct web_req *rq, struct buf *b, const struct web_cached *e)
{
	struct buf t = BUF_INIT(4 << 20);
	size_t shown = 0;
	status st = lists_appeals_rows(rq, &t, e->appeals, e->nappeals, e->id, &shown);

	if (st == ST_OK && shown)
		st = buf_adds(b, "<section class=\"pa-box\" id=\"appeals-of-school\"><h2>Các khiếu "
				 "nại của trường</h2>\n");
	if (st == ST_OK && shown)
		st = buf_add(b, t.ptr, t.len);
	if (st == ST_OK && shown)
		st = buf_adds(b, "</section>\n");
	buf_release(&t);
	return st;
}

static status recheck_row(struct buf *b, const struct recheck *c)
{
	status st = buf_adds(b, "<tr><td>");

	if (st == ST_OK)
		st = page_esc(b, c->queued_at);
	if (st == ST_OK)
		st = buf_adds(b, "</td><td>");
	if (st == ST_OK)
		st = page_esc(b, c->by);
	if (st == ST_OK)
		st = buf_printf(b, "</td><td class=\"pa-recheck-state\">%s",
				(unsigned)c->state <= RECHECK_FAILED ? recheck_labels[c->state]
								     : "?");
	if (st == ST_OK && c->state == RECHECK_QUEUED)
		st = buf_printf(b, " (vị trí %d trong hàng đợi)", c->position);
	if (st == ST_OK && c->state == RECHECK_DONE && c->audit_run)
		st = buf_printf(b, " (lượt đánh giá %lld)", (long long)c->audit_run);
	if (st == ST_OK)
		st = buf_adds(b, "</td><td>");
	if (st == ST_OK)
		st = page_esc(b, c->progress ? c->progress : "");
	return st == ST_OK ? buf_adds(b, "</td></tr>\n") : st;
}

static status recheck_section(struct web_req *rq, struct buf *b, const struct web_cached *e)
{
	const struct recheck *v = e->rechecks;
	const char *id = e->id;
	size_t n = e->nrechecks, i;
	status st = buf_adds(b, "<section class=\"pa-box\" id=\"recheck\"><h2>Kiểm tra lại</h2>\n"
				"<form method=\"post\" action=\"/recheck\">");
	if (st == ST_OK)
		st = page_csrf(b, rq);
	if (st == ST_OK)
		st = buf_adds(b, "<input type=\"hidden\" name=\"school\" value=\"");
	if (st == ST_OK)
		st = page_esc(b, id);
	if (st == ST_OK)
		st = buf_adds(b, "\"><button type=\"submit\">Yêu cầu kiểm tra lại cổng "
				 "thông tin</button></form>\n");
	if (st == ST_OK && rq->user.role == ROLE_SCHOOL && rq->o->recheck_per_day >= 0)
		st = buf_printf(b, "<p>Mỗi trường được yêu cầu tối đa %d lần mỗi ngày.</p>\n",
				rq->o->recheck_per_day);
	if (st == ST_OK && n)
		st = buf_adds(b, "<table><tr><th>Yêu cầu lúc</th><th>Người yêu cầu</th>"
				 "<th>Trạng thái</th><th>Tiến độ</th></tr>\n");
	for (i = 0; st == ST_OK && i < n && i < RECHECKS_SHOWN; i++)
		st = recheck_row(b, &v[i]);
	if (st == ST_OK && n)
		st = buf_adds(b, "</table>\n");
	if (st == ST_OK)
		st = buf_adds(b, "</section>\n");
	return st;
}

status school_extra(struct web_req *rq, struct buf *b, const struct web_cached *e)
{
	status st = ST_OK;

	if (web_is_officer(rq))
		st = decide_section(rq, b, &e->page.result);
	if (st == ST_OK)
		st = appeals_section(rq, b, e);
	if (st == ST_OK && rq->user.role != ROLE_UNIT)
		st = appeal_section(rq, b, &e->page.result);
	if (st == ST_OK)
		st = recheck_section(rq, b, e);
	return st == ST_OK ? history(b, &e->page) : st;
}
