/* An RFC 4180 CSV reader over a file read whole into memory.
 *
 *     if (csv_open(&r, path) < 0) ...        // status_message() names the file
 *     for (;;) {
 *             if (csv_next(r, &rec, &got) < 0) {
 *                     report(status_message());   // "file:line: ..."
 *                     continue;
 *             }
 *             if (!got)
 *                     break;
 *             use(rec.fields, rec.n, rec.line);
 *     }
 *     csv_free(r);
 *
 * Accepted: quoted fields with embedded commas, doubled quotes and line
 * breaks; LF, CRLF and lone CR line ends; a UTF-8 byte-order mark at the
 * very start (skipped).  A quote inside an unquoted field is kept as a
 * literal character (common in hand-made files and harmless).  Every field
 * must be valid UTF-8 without NUL bytes.
 *
 * Caps: the file at CSV_FILE_MAX bytes (ST_LIMIT naming the file), a field
 * at CSV_FIELD_MAX bytes and a record at CSV_FIELDS_MAX fields (ST_LIMIT
 * naming the line).
 *
 * A blank line is a record of one empty field; callers decide whether to
 * skip it.  The reader owns the record's strings until the next call. */
#ifndef STORE_CSV_H
#define STORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

#define CSV_FILE_MAX ((size_t)64 << 20)
#define CSV_FIELD_MAX ((size_t)64 << 10)
#define CSV_FIELDS_MAX 4096

struct csv_reader;

struct csv_record {
	char **fields; /* n NUL-terminated UTF-8 strings, owned by the reader */
	size_t n;      /* at least 1 */
	long line;     /* physical line (1-based) where the record starts */
};

/* Reads the whole file at path.  ST_IO when it cannot be read, ST_LIMIT
 * when it is larger than CSV_FILE_MAX; the message names path.  Messages
 * of later errors name the file as path too. */
status csv_open(struct csv_reader **out, const char *path) PA_MUST_CHECK;
/* A reader over a copy of data[0..len), named name in messages. */
status csv_new_mem(struct csv_reader **out, const char *name, const char *data,
		   size_t len) PA_MUST_CHECK;
void csv_free(struct csv_reader *r);

/* Reads the next record into *rec and sets *got; at the end of input
 * returns ST_OK with *got false.  A bad record returns ST_PARSE (bad
 * quoting, invalid UTF-8, NUL byte) or ST_LIMIT (over a cap) with the
 * message "name:line: what is wrong", *got false, and the reader moved past
 * that record, so the caller can go on collecting errors; an unterminated
 * quote consumes the rest of the input, so the next call reports the end. */
status csv_next(struct csv_reader *r, struct csv_record *rec, bool *got) PA_MUST_CHECK;

/* The name given at open (the path), for messages. */
const char *csv_name(const struct csv_reader *r);

#endif
