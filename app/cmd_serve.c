/* `serve`: the web dashboard (docs/DASHBOARD.md) on libmicrohttpd, until
 * SIGINT or SIGTERM.  It listens on loopback unless --allow-public, and
 * opens the store for short writes beside crawls and reports (no crawl
 * lock). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/crawl_setup.h"
#include "app/recheck.h"
#include "app/report_render.h"
#include "core/str.h"
#include "web/web.h"

static const struct cli_opt serve_opts[] = {
	{"--listen", NULL, CLI_STR, "ADDR:PORT", "127.0.0.1:8080",
	 "address and port to listen on (IPv6 as [ADDR]:PORT; port 0: any free port)", OPT_LISTEN,
	 0, 0},
	{"--allow-public", NULL, CLI_FLAG, NULL, NULL,
	 "allow a --listen address other than loopback (put TLS in front)", OPT_ALLOW_PUBLIC, 0, 0},
	{"--session-ttl", NULL, CLI_INT, "S", "28800", "seconds a login session lasts",
	 OPT_SESSION_TTL, 10, 30L * 86400},
	{"--lockout-failures", NULL, CLI_INT, "N", "10",
	 "wrong passwords in a row that lock an account", OPT_LOCKOUT_FAILURES, 1, 1000},
	{"--lockout-seconds", NULL, CLI_INT, "S", "900", "how long a locked account stays locked",
	 OPT_LOCKOUT_SECONDS, 1, 30L * 86400},
	{"--secure-cookies", NULL, CLI_FLAG, NULL, NULL,
	 "mark the session cookie Secure (also when a loopback proxy sends X-Forwarded-Proto: "
	 "https)",
	 OPT_SECURE_COOKIES, 0, 0},
	{"--recheck-per-day", NULL, CLI_INT, "N", "3",
	 "re-checks a school user may request a day for its school", OPT_RECHECK_PER_DAY, 0, 1000},
	{"--http-threads", NULL, CLI_INT, "N", "4", "HTTP worker threads (and store connections)",
	 OPT_SERVE_THREADS, 1, 64},
	CLI_OPT_END,
};
static const struct cli_group serve_group = {"Serve options", serve_opts};

const struct cli_command cmd_serve_cli = {
	"serve",
	"[OPTIONS]",
	"Serves the web dashboard: log in, browse, decide, appeal, re-check.",
	"Accounts: portal-audit users add. Routes and roles: docs/DASHBOARD.md.\n"
	"Run it behind nginx with TLS (docs/DASHBOARD.md); it stops on SIGINT or SIGTERM.\n"
	"The crawl and rule set options go to its re-check worker, which crawls and\n"
	"audits one school as `check --school ID OPTIONS` would.\n",
	{&serve_group, &crawl_setup_group, &crawl_setup_rules_group},
};

/* Parses "A.B.C.D:PORT" or "[V6]:PORT" ("localhost" is 127.0.0.1). */
static bool parse_listen(const char *v, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[64];
	const char *colon, *h = v, *hend;
	long port;

	memset(ss, 0, sizeof(*ss));
	if (v[0] == '[') {
		h = v + 1;
		if (!(hend = strchr(h, ']')) || hend[1] != ':')
			return false;
		colon = hend + 1;
	} else {
		if (!(colon = strrchr(v, ':')))
			return false;
		hend = colon;
	}
	if ((size_t)(hend - h) >= sizeof(host) || str_to_long(colon + 1, 0, 65535, &port) < 0)
		return false;
	memcpy(host, h, (size_t)(hend - h));
	host[hend - h] = '\0';
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (v[0] != '[') {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		*len = sizeof(*a);
		return inet_pton(AF_INET, host, &a->sin_addr) == 1;
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a);
		return inet_pton(AF_INET6, host, &a->sin6_addr) == 1;
	}
}

static bool is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

/* Serve's own options into o; the crawl and rule set options, word for
 * word, into the worker's argv (w->argv has room for argc words). */
static int parse(struct web_options *o, struct recheck_options *w, const char **listen,
		 bool *public, int argc, char **argv)
{
	struct args a;
	int id, from;

	args_init(&a, argc, argv, 1);
	for (from = a.i; (id = cli_next(&a, &cmd_serve_cli)) != CLI_END && !a.bad; from = a.i) {
		switch (id) {
		case CLI_OPERAND:
			return app_usage("serve: unexpected '%s'", a.val);
		case OPT_LISTEN:
			*listen = a.val;
			break;
		case OPT_ALLOW_PUBLIC:
			*public = true;
			break;
		case OPT_SESSION_TTL:
			o->session_ttl = (int)a.num;
			break;
		case OPT_LOCKOUT_FAILURES:
			o->lockout_failures = (int)a.num;
			break;
		case OPT_LOCKOUT_SECONDS:
			o->lockout_seconds = (int)a.num;
			break;
		case OPT_SECURE_COOKIES:
			o->secure_cookies = true;
			break;
		case OPT_RECHECK_PER_DAY:
			o->recheck_per_day = (int)a.num;
			break;
		case OPT_SERVE_THREADS:
			o->threads = (unsigned)a.num;
			break;
		default: /* a crawl or rule set option: the worker's */
			while (id > 0 && from < a.i)
				w->argv[w->argc++] = argv[from++];
			break;
		}
	}
	return a.bad ? EXIT_USAGE : EXIT_OK;
}

static int listen_on(struct sockaddr_storage *ss, struct web_options *o, const char *listen,
		     bool public)
{
	if (!parse_listen(listen, ss, &o->addrlen))
		return app_usage("serve: --listen '%s' is not ADDR:PORT (e.g. 127.0.0.1:8080 or "
				 "[::1]:8080)",
				 listen);
	if (!is_loopback(ss) && !public)
		return app_usage("serve: --listen '%s' is not a loopback address; add "
				 "--allow-public to serve it (behind TLS)",
				 listen);
	return EXIT_OK;
}

static void wake(void *arg)
{
	recheck_worker_wake(arg);
}

static int serve(struct app *a, struct web_options *o, const struct recheck_options *ro,
		 const struct sockaddr_storage *ss)
{
	struct timespec nap = {0, 100 * 1000 * 1000};
	struct recheck_worker *rw = NULL;
	struct web *w = NULL;
	char host[INET6_ADDRSTRLEN];
	status st;

	if ((st = recheck_worker_start(&rw, a, ro, 2000)) < 0)
		return app_fail(st);
	o->on_recheck = wake;
	o->on_recheck_arg = rw;
	if ((st = web_start(&w, o)) < 0) {
		recheck_worker_stop(rw);
		return app_fail(st);
	}
	/* The one line scripts wait for (the port, when --listen asked 0). */
	if (ss->ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, host,
			  sizeof(host));
	else
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, host, sizeof(host));
	printf(ss->ss_family == AF_INET6 ? "serve: listening on http://[%s]:%u/\n"
					 : "serve: listening on http://%s:%u/\n",
	       host, web_port(w));
	fflush(stdout);
	while (!__atomic_load_n(&a->stop, __ATOMIC_RELAXED))
		nanosleep(&nap, NULL);
	web_free(w);
	recheck_worker_stop(rw);
	printf("serve: stopped\n");
	return EXIT_OK;
}

int cmd_serve(struct app *a, int argc, char **argv)
{
	struct web_options o = WEB_OPTIONS_INIT;
	struct recheck_options ro = {0, NULL, NULL};
	struct sockaddr_storage ss;
	const char *listen = "127.0.0.1:8080";
	bool public = false;
	int rc;

	if (!(ro.argv = calloc((size_t)argc + 1, sizeof(*ro.argv))))
		return app_fail(status_set(ST_NOMEM, "out of memory"));
	rc = parse(&o, &ro, &listen, &public, argc, argv);
	if (rc == EXIT_OK)
		rc = listen_on(&ss, &o, listen, public);
	if (rc == EXIT_OK) {
		o.addr = (const struct sockaddr *)&ss;
		o.db_path = a->db_path;
		o.render = report_render;
		o.school_page = report_render_school_page;
		o.stop = &a->stop;
		rc = serve(a, &o, &ro, &ss);
	}
	free(ro.argv);
	return rc;
}
