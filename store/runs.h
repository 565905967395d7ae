/* Crawl and audit runs: the record of what was done, with which
 * parameters, and whether it finished. */
#ifndef STORE_RUNS_H
#define STORE_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

/* One rating band of an audit run: a score >= min earns rating. */
struct run_band {
	const char *rating;
	double min;
};

/* A run record.  runs_start reads it (strings borrowed); runs_get fills
 * it, and then it owns every string and band until runs_info_release. */
struct run_info {
	int64_t id;
	const char *kind;   /* "crawl" or "audit" */
	const char *state;  /* runs_get: "running", "done", "interrupted", "failed" */
	const char *params; /* command line options as given, for the record */
	int64_t crawl_run;  /* audit: the crawl it read; 0 otherwise */
	const char *ruleset, *ruleset_version, *ruleset_hash;
	const char *period, *as_of;
	/* Audit: the rating bands (best first) and the stale credit it scored
	 * with; scored is false when the run records none (a crawl run). */
	const struct run_band *bands;
	size_t nbands;
	double stale_credit;
	bool scored;
	void **owned; /* runs_get: the allocations behind the fields above */
	size_t nowned;
};

/* Inserts a run in state "running" with its bands; sets ri->id. */
status runs_start(struct store *s, struct run_info *ri) PA_MUST_CHECK;
/* Marks a run done, interrupted or failed, with its end time. */
status runs_finish(struct store *s, int64_t id, const char *state) PA_MUST_CHECK;
/* The newest run of a kind (any state when include_unfinished, else done
 * only); ST_NOTFOUND when none. */
status runs_latest(struct store *s, const char *kind, bool include_unfinished,
		   int64_t *id) PA_MUST_CHECK;
/* Loads run id into *out, which owns its strings until runs_info_release
 * (also after a failure).  ST_NOTFOUND when there is no such run. */
status runs_get(struct store *s, int64_t id, struct run_info *out) PA_MUST_CHECK;
void runs_info_release(struct run_info *ri);

#endif
