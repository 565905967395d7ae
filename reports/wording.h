/* What a person reads, in Vietnamese: the one table that turns the
 * program's internal English words (crawl reasons, audit notes, date
 * sources, level codes, legal bases) into Vietnamese at rendering time.
 * The store keeps the English codes (the JSON contract); every human
 * format prints these.  Internal to reports/.
 *
 * The returned strings may carry parts of the input (a URL, a host, a
 * date), so they are untrusted: escape them for the format.  Strings the
 * table does not know are returned as they are. */
#ifndef REPORTS_WORDING_H
#define REPORTS_WORDING_H

#include <stddef.h>

/* A crawl or audit reason ("dns", "connect", "http 404", "address guard:
 * 10.0.0.1 not allowed", "robots", "parked", ...) or an audit note
 * ("page dated 2017-09-15 (page)", "4 posts dated ... (want 40): ...";
 * several joined by "; ") in Vietnamese.  Allocated; NULL when s is NULL
 * or memory runs out (print s then). */
char *wording_note(const char *s);

/* Where a date was read (label, body, document, title, page, meta,
 * sitemap, http) in Vietnamese; s itself when unknown, NULL for NULL. */
const char *wording_date_source(const char *s);

/* A level code of the registry ("mn", "th", "thcs", "thpt", "gdtx", or
 * several joined by '+') in Vietnamese, written into dst ("Mầm non",
 * "Tiểu học + THCS"); an unknown code is copied as it is.  Returns dst,
 * or NULL for NULL. */
const char *wording_level(char *dst, size_t n, const char *level);

/* A legal basis as people cite it ("TT 09/2024/TT-BGDĐT, điều 4, khoản 1"
 * → "Điều 4 khoản 1 Thông tư 09/2024/TT-BGDĐT"), written into dst.
 * Returns dst, or NULL for NULL. */
const char *wording_basis(char *dst, size_t n, const char *basis);

#endif
