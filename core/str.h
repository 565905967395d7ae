/* Small string helpers: owned copies and bounded, checked number parsing.
 * Everything returns NULL or a negative status on failure; nothing aborts. */
#ifndef CORE_STR_H
#define CORE_STR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

/* A borrowed run of bytes, not necessarily NUL-terminated. */
struct strview {
	const char *ptr;
	size_t len;
};

/* malloc'd copies; NULL when s is NULL or memory runs out. */
char *str_dup(const char *s);
char *str_ndup(const char *s, size_t n);

/* Parses all of s as a base-10 integer in [min, max]. */
status str_to_long(const char *s, long min, long max, long *out) PA_MUST_CHECK;

bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
bool str_eq_nocase(const char *a, const char *b);
/* Strips ASCII white space from both ends, in place; returns s. */
char *str_trim(char *s);
/* Frees each string of a NULL-or-array of n strings, then the array. */
void str_free_array(char **v, size_t n);

#endif
