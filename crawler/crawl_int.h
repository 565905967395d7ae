/* Internals of the crawl module shared by crawl.c (the loop, scheduling,
 * sites and hosts) and crawl_done.c (what happens when a transfer
 * finishes).  Not for use outside crawler/crawl*.c.  Everything here runs
 * on the crawl thread. */
#ifndef CRAWLER_CRAWL_INT_H
#define CRAWLER_CRAWL_INT_H

#include <curl/curl.h>
#include <stdint.h>

#include "core/urlsplit.h"
#include "crawler/crawl.h"
#include "crawler/docspawn.h"
#include "crawler/fetch.h"
#include "crawler/frontier.h"
#include "crawler/guard.h"
#include "crawler/parser.h"
#include "crawler/robots.h"

/* RFC 9309 §2.5: a crawler should read at least 500 KiB of robots.txt. */
#define ROBOTS_MAX_BYTES ((size_t)512 << 10)
/* A Crawl-delay above this is honoured only up to it, so one site cannot
 * hold a slot for hours. */
#define CRAWL_DELAY_CAP_MS 10000L
/* Sites kept open per allowed connection: a site waits out its delay most
 * of the time, so more sites than connections keep the pipe full. */
#define ACTIVE_PER_CONNECTION 4
#define HOST_BUCKETS 4096
#define POLL_MAX_MS 200
/* Retries of a URL that answered 429 or 5xx or timed out: at most
 * RETRY_MAX more attempts (one for timeouts, which are slow to fail),
 * RETRY_BASE_MS doubled each time, or the server's Retry-After, never
 * more than RETRY_CAP_MS. */
#define RETRY_MAX 2
#define RETRY_BASE_MS 1000
#define RETRY_CAP_MS 60000L
#define RETRY_QUEUE_MAX 64
/* Sitemap files fetched per site (index children included), and the cap
 * on one (compressed) sitemap body. */
#define SITEMAPS_PER_SITE 10
#define SITEMAP_FETCH_MAX ((size_t)10 << 20)
/* Pages waiting for or in the parser threads, per thread.  Past it no
 * new transfer starts: fetching faster than parsing only fills memory
 * with bodies and easy handles. */
#define PARSE_BACKLOG_PER_THREAD 16
/* Documents being fetched or read at once, over the whole crawl: each may
 * hold a body of max_doc_bytes, so this bounds their memory. */
#define DOCS_ACTIVE_MAX 8

/* Same-site URLs robots.txt disallows that are recorded as pages (status
 * 0, error "robots") per site. */
#define CRAWL_BLOCKED_MAX 100

/* REQ_PROBE: a URL of the site that cannot exist, fetched once after the
 * start page: what a "not found" looks like there (soft404.h). */
enum req_kind { REQ_ROBOTS, REQ_PAGE, REQ_SITEMAP, REQ_PROBE };
enum probe_state { PROBE_TODO, PROBE_PENDING, PROBE_DONE };

/* Politeness state of one host name, shared by every site on it. */
struct host {
	char *name;
	int inflight;
	int64_t next_ms; /* earliest start of the next request */
	long delay_ms;
	struct host *next;
};

/* A URL waiting to be tried again. */
struct retry {
	char *url;
	int depth, attempt, prio;
	enum req_kind kind;
	int64_t not_before;
};

struct site {
	const struct crawl_site *def;
	char *start;       /* normalised start URL */
	char *base;        /* start URL, then the start page's final URL */
	char *host;        /* the site's host, after the start redirect */
	char *robots_host; /* host the current robots were read for */
	char robots_note[64];
	struct robots *robots;
	struct frontier *fr;
	bool robots_pending, start_pending, start_done, reachable, closed;
	char reason[256];
	int pages, errors, inflight, parsing;
	int explored;  /* pages started outside the focus (explore budget) */
	int listed;    /* news list pages started outside it (list_pages) */
	int docs;      /* documents started (max_docs); not pages for max_pages */
	int sectioned; /* section list pages and posts started (section_pages) */
	int blocked;   /* robots rows delivered (in pages, but not fetched) */
	int minor;     /* menus and meal photos started (CRAWL_SECTION_MINOR) */
	enum probe_state probe;
	char *probe_fp;    /* fingerprint of the probe's answer when it was 2xx HTML */
	char *probe_final; /* the probe's final URL when it was redirected */
	char *start_fp;    /* fingerprint of the start page */
	int start_links;   /* distinct links of the start page into the site (up to 3) */
	bool start_parked; /* the start page says the portal is parked or expired */
	bool again;        /* a second attempt after the site was unreachable */
	bool focus_seen;   /* a focus link was queued: the explore budget applies */
	int64_t started_ms;
	struct retry retries[RETRY_QUEUE_MAX];
	int nretries;
	char *sitemaps[SITEMAPS_PER_SITE]; /* to fetch once the start page is in */
	int nsitemaps, sitemaps_taken;
	bool sitemaps_listed;
};

struct req {
	enum req_kind kind;
	struct site *site;
	struct host *host;
	struct fetch *f;
	int depth, attempt;
	int prio; /* the frontier rank it was taken with */
	bool is_start;
	bool is_doc;         /* a document link (scope_is_document): its text is read */
	struct page *cached; /* from crawl_options.cached, for a 304 */
	struct req *prev, *next;
};

struct crawl {
	const struct crawl_options *o;
	struct fetch_config fc;
	struct guard *guard;
	CURLM *multi;
	crawl_page_fn on_page;
	crawl_site_fn on_site;
	void *ctx;
	const struct crawl_site *defs;
	size_t ndefs, next_def;
	struct site **active;
	size_t nactive, max_active, cursor;
	struct host *hosts[HOST_BUCKETS];
	struct req *reqs;      /* in flight */
	struct parser *parser; /* NULL: parse on this thread */
	int inflight;
	int parsing;     /* jobs with the parser threads */
	int docs_active; /* document requests in flight or being read */
	struct docspawn_options doc;
	struct docspawn *docspawn;       /* documents read on this thread (no parser threads) */
	bool resolve_loaded;             /* the first transfer carried CURLOPT_RESOLVE */
	const struct crawl_site **again; /* unreachable sites to try once more */
	size_t nagain, next_again;
	int64_t last_open_ms; /* last time any site was active */
	int64_t wake_ms;
};

/* Whether robots.txt of s allows url. */
bool crawl_robots_allow(const struct site *s, const char *url);
/* Records url, which robots.txt keeps us from, as a page: status 0, error
 * "robots", no model (at most CRAWL_BLOCKED_MAX per site). */
status crawl_blocked(struct crawl *c, struct site *s, const char *url, int depth) PA_MUST_CHECK;
/* Stops new requests for s, recording the first reason given. */
void crawl_close_site(struct site *s, const char *fmt, const char *arg);
/* Frees a request that is no longer in the multi handle. */
void crawl_req_destroy(struct req *r);

/* Completion handlers (crawl_done.c).  crawl_retry_later queues a retry
 * and returns true when the transfer should be tried again; the others
 * take the finished request's result; crawl_page_done takes ownership of
 * r, the others leave it to the caller. */
bool crawl_retry_later(struct crawl *c, struct req *r, CURLcode rc);
status crawl_robots_done(struct crawl *c, struct req *r, CURLcode rc) PA_MUST_CHECK;
status crawl_sitemap_done(struct crawl *c, struct req *r, CURLcode rc) PA_MUST_CHECK;
status crawl_page_done(struct crawl *c, struct req *r, CURLcode rc) PA_MUST_CHECK;
/* The probe's answer (r NULL: no probe was made, robots.txt disallows it):
 * records what "not found" looks like on s and whether s is parked. */
status crawl_probe_done(struct crawl *c, struct site *s, struct req *r, CURLcode rc) PA_MUST_CHECK;
/* The second half of a page once parsed: frees the job and its request. */
status crawl_page_end(struct crawl *c, struct parser_job *j) PA_MUST_CHECK;

#endif
