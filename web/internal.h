/* Pieces of the dashboard shared between web/'s files: a request as the
 * route handlers see it and the response they fill.  Internal to web/. */
#ifndef WEB_INTERNAL_H
#define WEB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/finding.h"
#include "store/decisions.h"
#include "store/users.h"
#include "web/web.h"

/* A decoded application/x-www-form-urlencoded body: at most 32 fields;
 * keys and values point into one owned copy of the body. */
#define FORM_MAX 32
struct form {
	char *copy;
	const char *key[FORM_MAX], *val[FORM_MAX];
	size_t n;
};
/* ST_LIMIT beyond FORM_MAX fields, ST_INVALID for a value that is not
 * valid UTF-8 or holds a NUL or control character other than tab, CR, LF. */
status form_parse(struct form *f, const char *body, size_t len) PA_MUST_CHECK;
/* The value of the first field named key, or NULL. */
const char *form_get(const struct form *f, const char *key);
void form_release(struct form *f);

/* Whether two tokens are equal, in time independent of where they differ;
 * false when either is NULL or the lengths differ. */
bool web_token_eq(const char *a, const char *b);
/* 64 lower-case hex digits from the kernel's random source. */
status web_random_token(char out[65]) PA_MUST_CHECK;
/* Whether s is safe as a path segment or form value naming a school,
 * unit or item: 1-200 bytes of valid UTF-8 without control characters or
 * '/'. */
bool web_segment_ok(const char *s);

/* The school pages' cache (web/cache.c): entries of what
 * o->school_page made, by school id, valid at one data generation. */
struct web_cached {
	char *id;
	struct web_school_page page;
	struct appeal *appeals;   /* the school's, by id */
	struct recheck *rechecks; /* the school's, newest first */
	size_t nappeals, nrechecks;
	unsigned refs;
	unsigned long used;
	size_t bytes;
};
struct web_cache;
status web_cache_new(struct web_cache **out, size_t max_entries, size_t max_bytes) PA_MUST_CHECK;
void web_cache_free(struct web_cache *c);
/* The page of school id made at generation gen, referenced (release with
 * web_cache_unref), or NULL.  A newer gen than the cache's empties it. */
struct web_cached *web_cache_get(struct web_cache *c, const char *id, uint64_t gen);
/* Keeps e (malloc'd, filled by the caller but for refs, used and bytes)
 * at gen, within the bounds and when gen is not older than the cache's,
 * and returns it referenced for the caller. */
struct web_cached *web_cache_put(struct web_cache *c, uint64_t gen, struct web_cached *e);
/* Frees what e holds and e (not referenced: one never put). */
void web_cached_free(struct web_cached *e);
void web_cache_unref(struct web_cache *c, struct web_cached *e);

struct web_req {
	const struct web_options *o;
	struct store *s;
	struct web_cache *cache;
	uint64_t gen; /* the store's data generation (server.c) */
	const char *method, *path;
	const char *cookie_session, *cookie_login; /* the cookies, or NULL */
	bool secure;                               /* the cookie gets Secure */
	struct form form;                          /* POST only */
	bool authed;                               /* a live session */
	struct user user;
	char csrf[65];
	char token[65];
};

struct web_resp {
	unsigned code;
	const char *ctype;
	struct buf body;
	char location[600];
	char cookie[2][320];
	size_t ncookie;
	char disposition[320];
	bool html; /* text/html: hash its style blocks into the CSP */
};

/* The route handlers (web/routes.c): fill resp for req. */
void routes_handle(struct web_req *req, struct web_resp *resp);

/* Content-Security-Policy for a response body: style-src lists the
 * SHA-256 of each <style> block and style attribute of an HTML page
 * ('unsafe-hashes' for the attributes), nothing for other bodies.  The
 * result is malloc'd; NULL when out of memory. */
char *csp_for(const char *body, size_t len, bool html);

/* Pages (web/page.c).  Every function appends to b; every string from
 * the store or the request is escaped. */
status page_esc(struct buf *b, const char *s) PA_MUST_CHECK;
/* s percent-encoded as one URL path segment. */
status page_seg(struct buf *b, const char *s) PA_MUST_CHECK;
/* A page of our own: the document head with the dashboard stylesheet,
 * the navigation bar (when logged in) and an <h1> title; page_close ends
 * it. */
status page_open(struct buf *b, const struct web_req *rq, const char *title) PA_MUST_CHECK;
status page_close(struct buf *b) PA_MUST_CHECK;
/* The hidden csrf field of every form. */
status page_csrf(struct buf *b, const struct web_req *rq) PA_MUST_CHECK;
/* A report page: the renderer's HTML document doc with the dashboard
 * stylesheet, the navigation bar and download links for base (a path
 * such as "/school/ID", already encoded; NULL: none) at the top of its
 * body, and extra (HTML, or NULL) at its end. */
status page_report(struct buf *b, const struct web_req *rq, const char *doc, size_t n,
		   const char *base, const char *extra) PA_MUST_CHECK;
/* The body of a report document (between <body> and </body>). */
status page_body_of(struct buf *b, const char *doc, size_t n) PA_MUST_CHECK;

/* Responses and checks shared by the handlers (web/routes.c). */
/* A page of our own saying msg (escaped) with status code. */
void web_error(struct web_resp *resp, const struct web_req *rq, unsigned code, const char *msg);
/* The error page for a failed status: 404 for ST_NOTFOUND, 400 for bad
 * input, 500 for the rest, deny_code for ST_DENIED (the store's refusals: a
 * lockout, a re-check limit). */
void web_fail(struct web_resp *resp, const struct web_req *rq, status st, unsigned deny_code);
/* 303 to a local path: fixed text, then seg percent-encoded (or NULL). */
void web_redirect(struct web_resp *resp, const char *path, const char *seg);
/* Whether the user may see school si (and, when an officer, decide for
 * it): admin every school, unit the schools of its unit, school its own. */
bool web_sees_school(const struct web_req *rq, const struct school_info *si);
bool web_is_officer(const struct web_req *rq);
/* The registry entry of school id into *si when the user may see it: on
 * failure the response is filled (404 unknown for admin, 403 otherwise)
 * and false returned. */
bool web_school_in_scope(struct web_req *rq, struct web_resp *resp, const char *id,
			 struct school_info *si);
/* The newest audit run with a result for the school (its newest period). */
status web_school_run(struct store *s, const char *id, int64_t *run) PA_MUST_CHECK;

/* Pages and actions (web/school.c, web/lists.c, web/actions.c). */
/* The decide, appeal and re-check sections of school si's page (HTML). */
status school_extra(struct web_req *rq, struct buf *b, const struct web_cached *e) PA_MUST_CHECK;
void lists_review(struct web_req *rq, struct web_resp *resp);
void lists_appeals(struct web_req *rq, struct web_resp *resp);
/* The table of the appeals the user sees (only school's when not NULL),
 * with a close form on each open one for officers; *shown: its rows. */
status lists_appeals_table(struct web_req *rq, struct buf *b, const char *school,
			   size_t *shown) PA_MUST_CHECK;
/* The same table of the appeals v[0..n) (those the user sees). */
status lists_appeals_rows(struct web_req *rq, struct buf *b, const struct appeal *v, size_t n,
			  const char *school, size_t *shown) PA_MUST_CHECK;
void lists_runs(struct web_req *rq, struct web_resp *resp);
void actions_decide(struct web_req *rq, struct web_resp *resp);
void actions_appeal_open(struct web_req *rq, struct web_resp *resp);
void actions_appeal_close(struct web_req *rq, struct web_resp *resp, const char *id);
void actions_recheck(struct web_req *rq, struct web_resp *resp);
/* The decide form of one item (fields school, item, verdict, reason,
 * evidence, back). */
status school_decide_form(struct web_req *rq, struct buf *b, const char *school, const char *item,
			  const char *back) PA_MUST_CHECK;

#endif
