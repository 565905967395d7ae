#include "crawler/soft404.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/norm.h"
#include "crawler/url.h"

/* Headings looked at besides the title: the page's own heading comes
 * after the site name's in most templates. */
#define HEADINGS_SEEN 4
/* Text looked at for parked phrases: a placeholder says it at once. */
#define PARKED_TEXT 2048

static const char *const not_found[] = {"khong tim thay trang",
					"trang khong ton tai",
					"trang ban tim khong ton tai",
					"trang ban yeu cau khong ton tai",
					"duong dan khong ton tai",
					"khong tim thay noi dung",
					"noi dung khong ton tai",
					"bai viet khong ton tai",
					"loi 404",
					"404 not found",
					"page not found",
					"error 404",
					"khong tim thay duong dan",
					NULL};

static const char *const parked[] = {"ten mien da het han",
				     "ten mien nay da het han",
				     "website tam ngung hoat dong",
				     "website da het han",
				     "trang web tam ngung hoat dong",
				     "website dang tam ngung",
				     "ten mien nay dang duoc rao ban",
				     "ten mien dang duoc rao ban",
				     "domain is for sale",
				     "this domain is for sale",
				     "domain has expired",
				     "domain expired",
				     "account suspended",
				     "website is suspended",
				     "this domain is parked",
				     "parked free",
				     "buy this domain",
				     NULL};

static bool has_any(const char *s, size_t max, const char *const *phrases)
{
	char *plain = NULL;
	bool hit = false;
	size_t n;

	if (!s || !*s)
		return false;
	n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* not inside a UTF-8 sequence */
	}
	if (norm_fold(s, n, NULL, &plain) < 0 || !plain)
		return false;
	for (const char *const *w = phrases; *w && !hit; w++)
		hit = strstr(plain, *w) != NULL;
	free(plain);
	return hit;
}

static bool heads_have(const struct page *p, const char *const *phrases)
{
	if (has_any(p->title, 2048, phrases))
		return true;
	for (size_t i = 0; i < p->nheadings && i < HEADINGS_SEEN; i++)
		if (has_any(p->headings[i].text, 2048, phrases))
			return true;
	return false;
}

bool soft404_phrase(const struct page *p)
{
	return heads_have(p, not_found);
}

bool soft404_parked_phrase(const struct page *p)
{
	return heads_have(p, parked) || has_any(p->text, PARKED_TEXT, parked);
}

/* Appends s to b without digits (counters, dates, the URL's numbers) and
 * without the occurrences of each cut string. */
static status add_stripped(struct buf *b, const char *s, const char *const *cuts, size_t ncuts)
{
	status st = ST_OK;

	for (; s && *s && st == ST_OK;) {
		size_t k, skip = 0;

		/* (A path as short as "/" is no echo of the URL.) */
		for (k = 0; k < ncuts && !skip; k++)
			if (cuts[k] && strlen(cuts[k]) >= 4 &&
			    strncmp(s, cuts[k], strlen(cuts[k])) == 0)
				skip = strlen(cuts[k]);
		if (skip) {
			s += skip;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			st = buf_addc(b, *s);
		s++;
	}
	return st;
}

status soft404_fingerprint(char **out, const struct page *p)
{
	struct buf b = BUF_INIT(1 << 22);
	const char *req = p->requested_url ? p->requested_url : (p->url ? p->url : "");
	char *path = NULL, *decoded = NULL;
	const char *cuts[4];
	status st;

	*out = NULL;
	if (url_path_query(&path, req) < 0)
		path = NULL;
	if (path) {
		/* The path as a page would print it: percent escapes decoded. */
		decoded = malloc(strlen(path) + 1);
		if (decoded) {
			char *w = decoded;

			for (const char *q = path; *q; q++) {
				if (*q == '%' && isxdigit((unsigned char)q[1]) &&
				    isxdigit((unsigned char)q[2])) {
					char hex[3] = {q[1], q[2], '\0'};

					*w++ = (char)strtol(hex, NULL, 16);
					q += 2;
				} else {
					*w++ = *q;
				}
			}
			*w = '\0';
		}
	}
	cuts[0] = req;
	cuts[1] = p->url;
	cuts[2] = decoded;
	cuts[3] = path;
	st = add_stripped(&b, p->title, cuts, 4);
	for (size_t i = 0; st == ST_OK && i < p->nheadings; i++) {
		st = buf_addc(&b, '\x1f');
		if (st == ST_OK)
			st = add_stripped(&b, p->headings[i].text, cuts, 4);
	}
	if (st == ST_OK)
		st = buf_addc(&b, '\x1e');
	if (st == ST_OK)
		st = add_stripped(&b, p->main_text ? p->main_text : p->text, cuts, 4);
	free(path);
	free(decoded);
	if (st < 0) {
		buf_release(&b);
		return st;
	}
	*out = buf_detach(&b);
	return *out ? ST_OK : status_set(ST_NOMEM, "out of memory");
}

int soft404_site_links(const struct page *p, const char *site_host, int limit)
{
	const char *self = p->url ? p->url : p->requested_url;
	int n = 0;

	for (size_t i = 0; i < p->nlinks && n < limit; i++) {
		char *host = NULL;
		bool again = false, same;
		const char *u = p->links[i].url;

		same = url_host(&host, u) == ST_OK && url_same_site(host, site_host);
		free(host);
		if (!same || (self && strcmp(u, self) == 0) || strchr(u, '#'))
			continue;
		for (size_t k = 0; k < i && !again; k++)
			again = strcmp(p->links[k].url, u) == 0;
		n += !again;
	}
	return n;
}

void soft404_probe_path(char *out, size_t n, const char *host)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)clock_wall_ms();

	for (const char *s = host ? host : ""; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h ^= (uint64_t)clock_ms() << 17;
	h *= 1099511628211ULL;
	snprintf(out, n, "/khong-ton-tai-%016llx", (unsigned long long)h);
}
