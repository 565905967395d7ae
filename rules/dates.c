#include "rules/dates.h"

#include <string.h>
#include <strings.h>

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

		if (i >= n && memcmp(s + i - n, words[w], n) == 0 &&
		    (i == n || !is_alnum(s[i - n - 1])))
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

	/* "18/9/2026, 20:22", "07/01/2015 | 22:34", "9 thang 1 2015 luc 15:08" */
	if (j > i || s[i] == ',') {
		if (s[j] == ',' || s[j] == '|' || s[j] == '-')
			j = skip_spaces(s, j + 1);
		else if (strncmp(s + j, "luc ", 4) == 0)
			j = skip_spaces(s, j + 4);
	}
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
		if (lb == 2 && s[i + 7] == '-' && read_num(s, i + 8, &c) == 2 &&
		    real_date(a, b, c)) {
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

/* The first date whose digits start within `window` bytes after s[i]
 * (spaces, ':', ',', '-' and the word "ngay"/"luc" in between). */
static bool date_after(const char *s, size_t i, size_t window, struct date_found *out)
{
	for (size_t k = i; s[k] && k <= i + window; k++) {
		if (is_digit(s[k])) {
			struct date_found f;
			size_t end = date_at(s, k, &f);

			if (end) {
				*out = f;
				out->start = k;
				out->len = end - k;
				return true;
			}
			return false;
		}
		if (is_alnum(s[k]) && strncmp(s + k, "ngay", 4) != 0 &&
		    strncmp(s + k, "luc", 3) != 0)
			return false;
		if (strncmp(s + k, "ngay", 4) == 0)
			k += 3;
		else if (strncmp(s + k, "luc", 3) == 0)
			k += 2;
	}
	return false;
}

/* The first label of `labels` (whole words) followed by a date. */
static bool labelled(const char *s, const char *const *labels, size_t n, struct date_found *out)
{
	bool found = false;

	for (size_t w = 0; w < n; w++) {
		size_t len = strlen(labels[w]);

		for (const char *p = strstr(s, labels[w]); p; p = strstr(p + 1, labels[w])) {
			struct date_found f;

			if ((p > s && is_alnum(p[-1])) || is_alnum(p[len]))
				continue;
			if (date_after(s, (size_t)(p - s) + len, 16, &f)) {
				if (!found || f.start < out->start)
					*out = f;
				found = true;
				break;
			}
		}
	}
	return found;
}

bool dates_find_post_date(const char *plain, bool updated, struct date_found *out)
{
	static const char *const posted[] = {"ngay dang",      "dang ngay",     "dang luc",
					     "thoi gian dang", "ngay dang tin", "thu hai",
					     "thu ba",         "thu tu",        "thu nam",
					     "thu sau",        "thu bay",       "chu nhat"};
	static const char *const edited[] = {"cap nhat", "ngay cap nhat", "cap nhat luc",
					     "sua doi lan cuoi"};

	if (labelled(plain, posted, sizeof(posted) / sizeof(posted[0]), out))
		return true;
	return updated && labelled(plain, edited, sizeof(edited) / sizeof(edited[0]), out);
}

bool dates_in_citation(const char *s, size_t at)
{
	static const char *const kinds[] = {
		"thong tu", "nghi dinh", "nghi quyet",  "quyet dinh",   "cong van", "chi thi",
		"luat ",    "can cu",    "ke hoach so", "huong dan so", "/tt-",     "/nd-",
		"/qd-",     "/nq-",      "/cv-",        "/ct-",         "/kh-",     "/hd-",
		"/bgddt",   "/sgddt",    "/gddt",       "/ubnd"};
	size_t from = at > 60 ? at - 60 : 0, i, num;

	/* The clause: back to the last '.', ';' or ':' (not one inside a
	 * number such as 5.2017) before the date. */
	for (i = at; i > from; i--) {
		char ch = s[i - 1];

		if ((ch == ';' || ch == ':' || ch == '.') &&
		    !(i >= 2 && is_digit(s[i - 2]) && is_digit(s[i])))
			break;
	}
	from = i;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		size_t n = strlen(kinds[k]);

		for (i = from; i + n <= at; i++)
			if (memcmp(s + i, kinds[k], n) == 0 &&
			    (kinds[k][0] == '/' || i == 0 || !is_alnum(s[i - 1])))
				return true;
	}
	/* A document number "12/2017/..." or "35/QD-..." just before. */
	num = at > 40 ? at - 40 : 0;
	for (i = from > num ? from : num; i + 3 < at; i++)
		if (is_digit(s[i]) && s[i + 1] == '/' && !is_digit(s[i + 2]))
			return true;
	return false;
}

bool dates_find_document_date(const char *s, struct date_found *out)
{
	for (const char *p = strstr(s, "ngay "); p; p = strstr(p + 1, "ngay ")) {
		size_t i = (size_t)(p - s) + 5;
		struct date_found f;
		const char *cc;

		if ((p > s && is_alnum(p[-1])) || !is_digit(s[i]) || !words_date(s, i, &f))
			continue;
		/* "Can cu Quyet dinh so 2045/QD-BGDDT ngay 6 thang 8 nam 2024":
		 * a cited document, unless a sentence ended since. */
		cc = p - s > 160 ? p - 160 : s;
		{
			const char *last = NULL;

			for (const char *q = strstr(cc, "can cu"); q && q < p;
			     q = strstr(q + 1, "can cu"))
				last = q;
			if (last && !memchr(last, ';', (size_t)(p - last)) &&
			    !memchr(last, '.', (size_t)(p - last)))
				continue;
		}
		if (dates_in_citation(s, (size_t)(p - s)))
			continue;
		f.hour = f.min = -1;
		f.start = (size_t)(p - s);
		f.len = 0;
		*out = f;
		return true;
	}
	return false;
}

static int month_of(const char *s)
{
	static const char *const names[] = {"jan", "feb", "mar", "apr", "may", "jun",
					    "jul", "aug", "sep", "oct", "nov", "dec"};

	for (int i = 0; i < 12; i++)
		if (strncasecmp(s, names[i], 3) == 0)
			return i + 1;
	return 0;
}

/* "hh:mm" at p. */
static bool hh_mm(const char *p, int *h, int *mi)
{
	int a, b;

	if (read_num(p, 0, &a) != 2 || p[2] != ':' || read_num(p, 3, &b) != 2 || a > 23 || b > 59)
		return false;
	*h = a, *mi = b;
	return true;
}

bool dates_parse_http(const char *s, struct date_found *out)
{
	const char *p = s ? strchr(s, ' ') : NULL;
	int d = 0, m = 0, y = 0, h = -1, mi = -1;
	size_t k;

	if (!p)
		return false;
	p++;
	if (is_digit(*p)) { /* "06 Nov 1994 08:49:37 GMT" or RFC 850 "06-Nov-94 08:49:37 GMT" */
		k = read_num(p, 0, &d);
		if (k < 1 || k > 2 || (p[k] != ' ' && p[k] != '-') || strlen(p + k) < 5)
			return false;
		m = month_of(p + k + 1);
		p += k + 5;
		k = read_num(p, 0, &y);
		if (k == 2)
			y += y < 70 ? 2000 : 1900;
		else if (k != 4)
			return false;
		p = skip_spaces(p, k) + p;
		if (!hh_mm(p, &h, &mi))
			h = mi = -1;
	} else { /* asctime "Sun Nov  6 08:49:37 1994" */
		const char *q;

		m = month_of(p);
		if (!m)
			return false;
		p += skip_spaces(p, 3);
		k = read_num(p, 0, &d);
		if (k < 1 || k > 2)
			return false;
		p += skip_spaces(p, k);
		if (!hh_mm(p, &h, &mi))
			h = mi = -1;
		q = strrchr(p, ' ');
		if (!q || read_num(q + 1, 0, &y) != 4)
			return false;
	}
	if (!m || !real_date(y, m, d))
		return false;
	memset(out, 0, sizeof(*out));
	out->y = y, out->m = m, out->d = d;
	out->hour = h, out->min = mi;
	return true;
}

long dates_working_days(long long from, long long to)
{
	long long n, weeks, rest, wd;

	if (to <= from)
		return 0;
	n = to - from;
	weeks = n / 7;
	rest = n % 7;
	/* 1970-01-01 was a Thursday: weekday (0 Monday) = (days + 3) mod 7. */
	wd = ((from + 1 + 3) % 7 + 7) % 7;
	n = weeks * 5;
	for (long long i = 0; i < rest; i++)
		if ((wd + i) % 7 < 5)
			n++;
	return (long)n;
}
