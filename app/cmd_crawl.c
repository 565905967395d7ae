/* `crawl`: fetch the portals of the selected schools into the store.
 *
 * Durability: every site is registered as pending before the crawl starts,
 * and a site's pages and its "done" mark are committed together when the
 * site finishes.  `crawl --resume` continues the newest unfinished crawl
 * run: finished sites are kept, unfinished ones are cleared and crawled
 * again, so nothing finished is lost and nothing is stored twice. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/crawl_setup.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"
#include "store/pages.h"
#include "store/registry.h"
#include "store/runs.h"

/* Pages are committed at least this often, so a long site does not hold
 * one huge transaction. */
#define COMMIT_EVERY 200

struct crawl_ctx {
	struct store *s;
	struct page_writer *w;
	int uncommitted;
	long pages, errors, sites_done, sites_reachable, nsites;
	int64_t started;
	bool progress;
	int64_t last_progress;
	int64_t prev_run; /* newest finished crawl before this one, for conditional GET */
	long unchanged;   /* pages answered 304 and reused from prev_run */
	FILE *summary;
};

static status commit_and_begin(struct crawl_ctx *c)
{
	status st = store_commit(c->s);

	if (st == ST_OK)
		st = store_begin(c->s);
	c->uncommitted = 0;
	return st;
}

/* One live line on a terminal, redrawn at most every PROGRESS_MS; the
 * final call prints the one-line summary, terminal or not. */
#define PROGRESS_MS 250

static void show_progress(struct crawl_ctx *c, bool final)
{
	int64_t now = clock_ms();
	double secs = (double)(now - c->started) / 1000.0;
	double eta = 0;

	if (!final && (!c->progress || now - c->last_progress < PROGRESS_MS))
		return;
	c->last_progress = now;
	if (c->sites_done > 0 && c->sites_done < c->nsites)
		eta = secs / (double)c->sites_done * (double)(c->nsites - c->sites_done);
	if (final) {
		if (c->progress)
			fputs("\r\033[K", stdout);
		fprintf(c->summary,
			"crawl: %ld/%ld schools done (%ld reachable), %ld pages, %.0f pages/s, "
			"%ld errors, %ld unchanged (304), %.1f s\n",
			c->sites_done, c->nsites, c->sites_reachable, c->pages,
			secs > 0 ? (double)c->pages / secs : 0.0, c->errors, c->unchanged, secs);
		fflush(c->summary);
		return;
	}
	printf("\r\033[Kschools %ld/%ld, pages %ld, %.0f pages/s, errors %ld, ETA %s%.0f s",
	       c->sites_done, c->nsites, c->pages, secs > 0 ? (double)c->pages / secs : 0.0,
	       c->errors, c->sites_done ? "" : "~", eta);
	fflush(stdout);
}

/* Runs on the crawl thread; the page is ours. */
static status on_page(void *ctx, const struct crawl_site *site, struct page *p)
{
	struct crawl_ctx *c = ctx;
	status st;

	/* A 304 hands back the page model stored by the previous crawl: it is
	 * the page as it is now, so it is stored as a normal 200 page and the
	 * audit reads it like any other. */
	if (p->status == 304) {
		p->status = 200;
		c->unchanged++;
	}
	st = page_writer_put(c->w, site->school_id, p);
	c->pages++;
	/* A URL robots.txt disallows (error "robots") is not a failure. */
	if ((p->error && strcmp(p->error, "robots") != 0) || p->status >= 400)
		c->errors++;
	page_free(p);
	if (st == ST_OK && ++c->uncommitted >= COMMIT_EVERY)
		st = commit_and_begin(c);
	show_progress(c, false);
	return st;
}

/* Runs on the crawl thread before each request: the page stored by the
 * previous crawl, so the crawler can send If-None-Match/If-Modified-Since. */
static status on_cached(void *ctx, const struct crawl_site *site, const char *url,
			struct page **cached)
{
	struct crawl_ctx *c = ctx;

	*cached = NULL;
	if (!c->prev_run)
		return ST_OK;
	return pages_load_cached(c->s, c->prev_run, site->school_id, url, cached);
}

/* Runs on the crawl thread when a site is finished. */
static status on_site(void *ctx, const struct crawl_site *site, const struct crawl_site_result *r)
{
	struct crawl_ctx *c = ctx;
	status st = page_writer_site_done(c->w, site->school_id, r->reachable, r->reason,
					  r->final_host, r->pages, r->errors);

	c->sites_done++;
	if (r->reachable)
		c->sites_reachable++;
	else
		log_info("%s: %s unreachable: %s", site->school_id, site->start_url,
			 r->reason ? r->reason : "unknown");
	if (st == ST_OK)
		st = commit_and_begin(c);
	show_progress(c, false);
	return st;
}

/* Registers the sites of this run and returns those still to crawl. */
static status plan_sites(struct crawl_ctx *c, int64_t run_id, bool resume,
			 const struct school_info *schools, size_t n, struct crawl_site **out,
			 size_t *nout)
{
	struct crawl_site *v = calloc(n ? n : 1, sizeof(*v));
	size_t i, k = 0;
	status st = store_begin(c->s);

	*out = NULL;
	*nout = 0;
	if (!v)
		st = status_set(ST_NOMEM, "out of memory");
	for (i = 0; i < n && st == ST_OK; i++) {
		struct site_outcome o;

		if (!schools[i].portal_url || !*schools[i].portal_url)
			continue;
		st = page_writer_site_pending(c->w, schools[i].id, schools[i].portal_url);
		if (st == ST_OK && resume) {
			st = pages_site_outcome(c->s, run_id, schools[i].id, &o);
			if (st == ST_OK && o.done) {
				site_outcome_release(&o);
				continue;
			}
			if (st == ST_OK)
				st = page_writer_site_reset(c->w, schools[i].id);
			site_outcome_release(&o);
		}
		v[k].school_id = schools[i].id;
		v[k].start_url = schools[i].portal_url;
		k++;
	}
	if (st == ST_OK)
		st = store_commit(c->s);
	if (st < 0) {
		store_rollback(c->s);
		free(v);
		return st;
	}
	*out = v;
	*nout = k;
	return ST_OK;
}

static status find_resume_run(struct store *s, int64_t *run_id)
{
	status st = runs_latest(s, "crawl", true, run_id);

	if (st < 0)
		return status_set(ST_NOTFOUND, "--resume: there is no crawl run to resume");
	return ST_OK;
}

int app_crawl(struct store *s, struct crawl_setup *cs, FILE *summary, int64_t *run_out)
{
	struct crawl_ctx c;
	struct run_info ri = {0};
	struct crawl_site *todo = NULL;
	size_t ntodo = 0;
	status st;
	int rc = EXIT_OK;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.summary = summary;
	/* The live line goes to a terminal on stdout only; check prints its
	 * report on stdout, so it never shows one. */
	c.progress = !cs->quiet && summary == stdout && isatty(STDOUT_FILENO);
	if (runs_latest(s, "crawl", false, &c.prev_run) < 0)
		c.prev_run = 0;
	if (cs->resume) {
		st = find_resume_run(s, &ri.id);
		if (c.prev_run == ri.id)
			c.prev_run = 0;
	} else {
		ri.kind = "crawl";
		ri.params = cs->params;
		st = runs_start(s, &ri);
	}
	if (st == ST_OK)
		st = page_writer_new(&c.w, s, ri.id);
	if (st == ST_OK)
		st = plan_sites(&c, ri.id, cs->resume, cs->schools, cs->nschools, &todo, &ntodo);
	if (st < 0)
		goto cleanup;
	c.nsites = (long)ntodo;
	c.started = clock_ms();
	cs->opts.cached = on_cached;
	cs->opts.cached_ctx = &c;
	st = store_begin(s);
	if (st == ST_OK)
		st = crawl_run(&cs->opts, todo, ntodo, on_page, on_site, &c);
	if (st == ST_OK || st == ST_INTERRUPTED) {
		status st2 = store_commit(s);

		if (st2 < 0)
			st = st2;
	} else {
		store_rollback(s);
	}
	show_progress(&c, true);
	if (st == ST_INTERRUPTED) {
		fprintf(stderr, "portal-audit: crawl run %lld interrupted; finished sites are saved, "
				"continue with: crawl --resume\n", (long long)ri.id);
		if (runs_finish(s, ri.id, "interrupted") < 0)
			log_warn("%s", status_message());
		rc = EXIT_RUNTIME;
		st = ST_OK;
	} else if (st == ST_OK) {
		st = runs_finish(s, ri.id, "done");
		fprintf(summary, "crawl: run %lld finished\n", (long long)ri.id);
	}
cleanup:
	if (st < 0) {
		rc = app_fail(st);
		if (ri.id)
			if (runs_finish(s, ri.id, "failed") < 0)
				log_warn("%s", status_message());
	}
	free(todo);
	page_writer_free(c.w);
	if (run_out)
		*run_out = ri.id;
	return rc;
}

int cmd_crawl(struct app *a, int argc, char **argv)
{
	struct crawl_setup cs;
	struct store *s = NULL;
	int rc;

	rc = crawl_setup_parse(&cs, a, argc, argv, 1, false);
	if (rc != EXIT_OK)
		return rc;
	s = app_open_store(a);
	if (!s) {
		crawl_setup_release(&cs);
		return EXIT_RUNTIME;
	}
	rc = crawl_setup_load(&cs, s);
	if (rc == EXIT_OK)
		rc = app_crawl(s, &cs, stdout, NULL);
	crawl_setup_release(&cs);
	store_free(s);
	return rc;
}
