/* Appeals: a school contests a verdict; accepting one records a decision
 * (store/decisions.h). */
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/str.h"
#include "store/decisions_int.h"

static const char *const state_names[] = {"open", "accepted", "rejected"};
static const char *const state_labels[] = {"Đang mở", "Chấp nhận", "Bác bỏ"};

const char *appeal_state_str(enum appeal_state st)
{
	return (unsigned)st < 3 ? state_names[st] : "unknown";
}

const char *appeal_state_label(enum appeal_state st)
{
	return (unsigned)st < 3 ? state_labels[st] : "?";
}

void appeal_release(struct appeal *a)
{
	if (!a)
		return;
	school_info_release(&a->school);
	free(a->period);
	free(a->item);
	free(a->item_title);
	free(a->by);
	free(a->text);
	free(a->evidence_url);
	free(a->opened_at);
	free(a->closed_by);
	free(a->closed_at);
	free(a->close_reason);
	memset(a, 0, sizeof(*a));
}

status appeals_open(struct store *s, int64_t run, const char *school_id, const char *item,
		    const char *by, const char *text, const char *evidence_url, int64_t *id)
{
	struct decision_target t;
	sqlite3_stmt *st = NULL;
	status rc;

	if (!text || strspn(text, " \t\r\n") == strlen(text))
		return status_set(ST_INVALID, "an appeal needs a text (--text TEXT)");
	if (!by || strspn(by, " \t\r\n") == strlen(by))
		return status_set(ST_INVALID,
				  "an appeal needs the name of who opens it (--by NAME)");
	rc = decisions_target(s, run, school_id, item, &t);
	if (rc < 0)
		return rc;
	rc = store_prepare(
		s, &st,
		"INSERT INTO appeals (run_id, period, school_id, item, item_title, verdict,"
		" opened_by, text, evidence_url, opened_at) VALUES (?,?,?,?,?,?,?,?,?,"
		" strftime('%Y-%m-%d %H:%M:%S', 'now'))");
	if (rc == ST_OK) {
		sqlite3_bind_int64(st, 1, run);
		store_bind_text(st, 2, t.period);
		store_bind_text(st, 3, school_id);
		store_bind_text(st, 4, item);
		store_bind_text(st, 5, t.title);
		store_bind_text(st, 6, verdict_str(t.final));
		store_bind_text(st, 7, by);
		store_bind_text(st, 8, text);
		store_bind_text(st, 9, evidence_url);
		rc = store_step_done(s, st);
	}
	if (rc == ST_OK && id)
		*id = sqlite3_last_insert_rowid(store_db(s));
	sqlite3_finalize(st);
	decisions_target_release(&t);
	return rc;
}

#define APPEAL_SELECT                                                                            \
	"SELECT a.id, a.run_id, a.period, a.item, a.item_title, a.verdict, a.opened_by, a.text," \
	" a.evidence_url, a.opened_at, a.state, a.closed_by, a.closed_at, a.close_reason,"       \
	" a.decision_id, a.school_id, s.name, s.unit, s.level, s.ownership, s.portal_url"        \
	" FROM appeals a LEFT JOIN schools s ON s.id = a.school_id"

static status appeal_row(sqlite3_stmt *st, struct appeal *a)
{
	const char *state = (const char *)sqlite3_column_text(st, 10);
	int ok = 1;
	status rc;

	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	a->run_id = sqlite3_column_int64(st, 1);
	a->period = store_column_dup(st, 2, &ok);
	a->item = store_column_dup(st, 3, &ok);
	a->item_title = store_column_dup(st, 4, &ok);
	rc = verdict_parse((const char *)sqlite3_column_text(st, 5), &a->verdict);
	a->by = store_column_dup(st, 6, &ok);
	a->text = store_column_dup(st, 7, &ok);
	a->evidence_url = store_column_dup(st, 8, &ok);
	a->opened_at = store_column_dup(st, 9, &ok);
	a->state = APPEAL_OPEN;
	if (state && strcmp(state, "accepted") == 0)
		a->state = APPEAL_ACCEPTED;
	else if (state && strcmp(state, "rejected") == 0)
		a->state = APPEAL_REJECTED;
	a->closed_by = store_column_dup(st, 11, &ok);
	a->closed_at = store_column_dup(st, 12, &ok);
	a->close_reason = store_column_dup(st, 13, &ok);
	a->decision_id = sqlite3_column_int64(st, 14);
	a->school.id = store_column_dup(st, 15, &ok);
	a->school.name = store_column_dup(st, 16, &ok);
	a->school.unit = store_column_dup(st, 17, &ok);
	a->school.level = store_column_dup(st, 18, &ok);
	a->school.ownership = store_column_dup(st, 19, &ok);
	a->school.portal_url = store_column_dup(st, 20, &ok);
	if (rc == ST_OK && !ok)
		rc = status_set(ST_NOMEM, "out of memory reading appeals");
	return rc;
}

status appeals_list(struct store *s, bool open_only, struct appeal **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	struct appeal *v = NULL;
	size_t len = 0, cap = 0;
	int row = SQLITE_DONE;
	status rc;

	*out = NULL;
	*n = 0;
	rc = store_prepare(s, &st,
			   open_only ? APPEAL_SELECT " WHERE a.state = 'open' ORDER BY a.id"
				     : APPEAL_SELECT " ORDER BY a.id");
	if (rc < 0)
		return rc;
	while (rc == ST_OK && (row = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = ARRAY_GROW(v, len + 1, cap)) < 0)
			break;
		rc = appeal_row(st, &v[len]);
		len++;
	}
	if (rc == ST_OK && row != SQLITE_DONE)
		rc = store_error(s, "cannot read appeals");
	sqlite3_finalize(st);
	if (rc < 0) {
		appeals_free(v, len);
		return rc;
	}
	*out = v;
	*n = len;
	return ST_OK;
}

void appeals_free(struct appeal *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		appeal_release(&v[i]);
	free(v);
}

status appeals_get(struct store *s, int64_t id, struct appeal *out)
{
	sqlite3_stmt *st = NULL;
	status rc;
	int row;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(s, &st, APPEAL_SELECT " WHERE a.id = ?");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	row = sqlite3_step(st);
	if (row == SQLITE_ROW)
		rc = appeal_row(st, out);
	else if (row == SQLITE_DONE)
		rc = status_set(ST_NOTFOUND, "there is no appeal %lld", (long long)id);
	else
		rc = store_error(s, "cannot read appeals");
	sqlite3_finalize(st);
	if (rc < 0)
		appeal_release(out);
	return rc;
}

static status close_row(struct store *s, int64_t id, bool accept, const char *reason,
			const char *by, int64_t decision_id)
{
	sqlite3_stmt *st = NULL;
	status rc =
		store_prepare(s, &st,
			      "UPDATE appeals SET state = ?, closed_by = ?, close_reason = ?,"
			      " closed_at = strftime('%Y-%m-%d %H:%M:%S', 'now'), decision_id = ?"
			      " WHERE id = ? AND state = 'open'");

	if (rc < 0)
		return rc;
	store_bind_text(st, 1, accept ? "accepted" : "rejected");
	store_bind_text(st, 2, by);
	store_bind_text(st, 3, reason);
	if (decision_id)
		sqlite3_bind_int64(st, 4, decision_id);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_int64(st, 5, id);
	rc = store_step_done(s, st);
	sqlite3_finalize(st);
	return rc;
}

status appeals_close(struct store *s, int64_t id, bool accept, enum verdict verdict,
		     const char *reason, const char *by)
{
	struct decision_target t = {0};
	struct decision d = {0};
	struct appeal a;
	int64_t decision_id = 0;
	status rc = appeals_get(s, id, &a);

	if (rc < 0)
		return rc;
	d.verdict = accept ? verdict : VERDICT_PASS;
	d.reason = (char *)reason;
	d.by = (char *)by;
	d.evidence_url = a.evidence_url;
	d.appeal_id = id;
	if (a.state != APPEAL_OPEN)
		rc = status_set(ST_INVALID, "appeal %lld is already closed (%s)", (long long)id,
				appeal_state_str(a.state));
	if (rc == ST_OK)
		rc = decisions_check(&d);
	if (rc == ST_OK && accept)
		rc = decisions_target(s, a.run_id, a.school.id, a.item, &t);
	if (rc == ST_OK)
		rc = store_begin(s);
	if (rc == ST_OK) {
		if (accept)
			rc = decisions_insert(s, a.run_id, a.school.id, a.item, &t, &d,
					      &decision_id);
		if (rc == ST_OK)
			rc = close_row(s, id, accept, reason, by, decision_id);
		if (rc == ST_OK)
			rc = store_commit(s);
		else
			store_rollback(s);
	}
	decisions_target_release(&t);
	appeal_release(&a);
	return rc;
}
