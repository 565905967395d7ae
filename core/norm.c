#include "core/norm.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/buf.h"

/* Normalised text is capped at 64 MiB: far above any page we keep. */
#define NORM_MAX ((size_t)64 << 20)

status norm_valid_utf8(const char *s, size_t n, char **out)
{
	struct buf b = BUF_INIT(NORM_MAX * 2);
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t i = 0;
	status st = ST_OK;

	*out = NULL;
	while (i < n && st == ST_OK) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);

		if (k <= 0 || cp == 0) {
			st = buf_add(&b, "\xEF\xBF\xBD", 3);
			i++;
		} else {
			st = buf_add(&b, s + i, (size_t)k);
			i += (size_t)k;
		}
	}
	if (st == ST_OK)
		*out = buf_detach(&b);
	buf_release(&b);
	return *out ? ST_OK : (st < 0 ? st : status_set(ST_NOMEM, "out of memory"));
}

/* Collapses white space (ASCII and U+00A0, which LUMP turns into ' ') in
 * place and trims both ends. */
static void collapse_space(char *s)
{
	char *r = s, *w = s;
	int space = 1;

	for (; *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r' || *r == '\f' || *r == '\v') {
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
	return map(s, n, UTF8PROC_COMPOSE, out);
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

status norm_fold(const char *s, size_t n, char **folded, char **plain)
{
	status st;

	if (folded) {
		st = map(s, n, UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_LUMP, folded);
		if (st < 0)
			return st;
	}
	if (plain) {
		st = map(s, n, UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_LUMP,
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
