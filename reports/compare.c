/* Two audit runs side by side (`report KIND --compare RUN`): per-school and
 * per-unit score deltas with a status, or per-item verdict changes for one
 * school, rendered through reports/doc.c in every format. */
#include "reports/compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "reports/adoption.h"
#include "reports/doc.h"
#include "reports/view.h"

/* Scores closer than this are the same score (floating-point noise). */
#define SAME_SCORE 1e-6

struct pair {
	const struct school_result *cur, *prev;
	const struct view_school *vcur, *vprev; /* ranks (ranking kind) */
	const char *status;
};

static bool assessed(const struct school_result *r)
{
	return r && r->has_score && isfinite(r->score);
}

static const char *status_of(const struct school_result *cur, const struct school_result *prev)
{
	if (!prev)
		return "new";
	if (!cur)
		return "gone";
	if (assessed(cur) && assessed(prev)) {
		double d = cur->score - prev->score;

		return d > SAME_SCORE ? "improved" : d < -SAME_SCORE ? "worsened" : "unchanged";
	}
	/* A school not crawled for one run says nothing about its portal: a
	 * partial crawl is never a decline. */
	if (school_result_not_crawled(cur) || school_result_not_crawled(prev))
		return "not_crawled";
	/* Becoming assessable is progress; ceasing to be is the opposite. */
	if (assessed(cur) != assessed(prev))
		return assessed(cur) ? "improved" : "worsened";
	return "unchanged";
}

static const char *id_of(const struct pair *p)
{
	return (p->cur ? p->cur : p->prev)->school.id;
}

static const char *unit_of(const struct pair *p)
{
	const char *u = (p->cur ? p->cur : p->prev)->school.unit;

	return u ? u : "";
}

static int cmp_pairs(const void *pa, const void *pb)
{
	const struct pair *a = pa, *b = pb;
	int c = adoption_unit_cmp(unit_of(a), unit_of(b));

	return c ? c : strcmp(id_of(a), id_of(b));
}

static const struct view_school *find_vs(const struct report_view *v, const char *id)
{
	size_t i;

	for (i = 0; v && i < v->n; i++)
		if (strcmp(v->schools[i].r->school.id, id) == 0)
			return &v->schools[i];
	return NULL;
}

/* Pairs the schools of both runs by id; *out is sorted by unit then id. */
static status make_pairs(struct pair **out, size_t *n, const struct report_view *vc,
			 const struct report_view *vp)
{
	struct pair *v = calloc(vc->n + vp->n + 1, sizeof(*v));
	size_t i, k = 0;

	if (!v)
		return status_set(ST_NOMEM, "out of memory comparing runs");
	for (i = 0; i < vc->n; i++) {
		const struct view_school *other = find_vs(vp, vc->schools[i].r->school.id);

		v[k].cur = vc->schools[i].r;
		v[k].vcur = &vc->schools[i];
		v[k].prev = other ? other->r : NULL;
		v[k].vprev = other;
		k++;
	}
	for (i = 0; i < vp->n; i++) {
		if (find_vs(vc, vp->schools[i].r->school.id))
			continue;
		v[k].prev = vp->schools[i].r;
		v[k].vprev = &vp->schools[i];
		k++;
	}
	for (i = 0; i < k; i++)
		v[i].status = status_of(v[i].cur, v[i].prev);
	qsort(v, k, sizeof(*v), cmp_pairs);
	*out = v;
	*n = k;
	return ST_OK;
}

enum {
	S_ID,
	S_NAME,
	S_UNIT,
	S_LEVEL,
	S_SCORE,
	S_PSCORE,
	S_DELTA,
	S_RATING,
	S_PRATING,
	S_STATUS,
	S_RANK,
	S_PRANK
};

static void school_cols(struct table *t, bool ranking)
{
	table_init(t, "schools", "So sánh theo trường");
	t->sheet = "Trường";
	table_col(t, "id", "Mã trường", COL_TEXT);
	table_col(t, "name", "Tên trường", COL_TEXT);
	table_col(t, "unit", "Đơn vị", COL_TEXT);
	table_col(t, "level", "Cấp", COL_LEVEL);
	table_col(t, "score", "Điểm", COL_SCORE);
	table_col(t, "previous_score", "Điểm lần trước", COL_SCORE);
	table_col(t, "delta", "Thay đổi", COL_DELTA);
	table_col(t, "rating", "Xếp loại", COL_TEXT);
	table_col(t, "previous_rating", "Xếp loại lần trước", COL_TEXT);
	table_col(t, "status", "Đánh giá", COL_STATUS);
	if (ranking) {
		table_col(t, "rank", "Hạng", COL_INT);
		table_col(t, "previous_rank", "Hạng lần trước", COL_INT);
	}
}

static void school_row(struct table *t, const struct pair *p, bool ranking)
{
	const struct school_result *any = p->cur ? p->cur : p->prev;
	size_t r = table_row(t);

	table_text(t, r, S_ID, any->school.id);
	table_text(t, r, S_NAME, any->school.name);
	table_text(t, r, S_UNIT, any->school.unit);
	table_text(t, r, S_LEVEL, any->school.level);
	if (assessed(p->cur)) {
		table_num(t, r, S_SCORE, p->cur->score);
		table_text(t, r, S_RATING, p->cur->rating);
	}
	if (assessed(p->prev)) {
		table_num(t, r, S_PSCORE, p->prev->score);
		table_text(t, r, S_PRATING, p->prev->rating);
	}
	if (assessed(p->cur) && assessed(p->prev))
		table_num(t, r, S_DELTA, p->cur->score - p->prev->score);
	table_text(t, r, S_STATUS, p->status);
	if (ranking && p->vcur && p->vcur->assessed)
		table_num(t, r, S_RANK, (double)p->vcur->rank);
	if (ranking && p->vprev && p->vprev->assessed)
		table_num(t, r, S_PRANK, (double)p->vprev->rank);
}

#define NSTATUS 6

/* Per-unit aggregate of the pairs. */
struct unit_sum {
	const char *unit;
	size_t schools, assessed, passessed, count[NSTATUS];
	double sum, psum;
	bool in_cur, in_prev;
};

static const char *const statuses[NSTATUS] = {"improved", "worsened", "unchanged",
					      "new",      "gone",     "not_crawled"};

static void add_pair(struct unit_sum *u, const struct pair *p)
{
	size_t k;

	u->in_cur |= p->cur != NULL;
	u->in_prev |= p->prev != NULL;
	u->schools += p->cur != NULL;
	if (assessed(p->cur)) {
		u->assessed++;
		u->sum += p->cur->score;
	}
	if (assessed(p->prev)) {
		u->passessed++;
		u->psum += p->prev->score;
	}
	for (k = 0; k < NSTATUS; k++)
		if (strcmp(p->status, statuses[k]) == 0)
			u->count[k]++;
}

static void unit_cols(struct table *t)
{
	size_t k;

	table_init(t, "units", "So sánh theo đơn vị");
	t->sheet = "Đơn vị";
	table_col(t, "unit", "Đơn vị", COL_TEXT);
	table_col(t, "schools", "Số trường", COL_INT);
	table_col(t, "assessed", "Chấm điểm được", COL_INT);
	table_col(t, "mean_score", "Điểm trung bình", COL_SCORE);
	table_col(t, "previous_mean_score", "Điểm TB lần trước", COL_SCORE);
	table_col(t, "delta", "Thay đổi", COL_DELTA);
	for (k = 0; k < NSTATUS; k++)
		table_col(t, statuses[k], table_status_label(statuses[k]), COL_INT);
	table_col(t, "status", "Đánh giá", COL_STATUS);
}

static void unit_row(struct table *t, const struct unit_sum *u)
{
	size_t r = table_row(t), k;
	double mean = u->assessed ? u->sum / (double)u->assessed : 0;
	double pmean = u->passessed ? u->psum / (double)u->passessed : 0;
	const char *st = !u->in_prev ? "new" : !u->in_cur ? "gone" : "unchanged";

	table_text(t, r, 0, u->unit);
	table_num(t, r, 1, (double)u->schools);
	table_num(t, r, 2, (double)u->assessed);
	if (u->assessed)
		table_num(t, r, 3, mean);
	if (u->passessed)
		table_num(t, r, 4, pmean);
	if (u->assessed && u->passessed) {
		table_num(t, r, 5, mean - pmean);
		if (mean - pmean > SAME_SCORE)
			st = "improved";
		else if (mean - pmean < -SAME_SCORE)
			st = "worsened";
	}
	for (k = 0; k < NSTATUS; k++)
		table_num(t, r, 6 + k, (double)u->count[k]);
	table_text(t, r, 6 + NSTATUS, st);
}

static void unit_rows(struct table *t, const struct pair *p, size_t n)
{
	struct unit_sum u, total;
	size_t i;

	memset(&total, 0, sizeof(total));
	total.unit = "Toàn bộ";
	for (i = 0; i < n;) {
		memset(&u, 0, sizeof(u));
		u.unit = unit_of(&p[i]);
		for (; i < n && strcmp(unit_of(&p[i]), u.unit) == 0; i++) {
			add_pair(&u, &p[i]);
			add_pair(&total, &p[i]);
		}
		unit_row(t, &u);
	}
	table_foot(t);
	unit_row(t, &total);
}

/* Credit of a verdict for comparing: unreachable ranks below everything
 * judged, since nothing could be assessed. */
static double credit(enum verdict v, double stale)
{
	switch (v) {
	case VERDICT_PASS:
		return 1;
	case VERDICT_STALE:
		return stale;
	case VERDICT_UNREACHABLE:
		return -1;
	default:
		return 0;
	}
}

static const struct finding *find_item(const struct school_result *r, const char *item)
{
	size_t i;

	for (i = 0; r && i < r->nfindings; i++)
		if (strcmp(r->findings[i].item, item) == 0)
			return &r->findings[i];
	return NULL;
}

/* same_rules: both runs used one rule set; else an item of only one of
 * them could not be compared (rather than being new or gone). */
static void item_row(struct table *t, const struct finding *c, const struct finding *p,
		     double stale, bool same_rules)
{
	const struct finding *any = c ? c : p;
	size_t r = table_row(t);
	const char *st = (!p || !c) && !same_rules ? "not_compared"
			 : !p                      ? "new"
			 : !c                      ? "gone"
						   : "unchanged";

	table_text(t, r, 0, any->item);
	table_text(t, r, 1, any->title);
	if (c)
		table_text(t, r, 2, verdict_str(c->verdict));
	if (p)
		table_text(t, r, 3, verdict_str(p->verdict));
	if (c && p && credit(c->verdict, stale) != credit(p->verdict, stale))
		st = credit(c->verdict, stale) > credit(p->verdict, stale) ? "improved"
									   : "worsened";
	table_text(t, r, 4, st);
	if (c)
		table_text(t, r, 5, c->url);
	if (c)
		table_text(t, r, 6, c->evidence);
}

static void item_table(struct table *t, const struct school_result *cur,
		       const struct school_result *prev, double stale, bool same_rules)
{
	size_t i;

	table_init(t, "items", "So sánh theo mục");
	t->sheet = "Mục";
	table_col(t, "item", "Mục", COL_TEXT);
	table_col(t, "title", "Tên", COL_TEXT);
	table_col(t, "verdict", "Kết quả", COL_VERDICT);
	table_col(t, "previous_verdict", "Kết quả lần trước", COL_VERDICT);
	table_col(t, "status", "Đánh giá", COL_STATUS);
	table_col(t, "url", "Bằng chứng", COL_TEXT);
	table_col(t, "evidence", "Nội dung khớp", COL_TEXT);
	for (i = 0; cur && i < cur->nfindings; i++)
		item_row(t, &cur->findings[i], find_item(prev, cur->findings[i].item), stale,
			 same_rules);
	for (i = 0; prev && i < prev->nfindings; i++)
		if (!find_item(cur, prev->findings[i].item))
			item_row(t, NULL, &prev->findings[i], stale, same_rules);
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool has_weight(const struct report_meta *m, const char *item)
{
	size_t i;

	for (i = 0; i < m->nweights; i++)
		if (strcmp(m->weights[i].item, item) == 0)
			return true;
	return false;
}

/* Adds to b the items of a's rule set that b's lacks, comma separated. */
static status list_unshared(struct buf *b, const struct report_meta *a,
			    const struct report_meta *other, size_t *count)
{
	status st = ST_OK;
	size_t i;

	for (i = 0; st == ST_OK && i < a->nweights; i++) {
		if (has_weight(other, a->weights[i].item))
			continue;
		st = buf_printf(b, "%s%s", (*count)++ ? ", " : "", a->weights[i].item);
	}
	return st;
}

/* Two runs of different rule sets (audits of different periods): a note
 * saying what is compared and which items are not.  *note is NULL when
 * both runs used one rule set. */
static status rules_note(const struct report_meta *m, const struct report_meta *pm, char **note)
{
	struct buf b = BUF_INIT(1 << 20), items = BUF_INIT(1 << 20);
	size_t count = 0;
	status st;

	*note = NULL;
	if (same_text(m->ruleset, pm->ruleset) && same_text(m->ruleset_hash, pm->ruleset_hash))
		return ST_OK;
	st = list_unshared(&items, m, pm, &count);
	if (st == ST_OK)
		st = list_unshared(&items, pm, m, &count);
	if (st == ST_OK)
		st = buf_printf(&b,
				"Hai lần đánh giá dùng hai bộ tiêu chí khác nhau (%s, năm học %s;"
				" %s, năm học %s): điểm và các mục có trong cả hai bộ được so"
				" sánh.",
				m->ruleset ? m->ruleset : "?", m->period ? m->period : "?",
				pm->ruleset ? pm->ruleset : "?", pm->period ? pm->period : "?");
	if (st == ST_OK && count)
		st = buf_printf(&b, " Không so sánh được %zu mục chỉ có trong một bộ: %s.", count,
				items.ptr);
	buf_release(&items);
	if (st == ST_OK && !(*note = buf_detach(&b)))
		st = status_set(ST_NOMEM, "out of memory");
	buf_release(&b);
	return st;
}

/* Findings people decided (and decisions to review again) in a view. */
static void count_decided(const struct report_view *v, size_t *items, size_t *schools,
			  size_t *outdated)
{
	*items = *schools = *outdated = 0;
	for (size_t i = 0; v && i < v->n; i++) {
		*items += v->schools[i].decided;
		*schools += v->schools[i].decided > 0;
		*outdated += v->schools[i].outdated;
	}
}

/* When people's decisions touch either run: a note saying the scores and
 * verdicts compared are final ones, and how many were decided.  *note is
 * NULL otherwise, so a comparison without decisions reads as before. */
static status decisions_note(const struct report_view *vc, const struct report_view *vp,
			     char **note)
{
	size_t ci, cs, co, pi, ps, po;
	struct buf b = BUF_INIT(1024);

	*note = NULL;
	count_decided(vc, &ci, &cs, &co);
	count_decided(vp, &pi, &ps, &po);
	if (!ci && !co && !pi && !po)
		return ST_OK;
	if (buf_printf(&b,
		       "Kết quả và điểm so sánh là kết quả cuối cùng, sau khi người xem xét "
		       "quyết định: lần này %zu mục ở %zu trường, lần trước %zu mục ở %zu trường",
		       ci, cs, pi, ps) < 0 ||
	    (co + po && buf_printf(&b, "; %zu mục cần xem xét lại (lần này %zu, lần trước %zu)",
				   co + po, co, po) < 0) ||
	    buf_adds(&b, ".") < 0 || !(*note = buf_detach(&b))) {
		buf_release(&b);
		return status_set(ST_NOMEM, "out of memory writing a comparison");
	}
	return ST_OK;
}

static const char *compare_title(const char *kind)
{
	if (strcmp(kind, "school") == 0)
		return "So sánh kết quả đánh giá của trường giữa hai lần đánh giá";
	if (strcmp(kind, "ranking") == 0)
		return "So sánh xếp hạng giữa hai lần đánh giá";
	if (strcmp(kind, "unit") == 0)
		return "So sánh kết quả đánh giá của đơn vị giữa hai lần đánh giá";
	return "So sánh kết quả đánh giá toàn thành phố giữa hai lần đánh giá";
}

status compare_write(FILE *f, enum report_format fmt, const char *kind, const char *selector,
		     const struct report_meta *m, const struct school_result *cur, size_t ncur,
		     const struct report_meta *pm, const struct school_result *prev, size_t nprev)
{
	struct report_view *vc = NULL, *vp = NULL;
	bool school = strcmp(kind, "school") == 0, ranking = strcmp(kind, "ranking") == 0;
	struct table ts, tu;
	struct pair *pairs = NULL;
	size_t np = 0, i;
	struct doc d;
	char *note = NULL, *notes[2];
	size_t nnotes = 0;
	status st;

	table_init(&ts, "schools", "");
	table_init(&tu, "units", "");
	st = view_new(&vc, "ranking", selector, m, cur, ncur);
	if (st == ST_OK)
		st = view_new(&vp, "ranking", selector, pm, prev, nprev);
	if (st == ST_OK)
		st = make_pairs(&pairs, &np, vc, vp);
	if (st == ST_OK)
		st = rules_note(m, pm, &note);
	if (note)
		notes[nnotes++] = note;
	if (st == ST_OK)
		st = decisions_note(vc, vp, &notes[nnotes]);
	if (st == ST_OK && notes[nnotes])
		nnotes++;
	if (st < 0)
		goto out;
	if ((st = doc_init(&d, kind, m->title ? m->title : compare_title(kind), m, pm)) < 0)
		goto out;
	d.selector = selector;
	school_cols(&ts, ranking);
	for (i = 0; i < np; i++)
		school_row(&ts, &pairs[i], ranking);
	d.tables[d.ntables++] = &ts;
	if (school) {
		item_table(&tu, ncur ? cur : NULL, nprev ? prev : NULL, m->scoring.stale_credit,
			   note == NULL);
		d.csv_table = 1;
	} else {
		unit_cols(&tu);
		unit_rows(&tu, pairs, np);
	}
	d.tables[d.ntables++] = &tu;
	d.notes = nnotes ? notes : NULL;
	d.nnotes = nnotes;
	st = doc_write(f, fmt, &d);
	doc_release(&d);
out:
	table_release(&ts);
	table_release(&tu);
	free(pairs);
	for (i = 0; i < nnotes; i++)
		free(notes[i]);
	view_free(vc);
	view_free(vp);
	return st;
}
