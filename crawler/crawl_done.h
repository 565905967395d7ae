/* Finishing requests (crawl thread): retries, robots.txt, sitemaps, the
 * probe and pages (the start page's verdict, parsing, links, on_page),
 * and the moves of a site's state they decide. */
#ifndef CRAWLER_CRAWL_DONE_H
#define CRAWLER_CRAWL_DONE_H

#include "crawler/crawl_state.h"

/* crawl_retry_later queues a retry and returns true when the transfer
 * should be tried again (the caller then frees r); the others take the
 * finished request's result (rc is its CURLMSG_DONE code);
 * crawl_page_done takes ownership of r, the others leave it to the
 * caller. */
bool crawl_retry_later(struct crawl *c, struct req *r, CURLcode rc);
status crawl_robots_done(struct crawl *c, struct req *r, CURLcode rc) PA_MUST_CHECK;
status crawl_sitemap_done(struct crawl *c, struct req *r, CURLcode rc) PA_MUST_CHECK;
status crawl_page_done(struct crawl *c, struct req *r, CURLcode rc) PA_MUST_CHECK;
/* The probe's answer (r NULL: no probe was made, robots.txt disallows it):
 * records what "not found" looks like on s and whether s is parked; moves
 * s on to its sitemaps or its frontier. */
status crawl_probe_done(struct crawl *c, struct site *s, struct req *r, CURLcode rc) PA_MUST_CHECK;
/* The second half of a page once parsed: frees the job and its request. */
status crawl_page_end(struct crawl *c, struct parser_job *j) PA_MUST_CHECK;

#endif
