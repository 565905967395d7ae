/* Fuzz target: crawler/html.h, the page model from an HTML body (charset
 * detection and conversion, libxml2 parse, extraction, normalisation).
 *
 * The first byte picks the HTTP charset hint (utf-8, windows-1258, none,
 * a legacy one or a name iconv does not know), the rest is the body.
 * html_extract never fails on content; every string it fills is valid
 * UTF-8, the charset is named and every link is an absolute http(s) URL.
 * A NUL byte after `charset=` in a <meta> gives the charset "" (finding
 * F4), so that check needs FUZZ_KNOWN_BUGS. */
#include <string.h>

#include "crawler/html.h"
#include "tests/fuzz/fuzz.h"

static const char *const hints[] = {
	"utf-8", "windows-1258", NULL, "iso-8859-1", "x-no-such-charset", "UTF-16", "",
};

static void check_text(const char *s)
{
	if (s)
		FUZZ_CHECK(fuzz_utf8_valid(s, strlen(s)));
}

static void check_page(const struct page *p)
{
	FUZZ_CHECK(p->charset && *p->charset);
	check_text(p->title);
	check_text(p->text);
	check_text(p->main_text);
	for (size_t i = 0; i < p->nheadings; i++) {
		FUZZ_CHECK(p->headings[i].level >= 1 && p->headings[i].level <= 6);
		check_text(p->headings[i].text);
	}
	for (size_t i = 0; i < p->nlinks; i++) {
		const char *u = p->links[i].url;

		FUZZ_CHECK(u && (strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0));
		FUZZ_CHECK(p->links[i].text);
		check_text(p->links[i].text);
	}
	for (size_t i = 0; i < p->nmetas; i++) {
		FUZZ_CHECK(p->metas[i].name);
		check_text(p->metas[i].name);
		check_text(p->metas[i].content);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	struct page *p = NULL;
	const char *hint;

	if (size == 0)
		return 0;
	if (!ready) {
		html_init();
		ready = true;
	}
	hint = hints[data[0] % (sizeof(hints) / sizeof(hints[0]))];
	FUZZ_CHECK(page_new(&p) == ST_OK);
	FUZZ_CHECK(html_extract(p, (const char *)data + 1, size - 1, hint,
				"http://thcs-example.hcm.edu.vn/tin-tuc/a.html?x=1") == ST_OK);
	check_page(p);
	page_free(p);
	return 0;
}
