/* CURLOPT_RESOLVE entries grouped by host (crawler/resolve_map.h). */
#include "crawler/resolve_map.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/hash.h"
#include "core/str.h"
#include "core/urlsplit.h"

/* The entries of one host and its www. twin. */
struct group {
	char *key; /* lower-case host without "www." */
	struct curl_slist *list;
	struct group *next;
};

struct resolve_map {
	struct group **buckets;
	size_t nbuckets;
	struct curl_slist *global; /* the other entries, permanent: loaded once */
	struct curl_slist *first;  /* global + a group: the first transfer's */
	bool first_given;
};

/* The group key of a host (n bytes): lower case, without "www.".  Returns
 * false when it does not fit out. */
static bool host_key(const char *host, size_t n, char *out, size_t outsz)
{
	size_t i;

	if (n > 4 && strncasecmp(host, "www.", 4) == 0) {
		host += 4;
		n -= 4;
	}
	if (n >= outsz)
		return false;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)host[i]);
	out[n] = '\0';
	return true;
}

/* The group key of url's host (a bare "host[:port][/...]" counts as
 * http://); false when it has none. */
static bool url_key(const char *url, char *key, size_t keysz)
{
	char host[256];
	size_t n;

	if (url && !strstr(url, "://")) {
		n = strcspn(url, ":/?#");
		return n > 0 && host_key(url, n, key, keysz);
	}
	urlsplit_host(url, host, sizeof(host));
	return host[0] && host_key(host, strlen(host), key, keysz);
}

static struct group *find(const struct resolve_map *m, const char *key)
{
	struct group *g;

	for (g = m->buckets[hash_str(key) & (m->nbuckets - 1)]; g; g = g->next)
		if (strcmp(g->key, key) == 0)
			return g;
	return NULL;
}

/* Appends "+ENTRY" (ENTRY as is when it starts with '+' or '-') to *l. */
static status append(struct curl_slist **l, const char *entry)
{
	size_t n = strlen(entry);
	char *item = malloc(n + 2);
	struct curl_slist *nl;

	if (!item)
		return status_set(ST_NOMEM, "out of memory");
	if (entry[0] == '+' || entry[0] == '-') {
		memcpy(item, entry, n + 1);
	} else {
		item[0] = '+';
		memcpy(item + 1, entry, n + 1);
	}
	nl = curl_slist_append(*l, item);
	free(item);
	if (!nl)
		return status_set(ST_NOMEM, "out of memory");
	*l = nl;
	return ST_OK;
}

/* Appends entry as given to *l. */
static status append_as_is(struct curl_slist **l, const char *entry)
{
	struct curl_slist *nl = curl_slist_append(*l, entry);

	if (!nl)
		return status_set(ST_NOMEM, "out of memory");
	*l = nl;
	return ST_OK;
}

static status check(const char *entry)
{
	const char *host = entry + (entry[0] == '+' || entry[0] == '-');
	const char *colon = strchr(host, ':');

	/* "-HOST:PORT" is curl's removal: no address. */
	if (!colon || colon == host || (entry[0] != '-' && !strchr(colon + 1, ':')))
		return status_set(ST_INVALID, "bad resolve entry '%s': want HOST:PORT:ADDR", entry);
	return ST_OK;
}

/* A group for the host of each site's start URL. */
static status add_site(struct resolve_map *m, const char *url)
{
	char key[256];
	size_t b;
	struct group *g;

	if (!url_key(url, key, sizeof(key)) || find(m, key))
		return ST_OK;
	b = hash_str(key) & (m->nbuckets - 1);
	g = calloc(1, sizeof(*g));
	if (!g || !(g->key = str_dup(key))) {
		free(g);
		return status_set(ST_NOMEM, "out of memory");
	}
	g->next = m->buckets[b];
	m->buckets[b] = g;
	return ST_OK;
}

/* An entry for a site's host goes to its group, any other to global. */
static status add(struct resolve_map *m, const char *entry)
{
	const char *host = entry + (entry[0] == '+' || entry[0] == '-');
	size_t n = strcspn(host, ":");
	char key[256];
	struct group *g;
	status st = check(entry);

	if (st < 0)
		return st;
	g = host_key(host, n, key, sizeof(key)) ? find(m, key) : NULL;
	return g ? append(&g->list, entry) : append_as_is(&m->global, entry);
}

status resolve_map_new(struct resolve_map **out, const char *const *entries, size_t n,
		       const char *const *site_urls, size_t nsites)
{
	struct resolve_map *m = calloc(1, sizeof(*m));
	size_t i;
	status st = ST_OK;

	*out = NULL;
	if (!m)
		return status_set(ST_NOMEM, "out of memory");
	for (m->nbuckets = 16; m->nbuckets < 2 * nsites; m->nbuckets *= 2)
		;
	m->buckets = calloc(m->nbuckets, sizeof(*m->buckets));
	if (!m->buckets)
		st = status_set(ST_NOMEM, "out of memory");
	for (i = 0; st == ST_OK && i < n; i++)
		if (!entries[i])
			st = status_set(ST_INVALID, "bad resolve entry '': want HOST:PORT:ADDR");
	for (i = 0; st == ST_OK && n > 0 && i < nsites; i++)
		st = add_site(m, site_urls[i]);
	for (i = 0; st == ST_OK && i < n; i++)
		st = add(m, entries[i]);
	if (st < 0) {
		resolve_map_free(m);
		return st;
	}
	*out = m;
	return ST_OK;
}

struct curl_slist *resolve_map_for(struct resolve_map *m, const char *url)
{
	char key[256];
	const struct group *g = NULL;
	const struct curl_slist *l;

	if (!m)
		return NULL;
	if (url_key(url, key, sizeof(key)))
		g = find(m, key);
	if (m->first_given || !m->global)
		return g ? g->list : NULL;
	/* The first transfer: the global entries, then its own. */
	m->first_given = true;
	if (!g)
		return m->global;
	for (l = m->global; l; l = l->next)
		if (append_as_is(&m->first, l->data) < 0)
			return NULL;
	for (l = g->list; l; l = l->next)
		if (append_as_is(&m->first, l->data) < 0)
			return NULL;
	return m->first;
}

void resolve_map_free(struct resolve_map *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; m->buckets && i < m->nbuckets; i++) {
		while (m->buckets[i]) {
			struct group *g = m->buckets[i];

			m->buckets[i] = g->next;
			curl_slist_free_all(g->list);
			free(g->key);
			free(g);
		}
	}
	free(m->buckets);
	curl_slist_free_all(m->global);
	curl_slist_free_all(m->first);
	free(m);
}
