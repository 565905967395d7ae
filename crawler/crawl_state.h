/* The state of a crawl shared by its modules: the loop (crawl.c), a
 * site's life (crawl_site.c), starting requests (crawl_sched.c) and
 * finishing them (crawl_done.c).  Types and limits only; not for use
 * outside crawler/crawl*.c.  Everything here lives on the crawl thread. */
#ifndef CRAWLER_CRAWL_STATE_H
#define CRAWLER_CRAWL_STATE_H

#include <curl/curl.h>
#include <stdint.h>

#include "core/urlsplit.h"
#include "crawler/crawl_options.h"
#include "crawler/docspawn.h"
#include "crawler/fetch.h"
#include "crawler/frontier.h"
#include "crawler/guard.h"
#include "crawler/parser.h"
#include "crawler/resolve_map.h"
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
/* How often idle hosts are freed (crawl_hosts_sweep). */
#define HOST_SWEEP_MS 1000
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
/* Sitemap transfers in flight at once over the whole crawl: each body may
 * be SITEMAP_FETCH_MAX, and parsing one inflates up to SITEMAP_MAX_BYTES
 * (one at a time, on the crawl thread), so this bounds their memory. */
#define SITEMAPS_ACTIVE_MAX 4
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

/* Where a site is in its life, in order.  A state's request is in flight
 * or waiting for a retry while the site has requests in flight or
 * retries queued; the completion handler moves the site on.
 *  ROBOTS        robots.txt of the start URL's host
 *  START         the start page: it decides reachability and the final host
 *  FINAL_ROBOTS  robots.txt of the host the start page redirected to (not
 *                its www variant)
 *  PROBE         the probe, once the start page is parsed (soft404.h)
 *  SITEMAPS      the sitemaps robots.txt lists (or /sitemap.xml), before
 *                the frontier; an index's children bring the site back
 *  EXPLORE       the frontier, within the budgets (gate in crawl_sched.c)
 *  DONE          closed: nothing more starts; finished once nothing of it
 *                is in flight or being parsed */
enum site_state {
	SITE_ROBOTS,
	SITE_START,
	SITE_FINAL_ROBOTS,
	SITE_PROBE,
	SITE_SITEMAPS,
	SITE_EXPLORE,
	SITE_DONE,
};

/* Politeness state of one host name, shared by every site on it.  Freed
 * by crawl_hosts_sweep once idle, its delay past and no open site on it,
 * so the table holds the hosts of the open sites, not of every site. */
struct host {
	char *name;
	int inflight;
	int64_t next_ms; /* earliest start of the next request */
	long delay_ms;
	int busy;      /* 429 or 503 answers in a row: the back-off doubles with each */
	unsigned mark; /* the last sweep that found an open site on it */
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
	struct crawl_site def; /* copies of the source's id and start URL */
	char *start;           /* normalised start URL */
	char *base;            /* start URL, then the start page's final URL */
	char *host;            /* the site's host, after the start redirect */
	char *robots_host;     /* host the current robots were read for */
	char robots_note[64];
	struct robots *robots;
	struct frontier *fr;
	enum site_state state; /* changed by crawl_site_set_state only */
	bool reachable;        /* the start page answered 2xx HTML */
	char reason[256];
	int pages, errors, inflight, parsing;
	int explored;      /* pages started outside the focus (explore budget) */
	int listed;        /* news list pages started outside it (list_pages) */
	int docs;          /* documents started (max_docs); not pages for max_pages */
	int sectioned;     /* section list pages and posts started (section_pages) */
	int blocked;       /* robots rows delivered (in pages, but not fetched) */
	int minor;         /* menus and meal photos started (CRAWL_SECTION_MINOR) */
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
};

struct req {
	enum req_kind kind;
	struct site *site;
	struct host *host; /* valid while the request is in flight (a sweep may free it after) */
	struct fetch *f;
	int depth, attempt;
	int prio; /* the frontier rank it was taken with */
	bool is_start;
	bool is_doc;                /* a document link (scope_is_document): its text is read */
	struct page *cached;        /* from crawl_options.cached, for a 304 */
	struct curl_slist *resolve; /* its CURLOPT_RESOLVE list (resolve_map_for), freed with it */
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
	const struct crawl_source *src;
	bool src_done; /* src has no more sites */
	struct site **active;
	size_t nactive, max_active, cursor;
	struct host *hosts[HOST_BUCKETS];
	unsigned sweeps;       /* crawl_hosts_sweep calls, for host.mark */
	int64_t swept_ms;      /* when the last one ran */
	struct req *reqs;      /* in flight */
	struct parser *parser; /* NULL: parse on this thread */
	int inflight;
	int parsing;         /* jobs with the parser threads */
	int docs_active;     /* document requests in flight or being read */
	int sitemaps_active; /* sitemap requests in flight (SITEMAPS_ACTIVE_MAX) */
	struct docspawn_options doc;
	struct docspawn *docspawn;   /* documents read on this thread (no parser threads) */
	struct resolve_map *resolve; /* --resolve entries by host (each transfer its own) */
	struct crawl_site *again;    /* unreachable sites to try once more (owned copies) */
	size_t nagain, next_again;
	int64_t last_open_ms; /* last time any site was active */
	int64_t wake_ms;
};

#endif
