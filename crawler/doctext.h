/* Text of attached documents (PDF, DOCX, XLSX), extracted in process by
 * well-kept libraries: poppler-glib for PDF (crawler/doctext_pdf.c), libzip
 * and libxml2 for Office Open XML (crawler/doctext_ooxml.c).
 *
 * These parsers read hostile bytes with large libraries, so the crawl
 * never calls them itself: crawler/docspawn.c runs them in a child
 * process (doctext_child_main, the hidden "__extract" command) under
 * resource limits.  Unit tests and fuzz targets call doctext_extract
 * directly.
 *
 * Every function here may run on any thread; none keeps state. */
#ifndef CRAWLER_DOCTEXT_H
#define CRAWLER_DOCTEXT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/status.h"

/* The outcome of an extraction, as the page meta "doc:status" records it. */
#define DOC_OK "ok"		    /* text extracted */
#define DOC_NO_TEXT "no_text"	    /* a valid document without a text layer (a scan) */
#define DOC_TOO_LARGE "too_large"   /* the body is over the crawl's byte cap */
#define DOC_TIMEOUT "timeout"	    /* the extraction ran past its wall-clock limit */
#define DOC_CORRUPT "corrupt"	    /* truncated or invalid */
#define DOC_LIMIT "limit"	    /* a memory, CPU or size limit was hit (bombs) */
#define DOC_UNSUPPORTED "unsupported" /* a type we do not read (DOC, XLS, encrypted PDF) */

#define DOC_TYPE_PDF "application/pdf"
#define DOC_TYPE_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define DOC_TYPE_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define DOC_TYPE_DOC "application/msword"
#define DOC_TYPE_XLS "application/vnd.ms-excel"

/* Raw text kept from one document before normalisation; extraction stops
 * there (later pages are not read). */
#define DOCTEXT_RAW_MAX ((size_t)1 << 20)
/* Uncompressed bytes read from one OOXML archive in all: more is a zip
 * bomb (DOC_LIMIT). */
#define DOCTEXT_UNZIP_MAX ((size_t)64 << 20)
/* Pages of a PDF read at most. */
#define DOCTEXT_PDF_PAGES_MAX 500

/* What an extractor found.  status and type point at static strings;
 * title is malloc'd (or NULL); text holds the raw text, capped at
 * DOCTEXT_RAW_MAX. */
struct doctext {
	const char *status; /* DOC_* */
	const char *type;   /* DOC_TYPE_* when recognised, else NULL */
	int pages;	    /* page count, -1 when unknown */
	char *title;
	struct buf text;
};

void doctext_init(struct doctext *d);
void doctext_release(struct doctext *d);

/* The media type of a document body from its first bytes, for a server
 * that says application/octet-stream: DOC_TYPE_PDF for "%PDF-" within the
 * first KiB, "application/zip" for a ZIP (DOCX or XLSX: the archive's
 * entries tell), DOC_TYPE_DOC or DOC_TYPE_XLS for an OLE2 file (by the
 * URL's extension, else DOC_TYPE_DOC), NULL when unknown. */
const char *doctext_sniff(const char *body, size_t len, const char *url);

/* Extracts the text of body into d (initialised by the caller).  The type
 * comes from the bytes (doctext_sniff), url only breaks the OLE2 tie.
 * Fails only on memory; everything else is d->status. */
status doctext_extract(struct doctext *d, const char *body, size_t len,
		       const char *url) PA_MUST_CHECK;

/* The format-specific halves (doctext_pdf.c, doctext_ooxml.c), same
 * contract; doctext_ooxml tells DOCX from XLSX by the archive's entries. */
status doctext_pdf(struct doctext *d, const char *body, size_t len) PA_MUST_CHECK;
status doctext_ooxml(struct doctext *d, const char *body, size_t len) PA_MUST_CHECK;

/* The child side of crawler/docspawn.c: "__extract MAXTEXT CPU_S
 * MEM_MB [URL]" (argv[0] is "__extract").  Limits itself (RLIMIT_AS,
 * RLIMIT_CPU, RLIMIT_FSIZE 0, RLIMIT_NOFILE, no core), reads the body from
 * standard input, extracts it and writes the result on standard output in
 * the format docspawn_parse reads: "status S\n", "type T\n", "pages N\n",
 * "title T\n" lines, an empty line, then the text (NFC, white space
 * collapsed, at most MAXTEXT bytes, cut at a character boundary).  Returns
 * the exit code; exits with _exit, not through atexit handlers. */
int doctext_child_main(int argc, char **argv);

#endif
