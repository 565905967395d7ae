#include "rules/dates.h"

#include <string.h>

#include "core/clock.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads a run of digits at s[i] (at most 9); returns its length, 0 if none. */
static size_t read_num(const char *s, size_t i, int *v)
{
	size_t k = 0;
	int n = 0;

	while (is_digit(s[i + k]) && k < 9)
		n = n * 10 + (s[i + k++] - '0');
	if (is_digit(s[i + k]))
		return 0; /* too long to be a date part */
	*v = n;
	return k;
}

static size_t skip_spaces(const char *s, size_t i)
{
	while (s[i] == ' ')
		i++;
	return i;
}

static bool plausible_year(int y)
{
	return y >= 1990 && y <= 2099;
}

/* Whether the text just before i ends with "nam hoc" or "nh" (spaces,
 * '-' and ':' allowed in between), so short forms like "17-18" count. */
static bool after_sy_word(const char *s, size_t i)
{
	static const char *const words[] = {"nam hoc", "nam-hoc", "nh"};

	while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == ':' || s[i - 1] == '-' || s[i - 1] == '.'))
		i--;
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		size_t n = strlen(words[w]);

		if (i >= n && memcmp(s + i - n, words[w], n) == 0 && (i == n || !is_alnum(s[i - n - 1])))
			return true;
	}
	return false;
}

static bool is_sy_sep(char c)
{
	return c == '-' || c == '_' || c == '/';
}

/* Tries a school-year label whose first digit run starts at i; returns the
 * end offset, or 0. */
static size_t sy_at(const char *s, size_t i, int *first)
{
	int a = 0, b = 0;
	size_t la = read_num(s, i, &a), j, lb;

	if (la == 8 && plausible_year(a / 10000) && a % 10000 == a / 10000 + 1) {
		*first = a / 10000; /* "20172018" */
		return i + 8;
	}
	if (la != 4 && la != 2)
		return 0;
	j = skip_spaces(s, i + la);
	if (!is_sy_sep(s[j]))
		return 0;
	j = skip_spaces(s, j + 1);
	lb = read_num(s, j, &b);
	if (la == 4 && lb == 4 && plausible_year(a) && b == a + 1) {
		*first = a;
		return j + 4;
	}
	/* Short forms are only safe after "nam hoc"/"NH": "17-18" alone could
	 * be anything (a page range, a score). */
	if (!after_sy_word(s, i))
		return 0;
	if (la == 4 && lb == 2 && plausible_year(a) && b == (a + 1) % 100) {
		*first = a;
		return j + 2;
	}
	if (la == 2 && lb == 2 && b == (a + 1) % 100) {
		*first = 2000 + a;
		return j + 2;
	}
	return 0;
}

size_t dates_find_school_years(const char *s, struct school_year *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; s[i]; i++) {
		int first;
		size_t end;

		if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1])))
			continue;
		end = sy_at(s, i, &first);
		if (!end)
			continue;
		if (n < max)
			out[n] = (struct school_year){first, i, end - i};
		n++;
		i = end - 1;
	}
	return n;
}

bool dates_find_school_year(const char *plain, struct school_year *out)
{
	struct school_year sy;

	if (dates_find_school_years(plain, &sy, 1) == 0)
		return false;
	*out = sy;
	return true;
}

bool dates_find_calendar_year(const char *s, int *year)
{
	for (const char *p = strstr(s, "nam"); p; p = strstr(p + 1, "nam")) {
		size_t i = (size_t)(p - s) + 3;
		int y;

		if (p > s && is_alnum(p[-1]))
			continue;
		i = skip_spaces(s, i);
		if (strncmp(s + i, "tai chinh", 9) == 0)
			i = skip_spaces(s, i + 9);
		if (read_num(s, i, &y) != 4 || !plausible_year(y))
			continue;
		/* "nam 2017-2018" is a school year, not a calendar year. */
		{
			int f;

			if (sy_at(s, i, &f))
				continue;
		}
		*year = y;
		return true;
	}
	return false;
}

static bool real_date(int y, int m, int d)
{
	char buf[16];
	int yy, mm, dd;

	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	/* clock_parse_date knows month lengths and leap years. */
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return clock_parse_date(buf, &yy, &mm, &dd) == ST_OK;
}

/* Reads an optional time "hh:mm" at s[i] (after spaces, or after 'T');
 * returns the new end. */
static size_t read_time(const char *s, size_t i, struct date_found *f)
{
	size_t j = s[i] == 't' || s[i] == 'T' ? i + 1 : skip_spaces(s, i);
	int h, m;
	size_t lh = read_num(s, j, &h), lm;

	if ((lh == 1 || lh == 2) && s[j + lh] == ':') {
		lm = read_num(s, j + lh + 1, &m);
		if (lm == 2 && h < 24 && m < 60) {
			f->hour = h;
			f->min = m;
			return j + lh + 1 + lm;
		}
	}
	return i;
}

/* "d thang m [nam] yyyy" starting at the day number; returns end or 0. */
static size_t words_date(const char *s, size_t i, struct date_found *f)
{
	int d, m, y;
	size_t ld = read_num(s, i, &d), j, lm, ly;

	if (ld < 1 || ld > 2)
		return 0;
	j = skip_spaces(s, i + ld);
	if (strncmp(s + j, "thang", 5) != 0)
		return 0;
	j = skip_spaces(s, j + 5);
	lm = read_num(s, j, &m);
	if (lm < 1 || lm > 2)
		return 0;
	j = skip_spaces(s, j + lm);
	if (strncmp(s + j, "nam", 3) == 0)
		j = skip_spaces(s, j + 3);
	ly = read_num(s, j, &y);
	if (ly != 4 || !real_date(y, m, d))
		return 0;
	f->y = y, f->m = m, f->d = d;
	return j + 4;
}

static size_t date_at(const char *s, size_t i, struct date_found *f)
{
	int a, b, c;
	size_t la = read_num(s, i, &a), j, lb, lc;
	char sep;

	f->hour = f->min = -1;
	if (la == 4 && s[i + 4] == '-') { /* ISO 8601 */
		lb = read_num(s, i + 5, &b);
		if (lb == 2 && s[i + 7] == '-' && read_num(s, i + 8, &c) == 2 && real_date(a, b, c)) {
			f->y = a, f->m = b, f->d = c;
			return read_time(s, i + 10, f);
		}
		return 0;
	}
	if (la < 1 || la > 2)
		return 0;
	sep = s[i + la];
	if (sep == '/' || sep == '-' || sep == '.') {
		j = i + la + 1;
		lb = read_num(s, j, &b);
		if (lb >= 1 && lb <= 2 && s[j + lb] == sep) {
			lc = read_num(s, j + lb + 1, &c);
			if (lc == 4 && real_date(c, b, a)) {
				f->y = c, f->m = b, f->d = a;
				return read_time(s, j + lb + 1 + 4, f);
			}
		}
		return 0;
	}
	j = words_date(s, i, f);
	return j ? read_time(s, j, f) : 0;
}

size_t dates_find_dates(const char *s, struct date_found *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; s[i]; i++) {
		struct date_found f;
		size_t end, start = i;

		if (!is_digit(s[i]) || (i > 0 && is_digit(s[i - 1])))
			continue;
		end = date_at(s, i, &f);
		if (!end)
			continue;
		/* "ngay 29 thang 9 nam 2017": the span starts at "ngay". */
		if (start >= 5 && strncmp(s + start - 5, "ngay ", 5) == 0)
			start -= 5;
		f.start = start;
		f.len = end - start;
		if (n < max)
			out[n] = f;
		n++;
		i = end - 1;
	}
	return n;
}

status dates_parse_period(const char *period, int *first)
{
	int a = 0, b = 0;

	if (!period || read_num(period, 0, &a) != 4 || period[4] != '-' ||
	    read_num(period, 5, &b) != 4 || period[9] != '\0' || b != a + 1 || !plausible_year(a))
		return status_set(ST_INVALID, "bad period \"%s\": want YYYY-YYYY, e.g. 2017-2018",
				  period ? period : "(null)");
	*first = a;
	return ST_OK;
}
