/* Stored crawls: sites and their page models.
 *
 * Writing goes through a page_writer, which keeps its prepared statements
 * for the life of a crawl; the caller wraps batches of writes in
 * store_begin/store_commit.  Reading loads a school's pages back into
 * struct page objects, so audits never re-fetch or re-parse. */
#ifndef STORE_PAGES_H
#define STORE_PAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/page.h"
#include "core/strlist.h"
#include "store/db.h"

struct page_writer;

status page_writer_new(struct page_writer **out, struct store *s, int64_t run_id) PA_MUST_CHECK;
void page_writer_free(struct page_writer *w);

/* Registers a site to crawl in this run (state pending); a site already
 * registered is left as it is (so --resume keeps finished work). */
status page_writer_site_pending(struct page_writer *w, const char *school_id,
				const char *start_url) PA_MUST_CHECK;
/* Stores one page and its links.  A page already stored for the same
 * requested URL in this run is replaced. */
status page_writer_put(struct page_writer *w, const char *school_id,
		       const struct page *p) PA_MUST_CHECK;
/* Marks a site done with its outcome. */
status page_writer_site_done(struct page_writer *w, const char *school_id, bool reachable,
			     const char *reason, const char *final_host, int pages,
			     int errors) PA_MUST_CHECK;
/* Removes a site's pages in this run (before recrawling an unfinished site). */
status page_writer_site_reset(struct page_writer *w, const char *school_id) PA_MUST_CHECK;

struct site_outcome {
	bool done;
	bool reachable;
	char *reason;
	char *start_url;
	char *final_host;
	int pages, errors;
};
void site_outcome_release(struct site_outcome *o);

/* Up to max sites of crawl run run_id still pending whose school id sorts
 * after `after` (NULL: from the first), in school id order, appended to
 * out as string pairs: id 2i, start URL 2i+1.  What a crawl reads as it
 * opens sites, a batch at a time, rather than holding them all. */
status pages_pending_sites(struct store *s, int64_t run_id, const char *after, size_t max,
			   struct strlist *out) PA_MUST_CHECK;

/* The outcome of a school's site in a crawl run; ST_NOTFOUND when the run
 * did not include it. */
status pages_site_outcome(struct store *s, int64_t run_id, const char *school_id,
			  struct site_outcome *out) PA_MUST_CHECK;

/* Loads every stored page of a school in a crawl run, in fetch order.
 * *pages is a malloc'd array of owned pages; free with pages_free. */
status pages_load(struct store *s, int64_t run_id, const char *school_id, struct page ***pages,
		  size_t *n) PA_MUST_CHECK;
void pages_free(struct page **pages, size_t n);

/* Loads the page stored for requested_url of a school in a crawl run,
 * with its links, for a conditional GET; *out is NULL when there is none
 * (or it has neither ETag nor Last-Modified, so it cannot be revalidated). */
status pages_load_cached(struct store *s, int64_t run_id, const char *school_id,
			 const char *requested_url, struct page **out) PA_MUST_CHECK;

#endif
