/* Starting requests (crawl thread): visits the open sites round-robin and
 * starts, for each, what its state asks for (robots.txt, the start page,
 * the probe, sitemaps, the frontier within its budgets) as far as
 * max_connections, per_host and the hosts' delays allow. */
#ifndef CRAWLER_CRAWL_SCHED_H
#define CRAWLER_CRAWL_SCHED_H

#include "crawler/crawl_state.h"

/* One scheduling pass; sets c->wake_ms to when something may start next.
 * Fails on memory or a callback's failure. */
status crawl_schedule(struct crawl *c) PA_MUST_CHECK;
/* Whether the budgets of s forbid fetching anything more of its
 * frontier (nothing in flight may change that: see gate in the .c). */
bool crawl_gate_end(const struct crawl *c, const struct site *s);

#endif
