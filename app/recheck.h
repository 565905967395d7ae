/* The re-check worker (issue 14): runs the re-checks queued in the store
 * (store/users.h rechecks_*), one at a time, each as `check --school ID`
 * runs: the same crawl options, politeness, address guard, config file
 * and rule set, then an audit of that one school.
 *
 * The result lands as a normal pair of runs of scope "check" (like the
 * check command): the crawl is the school's newest, so the next `audit`
 * reads it and the school's report shows it; the audit run is recorded in
 * the re-check (struct recheck.audit_run) for the dashboard's school page.
 * A one-school run of scope "full" would instead become "the newest
 * audit" of every city and unit report, leaving one school in them.
 *
 * A worker takes the store's writer lock (STORE_EXCLUSIVE) only while it
 * runs a re-check, so a `crawl` or `check` of the command line and the
 * worker never write at once; while another holds it, re-checks wait in
 * the queue. */
#ifndef APP_RECHECK_H
#define APP_RECHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app/app.h"

struct recheck_options {
	/* Crawl and rule set options as `check` takes them (--delay 500,
	 * --allow-addr CIDR, --rules PATH, ...), argv[0..argc-1]; none when
	 * argc is 0.  Borrowed. */
	int argc;
	char **argv;
	FILE *log; /* the crawl's summary line and errors; NULL: stderr */
};

/* What one re-check came to. */
struct recheck_outcome {
	int64_t id; /* the re-check, 0 when none was queued */
	bool ok;    /* done (the site may still have been unreachable) or failed */
	int64_t crawl_run, audit_run;
	char school_id[128];
	char text[256]; /* its last progress line */
};

/* Runs the oldest queued re-check, if any, with a's store, config and stop
 * flag.  Marks re-checks a dead worker left running as failed first.
 * ST_OK with out->id 0 when none is queued; ST_OK with out->ok false when
 * the re-check failed (recorded in the store); a failure to open the store
 * (another crawl holds its lock: ST_DB) or to read the queue is returned,
 * and the re-check stays queued. */
status recheck_worker_run_one(struct app *a, const struct recheck_options *o,
			      struct recheck_outcome *out) PA_MUST_CHECK;

/* A thread that runs queued re-checks until stopped: it looks at the
 * queue every poll_ms (and at once after recheck_worker_wake).  It works
 * on its own copy of a (its own stop flag); a and o must outlive it. */
struct recheck_worker;
status recheck_worker_start(struct recheck_worker **out, const struct app *a,
			    const struct recheck_options *o, int poll_ms) PA_MUST_CHECK;
/* Makes the worker look at the queue now (after a re-check was queued). */
void recheck_worker_wake(struct recheck_worker *w);
/* Stops the worker (a running crawl stops within about a second; its
 * re-check is marked failed), joins and frees it.  Accepts NULL. */
void recheck_worker_stop(struct recheck_worker *w);

#endif
