#include "rules/pagedate.h"

#include <stdio.h>
#include <string.h>

#include "rules/dates.h"

static bool put(struct page_date *out, const struct date_found *d, const char *source)
{
	snprintf(out->date, sizeof(out->date), "%04d-%02d-%02d", d->y, d->m, d->d);
	out->source = source;
	return true;
}

static bool meta_date(const struct page *p, const char *name, struct date_found *d)
{
	const char *m = page_meta_get(p, name);

	return m && dates_find_dates(m, d, 1) > 0;
}

/* A <time datetime> is the crawler's "time" meta, collected from the whole
 * page, lists of other posts included.  It dates the post when it is the
 * page's only one, or when the main text shows the same date (the post's
 * own <time> prints its date in the article). */
static bool time_meta(const struct page *p, const char *main_plain, struct date_found *out)
{
	struct date_found md[32], t;
	size_t nm = main_plain ? dates_find_dates(main_plain, md, 32) : 0, ntime = 0;
	const struct page_meta *only = NULL;

	if (nm > 32)
		nm = 32;
	for (size_t i = 0; i < p->nmetas; i++) {
		if (strcmp(p->metas[i].name, "time") != 0 ||
		    !dates_find_dates(p->metas[i].content, &t, 1))
			continue;
		ntime++;
		only = &p->metas[i];
		for (size_t k = 0; k < nm; k++)
			if (md[k].y == t.y && md[k].m == t.m && md[k].d == t.d) {
				*out = t;
				return true;
			}
	}
	return ntime == 1 && dates_find_dates(only->content, out, 1) > 0;
}

/* The first date of the main text that is not a legal citation's
 * ("Thong tu 09/2009/TT-BGDDT ngay 07/5/2009" dates the circular). */
static bool first_own_date(const char *main_plain, struct date_found *out)
{
	struct date_found d[16];
	size_t n = dates_find_dates(main_plain, d, 16);

	for (size_t i = 0; i < n && i < 16; i++)
		if (!dates_in_citation(main_plain, d[i].start)) {
			*out = d[i];
			return true;
		}
	return false;
}

bool pagedate_post(const struct page *p, const char *main_plain, struct page_date *out)
{
	struct date_found d;

	memset(out, 0, sizeof(*out));
	if (meta_date(p, "article:published_time", &d) || meta_date(p, "jsonld:datePublished", &d))
		return put(out, &d, "meta");
	if (main_plain && dates_find_post_date(main_plain, false, &d))
		return put(out, &d, "page");
	if (time_meta(p, main_plain, &d))
		return put(out, &d, "meta");
	if (meta_date(p, "article:modified_time", &d) || meta_date(p, "jsonld:dateModified", &d))
		return put(out, &d, "meta");
	if (main_plain && dates_find_post_date(main_plain, true, &d))
		return put(out, &d, "page");
	return false;
}

bool pagedate_head(const struct page *p, const char *title_plain, const char *heading_plain,
		   struct page_date *out)
{
	struct date_found d;

	memset(out, 0, sizeof(*out));
	/* An explicit date in the item's own name ("Thực đơn tuần từ
	 * 03/03/2025", "Kế hoạch ... ngày 5/9/2024") dates the item itself. */
	if ((heading_plain && dates_find_dates(heading_plain, &d, 1)) ||
	    (title_plain && dates_find_dates(title_plain, &d, 1)))
		return put(out, &d, "title");
	if (meta_date(p, "article:published_time", &d) || meta_date(p, "jsonld:datePublished", &d))
		return put(out, &d, "meta");
	return false;
}

bool pagedate_of(const struct page *p, const char *title_plain, const char *heading_plain,
		 const char *main_plain, struct page_date *out)
{
	struct date_found d;

	if (pagedate_head(p, title_plain, heading_plain, out) || pagedate_post(p, main_plain, out))
		return true;
	if (main_plain && first_own_date(main_plain, &d))
		return put(out, &d, "page");
	if (p->sitemap_lastmod && dates_find_dates(p->sitemap_lastmod, &d, 1))
		return put(out, &d, "sitemap");
	if (p->last_modified && dates_parse_http(p->last_modified, &d))
		return put(out, &d, "http");
	return false;
}

bool pagedate_document(const char *main_plain, struct page_date *out)
{
	struct date_found d;

	memset(out, 0, sizeof(*out));
	return main_plain && dates_find_document_date(main_plain, &d) && put(out, &d, "document");
}
