/* The frontier of one site: the URLs still to fetch, in priority order,
 * and the set of URLs already queued or fetched, so each is fetched once.
 *
 * Order: lower priority value first (the crawl uses scope_rank: focus
 * links negative, the strongest first, others 0), then
 * smaller depth (breadth first), then insertion order.  The frontier owns
 * one copy of each URL it has seen, which its queue refers to.  Not thread-safe: one per site, used by the
 * crawl thread only. */
#ifndef CRAWLER_FRONTIER_H
#define CRAWLER_FRONTIER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

/* Past this many queued URLs a site is a trap or a huge portal we will
 * not finish anyway; later pushes are dropped. */
#define FRONTIER_MAX 100000

struct frontier;

status frontier_new(struct frontier **out) PA_MUST_CHECK;
void frontier_free(struct frontier *f);

/* Queues url unless it was seen before (then *added is false).  Also
 * marks it seen.  A URL still waiting in the queue moves up when pushed
 * again with a lower prio (*added stays false). */
status frontier_push(struct frontier *f, const char *url, int depth, int prio,
		     bool *added) PA_MUST_CHECK;
/* Marks url seen without queueing it (e.g. the final URL of a redirect). */
status frontier_mark(struct frontier *f, const char *url) PA_MUST_CHECK;
bool frontier_seen(const struct frontier *f, const char *url);
/* Takes the next URL: *url is the frontier's (the seen set keeps one copy
 * of each URL, which the queue refers to), valid until frontier_free.
 * Returns false when the frontier is empty. */
bool frontier_pop(struct frontier *f, const char **url, int *depth);
size_t frontier_len(const struct frontier *f);
/* The priority of the URL frontier_pop would take next; INT_MAX when the
 * frontier is empty. */
int frontier_top_prio(struct frontier *f);
/* The URL frontier_pop would take next (owned by the frontier, valid
 * until it changes), or NULL when it is empty. */
const char *frontier_top_url(struct frontier *f);

/* Remembers the sitemap lastmod of url (marking it seen if it was not);
 * frontier_lastmod gives it back, or NULL. */
status frontier_set_lastmod(struct frontier *f, const char *url, const char *lastmod) PA_MUST_CHECK;
const char *frontier_lastmod(const struct frontier *f, const char *url);

#endif
