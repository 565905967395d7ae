/* Writers of the adoption report (reports/adoption_write.c), behind
 * report_adoption and report_adoption_compare.  Internal to reports/. */
#ifndef REPORTS_ADOPTION_WRITE_H
#define REPORTS_ADOPTION_WRITE_H

#include <stdio.h>

#include "reports/meta.h"

status adoption_write(FILE *f, enum report_format fmt, const struct report_meta *m,
		      const struct portal_check *v, size_t n) PA_MUST_CHECK;

status adoption_write_compare(FILE *f, enum report_format fmt, const struct report_meta *m,
			      const struct portal_check *cur, size_t ncur,
			      const struct report_meta *pm, const struct portal_check *prev,
			      size_t nprev) PA_MUST_CHECK;

#endif
