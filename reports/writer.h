/* The report writer descriptor: one const table per format, one file each
 * (reports/json.c, html.c, text.c, csv.c, md.c, xlsx.c), gathered in the
 * registry of reports/report.c.  Every entry renders the facts it is given
 * (struct report_facts) and never resolves them itself.  Internal to
 * reports/. */
#ifndef REPORTS_WRITER_H
#define REPORTS_WRITER_H

#include <stdio.h>

#include "core/finding.h"
#include "reports/city.h"
#include "reports/meta.h"
#include "reports/view.h"

struct doc; /* reports/doc.h */

struct report_writer {
	const char *name;
	enum report_format format;
	/* One school; fx holds its facts (view_facts_school). */
	status (*school)(FILE *f, const struct report_facts *fx, const struct school_result *r);
	/* Many schools, prepared by view_new, with the units and levels
	 * tables of city_new (printed when v->show_units, v->show_levels). */
	status (*schools)(FILE *f, const struct report_view *v, const struct city *c);
	/* A report made of tables (adoption, compare), see reports/doc.h. */
	status (*doc)(FILE *f, const struct doc *d);
};

/* The writer of a format; NULL for a value outside the enum. */
const struct report_writer *report_writer_get(enum report_format fmt);

extern const struct report_writer text_writer;
extern const struct report_writer json_writer;
extern const struct report_writer html_writer;
extern const struct report_writer csv_writer;
extern const struct report_writer md_writer;
extern const struct report_writer xlsx_writer;

#endif
