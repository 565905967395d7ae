#include "core/urlsplit.h"

#include <string.h>

void urlsplit(struct urlsplit *out, const char *url)
{
	const char *p, *a, *end, *h, *he;

	url = url ? url : "";
	p = strstr(url, "://");
	memset(out, 0, sizeof(*out));
	if (!p) {
		out->scheme.ptr = out->authority.ptr = out->host.ptr = out->port.ptr = url;
		out->path = url;
		return;
	}
	out->absolute = true;
	out->scheme = (struct strview){url, (size_t)(p - url)};
	a = p + 3;
	end = a + strcspn(a, "/?#");
	out->authority = (struct strview){a, (size_t)(end - a)};
	out->path = end;
	h = a;
	for (const char *q = a; q < end; q++)
		if (*q == '@')
			h = q + 1;
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));

		he = rb ? rb + 1 : end;
	} else {
		he = memchr(h, ':', (size_t)(end - h));
		he = he ? he : end;
	}
	out->host = (struct strview){h, (size_t)(he - h)};
	out->port.ptr = end;
	if (he < end && *he == ':')
		out->port = (struct strview){he + 1, (size_t)(end - he - 1)};
}

void urlsplit_host(const char *url, char *out, size_t n)
{
	struct urlsplit u;

	urlsplit(&u, url);
	out[0] = '\0';
	if (u.host.len < n) {
		memcpy(out, u.host.ptr, u.host.len);
		out[u.host.len] = '\0';
	}
}
