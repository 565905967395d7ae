/* Fuzz target: crawler/docspawn.h docspawn_parse, which reads what the
 * extractor child wrote (the crawl trusts nothing a child says about a
 * hostile document).
 *
 * Success: a known doc:status meta, text = main_text, valid UTF-8, a
 * known content type if any, a numeric doc:pages; failure: ST_PARSE. */
#include <string.h>

#include "core/doc.h"
#include "crawler/docspawn.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct page *p = NULL;
	const char *ds, *pages;
	status st;

	FUZZ_CHECK(page_new(&p) == ST_OK);
	st = docspawn_parse(p, (const char *)data, size);
	FUZZ_CHECK(st == ST_OK || st == ST_PARSE);
	if (st == ST_OK) {
		ds = page_meta_get(p, "doc:status");
		FUZZ_CHECK(ds != NULL);
		FUZZ_CHECK(strcmp(ds, DOC_OK) == 0 || strcmp(ds, DOC_NO_TEXT) == 0 ||
			   strcmp(ds, DOC_TOO_LARGE) == 0 || strcmp(ds, DOC_TIMEOUT) == 0 ||
			   strcmp(ds, DOC_CORRUPT) == 0 || strcmp(ds, DOC_LIMIT) == 0 ||
			   strcmp(ds, DOC_UNSUPPORTED) == 0);
		FUZZ_CHECK(p->text && p->main_text && strcmp(p->text, p->main_text) == 0);
		FUZZ_CHECK(fuzz_utf8_valid(p->text, strlen(p->text)));
		FUZZ_CHECK(!p->title || fuzz_utf8_valid(p->title, strlen(p->title)));
		FUZZ_CHECK(!p->content_type || strncmp(p->content_type, "application/", 12) == 0);
		pages = page_meta_get(p, "doc:pages");
		FUZZ_CHECK(!pages || strspn(pages, "0123456789") == strlen(pages));
	}
	page_free(p);
	return 0;
}
