/* Report writers: render audit results (core/finding.h structs) as text,
 * JSON, HTML, CSV, Markdown or XLSX.
 *
 * Writers never query the store; the caller fills the structs and keeps
 * owning them.  Every string in them may come from a hostile web site, so
 * each format escapes every string it prints (see reports/escape.h).
 * Output is deterministic: the same input gives byte-identical output
 * (JSON never prints the generation time).  Shapes: docs/REPORTS.md. */
#ifndef REPORTS_REPORT_H
#define REPORTS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/finding.h"
#include "core/status.h"
#include "reports/meta.h"
#include "store/report_queries.h"

/* "text", "json", "html", "csv", "md", "xlsx" (exact, lower case). */
status report_format_parse(const char *s, enum report_format *out) PA_MUST_CHECK;

/* One school (the `check` command and `report school ID`) to out.
 * ST_INVALID for a format not available (xlsx without libxlsxwriter),
 * ST_IO when writing fails. */
status report_school(FILE *out, enum report_format fmt, const struct report_meta *m,
		     const struct school_result *r) PA_MUST_CHECK;

/* Many schools.  kind is "unit", "city", "ranking" or "snapshot" (CSV: the
 * school × item table, one row per school); selector names the
 * unit (printed, not used to filter) or is NULL.  Schools with has_score
 * false are "could not be assessed": listed apart with their reason, never
 * ranked.  ST_INVALID for an unknown kind or format. */
status report_schools(FILE *out, enum report_format fmt, const char *kind, const char *selector,
		      const struct report_meta *m, const struct school_result *rs,
		      size_t n) PA_MUST_CHECK;

/* The adoption table of dispatch 3630: per unit, the schools with a
 * working portal (portal_reachable passed in the audit run) over all
 * registered schools, overall and per level, with a city total.  v holds
 * every school of the registry (report_queries_portals).  A multi-level
 * school counts once in "all" and once in each of its levels.  Input that
 * does not add up (a school absent from the run, a missing check, a
 * working portal without a registered URL, an unknown level) is counted
 * conservatively and flagged in the report's notes.  Shape: docs/REPORTS.md. */
status report_adoption(FILE *out, enum report_format fmt, const struct report_meta *m,
		       const struct portal_check *v, size_t n) PA_MUST_CHECK;

/* Two audit runs side by side: m/cur is the run reported, pm/prev the
 * earlier one it is compared with.  kind is "school" (cur and prev hold at
 * most one result each: per-item verdict changes and the score delta),
 * "unit", "city" or "ranking" (per-school and per-unit score deltas).
 * Statuses: improved, worsened, unchanged, new (only in the current run),
 * gone (only in the earlier one), not_crawled (not crawled for one run:
 * never a decline).  Shapes: docs/REPORTS.md. */
status report_compare(FILE *out, enum report_format fmt, const char *kind, const char *selector,
		      const struct report_meta *m, const struct school_result *cur, size_t ncur,
		      const struct report_meta *pm, const struct school_result *prev,
		      size_t nprev) PA_MUST_CHECK;

/* The adoption tables of two audit runs side by side: per unit, the
 * overall rate of each run and its change, and the schools whose portal
 * state changed. */
status report_adoption_compare(FILE *out, enum report_format fmt, const struct report_meta *m,
			       const struct portal_check *cur, size_t ncur,
			       const struct report_meta *pm, const struct portal_check *prev,
			       size_t nprev) PA_MUST_CHECK;

/* The notice letter (công văn) to one school that has a missing or stale
 * item (report_notice_due): per such item the requirement, what the audit
 * found and how to fix it, the deadline (YYYY-MM-DD, or NULL for a blank to
 * fill in) and a signature block; HTML for A4, at most two pages.  Shape:
 * docs/REPORTS.md.  ST_IO when writing fails. */
bool report_notice_due(const struct school_result *r);
status report_notice(FILE *out, const struct report_meta *m, const struct school_result *r,
		     const char *deadline) PA_MUST_CHECK;
/* Whether s is a date YYYY-MM-DD a letter can state. */
bool report_notice_date_ok(const char *s);
/* One school's results over periods (`report school ID --history`): v
 * holds one result per period, oldest first (report_queries_history);
 * m is the newest run's.  Per period the score, rating and change, and
 * per item the verdict of each period.  Shape: docs/REPORTS.md. */
status report_history(FILE *out, enum report_format fmt, const struct report_meta *m,
		      const struct school_result *v, size_t n) PA_MUST_CHECK;

#endif
