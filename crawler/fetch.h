/* One HTTP transfer: a configured libcurl easy handle with a capped body
 * buffer, the address guard at connect time, and the translation of the
 * outcome into page fields and a one-line reason.
 *
 * The crawl thread creates a fetch, adds fetch_easy() to its multi handle
 * (CURLOPT_PRIVATE points back at the fetch), and after CURLMSG_DONE calls
 * fetch_finish.  A fetch is used by one thread only. */
#ifndef CRAWLER_FETCH_H
#define CRAWLER_FETCH_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/page.h"
#include "crawler/guard.h"

/* Shared, read-only settings for every transfer of a crawl. */
struct fetch_config {
	const char *user_agent;
	long timeout_s;
	long max_redirects;
	const struct guard *guard;
	struct curl_slist *resolve; /* CURLOPT_RESOLVE entries, or NULL */
};

enum fetch_body {
	FETCH_BODY_ALL,    /* read every body (robots.txt, sitemaps) */
	FETCH_BODY_HTML,   /* stop after the headers unless the type is HTML */
	FETCH_BODY_PREFIX, /* keep the first max_bytes, then stop: not a failure
			      (robots.txt: RFC 9309 §2.5) */
};
/* The body of a 429 or 5xx answer is never read, in any mode: the status
 * is all that is recorded. */

/* Retry-After is capped here: more is "as long as you ever wait". */
#define FETCH_RETRY_AFTER_MAX 86400L
/* How long libcurl's DNS cache keeps the CURLOPT_RESOLVE entries a
 * transfer carries (seconds; libcurl's default is 60). */
#define FETCH_RESOLVE_CACHE_S 10L

struct fetch;

/* owner is what fetch_owner returns (the crawl's request). */
status fetch_new(struct fetch **out, const struct fetch_config *cfg, const char *url,
		 size_t max_bytes, enum fetch_body mode, void *owner) PA_MUST_CHECK;
void fetch_free(struct fetch *f);

CURL *fetch_easy(struct fetch *f);
/* Makes the request conditional (If-None-Match, If-Modified-Since);
 * either may be NULL.  Values with CR or LF are ignored.  Call before the
 * transfer is added to a multi handle. */
status fetch_set_validators(struct fetch *f, const char *etag,
			    const char *last_modified) PA_MUST_CHECK;
/* The URL this fetch was asked for. */
const char *fetch_url(const struct fetch *f);
void *fetch_owner(const struct fetch *f);

/* Fills p->requested_url, url, status, content_type, charset, etag,
 * last_modified, bytes, fetched_at, fetch_ms and error from the finished
 * transfer (rc is the CURLMSG_DONE result).  *reason is a one-line reason
 * when the transfer failed ("dns", "timeout", "address guard: ... not
 * allowed", "body exceeds N bytes", ...), else NULL; it lives as long as
 * f.  Fails only on memory. */
status fetch_finish(struct fetch *f, CURLcode rc, struct page *p,
		    const char **reason) PA_MUST_CHECK;

/* The body read so far (NUL-terminated) and its length. */
const char *fetch_body(const struct fetch *f, size_t *len);
/* True when the body went over the fetch's max_bytes (read or declared). */
bool fetch_too_big(const struct fetch *f);
/* True when a FETCH_BODY_PREFIX body was cut at max_bytes. */
bool fetch_truncated(const struct fetch *f);
/* True when the server answered (rc is the CURLMSG_DONE result): the
 * transfer worked, or the body was left unread or cut on purpose. */
bool fetch_answered(const struct fetch *f, CURLcode rc);
/* True when the response is text/html or application/xhtml+xml. */
bool fetch_is_html(const struct fetch *f);
/* Retry-After of the last response in seconds, or -1. */
long fetch_retry_after(const struct fetch *f);
/* A Retry-After value (RFC 9110 §10.2.3: seconds or an HTTP-date) in
 * seconds from now, at most FETCH_RETRY_AFTER_MAX (a larger value counts
 * as the maximum, not as absent); -1 when it is neither. */
long fetch_parse_retry_after(const char *v, time_t now);

#endif
