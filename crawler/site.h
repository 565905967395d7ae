/* One crawled site of a crawl: its life as a state machine (enum
 * site_state in crawler/crawl_state.h), its robots.txt verdicts, the
 * pages it records without fetching, and the requests it owns.  Crawl
 * thread only; used by crawler/crawl*.c. */
#ifndef CRAWLER_SITE_H
#define CRAWLER_SITE_H

#include "crawler/crawl_state.h"

/* Opens def: normalises its start URL and queues it, in SITE_ROBOTS; a
 * site whose start URL is unusable starts in SITE_DONE with its reason.
 * *out is freed with site_free. */
status site_open(struct site **out, const struct crawl_site *def) PA_MUST_CHECK;
void site_free(struct site *s);
/* Copies def's two strings into *dst (NULL stays NULL); ST_NOMEM, *dst
 * empty then.  Release with crawl_site_release. */
status crawl_site_copy(struct crawl_site *dst, const struct crawl_site *def) PA_MUST_CHECK;
void crawl_site_release(struct crawl_site *s);

/* The one way a site changes state; logs the change (debug).  Leaving
 * SITE_DONE is a programming error. */
void site_set_state(struct site *s, enum site_state to);
/* Ends s (SITE_DONE): nothing more of it starts.  Records the first
 * reason given (fmt with one %s, or NULL for none). */
void site_close(struct site *s, const char *fmt, const char *arg);
/* Whether the start page has been answered (the site is past SITE_START). */
bool site_started(const struct site *s);

/* Whether robots.txt of s allows url. */
bool site_robots_allow(const struct site *s, const char *url);
/* Records url, which robots.txt keeps us from, as a page: status 0, error
 * "robots", no model (at most CRAWL_BLOCKED_MAX per site), through
 * c->on_page. */
status site_blocked(struct crawl *c, struct site *s, const char *url, int depth) PA_MUST_CHECK;

/* Frees a request that is no longer in the multi handle. */
void site_req_free(struct req *r);

#endif
