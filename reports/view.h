/* The prepared view of a many-school report, shared by every writer:
 * schools in display order, ranks, per-item counts and rating counts.
 * Built once by report_schools; borrows the caller's structs.  Internal
 * to reports/. */
#ifndef REPORTS_VIEW_H
#define REPORTS_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/finding.h"
#include "core/status.h"
#include "reports/report.h"

#define VIEW_NVERDICTS 5 /* pass, stale, missing, unreachable, review */

struct city;

struct view_item {
	const char *item, *title, *basis; /* from the first finding seen */
	double weight;
	size_t count[VIEW_NVERDICTS]; /* indexed by enum verdict */
	bool has_rate;		      /* false when no school could be judged */
	double rate;		      /* pass / (pass+stale+missing+review), 0..1 */
};

struct view_school {
	const struct school_result *r;
	bool assessed;	   /* has_score and a finite score */
	size_t rank;	   /* city-wide competition rank, 0 when not assessed */
	size_t group_rank; /* rank within the same unit and level */
	size_t input;	   /* index in the caller's array: the last tie-break */
};

struct report_view {
	const char *kind;     /* "unit", "city" or "ranking" */
	const char *selector; /* may be NULL */
	const char *title;    /* meta title or a default for the kind */
	const struct report_meta *m;
	bool ranking;
	/* Assessed schools first (ranking: by score descending then id; other
	 * kinds: by unit then id), then the unassessed by id. */
	struct view_school *schools;
	size_t n, nassessed;
	struct view_item *items; /* in order of first appearance */
	size_t nitems;
	size_t *band_count;  /* per m->scoring band: schools with that rating */
	size_t other_rating; /* assessed schools whose rating is no band's */
	struct city *city;   /* units and levels side by side (reports/city.h) */
	bool show_units;     /* city kind: print the units table */
	bool show_levels;    /* city and unit kinds: print item compliance by level */
};

status view_new(struct report_view **out, const char *kind, const char *selector,
		const struct report_meta *m, const struct school_result *rs,
		size_t n) PA_MUST_CHECK;
void view_free(struct report_view *v);

/* Items and weights of one school, for a one-school footer; same shape. */
status view_items_of(const struct school_result *r, struct view_item **out,
		     size_t *n) PA_MUST_CHECK;

/* Vietnamese label of a verdict: "Đạt", "Cũ (chưa cập nhật)", "Thiếu",
 * "Không truy cập được", "Cần xem xét". */
const char *view_verdict_label(enum verdict v);
/* Why a school could not be assessed, never NULL. */
const char *view_unassessed_reason(const struct school_result *r);
/* The same for people: a known reason word of the crawler or the audit
 * ("dns", "connect", "timeout", "no portal URL registered", ...) in
 * Vietnamese; any other reason is returned as it is (untrusted: escape it). */
const char *view_reason_vi(const char *reason);
/* The score formula in Vietnamese, stating the stale credit (trusted
 * text, no markup). */
void view_formula(char *dst, size_t n, const struct report_scoring *s);
/* r's field when set, else the meta's. */
const char *view_pick(const char *mine, const char *meta);

#endif
