#include "reports/view.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/array.h"
#include "core/hash.h"
#include "reports/out.h"
#include "reports/wording.h"

static bool is_assessed(const struct school_result *r)
{
	return r->has_score && isfinite(r->score);
}

const char *view_unassessed_reason(const struct school_result *r)
{
	if (r->unreachable_reason && r->unreachable_reason[0])
		return r->unreachable_reason;
	return r->reachable ? "không đủ dữ liệu để chấm điểm"
			    : "không truy cập được cổng thông tin";
}

const char *view_status(const struct school_result *r)
{
	if (is_assessed(r))
		return "assessed";
	if (school_result_not_crawled(r))
		return "not_crawled";
	return r->reachable ? "not_scored" : "unreachable";
}

const char *view_reason_vi(char *buf, size_t n, const char *reason)
{
	char *vi = wording_note(reason);

	if (!vi)
		return wording_word(reason);
	snprintf(buf, n, "%s", vi);
	free(vi);
	return buf;
}

void view_decision_counts(const struct school_result *r, size_t *applied, size_t *outdated)
{
	size_t i;

	*applied = *outdated = 0;
	for (i = 0; i < r->nfindings; i++) {
		*applied += r->findings[i].decision_state == DECISION_APPLIED;
		*outdated += r->findings[i].decision_state == DECISION_OUTDATED;
	}
}

const char *view_machine_score(char *buf, size_t n, const struct school_result *r)
{
	char num[32];

	if (!r->machine_has_score || !isfinite(r->machine_score)) {
		snprintf(buf, n, "không đánh giá được");
		return buf;
	}
	out_fmt_vi(num, sizeof(num), r->machine_score, 1);
	if (r->machine_rating && r->machine_rating[0])
		snprintf(buf, n, "%s / 100, xếp loại %s", num, r->machine_rating);
	else
		snprintf(buf, n, "%s / 100", num);
	return buf;
}

size_t view_reviewed_facts(struct view_fact out[2], const struct school_result *r)
{
	char machine[96];
	size_t applied, outdated, n = 0;

	view_decision_counts(r, &applied, &outdated);
	if (r->ndecided) {
		out[n].label = "Điểm trước khi xem xét";
		snprintf(out[n].value, sizeof(out[n].value), "%s (%zu mục đã được người xem xét)",
			 view_machine_score(machine, sizeof(machine), r), r->ndecided);
		n++;
	}
	if (outdated) {
		out[n].label = "Cần xem xét lại";
		snprintf(out[n].value, sizeof(out[n].value),
			 "%zu mục (bằng chứng đã thay đổi sau lần xem xét trước)", outdated);
		n++;
	}
	return n;
}

const char *view_reviewed_cell(char *buf, size_t n, const struct view_school *vs)
{
	const struct school_result *r = vs->r;
	char num[32] = "—";
	size_t k = 0;

	buf[0] = '\0';
	if (vs->decided) {
		if (r->machine_has_score && isfinite(r->machine_score))
			out_fmt_vi(num, sizeof(num), r->machine_score, 1);
		snprintf(buf, n, "%zu mục (điểm trước khi xem xét: %s)", vs->decided, num);
		k = strlen(buf);
	}
	if (vs->outdated && k < n)
		snprintf(buf + k, n - k, "%s%zu mục cần xem xét lại", k ? "; " : "", vs->outdated);
	if (!buf[0])
		snprintf(buf, n, "—");
	return buf;
}

void view_print_vi(struct out *o, void (*esc)(struct out *o, const char *s), const char *english)
{
	char *vi;

	if (!english)
		return;
	vi = wording_note(english);
	esc(o, vi ? vi : english);
	free(vi);
}

static bool known(const char *s)
{
	return s && *s;
}

size_t view_provenance(struct view_fact out[VIEW_NPROV], const struct report_facts *fx)
{
	const struct report_provenance *p = fx->prov;
	size_t n = 0;

	if (!p)
		return 0;
	if (known(p->crawl_from) || p->crawl_nth) {
		char nth[48] = "";

		if (p->crawl_nth)
			snprintf(nth, sizeof(nth), "lần thu thập thứ %lld",
				 (long long)p->crawl_nth);
		out[n].label = "Thu thập";
		if (known(p->crawl_from))
			snprintf(out[n].value, sizeof(out[n].value), "từ %s đến %s%s%s%s",
				 p->crawl_from, known(p->crawl_to) ? p->crawl_to : p->crawl_from,
				 nth[0] ? " (" : "", nth, nth[0] ? ")" : "");
		else
			snprintf(out[n].value, sizeof(out[n].value), "%s", nth);
		n++;
	}
	if (known(p->audited_at) || p->audit_nth) {
		out[n].label = "Đánh giá";
		snprintf(out[n].value, sizeof(out[n].value), "%s",
			 known(p->audited_at) ? p->audited_at : "");
		if (p->audit_nth) {
			size_t k = strlen(out[n].value);

			snprintf(out[n].value + k, sizeof(out[n].value) - k,
				 "%slần đánh giá thứ %lld%s", k ? " (" : "",
				 (long long)p->audit_nth, k ? ")" : "");
		}
		n++;
	}
	if (known(p->label)) {
		out[n].label = "Nhãn lần chạy";
		snprintf(out[n].value, sizeof(out[n].value), "%s", p->label);
		n++;
	}
	if (known(p->version)) {
		out[n].label = "Chương trình";
		snprintf(out[n].value, sizeof(out[n].value), "%s", p->version);
		n++;
	}
	return n;
}

void view_formula(char *dst, size_t n, const struct report_scoring *s)
{
	char credit[32];

	out_fmt_vi(credit, sizeof(credit), s->stale_credit, 2);
	snprintf(dst, n,
		 "Điểm = 100 × Σ(trọng số × hệ số) / Σ trọng số, trên các mục áp dụng cho trường; "
		 "hệ số: Đạt = 1, Cũ (chưa cập nhật) = %s, Thiếu và Cần xem xét = 0. "
		 "Trường không truy cập được thì không chấm điểm và không xếp hạng.",
		 credit);
}

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Scores tie when equal to a millionth of a point, so two schools whose
 * scores differ only by floating-point noise share a rank. */
static long long score_key(double s)
{
	/* Rounded by hand: pa_reports does not link libm; scores are 0..100. */
	return (long long)(s * 1e6 + (s >= 0 ? 0.5 : -0.5));
}

static int cmp_ranked(const void *pa, const void *pb)
{
	const struct view_school *a = pa, *b = pb;
	long long ka, kb;
	int c;

	if (a->assessed != b->assessed)
		return a->assessed ? -1 : 1;
	if (a->assessed) {
		ka = score_key(a->r->score);
		kb = score_key(b->r->score);
		if (ka != kb)
			return ka > kb ? -1 : 1;
	}
	if ((c = strcmp0(a->r->school.id, b->r->school.id)) != 0)
		return c;
	return a->input < b->input ? -1 : a->input > b->input;
}

static int cmp_listed(const void *pa, const void *pb)
{
	const struct view_school *a = pa, *b = pb;
	int c;

	if (a->assessed != b->assessed)
		return a->assessed ? -1 : 1;
	if (a->assessed && (c = strcmp0(a->r->school.unit, b->r->school.unit)) != 0)
		return c;
	if ((c = strcmp0(a->r->school.id, b->r->school.id)) != 0)
		return c;
	return a->input < b->input ? -1 : a->input > b->input;
}

/* Competition ranking (1, 2, 2, 4): one plus the number of schools scored
 * strictly higher.  Quadratic, which is fine for a city's few thousand. */
static void rank_all(struct view_school *s, size_t nassessed)
{
	size_t i, j;

	for (i = 0; i < nassessed; i++) {
		long long k = score_key(s[i].r->score);

		s[i].rank = 1;
		s[i].group_rank = 1;
		for (j = 0; j < nassessed; j++) {
			if (score_key(s[j].r->score) <= k)
				continue;
			s[i].rank++;
			if (strcmp0(s[i].r->school.unit, s[j].r->school.unit) == 0 &&
			    strcmp0(s[i].r->school.level, s[j].r->school.level) == 0)
				s[i].group_rank++;
		}
	}
}

/* An open-addressing hash of item ids to their index in an item array,
 * so listing the items of many schools is linear in the findings (a scan
 * per finding made a 10,000-item rule set take half a minute). */
struct view_map {
	size_t *slot; /* index + 1; 0 is empty */
	size_t cap;   /* a power of two, at least twice the items */
};

static size_t map_find(const struct view_map *m, const struct view_item *items, const char *id,
		       size_t **where)
{
	size_t mask = m->cap - 1, h = (size_t)hash_str(id ? id : "") & mask;

	for (;; h = (h + 1) & mask) {
		size_t k = m->slot[h];

		if (!k || strcmp0(items[k - 1].item, id) == 0) {
			if (where)
				*where = &m->slot[h];
			return k ? k - 1 : SIZE_MAX;
		}
	}
}

/* Makes room for one more of n items, rehashing into a table twice the
 * size when it would be half full. */
static status map_reserve(struct view_map *m, const struct view_item *items, size_t n)
{
	struct view_map bigger;
	size_t i, *where;

	if (m->cap && (n + 1) * 2 <= m->cap)
		return ST_OK;
	bigger.cap = m->cap ? m->cap * 2 : 64;
	bigger.slot = calloc(bigger.cap, sizeof(*bigger.slot));
	if (!bigger.slot)
		return status_set(ST_NOMEM, "out of memory listing report items");
	for (i = 0; i < n; i++) {
		map_find(&bigger, items, items[i].item, &where);
		*where = i + 1;
	}
	free(m->slot);
	*m = bigger;
	return ST_OK;
}

/* Adds r's findings to the item table, growing it for new items. */
static status add_items(struct view_item **items, size_t *n, size_t *cap, struct view_map *map,
			const struct school_result *r)
{
	size_t i, k, *where;
	status st;

	for (i = 0; i < r->nfindings; i++) {
		const struct finding *f = &r->findings[i];
		struct view_item *it;

		if ((st = map_reserve(map, *items, *n)) < 0)
			return st;
		k = map_find(map, *items, f->item, &where);
		if (k != SIZE_MAX) {
			it = &(*items)[k];
		} else {
			if (ARRAY_GROW(*items, *n + 1, *cap) < 0)
				return ST_NOMEM;
			*where = *n + 1;
			it = &(*items)[(*n)++];
			memset(it, 0, sizeof(*it));
			it->item = f->item;
			it->title = f->title;
			it->basis = f->basis;
			it->weight = f->weight;
		}
		if ((unsigned)f->verdict < VIEW_NVERDICTS)
			it->count[f->verdict]++;
	}
	return ST_OK;
}

size_t view_item_index(const struct report_view *v, const char *id)
{
	return v->map && v->map->cap ? map_find(v->map, v->items, id, NULL) : SIZE_MAX;
}

void view_school_verdicts(const struct report_view *v, const struct school_result *r,
			  unsigned char *row)
{
	size_t i, k;

	memset(row, VIEW_NO_VERDICT, v->nitems);
	for (i = 0; i < r->nfindings; i++) {
		k = view_item_index(v, r->findings[i].item);
		if (k != SIZE_MAX && (unsigned)r->findings[i].verdict < VIEW_NVERDICTS)
			row[k] = (unsigned char)r->findings[i].verdict;
	}
}

static void finish_rates(struct view_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t *c = items[i].count;
		size_t judged =
			c[VERDICT_PASS] + c[VERDICT_STALE] + c[VERDICT_MISSING] + c[VERDICT_REVIEW];

		items[i].has_rate = judged > 0;
		items[i].rate = judged ? (double)c[VERDICT_PASS] / (double)judged : 0;
	}
}

status view_facts(struct report_facts *out, const struct report_meta *m,
		  const struct view_item *items, size_t nitems)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	out->title = m->title;
	out->crawl_run = m->crawl_run;
	out->audit_run = m->audit_run;
	out->period = m->period;
	out->as_of = m->as_of;
	out->ruleset = m->ruleset;
	out->ruleset_version = m->ruleset_version;
	out->ruleset_hash = m->ruleset_hash;
	out->scoring = &m->scoring;
	out->prov = &m->prov;
	out->stop = m->stop;
	out->items = items;
	out->nitems = nitems;
	if (items)
		return ST_OK;
	out->owned = calloc(m->nweights ? m->nweights : 1, sizeof(*out->owned));
	if (!out->owned)
		return status_set(ST_NOMEM, "out of memory preparing a report");
	for (i = 0; i < m->nweights; i++) {
		out->owned[i].item = m->weights[i].item;
		out->owned[i].title = m->weights[i].title;
		out->owned[i].basis = m->weights[i].basis;
		out->owned[i].weight = m->weights[i].weight;
	}
	out->items = out->owned;
	out->nitems = m->nweights;
	return ST_OK;
}

/* r's field when set, else the meta's. */
static const char *pick(const char *mine, const char *meta)
{
	return mine ? mine : meta;
}

void view_facts_school(struct report_facts *out, const struct report_meta *m,
		       const struct school_result *r)
{
	memset(out, 0, sizeof(*out));
	out->title = m->title;
	out->crawl_run = r->crawl_run_id ? r->crawl_run_id : m->crawl_run;
	out->audit_run = r->run_id ? r->run_id : m->audit_run;
	out->period = pick(r->period, m->period);
	out->as_of = pick(r->as_of, m->as_of);
	out->ruleset = pick(r->ruleset, m->ruleset);
	out->ruleset_version = pick(r->ruleset_version, m->ruleset_version);
	out->ruleset_hash = pick(r->ruleset_hash, m->ruleset_hash);
	out->scoring = &m->scoring;
	out->prov = &m->prov;
	out->stop = m->stop;
}

status view_facts_items_of(struct report_facts *f, const struct school_result *r)
{
	struct view_map map = {NULL, 0};
	size_t cap = 0;
	status st;

	free(f->owned);
	f->owned = NULL;
	f->items = NULL;
	f->nitems = 0;
	st = add_items(&f->owned, &f->nitems, &cap, &map, r);
	free(map.slot);
	if (st < 0) {
		free(f->owned);
		f->owned = NULL;
		f->nitems = 0;
		return st;
	}
	finish_rates(f->owned, f->nitems);
	f->items = f->owned;
	return ST_OK;
}

void view_facts_release(struct report_facts *f)
{
	free(f->owned);
	memset(f, 0, sizeof(*f));
}

static void count_ratings(struct report_view *v)
{
	size_t i, b;

	for (i = 0; i < v->nassessed; i++) {
		const char *rating = v->schools[i].r->rating;

		for (b = 0; b < v->m->scoring.nbands; b++)
			if (rating && strcmp0(v->m->scoring.bands[b].rating, rating) == 0)
				break;
		if (b < v->m->scoring.nbands)
			v->band_count[b]++;
		else
			v->other_rating++;
	}
}

static const char *default_title(const char *kind)
{
	if (strcmp(kind, "ranking") == 0)
		return "Xếp hạng cổng thông tin điện tử các trường";
	if (strcmp(kind, "unit") == 0)
		return "Đánh giá công khai trên cổng thông tin điện tử các trường của đơn vị";
	return "Đánh giá công khai trên cổng thông tin điện tử các trường toàn thành phố";
}

status view_new(struct report_view **out, const char *kind, const char *selector,
		const struct report_meta *m, const struct school_result *rs, size_t n)
{
	struct report_view *v = NULL;
	size_t i, cap = 0;
	status st = ST_NOMEM;

	*out = NULL;
	v = calloc(1, sizeof(*v));
	if (!v)
		goto fail;
	v->kind = kind;
	v->selector = selector;
	v->m = m;
	v->ranking = strcmp(kind, "ranking") == 0;
	v->snapshot = strcmp(kind, "snapshot") == 0;
	v->n = n;
	v->schools = calloc(n ? n : 1, sizeof(*v->schools));
	v->band_count = calloc(m->scoring.nbands ? m->scoring.nbands : 1, sizeof(size_t));
	v->map = calloc(1, sizeof(*v->map));
	if (!v->schools || !v->band_count || !v->map)
		goto fail;
	for (i = 0; i < n; i++) {
		v->schools[i].r = &rs[i];
		v->schools[i].input = i;
		v->schools[i].assessed = is_assessed(&rs[i]);
		v->nassessed += v->schools[i].assessed;
		v->nnot_crawled += school_result_not_crawled(&rs[i]);
		view_decision_counts(&rs[i], &v->schools[i].decided, &v->schools[i].outdated);
		v->nreviewed += v->schools[i].decided || v->schools[i].outdated;
	}
	qsort(v->schools, n, sizeof(*v->schools), v->ranking ? cmp_ranked : cmp_listed);
	rank_all(v->schools, v->nassessed);
	for (i = 0; i < n; i++)
		if ((st = add_items(&v->items, &v->nitems, &cap, v->map, v->schools[i].r)) < 0)
			goto fail;
	finish_rates(v->items, v->nitems);
	if ((st = view_facts(&v->facts, m, v->items, v->nitems)) < 0)
		goto fail;
	if (!v->facts.title)
		v->facts.title = default_title(kind);
	count_ratings(v);
	v->show_units = strcmp(kind, "city") == 0;
	v->show_levels = v->show_units || strcmp(kind, "unit") == 0;
	*out = v;
	return ST_OK;
fail:
	if (st == ST_NOMEM)
		st = status_set(ST_NOMEM, "out of memory preparing a report");
	view_free(v);
	return st;
}

void view_free(struct report_view *v)
{
	if (!v)
		return;
	free(v->schools);
	free(v->items);
	free(v->band_count);
	if (v->map)
		free(v->map->slot);
	free(v->map);
	view_facts_release(&v->facts);
	free(v);
}

void view_bands_weights(struct out *o, const struct report_facts *fx,
			void (*esc)(struct out *o, const char *s), const char *weights_label)
{
	const struct report_scoring *s = fx->scoring;
	char num[32];
	size_t i;

	for (i = 0; i < s->nbands; i++) {
		out_fmt_vi(num, sizeof(num), s->bands[i].min, 1);
		out_s(o, i ? "; " : "");
		esc(o, s->bands[i].rating);
		out_f(o, " ≥ %s", num);
	}
	out_s(o, s->nbands ? "\n" : "—\n");
	out_s(o, weights_label);
	for (i = 0; i < fx->nitems; i++) {
		out_s(o, i ? "; " : "");
		esc(o, fx->items[i].title ? fx->items[i].title : fx->items[i].item);
		out_s(o, " ");
		out_num(o, fx->items[i].weight);
	}
	out_s(o, fx->nitems ? "\n" : "—\n");
}
