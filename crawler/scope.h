/* What the crawler fetches and in which order: pure functions over URLs,
 * so the rules are testable without a network.  Thread-safe. */
#ifndef CRAWLER_SCOPE_H
#define CRAWLER_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

/* Longest URL the crawler fetches; longer ones are session junk or traps. */
#define SCOPE_MAX_URL 2048

/* Static assets (styles, scripts, images, fonts, media, archives): never
 * fetched. */
bool scope_is_asset(const char *url);
/* Documents (.pdf .doc .docx .xls .xlsx .ppt .pptx .odt .ods .rtf): kept
 * as links in the page model, not fetched. */
bool scope_is_document(const char *url);
/* Which document links are fetched (when the crawl fetches documents)
 * and in what order: the frontier rank of a document link, or
 * SCOPE_DOC_SKIP.  A document whose link text or file name scores as a
 * focus link ("Biểu mẫu 09 - Cam kết chất lượng giáo dục năm học
 * 2017-2018.pdf", "cong-khai-co-so-vat-chat-nam-hoc-2017-2018.pdf") is
 * fetched from any page, with that focus rank, when it also names a
 * disclosure (the words of scope_section_rank).  On a disclosure page
 * (on_disclosure: a page of a disclosure section or a disclosure post)
 * every document in the main content is fetched, at SCOPE_RANK_SECTION:
 * generic posts hold their items only as attachments named "Tải file",
 * "Xem tại đây", "Tải về" or a bare file name.  Documents of other pages
 * (learning materials, news) are not. */
#define SCOPE_DOC_SKIP 1000000
int scope_doc_rank(const char *url, const char *text, const char *const *keywords, size_t n,
		   bool on_disclosure, bool in_chrome);

/* Crawler traps: too long, too deep, or a path segment repeated (calendar
 * and relative-link loops such as /a/b/a/b/a/b/). */
bool scope_is_trap(const char *url);

/* The form of url used for deduplication and fetching: on the portals of
 * the hcm.edu.vn platform (any *.edu.vn host) the mobile and full-page views of a post (/ctmb/CAT/ID,
 * /ctfull/CAT/ID) are the same post as /ct/CAT/ID.  *out is malloc'd. */
status scope_canonical(char **out, const char *url) PA_MUST_CHECK;

/* 0 when the folded plain form of the anchor text or of the URL (percent-
 * decoded, '-' '_' '/' '.' read as spaces) contains one of the keywords
 * (norm_fold plain forms), else 1.  Lower is fetched first. */
int scope_priority(const char *url, const char *text, const char *const *keywords, size_t n);

/* How strongly a link looks like a disclosure page: the sum, over the
 * distinct keywords found in the folded anchor text or URL words, of
 * each keyword's number of words (so specific phrases weigh more than
 * common words such as "nam hoc", which also fill news titles).  0 when
 * none is found. */
int scope_score(const char *url, const char *text, const char *const *keywords, size_t n);

/* Scores from scope_focus_min up make a link a focus link: fetched before
 * every other link and outside the site's explore budget.  It is
 * SCOPE_FOCUS_MIN, or the word count of all keywords together when that
 * is less (a single keyword "cong khai" then suffices). */
#define SCOPE_FOCUS_MIN 6
int scope_focus_min(const char *const *keywords, size_t n);

/* Frontier priorities (lower is fetched first): focus links get -score,
 * so the strongest go first; then section links (a short anchor text
 * made mostly of keywords, e.g. "Công khai"), then what a page of the
 * disclosure section lists (its other pages, its posts named like
 * disclosures, its pages older than the period, where an abandoned site's
 * newest items are, its other posts: scope_section_rank), then news lists, then menus and meal photos of the section, then other
 * links, then URLs known only from a sitemap.  Within a priority the
 * frontier goes breadth first in document order (menus before articles,
 * the newest posts of a list first). */
#define SCOPE_RANK_SECTION 0
#define SCOPE_RANK_SECTION_PAGE 1    /* another page of a section's list */
#define SCOPE_RANK_SECTION_POST_KW 2 /* a post of the section named like a disclosure */
#define SCOPE_RANK_SECTION_OLD 3     /* a page of the list past the period's cutoff */
#define SCOPE_RANK_SECTION_POST 4    /* any other post of the section */
#define SCOPE_RANK_LIST 5
#define SCOPE_RANK_SECTION_MINOR 6 /* a weekly menu, meal photos, a timetable */
#define SCOPE_RANK_OTHER 7
#define SCOPE_RANK_SITEMAP 8
/* Links that are not focus or section links but lead to a news list
 * (scope_is_news_list) get SCOPE_RANK_LIST: the crawl fetches a few of
 * them outside the explore budget, so the posting activity can be
 * counted from the lists without fetching the posts. */
int scope_rank(const char *url, const char *text, const char *const *keywords, size_t n);

/* Whether a link leads to a page of the site's news list ("Tin tức"):
 * its anchor text is the section's name, made only of the words of
 * "tin tức", "sự kiện", "thông báo", "tin mới" and containing "tin tức"
 * or "thông báo" ("Tin tức - Sự kiện", "Thông báo"), or its URL is a
 * numbered page (trang-N, page/N, ?page=N, N >= 2) under a news path
 * (tin-tuc, tintuc, thong-bao, news) - "/tin-tuc/trang-2.aspx",
 * "/tin-tuc/page/2/", "/tin-tuc/trang-2.html".  A post's URL
 * ("/tin-tuc/<slug>-<id>.aspx") is not. */
bool scope_is_news_list(const char *url, const char *text);

/* Pagination.  *num is the page number a listing URL carries ("?page=3",
 * "&trang=3", "?p=3", "/trang-3.aspx", "/page-3", "/page/3/", "/trang/3";
 * offsets such as "?start=20" count too, they grow the same way) and *key
 * the URL without it and without a final '/' ("/cong-khai/trang-3.aspx"
 * -> "/cong-khai.aspx", "/cong-khai/page/3/" -> "/cong-khai"), malloc'd.
 * A URL without a number has *num 1 and its own key.  So two URLs are
 * pages of one listing when their keys are equal. */
status scope_listing(const char *url, char **key, long *num) PA_MUST_CHECK;

/* Whether a link's text names a weekly menu, meal photos or a timetable
 * posted in a disclosure section ("Thực đơn tuần 23 (từ 05/02 đến
 * 09/02/2018)", "Hình ảnh bữa ăn bán trú ngày 09/03/2018", "Lịch công tác
 * tuần 12"): a post, not a short label such as "Thực đơn". */
bool scope_is_minor_post(const char *text);

/* The rank of a link found in the main content (not menus, sidebars,
 * footers) of a page of a disclosure section whose own rank (scope_rank)
 * is above SCOPE_RANK_SECTION: a menu or photo post is
 * SCOPE_RANK_SECTION_MINOR, a post whose text names a disclosure
 * ("Hồ sơ công khai năm học …", "Biểu mẫu", "Thông tư", "tài chính")
 * SCOPE_RANK_SECTION_POST_KW, any other SCOPE_RANK_SECTION_POST. */
int scope_section_rank(const char *text);

/* Whether a page is a disclosure section's (or its menus'): its URL's
 * words, its title or one of its first headings say "công khai" (or
 * "thực đơn", "suất ăn", "bữa ăn", "khẩu phần": menus are items under
 * TT 09/2024).  "Hoạt động chuyên môn" is a section label, not one. */
bool scope_is_disclosure_page(const char *url, const char *title, const char *const *headings,
			      size_t nheadings);

/* Dates printed in a list page's text (dd/mm/yyyy, dd-mm-yyyy, yyyy-mm-dd,
 * "ngày d tháng m năm yyyy"): how many there are and how many fall before
 * cutoff (yyyymmdd). */
void scope_count_dates(const char *text, long cutoff, int *total, int *older);

#endif
