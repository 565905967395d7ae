/* The school registry: importing the registry CSV (DESIGN.md §3) into the
 * store's `schools` table, and reading it back.
 *
 * The file format:
 *   - UTF-8 (a BOM is allowed), RFC 4180 quoting, LF or CRLF line ends;
 *   - a header row naming the six columns school_id, name, unit, level,
 *     ownership, portal_url in any order (names are matched ignoring ASCII
 *     case and surrounding spaces).  Every column is required; an unknown
 *     or repeated column is an error, because a misspelt column would
 *     otherwise silently lose data;
 *   - optional columns former_unit (the district before 1/7/2025) and
 *     former_province (the province before 1/7/2025): a file that has one
 *     fills it on every row (an empty cell is an error naming file:line);
 *     a file without them keeps the stored values (docs/REGISTRY.md);
 *   - level: mn, th, thcs, thpt, gdtx, or a '+'-joined combination such as
 *     th+thcs (no repeats), stored in the canonical order mn, th, thcs,
 *     thpt, gdtx; ownership: cong_lap or ngoai_cong_lap (both in any ASCII
 *     case); portal_url: empty (no portal) or an http(s) URL with a host
 *     and no white space;
 *   - text is normalised to NFC, white space runs collapsed and trimmed;
 *     school_id may not contain white space or control characters;
 *   - rows whose every field is empty (blank lines, ",,,,,") are skipped.
 *
 * Import is all or nothing: the whole file is validated first, and on any
 * error nothing is written.  When the header itself is wrong the rows are
 * only checked for CSV syntax, since their columns are unknown.  Schools present in the store but
 * absent from the file are kept: a registry file may cover one district, and crawl and audit
 * history refers to school ids, so deleting is never implied. */
#ifndef STORE_REGISTRY_H
#define STORE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/finding.h"
#include "core/status.h"
#include "store/db.h"

/* Errors printed per import before the rest are only counted. */
#define REGISTRY_MAX_ERRORS 1000

struct registry_filter {
	const char *unit;  /* NULL = any; exact match after NFC normalisation */
	const char *level; /* NULL = any; a single level matches any component of a
			    * multi-level school; a combination matches exactly */
};

#define REGISTRY_FILTER_INIT \
	{                    \
		NULL, NULL   \
	}

struct import_result {
	int added, updated, unchanged, total; /* total = schools in the file */
	int errors;                           /* errors found (printed or not) */
};

/* Validates the whole file at path.  On any error prints every error as
 * "file:line: message" (line = physical line where the record starts,
 * header = 1) to errs, the first REGISTRY_MAX_ERRORS of them and then
 * "file: ... and N more errors", writes nothing, sets res->errors and
 * returns ST_INVALID (ST_IO or ST_LIMIT, with status_message(), when the
 * file cannot be read at all).  On success imports in one transaction:
 * new schools are added, changed ones updated (one line per school to
 * changes, e.g. "updated 79-Q01-TH-0001: name 'A' -> 'B'; portal_url
 * (none) -> 'http://x'", printed after the commit), unchanged ones left
 * alone, and *res filled.  Each change closes the school's entry in
 * school_history (valid_to) and opens a new one (valid_from); the units
 * named are recorded in `units` with their kind and parent.  errs and changes may be NULL.  ST_DB when the
 * store fails (the transaction is rolled back). */
status registry_import(struct store *s, const char *path, FILE *errs, FILE *changes,
		       struct import_result *res) PA_MUST_CHECK;

/* Lists the schools matching f (NULL = all) ordered by id.  *out is an
 * array of *n schools the caller frees with registry_list_free (NULL when
 * none).  ST_INVALID, with a message, when f->level is not a level. */
status registry_list(struct store *s, const struct registry_filter *f, struct school_info **out,
		     size_t *n) PA_MUST_CHECK;
void registry_list_free(struct school_info *v, size_t n);
/* Calls each(ctx, si) for every school matching f (NULL = all) in id
 * order, reading one row at a time, so a caller that keeps only part of
 * a row never holds the whole registry.  each may move fields out of *si
 * (leaving NULL); the rest is released after the call.  The first failure
 * of each ends the walk and is returned; ST_INVALID as registry_list. */
status registry_each(struct store *s, const struct registry_filter *f,
		     status (*each)(void *ctx, struct school_info *si), void *ctx) PA_MUST_CHECK;
/* A list of the rows a walk gives: registry_collect as the each callback
 * of registry_each (or of a walk built on it) with a struct
 * school_collector as ctx, zeroed first, moves every row into v.  The
 * list is ended by registry_collected. */
struct school_collector {
	struct school_info *v;
	size_t n, cap;
};
status registry_collect(void *ctx, struct school_info *si) PA_MUST_CHECK;
/* Ends a collection whose walk returned st: on success hands the list
 * over (*out, *n; NULL, 0 when empty), else frees it (*out NULL, *n 0).
 * Returns st. */
status registry_collected(struct school_collector *l, status st, struct school_info **out,
			  size_t *n);

/* One school by id into *out (the caller releases it with
 * school_info_release); ST_NOTFOUND when absent. */
status registry_get(struct store *s, const char *id, struct school_info *out) PA_MUST_CHECK;

/* Copies the whole registry, as it is now, into the frozen registry of
 * audit run run_id (table run_schools), which the reports of that run read
 * instead of the registry: a later import never changes a finished run. */
status registry_snapshot(struct store *s, int64_t run_id) PA_MUST_CHECK;

/* School id as the frozen registry of run run_id (registry_snapshot) has
 * it, into *out (release with school_info_release); ST_NOTFOUND when the
 * run's registry has no such school. */
status registry_run_school(struct store *s, int64_t run_id, const char *id,
			   struct school_info *out) PA_MUST_CHECK;

/* The kind of a unit by its name: phuong, xa, dac_khu (since 1/7/2025),
 * quan, huyen, thi_xa, thanh_pho (before), tinh, thanh_pho_tw (a
 * province-level city; province true), else khac (tinh_thanh for a
 * province).  *kind is static. */
status registry_unit_kind(const char *name, bool province, const char **kind) PA_MUST_CHECK;

/* Canonical form of a level value ("thcs+TH" -> "th+thcs") into *out
 * (malloc'd).  ST_INVALID with a message naming the value otherwise. */
status registry_level_canon(const char *level, char **out) PA_MUST_CHECK;

#endif
