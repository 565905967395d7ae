/* The types a report is made from: its format and the context every
 * report states (struct report_meta).  Shared by the public API
 * (reports/report.h) and the writers inside reports/. */
#ifndef REPORTS_META_H
#define REPORTS_META_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "store/report_queries.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_HTML, REPORT_CSV, REPORT_MD, REPORT_XLSX };

/* One rating band: a score >= min earns rating (bands listed best first). */
struct rating_band_view {
	const char *rating;
	double min;
};

/* Scoring facts every report states: score = 100 × Σ(weight × credit) /
 * Σ weight, credit 1 for pass, stale_credit for stale, 0 otherwise. */
struct report_scoring {
	const struct rating_band_view *bands;
	size_t nbands;
	double stale_credit;
};

/* Where a report's numbers come from, stated by every report: when the
 * pages used were fetched, when the audit ran, the runs counted (the N-th
 * crawl, the N-th audit: never a database id), the program version and the
 * run label.  Every string may be NULL or "", every count 0: unknown. */
struct report_provenance {
	const char *crawl_from, *crawl_to; /* "YYYY-MM-DD HH:MM UTC" */
	const char *audited_at;            /* when the audit run finished (or started) */
	int64_t crawl_nth, audit_nth;
	const char *version; /* "portal-audit 0.1" */
	const char *label;   /* the audit run's label (runs), or NULL */
};

/* Context shared by all reports; every pointer may be NULL.  The school
 * result's own run ids, period, as_of and rule set win over these when set. */
struct report_meta {
	int64_t audit_run;
	int64_t crawl_run;
	const char *period, *as_of, *ruleset, *ruleset_version, *ruleset_hash;
	struct report_scoring scoring;
	const char *title; /* NULL: a default title per kind */
	/* The items and weights of the run, stated by reports that list no
	 * findings (adoption, compare); may be NULL. */
	const struct item_weight *weights;
	size_t nweights;
	/* When non-NULL and *stop becomes non-zero (a signal), writing stops
	 * with ST_INTERRUPTED; the output is then incomplete. */
	const volatile sig_atomic_t *stop;
	struct report_provenance prov;
	/* HTML links to other reports: NULL, a school's name links to
	 * ID.html beside the file (`report school --all -o DIR`); "/" (the
	 * dashboard, `serve`), to /school/ID, and a unit to /unit/U. */
	const char *links;
};

#endif
