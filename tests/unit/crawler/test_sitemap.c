/* Sitemap parsing over the crawler-commons and sitemaps.org fixtures in
 * tests/fixtures/sitemap (rows of crawler-commons/expectations.tsv whose
 * behaviour we follow; see the skip notes), plus hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "crawler/html.h"
#include "crawler/sitemap.h"

static char *slurp(const char *rel, size_t *len)
{
	const char *dir = getenv("PA_FIXTURES");
	char path[1024];
	FILE *fp;
	char *buf;
	long n;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/sitemap/%s", dir, rel);
	fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static struct sitemap *parse_file(const char *rel)
{
	size_t len;
	char *body = slurp(rel, &len);
	struct sitemap *sm = NULL;

	assert_int_equal(sitemap_parse(&sm, body, len), ST_OK);
	free(body);
	return sm;
}

static const char *lastmod_of(const struct sitemap *sm, const char *loc)
{
	size_t i;

	for (i = 0; i < sm->nentries; i++)
		if (strcmp(sm->entries[i].loc, loc) == 0)
			return sm->entries[i].lastmod ? sm->entries[i].lastmod : "";
	fail_msg("no entry %s", loc);
	return NULL;
}

struct row {
	const char *id, *file;
	bool index;
	size_t count;
};

/* Rows of expectations.tsv we follow.  Not here: sm09 (strict namespace
 * check: we are lenient, like sm10), sm14-sm15 (URLs outside the sitemap's
 * path: the crawler filters by site, not by path), sm18 (bogus content: an
 * empty sitemap for us, not an error), sm19-sm21 (Atom/RSS feeds are not
 * read), sm23-sm26 (MIME sniffing, covered by sm03-sm05). */
static const struct row rows[] = {
	{"sm01", "crawler-commons/inline/sitemapindex-cdata-entities.xml", true, 4},
	{"sm02", "crawler-commons/inline/urlset-5-urls.xml", false, 5},
	{"sm03", "crawler-commons/xmlSitemap.gz", false, 5},
	{"sm04", "crawler-commons/sitemap.txt.gz", false, 5},
	{"sm05", "crawler-commons/inline/urllist-2-urls.txt", false, 2},
	{"sm08", "crawler-commons/sitemap.ns.xml", false, 2},
	{"sm10", "crawler-commons/sitemap.badns.xml", false, 2},
	{"sm11", "crawler-commons/sitemap.index.xml", true, 15},
	{"sm12", "crawler-commons/inline/sitemapindex-unclosed-sitemap-elements.xml", true, 3},
	{"sm13", "crawler-commons/inline/sitemapindex-unicode-whitespace.xml", true, 2},
	{"sm16", "crawler-commons/inline/urlset-truncated.xml", false, 1},
	{"sm17", "crawler-commons/inline/sitemapindex-truncated.xml", true, 1},
	{"sm22", "crawler-commons/extension/sitemap-news.xml", false, 2},
	{"org-multi", "sitemaps.org/protocol-example-multiple-urls.xml", false, 5},
	{"org-multi-gz", "sitemaps.org/protocol-example-multiple-urls.xml.gz", false, 5},
	{"org-index", "sitemaps.org/protocol-example-sitemapindex.xml", true, 2},
	{"org-text", "sitemaps.org/protocol-example-urllist.txt", false, 0},
};

static void test_expectation_rows(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sitemap *sm = parse_file(rows[i].file);

		if (sm->is_index != rows[i].index ||
		    (rows[i].count && sm->nentries != rows[i].count))
			fail_msg("%s: index=%d count=%zu, want index=%d count=%zu", rows[i].id,
				 sm->is_index, sm->nentries, rows[i].index, rows[i].count);
		if (!rows[i].count)
			assert_true(sm->nentries > 0);
		sitemap_free(sm);
	}
}

static void test_details(void **state)
{
	struct sitemap *sm;

	(void)state;
	sm = parse_file("crawler-commons/inline/sitemapindex-unclosed-sitemap-elements.xml");
	assert_string_equal(lastmod_of(sm, "https://www.example.org/sitemap1.xml"),
			    "2004-10-01T18:23:17+00:00");
	assert_string_equal(lastmod_of(sm, "https://www.example.org/sitemap2.xml"), "");
	sitemap_free(sm);
	sm = parse_file("crawler-commons/inline/sitemapindex-unicode-whitespace.xml");
	lastmod_of(sm, "https://www.example.com/sitemap2.xml");
	sitemap_free(sm);
	sm = parse_file("crawler-commons/inline/sitemapindex-cdata-entities.xml");
	lastmod_of(sm, "http://www.example.com/dynsitemap?date=now&all=true");
	sitemap_free(sm);
	sm = parse_file("crawler-commons/sitemap.index.xml");
	lastmod_of(sm, "https://example.com/sitemap.jss?portalCode=10260&lang=en");
	sitemap_free(sm);
}

static void test_hostile_input(void **state)
{
	static const char bomb[] = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">"
				   "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
				   "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
				   "<!ENTITY ext SYSTEM \"file:///etc/passwd\">]>"
				   "<urlset><url><loc>http://x.vn/&c;&ext;</loc></url></urlset>";
	static const char gz_garbage[] = "\x1f\x8b\x08\x00garbage";
	struct sitemap *sm = NULL;

	(void)state;
	assert_int_equal(sitemap_parse(&sm, bomb, sizeof(bomb) - 1), ST_OK);
	if (sm->nentries)
		assert_null(strstr(sm->entries[0].loc, "root:"));
	sitemap_free(sm);
	assert_int_equal(sitemap_parse(&sm, gz_garbage, sizeof(gz_garbage) - 1), ST_OK);
	assert_int_equal(sm->nentries, 0);
	sitemap_free(sm);
	assert_int_equal(sitemap_parse(&sm, "", 0), ST_OK);
	assert_int_equal(sm->nentries, 0);
	sitemap_free(sm);
	sitemap_free(NULL);
}

/* gzip of head, then `fill` spaces, then tail (one stream). */
static unsigned char *gzip_bomb(const char *head, size_t fill, const char *tail, size_t *len)
{
	static char spaces[1 << 16];
	size_t cap = fill / 500 + 65536, left = fill;
	unsigned char *out = malloc(cap);
	z_stream z;

	assert_non_null(out);
	memset(spaces, ' ', sizeof(spaces));
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
			 Z_OK);
	z.next_out = out;
	z.avail_out = (uInt)cap;
	z.next_in = (Bytef *)head;
	z.avail_in = (uInt)strlen(head);
	assert_int_equal(deflate(&z, Z_NO_FLUSH), Z_OK);
	while (left > 0) {
		size_t n = left < sizeof(spaces) ? left : sizeof(spaces);

		z.next_in = (Bytef *)spaces;
		z.avail_in = (uInt)n;
		assert_int_equal(deflate(&z, Z_NO_FLUSH), Z_OK);
		left -= n;
	}
	z.next_in = (Bytef *)tail;
	z.avail_in = (uInt)strlen(tail);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*len = z.total_out;
	deflateEnd(&z);
	return out;
}

/* A gzip bomb stops inflating at SITEMAP_MAX_BYTES (10 MiB, as the docs
 * say): the entries before the cut are kept, those after it are not,
 * and the cut is reported. */
static void test_gzip_bomb_stops_at_the_cap(void **state)
{
	size_t len;
	unsigned char *gz =
		gzip_bomb("<urlset><url><loc>http://a.vn/1</loc></url>", (size_t)60 << 20,
			  "<url><loc>http://a.vn/2</loc></url></urlset>", &len);
	struct sitemap *sm = NULL;

	(void)state;
	assert_int_equal(SITEMAP_MAX_BYTES, (size_t)10 << 20);
	assert_int_equal(sitemap_parse(&sm, (const char *)gz, len), ST_OK);
	assert_true(sm->truncated);
	assert_int_equal(sm->nentries, 1);
	assert_string_equal(sm->entries[0].loc, "http://a.vn/1");
	sitemap_free(sm);
	free(gz);
	/* Under the cap: whole, not truncated. */
	gz = gzip_bomb("<urlset><url><loc>http://a.vn/1</loc></url>", (size_t)1 << 20,
		       "<url><loc>http://a.vn/2</loc></url></urlset>", &len);
	assert_int_equal(sitemap_parse(&sm, (const char *)gz, len), ST_OK);
	assert_false(sm->truncated);
	assert_int_equal(sm->nentries, 2);
	sitemap_free(sm);
	free(gz);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expectation_rows),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_hostile_input),
		cmocka_unit_test(test_gzip_bomb_stops_at_the_cap),
	};
	html_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
