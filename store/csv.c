#include "store/csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/buf.h"
#include "core/str.h"

struct csv_reader {
	char *name;
	char *data;
	size_t len, pos;
	long line;       /* physical line at pos */
	struct buf text; /* the current record's unescaped fields, NUL-separated */
	size_t *offs;    /* start of each field in text */
	char **fields;   /* pointers into text, built once the record is complete */
	size_t nfields;
};

/* The first problem of the record being read: a record reports one error,
 * at the line where it is, and parsing goes on to the record's end so the
 * next record starts in the right place. */
struct rec_error {
	status code;
	long line;
	char what[160];
};

static void note(struct rec_error *e, status code, long line, const char *what)
{
	if (e->code != ST_OK)
		return;
	e->code = code;
	e->line = line;
	snprintf(e->what, sizeof(e->what), "%s", what);
}

static status reader_new(struct csv_reader **out, const char *name, char *data, size_t len)
{
	struct csv_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r || !(r->name = str_dup(name)) ||
	    !(r->offs = malloc(CSV_FIELDS_MAX * sizeof(*r->offs))) ||
	    !(r->fields = malloc(CSV_FIELDS_MAX * sizeof(*r->fields)))) {
		csv_free(r); /* r->data is still NULL: the caller keeps data on failure */
		return status_set(ST_NOMEM, "%s: out of memory", name);
	}
	r->data = data;
	r->len = len;
	r->line = 1;
	/* Fields are capped and the file is capped, so the record text is too. */
	buf_init(&r->text, CSV_FILE_MAX + CSV_FIELDS_MAX);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
	*out = r;
	return ST_OK;
}

status csv_new_mem(struct csv_reader **out, const char *name, const char *data, size_t len)
{
	char *copy;
	status st;

	*out = NULL;
	if (len > CSV_FILE_MAX)
		return status_set(ST_LIMIT, "%s: larger than the %zu MiB limit", name,
				  CSV_FILE_MAX >> 20);
	copy = malloc(len + 1);
	if (!copy)
		return status_set(ST_NOMEM, "%s: out of memory", name);
	memcpy(copy, data, len);
	copy[len] = '\0';
	st = reader_new(out, name, copy, len);
	if (st < 0)
		free(copy);
	return st;
}

status csv_open(struct csv_reader **out, const char *path)
{
	struct buf b = BUF_INIT(CSV_FILE_MAX);
	char chunk[65536];
	FILE *f = NULL;
	char *data = NULL;
	size_t len = 0, n;
	status st = ST_OK;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f) {
		st = status_set(ST_IO, "%s: cannot open: %s", path, strerror(errno));
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		st = buf_add(&b, chunk, n);
		if (st == ST_LIMIT)
			st = status_set(ST_LIMIT, "%s: larger than the %zu MiB limit", path,
					CSV_FILE_MAX >> 20);
		if (st < 0)
			goto out;
	}
	if (ferror(f)) {
		st = status_set(ST_IO, "%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	len = b.len;
	data = buf_detach(&b);
	if (!data) {
		st = status_set(ST_NOMEM, "%s: out of memory", path);
		goto out;
	}
	st = reader_new(out, path, data, len);
	if (st == ST_OK)
		data = NULL;
out:
	if (f)
		fclose(f);
	free(data);
	buf_release(&b);
	return st;
}

void csv_free(struct csv_reader *r)
{
	if (!r)
		return;
	free(r->name);
	free(r->data);
	buf_release(&r->text);
	free(r->offs);
	free(r->fields);
	free(r);
}

const char *csv_name(const struct csv_reader *r)
{
	return r->name;
}

static bool at_eol(const struct csv_reader *r)
{
	return r->pos < r->len && (r->data[r->pos] == '\n' || r->data[r->pos] == '\r');
}

/* Consumes one line end: LF, CRLF or a lone CR. */
static void eat_eol(struct csv_reader *r)
{
	if (r->data[r->pos] == '\r' && r->pos + 1 < r->len && r->data[r->pos + 1] == '\n')
		r->pos++;
	r->pos++;
	r->line++;
}

/* Line breaks in p[0..n), counted as eat_eol counts them. */
static long count_breaks(const char *p, size_t n)
{
	long k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] == '\n' || (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n')))
			k++;
	return k;
}

/* Appends data[from..to) to the field that started at text offset start,
 * unless that would pass the field cap (then the field is dropped and the
 * error noted once). */
static status add_span(struct csv_reader *r, size_t start, size_t from, size_t to, long fline,
		       bool *skip, struct rec_error *e)
{
	char what[80];

	if (*skip || to == from)
		return ST_OK;
	if (r->text.len - start + (to - from) > CSV_FIELD_MAX) {
		snprintf(what, sizeof(what), "field longer than %zu KiB", CSV_FIELD_MAX >> 10);
		note(e, ST_LIMIT, fline, what);
		r->text.len = start;
		*skip = true;
		return ST_OK;
	}
	return buf_add(&r->text, r->data + from, to - from);
}

static status read_quoted(struct csv_reader *r, size_t start, long fline, bool *skip,
			  struct rec_error *e)
{
	status st = ST_OK;

	r->pos++; /* the opening quote */
	for (;;) {
		const char *q = memchr(r->data + r->pos, '"', r->len - r->pos);
		size_t end = q ? (size_t)(q - r->data) : r->len;

		st = add_span(r, start, r->pos, end, fline, skip, e);
		if (st < 0)
			return st;
		r->line += count_breaks(r->data + r->pos, end - r->pos);
		r->pos = end;
		if (!q) {
			note(e, ST_PARSE, fline,
			     "unterminated quoted field (it opens on this line)");
			return ST_OK;
		}
		if (r->pos + 1 < r->len && r->data[r->pos + 1] == '"') {
			st = add_span(r, start, r->pos, r->pos + 1, fline, skip, e);
			if (st < 0)
				return st;
			r->pos += 2;
			continue;
		}
		r->pos++; /* the closing quote */
		break;
	}
	if (r->pos < r->len && r->data[r->pos] != ',' && !at_eol(r)) {
		note(e, ST_PARSE, r->line,
		     "text after a closing quote (write a quote inside a quoted field as \"\")");
		while (r->pos < r->len && r->data[r->pos] != ',' && !at_eol(r))
			r->pos++;
	}
	return ST_OK;
}

/* Checks a finished field: valid UTF-8 and no NUL, naming the physical
 * line of the first bad byte. */
static void check_text(const char *p, size_t n, long fline, struct rec_error *e)
{
	size_t i = 0;

	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p + i,
						      (utf8proc_ssize_t)(n - i), &cp);

		if (k <= 0 || cp == 0) {
			note(e, ST_PARSE, fline + count_breaks(p, i),
			     k <= 0 ? "invalid UTF-8 (save the file as UTF-8)"
				    : "NUL byte in a field");
			return;
		}
		i += (size_t)k;
	}
}

static status read_field(struct csv_reader *r, struct rec_error *e)
{
	size_t start = r->text.len;
	long fline = r->line;
	bool skip = false;
	status st;

	if (r->pos < r->len && r->data[r->pos] == '"') {
		st = read_quoted(r, start, fline, &skip, e);
	} else {
		size_t from = r->pos;

		while (r->pos < r->len && r->data[r->pos] != ',' && !at_eol(r))
			r->pos++;
		st = add_span(r, start, from, r->pos, fline, &skip, e);
	}
	if (st < 0)
		return st;
	if (!skip)
		check_text(r->text.ptr ? r->text.ptr + start : "", r->text.len - start, fline, e);
	if (r->nfields == CSV_FIELDS_MAX) {
		char what[64];

		snprintf(what, sizeof(what), "more than %d fields", CSV_FIELDS_MAX);
		note(e, ST_LIMIT, fline, what);
		r->text.len = start;
		return ST_OK;
	}
	r->offs[r->nfields++] = start;
	return buf_addc(&r->text, '\0');
}

status csv_next(struct csv_reader *r, struct csv_record *rec, bool *got)
{
	struct rec_error e = {ST_OK, 0, ""};
	long start_line = r->line;
	size_t i;
	status st;

	*got = false;
	memset(rec, 0, sizeof(*rec));
	if (r->pos >= r->len)
		return ST_OK;
	buf_reset(&r->text);
	r->nfields = 0;
	for (;;) {
		st = read_field(r, &e);
		if (st < 0)
			return st;
		if (r->pos < r->len && r->data[r->pos] == ',') {
			r->pos++;
			continue;
		}
		if (at_eol(r))
			eat_eol(r);
		break;
	}
	if (e.code != ST_OK)
		return status_set(e.code, "%s:%ld: %s", r->name, e.line, e.what);
	for (i = 0; i < r->nfields; i++)
		r->fields[i] = r->text.ptr + r->offs[i];
	rec->fields = r->fields;
	rec->n = r->nfields;
	rec->line = start_line;
	*got = true;
	return ST_OK;
}
