/* The dashboard's HTTP server (`portal-audit serve`, docs/DASHBOARD.md,
 * docs/internals/web.md): libmicrohttpd with a thread pool, one store
 * connection per worker thread, sessions and CSRF tokens from
 * store/users.h, pages from the report renderer.  Every request is
 * authorized on the server; every response carries the security
 * headers. */
#ifndef WEB_WEB_H
#define WEB_WEB_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "core/finding.h"
#include "core/status.h"
#include "store/db.h"

struct report_request;
/* Renders a report (app/report_render.h) into f; the server is given it so
 * its pages come from the same code as the report files. */
typedef status (*web_render_fn)(struct store *s, const struct report_request *rq, FILE *f);

/* What the school page shows beside the dashboard's own sections, made by
 * app/report_render.h's report_render_school_page: the school's newest
 * audit run, its report and history as HTML documents (links "/") and
 * that run's result.  Scope-independent: the server caches it
 * (docs/internals/web.md, "The page cache"). */
struct web_school_page {
	int64_t run;
	char *doc, *history;
	size_t ndoc, nhistory;
	struct school_result result;
};
typedef status (*web_school_fn)(struct store *s, const char *id, const volatile sig_atomic_t *stop,
				struct web_school_page *out);

struct web_options {
	const char *db_path;         /* the store, opened STORE_WRITE per worker */
	const struct sockaddr *addr; /* where to listen (port 0: any free port) */
	socklen_t addrlen;
	int session_ttl;          /* seconds a session lives */
	int lockout_failures;     /* failed logins in a row that lock */
	int lockout_seconds;      /* how long the lock lasts */
	int recheck_per_day;      /* re-checks a school user may queue a day */
	bool secure_cookies;      /* always mark the session cookie Secure */
	unsigned threads;         /* worker threads (= store connections) */
	unsigned max_connections; /* open connections at most */
	unsigned timeout_s;       /* idle seconds before a connection is closed */
	size_t max_body;          /* bytes of a POST body at most (413 beyond) */
	web_render_fn render;
	web_school_fn school_page;
	const volatile sig_atomic_t *stop; /* renderers stop when set, or NULL */
	/* Called (on a worker thread) after a re-check was queued, or NULL. */
	void (*on_recheck)(void *arg);
	void *on_recheck_arg;
};
#define WEB_OPTIONS_INIT                                                                      \
	{                                                                                     \
		NULL, NULL, 0, 28800, 10, 900, 3, false, 4, 512, 30, 65536, NULL, NULL, NULL, \
			NULL, NULL                                                            \
	}

struct web;

/* Opens the store once (to check and migrate it) and starts listening.
 * ST_NET naming the address when it cannot listen.  On failure *out is
 * NULL. */
status web_start(struct web **out, const struct web_options *o) PA_MUST_CHECK;
/* The port it listens on (the one chosen when the options asked for 0). */
unsigned web_port(const struct web *w);
/* Stops accepting, finishes the running requests and frees everything;
 * accepts NULL. */
void web_free(struct web *w);

#endif
