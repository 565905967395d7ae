/* A buffered output stream for the report writers, with a sticky error.
 *
 * Writers print through these calls without checking each one: the first
 * failure is kept in o->st, later calls do nothing, and out_finish returns
 * it.  Output is flushed to the FILE in chunks, so a city report does not
 * sit in memory whole.  Internal to reports/. */
#ifndef REPORTS_OUT_H
#define REPORTS_OUT_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/status.h"

struct out {
	FILE *f;
	struct buf b;
	status st;
	const volatile sig_atomic_t *stop;
};

/* stop may be NULL; when *stop becomes non-zero the stream fails with
 * ST_INTERRUPTED at its next flush, so a writer stops within one chunk. */
void out_init(struct out *o, FILE *f, const volatile sig_atomic_t *stop);
/* Flushes, releases the buffer and returns the first failure (ST_IO when
 * the FILE reports an error, ST_INTERRUPTED when stopped). */
status out_finish(struct out *o) PA_MUST_CHECK;

void out_s(struct out *o, const char *s); /* raw, trusted text; NULL prints nothing */
void out_f(struct out *o, const char *fmt, ...) PA_PRINTF(2, 3);
/* Untrusted strings, escaped for each format (see reports/escape.h). */
void out_json(struct out *o, const char *s);
void out_html(struct out *o, const char *s);
void out_csv(struct out *o, const char *s);
void out_md(struct out *o, const char *s);
void out_text(struct out *o, const char *s);
/* Terminal text escaped, cut to at most width columns (ending in "…" when
 * cut) and padded with spaces to exactly width columns. */
void out_text_col(struct out *o, const char *s, size_t width);
/* The same without the padding. */
void out_text_cut(struct out *o, const char *s, size_t width);

/* Machine number: an integer when integral, else %.6g; "null" when not
 * finite.  dst holds at least 32 bytes. */
void out_fmt_num(char *dst, size_t n, double v);
/* Human number with the Vietnamese decimal comma and `decimals` digits. */
void out_fmt_vi(char *dst, size_t n, double v, int decimals);
void out_num(struct out *o, double v);

#endif
