#include "crawler/crawl.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "crawler/fetch.h"
#include "crawler/frontier.h"
#include "crawler/guard.h"
#include "crawler/html.h"
#include "crawler/parser.h"
#include "crawler/robots.h"
#include "crawler/scope.h"
#include "crawler/sitemap.h"
#include "crawler/url.h"

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

enum req_kind { REQ_ROBOTS, REQ_PAGE, REQ_SITEMAP };

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
	int depth, attempt;
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
	bool is_start;
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
	struct req *reqs; /* in flight */
	struct parser *parser; /* NULL: parse on this thread */
	int inflight;
	int64_t wake_ms;
};

static struct host *host_get(struct crawl *c, const char *name)
{
	uint64_t h = 1469598103934665603ULL;
	const char *p;
	struct host *e;

	for (p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (e = c->hosts[h % HOST_BUCKETS]; e; e = e->next)
		if (strcmp(e->name, name) == 0)
			return e;
	e = calloc(1, sizeof(*e));
	if (!e || !(e->name = str_dup(name))) {
		free(e);
		return NULL;
	}
	e->delay_ms = c->o->delay_ms;
	e->next = c->hosts[h % HOST_BUCKETS];
	c->hosts[h % HOST_BUCKETS] = e;
	return e;
}

/* The host of a normalised URL, copied into out; "" when it has none. */
static void host_of(const char *url, char *out, size_t n)
{
	const char *p = strstr(url, "://");
	size_t len;

	out[0] = '\0';
	if (!p)
		return;
	p += 3;
	len = *p == '[' ? strcspn(p, "]") + 1 : strcspn(p, ":/?#");
	if (len < n) {
		memcpy(out, p, len);
		out[len] = '\0';
	}
}

static void site_free(struct site *s)
{
	if (!s)
		return;
	free(s->start);
	free(s->base);
	free(s->host);
	free(s->robots_host);
	for (int i = 0; i < s->nretries; i++)
		free(s->retries[i].url);
	for (int i = 0; i < s->nsitemaps; i++)
		free(s->sitemaps[i]);
	robots_free(s->robots);
	frontier_free(s->fr);
	free(s);
}

static void close_site(struct site *s, const char *fmt, const char *arg)
{
	if (fmt && !s->reason[0])
		snprintf(s->reason, sizeof(s->reason), fmt, arg);
	s->closed = true;
}

/* Opens the next site: normalises its start URL and queues it.  A site
 * whose start URL is unusable is finished at once. */
static status site_open(struct crawl *c, const struct crawl_site *def, struct site **out)
{
	struct site *s = calloc(1, sizeof(*s));
	char *withscheme = NULL;
	const char *start = def->start_url ? def->start_url : "";
	bool added;
	status st;

	*out = NULL;
	if (!s)
		return status_set(ST_NOMEM, "out of memory opening a site");
	s->def = def;
	s->started_ms = clock_ms();
	st = frontier_new(&s->fr);
	if (st < 0)
		goto fail;
	if (!strstr(start, "://")) {
		size_t n = strlen(start) + 8;

		withscheme = malloc(n);
		if (!withscheme) {
			st = status_set(ST_NOMEM, "out of memory opening a site");
			goto fail;
		}
		snprintf(withscheme, n, "http://%s", start);
		start = withscheme;
	}
	if (url_resolve(&s->start, NULL, start) < 0 || url_host(&s->host, s->start) < 0) {
		close_site(s, "invalid start URL: %s", def->start_url ? def->start_url : "(none)");
	} else if (!(s->base = str_dup(s->start))) {
		st = status_set(ST_NOMEM, "out of memory opening a site");
		goto fail;
	} else {
		st = frontier_push(s->fr, s->start, 0, 0, &added);
		if (st < 0)
			goto fail;
	}
	free(withscheme);
	*out = s;
	return ST_OK;
fail:
	free(withscheme);
	site_free(s);
	return st;
}

/* Asks the caller for a stored copy of url and makes the request
 * conditional on it. */
static status make_conditional(struct crawl *c, struct req *r, const char *url)
{
	status st;

	if (!c->o->cached || r->kind != REQ_PAGE)
		return ST_OK;
	st = c->o->cached(c->o->cached_ctx, r->site->def, url, &r->cached);
	if (st < 0 || !r->cached)
		return st;
	return fetch_set_validators(r->f, r->cached->etag, r->cached->last_modified);
}

static status start_req(struct crawl *c, struct site *s, struct host *h, enum req_kind kind,
			const char *url, int depth, int attempt, int64_t now)
{
	struct req *r = calloc(1, sizeof(*r));
	status st;
	CURLMcode mc;

	if (!r)
		return status_set(ST_NOMEM, "out of memory starting a request");
	r->kind = kind;
	r->site = s;
	r->host = h;
	r->depth = depth;
	r->attempt = attempt;
	r->is_start = kind == REQ_PAGE && !s->start_done;
	st = fetch_new(&r->f, &c->fc, url,
		       kind == REQ_ROBOTS    ? ROBOTS_MAX_BYTES
		       : kind == REQ_SITEMAP ? SITEMAP_FETCH_MAX
					     : c->o->max_bytes,
		       kind == REQ_PAGE ? FETCH_BODY_HTML : FETCH_BODY_ALL, r);
	if (st == ST_OK)
		st = make_conditional(c, r, url);
	if (st < 0) {
		page_free(r->cached);
		fetch_free(r->f);
		free(r);
		return st;
	}
	mc = curl_multi_add_handle(c->multi, fetch_easy(r->f));
	if (mc != CURLM_OK) {
		page_free(r->cached);
		fetch_free(r->f);
		free(r);
		return status_set(ST_NET, "cannot start a transfer: %s", curl_multi_strerror(mc));
	}
	r->next = c->reqs;
	if (c->reqs)
		c->reqs->prev = r;
	c->reqs = r;
	c->inflight++;
	s->inflight++;
	h->inflight++;
	h->next_ms = now + h->delay_ms;
	if (kind == REQ_ROBOTS)
		s->robots_pending = true;
	else if (r->is_start)
		s->start_pending = true;
	log_debug("fetch %s", url);
	return ST_OK;
}

/* May a request to host h start now?  Records when to look again. */
static bool host_ready(struct crawl *c, struct host *h, int64_t now)
{
	if (h->inflight >= c->o->per_host)
		return false;
	if (now < h->next_ms) {
		if (h->next_ms < c->wake_ms)
			c->wake_ms = h->next_ms;
		return false;
	}
	return true;
}

static status start_robots(struct crawl *c, struct site *s, int64_t now, int *started)
{
	struct host *h = host_get(c, s->host);
	char *url = NULL;
	status st;

	if (!h)
		return status_set(ST_NOMEM, "out of memory");
	if (!host_ready(c, h, now))
		return ST_OK;
	if (url_resolve(&url, s->base, "/robots.txt") < 0) {
		close_site(s, "invalid start URL: %s", s->base);
		return ST_OK;
	}
	st = start_req(c, s, h, REQ_ROBOTS, url, 0, 0, now);
	free(url);
	if (st == ST_OK)
		*started = 1;
	return st;
}

static bool robots_allow(const struct site *s, const char *url)
{
	char *path = NULL;
	bool ok;

	if (url_path_query(&path, url) < 0)
		return false;
	ok = robots_allowed(s->robots, path);
	free(path);
	return ok;
}

/* Starts the next page of s if caps and politeness allow.  *started is 1
 * when a request started, 2 when a URL was consumed without one (robots),
 * 0 when s must wait. */
static status start_page(struct crawl *c, struct site *s, int64_t now, int *started)
{
	char hostname[256], *url = NULL;
	struct host *h;
	int depth;
	status st;

	if (s->start_pending || frontier_len(s->fr) == 0)
		return ST_OK;
	if (c->o->max_pages > 0 && s->pages + s->inflight + s->parsing >= c->o->max_pages)
		return ST_OK;
	/* Every queued URL is on the site's host or its www variant. */
	h = host_get(c, s->host);
	if (!h)
		return status_set(ST_NOMEM, "out of memory");
	if (!host_ready(c, h, now))
		return ST_OK;
	if (!frontier_pop(s->fr, &url, &depth))
		return ST_OK;
	host_of(url, hostname, sizeof(hostname));
	if (strcmp(hostname, s->host) != 0 && !(h = host_get(c, hostname))) {
		free(url);
		return status_set(ST_NOMEM, "out of memory");
	}
	if (!robots_allow(s, url)) {
		if (!s->start_done)
			close_site(s, "%s", s->robots_note[0] ? s->robots_note : "robots");
		log_debug("robots.txt disallows %s", url);
		free(url);
		*started = 2;
		return ST_OK;
	}
	st = start_req(c, s, h, REQ_PAGE, url, depth, 0, now);
	free(url);
	if (st == ST_OK)
		*started = 1;
	return st;
}

/* Starts the first retry of s that is due, if its host allows. */
static status start_retry(struct crawl *c, struct site *s, int64_t now, int *started)
{
	char hostname[256];
	struct retry rt;
	struct host *h;
	int i;
	status st;

	for (i = 0; i < s->nretries; i++) {
		if (s->retries[i].not_before > now) {
			if (s->retries[i].not_before < c->wake_ms)
				c->wake_ms = s->retries[i].not_before;
			continue;
		}
		host_of(s->retries[i].url, hostname, sizeof(hostname));
		if (!(h = host_get(c, hostname)))
			return status_set(ST_NOMEM, "out of memory");
		if (!host_ready(c, h, now))
			return ST_OK;
		rt = s->retries[i];
		s->retries[i] = s->retries[--s->nretries];
		st = start_req(c, s, h, rt.kind, rt.url, rt.depth, rt.attempt, now);
		free(rt.url);
		if (st == ST_OK)
			*started = 1;
		return st;
	}
	return ST_OK;
}

/* Sitemaps go after the start page (which decides reachability) and
 * before the frontier, so their URLs and lastmods are known early. */
static status start_sitemap(struct crawl *c, struct site *s, int64_t now, int *started)
{
	char hostname[256], *url;
	struct host *h;
	status st;

	host_of(s->sitemaps[s->nsitemaps - 1], hostname, sizeof(hostname));
	if (!(h = host_get(c, hostname)))
		return status_set(ST_NOMEM, "out of memory");
	if (!host_ready(c, h, now))
		return ST_OK;
	url = s->sitemaps[--s->nsitemaps];
	st = start_req(c, s, h, REQ_SITEMAP, url, 0, 0, now);
	free(url);
	if (st == ST_OK)
		*started = 1;
	return st;
}

/* Queues a sitemap URL of the site (at most SITEMAPS_PER_SITE in all). */
static status want_sitemap(struct site *s, const char *base, const char *ref)
{
	char *url = NULL, hostname[256];

	if (s->sitemaps_taken >= SITEMAPS_PER_SITE || url_resolve(&url, base, ref) < 0)
		return ST_OK;
	host_of(url, hostname, sizeof(hostname));
	if (!url_same_site(hostname, s->host)) {
		free(url);
		return ST_OK;
	}
	s->sitemaps[s->nsitemaps++] = url;
	s->sitemaps_taken++;
	return ST_OK;
}

/* The sitemaps robots.txt lists, or /sitemap.xml when it lists none and
 * may be fetched. */
static status list_sitemaps(struct site *s)
{
	size_t i, n;
	status st = ST_OK;

	/* Only once the site's final host is known and its robots.txt read. */
	if (s->sitemaps_listed || s->closed || !s->reachable || !s->robots ||
	    !url_same_site(s->robots_host, s->host))
		return ST_OK;
	n = robots_nsitemaps(s->robots);
	s->sitemaps_listed = true;
	for (i = 0; i < n && st == ST_OK; i++)
		st = want_sitemap(s, s->base, robots_sitemap(s->robots, i));
	if (st == ST_OK && n == 0 && robots_allowed(s->robots, "/sitemap.xml"))
		st = want_sitemap(s, s->base, "/sitemap.xml");
	return st;
}

static status try_start(struct crawl *c, struct site *s, int64_t now, int *started)
{
	*started = 0;
	if (s->closed)
		return ST_OK;
	if (c->o->site_budget_s > 0 && now - s->started_ms > c->o->site_budget_s * 1000) {
		log_info("%s: site time budget of %ld s used up", s->host, c->o->site_budget_s);
		close_site(s, "%s", "site time budget exceeded");
		return ST_OK;
	}
	if (s->nretries > 0) {
		status st = start_retry(c, s, now, started);

		if (st < 0 || *started)
			return st;
	}
	if (s->robots_pending)
		return ST_OK;
	if (!s->robots_host || !url_same_site(s->robots_host, s->host))
		return start_robots(c, s, now, started);
	if (s->reachable && s->nsitemaps > 0 &&
	    !(c->o->max_pages > 0 && s->pages + s->inflight >= c->o->max_pages))
		return start_sitemap(c, s, now, started);
	return start_page(c, s, now, started);
}

/* Starts what can start, visiting sites round-robin from a rotating
 * cursor so that no site, however large, starves the others. */
static status schedule(struct crawl *c)
{
	int64_t now = clock_ms();
	bool progress = true;
	status st = ST_OK;
	size_t k;

	c->wake_ms = now + POLL_MAX_MS;
	while (progress && c->inflight < c->o->max_connections && c->nactive) {
		progress = false;
		for (k = 0; k < c->nactive && c->inflight < c->o->max_connections; k++) {
			struct site *s = c->active[(c->cursor + k) % c->nactive];
			int started = 0;

			st = try_start(c, s, now, &started);
			if (st < 0)
				return st;
			progress = progress || started;
		}
	}
	c->cursor++;
	return ST_OK;
}

/* Whether a finished transfer should be tried again later: 429, 5xx and
 * timeouts.  If so queues the retry, pushes the host's next start back
 * (the server asked us to slow down) and returns true. */
static bool retry_later(struct crawl *c, struct req *r, CURLcode rc)
{
	struct site *s = r->site;
	long code = 0, after = fetch_retry_after(r->f), wait;
	struct retry *rt;
	int max = rc == CURLE_OPERATION_TIMEDOUT ? 1 : RETRY_MAX;

	curl_easy_getinfo(fetch_easy(r->f), CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OPERATION_TIMEDOUT &&
	    !(rc == CURLE_OK && (code == 429 || (code >= 500 && code <= 599))))
		return false;
	if (r->attempt >= max || s->closed || s->nretries >= RETRY_QUEUE_MAX)
		return false;
	wait = after >= 0 ? after * 1000 : (long)RETRY_BASE_MS << r->attempt;
	if (wait > RETRY_CAP_MS)
		wait = RETRY_CAP_MS;
	rt = &s->retries[s->nretries];
	rt->url = str_dup(fetch_url(r->f));
	if (!rt->url)
		return false; /* out of memory: deliver the failure instead */
	rt->depth = r->depth;
	rt->attempt = r->attempt + 1;
	rt->kind = r->kind;
	rt->not_before = clock_ms() + wait;
	s->nretries++;
	if (code == 429 || code == 503)
		r->host->next_ms = r->host->next_ms > rt->not_before ? r->host->next_ms : rt->not_before;
	log_info("%s: %s, retrying in %ld ms", fetch_url(r->f),
		 rc == CURLE_OPERATION_TIMEDOUT ? "timeout" : "server busy or failing", wait);
	return true;
}

static status robots_done(struct crawl *c, struct req *r, CURLcode rc)
{
	struct site *s = r->site;
	struct page *p = NULL;
	const char *reason = NULL, *body;
	size_t len;
	long delay;
	status st;

	s->robots_pending = false;
	st = page_new(&p);
	if (st == ST_OK)
		st = fetch_finish(r->f, rc, p, &reason);
	if (st == ST_OK)
		st = page_set(&s->robots_host, s->host);
	if (st < 0)
		goto done;
	robots_free(s->robots);
	s->robots = NULL;
	if (reason) {
		/* The host cannot be reached at all: so the site cannot. */
		s->errors++;
		close_site(s, "%s", reason);
		st = robots_new_all(&s->robots, false);
	} else if (p->status >= 200 && p->status < 300) {
		body = fetch_body(r->f, &len);
		st = robots_new(&s->robots, body, len, c->fc.user_agent);
	} else if (p->status >= 400 && p->status < 500 && p->status != 429) {
		st = robots_new_all(&s->robots, true); /* RFC 9309 §2.3.1.3 */
	} else {
		/* §2.3.1.4: unreachable robots.txt means complete disallow. */
		snprintf(s->robots_note, sizeof(s->robots_note), "robots (robots.txt: http %d)",
			 p->status);
		st = robots_new_all(&s->robots, false);
	}
	if (st == ST_OK && (delay = robots_crawl_delay_ms(s->robots)) > r->host->delay_ms)
		r->host->delay_ms = delay < CRAWL_DELAY_CAP_MS ? delay : CRAWL_DELAY_CAP_MS;
	if (st == ST_OK)
		st = list_sitemaps(s);
done:
	page_free(p);
	return st;
}

/* Queues a URL found in a sitemap (depth 1: one step from the site, like
 * a link on the home page) with its lastmod. */
static status queue_sitemap_url(struct crawl *c, struct site *s, const struct sitemap_entry *e)
{
	char *url = NULL, *canon = NULL, hostname[256];
	bool added;
	status st;

	if (url_resolve(&url, s->base, e->loc) < 0)
		return ST_OK;
	host_of(url, hostname, sizeof(hostname));
	if (!url_same_site(hostname, s->host) || scope_is_asset(url) || scope_is_document(url) ||
	    scope_is_trap(url)) {
		free(url);
		return ST_OK;
	}
	st = scope_canonical(&canon, url);
	if (st == ST_OK)
		st = frontier_push(s->fr, canon, 1,
				   scope_priority(canon, NULL, c->o->focus_keywords, c->o->nfocus_keywords),
				   &added);
	if (st == ST_OK && e->lastmod && *e->lastmod)
		st = frontier_set_lastmod(s->fr, canon, e->lastmod);
	free(url);
	free(canon);
	return st;
}

static status sitemap_done(struct crawl *c, struct req *r, CURLcode rc)
{
	struct site *s = r->site;
	struct sitemap *sm = NULL;
	const char *body;
	long code = 0;
	size_t len, i;
	status st = ST_OK;

	curl_easy_getinfo(fetch_easy(r->f), CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK || code < 200 || code >= 300 || s->closed) {
		log_debug("sitemap %s: not read (%s, http %ld)", fetch_url(r->f),
			  curl_easy_strerror(rc), code);
		return ST_OK;
	}
	body = fetch_body(r->f, &len);
	st = sitemap_parse(&sm, body, len);
	for (i = 0; st == ST_OK && i < sm->nentries; i++) {
		if (sm->is_index)
			st = want_sitemap(s, fetch_url(r->f), sm->entries[i].loc);
		else
			st = queue_sitemap_url(c, s, &sm->entries[i]);
	}
	sitemap_free(sm);
	return st;
}

/* Pushes the links a parse found into the frontier. */
static status queue_links(struct site *s, const struct parser_job *j, int depth)
{
	size_t i;
	bool added;
	status st = ST_OK;

	for (i = 0; i < j->nlinks && st == ST_OK; i++)
		st = frontier_push(s->fr, j->links[i].url, depth + 1, j->links[i].prio, &added);
	return st;
}

/* The start page decides whether the site is reachable and where it
 * lives after redirects. */
static status start_done(struct site *s, const struct page *p, const char *reason, bool html)
{
	char hostname[256], code[16];

	s->start_done = true;
	s->start_pending = false;
	host_of(p->url, hostname, sizeof(hostname));
	/* Even a www variant becomes the site's host: it is where the pages
	 * are, and what the caller records as final_host. */
	if (hostname[0] && strcmp(hostname, s->host) != 0) {
		char *h = str_dup(hostname);

		if (!h)
			return status_set(ST_NOMEM, "out of memory");
		free(s->host);
		s->host = h;
	}
	if (page_set(&s->base, p->url) < 0)
		return status_set(ST_NOMEM, "out of memory");
	snprintf(code, sizeof(code), "%d", p->status);
	s->reachable = !reason && ((p->status >= 200 && p->status < 300) || p->status == 304) && html;
	if (reason)
		close_site(s, "%s", reason);
	else if ((p->status < 200 || p->status >= 300) && !(html && p->status == 304))
		close_site(s, "http %s", code);
	else if (!html)
		close_site(s, "not html (%s)", p->content_type ? p->content_type : "no type");
	return ST_OK;
}

static void req_destroy(struct req *r)
{
	page_free(r->cached);
	fetch_free(r->f);
	free(r);
}

/* The second half of a page, on the crawl thread once it is parsed (here
 * or by a worker): queue its links, count it and hand it over.  Frees the
 * job and its request. */
static status page_end(struct crawl *c, struct parser_job *j)
{
	struct req *r = j->owner;
	struct site *s = r->site;
	struct page *p = j->page;
	status st = j->st;

	j->page = NULL;
	if (st == ST_OK && j->want_links && !s->closed)
		st = queue_links(s, j, p->depth);
	parser_job_free(j);
	req_destroy(r);
	if (st < 0) {
		page_free(p);
		return st;
	}
	s->pages++;
	if (p->error || p->status >= 400)
		s->errors++;
	return c->on_page(c->ctx, s->def, p); /* p belongs to the caller now */
}

/* The page fields that need the transfer and the site, on the crawl
 * thread: status and headers, sitemap lastmod, the start page's verdict. */
static status page_begin(struct crawl *c, struct req *r, CURLcode rc, struct page *p, bool *html)
{
	struct site *s = r->site;
	const char *reason = NULL;
	char *canon = NULL;
	status st;

	st = fetch_finish(r->f, rc, p, &reason);
	if (st < 0)
		return st;
	p->depth = r->depth;
	if ((st = scope_canonical(&canon, p->requested_url)) == ST_OK &&
	    frontier_lastmod(s->fr, canon))
		st = page_set(&p->sitemap_lastmod, frontier_lastmod(s->fr, canon));
	free(canon);
	canon = NULL;
	/* The final URL of a redirect is fetched: do not fetch it again. */
	if (st == ST_OK && p->url && (st = scope_canonical(&canon, p->url)) == ST_OK)
		st = frontier_mark(s->fr, canon);
	free(canon);
	*html = !reason && fetch_is_html(r->f);
	if (st == ST_OK && r->is_start)
		st = start_done(s, p, reason, *html || (r->cached && p->status == 304));
	if (st == ST_OK && r->is_start)
		st = list_sitemaps(s);
	*html = *html && p->status >= 200 && p->status < 300;
	return st;
}

/* Takes ownership of r. */
static status page_done(struct crawl *c, struct req *r, CURLcode rc)
{
	struct site *s = r->site;
	struct parser_job *j = calloc(1, sizeof(*j));
	char hostname[256];
	bool html = false;
	status st;

	if (!j || (st = page_new(&j->page)) < 0) {
		free(j);
		req_destroy(r);
		return status_set(ST_NOMEM, "out of memory finishing a page");
	}
	j->owner = r;
	st = page_begin(c, r, rc, j->page, &html);
	if (st == ST_OK && r->cached && j->page->status == 304 && !j->page->error) {
		/* Not modified: the stored page stands, with this fetch's facts. */
		r->cached->status = 304;
		r->cached->depth = j->page->depth;
		r->cached->fetched_at = j->page->fetched_at;
		r->cached->fetch_ms = j->page->fetch_ms;
		page_free(j->page);
		j->page = r->cached;
		r->cached = NULL;
		st = page_set(&j->page->error, NULL);
		j->extracted = true;
		html = true;
	}
	if (st < 0) {
		j->st = st;
		return page_end(c, j);
	}
	if (!html)
		return page_end(c, j);
	host_of(j->page->url, hostname, sizeof(hostname));
	j->want_links = s->reachable && j->page->depth < c->o->max_depth &&
			url_same_site(hostname, s->host);
	j->keywords = c->o->focus_keywords;
	j->nkeywords = c->o->nfocus_keywords;
	j->body = fetch_body(r->f, &j->len);
	if (!(j->site_host = str_dup(s->host))) {
		j->st = status_set(ST_NOMEM, "out of memory finishing a page");
		return page_end(c, j);
	}
	if (c->parser) {
		s->parsing++;
		parser_submit(c->parser, j);
		return ST_OK;
	}
	parser_run(j);
	return page_end(c, j);
}

/* Finished parses from the workers. */
static status collect(struct crawl *c, int *done)
{
	struct parser_job *j;
	status st = ST_OK;

	while (st == ST_OK && c->parser && (j = parser_take(c->parser)) != NULL) {
		((struct req *)j->owner)->site->parsing--;
		st = page_end(c, j);
		(*done)++;
	}
	return st;
}

static void discard_job(struct parser_job *j, void *arg)
{
	(void)arg;
	req_destroy(j->owner);
	parser_job_free(j);
}

/* Takes r off the in-flight list and out of the multi handle. */
static void req_unlink(struct crawl *c, struct req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		c->reqs = r->next;
	if (r->next)
		r->next->prev = r->prev;
	r->prev = r->next = NULL;
	curl_multi_remove_handle(c->multi, fetch_easy(r->f));
}

static status drain(struct crawl *c, int *done)
{
	CURLMsg *m;
	int left;
	status st = ST_OK;

	*done = 0;
	while (st == ST_OK && (m = curl_multi_info_read(c->multi, &left)) != NULL) {
		struct fetch *f = NULL;
		struct req *r;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&f);
		r = fetch_owner(f);
		req_unlink(c, r);
		c->inflight--;
		r->site->inflight--;
		r->host->inflight--;
		/* A retried robots.txt or start page keeps its pending flag,
		 * so nothing else of the site starts meanwhile. */
		if (retry_later(c, r, m->data.result)) {
			req_destroy(r);
		} else if (r->kind == REQ_PAGE) {
			st = page_done(c, r, m->data.result);
		} else {
			st = r->kind == REQ_ROBOTS ? robots_done(c, r, m->data.result)
						   : sitemap_done(c, r, m->data.result);
			req_destroy(r);
		}
		(*done)++;
	}
	return st;
}

static bool site_finished(const struct crawl *c, const struct site *s)
{
	if (s->inflight > 0 || s->parsing > 0)
		return false;
	if (s->closed)
		return true;
	if (c->o->max_pages > 0 && s->pages >= c->o->max_pages)
		return true;
	if (s->nretries > 0 || (s->reachable && s->nsitemaps > 0))
		return false;
	return s->start_done && s->robots_host && url_same_site(s->robots_host, s->host) &&
	       frontier_len(s->fr) == 0;
}

static status finish_site(struct crawl *c, size_t i)
{
	struct site *s = c->active[i];
	struct crawl_site_result res;
	status st = ST_OK;

	res.reachable = s->reachable;
	res.reason = s->reachable ? NULL : (s->reason[0] ? s->reason : "unreachable");
	res.final_host = s->host;
	res.pages = s->pages;
	res.errors = s->errors;
	if (c->on_site)
		st = c->on_site(c->ctx, s->def, &res);
	site_free(s);
	c->active[i] = c->active[--c->nactive];
	return st;
}

/* Opens sites up to the active limit and finishes those that are done. */
static status turnover(struct crawl *c)
{
	size_t i;
	status st;

	for (i = 0; i < c->nactive;) {
		if (site_finished(c, c->active[i])) {
			st = finish_site(c, i);
			if (st < 0)
				return st;
		} else {
			i++;
		}
	}
	while (c->nactive < c->max_active && c->next_def < c->ndefs) {
		st = site_open(c, &c->defs[c->next_def++], &c->active[c->nactive]);
		if (st < 0)
			return st;
		c->nactive++;
	}
	return ST_OK;
}

static status check_options(const struct crawl_options *o)
{
	if (o->max_pages < 0 || o->max_depth < 0 || o->max_bytes == 0 || o->timeout_s < 1 ||
	    o->site_budget_s < 0 || o->max_redirects < 0 || o->per_host < 1 || o->delay_ms < 0 ||
	    o->max_connections < 1 || o->parse_threads < 0)
		return status_set(ST_INVALID, "bad crawl options: limits must be positive");
	return ST_OK;
}

/* Called by a parser worker: wakes the crawl thread out of curl's poll. */
static void wake(void *multi)
{
	curl_multi_wakeup(multi);
}

static status setup(struct crawl *c)
{
	const struct crawl_options *o = c->o;
	struct curl_slist *l;
	size_t i;
	status st;

	c->fc.user_agent = o->user_agent ? o->user_agent : CRAWL_DEFAULT_USER_AGENT;
	c->fc.timeout_s = o->timeout_s;
	c->fc.max_redirects = o->max_redirects;
	st = guard_new(&c->guard, o->allow_private, o->allow_addr, o->nallow_addr);
	if (st < 0)
		return st;
	c->fc.guard = c->guard;
	for (i = 0; i < o->nresolve; i++) {
		const char *e = o->resolve[i];
		const char *a = e ? strchr(e, ':') : NULL;

		if (!a || !strchr(a + 1, ':'))
			return status_set(ST_INVALID, "bad resolve entry '%s': want HOST:PORT:ADDR",
					  e ? e : "");
		l = curl_slist_append(c->fc.resolve, e);
		if (!l)
			return status_set(ST_NOMEM, "out of memory");
		c->fc.resolve = l;
	}
	c->max_active = (size_t)o->max_connections * ACTIVE_PER_CONNECTION;
	c->active = calloc(c->max_active, sizeof(*c->active));
	c->multi = curl_multi_init();
	if (!c->active || !c->multi)
		return status_set(ST_NOMEM, "out of memory starting the crawl");
	if (o->parse_threads > 0) {
		st = parser_new(&c->parser, o->parse_threads, wake, c->multi);
		if (st < 0)
			return st;
	}
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)o->per_host);
	curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)o->max_connections);
	return ST_OK;
}

static void teardown(struct crawl *c)
{
	size_t i;

	parser_free(c->parser, discard_job, NULL);
	while (c->reqs) {
		struct req *r = c->reqs;

		req_unlink(c, r);
		req_destroy(r);
	}
	for (i = 0; i < c->nactive; i++)
		site_free(c->active[i]);
	free(c->active);
	for (i = 0; i < HOST_BUCKETS; i++) {
		while (c->hosts[i]) {
			struct host *h = c->hosts[i];

			c->hosts[i] = h->next;
			free(h->name);
			free(h);
		}
	}
	if (c->multi)
		curl_multi_cleanup(c->multi);
	curl_slist_free_all(c->fc.resolve);
	guard_free(c->guard);
}

static status loop(struct crawl *c)
{
	status st = ST_OK;
	int running, timeout, done;
	CURLMcode mc;

	for (;;) {
		if (c->o->stop && *c->o->stop)
			return status_set(ST_INTERRUPTED, "crawl stopped");
		st = turnover(c);
		if (st < 0 || (c->nactive == 0 && c->next_def >= c->ndefs))
			return st;
		st = schedule(c);
		if (st < 0)
			return st;
		mc = curl_multi_perform(c->multi, &running);
		if (mc != CURLM_OK)
			return status_set(ST_NET, "curl: %s", curl_multi_strerror(mc));
		st = drain(c, &done);
		if (st == ST_OK)
			st = collect(c, &done);
		if (st < 0)
			return st;
		if (done > 0)
			continue; /* new links may be ready to start now */
		timeout = (int)(c->wake_ms - clock_ms());
		if (timeout < 1)
			timeout = 1;
		if (timeout > POLL_MAX_MS)
			timeout = POLL_MAX_MS;
		mc = curl_multi_poll(c->multi, NULL, 0, timeout, NULL);
		if (mc != CURLM_OK)
			return status_set(ST_NET, "curl: %s", curl_multi_strerror(mc));
	}
}

status crawl_run(const struct crawl_options *o, const struct crawl_site *sites, size_t nsites,
		 crawl_page_fn on_page, crawl_site_fn on_site, void *ctx)
{
	struct crawl *c = NULL;
	status st;

	if (!o || !on_page || (nsites && !sites))
		return status_set(ST_INVALID, "crawl_run: missing options, sites or page callback");
	st = check_options(o);
	if (st < 0)
		return st;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return status_set(ST_NET, "cannot initialise libcurl");
	html_init();
	c = calloc(1, sizeof(*c));
	if (!c) {
		st = status_set(ST_NOMEM, "out of memory starting the crawl");
		goto done;
	}
	c->o = o;
	c->defs = sites;
	c->ndefs = nsites;
	c->on_page = on_page;
	c->on_site = on_site;
	c->ctx = ctx;
	st = setup(c);
	if (st == ST_OK)
		st = loop(c);
done:
	if (c)
		teardown(c);
	free(c);
	curl_global_cleanup();
	return st;
}
