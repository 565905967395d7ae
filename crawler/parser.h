/* Page parsing off the crawl thread: a small pool of worker threads that
 * run html_extract and the link filtering of one fetched page each, or
 * read a document's text through the thread's own extractor child
 * (crawler/docspawn.h), which lives as long as the thread.
 *
 * The crawl thread submits jobs and takes finished ones back; workers
 * never touch crawl state.  Each job owns its page and links; the body it
 * points to belongs to the job's owner (the crawl's request) and must stay
 * alive until the job comes back.  With 0 threads, parser_run does the
 * same work on the caller's thread. */
#ifndef CRAWLER_PARSER_H
#define CRAWLER_PARSER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/page.h"
#include "crawler/docspawn.h"

struct parser_link {
	char *url; /* canonical (scope_canonical), on the site, fetchable */
	int prio;  /* scope_rank of scope_score: lower is fetched first */
	bool doc;  /* a document (scope_is_document), ranked by scope_doc_rank */
};

struct parser_job {
	/* Input, set by the submitter. */
	struct page *page; /* owned by the job until taken back */
	const char *body;  /* borrowed */
	size_t len;
	char *site_host; /* owned; links must be on this host or its www variant */
	bool want_links; /* collect fetchable links into links[] */
	bool extracted;  /* the page already has its model (a cached page): only links */
	const struct docspawn_options *doc; /* borrowed; non-NULL: the body is a document,
					       read by docspawn_page (no links) */
	const char *const *keywords;        /* focus keywords, borrowed */
	size_t nkeywords;
	/* The page belongs to a disclosure section: it was reached through a
	 * section label or another page of the section's list, or through a
	 * focus link and it has pages of its own list.  Its pagination and the
	 * posts in its main content then get the section ranks
	 * (scope_section_rank); once all dates it prints are before cutoff
	 * (yyyymmdd; 0: no cutoff) its later pages and its posts named like
	 * disclosures get SCOPE_RANK_SECTION_OLD, its other posts nothing. */
	bool section, section_if_paged;
	long cutoff;
	/* Document links are collected too (scope_doc_rank), with doc set:
	 * on a disclosure page (disclosure_page: reached through a focus link,
	 * or through a section rank and scope_is_disclosure_page) all of its
	 * main content's, elsewhere those that score as focus. */
	bool want_docs, disclosure_page;
	bool all_docs; /* a full crawl (no explore budget): every document link is wanted */
	void *owner;
	/* Output. */
	status st;
	struct parser_link *links;
	size_t nlinks;
	struct parser_job *next; /* queue link, private */
};

struct parser;

/* wake(arg) is called from a worker after each finished job (to wake the
 * crawl loop's poll); it must be thread-safe. */
status parser_new(struct parser **out, int nthreads, void (*wake)(void *), void *arg) PA_MUST_CHECK;
/* Stops and joins the workers; unfinished and untaken jobs are handed to
 * discard(job, arg), which frees them. */
void parser_free(struct parser *ps, void (*discard)(struct parser_job *, void *), void *arg);

/* Queues a job (ownership passes to the pool until parser_take). */
void parser_submit(struct parser *ps, struct parser_job *job);
/* A finished job, or NULL when none is ready. */
struct parser_job *parser_take(struct parser *ps);

/* Does a job's work on the calling thread; a document job uses the
 * thread's extractor *ds, started on first use (the caller frees it with
 * docspawn_free). */
void parser_run(struct parser_job *job, struct docspawn **ds);
/* Frees the job's page (if still set), links and site_host, then job. */
void parser_job_free(struct parser_job *job);

#endif
