/* Address guard: a table of addresses, each checked under the three
 * policies (default, allow_private, allow_addr CIDRs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "crawler/guard.h"

static status check(const struct guard *g, const char *addr, char *why, size_t n)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, addr, &s6->sin6_addr), 1);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, addr, &s4->sin_addr), 1);
	}
	return guard_check_sockaddr(g, (const struct sockaddr *)&ss, why, n);
}

struct row {
	const char *addr;
	bool dflt; /* permitted by default */
	bool priv; /* permitted with allow_private */
	bool cidr; /* permitted with allow_addr 127.0.0.0/8, 10.1.0.0/16, fd00:1::/32 */
};

static const struct row rows[] = {
	{"8.8.8.8", true, true, false},
	{"203.113.131.1", true, true, false},
	{"2001:4860:4860::8888", true, true, false},
	{"127.0.0.1", false, true, true},
	{"127.0.0.2", false, true, true},
	{"10.0.0.1", false, true, false},
	{"10.1.2.3", false, true, true},
	{"172.16.0.1", false, true, false},
	{"172.31.255.255", false, true, false},
	{"172.32.0.1", true, true, false},
	{"192.168.1.1", false, true, false},
	{"169.254.169.254", false, true, false},
	{"0.0.0.0", false, true, false},
	{"100.64.0.1", false, true, false},
	{"224.0.0.1", false, true, false},
	{"255.255.255.255", false, true, false},
	{"::1", false, true, false},
	{"::", false, true, false},
	{"fe80::1", false, true, false},
	{"fc00::1", false, true, false},
	{"fd00:1::5", false, true, true},
	{"::ffff:127.0.0.1", false, true, true},
	{"::ffff:192.168.0.1", false, true, false},
	{"::ffff:8.8.8.8", true, true, false},
	{"64:ff9b::a00:1", false, true, false},
};

static void test_address_table_under_each_policy(void **state)
{
	static const char *const cidrs[] = {"127.0.0.0/8", "10.1.0.0/16", "fd00:1::/32"};
	struct guard *def = NULL, *priv = NULL, *only = NULL, *only_priv = NULL;
	size_t i;

	(void)state;
	assert_int_equal(guard_new(&def, false, NULL, 0), ST_OK);
	assert_int_equal(guard_new(&priv, true, NULL, 0), ST_OK);
	assert_int_equal(guard_new(&only, false, cidrs, 3), ST_OK);
	assert_int_equal(guard_new(&only_priv, true, cidrs, 3), ST_OK);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];

		if ((check(def, r->addr, NULL, 0) == ST_OK) != r->dflt)
			fail_msg("%s: default policy got %d", r->addr, !r->dflt);
		if ((check(priv, r->addr, NULL, 0) == ST_OK) != r->priv)
			fail_msg("%s: allow_private got %d", r->addr, !r->priv);
		if ((check(only, r->addr, NULL, 0) == ST_OK) != r->cidr)
			fail_msg("%s: allow_addr got %d", r->addr, !r->cidr);
		/* CIDRs restrict even when allow_private is set. */
		if ((check(only_priv, r->addr, NULL, 0) == ST_OK) != r->cidr)
			fail_msg("%s: allow_addr+allow_private got %d", r->addr, !r->cidr);
	}
	guard_free(def);
	guard_free(priv);
	guard_free(only);
	guard_free(only_priv);
}

static void test_refusal_names_the_address(void **state)
{
	struct guard *g = NULL;
	char why[128] = "";

	(void)state;
	assert_int_equal(guard_new(&g, false, NULL, 0), ST_OK);
	assert_int_equal(check(g, "127.0.0.2", why, sizeof(why)), ST_NET);
	assert_string_equal(why, "address guard: 127.0.0.2 not allowed");
	assert_int_equal(check(g, "fe80::1", why, sizeof(why)), ST_NET);
	assert_string_equal(why, "address guard: fe80::1 not allowed");
	guard_free(g);
}

static void test_bad_cidrs_are_rejected(void **state)
{
	static const char *const bad[] = {"10.0.0.0/33", "fe80::/129", "not-an-ip/8", "",
					  "1.2.3.4/x"};
	struct guard *g = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(guard_new(&g, false, &bad[i], 1), ST_INVALID);
		assert_null(g);
	}
	guard_free(NULL);
}

static void test_bare_address_is_a_host_route(void **state)
{
	static const char *const one[] = {"127.0.0.5"};
	struct guard *g = NULL;

	(void)state;
	assert_int_equal(guard_new(&g, false, one, 1), ST_OK);
	assert_int_equal(check(g, "127.0.0.5", NULL, 0), ST_OK);
	assert_int_equal(check(g, "127.0.0.6", NULL, 0), ST_NET);
	guard_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_address_table_under_each_policy),
		cmocka_unit_test(test_refusal_names_the_address),
		cmocka_unit_test(test_bad_cidrs_are_rejected),
		cmocka_unit_test(test_bare_address_is_a_host_route),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
