/* Findings and school results: what the audit decides and the reports show.
 *
 * A finding is one verdict on one item for one school, with the evidence
 * behind it.  A school_result gathers a school's findings and score; the
 * store fills it and every report writer reads it.  Both own their strings;
 * the _free functions accept NULL. */
#ifndef CORE_FINDING_H
#define CORE_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

enum verdict {
	VERDICT_PASS,        /* found and current */
	VERDICT_STALE,       /* found, only for an earlier period */
	VERDICT_MISSING,     /* site crawled, item not found */
	VERDICT_UNREACHABLE, /* site or page not fetched: nothing can be judged */
	VERDICT_REVIEW,      /* weak evidence a person should look at */
};

/* "pass", "stale", "missing", "unreachable", "review". */
const char *verdict_str(enum verdict v);
status verdict_parse(const char *s, enum verdict *out) PA_MUST_CHECK;
/* The verdict for people: "Đạt", "Cũ (chưa cập nhật)", "Thiếu",
 * "Không truy cập được", "Cần xem xét"; "?" for a bad value. */
const char *verdict_label(enum verdict v);

/* A person's decision on one item of one school for one period
 * (store/decisions.h, docs/REVIEW.md).  Decisions are append-only; the
 * newest one for (period, school, item) is the one that counts. */
struct decision {
	int64_t id;
	enum verdict verdict; /* decided: pass, stale or missing */
	enum verdict machine; /* the machine verdict it was made on */
	char *reason;         /* why (the reviewer's words) */
	char *by;             /* who */
	char *at;             /* when, UTC "YYYY-MM-DD HH:MM:SS" */
	char *evidence_url;   /* URL the reviewer gave, or NULL */
	int64_t appeal_id;    /* the appeal whose acceptance recorded it, or 0 */
};

void decision_release(struct decision *d);

/* How the newest decision on a finding's item stands against the audit. */
enum decision_state {
	DECISION_NONE,     /* no decision: the machine verdict is final */
	DECISION_APPLIED,  /* the decision's verdict is final */
	DECISION_OUTDATED, /* the evidence changed since it was made: "cần xem
			    * xét lại", the machine verdict is final */
};

struct finding {
	char *item;  /* item id of regulations.md, e.g. "quality_commitment" */
	char *title; /* Vietnamese item name */
	char *group; /* CL, ĐK, TC, OTHER, PORTAL */
	char *basis; /* legal basis, e.g. "TT 09/2009/TT-BGDĐT" */
	enum verdict verdict;
	char *url;          /* evidence URL, or NULL */
	char *evidence;     /* matched text, or NULL */
	char *date;         /* YYYY-MM-DD the verdict used, or NULL */
	char *date_source;  /* label, body, document, title, page, meta, sitemap, http, or NULL */
	char *period_found; /* YYYY-YYYY found, or NULL */
	char *note;         /* why (English; reports translate it, reports/wording.h) */
	char *requirement;  /* the rule's: what the law requires, or NULL */
	char *remedy;       /* the rule's: how to fix a missing or stale item, or NULL */
	double weight;
	/* Filled when results are loaded (store/decisions.h); verdict above
	 * is the final verdict.  machine_verdict (what the audit found) is
	 * meaningful only when decision_state is not DECISION_NONE: renderers
	 * test decision_state, never compare the two verdicts. */
	enum verdict machine_verdict;
	enum decision_state decision_state;
	struct decision *decision; /* the newest decision on the item, or NULL */
};

void finding_release(struct finding *f);

struct school_info {
	char *id, *name, *unit, *level, *ownership, *portal_url;
	/* The district and the province before 1/7/2025 (registry columns
	 * former_unit, former_province), or NULL. */
	char *former_unit, *former_province;
};

void school_info_release(struct school_info *s);

struct school_result {
	struct school_info school;
	int64_t run_id;       /* audit run */
	int64_t crawl_run_id; /* crawl run the audit read for this school; 0: not crawled */
	char *crawled_at;     /* when that crawl of the school finished (UTC), or NULL */
	char *period;         /* "2017-2018" */
	char *as_of;          /* "2018-05-31" */
	char *ruleset;        /* rule set name, e.g. "tt09-2009" */
	char *ruleset_version;
	char *ruleset_hash;
	int pages;
	int errors;
	bool reachable;
	char *unreachable_reason; /* NULL when reachable */
	bool has_score;           /* false when the school could not be assessed */
	double score;             /* 0..100 */
	char *rating;             /* A..E, or NULL */
	/* How many findings a decision applies to (DECISION_APPLIED), and the
	 * score from machine verdicts alone, meaningful only when ndecided > 0;
	 * filled when results are loaded. */
	size_t ndecided;
	bool machine_has_score;
	double machine_score;
	char *machine_rating;
	struct finding *findings;
	size_t nfindings;
};

/* The unreachable_reason of a school no finished crawl covers (none at
 * all, or none recent enough for --max-crawl-age): "chưa thu thập" for
 * people.  Such a school has no findings, no score and is never ranked. */
#define REASON_NOT_CRAWLED "not_crawled"
/* True when r is such a school. */
bool school_result_not_crawled(const struct school_result *r);

void school_result_release(struct school_result *r);
/* Appends a finding, taking ownership of its strings (f is zeroed). */
status school_result_add(struct school_result *r, struct finding *f) PA_MUST_CHECK;

#endif
