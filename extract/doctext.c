#include "extract/doctext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/norm.h"
#include "core/str.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DOCTEXT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define DOCTEXT_ASAN 1
#endif
#endif

void doctext_init(struct doctext *d)
{
	memset(d, 0, sizeof(*d));
	d->pages = -1;
	buf_init(&d->text, DOCTEXT_RAW_MAX);
}

void doctext_release(struct doctext *d)
{
	free(d->title);
	d->title = NULL;
	buf_release(&d->text);
}

status doctext_extract(struct doctext *d, const char *body, size_t len, const char *url)
{
	const char *type = doc_sniff(body, len, url);

	if (type && strcmp(type, DOC_TYPE_PDF) == 0)
		return doctext_pdf(d, body, len);
	if (type && strcmp(type, DOC_TYPE_ZIP) == 0)
		return doctext_ooxml(d, body, len);
	/* DOC and XLS (OLE2): no well-kept library in Debian reads them. */
	d->type = type;
	d->status = DOC_UNSUPPORTED;
	return ST_OK;
}

/* The child's own limits, set before it reads a byte.  Under ASan or TSan
 * the address-space limit is left out: the sanitizer reserves terabytes of
 * shadow memory at start, and the extractors' own caps still hold. */
static void limit_self(long mem_mb)
{
	struct rlimit rl;

	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_FSIZE, &rl);
	setrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = rl.rlim_max = 16;
	setrlimit(RLIMIT_NOFILE, &rl);
#ifndef DOCTEXT_ASAN
	rl.rlim_cur = rl.rlim_max = (rlim_t)mem_mb << 20;
	setrlimit(RLIMIT_AS, &rl);
#else
	(void)mem_mb;
#endif
}

/* The CPU limit of the next document: cpu_s seconds from now (the soft
 * limit moves with each document, SIGXCPU ends the process). */
static void limit_cpu(long cpu_s)
{
	struct rusage ru;
	struct rlimit rl;
	rlim_t used;

	if (getrusage(RUSAGE_SELF, &ru) != 0 || getrlimit(RLIMIT_CPU, &rl) != 0)
		return;
	used = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec);
	rl.rlim_cur = used + (rlim_t)cpu_s + 1;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_CPU, &rl);
}

/* Reads a request head "LEN URL\n" into len and url (at most urlmax - 1
 * bytes).  False at the end of input or on a malformed head. */
static bool read_head(size_t *len, char *url, size_t urlmax, long max)
{
	char head[4096];
	size_t n = 0;
	long v;
	int c;
	char *sp;

	while ((c = getchar()) != EOF && c != '\n')
		if (n < sizeof(head) - 1)
			head[n++] = (char)c;
	if (c == EOF)
		return false;
	head[n] = '\0';
	sp = strchr(head, ' ');
	if (sp)
		*sp++ = '\0';
	if (str_to_long(head, 0, max, &v) < 0)
		return false;
	*len = (size_t)v;
	snprintf(url, urlmax, "%s", sp ? sp : "");
	return true;
}

/* Writes all of s, or fails. */
static bool write_all(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(1, s, n);

		if (w <= 0)
			return false;
		s += w;
		n -= (size_t)w;
	}
	return true;
}

/* The normalised text, cut at a character boundary within max bytes. */
static size_t cut_utf8(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* Writes one answer: its length on a line, then the result. */
static bool answer(const struct doctext *d, long maxtext)
{
	struct buf out = BUF_INIT((size_t)maxtext + 4096);
	char *text = NULL, *title = NULL, len[32];
	size_t n;
	bool ok = false;

	if (norm_nfc(buf_str(&d->text), d->text.len, &text) < 0 ||
	    (d->title && norm_nfc(d->title, strlen(d->title), &title) < 0))
		goto done;
	if (buf_printf(&out, "status %s\n", d->status ? d->status : DOC_CORRUPT) < 0 ||
	    (d->type && buf_printf(&out, "type %s\n", d->type) < 0) ||
	    (d->pages >= 0 && buf_printf(&out, "pages %d\n", d->pages) < 0) ||
	    (title && *title && buf_printf(&out, "title %.1000s\n", title) < 0) ||
	    buf_addc(&out, '\n') < 0)
		goto done;
	n = cut_utf8(text, strlen(text), (size_t)maxtext);
	if (buf_add(&out, text, n) < 0)
		goto done;
	n = (size_t)snprintf(len, sizeof(len), "%zu\n", out.len);
	ok = write_all(len, n) && write_all(out.ptr, out.len);
done:
	free(text);
	free(title);
	buf_release(&out);
	return ok;
}

/* One request: the body, its extraction, the answer. */
static bool serve_one(size_t len, const char *url, long maxtext, long cpu_s)
{
	struct doctext d;
	char *body = malloc(len + 1);
	bool ok;

	doctext_init(&d);
	if (!body || fread(body, 1, len, stdin) != len) {
		free(body);
		return false;
	}
	limit_cpu(cpu_s);
	if (doctext_extract(&d, body, len, url) < 0) {
		d.status = DOC_LIMIT; /* out of memory under the limit */
		d.text.len = 0;
	}
	free(body);
	ok = answer(&d, maxtext);
	doctext_release(&d);
	return ok;
}

int doctext_main(int argc, char **argv)
{
	char url[4096];
	long maxtext, cpu_s, mem_mb;
	size_t len;

	if (argc < 4 || str_to_long(argv[1], 1, 64L << 20, &maxtext) < 0 ||
	    str_to_long(argv[2], 1, 3600, &cpu_s) < 0 ||
	    str_to_long(argv[3], 16, 1L << 20, &mem_mb) < 0) {
		fprintf(stderr, "usage: portal-audit-extract MAXTEXT CPU_S MEM_MB\n");
		_exit(2);
	}
	limit_self(mem_mb);
	while (read_head(&len, url, sizeof(url), mem_mb << 19))
		if (!serve_one(len, url, maxtext, cpu_s))
			_exit(1);
	/* _exit: no leak check or library destructors at the end. */
	_exit(0);
}
