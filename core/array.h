/* Growing arrays: the one place that calls realloc for a vector.
 *
 *     struct item *v = NULL;
 *     size_t n = 0, cap = 0;
 *     if (ARRAY_GROW(v, n + 1, cap) < 0) return ST_NOMEM;
 *     v[n++] = item;
 *
 * Both helpers check the size for overflow, leave the array as it was on
 * failure (it still belongs to the caller) and set the status message. */
#ifndef CORE_ARRAY_H
#define CORE_ARRAY_H

#include <stddef.h>

#include "core/status.h"

/* Makes *cap (elements of elem bytes) at least need, at least doubling it;
 * arrp is the address of the array pointer (any T **). */
status array_grow(void *arrp, size_t *cap, size_t need, size_t elem) PA_MUST_CHECK;
/* Makes room for element n of an array that has no capacity field: its
 * capacity is implied by the count (4, 8, 16...), so it must only ever
 * grow through this function. */
status array_room(void *arrp, size_t n, size_t elem) PA_MUST_CHECK;
/* Resizes the array at arrp to exactly n elements (n > 0). */
status array_resize(void *arrp, size_t n, size_t elem) PA_MUST_CHECK;

#define ARRAY_GROW(ptr, need, cap) array_grow(&(ptr), &(cap), (need), sizeof(*(ptr)))
#define ARRAY_ROOM(ptr, n) array_room(&(ptr), (n), sizeof(*(ptr)))
#define ARRAY_RESIZE(ptr, n) array_resize(&(ptr), (n), sizeof(*(ptr)))

#endif
