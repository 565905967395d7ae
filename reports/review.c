/* The review reports: one table of the queue, one of the decisions,
 * rendered by doc_write in every format. */
#include "reports/review.h"

#include <string.h>

#include "reports/doc.h"
#include "reports/wording.h"

static const char *const state_labels[] = {
	[DECISION_NONE] = "Chưa quyết định",
	[DECISION_APPLIED] = "Đang áp dụng",
	[DECISION_OUTDATED] = "Cần xem xét lại",
};

static void queue_table(struct table *t, const struct review_row *q, size_t nq)
{
	table_init(t, "queue", "Các mục đang chờ xem xét");
	t->sheet = "Chờ xem xét";
	table_col(t, "school_id", "Mã trường", COL_TEXT);
	table_col(t, "name", "Tên trường", COL_TEXT);
	table_col(t, "unit", "Đơn vị", COL_TEXT);
	table_col(t, "item", "Mã mục", COL_TEXT);
	table_col(t, "title", "Mục", COL_TEXT);
	table_col(t, "machine_verdict", "Kết quả của chương trình", COL_VERDICT);
	table_col(t, "state", "Tình trạng", COL_TEXT);
	table_col(t, "url", "Trang bằng chứng", COL_TEXT);
	table_col(t, "evidence", "Nội dung tìm thấy", COL_TEXT);
	table_col(t, "note", "Ghi chú của chương trình", COL_TEXT);
	table_col(t, "crawled_at", "Thu thập lúc", COL_TEXT);
	table_col(t, "decision", "Quyết định trước (số)", COL_INT);
	for (size_t i = 0; i < nq; i++) {
		const struct review_row *w = &q[i];
		size_t r = table_row(t);

		table_text(t, r, 0, w->school.id);
		table_text(t, r, 1, w->school.name);
		table_text(t, r, 2, w->school.unit);
		table_text(t, r, 3, w->f.item);
		table_text(t, r, 4, w->f.title);
		table_text(t, r, 5, verdict_str(w->f.verdict));
		table_text(t, r, 6, state_labels[w->state]);
		table_text(t, r, 7, w->f.url);
		table_text(t, r, 8, w->f.evidence);
		if (w->f.note)
			table_own(t, r, 9, wording_note(w->f.note));
		table_text(t, r, 10, w->crawled_at);
		if (w->outdated)
			table_num(t, r, 11, (double)w->outdated->id);
	}
}

/* Whether decision id is one the queue lists as needing a new review. */
static bool outdated(const struct review_row *q, size_t nq, int64_t id)
{
	for (size_t i = 0; q && i < nq; i++)
		if (q[i].outdated && q[i].outdated->id == id)
			return true;
	return false;
}

static void decisions_table(struct table *t, const struct decision_row *v, size_t n,
			    const struct review_row *q, size_t nq, bool with_state)
{
	table_init(t, "decisions", "Các quyết định");
	t->sheet = "Quyết định";
	table_col(t, "id", "Số", COL_INT);
	table_col(t, "period", "Năm học", COL_TEXT);
	table_col(t, "school_id", "Mã trường", COL_TEXT);
	table_col(t, "name", "Tên trường", COL_TEXT);
	table_col(t, "unit", "Đơn vị", COL_TEXT);
	table_col(t, "item", "Mã mục", COL_TEXT);
	table_col(t, "title", "Mục", COL_TEXT);
	table_col(t, "machine_verdict", "Kết quả của chương trình", COL_VERDICT);
	table_col(t, "verdict", "Quyết định", COL_VERDICT);
	table_col(t, "reason", "Lý do", COL_TEXT);
	table_col(t, "by", "Người quyết định", COL_TEXT);
	table_col(t, "at", "Thời điểm (UTC)", COL_TEXT);
	table_col(t, "evidence_url", "Bằng chứng người xem xét nêu", COL_TEXT);
	table_col(t, "machine_url", "Trang bằng chứng của chương trình", COL_TEXT);
	table_col(t, "appeal", "Khiếu nại số", COL_INT);
	table_col(t, "superseded_by", "Bị thay thế bởi quyết định số", COL_INT);
	table_col(t, "state", "Hiệu lực", COL_TEXT);
	for (size_t i = 0; i < n; i++) {
		const struct decision_row *w = &v[i];
		size_t r = table_row(t);

		table_num(t, r, 0, (double)w->d.id);
		table_text(t, r, 1, w->period);
		table_text(t, r, 2, w->school.id);
		table_text(t, r, 3, w->school.name);
		table_text(t, r, 4, w->school.unit);
		table_text(t, r, 5, w->item);
		table_text(t, r, 6, w->item_title);
		table_text(t, r, 7, verdict_str(w->d.machine));
		table_text(t, r, 8, verdict_str(w->d.verdict));
		table_text(t, r, 9, w->d.reason);
		table_text(t, r, 10, w->d.by);
		table_text(t, r, 11, w->d.at);
		table_text(t, r, 12, w->d.evidence_url);
		table_text(t, r, 13, w->machine_url);
		if (w->d.appeal_id)
			table_num(t, r, 14, (double)w->d.appeal_id);
		if (w->superseded_by)
			table_num(t, r, 15, (double)w->superseded_by);
		if (w->superseded_by)
			table_text(t, r, 16, "Đã bị thay thế");
		else if (with_state)
			table_text(t, r, 16,
				   state_labels[outdated(q, nq, w->d.id) ? DECISION_OUTDATED
									 : DECISION_APPLIED]);
		else
			table_text(t, r, 16, "Mới nhất");
	}
}

/* Renders tables t[0..n) as one document titled title (meta m, or none
 * when NULL), then releases them: the one shape of every review report. */
static status write_doc(FILE *f, enum report_format fmt, const struct report_meta *m,
			const char *title, struct table *t, size_t n)
{
	struct report_meta none;
	struct doc d;
	status st;

	memset(&none, 0, sizeof(none));
	st = doc_init(&d, "review", title, m ? m : &none, NULL);
	for (size_t i = 0; st == ST_OK && i < n; i++)
		d.tables[d.ntables++] = &t[i];
	if (st == ST_OK) {
		d.csv_table = 0;
		st = doc_write(f, fmt, &d);
		doc_release(&d);
	}
	for (size_t i = 0; i < n; i++)
		table_release(&t[i]);
	return st;
}

status report_review(FILE *f, enum report_format fmt, const struct report_meta *m,
		     const struct review_row *q, size_t nq, const struct decision_row *t, size_t nt)
{
	struct table tables[2];

	queue_table(&tables[0], q, nq);
	decisions_table(&tables[1], t, nt, q, nq, true);
	return write_doc(f, fmt, m, "Xem xét kết quả đánh giá: hàng chờ và các quyết định", tables,
			 2);
}

status report_review_queue(FILE *f, enum report_format fmt, const struct report_meta *m,
			   const struct review_row *q, size_t nq)
{
	struct table tq;

	queue_table(&tq, q, nq);
	return write_doc(f, fmt, m, "Các mục đang chờ xem xét", &tq, 1);
}

status report_review_trail(FILE *f, enum report_format fmt, const struct decision_row *t, size_t nt)
{
	struct table td;

	decisions_table(&td, t, nt, NULL, 0, false);
	return write_doc(f, fmt, NULL, "Nhật ký các quyết định xem xét", &td, 1);
}

static void appeals_table(struct table *t, const struct appeal *v, size_t n)
{
	table_init(t, "appeals", "Các khiếu nại về kết quả đánh giá");
	t->sheet = "Khiếu nại";
	table_col(t, "id", "Số", COL_INT);
	table_col(t, "state", "Trạng thái", COL_TEXT);
	table_col(t, "period", "Năm học", COL_TEXT);
	table_col(t, "school_id", "Mã trường", COL_TEXT);
	table_col(t, "name", "Tên trường", COL_TEXT);
	table_col(t, "item", "Mã mục", COL_TEXT);
	table_col(t, "title", "Mục", COL_TEXT);
	table_col(t, "verdict", "Kết quả bị khiếu nại", COL_VERDICT);
	table_col(t, "by", "Người khiếu nại", COL_TEXT);
	table_col(t, "text", "Nội dung", COL_TEXT);
	table_col(t, "evidence_url", "Bằng chứng", COL_TEXT);
	table_col(t, "opened_at", "Mở lúc (UTC)", COL_TEXT);
	table_col(t, "closed_by", "Người giải quyết", COL_TEXT);
	table_col(t, "closed_at", "Đóng lúc (UTC)", COL_TEXT);
	table_col(t, "close_reason", "Lý do giải quyết", COL_TEXT);
	table_col(t, "decision", "Quyết định số", COL_INT);
	for (size_t i = 0; i < n; i++) {
		const struct appeal *a = &v[i];
		size_t r = table_row(t);

		table_num(t, r, 0, (double)a->id);
		table_text(t, r, 1, appeal_state_label(a->state));
		table_text(t, r, 2, a->period);
		table_text(t, r, 3, a->school.id);
		table_text(t, r, 4, a->school.name);
		table_text(t, r, 5, a->item);
		table_text(t, r, 6, a->item_title);
		table_text(t, r, 7, verdict_str(a->verdict));
		table_text(t, r, 8, a->by);
		table_text(t, r, 9, a->text);
		table_text(t, r, 10, a->evidence_url);
		table_text(t, r, 11, a->opened_at);
		table_text(t, r, 12, a->closed_by);
		table_text(t, r, 13, a->closed_at);
		table_text(t, r, 14, a->close_reason);
		if (a->decision_id)
			table_num(t, r, 15, (double)a->decision_id);
	}
}

status report_appeals(FILE *f, enum report_format fmt, const struct appeal *v, size_t n)
{
	struct table t;

	appeals_table(&t, v, n);
	return write_doc(f, fmt, NULL, "Các khiếu nại về kết quả đánh giá", &t, 1);
}
