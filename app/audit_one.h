/* Auditing one school from the store: load its stored pages of a crawl
 * run, evaluate the rules, and fill a school_result.  Shared by `audit`
 * and `check`.  Reads only; the caller stores the result. */
#ifndef APP_AUDIT_ONE_H
#define APP_AUDIT_ONE_H

#include <stdint.h>

#include "core/finding.h"
#include "rules/eval.h"
#include "rules/ruleset.h"
#include "store/db.h"

status app_audit_school(struct store *s, const struct ruleset *rs, const struct eval_options *eo,
			int64_t crawl_run, const struct school_info *si,
			struct school_result *out) PA_MUST_CHECK;

/* Starts an audit run of crawl_run with rs (name, version, hash, rating
 * bands, stale credit), period and as_of; params (may be NULL) are the
 * options as given.  Sets *run.  Shared by `audit` and `check`. */
status app_audit_begin(struct store *s, const struct ruleset *rs, int64_t crawl_run,
		       const char *period, const char *as_of, const char *params,
		       int64_t *run) PA_MUST_CHECK;
/* Ends audit run `run` as st says: "done" for ST_OK, "interrupted" for
 * ST_INTERRUPTED, else "failed".  Returns st, or the failure to record
 * "done"; a failure to record another end is only logged. */
status app_audit_end(struct store *s, int64_t run, status st) PA_MUST_CHECK;

#endif
