/* Pieces of the HTML writer shared with the table-based reports
 * (reports/doc.c).  Internal to reports/. */
#ifndef REPORTS_HTML_H
#define REPORTS_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reports/out.h"
#include "reports/report.h"
#include "reports/view.h"

/* The document start up to <body>: charset, title (escaped), the inline
 * stylesheet with its print rules. */
void html_head(struct out *o, const char *title);
/* One <dt>label</dt><dd>value</dd> of a facts list; value is escaped
 * ("—" when NULL or empty), label is trusted. */
void html_fact(struct out *o, const char *label, const char *value);
void html_ruleset_fact(struct out *o, const char *name, const char *version, const char *hash);
/* The footer every report carries (runs, rule set, formula, weights,
 * bands) and the document end.  Weights are items[] or, when nitems is 0,
 * m->weights. */
void html_footer(struct out *o, const struct report_meta *m, int64_t crawl_run, int64_t audit_run,
		 const char *period, const char *as_of, const char *rs[3],
		 const struct view_item *items, size_t nitems);
/* A horizontal bar chart (inline SVG), one bar per label (escaped);
 * values are fractions 0..1 drawn as percentages when pct, else scores
 * 0..100; has[i] false draws no bar ("—"). */
void html_bars(struct out *o, const char *title, const char *const *labels, const double *values,
	       const bool *has, size_t n, bool pct);

#endif
