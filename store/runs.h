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
	const char *scope;  /* "full" (crawl, audit) or "check"; NULL is "full" */
	const char *label;  /* a name people give the run (--label), or NULL */
	const char *state;  /* runs_get: "running", "done", "interrupted", "failed" */
	const char *params; /* command line options as given, for the record */
	int64_t crawl_run;  /* audit: the crawl it read; 0 otherwise */
	const char *ruleset, *ruleset_version, *ruleset_hash;
	const char *period, *as_of;
	const char *started_at, *finished_at; /* runs_get: UTC, ISO 8601; finished may be NULL */
	/* Audit: the rating bands (best first) and the stale credit it scored
	 * with; scored is false when the run records none (a crawl run). */
	const struct run_band *bands;
	size_t nbands;
	double stale_credit;
	bool scored;
	void **owned; /* runs_get: the allocations behind the fields above */
	size_t nowned;
};

/* Inserts a run in state "running" with its bands; sets ri->id.  A label
 * another run of the same kind has is ST_INVALID, and nothing is written. */
status runs_start(struct store *s, struct run_info *ri) PA_MUST_CHECK;
/* Records the one crawl run audit run id read (every school came from
 * crawl_run), so its reports name it. */
status runs_set_crawl(struct store *s, int64_t id, int64_t crawl_run) PA_MUST_CHECK;
/* Marks a run done, interrupted or failed, with its end time. */
status runs_finish(struct store *s, int64_t id, const char *state) PA_MUST_CHECK;
/* The newest run of a kind and scope "full" (any state when
 * include_unfinished, else done only): the runs of `check` are never the
 * newest run.  ST_NOTFOUND when none. */
status runs_latest(struct store *s, const char *kind, bool include_unfinished,
		   int64_t *id) PA_MUST_CHECK;
/* Loads run id into *out, which owns its strings until runs_info_release
 * (also after a failure).  ST_NOTFOUND when there is no such run. */
status runs_get(struct store *s, int64_t id, struct run_info *out) PA_MUST_CHECK;
void runs_info_release(struct run_info *ri);

/* ST_OK when label can name a run: 1 to 64 bytes, no control character,
 * not only digits (so it never reads as a run id); else ST_INVALID. */
status runs_label_check(const char *label) PA_MUST_CHECK;
/* The run of `kind` that ref names: a run id (digits) or a label.
 * ST_NOTFOUND, naming ref, when no run of that kind has it. */
status runs_resolve(struct store *s, const char *kind, const char *ref, int64_t *id) PA_MUST_CHECK;

/* The newest finished crawl of one school: the crawl run (any scope and
 * state; only run `only` when not 0) in which its site is done, newest by
 * the site's finish time, not older than not_before
 * ("YYYY-MM-DDTHH:MM:SSZ", or NULL for any age).  Sets *run and
 * finished_at (UTC, ISO 8601); ST_NOTFOUND when there is none. */
status runs_school_crawl(struct store *s, const char *school_id, int64_t only,
			 const char *not_before, int64_t *run, char finished_at[21]) PA_MUST_CHECK;

/* One line of `runs list`: a run with how many schools it covered (sites
 * of a crawl, scores of an audit). */
struct run_row {
	int64_t id;
	char *kind, *scope, *label, *period, *started_at, *finished_at, *state;
	long schools;
};
/* Every run, oldest first.  Free with runs_rows_free. */
status runs_list(struct store *s, struct run_row **out, size_t *n) PA_MUST_CHECK;
void runs_rows_free(struct run_row *v, size_t n);

#endif
