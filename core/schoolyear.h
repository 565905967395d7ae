/* The school year, the one place that knows how it is counted: it turns
 * over on 1 August (tựu trường), "2024-2025" names the one that starts in
 * August 2024, and a school year is held as that first calendar year. */
#ifndef CORE_SCHOOLYEAR_H
#define CORE_SCHOOLYEAR_H

#include "core/status.h"

/* The first month of a school year. */
#define SCHOOLYEAR_FIRST_MONTH 8

/* The school year that month m (1-12) of year y belongs to. */
int schoolyear_first(int y, int m);
/* The school year of a "YYYY-MM-DD" date; ST_INVALID for a date that is
 * not a real one or whose school year has no four-digit name. */
status schoolyear_of_date(const char *date, int *first) PA_MUST_CHECK;
/* Parses a period "YYYY-YYYY" (the second year the first plus one, the
 * first from 1990 to 2099); ST_INVALID with the reason otherwise. */
status schoolyear_parse(const char *period, int *first) PA_MUST_CHECK;
/* Writes the period "YYYY-YYYY" of a school year (first 1000 to 9998). */
void schoolyear_format(int first, char out[10]);

#endif
