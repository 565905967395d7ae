/* Documents into pages, safely: the text of a fetched PDF, DOCX or XLSX is
 * extracted by a child process (the program portal-audit-extract,
 * extract/doctext.h) under resource limits and a wall-clock timeout, so a
 * hostile file can neither crash nor hang the crawl.
 *
 * The crawl is multi-threaded, so the child is started with posix_spawn
 * (exec at once, nothing run between fork and exec).  A child serves one
 * document after another over a socket pair (loading poppler once, not
 * per document); a timeout, a crash or nonsense ends it, and the next
 * document gets a fresh one. */
#ifndef CRAWLER_DOCSPAWN_H
#define CRAWLER_DOCSPAWN_H

#include <stddef.h>

#include "core/doc.h"
#include "core/page.h"
#include "core/status.h"

#define DOCSPAWN_HELPER_NAME "portal-audit-extract"

struct docspawn_options {
	const char *helper; /* the extractor program (doctext_main's protocol); NULL:
			       docspawn_helper() */
	long timeout_ms;    /* wall clock per document, default 10000 */
	long cpu_s;         /* RLIMIT_CPU of the child, default 10 */
	long mem_mb;        /* RLIMIT_AS of the child in MiB, default 256 */
	size_t max_text;    /* bytes of text kept per document, default 200 KiB */
};

#define DOCSPAWN_OPTIONS_INIT                                                    \
	{                                                                        \
		.helper = NULL, .timeout_ms = 10000, .cpu_s = 10, .mem_mb = 256, \
		.max_text = (size_t)200 << 10                                    \
	}

/* Where portal-audit-extract is: $PORTAL_AUDIT_EXTRACT when set, else
 * beside the running program (the build tree), else in PA_LIBEXEC_REL
 * relative to the program's directory (the installed layout).  Found once; thread-safe. */
const char *docspawn_helper(void);

/* One extractor child, started at the first document and kept for the
 * next ones (replaced after a failure, and every few hundred documents).
 * Owned by one thread at a time; docspawn_free ends the child. */
struct docspawn;

/* o is copied; NULL means DOCSPAWN_OPTIONS_INIT.  Starts no process yet. */
status docspawn_new(struct docspawn **out, const struct docspawn_options *o) PA_MUST_CHECK;
void docspawn_free(struct docspawn *ds);

/* Fills the page of a fetched document (status 2xx, body read whole)
 * from its body: text = main_text = the extracted text (UTF-8 NFC, white
 * space collapsed, at most max_text bytes cut at a character boundary;
 * "" when none), title = the document's title metadata or NULL,
 * content_type = the type the bytes show when they show one (a server's
 * application/octet-stream is replaced), metas "doc:status" (always: ok,
 * no_text, timeout, corrupt, limit, unsupported) and "doc:pages" (when
 * known).  Leaves p->error alone.  Fails only on memory. */
status docspawn_page(struct docspawn *ds, struct page *p, const char *body,
		     size_t len) PA_MUST_CHECK;

/* Reads a child's output (doctext_main's format) into p as
 * docspawn_page does.  ST_PARSE when it is malformed (no status line or
 * no empty line after the header), p unchanged but for what was read. */
status docspawn_parse(struct page *p, const char *out, size_t len) PA_MUST_CHECK;

#endif
