/* The crawl loop: opens and finishes sites, schedules, performs, drains
 * completed transfers and collects parsed pages (see
 * docs/internals/crawler.md, "The loop"). */
#include "crawler/crawl.h"

#include <curl/curl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/strlist.h"
#include "crawler/crawl_done.h"
#include "crawler/crawl_sched.h"
#include "crawler/crawl_state.h"
#include "crawler/html.h"
#include "crawler/resolve_map.h"
#include "crawler/site.h"

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
	site_req_free(j->owner);
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
		c->sitemaps_active -= r->kind == REQ_SITEMAP;
		/* A retried robots.txt or start page keeps its pending flag,
		 * so nothing else of the site starts meanwhile. */
		if (crawl_retry_later(c, r, m->data.result)) {
			site_req_free(r);
		} else if (r->kind == REQ_PAGE) {
			st = crawl_page_done(c, r, m->data.result);
		} else if (r->kind == REQ_PROBE) {
			st = crawl_probe_done(c, r->site, r, m->data.result);
			site_req_free(r);
		} else {
			st = r->kind == REQ_ROBOTS ? crawl_robots_done(c, r, m->data.result)
						   : crawl_sitemap_done(c, r, m->data.result);
			site_req_free(r);
		}
		(*done)++;
	}
	return st;
}

static bool site_finished(const struct crawl *c, struct site *s)
{
	if (s->inflight > 0 || s->parsing > 0)
		return false;
	if (s->state == SITE_DONE)
		return true;
	if (c->o->max_pages > 0 && s->pages - s->blocked - s->docs >= c->o->max_pages)
		return s->docs >= c->o->max_docs || frontier_len(s->fr) == 0;
	if (s->nretries > 0 || s->state != SITE_EXPLORE)
		return false;
	return frontier_len(s->fr) == 0 || crawl_gate_end(c, s);
}

/* A site that could not be connected to at all may be down for a
 * moment: it gets one more try once every other site has had its first. */
static bool try_again(struct crawl *c, const struct site *s)
{
	if (s->reachable || s->again ||
	    !(strncmp(s->reason, "connect", 7) == 0 || strncmp(s->reason, "dns", 3) == 0 ||
	      strncmp(s->reason, "network", 7) == 0))
		return false;
	if (ARRAY_RESIZE(c->again, c->nagain + 1) < 0 ||
	    crawl_site_copy(&c->again[c->nagain], &s->def) < 0)
		return false; /* out of memory: record it unreachable now */
	c->nagain++;
	log_info("%s: %s, trying again later", s->def.start_url ? s->def.start_url : "", s->reason);
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
	/* A reachable site has a reason only when something cut its crawl
	 * short (the time budget). */
	res.reason = s->reason[0] ? s->reason : s->reachable ? NULL : "unreachable";
	res.final_host = s->host;
	res.pages = s->pages;
	res.errors = s->errors;
	if (c->on_site)
		st = c->on_site(c->ctx, &s->def, &res);
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
	while (c->nactive < c->max_active && !c->src_done) {
		struct crawl_site def;
		int got = c->src->next(c->src->ctx, &def);

		if (got < 0)
			return got;
		if (got == 0) {
			c->src_done = true;
			break;
		}
		st = site_open(&c->active[c->nactive], &def);
		if (st < 0)
			return st;
		c->nactive++;
	}
	/* Second tries go last, and not at once: give a host that refused a
	 * moment to come back. */
	while (c->nactive < c->max_active && c->src_done && c->next_again < c->nagain &&
	       (c->nactive > 0 || clock_ms() - c->last_open_ms >= 1000)) {
		st = site_open(&c->active[c->nactive], &c->again[c->next_again++]);
		if (st < 0)
			return st;
		c->active[c->nactive++]->again = true;
	}
	if (c->nactive > 0)
		c->last_open_ms = clock_ms();
	if (clock_ms() - c->swept_ms >= HOST_SWEEP_MS) {
		crawl_hosts_sweep(c, clock_ms());
#ifdef __GLIBC__
		/* Give the pages freed inside the heap back to the system: a long
		 * crawl frees and allocates bodies and frontiers of every size,
		 * and without this its RSS kept the high-water mark of every hole
		 * (docs/internals/crawler.md, "Memory that should not grow with the run"). */
		(void)malloc_trim(0);
#endif
	}
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

/* The resolve map of o->resolve for the sites of c->src: it needs their
 * start URLs once, so the source is read through, kept in a list freed
 * before the first transfer, and rewound. */
static status map_resolve(struct crawl *c)
{
	const struct crawl_options *o = c->o;
	struct strlist urls = STRLIST_INIT;
	const char **starts = NULL;
	struct crawl_site def;
	size_t i;
	int got = 0;
	status st = ST_OK;

	if (!o->nresolve)
		return resolve_map_new(&c->resolve, NULL, 0, NULL, 0);
	while (st == ST_OK && (got = c->src->next(c->src->ctx, &def)) > 0)
		st = strlist_adds(&urls, def.start_url ? def.start_url : "");
	if (st == ST_OK && got < 0)
		st = got;
	if (st == ST_OK && !(starts = calloc(urls.n ? urls.n : 1, sizeof(*starts))))
		st = status_set(ST_NOMEM, "out of memory starting the crawl");
	for (i = 0; st == ST_OK && i < urls.n; i++)
		starts[i] = strlist_get(&urls, i);
	if (st == ST_OK)
		st = resolve_map_new(&c->resolve, o->resolve, o->nresolve, starts, urls.n);
	if (st == ST_OK)
		st = c->src->rewind(c->src->ctx);
	free(starts);
	strlist_release(&urls);
	return st;
}

static status setup(struct crawl *c)
{
	const struct crawl_options *o = c->o;
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
	st = map_resolve(c);
	if (st < 0)
		return st;
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
		site_req_free(r);
	}
	for (i = 0; i < c->nactive; i++)
		site_free(c->active[i]);
	free(c->active);
	for (i = 0; i < c->nagain; i++)
		crawl_site_release(&c->again[i]);
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
	resolve_map_free(c->resolve);
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
		if (st < 0 || (c->nactive == 0 && c->src_done && c->next_again >= c->nagain))
			return st;
		st = crawl_schedule(c);
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

/* crawl_run's sites as a source. */
struct array_source {
	const struct crawl_site *v;
	size_t n, next;
};

static int array_next(void *ctx, struct crawl_site *out)
{
	struct array_source *a = ctx;

	if (a->next >= a->n)
		return 0;
	*out = a->v[a->next++];
	return 1;
}

static status array_rewind(void *ctx)
{
	((struct array_source *)ctx)->next = 0;
	return ST_OK;
}

status crawl_run(const struct crawl_options *o, const struct crawl_site *sites, size_t nsites,
		 crawl_page_fn on_page, crawl_site_fn on_site, void *ctx)
{
	struct array_source a = {sites, nsites, 0};
	struct crawl_source src = {array_next, array_rewind, &a};

	if (nsites && !sites)
		return status_set(ST_INVALID, "crawl_run: missing sites");
	return crawl_run_from(o, &src, on_page, on_site, ctx);
}

status crawl_run_from(const struct crawl_options *o, const struct crawl_source *src,
		      crawl_page_fn on_page, crawl_site_fn on_site, void *ctx)
{
	struct crawl *c = NULL;
	status st;

	if (!o || !on_page || !src || !src->next || !src->rewind)
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
	c->src = src;
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
