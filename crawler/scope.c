#include "crawler/scope.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/norm.h"
#include "core/str.h"
#include "core/urlsplit.h"

#define SCOPE_MAX_SEGMENTS 30
#define SCOPE_MAX_REPEAT 3

/* The extension of the URL's last path segment, lower case, without the
 * dot; "" when none. */
static void extension(const char *url, char *out, size_t out_len)
{
	struct urlsplit u;
	const char *p, *end, *slash, *dot;
	size_t n, i;

	urlsplit(&u, url);
	p = u.authority.ptr;
	end = p + strcspn(p, "?#");
	slash = p;
	for (const char *q = p; q < end; q++)
		if (*q == '/')
			slash = q;
	dot = NULL;
	for (const char *q = slash; q < end; q++)
		if (*q == '.')
			dot = q;
	out[0] = '\0';
	if (!dot || slash == p)
		return;
	n = (size_t)(end - dot - 1);
	if (n >= out_len)
		return;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)dot[1 + i]);
	out[n] = '\0';
}

static bool ext_in(const char *url, const char *const *list)
{
	char ext[16];

	extension(url, ext, sizeof(ext));
	if (!ext[0])
		return false;
	for (; *list; list++)
		if (strcmp(ext, *list) == 0)
			return true;
	return false;
}

bool scope_is_asset(const char *url)
{
	static const char *const assets[] = {
		"css", "js",   "mjs", "map",  "png",  "jpg",   "jpeg", "gif",  "svg", "ico",
		"bmp", "webp", "tif", "tiff", "woff", "woff2", "ttf",  "otf",  "eot", "zip",
		"rar", "7z",   "gz",  "tgz",  "tar",  "bz2",   "mp3",  "mp4",  "m4a", "wav",
		"avi", "mov",  "wmv", "flv",  "webm", "mkv",   "mpg",  "mpeg", "swf", "exe",
		"msi", "apk",  "iso", "dmg",  "json", "xml",   NULL};

	return ext_in(url, assets);
}

bool scope_is_document(const char *url)
{
	static const char *const docs[] = {"pdf",  "doc", "docx", "xls", "xlsx", "ppt",
					   "pptx", "odt", "ods",  "odp", "rtf",  NULL};

	return ext_in(url, docs);
}

bool scope_is_trap(const char *url)
{
	const char *p, *seg[SCOPE_MAX_SEGMENTS + 1];
	size_t len[SCOPE_MAX_SEGMENTS + 1], nseg = 0, i, j;
	struct urlsplit u;

	if (strlen(url) > SCOPE_MAX_URL)
		return true;
	urlsplit(&u, url);
	p = u.absolute ? u.path : NULL;
	while (p && *p == '/') {
		const char *s = p + 1;
		size_t n = strcspn(s, "/?#");

		if (nseg == SCOPE_MAX_SEGMENTS)
			return true;
		seg[nseg] = s;
		len[nseg++] = n;
		p = s + n;
	}
	for (i = 0; i < nseg; i++) {
		int same = 1;

		if (len[i] == 0)
			continue;
		for (j = i + 1; j < nseg; j++)
			if (len[j] == len[i] && memcmp(seg[i], seg[j], len[i]) == 0)
				same++;
		if (same > SCOPE_MAX_REPEAT)
			return true;
	}
	return false;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

status scope_canonical(char **out, const char *url)
{
	const char *h, *path, *p;
	struct urlsplit u;
	char *res;
	size_t hlen;

	*out = NULL;
	urlsplit(&u, url);
	h = u.host.ptr;
	path = u.path;
	/* The platform serves hcm.edu.vn and other provinces' edu.vn portals
	 * (hanoi.edu.vn, school subsites of a district's edu.vn). */
	hlen = u.host.len;
	if (!(hlen >= 7 && strncasecmp(h + hlen - 7, ".edu.vn", 7) == 0) || *path != '/') {
		*out = str_dup(url);
		goto done;
	}
	for (p = path; *p == '/'; p += 1 + strcspn(p + 1, "/?#")) {
		const char *s = p + 1, *a, *b;
		size_t n = strcspn(s, "/?#"), vl;

		if (!((n == 4 && memcmp(s, "ctmb", 4) == 0) ||
		      (n == 6 && memcmp(s, "ctfull", 6) == 0)))
			continue;
		a = s + n;
		if (*a != '/' || !all_digits(a + 1, strcspn(a + 1, "/?#")))
			continue;
		b = a + 1 + strcspn(a + 1, "/?#");
		vl = strcspn(b + 1, "/?#");
		if (*b != '/' || !all_digits(b + 1, vl))
			continue;
		/* Replace the view segment by "ct". */
		res = malloc(strlen(url) + 1);
		if (!res)
			break;
		memcpy(res, url, (size_t)(s - url));
		memcpy(res + (s - url), "ct", 2);
		memcpy(res + (s - url) + 2, a, strlen(a) + 1);
		*out = res;
		return ST_OK;
	}
	*out = str_dup(url);
done:
	return *out ? ST_OK : status_set(ST_NOMEM, "out of memory");
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The URL's path and query, percent-decoded, with separators as spaces,
 * so "/cong-khai/cam-ket" can match the keyword "cong khai". */
static char *url_words(const char *url)
{
	const char *p;
	struct urlsplit u;
	char *out, *w;

	urlsplit(&u, url);
	p = u.path;
	out = malloc(strlen(p) + 1);
	if (!out)
		return NULL;
	for (w = out; *p && *p != '#'; p++) {
		if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			*w++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			p += 2;
		} else if (strchr("-_/.+=&?", *p)) {
			*w++ = ' ';
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return out;
}

/* The number of words of a keyword: "cam ket chat luong" says more about
 * a link than "nam hoc", so it weighs more. */
static int words(const char *kw)
{
	int n = 1;

	for (; *kw; kw++)
		n += *kw == ' ';
	return n;
}

static char *plain_of(const char *s)
{
	char *plain = NULL;

	if (!s || !*s || norm_fold(s, strlen(s), NULL, &plain) < 0)
		return NULL;
	return plain;
}

/* The score of a link, and how many words of its folded anchor text
 * there are and how many of them keywords cover (overlaps counted). */
static int score_parts(const char *url, const char *text, const char *const *keywords, size_t n,
		       int *text_words, int *text_hits, char **plain_out)
{
	char *t, *u, *words_of_url;
	int score = 0;
	size_t i;

	*text_words = *text_hits = 0;
	if (plain_out)
		*plain_out = NULL;
	if (n == 0)
		return 0;
	t = plain_of(text);
	words_of_url = url_words(url);
	u = plain_of(words_of_url);
	free(words_of_url);
	if (t && *t)
		*text_words = words(t);
	for (i = 0; i < n; i++) {
		bool in_text;

		if (!keywords[i] || !*keywords[i])
			continue;
		in_text = t && strstr(t, keywords[i]);
		if (in_text)
			*text_hits += words(keywords[i]);
		if (in_text || (u && strstr(u, keywords[i])))
			score += words(keywords[i]);
	}
	if (plain_out)
		*plain_out = t;
	else
		free(t);
	free(u);
	return score;
}

int scope_score(const char *url, const char *text, const char *const *keywords, size_t n)
{
	int tw, th;

	return score_parts(url, text, keywords, n, &tw, &th, NULL);
}

int scope_priority(const char *url, const char *text, const char *const *keywords, size_t n)
{
	return scope_score(url, text, keywords, n) > 0 ? 0 : 1;
}

int scope_focus_min(const char *const *keywords, size_t n)
{
	int total = 0;
	size_t i;

	for (i = 0; i < n && total < SCOPE_FOCUS_MIN; i++)
		if (keywords[i] && *keywords[i])
			total += words(keywords[i]);
	return total < SCOPE_FOCUS_MIN ? (total > 0 ? total : 1) : SCOPE_FOCUS_MIN;
}

/* Whether the folded anchor text names the news section: only words of
 * the section's usual names, with "tin tuc" or "thong bao" among them
 * (a post title such as "Thông báo tuyển sinh" has other words). */
static bool news_label_plain(const char *t)
{
	static const char *const ok[] = {"tin", "tuc", "su", "kien", "thong",
					 "bao", "moi", "va", NULL};
	bool good = strlen(t) <= 48 && (strstr(t, "tin tuc") || strstr(t, "thong bao"));

	for (const char *p = t; good && *p;) {
		size_t k = 0;
		const char *const *w;

		while (*p && !isalnum((unsigned char)*p))
			p++;
		while (isalnum((unsigned char)p[k]))
			k++;
		if (k == 0)
			break;
		for (w = ok; *w && !(strlen(*w) == k && memcmp(*w, p, k) == 0); w++)
			;
		good = *w != NULL;
		p += k;
	}
	return good;
}

static bool news_label(const char *text)
{
	char *t;
	bool good;

	/* A label is short: skip folding news titles. */
	if (!text || !*text || strlen(text) > 96 || !(t = plain_of(text)))
		return false;
	good = news_label_plain(t);
	free(t);
	return good;
}

/* A page number >= 2 at s (digits, then the end of the segment or an
 * extension). */
static bool page_number(const char *s)
{
	long v = 0;
	size_t k = 0;

	while (isdigit((unsigned char)s[k]) && k < 6)
		v = v * 10 + (s[k++] - '0');
	return k > 0 && v >= 2 && (s[k] == '\0' || strchr("/.?#&", s[k]));
}

/* The URL's path has a news segment and a numbered page: ".../trang-N",
 * ".../page/N", "?page=N" (or trang=, p=). */
static bool news_pagination(const char *url)
{
	static const char *const news[] = {"/tin-tuc", "/tintuc", "/thong-bao", "/news", NULL};
	const char *path, *q;
	struct urlsplit u;
	bool in_news = false;

	urlsplit(&u, url);
	path = u.path;
	for (const char *const *w = news; *w && !in_news; w++) {
		const char *hit = strstr(path, *w);
		size_t k = strlen(*w);

		in_news = hit && strchr("/.?#-", hit[k] ? hit[k] : '/') &&
			  (hit[k] != '-' || strncmp(hit + k, "-su-kien", 8) == 0);
	}
	if (!in_news)
		return false;
	for (q = path; *q && *q != '#'; q++) {
		bool seg = q == path || q[-1] == '/';

		if (*q == '/' && strncmp(q, "/page/", 6) == 0 && page_number(q + 6))
			return true;
		if (seg && strncmp(q, "trang-", 6) == 0 && page_number(q + 6))
			return true;
		if ((*q == '?' || *q == '&') &&
		    (strncmp(q + 1, "page=", 5) == 0 || strncmp(q + 1, "trang=", 6) == 0) &&
		    page_number(q + (q[1] == 'p' ? 6 : 7)))
			return true;
	}
	return false;
}

bool scope_is_news_list(const char *url, const char *text)
{
	return (text && *text && news_label(text)) || (url && news_pagination(url));
}

static bool minor_plain(const char *t);

int scope_rank(const char *url, const char *text, const char *const *keywords, size_t n)
{
	char *t = NULL;
	int tw, th, score = score_parts(url, text, keywords, n, &tw, &th, &t), rank;

	if (score > 0 && score >= scope_focus_min(keywords, n))
		rank = -score;
	/* "Công khai", "Ba công khai": a short label made of keywords names a
	 * section, unlike a news title that merely mentions "năm học". */
	else if (th > 0 && th * 3 >= tw * 2)
		rank = SCOPE_RANK_SECTION;
	/* The text is folded once per link (this runs for every link). */
	else if ((t ? news_label_plain(t) : news_label(text)) || (url && news_pagination(url)))
		rank = SCOPE_RANK_LIST;
	else
		rank = SCOPE_RANK_OTHER;
	/* Weekly menus and meal photos are fetched, the newest few, but never
	 * before the disclosures (under TT 09/2024 menus are items too, so
	 * they are not dropped). */
	if (rank < SCOPE_RANK_SECTION_MINOR && t && minor_plain(t))
		rank = SCOPE_RANK_SECTION_MINOR;
	free(t);
	return rank;
}

/* ---- disclosure sections: pagination, posts, list dates ------------------- */

/* Query parameters that number the pages of a list. */
static const char *const page_params[] = {"page",  "trang",      "p",       "pg",
					  "paged", "pageindex",  "pagenum", "pagenumber",
					  "start", "limitstart", "cur",     NULL};

/* A run of 1-6 digits ending at the end of a segment, an extension or a
 * query: its value, or -1. */
static long digits_at(const char *s, size_t *len)
{
	long v = 0;
	size_t k = 0;

	while (isdigit((unsigned char)s[k]) && k < 6)
		v = v * 10 + (s[k++] - '0');
	*len = k;
	return k > 0 && (s[k] == '\0' || strchr("/.?#&", s[k])) ? v : -1;
}

/* Cuts [from, to) out of a copy of url, then the extension of the last
 * path segment and a final '/': the first page of a list is "/cong-khai/",
 * "/cong-khai.html" or "/cong-khai.aspx" beside "/cong-khai/trang-2.html". */
static char *cut(const char *url, const char *from, const char *to)
{
	size_t head = (size_t)(from - url), n = strlen(url);
	char *k = malloc(n + 1), *q, *dot, *path;
	struct urlsplit u;

	if (!k)
		return NULL;
	memcpy(k, url, head);
	memcpy(k + head, to, n - (size_t)(to - url) + 1);
	urlsplit(&u, k);
	path = k + (u.path - k);
	q = k + strcspn(k, "?#");
	if (q > path + 1 && q[-1] == '/') {
		memmove(q - 1, q, strlen(q) + 1);
		q--;
	}
	for (dot = q - 1; dot > path && isalnum((unsigned char)*dot) && q - dot <= 6; dot--)
		;
	if (dot > path + 1 && *dot == '.' && q - dot >= 3 && dot[-1] != '/')
		memmove(dot, q, strlen(q) + 1);
	return k;
}

/* The page number in the query: "name=N" of page_params, cut out. */
static bool listing_query(const char *url, char **key, long *num)
{
	const char *q = strchr(url, '?');

	for (; q && *q && *q != '#'; q = strpbrk(q + 1, "&#")) {
		const char *name = q + 1, *eq = name + strcspn(name, "=&#");
		size_t nl = (size_t)(eq - name), dl;
		long v;

		if (*eq != '=' || *q == '#')
			continue;
		for (const char *const *w = page_params; *w; w++) {
			if (strlen(*w) != nl || strncasecmp(name, *w, nl) != 0)
				continue;
			v = digits_at(eq + 1, &dl);
			if (v < 0 || (eq[1 + dl] != '\0' && !strchr("&#", eq[1 + dl])))
				break;
			/* "?page=3&x=1" -> "?x=1": keep the separator before the rest. */
			if (eq[1 + dl] == '&')
				*key = *q == '?' ? cut(url, q + 1, eq + 2 + dl)
						 : cut(url, q, eq + 1 + dl);
			else
				*key = cut(url, q, eq + 1 + dl);
			*num = v;
			return true;
		}
	}
	return false;
}

/* The page number in the path: "/trang-N", "/page-N", "/p-N" (an extension
 * may follow, it stays on the key), or "/page/N", "/trang/N". */
static bool listing_path(const char *url, char **key, long *num)
{
	static const char *const dash[] = {"trang-", "page-", "p-", NULL};
	static const char *const slash[] = {"page/", "trang/", NULL};
	const char *p, *end;
	struct urlsplit u;

	urlsplit(&u, url);
	p = u.path;
	end = p + strcspn(p, "?#");
	for (const char *s = p; s < end && *s == '/'; s = s + 1 + strcspn(s + 1, "/?#")) {
		const char *seg = s + 1;
		size_t dl;
		long v;

		for (const char *const *w = dash; *w; w++) {
			size_t wl = strlen(*w);

			if (strncasecmp(seg, *w, wl) != 0 || (v = digits_at(seg + wl, &dl)) < 0)
				continue;
			*key = cut(url, s, seg + wl + dl);
			*num = v;
			return true;
		}
		for (const char *const *w = slash; *w; w++) {
			size_t wl = strlen(*w);

			if (strncasecmp(seg, *w, wl) != 0 || (v = digits_at(seg + wl, &dl)) < 0)
				continue;
			*key = cut(url, s, seg + wl + dl);
			*num = v;
			return true;
		}
	}
	return false;
}

status scope_listing(const char *url, char **key, long *num)
{
	*key = NULL;
	*num = 1;
	if (!listing_query(url, key, num) && !listing_path(url, key, num)) {
		const char *q = url + strcspn(url, "?#");

		*key = cut(url, q, q); /* only the final '/' goes */
	}
	return *key ? ST_OK : status_set(ST_NOMEM, "out of memory");
}

/* scope_is_minor_post of folded text. */
static bool minor_plain(const char *t)
{
	static const char *const minor[] = {
		"thuc don",  "bua an",        "hinh anh",  "suat an",        "khau phan",
		"gio an",    "lich cong tac", "lich tuan", "thoi khoa bieu", "lich hoc",
		"lich truc", "video",         NULL};
	bool hit = false, post = false;

	for (const char *const *w = minor; *w && !hit; w++)
		hit = strstr(t, *w) != NULL;
	if (hit) {
		post = words(t) > 4;
		for (const char *q = t; *q && !post; q++)
			post = isdigit((unsigned char)*q);
	}
	return hit && post;
}

bool scope_is_minor_post(const char *text)
{
	char *t;
	bool minor;

	if (!text || !*text || strlen(text) > 600 || !(t = plain_of(text)))
		return false;
	minor = minor_plain(t);
	free(t);
	return minor;
}

int scope_section_rank(const char *text)
{
	/* Words of disclosure titles, fixed (the crawler does not read the
	 * rule set): a generic post "Hồ sơ công khai năm học …", a form
	 * "Biểu mẫu 09", a budget "Công khai quyết toán năm 2017". */
	static const char *const named[] = {"cong khai",  "bieu mau",  "thong tu",  "ho so",
					    "quy che",    "tai chinh", "ngan sach", "du toan",
					    "quyet toan", "thu chi",   "hoc phi",   "bao cao",
					    NULL};
	char *t;
	bool kw = false;

	if (scope_is_minor_post(text))
		return SCOPE_RANK_SECTION_MINOR;
	if (text && *text && strlen(text) <= 600 && (t = plain_of(text))) {
		for (const char *const *w = named; *w && !kw; w++)
			kw = strstr(t, *w) != NULL;
		free(t);
	}
	return kw ? SCOPE_RANK_SECTION_POST_KW : SCOPE_RANK_SECTION_POST;
}

static bool disclosure_words(const char *s)
{
	static const char *const words_of[] = {"cong khai", "thuc don",  "suat an",
					       "bua an",    "khau phan", NULL};
	char *t;
	bool hit = false;

	if (!s || !*s || strlen(s) > 2048 || !(t = plain_of(s)))
		return false;
	for (const char *const *w = words_of; *w && !hit; w++)
		hit = strstr(t, *w) != NULL;
	free(t);
	return hit;
}

bool scope_is_disclosure_page(const char *url, const char *title, const char *const *headings,
			      size_t nheadings)
{
	char *u = url ? url_words(url) : NULL;
	bool hit = disclosure_words(u) || disclosure_words(title);

	free(u);
	for (size_t i = 0; i < nheadings && i < 3 && !hit; i++)
		hit = disclosure_words(headings[i]);
	return hit;
}

/* A number of 1-2 (day, month) or 4 (year) digits at s, not inside a
 * longer number. */
static int num_at(const char *s, const char *start, int min, int max, const char **end)
{
	int v = 0, k = 0;

	if (s > start && isdigit((unsigned char)s[-1]))
		return -1;
	while (isdigit((unsigned char)s[k]) && k < max)
		v = v * 10 + (s[k++] - '0');
	if (k < min || isdigit((unsigned char)s[k]))
		return -1;
	*end = s + k;
	return v;
}

static bool valid_date(int y, int m, int d)
{
	return y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

void scope_count_dates(const char *text, long cutoff, int *total, int *older)
{
	const char *s;

	*total = *older = 0;
	for (s = text ? text : ""; *s; s++) {
		const char *e, *e2, *e3;
		int a, b, c;
		long ymd = 0;

		if (!isdigit((unsigned char)*s))
			continue;
		a = num_at(s, text, 1, 4, &e);
		if (a < 0)
			continue;
		if (e - s == 4 && *e == '-' && (b = num_at(e + 1, text, 2, 2, &e2)) >= 0 &&
		    *e2 == '-' && (c = num_at(e2 + 1, text, 2, 2, &e3)) >= 0 &&
		    valid_date(a, b, c)) {
			ymd = (long)a * 10000 + b * 100 + c; /* 2017-09-29 */
		} else if (e - s <= 2 && (*e == '/' || *e == '-' || *e == '.') &&
			   (b = num_at(e + 1, text, 1, 2, &e2)) >= 0 && *e2 == *e &&
			   (c = num_at(e2 + 1, text, 4, 4, &e3)) >= 0 && valid_date(c, b, a)) {
			ymd = (long)c * 10000 + b * 100 + a; /* 29/09/2017 */
		} else if (e - s <= 2 && strncmp(e, " tháng ", 8) == 0 &&
			   (b = num_at(e + 8, text, 1, 2, &e2)) >= 0 &&
			   strncmp(e2, " năm ", 6) == 0 &&
			   (c = num_at(e2 + 6, text, 4, 4, &e3)) >= 0 && valid_date(c, b, a)) {
			ymd = (long)c * 10000 + b * 100 + a; /* 29 tháng 9 năm 2017 */
		}
		if (ymd) {
			(*total)++;
			*older += ymd < cutoff;
			s = e3 - 1;
		} else {
			s = e - 1;
		}
	}
}

int scope_doc_rank(const char *url, const char *text, const char *const *keywords, size_t n,
		   bool on_disclosure, bool in_chrome)
{
	/* The file name counts as text: url_words reads its slug. */
	int score = scope_score(url, text, keywords, n);
	char *u;
	bool named;

	if (on_disclosure && !in_chrome)
		return score > 0 && score >= scope_focus_min(keywords, n) ? -score
									  : SCOPE_RANK_SECTION;
	if (score <= 0 || score < scope_focus_min(keywords, n))
		return SCOPE_DOC_SKIP;
	/* Elsewhere only what names a disclosure: the focus keywords also
	 * find learning materials ("tài liệu ôn tập"), which are read from
	 * their links. */
	named = scope_section_rank(text) == SCOPE_RANK_SECTION_POST_KW;
	if (!named && (u = url_words(url)) != NULL) {
		named = scope_section_rank(u) == SCOPE_RANK_SECTION_POST_KW;
		free(u);
	}
	return named ? -score : SCOPE_DOC_SKIP;
}
