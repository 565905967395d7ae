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
/* Frees the politeness state of every host that no open site lives on
 * (site host or robots host), with nothing in flight, no back-off running
 * (busy) and its next start past: a site that comes to it later reads its
 * robots.txt first, as the first did, so nothing it would wait for is
 * lost.  Without it the table kept one host per site ever opened. */
void crawl_hosts_sweep(struct crawl *c, int64_t now);

#endif
