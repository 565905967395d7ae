/* `crawl`: fetch the portals of the selected schools into the store.
 *
 * Durability: every site is registered as pending before the crawl starts;
 * its pages are committed as they arrive and its "done" mark when it
 * finishes.  `crawl --resume` continues the newest unfinished crawl
 * run: finished sites are kept, unfinished ones are cleared and crawled
 * again, so nothing finished is lost and nothing is stored twice.  It
 * crawls with the options recorded with the run (runs.params), then those
 * given beside --resume.
 *
 * Concurrency: the crawl holds the store's writer lock (STORE_EXCLUSIVE),
 * so a second crawl or check is refused at once.  Each page, and each
 * site's end, is its own short write transaction, so an audit or an
 * import can write beside it; readers never wait. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/crawl_setup.h"
#include "app/progress.h"
#include "core/log.h"
#include "core/str.h"
#include "store/pages.h"
#include "store/registry.h"
#include "store/runs.h"

struct crawl_ctx {
	struct store *s;
	struct page_writer *w;
	struct progress *progress;
	const struct crawl_setup *cs; /* its page_hook */
	int64_t run;                  /* this crawl run */
	/* The school whose previous crawl on_cached last looked up, and that
	 * crawl (0: none), for conditional GETs. */
	const char *prev_school;
	int64_t prev_run;
};

/* Each callback writes in its own transaction, committed before it
 * returns: the write lock is never held while the crawl waits on the
 * network, so another writer waits a page's write at most.  (A batch of
 * 200 pages a transaction cost less, ~0.2 against ~0.5 ms a page, but
 * left the lock free only for moments: an audit beside the crawl starved.)
 * A failed write rolls back. */
static status tx_end(struct store *s, status st)
{
	if (st == ST_OK)
		return store_commit(s);
	store_rollback(s);
	return st;
}

/* Runs on the crawl thread; the page is ours. */
static status on_page(void *ctx, const struct crawl_site *site, struct page *p)
{
	struct crawl_ctx *c = ctx;
	bool unchanged = p->status == 304, error;
	status st;

	/* A 304 hands back the page model stored by the previous crawl: it is
	 * the page as it is now, so it is stored as a normal 200 page and the
	 * audit reads it like any other. */
	if (unchanged)
		p->status = 200;
	/* A URL robots.txt disallows (error "robots") is not a failure. */
	error = (p->error && strcmp(p->error, "robots") != 0) || p->status >= 400;
	progress_page(c->progress, error, unchanged);
	st = store_begin(c->s);
	if (st == ST_OK)
		st = tx_end(c->s, page_writer_put(c->w, site->school_id, p));
	page_free(p);
	if (st == ST_OK && c->cs->page_hook)
		c->cs->page_hook(c->cs->page_hook_ctx, error);
	return st;
}

/* Runs on the crawl thread before each request: the page stored by the
 * previous crawl, so the crawler can send If-None-Match/If-Modified-Since. */
static status on_cached(void *ctx, const struct crawl_site *site, const char *url,
			struct page **cached)
{
	struct crawl_ctx *c = ctx;
	char at[21];
	status st;

	*cached = NULL;
	/* The school's own newest crawl, whichever run: crawls of one unit
	 * at a time still revalidate what the last one fetched. */
	if (c->prev_school != site->school_id) {
		c->prev_school = site->school_id;
		st = runs_school_crawl(c->s, site->school_id, 0, NULL, &c->prev_run, at);
		if (st == ST_NOTFOUND || (st == ST_OK && c->prev_run == c->run))
			c->prev_run = 0;
		else if (st < 0)
			return st;
	}
	if (!c->prev_run)
		return ST_OK;
	return pages_load_cached(c->s, c->prev_run, site->school_id, url, cached);
}

/* Runs on the crawl thread when a site is finished. */
static status on_site(void *ctx, const struct crawl_site *site, const struct crawl_site_result *r)
{
	struct crawl_ctx *c = ctx;
	status st = store_begin(c->s);

	if (st == ST_OK)
		st = tx_end(c->s,
			    page_writer_site_done(c->w, site->school_id, r->reachable, r->reason,
						  r->final_host, r->pages, r->errors));

	progress_site(c->progress, r->reachable);
	/* --verbose: which school failed and why, as it finishes. */
	if (!r->reachable)
		log_info("crawl: school %s unreachable: %s (%s)", site->school_id,
			 r->reason ? r->reason : "unknown", site->start_url);
	return st;
}

/* Registers the sites of this run as pending and counts those still to
 * crawl (the crawl reads them back from the store as it opens them). */
static status plan_sites(struct crawl_ctx *c, int64_t run_id, bool resume,
			 const struct strlist *sites, size_t *nout)
{
	size_t n = sites->n / 2;
	size_t i, k = 0;
	status st = store_begin(c->s);

	*nout = 0;
	for (i = 0; i < n && st == ST_OK; i++) {
		const char *id = strlist_get(sites, 2 * i), *url = strlist_get(sites, 2 * i + 1);
		struct site_outcome o;

		st = page_writer_site_pending(c->w, id, url);
		if (st == ST_OK && resume) {
			st = pages_site_outcome(c->s, run_id, id, &o);
			if (st == ST_OK && o.done) {
				site_outcome_release(&o);
				continue;
			}
			if (st == ST_OK)
				st = page_writer_site_reset(c->w, id);
			site_outcome_release(&o);
		}
		k++;
	}
	if (st == ST_OK)
		st = store_commit(c->s);
	if (st < 0) {
		store_rollback(c->s);
		return st;
	}
	*nout = k;
	return ST_OK;
}

/* The crawl's source of sites: the run's pending sites, read from the
 * store PENDING_BATCH at a time in school id order (crawler/crawl.h). */
#define PENDING_BATCH 256

struct pending_source {
	struct store *s;
	int64_t run;
	struct strlist batch; /* id, URL pairs */
	size_t next;          /* pair to hand out next */
	char *after;          /* the last id of the batch before; NULL for the first */
	bool end;             /* the store has no more */
};

static int pending_next(void *ctx, struct crawl_site *out)
{
	struct pending_source *p = ctx;
	status st;

	if (p->next * 2 >= p->batch.n) {
		if (p->end)
			return 0;
		/* The next batch starts after this one's last id. */
		if (p->batch.n > 0) {
			free(p->after);
			if (!(p->after = str_dup(strlist_get(&p->batch, p->batch.n - 2))))
				return status_set(ST_NOMEM, "out of memory");
		}
		strlist_release(&p->batch);
		p->next = 0;
		st = pages_pending_sites(p->s, p->run, p->after, PENDING_BATCH, &p->batch);
		if (st < 0)
			return st;
		if (p->batch.n < 2 * PENDING_BATCH)
			p->end = true;
		if (p->batch.n == 0)
			return 0;
	}
	out->school_id = strlist_get(&p->batch, 2 * p->next);
	out->start_url = strlist_get(&p->batch, 2 * p->next + 1);
	p->next++;
	return 1;
}

static status pending_rewind(void *ctx)
{
	struct pending_source *p = ctx;

	strlist_release(&p->batch);
	p->next = 0;
	free(p->after);
	p->after = NULL;
	p->end = false;
	return ST_OK;
}

/* The runs of check are never resumed (runs_latest skips them). */
static status find_resume_run(struct store *s, int64_t *run_id)
{
	status st = runs_latest(s, "crawl", true, run_id);

	if (st < 0)
		return status_set(ST_NOTFOUND, "--resume: there is no crawl run to resume");
	return ST_OK;
}

/* A live line on a terminal; lines on stderr every 10 s when stdout is
 * not one (cron, systemd).  check (summary on stderr) keeps stdout for its
 * report and a terminal quiet. */
static enum progress_mode progress_mode(const struct crawl_setup *cs, FILE *summary)
{
	bool tty = isatty(STDOUT_FILENO);

	if (cs->quiet)
		return PROGRESS_NONE;
	if (tty)
		return summary == stdout ? PROGRESS_LIVE : PROGRESS_NONE;
	return PROGRESS_PERIODIC;
}

int app_crawl(struct store *s, struct crawl_setup *cs, FILE *summary, int64_t *run_out)
{
	struct crawl_ctx c;
	struct run_info ri = {0};
	struct pending_source pend = {s, 0, STRLIST_INIT, 0, NULL, false};
	struct crawl_source src = {pending_next, pending_rewind, &pend};
	size_t ntodo = 0;
	status st;
	int rc = EXIT_OK;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.cs = cs;
	st = ST_OK;
	if (cs->resume) {
		ri.id = cs->resume_run;
	} else {
		ri.kind = "crawl";
		ri.scope = cs->scope;
		ri.label = cs->label;
		ri.params = cs->params;
		st = runs_start(s, &ri);
	}
	c.run = ri.id;
	if (st == ST_OK)
		st = page_writer_new(&c.w, s, ri.id);
	/* check URL: its school was picked after crawl_setup_load. */
	if (st == ST_OK && cs->sites.n == 0)
		st = crawl_setup_add_schools(cs);
	if (st == ST_OK)
		st = plan_sites(&c, ri.id, cs->resume, &cs->sites, &ntodo);
	/* They are in the store now: the crawl reads them back a batch at a
	 * time, so a city of many schools does not hold them all. */
	strlist_release(&cs->sites);
	pend.run = ri.id;
	if (st == ST_OK)
		st = progress_new(&c.progress, progress_mode(cs, summary), (long)ntodo);
	if (st < 0)
		goto out;
	cs->opts.cached = on_cached;
	cs->opts.cached_ctx = &c;
	st = crawl_run_from(&cs->opts, &src, on_page, on_site, &c);
	if (st == ST_INTERRUPTED) {
		fprintf(stderr,
			"portal-audit: crawl run %lld interrupted; finished sites are saved, "
			"continue with: crawl --resume\n",
			(long long)ri.id);
		if (runs_finish(s, ri.id, "interrupted") < 0)
			log_warn("%s", status_message());
		progress_finish(c.progress, summary, "interrupted", ri.id);
		rc = EXIT_RUNTIME;
		st = ST_OK;
	} else if (st == ST_OK) {
		st = runs_finish(s, ri.id, "done");
		if (st == ST_OK)
			progress_finish(c.progress, summary, "done", ri.id);
	}
out:
	if (st < 0) {
		rc = app_fail(st);
		if (ri.id)
			if (runs_finish(s, ri.id, "failed") < 0)
				log_warn("%s", status_message());
		if (c.progress)
			progress_finish(c.progress, summary, "failed", ri.id);
	}
	progress_free(c.progress);
	pending_rewind(&pend);
	page_writer_free(c.w);
	if (run_out)
		*run_out = ri.id;
	return rc;
}

static const struct cli_opt run_opts[] = {
	{"--resume", NULL, CLI_FLAG, NULL, NULL,
	 "continue the newest crawl run with its recorded options (then these): finished "
	 "schools are kept, the rest fetched again",
	 OPT_RESUME, 0, 0},
	{"--label", NULL, CLI_STR, "TEXT", NULL,
	 "name the crawl run (unique among crawl runs; not only digits)", OPT_LABEL, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group run_group = {"Crawl run", run_opts};

const struct cli_command cmd_crawl_cli = {
	"crawl",
	"[SELECTION] [OPTIONS]",
	"Fetches the portals of the selected schools into the database.",
	"Creates the database when it does not exist.  --rules, --period and --as-of\n"
	"pick the rule set whose keywords steer the crawl to the disclosure pages.\n"
	"\n"
	"Progress: a live line when stdout is a terminal, else every 10 s on stderr:\n"
	"  crawl: progress schools=D/T pages=N errors=N unreachable=N elapsed_s=N eta_s=N\n"
	"The last line on stdout sums up, for scripts (STATE: done|interrupted|failed):\n"
	"  crawl: STATE run=N schools=D/T reachable=N unreachable=N pages=N errors=N\n"
	"         unchanged=N elapsed_s=N pages_per_s=N          (one line)\n"
	"With --verbose, each unreachable school is logged with its reason.\n",
	{&selection_group, &crawl_setup_group, &run_group, &crawl_setup_rules_group},
};

/* crawl --resume: the options recorded with the newest crawl run, then
 * those given now (a single-value option given again wins), parsed and
 * checked again before anything is written. */
static int resume_setup(struct crawl_setup *cs, struct app *a, struct store *s, int argc,
			char **argv)
{
	struct run_info ri = {0};
	int64_t run = 0;
	status st = find_resume_run(s, &run);
	int rc;

	if (st == ST_OK)
		st = runs_get(s, run, &ri);
	if (st < 0) {
		runs_info_release(&ri);
		return app_fail(st);
	}
	crawl_setup_release(cs);
	rc = crawl_setup_parse_recorded(cs, a, ri.params, argc, argv);
	if (rc != EXIT_OK)
		fprintf(stderr, "portal-audit: crawl --resume: the options of run %lld: %s\n",
			(long long)run, ri.params);
	cs->resume_run = run;
	runs_info_release(&ri);
	return rc;
}

int cmd_crawl(struct app *a, int argc, char **argv)
{
	struct crawl_setup cs;
	struct store *s = NULL;
	int rc;

	/* Every option is checked before the store is touched: a typo leaves
	 * no run behind. */
	rc = crawl_setup_parse(&cs, a, argc, argv, 1, false);
	if (rc == EXIT_OK && cs.resume && cs.label)
		rc = app_usage("crawl: --label names a new run, not one --resume continues");
	if (rc == EXIT_OK && !cs.resume)
		rc = crawl_setup_rules(&cs);
	if (rc == EXIT_OK)
		rc = app_open_store(&s, a, STORE_WRITE | STORE_CREATE | STORE_EXCLUSIVE);
	if (rc == EXIT_OK && cs.resume)
		rc = resume_setup(&cs, a, s, argc, argv);
	if (rc != EXIT_OK) {
		crawl_setup_release(&cs);
		store_free(s);
		return rc;
	}
	rc = crawl_setup_load(&cs, s);
	if (rc == EXIT_OK)
		rc = app_crawl(s, &cs, stdout, NULL);
	crawl_setup_release(&cs);
	store_free(s);
	return rc;
}
