/* The tables that put a city's units and levels side by side: per unit
 * (schools, assessed, mean score, rating counts, compliance rate) and the
 * compliance of each item by level.  Built from a report_view. */
#include "reports/city.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reports/adoption.h"

struct unit_acc {
	const char *unit;
	size_t schools, assessed, pass, judged;
	size_t not_crawled;
	double sum;
	size_t *bands; /* per band; [nbands] = other */
};

static void judge(const struct school_result *r, size_t *pass, size_t *judged)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		enum verdict v = r->findings[i].verdict;

		*pass += v == VERDICT_PASS;
		*judged += v != VERDICT_UNREACHABLE;
	}
}

static size_t band_of(const struct report_view *v, const char *rating)
{
	size_t b;

	for (b = 0; rating && b < v->m->scoring.nbands; b++)
		if (strcmp(v->m->scoring.bands[b].rating, rating) == 0)
			return b;
	return v->m->scoring.nbands;
}

static void add_school(struct unit_acc *u, const struct report_view *v, const struct view_school *s)
{
	u->schools++;
	u->not_crawled += school_result_not_crawled(s->r);
	judge(s->r, &u->pass, &u->judged);
	if (!s->assessed)
		return;
	u->assessed++;
	u->sum += s->r->score;
	u->bands[band_of(v, s->r->rating)]++;
}

static void unit_row(struct table *t, const struct report_view *v, const struct unit_acc *u,
		     bool other)
{
	size_t r = table_row(t), b, nb = v->m->scoring.nbands;

	table_text(t, r, 0, u->unit);
	table_num(t, r, 1, (double)u->schools);
	table_num(t, r, 2, (double)u->assessed);
	if (u->assessed)
		table_num(t, r, 3, u->sum / (double)u->assessed);
	for (b = 0; b < nb + other; b++)
		table_num(t, r, 4 + b, (double)u->bands[b]);
	if (u->judged)
		table_num(t, r, 4 + nb + other, (double)u->pass / (double)u->judged);
	table_num(t, r, 5 + nb + other, (double)u->not_crawled);
}

static void unit_cols(struct table *t, const struct report_view *v, bool other)
{
	char key[64], label[64];
	size_t b;

	table_init(t, "units", "Các đơn vị");
	t->sheet = "Đơn vị";
	table_col(t, "unit", "Đơn vị", COL_TEXT);
	table_col(t, "schools", "Số trường", COL_INT);
	table_col(t, "assessed", "Chấm điểm được", COL_INT);
	table_col(t, "mean_score", "Điểm trung bình", COL_SCORE);
	for (b = 0; b < v->m->scoring.nbands; b++) {
		snprintf(key, sizeof(key), "rating_%s", v->m->scoring.bands[b].rating);
		snprintf(label, sizeof(label), "Loại %s", v->m->scoring.bands[b].rating);
		table_col(t, key, label, COL_INT);
	}
	if (other)
		table_col(t, "rating_other", "Loại khác", COL_INT);
	table_col(t, "compliance", "Tỷ lệ mục đạt", COL_PCT);
	table_col(t, "not_crawled", "Chưa thu thập", COL_INT);
}

static int cmp_units(const void *pa, const void *pb)
{
	const struct view_school *const *a = pa, *const *b = pb;
	int c = adoption_unit_cmp((*a)->r->school.unit, (*b)->r->school.unit);

	return c ? c
		 : strcmp((*a)->r->school.id ? (*a)->r->school.id : "",
			  (*b)->r->school.id ? (*b)->r->school.id : "");
}

static status build_units(struct table *t, const struct report_view *v)
{
	size_t nb = v->m->scoring.nbands, i, j;
	const struct view_school **order = calloc(v->n ? v->n : 1, sizeof(*order));
	size_t *bands = calloc(2 * (nb + 1), sizeof(*bands));
	struct unit_acc u, total;
	bool other = v->other_rating > 0;

	if (!order || !bands) {
		free(order);
		free(bands);
		return status_set(ST_NOMEM, "out of memory building the units table");
	}
	for (i = 0; i < v->n; i++)
		order[i] = &v->schools[i];
	qsort(order, v->n, sizeof(*order), cmp_units);
	unit_cols(t, v, other);
	memset(&total, 0, sizeof(total));
	total.unit = "Toàn thành phố";
	total.bands = bands + nb + 1;
	for (i = 0; i < v->n;) {
		memset(&u, 0, sizeof(u));
		u.unit = order[i]->r->school.unit ? order[i]->r->school.unit : "";
		u.bands = bands;
		memset(bands, 0, (nb + 1) * sizeof(*bands));
		for (j = i;
		     j < v->n &&
		     strcmp(order[j]->r->school.unit ? order[j]->r->school.unit : "", u.unit) == 0;
		     j++) {
			add_school(&u, v, order[j]);
			add_school(&total, v, order[j]);
		}
		unit_row(t, v, &u, other);
		i = j;
	}
	table_foot(t);
	unit_row(t, v, &total, other);
	free(order);
	free(bands);
	return t->st;
}

/* Whether level (e.g. "th+thcs") includes the one level code. */
static bool has_level(const char *level, const char *code)
{
	size_t n = strlen(code);
	const char *p = level;

	while (p && *p) {
		size_t len = strcspn(p, "+");

		if (len == n && strncmp(p, code, n) == 0)
			return true;
		p += len;
		p += *p == '+';
	}
	return false;
}

/* Pass and judged counts per item and level, gathered in one pass over
 * the findings (linear in them: a loop per item over every school's
 * findings was quadratic in the items). */
static const char *const level_labels[ADOPTION_NLEVELS] = {"Mầm non", "Tiểu học", "THCS", "THPT",
							   "GDTX"};

const char *city_ownership_label(const char *ownership)
{
	if (ownership && strcmp(ownership, "cong_lap") == 0)
		return "Công lập";
	if (ownership && strcmp(ownership, "ngoai_cong_lap") == 0)
		return "Ngoài công lập";
	return ownership;
}

static status build_levels(struct table *t, const struct report_view *v)
{
	size_t n = v->nitems * ADOPTION_NLEVELS, i, k, s, f;
	size_t *pass = calloc(n ? n : 1, sizeof(*pass)),
	       *judged = calloc(n ? n : 1, sizeof(*judged));

	if (!pass || !judged) {
		free(pass);
		free(judged);
		return status_set(ST_NOMEM, "out of memory building the levels table");
	}
	for (s = 0; s < v->n; s++) {
		const struct school_result *sr = v->schools[s].r;

		for (k = 0; k < ADOPTION_NLEVELS; k++) {
			if (!has_level(sr->school.level, adoption_levels[k]))
				continue;
			for (f = 0; f < sr->nfindings; f++) {
				const struct finding *fd = &sr->findings[f];

				i = view_item_index(v, fd->item);
				if (i == SIZE_MAX || fd->verdict == VERDICT_UNREACHABLE)
					continue;
				judged[i * ADOPTION_NLEVELS + k]++;
				pass[i * ADOPTION_NLEVELS + k] += fd->verdict == VERDICT_PASS;
			}
		}
	}
	table_init(t, "levels", "Tỷ lệ đạt theo mục và cấp học");
	t->sheet = "Mục theo cấp";
	table_col(t, "item", "Mục", COL_TEXT);
	table_col(t, "title", "Tên", COL_TEXT);
	for (k = 0; k < ADOPTION_NLEVELS; k++)
		table_col(t, adoption_levels[k], level_labels[k], COL_PCT);
	for (i = 0; i < v->nitems; i++) {
		size_t r = table_row(t);

		table_text(t, r, 0, v->items[i].item);
		table_text(t, r, 1, v->items[i].title);
		for (k = 0; k < ADOPTION_NLEVELS; k++)
			if (judged[i * ADOPTION_NLEVELS + k])
				table_num(t, r, 2 + k,
					  (double)pass[i * ADOPTION_NLEVELS + k] /
						  (double)judged[i * ADOPTION_NLEVELS + k]);
	}
	free(pass);
	free(judged);
	return t->st;
}

status city_new(struct city **out, const struct report_view *v)
{
	struct city *c = calloc(1, sizeof(*c));
	status st;

	*out = NULL;
	if (!c)
		return status_set(ST_NOMEM, "out of memory building the city tables");
	st = build_units(&c->units, v);
	if (st == ST_OK)
		st = build_levels(&c->levels, v);
	if (st < 0) {
		city_free(c);
		return st;
	}
	*out = c;
	return ST_OK;
}

void city_free(struct city *c)
{
	if (!c)
		return;
	table_release(&c->units);
	table_release(&c->levels);
	free(c);
}
