#include "core/page.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/str.h"

status page_new(struct page **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? ST_OK : status_set(ST_NOMEM, "out of memory allocating a page");
}

void page_free(struct page *p)
{
	size_t i;

	if (!p)
		return;
	free(p->requested_url);
	free(p->url);
	free(p->content_type);
	free(p->charset);
	free(p->etag);
	free(p->last_modified);
	free(p->sitemap_lastmod);
	free(p->content_hash);
	free(p->error);
	free(p->title);
	for (i = 0; i < p->nheadings; i++)
		free(p->headings[i].text);
	free(p->headings);
	for (i = 0; i < p->nlinks; i++) {
		free(p->links[i].url);
		free(p->links[i].text);
	}
	free(p->links);
	for (i = 0; i < p->nmetas; i++) {
		free(p->metas[i].name);
		free(p->metas[i].content);
	}
	free(p->metas);
	free(p->text);
	free(p->main_text);
	free(p);
}

status page_add_link(struct page *p, const char *url, const char *text)
{
	struct page_link l = {str_dup(url), str_dup(text ? text : ""), 0};

	if (!l.url || !l.text || ARRAY_ROOM(p->links, p->nlinks) < 0) {
		free(l.url);
		free(l.text);
		return status_set(ST_NOMEM, "out of memory adding a link");
	}
	p->links[p->nlinks++] = l;
	return ST_OK;
}

status page_add_heading(struct page *p, int level, const char *text)
{
	struct page_heading h = {level, str_dup(text ? text : "")};

	if (!h.text || ARRAY_ROOM(p->headings, p->nheadings) < 0) {
		free(h.text);
		return status_set(ST_NOMEM, "out of memory adding a heading");
	}
	p->headings[p->nheadings++] = h;
	return ST_OK;
}

status page_add_meta(struct page *p, const char *name, const char *content)
{
	struct page_meta m = {str_dup(name), str_dup(content ? content : "")};

	if (!m.name || !m.content || ARRAY_ROOM(p->metas, p->nmetas) < 0) {
		free(m.name);
		free(m.content);
		return status_set(ST_NOMEM, "out of memory adding a meta tag");
	}
	p->metas[p->nmetas++] = m;
	return ST_OK;
}

const char *page_meta_get(const struct page *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nmetas; i++)
		if (strcmp(p->metas[i].name, name) == 0)
			return p->metas[i].content;
	return NULL;
}

status page_set(char **field, const char *value)
{
	char *v = NULL;

	if (value) {
		v = str_dup(value);
		if (!v)
			return status_set(ST_NOMEM, "out of memory copying a page field");
	}
	free(*field);
	*field = v;
	return ST_OK;
}
