/* The crawler: visits many sites at once with one libcurl multi handle,
 * politely (robots.txt, per-host connection limits and delays), within
 * caps on pages, depth, bytes, time and redirects, and hands every
 * fetched page to the caller.
 *
 *     struct crawl_options o = CRAWL_OPTIONS_INIT;
 *     o.max_pages = 50;
 *     st = crawl_run(&o, sites, nsites, on_page, on_site, ctx);
 *
 * crawl_run runs on the calling thread ("the crawl thread") and calls the
 * callbacks there; it returns when every site is finished, a callback
 * failed, or *o->stop became non-zero. */
#ifndef CRAWLER_CRAWL_H
#define CRAWLER_CRAWL_H

#include <stddef.h>

#include "core/status.h"
#include "crawler/crawl_options.h"

/* Crawls the sites.  sites, their strings and o (its resolve entries
 * included: the crawl refers to them, it does not copy them) must stay
 * valid until it returns; what the crawl allocates per site lives while
 * the site is open (a pointer stays for a site to try again), so memory
 * grows with the open sites (max_connections * ACTIVE_PER_CONNECTION), not
 * with nsites.  ST_INVALID for bad options (a bad CIDR or resolve
 * entry), ST_INTERRUPTED when stopped, a callback's status when it
 * failed, ST_NOMEM; ST_OK otherwise, however many sites failed (their
 * failures are in the site results). */
status crawl_run(const struct crawl_options *o, const struct crawl_site *sites, size_t nsites,
		 crawl_page_fn on_page, crawl_site_fn on_site, void *ctx) PA_MUST_CHECK;

/* Where crawl_run_from takes its sites, one at a time as it opens them,
 * so that a crawl of many schools need not hold them all.  next(ctx, out)
 * fills *out and returns 1, returns 0 when there are no more, or a
 * negative status (the crawl ends with it); out's strings need last only
 * until the next call (a site keeps copies while it is open).  rewind(ctx)
 * goes back to the first site: with o->resolve entries the crawler reads
 * the sites once before the crawl (the resolve map groups the entries by
 * the sites' hosts, crawler/resolve_map.h), then again as it opens them. */
struct crawl_source {
	int (*next)(void *ctx, struct crawl_site *out);
	status (*rewind)(void *ctx);
	void *ctx;
};

/* crawl_run on the sites src gives, in its order. */
status crawl_run_from(const struct crawl_options *o, const struct crawl_source *src,
		      crawl_page_fn on_page, crawl_site_fn on_site, void *ctx) PA_MUST_CHECK;

#endif
