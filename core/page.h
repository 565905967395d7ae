/* The page model: what the crawler extracts from one fetched URL and what
 * the rules read.  Crawler and rules meet only here.
 *
 * A page owns every string it points to; page_free releases them all.
 * All text is UTF-8 in NFC with white space collapsed to single spaces. */
#ifndef CORE_PAGE_H
#define CORE_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct page_link {
	char *url;  /* absolute, normalised; never NULL */
	char *text; /* anchor text (or img alt/title when the anchor has no text); "" if none */
	int chrome; /* 1: in a menu, header, footer, sidebar or breadcrumb (as main_text
		       leaves out); set by the HTML parser, not stored */
};

struct page_heading {
	int level; /* 1..6 */
	char *text;
};

/* A meta fact about the page: <meta name|property|http-equiv> (name
 * lower-cased), plus "time" for each <time datetime>, and
 * "jsonld:datePublished" / "jsonld:dateModified" from JSON-LD. */
struct page_meta {
	char *name;
	char *content;
};

struct page {
	int64_t id;          /* row id in the store; 0 before it is stored */
	char *requested_url; /* the URL asked for */
	char *url;           /* final URL after redirects */
	int status;          /* HTTP status of the final response; 0 if none came */
	int depth;           /* link distance from the start URL */
	char *content_type;  /* media type without parameters, lower case */
	char *charset;       /* charset the body was decoded from, e.g. "utf-8" */
	char *etag;
	char *last_modified;   /* HTTP Last-Modified as sent */
	char *sitemap_lastmod; /* lastmod from a sitemap, if one listed the URL */
	int64_t bytes;         /* body bytes after decompression */
	int64_t fetched_at;    /* ms since the epoch */
	int64_t fetch_ms;      /* duration of the transfer */
	char *content_hash;    /* hex SHA-256 of the body, or NULL */
	char *error;           /* why the fetch failed (NULL when it did not) */

	char *title;
	struct page_heading *headings;
	size_t nheadings;
	struct page_link *links;
	size_t nlinks;
	struct page_meta *metas;
	size_t nmetas;
	char *text;      /* all visible text (no script, style, noscript, template) */
	char *main_text; /* visible text minus navigation, header, footer, sidebars, menus */
};

/* Allocates an empty page. */
status page_new(struct page **out) PA_MUST_CHECK;
void page_free(struct page *p);

/* Appends copies of the arguments. */
status page_add_link(struct page *p, const char *url, const char *text) PA_MUST_CHECK;
status page_add_heading(struct page *p, int level, const char *text) PA_MUST_CHECK;
status page_add_meta(struct page *p, const char *name, const char *content) PA_MUST_CHECK;
/* First meta named name, or NULL. */
const char *page_meta_get(const struct page *p, const char *name);
/* Replaces *field with a copy of value (NULL allowed). */
status page_set(char **field, const char *value) PA_MUST_CHECK;

#endif
