#include "crawler/parser.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/hash.h"
#include "core/str.h"
#include "core/urlsplit.h"
#include "crawler/html.h"
#include "crawler/scope.h"
#include "crawler/url.h"

#define PARSER_MAX_THREADS 64

/* Two FIFO queues under one mutex: todo (crawl -> workers) and done
 * (workers -> crawl).  The cond wakes workers; the crawl thread is woken
 * through the wake callback instead, since it sleeps in curl's poll. */
struct parser {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct parser_job *todo, *todo_tail, *done, *done_tail;
	bool quit;
	pthread_t threads[PARSER_MAX_THREADS];
	int nthreads;
	void (*wake)(void *);
	void *arg;
};

static status add_link(struct parser_job *j, char *url, int prio)
{
	status st = ARRAY_ROOM(j->links, j->nlinks);

	if (st < 0)
		return st;
	j->links[j->nlinks].url = url;
	j->links[j->nlinks].doc = false;
	j->links[j->nlinks++].prio = prio;
	return ST_OK;
}

/* Seen links of one page: the same URL often appears many times (menus
 * in the header, footer and sidebar).  Open addressing over indexes into
 * j->links, with the anchor text of the occurrence that was scored. */
struct page_set {
	size_t *slot; /* index + 1; 0 = empty */
	const char **text;
	size_t n;
};

/* A page of a disclosure section's list: what it says about its own
 * listing (key and number), whether it has other pages, and whether it
 * reached the cutoff (most of the dates it prints are older). */
struct listing {
	bool section;
	char *key;
	long num;
	bool stop;
};

static bool same_listing(const struct listing *l, const char *url, long *num)
{
	char *key = NULL;
	bool same = scope_listing(url, &key, num) == ST_OK && strcmp(key, l->key) == 0 &&
		    *num != l->num;

	free(key);
	return same;
}

/* Whether the page itself says it is a disclosure page (its URL, title or
 * first headings: scope_is_disclosure_page). */
static bool says_disclosure(const struct page *p)
{
	const char *heads[3];
	size_t nh = 0;

	for (; nh < p->nheadings && nh < 3; nh++)
		heads[nh] = p->headings[nh].text;
	return scope_is_disclosure_page(p->url ? p->url : p->requested_url, p->title, heads, nh);
}

/* says is says_disclosure(j->page), worked out once by the caller. */
static status listing_begin(struct parser_job *j, struct listing *l, bool says)
{
	const struct page *p = j->page;
	long num;
	int total, older;
	status st;

	memset(l, 0, sizeof(*l));
	if ((!j->section && !j->section_if_paged) || !says)
		return ST_OK;
	st = scope_listing(p->url ? p->url : p->requested_url, &l->key, &l->num);
	if (st < 0)
		return st;
	l->section = j->section;
	for (size_t i = 0; !l->section && i < p->nlinks; i++)
		l->section = !p->links[i].chrome && same_listing(l, p->links[i].url, &num);
	if (l->section && j->cutoff > 0) {
		/* Lists run newest first: once every post on a page is older
		 * than the cutoff, the later pages are older still: only their
		 * items are worth it (an abandoned site's newest ones, stale but
		 * published), after the section's other pages and its posts
		 * named like disclosures.  (Every date: a page that ends the
		 * current posts and starts the old ones is current, and a pinned
		 * old post does not end the list.) */
		scope_count_dates(p->main_text, j->cutoff, &total, &older);
		l->stop = total >= 2 && older == total;
	}
	return ST_OK;
}

/* The rank of a link of a section page, from its rank prio. */
static void section_prio(const struct listing *l, const struct page_link *lk, int *prio)
{
	long num;

	if (same_listing(l, lk->url, &num)) {
		int rank =
			l->stop && num > l->num ? SCOPE_RANK_SECTION_OLD : SCOPE_RANK_SECTION_PAGE;

		if (*prio > rank)
			*prio = rank;
	} else if (!lk->chrome && lk->text[0] && *prio > SCOPE_RANK_SECTION) {
		/* (An image link beside the title has no text: the title's
		 * occurrence ranks the post.)  On a page past the cutoff only
		 * posts named like disclosures, as late as its later pages. */
		int sr = scope_section_rank(lk->text);

		if (l->stop)
			sr = sr == SCOPE_RANK_SECTION_POST_KW ? SCOPE_RANK_SECTION_OLD : *prio;

		if (sr < *prio)
			*prio = sr;
	}
}

/* Adds one occurrence of canon (taking it) with its anchor text: a new
 * URL is scored and kept; a repeated one keeps the better priority. */
static status add_occurrence(struct parser_job *j, struct page_set *ps, char *canon,
			     const char *text, const struct listing *ls, const struct page_link *lk)
{
	size_t i = (size_t)hash_str(canon) & (ps->n - 1);
	int prio;

	while (ps->slot[i] && strcmp(j->links[ps->slot[i] - 1].url, canon) != 0)
		i = (i + 1) & (ps->n - 1);
	if (ps->slot[i]) {
		struct parser_link *l = &j->links[ps->slot[i] - 1];

		/* A section's post often sits in the menu too: its occurrence in
		 * the main content ranks it as the section's. */
		if ((text && *text && strcmp(text, ps->text[ps->slot[i] - 1]) != 0) ||
		    (ls && !lk->chrome && lk->text[0])) {
			prio = scope_rank(canon, text, j->keywords, j->nkeywords);
			if (ls)
				section_prio(ls, lk, &prio);
			if (prio < l->prio)
				l->prio = prio;
		}
		free(canon);
		return ST_OK;
	}
	prio = scope_rank(canon, text, j->keywords, j->nkeywords);
	if (ls)
		section_prio(ls, lk, &prio);
	if (add_link(j, canon, prio) < 0) {
		free(canon);
		return status_set(ST_NOMEM, "out of memory collecting links");
	}
	ps->text[j->nlinks - 1] = text ? text : "";
	ps->slot[i] = j->nlinks;
	return ST_OK;
}

/* A document link of the page, when scope_doc_rank wants it (once, with
 * the best rank of its occurrences). */
static status add_document(struct parser_job *j, struct page_set *ps, const char *u,
			   const struct page_link *lk, bool disclosure)
{
	char *url = str_dup(u);
	size_t before = j->nlinks;
	int prio = j->all_docs ? SCOPE_RANK_SECTION
			       : scope_doc_rank(u, lk->text, j->keywords, j->nkeywords, disclosure,
						lk->chrome);
	status st;

	if (!url)
		return status_set(ST_NOMEM, "out of memory collecting links");
	if (prio == SCOPE_DOC_SKIP) {
		free(url);
		return ST_OK;
	}
	st = add_occurrence(j, ps, url, NULL, NULL, lk);
	if (st == ST_OK && j->nlinks > before) {
		j->links[before].prio = prio;
		j->links[before].doc = true;
	}
	return st;
}

/* The links of the page worth fetching: on the site, not assets, not
 * traps, documents only as scope_doc_rank wants; canonical, once each, with their priority
 * (scope_rank of scope_score, or the section ranks on a page of a
 * disclosure section). */
static status collect_links(struct parser_job *j)
{
	const struct page *p = j->page;
	char hostname[256], *canon = NULL;
	struct page_set ps = {NULL, NULL, 16};
	struct listing l;
	size_t i;
	/* Read once: the section listing and the document policy both ask. */
	bool says = (j->section || j->section_if_paged || (j->want_docs && j->disclosure_page)) &&
		    says_disclosure(p);
	status st = listing_begin(j, &l, says);
	bool disclosure = j->want_docs && j->disclosure_page && says;

	while (ps.n < p->nlinks * 2)
		ps.n *= 2;
	ps.slot = calloc(ps.n, sizeof(*ps.slot));
	ps.text = calloc(p->nlinks ? p->nlinks : 1, sizeof(*ps.text));
	if (st == ST_OK && (!ps.slot || !ps.text))
		st = status_set(ST_NOMEM, "out of memory collecting links");
	for (i = 0; i < p->nlinks && st == ST_OK; i++) {
		const char *u = p->links[i].url;

		urlsplit_host(u, hostname, sizeof(hostname));
		if (!url_same_site(hostname, j->site_host) || scope_is_asset(u) || scope_is_trap(u))
			continue;
		if (scope_is_document(u)) {
			if (j->want_docs)
				st = add_document(j, &ps, u, &p->links[i], disclosure);
			continue;
		}
		st = scope_canonical(&canon, u);
		if (st == ST_OK)
			st = add_occurrence(j, &ps, canon, p->links[i].text, l.section ? &l : NULL,
					    &p->links[i]);
		canon = NULL;
	}
	free(l.key);
	free(ps.slot);
	free(ps.text);
	return st;
}

void parser_run(struct parser_job *j, struct docspawn **ds)
{
	if (j->doc) {
		j->st = *ds ? ST_OK : docspawn_new(ds, j->doc);
		if (j->st == ST_OK)
			j->st = docspawn_page(*ds, j->page, j->body, j->len);
		return;
	}
	j->st = j->extracted
			? ST_OK
			: html_extract(j->page, j->body, j->len, j->page->charset, j->page->url);
	if (j->st == ST_OK && j->want_links)
		j->st = collect_links(j);
}

void parser_job_free(struct parser_job *j)
{
	size_t i;

	if (!j)
		return;
	page_free(j->page);
	for (i = 0; i < j->nlinks; i++)
		free(j->links[i].url);
	free(j->links);
	free(j->site_host);
	free(j);
}

static void push(struct parser_job **head, struct parser_job **tail, struct parser_job *j)
{
	j->next = NULL;
	if (*tail)
		(*tail)->next = j;
	else
		*head = j;
	*tail = j;
}

static struct parser_job *pop(struct parser_job **head, struct parser_job **tail)
{
	struct parser_job *j = *head;

	if (j) {
		*head = j->next;
		if (!*head)
			*tail = NULL;
		j->next = NULL;
	}
	return j;
}

static void *worker(void *arg)
{
	struct parser *ps = arg;
	struct parser_job *j;
	struct docspawn *ds = NULL; /* this thread's document extractor */

	pthread_mutex_lock(&ps->mu);
	for (;;) {
		while (!ps->quit && !ps->todo)
			pthread_cond_wait(&ps->cv, &ps->mu);
		if (ps->quit)
			break;
		j = pop(&ps->todo, &ps->todo_tail);
		pthread_mutex_unlock(&ps->mu);
		parser_run(j, &ds);
		pthread_mutex_lock(&ps->mu);
		push(&ps->done, &ps->done_tail, j);
		if (ps->wake)
			ps->wake(ps->arg);
	}
	pthread_mutex_unlock(&ps->mu);
	docspawn_free(ds);
	return NULL;
}

status parser_new(struct parser **out, int nthreads, void (*wake)(void *), void *arg)
{
	struct parser *ps = calloc(1, sizeof(*ps));
	int i;

	*out = NULL;
	if (!ps)
		return status_set(ST_NOMEM, "out of memory starting parser threads");
	pthread_mutex_init(&ps->mu, NULL);
	pthread_cond_init(&ps->cv, NULL);
	ps->wake = wake;
	ps->arg = arg;
	if (nthreads > PARSER_MAX_THREADS)
		nthreads = PARSER_MAX_THREADS;
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&ps->threads[i], NULL, worker, ps) != 0) {
			parser_free(ps, NULL, NULL);
			return status_set(ST_NOMEM, "cannot start parser thread %d", i + 1);
		}
		ps->nthreads++;
	}
	*out = ps;
	return ST_OK;
}

void parser_submit(struct parser *ps, struct parser_job *j)
{
	pthread_mutex_lock(&ps->mu);
	push(&ps->todo, &ps->todo_tail, j);
	pthread_cond_signal(&ps->cv);
	pthread_mutex_unlock(&ps->mu);
}

struct parser_job *parser_take(struct parser *ps)
{
	struct parser_job *j;

	pthread_mutex_lock(&ps->mu);
	j = pop(&ps->done, &ps->done_tail);
	pthread_mutex_unlock(&ps->mu);
	return j;
}

void parser_free(struct parser *ps, void (*discard)(struct parser_job *, void *), void *arg)
{
	struct parser_job *j;
	int i;

	if (!ps)
		return;
	pthread_mutex_lock(&ps->mu);
	ps->quit = true;
	pthread_cond_broadcast(&ps->cv);
	pthread_mutex_unlock(&ps->mu);
	for (i = 0; i < ps->nthreads; i++)
		pthread_join(ps->threads[i], NULL);
	while ((j = pop(&ps->todo, &ps->todo_tail)) || (j = pop(&ps->done, &ps->done_tail))) {
		if (discard)
			discard(j, arg);
		else
			parser_job_free(j);
	}
	pthread_cond_destroy(&ps->cv);
	pthread_mutex_destroy(&ps->mu);
	free(ps);
}
