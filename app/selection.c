/* The school selection of crawl, audit and check: --school ID...,
 * --unit U, --level L.  A selection that matches nothing is an input
 * error naming the closest unit or school, so a unit typed without its
 * diacritics ("Quan 1") never crawls or audits nothing and exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/array.h"
#include "core/norm.h"
#include "core/strlist.h"
#include "store/adhoc.h"
#include "store/registry.h"

const struct cli_opt selection_opts[] = {
	{"--school", NULL, CLI_STR, "ID...", NULL, "only these schools (registry ids, one or more)",
	 OPT_SCHOOL, 0, 0},
	{"--unit", NULL, CLI_STR, "U", NULL,
	 "only the schools of this unit (district or ward office)", OPT_UNIT, 0, 0},
	{"--level", NULL, CLI_STR, "L", NULL,
	 "only schools of this level: mn, th, thcs, thpt, gdtx", OPT_LEVEL, 0, 0},
	CLI_OPT_END,
};
const struct cli_group selection_group = {"Selection (default: every school)", selection_opts};

bool selection_take(struct args *a, int id, struct selection *sel)
{
	switch (id) {
	case OPT_SCHOOL:
		/* --school takes one or more ids, up to the next option. */
		do {
			if (ARRAY_RESIZE(sel->ids, sel->nids + 1) < 0) {
				app_usage("out of memory");
				a->bad = true;
				return true;
			}
			sel->ids[sel->nids++] = a->val;
			if (args_done(a) || args_peek(a)[0] == '-')
				break;
			a->val = a->argv[a->i++];
		} while (1);
		return true;
	case OPT_UNIT:
		sel->unit = a->val;
		return true;
	case OPT_LEVEL:
		sel->level = a->val;
		return true;
	default:
		return false;
	}
}

void selection_release(struct selection *sel)
{
	free(sel->ids);
	sel->ids = NULL;
	sel->nids = 0;
}

bool selection_has(const struct selection *sel, const struct school_info *si)
{
	size_t i;

	if (!sel->nids)
		return true;
	for (i = 0; i < sel->nids; i++)
		if (strcmp(sel->ids[i], si->id) == 0)
			return true;
	return false;
}

/* The form names are compared in: case-folded, without diacritics. */
static char *plain(const char *s)
{
	char *p = NULL;

	if (norm_fold(s, strlen(s), NULL, &p) < 0)
		return NULL;
	return p;
}

/* Levenshtein distance of a and b, bytes, capped at 255. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur, row[256];

	if (la > 255 || lb > 255)
		return 255;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev : 1 + (prev < cur ? prev : cur);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			prev = cur;
		}
	}
	return row[lb];
}

/* The candidate (field of v: unit when units, else id) closest to want,
 * compared without case and diacritics; NULL when none is close (more
 * than a third of the name differs). */
static const char *closest(const struct school_info *v, size_t n, bool units, const char *want)
{
	char *w = plain(want), *c;
	const char *best = NULL;
	size_t i, d, bestd = (size_t)-1, limit;

	if (!w)
		return NULL;
	limit = strlen(w) / 3 + 1;
	for (i = 0; i < n; i++) {
		const char *name = units ? v[i].unit : v[i].id;

		if (!name || !*name || !(c = plain(name)))
			continue;
		d = distance(w, c);
		free(c);
		if (d <= limit && d < bestd) {
			bestd = d;
			best = name;
		}
	}
	free(w);
	return best;
}

static bool has_unit(const struct school_info *v, size_t n, const char *unit)
{
	char *u = NULL;
	bool found = false;
	size_t i;

	if (norm_nfc(unit, strlen(unit), &u) < 0)
		return false;
	for (i = 0; i < n && !found; i++)
		found = v[i].unit && strcmp(v[i].unit, u) == 0;
	free(u);
	return found;
}

/* Why sel matches no school of the registry all (n schools), as an
 * ST_NOTFOUND status; missing_id is an unknown --school id or NULL. */
static status no_match(const struct selection *sel, const struct school_info *all, size_t n,
		       const char *missing_id)
{
	const char *near;

	if (!n)
		return status_set(ST_NOTFOUND, "danh mục chưa có trường nào (nạp bằng: "
					       "portal-audit schools import FILE.csv)");
	if (sel->unit && !has_unit(all, n, sel->unit)) {
		near = closest(all, n, true, sel->unit);
		return near ? status_set(ST_NOTFOUND, "không có đơn vị '%s'; có phải '%s'?",
					 sel->unit, near)
			    : status_set(ST_NOTFOUND, "không có đơn vị '%s' trong danh mục",
					 sel->unit);
	}
	if (missing_id) {
		near = closest(all, n, false, missing_id);
		return near ? status_set(ST_NOTFOUND, "không có trường mã '%s'; có phải '%s'?",
					 missing_id, near)
			    : status_set(ST_NOTFOUND, "không có trường mã '%s' trong danh mục",
					 missing_id);
	}
	return status_set(ST_NOTFOUND, "không có trường nào%s%s%s%s%s khớp lựa chọn",
			  sel->level ? " cấp " : "", sel->level ? sel->level : "",
			  sel->unit ? " thuộc '" : "", sel->unit ? sel->unit : "",
			  sel->unit ? "'" : "");
}

/* The selection matched nothing (missing_id: the --school id that is not
 * among v): the reason, from the whole registry. */
static status explain(struct store *s, const struct selection *sel, const char *missing_id)
{
	struct school_info *all = NULL, one = {0};
	size_t n = 0;
	status st = registry_list(s, NULL, &all, &n);

	/* A known id outside the unit or level: say so, not "no such id". */
	if (st == ST_OK && missing_id && registry_get(s, missing_id, &one) == ST_OK)
		st = status_set(ST_NOTFOUND, "trường '%s' không thuộc đơn vị hay cấp đã chọn",
				missing_id);
	else if (st == ST_OK)
		st = no_match(sel, all, n, missing_id);
	school_info_release(&one);
	registry_list_free(all, n);
	return st;
}

/* A walk of the registry for a selection: counts the rows of its unit
 * and level, notes which --school ids it met and hands the selected rows
 * to take. */
struct select_walk {
	const struct selection *sel;
	bool *met; /* per --school id */
	size_t rows;
	status (*take)(void *ctx, struct school_info *si);
	void *ctx;
};

static status select_row(void *ctx, struct school_info *si)
{
	struct select_walk *w = ctx;
	const struct selection *sel = w->sel;
	bool chosen = !sel->nids;

	w->rows++;
	for (size_t i = 0; i < sel->nids; i++)
		if (strcmp(sel->ids[i], si->id) == 0)
			chosen = w->met[i] = true;
	/* The ad hoc schools of `check URL` are in a campaign only when named. */
	if (!chosen || (!sel->nids && adhoc_is(si->id)))
		return ST_OK;
	return w->take(w->ctx, si);
}

/* Hands the selected schools to take(ctx, si) in id order; a selection
 * error (after the walk: the caller frees what it took) is explained. */
static status select_each(struct store *s, const struct selection *sel,
			  status (*take)(void *ctx, struct school_info *si), void *ctx)
{
	struct registry_filter f = {sel->unit, sel->level};
	struct select_walk w = {sel, NULL, 0, take, ctx};
	status st;

	if (sel->nids && !(w.met = calloc(sel->nids, sizeof(*w.met))))
		return status_set(ST_NOMEM, "out of memory");
	st = registry_each(s, &f, select_row, &w);
	for (size_t i = 0; st == ST_OK && i < sel->nids; i++)
		if (!w.met[i])
			st = explain(s, sel, sel->ids[i]);
	/* No option given and an empty registry is no selection error. */
	if (st == ST_OK && !w.rows && (sel->unit || sel->level))
		st = explain(s, sel, NULL);
	free(w.met);
	return st;
}

status selection_schools(struct store *s, const struct selection *sel, struct school_info **out,
			 size_t *n)
{
	struct school_collector l = {NULL, 0, 0};
	status st = select_each(s, sel, registry_collect, &l);

	return registry_collected(&l, st, out, n);
}

static status take_id(void *ctx, struct school_info *si)
{
	return strlist_adds(ctx, si->id);
}

status selection_school_ids(struct store *s, const struct selection *sel, struct strlist *out)
{
	status st;

	*out = (struct strlist)STRLIST_INIT;
	st = select_each(s, sel, take_id, out);
	if (st < 0)
		strlist_release(out);
	return st;
}

static status take_portal(void *ctx, struct school_info *si)
{
	struct strlist *out = ctx;
	status st;

	if (!si->portal_url || !*si->portal_url)
		return ST_OK;
	st = strlist_adds(out, si->id);
	return st == ST_OK ? strlist_adds(out, si->portal_url) : st;
}

status selection_portals(struct store *s, const struct selection *sel, struct strlist *out)
{
	status st;

	*out = (struct strlist)STRLIST_INIT;
	st = select_each(s, sel, take_portal, out);
	if (st < 0)
		strlist_release(out);
	return st;
}

size_t app_keep_rows(void *v, size_t n, size_t sz, bool (*keep)(const void *row, const void *ctx),
		     const void *ctx)
{
	unsigned char *base = v;
	size_t kept = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char *a = base + kept * sz, *b = base + i * sz;

		if (!keep(b, ctx))
			continue;
		/* Swapping (not copying) keeps every row owned exactly once. */
		for (size_t k = 0; i != kept && k < sz; k++) {
			unsigned char t = a[k];

			a[k] = b[k];
			b[k] = t;
		}
		kept++;
	}
	return kept;
}
