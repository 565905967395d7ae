/* The school pages' cache (web/internal.h, docs/internals/web.md, "The page
 * cache"): what report_render_school_page made for a school, kept while
 * the store's data generation is the one it was made at.  A new generation
 * clears everything; beyond the entry or byte bound the least recently
 * used entry goes.  Entries are reference counted, so one evicted while a
 * request still uses it is freed by that request. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "web/internal.h"

struct web_cache {
	pthread_mutex_t mu;
	struct web_cached **v;
	size_t n, max_entries, bytes, max_bytes;
	uint64_t gen;
	unsigned long tick;
};

status web_cache_new(struct web_cache **out, size_t max_entries, size_t max_bytes)
{
	struct web_cache *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c || !(c->v = calloc(max_entries ? max_entries : 1, sizeof(*c->v)))) {
		free(c);
		return status_set(ST_NOMEM, "out of memory");
	}
	pthread_mutex_init(&c->mu, NULL);
	c->max_entries = max_entries;
	c->max_bytes = max_bytes;
	*out = c;
	return ST_OK;
}

void web_cached_free(struct web_cached *e)
{
	if (!e)
		return;
	free(e->id);
	free(e->page.doc);
	free(e->page.history);
	school_result_release(&e->page.result);
	appeals_free(e->appeals, e->nappeals);
	rechecks_free(e->rechecks, e->nrechecks);
	free(e);
}

void web_cache_unref(struct web_cache *c, struct web_cached *e)
{
	bool last;

	if (!e)
		return;
	pthread_mutex_lock(&c->mu);
	last = --e->refs == 0;
	pthread_mutex_unlock(&c->mu);
	if (last)
		web_cached_free(e);
}

/* Takes entry i out of the cache (mu held); the caller unrefs it. */
static struct web_cached *take(struct web_cache *c, size_t i)
{
	struct web_cached *e = c->v[i];

	c->v[i] = c->v[--c->n];
	c->bytes -= e->bytes;
	return e;
}

/* Empties the cache for generation gen (mu held); *gone gets the entries
 * to unref, *ngone their number. */
static void clear(struct web_cache *c, uint64_t gen, struct web_cached **gone, size_t *ngone)
{
	while (c->n)
		gone[(*ngone)++] = take(c, c->n - 1);
	c->gen = gen;
}

struct web_cached *web_cache_get(struct web_cache *c, const char *id, uint64_t gen)
{
	struct web_cached *hit = NULL, **gone = NULL;
	size_t i, ngone = 0;

	pthread_mutex_lock(&c->mu);
	if (gen > c->gen && (gone = calloc(c->n ? c->n : 1, sizeof(*gone))))
		clear(c, gen, gone, &ngone);
	for (i = 0; gen == c->gen && i < c->n && !hit; i++) {
		if (strcmp(c->v[i]->id, id) == 0) {
			hit = c->v[i];
			hit->refs++;
			hit->used = ++c->tick;
		}
	}
	pthread_mutex_unlock(&c->mu);
	for (i = 0; i < ngone; i++)
		web_cache_unref(c, gone[i]);
	free(gone);
	return hit;
}

/* Size of what e holds, roughly. */
static size_t cached_bytes(const struct web_cached *e)
{
	size_t b = sizeof(*e) + e->page.ndoc + e->page.nhistory + strlen(e->id), i;
	const struct finding *f;

	for (i = 0; i < e->page.result.nfindings; i++) {
		f = &e->page.result.findings[i];
		b += sizeof(*f) + 64 + (f->title ? strlen(f->title) : 0) +
		     (f->url ? strlen(f->url) : 0) + (f->item ? strlen(f->item) : 0);
	}
	for (i = 0; i < e->nappeals; i++) /* text up to 4,000 bytes, a URL up to 2,000 */
		b += sizeof(*e->appeals) + 512 +
		     (e->appeals[i].text ? strlen(e->appeals[i].text) : 0);
	return b + e->nrechecks * (sizeof(*e->rechecks) + 512) + 1024;
}

struct web_cached *web_cache_put(struct web_cache *c, uint64_t gen, struct web_cached *e)
{
	struct web_cached **gone = NULL;
	const char *id = e->id;
	size_t i, victim, ngone = 0;

	e->refs = 1; /* the caller's */
	e->bytes = cached_bytes(e);
	pthread_mutex_lock(&c->mu);
	if (gen >= c->gen && e->bytes <= c->max_bytes && c->max_entries &&
	    (gone = calloc(c->n + 1, sizeof(*gone)))) {
		if (gen > c->gen)
			clear(c, gen, gone, &ngone);
		for (i = 0; i < c->n; i++) /* made twice at once: keep the newer */
			if (strcmp(c->v[i]->id, id) == 0)
				gone[ngone++] = take(c, i--);
		while (c->n && (c->n == c->max_entries || c->bytes + e->bytes > c->max_bytes)) {
			for (victim = 0, i = 1; i < c->n; i++)
				if (c->v[i]->used < c->v[victim]->used)
					victim = i;
			gone[ngone++] = take(c, victim);
		}
		e->refs++;
		e->used = ++c->tick;
		c->v[c->n++] = e;
		c->bytes += e->bytes;
	}
	pthread_mutex_unlock(&c->mu);
	for (i = 0; i < ngone; i++)
		web_cache_unref(c, gone[i]);
	free(gone);
	return e;
}

void web_cache_free(struct web_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		web_cache_unref(c, c->v[i]);
	pthread_mutex_destroy(&c->mu);
	free(c->v);
	free(c);
}
