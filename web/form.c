/* Form bodies, tokens and the checks on names taken from requests. */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/str.h"
#include "reports/escape.h"
#include "web/internal.h"

/* Valid UTF-8 without NUL or control characters other than tab, CR, LF. */
static bool text_ok(const char *s, size_t n)
{
	size_t i = 0, adv;
	int32_t cp;

	while (i < n) {
		cp = escape_utf8_next(s + i, n - i, &adv);
		if (cp < 0 || (cp < 0x20 && cp != '\t' && cp != '\r' && cp != '\n') || cp == 0x7f)
			return false;
		i += adv;
	}
	return true;
}

/* Decodes one key or value in place: '+' is a space, %XX a byte
 * (MHD_http_unescape).  Returns its length. */
static size_t decode(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if (*p == '+')
			*p = ' ';
	return MHD_http_unescape(s);
}

status form_parse(struct form *f, const char *body, size_t len)
{
	char *p, *amp, *eq;
	size_t klen, vlen;

	memset(f, 0, sizeof(*f));
	if (!(f->copy = str_ndup(body ? body : "", body ? len : 0)))
		return status_set(ST_NOMEM, "out of memory");
	/* A NUL in the body would cut a field short; refuse it. */
	if (body && memchr(body, '\0', len))
		return status_set(ST_INVALID, "form: a NUL byte in the body");
	for (p = f->copy; *p; p = amp ? amp + 1 : p + strlen(p)) {
		amp = strchr(p, '&');
		if (amp)
			*amp = '\0';
		if (!*p) {
			if (!amp)
				break;
			continue;
		}
		if (f->n == FORM_MAX)
			return status_set(ST_LIMIT, "form: more than %d fields", FORM_MAX);
		eq = strchr(p, '=');
		if (eq)
			*eq = '\0';
		klen = decode(p);
		vlen = eq ? decode(eq + 1) : 0;
		if (!text_ok(p, klen) || (eq && !text_ok(eq + 1, vlen)) || strlen(p) != klen ||
		    (eq && strlen(eq + 1) != vlen))
			return status_set(ST_INVALID, "form: a field is not valid text");
		f->key[f->n] = p;
		f->val[f->n++] = eq ? eq + 1 : "";
		if (!amp)
			break;
	}
	return ST_OK;
}

const char *form_get(const struct form *f, const char *key)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->key[i], key) == 0)
			return f->val[i];
	return NULL;
}

void form_release(struct form *f)
{
	free(f->copy);
	memset(f, 0, sizeof(*f));
}

bool web_token_eq(const char *a, const char *b)
{
	size_t n, i;
	unsigned char d = 0;

	if (!a || !b || (n = strlen(a)) != strlen(b) || n == 0)
		return false;
	for (i = 0; i < n; i++)
		d |= (unsigned char)(a[i] ^ b[i]);
	return d == 0;
}

status web_random_token(char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[32];
	size_t got = 0, i;
	ssize_t k;

	while (got < sizeof(r)) {
		k = getrandom(r + got, sizeof(r) - got, 0);
		if (k <= 0)
			return status_set(ST_IO, "getrandom failed");
		got += (size_t)k;
	}
	for (i = 0; i < sizeof(r); i++) {
		out[2 * i] = hex[r[i] >> 4];
		out[2 * i + 1] = hex[r[i] & 15];
	}
	out[64] = '\0';
	return ST_OK;
}

bool web_segment_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n > 0 && n <= 200 && !strchr(s, '/') && text_ok(s, n) && !strpbrk(s, "\t\r\n");
}
