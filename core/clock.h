/* Time helpers: monotonic milliseconds for budgets, and calendar dates as
 * "YYYY-MM-DD" strings (UTC) for the store and reports. */
#ifndef CORE_CLOCK_H
#define CORE_CLOCK_H

#include <stdint.h>
#include <time.h>

#include "core/status.h"

int64_t clock_ms(void);      /* monotonic */
int64_t clock_wall_ms(void); /* since the epoch */
/* Writes "YYYY-MM-DD" (11 bytes with NUL) for t, in UTC. */
void clock_date(time_t t, char out[11]);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with NUL) for t, in UTC. */
void clock_datetime(time_t t, char out[21]);
/* Parses "YYYY-MM-DD" strictly (a real calendar date). */
status clock_parse_date(const char *s, int *y, int *m, int *d) PA_MUST_CHECK;
/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t clock_days_from_civil(int y, int m, int d);

#endif
