/* Text of attached documents (PDF, DOCX, XLSX), extracted in process by
 * well-kept libraries: poppler-glib for PDF (extract/doctext_pdf.c),
 * libzip and libxml2 for Office Open XML (extract/doctext_ooxml.c).
 *
 * These parsers read hostile bytes with large libraries, so the crawl
 * never calls them, nor links them: crawler/docspawn.c runs the separate
 * program portal-audit-extract (app/extract/main.c, doctext_main) in a
 * child process under resource limits.  Unit tests and fuzz targets call
 * doctext_extract directly.
 *
 * Every function here may run on any thread; none keeps state. */
#ifndef EXTRACT_DOCTEXT_H
#define EXTRACT_DOCTEXT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/doc.h"
#include "core/status.h"

/* Raw text kept from one document before normalisation; extraction stops
 * there (later pages are not read). */
#define DOCTEXT_RAW_MAX ((size_t)1 << 20)
/* Uncompressed bytes read from one OOXML archive in all: more is a zip
 * bomb (DOC_LIMIT). */
#define DOCTEXT_UNZIP_MAX ((size_t)64 << 20)
/* An OOXML entry inflating more than this many times its compressed size
 * (past its first MiB) is a zip bomb (DOC_LIMIT), as in Apache POI. */
#define DOCTEXT_ZIP_RATIO_MAX 100
/* Pages of a PDF read at most. */
#define DOCTEXT_PDF_PAGES_MAX 500

/* What an extractor found.  status and type point at static strings;
 * title is malloc'd (or NULL); text holds the raw text, capped at
 * DOCTEXT_RAW_MAX. */
struct doctext {
	const char *status; /* DOC_* */
	const char *type;   /* DOC_TYPE_* when recognised, else NULL */
	int pages;          /* page count, -1 when unknown */
	char *title;
	struct buf text;
};

void doctext_init(struct doctext *d);
void doctext_release(struct doctext *d);

/* Extracts the text of body into d (initialised by the caller).  The type
 * comes from the bytes (doc_sniff), url only breaks the OLE2 tie.
 * Fails only on memory; everything else is d->status. */
status doctext_extract(struct doctext *d, const char *body, size_t len,
		       const char *url) PA_MUST_CHECK;

/* The format-specific halves (doctext_pdf.c, doctext_ooxml.c), same
 * contract; doctext_ooxml tells DOCX from XLSX by the archive's entries. */
status doctext_pdf(struct doctext *d, const char *body, size_t len) PA_MUST_CHECK;
status doctext_ooxml(struct doctext *d, const char *body, size_t len) PA_MUST_CHECK;

/* The child side of crawler/docspawn.c, the main of portal-audit-extract:
 * "portal-audit-extract MAXTEXT CPU_S MEM_MB".  Limits itself
 * (RLIMIT_AS, RLIMIT_FSIZE 0, RLIMIT_NOFILE, no core), then serves
 * documents one after another until its input ends: each request is a
 * line "LEN URL" and LEN bytes of body; each answer is a line with its
 * length, then "status S\n", "type T\n", "pages N\n", "title T\n" lines,
 * an empty line and the text (NFC, white space collapsed, at most MAXTEXT
 * bytes, cut at a character boundary).  Before each document the soft
 * RLIMIT_CPU is set CPU_S seconds ahead.  Exits with _exit. */
int doctext_main(int argc, char **argv);

#endif
