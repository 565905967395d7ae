/* The dashboard's POST actions.  routes_handle has checked the session
 * and the CSRF token; each action checks the user's scope for the school
 * it touches before anything is written, and the store checks the rest
 * (nothing is written on bad input).  Every success answers 303 to a
 * fixed local path. */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "store/decisions.h"
#include "web/internal.h"

/* A required text field: present and not only blanks. */
static const char *field(const struct web_req *rq, const char *name)
{
	const char *v = form_get(&rq->form, name);
	const char *p;

	for (p = v; p && *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return v;
	return NULL;
}

/* An optional field: NULL when absent or empty. */
static const char *optional(const struct web_req *rq, const char *name)
{
	const char *v = form_get(&rq->form, name);

	return v && *v ? v : NULL;
}

static bool decided_verdict(const char *v, enum verdict *out)
{
	if (!v || verdict_parse(v, out) < 0)
		return false;
	return *out == VERDICT_PASS || *out == VERDICT_STALE || *out == VERDICT_MISSING;
}

/* POST /review/decide: school, item, verdict, reason, evidence, back. */
void actions_decide(struct web_req *rq, struct web_resp *resp)
{
	const char *item = form_get(&rq->form, "item"), *back = form_get(&rq->form, "back");
	struct school_info si;
	struct decision d;
	int64_t run = 0;
	status st;

	if (!web_is_officer(rq)) {
		web_error(resp, rq, 403, "Chỉ cán bộ đơn vị và Sở được quyết định.");
		return;
	}
	if (!web_school_in_scope(rq, resp, form_get(&rq->form, "school"), &si))
		return;
	memset(&d, 0, sizeof(d));
	d.reason = (char *)field(rq, "reason");
	d.by = rq->user.name;
	d.evidence_url = (char *)optional(rq, "evidence");
	if (!item || !web_segment_ok(item) ||
	    !decided_verdict(form_get(&rq->form, "verdict"), &d.verdict) || !d.reason) {
		web_error(resp, rq, 400,
			  "Cần mục, kết luận (Đạt, Cũ, Thiếu) và lý do không để trống.");
		school_info_release(&si);
		return;
	}
	st = web_school_run(rq->s, si.id, &run);
	if (st == ST_OK)
		st = decisions_add(rq->s, run, si.id, item, &d, NULL);
	if (st < 0)
		web_fail(resp, rq, st, 403);
	else if (back && strcmp(back, "school") == 0)
		web_redirect(resp, "/school/", si.id);
	else
		web_redirect(resp, "/review", NULL);
	school_info_release(&si);
}

/* POST /appeals/open: school, item, text, evidence.  The school's own
 * user, or admin. */
void actions_appeal_open(struct web_req *rq, struct web_resp *resp)
{
	const char *item = form_get(&rq->form, "item"), *text = field(rq, "text");
	struct school_info si;
	int64_t run = 0;
	status st;

	if (rq->user.role == ROLE_UNIT) {
		web_error(resp, rq, 403, "Khiếu nại do trường gửi.");
		return;
	}
	if (!web_school_in_scope(rq, resp, form_get(&rq->form, "school"), &si))
		return;
	if (!item || !web_segment_ok(item) || !text) {
		web_error(resp, rq, 400, "Cần mục và nội dung khiếu nại không để trống.");
		school_info_release(&si);
		return;
	}
	st = web_school_run(rq->s, si.id, &run);
	if (st == ST_OK)
		st = appeals_open(rq->s, run, si.id, item, rq->user.name, text,
				  optional(rq, "evidence"), NULL);
	if (st < 0)
		web_fail(resp, rq, st, 403);
	else
		web_redirect(resp, "/school/", si.id);
	school_info_release(&si);
}

/* POST /appeals/{id}/close: decision (accept|reject), verdict (pass,
 * stale or missing when accepting; pass when absent), reason.  An
 * officer of the appeal's school. */
void actions_appeal_close(struct web_req *rq, struct web_resp *resp, const char *id_text)
{
	const char *decision = form_get(&rq->form, "decision"), *verdict;
	struct appeal a;
	enum verdict v = VERDICT_PASS;
	long id = 0;
	bool accept;
	status st;

	if (!web_is_officer(rq)) {
		web_error(resp, rq, 403, "Chỉ cán bộ đơn vị và Sở được xử lý khiếu nại.");
		return;
	}
	if (str_to_long(id_text, 1, 1L << 53, &id) < 0) {
		web_error(resp, rq, 404, NULL);
		return;
	}
	memset(&a, 0, sizeof(a));
	if ((st = appeals_get(rq->s, id, &a)) < 0) {
		web_fail(resp, rq, st, 403);
		return;
	}
	if (!web_sees_school(rq, &a.school)) {
		web_error(resp, rq, 403, "Khiếu nại này nằm ngoài phạm vi của tài khoản.");
		appeal_release(&a);
		return;
	}
	appeal_release(&a);
	verdict = optional(rq, "verdict");
	accept = decision && strcmp(decision, "accept") == 0;
	if ((!accept && !(decision && strcmp(decision, "reject") == 0)) ||
	    (verdict && !decided_verdict(verdict, &v)) || !field(rq, "reason")) {
		web_error(resp, rq, 400,
			  "Cần chọn chấp nhận hoặc bác bỏ, một kết luận hợp lệ và lý do.");
		return;
	}
	st = appeals_close(rq->s, id, accept, v, field(rq, "reason"), rq->user.name);
	if (st < 0)
		web_fail(resp, rq, st, 403);
	else
		web_redirect(resp, "/appeals", NULL);
}

/* POST /recheck: school.  A school user at most recheck_per_day a day
 * (429 beyond), officers without a limit. */
void actions_recheck(struct web_req *rq, struct web_resp *resp)
{
	struct school_info si;
	int64_t id = 0;
	status st;

	if (!web_school_in_scope(rq, resp, form_get(&rq->form, "school"), &si))
		return;
	st = rechecks_enqueue(rq->s, si.id, rq->user.name,
			      rq->user.role == ROLE_SCHOOL ? rq->o->recheck_per_day : -1, &id);
	if (st < 0)
		web_fail(resp, rq, st, 429);
	else {
		log_info("serve: re-check %lld of school %s queued by %s", (long long)id, si.id,
			 rq->user.name);
		if (rq->o->on_recheck)
			rq->o->on_recheck(rq->o->on_recheck_arg);
		web_redirect(resp, "/school/", si.id);
	}
	school_info_release(&si);
}
