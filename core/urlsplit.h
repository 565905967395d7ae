/* The one host/path splitter: the parts of an absolute URL
 * "scheme://user@host:port/path?query#fragment" as views into it, nothing
 * copied, decoded or checked.  A string without "://" is all path: its
 * scheme, authority, host and port are empty and path is the string. */
#ifndef CORE_URLSPLIT_H
#define CORE_URLSPLIT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/str.h"

struct urlsplit {
	struct strview scheme;    /* before "://" */
	struct strview authority; /* after "://", up to the first '/', '?' or '#' */
	struct strview host;      /* the authority without "user@" and ":port"; an IPv6
				     literal keeps its brackets */
	struct strview port;      /* after the host's ':'; empty when none */
	const char *path;         /* from the end of the authority: "/a?q#f", "?q" or "" */
	bool absolute;            /* the URL has "://" */
};

/* Splits url (NULL counts as ""). */
void urlsplit(struct urlsplit *out, const char *url);
/* Copies the host of url into out (n bytes); "" when it has none or it
 * does not fit. */
void urlsplit_host(const char *url, char *out, size_t n);

#endif
