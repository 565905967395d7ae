/* Dating a page, in the order of regulations.md §5 ("Dating a
 * disclosure"): an explicit date in the item's own title or main heading,
 * then the post date the page states (meta article:published_time, JSON-LD
 * datePublished, "Ngày đăng: …", "Thứ Sáu, 29/09/2017 08:15", a <time>
 * that belongs to the post, then the modified-time metas and "Cập nhật:
 * …"), then the first date of the main text, then the sitemap lastmod, then
 * HTTP Last-Modified.
 *
 * Body dates come from the main text only (page->main_text): dates in
 * sidebars, menus and lists of other posts do not date the page.  All
 * functions read a page and plain folded texts; nothing allocates. */
#ifndef RULES_PAGEDATE_H
#define RULES_PAGEDATE_H

#include <stdbool.h>

#include "core/page.h"

struct page_date {
	char date[11];      /* YYYY-MM-DD, "" when none */
	const char *source; /* "title", "meta", "page", "sitemap", "http"; NULL when none */
};

/* The post date only (meta or a labelled date in the main text): the
 * date the page says it was published, or failing that last edited. */
bool pagedate_post(const struct page *p, const char *main_plain, struct page_date *out);

/* The page's date by the precedence above.  heading_plain is the plain
 * folded title and main heading(s) (either may be NULL). */
bool pagedate_of(const struct page *p, const char *title_plain, const char *heading_plain,
		 const char *main_plain, struct page_date *out);

/* The sources that come before the main text in that order: a date in
 * the title or main heading, then the published-time metas.  Lets a
 * caller skip folding the main text when one of them dates the page;
 * pagedate_of gives the same answer whenever this one finds a date. */
bool pagedate_head(const struct page *p, const char *title_plain, const char *heading_plain,
		   struct page_date *out);

/* The date of the document the page carries (an official header "…, ngày
 * 5 tháng 9 năm 2024" in the main text); source "document". */
bool pagedate_document(const char *main_plain, struct page_date *out);

#endif
