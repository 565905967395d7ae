#include "crawler/scope.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/norm.h"
#include "core/str.h"

#define SCOPE_MAX_SEGMENTS 30
#define SCOPE_MAX_REPEAT 3

/* The extension of the URL's last path segment, lower case, without the
 * dot; "" when none. */
static void extension(const char *url, char *out, size_t out_len)
{
	const char *p = strstr(url, "://"), *end, *slash, *dot;
	size_t n, i;

	p = p ? p + 3 : url;
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
					   "pptx", "odt", "ods",  "odp", "rtf",	 NULL};

	return ext_in(url, docs);
}

bool scope_is_trap(const char *url)
{
	const char *p = strstr(url, "://"), *seg[SCOPE_MAX_SEGMENTS + 1];
	size_t len[SCOPE_MAX_SEGMENTS + 1], nseg = 0, i, j;

	if (strlen(url) > SCOPE_MAX_URL)
		return true;
	p = p ? strchr(p + 3, '/') : NULL;
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
	const char *h = strstr(url, "://"), *path, *p;
	char *res;
	size_t hlen;

	*out = NULL;
	h = h ? h + 3 : url;
	path = h + strcspn(h, "/?#");
	hlen = (size_t)(path - h);
	if (!(hlen >= 10 && strncasecmp(path - 10, "hcm.edu.vn", 10) == 0 &&
	      (hlen == 10 || path[-11] == '.')) ||
	    *path != '/') {
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
	const char *p = strstr(url, "://");
	char *out, *w;

	p = p ? p + 3 + strcspn(p + 3, "/?#") : url;
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
	static const char *const ok[] = {"tin", "tuc", "su", "kien", "thong", "bao", "moi", "va",
					 NULL};
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
	const char *p = strstr(url, "://"), *path, *q;
	bool in_news = false;

	path = p ? p + 3 + strcspn(p + 3, "/?#") : url;
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
		if ((*q == '?' || *q == '&') && (strncmp(q + 1, "page=", 5) == 0 ||
						 strncmp(q + 1, "trang=", 6) == 0) &&
		    page_number(q + (q[1] == 'p' ? 6 : 7)))
			return true;
	}
	return false;
}

bool scope_is_news_list(const char *url, const char *text)
{
	return (text && *text && news_label(text)) || (url && news_pagination(url));
}

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
	free(t);
	return rank;
}
