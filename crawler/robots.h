/* robots.txt (RFC 9309): parsing and matching for one user agent.
 *
 * The rules kept are those of the groups naming our product token (the
 * leading letters, '-' and '_' of the User-Agent, matched without case),
 * merged; when no group names us, those of the '*' groups.  A URL is
 * allowed unless the longest matching rule (by pattern length, '*' and a
 * final '$' supported) is a Disallow; an Allow wins a tie.  /robots.txt is
 * always allowed.  Sitemap lines and our Crawl-delay are kept too.
 *
 * Parsing never fails on content, only on memory; lines are cut at 16,663
 * bytes and at most ROBOTS_MAX_RULES rules are kept.  A robots object is
 * immutable after robots_new and may be shared between threads. */
#ifndef CRAWLER_ROBOTS_H
#define CRAWLER_ROBOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

#define ROBOTS_MAX_RULES 10000
#define ROBOTS_MAX_SITEMAPS 50

struct robots;

/* Parses body (len bytes, any line endings, optional UTF-8 BOM) for
 * user_agent.  body NULL means "no robots.txt": everything allowed. */
status robots_new(struct robots **out, const char *body, size_t len,
		  const char *user_agent) PA_MUST_CHECK;
/* A robots object that allows or disallows everything, for a robots.txt
 * that answered 4xx (allow) or could not be read (RFC 9309 §2.3.1.4:
 * disallow). */
status robots_new_all(struct robots **out, bool allow) PA_MUST_CHECK;
void robots_free(struct robots *r);

/* path is the path and query of a URL ("/a/b?c"), percent-encoded as the
 * fetcher sends it; see robots_path for getting it from a URL. */
bool robots_allowed(const struct robots *r, const char *path);

/* Crawl-delay of our group in milliseconds, or -1 when none was given. */
long robots_crawl_delay_ms(const struct robots *r);
size_t robots_nsitemaps(const struct robots *r);
const char *robots_sitemap(const struct robots *r, size_t i);

/* The path, params and query of a URL, without the fragment; "/" when
 * there is none (the matching key of RFC 9309 §2.2.2). */
status robots_path(char **out, const char *url) PA_MUST_CHECK;
/* A rule pattern with non-ASCII bytes percent-encoded and existing
 * escapes upper-cased, so patterns compare with encoded URLs. */
status robots_escape_pattern(char **out, const char *pattern) PA_MUST_CHECK;
/* True when ua is a valid product token to obey: only letters, '-' and
 * '_', not empty. */
bool robots_valid_agent(const char *ua);

#endif
