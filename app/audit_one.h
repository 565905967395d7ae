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

/* Which crawl an audit reads for a school. */
struct audit_source {
	int64_t crawl_run;      /* only this crawl run, or 0: the school's newest finished crawl */
	const char *not_before; /* crawls that finished earlier (UTC, ISO 8601) do not count */
};

/* Audits si from its crawl in src (out->crawl_run_id and crawled_at say
 * which; a school no crawl covers is REASON_NOT_CRAWLED, with no
 * findings). */
status app_audit_school(struct store *s, const struct ruleset *rs, const struct eval_options *eo,
			const struct audit_source *src, const struct school_info *si,
			struct school_result *out) PA_MUST_CHECK;

/* What an audit run records besides its rule set. */
struct audit_begin {
	int64_t crawl_run; /* the one crawl run it reads, or 0: each school's newest */
	const char *period, *as_of;
	const char *params; /* the options as given, or NULL */
	const char *scope;  /* "full" (audit) or "check" */
	const char *label;  /* --label, or NULL */
};

/* Starts an audit run as b says with rs (name, version, hash, rating
 * bands, stale credit).  Sets *run.  Shared by `audit` and `check`. */
status app_audit_begin(struct store *s, const struct ruleset *rs, const struct audit_begin *b,
		       int64_t *run) PA_MUST_CHECK;
/* Audits one school from crawl run b->crawl_run into a new audit run
 * (as b says; scope "check" for check and the re-check worker), stores
 * its result and ends the run.  *out is the result (free with
 * school_result_release, also after a failure); *run the audit run, or
 * 0 when none was started. */
status app_audit_single(struct store *s, const struct ruleset *rs, const struct audit_begin *b,
			const struct school_info *si, struct school_result *out,
			int64_t *run) PA_MUST_CHECK;
/* Ends audit run `run` as st says: "done" for ST_OK, "interrupted" for
 * ST_INTERRUPTED, else "failed".  Returns st, or the failure to record
 * "done"; a failure to record another end is only logged. */
status app_audit_end(struct store *s, int64_t run, status st) PA_MUST_CHECK;

#endif
