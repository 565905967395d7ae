/* CURLOPT_RESOLVE entries grouped by host (crawler/resolve_map.h). */
#include "crawler/resolve_map.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/str.h"
#include "core/strlist.h"
#include "core/urlsplit.h"

struct resolve_map {
	const char *const *entries; /* the caller's, not copied */
	uint32_t *group;            /* entries of a site's host, sorted by key */
	size_t ngroup;
	struct curl_slist *global; /* the other entries, permanent: loaded once */
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

/* The group key of an entry's host, as host_key; false when it has none
 * that fits. */
static bool entry_key(const char *entry, char *key, size_t keysz)
{
	const char *host = entry + (entry[0] == '+' || entry[0] == '-');

	return host_key(host, strcspn(host, ":"), key, keysz);
}

static int cmp_keys(const void *a, const void *b, void *ctx)
{
	const struct strlist *keys = ctx;

	return strcmp(strlist_get(keys, *(const uint32_t *)a),
		      strlist_get(keys, *(const uint32_t *)b));
}

/* Entries by key (entry_key gave them one), then in the order given. */
static int cmp_entries(const void *a, const void *b, void *ctx)
{
	const char *const *entries = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	char kx[256], ky[256];
	int c;

	(void)entry_key(entries[x], kx, sizeof(kx));
	(void)entry_key(entries[y], ky, sizeof(ky));
	c = strcmp(kx, ky);
	return c ? c : (x > y) - (x < y);
}

/* Is key the key of a site (keys sorted through order)? */
static bool is_site_key(const struct strlist *keys, const uint32_t *order, const char *key)
{
	size_t lo = 0, hi = keys->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(strlist_get(keys, order[mid]), key);

		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The keys of the sites' start URLs, sorted through *order: transient,
 * freed once the entries are placed. */
static status site_keys(struct strlist *keys, uint32_t **order, const char *const *site_urls,
			size_t nsites)
{
	char key[256];
	size_t i;
	status st = ST_OK;

	for (i = 0; st == ST_OK && i < nsites; i++)
		if (url_key(site_urls[i], key, sizeof(key)))
			st = strlist_adds(keys, key);
	if (st < 0)
		return st;
	*order = malloc((keys->n ? keys->n : 1) * sizeof(**order));
	if (!*order)
		return status_set(ST_NOMEM, "out of memory");
	for (i = 0; i < keys->n; i++)
		(*order)[i] = (uint32_t)i;
	qsort_r(*order, keys->n, sizeof(**order), cmp_keys, keys);
	return ST_OK;
}

/* An entry for a site's host goes to the groups, any other to global. */
static status place(struct resolve_map *m, const struct strlist *keys, const uint32_t *order,
		    size_t n)
{
	char key[256];
	size_t i;
	status st = ST_OK;

	m->group = malloc((n ? n : 1) * sizeof(*m->group));
	if (!m->group)
		return status_set(ST_NOMEM, "out of memory");
	for (i = 0; st == ST_OK && i < n; i++) {
		if (entry_key(m->entries[i], key, sizeof(key)) && is_site_key(keys, order, key))
			m->group[m->ngroup++] = (uint32_t)i;
		else
			st = append_as_is(&m->global, m->entries[i]);
	}
	qsort_r(m->group, m->ngroup, sizeof(*m->group), cmp_entries, (void *)m->entries);
	return st;
}

status resolve_map_new(struct resolve_map **out, const char *const *entries, size_t n,
		       const char *const *site_urls, size_t nsites)
{
	struct resolve_map *m = NULL;
	struct strlist keys = STRLIST_INIT;
	uint32_t *order = NULL;
	size_t i;
	status st = ST_OK;

	*out = NULL;
	if (n > UINT32_MAX)
		return status_set(ST_LIMIT, "too many resolve entries");
	for (i = 0; st == ST_OK && i < n; i++)
		st = entries[i]
			     ? check(entries[i])
			     : status_set(ST_INVALID, "bad resolve entry '': want HOST:PORT:ADDR");
	if (st == ST_OK && !(m = calloc(1, sizeof(*m))))
		st = status_set(ST_NOMEM, "out of memory");
	if (st == ST_OK) {
		m->entries = entries;
		if (n > 0)
			st = site_keys(&keys, &order, site_urls, nsites);
	}
	if (st == ST_OK)
		st = place(m, &keys, order, n);
	strlist_release(&keys);
	free(order);
	if (st < 0) {
		resolve_map_free(m);
		return st;
	}
	*out = m;
	return ST_OK;
}

/* The first of the group entries whose key is not below key. */
static size_t lower_bound(const struct resolve_map *m, const char *key)
{
	size_t lo = 0, hi = m->ngroup;
	char k[256];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		(void)entry_key(m->entries[m->group[mid]], k, sizeof(k));
		if (strcmp(k, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Appends the group entries of key to *l, each as "+ENTRY". */
static status append_group(const struct resolve_map *m, const char *key, struct curl_slist **l)
{
	char k[256];
	size_t i;
	status st = ST_OK;

	for (i = lower_bound(m, key); st == ST_OK && i < m->ngroup; i++) {
		const char *e = m->entries[m->group[i]];

		(void)entry_key(e, k, sizeof(k));
		if (strcmp(k, key) != 0)
			break;
		st = append(l, e);
	}
	return st;
}

status resolve_map_for(struct curl_slist **out, struct resolve_map *m, const char *url)
{
	char key[256];
	const struct curl_slist *g;
	struct curl_slist *l = NULL;
	status st = ST_OK;

	*out = NULL;
	if (!m)
		return ST_OK;
	/* The first transfer: the global entries, then its own. */
	if (!m->first_given && m->global) {
		m->first_given = true;
		for (g = m->global; st == ST_OK && g; g = g->next)
			st = append_as_is(&l, g->data);
	}
	if (st == ST_OK && url_key(url, key, sizeof(key)))
		st = append_group(m, key, &l);
	if (st < 0) {
		curl_slist_free_all(l);
		return st;
	}
	*out = l;
	return ST_OK;
}

void resolve_map_free(struct resolve_map *m)
{
	if (!m)
		return;
	free(m->group);
	curl_slist_free_all(m->global);
	free(m);
}
