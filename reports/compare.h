/* The compare form of the school, unit, city and ranking reports
 * (reports/compare.c), behind report_compare.  Internal to reports/. */
#ifndef REPORTS_COMPARE_H
#define REPORTS_COMPARE_H

#include <stdio.h>

#include "reports/meta.h"

status compare_write(FILE *f, enum report_format fmt, const char *kind, const char *selector,
		     const struct report_meta *m, const struct school_result *cur, size_t ncur,
		     const struct report_meta *pm, const struct school_result *prev,
		     size_t nprev) PA_MUST_CHECK;

#endif
