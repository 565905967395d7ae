#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

status buf_grow(struct buf *b, size_t extra)
{
	size_t need, ncap;
	char *p;

	if (extra > b->max || b->len > b->max - extra)
		return status_set(ST_LIMIT, "buffer would exceed its cap of %zu bytes", b->max);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return ST_OK;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap = ncap > ((size_t)-1) / 2 ? need : ncap * 2;
	p = realloc(b->ptr, ncap);
	if (!p)
		return status_set(ST_NOMEM, "out of memory growing a buffer to %zu bytes", ncap);
	b->ptr = p;
	b->cap = ncap;
	return ST_OK;
}

status buf_add(struct buf *b, const void *data, size_t n)
{
	status st = buf_grow(b, n);

	if (st < 0)
		return st;
	if (n)
		memcpy(b->ptr + b->len, data, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return ST_OK;
}

status buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

status buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

status buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	status st;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return status_set(ST_INVALID, "bad format string");
	st = buf_grow(b, (size_t)n);
	if (st < 0)
		return st;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return ST_OK;
}

const char *buf_str(const struct buf *b)
{
	return b->ptr ? b->ptr : "";
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

char *buf_detach(struct buf *b)
{
	char *p = b->ptr;

	if (!p)
		p = calloc(1, 1);
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

void buf_release(struct buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
}
