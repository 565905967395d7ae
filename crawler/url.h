/* URL resolution and normalisation for the crawler, on top of libcurl's URL
 * API (CURLU), so links are resolved the way the fetcher will read them.
 *
 * Every URL this module returns is absolute http or https, RFC 3986
 * resolved, without a fragment, with a lower-case host and without the
 * scheme's default port.  Strings it returns are malloc'd and owned by the
 * caller.  Thread-safe. */
#ifndef CRAWLER_URL_H
#define CRAWLER_URL_H

#include <stdbool.h>

#include "core/status.h"

/* Resolves ref against base (base may be NULL when ref is absolute) and
 * normalises the result.  Leading and trailing white space of ref is
 * ignored, as browsers do with href values.  ST_INVALID when the result is
 * not a valid http/https URL (mailto:, javascript:, g:h, ...); *out is NULL
 * then. */
status url_resolve(char **out, const char *base, const char *ref) PA_MUST_CHECK;

/* The lower-case host of an absolute URL (IPv6 literals keep their
 * brackets).  ST_INVALID when url has no host. */
status url_host(char **out, const char *url) PA_MUST_CHECK;

/* The path and query of an absolute URL ("/a/b?x=1"; "/" at least), the
 * part robots.txt rules are matched against. */
status url_path_query(char **out, const char *url) PA_MUST_CHECK;

/* True when two hosts are the same site: equal ignoring case, or one is
 * "www." followed by the other. */
bool url_same_site(const char *host_a, const char *host_b);

#endif
