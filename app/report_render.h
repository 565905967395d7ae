/* The one renderer of reports: `report KIND` writes what it returns to a
 * file or standard output, `serve` to an HTTP response (open_memstream).
 * It loads an audit run's results for the request from the store and
 * hands them to the report writers (reports/report.h). */
#ifndef APP_REPORT_RENDER_H
#define APP_REPORT_RENDER_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "app/report_out.h"
#include "reports/report.h"
#include "reports/request.h"
#include "store/db.h"

/* Writes the report rq asks for to f.  ST_NOTFOUND naming what is missing
 * (a school without a result in the run, a unit without schools). */
status report_render(struct store *s, const struct report_request *rq, FILE *f) PA_MUST_CHECK;

/* The results a report shows from one audit run: one school, the schools
 * of a unit or all, or the portal state of every registered school
 * (adoption).  Filled by report_render's loader, freed by
 * report_loaded_release. */
struct meta_ref;
struct report_loaded {
	struct meta_holder h; /* h.meta; the rest only when ref is NULL */
	struct meta_ref *ref; /* the shared meta h.meta points into, or NULL */
	struct school_result one;
	struct school_result *all;
	struct portal_check *portals;
	size_t n;
	bool has_one;
};
void report_loaded_release(struct report_loaded *l);
/* The results in l: the one school's or all. */
const struct school_result *report_loaded_results(const struct report_loaded *l);

/* The school page of the dashboard (web/web.h, web_school_fn): the
 * school's newest audit run, its report and history documents and the
 * run's result, with one meta and one result load per audited period. */
struct web_school_page;
status report_render_school_page(struct store *s, const char *id, const volatile sig_atomic_t *stop,
				 struct web_school_page *out) PA_MUST_CHECK;

#endif
