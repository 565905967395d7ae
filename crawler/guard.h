/* The address guard: decides whether the crawler may connect to an address.
 *
 * By default only public addresses are permitted: private (10/8,
 * 172.16/12, 192.168/16, 100.64/10), loopback (127/8, ::1), link-local
 * (169.254/16, fe80::/10), unspecified (0.0.0.0/8, ::), unique-local
 * (fc00::/7), multicast and reserved ranges, and IPv4-mapped IPv6 forms of
 * all of these are refused.  allow_private lifts that refusal.  When CIDRs
 * are given, ONLY addresses inside them are permitted, even with
 * allow_private.
 *
 * The crawler checks at connect time (CURLOPT_OPENSOCKETFUNCTION), so the
 * guard covers redirects and host names that resolve to refused ranges.
 * A guard is immutable after guard_new and may be used from any thread. */
#ifndef CRAWLER_GUARD_H
#define CRAWLER_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "core/status.h"

struct guard;

/* cidrs: n strings like "10.0.0.0/8", "2001:db8::/32" or a bare address
 * (a /32 or /128).  ST_INVALID names the first bad CIDR. */
status guard_new(struct guard **out, bool allow_private, const char *const *cidrs,
		 size_t n) PA_MUST_CHECK;
void guard_free(struct guard *g);

/* ST_OK when the address is permitted.  When it is refused returns
 * ST_NET and writes a one-line reason such as
 * "address guard: 127.0.0.2 not allowed" to why (when why_len > 0).
 * Non-IP families are refused. */
status guard_check_sockaddr(const struct guard *g, const struct sockaddr *sa, char *why,
			    size_t why_len) PA_MUST_CHECK;

#endif
