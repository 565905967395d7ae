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

/* "A=90;B=80;C=65;D=50;E=0;stale=0.5" for the run record; malloc'd. */
char *app_scoring_string(const struct ruleset *rs);

#endif
