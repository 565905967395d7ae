/* Helpers for commands that print reports: the report_meta of an audit
 * run (with its rating bands parsed back from the run record), and
 * all-or-nothing output files. */
#ifndef APP_REPORT_OUT_H
#define APP_REPORT_OUT_H

#include <stdio.h>

#include "reports/report.h"
#include "store/db.h"
#include "store/report_queries.h"
#include "store/runs.h"

struct meta_holder {
	struct report_meta meta;
	struct run_info run; /* the record the meta points into */
	struct rating_band_view *bands;
	struct item_weight *weights;
	size_t nweights;
	struct run_provenance prov;
	char crawl_from[32], crawl_to[32], audited_at[32];
};

/* The meta of an audit run: runs, period, as-of, rule set, bands, stale
 * credit and the item weights it scored with, as the run record holds
 * them.  Release with app_report_meta_release. */
status app_report_meta(struct store *s, int64_t audit_run, struct meta_holder *h) PA_MUST_CHECK;
void app_report_meta_release(struct meta_holder *h);

/* Output to a file is written to a temporary file beside it and renamed
 * into place only when complete, so a failed report (full disk, bad
 * input) never leaves a partial file.  path NULL or "-" means stdout.
 * The temporary file is "PATH.portal-audit-PID-XXXXXX.tmp"; out_open
 * first removes those a killed report to PATH left (their PID is dead). */
struct out_file {
	FILE *f;
	char *path, *tmp;
};
status out_open(struct out_file *o, const char *path) PA_MUST_CHECK;
/* Commits (ok) or discards the output. */
status out_close(struct out_file *o, bool ok) PA_MUST_CHECK;

#endif
