/* The HTTP side of the dashboard on libmicrohttpd: a thread pool in the
 * library, a pool of store connections (one per worker thread, so a
 * handler never waits for one), bounded request bodies and the security
 * headers on every response.  Parsing HTTP, cookies and percent-encoding
 * is the library's; routes.c decides what to answer. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "web/internal.h"

#define POOL_MAX 64
/* The school pages' cache: entries and bytes at most. */
#define CACHE_ENTRIES 512
#define CACHE_BYTES ((size_t)64 << 20)

/* A store connection and the PRAGMA data_version it last saw (seen: it
 * saw one). */
struct slot {
	struct store *s;
	int64_t dv;
	bool seen;
};

/* Store connections: taken by a handler for one request, given back after
 * it.  mu guards every field but path. */
struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct slot free[POOL_MAX];
	size_t nfree, opened, max;
};

struct web {
	struct MHD_Daemon *d;
	struct web_options o;
	struct pool pool;
	struct web_cache *cache;
	uint64_t gen; /* the data generation (atomic): see data_gen */
	unsigned port;
};

/* Per request: the body read so far (at most o.max_body). */
struct conn_ctx {
	struct buf body;
	bool too_large; /* over o.max_body: answered 413, the rest read away */
	bool answered;
	size_t drained; /* body bytes received */
};

/* A body over the limit is read away (to answer 413 readably) up to this. */
#define DRAIN_MAX ((size_t)1 << 20)

static status pool_take(struct web *w, struct slot *out)
{
	struct pool *p = &w->pool;
	bool open_one = false;
	status st = ST_OK;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&p->mu);
	while (!p->nfree && p->opened == p->max)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->nfree)
		*out = p->free[--p->nfree];
	else {
		p->opened++;
		open_one = true;
	}
	pthread_mutex_unlock(&p->mu);
	if (!open_one)
		return ST_OK;
	/* Opened outside the lock: opening waits on SQLite's busy handler. */
	st = store_open_mode(&out->s, w->o.db_path, STORE_WRITE);
	if (st == ST_OK) {
		store_set_stop(out->s, w->o.stop);
		return ST_OK;
	}
	pthread_mutex_lock(&p->mu);
	p->opened--;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return st;
}

static void pool_give(struct web *w, const struct slot *s)
{
	struct pool *p = &w->pool;

	if (!s->s)
		return;
	pthread_mutex_lock(&p->mu);
	p->free[p->nfree++] = *s;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static bool loopback(const struct sockaddr *sa)
{
	if (!sa)
		return false;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return false;
}

/* Adds the headers every response carries and the response's own. */
static bool add_headers(struct MHD_Response *r, const struct web_resp *resp, const char *csp)
{
	bool ok = MHD_add_response_header(r, "Content-Security-Policy", csp) == MHD_YES &&
		  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") == MHD_YES &&
		  MHD_add_response_header(r, "Referrer-Policy", "no-referrer") == MHD_YES &&
		  MHD_add_response_header(r, "X-Frame-Options", "DENY") == MHD_YES &&
		  MHD_add_response_header(r, "Cache-Control", "no-store") == MHD_YES &&
		  MHD_add_response_header(r, "Content-Type", resp->ctype) == MHD_YES;
	size_t i;

	if (ok && resp->location[0])
		ok = MHD_add_response_header(r, "Location", resp->location) == MHD_YES;
	if (ok && resp->disposition[0])
		ok = MHD_add_response_header(r, "Content-Disposition", resp->disposition) ==
		     MHD_YES;
	for (i = 0; ok && i < resp->ncookie; i++)
		ok = MHD_add_response_header(r, "Set-Cookie", resp->cookie[i]) == MHD_YES;
	return ok;
}

static enum MHD_Result respond(struct MHD_Connection *c, struct web_resp *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *csp = csp_for(resp->body.ptr, resp->body.len, resp->html);
	size_t len = resp->body.len;
	char *body = buf_detach(&resp->body);

	if (!csp || !body) {
		free(csp);
		free(body);
		return MHD_NO;
	}
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		free(csp);
		return MHD_NO;
	}
	ret = add_headers(r, resp, csp) ? MHD_queue_response(c, resp->code, r) : MHD_NO;
	MHD_destroy_response(r);
	free(csp);
	return ret;
}

static void resp_init(struct web_resp *resp)
{
	memset(resp, 0, sizeof(*resp));
	buf_init(&resp->body, 64u << 20);
	resp->code = 500;
	resp->ctype = "text/plain; charset=utf-8";
}

/* A response made before a request is routed (no session looked up). */
static enum MHD_Result early(struct web *w, struct MHD_Connection *c, const char *method,
			     const char *url, unsigned code)
{
	struct web_req rq;
	struct web_resp resp;
	enum MHD_Result ret;

	memset(&rq, 0, sizeof(rq));
	rq.o = &w->o;
	rq.method = method;
	rq.path = url;
	resp_init(&resp);
	web_error(&resp, &rq, code, NULL);
	ret = respond(c, &resp);
	buf_release(&resp.body);
	return ret;
}

static bool secure_request(struct web *w, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	const char *proto;

	if (w->o.secure_cookies)
		return true;
	proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
	if (!proto || !str_eq_nocase(proto, "https"))
		return false;
	/* Only a proxy on this machine (nginx in front) is believed. */
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	return ci && loopback(ci->client_addr);
}

/* The data generation a request reads at: it grows whenever the store may
 * have changed since a cached page was made.  SQLite's data_version of a
 * connection changes when another connection (the re-check worker, a
 * `crawl` or `audit`, another pool slot) commits; the server's own writes
 * (every POST) bump it in answer().  A slot that cannot tell bumps it. */
static uint64_t data_gen(struct web *w, struct slot *sl)
{
	sqlite3_stmt *stmt = NULL;
	int64_t dv = -1;

	if (store_prepare(sl->s, &stmt, "PRAGMA data_version") == ST_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		dv = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (dv >= 0 && sl->seen && dv == sl->dv)
		return __atomic_load_n(&w->gen, __ATOMIC_SEQ_CST);
	sl->dv = dv;
	sl->seen = dv >= 0;
	return __atomic_add_fetch(&w->gen, 1, __ATOMIC_SEQ_CST);
}

static enum MHD_Result answer(struct web *w, struct MHD_Connection *c, const char *url,
			      const char *method, struct conn_ctx *cx)
{
	struct web_req rq;
	struct web_resp resp;
	enum MHD_Result ret;
	struct slot sl;
	status st;

	memset(&rq, 0, sizeof(rq));
	rq.o = &w->o;
	rq.cache = w->cache;
	rq.method = method;
	rq.path = url;
	rq.cookie_session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "pa_session");
	rq.cookie_login = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "pa_login");
	rq.secure = secure_request(w, c);
	resp_init(&resp);
	if (strcmp(method, "POST") == 0 &&
	    (st = form_parse(&rq.form, cx->body.ptr, cx->body.len)) < 0) {
		form_release(&rq.form);
		buf_release(&resp.body);
		return early(w, c, method, url, 400);
	}
	st = pool_take(w, &sl);
	if (st < 0) {
		log_warn("serve: %s", status_message());
		web_error(&resp, &rq, 500, NULL);
	} else {
		rq.s = sl.s;
		rq.gen = data_gen(w, &sl);
		routes_handle(&rq, &resp);
		/* What this request wrote is no change to its own connection. */
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
			__atomic_add_fetch(&w->gen, 1, __ATOMIC_SEQ_CST);
	}
	pool_give(w, &sl);
	log_debug("serve: %s %s %u", method, url, resp.code);
	ret = respond(c, &resp);
	buf_release(&resp.body);
	form_release(&rq.form);
	user_release(&rq.user);
	return ret;
}

/* libmicrohttpd calls this on a pool thread: first with *con_cls NULL
 * (headers read), then once per chunk of the body, then with
 * *upload_size 0 to answer.  The conn_ctx is freed in completed(). */
static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version, const char *upload_data,
			       size_t *upload_size, void **con_cls)
{
	struct web *w = cls;
	struct conn_ctx *cx = *con_cls;
	const char *cl;
	long declared = 0;

	if (!cx) {
		if (!(cx = calloc(1, sizeof(*cx))))
			return MHD_NO;
		buf_init(&cx->body, w->o.max_body);
		*con_cls = cx;
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl && (str_to_long(cl, 0, 1L << 40, &declared) < 0 ||
			   (size_t)declared > w->o.max_body))
			cx->too_large = true;
		/* Far too large: answer before the body (the client may see
		 * the connection closed).  A little too large: read it away
		 * below and answer 413 after, so the client reads the answer. */
		if (cx->too_large && (declared < 0 || (size_t)declared > DRAIN_MAX)) {
			cx->answered = true;
			return early(w, c, method, url, 413);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		cx->drained += *upload_size;
		if (!cx->too_large && buf_add(&cx->body, upload_data, *upload_size) < 0)
			cx->too_large = true;
		*upload_size = 0;
		if (cx->too_large && cx->drained > DRAIN_MAX && !cx->answered) {
			cx->answered = true;
			return early(w, c, method, url, 413);
		}
		return MHD_YES;
	}
	if (cx->answered)
		return MHD_YES;
	if (cx->too_large) {
		cx->answered = true;
		return early(w, c, method, url, 413);
	}
	return answer(w, c, url, method, cx);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct conn_ctx *cx = *con_cls;

	if (cx) {
		buf_release(&cx->body);
		free(cx);
		*con_cls = NULL;
	}
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_info("serve: libmicrohttpd: %s", line);
}

status web_start(struct web **out, const struct web_options *o)
{
	const union MHD_DaemonInfo *di;
	struct store *first = NULL;
	struct web *w;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	status st;

	*out = NULL;
	if ((st = store_open_mode(&first, o->db_path, STORE_WRITE)) < 0)
		return st;
	if (!(w = calloc(1, sizeof(*w)))) {
		store_free(first);
		return status_set(ST_NOMEM, "out of memory");
	}
	w->o = *o;
	w->o.threads = o->threads < 1 ? 1 : o->threads > POOL_MAX ? POOL_MAX : o->threads;
	pthread_mutex_init(&w->pool.mu, NULL);
	pthread_cond_init(&w->pool.cv, NULL);
	store_set_stop(first, o->stop);
	w->pool.free[w->pool.nfree++].s = first;
	if ((st = web_cache_new(&w->cache, CACHE_ENTRIES, CACHE_BYTES)) < 0) {
		web_free(w);
		return st;
	}
	w->pool.opened = 1;
	w->pool.max = w->o.threads;
	if (o->addr->sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	w->d = MHD_start_daemon(
		flags, 0, NULL, NULL, handler, w, MHD_OPTION_SOCK_ADDR, o->addr,
		MHD_OPTION_THREAD_POOL_SIZE, w->o.threads, MHD_OPTION_CONNECTION_LIMIT,
		o->max_connections, MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024, MHD_OPTION_NOTIFY_COMPLETED,
		completed, w, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
	if (!w->d) {
		web_free(w);
		return status_set(ST_NET, "serve: cannot listen on the address (in use?)");
	}
	di = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);
	w->port = di ? di->port : 0;
	*out = w;
	return ST_OK;
}

unsigned web_port(const struct web *w)
{
	return w->port;
}

void web_free(struct web *w)
{
	size_t i;

	if (!w)
		return;
	if (w->d)
		MHD_stop_daemon(w->d);
	for (i = 0; i < w->pool.nfree; i++)
		store_free(w->pool.free[i].s);
	web_cache_free(w->cache);
	pthread_mutex_destroy(&w->pool.mu);
	pthread_cond_destroy(&w->pool.cv);
	free(w);
}
