/* One loaded rule: what the rule file said, with its patterns compiled.
 * Rules are values owned by their ruleset (ruleset_rules() lends them out);
 * eval and the self-test read them, nothing changes them after load. */
#ifndef RULES_RULE_H
#define RULES_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include <stdio.h>
#include <yaml.h>

#include "rules/pattern.h"

/* Where a rule looks (bit mask). */
enum rule_place {
	PLACE_TITLE = 1 << 0,      /* <title> */
	PLACE_H1 = 1 << 1,         /* the main heading(s), level 1 */
	PLACE_HEADINGS = 1 << 2,   /* any heading */
	PLACE_URL_PATH = 1 << 3,   /* the page URL's path */
	PLACE_BODY = 1 << 4,       /* main text (all text when no main text) */
	PLACE_LINK_TEXT = 1 << 5,  /* text of any link (the linking page is the evidence) */
	PLACE_ATTACHMENT = 1 << 6, /* text or file name of a link to a document (.pdf, .doc, ...) */
	PLACE_SECTION =
		1
		<< 7, /* a heading or caption naming the item and a year inside a disclosure post */
	PLACE_DOCUMENT =
		1
		<< 8, /* the extracted text of a linked document (the linking page is the evidence) */
};
#define PLACE_PAGE_MASK (PLACE_TITLE | PLACE_H1 | PLACE_HEADINGS | PLACE_URL_PATH | PLACE_BODY)
#define PLACE_LINK_MASK (PLACE_LINK_TEXT | PLACE_ATTACHMENT | PLACE_DOCUMENT)

enum rule_check {
	CHECK_MATCH,            /* patterns over pages */
	CHECK_REACHABLE,        /* the site answered */
	CHECK_INTEGRATED,       /* portal host is hcm.edu.vn or *.hcm.edu.vn */
	CHECK_POSTING_ACTIVITY, /* enough dated posts in the period */
	CHECK_YEARLY_SECTION,   /* a disclosure section page naming the period */
};

enum fresh_policy {
	FRESH_NONE,          /* found is enough */
	FRESH_SCHOOL_YEAR,   /* a school-year label must be current */
	FRESH_CALENDAR_YEAR, /* a calendar-year label ("quyet toan nam 2017") */
	FRESH_MAX_AGE,       /* a page date no older than `days` */
	FRESH_CADENCE,       /* weekly (14 days) or monthly (45 days) */
};

enum fresh_mode {
	MODE_FORWARD, /* the label names the period audited */
	MODE_RESULTS, /* the label names the period or the year just ended */
};

/* Level bits; a school's level string "th+thcs" maps to a mask too. */
enum rule_level { LEVEL_MN = 1, LEVEL_TH = 2, LEVEL_THCS = 4, LEVEL_THPT = 8, LEVEL_GDTX = 16 };
#define LEVEL_ALL 31u

enum example_expect {
	EXPECT_MATCH,
	EXPECT_NO_MATCH,
	EXPECT_PASS,
	EXPECT_STALE,
	EXPECT_MISSING,
	EXPECT_REVIEW,
	EXPECT_NOT_APPLICABLE, /* applies_if unmet: the school gets no finding */
};

struct rule_example_link {
	char *text, *url;
	char *doc; /* the linked document's extracted text: the example stores it as a fetched document */
	char *doc_status; /* its "doc:status" (ok, no_text, ...); NULL: ok when doc is given */
};

struct rule_example {
	bool page;      /* a mini page rather than a text */
	char *text;     /* text examples */
	unsigned where; /* text examples: the place the text stands in */
	char *title, *h1, *url, *body;
	struct rule_example_link *links;
	size_t nlinks;
	char *period; /* page examples: period to judge against (NULL: 2017-2018) */
	char *level;  /* school level ("th+thcs"); NULL: every level of the rule */
	char *as_of;  /* page examples: audit date (NULL: end of the period) */
	enum example_expect expect;
	int line, col; /* where the example is in the file */
};

struct rule {
	char *id, *title, *group;
	char *circular, *article, *clause;
	/* For people: what the law requires, in one sentence with its article
	 * and clause, and how a school fixes a missing or stale item.  Optional
	 * when loading; `rules lint` requires both (ruleset_lint). */
	char *requirement, *remedy;
	char *file; /* file the rule came from, for messages */
	int line;
	unsigned levels;
	double weight;
	char from[11], until[11]; /* "" when open */
	unsigned where;           /* places */
	bool where_any;           /* page places: any (true) or all (false) must match */
	struct pattern **match;
	unsigned *match_levels; /* per match pattern: levels it speaks for (LEVEL_ALL: any) */
	size_t nmatch;
	struct pattern **exclude;
	unsigned *exclude_levels;
	size_t nexclude;
	struct pattern **applies_if; /* the rule applies only to a site where one matches */
	size_t napplies_if;
	bool has_exact; /* some pattern reads the folded form (diacritics kept) */
	enum rule_check check;
	enum fresh_policy policy;
	enum fresh_mode mode;
	bool calendar_ok;  /* school_year policy also accepts a calendar-year label */
	int days;          /* max_age_days / cadence limit */
	int deadline_day;  /* cadence monthly: due by this day of the previous month (0: none) */
	int deadline_wday; /* cadence weekly: due by this weekday of the previous week
				     (1 Monday .. 7 Sunday; 0: none) */
	int update_within; /* working days between a document's date and its posting (0: no check) */
	bool pdf_only;     /* `format: pdf`: the publication must be a PDF */
	int min_posts;     /* posting_activity */
	char **focus;
	size_t nfocus;
	struct rule_example *examples;
	size_t nexamples;
};

/* Parses a level string ("thcs", "th+thcs", "all") into a mask; 0 if any
 * part is unknown. */
unsigned rule_levels_parse(const char *s);
/* Whether a text (both norm_fold forms given) matches one of the rule's
 * match patterns and none of its exclude patterns, counting only the
 * patterns that speak for one of `levels` (a pattern written
 * `{re: ..., levels: [thcs, thpt]}` only speaks for those levels).
 * `scratch` may be NULL (see pattern_match_in). */
bool rule_text_matches_in(const struct rule *r, unsigned levels, struct pattern_scratch *scratch,
			  const char *plain, const char *folded);
/* rule_text_matches_in for every level, without a scratch. */
bool rule_text_matches(const struct rule *r, const char *plain, const char *folded);
void rule_release(struct rule *r);

/* Diagnostics while loading: each error is printed to errs (when not NULL)
 * as "file:line:col: message" and counted; the first is kept for
 * status_message(). */
struct rule_diag {
	const char *file;
	FILE *errs;
	int nerr;
	char first[512];
};

void rule_diag_error(struct rule_diag *d, const yaml_node_t *at, const char *fmt, ...)
	PA_PRINTF(3, 4);
/* The scalar value of node, or NULL (with an error) when it is not one. */
const char *rule_yaml_scalar(struct rule_diag *d, const yaml_node_t *node, const char *what);
/* Parses one rule mapping into *out (zeroed first).  Errors go to d; the
 * rule is filled as far as it could be and must be released either way.
 * Returns ST_NOMEM only on memory failure; rule errors are counted in d. */
status rule_parse(struct rule *out, yaml_document_t *doc, yaml_node_t *node,
		  struct rule_diag *d) PA_MUST_CHECK;

#endif
