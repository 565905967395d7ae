/* Fuzz target: rules/dates.h, dates and school-year labels in page text.
 *
 * Every dates_* function runs on the input twice: as the plain form of
 * norm_fold (what the rules pass) and as raw text.  Found spans lie
 * inside the text, dates are real calendar dates with a sane time, school
 * years are consecutive, and the single-result functions agree with the
 * list ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/norm.h"
#include "core/schoolyear.h"
#include "rules/dates.h"
#include "tests/fuzz/fuzz.h"

#define MAXFOUND 64

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* span: whether d->len is set.  dates_find_post_date leaves it
 * indeterminate (finding F1 in docs/internals/fuzzing.md), so its span is
 * only checked with FUZZ_KNOWN_BUGS. */
static void check_date(const struct date_found *d, size_t textlen, bool span)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	FUZZ_CHECK(d->m >= 1 && d->m <= 12);
	FUZZ_CHECK(d->d >= 1 && d->d <= mdays[d->m - 1] + (d->m == 2 && leap(d->y)));
	FUZZ_CHECK(d->hour == -1 || (d->hour >= 0 && d->hour <= 23));
	FUZZ_CHECK(d->min == -1 || (d->min >= 0 && d->min <= 59));
	FUZZ_CHECK(d->start <= textlen);
	if (span)
		FUZZ_CHECK(d->len <= textlen - d->start);
}

/* Days since 1970-01-01 (proleptic Gregorian), for dates_working_days. */
static long long days_from_civil(int y, int m, int d)
{
	long long yy = y - (m <= 2);
	long long era = (yy >= 0 ? yy : yy - 399) / 400;
	long long yoe = yy - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;

	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void run_all(const char *s)
{
	size_t len = strlen(s), n;
	struct school_year sy, years[MAXFOUND];
	struct date_found d, dates[MAXFOUND];
	int year, first;
	bool one;

	one = dates_find_school_year(s, &sy);
	/* The list functions count every label but write at most max. */
	n = dates_find_school_years(s, years, MAXFOUND);
	FUZZ_CHECK(one == (n > 0));
	if (n > MAXFOUND)
		n = MAXFOUND;
	if (one)
		FUZZ_CHECK(sy.first == years[0].first && sy.start == years[0].start);
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(years[i].start <= len && years[i].len <= len - years[i].start);
		FUZZ_CHECK(i == 0 || years[i].start >= years[i - 1].start);
	}
	(void)dates_find_calendar_year(s, &year);

	n = dates_find_dates(s, dates, MAXFOUND);
	if (n > MAXFOUND)
		n = MAXFOUND;
	for (size_t i = 0; i < n; i++) {
		check_date(&dates[i], len, true);
		FUZZ_CHECK(i == 0 || dates[i].start >= dates[i - 1].start);
	}
	if (n >= 2) {
		long long a = days_from_civil(dates[0].y, dates[0].m, dates[0].d);
		long long b = days_from_civil(dates[1].y, dates[1].m, dates[1].d);
		long w = dates_working_days(a, b);

		FUZZ_CHECK(w >= 0 && (b <= a ? w == 0 : w <= b - a));
	}
	if (dates_find_post_date(s, false, &d))
		check_date(&d, len, true);
	if (dates_find_post_date(s, true, &d))
		check_date(&d, len, true);
	if (dates_find_document_date(s, &d))
		check_date(&d, len, true);
	if (dates_parse_http(s, &d)) {
		FUZZ_CHECK(d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= 31);
	}
	if (schoolyear_parse(s, &first) == ST_OK) {
		char again[32];
		int first2;

		FUZZ_CHECK(first >= 0 && first < 9999);
		snprintf(again, sizeof(again), "%04d-%04d", first, first + 1);
		FUZZ_CHECK(schoolyear_parse(again, &first2) == ST_OK && first2 == first);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = fuzz_cstr(data, size);
	char *plain = NULL;

	if (norm_fold(raw, size, NULL, &plain) == ST_OK) {
		run_all(plain);
		free(plain);
	}
	run_all(raw);
	free(raw);
	return 0;
}
