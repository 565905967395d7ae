#include "crawler/crawl.h"
#include "crawler/crawl_int.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/clock.h"
#include "core/hash.h"
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
#include "crawler/soft404.h"
#include "crawler/url.h"

static struct host *host_get(struct crawl *c, const char *name)
{
	uint64_t h = hash_str(name);
	struct host *e;

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
	free(s->probe_fp);
	free(s->probe_final);
	free(s->start_fp);
	robots_free(s->robots);
	frontier_free(s->fr);
	free(s);
}

void crawl_close_site(struct site *s, const char *fmt, const char *arg)
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
		crawl_close_site(s, "invalid start URL: %s",
				 def->start_url ? def->start_url : "(none)");
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
			const char *url, int depth, int attempt, int prio, int64_t now)
{
	bool doc = kind == REQ_PAGE && s->start_done && scope_is_document(url);
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
	r->is_start = kind == REQ_PAGE && !s->start_done;
	r->is_doc = doc;
	/* CURLOPT_RESOLVE entries land in the multi handle's DNS cache as
	 * permanent entries, so only the first transfer carries them: libcurl
	 * reloads the whole list (thousands of hosts) at every transfer that
	 * has it. */
	fc = c->fc;
	if (c->resolve_loaded)
		fc.resolve = NULL;
	c->resolve_loaded = true;
	st = fetch_new(&r->f, &fc, url,
		       kind == REQ_ROBOTS    ? ROBOTS_MAX_BYTES
		       : kind == REQ_SITEMAP ? SITEMAP_FETCH_MAX
		       : doc                 ? c->o->max_doc_bytes
					     : c->o->max_bytes,
		       (kind == REQ_PAGE && !doc) || kind == REQ_PROBE ? FETCH_BODY_HTML
								       : FETCH_BODY_ALL,
		       r);
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
	c->docs_active += doc;
	h->next_ms = now + h->delay_ms;
	if (kind == REQ_ROBOTS)
		s->robots_pending = true;
	else if (r->is_start)
		s->start_pending = true;
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
		crawl_close_site(s, "invalid start URL: %s", s->base);
		return ST_OK;
	}
	st = start_req(c, s, h, REQ_ROBOTS, url, 0, 0, 0, now);
	free(url);
	if (st == ST_OK)
		*started = 1;
	return st;
}

bool crawl_robots_allow(const struct site *s, const char *url)
{
	char *path = NULL;
	bool ok;

	if (url_path_query(&path, url) < 0)
		return false;
	ok = robots_allowed(s->robots, path);
	free(path);
	return ok;
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

	if (c->o->explore_pages <= 0 || !s->start_done || top <= SCOPE_RANK_SECTION)
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
static status start_doc(struct crawl *c, struct site *s, int64_t now, int *started)
{
	char hostname[256], *url = NULL;
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
	*started = 2;
	if (s->docs >= c->o->max_docs) {
		log_debug("%s: over the document cap of %d, not fetched", url, c->o->max_docs);
	} else if (!crawl_robots_allow(s, url)) {
		log_debug("robots.txt disallows %s", url);
		st = crawl_blocked(c, s, url, depth);
		free(url);
		return st;
	} else if ((st = start_req(c, s, h, REQ_PAGE, url, depth, 0, prio, now)) < 0) {
		free(url);
		return st;
	} else {
		*started = 1;
		s->docs++;
	}
	free(url);
	return ST_OK;
}

/* Starts the next page of s if caps and politeness allow.  *started is 1
 * when a request started, 2 when a URL was consumed without one (robots,
 * a spent section budget), 0 when s must wait. */
static status start_page(struct crawl *c, struct site *s, int64_t now, int *started)
{
	char hostname[256], *url = NULL;
	const char *top;
	struct host *h;
	int depth, prio;
	bool explore, list, section, doc;
	enum gate g;
	status st;

	if (s->start_pending || frontier_len(s->fr) == 0)
		return ST_OK;
	top = frontier_top_url(s->fr);
	doc = s->start_done && top && scope_is_document(top);
	if (c->o->max_pages > 0 && site_pages(s) >= c->o->max_pages) {
		/* Once the pages are used up (not just in flight) but not the
		 * documents, skip pages to reach the documents queued. */
		if (doc)
			return start_doc(c, s, now, started);
		if (s->docs < c->o->max_docs &&
		    s->pages - s->blocked - s->docs >= c->o->max_pages &&
		    frontier_pop(s->fr, &url, &depth))
			*started = 2;
		free(url);
		return ST_OK;
	}
	g = gate(c, s);
	if (g == GATE_WAIT || g == GATE_END)
		return ST_OK;
	if (g == GATE_DROP) {
		if (frontier_pop(s->fr, &url, &depth))
			log_debug("section budget spent: not fetching %s", url);
		free(url);
		*started = 2;
		return ST_OK;
	}
	if (doc)
		return start_doc(c, s, now, started);
	prio = frontier_top_prio(s->fr);
	list = c->o->explore_pages > 0 && s->start_done && prio == SCOPE_RANK_LIST &&
	       s->listed < c->o->list_pages;
	section = c->o->explore_pages > 0 && s->start_done && section_rank(prio);
	explore = s->start_done && prio > SCOPE_RANK_SECTION && !list && !section;
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
		free(url);
		return status_set(ST_NOMEM, "out of memory");
	}
	if (!crawl_robots_allow(s, url)) {
		if (!s->start_done)
			crawl_close_site(s, "%s", s->robots_note[0] ? s->robots_note : "robots");
		log_debug("robots.txt disallows %s", url);
		st = s->start_done ? crawl_blocked(c, s, url, depth) : ST_OK;
		free(url);
		*started = 2;
		return st;
	}
	st = start_req(c, s, h, REQ_PAGE, url, depth, 0, prio, now);
	free(url);
	if (st == ST_OK) {
		*started = 1;
		s->explored += explore;
		s->listed += list;
		s->sectioned += section && prio != SCOPE_RANK_SECTION_MINOR;
		s->minor += section && prio == SCOPE_RANK_SECTION_MINOR;
	}
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
			*started = 1;
		return st;
	}
	return ST_OK;
}

/* The probe goes once the start page is in and parsed (its fingerprint is
 * what a parked portal's probe is compared with), before anything else of
 * the site, so every page after it can be judged a soft 404.  It is one
 * request like any other (politeness, robots.txt); not a page. */
static status start_probe(struct crawl *c, struct site *s, int64_t now, int *started)
{
	char path[40], *url = NULL;
	struct host *h;
	status st;

	if (s->inflight > 0 || s->parsing > 0)
		return ST_OK;
	soft404_probe_path(path, sizeof(path), s->host);
	if (url_resolve(&url, s->base, path) < 0 || !crawl_robots_allow(s, url)) {
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
	if (st == ST_OK) {
		s->probe = PROBE_PENDING;
		*started = 1;
	}
	return st;
}

/* Sitemaps go after the start page (which decides reachability) and
 * before the frontier, so their URLs and lastmods are known early. */
static status start_sitemap(struct crawl *c, struct site *s, int64_t now, int *started)
{
	char hostname[256], *url;
	struct host *h;
	status st;

	urlsplit_host(s->sitemaps[s->nsitemaps - 1], hostname, sizeof(hostname));
	if (!(h = host_get(c, hostname)))
		return status_set(ST_NOMEM, "out of memory");
	if (!host_ready(c, h, now))
		return ST_OK;
	url = s->sitemaps[--s->nsitemaps];
	st = start_req(c, s, h, REQ_SITEMAP, url, 0, 0, 0, now);
	free(url);
	if (st == ST_OK)
		*started = 1;
	return st;
}

static status try_start(struct crawl *c, struct site *s, int64_t now, int *started)
{
	*started = 0;
	if (s->closed)
		return ST_OK;
	if (c->o->site_budget_s > 0 && now - s->started_ms > c->o->site_budget_s * 1000) {
		log_info("%s: site time budget of %ld s used up", s->host, c->o->site_budget_s);
		crawl_close_site(s, "%s", "site time budget exceeded");
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
	if (s->reachable && s->probe == PROBE_TODO)
		return start_probe(c, s, now, started);
	if (s->probe == PROBE_PENDING || (s->reachable && s->probe != PROBE_DONE))
		return ST_OK;
	if (s->reachable && s->nsitemaps > 0 &&
	    !(c->o->max_pages > 0 &&
	      s->pages - s->blocked + s->inflight - s->docs >= c->o->max_pages))
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
	/* The parsers' wake-up brings the loop back when they catch up. */
	if (c->parser && c->parsing >= c->o->parse_threads * PARSE_BACKLOG_PER_THREAD)
		return ST_OK;
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

void crawl_req_destroy(struct req *r)
{
	page_free(r->cached);
	fetch_free(r->f);
	free(r);
}

/* Finished parses from the workers. */
static status collect(struct crawl *c, int *done)
{
	struct parser_job *j;
	status st = ST_OK;

	while (st == ST_OK && c->parser && (j = parser_take(c->parser)) != NULL) {
		((struct req *)j->owner)->site->parsing--;
		c->parsing--;
		st = crawl_page_end(c, j);
		(*done)++;
	}
	return st;
}

static void discard_job(struct parser_job *j, void *arg)
{
	(void)arg;
	crawl_req_destroy(j->owner);
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
		if (crawl_retry_later(c, r, m->data.result)) {
			crawl_req_destroy(r);
		} else if (r->kind == REQ_PAGE) {
			st = crawl_page_done(c, r, m->data.result);
		} else if (r->kind == REQ_PROBE) {
			st = crawl_probe_done(c, r->site, r, m->data.result);
			crawl_req_destroy(r);
		} else {
			st = r->kind == REQ_ROBOTS ? crawl_robots_done(c, r, m->data.result)
						   : crawl_sitemap_done(c, r, m->data.result);
			crawl_req_destroy(r);
		}
		(*done)++;
	}
	return st;
}

static bool site_finished(const struct crawl *c, struct site *s)
{
	if (s->inflight > 0 || s->parsing > 0)
		return false;
	if (s->closed)
		return true;
	if (c->o->max_pages > 0 && s->pages - s->blocked - s->docs >= c->o->max_pages)
		return s->docs >= c->o->max_docs || frontier_len(s->fr) == 0;
	if (s->nretries > 0 || (s->reachable && (s->nsitemaps > 0 || s->probe != PROBE_DONE)))
		return false;
	return s->start_done && s->robots_host && url_same_site(s->robots_host, s->host) &&
	       (frontier_len(s->fr) == 0 || gate(c, s) == GATE_END);
}

/* A site that could not be connected to at all may be down for a
 * moment: it gets one more try once every other site has had its first. */
static bool try_again(struct crawl *c, const struct site *s)
{
	if (s->reachable || s->again ||
	    !(strncmp(s->reason, "connect", 7) == 0 || strncmp(s->reason, "dns", 3) == 0 ||
	      strncmp(s->reason, "network", 7) == 0))
		return false;
	if (ARRAY_RESIZE(c->again, c->nagain + 1) < 0)
		return false; /* out of memory: record it unreachable now */
	c->again[c->nagain++] = s->def;
	log_info("%s: %s, trying again later", s->def->start_url ? s->def->start_url : "",
		 s->reason);
	return true;
}

static status finish_site(struct crawl *c, size_t i)
{
	struct site *s = c->active[i];
	struct crawl_site_result res;
	status st = ST_OK;

	if (try_again(c, s)) {
		site_free(s);
		c->active[i] = c->active[--c->nactive];
		return ST_OK;
	}

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
	/* Second tries go last, and not at once: give a host that refused a
	 * moment to come back. */
	while (c->nactive < c->max_active && c->next_def >= c->ndefs && c->next_again < c->nagain &&
	       (c->nactive > 0 || clock_ms() - c->last_open_ms >= 1000)) {
		st = site_open(c, c->again[c->next_again++], &c->active[c->nactive]);
		if (st < 0)
			return st;
		c->active[c->nactive++]->again = true;
	}
	if (c->nactive > 0)
		c->last_open_ms = clock_ms();
	return ST_OK;
}

static status check_options(const struct crawl_options *o)
{
	if (o->max_pages < 0 || o->max_depth < 0 || o->max_bytes == 0 || o->timeout_s < 1 ||
	    o->max_docs < 0 || o->max_doc_bytes == 0 || o->doc_timeout_s < 1 ||
	    o->site_budget_s < 0 || o->max_redirects < 0 || o->per_host < 1 || o->delay_ms < 0 ||
	    o->max_connections < 1 || o->parse_threads < 0 || o->list_pages < 0 ||
	    o->section_pages < 0 || o->period_year < 0)
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
	c->doc.timeout_ms = o->doc_timeout_s * 1000;
	c->doc.cpu_s = o->doc_timeout_s;
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
	docspawn_free(c->docspawn);
	while (c->reqs) {
		struct req *r = c->reqs;

		req_unlink(c, r);
		crawl_req_destroy(r);
	}
	for (i = 0; i < c->nactive; i++)
		site_free(c->active[i]);
	free(c->active);
	free(c->again);
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
		if (st < 0 ||
		    (c->nactive == 0 && c->next_def >= c->ndefs && c->next_again >= c->nagain))
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
	c->doc = (struct docspawn_options)DOCSPAWN_OPTIONS_INIT;
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
