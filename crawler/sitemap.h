/* Sitemaps (sitemaps.org 0.9): XML urlset and sitemapindex, gzip or not,
 * and plain-text sitemaps (one URL a line).
 *
 * The parse is bounded: at most SITEMAP_MAX_URLS entries and
 * SITEMAP_MAX_BYTES after gunzip (inflating stops there, and what was
 * inflated is parsed); the XML is streamed, not built as a tree; entities are not expanded and nothing
 * is loaded from the network.  Thread-safe once html_init() (which
 * initialises libxml2) has run. */
#ifndef CRAWLER_SITEMAP_H
#define CRAWLER_SITEMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

#define SITEMAP_MAX_URLS 50000
#define SITEMAP_MAX_BYTES ((size_t)10 << 20)

struct sitemap_entry {
	char *loc;     /* as written (trimmed); the caller resolves and filters it */
	char *lastmod; /* as written, or NULL */
};

struct sitemap {
	bool is_index;  /* a sitemapindex: entries are sitemaps */
	bool truncated; /* gzip inflating past SITEMAP_MAX_BYTES was stopped there */
	struct sitemap_entry *entries;
	size_t nentries;
};

/* Parses body (len bytes; gzip when it starts with the gzip magic).
 * Unparseable input gives an empty sitemap, not an error; fails only on
 * memory.  *out is freed with sitemap_free. */
status sitemap_parse(struct sitemap **out, const char *body, size_t len) PA_MUST_CHECK;
void sitemap_free(struct sitemap *sm);

#endif
