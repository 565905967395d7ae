/* Tables that put a list's units and levels side by side (reports/city.c):
 * per unit, schools, assessed, mean score, rating counts and compliance
 * rate (passed findings over judged ones), with a total row; and per item,
 * the pass rate by level (a multi-level school counts in each of its
 * levels).  Internal to reports/. */
#ifndef REPORTS_CITY_H
#define REPORTS_CITY_H

#include "reports/table.h"
#include "reports/view.h"

struct city {
	struct table units;  /* key "units" */
	struct table levels; /* key "levels" */
};

/* Builds both tables from v (borrowed: the tables point into v's results). */
status city_new(struct city **out, const struct report_view *v) PA_MUST_CHECK;
void city_free(struct city *c);

/* "Công lập" for cong_lap, "Ngoài công lập" for ngoai_cong_lap, else the
 * value as it is (may be NULL). */
const char *city_ownership_label(const char *ownership);

#endif
