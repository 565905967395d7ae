/* The evaluation context shared by rules/eval.c and rules/evalportal.c
 * (internal to the rules module): one school's pages with their matching
 * forms, folded once and reused by every rule, and the audit's period and
 * date.  One context belongs to one evaluation on one thread. */
#ifndef RULES_EVALCTX_H
#define RULES_EVALCTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/finding.h"
#include "core/page.h"
#include "core/status.h"
#include "rules/eval_options.h"
#include "rules/pagedate.h"
#include "rules/pattern.h"
#include "rules/rule.h"

/* Link texts repeat on every page of a site (menus, sidebars), so their
 * plain forms are folded once per school and shared: a hash table from
 * the text to its plain form, owned by the context. */
struct link_cache {
	const char **text; /* borrowed from the pages */
	char **plain;
	size_t cap; /* a power of two, at least twice the links */
};

/* One page with its matching forms, computed once per school and reused by
 * every rule; the body and links are folded only when a rule looks there. */
struct fpage {
	const struct page *p;
	bool ok;         /* a publication: fetched with status 200 */
	char *tf, *tp;   /* title */
	char *hf, *hp;   /* main heading(s), level 1, joined by " | " */
	char *af, *ap;   /* all headings */
	char *up;        /* URL path, plain */
	char *bf, *bp;   /* body (main text), lazy; the folded form only for exact patterns */
	const char **lp; /* link texts, plain, lazy: borrowed from the school's link cache */
	char **lf;       /* link texts, folded, only for exact patterns */
	bool *ldoc;      /* link points at a document (is_document) */
	struct fpage **
		ltgt; /* the page stored for each link's URL, or NULL; lazy (evalctx_link_targets) */
	bool body_done, body_folded, body_is_main, links_done, links_folded, date_done, post_done;
	struct page_date date; /* by the precedence of rules/pagedate.h */
	struct page_date post; /* the post date alone */
	/* A fetched document (PDF, DOCX, XLSX, ...: not HTML): it is
	 * evidence only through the pages that link it (`where: document`). */
	bool doc;
	const char *doc_status; /* meta "doc:status" (ok, no_text, ...), or NULL */
	bool robots;            /* a same-site URL robots.txt kept the crawler from */
	/* What the document says about the rule evaluated last (doc_rule). */
	const struct rule *doc_rule;
	bool doc_hit;
	size_t doc_at; /* where in its text the document names the item */
	int doc_year;
	bool doc_cal;
};

struct ctx {
	int first;    /* first year of the period */
	int64_t asof; /* days since the epoch */
	int asof_y, asof_m, asof_d;
	unsigned levels; /* the school's levels: level-scoped patterns speak for these */
	struct pattern_scratch *scratch; /* match data of this evaluation (one thread) */
	struct link_cache links;
	char period[16];
	char as_of[11];
	char ref[11]; /* 1 September of the period: decides which rules apply */
	struct fpage *fp;
	size_t n;
	size_t *uidx; /* URL (final and requested) → 1 + page index, open addressing */
	size_t ucap;
	/* Every rule evaluated with this one (eval_school), so a rule can tell
	 * a link that names no item at all; NULL/0 for a single rule. */
	const struct rule *rules;
	size_t nrules;
	const struct page *const *pages;
	size_t npages;
};

/* Fills c for an evaluation of pages (status 200 pages count) for a school
 * of `levels` (0: every level). */
status evalctx_init(struct ctx *c, const struct eval_options *o, struct page *const *pages,
		    size_t n, unsigned levels) PA_MUST_CHECK;
void evalctx_release(struct ctx *c);

/* Lazy forms of a page: the body (main text, or all text without one) in
 * plain form, and folded for exact patterns; the main text's plain form
 * for dates (NULL when the page has no main text); link texts. */
status evalctx_body(struct fpage *fp) PA_MUST_CHECK;
status evalctx_body_folded(struct fpage *fp) PA_MUST_CHECK;
status evalctx_main(struct fpage *fp, const char **main_plain) PA_MUST_CHECK;
status evalctx_links(struct fpage *fp, struct link_cache *lc) PA_MUST_CHECK;
status evalctx_links_folded(struct fpage *fp, struct link_cache *lc) PA_MUST_CHECK;
/* The page's date (rules/pagedate.h precedence) and its post date alone,
 * computed once into fp->date / fp->post. */
status evalctx_date(struct fpage *fp) PA_MUST_CHECK;
status evalctx_post(struct fpage *fp) PA_MUST_CHECK;

/* The page stored for a URL (its final or requested URL), or NULL. */
struct fpage *evalctx_page_by_url(const struct ctx *c, const char *url);
/* Fills fp->ltgt (the stored page of each link's URL) once. */
status evalctx_link_targets(const struct ctx *c, struct fpage *fp) PA_MUST_CHECK;

/* A rule's patterns on a text, for the school's levels, with c's scratch. */
bool evalctx_matches(const struct ctx *c, const struct rule *r, const char *plain,
		     const char *folded);
/* The path of a URL ("/" when it has none). */
const char *evalctx_url_path(const char *url);
/* Replaces *slot with a copy of s (NULL allowed). */
status evalctx_set_str(char **slot, const char *s) PA_MUST_CHECK;

#endif
