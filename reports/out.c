#include "reports/out.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "reports/escape.h"

/* Flush once this much is pending; a single string may exceed it. */
#define OUT_CHUNK (64 * 1024)
/* The cap of one pending chunk: a crawled string larger than this is a
 * bug upstream (pages are capped), so it fails instead of eating memory. */
#define OUT_MAX (64u * 1024 * 1024)

void out_init(struct out *o, FILE *f, const volatile sig_atomic_t *stop)
{
	o->f = f;
	buf_init(&o->b, OUT_MAX);
	o->st = ST_OK;
	o->stop = stop;
}

static void flush(struct out *o)
{
	if (o->st == ST_OK && o->stop && *o->stop)
		o->st = status_set(ST_INTERRUPTED, "report interrupted");
	if (o->st == ST_OK && o->b.len && fwrite(o->b.ptr, 1, o->b.len, o->f) != o->b.len)
		o->st = status_set(ST_IO, "cannot write the report");
	buf_reset(&o->b);
}

static void note(struct out *o, status st)
{
	if (st < 0 && o->st == ST_OK)
		o->st = st;
	if (o->b.len >= OUT_CHUNK)
		flush(o);
}

status out_finish(struct out *o)
{
	flush(o);
	if (o->st == ST_OK && (fflush(o->f) != 0 || ferror(o->f)))
		o->st = status_set(ST_IO, "cannot write the report: %s", strerror(errno));
	buf_release(&o->b);
	return o->st;
}

void out_s(struct out *o, const char *s)
{
	if (o->st == ST_OK && s)
		note(o, buf_adds(&o->b, s));
}

void out_f(struct out *o, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	if (o->st != ST_OK)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		note(o, status_set(ST_INVALID, "bad format string"));
		return;
	}
	if ((size_t)n < sizeof(small)) {
		note(o, buf_add(&o->b, small, (size_t)n));
		return;
	}
	/* Rare long line: format again into a buffer of the right size. */
	{
		char *big = malloc((size_t)n + 1);

		if (!big) {
			note(o, status_set(ST_NOMEM, "out of memory formatting a report line"));
			return;
		}
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		note(o, buf_add(&o->b, big, (size_t)n));
		free(big);
	}
}

void out_json(struct out *o, const char *s)
{
	if (o->st == ST_OK)
		note(o, escape_json(&o->b, s));
}

void out_html(struct out *o, const char *s)
{
	if (o->st == ST_OK)
		note(o, escape_html(&o->b, s));
}

void out_csv(struct out *o, const char *s)
{
	if (o->st == ST_OK)
		note(o, escape_csv_cell(&o->b, s));
}

void out_md(struct out *o, const char *s)
{
	if (o->st == ST_OK)
		note(o, escape_md(&o->b, s));
}

void out_text(struct out *o, const char *s)
{
	if (o->st == ST_OK)
		note(o, escape_text(&o->b, s));
}

/* Cuts the escaped text t at the last code point that fits in width
 * columns, leaving one column for the ellipsis. */
static size_t cut_at(const char *t, size_t width, size_t *used)
{
	size_t n = strlen(t), i = 0, adv, w = 0, next;
	char one[8];

	while (i < n) {
		escape_utf8_next(t + i, n - i, &adv);
		memcpy(one, t + i, adv);
		one[adv] = '\0';
		next = w + escape_text_width(one);
		if (next + 1 > width)
			break;
		w = next;
		i += adv;
	}
	*used = w;
	return i;
}

/* Prints s escaped, cut to width columns; returns the columns used. */
static size_t put_cut(struct out *o, const char *s, size_t width)
{
	struct buf t = BUF_INIT(OUT_MAX);
	size_t w, used = 0, i;
	status st;

	if (o->st != ST_OK)
		return 0;
	if ((st = escape_text(&t, s ? s : "")) < 0) {
		note(o, st);
		buf_release(&t);
		return 0;
	}
	w = escape_text_width(buf_str(&t));
	if (w <= width) {
		note(o, buf_add(&o->b, buf_str(&t), t.len));
		used = w;
	} else if (width > 0) {
		i = cut_at(buf_str(&t), width, &used);
		note(o, buf_add(&o->b, buf_str(&t), i));
		out_s(o, "…");
		used++;
	}
	buf_release(&t);
	return used;
}

void out_text_col(struct out *o, const char *s, size_t width)
{
	size_t used = put_cut(o, s, width);

	for (; used < width; used++)
		out_s(o, " ");
}

void out_text_cut(struct out *o, const char *s, size_t width)
{
	put_cut(o, s, width);
}

/* Written without libm (pa_reports does not link it). */
void out_fmt_num(char *dst, size_t n, double v)
{
	if (!isfinite(v))
		snprintf(dst, n, "null");
	else if (v > -1e15 && v < 1e15 && v == (double)(long long)v)
		snprintf(dst, n, "%.0f", v == 0 ? 0.0 : v); /* no "-0" */
	else
		snprintf(dst, n, "%.6g", v);
}

void out_fmt_vi(char *dst, size_t n, double v, int decimals)
{
	char *dot;

	if (!isfinite(v)) {
		snprintf(dst, n, "—");
		return;
	}
	snprintf(dst, n, "%.*f", decimals, v == 0 ? 0.0 : v);
	dot = strchr(dst, '.');
	if (dot)
		*dot = ',';
}

void out_num(struct out *o, double v)
{
	char tmp[40];

	out_fmt_num(tmp, sizeof(tmp), v);
	out_s(o, tmp);
}
