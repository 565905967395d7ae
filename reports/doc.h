/* A report made of tables: the adoption and compare reports.  doc_write
 * renders one in any format with the facts every report states (runs,
 * period, as-of date, rule set, weights, bands) and its notes.  Internal
 * to reports/. */
#ifndef REPORTS_DOC_H
#define REPORTS_DOC_H

#include <stdio.h>

#include "reports/out.h"
#include "reports/report.h"
#include "reports/table.h"

#define DOC_MAX_TABLES 4

struct doc {
	const char *kind;		/* "adoption", "city", ... */
	const char *selector;		/* unit or school id, or NULL */
	const char *title;		/* Vietnamese title (trusted) */
	const struct report_meta *m;	/* the run reported */
	const struct report_meta *prev; /* compare: the earlier run, else NULL */
	const struct table *tables[DOC_MAX_TABLES];
	size_t ntables;
	/* CSV holds one table: this one (an index into tables). */
	size_t csv_table;
	/* HTML: a bar chart (see html_bars) drawn before the tables; none
	 * when chart_title is NULL. */
	const char *chart_title;
	const char *const *chart_labels;
	const double *chart_values;
	const bool *chart_has;
	size_t chart_n;
	bool chart_pct;
	char **notes; /* inconsistencies of the input, printed as given (escaped) */
	size_t nnotes;
};

/* Renders d; fails only when writing fails (ST_IO) or out of memory, or
 * with ST_INVALID for xlsx without libxlsxwriter. */
status doc_write(FILE *f, enum report_format fmt, const struct doc *d) PA_MUST_CHECK;

/* The JSON "meta" object of d (title, runs, period, as-of, rule set,
 * scoring with weights), for writers with their own JSON shape. */
void doc_json_meta(struct out *o, const struct doc *d);
/* The JSON array of d's notes. */
void doc_json_notes(struct out *o, const struct doc *d);

/* XLSX rendering, in reports/xlsx.c: a sheet per table plus the facts. */
status xlsx_write_doc(FILE *f, const struct doc *d) PA_MUST_CHECK;

#endif
