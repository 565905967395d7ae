/* crawl_hosts_sweep: the host table keeps the hosts of the open sites and
 * those still owed politeness (in flight, backing off, delay not past),
 * and frees every other, so it does not grow with the sites crawled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/hash.h"
#include "core/str.h"
#include "crawler/crawl_sched.h"
#include "crawler/crawl_state.h"

static struct host *add_host(struct crawl *c, const char *name)
{
	struct host *h = calloc(1, sizeof(*h));
	size_t b = hash_str(name) % HOST_BUCKETS;

	assert_non_null(h);
	h->name = str_dup(name);
	assert_non_null(h->name);
	h->next = c->hosts[b];
	c->hosts[b] = h;
	return h;
}

static bool has_host(const struct crawl *c, const char *name)
{
	const struct host *h;

	for (h = c->hosts[hash_str(name) % HOST_BUCKETS]; h; h = h->next)
		if (strcmp(h->name, name) == 0)
			return true;
	return false;
}

static void idle_hosts_of_no_open_site_are_freed(void **state)
{
	static struct crawl c; /* large: the host buckets */
	struct site s;
	struct site *active[1] = {&s};
	static const char *const kept[] = {"site.vn", "robots.vn", "busy.vn", "wait.vn", "fly.vn"};
	size_t i;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&s, 0, sizeof(s));
	s.host = "site.vn";
	s.robots_host = "robots.vn";
	c.active = active;
	c.nactive = 1;
	add_host(&c, "done.vn")->next_ms = 900;
	add_host(&c, "site.vn");
	add_host(&c, "robots.vn");
	add_host(&c, "busy.vn")->busy = 1;
	add_host(&c, "wait.vn")->next_ms = 1001;
	add_host(&c, "fly.vn")->inflight = 1;
	crawl_hosts_sweep(&c, 1000);
	assert_false(has_host(&c, "done.vn"));
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		assert_true(has_host(&c, kept[i]));
	assert_int_equal(c.swept_ms, 1000);
	/* The site closed, the delay passed, the transfer ended: only the
	 * host still backing off stays. */
	c.nactive = 0;
	for (i = 0; i < HOST_BUCKETS; i++)
		for (struct host *h = c.hosts[i]; h; h = h->next)
			h->inflight = 0;
	crawl_hosts_sweep(&c, 2000);
	assert_true(has_host(&c, "busy.vn"));
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (strcmp(kept[i], "busy.vn") != 0)
			assert_false(has_host(&c, kept[i]));
	for (i = 0; i < HOST_BUCKETS; i++) {
		while (c.hosts[i]) {
			struct host *h = c.hosts[i];

			c.hosts[i] = h->next;
			free(h->name);
			free(h);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(idle_hosts_of_no_open_site_are_freed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
