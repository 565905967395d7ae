/* Fuzz target: extract/doctext.h, the document text extractors (PDF
 * through poppler-glib, DOCX and XLSX through libzip and libxml2, chosen
 * by the first bytes as doc_sniff does).
 *
 * They run in the crawler's limited child process, but a crash there
 * still loses a document: any input must give a status, never an error
 * (but memory), and the promised caps must hold. */
#include <string.h>

#include "extract/doctext.h"
#include "tests/fuzz/fuzz.h"

static const char *const statuses[] = {DOC_OK,    DOC_NO_TEXT,     DOC_TIMEOUT, DOC_CORRUPT,
				       DOC_LIMIT, DOC_UNSUPPORTED, NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doctext d;
	bool known = false;
	size_t i;

	doctext_init(&d);
	FUZZ_CHECK(doctext_extract(&d, (const char *)data, size, "fuzz.bin") == ST_OK);
	FUZZ_CHECK(d.status != NULL);
	for (i = 0; statuses[i]; i++)
		known = known || strcmp(d.status, statuses[i]) == 0;
	FUZZ_CHECK(known);
	FUZZ_CHECK(d.text.len <= DOCTEXT_RAW_MAX);
	FUZZ_CHECK(d.text.len == 0 || strlen(d.text.ptr) <= d.text.len);
	FUZZ_CHECK(d.pages >= -1);
	FUZZ_CHECK(strcmp(d.status, DOC_OK) != 0 || (d.type && d.text.len > 0));
	if (d.title)
		(void)strlen(d.title);
	doctext_release(&d);
	return 0;
}
