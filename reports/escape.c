#include "reports/escape.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

int32_t escape_utf8_next(const char *s, size_t n, size_t *adv)
{
	const unsigned char *p = (const unsigned char *)s;
	int32_t cp, min;
	size_t len, i;

	*adv = 1;
	if (p[0] < 0x80)
		return p[0];
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2, cp = p[0] & 0x1F, min = 0x80;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3, cp = p[0] & 0x0F, min = 0x800;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4, cp = p[0] & 0x07, min = 0x10000;
	} else {
		return -1;
	}
	if (n < len)
		return -1;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*adv = len;
	return cp;
}

/* Each escaper is a loop over code points with one decision per point:
 * emit the original bytes, or a replacement string. */
typedef const char *(*escape_fn)(int32_t cp, char *tmp, size_t tmpsz);

static status escape_with(struct buf *b, const char *s, escape_fn fn)
{
	size_t n = strlen(s), i = 0, adv, run = 0;
	char tmp[16];
	status st;

	while (i < n) {
		int32_t cp = escape_utf8_next(s + i, n - i, &adv);
		const char *rep = cp < 0 ? REPLACEMENT : fn(cp, tmp, sizeof(tmp));

		if (!rep) {
			i += adv;
			continue;
		}
		/* Copy the run of unchanged bytes before the replacement at once. */
		if ((st = buf_add(b, s + run, i - run)) < 0 || (st = buf_adds(b, rep)) < 0)
			return st;
		i += adv;
		run = i;
	}
	return buf_add(b, s + run, n - run);
}

static const char *json_one(int32_t cp, char *tmp, size_t tmpsz)
{
	if (cp == '"')
		return "\\\"";
	if (cp == '\\')
		return "\\\\";
	if (cp < 0x20 || cp == 0x7F || cp == 0x2028 || cp == 0x2029 || escape_is_bidi(cp)) {
		snprintf(tmp, tmpsz, "\\u%04x", (unsigned)cp);
		return tmp;
	}
	return NULL;
}

status escape_json(struct buf *b, const char *s)
{
	status st;

	if (!s)
		return buf_adds(b, "null");
	if ((st = buf_addc(b, '"')) < 0 || (st = escape_with(b, s, json_one)) < 0)
		return st;
	return buf_addc(b, '"');
}

static bool is_control(int32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

bool escape_is_bidi(int32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
	       cp == 0x200F || cp == 0x061C;
}

/* Control and bidi characters: shown as U+FFFD in every human format, so
 * a crawled string can neither reorder the text around it (U+202E makes
 * "fdp.exe" read "exe.pdf") nor hide in a cell. */
static bool is_unsafe(int32_t cp)
{
	return is_control(cp) || escape_is_bidi(cp);
}

static const char *html_one(int32_t cp, char *tmp, size_t tmpsz)
{
	switch (cp) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	case '\t':
	case '\n':
	case '\r':
		return NULL;
	default:
		return is_unsafe(cp) ? REPLACEMENT : NULL;
	}
}

static const char *cell_one(int32_t cp, char *tmp, size_t tmpsz)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return NULL;
	return is_unsafe(cp) ? REPLACEMENT : NULL;
}

status escape_html(struct buf *b, const char *s)
{
	return s ? escape_with(b, s, html_one) : ST_OK;
}

static const char *csv_one(int32_t cp, char *tmp, size_t tmpsz)
{
	if (cp == '"')
		return "\"\"";
	return escape_is_bidi(cp) ? REPLACEMENT : NULL;
}

status escape_csv_cell(struct buf *b, const char *s)
{
	bool quote;
	status st;

	if (!s)
		return ST_OK;
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote && (st = buf_addc(b, '"')) < 0)
		return st;
	/* A formula prefix is neutralised by a leading quote, which spreadsheet
	 * programs read as "this cell is text". */
	if (s[0] && strchr("=+-@\t\r", s[0]) && (st = buf_addc(b, '\'')) < 0)
		return st;
	if ((st = escape_with(b, s, csv_one)) < 0)
		return st;
	return quote ? buf_addc(b, '"') : ST_OK;
}

status escape_cell(struct buf *b, const char *s)
{
	status st;

	if (!s)
		return ST_OK;
	if (s[0] && strchr("=+-@\t\r", s[0]) && (st = buf_addc(b, '\'')) < 0)
		return st;
	/* The same code points as in HTML text are unrepresentable in XML. */
	return escape_with(b, s, cell_one);
}

static const char *md_one(int32_t cp, char *tmp, size_t tmpsz)
{
	switch (cp) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '\t':
	case '\n':
	case '\r':
		return " ";
	default:
		break;
	}
	if (cp < 0x80 && strchr("\\|*_`[]~#!", (int)cp)) {
		snprintf(tmp, tmpsz, "\\%c", (char)cp);
		return tmp;
	}
	return is_unsafe(cp) ? REPLACEMENT : NULL;
}

status escape_md(struct buf *b, const char *s)
{
	return s ? escape_with(b, s, md_one) : ST_OK;
}

static const char *text_one(int32_t cp, char *tmp, size_t tmpsz)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return " ";
	if (is_unsafe(cp))
		return REPLACEMENT;
	return NULL;
}

status escape_text(struct buf *b, const char *s)
{
	return s ? escape_with(b, s, text_one) : ST_OK;
}

size_t escape_text_width(const char *s)
{
	size_t n, i = 0, adv, w = 0;

	if (!s)
		return 0;
	n = strlen(s);
	while (i < n) {
		int32_t cp = escape_utf8_next(s + i, n - i, &adv);
		int cw;

		/* escape_text prints one space or one U+FFFD for these. */
		if (cp < 0 || is_unsafe(cp))
			cw = 1;
		else
			cw = utf8proc_charwidth(cp);
		w += cw > 0 ? (size_t)cw : 0;
		i += adv;
	}
	return w;
}
