/* The report writer descriptor: one const table per format, one file each
 * (reports/json.c, html.c, text.c, csv.c, md.c, xlsx.c), gathered in the
 * registry of reports/report.c.  Internal to reports/. */
#ifndef REPORTS_WRITER_H
#define REPORTS_WRITER_H

#include <stdio.h>

#include "core/finding.h"
#include "reports/report.h"
#include "reports/view.h"

struct report_writer {
	const char *name;
	enum report_format format;
	/* One school; m is never NULL. */
	status (*school)(FILE *f, const struct report_meta *m, const struct school_result *r);
	/* Many schools, prepared by view_new. */
	status (*schools)(FILE *f, const struct report_view *v);
};

extern const struct report_writer text_writer;
extern const struct report_writer json_writer;
extern const struct report_writer html_writer;
extern const struct report_writer csv_writer;
extern const struct report_writer md_writer;
extern const struct report_writer xlsx_writer;

#endif
