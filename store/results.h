/* Audit results: findings and scores per school and audit run, and their
 * loading back into struct school_result for the reports. */
#ifndef STORE_RESULTS_H
#define STORE_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/finding.h"
#include "store/db.h"

/* Replaces the stored findings and score of r->school.id in audit run
 * run_id with those of r.  Call inside a transaction. */
status results_put(struct store *s, int64_t run_id, const struct school_result *r) PA_MUST_CHECK;

/* Loads one school's result of an audit run, with its registry entry and
 * the run's period, as-of date and rule set.  ST_NOTFOUND when the run has
 * no score for that school. */
status results_load(struct store *s, int64_t run_id, const char *school_id,
		    struct school_result *out) PA_MUST_CHECK;

/* Loads every school of an audit run (optionally only those of one unit),
 * in school-id order.  *out is a malloc'd array; free with results_free. */
status results_load_all(struct store *s, int64_t run_id, const char *unit,
			struct school_result **out, size_t *n) PA_MUST_CHECK;
void results_free(struct school_result *v, size_t n);

#endif
