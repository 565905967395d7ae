/* PDF text through poppler-glib: the document's title, its page count
 * and the text of each page in reading order. */
#include "extract/doctext.h"

#include <poppler.h>
#include <string.h>

#include "core/str.h"

/* Whether text holds something a reader would call text: a scanned page
 * may still carry a page number or a stray mark. */
static bool has_words(const char *s, size_t n)
{
	size_t letters = 0, i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		/* ASCII letters and digits, and the lead bytes of multi-byte
		 * characters (Vietnamese letters). */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c >= 0xC2)
			letters++;
	}
	return letters >= 8;
}

/* Appends the text of every page until the raw cap; a full buffer ends
 * the document early (later pages are not read), which is not an error. */
static status read_pages(struct doctext *d, PopplerDocument *doc)
{
	int i, n = poppler_document_get_n_pages(doc);
	status st = ST_OK;

	if (n > DOCTEXT_PDF_PAGES_MAX)
		n = DOCTEXT_PDF_PAGES_MAX;
	for (i = 0; i < n && st == ST_OK; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		char *t = page ? poppler_page_get_text(page) : NULL;

		if (t) {
			size_t len = strlen(t), room = d->text.max - d->text.len;

			if (len + 1 > room) {
				/* Keep what fits: the cap ends the document. */
				len = room > 1 ? room - 1 : 0;
				n = i + 1;
			}
			st = buf_add(&d->text, t, len);
			if (st == ST_OK)
				st = buf_addc(&d->text, '\n');
		}
		g_free(t);
		if (page)
			g_object_unref(page);
	}
	return st == ST_LIMIT ? ST_OK : st;
}

status doctext_pdf(struct doctext *d, const char *body, size_t len)
{
	GBytes *bytes = NULL;
	GError *err = NULL;
	PopplerDocument *doc = NULL;
	char *title = NULL;
	status st = ST_OK;

	d->type = DOC_TYPE_PDF;
	bytes = g_bytes_new_static(body, len);
	doc = poppler_document_new_from_bytes(bytes, NULL, &err);
	if (!doc) {
		d->status =
			err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED
				? DOC_UNSUPPORTED
				: DOC_CORRUPT;
		goto out;
	}
	d->pages = poppler_document_get_n_pages(doc);
	title = poppler_document_get_title(doc);
	if (title && *title && !(d->title = str_dup(title))) {
		st = status_set(ST_NOMEM, "out of memory reading a PDF title");
		goto out;
	}
	st = read_pages(d, doc);
	if (st == ST_OK)
		d->status = d->pages <= 0                         ? DOC_CORRUPT
			    : has_words(d->text.ptr, d->text.len) ? DOC_OK
								  : DOC_NO_TEXT;
out:
	g_free(title);
	if (err)
		g_error_free(err);
	if (doc)
		g_object_unref(doc);
	g_bytes_unref(bytes);
	return st;
}
