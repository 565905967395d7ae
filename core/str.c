#include "core/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *str_dup(const char *s)
{
	return s ? str_ndup(s, strlen(s)) : NULL;
}

char *str_ndup(const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

status str_to_long(const char *s, long min, long max, long *out)
{
	char *end = NULL;
	long v;

	if (!s || !*s)
		return status_set(ST_INVALID, "expected a number, got an empty string");
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s)
		return status_set(ST_INVALID, "'%s' is not a whole number", s);
	if (v < min || v > max)
		return status_set(ST_INVALID, "%ld is out of range (%ld to %ld)", v, min, max);
	*out = v;
	return ST_OK;
}

bool str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool str_eq_nocase(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

char *str_trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n && strchr(" \t\r\n\f\v", s[n - 1]))
		s[--n] = '\0';
	while (s[i] && strchr(" \t\r\n\f\v", s[i]))
		i++;
	if (i)
		memmove(s, s + i, n - i + 1);
	return s;
}

void str_free_array(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
