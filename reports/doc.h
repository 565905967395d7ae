/* A report made of tables: the adoption and compare reports.  doc_write
 * renders one in any format through the writer's doc entry, with the facts
 * every report states (runs, period, as-of date, rule set, weights, bands)
 * and its notes.  Internal to reports/. */
#ifndef REPORTS_DOC_H
#define REPORTS_DOC_H

#include <stdbool.h>
#include <stdio.h>

#include "reports/out.h"
#include "reports/meta.h"
#include "reports/table.h"
#include "reports/view.h"

#define DOC_MAX_TABLES 4

struct doc {
	const char *kind;          /* "adoption", "city", ... */
	const char *selector;      /* unit or school id, or NULL */
	struct report_facts facts; /* the run reported; title: Vietnamese (trusted) */
	struct report_facts prev;  /* compare: the earlier run (has_prev) */
	bool has_prev;
	const struct table *tables[DOC_MAX_TABLES];
	size_t ntables;
	/* CSV holds one table: this one (an index into tables). */
	size_t csv_table;
	/* HTML: a bar chart (see html.c) drawn before the tables; none when
	 * chart_title is NULL. */
	const char *chart_title;
	const char *const *chart_labels;
	const double *chart_values;
	const bool *chart_has;
	size_t chart_n;
	bool chart_pct;
	/* adoption: every registered school (borrowed), for the XLSX sheets
	 * laid out as the appendix of dispatch 3630; NULL otherwise. */
	const struct portal_check *portals;
	size_t nportals;
	char **notes; /* inconsistencies of the input, printed as given (escaped) */
	size_t nnotes;
};

/* Zeroes d and resolves the facts of m, and of pm when it is not NULL (a
 * comparison); the title is trusted text.  Release with doc_release. */
status doc_init(struct doc *d, const char *kind, const char *title, const struct report_meta *m,
		const struct report_meta *pm) PA_MUST_CHECK;
void doc_release(struct doc *d);

/* Renders d; fails only when writing fails (ST_IO) or out of memory, or
 * with ST_INVALID for xlsx without libxlsxwriter. */
status doc_write(FILE *f, enum report_format fmt, const struct doc *d) PA_MUST_CHECK;

/* In reports/json.c, for writers with their own JSON shape: the "meta"
 * object of d (title, runs, period, as-of, rule set, scoring with
 * weights), and the array of its notes. */
void json_doc_meta(struct out *o, const struct doc *d);
void json_doc_notes(struct out *o, const struct doc *d);

#endif
