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
#include "reports/meta.h"

struct out;

#define VIEW_NVERDICTS 5     /* pass, stale, missing, unreachable, review */
#define VIEW_NO_VERDICT 0xFF /* view_school_verdicts: the school has no finding for the item */

struct view_item {
	const char *item, *title, *basis; /* from the first finding seen */
	double weight;
	size_t count[VIEW_NVERDICTS]; /* indexed by enum verdict */
	bool has_rate;                /* false when no school could be judged */
	double rate;                  /* pass / (pass+stale+missing+review), 0..1 */
};

struct view_school {
	const struct school_result *r;
	bool assessed;     /* has_score and a finite score */
	size_t rank;       /* city-wide competition rank, 0 when not assessed */
	size_t group_rank; /* rank within the same unit and level */
	size_t input;      /* index in the caller's array: the last tie-break */
	size_t decided;    /* findings a person's decision applies to */
	size_t outdated;   /* findings whose decision needs a new review */
};

/* The facts a report states about its inputs: the runs, the period and
 * as-of date, the rule set, how scores are computed and the items with
 * their weights.  Resolved once per report (a school's own fields win over
 * the meta's), so writers print these and never choose between sources. */
struct report_facts {
	const char *title;            /* NULL only for a one-school report: the school's name */
	int64_t crawl_run, audit_run; /* 0 when unknown */
	const char *period, *as_of;
	const char *ruleset, *ruleset_version, *ruleset_hash;
	const struct report_scoring *scoring;
	const struct report_provenance *prov; /* the meta's, never NULL */
	const struct view_item *items;        /* the weights stated, one per item */
	size_t nitems;
	struct view_item *owned;           /* items allocated here (view_facts_release) */
	const volatile sig_atomic_t *stop; /* the meta's: for out_init */
};

struct report_view {
	const char *kind;     /* "unit", "city", "ranking" or "snapshot" */
	const char *selector; /* may be NULL */
	const struct report_meta *m;
	struct report_facts facts; /* title: the meta's or a default for the kind */
	bool ranking;
	bool snapshot; /* kind "snapshot": the school × item table alone (CSV) */
	/* Assessed schools first (ranking: by score descending then id; other
	 * kinds: by unit then id), then the unassessed by id. */
	struct view_school *schools;
	size_t n, nassessed;
	size_t nnot_crawled; /* unassessed schools no crawl covered ("chưa thu thập") */
	/* Schools with a decision applied or outdated: when not 0 the human
	 * school tables add a "Đã xem xét" column (undecided reports stay as
	 * they were). */
	size_t nreviewed;
	struct view_item *items; /* in order of first appearance */
	size_t nitems;
	size_t *band_count;   /* per m->scoring band: schools with that rating */
	size_t other_rating;  /* assessed schools whose rating is no band's */
	bool show_units;      /* city kind: print the units table (reports/city.h) */
	bool show_levels;     /* city and unit kinds: print item compliance by level */
	struct view_map *map; /* item id -> index in items (view_item_index) */
};

status view_new(struct report_view **out, const char *kind, const char *selector,
		const struct report_meta *m, const struct school_result *rs,
		size_t n) PA_MUST_CHECK;
void view_free(struct report_view *v);
/* The index of item id in v->items, or SIZE_MAX; constant time. */
size_t view_item_index(const struct report_view *v, const char *id);
/* Fills row[0..v->nitems) with r's verdict per item (enum verdict), or
 * VIEW_NO_VERDICT where r has no finding for the item; linear in r's
 * findings.  The school × item grid of the city, unit and snapshot reports. */
void view_school_verdicts(const struct report_view *v, const struct school_result *r,
			  unsigned char *row);

/* The facts of the run m describes, stating `items` (borrowed) or, when
 * items is NULL, m's weights (copied). */
status view_facts(struct report_facts *out, const struct report_meta *m,
		  const struct view_item *items, size_t nitems) PA_MUST_CHECK;
/* The facts of one school: r's runs, period, as-of date and rule set win
 * over m's; no items (a list states its own). */
void view_facts_school(struct report_facts *out, const struct report_meta *m,
		       const struct school_result *r);
/* States r's items and weights in f (allocated; view_facts_release). */
status view_facts_items_of(struct report_facts *f, const struct school_result *r) PA_MUST_CHECK;
void view_facts_release(struct report_facts *f);

/* A school's state for machines: "assessed", "not_crawled" (no crawl
 * covered it), "unreachable" or "not_scored" (crawled, too little to
 * score). */
const char *view_status(const struct school_result *r);

/* One line of a report's provenance: a trusted label and its value (may
 * hold the run label, untrusted: escape it). */
struct view_fact {
	const char *label;
	char value[160];
};

#define VIEW_NPROV 5
/* The provenance facts of fx that are known, in order: crawl time span
 * and count ("thứ 2"), audit time and count, run label, program version.
 * Returns how many were written to out. */
size_t view_provenance(struct view_fact out[VIEW_NPROV], const struct report_facts *fx);

/* Prints the Vietnamese of an English reason or note (wording_note)
 * through esc, the format's escaper; nothing for NULL. */
void view_print_vi(struct out *o, void (*esc)(struct out *o, const char *s), const char *english);

/* How many of r's findings a decision applies to and how many carry a
 * decision that needs a new review (DECISION_OUTDATED). */
void view_decision_counts(const struct school_result *r, size_t *applied, size_t *outdated);
/* The facts a one-school report states under its score when decisions
 * touch the school, in order: "Điểm trước khi xem xét" (r->ndecided > 0)
 * and "Cần xem xét lại" (outdated decisions).  Returns how many. */
size_t view_reviewed_facts(struct view_fact out[2], const struct school_result *r);
/* The score from machine verdicts alone, for a school a decision changed
 * (r->ndecided > 0): "72,5 / 100, xếp loại B", or "không đánh giá được",
 * written into buf (n bytes).  Holds the rating: escape it. */
const char *view_machine_score(char *buf, size_t n, const struct school_result *r);
/* What a list's "Đã xem xét" cell says of one school: "2 mục (điểm trước
 * khi xem xét: 72,5)", "1 mục cần xem xét lại", both, or "—" (trusted). */
const char *view_reviewed_cell(char *buf, size_t n, const struct view_school *vs);

/* Why a school could not be assessed, never NULL. */
const char *view_unassessed_reason(const struct school_result *r);
/* The same for people: a reason of the crawler or the audit ("dns",
 * "http 404", "address guard: X not allowed", ...) in Vietnamese
 * (wording_note), written into buf (n bytes); an unknown reason is
 * returned as it is (untrusted: escape it). */
const char *view_reason_vi(char *buf, size_t n, const char *reason);
/* The score formula in Vietnamese, stating the stale credit (trusted
 * text, no markup). */
void view_formula(char *dst, size_t n, const struct report_scoring *s);
/* The rating bands ("A ≥ 90; B ≥ 80...") then weights_label and the item
 * weights, each list "—" when empty, ending with a newline; esc escapes
 * the untrusted names for the format (out_text, out_md). */
void view_bands_weights(struct out *o, const struct report_facts *fx,
			void (*esc)(struct out *o, const char *s), const char *weights_label);

#endif
