#include "crawler/url.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/str.h"

/* Links longer than this are not worth resolving; the crawler caps what it
 * fetches far lower, but the page model keeps what a page links to. */
#define URL_MAX_IN 8192

static status curlu_fail(CURLUcode uc, const char *what)
{
	if (uc == CURLUE_OUT_OF_MEMORY)
		return status_set(ST_NOMEM, "out of memory parsing a URL");
	return status_set(ST_INVALID, "bad URL (%s): %s", what, curl_url_strerror(uc));
}

/* Copies ref without the surrounding white space HTML allows in href and
 * without embedded tabs and newlines, which browsers drop too. */
static char *clean_ref(const char *ref)
{
	size_t n = strlen(ref), i, j = 0;
	char *s;

	while (n && isspace((unsigned char)ref[n - 1]))
		n--;
	while (n && isspace((unsigned char)*ref)) {
		ref++;
		n--;
	}
	s = malloc(n + 1);
	if (!s)
		return NULL;
	for (i = 0; i < n; i++)
		if (ref[i] != '\t' && ref[i] != '\n' && ref[i] != '\r')
			s[j++] = ref[i];
	s[j] = '\0';
	return s;
}

static status lower_host(CURLU *u)
{
	char *host = NULL;
	CURLUcode uc;
	size_t i;

	uc = curl_url_get(u, CURLUPART_HOST, &host, 0);
	if (uc)
		return curlu_fail(uc, "host");
	if (!*host) {
		curl_free(host);
		return status_set(ST_INVALID, "bad URL: empty host");
	}
	for (i = 0; host[i]; i++) {
		unsigned char c = (unsigned char)host[i];

		/* curl hands back a percent-encoded host decoded: only letters,
		 * digits, '-', '.', '_' and a bracketed IPv6 literal make a host
		 * we can connect to and print back as ASCII. */
		if (!isalnum(c) && !strchr("-._[]:", c)) {
			curl_free(host);
			return status_set(ST_INVALID,
					  "bad URL: host has a character not allowed in it");
		}
		host[i] = (char)tolower(c);
	}
	uc = curl_url_set(u, CURLUPART_HOST, host, 0);
	curl_free(host);
	return uc ? curlu_fail(uc, "host") : ST_OK;
}

static status check_scheme(CURLU *u)
{
	char *scheme = NULL;
	CURLUcode uc = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	status st = ST_OK;

	if (uc)
		return curlu_fail(uc, "scheme");
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
		st = status_set(ST_INVALID, "not an http or https URL (%s:)", scheme);
	curl_free(scheme);
	return st;
}

status url_resolve(char **out, const char *base, const char *ref)
{
	CURLU *u = NULL;
	char *clean = NULL, *res = NULL;
	CURLUcode uc;
	status st = ST_OK;
	/* Spaces and raw non-ASCII bytes are common in hand-made links; curl
	 * percent-encodes them rather than rejecting the URL. */
	unsigned flags = CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE | CURLU_ALLOW_SPACE;

	*out = NULL;
	if (!ref || strlen(ref) > URL_MAX_IN)
		return status_set(ST_INVALID, "URL missing or longer than %d bytes", URL_MAX_IN);
	clean = clean_ref(ref);
	u = curl_url();
	if (!clean || !u) {
		st = status_set(ST_NOMEM, "out of memory resolving a URL");
		goto out;
	}
	if (base) {
		uc = curl_url_set(u, CURLUPART_URL, base, flags);
		if (uc) {
			st = curlu_fail(uc, "base");
			goto out;
		}
	}
	/* An empty or fragment-only reference names the base document itself
	 * (RFC 3986 §5.2.2); libcurl 7.88 resolves "#s" to the base's
	 * directory instead, so handle it here. */
	if (base && (clean[0] == '\0' || clean[0] == '#'))
		uc = CURLUE_OK;
	else
		uc = curl_url_set(u, CURLUPART_URL, clean, flags);
	if (uc) {
		st = curlu_fail(uc, "reference");
		goto out;
	}
	st = check_scheme(u);
	if (st == ST_OK)
		st = lower_host(u);
	if (st < 0)
		goto out;
	/* Credentials in a crawled link are never ours to send, and curl
	 * keeps them undecoded: drop them. */
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	curl_url_set(u, CURLUPART_OPTIONS, NULL, 0);
	uc = curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (!uc)
		uc = curl_url_get(u, CURLUPART_URL, &res, CURLU_NO_DEFAULT_PORT);
	if (uc) {
		st = curlu_fail(uc, "result");
		goto out;
	}
	/* A percent-encoded numeric host ("99%2e1") is only normalised when
	 * curl parses the decoded form: parse the result once more, so that
	 * resolving is idempotent.  Rare, so only when a '%' was seen. */
	if ((strchr(clean, '%') || (base && strchr(base, '%'))) &&
	    curl_url_set(u, CURLUPART_URL, res, flags) == CURLUE_OK) {
		char *again = NULL;

		if (curl_url_get(u, CURLUPART_URL, &again, CURLU_NO_DEFAULT_PORT) == CURLUE_OK) {
			curl_free(res);
			res = again;
		} else {
			curl_free(again);
		}
	}
	*out = str_dup(res);
	if (!*out)
		st = status_set(ST_NOMEM, "out of memory resolving a URL");
out:
	curl_free(res);
	curl_url_cleanup(u);
	free(clean);
	return st;
}

static status get_part(char **out, const char *url, CURLUPart part, unsigned flags)
{
	CURLU *u = curl_url();
	char *v = NULL;
	CURLUcode uc;
	status st = ST_OK;

	*out = NULL;
	if (!u)
		return status_set(ST_NOMEM, "out of memory parsing a URL");
	uc = curl_url_set(u, CURLUPART_URL, url,
			  CURLU_NON_SUPPORT_SCHEME | CURLU_URLENCODE | CURLU_ALLOW_SPACE);
	if (!uc)
		uc = curl_url_get(u, part, &v, flags);
	if (uc == CURLUE_NO_QUERY) {
		uc = CURLUE_OK;
		v = NULL;
	}
	if (uc)
		st = curlu_fail(uc, url);
	else if (!(*out = str_dup(v ? v : "")))
		st = status_set(ST_NOMEM, "out of memory parsing a URL");
	curl_free(v);
	curl_url_cleanup(u);
	return st;
}

status url_host(char **out, const char *url)
{
	status st = get_part(out, url, CURLUPART_HOST, 0);
	char *p;

	if (st < 0)
		return st;
	if (!**out) {
		free(*out);
		*out = NULL;
		return status_set(ST_INVALID, "URL has no host: %s", url);
	}
	for (p = *out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return ST_OK;
}

status url_path_query(char **out, const char *url)
{
	char *path = NULL, *query = NULL;
	size_t np, nq;
	status st;

	*out = NULL;
	st = get_part(&path, url, CURLUPART_PATH, 0);
	if (st == ST_OK)
		st = get_part(&query, url, CURLUPART_QUERY, 0);
	if (st == ST_OK) {
		np = strlen(path);
		nq = strlen(query);
		*out = malloc(np + nq + 3);
		if (!*out) {
			st = status_set(ST_NOMEM, "out of memory parsing a URL");
		} else {
			size_t k = 0;

			if (np == 0 || path[0] != '/')
				(*out)[k++] = '/';
			memcpy(*out + k, path, np);
			k += np;
			if (nq) {
				(*out)[k++] = '?';
				memcpy(*out + k, query, nq);
				k += nq;
			}
			(*out)[k] = '\0';
		}
	}
	free(path);
	free(query);
	return st;
}

bool url_same_site(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	if (strcasecmp(a, b) == 0)
		return true;
	if (strncasecmp(a, "www.", 4) == 0 && strcasecmp(a + 4, b) == 0)
		return true;
	return strncasecmp(b, "www.", 4) == 0 && strcasecmp(b + 4, a) == 0;
}
