/* Queries the reports need beyond store/results.h: the portal state of
 * every registered school in an audit run (the adoption table of dispatch
 * 3630) and the item weights an audit run used.  Results are malloc'd and
 * owned by the caller (free with the matching _free, which accepts NULL). */
#ifndef STORE_REPORT_QUERIES_H
#define STORE_REPORT_QUERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/finding.h"
#include "store/db.h"

/* One registered school and what an audit run found about its portal. */
struct portal_check {
	struct school_info school; /* registry entry (owned) */
	bool in_run;               /* the audit run has a result for the school */
	bool checked;              /* the run has a portal_reachable finding for it */
	bool working;              /* that finding's verdict is pass */
	char *reason;              /* the run's unreachable reason for the school, or NULL */
	bool not_crawled;          /* no crawl covered the school (REASON_NOT_CRAWLED) */
};

/* Every school of the registry (not only those of the run), by id, with
 * its state in audit run `run`.  *out is NULL when the registry is empty.
 * The registry is the run's frozen copy (registry_snapshot), or the
 * current one for a run made before runs kept a copy. */
status report_queries_portals(struct store *s, int64_t run, struct portal_check **out,
			      size_t *n) PA_MUST_CHECK;
void report_queries_portals_free(struct portal_check *v, size_t n);

/* One item of an audit run with the weight it was scored with. */
struct item_weight {
	char *item, *title, *basis;
	double weight;
};

/* The items of audit run `run` in rule order (the order of the first
 * school's findings), one entry per item id. */
status report_queries_weights(struct store *s, int64_t run, struct item_weight **out,
			      size_t *n) PA_MUST_CHECK;
void report_queries_weights_free(struct item_weight *v, size_t n);

/* ST_OK when `run` is a finished audit run; ST_NOTFOUND (with a message
 * naming the run) when it does not exist or is a crawl run, ST_INVALID when
 * it did not finish. */
status report_queries_check_audit(struct store *s, int64_t run) PA_MUST_CHECK;

/* Where an audit run's numbers come from, for the reports: its ordinal
 * among audit runs and its crawl's among crawl runs (1 = the first: people
 * read counts, not ids), when it started and finished, and the span of
 * fetch times of the crawl's pages (Unix ms, 0 when none). */
struct run_provenance {
	int64_t audit_nth, crawl_nth;
	char audit_started[24], audit_finished[24]; /* as runs records them, or "" */
	int64_t first_fetch_ms, last_fetch_ms;
};

status report_queries_provenance(struct store *s, int64_t audit_run, int64_t crawl_run,
				 struct run_provenance *out) PA_MUST_CHECK;

/* What the reports group schools by (--group-by). */
enum group_by { GROUP_UNIT, GROUP_FORMER_UNIT, GROUP_FORMER_PROVINCE };

/* A school and the name of its group. */
struct school_group {
	char *id;
	char *group; /* NULL: unknown (no former_province recorded) */
};

/* Every school of audit run `run`'s registry (as report_queries_portals),
 * by id, with its unit, former unit (its unit when none was recorded) or
 * former province. */
status report_queries_groups(struct store *s, int64_t run, enum group_by by,
			     struct school_group **out, size_t *n) PA_MUST_CHECK;
void report_queries_groups_free(struct school_group *v, size_t n);

/* The audit runs with a result for the school, one per period (the newest
 * finished run of each), periods in order.  *runs is malloc'd. */
status report_queries_history(struct store *s, const char *school_id, int64_t **runs,
			      size_t *n) PA_MUST_CHECK;

#endif
