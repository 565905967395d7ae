/* A plain table (typed columns, rows of cells) and its rendering in every
 * text format, so the adoption, compare and city tables are written once
 * and look alike everywhere.  XLSX renders tables in reports/xlsx.c.
 * Internal to reports/.
 *
 * A table owns its column names and the strings given to table_own; cell
 * strings set with table_text are borrowed and must outlive the table.
 * Errors are sticky: the first failure is kept in t->st and later calls do
 * nothing, so builders check once at the end. */
#ifndef REPORTS_TABLE_H
#define REPORTS_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"
#include "reports/out.h"

enum col_type {
	COL_TEXT,    /* untrusted text */
	COL_INT,     /* a count */
	COL_SCORE,   /* a score, one decimal in human formats */
	COL_PCT,     /* a fraction 0..1 shown as a percentage */
	COL_DELTA,   /* a signed change of score, one decimal, coloured */
	COL_PDELTA,  /* a signed change of a fraction, shown in percentage points */
	COL_STATUS,  /* a compare status key: improved, worsened, ... (trusted) */
	COL_VERDICT, /* a verdict key: pass, stale, ... (trusted) */
	COL_LEVEL    /* a level code (mn, th+thcs, ...): its name in human formats */
};

struct col {
	char *key;   /* machine name: JSON key, CSV header */
	char *label; /* Vietnamese header (trusted text) */
	enum col_type type;
};

struct cell {
	bool set; /* false: empty (— in human formats, null in JSON) */
	const char *s;
	double v;
};

struct table {
	const char *key;   /* JSON key of the rows; CSV/sheet identifier */
	const char *title; /* Vietnamese heading (trusted) */
	const char *sheet; /* XLSX sheet name (<= 31 characters); NULL: key */
	struct col *cols;
	size_t ncols;
	struct cell *cells; /* nrows × ncols */
	size_t nrows, cap;
	size_t foot; /* with has_foot: rows from this index on are totals (bold) */
	bool has_foot;
	char **owned;
	size_t nowned;
	status st;
};

void table_init(struct table *t, const char *key, const char *title);
void table_release(struct table *t);
/* Adds a column (before the first row). */
void table_col(struct table *t, const char *key, const char *label, enum col_type type);
/* Appends an empty row and returns its index (the previous one on failure). */
size_t table_row(struct table *t);
/* Marks the rows appended from now on as total rows. */
void table_foot(struct table *t);
bool table_is_foot(const struct table *t, size_t row);
void table_text(struct table *t, size_t row, size_t col, const char *s);
void table_num(struct table *t, size_t row, size_t col, double v);
/* Takes ownership of s (malloc'd) and sets it; s NULL fails with ST_NOMEM. */
void table_own(struct table *t, size_t row, size_t col, char *s);
const struct cell *table_cell(const struct table *t, size_t row, size_t col);

/* Vietnamese label of a compare status key. */
const char *table_status_label(const char *key);

/* Renderers; each prints the whole table (title included where the
 * format has headings). */
void table_write_text(struct out *o, const struct table *t);
void table_write_md(struct out *o, const struct table *t);
/* RFC 4180 rows with a header of column keys; no BOM (the caller's). */
void table_write_csv(struct out *o, const struct table *t);
/* An array of objects keyed by column key, one row per line, indented by
 * `indent` spaces. */
void table_write_json(struct out *o, const struct table *t, int indent);
void table_write_html(struct out *o, const struct table *t);

#endif
