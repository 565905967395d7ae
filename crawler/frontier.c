#include "crawler/frontier.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/hash.h"
#include "core/str.h"

struct entry {
	const char *url; /* the seen set's copy */
	int depth, prio;
	uint64_t seq;
};

struct slot {
	char *url;
	char *lastmod; /* from a sitemap, or NULL */
	int prio;      /* best priority it is queued with */
	bool queued;   /* in the heap and not taken yet */
};

struct frontier {
	struct entry *heap; /* may hold stale copies of a URL re-queued with a better
			       priority; they are dropped when they reach the top */
	size_t n, cap, live;
	uint64_t seq;
	/* Seen set: open addressing over owned strings, load <= 1/2. */
	struct slot *slots;
	size_t nslots, nseen;
};

status frontier_new(struct frontier **out)
{
	struct frontier *f = calloc(1, sizeof(*f));

	*out = NULL;
	if (!f || !(f->slots = calloc(64, sizeof(*f->slots)))) {
		free(f);
		return status_set(ST_NOMEM, "out of memory creating a frontier");
	}
	f->nslots = 64;
	*out = f;
	return ST_OK;
}

void frontier_free(struct frontier *f)
{
	size_t i;

	if (!f)
		return;
	free(f->heap);
	for (i = 0; i < f->nslots; i++) {
		free(f->slots[i].url);
		free(f->slots[i].lastmod);
	}
	free(f->slots);
	free(f);
}

static size_t find_slot(const struct slot *slots, size_t nslots, const char *url)
{
	size_t i = (size_t)hash_str(url) & (nslots - 1);

	while (slots[i].url && strcmp(slots[i].url, url) != 0)
		i = (i + 1) & (nslots - 1);
	return i;
}

bool frontier_seen(const struct frontier *f, const char *url)
{
	return f->slots[find_slot(f->slots, f->nslots, url)].url != NULL;
}

static status grow_set(struct frontier *f)
{
	size_t n = f->nslots * 2, i;
	struct slot *ns = calloc(n, sizeof(*ns));

	if (!ns)
		return status_set(ST_NOMEM, "out of memory growing the seen-URL set");
	for (i = 0; i < f->nslots; i++)
		if (f->slots[i].url)
			ns[find_slot(ns, n, f->slots[i].url)] = f->slots[i];
	free(f->slots);
	f->slots = ns;
	f->nslots = n;
	return ST_OK;
}

/* Adds url to the seen set; *added is false when it was there already. */
static status mark(struct frontier *f, const char *url, bool *added)
{
	size_t i;
	status st;

	*added = false;
	if (frontier_seen(f, url))
		return ST_OK;
	if ((f->nseen + 1) * 2 > f->nslots && (st = grow_set(f)) < 0)
		return st;
	i = find_slot(f->slots, f->nslots, url);
	if (!(f->slots[i].url = str_dup(url)))
		return status_set(ST_NOMEM, "out of memory remembering a URL");
	f->nseen++;
	*added = true;
	return ST_OK;
}

status frontier_mark(struct frontier *f, const char *url)
{
	bool added;

	return mark(f, url, &added);
}

static bool before(const struct entry *a, const struct entry *b)
{
	if (a->prio != b->prio)
		return a->prio < b->prio;
	if (a->depth != b->depth)
		return a->depth < b->depth;
	return a->seq < b->seq;
}

static void swap(struct entry *a, struct entry *b)
{
	struct entry t = *a;

	*a = *b;
	*b = t;
}

static struct slot *slot_of(const struct frontier *f, const char *url)
{
	return &f->slots[find_slot(f->slots, f->nslots, url)];
}

status frontier_push(struct frontier *f, const char *url, int depth, int prio, bool *added)
{
	struct entry e;
	struct slot *sl;
	size_t i;
	status st = mark(f, url, added);

	if (st < 0)
		return st;
	sl = slot_of(f, url);
	/* A URL still queued, found again through a better link, moves up
	 * (a copy is queued; the old entry goes stale). */
	if (!*added && !(sl->queued && prio < sl->prio))
		return ST_OK;
	if (f->n >= FRONTIER_MAX) {
		*added = false;
		return ST_OK;
	}
	if (ARRAY_GROW(f->heap, f->n + 1, f->cap) < 0)
		return ST_NOMEM;
	e.url = sl->url;
	e.depth = depth;
	e.prio = prio;
	e.seq = f->seq++;
	if (!sl->queued)
		f->live++;
	sl->queued = true;
	sl->prio = prio;
	i = f->n++;
	f->heap[i] = e;
	while (i > 0 && before(&f->heap[i], &f->heap[(i - 1) / 2])) {
		swap(&f->heap[i], &f->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	return ST_OK;
}

/* Removes the top entry of the heap. */
static void heap_remove_top(struct frontier *f)
{
	size_t i = 0;

	f->heap[0] = f->heap[--f->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < f->n && before(&f->heap[l], &f->heap[m]))
			m = l;
		if (r < f->n && before(&f->heap[r], &f->heap[m]))
			m = r;
		if (m == i)
			break;
		swap(&f->heap[i], &f->heap[m]);
		i = m;
	}
}

/* Drops stale copies from the top, so heap[0] (if any) is live. */
static void prune(struct frontier *f)
{
	while (f->n > 0) {
		struct slot *sl = slot_of(f, f->heap[0].url);

		if (sl->queued && sl->prio == f->heap[0].prio)
			return;
		heap_remove_top(f);
	}
}

bool frontier_pop(struct frontier *f, const char **url, int *depth)
{
	prune(f);
	if (f->n == 0)
		return false;
	*url = f->heap[0].url;
	*depth = f->heap[0].depth;
	slot_of(f, *url)->queued = false;
	f->live--;
	heap_remove_top(f);
	return true;
}

size_t frontier_len(const struct frontier *f)
{
	return f->live;
}

int frontier_top_prio(struct frontier *f)
{
	prune(f);
	return f->n ? f->heap[0].prio : INT_MAX;
}

const char *frontier_top_url(struct frontier *f)
{
	prune(f);
	return f->n ? f->heap[0].url : NULL;
}

status frontier_set_lastmod(struct frontier *f, const char *url, const char *lastmod)
{
	bool added;
	struct slot *sl;
	char *v;
	status st = mark(f, url, &added);

	if (st < 0)
		return st;
	sl = &f->slots[find_slot(f->slots, f->nslots, url)];
	v = str_dup(lastmod);
	if (lastmod && !v)
		return status_set(ST_NOMEM, "out of memory remembering a lastmod");
	free(sl->lastmod);
	sl->lastmod = v;
	return ST_OK;
}

const char *frontier_lastmod(const struct frontier *f, const char *url)
{
	return f->slots[find_slot(f->slots, f->nslots, url)].lastmod;
}
