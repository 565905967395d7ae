/* Crawl and audit runs: the record of what was done, with which
 * parameters, and whether it finished. */
#ifndef STORE_RUNS_H
#define STORE_RUNS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

struct run_info {
	int64_t id;
	const char *kind;     /* "crawl" or "audit" */
	const char *params;   /* command line options as given, for the record */
	int64_t crawl_run;    /* audit: the crawl it read; 0 otherwise */
	const char *ruleset, *ruleset_version, *ruleset_hash;
	const char *period, *as_of;
	const char *scoring;  /* audit: "A=90;B=80;C=65;D=50;E=0;stale=0.5" */
};

/* Inserts a run in state "running"; sets ri->id. */
status runs_start(struct store *s, struct run_info *ri) PA_MUST_CHECK;
/* Marks a run done, interrupted or failed, with its end time. */
status runs_finish(struct store *s, int64_t id, const char *state) PA_MUST_CHECK;
/* The newest run of a kind (any state when include_unfinished, else done
 * only); ST_NOTFOUND when none. */
status runs_latest(struct store *s, const char *kind, bool include_unfinished, int64_t *id) PA_MUST_CHECK;
/* Loads the fields of a run; strings are malloc'd into the out-pointers
 * that are non-NULL (free them). ST_NOTFOUND when absent. */
status runs_get(struct store *s, int64_t id, char **kind, int64_t *crawl_run, char **period,
		char **as_of, char **ruleset, char **ruleset_version, char **ruleset_hash) PA_MUST_CHECK;
/* The scoring string of an audit run (malloc'd; NULL when none). */
status runs_scoring(struct store *s, int64_t id, char **scoring) PA_MUST_CHECK;

#endif
