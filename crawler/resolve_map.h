/* The --resolve and --hosts-file entries ("HOST:PORT:ADDR", as curl's
 * CURLOPT_RESOLVE) split so that a transfer to a site's host carries only
 * that host's entries.
 *
 * Why: libcurl (7.88) walks its whole DNS cache at the end of every
 * transfer to prune it, so 20,000 permanent entries, one per school, cost
 * every transfer a walk over all of them, and the crawl's time per school
 * grew with the number of schools (docs/BENCH.md, scale).
 *
 * The entries for the host of a site's start URL (and its "www." twin)
 * form that host's group; each transfer to the host carries its group as
 * non-permanent entries ("+HOST:PORT:ADDR"), which curl drops once they
 * are older than the DNS cache timeout such a transfer sets
 * (FETCH_RESOLVE_CACHE_S, 10 s) and every transfer loads afresh: the
 * cache holds the hosts of the last seconds.  Every other
 * entry (a host that is no site's start, such as a redirect target) is
 * permanent, as given, and carried once, by the first transfer, as
 * before.  So a redirect to such a host, or between x and www.x, resolves
 * as before; a redirect from one site's host to another site's host
 * resolves while that host's entries are in curl's cache (it was requested
 * within the last 10 s), else it fails as a DNS error. */
#ifndef CRAWLER_RESOLVE_MAP_H
#define CRAWLER_RESOLVE_MAP_H

#include <curl/curl.h>
#include <stddef.h>

#include "core/status.h"

struct resolve_map;

/* Builds the map of n entries for a crawl of the sites whose start URLs
 * are site_urls.  The map refers to entries (it does not copy them: they
 * must outlive it) and keeps a sorted index of those of the sites' hosts,
 * 4 bytes each; site_urls are read here only.  ST_INVALID, naming the
 * entry, when one is not HOST:PORT:ADDR (or "-HOST:PORT"); *out is NULL
 * then. */
status resolve_map_new(struct resolve_map **out, const char *const *entries, size_t n,
		       const char *const *site_urls, size_t nsites) PA_MUST_CHECK;
/* What a transfer to url carries as CURLOPT_RESOLVE, in a new list the
 * caller frees (curl_slist_free_all) once the transfer is cleaned up: the
 * entries of its host's group, each "+HOST:PORT:ADDR" (a leading '+' or
 * '-' given is kept); the first call also gives the permanent entries.
 * *out is NULL when there are none, or when m is NULL.  ST_NOMEM. */
status resolve_map_for(struct curl_slist **out, struct resolve_map *m,
		       const char *url) PA_MUST_CHECK;
void resolve_map_free(struct resolve_map *m);

#endif
