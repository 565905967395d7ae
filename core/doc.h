/* Attached documents in the page model: the values of the page meta
 * "doc:status" and the media types of the documents the crawler reads,
 * shared by the crawler (which fetches and stores them), the extractor
 * (extract/, which reads their text) and the rules (which read
 * doc:status).
 *
 * A fetched document is a page: content_type = its media type, text =
 * main_text = its text, title = its title metadata or NULL, metas
 * "doc:status" (one of DOC_*) and "doc:pages" (page count, when known). */
#ifndef CORE_DOC_H
#define CORE_DOC_H

#include <stddef.h>

#define DOC_OK "ok"                   /* text extracted */
#define DOC_NO_TEXT "no_text"         /* a valid document without a text layer (a scan) */
#define DOC_TOO_LARGE "too_large"     /* the body is over the crawl's byte cap: not read */
#define DOC_TIMEOUT "timeout"         /* the extraction ran past its wall-clock limit */
#define DOC_CORRUPT "corrupt"         /* truncated or invalid */
#define DOC_LIMIT "limit"             /* a memory, CPU or size limit was hit (bombs) */
#define DOC_UNSUPPORTED "unsupported" /* a type not read (DOC, XLS, encrypted PDF, ODF) */

#define DOC_TYPE_PDF "application/pdf"
#define DOC_TYPE_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define DOC_TYPE_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define DOC_TYPE_DOC "application/msword"
#define DOC_TYPE_XLS "application/vnd.ms-excel"
#define DOC_TYPE_ZIP "application/zip"

/* The media type of a document body from its first bytes (what a server
 * sending application/octet-stream does not say): DOC_TYPE_PDF for
 * "%PDF-" within the first KiB, DOC_TYPE_ZIP for a ZIP (DOCX or XLSX:
 * the archive's entries tell), DOC_TYPE_DOC or DOC_TYPE_XLS for an OLE2
 * file (by url's extension, else DOC_TYPE_DOC); NULL when unknown.  url
 * may be NULL. */
const char *doc_sniff(const char *body, size_t len, const char *url);

#endif
