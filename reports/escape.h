/* Escaping of untrusted strings for each report format.
 *
 * Every function appends to b and fails only when b's cap or memory runs
 * out.  All of them replace invalid UTF-8 (each bad byte) by U+FFFD, so
 * output is always valid UTF-8.  A NULL s is the absent value of the
 * format: `null` in JSON, nothing elsewhere.  Bidi controls
 * (escape_is_bidi) never pass raw: U+FFFD in every human format, \uXXXX in
 * JSON. */
#ifndef REPORTS_ESCAPE_H
#define REPORTS_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/status.h"

/* A quoted JSON string: " and \ as \" and \\, control characters
 * (U+0000-U+001F, U+007F) as \u00XX, U+2028/U+2029 as \u2028/\u2029 so the
 * output is also valid JavaScript, bidi controls as \uXXXX. */
status escape_json(struct buf *b, const char *s) PA_MUST_CHECK;

/* HTML text or a quoted attribute value: & < > " ' as entities; control
 * characters other than tab, CR and LF become U+FFFD. */
status escape_html(struct buf *b, const char *s) PA_MUST_CHECK;

/* One RFC 4180 cell: quoted when it holds , " CR or LF (quotes doubled).
 * A cell beginning with = + - @ TAB or CR gets a leading ' so a spreadsheet
 * never evaluates it as a formula. */
status escape_csv_cell(struct buf *b, const char *s) PA_MUST_CHECK;

/* A spreadsheet (XLSX) text cell: the formula neutralising of
 * escape_csv_cell without the quoting; control characters other than tab,
 * CR and LF become U+FFFD (XML 1.0 cannot carry them). */
status escape_cell(struct buf *b, const char *s) PA_MUST_CHECK;

/* A Markdown table cell: | and Markdown punctuation backslash-escaped,
 * & < > as entities (raw HTML passes through Markdown), line breaks and
 * tabs as spaces, other control characters as U+FFFD. */
status escape_md(struct buf *b, const char *s) PA_MUST_CHECK;

/* Terminal text: line breaks and tabs as spaces; other control characters
 * (C0, DEL, C1, so no terminal escape sequence gets through) and bidi
 * controls as U+FFFD. */
status escape_text(struct buf *b, const char *s) PA_MUST_CHECK;

/* Whether cp is a bidi control that reorders text: the embeddings and
 * overrides U+202A-U+202E, the isolates U+2066-U+2069, the marks U+200E,
 * U+200F and U+061C. */
bool escape_is_bidi(int32_t cp);

/* Decodes one code point from s[0..n) (n > 0).  Returns it and sets *adv to
 * its length, or returns -1 with *adv = 1 for an invalid byte (bad lead,
 * truncated, overlong, surrogate or above U+10FFFF). */
int32_t escape_utf8_next(const char *s, size_t n, size_t *adv);

/* Display width in terminal columns of s after escape_text: wide (CJK)
 * characters count 2, combining marks 0. */
size_t escape_text_width(const char *s);

#endif
