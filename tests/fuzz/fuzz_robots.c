/* Fuzz target: crawler/robots.h, robots.txt parsing and matching.
 *
 * The first byte picks the User-Agent, the rest is the robots.txt body.
 * The parsed rules are asked about a few fixed paths and about the body's
 * last line taken as a URL; robots_path and robots_escape_pattern get that
 * line too.  Checked: /robots.txt is always allowed, the caps hold, paths
 * start with '/', escaped patterns are plain ASCII. */
#include <stdlib.h>
#include <string.h>

#include "crawler/robots.h"
#include "tests/fuzz/fuzz.h"

static const char *const agents[] = {
	"portal-audit/0.1 (+https://example.edu.vn/bot)", "Googlebot", "FooBot/2.1", "*", "", "a",
};

static const char *const paths[] = {
	"/",
	"/index.html",
	"/cong-khai/",
	"/cong-khai/c/113030",
	"/Timkiem?q=a",
	"/a/b;c?d=e",
	"/%C3%A1",
	"/%c3%a1",
	"/%2F",
	"/fish.php",
	"/$",
	"/*",
	"",
};

/* The last line of the body, or all of it when it has no line break. */
static char *last_line(const char *body, size_t n)
{
	size_t start = n;

	while (start > 0 && body[start - 1] != '\n' && body[start - 1] != '\r')
		start--;
	return fuzz_cstr((const uint8_t *)body + start, n - start);
}

static void check_line(const struct robots *r, const char *line)
{
	char *path = NULL, *esc = NULL;

	if (robots_path(&path, line) == ST_OK) {
		FUZZ_CHECK(path && path[0] == '/');
		FUZZ_CHECK(!strchr(path, '#'));
		(void)robots_allowed(r, path);
	}
	free(path);
	if (robots_escape_pattern(&esc, line) == ST_OK) {
		for (const char *p = esc; *p; p++)
			FUZZ_CHECK((unsigned char)*p < 0x80);
	}
	free(esc);
	(void)robots_valid_agent(line);
	(void)robots_allowed(r, line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct robots *r = NULL;
	const char *ua;
	const char *body;
	char *line;
	long delay;

	if (size == 0)
		return 0;
	ua = agents[data[0] % (sizeof(agents) / sizeof(agents[0]))];
	body = (const char *)data + 1;
	size--;
	FUZZ_CHECK(robots_new(&r, body, size, ua) == ST_OK && r);

	FUZZ_CHECK(robots_allowed(r, "/robots.txt"));
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		(void)robots_allowed(r, paths[i]);
	delay = robots_crawl_delay_ms(r);
	FUZZ_CHECK(delay >= -1);
	FUZZ_CHECK(robots_nsitemaps(r) <= ROBOTS_MAX_SITEMAPS);
	for (size_t i = 0; i < robots_nsitemaps(r); i++)
		FUZZ_CHECK(robots_sitemap(r, i) != NULL);

	line = last_line(body, size);
	check_line(r, line);
	free(line);
	robots_free(r);
	return 0;
}
