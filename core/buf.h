/* The one growable byte buffer: always NUL-terminated, with a hard cap set
 * at init.  Growing past the cap fails with ST_LIMIT and leaves the content
 * as it was; nothing is ever silently truncated.
 *
 *     struct buf b = BUF_INIT(1 << 20);
 *     if (buf_add(&b, p, n) < 0) ...
 *     use(b.ptr, b.len);
 *     buf_release(&b);
 *
 * A buf owns its memory; buf_detach hands it to the caller. */
#ifndef CORE_BUF_H
#define CORE_BUF_H

#include <stddef.h>

#include "core/status.h"

struct buf {
	char *ptr;  /* NUL-terminated content, or "" before the first add */
	size_t len; /* bytes of content, not counting the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* hard cap on len */
};

#define BUF_INIT(maxlen)             \
	{                            \
		NULL, 0, 0, (maxlen) \
	}

void buf_init(struct buf *b, size_t max);
/* Makes room for extra more bytes and the NUL, content unchanged, so a
 * caller may write at ptr + len and then set len (and the NUL) itself. */
status buf_grow(struct buf *b, size_t extra) PA_MUST_CHECK;
status buf_add(struct buf *b, const void *data, size_t n) PA_MUST_CHECK;
status buf_adds(struct buf *b, const char *s) PA_MUST_CHECK;
status buf_addc(struct buf *b, char c) PA_MUST_CHECK;
status buf_printf(struct buf *b, const char *fmt, ...) PA_PRINTF(2, 3) PA_MUST_CHECK;
/* The content, "" when empty; valid until the next change. */
const char *buf_str(const struct buf *b);
void buf_reset(struct buf *b);
/* Returns the content (malloc'd, NUL-terminated, never NULL on success)
 * and resets b; NULL only when out of memory. */
char *buf_detach(struct buf *b);
void buf_release(struct buf *b);

#endif
