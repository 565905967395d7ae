/* What to render as one report: the request `report KIND` builds from its
 * options and `serve` from a URL, given to the one renderer
 * (app/report_render.h). */
#ifndef REPORTS_REQUEST_H
#define REPORTS_REQUEST_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "reports/meta.h"

/* kind is "school" (selector: the school id), "unit" (selector: the
 * unit), "city", "ranking" or "adoption".  only_unit keeps city, ranking
 * and adoption to one unit's schools (the dashboard's unit officers),
 * NULL: every school.  compare: an earlier audit run beside run, 0 for
 * none.  history: `report school ID --history`.  stop: a flag a signal
 * sets, or NULL.  links: the HTML's links to other reports
 * (report_meta.links), NULL for files. */
struct report_request {
	const char *kind, *selector, *only_unit;
	enum report_format fmt;
	int64_t run, compare;
	enum group_by group_by;
	bool history;
	const volatile sig_atomic_t *stop;
	const char *links;
};

#endif
