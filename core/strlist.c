/* Strings packed in one buffer (core/strlist.h). */
#include "core/strlist.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"

status strlist_add(struct strlist *l, const char *s, size_t n)
{
	status st;

	/* Offsets are 32 bits: a list is for up to millions of short strings. */
	if (l->len + n + 1 > UINT32_MAX)
		return status_set(ST_LIMIT, "string list over 4 GiB");
	st = array_grow(&l->text, &l->cap, l->len + n + 1, 1);
	if (st == ST_OK)
		st = ARRAY_GROW(l->off, l->n + 1, l->offcap);
	if (st < 0)
		return st;
	memcpy(l->text + l->len, s, n);
	l->text[l->len + n] = '\0';
	l->off[l->n++] = (uint32_t)l->len;
	l->len += n + 1;
	return ST_OK;
}

status strlist_adds(struct strlist *l, const char *s)
{
	return strlist_add(l, s, strlen(s));
}

const char *strlist_get(const struct strlist *l, size_t i)
{
	assert(i < l->n);
	return l->text + l->off[i];
}

void strlist_shrink(struct strlist *l)
{
	char *text;
	uint32_t *off;

	if (!l->n)
		return;
	if (l->cap > l->len && (text = realloc(l->text, l->len))) {
		l->text = text;
		l->cap = l->len;
	}
	if (l->offcap > l->n && (off = realloc(l->off, l->n * sizeof(*off)))) {
		l->off = off;
		l->offcap = l->n;
	}
}

void strlist_release(struct strlist *l)
{
	free(l->text);
	free(l->off);
	*l = (struct strlist)STRLIST_INIT;
}
