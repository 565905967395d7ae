#include "store/report_queries.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "store/decisions.h"

/* Grows *v (elements of size sz) to hold one more; NULL on out of memory. */
static void *grow(void **v, size_t *cap, size_t len, size_t sz)
{
	if (array_grow(v, cap, len + 1, sz) < 0)
		return NULL;
	return (char *)*v + len * sz;
}

/* The registry as audit run ?1 saw it: its frozen copy (run_schools),
 * else, for a run made before runs kept one, the registry as it is now. */
#define RUN_REGISTRY                                                                           \
	"(SELECT school_id AS id, name, unit, level, ownership, portal_url, former_unit,"      \
	" former_province FROM run_schools WHERE run_id = ?1 UNION ALL SELECT id, name, unit," \
	" level, ownership, portal_url, former_unit, former_province FROM schools"             \
	" WHERE NOT EXISTS (SELECT 1 FROM run_schools WHERE run_id = ?1))"

/* Reads one row of report_queries_portals' query into p, and the school's
 * portal_reachable finding (machine verdict, evidence URL, crawl) into r
 * for decisions_apply_all; r has no finding when the run has none. */
static status portal_row(sqlite3_stmt *stmt, int64_t run, struct portal_check *p,
			 struct school_result *r)
{
	const char *verdict = (const char *)sqlite3_column_text(stmt, 7);
	struct finding f = {0};
	int ok = 1;
	status st = ST_OK;

	memset(p, 0, sizeof(*p));
	memset(r, 0, sizeof(*r));
	p->school.id = store_column_dup(stmt, 0, &ok);
	p->school.name = store_column_dup(stmt, 1, &ok);
	p->school.unit = store_column_dup(stmt, 2, &ok);
	p->school.level = store_column_dup(stmt, 3, &ok);
	p->school.ownership = store_column_dup(stmt, 4, &ok);
	p->school.portal_url = store_column_dup(stmt, 5, &ok);
	p->in_run = sqlite3_column_int(stmt, 6) != 0;
	p->reason = store_column_dup(stmt, 8, &ok);
	p->checked = verdict != NULL;
	p->not_crawled = sqlite3_column_int(stmt, 9) != 0;
	/* Every row has the run's period: decisions_apply_all reads the
	 * decisions again whenever the period changes from one row to the next. */
	r->run_id = run;
	r->crawl_run_id = sqlite3_column_int64(stmt, 11);
	r->school.id = store_column_dup(stmt, 0, &ok);
	r->period = store_column_dup(stmt, 12, &ok);
	if (!ok)
		return status_set(ST_NOMEM, "out of memory loading portal states");
	if (!verdict)
		return ST_OK;
	f.item = store_column_dup(stmt, 13, &ok);
	f.url = store_column_dup(stmt, 10, &ok);
	st = verdict_parse(verdict, &f.verdict);
	if (st == ST_OK && !ok)
		st = status_set(ST_NOMEM, "out of memory loading portal states");
	if (st == ST_OK)
		st = school_result_add(r, &f);
	finding_release(&f);
	return st;
}

/* Sets each checked school's working flag from the final verdict of its
 * portal_reachable finding: the decisions apply as they do to every
 * result (decisions_apply_all), one rule for all reports. */
static status portal_final(struct store *s, struct portal_check *v, struct school_result *r,
			   size_t n)
{
	status st = decisions_apply_all(s, r, n);

	for (size_t i = 0; st == ST_OK && i < n; i++)
		v[i].working = r[i].nfindings && r[i].findings[0].verdict == VERDICT_PASS;
	return st;
}

status report_queries_portals(struct store *s, int64_t run, struct portal_check **out, size_t *n)
{
	sqlite3_stmt *stmt = NULL;
	struct portal_check *v = NULL, *p;
	struct school_result *res = NULL;
	size_t len = 0, cap = 0, rcap = 0;
	status st;
	int row = SQLITE_DONE;

	*out = NULL;
	*n = 0;
	/* The registry drives the rows: a registered school the run never
	 * audited must still be counted (and flagged) by the adoption table.
	 * A school's portal_reachable finding (the first, in rule order)
	 * counts only when the run has a result for the school.  The unary
	 * "+" keeps SQLite off findings_run_item (run_id, item), which made
	 * the lookup walk every school's portal_reachable row for each school
	 * (55 s on 5,000 schools); the primary key finds the school's rows. */
	st = store_prepare(
		s, &stmt,
		"SELECT s.id, s.name, s.unit, s.level, s.ownership, s.portal_url,"
		" c.school_id IS NOT NULL, f.verdict, c.reason,"
		" coalesce(c.reachable = 0 AND c.reason = '" REASON_NOT_CRAWLED "', 0),"
		" f.url, c.crawl_run, (SELECT coalesce(period, '') FROM runs WHERE id = ?1), f.item"
		" FROM " RUN_REGISTRY " s"
		" LEFT JOIN scores c ON c.run_id = ?1 AND c.school_id = s.id"
		" LEFT JOIN findings f ON c.school_id IS NOT NULL AND f.run_id = ?1 AND"
		" f.school_id = s.id AND f.ord = (SELECT min(g.ord) FROM findings g WHERE"
		" g.run_id = ?1 AND g.school_id = s.id AND +g.item = 'portal_reachable')"
		" ORDER BY s.id");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run);
	while (st == ST_OK && (row = sqlite3_step(stmt)) == SQLITE_ROW) {
		p = grow((void **)&v, &cap, len, sizeof(*v));
		if (!p || !grow((void **)&res, &rcap, len, sizeof(*res))) {
			st = status_set(ST_NOMEM, "out of memory loading portal states");
			break;
		}
		len++;
		st = portal_row(stmt, run, p, &res[len - 1]);
	}
	if (st == ST_OK && row != SQLITE_DONE)
		st = store_error(s, "cannot read portal states");
	sqlite3_finalize(stmt);
	if (st == ST_OK)
		st = portal_final(s, v, res, len);
	for (size_t i = 0; i < len; i++)
		school_result_release(&res[i]);
	free(res);
	if (st < 0) {
		report_queries_portals_free(v, len);
		return st;
	}
	*out = v;
	*n = len;
	return ST_OK;
}

void report_queries_portals_free(struct portal_check *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		school_info_release(&v[i].school);
		free(v[i].reason);
	}
	free(v);
}

status report_queries_weights(struct store *s, int64_t run, struct item_weight **out, size_t *n)
{
	sqlite3_stmt *stmt = NULL;
	struct item_weight *v = NULL, *w;
	size_t len = 0, cap = 0;
	status st;
	int row = SQLITE_DONE, ok = 1;

	*out = NULL;
	*n = 0;
	/* Every school lists the rule set's items in rule order (ord); the
	 * smallest ord of an item over the run keeps that order. */
	st = store_prepare(s, &stmt,
			   "SELECT item, min(title), min(basis), max(weight), min(ord) AS o"
			   " FROM findings WHERE run_id = ? GROUP BY item ORDER BY o, item");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run);
	while (st == ST_OK && (row = sqlite3_step(stmt)) == SQLITE_ROW) {
		w = grow((void **)&v, &cap, len, sizeof(*v));
		if (!w) {
			st = status_set(ST_NOMEM, "out of memory loading item weights");
			break;
		}
		len++;
		w->item = store_column_dup(stmt, 0, &ok);
		w->title = store_column_dup(stmt, 1, &ok);
		w->basis = store_column_dup(stmt, 2, &ok);
		w->weight = sqlite3_column_double(stmt, 3);
		if (!ok)
			st = status_set(ST_NOMEM, "out of memory loading item weights");
	}
	if (st == ST_OK && row != SQLITE_DONE)
		st = store_error(s, "cannot read item weights");
	sqlite3_finalize(stmt);
	if (st < 0) {
		report_queries_weights_free(v, len);
		return st;
	}
	*out = v;
	*n = len;
	return ST_OK;
}

void report_queries_weights_free(struct item_weight *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].item);
		free(v[i].title);
		free(v[i].basis);
	}
	free(v);
}

status report_queries_check_audit(struct store *s, int64_t run)
{
	sqlite3_stmt *stmt = NULL;
	status st = store_prepare(s, &stmt, "SELECT kind, state FROM runs WHERE id = ?");
	int row;

	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run);
	row = sqlite3_step(stmt);
	if (row == SQLITE_DONE)
		st = status_set(ST_NOTFOUND, "there is no run %lld", (long long)run);
	else if (row != SQLITE_ROW)
		st = store_error(s, "cannot read runs");
	else if (strcmp((const char *)sqlite3_column_text(stmt, 0), "audit") != 0)
		st = status_set(ST_NOTFOUND, "run %lld is a %s run, not an audit run",
				(long long)run, (const char *)sqlite3_column_text(stmt, 0));
	else if (strcmp((const char *)sqlite3_column_text(stmt, 1), "done") != 0)
		st = status_set(ST_INVALID, "audit run %lld did not finish (%s)", (long long)run,
				(const char *)sqlite3_column_text(stmt, 1));
	sqlite3_finalize(stmt);
	return st;
}

static void copy_text(sqlite3_stmt *stmt, int col, char *dst, size_t n)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);

	snprintf(dst, n, "%s", t ? (const char *)t : "");
}

status report_queries_provenance(struct store *s, int64_t audit_run, int64_t crawl_run,
				 struct run_provenance *out)
{
	sqlite3_stmt *stmt = NULL;
	status st;
	int row;

	memset(out, 0, sizeof(*out));
	st = store_prepare(
		s, &stmt,
		"SELECT (SELECT count(*) FROM runs WHERE kind = 'audit' AND id <= ?1),"
		" (SELECT count(*) FROM runs WHERE kind = 'crawl' AND id <= ?2),"
		" (SELECT started_at FROM runs WHERE id = ?1),"
		" (SELECT finished_at FROM runs WHERE id = ?1),"
		" (SELECT min(fetched_at) FROM pages WHERE run_id = ?2 AND fetched_at > 0),"
		" (SELECT max(fetched_at) FROM pages WHERE run_id = ?2)");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, audit_run);
	sqlite3_bind_int64(stmt, 2, crawl_run);
	row = sqlite3_step(stmt);
	if (row == SQLITE_ROW) {
		out->audit_nth = audit_run ? sqlite3_column_int64(stmt, 0) : 0;
		out->crawl_nth = crawl_run ? sqlite3_column_int64(stmt, 1) : 0;
		copy_text(stmt, 2, out->audit_started, sizeof(out->audit_started));
		copy_text(stmt, 3, out->audit_finished, sizeof(out->audit_finished));
		out->first_fetch_ms = sqlite3_column_int64(stmt, 4);
		out->last_fetch_ms = sqlite3_column_int64(stmt, 5);
	} else {
		st = store_error(s, "cannot read the provenance of an audit run");
	}
	sqlite3_finalize(stmt);
	return st;
}

status report_queries_groups(struct store *s, int64_t run, enum group_by by,
			     struct school_group **out, size_t *n)
{
	static const char *const cols[] = {
		[GROUP_UNIT] = "unit",
		[GROUP_FORMER_UNIT] = "coalesce(former_unit, unit)",
		[GROUP_FORMER_PROVINCE] = "former_province",
	};
	struct school_group *v = NULL, *g;
	char sql[1024];
	sqlite3_stmt *stmt = NULL;
	size_t len = 0, cap = 0;
	status st;
	int row = SQLITE_DONE, ok = 1;

	*out = NULL;
	*n = 0;
	snprintf(sql, sizeof(sql), "SELECT id, %s FROM " RUN_REGISTRY " ORDER BY id", cols[by]);
	st = store_prepare(s, &stmt, sql);
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run);
	while (st == ST_OK && (row = sqlite3_step(stmt)) == SQLITE_ROW) {
		g = grow((void **)&v, &cap, len, sizeof(*v));
		if (!g) {
			st = status_set(ST_NOMEM, "out of memory loading units");
			break;
		}
		len++;
		g->id = store_column_dup(stmt, 0, &ok);
		g->group = store_column_dup(stmt, 1, &ok);
		if (!ok)
			st = status_set(ST_NOMEM, "out of memory loading units");
	}
	if (st == ST_OK && row != SQLITE_DONE)
		st = store_error(s, "cannot read units");
	sqlite3_finalize(stmt);
	if (st < 0) {
		report_queries_groups_free(v, len);
		return st;
	}
	*out = v;
	*n = len;
	return ST_OK;
}

void report_queries_groups_free(struct school_group *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		free(v[i].id);
		free(v[i].group);
	}
	free(v);
}

status report_queries_history(struct store *s, const char *school_id, int64_t **runs, size_t *n)
{
	sqlite3_stmt *stmt = NULL;
	int64_t *v = NULL, *p;
	size_t len = 0, cap = 0;
	status st;
	int row = SQLITE_DONE;

	*runs = NULL;
	*n = 0;
	/* Per period the newest finished audit run with a result for the
	 * school; periods oldest first.  The runs drive the query (a few
	 * hundred rows at most), each looked up in scores by its primary key:
	 * scores has no index on school_id alone. */
	st = store_prepare(
		s, &stmt,
		"SELECT max(r.id) FROM runs r WHERE r.kind = 'audit' AND r.state = 'done'"
		" AND EXISTS (SELECT 1 FROM scores c WHERE c.run_id = r.id"
		" AND c.school_id = ?1)"
		" GROUP BY coalesce(r.period, '') ORDER BY coalesce(r.period, ''), 1");
	if (st < 0)
		return st;
	store_bind_text(stmt, 1, school_id);
	while (st == ST_OK && (row = sqlite3_step(stmt)) == SQLITE_ROW) {
		p = grow((void **)&v, &cap, len, sizeof(*v));
		if (!p) {
			st = status_set(ST_NOMEM, "out of memory loading the history");
			break;
		}
		*p = sqlite3_column_int64(stmt, 0);
		len++;
	}
	if (st == ST_OK && row != SQLITE_DONE)
		st = store_error(s, "cannot read the history");
	sqlite3_finalize(stmt);
	if (st < 0) {
		free(v);
		return st;
	}
	*runs = v;
	*n = len;
	return ST_OK;
}
