/* The adoption table of dispatch 3630 computed from the portal state of
 * every registered school (store/report_queries.h).  Internal to
 * reports/; the public entry points are report_adoption and
 * report_adoption_compare in reports/report.h. */
#ifndef REPORTS_ADOPTION_H
#define REPORTS_ADOPTION_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"
#include "store/report_queries.h"

#define ADOPTION_NLEVELS 5

/* "mn", "th", "thcs", "thpt", "gdtx": the JSON keys and level codes. */
extern const char *const adoption_levels[ADOPTION_NLEVELS];

struct adoption_cell {
	size_t with_portal, schools;
};

struct adoption_row {
	const char *unit; /* borrowed from the input; NULL for the total */
	struct adoption_cell all, level[ADOPTION_NLEVELS];
	size_t audited;     /* schools of the row that the audit run has a result for */
	size_t not_crawled; /* schools no crawl covered: in no cell, counted apart */
};

struct adoption {
	struct adoption_row *units; /* in natural order of the unit name */
	size_t nunits;
	struct adoption_row total;
	char **notes; /* Vietnamese sentences about inconsistent input */
	size_t nnotes;
};

/* Counts v[0..n) (borrowed: keep it alive while *out lives).  run names
 * the audit run in the notes. */
status adoption_new(struct adoption **out, const struct portal_check *v, size_t n,
		    long long run) PA_MUST_CHECK;
void adoption_free(struct adoption *a);

/* The rate of a cell, with_portal / schools capped at 1; false when the
 * cell has no school. */
bool adoption_rate(const struct adoption_cell *c, double *rate);

/* Whether a school counts as having a working portal: in the run, with a
 * registered URL, and its portal_reachable finding passed. */
bool adoption_working(const struct portal_check *p);

/* strcmp, except that runs of digits compare as numbers, so "Quận 2"
 * sorts before "Quận 10". */
int adoption_unit_cmp(const char *a, const char *b);

#endif
