/* What a crawl is given (crawler/crawl.h runs it): its options, the
 * sites, and the callbacks that receive pages and site results. */
#ifndef CRAWLER_CRAWL_OPTIONS_H
#define CRAWLER_CRAWL_OPTIONS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/page.h"
#include "core/status.h"

#define CRAWL_DEFAULT_USER_AGENT "portal-audit/0.1 (+https://hcm.edu.vn/portal-audit)"

struct crawl_site;

/* Optional, for conditional GET: the page stored for url by an earlier
 * crawl (with its etag / last_modified and links), or *cached = NULL.
 * Called on the crawl thread before each page request; ownership of
 * *cached passes to the crawler.  When the server answers 304 Not
 * Modified, that page is what on_page receives, with status 304,
 * fetched_at, fetch_ms and depth updated and error NULL, and its links
 * are followed; otherwise it is freed and the fresh page is delivered. */
typedef status (*crawl_cached_fn)(void *ctx, const struct crawl_site *site, const char *url,
				  struct page **cached);

struct crawl_options {
	int max_pages;          /* per site, default 300; 0 = unlimited */
	int max_depth;          /* default 10 */
	size_t max_bytes;       /* per page body after decompression, default 5 MiB */
	long timeout_s;         /* per request, default 20 */
	long site_budget_s;     /* per site wall budget, default 600 */
	int max_redirects;      /* default 5 */
	int per_host;           /* connections per host, default 2 */
	int delay_ms;           /* between request starts to one host, default 1000 */
	int max_connections;    /* total transfers in flight, default 64 */
	const char *user_agent; /* NULL means CRAWL_DEFAULT_USER_AGENT */
	bool allow_private;     /* permit private/loopback/link-local/unspecified addresses */
	const char *const *allow_addr; /* CIDRs (IPv4 or IPv6); when non-empty ONLY these */
	size_t nallow_addr;            /* are permitted (even with allow_private) */
	const char *const *resolve;    /* "HOST:PORT:ADDR" as curl's CURLOPT_RESOLVE (not copied) */
	size_t nresolve;
	const char *const *focus_keywords; /* folded (norm_fold plain form) keywords: links */
	size_t nfocus_keywords;            /* whose folded anchor text or URL has one go first */
	volatile sig_atomic_t
		*stop;          /* when non-NULL and *stop becomes non-zero, finish quickly: no new
				   requests, return ST_INTERRUPTED */
	int parse_threads;      /* worker threads parsing HTML; 0 (default): parse on the crawl
				   thread.  Callbacks always run on the crawl thread. */
	crawl_cached_fn cached; /* NULL: no conditional requests */
	void *cached_ctx;
	int explore_pages;    /* per site: pages fetched that are not focus links (scope_score
				   below SCOPE_FOCUS_MIN), the start page aside; once they are
				   used up and no focus link is left, the site is done.  0
				   (default): no such budget, every page up to max_pages. */
	int list_pages;       /* per site, with an explore budget: pages of the news list
				   (scope_is_news_list: "Tin tức", /tin-tuc/trang-2.aspx)
				   fetched even once it is spent (they count toward it), so
				   posts can be counted from the lists; default
				   CRAWL_LIST_PAGES_DEFAULT.  Posts themselves are not. */
	int max_docs;         /* per site: documents (scope_is_document: PDF, DOCX, XLSX,
				   DOC, XLS...) fetched and read, default 40; they do not
				   count toward max_pages.  0: documents are not fetched. */
	size_t max_doc_bytes; /* per document body after decompression, default 10 MiB;
				   a larger one is recorded with doc:status too_large */
	long doc_timeout_s;   /* wall clock to extract one document's text, default 10 */
	int section_pages;    /* per site, with an explore budget: pages of a disclosure
				   section's list past its first (pagination) and the posts
				   they list that are not focus links (SCOPE_RANK_SECTION_*),
				   menus and meal photos aside (CRAWL_SECTION_MINOR more).
				   Default CRAWL_SECTION_PAGES_DEFAULT. */
	int period_year;      /* first year of the audited school year (2017 for
				   2017-2018), 0 if unknown: a section's pagination stops at
				   a page whose dates are mostly before 1 August of the year
				   before (the start of the previous school year). */
};

/* News list pages a focused crawl fetches per site: 10 posts a page on
 * the usual portals, so enough for the 40 posts of HCMC rubric 3.3. */
#define CRAWL_LIST_PAGES_DEFAULT 6

/* Pages of a disclosure section fetched per site beyond its focus links:
 * a list of 10-20 posts a page, mostly menus and notices, over the two
 * school years the audit looks at; and the newest menus or meal photos
 * among them (under TT 09/2024 weekly menus are items). */
#define CRAWL_SECTION_PAGES_DEFAULT 24
#define CRAWL_SECTION_MINOR 3

/* The explore budget the crawl command uses: the start page's menu
 * targets and a few list pages, enough to reach a Công khai section. */
#define CRAWL_EXPLORE_DEFAULT 1

#define CRAWL_OPTIONS_INIT                                                                     \
	{                                                                                      \
		.max_pages = 300, .max_depth = 10, .max_bytes = 5u << 20, .timeout_s = 20,     \
		.site_budget_s = 600, .max_redirects = 5, .per_host = 2, .delay_ms = 1000,     \
		.max_connections = 64, .list_pages = CRAWL_LIST_PAGES_DEFAULT, .max_docs = 40, \
		.max_doc_bytes = 10u << 20, .doc_timeout_s = 10,                               \
		.section_pages = CRAWL_SECTION_PAGES_DEFAULT,                                  \
	}

struct crawl_site {
	const char *school_id;
	const char *start_url; /* "http://..." or "https://..."; a bare host means http:// */
};

struct crawl_site_result {
	bool reachable;         /* the start page (after redirects) answered 2xx with HTML */
	const char *reason;     /* when not reachable: "dns", "connect", "tls", "timeout",
				   "http 404", "robots", "not html (application/pdf)",
				   "address guard: 127.0.0.2 not allowed", "budget" (the
				   site's time budget ran out first), ...; one line.  When
				   reachable: NULL, or "budget" when the time budget cut the
				   crawl of the site short */
	const char *final_host; /* host the site lives on after the start redirect (NULL when
				   the start URL was unusable) */
	int pages, errors;      /* pages handed to on_page; those with an error or status >= 400
				   (URLs robots.txt disallows, error "robots", are pages but
				   not errors) */
};

/* Called on the crawl thread for every fetched URL (including failures:
 * page->error set, page->status may be 0), in fetch order.  A document
 * (status 2xx, not HTML) comes with its text read by crawler/docspawn.h:
 * text = main_text = the text, metas doc:status and doc:pages.  Takes
 * ownership of page.  robots.txt is not a page.  A negative return aborts
 * the whole crawl with that status. */
typedef status (*crawl_page_fn)(void *ctx, const struct crawl_site *site, struct page *page);
/* Called once per site when it is finished (not for sites still running
 * when the crawl is stopped or aborted).  res and its strings are valid
 * during the call only.  A negative return aborts the crawl. */
typedef status (*crawl_site_fn)(void *ctx, const struct crawl_site *site,
				const struct crawl_site_result *res);

#endif
