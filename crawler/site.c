/* A site's life: opening, the state machine, closing, and what it
 * records without fetching. */
#include "crawler/site.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "crawler/url.h"

static const char *const state_names[] = {
	[SITE_ROBOTS] = "robots",
	[SITE_START] = "start",
	[SITE_FINAL_ROBOTS] = "final-robots",
	[SITE_PROBE] = "probe",
	[SITE_SITEMAPS] = "sitemaps",
	[SITE_EXPLORE] = "explore",
	[SITE_DONE] = "done",
};

void site_set_state(struct site *s, enum site_state to)
{
	assert(s->state != SITE_DONE || to == SITE_DONE);
	if (s->state == to)
		return;
	log_debug("%s: %s -> %s",
		  s->host            ? s->host
		  : s->def.start_url ? s->def.start_url
				     : "(no URL)",
		  state_names[s->state], state_names[to]);
	s->state = to;
}

bool site_started(const struct site *s)
{
	return s->state > SITE_START;
}

status crawl_site_copy(struct crawl_site *dst, const struct crawl_site *def)
{
	char *id = def->school_id ? str_dup(def->school_id) : NULL;
	char *url = def->start_url ? str_dup(def->start_url) : NULL;

	if ((def->school_id && !id) || (def->start_url && !url)) {
		free(id);
		free(url);
		*dst = (struct crawl_site){NULL, NULL};
		return status_set(ST_NOMEM, "out of memory opening a site");
	}
	*dst = (struct crawl_site){id, url};
	return ST_OK;
}

void crawl_site_release(struct crawl_site *s)
{
	free((char *)s->school_id);
	free((char *)s->start_url);
	*s = (struct crawl_site){NULL, NULL};
}

status site_open(struct site **out, const struct crawl_site *def)
{
	struct site *s = calloc(1, sizeof(*s));
	char *withscheme = NULL;
	const char *start = def->start_url ? def->start_url : "";
	bool added;
	status st;

	*out = NULL;
	if (!s)
		return status_set(ST_NOMEM, "out of memory opening a site");
	s->started_ms = clock_ms();
	st = crawl_site_copy(&s->def, def);
	if (st == ST_OK)
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
		site_close(s, "invalid start URL: %s", def->start_url ? def->start_url : "(none)");
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

void site_free(struct site *s)
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
	crawl_site_release(&s->def);
	free(s);
}

void site_close(struct site *s, const char *fmt, const char *arg)
{
	if (fmt && !s->reason[0])
		snprintf(s->reason, sizeof(s->reason), fmt, arg);
	site_set_state(s, SITE_DONE);
}

bool site_robots_allow(const struct site *s, const char *url)
{
	char *path = NULL;
	bool ok;

	if (url_path_query(&path, url) < 0)
		return false;
	ok = robots_allowed(s->robots, path);
	free(path);
	return ok;
}

status site_blocked(struct crawl *c, struct site *s, const char *url, int depth)
{
	struct page *p = NULL;
	status st;

	if (s->blocked >= CRAWL_BLOCKED_MAX)
		return ST_OK;
	st = page_new(&p);
	if (st == ST_OK && (st = page_set(&p->requested_url, url)) == ST_OK &&
	    (st = page_set(&p->url, url)) == ST_OK)
		st = page_set(&p->error, "robots");
	if (st < 0) {
		page_free(p);
		return st;
	}
	p->depth = depth;
	p->fetched_at = clock_wall_ms();
	s->blocked++;
	s->pages++;                            /* not an error: the site is as its owner wants it */
	return c->on_page(c->ctx, &s->def, p); /* p belongs to the caller now */
}

void site_req_free(struct req *r)
{
	page_free(r->cached);
	fetch_free(r->f);
	curl_slist_free_all(r->resolve); /* after the easy handle that pointed to it */
	free(r);
}
