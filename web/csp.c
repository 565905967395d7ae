/* The Content-Security-Policy of a response.  The report pages keep their
 * stylesheet inline (one self-contained file, reports/html.c) and colour
 * badges with style attributes, so instead of 'unsafe-inline' the policy
 * names the SHA-256 of each style block and attribute the page holds.
 * Finding them by text is sound because every string that came from a
 * site is escaped: a crawled '<' or '"' is an entity, so "<style>" and
 * ` style="` appear only where our own code wrote them. */
#include <openssl/evp.h>
#include <string.h>

#include "web/internal.h"

#define CSP_BASE \
	"default-src 'none'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
#define MAX_HASHES 64

struct hashes {
	char v[MAX_HASHES][48];
	const char *src[MAX_HASHES]; /* what v[i] is the hash of (src_len[i] bytes) */
	size_t src_len[MAX_HASHES];
	size_t n;
	bool attr;
};

static void add_hash(struct hashes *h, const char *p, size_t n)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char b64[48];
	size_t i;

	/* A page repeats the same few style attributes: hash each once. */
	for (i = 0; i < h->n; i++)
		if (h->src_len[i] == n && memcmp(h->src[i], p, n) == 0)
			return;
	if (h->n == MAX_HASHES || !EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL))
		return;
	EVP_EncodeBlock((unsigned char *)b64, md, (int)mdlen);
	for (i = 0; i < h->n; i++)
		if (strcmp(h->v[i], b64) == 0)
			return;
	h->src[h->n] = p;
	h->src_len[h->n] = n;
	memcpy(h->v[h->n++], b64, sizeof(b64));
}

/* Every "<style>...</style>" block's content. */
static void style_blocks(struct hashes *h, const char *body, size_t len)
{
	const char *p = body, *end = body + len, *q;

	while ((p = memmem(p, (size_t)(end - p), "<style>", 7))) {
		p += 7;
		if (!(q = memmem(p, (size_t)(end - p), "</style>", 8)))
			break;
		add_hash(h, p, (size_t)(q - p));
		p = q + 8;
	}
}

/* Every style="..." attribute's value. */
static void style_attrs(struct hashes *h, const char *body, size_t len)
{
	const char *p = body, *end = body + len, *q;

	while ((p = memmem(p, (size_t)(end - p), " style=\"", 8))) {
		p += 8;
		if (!(q = memchr(p, '"', (size_t)(end - p))))
			break;
		add_hash(h, p, (size_t)(q - p));
		h->attr = true;
		p = q + 1;
	}
}

char *csp_for(const char *body, size_t len, bool html)
{
	struct hashes h;
	struct buf b = BUF_INIT(8192);
	size_t i;
	status st;

	memset(&h, 0, sizeof(h));
	if (html && body) {
		style_blocks(&h, body, len);
		style_attrs(&h, body, len);
	}
	st = buf_adds(&b, CSP_BASE);
	if (st == ST_OK && h.n) {
		st = buf_adds(&b, "; style-src");
		for (i = 0; st == ST_OK && i < h.n; i++)
			st = buf_printf(&b, " 'sha256-%s'", h.v[i]);
		if (st == ST_OK && h.attr)
			st = buf_adds(&b, " 'unsafe-hashes'");
	}
	if (st < 0) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b);
}
