/* Charset detection and conversion of fetched bodies to UTF-8 (iconv).
 *
 * Order of precedence, as browsers do it: a byte-order mark, then the
 * HTTP Content-Type charset, then a <meta> declaration in the first 4 KiB,
 * then a fallback: UTF-8 when the bytes are valid UTF-8, otherwise
 * windows-1258, the legacy Vietnamese code page.  Thread-safe. */
#ifndef CRAWLER_CHARSET_H
#define CRAWLER_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

/* Writes the lower-case charset name the body should be decoded with to
 * out (out_len >= 2); hint may be NULL. */
void charset_sniff(const char *body, size_t len, const char *hint, char *out, size_t out_len);

/* Converts len bytes in charset cs to UTF-8 in *out (malloc'd,
 * NUL-terminated, *out_len bytes, no NUL inside).  Bytes that are invalid
 * in cs become U+FFFD; an unknown cs is read as UTF-8.  A leading BOM is
 * dropped.  Fails only on memory. */
status charset_to_utf8(const char *body, size_t len, const char *cs, char **out,
		       size_t *out_len) PA_MUST_CHECK;

/* True when len bytes are UTF-8 that charset_to_utf8(.., "utf-8", ..)
 * would return unchanged (apart from a leading BOM): valid, no NUL. */
bool charset_utf8_clean(const char *body, size_t len);

#endif
