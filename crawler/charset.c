#include "crawler/charset.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/norm.h"

/* How far into a body a <meta charset> is looked for (the HTML standard's
 * prescan uses 1024 bytes; real pages put a long <head> first). */
#define SNIFF_WINDOW 4096

static void copy_name(const char *s, size_t n, char *out, size_t out_len)
{
	size_t i;

	if (n >= out_len)
		n = out_len - 1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
}

static size_t name_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && (isalnum((unsigned char)s[n]) || (s[n] && strchr("-_.:", s[n]))))
		n++;
	return n;
}

static const char *find_nocase(const char *h, size_t hn, const char *needle)
{
	size_t nn = strlen(needle), i;

	if (!isalpha((unsigned char)needle[0])) { /* "<meta": jump from '<' to '<' */
		const char *end = h + hn, *q = h;

		while (nn <= (size_t)(end - q) &&
		       (q = memchr(q, needle[0], (size_t)(end - q) - nn + 1)))
			if (strncasecmp(q, needle, nn) == 0)
				return q;
			else
				q++;
		return NULL;
	}
	for (i = 0; i + nn <= hn; i++)
		if (strncasecmp(h + i, needle, nn) == 0)
			return h + i;
	return NULL;
}

/* Finds charset=NAME inside a <meta ...> tag in the window. */
static bool meta_charset(const char *b, size_t len, char *out, size_t out_len)
{
	const char *p = b, *end = b + (len < SNIFF_WINDOW ? len : SNIFF_WINDOW);

	while ((p = find_nocase(p, (size_t)(end - p), "<meta")) != NULL) {
		const char *gt = memchr(p, '>', (size_t)(end - p));
		const char *cs;
		size_t n;

		if (!gt)
			return false;
		cs = find_nocase(p, (size_t)(gt - p), "charset");
		if (cs) {
			cs += 7;
			while (cs < gt && (*cs == ' ' || *cs == '='))
				cs++;
			while (cs < gt && (*cs == '"' || *cs == '\''))
				cs++;
			n = name_len(cs, (size_t)(gt - cs));
			if (n) {
				copy_name(cs, n, out, out_len);
				return true;
			}
		}
		p = gt;
	}
	return false;
}

/* Bytes from i on that are ASCII, 8 at a time (most of a page). */
static size_t skip_ascii(const unsigned char *s, size_t i, size_t n)
{
	while (i + 8 <= n) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080u)
			break;
		i += 8;
	}
	while (i < n && s[i] < 0x80)
		i++;
	return i;
}

static bool valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while ((i = skip_ascii(s, i, n)) < n) {
		unsigned char c = s[i];
		size_t k = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		size_t j;

		if (k == 0 || (k == 2 && c < 0xC2) || i + k > n)
			return false;
		for (j = 1; j < k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
		i += k;
	}
	return true;
}

/* Length of the UTF-8 sequence at s (n bytes left) when norm_valid_utf8
 * keeps it (not overlong, no surrogate, at most U+10FFFF), else 0. */
static size_t strict_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	uint32_t cp;

	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6);
		return cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) ? 0 : 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12);
		return cp < 0x10000 || cp > 0x10FFFF ? 0 : 4;
	}
	return 0;
}

bool charset_utf8_clean(const char *body, size_t len)
{
	const unsigned char *s = (const unsigned char *)body;
	size_t i = 0;

	if (len > ((size_t)64 << 20) || memchr(body, '\0', len))
		return false; /* norm_valid_utf8 replaces a NUL */
	while ((i = skip_ascii(s, i, len)) < len) {
		size_t k = strict_seq(s + i, len - i);

		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

void charset_sniff(const char *body, size_t len, const char *hint, char *out, size_t out_len)
{
	const unsigned char *u = (const unsigned char *)body;

	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		copy_name("utf-8", 5, out, out_len);
	} else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		copy_name("utf-16le", 8, out, out_len);
	} else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		copy_name("utf-16be", 8, out, out_len);
	} else if (hint && name_len(hint, strlen(hint)) > 0) {
		copy_name(hint, name_len(hint, strlen(hint)), out, out_len);
	} else if (!meta_charset(body, len, out, out_len)) {
		if (valid_utf8(u, len))
			copy_name("utf-8", 5, out, out_len);
		else
			copy_name("windows-1258", 12, out, out_len);
	}
	/* Aliases iconv does not know, and the standard's rule that a page
	 * labelled latin-1 or ascii is really windows-1252. */
	if (strcmp(out, "utf8") == 0 || strcmp(out, "unicode-1-1-utf-8") == 0)
		copy_name("utf-8", 5, out, out_len);
	else if (strcmp(out, "iso-8859-1") == 0 || strcmp(out, "latin1") == 0 ||
		 strcmp(out, "us-ascii") == 0 || strcmp(out, "ascii") == 0)
		copy_name("windows-1252", 12, out, out_len);
}

static status convert(iconv_t cd, const char *body, size_t len, char **out, size_t *out_len)
{
	/* windows-1258 and the UTF-16s expand to at most 3 UTF-8 bytes per
	 * input byte; U+FFFD (3 bytes) replaces one byte at worst. */
	size_t cap = len * 3 + 16, left_in = len, left_out = cap;
	char *res = malloc(cap + 1), *in = (char *)body, *o = res;

	if (!res)
		return status_set(ST_NOMEM, "out of memory converting a body to UTF-8");
	while (left_in > 0) {
		size_t r = iconv(cd, &in, &left_in, &o, &left_out);

		if (r != (size_t)-1)
			break;
		if (errno == E2BIG || left_out < 3)
			break; /* cannot happen with the bound above */
		memcpy(o, "\xEF\xBF\xBD", 3);
		o += 3;
		left_out -= 3;
		if (errno == EINVAL)
			break; /* truncated sequence at the end */
		in++;
		left_in--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	iconv(cd, NULL, NULL, &o, &left_out);
	*o = '\0';
	*out = res;
	*out_len = (size_t)(o - res);
	return ST_OK;
}

/* Replaces NUL bytes, which would end the document early for libxml2. */
static void drop_nuls(char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\0')
			s[i] = ' ';
}

status charset_to_utf8(const char *body, size_t len, const char *cs, char **out, size_t *out_len)
{
	iconv_t cd = (iconv_t)-1;
	status st;

	*out = NULL;
	*out_len = 0;
	if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0) {
		body += 3;
		len -= 3;
	}
	if (strcmp(cs, "utf-8") != 0)
		cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1) {
		st = norm_valid_utf8(body, len, out);
		if (st == ST_OK)
			*out_len = strlen(*out);
		return st;
	}
	st = convert(cd, body, len, out, out_len);
	iconv_close(cd);
	if (st == ST_OK)
		drop_nuls(*out, *out_len);
	return st;
}
