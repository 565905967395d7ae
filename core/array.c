#include "core/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

status array_resize(void *arrp, size_t n, size_t elem)
{
	void *p, *np;

	if (n == 0 || elem == 0 || n > SIZE_MAX / elem)
		return status_set(ST_NOMEM, "out of memory (array of %zu elements)", n);
	/* The pointer is copied, not cast, so any T ** is fine. */
	memcpy(&p, arrp, sizeof(p));
	np = realloc(p, n * elem);
	if (!np)
		return status_set(ST_NOMEM, "out of memory (array of %zu elements)", n);
	memcpy(arrp, &np, sizeof(np));
	return ST_OK;
}

status array_grow(void *arrp, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	status st;

	if (need <= *cap)
		return ST_OK;
	ncap = *cap > SIZE_MAX / 2 ? need : *cap * 2;
	if (ncap < need)
		ncap = need;
	if (ncap < 8)
		ncap = 8;
	st = array_resize(arrp, ncap, elem);
	if (st == ST_OK)
		*cap = ncap;
	return st;
}

status array_room(void *arrp, size_t n, size_t elem)
{
	if (n == 0)
		return array_resize(arrp, 4, elem);
	if (n >= 4 && (n & (n - 1)) == 0)
		return array_resize(arrp, n > SIZE_MAX / 2 ? 0 : n * 2, elem);
	return ST_OK;
}
