/* The history form of the school report (reports/history.c), behind
 * report_history.  Internal to reports/. */
#ifndef REPORTS_HISTORY_H
#define REPORTS_HISTORY_H

#include <stdio.h>

#include "reports/meta.h"

status history_write(FILE *f, enum report_format fmt, const struct report_meta *m,
		     const struct school_result *v, size_t n) PA_MUST_CHECK;

#endif
