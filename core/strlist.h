/* A list of strings packed in one buffer: each string NUL-terminated, back
 * to back, found by its 32-bit offset.  For lists with one entry per
 * school (the crawl's sites, the --hosts-file entries): a string costs
 * its bytes, its NUL and 4 bytes, not a malloc block and a pointer each.
 *
 *     struct strlist l = STRLIST_INIT;
 *     st = strlist_add(&l, "a", 1);
 *     s = strlist_get(&l, 0);   // "a", valid until the next add
 *     strlist_release(&l);
 *
 * The list owns its buffer; a pointer strlist_get returned is valid until
 * the next strlist_add or strlist_release. */
#ifndef CORE_STRLIST_H
#define CORE_STRLIST_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct strlist {
	char *text;    /* the strings, each ending in NUL */
	size_t len;    /* bytes used in text */
	size_t cap;    /* bytes allocated for text */
	uint32_t *off; /* where each string starts in text */
	size_t n;      /* strings */
	size_t offcap;
};

#define STRLIST_INIT                   \
	{                              \
		NULL, 0, 0, NULL, 0, 0 \
	}

/* Appends the n bytes at s (which need not end in NUL) as one string.
 * ST_NOMEM; ST_LIMIT past 4 GiB of text. */
status strlist_add(struct strlist *l, const char *s, size_t n) PA_MUST_CHECK;
/* Appends the NUL-terminated s. */
status strlist_adds(struct strlist *l, const char *s) PA_MUST_CHECK;
/* String i (i < l->n). */
const char *strlist_get(const struct strlist *l, size_t i);
/* Gives back the room the buffers grew beyond what l holds, for a list
 * that is complete and kept (pointers strlist_get returned before are
 * invalid after).  Nothing changes when the allocator cannot. */
void strlist_shrink(struct strlist *l);
/* Frees the buffers; l is empty again (STRLIST_INIT). */
void strlist_release(struct strlist *l);

#endif
