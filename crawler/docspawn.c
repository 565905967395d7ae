#include "crawler/docspawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/doc.h"
#include "core/log.h"
#include "core/norm.h"
#include "core/str.h"

extern char **environ;

#ifndef PA_LIBEXEC_REL
#define PA_LIBEXEC_REL "../libexec/portal-audit"
#endif
/* Room for the header lines above the text. */
#define HEADER_MAX 4096

static const char *const statuses[] = {DOC_OK,      DOC_NO_TEXT, DOC_TOO_LARGE,  DOC_TIMEOUT,
				       DOC_CORRUPT, DOC_LIMIT,   DOC_UNSUPPORTED};
static const char *const types[] = {DOC_TYPE_PDF, DOC_TYPE_DOCX, DOC_TYPE_XLSX, DOC_TYPE_DOC,
				    DOC_TYPE_XLS};

/* The static copy of s from v, or NULL: the child's words are not kept. */
static const char *known(const char *const *v, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(v[i]) == len && memcmp(v[i], s, len) == 0)
			return v[i];
	return NULL;
}

#define KNOWN(v, s, n) known(v, sizeof(v) / sizeof(v[0]), s, n)

/* Sets one header field from a "key value" line. */
static status header_line(struct page *p, const char *line, size_t n, const char **doc_status)
{
	const char *sp = memchr(line, ' ', n), *v;
	char *val = NULL;
	size_t k, vn;
	long pages;
	status st = ST_OK;

	if (!sp)
		return ST_OK;
	k = (size_t)(sp - line);
	v = sp + 1;
	vn = n - k - 1;
	if (k == 6 && memcmp(line, "status", 6) == 0) {
		*doc_status = KNOWN(statuses, v, vn);
		return ST_OK;
	}
	if (k == 4 && memcmp(line, "type", 4) == 0) {
		const char *t = KNOWN(types, v, vn);

		return t ? page_set(&p->content_type, t) : ST_OK;
	}
	if (!(val = str_ndup(v, vn)))
		return status_set(ST_NOMEM, "out of memory reading a document's text");
	if (k == 5 && memcmp(line, "pages", 5) == 0) {
		if (str_to_long(val, 0, 1000000000L, &pages) == ST_OK)
			st = page_add_meta(p, "doc:pages", val);
	} else if (k == 5 && memcmp(line, "title", 5) == 0) {
		char *t = NULL;

		st = norm_valid_utf8(val, vn, &t);
		if (st == ST_OK && *t) {
			free(p->title);
			p->title = t;
			t = NULL;
		}
		free(t);
	}
	free(val);
	return st;
}

status docspawn_parse(struct page *p, const char *out, size_t len)
{
	const char *end = out + len, *line = out, *nl, *doc_status = NULL;
	char *text = NULL;
	status st = ST_OK;

	while (st == ST_OK && line < end && *line != '\n') {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			return status_set(ST_PARSE, "document text: header without its end");
		st = header_line(p, line, (size_t)(nl - line), &doc_status);
		line = nl + 1;
	}
	if (st < 0)
		return st;
	if (line >= end || !doc_status)
		return status_set(ST_PARSE, "document text: no status or no header end");
	line++;
	st = norm_valid_utf8(line, (size_t)(end - line), &text);
	if (st == ST_OK)
		st = page_set(&p->main_text, text);
	if (st == ST_OK) {
		free(p->text);
		p->text = text;
		text = NULL;
		st = page_add_meta(p, "doc:status", doc_status);
	}
	free(text);
	return st;
}

static char helper_path[PATH_MAX];
static pthread_once_t helper_once = PTHREAD_ONCE_INIT;

/* Set once, before any thread reads helper_path. */
static void find_helper(void)
{
	const char *env = getenv("PORTAL_AUDIT_EXTRACT");
	char self[PATH_MAX], *slash;
	ssize_t n;

	if (env && *env) {
		snprintf(helper_path, sizeof(helper_path), "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0 || (slash = strrchr((self[n] = '\0', self), '/')) == NULL) {
		snprintf(helper_path, sizeof(helper_path), "%s", DOCSPAWN_HELPER_NAME);
		return;
	}
	*slash = '\0';
	/* Beside the program (the build tree), else the installed libexec
	 * directory relative to the program's own directory. */
	snprintf(helper_path, sizeof(helper_path), "%.3000s/%s", self, DOCSPAWN_HELPER_NAME);
	if (access(helper_path, X_OK) == 0)
		return;
	snprintf(helper_path, sizeof(helper_path), "%.3000s/%s/%s", self, PA_LIBEXEC_REL,
		 DOCSPAWN_HELPER_NAME);
}

const char *docspawn_helper(void)
{
	pthread_once(&helper_once, find_helper);
	return helper_path;
}

/* Documents one child serves before it is replaced, so that a leak or
 * fragmentation in the libraries never adds up. */
#define SERVE_MAX 500

struct docspawn {
	struct docspawn_options o;
	pid_t pid; /* 0: no child running */
	int fd;    /* our end of the socket pair */
	int served;
};

status docspawn_new(struct docspawn **out, const struct docspawn_options *o)
{
	struct docspawn_options dflt = DOCSPAWN_OPTIONS_INIT;

	*out = calloc(1, sizeof(**out));
	if (!*out)
		return status_set(ST_NOMEM, "out of memory starting a document reader");
	(*out)->o = o ? *o : dflt;
	(*out)->fd = -1;
	return ST_OK;
}

/* Ends the child and returns its wait status: killed at once when
 * force, else given a second to exit on the end of its input (or to
 * finish dying of its own signal), then killed. */
static int stop_child(struct docspawn *ds, bool force)
{
	int64_t until = clock_ms() + 1000;
	int ws = 0;
	pid_t r;

	if (!ds->pid)
		return 0;
	if (force)
		kill(ds->pid, SIGKILL);
	close(ds->fd);
	ds->fd = -1;
	while (((r = waitpid(ds->pid, &ws, force ? 0 : WNOHANG)) == 0 && clock_ms() < until) ||
	       (r < 0 && errno == EINTR)) {
		struct timespec ts = {0, 5000000};

		if (r == 0)
			nanosleep(&ts, NULL);
	}
	if (r == 0) {
		kill(ds->pid, SIGKILL);
		while (waitpid(ds->pid, &ws, 0) < 0 && errno == EINTR)
			;
	}
	ds->pid = 0;
	ds->served = 0;
	return ws;
}

void docspawn_free(struct docspawn *ds)
{
	if (!ds)
		return;
	stop_child(ds, false);
	free(ds);
}

/* Starts the child on one end of a socket pair (its standard input and
 * output); a socket, not pipes, so that writing to a dead child is EPIPE
 * with MSG_NOSIGNAL rather than SIGPIPE.  False on failure (errno set). */
static bool start_child(struct docspawn *ds)
{
	const char *helper = ds->o.helper ? ds->o.helper : docspawn_helper();
	char maxtext[24], cpu[24], mem[24];
	char *argv[] = {(char *)helper, maxtext, cpu, mem, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dflt;
	int sv[2], rc;

	snprintf(maxtext, sizeof(maxtext), "%zu", ds->o.max_text);
	snprintf(cpu, sizeof(cpu), "%ld", ds->o.cpu_s);
	snprintf(mem, sizeof(mem), "%ld", ds->o.mem_mb);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return false;
	/* Descriptors other threads open meanwhile (curl's sockets) must not
	 * leak into the child: closefrom after the three it needs. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	/* Default signals, none blocked, and a process group of its own, so
	 * Ctrl-C stops the crawl, which then ends the child. */
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGINT);
	sigaddset(&dflt, SIGTERM);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dflt);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
					      POSIX_SPAWN_SETPGROUP);
	rc = posix_spawn(&ds->pid, helper, &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		ds->pid = 0;
		errno = rc;
		return false;
	}
	ds->fd = sv[0];
	fcntl(ds->fd, F_SETFL, fcntl(ds->fd, F_GETFL) | O_NONBLOCK);
	return true;
}

/* Waits until fd is ready for events or the deadline passes. */
static bool wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - clock_ms();
		struct pollfd pf = {fd, events, 0};
		int pr;

		if (left <= 0)
			return false;
		pr = poll(&pf, 1, (int)left);
		if (pr > 0)
			return true;
		if (pr == 0 || errno != EINTR)
			return false;
	}
}

enum io { IO_OK, IO_TIMEOUT, IO_DEAD, IO_OVER, IO_BAD };

/* Sends the request: "LEN URL\n" and the body. */
static enum io send_request(int fd, const char *url, const char *body, size_t len, int64_t deadline)
{
	char head[2600];
	size_t hn, off = 0, total;

	hn = (size_t)snprintf(head, sizeof(head), "%zu %.2500s\n", len, url ? url : "");
	/* The URL only breaks the DOC/XLS tie: no newline may reach the child. */
	for (size_t i = 0; i + 1 < hn; i++)
		if (head[i] == '\n' || head[i] == '\r')
			head[i] = ' ';
	total = hn + len;
	while (off < total) {
		const char *p = off < hn ? head + off : body + (off - hn);
		size_t n = off < hn ? hn - off : total - off;
		ssize_t w;

		if (!wait_fd(fd, POLLOUT, deadline))
			return IO_TIMEOUT;
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w <= 0)
			return IO_DEAD;
		off += (size_t)w;
	}
	return IO_OK;
}

/* Reads one answer (its length line, then that many bytes) into out. */
static enum io read_answer(int fd, struct buf *out, size_t cap, int64_t deadline)
{
	char chunk[16384];
	size_t want = 0, head = 0;

	for (;;) {
		ssize_t n;

		if (head && out->len >= head + want)
			return IO_OK;
		if (!wait_fd(fd, POLLIN, deadline))
			return IO_TIMEOUT;
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return IO_DEAD;
		if (buf_add(out, chunk, (size_t)n) < 0)
			return IO_OVER; /* more than the child may write */
		if (!head) {
			const char *nl = memchr(out->ptr, '\n', out->len);
			long v;
			char num[24];

			if (!nl && out->len > 20)
				return IO_BAD;
			if (!nl)
				continue;
			head = (size_t)(nl - out->ptr) + 1;
			if (head > sizeof(num))
				return IO_BAD;
			memcpy(num, out->ptr, head - 1);
			num[head - 1] = '\0';
			if (str_to_long(num, 0, LONG_MAX, &v) < 0)
				return IO_BAD;
			if ((size_t)v > cap)
				return IO_OVER;
			want = (size_t)v;
		}
	}
}

/* Why a child that gave no answer ended.  Allocation failures under
 * RLIMIT_AS end in abort() (C++ new, g_malloc); RLIMIT_CPU sends SIGXCPU. */
static const char *death_reason(int ws)
{
	if (WIFSIGNALED(ws)) {
		int sig = WTERMSIG(ws);

		if (sig == SIGXCPU || sig == SIGKILL || sig == SIGABRT || sig == SIGTRAP)
			return DOC_LIMIT;
	}
	return DOC_CORRUPT;
}

static status set_status(struct page *p, const char *doc_status)
{
	status st = page_set(&p->text, "");

	if (st == ST_OK)
		st = page_set(&p->main_text, "");
	return st == ST_OK ? page_add_meta(p, "doc:status", doc_status) : st;
}

/* Runs one document through the child and reads its answer into p. */
static status run_child(struct docspawn *ds, struct page *p, const char *body, size_t len)
{
	struct buf out = BUF_INIT(ds->o.max_text + HEADER_MAX + 32);
	int64_t deadline = clock_ms() + ds->o.timeout_ms;
	const char *nl;
	enum io io;
	status st;

	if (!ds->pid && !start_child(ds)) {
		log_warn("%s: cannot start %s: %s", p->url ? p->url : "",
			 ds->o.helper ? ds->o.helper : docspawn_helper(), strerror(errno));
		return set_status(p, DOC_LIMIT);
	}
	io = send_request(ds->fd, p->url, body, len, deadline);
	if (io == IO_OK)
		io = read_answer(ds->fd, &out, ds->o.max_text + HEADER_MAX, deadline);
	if (io == IO_TIMEOUT) {
		stop_child(ds, true);
		st = set_status(p, DOC_TIMEOUT);
	} else if (io == IO_OVER) {
		stop_child(ds, true);
		st = set_status(p, DOC_LIMIT);
	} else if (io == IO_BAD) {
		stop_child(ds, true);
		st = set_status(p, DOC_CORRUPT);
	} else if (io == IO_DEAD) {
		/* Give a dying child a moment to be reaped with its signal. */
		st = set_status(p, death_reason(stop_child(ds, false)));
	} else {
		nl = memchr(out.ptr, '\n', out.len);
		st = docspawn_parse(p, nl + 1, out.len - (size_t)(nl + 1 - out.ptr));
		if (st == ST_PARSE) {
			stop_child(ds, true); /* it talks nonsense: a fresh one next time */
			st = set_status(p, DOC_CORRUPT);
		} else if (++ds->served >= SERVE_MAX) {
			stop_child(ds, false);
		}
	}
	buf_release(&out);
	return st;
}

status docspawn_page(struct docspawn *ds, struct page *p, const char *body, size_t len)
{
	const char *type = doc_sniff(body, len, p->url);
	status st;

	if (type && strcmp(type, DOC_TYPE_PDF) != 0 && strcmp(type, DOC_TYPE_ZIP) != 0) {
		/* OLE2 (DOC, XLS): known, not read. */
		st = page_set(&p->content_type, type);
		st = st == ST_OK ? set_status(p, DOC_UNSUPPORTED) : st;
	} else if (!type) {
		st = set_status(p, DOC_UNSUPPORTED);
	} else {
		st = run_child(ds, p, body, len);
	}
	if (st == ST_OK) {
		const char *dstat = page_meta_get(p, "doc:status");

		if (dstat && strcmp(dstat, DOC_OK) != 0)
			log_info("%s: document %s", p->url ? p->url : "", dstat);
	}
	return st;
}
