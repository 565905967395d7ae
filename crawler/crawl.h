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

#endif
