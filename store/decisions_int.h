/* Internal to store/decisions*.c and store/appeals.c: reading decision
 * rows and judging whether a decision still applies. */
#ifndef STORE_DECISIONS_INT_H
#define STORE_DECISIONS_INT_H

#include "store/decisions.h"

/* The columns decisions_read_row reads, of a decisions table aliased d. */
#define DECISION_COLS                                                                       \
	"d.id, d.verdict, d.machine_verdict, d.reason, d.decided_by, d.at, d.evidence_url," \
	" d.appeal_id"

/* Reads DECISION_COLS from column col on into *d (owned by the caller). */
status decisions_read_row(sqlite3_stmt *st, int col, struct decision *d) PA_MUST_CHECK;

/* The content hash of the page at url in school_id's crawl crawl_run
 * (*hash NULL when url is NULL or the crawl has no such page).  *cache
 * holds the prepared statement between calls; the caller finalizes it. */
status decisions_page_hash(struct store *s, sqlite3_stmt **cache, int64_t crawl_run,
			   const char *school_id, const char *url, char **hash) PA_MUST_CHECK;

/* How decision d (recorded with content_hash; NULL d: none) stands
 * against a finding with machine verdict `machine` and evidence url in
 * crawl crawl_run: applied while both are unchanged, else outdated. */
status decisions_judge(struct store *s, sqlite3_stmt **cache, int64_t crawl_run,
		       const char *school_id, enum verdict machine, const char *url,
		       const struct decision *d, const char *content_hash,
		       enum decision_state *state) PA_MUST_CHECK;

/* What an audit run has on one item of one school, for recording a
 * decision or an appeal; decisions_target_release frees it. */
struct decision_target {
	char *period; /* the run's period, "" when none */
	int64_t crawl_run;
	enum verdict machine; /* the machine verdict */
	enum verdict final;   /* after the newest applying decision */
	char *url, *title;
};
/* Fills *t, or fails with ST_NOTFOUND / ST_INVALID naming an unknown
 * school, a school without a result in run, an unknown item or one that
 * does not apply to the school. */
status decisions_target(struct store *s, int64_t run, const char *school_id, const char *item,
			struct decision_target *t) PA_MUST_CHECK;
void decisions_target_release(struct decision_target *t);

/* ST_INVALID naming what is wrong when d's verdict is not pass, stale or
 * missing, or its reason or name is empty (only spaces). */
status decisions_check(const struct decision *d) PA_MUST_CHECK;

/* Inserts decision d (checked by the caller) on target t; no transaction. */
status decisions_insert(struct store *s, int64_t run, const char *school_id, const char *item,
			const struct decision_target *t, const struct decision *d,
			int64_t *id) PA_MUST_CHECK;

#endif
