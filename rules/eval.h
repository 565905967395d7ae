/* Evaluation: stored pages of one school + a rule set → findings and score.
 * Reads pages only (never fetches); the ruleset is shared read-only, so
 * many threads may evaluate different schools at once. */
#ifndef RULES_EVAL_H
#define RULES_EVAL_H

#include <stddef.h>

#include "core/finding.h"
#include "core/page.h"
#include "core/status.h"
#include "rules/eval_options.h"
#include "rules/ruleset.h"

/* Evaluates all rules applicable to the school's level(s) (level may be
 * "th+thcs": union of items; unknown level: every rule), in force on
 * 1 September of the period and, for rules with `applies_if`, shown by the
 * site, against its pages; fills r->findings,
 * r->score/has_score/rating, r->ruleset*, r->period, r->as_of.
 * `reachable`/`unreachable_reason` and `school` are set by the caller; an
 * unreachable school gets every item "unreachable" and has_score=false.
 * Pages with status != 200 never count as publications.
 * Errors: ST_INVALID for a bad period/as_of, ST_NOMEM. */
status eval_school(const struct ruleset *rs, const struct eval_options *o,
		   struct page *const *pages, size_t npages, struct school_result *r) PA_MUST_CHECK;

/* Evaluates one rule into *out (zeroed first; the caller releases it).
 * `school` supplies reachable, the level(s) (level-scoped patterns) and the
 * portal URL for portal checks.  ST_NOTFOUND when the rule does not apply
 * to the site (its `applies_if` patterns show nowhere): eval_school leaves
 * such a rule out of the findings. */
status eval_rule(const struct rule *rule, const struct eval_options *o, struct page *const *pages,
		 size_t npages, const struct school_result *school,
		 struct finding *out) PA_MUST_CHECK;

#endif
