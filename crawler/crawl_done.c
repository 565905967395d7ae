/* What happens when a transfer finishes: retries, robots.txt, sitemaps
 * and pages (the start page's verdict, parsing, links, the callback), and
 * the moves of the site's state they decide. */
#include "crawler/crawl_done.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/doc.h"
#include "core/log.h"
#include "core/str.h"
#include "crawler/scope.h"
#include "crawler/html.h"
#include "crawler/site.h"
#include "crawler/sitemap.h"
#include "crawler/soft404.h"
#include "crawler/url.h"

/* Queues a sitemap URL of the site (at most SITEMAPS_PER_SITE in all). */
static status want_sitemap(struct site *s, const char *base, const char *ref)
{
	char *url = NULL, hostname[256];

	if (s->sitemaps_taken >= SITEMAPS_PER_SITE || url_resolve(&url, base, ref) < 0)
		return ST_OK;
	urlsplit_host(url, hostname, sizeof(hostname));
	if (!url_same_site(hostname, s->host)) {
		free(url);
		return ST_OK;
	}
	s->sitemaps[s->nsitemaps++] = url;
	s->sitemaps_taken++;
	return ST_OK;
}

/* The sitemaps robots.txt lists, or /sitemap.xml when it lists none and
 * may be fetched.  Once, when the site's final host is known and its
 * robots.txt read: on the way to SITE_PROBE. */
static status list_sitemaps(struct site *s)
{
	size_t i, n;
	status st = ST_OK;

	n = robots_nsitemaps(s->robots);
	for (i = 0; i < n && st == ST_OK; i++)
		st = want_sitemap(s, s->base, robots_sitemap(s->robots, i));
	if (st == ST_OK && n == 0 && robots_allowed(s->robots, "/sitemap.xml"))
		st = want_sitemap(s, s->base, "/sitemap.xml");
	return st;
}

/* How long to wait before the next try of r (and, on 429 and 503, before
 * anything else of its host): the server's Retry-After up to the cap,
 * else RETRY_BASE_MS doubled per attempt of this URL or per busy answer
 * of the host in a row, whichever is more. */
static long retry_wait_ms(const struct req *r)
{
	long after = fetch_retry_after(r->f);
	int n = r->attempt > r->host->busy ? r->attempt : r->host->busy;

	if (after >= 0)
		return after > RETRY_CAP_MS / 1000 ? RETRY_CAP_MS : after * 1000;
	if (n > 6)
		n = 6;
	return (long)RETRY_BASE_MS << n < RETRY_CAP_MS ? (long)RETRY_BASE_MS << n : RETRY_CAP_MS;
}

/* Whether a finished transfer should be tried again later: 429, 5xx and
 * timeouts, whatever the body's type.  A 429 or 503 pushes the host's next
 * start back (the server asked us to slow down) even when the retries
 * are used up; any other answer ends the host's run of busy answers.
 * Queues the retry and returns true when there is one. */
/* After the start page, or the robots.txt of the host it led to: that
 * host's robots.txt when it is not the one read, else the probe (its
 * sitemaps listed). */
static status after_start(struct site *s)
{
	if (s->state == SITE_DONE)
		return ST_OK;
	if (!url_same_site(s->robots_host, s->host)) {
		site_set_state(s, SITE_FINAL_ROBOTS);
		return ST_OK;
	}
	site_set_state(s, SITE_PROBE);
	return list_sitemaps(s);
}

bool crawl_retry_later(struct crawl *c, struct req *r, CURLcode rc)
{
	struct site *s = r->site;
	long code = 0, wait;
	struct retry *rt;
	int max = rc == CURLE_OPERATION_TIMEDOUT ? 1 : RETRY_MAX;
	bool answered = fetch_answered(r->f, rc);

	(void)c;
	curl_easy_getinfo(fetch_easy(r->f), CURLINFO_RESPONSE_CODE, &code);
	wait = retry_wait_ms(r);
	if (answered && (code == 429 || code == 503)) {
		int64_t until = clock_ms() + wait;

		r->host->next_ms = r->host->next_ms > until ? r->host->next_ms : until;
		r->host->busy++;
		log_debug("%s: http %ld, host %s waits %ld ms", fetch_url(r->f), code,
			  r->host->name, wait);
	} else if (answered) {
		r->host->busy = 0;
	}
	if (rc != CURLE_OPERATION_TIMEDOUT &&
	    !(answered && (code == 429 || (code >= 500 && code <= 599))))
		return false;
	if (r->attempt >= max || s->state == SITE_DONE || s->nretries >= RETRY_QUEUE_MAX)
		return false;
	rt = &s->retries[s->nretries];
	rt->url = str_dup(fetch_url(r->f));
	if (!rt->url)
		return false; /* out of memory: deliver the failure instead */
	rt->depth = r->depth;
	rt->prio = r->prio;
	rt->attempt = r->attempt + 1;
	rt->kind = r->kind;
	rt->not_before = clock_ms() + wait;
	s->nretries++;
	log_info("%s: %s, retrying in %ld ms", fetch_url(r->f),
		 rc == CURLE_OPERATION_TIMEDOUT ? "timeout" : "server busy or failing", wait);
	return true;
}

status crawl_robots_done(struct crawl *c, struct req *r, CURLcode rc)
{
	struct site *s = r->site;
	struct page *p = NULL;
	const char *reason = NULL, *body;
	size_t len;
	long delay;
	status st;

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
		site_close(s, "%s", reason);
		st = robots_new_all(&s->robots, false);
	} else if (p->status >= 200 && p->status < 300) {
		body = fetch_body(r->f, &len);
		if (fetch_truncated(r->f)) {
			/* RFC 9309 §2.5: the first ROBOTS_MAX_BYTES are parsed and
			 * the rest ignored; a line cut in the middle is dropped. */
			while (len > 0 && body[len - 1] != '\n' && body[len - 1] != '\r')
				len--;
			log_info("%s: robots.txt longer than %zu bytes: only its first %zu bytes "
				 "are read",
				 s->host, ROBOTS_MAX_BYTES, len);
		}
		st = robots_new(&s->robots, body, len, c->fc.user_agent);
	} else if (p->status >= 400 && p->status < 500 && p->status != 429) {
		st = robots_new_all(&s->robots, true); /* RFC 9309 §2.3.1.3 */
	} else {
		/* §2.3.1.4: unreachable robots.txt means complete disallow. */
		snprintf(s->robots_note, sizeof(s->robots_note), "robots (robots.txt: http %d)",
			 p->status);
		st = robots_new_all(&s->robots, false);
	}
	delay = st == ST_OK ? robots_crawl_delay_ms(s->robots) : 0;
	if (delay > CRAWL_DELAY_CAP_MS) {
		/* A site asking for more than the cap would hold the run for
		 * hours: skip it, and say why. */
		char why[96];

		snprintf(why, sizeof(why), "robots: Crawl-delay %ld s above the cap of %ld s",
			 delay / 1000, CRAWL_DELAY_CAP_MS / 1000);
		site_close(s, "%s", why);
	} else if (delay > r->host->delay_ms) {
		/* The host's next start was set from the old delay when this
		 * robots.txt started: the first page must wait the new one. */
		r->host->next_ms += delay - r->host->delay_ms;
		r->host->delay_ms = delay;
	}
	if (st == ST_OK && s->state == SITE_ROBOTS)
		site_set_state(s, SITE_START);
	else if (st == ST_OK && s->state == SITE_FINAL_ROBOTS)
		st = after_start(s);
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
	urlsplit_host(url, hostname, sizeof(hostname));
	if (!url_same_site(hostname, s->host) || scope_is_asset(url) || scope_is_document(url) ||
	    scope_is_trap(url)) {
		free(url);
		return ST_OK;
	}
	st = scope_canonical(&canon, url);
	if (st == ST_OK && !frontier_seen(s->fr, canon) && !site_robots_allow(s, canon)) {
		st = frontier_mark(s->fr, canon);
		if (st == ST_OK)
			st = site_blocked(c, s, canon, 1);
	} else if (st == ST_OK) {
		int prio = scope_rank(canon, NULL, c->o->focus_keywords, c->o->nfocus_keywords);

		/* Outside the focus, what the site links to comes before what
		 * only its sitemap lists (often every news post). */
		st = frontier_push(s->fr, canon, 1, prio < 0 ? prio : SCOPE_RANK_SITEMAP, &added);
		s->focus_seen = s->focus_seen || prio < 0;
	}
	if (st == ST_OK && e->lastmod && *e->lastmod)
		st = frontier_set_lastmod(s->fr, canon, e->lastmod);
	free(url);
	free(canon);
	return st;
}

status crawl_sitemap_done(struct crawl *c, struct req *r, CURLcode rc)
{
	struct site *s = r->site;
	struct sitemap *sm = NULL;
	const char *body;
	long code = 0;
	size_t len, i;
	status st = ST_OK;

	curl_easy_getinfo(fetch_easy(r->f), CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK || code < 200 || code >= 300 || s->state == SITE_DONE) {
		log_debug("sitemap %s: not read (%s, http %ld)", fetch_url(r->f),
			  curl_easy_strerror(rc), code);
		return ST_OK;
	}
	body = fetch_body(r->f, &len);
	st = sitemap_parse(&sm, body, len);
	if (st == ST_OK && sm->truncated)
		log_info("sitemap %s: inflates past %zu bytes: only the first %zu bytes are read",
			 fetch_url(r->f), SITEMAP_MAX_BYTES, SITEMAP_MAX_BYTES);
	for (i = 0; st == ST_OK && i < sm->nentries; i++) {
		if (sm->is_index)
			st = want_sitemap(s, fetch_url(r->f), sm->entries[i].loc);
		else
			st = queue_sitemap_url(c, s, &sm->entries[i]);
	}
	sitemap_free(sm);
	/* An index's children go before the frontier continues. */
	if (st == ST_OK && s->nsitemaps > 0 && s->state == SITE_EXPLORE)
		site_set_state(s, SITE_SITEMAPS);
	return st;
}

/* Pushes the links a parse found into the frontier.  A new link robots.txt
 * disallows is not queued but recorded (crawl_blocked), once, so the audit
 * can say which disclosure pages it was kept from. */
static status queue_links(struct crawl *c, struct site *s, const struct parser_job *j, int depth)
{
	bool added, robots = s->robots && s->robots_host && url_same_site(s->robots_host, s->host);
	size_t i;
	status st = ST_OK;

	for (i = 0; i < j->nlinks && st == ST_OK; i++) {
		const char *url = j->links[i].url;

		if (robots && !frontier_seen(s->fr, url) && !site_robots_allow(s, url)) {
			st = frontier_mark(s->fr, url);
			if (st == ST_OK)
				st = site_blocked(c, s, url, depth + 1);
			continue;
		}
		st = frontier_push(s->fr, url, depth + 1, j->links[i].prio, &added);
		s->focus_seen = s->focus_seen || j->links[i].prio < 0;
	}
	return st;
}

status crawl_probe_done(struct crawl *c, struct site *s, struct req *r, CURLcode rc)
{
	struct page *p = NULL;
	const char *reason = NULL, *body;
	size_t len;
	status st = ST_OK;

	(void)c;
	if (r && (st = page_new(&p)) == ST_OK)
		st = fetch_finish(r->f, rc, p, &reason);
	if (st == ST_OK && r && !reason && fetch_is_html(r->f) && p->status >= 200 &&
	    p->status < 300) {
		body = fetch_body(r->f, &len);
		st = html_extract(p, body, len, p->charset, p->url);
		if (st == ST_OK)
			st = soft404_fingerprint(&s->probe_fp, p);
		if (st == ST_OK && p->url && p->requested_url && strcmp(p->url, p->requested_url))
			st = page_set(&s->probe_final, p->url);
	}
	page_free(p);
	if (st < 0)
		return st;
	/* Parked or expired: the start page is a placeholder (next to no links
	 * into the site) that says so, or one without any link that a URL
	 * which cannot exist gets too. */
	if (s->reachable && s->start_links < 3 &&
	    (s->start_parked ||
	     (s->start_links == 0 &&
	      ((s->probe_fp && s->start_fp && !strcmp(s->probe_fp, s->start_fp)) ||
	       (s->probe_final && !strcmp(s->probe_final, s->base)))))) {
		log_info("%s: parked or expired portal (a placeholder for every URL)", s->host);
		s->reachable = false;
		site_close(s, "%s", "parked");
	}
	if (s->state == SITE_PROBE)
		site_set_state(s, s->nsitemaps > 0 ? SITE_SITEMAPS : SITE_EXPLORE);
	return ST_OK;
}

/* A 2xx page that is the site's "not found" page: it says so, or it is
 * what the probe got (the same page, or a redirect to where the probe
 * was sent). */
static status is_soft404(const struct site *s, const struct page *p, bool *soft)
{
	char *fp = NULL;
	status st = ST_OK;

	*soft = soft404_phrase(p) ||
		(s->probe_final && p->url && p->requested_url && !strcmp(p->url, s->probe_final) &&
		 strcmp(p->requested_url, p->url));
	if (!*soft && s->probe_fp && (st = soft404_fingerprint(&fp, p)) == ST_OK)
		*soft = !strcmp(fp, s->probe_fp);
	free(fp);
	return st;
}

/* What the start page says about the site, kept for the probe. */
static status start_facts(struct site *s, const struct page *p)
{
	s->start_links = soft404_site_links(p, s->host, 3);
	s->start_parked = soft404_parked_phrase(p);
	return soft404_fingerprint(&s->start_fp, p);
}

/* The start page decides whether the site is reachable and where it
 * lives after redirects. */
static status start_done(struct site *s, const struct page *p, const char *reason, bool html)
{
	char hostname[256], code[16];

	urlsplit_host(p->url, hostname, sizeof(hostname));
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
	s->reachable =
		!reason && ((p->status >= 200 && p->status < 300) || p->status == 304) && html;
	if (reason)
		site_close(s, "%s", reason);
	else if ((p->status < 200 || p->status >= 300) && !(html && p->status == 304))
		site_close(s, "http %s", code);
	else if (!html)
		site_close(s, "not html (%s)", p->content_type ? p->content_type : "no type");
	return ST_OK;
}

/* The second half of a page, on the crawl thread once it is parsed (here
 * or by a worker): queue its links, count it and hand it over.  Frees the
 * job and its request. */
status crawl_page_end(struct crawl *c, struct parser_job *j)
{
	struct req *r = j->owner;
	struct site *s = r->site;
	struct page *p = j->page;
	status st = j->st;

	bool soft = false, parsed = st == ST_OK && j->body && p->status >= 200 && p->status < 300;
	char code[16];

	j->page = NULL;
	if (parsed && r->is_start && s->reachable)
		st = start_facts(s, p);
	else if (parsed && !r->is_start)
		st = is_soft404(s, p, &soft);
	if (st == ST_OK && soft) {
		/* Stored as what it is, with what the server said. */
		log_debug("%s: soft 404 (answered %d)", p->requested_url, p->status);
		snprintf(code, sizeof(code), "%d", p->status);
		st = page_add_meta(p, "http:status", code);
		if (st == ST_OK)
			st = page_add_meta(p, "soft404", "1");
		p->status = 404;
	}
	if (st == ST_OK && j->want_links && s->state != SITE_DONE && !soft)
		st = queue_links(c, s, j, p->depth);
	parser_job_free(j);
	c->docs_active -= r->is_doc;
	site_req_free(r);
	if (st < 0) {
		page_free(p);
		return st;
	}
	s->pages++;
	if (p->error || p->status >= 400)
		s->errors++;
	return c->on_page(c->ctx, &s->def, p); /* p belongs to the caller now */
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
		st = after_start(s);
	*html = *html && p->status >= 200 && p->status < 300;
	return st;
}

/* A document's response: a body over max_doc_bytes is recorded as
 * doc:status too_large (the fetch itself did not fail); a whole 2xx body
 * goes to the parser threads, whose docspawn_page reads its text in a
 * child process.  Takes ownership of j. */
static status doc_done(struct crawl *c, struct req *r, CURLcode rc, struct parser_job *j)
{
	struct page *p = j->page;
	status st;

	if (rc == CURLE_FILESIZE_EXCEEDED || fetch_too_big(r->f)) {
		curl_off_t clen = -1;

		curl_easy_getinfo(fetch_easy(r->f), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen);
		p->bytes = clen > 0 ? (int64_t)clen : p->bytes;
		st = page_set(&p->error, NULL);
		if (st == ST_OK)
			st = page_set(&p->text, "");
		if (st == ST_OK)
			st = page_set(&p->main_text, "");
		if (st == ST_OK)
			st = page_add_meta(p, "doc:status", DOC_TOO_LARGE);
		j->st = st;
		return crawl_page_end(c, j);
	}
	if (p->error || p->status < 200 || p->status >= 300)
		return crawl_page_end(c, j);
	j->doc = &c->doc;
	j->body = fetch_body(r->f, &j->len);
	if (c->parser) {
		r->site->parsing++;
		c->parsing++;
		parser_submit(c->parser, j);
		return ST_OK;
	}
	parser_run(j, &c->docspawn);
	return crawl_page_end(c, j);
}

/* Takes ownership of r. */
status crawl_page_done(struct crawl *c, struct req *r, CURLcode rc)
{
	struct site *s = r->site;
	struct parser_job *j = calloc(1, sizeof(*j));
	char hostname[256];
	bool html = false;
	status st;

	if (!j || (st = page_new(&j->page)) < 0) {
		free(j);
		site_req_free(r);
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
		return crawl_page_end(c, j);
	}
	if (r->is_doc && !html)
		return doc_done(c, r, rc, j);
	if (!html)
		return crawl_page_end(c, j);
	urlsplit_host(j->page->url, hostname, sizeof(hostname));
	j->want_links = s->reachable && j->page->depth < c->o->max_depth &&
			url_same_site(hostname, s->host);
	j->keywords = c->o->focus_keywords;
	j->nkeywords = c->o->nfocus_keywords;
	/* A page reached through a section label or a section's pagination
	 * lists the section; a focus page does when it has pages of its own. */
	j->section = !r->is_start &&
		     (r->prio == SCOPE_RANK_SECTION || r->prio == SCOPE_RANK_SECTION_PAGE ||
		      r->prio == SCOPE_RANK_SECTION_OLD);
	j->section_if_paged = !r->is_start && r->prio < SCOPE_RANK_SECTION;
	j->cutoff = c->o->period_year > 0 ? (long)(c->o->period_year - 1) * 10000 + 801 : 0;
	/* Which documents: scope_doc_rank, from the pages reached through a
	 * focus link or as part of a disclosure section; none when the crawl
	 * reads no documents (max_docs 0).  The cap applies where a document
	 * is taken from the frontier (start_doc). */
	j->want_docs = c->o->max_docs > 0;
	j->all_docs = c->o->explore_pages <= 0;
	j->disclosure_page = !r->is_start && (r->prio <= SCOPE_RANK_SECTION_POST ||
					      r->prio == SCOPE_RANK_SECTION_MINOR);
	j->body = fetch_body(r->f, &j->len);
	if (!(j->site_host = str_dup(s->host))) {
		j->st = status_set(ST_NOMEM, "out of memory finishing a page");
		return crawl_page_end(c, j);
	}
	if (c->parser) {
		s->parsing++;
		c->parsing++;
		parser_submit(c->parser, j);
		return ST_OK;
	}
	parser_run(j, &c->docspawn);
	return crawl_page_end(c, j);
}
