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
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/doc.h"
#include "core/log.h"
#include "core/norm.h"
#include "core/str.h"

extern char **environ;

#ifndef PA_LIBEXEC_DIR
#define PA_LIBEXEC_DIR "/usr/local/libexec/portal-audit"
#endif
/* Room for the header lines above the text. */
#define HEADER_MAX 4096

static const char *const statuses[] = {DOC_OK,	    DOC_NO_TEXT, DOC_TOO_LARGE,  DOC_TIMEOUT,
				       DOC_CORRUPT, DOC_LIMIT,	 DOC_UNSUPPORTED};
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

/* The body in an unlinked in-memory file, at offset 0; -1 on failure. */
static int body_file(const char *body, size_t len)
{
	int fd = memfd_create("portal-audit-doc", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < len) {
		ssize_t w = write(fd, body + off, len - off);

		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Starts the child with the body on its standard input and its standard
 * output on *out_fd.  Returns the pid, or -1 (errno set). */
static pid_t start_child(const char *body, size_t len, const char *url,
			 const struct docspawn_options *o, int *out_fd)
{
	const char *helper = o->helper ? o->helper : docspawn_helper();
	char maxtext[24], cpu[24], mem[24];
	char *argv[] = {(char *)helper, maxtext, cpu, mem, (char *)(url ? url : ""), NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dflt;
	int in = -1, pfd[2] = {-1, -1}, rc = -1, err;
	pid_t pid = -1;

	snprintf(maxtext, sizeof(maxtext), "%zu", o->max_text);
	snprintf(cpu, sizeof(cpu), "%ld", o->cpu_s);
	snprintf(mem, sizeof(mem), "%ld", o->mem_mb);
	if ((in = body_file(body, len)) < 0 || pipe2(pfd, O_CLOEXEC) != 0)
		goto done;
	/* Descriptors other threads open meanwhile (curl's sockets) must not
	 * leak into the child: closefrom after the three it needs. */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
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
	rc = posix_spawn(&pid, helper, &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
done:
	err = rc == 0 ? 0 : (rc > 0 ? rc : errno);
	if (in >= 0)
		close(in);
	if (pfd[1] >= 0)
		close(pfd[1]);
	if (rc != 0) {
		if (pfd[0] >= 0)
			close(pfd[0]);
		errno = err;
		return -1;
	}
	*out_fd = pfd[0];
	return pid;
}

/* Reads the child's output until it closes it, the cap or the deadline.
 * Returns false on timeout. */
static bool read_child(int fd, struct buf *out, int64_t deadline, bool *over)
{
	char chunk[16384];

	for (;;) {
		int64_t left = deadline - clock_ms();
		struct pollfd pf = {fd, POLLIN, 0};
		ssize_t n;
		int pr;

		if (left <= 0)
			return false;
		pr = poll(&pf, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0)
			return false;
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return true;
		if (buf_add(out, chunk, (size_t)n) < 0) {
			*over = true; /* more than the child may write: stop it */
			return true;
		}
	}
}

/* Why a child that wrote no result ended.  Allocation failures under
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
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			snprintf(helper_path, sizeof(helper_path), "%.3000s/%s", self,
				 DOCSPAWN_HELPER_NAME);
			if (access(helper_path, X_OK) == 0)
				return;
		}
	}
	snprintf(helper_path, sizeof(helper_path), "%s/%s", PA_LIBEXEC_DIR, DOCSPAWN_HELPER_NAME);
}

const char *docspawn_helper(void)
{
	pthread_once(&helper_once, find_helper);
	return helper_path;
}

/* Runs the child and reads its result into p. */
static status run_child(struct page *p, const char *body, size_t len,
			const struct docspawn_options *o)
{
	struct buf out = BUF_INIT(o->max_text + HEADER_MAX);
	bool finished, over = false;
	int fd = -1, ws = 0;
	pid_t pid;
	status st;

	pid = start_child(body, len, p->url, o, &fd);
	if (pid < 0) {
		log_warn("%s: cannot start the document extractor: %s", p->url ? p->url : "",
			 strerror(errno));
		return set_status(p, DOC_LIMIT);
	}
	finished = read_child(fd, &out, clock_ms() + o->timeout_ms, &over);
	if (!finished || over)
		kill(pid, SIGKILL);
	close(fd);
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (!finished) {
		st = set_status(p, DOC_TIMEOUT);
	} else {
		st = docspawn_parse(p, buf_str(&out), out.len);
		if (st == ST_PARSE)
			st = set_status(p, death_reason(ws));
	}
	buf_release(&out);
	return st;
}

status docspawn_page(struct page *p, const char *body, size_t len,
		     const struct docspawn_options *o)
{
	struct docspawn_options dflt = DOCSPAWN_OPTIONS_INIT;
	const char *type = doc_sniff(body, len, p->url);
	status st;

	if (!o)
		o = &dflt;
	if (type && strcmp(type, DOC_TYPE_PDF) != 0 && strcmp(type, DOC_TYPE_ZIP) != 0) {
		/* OLE2 (DOC, XLS): known, not read. */
		st = page_set(&p->content_type, type);
		st = st == ST_OK ? set_status(p, DOC_UNSUPPORTED) : st;
	} else if (!type) {
		st = set_status(p, DOC_UNSUPPORTED);
	} else {
		st = run_child(p, body, len, o);
	}
	if (st == ST_OK) {
		const char *ds = page_meta_get(p, "doc:status");

		if (ds && strcmp(ds, DOC_OK) != 0)
			log_info("%s: document %s", p->url ? p->url : "", ds);
	}
	return st;
}
