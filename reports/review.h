/* The review reports (docs/REVIEW.md): the queue of items waiting for a
 * person and the decisions made, as table documents (reports/doc.h) in
 * every format.  The caller owns every row. */
#ifndef REPORTS_REVIEW_H
#define REPORTS_REVIEW_H

#include <stdio.h>

#include "reports/meta.h"
#include "store/decisions.h"

/* `report review`: the open queue of audit run m (q: decisions_queue,
 * already filtered) and the decisions of its period (t: decisions_trail),
 * each marked in force, superseded or needing a new review. */
status report_review(FILE *f, enum report_format fmt, const struct report_meta *m,
		     const struct review_row *q, size_t nq, const struct decision_row *t,
		     size_t nt) PA_MUST_CHECK;

/* `review list`: the queue alone. */
status report_review_queue(FILE *f, enum report_format fmt, const struct report_meta *m,
			   const struct review_row *q, size_t nq) PA_MUST_CHECK;

/* `review trail`: every decision in the order made, superseded ones
 * included; no audit run is stated. */
status report_review_trail(FILE *f, enum report_format fmt, const struct decision_row *t,
			   size_t nt) PA_MUST_CHECK;

/* `appeal list`: the appeals given, oldest first. */
status report_appeals(FILE *f, enum report_format fmt, const struct appeal *v,
		      size_t n) PA_MUST_CHECK;

#endif
