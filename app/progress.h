/* Crawl progress, for the people and the scripts that watch a crawl.
 *
 * PROGRESS_LIVE redraws one line on stdout (a terminal) at most every
 * 250 ms.  PROGRESS_PERIODIC writes a line to stderr every 10 s from a
 * thread of its own, so a log under cron or systemd shows that a crawl is
 * alive even while no page finishes:
 *
 *   crawl: progress schools=12/50 pages=345 errors=3 unreachable=1 elapsed_s=20 eta_s=63
 *
 * (eta_s=? until a school has finished).  $PA_PROGRESS_INTERVAL_MS
 * changes the 10 s, for tests.  progress_finish prints the summary line
 * scripts parse (README "Logs").
 *
 * The counters are updated on the crawl thread and read by the ticker
 * under the object's mutex. */
#ifndef APP_PROGRESS_H
#define APP_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/status.h"

enum progress_mode { PROGRESS_NONE, PROGRESS_LIVE, PROGRESS_PERIODIC };

struct progress;

/* Starts counting a crawl of nsites schools (and the ticker thread for
 * PROGRESS_PERIODIC).  ST_NOMEM, or ST_IO when the thread cannot start. */
status progress_new(struct progress **out, enum progress_mode mode, long nsites) PA_MUST_CHECK;
/* A page was fetched: with an error (or status >= 400), or answered 304. */
void progress_page(struct progress *p, bool error, bool unchanged);
/* A school is finished. */
void progress_site(struct progress *p, bool reachable);
/* Stops the ticker, clears the live line and prints to f, as the last
 * line of the crawl:
 *   crawl: STATE run=N schools=DONE/TOTAL reachable=N unreachable=N pages=N errors=N
 *   unchanged=N elapsed_s=N pages_per_s=N
 * (one line), STATE being done, interrupted or failed. */
void progress_finish(struct progress *p, FILE *f, const char *state, int64_t run);
/* Stops the ticker if still running; accepts NULL. */
void progress_free(struct progress *p);

#endif
