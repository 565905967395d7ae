#include "core/clock.h"

#include <string.h>

int64_t clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_date(time_t t, char out[11])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void clock_datetime(time_t t, char out[21])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dm[m - 1];
}

status clock_parse_date(const char *s, int *y, int *m, int *d)
{
	int v[3] = {0, 0, 0};
	size_t i;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return status_set(ST_INVALID, "'%s' is not a date of the form YYYY-MM-DD",
				  s ? s : "");
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return status_set(ST_INVALID, "'%s' is not a date of the form YYYY-MM-DD",
					  s);
		v[i < 4 ? 0 : i < 7 ? 1 : 2] = v[i < 4 ? 0 : i < 7 ? 1 : 2] * 10 + (s[i] - '0');
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > days_in_month(v[0], v[1]))
		return status_set(ST_INVALID, "'%s' is not a calendar date", s);
	*y = v[0];
	*m = v[1];
	*d = v[2];
	return ST_OK;
}

int64_t clock_days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's days_from_civil. */
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}
