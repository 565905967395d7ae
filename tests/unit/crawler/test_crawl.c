/* crawl_run against a tiny HTTP server started in this test on
 * 127.0.0.1, port 0.  Host names are mapped to it with the resolve option,
 * so nothing leaves the machine.  The server logs every request (host,
 * path, User-Agent, time) so the test checks what the crawler sent as
 * well as what it reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "core/clock.h"
#include "core/log.h"
#include "crawler/crawl.h"

#define MAX_LOG 256

struct logged {
	char host[64], path[256], ua[128], inm[64];
	int64_t ms;
};

static struct server {
	int fd, port;
	pthread_t thread;
	int quit;
	pthread_mutex_t mu;
	struct logged log[MAX_LOG];
	int nlog;
} srv;

static int r_home; /* requests of http://r.test/ so far */
static int p_home; /* requests of http://p.test/ so far */

static const char ROOT_HTML[] =
	"<html><head><title>Trường A</title></head><body>"
	"<nav><a href='/page1.html'>Tin tức</a></nav>"
	"<a href='/private/secret.html'>secret</a><a href='/doc.pdf'>Báo cáo</a>"
	"<a href='/style.css'>css</a><a href='http://other.test/x'>other</a>"
	"<a href='/report'>report</a><a href='/big.html'>big</a><a href='/big2.html'>big2</a>"
	"<a href='/bomb.html'>bomb</a>"
	"<a href='/cong-khai/cam-ket.html'>Cam kết chất lượng</a>"
	"<a href='mailto:a@b.vn'>mail</a><p>Chào mừng</p></body></html>";

static void send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void respond(int fd, int code, const char *type, const char *extra, const char *body,
		    size_t len, bool with_length)
{
	char head[1024];
	int n = snprintf(head, sizeof(head), "HTTP/1.1 %d X\r\nConnection: close\r\n%s%s%s", code,
			 type ? "Content-Type: " : "", type ? type : "", type ? "\r\n" : "");

	if (extra)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "%s", extra);
	if (with_length)
		n += snprintf(head + n, sizeof(head) - (size_t)n, "Content-Length: %zu\r\n", len);
	n += snprintf(head + n, sizeof(head) - (size_t)n, "\r\n");
	send_all(fd, head, (size_t)n);
	send_all(fd, body, len);
}

static void html(int fd, const char *body)
{
	respond(fd, 200, "text/html; charset=utf-8", "ETag: \"v1\"\r\n", body, strlen(body), true);
}

static void route(int fd, const char *host, const char *path)
{
	static char big[20000];
	static unsigned char bomb[4096];
	static uLongf bomblen = sizeof(bomb);
	char loc[128];

	if (!big[0]) {
		char *zeros = calloc(1, 1 << 20);

		memset(big, 'x', sizeof(big) - 1);
		memset(zeros, ' ', 1 << 20);
		assert_int_equal(compress2(bomb, &bomblen, (unsigned char *)zeros, 1 << 20, 9),
				 Z_OK);
		free(zeros);
	}
	if (strcmp(host, "a.test") == 0) {
		if (strcmp(path, "/robots.txt") == 0) {
			char txt[256];
			int n = snprintf(txt, sizeof(txt),
					 "User-agent: *\nDisallow: /private\n"
					 "Sitemap: http://a.test:%d/sm-index.xml\n",
					 srv.port);

			respond(fd, 200, "text/plain", NULL, txt, (size_t)n, true);
		} else if (strcmp(path, "/sm-index.xml") == 0) {
			char x[512];
			int n = snprintf(
				x, sizeof(x),
				"<?xml version='1.0'?><sitemapindex><sitemap>"
				"<loc>http://a.test:%d/sm1.xml</loc></sitemap></sitemapindex>",
				srv.port);

			respond(fd, 200, "application/xml", NULL, x, (size_t)n, true);
		} else if (strcmp(path, "/sm1.xml") == 0) {
			static const char x[] =
				"<urlset><url><loc>/from-sitemap.html</loc><lastmod>2017-09-15</"
				"lastmod>"
				"</url><url><loc>http://other.test/x</loc></url></urlset>";

			respond(fd, 200, "application/xml", NULL, x, sizeof(x) - 1, true);
		} else if (strcmp(path, "/from-sitemap.html") == 0) {
			html(fd, "<title>From the sitemap</title>");
		} else if (strcmp(path, "/") == 0)
			html(fd, ROOT_HTML);
		else if (strcmp(path, "/page1.html") == 0)
			html(fd,
			     "<title>P1</title><a href='page2.html'>next</a><a href='/'>home</a>");
		else if (strcmp(path, "/page2.html") == 0)
			html(fd, "<title>P2</title><a href='/page3.html'>deeper</a>");
		else if (strcmp(path, "/page3.html") == 0)
			html(fd, "<title>P3</title>");
		else if (strcmp(path, "/cong-khai/cam-ket.html") == 0)
			html(fd, "<title>Cam kết</title><p>Cam kết chất lượng giáo dục</p>");
		else if (strcmp(path, "/report") == 0)
			respond(fd, 200, "application/pdf", NULL, big, sizeof(big), true);
		else if (strcmp(path, "/big.html") == 0)
			respond(fd, 200, "text/html", NULL, big, sizeof(big), false);
		else if (strcmp(path, "/big2.html") == 0)
			respond(fd, 200, "text/html", NULL, big, sizeof(big), true);
		else if (strcmp(path, "/bomb.html") == 0)
			respond(fd, 200, "text/html", "Content-Encoding: deflate\r\n", (char *)bomb,
				bomblen, true);
		else
			respond(fd, 404, "text/html", NULL, "nope", 4, true);
	} else if (strcmp(host, "b.test") == 0) {
		snprintf(loc, sizeof(loc), "Location: http://www.b.test:%d/\r\n", srv.port);
		respond(fd, 301, NULL, loc, "", 0, true);
	} else if (strcmp(host, "c.test") == 0) {
		snprintf(loc, sizeof(loc), "Location: http://d.test:%d/home\r\n", srv.port);
		respond(fd, 302, NULL, loc, "", 0, true);
	} else if (strcmp(host, "nf.test") == 0 && strcmp(path, "/") == 0) {
		respond(fd, 404, "text/html", NULL, "gone", 4, true);
	} else if (strcmp(host, "rb.test") == 0 && strcmp(path, "/robots.txt") == 0) {
		respond(fd, 200, "text/plain", NULL, "User-agent: portal-audit\nDisallow: /\n", 37,
			true);
	} else if (strcmp(host, "r.test") == 0 && strcmp(path, "/") == 0) {
		if (r_home++ == 0)
			respond(fd, 503, "text/html", "Retry-After: 1\r\n", "busy", 4, true);
		else
			html(fd, "<title>R</title><a href='/busy'>busy</a>");
	} else if (strcmp(host, "r.test") == 0 && strcmp(path, "/busy") == 0) {
		respond(fd, 429, "text/html", "Retry-After: 0\r\n", "slow down", 9, true);
	} else if (strcmp(host, "p.test") == 0 && strcmp(path, "/") == 0) {
		/* Busy answers that are not HTML: a 429 home page once, then a
		 * page that fails with 503 every time, without Retry-After. */
		if (p_home++ == 0)
			respond(fd, 429, "text/plain", "Retry-After: 1\r\n", "busy", 4, true);
		else
			html(fd, "<title>P</title><a href='/down'>down</a>");
	} else if (strcmp(host, "p.test") == 0 && strcmp(path, "/down") == 0) {
		respond(fd, 503, "application/json", NULL, "{}", 2, true);
	} else if (strcmp(host, "t.test") == 0 && strcmp(path, "/") == 0) {
		html(fd,
		     "<title>T</title><a href='/t1.html'>1</a><a href='/t2.html'>2</a>"
		     "<a href='/t3.html'>3</a><a href='/t4.html'>4</a><a href='/t5.html'>5</a>"
		     "<a href='/t6.html'>6</a><a href='/t7.html'>7</a><a href='/t8.html'>8</a>");
	} else if (strcmp(host, "e.test") == 0 && strcmp(path, "/") == 0) {
		/* Explore budget: one focus link, two section links (one an
		 * item label scoring below the focus threshold), three others. */
		html(fd,
		     "<title>E</title><a href='/lien-he.html'>Liên hệ</a>"
		     "<a href='/gioi-thieu.html'>Giới thiệu</a><a href='/tin-tuc.html'>Tin tức</a>"
		     "<a href='/ck/'>Công khai</a><a href='/ck/tc.html'>Công khai tài chính</a>"
		     "<a href='/ck/cam-ket.html'>Công khai cam kết chất lượng</a>");
	} else if (strcmp(host, "e.test") == 0 && strcmp(path, "/tin-tuc.html") == 0) {
		/* A news list of 8 pages with its posts. */
		html(fd,
		     "<title>Tin tức</title><a href='/tin-tuc/bai-1.html'>Bài viết số một</a>"
		     "<a href='/tin-tuc/trang-2.html'>2</a><a href='/tin-tuc/trang-3.html'>3</a>"
		     "<a href='/tin-tuc/trang-4.html'>4</a><a href='/tin-tuc/trang-5.html'>5</a>"
		     "<a href='/tin-tuc/trang-6.html'>6</a><a href='/tin-tuc/trang-7.html'>7</a>"
		     "<a href='/tin-tuc/trang-8.html'>8</a>");
	} else if (strcmp(path, "/robots.txt") == 0) {
		respond(fd, 404, "text/plain", NULL, "", 0, true);
	} else {
		html(fd, "<title>Home</title><a href='/about.html'>about</a>");
	}
}

static void serve_one(int fd)
{
	char req[8192], host[64] = "", path[256] = "", ua[128] = "", inm[64] = "";
	size_t n = 0;
	struct pollfd pfd = {fd, POLLIN, 0};
	char *line, *end;

	while (n < sizeof(req) - 1 && poll(&pfd, 1, 2000) > 0) {
		ssize_t r = recv(fd, req + n, sizeof(req) - 1 - n, 0);

		if (r <= 0)
			break;
		n += (size_t)r;
		req[n] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[n] = '\0';
	if (strncmp(req, "GET ", 4) == 0) {
		size_t k = strcspn(req + 4, " ");

		if (k < sizeof(path)) {
			memcpy(path, req + 4, k);
			path[k] = '\0';
		}
	}
	for (line = req; (end = strstr(line, "\r\n")) != NULL; line = end + 2) {
		*end = '\0';
		if (strncasecmp(line, "Host: ", 6) == 0)
			snprintf(host, sizeof(host), "%.*s", (int)strcspn(line + 6, ":"), line + 6);
		else if (strncasecmp(line, "User-Agent: ", 12) == 0)
			snprintf(ua, sizeof(ua), "%s", line + 12);
		else if (strncasecmp(line, "If-None-Match: ", 15) == 0)
			snprintf(inm, sizeof(inm), "%s", line + 15);
	}
	pthread_mutex_lock(&srv.mu);
	if (srv.nlog < MAX_LOG) {
		struct logged *l = &srv.log[srv.nlog++];

		snprintf(l->host, sizeof(l->host), "%s", host);
		snprintf(l->path, sizeof(l->path), "%s", path);
		snprintf(l->ua, sizeof(l->ua), "%s", ua);
		snprintf(l->inm, sizeof(l->inm), "%s", inm);
		l->ms = clock_ms();
	}
	pthread_mutex_unlock(&srv.mu);
	if (strcmp(inm, "\"v1\"") == 0)
		respond(fd, 304, NULL, "ETag: \"v1\"\r\n", "", 0, false);
	else
		route(fd, host, path);
	close(fd);
}

static void *server_main(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&srv.quit, __ATOMIC_ACQUIRE)) {
		struct pollfd pfd = {srv.fd, POLLIN, 0};

		if (poll(&pfd, 1, 100) > 0) {
			int c = accept(srv.fd, NULL, NULL);

			if (c >= 0)
				serve_one(c);
		}
	}
	return NULL;
}

static int server_start(void **state)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	(void)state;
	memset(&srv, 0, sizeof(srv));
	pthread_mutex_init(&srv.mu, NULL);
	srv.fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (srv.fd < 0 || bind(srv.fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(srv.fd, 64) < 0 || getsockname(srv.fd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	srv.port = ntohs(a.sin_port);
	return pthread_create(&srv.thread, NULL, server_main, NULL);
}

static int server_stop(void **state)
{
	(void)state;
	__atomic_store_n(&srv.quit, 1, __ATOMIC_RELEASE);
	pthread_join(srv.thread, NULL);
	close(srv.fd);
	return 0;
}

/* What the callbacks saw. */
struct seen_page {
	char url[256], error[128], type[64], title[64], lastmod[32];
	int status, depth;
	size_t nlinks;
	bool links_pdf;
};

struct seen_site {
	char id[16], reason[128], final_host[64];
	bool reachable;
	int pages, errors;
};

static struct result {
	struct seen_page pages[128];
	int npages;
	struct seen_site sites[16];
	int nsites;
	status page_status; /* what on_page returns */
} res;

static status on_page(void *ctx, const struct crawl_site *site, struct page *p)
{
	struct seen_page *s;
	size_t i;

	(void)ctx;
	(void)site;
	assert_true(res.npages < 128);
	s = &res.pages[res.npages++];
	snprintf(s->url, sizeof(s->url), "%s", p->url ? p->url : "");
	snprintf(s->error, sizeof(s->error), "%s", p->error ? p->error : "");
	snprintf(s->type, sizeof(s->type), "%s", p->content_type ? p->content_type : "");
	snprintf(s->title, sizeof(s->title), "%s", p->title ? p->title : "");
	snprintf(s->lastmod, sizeof(s->lastmod), "%s",
		 p->sitemap_lastmod ? p->sitemap_lastmod : "");
	s->status = p->status;
	s->depth = p->depth;
	s->nlinks = p->nlinks;
	for (i = 0; i < p->nlinks; i++)
		if (strstr(p->links[i].url, "/doc.pdf"))
			s->links_pdf = true;
	assert_non_null(p->requested_url);
	assert_true(p->fetched_at > 0);
	page_free(p);
	return res.page_status;
}

static status on_site(void *ctx, const struct crawl_site *site, const struct crawl_site_result *r)
{
	struct seen_site *s;

	(void)ctx;
	assert_true(res.nsites < 16);
	s = &res.sites[res.nsites++];
	snprintf(s->id, sizeof(s->id), "%s", site->school_id);
	snprintf(s->reason, sizeof(s->reason), "%s", r->reason ? r->reason : "");
	snprintf(s->final_host, sizeof(s->final_host), "%s", r->final_host ? r->final_host : "");
	s->reachable = r->reachable;
	s->pages = r->pages;
	s->errors = r->errors;
	return ST_OK;
}

static const struct seen_page *page_at(const char *host, const char *path)
{
	char url[256];
	int i;

	snprintf(url, sizeof(url), "http://%s:%d%s", host, srv.port, path);
	for (i = 0; i < res.npages; i++)
		if (strcmp(res.pages[i].url, url) == 0)
			return &res.pages[i];
	return NULL;
}

static int page_index(const char *host, const char *path)
{
	const struct seen_page *p = page_at(host, path);

	return p ? (int)(p - res.pages) : -1;
}

static const struct seen_site *site_of(const char *id)
{
	int i;

	for (i = 0; i < res.nsites; i++)
		if (strcmp(res.sites[i].id, id) == 0)
			return &res.sites[i];
	fail_msg("no result for site %s", id);
	return NULL;
}

/* Position of the first request for host+path in the server log. */
static int log_index(const char *host, const char *path)
{
	int i;

	for (i = 0; i < srv.nlog; i++)
		if (strcmp(srv.log[i].host, host) == 0 && strcmp(srv.log[i].path, path) == 0)
			return i;
	fail_msg("no request for %s%s", host, path);
	return -1;
}

static int requests_to(const char *host, const char *path)
{
	int i, n = 0;

	for (i = 0; i < srv.nlog; i++)
		if (strcmp(srv.log[i].host, host) == 0 &&
		    (!path || strcmp(srv.log[i].path, path) == 0))
			n++;
	return n;
}

/* Options every test uses: loopback only, every test host mapped. */
struct setup {
	char resolve[12][64];
	const char *rp[12];
	struct crawl_options o;
};

static void options(struct setup *su)
{
	static const char *const hosts[] = {"a.test", "b.test",  "www.b.test", "c.test",
					    "d.test", "nf.test", "rb.test",    "r.test",
					    "e.test", "p.test",  "t.test"};
	static const char *const allow[] = {"127.0.0.1/32"};
	struct crawl_options init = CRAWL_OPTIONS_INIT;
	size_t i;

	for (i = 0; i < 11; i++) {
		snprintf(su->resolve[i], sizeof(su->resolve[i]), "%s:%d:127.0.0.1", hosts[i],
			 srv.port);
		su->rp[i] = su->resolve[i];
	}
	snprintf(su->resolve[11], sizeof(su->resolve[11]), "evil.test:%d:127.0.0.2", srv.port);
	su->rp[11] = su->resolve[11];
	su->o = init;
	su->o.resolve = su->rp;
	su->o.nresolve = 12;
	su->o.allow_addr = allow;
	su->o.nallow_addr = 1;
	su->o.delay_ms = 0;
	su->o.timeout_s = 5;
	su->o.max_bytes = 10000;
	memset(&res, 0, sizeof(res));
	pthread_mutex_lock(&srv.mu);
	srv.nlog = 0;
	pthread_mutex_unlock(&srv.mu);
}

static void crawl_one_site(int parse_threads)
{
	static const char *const kw[] = {"cong khai"};
	struct setup su;
	struct crawl_site site = {"A", NULL};
	char start[64];
	const struct seen_page *p;
	const struct seen_site *r;

	options(&su);
	su.o.focus_keywords = kw;
	su.o.nfocus_keywords = 1;
	su.o.max_depth = 2;
	su.o.per_host = 1;
	su.o.parse_threads = parse_threads;
	snprintf(start, sizeof(start), "http://a.test:%d/", srv.port);
	site.start_url = start;
	assert_int_equal(crawl_run(&su.o, &site, 1, on_page, on_site, NULL), ST_OK);

	/* robots.txt first, with our User-Agent on every request. */
	assert_true(srv.nlog > 3);
	assert_string_equal(srv.log[0].path, "/robots.txt");
	for (int i = 0; i < srv.nlog; i++)
		assert_string_equal(srv.log[i].ua, CRAWL_DEFAULT_USER_AGENT);

	p = page_at("a.test", "/");
	assert_non_null(p);
	assert_int_equal(p->status, 200);
	assert_int_equal(p->depth, 0);
	assert_string_equal(p->title, "Trường A");
	assert_true(p->links_pdf); /* documents stay in the link list */
	assert_non_null(page_at("a.test", "/page1.html"));
	assert_non_null(page_at("a.test", "/page2.html"));
	assert_null(page_at("a.test", "/page3.html")); /* depth 3 > max_depth 2 */
	assert_int_equal(requests_to("a.test", "/private/secret.html"), 0); /* robots */
	assert_int_equal(requests_to("a.test", "/doc.pdf"), 1); /* documents are read too */
	assert_int_equal(requests_to("a.test", "/style.css"), 0);
	assert_int_equal(requests_to("other.test", NULL), 0);
	assert_int_equal(requests_to("a.test", "/"), 1); /* each URL once */

	/* Focus keyword: the Công khai link goes before the other links of
	 * the same depth. */
	assert_true(page_index("a.test", "/cong-khai/cam-ket.html") >= 0);
	assert_true(log_index("a.test", "/cong-khai/cam-ket.html") <
		    log_index("a.test", "/page1.html"));

	/* Non-HTML: recorded with status and type, not parsed. */
	p = page_at("a.test", "/report");
	assert_non_null(p);
	assert_int_equal(p->status, 200);
	assert_string_equal(p->type, "application/pdf");
	assert_string_equal(p->error, "");

	/* Byte cap, with and without Content-Length, and after inflating. */
	assert_string_equal(page_at("a.test", "/big.html")->error, "body exceeds 10000 bytes");
	assert_string_equal(page_at("a.test", "/big2.html")->error, "body exceeds 10000 bytes");
	assert_string_equal(page_at("a.test", "/bomb.html")->error, "body exceeds 10000 bytes");

	/* Sitemap from robots.txt, through an index: its URL is fetched
	 * with its lastmod; off-site entries are not. */
	assert_int_equal(requests_to("a.test", "/sm-index.xml"), 1);
	assert_int_equal(requests_to("a.test", "/sm1.xml"), 1);
	p = page_at("a.test", "/from-sitemap.html");
	assert_non_null(p);
	assert_string_equal(p->lastmod, "2017-09-15");
	assert_string_equal(page_at("a.test", "/page1.html")->lastmod, "");
	assert_int_equal(requests_to("a.test", "/sitemap.xml"), 0); /* robots named one */

	assert_int_equal(res.nsites, 1);
	r = site_of("A");
	assert_true(r->reachable);
	assert_string_equal(r->final_host, "a.test");
	assert_int_equal(r->pages, res.npages);
	assert_int_equal(r->errors, 4); /* /doc.pdf answers 404 */
}

static void test_crawls_one_site_within_scope_and_caps(void **state)
{
	(void)state;
	crawl_one_site(0);
}

static void test_same_with_parser_threads(void **state)
{
	(void)state;
	crawl_one_site(2);
}

/* Section links are followed outside the explore budget; the budget
 * then takes the other links in page order, and nothing more. */
static void test_explore_budget_spares_section_links(void **state)
{
	static const char *const kw[] = {"cong khai", "tai chinh", "cam ket chat luong"};
	struct setup su;
	struct crawl_site site = {"E", NULL};
	char start[64];

	(void)state;
	options(&su);
	su.o.focus_keywords = kw;
	su.o.nfocus_keywords = 3;
	su.o.explore_pages = 1;
	snprintf(start, sizeof(start), "http://e.test:%d/", srv.port);
	site.start_url = start;
	assert_int_equal(crawl_run(&su.o, &site, 1, on_page, on_site, NULL), ST_OK);
	assert_int_equal(requests_to("e.test", "/ck/cam-ket.html"), 1); /* focus */
	assert_int_equal(requests_to("e.test", "/ck/"), 1);             /* section */
	assert_int_equal(requests_to("e.test", "/ck/tc.html"), 1);      /* section */
	assert_int_equal(requests_to("e.test", "/gioi-thieu.html"), 0);
	/* "Tin tức" is a news list page, fetched before other links while
	 * list_pages allows (the default does); it spends the explore
	 * budget, so "Liên hệ" is not fetched. */
	assert_int_equal(requests_to("e.test", "/tin-tuc.html"), 1); /* the one explored */
	assert_int_equal(requests_to("e.test", "/lien-he.html"), 0);
	/* The list budget (6) goes beyond the explore budget, for list pages
	 * only: the first five numbered pages, not the rest nor the post. */
	for (int k = 2; k <= 8; k++) {
		char path[32];

		snprintf(path, sizeof(path), "/tin-tuc/trang-%d.html", k);
		assert_int_equal(requests_to("e.test", path), k <= 6);
	}
	assert_int_equal(requests_to("e.test", "/tin-tuc/bai-1.html"), 0);
	assert_int_equal(site_of("E")->pages, 10);
}

/* With no list budget, the news list is an ordinary explore page. */
static void test_explore_budget_without_list_pages(void **state)
{
	static const char *const kw[] = {"cong khai", "tai chinh", "cam ket chat luong"};
	struct setup su;
	struct crawl_site site = {"E", NULL};
	char start[64];

	(void)state;
	options(&su);
	su.o.focus_keywords = kw;
	su.o.nfocus_keywords = 3;
	su.o.explore_pages = 1;
	su.o.list_pages = 0;
	snprintf(start, sizeof(start), "http://e.test:%d/", srv.port);
	site.start_url = start;
	assert_int_equal(crawl_run(&su.o, &site, 1, on_page, on_site, NULL), ST_OK);
	assert_int_equal(requests_to("e.test", "/ck/tc.html"), 1);   /* section */
	assert_int_equal(requests_to("e.test", "/tin-tuc.html"), 1); /* the one explored */
	assert_int_equal(requests_to("e.test", "/tin-tuc/trang-2.html"), 0);
	assert_int_equal(requests_to("e.test", "/lien-he.html"), 0);
	assert_int_equal(requests_to("e.test", "/gioi-thieu.html"), 0);
	assert_int_equal(site_of("E")->pages, 5);
}

static void test_site_results_for_redirects_and_failures(void **state)
{
	struct setup su;
	char urls[6][64];
	struct crawl_site sites[6] = {{"B", urls[0]},  {"C", urls[1]},  {"EVIL", urls[2]},
				      {"NF", urls[3]}, {"RB", urls[4]}, {"BAD", "javascript:x"}};
	const char *const hosts[] = {"b.test", "c.test", "evil.test", "nf.test", "rb.test"};
	int i;

	(void)state;
	options(&su);
	su.o.parse_threads = 3;
	for (i = 0; i < 5; i++)
		snprintf(urls[i], sizeof(urls[i]), "http://%s:%d/", hosts[i], srv.port);
	assert_int_equal(crawl_run(&su.o, sites, 6, on_page, on_site, NULL), ST_OK);
	assert_int_equal(res.nsites, 6);

	assert_true(site_of("B")->reachable);
	assert_string_equal(site_of("B")->final_host, "www.b.test");
	assert_non_null(page_at("www.b.test", "/about.html"));

	assert_true(site_of("C")->reachable);
	assert_string_equal(site_of("C")->final_host, "d.test");
	assert_int_equal(requests_to("d.test", "/robots.txt"), 1);
	/* No Sitemap line: the default is tried, on the final host only. */
	assert_int_equal(requests_to("d.test", "/sitemap.xml"), 1);
	assert_int_equal(requests_to("c.test", "/sitemap.xml"), 0);
	assert_non_null(page_at("d.test", "/about.html"));

	assert_false(site_of("EVIL")->reachable);
	assert_string_equal(site_of("EVIL")->reason, "address guard: 127.0.0.2 not allowed");
	assert_int_equal(requests_to("evil.test", NULL), 0);

	assert_false(site_of("NF")->reachable);
	assert_string_equal(site_of("NF")->reason, "http 404");
	assert_int_equal(site_of("NF")->pages, 1);

	assert_false(site_of("RB")->reachable);
	assert_string_equal(site_of("RB")->reason, "robots");
	assert_int_equal(requests_to("rb.test", NULL), 1);

	assert_false(site_of("BAD")->reachable);
	assert_non_null(strstr(site_of("BAD")->reason, "invalid start URL"));
}

static void test_delay_spaces_requests_to_one_host(void **state)
{
	struct setup su;
	struct crawl_site site = {"A", NULL};
	char start[64];
	int64_t prev = -1;
	int i, n = 0;

	(void)state;
	options(&su);
	su.o.delay_ms = 150;
	su.o.max_pages = 4;
	su.o.max_docs = 0; /* no documents: only max_pages counts */
	snprintf(start, sizeof(start), "http://a.test:%d/", srv.port);
	site.start_url = start;
	assert_int_equal(crawl_run(&su.o, &site, 1, on_page, on_site, NULL), ST_OK);
	/* max_pages fetched, and /private/secret.html, which robots.txt
	 * disallows, recorded unfetched (not counted by max_pages). */
	assert_int_equal(res.npages, 5);
	assert_int_equal(requests_to("a.test", "/doc.pdf"), 0);
	/* The crawler spaces the starts of its requests by 150 ms; the server
	 * logs their arrival, which a loaded machine delays unevenly (one
	 * connection set up slower than the next).  Without the delay they
	 * arrive a few ms apart, so 100 ms still shows the spacing. */
	for (i = 0; i < srv.nlog; i++) {
		if (prev >= 0)
			assert_true(srv.log[i].ms - prev >= 100);
		prev = srv.log[i].ms;
		n++;
	}
	assert_true(n >= 5); /* robots.txt, sitemaps, 4 pages */
}

static void test_stop_and_callback_failure_end_the_crawl(void **state)
{
	struct setup su;
	struct crawl_site site = {"A", NULL};
	char start[64];
	volatile int stop = 1;

	(void)state;
	options(&su);
	snprintf(start, sizeof(start), "http://a.test:%d/", srv.port);
	site.start_url = start;
	su.o.stop = &stop;
	assert_int_equal(crawl_run(&su.o, &site, 1, on_page, on_site, NULL), ST_INTERRUPTED);
	assert_int_equal(res.nsites, 0);

	options(&su);
	res.page_status = ST_IO;
	assert_int_equal(crawl_run(&su.o, &site, 1, on_page, on_site, NULL), ST_IO);
	assert_int_equal(res.npages, 1);
	assert_int_equal(res.nsites, 0);
}

/* Gap in ms between requests n and n + 1 (from 1) of host+path, -1 when
 * there are not that many. */
static int64_t gap_after(const char *host, const char *path, int n)
{
	int64_t prev = -1;
	int i, k = 0;

	for (i = 0; i < srv.nlog; i++) {
		if (strcmp(srv.log[i].host, host) != 0 || strcmp(srv.log[i].path, path) != 0)
			continue;
		if (++k == n + 1)
			return srv.log[i].ms - prev;
		prev = srv.log[i].ms;
	}
	return -1;
}

static void test_busy_answers_are_retried_after_retry_after(void **state)
{
	struct setup su;
	struct crawl_site site = {"R", NULL};
	char start[64];
	const struct seen_page *p;

	(void)state;
	options(&su);
	r_home = 0;
	snprintf(start, sizeof(start), "http://r.test:%d/", srv.port);
	site.start_url = start;
	assert_int_equal(crawl_run(&su.o, &site, 1, on_page, on_site, NULL), ST_OK);
	/* 503 with Retry-After: 1, then 200: one page, reachable. */
	assert_int_equal(requests_to("r.test", "/"), 2);
	assert_true(gap_after("r.test", "/", 1) >= 950);
	p = page_at("r.test", "/");
	assert_non_null(p);
	assert_int_equal(p->status, 200);
	assert_true(site_of("R")->reachable);
	/* 429 every time: two retries, then the 429 is the page. */
	assert_int_equal(requests_to("r.test", "/busy"), 3);
	p = page_at("r.test", "/busy");
	assert_non_null(p);
	assert_int_equal(p->status, 429);
	assert_int_equal(res.npages, 2);
}

static void test_busy_answers_of_any_type_are_retried(void **state)
{
	struct setup su;
	struct crawl_site site = {"P", NULL};
	char start[64];
	const struct seen_page *p;

	(void)state;
	options(&su);
	p_home = 0;
	snprintf(start, sizeof(start), "http://p.test:%d/", srv.port);
	site.start_url = start;
	assert_int_equal(crawl_run(&su.o, &site, 1, on_page, on_site, NULL), ST_OK);
	/* A 429 text/plain home page is tried again after Retry-After, and
	 * the site is reachable. */
	assert_int_equal(requests_to("p.test", "/"), 2);
	assert_true(gap_after("p.test", "/", 1) >= 950);
	assert_true(site_of("P")->reachable);
	assert_string_equal(site_of("P")->reason, "");
	/* 503 application/json every time, no Retry-After: two retries with
	 * back-off (1 s, then 2 s), then the 503 is the page. */
	assert_int_equal(requests_to("p.test", "/down"), 3);
	assert_true(gap_after("p.test", "/down", 1) >= 950);
	assert_true(gap_after("p.test", "/down", 2) >= 1900);
	p = page_at("p.test", "/down");
	assert_non_null(p);
	assert_int_equal(p->status, 503);
	assert_string_equal(p->error, "");
}

static void test_site_cut_by_its_time_budget_says_so(void **state)
{
	struct setup su;
	struct crawl_site site = {"T", NULL};
	char start[64];

	(void)state;
	options(&su);
	su.o.site_budget_s = 1;
	su.o.delay_ms = 400;
	su.o.per_host = 1;
	snprintf(start, sizeof(start), "http://t.test:%d/", srv.port);
	site.start_url = start;
	assert_int_equal(crawl_run(&su.o, &site, 1, on_page, on_site, NULL), ST_OK);
	assert_true(site_of("T")->reachable);
	assert_string_equal(site_of("T")->reason, "budget");
	assert_true(site_of("T")->pages < 9);
}

/* A site's life is logged, one line per state change (site_set_state,
 * debug level): c.test redirects its start page to d.test, whose
 * robots.txt is read before the probe, then its /sitemap.xml, then the
 * frontier. */
static void test_site_states_are_logged_in_order(void **state)
{
	static const char *const moves[] = {
		"c.test: robots -> start",       "d.test: start -> final-robots",
		"d.test: final-robots -> probe", "d.test: probe -> sitemaps",
		"d.test: sitemaps -> explore",
	};
	struct setup su;
	struct crawl_site site = {"C", NULL};
	char start[64], text[8192];
	const char *at;
	FILE *log = tmpfile();
	int saved = dup(2);
	size_t i, n;

	(void)state;
	assert_non_null(log);
	assert_true(saved >= 0);
	options(&su);
	snprintf(start, sizeof(start), "http://c.test:%d/", srv.port);
	site.start_url = start;
	fflush(stderr);
	assert_true(dup2(fileno(log), 2) >= 0);
	log_set_level(LOG_DEBUG);
	assert_int_equal(crawl_run(&su.o, &site, 1, on_page, on_site, NULL), ST_OK);
	log_set_level(LOG_WARN);
	fflush(stderr);
	assert_true(dup2(saved, 2) >= 0);
	close(saved);
	rewind(log);
	n = fread(text, 1, sizeof(text) - 1, log);
	text[n] = '\0';
	fclose(log);
	at = text;
	for (i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		const char *m = strstr(at, moves[i]);

		if (!m)
			fail_msg("'%s' not logged after the previous move in:\n%s", moves[i], text);
		at = m;
	}
	assert_true(site_of("C")->reachable);
}

/* The stored copy of the home page: its links are not those of the live
 * page, so following them proves the stored page was used. */
static status cached_home(void *ctx, const struct crawl_site *site, const char *url,
			  struct page **out)
{
	char home[64];
	struct page *p = NULL;
	status st;

	(void)ctx;
	(void)site;
	*out = NULL;
	snprintf(home, sizeof(home), "http://a.test:%d/", srv.port);
	if (strcmp(url, home) != 0)
		return ST_OK;
	st = page_new(&p);
	assert_int_equal(st, ST_OK);
	assert_int_equal(page_set(&p->url, home), ST_OK);
	assert_int_equal(page_set(&p->requested_url, home), ST_OK);
	assert_int_equal(page_set(&p->etag, "\"v1\""), ST_OK);
	assert_int_equal(page_set(&p->title, "Stored"), ST_OK);
	snprintf(home, sizeof(home), "http://a.test:%d/page2.html", srv.port);
	assert_int_equal(page_add_link(p, home, "stored link"), ST_OK);
	p->status = 200;
	*out = p;
	return ST_OK;
}

static void test_not_modified_reuses_the_stored_page(void **state)
{
	struct setup su;
	struct crawl_site site = {"A", NULL};
	char start[64];
	const struct seen_page *p;

	(void)state;
	options(&su);
	su.o.cached = cached_home;
	su.o.max_depth = 1;
	snprintf(start, sizeof(start), "http://a.test:%d/", srv.port);
	site.start_url = start;
	assert_int_equal(crawl_run(&su.o, &site, 1, on_page, on_site, NULL), ST_OK);
	assert_string_equal(srv.log[log_index("a.test", "/")].inm, "\"v1\"");
	assert_string_equal(srv.log[log_index("a.test", "/page2.html")].inm, "");
	p = page_at("a.test", "/");
	assert_non_null(p);
	assert_int_equal(p->status, 304);
	assert_string_equal(p->title, "Stored");
	assert_string_equal(p->error, "");
	assert_non_null(page_at("a.test", "/page2.html"));         /* from the stored links */
	assert_int_equal(requests_to("a.test", "/page1.html"), 0); /* only on the live page */
	assert_true(site_of("A")->reachable);
}

/* crawl_run_from's source: an array, counting its rewinds, that fails
 * with ST_IO when asked for site fail_at on pass fail_pass (the pass is
 * the number of rewinds so far; -1: never). */
struct counted_source {
	const struct crawl_site *v;
	size_t n, next;
	int rewinds, fail_at, fail_pass;
};

static int counted_next(void *ctx, struct crawl_site *out)
{
	struct counted_source *a = ctx;

	if (a->rewinds == a->fail_pass && (int)a->next == a->fail_at)
		return status_set(ST_IO, "the store went away");
	if (a->next >= a->n)
		return 0;
	*out = a->v[a->next++];
	return 1;
}

static status counted_rewind(void *ctx)
{
	struct counted_source *a = ctx;

	a->rewinds++;
	a->next = 0;
	return ST_OK;
}

static int logged_requests(void)
{
	int n;

	pthread_mutex_lock(&srv.mu);
	n = srv.nlog;
	pthread_mutex_unlock(&srv.mu);
	return n;
}

static void test_sites_from_a_source(void **state)
{
	struct setup su;
	char nf[64], rb[64], ip[64];
	struct crawl_site sites[3] = {{"NF", nf}, {"RB", rb}, {"NF2", nf}};
	struct counted_source a = {sites, 3, 0, 0, -1, -1};
	struct crawl_source src = {counted_next, counted_rewind, &a};
	int i;

	(void)state;
	snprintf(nf, sizeof(nf), "http://nf.test:%d/", srv.port);
	snprintf(rb, sizeof(rb), "http://rb.test:%d/", srv.port);
	snprintf(ip, sizeof(ip), "http://127.0.0.1:%d/", srv.port);
	/* With resolve entries the source is read through once, for the
	 * resolve map, and rewound: every site is crawled once. */
	options(&su);
	assert_int_equal(crawl_run_from(&su.o, &src, on_page, on_site, NULL), ST_OK);
	assert_int_equal(a.rewinds, 1);
	assert_int_equal(res.nsites, 3);
	for (i = 0; i < 3; i++)
		assert_non_null(site_of(sites[i].school_id));
	assert_string_equal(site_of("RB")->reason, "robots");
	assert_string_equal(site_of("NF2")->reason, "http 404");

	/* A source failing while the map is made: its status, nothing fetched. */
	options(&su);
	a = (struct counted_source){sites, 3, 0, 0, 1, 0};
	assert_int_equal(crawl_run_from(&su.o, &src, on_page, on_site, NULL), ST_IO);
	assert_int_equal(a.rewinds, 0);
	assert_int_equal(logged_requests(), 0);
	assert_int_equal(res.nsites, 0);

	/* Failing during the crawl: the crawl ends with its status, and the
	 * site it could not give is not reported. */
	options(&su);
	a = (struct counted_source){sites, 3, 0, 0, 2, 1};
	assert_int_equal(crawl_run_from(&su.o, &src, on_page, on_site, NULL), ST_IO);
	assert_int_equal(a.rewinds, 1);
	for (i = 0; i < res.nsites; i++)
		assert_string_not_equal(res.sites[i].id, "NF2");

	/* Without resolve entries the source is read once, not rewound. */
	options(&su);
	su.o.nresolve = 0;
	sites[0].start_url = ip;
	a = (struct counted_source){sites, 1, 0, 0, -1, -1};
	assert_int_equal(crawl_run_from(&su.o, &src, on_page, on_site, NULL), ST_OK);
	assert_int_equal(a.rewinds, 0);
	assert_int_equal(res.nsites, 1);
	assert_non_null(site_of("NF"));
}

static void test_bad_options_are_rejected(void **state)
{
	static const char *const bad_cidr[] = {"300.0.0.0/8"};
	static const char *const bad_resolve[] = {"nohostport"};
	struct crawl_options o = CRAWL_OPTIONS_INIT;
	struct crawl_site site = {"A", "http://a.test/"};

	(void)state;
	o.allow_addr = bad_cidr;
	o.nallow_addr = 1;
	assert_int_equal(crawl_run(&o, &site, 1, on_page, on_site, NULL), ST_INVALID);
	o.nallow_addr = 0;
	o.resolve = bad_resolve;
	o.nresolve = 1;
	assert_int_equal(crawl_run(&o, &site, 1, on_page, on_site, NULL), ST_INVALID);
	o.nresolve = 0;
	o.per_host = 0;
	assert_int_equal(crawl_run(&o, &site, 1, on_page, on_site, NULL), ST_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crawls_one_site_within_scope_and_caps),
		cmocka_unit_test(test_same_with_parser_threads),
		cmocka_unit_test(test_explore_budget_spares_section_links),
		cmocka_unit_test(test_explore_budget_without_list_pages),
		cmocka_unit_test(test_site_results_for_redirects_and_failures),
		cmocka_unit_test(test_delay_spaces_requests_to_one_host),
		cmocka_unit_test(test_stop_and_callback_failure_end_the_crawl),
		cmocka_unit_test(test_busy_answers_are_retried_after_retry_after),
		cmocka_unit_test(test_busy_answers_of_any_type_are_retried),
		cmocka_unit_test(test_site_cut_by_its_time_budget_says_so),
		cmocka_unit_test(test_site_states_are_logged_in_order),
		cmocka_unit_test(test_not_modified_reuses_the_stored_page),
		cmocka_unit_test(test_sites_from_a_source),
		cmocka_unit_test(test_bad_options_are_rejected),
	};
	return cmocka_run_group_tests(tests, server_start, server_stop);
}
