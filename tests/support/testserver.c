/*
 * testserver - a loopback-only HTTP/1.1 server for portal-audit's
 * integration tests.
 *
 * Tests start it on port 0, read the chosen port from --port-file, point
 * the crawler at it and afterwards inspect the request log (--log) to see
 * exactly what the crawler asked for.  Fixtures are plain files:
 *
 *   ROOT/<host>/<path>        served as 200 with type/Last-Modified/ETag
 *   ROOT/<host>/<path>.hdr    extra header lines; "Status:" replaces the
 *                             status line, "X-Test-Delay-Ms:" delays the
 *                             answer, "X-Test-Body-Repeat:" repeats the body
 *   ROOT/<host>/<path>.raw    the complete response, sent byte for byte,
 *                             then the connection is closed
 *   ROOT/_default/            used when no directory matches the Host
 *   ROOT/<host>/_any.html     served (with _any.html.hdr) for every path of the
 *                             host that has no file of its own: a site whose
 *                             unknown URLs answer 200 (soft 404, parked)
 *
 * It refuses to listen anywhere but 127.0.0.0/8 so that a test can never
 * expose fixtures (or be reached) from outside the machine.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* Request heads larger than this get 431, as the crawler's own limit is
 * tested against it. */
#define HEAD_MAX 16384
/* A .hdr fixture is a handful of lines; anything bigger is a mistake. */
#define HDR_FILE_MAX 65536
#define MAX_DELAY_MS 600000L
#define MAX_REPEAT 10000000L
/* Idle keep-alive connections are dropped after this, so a crawler that
 * leaks connections cannot keep threads alive forever. */
#define IO_TIMEOUT_S 30
#define PATH_BUF 4096
#define IO_CHUNK 32768

struct conn {
	int fd;
	char peer[64];
	char local[64];
	struct conn *prev;
	struct conn *next;
	size_t len;             /* bytes buffered in buf */
	char buf[HEAD_MAX + 1]; /* +1 so a full buffer can still be NUL-ended */
};

struct request {
	const char *method;
	const char *target;
	const char *host; /* Host header as received (for the log) */
	const char *user_agent;
	const char *if_none_match;
	const char *if_modified_since;
	const char *accept_encoding;
	const char *connection;
	const char *content_length;
	const char *transfer_encoding;
	int minor; /* HTTP/1.<minor> */
	int is_head;
	int keep_alive;
	int status;     /* what was answered, for the log */
	long long t_ms; /* when the head was complete */
};

/* What a .hdr fixture asks for. */
struct hdr_spec {
	int present;
	int status; /* 0: not overridden */
	char status_line[256];
	long delay_ms;
	long repeat;
	int has_ctype;
	int has_clen;
	int has_etag;
	int has_lastmod;
	int has_date;
	int has_server;
	int has_connection;
	int conn_close;
	char etag[256];
	int lastmod_ok;
	time_t lastmod;
	char *extra; /* "Name: value\r\n" lines, NUL-terminated */
	size_t extra_len;
	char error[128]; /* set when the fixture is malformed */
};

struct sbuf {
	char *p;
	size_t len;
	size_t cap;
	int failed;
};

static const char *g_root;
static int g_log_fd = -1;
/* Set by the signal handler, read by every connection thread: an atomic
 * (lock-free, so async-signal-safe), not a volatile sig_atomic_t, which
 * is only safe within one thread and is a data race under TSan. */
static atomic_int g_stop;
static int g_wake_pipe[2] = {-1, -1};

/* Live connections, so shutdown can wake threads blocked in recv(). */
static pthread_mutex_t g_conns_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_conns_cv = PTHREAD_COND_INITIALIZER;
static struct conn *g_conns;
static size_t g_nconns;

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 512;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_addf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_addf(struct sbuf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		sb_add(b, small, (size_t)n);
		return;
	}
	/* Rare: long header values.  Format again into a right-sized buffer. */
	char *big = malloc((size_t)n + 1);
	if (!big) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb_add(b, big, (size_t)n);
	free(big);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* IMF-fixdate; strftime is safe here because we never call setlocale(),
 * so day and month names are the C locale's English ones. */
static void fmt_http_date(time_t t, char *out, size_t outsz)
{
	struct tm tm;
	out[0] = '\0';
	if (gmtime_r(&t, &tm))
		strftime(out, outsz, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's
 * algorithm); avoids timegm(), which is not in POSIX. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int parse_digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Only IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"): it is what every
 * current client sends, and RFC 9110 says to ignore dates we can't parse. */
static int parse_http_date(const char *s, time_t *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int day, year, hh, mm, ss;

	if (strlen(s) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
	    s[16] != ' ' || s[19] != ':' || s[22] != ':' || s[25] != ' ' ||
	    memcmp(s + 26, "GMT", 3) != 0)
		return -1;
	if (parse_digits(s + 5, 2, &day) || parse_digits(s + 12, 4, &year) ||
	    parse_digits(s + 17, 2, &hh) || parse_digits(s + 20, 2, &mm) ||
	    parse_digits(s + 23, 2, &ss))
		return -1;
	unsigned mon = 0;
	for (unsigned i = 0; i < 12; i++) {
		if (memcmp(months + 3 * i, s + 8, 3) == 0)
			mon = i + 1;
	}
	if (mon == 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60)
		return -1;
	long long t =
		days_from_civil(year, mon, (unsigned)day) * 86400LL + hh * 3600LL + mm * 60LL + ss;
	*out = (time_t)t;
	return 0;
}

/* strtol with the checks atoi lacks: whole string, no overflow, range. */
static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static const char *reason_phrase(int code)
{
	switch (code) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 206:
		return "Partial Content";
	case 301:
		return "Moved Permanently";
	case 302:
		return "Found";
	case 303:
		return "See Other";
	case 304:
		return "Not Modified";
	case 307:
		return "Temporary Redirect";
	case 308:
		return "Permanent Redirect";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 410:
		return "Gone";
	case 414:
		return "URI Too Long";
	case 429:
		return "Too Many Requests";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Unknown";
	}
}

static const char *content_type_for(const char *path)
{
	static const struct {
		const char *ext;
		const char *type;
	} map[] = {
		{"html", "text/html; charset=utf-8"},
		{"htm", "text/html; charset=utf-8"},
		{"aspx", "text/html; charset=utf-8"},
		{"txt", "text/plain"},
		{"xml", "application/xml"},
		{"pdf", "application/pdf"},
		{"png", "image/png"},
		{"css", "text/css"},
		{"js", "text/javascript"},
		{"gz", "application/gzip"},
		{"json", "application/json"},
		{"jpg", "image/jpeg"},
		{"jpeg", "image/jpeg"},
		{"gif", "image/gif"},
		{"svg", "image/svg+xml"},
		{"ico", "image/x-icon"},
	};
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	if (dot) {
		for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
			if (strcasecmp(dot + 1, map[i].ext) == 0)
				return map[i].type;
		}
	}
	return "application/octet-stream";
}

static void format_sockaddr(const struct sockaddr_in *sa, char *out, size_t outsz)
{
	char ip[INET_ADDRSTRLEN];
	if (!inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof ip))
		memcpy(ip, "?", 2);
	snprintf(out, outsz, "%s:%u", ip, (unsigned)ntohs(sa->sin_port));
}

/* ------------------------------------------------------------------ */
/* request log                                                         */

/* One write() per line: O_APPEND makes each write land whole at the end
 * of the file, so lines from concurrent connections never interleave. */
static void log_line(const char *const *fields, size_t n)
{
	if (g_log_fd < 0)
		return;
	size_t total = 1;
	for (size_t i = 0; i < n; i++)
		total += strlen(fields[i] ? fields[i] : "") + 1;
	char *line = malloc(total);
	if (!line)
		return;
	size_t pos = 0;
	for (size_t i = 0; i < n; i++) {
		const char *f = fields[i] ? fields[i] : "";
		if (i)
			line[pos++] = '\t';
		for (; *f; f++) {
			/* Keep one record per line and one field per tab. */
			line[pos++] = (*f == '\t' || *f == '\n' || *f == '\r') ? ' ' : *f;
		}
	}
	line[pos++] = '\n';
	const char *p = line;
	while (pos > 0) {
		ssize_t w = write(g_log_fd, p, pos);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		p += w;
		pos -= (size_t)w;
	}
	free(line);
}

static void log_connect(const struct conn *c)
{
	char ms[32];
	snprintf(ms, sizeof ms, "%lld", now_ms());
	const char *fields[] = {ms, c->peer, c->local, "CONNECT"};
	log_line(fields, sizeof fields / sizeof fields[0]);
}

static void log_request(const struct conn *c, const struct request *rq)
{
	char ms[32], status[16];
	snprintf(ms, sizeof ms, "%lld", rq->t_ms);
	status[0] = '\0';
	if (rq->status > 0)
		snprintf(status, sizeof status, "%d", rq->status);
	const char *fields[] = {
		ms,
		c->peer,
		c->local,
		rq->method,
		rq->target,
		rq->host,
		rq->user_agent,
		rq->if_none_match,
		rq->if_modified_since,
		rq->accept_encoding,
		status,
	};
	log_line(fields, sizeof fields / sizeof fields[0]);
}

/* ------------------------------------------------------------------ */
/* socket I/O                                                          */

static int send_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n > 0) {
		/* MSG_NOSIGNAL: a client hanging up must not kill the server. */
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Closing a socket with unread input makes the kernel send RST, which can
 * destroy a response the client has not read yet (e.g. our 431).  So
 * half-close, drain briefly, then close. */
static void linger_close(int fd)
{
	char junk[4096];
	struct timeval tv = {1, 0};
	size_t drained = 0;

	shutdown(fd, SHUT_WR);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	while (drained < 256 * 1024) {
		ssize_t r = recv(fd, junk, sizeof junk, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		drained += (size_t)r;
	}
	close(fd);
}

/* Returns the head length (through the blank line), 0 when the client
 * went away or idled out, -1 when the head exceeds HEAD_MAX. */
static long read_head(struct conn *c)
{
	size_t scan = 0;
	for (;;) {
		for (size_t i = scan; i < c->len; i++) {
			if (c->buf[i] != '\n')
				continue;
			/* Accept bare LF as well as CRLF line ends. */
			if (i + 1 < c->len && c->buf[i + 1] == '\n')
				return (long)(i + 2);
			if (i + 2 < c->len && c->buf[i + 1] == '\r' && c->buf[i + 2] == '\n')
				return (long)(i + 3);
		}
		scan = c->len > 2 ? c->len - 2 : 0;
		if (c->len >= HEAD_MAX)
			return -1;
		ssize_t r = recv(c->fd, c->buf + c->len, HEAD_MAX - c->len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		c->len += (size_t)r;
	}
}

/* Sleep in slices so SIGTERM is not held up by a long X-Test-Delay-Ms. */
static void sleep_ms(long ms)
{
	while (ms > 0 && !atomic_load(&g_stop)) {
		long slice = ms > 50 ? 50 : ms;
		struct timespec ts = {0, slice * 1000000L};
		nanosleep(&ts, NULL);
		ms -= slice;
	}
}

/* ------------------------------------------------------------------ */
/* request parsing                                                     */

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* Splits "METHOD SP target SP HTTP/1.x" in place.  Returns 0, or the
 * status to answer with. */
static int parse_request_line(char *line, struct request *rq)
{
	char *sp1 = strchr(line, ' ');
	if (!sp1)
		return 400;
	*sp1 = '\0';
	char *target = sp1 + 1;
	char *sp2 = strchr(target, ' ');
	if (!sp2)
		return 400;
	*sp2 = '\0';
	char *version = sp2 + 1;
	rq->method = line;
	rq->target = target;
	if (!*line || !*target || strchr(version, ' '))
		return 400;
	if (strcmp(version, "HTTP/1.1") == 0)
		rq->minor = 1;
	else if (strcmp(version, "HTTP/1.0") == 0)
		rq->minor = 0;
	else if (strncmp(version, "HTTP/", 5) == 0)
		return 505;
	else
		return 400;
	return 0;
}

/* Steps through a comma-separated header list: returns the next element
 * (blanks around it trimmed, *n its length) and moves *p past it, or NULL
 * at the end of the list. */
static const char *list_next(const char **p, size_t *n)
{
	const char *s = *p;
	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == ',')
		s++;
	if (!*s)
		return NULL;
	const char *end = strchr(s, ',');
	*n = end ? (size_t)(end - s) : strlen(s);
	while (*n > 0 && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	*p = end;
	return s;
}

static int has_token(const char *list, const char *token)
{
	size_t tlen = strlen(token), n;
	for (const char *t; (t = list_next(&list, &n));)
		if (n == tlen && strncasecmp(t, token, n) == 0)
			return 1;
	return 0;
}

/* Parses the head in place (lines become NUL-terminated strings inside
 * c->buf).  Returns 0, or the error status to answer with. */
static int parse_head(char *head, size_t len, struct request *rq)
{
	if (memchr(head, '\0', len))
		return 400;
	char *end = head + len;
	char *line = head;
	int first = 1;
	while (line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			break;
		*nl = '\0';
		if (nl > line && nl[-1] == '\r')
			nl[-1] = '\0';
		char *next = nl + 1;
		if (first) {
			int st = parse_request_line(line, rq);
			if (st)
				return st;
			first = 0;
		} else if (*line) {
			/* Obsolete line folding is a request-smuggling vector; real
             * servers reject it, so do we. */
			if (*line == ' ' || *line == '\t')
				return 400;
			char *colon = strchr(line, ':');
			if (!colon || colon == line || colon[-1] == ' ' || colon[-1] == '\t')
				return 400;
			*colon = '\0';
			const char *value = trim(colon + 1);
			const struct {
				const char *name;
				const char **slot;
			} known[] = {
				{"Host", &rq->host},
				{"User-Agent", &rq->user_agent},
				{"If-None-Match", &rq->if_none_match},
				{"If-Modified-Since", &rq->if_modified_since},
				{"Accept-Encoding", &rq->accept_encoding},
				{"Connection", &rq->connection},
				{"Content-Length", &rq->content_length},
				{"Transfer-Encoding", &rq->transfer_encoding},
			};
			for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
				if (strcasecmp(line, known[i].name) != 0)
					continue;
				const char **slot = known[i].slot;
				if (!*slot) /* first occurrence wins */
					*slot = value;
			}
		}
		line = next;
	}
	if (first)
		return 400;
	return 0;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Decodes %XX.  Returns 0, or the status to answer with. */
static int percent_decode(const char *in, size_t n, char *out, size_t outsz)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int ch = (unsigned char)in[i];
		if (ch == '%') {
			if (i + 2 >= n)
				return 400;
			int hi = hexval((unsigned char)in[i + 1]);
			int lo = hexval((unsigned char)in[i + 2]);
			if (hi < 0 || lo < 0)
				return 400;
			ch = hi * 16 + lo;
			i += 2;
			/* A NUL would silently truncate the file name. */
			if (ch == 0)
				return 400;
		}
		if (o + 1 >= outsz)
			return 414;
		out[o++] = (char)ch;
	}
	out[o] = '\0';
	return 0;
}

static int has_dotdot_segment(const char *path)
{
	const char *s = path;
	for (;;) {
		const char *slash = strchr(s, '/');
		size_t n = slash ? (size_t)(slash - s) : strlen(s);
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return 1;
		if (!slash)
			return 0;
		s = slash + 1;
	}
}

/* Maps a Host value to ROOT/<host> or ROOT/_default.  The host must look
 * like a host name so that "Host: ../x" cannot escape the root. */
static int pick_site(const char *host, char *out, size_t outsz)
{
	char name[256];
	size_t n = 0;
	struct stat st;

	if (host) {
		const char *end;
		if (host[0] == '[') {
			const char *rb = strchr(host, ']');
			end = rb ? rb + 1 : host + strlen(host);
		} else {
			const char *colon = strchr(host, ':');
			end = colon ? colon : host + strlen(host);
		}
		for (const char *p = host; p < end && n + 1 < sizeof name; p++) {
			char ch = *p;
			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch - 'A' + 'a');
			int ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
				 ch == '.' || ch == '-' || ch == '_' || ch == '[' || ch == ']' ||
				 ch == ':';
			if (!ok) {
				n = 0;
				break;
			}
			name[n++] = ch;
		}
		if ((size_t)(end - host) >= sizeof name)
			n = 0;
	}
	name[n] = '\0';
	if (n > 0 && name[0] != '.') {
		int w = snprintf(out, outsz, "%s/%s", g_root, name);
		if (w > 0 && (size_t)w < outsz && stat(out, &st) == 0 && S_ISDIR(st.st_mode))
			return 0;
	}
	int w = snprintf(out, outsz, "%s/_default", g_root);
	if (w > 0 && (size_t)w < outsz && stat(out, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	return -1;
}

/* ------------------------------------------------------------------ */
/* responses                                                           */

/* The head of a response, but for the blank line that ends it: every
 * header the server generates, each left out when its field says so (a
 * .hdr fixture supplies it itself, or it does not apply). */
struct head {
	const char *status_line; /* "HTTP/1.1 ..." as is, else built from status */
	int status;
	int date;                    /* Date: now */
	int server;                  /* Server: portal-audit-testserver */
	const char *content_type;    /* NULL: none */
	const time_t *last_modified; /* NULL: none */
	const char *etag;            /* NULL: none */
	long long content_length;    /* < 0: none */
	int connection;              /* < 0: none; else keep-alive (1) or close (0) */
};

static void add_head(struct sbuf *b, const struct head *h)
{
	char date[64];
	if (h->status_line)
		sb_addf(b, "%s\r\n", h->status_line);
	else
		sb_addf(b, "HTTP/1.1 %d %s\r\n", h->status, reason_phrase(h->status));
	if (h->date) {
		fmt_http_date(time(NULL), date, sizeof date);
		sb_addf(b, "Date: %s\r\n", date);
	}
	if (h->server)
		sb_addf(b, "Server: portal-audit-testserver\r\n");
	if (h->content_type)
		sb_addf(b, "Content-Type: %s\r\n", h->content_type);
	if (h->last_modified) {
		fmt_http_date(*h->last_modified, date, sizeof date);
		sb_addf(b, "Last-Modified: %s\r\n", date);
	}
	if (h->etag)
		sb_addf(b, "ETag: %s\r\n", h->etag);
	if (h->content_length >= 0)
		sb_addf(b, "Content-Length: %lld\r\n", h->content_length);
	if (h->connection >= 0)
		sb_addf(b, "Connection: %s\r\n", h->connection ? "keep-alive" : "close");
}

/* Status line, common headers and a tiny HTML body; for errors and 404. */
static int respond_simple(struct conn *c, struct request *rq, int status, const char *extra_headers)
{
	struct sbuf b = {0};
	char body[256];
	int rc = -1;
	const char *reason = reason_phrase(status);
	int blen = snprintf(body, sizeof body,
			    "<!DOCTYPE html>\n<html><head><title>%d %s</title>"
			    "</head><body><h1>%d %s</h1></body></html>\n",
			    status, reason, status, reason);
	if (blen < 0 || (size_t)blen >= sizeof body)
		goto out;
	add_head(&b, &(struct head){.status = status,
				    .date = 1,
				    .server = 1,
				    .content_type = "text/html; charset=utf-8",
				    .content_length = blen,
				    .connection = rq->keep_alive});
	sb_addf(&b, "%s\r\n", extra_headers ? extra_headers : "");
	if (!rq->is_head)
		sb_add(&b, body, (size_t)blen);
	if (b.failed)
		goto out;
	rq->status = status;
	log_request(c, rq);
	rc = send_all(c->fd, b.p, b.len);
out:
	free(b.p);
	return rc;
}

/* Opens a fixture only if it is a regular file; O_NONBLOCK keeps a FIFO
 * left in a fixture tree from blocking the thread. */
static int open_regular(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends bytes [0, size) of fd; fails if the file shrank meanwhile, since
 * the Content-Length already promised that many bytes. */
static int send_file_range(int sock, int fd, off_t size)
{
	char chunk[IO_CHUNK];
	off_t off = 0;
	while (off < size) {
		size_t want =
			(size - off) > (off_t)sizeof chunk ? sizeof chunk : (size_t)(size - off);
		ssize_t r = pread(fd, chunk, want, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		if (send_all(sock, chunk, (size_t)r) != 0)
			return -1;
		off += r;
	}
	return 0;
}

/* The .raw convention: the file is the whole response.  Its status code
 * (if it starts like a status line) goes to the log. */
static int respond_raw(struct conn *c, struct request *rq, int fd, const struct stat *st)
{
	char first[16];
	ssize_t r = pread(fd, first, sizeof first - 1, 0);
	rq->status = 0;
	if (r >= 12) {
		first[r] = '\0';
		const char *sp = strchr(first, ' ');
		int code;
		if (strncmp(first, "HTTP/", 5) == 0 && sp && sp + 4 <= first + r &&
		    parse_digits(sp + 1, 3, &code) == 0)
			rq->status = code;
	}
	log_request(c, rq);
	return send_file_range(c->fd, fd, st->st_size);
}

static int read_small_file(int fd, const struct stat *st, char **out)
{
	if (st->st_size > HDR_FILE_MAX)
		return -1;
	size_t size = (size_t)st->st_size;
	char *text = malloc(size + 1);
	if (!text)
		return -1;
	size_t got = 0;
	while (got < size) {
		ssize_t r = pread(fd, text + got, size - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	text[got] = '\0';
	*out = text;
	return 0;
}

/* Parses a .hdr fixture.  Errors go to spec->error; the request is then
 * answered 500 so a broken fixture fails the test loudly. */
static void parse_hdr(char *text, struct hdr_spec *spec)
{
	struct sbuf extra = {0};
	char *line = text;

	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *next = nl ? nl + 1 : NULL;
		char *l = trim(line);
		line = next;
		if (!*l || *l == '#')
			continue;
		char *colon = strchr(l, ':');
		if (!colon || colon == l) {
			snprintf(spec->error, sizeof spec->error,
				 "header line without a name: %.60s", l);
			break;
		}
		*colon = '\0';
		char *name = trim(l);
		char *value = trim(colon + 1);
		if (strcasecmp(name, "Status") == 0) {
			int code;
			if (parse_digits(value, 3, &code) != 0 || code < 100 || code > 599 ||
			    (value[3] != '\0' && value[3] != ' ')) {
				snprintf(spec->error, sizeof spec->error, "bad Status: %.60s",
					 value);
				break;
			}
			spec->status = code;
			const char *reason = value[3] ? trim(value + 4) : "";
			snprintf(spec->status_line, sizeof spec->status_line, "HTTP/1.1 %d %s",
				 code, *reason ? reason : reason_phrase(code));
			continue;
		}
		if (strcasecmp(name, "X-Test-Delay-Ms") == 0) {
			if (parse_long(value, 0, MAX_DELAY_MS, &spec->delay_ms) != 0) {
				snprintf(spec->error, sizeof spec->error,
					 "bad X-Test-Delay-Ms: %.60s", value);
				break;
			}
			continue;
		}
		if (strcasecmp(name, "X-Test-Body-Repeat") == 0) {
			if (parse_long(value, 0, MAX_REPEAT, &spec->repeat) != 0) {
				snprintf(spec->error, sizeof spec->error,
					 "bad X-Test-Body-Repeat: %.60s", value);
				break;
			}
			continue;
		}
		/* Headers the server would otherwise generate itself: the fixture
         * wins, so note which ones it supplies. */
		if (strcasecmp(name, "Content-Type") == 0)
			spec->has_ctype = 1;
		else if (strcasecmp(name, "Content-Length") == 0)
			spec->has_clen = 1;
		else if (strcasecmp(name, "Date") == 0)
			spec->has_date = 1;
		else if (strcasecmp(name, "Server") == 0)
			spec->has_server = 1;
		else if (strcasecmp(name, "Connection") == 0) {
			spec->has_connection = 1;
			spec->conn_close = has_token(value, "close");
		} else if (strcasecmp(name, "ETag") == 0) {
			spec->has_etag = 1;
			snprintf(spec->etag, sizeof spec->etag, "%s", value);
		} else if (strcasecmp(name, "Last-Modified") == 0) {
			spec->has_lastmod = 1;
			spec->lastmod_ok = parse_http_date(value, &spec->lastmod) == 0;
		}
		sb_addf(&extra, "%s: %s\r\n", name, value);
	}
	if (extra.failed && !spec->error[0])
		snprintf(spec->error, sizeof spec->error, "out of memory");
	spec->extra = extra.p;
	spec->extra_len = extra.len;
}

/* True if any entity tag in an If-None-Match list matches (weak
 * comparison, as RFC 9110 prescribes for If-None-Match). */
static int etag_matches(const char *list, const char *etag)
{
	if (strncmp(etag, "W/", 2) == 0)
		etag += 2;
	size_t elen = strlen(etag), n;
	for (const char *tag; (tag = list_next(&list, &n));) {
		if (n == 1 && tag[0] == '*')
			return 1;
		if (n >= 2 && strncmp(tag, "W/", 2) == 0) {
			tag += 2;
			n -= 2;
		}
		if (n == elen && n > 0 && memcmp(tag, etag, n) == 0)
			return 1;
	}
	return 0;
}

/* Steps 2-4 of the lookup: .hdr and/or the plain file, else 404. */
static int respond_file(struct conn *c, struct request *rq, const char *fs_path,
			const char *hdr_path)
{
	struct hdr_spec spec;
	struct stat st, hst;
	struct sbuf b = {0};
	char *hdr_text = NULL;
	int body_fd = -1;
	int hdr_fd = -1;
	int rc = -1;

	memset(&spec, 0, sizeof spec);
	spec.repeat = 1;

	hdr_fd = open_regular(hdr_path, &hst);
	if (hdr_fd >= 0) {
		spec.present = 1;
		if (read_small_file(hdr_fd, &hst, &hdr_text) != 0)
			snprintf(spec.error, sizeof spec.error, ".hdr file too big");
		else
			parse_hdr(hdr_text, &spec);
	}
	body_fd = open_regular(fs_path, &st);

	if (spec.error[0]) {
		fprintf(stderr, "testserver: %s: %s\n", hdr_path, spec.error);
		rq->keep_alive = 0;
		rc = respond_simple(c, rq, 500, NULL);
		goto out;
	}
	if (!spec.present && body_fd < 0) {
		rc = respond_simple(c, rq, 404, NULL);
		goto out;
	}

	sleep_ms(spec.delay_ms);
	/* Shutting down cut the delay short: don't log an answer that the
     * already shut-down socket can no longer deliver. */
	if (atomic_load(&g_stop))
		goto out;

	int status = spec.status ? spec.status : 200;
	char etag[64];
	const char *etag_val = NULL;
	time_t lastmod = 0;
	int lastmod_ok = 0;
	if (spec.has_etag) {
		etag_val = spec.etag;
	} else if (body_fd >= 0) {
		snprintf(etag, sizeof etag, "\"%lld-%lld\"", (long long)st.st_size,
			 (long long)st.st_mtime);
		etag_val = etag;
	}
	if (spec.has_lastmod) {
		lastmod_ok = spec.lastmod_ok;
		lastmod = spec.lastmod;
	} else if (body_fd >= 0) {
		lastmod_ok = 1;
		lastmod = st.st_mtime;
	}

	/* Conditional GET; If-None-Match takes precedence (RFC 9110 13.2.2). */
	if (status == 200) {
		time_t ims;
		if (rq->if_none_match) {
			if (etag_val && etag_matches(rq->if_none_match, etag_val))
				status = 304;
		} else if (rq->if_modified_since && lastmod_ok &&
			   parse_http_date(rq->if_modified_since, &ims) == 0 && lastmod <= ims) {
			status = 304;
		}
	}

	int no_body = status < 200 || status == 204 || status == 304;
	off_t fsize = body_fd >= 0 ? st.st_size : 0;
	if (fsize > 0 && spec.repeat > LLONG_MAX / (long long)fsize) {
		fprintf(stderr, "testserver: %s: body size overflows\n", hdr_path);
		rq->keep_alive = 0;
		rc = respond_simple(c, rq, 500, NULL);
		goto out;
	}
	long long body_len = (long long)fsize * spec.repeat;
	/* A fixture that sets Content-Length or Connection: close controls
     * framing itself; we cannot reuse the connection safely after it. */
	if (spec.has_clen || spec.conn_close)
		rq->keep_alive = 0;

	add_head(&b, &(struct head){
			     .status_line = spec.status && status != 304 ? spec.status_line : NULL,
			     .status = status,
			     .date = !spec.has_date,
			     .server = !spec.has_server,
			     .content_type = status != 304 && !spec.has_ctype
						     ? content_type_for(fs_path)
						     : NULL,
			     .last_modified = lastmod_ok && !spec.has_lastmod ? &lastmod : NULL,
			     .etag = !spec.has_etag ? etag_val : NULL,
			     .content_length = !no_body && !spec.has_clen ? body_len : -1,
			     .connection = spec.has_connection ? -1 : rq->keep_alive});
	if (spec.extra)
		sb_add(&b, spec.extra, spec.extra_len);
	sb_add(&b, "\r\n", 2);
	if (b.failed)
		goto out;

	rq->status = status;
	log_request(c, rq);
	if (send_all(c->fd, b.p, b.len) != 0)
		goto out;
	if (!rq->is_head && !no_body && body_fd >= 0) {
		for (long i = 0; i < spec.repeat; i++) {
			if (send_file_range(c->fd, body_fd, fsize) != 0)
				goto out;
		}
	}
	rc = 0;
out:
	if (body_fd >= 0)
		close(body_fd);
	if (hdr_fd >= 0)
		close(hdr_fd);
	free(hdr_text);
	free(spec.extra);
	free(b.p);
	return rc;
}

/* Handles one request whose head is c->buf[0, head_len).  Returns 1 if
 * the connection may be reused, 0 if it must be closed. */
static int handle_request(struct conn *c, size_t head_len)
{
	struct request rq;
	char dpath[PATH_BUF];
	char site[PATH_BUF];
	char fs_path[PATH_BUF];
	char alt_path[PATH_BUF + 8]; /* fs_path plus ".raw" or ".hdr" */
	int rc = -1;

	memset(&rq, 0, sizeof rq);
	rq.t_ms = now_ms();

	int st = parse_head(c->buf, head_len, &rq);
	if (st) {
		rq.keep_alive = 0;
		respond_simple(c, &rq, st, NULL);
		goto out;
	}
	rq.is_head = strcmp(rq.method, "HEAD") == 0;
	if (rq.minor >= 1)
		rq.keep_alive = !(rq.connection && has_token(rq.connection, "close"));
	else
		rq.keep_alive = rq.connection && has_token(rq.connection, "keep-alive");
	/* We never read request bodies; rather than parse them to find the
     * next request, answer and close. */
	if (rq.transfer_encoding || (rq.content_length && strcmp(rq.content_length, "0") != 0))
		rq.keep_alive = 0;
	if (atomic_load(&g_stop))
		rq.keep_alive = 0;

	if (!rq.is_head && strcmp(rq.method, "GET") != 0) {
		rq.keep_alive = 0;
		respond_simple(c, &rq, 405, "Allow: GET, HEAD\r\n");
		goto out;
	}

	/* Absolute-form targets name the site themselves. */
	const char *target = rq.target;
	const char *site_host = rq.host;
	char authority[256];
	if (strncasecmp(target, "http://", 7) == 0 || strncasecmp(target, "https://", 8) == 0) {
		const char *a = strstr(target, "//") + 2;
		const char *slash = strchr(a, '/');
		size_t n = slash ? (size_t)(slash - a) : strlen(a);
		if (n >= sizeof authority) {
			rq.keep_alive = 0;
			respond_simple(c, &rq, 400, NULL);
			goto out;
		}
		memcpy(authority, a, n);
		authority[n] = '\0';
		site_host = authority;
		target = slash ? slash : "/";
	}
	if (target[0] != '/') {
		rq.keep_alive = 0;
		respond_simple(c, &rq, 400, NULL);
		goto out;
	}
	/* The query string is logged (as part of TARGET) but not looked up. */
	size_t plen = strcspn(target, "?#");
	st = percent_decode(target, plen, dpath, sizeof dpath - 16);
	if (!st && has_dotdot_segment(dpath))
		st = 400;
	if (st) {
		rq.keep_alive = 0;
		respond_simple(c, &rq, st, NULL);
		goto out;
	}
	size_t dlen = strlen(dpath);
	if (dpath[dlen - 1] == '/')
		memcpy(dpath + dlen, "index.html", sizeof "index.html");

	if (pick_site(site_host, site, sizeof site) != 0) {
		if (respond_simple(c, &rq, 404, NULL) == 0)
			rc = 0;
		goto out;
	}
	int w = snprintf(fs_path, sizeof fs_path, "%s%s", site, dpath);
	if (w < 0 || (size_t)w >= sizeof fs_path) {
		rq.keep_alive = 0;
		respond_simple(c, &rq, 414, NULL);
		goto out;
	}

	/* 1. ROOT/site/P.raw: scripted response, then close. */
	struct stat rst;
	snprintf(alt_path, sizeof alt_path, "%s.raw", fs_path);
	int raw_fd = open_regular(alt_path, &rst);
	if (raw_fd >= 0) {
		rq.keep_alive = 0;
		respond_raw(c, &rq, raw_fd, &rst);
		close(raw_fd);
		goto out;
	}

	/* 2.-4. .hdr, plain file, 404 (or the host's _any). */
	snprintf(alt_path, sizeof alt_path, "%s.hdr", fs_path);
	{
		struct stat fst;
		int fd = open_regular(fs_path, &fst), hfd = open_regular(alt_path, &fst);

		if (fd >= 0)
			close(fd);
		if (hfd >= 0)
			close(hfd);
		if (fd < 0 && hfd < 0 &&
		    strlen(site) + sizeof "/_any.html.hdr" <= sizeof alt_path &&
		    strlen(site) + sizeof "/_any.html" <= sizeof fs_path) {
			memcpy(fs_path, site, strlen(site));
			memcpy(fs_path + strlen(site), "/_any.html", sizeof "/_any.html");
			memcpy(alt_path, site, strlen(site));
			memcpy(alt_path + strlen(site), "/_any.html.hdr", sizeof "/_any.html.hdr");
		}
	}
	if (respond_file(c, &rq, fs_path, alt_path) == 0)
		rc = 0;
out:
	if (rc != 0)
		return 0;
	return rq.keep_alive;
}

/* ------------------------------------------------------------------ */
/* connections                                                         */

static void unregister_conn(struct conn *c)
{
	pthread_mutex_lock(&g_conns_lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		g_conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&g_conns_lock);

	/* Unlinked before close so shutdown() in main can never hit a
     * recycled descriptor. */
	linger_close(c->fd);
	free(c);

	pthread_mutex_lock(&g_conns_lock);
	g_nconns--;
	pthread_cond_broadcast(&g_conns_cv);
	pthread_mutex_unlock(&g_conns_lock);
}

static void *conn_thread(void *arg)
{
	struct conn *c = arg;
	for (;;) {
		long head_len = read_head(c);
		if (head_len == 0)
			break;
		if (head_len < 0) {
			struct request rq;
			memset(&rq, 0, sizeof rq);
			rq.t_ms = now_ms();
			/* Log what we can of the request line for the test's sake. */
			char *nl = memchr(c->buf, '\n', c->len);
			if (nl) {
				*nl = '\0';
				if (nl > c->buf && nl[-1] == '\r')
					nl[-1] = '\0';
				if (parse_request_line(c->buf, &rq) != 0) {
					rq.method = NULL;
					rq.target = NULL;
				}
			}
			respond_simple(c, &rq, 431, NULL);
			break;
		}
		int keep = handle_request(c, (size_t)head_len);
		/* Pipelined bytes after this head belong to the next request. */
		memmove(c->buf, c->buf + head_len, c->len - (size_t)head_len);
		c->len -= (size_t)head_len;
		if (!keep || atomic_load(&g_stop))
			break;
	}
	unregister_conn(c);
	return NULL;
}

static void accept_one(int lfd)
{
	struct sockaddr_in peer, local;
	socklen_t plen = sizeof peer, llen = sizeof local;
	pthread_attr_t attr;
	pthread_t tid;
	sigset_t block, old;

	int fd = accept(lfd, (struct sockaddr *)&peer, &plen);
	if (fd < 0) {
		if (errno != EINTR && errno != ECONNABORTED && errno != EAGAIN) {
			perror("testserver: accept");
			/* EMFILE and friends: back off instead of spinning. */
			sleep_ms(100);
		}
		return;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	struct conn *c = malloc(sizeof *c);
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->len = 0;
	c->prev = NULL;
	format_sockaddr(&peer, c->peer, sizeof c->peer);
	if (getsockname(fd, (struct sockaddr *)&local, &llen) == 0)
		format_sockaddr(&local, c->local, sizeof c->local);
	else
		c->local[0] = '\0';
	struct timeval tv = {IO_TIMEOUT_S, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);

	/* Logged here, before anything is read, so a test can tell "never
     * connected" from "connected but sent nothing". */
	log_connect(c);

	pthread_mutex_lock(&g_conns_lock);
	c->next = g_conns;
	if (g_conns)
		g_conns->prev = c;
	g_conns = c;
	g_nconns++;
	pthread_mutex_unlock(&g_conns_lock);

	/* Workers block SIGINT/SIGTERM so the signals always reach the main
     * thread's poll() instead of interrupting a worker's recv(). */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	int err = pthread_create(&tid, &attr, conn_thread, c);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0) {
		fprintf(stderr, "testserver: pthread_create: %s\n", strerror(err));
		unregister_conn(c);
	}
}

/* ------------------------------------------------------------------ */
/* startup and shutdown                                                */

static void on_signal(int sig)
{
	int saved = errno;
	(void)sig;
	atomic_store(&g_stop, 1);
	/* Self-pipe: wakes poll() even if the signal lands just before it. */
	if (write(g_wake_pipe[1], "x", 1) < 0) {
		/* pipe full: poll() will wake anyway */
	}
	errno = saved;
}

/* Write to a temp file and rename, so a test polling for the file never
 * sees it empty or half-written. */
static int write_file_atomic(const char *path, const char *text)
{
	char tmp[PATH_BUF];
	int fd = -1;
	int rc = -1;
	size_t len = strlen(text);
	int w = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	if (w < 0 || (size_t)w >= sizeof tmp)
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto out;
	const char *p = text;
	while (len > 0) {
		ssize_t r = write(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			goto out;
		p += r;
		len -= (size_t)r;
	}
	if (close(fd) != 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto out;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0) {
		fprintf(stderr, "testserver: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
	}
	return rc;
}

static void usage(FILE *f)
{
	fputs("usage: testserver --root DIR [--addr 127.x.y.z] [--port N]\n"
	      "                  [--port-file FILE] [--log FILE] "
	      "[--pid-file FILE]\n",
	      f);
}

int main(int argc, char **argv)
{
	const char *addr = "127.0.0.1";
	const char *port_file = NULL;
	const char *log_file = NULL;
	const char *pid_file = NULL;
	long port = 0;
	int lfd = -1;
	int rc = 2;
	struct in_addr ina;
	struct stat st;
	struct sockaddr_in sa;
	socklen_t salen = sizeof sa;
	struct sigaction act;
	char text[64];

	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		if (strcmp(opt, "-h") == 0 || strcmp(opt, "--help") == 0) {
			usage(stdout);
			rc = 0;
			goto out;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "testserver: %s needs a value\n", opt);
			usage(stderr);
			goto out;
		}
		const char *val = argv[++i];
		if (strcmp(opt, "--root") == 0)
			g_root = val;
		else if (strcmp(opt, "--addr") == 0)
			addr = val;
		else if (strcmp(opt, "--port-file") == 0)
			port_file = val;
		else if (strcmp(opt, "--log") == 0)
			log_file = val;
		else if (strcmp(opt, "--pid-file") == 0)
			pid_file = val;
		else if (strcmp(opt, "--port") == 0) {
			if (parse_long(val, 0, 65535, &port) != 0) {
				fprintf(stderr, "testserver: bad --port %s\n", val);
				goto out;
			}
		} else {
			fprintf(stderr, "testserver: unknown option %s\n", opt);
			usage(stderr);
			goto out;
		}
	}
	if (!g_root) {
		fprintf(stderr, "testserver: --root is required\n");
		usage(stderr);
		goto out;
	}
	/* Checked before any socket exists: a test server must never be
     * reachable from outside the machine. */
	if (inet_pton(AF_INET, addr, &ina) != 1) {
		fprintf(stderr, "testserver: --addr %s is not an IPv4 address\n", addr);
		goto out;
	}
	if ((ntohl(ina.s_addr) >> 24) != 127) {
		fprintf(stderr, "testserver: refusing --addr %s: only 127.0.0.0/8 allowed\n", addr);
		goto out;
	}
	if (stat(g_root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "testserver: --root %s is not a directory\n", g_root);
		goto out;
	}

	rc = 1;
	if (log_file) {
		g_log_fd = open(log_file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (g_log_fd < 0) {
			fprintf(stderr, "testserver: cannot open log %s: %s\n", log_file,
				strerror(errno));
			goto out;
		}
	}
	if (pipe(g_wake_pipe) != 0) {
		perror("testserver: pipe");
		goto out;
	}
	for (int i = 0; i < 2; i++)
		fcntl(g_wake_pipe[i], F_SETFD, FD_CLOEXEC);
	fcntl(g_wake_pipe[1], F_SETFL, O_NONBLOCK);

	memset(&act, 0, sizeof act);
	act.sa_handler = on_signal;
	sigemptyset(&act.sa_mask);
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	act.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &act, NULL);

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0) {
		perror("testserver: socket");
		goto out;
	}
	fcntl(lfd, F_SETFD, FD_CLOEXEC);
	int one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr = ina;
	sa.sin_port = htons((uint16_t)port);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		fprintf(stderr, "testserver: bind %s:%ld: %s\n", addr, port, strerror(errno));
		goto out;
	}
	if (listen(lfd, 128) != 0) {
		perror("testserver: listen");
		goto out;
	}
	if (getsockname(lfd, (struct sockaddr *)&sa, &salen) != 0) {
		perror("testserver: getsockname");
		goto out;
	}
	unsigned bound_port = ntohs(sa.sin_port);

	if (pid_file) {
		snprintf(text, sizeof text, "%ld\n", (long)getpid());
		if (write_file_atomic(pid_file, text) != 0)
			goto out;
	}
	/* The port file comes last: once it exists the server is ready. */
	snprintf(text, sizeof text, "%u\n", bound_port);
	if (port_file && write_file_atomic(port_file, text) != 0)
		goto out;
	fputs(text, stdout);
	fflush(stdout);

	while (!atomic_load(&g_stop)) {
		struct pollfd pfd[2] = {
			{.fd = lfd, .events = POLLIN},
			{.fd = g_wake_pipe[0], .events = POLLIN},
		};
		int n = poll(pfd, 2, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("testserver: poll");
			goto out;
		}
		if (pfd[0].revents & POLLIN)
			accept_one(lfd);
	}
	rc = 0;

out:
	if (lfd >= 0)
		close(lfd);
	/* Wake every connection thread (recv returns 0 after shutdown) and
     * give them a moment to finish, so the process exits with no
     * half-written responses and nothing for LeakSanitizer to report. */
	pthread_mutex_lock(&g_conns_lock);
	for (struct conn *c = g_conns; c; c = c->next)
		shutdown(c->fd, SHUT_RDWR);
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 3;
	while (g_nconns > 0) {
		if (pthread_cond_timedwait(&g_conns_cv, &g_conns_lock, &deadline) == ETIMEDOUT)
			break;
	}
	size_t left = g_nconns;
	pthread_mutex_unlock(&g_conns_lock);
	/* Threads still running may yet log; leave their fd open then. */
	if (g_log_fd >= 0 && left == 0)
		close(g_log_fd);
	for (int i = 0; i < 2; i++) {
		if (g_wake_pipe[i] >= 0)
			close(g_wake_pipe[i]);
	}
	return rc;
}
