#include "core/schoolyear.h"

#include <stdio.h>

#include "core/clock.h"

int schoolyear_first(int y, int m)
{
	return m >= SCHOOLYEAR_FIRST_MONTH ? y : y - 1;
}

status schoolyear_of_date(const char *date, int *first)
{
	int y, m, d;
	status st = clock_parse_date(date, &y, &m, &d);

	if (st < 0)
		return st;
	y = schoolyear_first(y, m);
	if (y < 1000 || y > 9998)
		return status_set(ST_INVALID, "'%s' is outside the years this program knows", date);
	*first = y;
	return ST_OK;
}

/* Four ASCII digits at s, or -1. */
static int four_digits(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

status schoolyear_parse(const char *period, int *first)
{
	int a, b;

	if (!period || (a = four_digits(period)) < 0 || period[4] != '-' ||
	    (b = four_digits(period + 5)) < 0 || period[9] != '\0' || b != a + 1 || a < 1990 ||
	    a > 2099)
		return status_set(ST_INVALID, "bad period \"%s\": want YYYY-YYYY, e.g. 2017-2018",
				  period ? period : "(null)");
	*first = a;
	return ST_OK;
}

void schoolyear_format(int first, char out[10])
{
	snprintf(out, 10, "%04u-%04u", (unsigned)first % 10000u, (unsigned)(first + 1) % 10000u);
}
