#include "crawler/sitemap.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/array.h"
#include "core/buf.h"
#include "core/str.h"

static status gunzip(const char *in, size_t len, struct buf *out)
{
	z_stream z;
	char chunk[16384];
	int rc = Z_OK;
	status st = ST_OK;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return status_set(ST_NOMEM, "cannot start gunzip");
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)(len > 0xffffffffu ? 0xffffffffu : len);
	while (rc == Z_OK && st == ST_OK) {
		z.next_out = (Bytef *)chunk;
		z.avail_out = sizeof(chunk);
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc == Z_OK || rc == Z_STREAM_END)
			st = buf_add(out, chunk, sizeof(chunk) - z.avail_out);
	}
	inflateEnd(&z);
	/* A truncated or corrupt stream keeps what was inflated; going over
	 * the cap keeps the first SITEMAP_MAX_BYTES. */
	return st == ST_NOMEM ? st : ST_OK;
}

/* Length of a white-space character at s (ASCII, U+00A0, U+2000..U+200B,
 * U+3000, U+FEFF), 0 when there is none. */
static size_t space_at(const unsigned char *s, size_t n)
{
	if (n >= 1 && isspace(s[0]))
		return 1;
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x80 && s[2] <= 0x8B)
		return 3;
	if (n >= 3 && ((s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) ||
		       (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)))
		return 3;
	return 0;
}

static size_t space_before(const unsigned char *s, size_t n)
{
	size_t k;

	for (k = 1; k <= 3 && k <= n; k++)
		if (space_at(s + n - k, k) == k)
			return k;
	return 0;
}

static status add(struct sitemap *sm, const char *loc, size_t n, const char *lastmod)
{
	struct sitemap_entry e;
	size_t k;
	status st;

	while ((k = space_at((const unsigned char *)loc, n)) > 0) {
		loc += k;
		n -= k;
	}
	while ((k = space_before((const unsigned char *)loc, n)) > 0)
		n -= k;
	if (n == 0 || sm->nentries >= SITEMAP_MAX_URLS)
		return ST_OK;
	st = ARRAY_ROOM(sm->entries, sm->nentries);
	if (st < 0)
		return st;
	e.loc = str_ndup(loc, n);
	e.lastmod = lastmod ? str_dup(lastmod) : NULL;
	if (!e.loc || (lastmod && !e.lastmod)) {
		free(e.loc);
		free(e.lastmod);
		return status_set(ST_NOMEM, "out of memory reading a sitemap");
	}
	if (e.lastmod)
		str_trim(e.lastmod);
	sm->entries[sm->nentries++] = e;
	return ST_OK;
}

static bool named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

static status flush(struct sitemap *sm, xmlChar **loc, xmlChar **lastmod)
{
	status st = ST_OK;

	if (*loc)
		st = add(sm, (const char *)*loc, strlen((const char *)*loc),
			 (const char *)*lastmod);
	xmlFree(*loc);
	xmlFree(*lastmod);
	*loc = *lastmod = NULL;
	return st;
}

/* One <url> or <sitemap> element.  Lenient like the major parsers: each
 * <loc> starts a new entry (broken files repeat <loc> in one element), a
 * <lastmod> belongs to the <loc> before it, and an element without <loc>
 * whose text is a URL is taken as one. */
static status entry(struct sitemap *sm, xmlNode *el)
{
	xmlChar *loc = NULL, *lastmod = NULL;
	xmlNode *c;
	bool any = false;
	status st = ST_OK;

	for (c = el->children; c && st == ST_OK; c = c->next) {
		if (named(c, "loc")) {
			st = flush(sm, &loc, &lastmod);
			loc = xmlNodeGetContent(c);
			any = true;
		} else if (named(c, "lastmod") && !lastmod) {
			lastmod = xmlNodeGetContent(c);
		}
	}
	if (st == ST_OK && !any) {
		xmlFree(loc);
		loc = xmlNodeGetContent(el);
		if (loc && !strstr((const char *)loc, "://")) {
			xmlFree(loc);
			loc = NULL;
		}
	}
	if (st == ST_OK)
		st = flush(sm, &loc, &lastmod);
	xmlFree(loc);
	xmlFree(lastmod);
	return st;
}

static status parse_xml(struct sitemap *sm, const char *s, size_t n)
{
	xmlDocPtr doc;
	xmlNode *root, *c;
	status st = ST_OK;

	if (n > 0x7fffffff)
		return ST_OK;
	doc = xmlReadMemory(s, (int)n, NULL, NULL,
			    XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR |
				    XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root) {
		sm->is_index = named(root, "sitemapindex");
		for (c = root->children; c && st == ST_OK; c = c->next)
			if (named(c, sm->is_index ? "sitemap" : "url"))
				st = entry(sm, c);
	}
	if (doc)
		xmlFreeDoc(doc);
	return st;
}

static status parse_text(struct sitemap *sm, const char *s, size_t n)
{
	size_t i = 0;
	status st = ST_OK;

	while (i < n && st == ST_OK) {
		size_t e = i;

		while (e < n && s[e] != '\n' && s[e] != '\r')
			e++;
		if (e - i > 7 &&
		    (strncmp(s + i, "http://", 7) == 0 || strncmp(s + i, "https://", 8) == 0))
			st = add(sm, s + i, e - i, NULL);
		i = e + 1;
	}
	return st;
}

status sitemap_parse(struct sitemap **out, const char *body, size_t len)
{
	struct sitemap *sm = calloc(1, sizeof(*sm));
	struct buf plain = BUF_INIT(SITEMAP_MAX_BYTES);
	const char *s = body;
	size_t n = len, k = 0;
	status st = ST_OK;

	*out = NULL;
	if (!sm)
		return status_set(ST_NOMEM, "out of memory reading a sitemap");
	if (len >= 2 && (unsigned char)body[0] == 0x1f && (unsigned char)body[1] == 0x8b) {
		st = gunzip(body, len, &plain);
		s = buf_str(&plain);
		n = plain.len;
	}
	while (k < n && isspace((unsigned char)s[k]))
		k++;
	if (st == ST_OK && k + 3 <= n && memcmp(s + k, "\xEF\xBB\xBF", 3) == 0)
		k += 3;
	if (st == ST_OK)
		st = k < n && s[k] == '<' ? parse_xml(sm, s, n) : parse_text(sm, s + k, n - k);
	buf_release(&plain);
	if (st < 0) {
		sitemap_free(sm);
		return st;
	}
	*out = sm;
	return ST_OK;
}

void sitemap_free(struct sitemap *sm)
{
	size_t i;

	if (!sm)
		return;
	for (i = 0; i < sm->nentries; i++) {
		free(sm->entries[i].loc);
		free(sm->entries[i].lastmod);
	}
	free(sm->entries);
	free(sm);
}
