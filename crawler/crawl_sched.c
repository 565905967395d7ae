/* Starting requests: each turn, which request of which site may start,
 * by the site's state (one handler per state), its budgets and its
 * host's politeness. */
#include "crawler/crawl_sched.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/hash.h"
#include "core/log.h"
#include "core/str.h"
#include "crawler/crawl_done.h"
#include "crawler/resolve_map.h"
#include "crawler/scope.h"
#include "crawler/site.h"
#include "crawler/soft404.h"
#include "crawler/url.h"

static struct host *host_find(struct crawl *c, const char *name)
{
	struct host *e;

	for (e = c->hosts[hash_str(name) % HOST_BUCKETS]; e; e = e->next)
		if (strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

static struct host *host_get(struct crawl *c, const char *name)
{
	uint64_t h = hash_str(name);
	struct host *e = host_find(c, name);

	if (e)
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

static void host_mark(struct crawl *c, const char *name)
{
	struct host *h = name ? host_find(c, name) : NULL;

	if (h)
		h->mark = c->sweeps;
}

void crawl_hosts_sweep(struct crawl *c, int64_t now)
{
	struct host **pp, *h;
	size_t i;

	c->sweeps++;
	c->swept_ms = now;
	for (i = 0; i < c->nactive; i++) {
		host_mark(c, c->active[i]->host);
		host_mark(c, c->active[i]->robots_host);
	}
	for (i = 0; i < HOST_BUCKETS; i++) {
		for (pp = &c->hosts[i]; (h = *pp) != NULL;) {
			if (h->mark == c->sweeps || h->inflight > 0 || h->busy > 0 ||
			    h->next_ms > now) {
				pp = &h->next;
				continue;
			}
			*pp = h->next;
			free(h->name);
			free(h);
		}
	}
}

/* Asks the caller for a stored copy of url and makes the request
 * conditional on it. */
static status make_conditional(struct crawl *c, struct req *r, const char *url)
{
	status st;

	if (!c->o->cached || r->kind != REQ_PAGE)
		return ST_OK;
	st = c->o->cached(c->o->cached_ctx, &r->site->def, url, &r->cached);
	if (st < 0 || !r->cached)
		return st;
	return fetch_set_validators(r->f, r->cached->etag, r->cached->last_modified);
}

static status start_req(struct crawl *c, struct site *s, struct host *h, enum req_kind kind,
			const char *url, int depth, int attempt, int prio, int64_t now)
{
	bool doc = kind == REQ_PAGE && site_started(s) && scope_is_document(url);
	struct req *r = calloc(1, sizeof(*r));
	struct fetch_config fc;
	status st;
	CURLMcode mc;

	if (!r)
		return status_set(ST_NOMEM, "out of memory starting a request");
	r->kind = kind;
	r->site = s;
	r->host = h;
	r->depth = depth;
	r->attempt = attempt;
	r->prio = prio;
	r->is_start = kind == REQ_PAGE && s->state == SITE_START;
	r->is_doc = doc;
	/* Only its own host's CURLOPT_RESOLVE entries: curl walks its whole
	 * DNS cache after every transfer (crawler/resolve_map.h). */
	fc = c->fc;
	st = resolve_map_for(&r->resolve, c->resolve, url);
	fc.resolve = r->resolve;
	if (st == ST_OK)
		st = fetch_new(&r->f, &fc, url,
			       kind == REQ_ROBOTS    ? ROBOTS_MAX_BYTES
			       : kind == REQ_SITEMAP ? SITEMAP_FETCH_MAX
			       : doc                 ? c->o->max_doc_bytes
						     : c->o->max_bytes,
			       kind == REQ_ROBOTS                                ? FETCH_BODY_PREFIX
			       : (kind == REQ_PAGE && !doc) || kind == REQ_PROBE ? FETCH_BODY_HTML
										 : FETCH_BODY_ALL,
			       r);
	if (st == ST_OK)
		st = make_conditional(c, r, url);
	if (st < 0) {
		site_req_free(r);
		return st;
	}
	mc = curl_multi_add_handle(c->multi, fetch_easy(r->f));
	if (mc != CURLM_OK) {
		site_req_free(r);
		return status_set(ST_NET, "cannot start a transfer: %s", curl_multi_strerror(mc));
	}
	r->next = c->reqs;
	if (c->reqs)
		c->reqs->prev = r;
	c->reqs = r;
	c->inflight++;
	s->inflight++;
	h->inflight++;
	c->docs_active += doc;
	c->sitemaps_active += kind == REQ_SITEMAP;
	h->next_ms = now + h->delay_ms;
	log_debug("fetch %s (rank %d)", url, prio);
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

static status start_robots(struct crawl *c, struct site *s, int64_t now, bool *progress)
{
	struct host *h = host_get(c, s->host);
	char *url = NULL;
	status st;

	if (!h)
		return status_set(ST_NOMEM, "out of memory");
	if (!host_ready(c, h, now))
		return ST_OK;
	if (url_resolve(&url, s->base, "/robots.txt") < 0) {
		site_close(s, "invalid start URL: %s", s->base);
		return ST_OK;
	}
	st = start_req(c, s, h, REQ_ROBOTS, url, 0, 0, 0, now);
	free(url);
	if (st == ST_OK)
		*progress = true;
	return st;
}

/* What may happen to the URL at the top of the frontier of s, from the
 * budget its rank draws on.  Focus and section links (rank <=
 * SCOPE_RANK_SECTION) always go.  With an explore budget:
 * - news list pages (SCOPE_RANK_LIST) go while list_pages allows; they
 *   count toward the explore budget too, so a site with a news list spends
 *   its exploration there rather than on "Liên hệ";
 * - pages and posts of a disclosure section (SCOPE_RANK_SECTION_*) draw on
 *   section_pages, menus and meal photos on CRAWL_SECTION_MINOR instead (so
 *   notices cannot crowd out the newest menus); past it they are dropped,
 *   so what ranks below is still reached;
 * - everything else is explored: once the budget is used up (and the site
 *   has shown a focus link: without one it is explored up to max_pages,
 *   its disclosures may be anywhere) nothing more of the frontier will be
 *   fetched, unless a page in flight brings a focus link.
 * Section and explore pages start only once nothing of the site is in
 * flight or being parsed: those may bring focus links, the next page of a
 * list or the cutoff that ends it, so the same site crawled twice fetches
 * the same pages whatever the timing. */
enum gate { GATE_GO, GATE_WAIT, GATE_DROP, GATE_END };

static bool section_rank(int prio)
{
	return (prio >= SCOPE_RANK_SECTION_PAGE && prio <= SCOPE_RANK_SECTION_POST) ||
	       prio == SCOPE_RANK_SECTION_MINOR;
}

static enum gate gate(const struct crawl *c, const struct site *s)
{
	int top = frontier_top_prio(s->fr);
	bool busy = s->inflight > 0 || s->parsing > 0;

	if (c->o->explore_pages <= 0 || !site_started(s) || top <= SCOPE_RANK_SECTION)
		return GATE_GO;
	if (top == SCOPE_RANK_LIST && s->listed < c->o->list_pages)
		return GATE_GO;
	if (section_rank(top)) {
		if (top == SCOPE_RANK_SECTION_MINOR ? s->minor >= CRAWL_SECTION_MINOR
						    : s->sectioned >= c->o->section_pages)
			return GATE_DROP;
		return busy ? GATE_WAIT : GATE_GO;
	}
	if (s->focus_seen && s->explored + s->listed >= c->o->explore_pages)
		return GATE_END;
	return busy ? GATE_WAIT : GATE_GO;
}

/* Pages of s toward max_pages: fetched, in flight or being parsed, less
 * the documents (counted by max_docs instead; a document waiting for a
 * retry makes this undercount by one, which max_pages tolerates). */
static int site_pages(const struct site *s)
{
	return s->pages - s->blocked + s->inflight + s->parsing - s->docs;
}

/* Starts the document at the top of the frontier of s, or drops it when
 * the site's max_docs are used up.  Documents spend no explore budget;
 * DOCS_ACTIVE_MAX bounds how many bodies are held at once. */
static status start_doc(struct crawl *c, struct site *s, int64_t now, bool *progress)
{
	char hostname[256];
	const char *url = NULL;
	struct host *h;
	int depth, prio;
	status st;

	if (s->docs < c->o->max_docs && c->docs_active >= DOCS_ACTIVE_MAX)
		return ST_OK;
	urlsplit_host(frontier_top_url(s->fr), hostname, sizeof(hostname));
	if (!(h = host_get(c, hostname)))
		return status_set(ST_NOMEM, "out of memory");
	if (s->docs < c->o->max_docs && !host_ready(c, h, now))
		return ST_OK;
	prio = frontier_top_prio(s->fr);
	if (!frontier_pop(s->fr, &url, &depth))
		return ST_OK;
	*progress = true;
	if (s->docs >= c->o->max_docs) {
		log_debug("%s: over the document cap of %d, not fetched", url, c->o->max_docs);
	} else if (!site_robots_allow(s, url)) {
		log_debug("robots.txt disallows %s", url);
		st = site_blocked(c, s, url, depth);
		return st;
	} else if ((st = start_req(c, s, h, REQ_PAGE, url, depth, 0, prio, now)) < 0) {
		return st;
	} else {
		*progress = true;
		s->docs++;
	}
	return ST_OK;
}

/* Starts the next page of s if caps and politeness allow.  *progress is
 * set when a request started or a URL was consumed without one (robots,
 * a spent section budget); left false when s must wait. */
static status start_page(struct crawl *c, struct site *s, int64_t now, bool *progress)
{
	char hostname[256];
	const char *url = NULL;
	const char *top;
	struct host *h;
	int depth, prio;
	bool explore, list, section, doc;
	enum gate g;
	status st;

	if (frontier_len(s->fr) == 0)
		return ST_OK;
	top = frontier_top_url(s->fr);
	doc = site_started(s) && top && scope_is_document(top);
	if (c->o->max_pages > 0 && site_pages(s) >= c->o->max_pages) {
		/* Once the pages are used up (not just in flight) but not the
		 * documents, skip pages to reach the documents queued. */
		if (doc)
			return start_doc(c, s, now, progress);
		if (s->docs < c->o->max_docs &&
		    s->pages - s->blocked - s->docs >= c->o->max_pages &&
		    frontier_pop(s->fr, &url, &depth))
			*progress = true;
		return ST_OK;
	}
	g = gate(c, s);
	if (g == GATE_WAIT || g == GATE_END)
		return ST_OK;
	if (g == GATE_DROP) {
		if (frontier_pop(s->fr, &url, &depth))
			log_debug("section budget spent: not fetching %s", url);
		*progress = true;
		return ST_OK;
	}
	if (doc)
		return start_doc(c, s, now, progress);
	prio = frontier_top_prio(s->fr);
	list = c->o->explore_pages > 0 && site_started(s) && prio == SCOPE_RANK_LIST &&
	       s->listed < c->o->list_pages;
	section = c->o->explore_pages > 0 && site_started(s) && section_rank(prio);
	explore = site_started(s) && prio > SCOPE_RANK_SECTION && !list && !section;
	/* Every queued URL is on the site's host or its www variant. */
	h = host_get(c, s->host);
	if (!h)
		return status_set(ST_NOMEM, "out of memory");
	if (!host_ready(c, h, now))
		return ST_OK;
	if (!frontier_pop(s->fr, &url, &depth))
		return ST_OK;
	urlsplit_host(url, hostname, sizeof(hostname));
	if (strcmp(hostname, s->host) != 0 && !(h = host_get(c, hostname))) {
		return status_set(ST_NOMEM, "out of memory");
	}
	if (!site_robots_allow(s, url)) {
		if (!site_started(s))
			site_close(s, "%s", s->robots_note[0] ? s->robots_note : "robots");
		log_debug("robots.txt disallows %s", url);
		st = site_started(s) ? site_blocked(c, s, url, depth) : ST_OK;
		*progress = true;
		return st;
	}
	st = start_req(c, s, h, REQ_PAGE, url, depth, 0, prio, now);
	if (st == ST_OK) {
		*progress = true;
		s->explored += explore;
		s->listed += list;
		s->sectioned += section && prio != SCOPE_RANK_SECTION_MINOR;
		s->minor += section && prio == SCOPE_RANK_SECTION_MINOR;
	}
	return st;
}

/* Starts the first retry of s that is due, if its host allows. */
static status start_retry(struct crawl *c, struct site *s, int64_t now, bool *progress)
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
		urlsplit_host(s->retries[i].url, hostname, sizeof(hostname));
		if (!(h = host_get(c, hostname)))
			return status_set(ST_NOMEM, "out of memory");
		if (!host_ready(c, h, now))
			return ST_OK;
		rt = s->retries[i];
		s->retries[i] = s->retries[--s->nretries];
		st = start_req(c, s, h, rt.kind, rt.url, rt.depth, rt.attempt, rt.prio, now);
		free(rt.url);
		if (st == ST_OK)
			*progress = true;
		return st;
	}
	return ST_OK;
}

/* The probe goes once the start page is in and parsed (its fingerprint is
 * what a parked portal's probe is compared with), before anything else of
 * the site, so every page after it can be judged a soft 404.  It is one
 * request like any other (politeness, robots.txt); not a page. */
static status start_probe(struct crawl *c, struct site *s, int64_t now, bool *progress)
{
	char path[40], *url = NULL;
	struct host *h;
	status st;

	soft404_probe_path(path, sizeof(path), s->host);
	if (url_resolve(&url, s->base, path) < 0 || !site_robots_allow(s, url)) {
		free(url);
		return crawl_probe_done(c, s, NULL, CURLE_OK);
	}
	if (!(h = host_get(c, s->host))) {
		free(url);
		return status_set(ST_NOMEM, "out of memory");
	}
	if (!host_ready(c, h, now)) {
		free(url);
		return ST_OK;
	}
	st = start_req(c, s, h, REQ_PROBE, url, 0, 0, 0, now);
	free(url);
	if (st == ST_OK)
		*progress = true;
	return st;
}

/* Sitemaps go after the start page (which decides reachability) and
 * before the frontier, so their URLs and lastmods are known early. */
static status start_sitemap(struct crawl *c, struct site *s, int64_t now, bool *progress)
{
	char hostname[256], *url;
	struct host *h;
	status st;

	if (c->sitemaps_active >= SITEMAPS_ACTIVE_MAX)
		return ST_OK;
	urlsplit_host(s->sitemaps[s->nsitemaps - 1], hostname, sizeof(hostname));
	if (!(h = host_get(c, hostname)))
		return status_set(ST_NOMEM, "out of memory");
	if (!host_ready(c, h, now))
		return ST_OK;
	url = s->sitemaps[--s->nsitemaps];
	st = start_req(c, s, h, REQ_SITEMAP, url, 0, 0, 0, now);
	free(url);
	if (st == ST_OK)
		*progress = true;
	return st;
}

/* Whether the request of the site's current state is in flight (or
 * being parsed) or waiting for its retry: then the site waits. */
static bool state_busy(const struct site *s)
{
	return s->inflight > 0 || s->parsing > 0 || s->nretries > 0;
}

/* The sitemaps go before the frontier, unless the pages are used up. */
static status on_sitemaps(struct crawl *c, struct site *s, int64_t now, bool *progress)
{
	if (s->nsitemaps > 0 && !(c->o->max_pages > 0 &&
				  s->pages - s->blocked + s->inflight - s->docs >= c->o->max_pages))
		return start_sitemap(c, s, now, progress);
	site_set_state(s, SITE_EXPLORE);
	return start_page(c, s, now, progress);
}

/* Starts what the state of s asks for, retries first. */
static status try_start(struct crawl *c, struct site *s, int64_t now, bool *progress)
{
	*progress = false;
	if (s->state == SITE_DONE)
		return ST_OK;
	if (c->o->site_budget_s > 0 && now - s->started_ms > c->o->site_budget_s * 1000) {
		log_info("%s: site time budget of %ld s used up", s->host, c->o->site_budget_s);
		site_close(s, "%s", "budget");
		return ST_OK;
	}
	if (s->nretries > 0) {
		status st = start_retry(c, s, now, progress);

		if (st < 0 || *progress)
			return st;
	}
	switch (s->state) {
	case SITE_ROBOTS:
	case SITE_FINAL_ROBOTS:
		/* The final host's robots.txt may go while the start page is
		 * being parsed. */
		return s->inflight > 0 || s->nretries > 0 ? ST_OK
							  : start_robots(c, s, now, progress);
	case SITE_START:
		return state_busy(s) ? ST_OK : start_page(c, s, now, progress);
	case SITE_PROBE:
		return state_busy(s) ? ST_OK : start_probe(c, s, now, progress);
	case SITE_SITEMAPS:
		return on_sitemaps(c, s, now, progress);
	case SITE_EXPLORE:
		return start_page(c, s, now, progress);
	case SITE_DONE:
		break;
	}
	return ST_OK;
}

/* Starts what can start, visiting sites round-robin from a rotating
 * cursor so that no site, however large, starves the others. */
status crawl_schedule(struct crawl *c)
{
	int64_t now = clock_ms();
	bool progress = true;
	status st = ST_OK;
	size_t k;

	c->wake_ms = now + POLL_MAX_MS;
	/* The parsers' wake-up brings the loop back when they catch up. */
	if (c->parser && c->parsing >= c->o->parse_threads * PARSE_BACKLOG_PER_THREAD)
		return ST_OK;
	while (progress && c->inflight < c->o->max_connections && c->nactive) {
		progress = false;
		for (k = 0; k < c->nactive && c->inflight < c->o->max_connections; k++) {
			struct site *s = c->active[(c->cursor + k) % c->nactive];
			bool started = false;

			st = try_start(c, s, now, &started);
			if (st < 0)
				return st;
			progress = progress || started;
		}
	}
	c->cursor++;
	return ST_OK;
}

bool crawl_gate_end(const struct crawl *c, const struct site *s)
{
	return gate(c, s) == GATE_END;
}
