#include "core/norm.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/buf.h"

/* Normalised text is capped at 64 MiB: far above any page we keep. */
#define NORM_MAX ((size_t)64 << 20)

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0 when the
 * bytes there are not one (overlong, surrogate, above U+10FFFF, cut off,
 * or NUL, which the page model cannot hold).  *cp gets the code point. */
static size_t utf8_seq(const unsigned char *p, size_t n, int32_t *cp)
{
	unsigned char c = p[0];

	if (c < 0x80) {
		*cp = c;
		return c ? 1 : 0;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		if (n < 2 || (p[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((c & 0x1F) << 6) | (p[1] & 0x3F);
		return 2;
	}
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		*cp = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
		return *cp < 0x800 || (*cp >= 0xD800 && *cp <= 0xDFFF) ? 0 : 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		*cp = ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) |
		      (p[3] & 0x3F);
		return *cp < 0x10000 || *cp > 0x10FFFF ? 0 : 4;
	}
	return 0;
}

status norm_valid_utf8(const char *s, size_t n, char **out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, bad = 0, k;
	int32_t cp;
	char *res, *w;

	*out = NULL;
	if (n > NORM_MAX)
		n = NORM_MAX;
	/* Count the bytes to replace first: valid text (nearly all of it) is
	 * then one copy. */
	while (i < n) {
		if (p[i] && p[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_seq(p + i, n - i, &cp);
		if (k == 0) {
			bad++;
			k = 1;
		}
		i += k;
	}
	res = malloc(n + bad * 2 + 1);
	if (!res)
		return status_set(ST_NOMEM, "out of memory");
	if (bad == 0) {
		memcpy(res, s, n);
		res[n] = '\0';
		*out = res;
		return ST_OK;
	}
	for (i = 0, w = res; i < n;) {
		k = utf8_seq(p + i, n - i, &cp);
		if (k == 0) {
			memcpy(w, "\xEF\xBF\xBD", 3);
			w += 3;
			i++;
		} else {
			memcpy(w, s + i, k);
			w += k;
			i += k;
		}
	}
	*w = '\0';
	*out = res;
	return ST_OK;
}

/* Code points below this are classified once into a table. */
#define STABLE_TABLE 0x3000
static unsigned char stable_table[STABLE_TABLE]; /* 0 unknown, 1 stable, 2 not */
static pthread_once_t stable_once = PTHREAD_ONCE_INIT;

/* Whether cp, wherever it stands, is left alone by NFC: a starter
 * (combining class 0) that cannot combine with a preceding character and
 * whose own NFC is itself.  A string of such code points is NFC. */
static bool stable_slow(int32_t cp)
{
	const utf8proc_property_t *pr = utf8proc_get_property(cp);
	utf8proc_int32_t dst[8];
	utf8proc_ssize_t n;
	int last = 0;

	if (pr->combining_class != 0 || (pr->comb_index != UINT16_MAX && pr->comb_index >= 0x8000))
		return false;
	if (pr->decomp_seqindex == UINT16_MAX)
		return true;
	if (pr->comp_exclusion)
		return false;
	/* A canonical decomposition: stable only when NFC recomposes it. */
	n = utf8proc_decompose_char(cp, dst, 8, UTF8PROC_DECOMPOSE, &last);
	if (n < 1 || n > 8)
		return false;
	n = utf8proc_normalize_utf32(dst, n, UTF8PROC_COMPOSE);
	return n == 1 && dst[0] == cp;
}

static void stable_init(void)
{
	for (int32_t cp = 0; cp < STABLE_TABLE; cp++)
		stable_table[cp] = (cp >= 0xD800 && cp <= 0xDFFF) || !stable_slow(cp) ? 2 : 1;
}

static bool stable(int32_t cp)
{
	if (cp < STABLE_TABLE)
		return stable_table[cp] == 1;
	return stable_slow(cp);
}

/* Copies s into a new string with white space collapsed when it is valid
 * UTF-8 already in NFC (the common case, checked in one pass); *out is
 * NULL when it is not. */
static status fast_nfc(const char *s, size_t n, char **out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	int32_t cp;
	char *res;

	*out = NULL;
	if (n > NORM_MAX)
		return ST_OK;
	pthread_once(&stable_once, stable_init);
	while (i < n) {
		if (p[i] && p[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_seq(p + i, n - i, &cp);
		if (k == 0 || !stable(cp))
			return ST_OK;
		i += k;
	}
	res = malloc(n + 1);
	if (!res)
		return status_set(ST_NOMEM, "out of memory");
	memcpy(res, s, n);
	res[n] = '\0';
	*out = res;
	return ST_OK;
}

/* Collapses white space (ASCII and U+00A0, which LUMP turns into ' ') in
 * place and trims both ends. */
static void collapse_space(char *s)
{
	char *r = s, *w = s;
	int space = 1;

	for (; *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r' || *r == '\f' ||
		    *r == '\v') {
			if (!space)
				*w++ = ' ';
			space = 1;
		} else {
			*w++ = *r;
			space = 0;
		}
	}
	if (w > s && w[-1] == ' ')
		w--;
	*w = '\0';
}

static status map(const char *s, size_t n, utf8proc_option_t opts, char **out)
{
	char *valid = NULL;
	utf8proc_uint8_t *res = NULL;
	utf8proc_ssize_t r;
	status st;

	*out = NULL;
	st = norm_valid_utf8(s, n, &valid);
	if (st < 0)
		return st;
	r = utf8proc_map((const utf8proc_uint8_t *)valid, (utf8proc_ssize_t)strlen(valid), &res,
			 opts | UTF8PROC_STABLE);
	free(valid);
	if (r < 0)
		return status_set(r == UTF8PROC_ERROR_NOMEM ? ST_NOMEM : ST_INVALID,
				  "text normalisation failed: %s", utf8proc_errmsg(r));
	collapse_space((char *)res);
	*out = (char *)res;
	return ST_OK;
}

status norm_nfc(const char *s, size_t n, char **out)
{
	status st = fast_nfc(s, n, out);

	if (st < 0 || *out) {
		if (*out)
			collapse_space(*out);
		return st;
	}
	return map(s, n, UTF8PROC_COMPOSE, out);
}

/* ASCII text needs none of utf8proc: fold case and collapse space. */
static status fold_ascii(const char *s, size_t n, char **out)
{
	char *res = malloc(n + 1);
	size_t i;

	if (!res)
		return status_set(ST_NOMEM, "out of memory");
	for (i = 0; i < n; i++)
		res[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] + 32) : s[i];
	res[n] = '\0';
	collapse_space(res);
	*out = res;
	return ST_OK;
}

static bool is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == 0)
			return false;
	return true;
}

/* đ (U+0111) has no decomposition, so stripping marks keeps it; the plain
 * form wants "d".  Both are two bytes in UTF-8 (C4 91) vs one for 'd', so
 * the rewrite shrinks in place. */
static void dstroke_to_d(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		if ((unsigned char)r[0] == 0xC4 && (unsigned char)r[1] == 0x91) {
			*w++ = 'd';
			r += 2;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

static status fold_forms(const char *s, size_t n, char **folded, char **plain);

/* Whether s may hold U+0345: itself (CD 85), or in the decomposition of a
 * precomposed letter, all of which are Greek Extended U+1F80..U+1FFC (E1 BE
 * xx, E1 BF xx).  Greek only: Vietnamese letters are E1 BA/BB. */
static bool has_ypogegrammeni(const char *s, size_t n)
{
	return memmem(s, n, "\xCD\x85", 2) || memmem(s, n, "\xE1\xBE", 2) ||
	       memmem(s, n, "\xE1\xBF", 2);
}

status norm_fold(const char *s, size_t n, char **folded, char **plain)
{
	status st;

	/* U+0345 (combining ypogegrammeni) case-folds to a starter, so folding
	 * before canonical reordering would depend on the input's order of
	 * marks: normalise first, so fold(x) == fold(nfc(x)). */
	if (n <= NORM_MAX && has_ypogegrammeni(s, n)) {
		char *nfc = NULL;

		st = norm_nfc(s, n, &nfc);
		if (st == ST_OK)
			st = fold_forms(nfc, strlen(nfc), folded, plain);
		free(nfc);
		return st;
	}
	return fold_forms(s, n, folded, plain);
}

/* norm_fold without the U+0345 pre-pass. */
static status fold_forms(const char *s, size_t n, char **folded, char **plain)
{
	status st;

	if (n <= NORM_MAX && is_ascii(s, n)) {
		/* LUMP and STRIPMARK change nothing in ASCII; case folding is
		 * tolower. */
		if (folded && (st = fold_ascii(s, n, folded)) < 0)
			return st;
		if (plain && (st = fold_ascii(s, n, plain)) < 0) {
			if (folded) {
				free(*folded);
				*folded = NULL;
			}
			return st;
		}
		return ST_OK;
	}
	if (folded) {
		st = map(s, n, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_LUMP, folded);
		if (st < 0)
			return st;
	}
	if (plain) {
		st = map(s, n,
			 UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD |
				 UTF8PROC_LUMP,
			 plain);
		if (st < 0) {
			if (folded) {
				free(*folded);
				*folded = NULL;
			}
			return st;
		}
		dstroke_to_d(*plain);
	}
	return ST_OK;
}
