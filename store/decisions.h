/* Human review and appeals (docs/REVIEW.md): the append-only decisions a
 * person makes on one item of one school for one period, the appeals
 * schools open against a verdict, and how decisions turn machine verdicts
 * into final verdicts when results are loaded.
 *
 * A decision is never deleted; a later decision on the same (period,
 * school, item) supersedes it.  A decision applies to an audit's finding
 * only while the finding's machine verdict equals the one the decision was
 * made on and the evidence page's content hash (in the crawl that audit
 * read for the school) equals the one recorded with the decision;
 * otherwise it is DECISION_OUTDATED ("cần xem xét lại") and the machine
 * verdict is final until someone decides again.
 *
 * Every list is malloc'd and owned by the caller; free with the matching
 * _free (which accepts NULL).  Lists hold every school; commands filter
 * them with their selection (selection_has on the rows' school). */
#ifndef STORE_DECISIONS_H
#define STORE_DECISIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/finding.h"
#include "store/db.h"

/* Sets every finding's final verdict, machine_verdict, decision_state and
 * decision from the decisions on r's period and school, then r's final
 * score and rating (and the machine_* score when a decision applies) with
 * audit run r->run_id's bands and stale credit.  results_load and
 * results_load_all call it, so every report sees final verdicts. */
status decisions_apply(struct store *s, struct school_result *r) PA_MUST_CHECK;
/* decisions_apply on every result of v, with one query for the decisions
 * of each period (results_load_all over thousands of schools). */
status decisions_apply_all(struct store *s, struct school_result *v, size_t n) PA_MUST_CHECK;

/* Records a decision on item `item` of school `school_id` in audit run
 * `run`'s period.  Checks, naming what is wrong (ST_INVALID, nothing
 * written): the school has a result in the run, the item applies to it
 * (the run has a finding for it), d->verdict is pass, stale or missing,
 * d->reason and d->by are not empty.  The machine verdict, its evidence
 * URL and that page's content hash are taken from the run; d->at is set
 * to now when NULL.  *id gets the new decision's id (may be NULL). */
status decisions_add(struct store *s, int64_t run, const char *school_id, const char *item,
		     const struct decision *d, int64_t *id) PA_MUST_CHECK;

/* One item waiting for a person in an audit run: a finding whose machine
 * verdict is in the asked set and that no applying decision settles
 * (state DECISION_NONE, or DECISION_OUTDATED with the outdated decision). */
struct review_row {
	struct school_info school;
	int64_t run_id;
	char *period;
	char *crawled_at; /* when the school's crawl finished, or NULL */
	struct finding f; /* machine verdict in f.verdict, evidence in f.url/f.evidence */
	enum decision_state state;
	struct decision *outdated; /* the decision that needs a new review, or NULL */
};

/* Bits of enum verdict: (1u << VERDICT_REVIEW) | ... */
#define VERDICT_BIT(v) (1u << (unsigned)(v))

/* The queue of audit run `run`, oldest crawl first, then school id, then
 * rule order. */
status decisions_queue(struct store *s, int64_t run, unsigned verdicts, struct review_row **out,
		       size_t *n) PA_MUST_CHECK;
void decisions_queue_free(struct review_row *v, size_t n);

/* One decision as the trail lists it. */
struct decision_row {
	struct decision d;
	struct school_info school; /* the registry's entry (name, unit) */
	char *period, *item, *item_title;
	char *machine_url;     /* the machine's evidence URL when decided, or NULL */
	char *content_hash;    /* that page's content hash when decided, or NULL */
	int64_t superseded_by; /* the newer decision on the same item, or 0 */
};

/* Every decision (all periods when period is NULL), in the order they
 * were made (id order), superseded ones included. */
status decisions_trail(struct store *s, const char *period, struct decision_row **out,
		       size_t *n) PA_MUST_CHECK;
void decisions_trail_free(struct decision_row *v, size_t n);

enum appeal_state { APPEAL_OPEN, APPEAL_ACCEPTED, APPEAL_REJECTED };
/* "open", "accepted", "rejected"; for people "Đang mở", "Chấp nhận", "Bác bỏ". */
const char *appeal_state_str(enum appeal_state st);
const char *appeal_state_label(enum appeal_state st);

struct appeal {
	int64_t id;
	struct school_info school;
	int64_t run_id; /* the audit run whose verdict is contested */
	char *period, *item, *item_title;
	enum verdict verdict; /* the final verdict contested */
	char *by, *text, *evidence_url, *opened_at;
	enum appeal_state state;
	char *closed_by, *closed_at, *close_reason; /* NULL while open */
	int64_t decision_id;                        /* recorded by accepting, or 0 */
};
void appeal_release(struct appeal *a);

/* Opens an appeal against item `item` of school `school_id` in audit run
 * `run` (same checks as decisions_add; text and by not empty).  *id may
 * be NULL. */
status appeals_open(struct store *s, int64_t run, const char *school_id, const char *item,
		    const char *by, const char *text, const char *evidence_url,
		    int64_t *id) PA_MUST_CHECK;
/* Every appeal (only open ones when open_only), oldest first. */
status appeals_list(struct store *s, bool open_only, struct appeal **out, size_t *n) PA_MUST_CHECK;
void appeals_free(struct appeal *v, size_t n);
/* One appeal; ST_NOTFOUND for an unknown id. */
status appeals_get(struct store *s, int64_t id, struct appeal *out) PA_MUST_CHECK;
/* Closes an open appeal: ST_NOTFOUND for an unknown id, ST_INVALID for a
 * closed one or an empty reason or name (nothing written).  Accepting records a decision (verdict
 * `verdict`: pass unless given otherwise, evidence the appeal's) in the
 * same transaction; rejecting changes no verdict. */
status appeals_close(struct store *s, int64_t id, bool accept, enum verdict verdict,
		     const char *reason, const char *by) PA_MUST_CHECK;

#endif
