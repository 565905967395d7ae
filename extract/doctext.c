#include "extract/doctext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/norm.h"
#include "core/str.h"

#if defined(__SANITIZE_ADDRESS__)
#define DOCTEXT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
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

/* The child's own limits, set before it reads a byte.  Under ASan the
 * address-space limit is left out: the sanitizer reserves terabytes of
 * shadow memory at start, and the extractors' own caps still hold. */
static void limit_self(long cpu_s, long mem_mb)
{
	struct rlimit rl;

	rl.rlim_cur = (rlim_t)cpu_s;
	rl.rlim_max = (rlim_t)cpu_s + 1;
	setrlimit(RLIMIT_CPU, &rl);
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

/* The whole of standard input, at most max bytes (more is refused). */
static status read_input(struct buf *b, size_t max)
{
	char chunk[65536];
	ssize_t n;

	buf_init(b, max);
	while ((n = read(0, chunk, sizeof(chunk))) > 0)
		if (buf_add(b, chunk, (size_t)n) < 0)
			return ST_LIMIT;
	return n < 0 ? ST_IO : ST_OK;
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

static int child_write(const struct doctext *d, long maxtext)
{
	struct buf out = BUF_INIT((size_t)maxtext + 4096);
	char *text = NULL, *title = NULL;
	size_t n;
	int rc = 1;

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
	rc = write_all(out.ptr, out.len) ? 0 : 1;
done:
	free(text);
	free(title);
	buf_release(&out);
	return rc;
}

int doctext_main(int argc, char **argv)
{
	struct doctext d;
	struct buf in;
	long maxtext, cpu_s, mem_mb;
	int rc = 1;

	if (argc < 4 || str_to_long(argv[1], 1, 64L << 20, &maxtext) < 0 ||
	    str_to_long(argv[2], 1, 3600, &cpu_s) < 0 || str_to_long(argv[3], 16, 1L << 20, &mem_mb) < 0) {
		fprintf(stderr, "usage: portal-audit-extract MAXTEXT CPU_S MEM_MB [URL]\n");
		_exit(2);
	}
	limit_self(cpu_s, mem_mb);
	doctext_init(&d);
	if (read_input(&in, (size_t)mem_mb << 19) < 0) {
		d.status = DOC_LIMIT;
	} else if (doctext_extract(&d, buf_str(&in), in.len, argc > 4 ? argv[4] : NULL) < 0) {
		d.status = DOC_LIMIT; /* out of memory under the limit */
		d.text.len = 0;
	}
	buf_release(&in);
	rc = child_write(&d, maxtext);
	doctext_release(&d);
	/* _exit: no leak check or library destructors in a throwaway child. */
	_exit(rc);
}
