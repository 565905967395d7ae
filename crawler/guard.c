#include "crawler/guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

/* Addresses are compared as 16 bytes: IPv4 as IPv4-mapped IPv6
 * (::ffff:a.b.c.d), so an IPv4 CIDR also covers the mapped form and one
 * table serves both families. */
struct net {
	uint8_t addr[16];
	int bits; /* prefix length over the 16-byte form */
};

struct guard {
	bool allow_private;
	struct net *nets;
	size_t nnets;
};

static const uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static void map4(uint8_t out[16], const void *in4)
{
	memcpy(out, mapped_prefix, 12);
	memcpy(out + 12, in4, 4);
}

static bool in_net(const uint8_t a[16], const uint8_t net[16], int bits)
{
	int full = bits / 8, rest = bits % 8;

	if (memcmp(a, net, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ net[full]) & (0xff << (8 - rest))) == 0;
}

/* Ranges that are never public.  IPv4 entries are written in mapped form
 * (96 + prefix bits). */
struct special {
	const char *addr;
	int bits;
};

static const struct special specials[] = {
	{"::ffff:0.0.0.0", 96 + 8},      /* "this network", includes unspecified */
	{"::ffff:10.0.0.0", 96 + 8},     /* private */
	{"::ffff:100.64.0.0", 96 + 10},  /* carrier-grade NAT */
	{"::ffff:127.0.0.0", 96 + 8},    /* loopback */
	{"::ffff:169.254.0.0", 96 + 16}, /* link-local */
	{"::ffff:172.16.0.0", 96 + 12},  /* private */
	{"::ffff:192.0.0.0", 96 + 24},   /* IETF protocol assignments */
	{"::ffff:192.168.0.0", 96 + 16}, /* private */
	{"::ffff:198.18.0.0", 96 + 15},  /* benchmarking */
	{"::ffff:224.0.0.0", 96 + 4},    /* multicast */
	{"::ffff:240.0.0.0", 96 + 4},    /* reserved and broadcast */
	{"::", 128},                     /* unspecified */
	{"::1", 128},                    /* loopback */
	{"fc00::", 7},                   /* unique local */
	{"fe80::", 10},                  /* link-local */
	{"ff00::", 8},                   /* multicast */
	{"64:ff9b::", 96},               /* NAT64 can reach private IPv4 */
	{"::", 96},                      /* IPv4-compatible (deprecated) */
};

static bool is_special(const uint8_t a[16])
{
	size_t i;
	uint8_t net[16];

	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++) {
		if (inet_pton(AF_INET6, specials[i].addr, net) != 1)
			continue;
		if (in_net(a, net, specials[i].bits))
			return true;
	}
	return false;
}

static status parse_cidr(const char *s, struct net *out)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	long bits = -1;
	uint8_t a4[4];
	int max;

	if (n == 0 || n >= sizeof(addr))
		return status_set(ST_INVALID, "bad CIDR '%s'", s);
	memcpy(addr, s, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, a4) == 1) {
		map4(out->addr, a4);
		max = 32;
	} else if (inet_pton(AF_INET6, addr, out->addr) == 1) {
		max = 128;
	} else {
		return status_set(ST_INVALID, "bad CIDR '%s': not an IP address", s);
	}
	if (slash && str_to_long(slash + 1, 0, max, &bits) < 0)
		return status_set(ST_INVALID, "bad CIDR '%s': prefix must be 0..%d", s, max);
	if (!slash)
		bits = max;
	out->bits = (int)bits + (max == 32 ? 96 : 0);
	return ST_OK;
}

status guard_new(struct guard **out, bool allow_private, const char *const *cidrs, size_t n)
{
	struct guard *g = NULL;
	size_t i;
	status st = ST_OK;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	if (!g || (n && !(g->nets = calloc(n, sizeof(*g->nets))))) {
		st = status_set(ST_NOMEM, "out of memory creating the address guard");
		goto out;
	}
	g->allow_private = allow_private;
	for (i = 0; i < n; i++) {
		st = parse_cidr(cidrs[i], &g->nets[i]);
		if (st < 0)
			goto out;
	}
	g->nnets = n;
	*out = g;
	g = NULL;
out:
	guard_free(g);
	return st;
}

void guard_free(struct guard *g)
{
	if (!g)
		return;
	free(g->nets);
	free(g);
}

status guard_check_sockaddr(const struct guard *g, const struct sockaddr *sa, char *why,
			    size_t why_len)
{
	uint8_t a[16];
	char text[INET6_ADDRSTRLEN] = "?";
	bool ok;
	size_t i;

	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;

		map4(a, &s4->sin_addr);
		inet_ntop(AF_INET, &s4->sin_addr, text, sizeof(text));
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;

		memcpy(a, &s6->sin6_addr, 16);
		inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof(text));
	} else {
		if (why_len)
			snprintf(why, why_len, "address guard: non-IP address not allowed");
		return ST_NET;
	}
	if (g->nnets) {
		ok = false;
		for (i = 0; i < g->nnets && !ok; i++)
			ok = in_net(a, g->nets[i].addr, g->nets[i].bits);
	} else {
		ok = g->allow_private || !is_special(a);
	}
	if (ok)
		return ST_OK;
	if (why_len)
		snprintf(why, why_len, "address guard: %s not allowed", text);
	return ST_NET;
}
