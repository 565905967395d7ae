#include "crawler/fetch.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/hash.h"
#include "core/str.h"

/* Response header values we keep are short; longer ones are junk. */
#define HDR_VALUE_MAX 512

struct fetch {
	CURL *easy;
	void *owner;
	char *url;
	enum fetch_body mode;
	struct buf body;
	size_t max_bytes;
	bool checked_type, is_html, skipped, too_big, truncated;
	char etag[HDR_VALUE_MAX], last_modified[HDR_VALUE_MAX];
	long retry_after;
	const struct guard *guard;
	char guard_why[160];
	char errbuf[CURL_ERROR_SIZE];
	char reason[CURL_ERROR_SIZE + 64];
	int64_t start_wall, start_ms;
	struct curl_slist *headers;
};

static bool type_is_html(const char *ct)
{
	size_t n;

	if (!ct)
		return false;
	while (*ct == ' ')
		ct++;
	n = strcspn(ct, "; \t");
	return (n == 9 && strncasecmp(ct, "text/html", 9) == 0) ||
	       (n == 21 && strncasecmp(ct, "application/xhtml+xml", 21) == 0);
}

/* 429 and 5xx: the server is busy or failing.  Whatever their type,
 * their body is never used (the status is what is recorded and what
 * decides a retry), so it is not read. */
static bool code_is_busy(long code)
{
	return code == 429 || (code >= 500 && code <= 599);
}

/* Write callback: keeps the body up to the cap.  Returning less than n
 * makes curl abort the transfer with CURLE_WRITE_ERROR; the flags say
 * why. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct fetch *f = arg;
	size_t n = size * nmemb;

	if (!f->checked_type) {
		char *ct = NULL;
		long code = 0;

		f->checked_type = true;
		curl_easy_getinfo(f->easy, CURLINFO_CONTENT_TYPE, &ct);
		curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &code);
		f->is_html = type_is_html(ct);
		/* A PDF or image found by a link: its status and type are what
		 * we record; downloading it is wasted time.  So is the body of
		 * a busy answer, in every mode. */
		if ((f->mode == FETCH_BODY_HTML && !f->is_html) || code_is_busy(code)) {
			f->skipped = true;
			return 0;
		}
	}
	if (n > f->max_bytes - f->body.len) {
		if (f->mode == FETCH_BODY_PREFIX) {
			/* Keep what fits, then stop: the rest is ignored. */
			f->truncated = true;
			if (buf_add(&f->body, data, f->max_bytes - f->body.len) < 0)
				f->too_big = true;
			return 0;
		}
		f->too_big = true;
		return 0;
	}
	if (buf_add(&f->body, data, n) < 0) {
		f->too_big = true;
		return 0;
	}
	return n;
}

static void keep_value(char *dst, const char *v, size_t n)
{
	while (n && isspace((unsigned char)*v)) {
		v++;
		n--;
	}
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	if (n >= HDR_VALUE_MAX)
		n = 0; /* junk: keep nothing rather than a cut value */
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *arg)
{
	struct fetch *f = arg;
	size_t n = size * nmemb;

	/* Each response of a redirect chain starts with a status line; only
	 * the last response's headers describe the page. */
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		f->etag[0] = f->last_modified[0] = '\0';
		f->retry_after = -1;
	} else if (n > 5 && strncasecmp(data, "etag:", 5) == 0) {
		keep_value(f->etag, data + 5, n - 5);
	} else if (n > 14 && strncasecmp(data, "last-modified:", 14) == 0) {
		keep_value(f->last_modified, data + 14, n - 14);
	} else if (n > 12 && strncasecmp(data, "retry-after:", 12) == 0) {
		char v[HDR_VALUE_MAX];

		keep_value(v, data + 12, n - 12);
		f->retry_after = fetch_parse_retry_after(v, time(NULL));
	}
	return n;
}

long fetch_parse_retry_after(const char *v, time_t now)
{
	size_t digits = strspn(v, "0123456789");
	long secs;
	time_t when;

	if (digits > 0 && v[digits] == '\0') {
		/* Seconds.  More than a day is still the server asking us to
		 * wait as long as we ever do (the caller's cap), not no
		 * answer; so is a number too long to convert. */
		if (digits > 6 || str_to_long(v, 0, FETCH_RETRY_AFTER_MAX, &secs) != ST_OK)
			return FETCH_RETRY_AFTER_MAX;
		return secs;
	}
	/* RFC 9110 §10.2.3: an HTTP-date is allowed too. */
	when = curl_getdate(v, NULL);
	if (when == -1)
		return -1;
	if (when <= now)
		return 0;
	return when - now > FETCH_RETRY_AFTER_MAX ? FETCH_RETRY_AFTER_MAX : (long)(when - now);
}

/* The address guard, at connect time: covers every address curl tries,
 * for the first request and every redirect. */
static curl_socket_t on_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct fetch *f = arg;

	(void)purpose;
	if (f->guard &&
	    guard_check_sockaddr(f->guard, &a->addr, f->guard_why, sizeof(f->guard_why)) != ST_OK)
		return CURL_SOCKET_BAD;
	return socket(a->family, a->socktype, a->protocol);
}

static status setup(struct fetch *f, const struct fetch_config *cfg)
{
	CURL *e = f->easy;
	CURLcode rc = CURLE_OK;

#define SET(opt, val)                                       \
	do {                                                \
		if (rc == CURLE_OK)                         \
			rc = curl_easy_setopt(e, opt, val); \
	} while (0)
	SET(CURLOPT_URL, f->url);
	SET(CURLOPT_PRIVATE, f);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, f);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, f);
	SET(CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	SET(CURLOPT_OPENSOCKETDATA, f);
	SET(CURLOPT_ERRORBUFFER, f->errbuf);
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, cfg->max_redirects);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_TIMEOUT, cfg->timeout_s);
	SET(CURLOPT_CONNECTTIMEOUT, cfg->timeout_s < 10 ? cfg->timeout_s : 10L);
	SET(CURLOPT_USERAGENT, cfg->user_agent);
	/* No proxy from the environment: the guard must see the real peer. */
	SET(CURLOPT_PROXY, "");
	/* A prefix is read from any body, however large it says it is. */
	if (f->mode != FETCH_BODY_PREFIX)
		SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->max_bytes);
	/* A transfer that carries its host's entries loads them afresh: the
	 * DNS cache need not keep them for a minute (crawler/resolve_map.h). */
	if (cfg->resolve) {
		SET(CURLOPT_RESOLVE, cfg->resolve);
		SET(CURLOPT_DNS_CACHE_TIMEOUT, FETCH_RESOLVE_CACHE_S);
	}
#undef SET
	if (rc != CURLE_OK)
		return status_set(ST_NET, "cannot set up a transfer for %s: %s", f->url,
				  curl_easy_strerror(rc));
	return ST_OK;
}

status fetch_new(struct fetch **out, const struct fetch_config *cfg, const char *url,
		 size_t max_bytes, enum fetch_body mode, void *owner)
{
	struct fetch *f = calloc(1, sizeof(*f));
	status st;

	*out = NULL;
	if (!f || !(f->url = str_dup(url)) || !(f->easy = curl_easy_init())) {
		fetch_free(f);
		return status_set(ST_NOMEM, "out of memory starting a transfer");
	}
	f->owner = owner;
	f->mode = mode;
	f->max_bytes = max_bytes;
	buf_init(&f->body, max_bytes);
	f->retry_after = -1;
	f->guard = cfg->guard;
	f->start_wall = clock_wall_ms();
	f->start_ms = clock_ms();
	st = setup(f, cfg);
	if (st < 0) {
		fetch_free(f);
		return st;
	}
	*out = f;
	return ST_OK;
}

void fetch_free(struct fetch *f)
{
	if (!f)
		return;
	if (f->easy)
		curl_easy_cleanup(f->easy);
	buf_release(&f->body);
	curl_slist_free_all(f->headers);
	free(f->url);
	free(f);
}

CURL *fetch_easy(struct fetch *f)
{
	return f->easy;
}

static status add_header(struct fetch *f, const char *name, const char *value)
{
	char line[HDR_VALUE_MAX + 32];
	struct curl_slist *l;

	if (!value || !*value || strpbrk(value, "\r\n") || strlen(value) >= HDR_VALUE_MAX)
		return ST_OK;
	snprintf(line, sizeof(line), "%s: %s", name, value);
	l = curl_slist_append(f->headers, line);
	if (!l)
		return status_set(ST_NOMEM, "out of memory adding a request header");
	f->headers = l;
	return ST_OK;
}

status fetch_set_validators(struct fetch *f, const char *etag, const char *last_modified)
{
	status st = add_header(f, "If-None-Match", etag);

	if (st == ST_OK)
		st = add_header(f, "If-Modified-Since", last_modified);
	if (st == ST_OK && f->headers &&
	    curl_easy_setopt(f->easy, CURLOPT_HTTPHEADER, f->headers) != CURLE_OK)
		st = status_set(ST_NET, "cannot set request headers");
	return st;
}

const char *fetch_url(const struct fetch *f)
{
	return f->url;
}

void *fetch_owner(const struct fetch *f)
{
	return f->owner;
}

const char *fetch_body(const struct fetch *f, size_t *len)
{
	*len = f->body.len;
	return buf_str(&f->body);
}

bool fetch_too_big(const struct fetch *f)
{
	return f->too_big;
}

bool fetch_truncated(const struct fetch *f)
{
	return f->truncated;
}

bool fetch_answered(const struct fetch *f, CURLcode rc)
{
	return rc == CURLE_OK || ((f->skipped || f->truncated) &&
				  (rc == CURLE_WRITE_ERROR || rc == CURLE_FILESIZE_EXCEEDED));
}

bool fetch_is_html(const struct fetch *f)
{
	return f->is_html;
}

long fetch_retry_after(const struct fetch *f)
{
	return f->retry_after;
}

static bool is_tls_error(CURLcode rc)
{
	switch (rc) {
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_USE_SSL_FAILED:
		return true;
	default:
		return false;
	}
}

/* The short reason of a failed transfer, as the site result reports it. */
static const char *reason_of(struct fetch *f, CURLcode rc)
{
	const char *word;

	if (f->guard_why[0] && (rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT))
		return f->guard_why;
	if (f->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(f->reason, sizeof(f->reason), "body exceeds %zu bytes", f->max_bytes);
		return f->reason;
	}
	if (rc == CURLE_COULDNT_RESOLVE_HOST)
		word = "dns";
	else if (rc == CURLE_COULDNT_CONNECT)
		word = "connect";
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		word = "timeout";
	else if (is_tls_error(rc))
		word = "tls";
	else if (rc == CURLE_TOO_MANY_REDIRECTS)
		word = "redirects";
	else if (rc == CURLE_UNSUPPORTED_PROTOCOL)
		word = "protocol";
	else
		word = "network";
	snprintf(f->reason, sizeof(f->reason), "%s", word);
	return f->reason;
}

static status fill_type(struct fetch *f, struct page *p)
{
	char *ct = NULL, type[128] = "", cs[64] = "";
	const char *c;
	size_t n, i;
	status st;

	curl_easy_getinfo(f->easy, CURLINFO_CONTENT_TYPE, &ct);
	if (!ct)
		return ST_OK;
	n = strcspn(ct, "; \t");
	if (n >= sizeof(type))
		n = 0;
	for (i = 0; i < n; i++)
		type[i] = (char)tolower((unsigned char)ct[i]);
	type[n] = '\0';
	c = strcasestr(ct, "charset=");
	if (c) {
		c += 8;
		c += strspn(c, "\"' ");
		n = strcspn(c, "\"'; \t");
		if (n >= sizeof(cs))
			n = 0;
		for (i = 0; i < n; i++)
			cs[i] = (char)tolower((unsigned char)c[i]);
		cs[n] = '\0';
	}
	st = page_set(&p->content_type, type[0] ? type : NULL);
	if (st == ST_OK && cs[0])
		st = page_set(&p->charset, cs);
	return st;
}

status fetch_finish(struct fetch *f, CURLcode rc, struct page *p, const char **reason)
{
	char *eff = NULL;
	long code = 0;
	curl_off_t clen = -1;
	status st;

	*reason = NULL;
	curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(f->easy, CURLINFO_EFFECTIVE_URL, &eff);
	p->status = (int)code;
	p->fetched_at = f->start_wall;
	p->fetch_ms = clock_ms() - f->start_ms;
	p->bytes = (int64_t)f->body.len;
	st = page_set(&p->requested_url, f->url);
	if (st == ST_OK && f->body.len) {
		/* Content hash of the body as received, so a later crawl can
		 * tell a changed page from an unchanged one; word-wise, since
		 * it runs over every byte of every page. */
		char hex[17];

		hash_hex(hash_words64(f->body.ptr, f->body.len), hex);
		st = page_set(&p->content_hash, hex);
	}
	if (st == ST_OK)
		st = page_set(&p->url, eff ? eff : f->url);
	if (st == ST_OK)
		st = fill_type(f, p);
	if (st == ST_OK && f->etag[0])
		st = page_set(&p->etag, f->etag);
	if (st == ST_OK && f->last_modified[0])
		st = page_set(&p->last_modified, f->last_modified);
	if (st < 0)
		return st;
	if (rc == CURLE_FILESIZE_EXCEEDED && !f->checked_type) {
		char *ct = NULL;

		/* Refused on its Content-Length before any byte: a large
		 * document is still a document, not a failed page, and a busy
		 * answer is a busy answer. */
		curl_easy_getinfo(f->easy, CURLINFO_CONTENT_TYPE, &ct);
		f->skipped =
			code_is_busy(code) || (f->mode == FETCH_BODY_HTML && !type_is_html(ct));
	}
	if (f->skipped && (rc == CURLE_WRITE_ERROR || rc == CURLE_FILESIZE_EXCEEDED)) {
		/* Not read on purpose: report the declared size. */
		curl_easy_getinfo(f->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &clen);
		p->bytes = clen > 0 ? (int64_t)clen : 0;
		return ST_OK;
	}
	if (rc == CURLE_OK || (f->truncated && !f->too_big && rc == CURLE_WRITE_ERROR))
		return ST_OK;
	*reason = reason_of(f, rc);
	if (f->errbuf[0] && *reason != f->guard_why && !f->too_big &&
	    rc != CURLE_FILESIZE_EXCEEDED) {
		char msg[sizeof(f->reason) + CURL_ERROR_SIZE + 8];

		snprintf(msg, sizeof(msg), "%s: %s", *reason, f->errbuf);
		return page_set(&p->error, msg);
	}
	return page_set(&p->error, *reason);
}
