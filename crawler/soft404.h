/* Pages that answer 200 but are not what was asked for: a "not found"
 * page (soft 404) and a parked or expired portal, where every URL answers
 * the same placeholder.  Pure functions over parsed pages.  Thread-safe.
 *
 * A site is probed once with a URL that cannot exist (crawl.c): what it
 * answers is the site's "not found" page, and a page that looks the same
 * (soft404_same) is one too. */
#ifndef CRAWLER_SOFT404_H
#define CRAWLER_SOFT404_H

#include <stdbool.h>

#include "core/page.h"
#include "core/status.h"

/* Whether the title or one of the first headings says "not found"
 * ("Không tìm thấy trang", "Lỗi 404 - Trang không tồn tại", "Trang bạn tìm
 * không tồn tại", "404 Not Found", ...). */
bool soft404_phrase(const struct page *p);

/* Whether the title, the first headings or the start of the text say the
 * portal is parked or expired ("Tên miền đã hết hạn", "Website tạm ngưng
 * hoạt động", "Tên miền này đang được rao bán", "domain is for sale",
 * "Account suspended", ...). */
bool soft404_parked_phrase(const struct page *p);

/* What a page looks like, for comparing two pages of a site: its title,
 * headings and main text, with the page's own URL (as requested, its path
 * and its decoded path) taken out, since "not found" pages often repeat
 * it.  *out is malloc'd. */
status soft404_fingerprint(char **out, const struct page *p) PA_MUST_CHECK;

/* The distinct links of p to other pages of its site (host or its www
 * variant), at most limit counted: a placeholder has next to none. */
int soft404_site_links(const struct page *p, const char *site_host, int limit);

/* The path the crawler probes a site with: random, so no page has it.
 * Writes "/khong-ton-tai-<16 hex digits>" to out (at least 32 bytes). */
void soft404_probe_path(char *out, size_t n, const char *host);

#endif
