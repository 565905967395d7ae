/* The page model from an HTML body: title, headings, links, metas, visible
 * text and main text, extracted in one libxml2 parse.
 *
 * The body may be in any charset iconv knows (windows-1258 included); it
 * is converted to UTF-8 (invalid bytes become U+FFFD) and every extracted
 * string is NFC with white space collapsed (core/norm.h).  Nothing here
 * fails on bad input, only on memory: broken markup, binary garbage and
 * invalid bytes give a page with whatever could be read.
 *
 * Thread-safe once html_init() has run (call it once before threads start;
 * crawl_run does). */
#ifndef CRAWLER_HTML_H
#define CRAWLER_HTML_H

#include <stddef.h>

#include "core/page.h"

/* Initialises libxml2 for use from several threads.  Idempotent. */
void html_init(void);

/* Fills p->title, headings, links (absolute, via url_resolve against
 * base_url or the document's <base href>), metas, text, main_text and
 * p->charset (the charset the body was decoded from, lower case).
 * charset_hint is the charset parameter of the HTTP Content-Type, or NULL;
 * a BOM wins over it and it wins over a <meta> declaration, as in browsers.
 * When nothing declares a charset, UTF-8 is assumed unless the bytes are
 * not valid UTF-8, then windows-1258 (the legacy Vietnamese code page). */
status html_extract(struct page *p, const char *body, size_t len, const char *charset_hint,
		    const char *base_url) PA_MUST_CHECK;

#endif
