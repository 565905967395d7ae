/* Fuzz target: crawler/sitemap.h, XML (urlset, sitemapindex), plain-text
 * and gzip sitemaps.
 *
 * Unparseable input must give an empty sitemap, never an error; entries
 * have a loc and stay under the caps. */
#include <string.h>

#include "crawler/html.h"
#include "crawler/sitemap.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct sitemap *sm = NULL;

	if (!ready) {
		html_init(); /* the header asks for it before parsing */
		ready = true;
	}
	FUZZ_CHECK(sitemap_parse(&sm, (const char *)data, size) == ST_OK && sm);
	FUZZ_CHECK(sm->nentries <= SITEMAP_MAX_URLS);
	FUZZ_CHECK(sm->nentries == 0 || sm->entries);
	for (size_t i = 0; i < sm->nentries; i++) {
		FUZZ_CHECK(sm->entries[i].loc != NULL);
		(void)strlen(sm->entries[i].loc);
		if (sm->entries[i].lastmod)
			(void)strlen(sm->entries[i].lastmod);
	}
	sitemap_free(sm);
	return 0;
}
