/* Fuzz target: store/csv.h, the RFC 4180 reader behind the registry import.
 *
 * Reads every record of the input and checks what the header promises:
 * records have at least one field, every field is valid UTF-8, lines only
 * go forward, and the reader always moves on (a bad record is skipped, an
 * unterminated quote ends the input).  The first records are written back
 * fully quoted and read again, which must give the same fields. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "store/csv.h"
#include "tests/fuzz/fuzz.h"

#define ROUND_TRIPS 8

/* Quotes every field, so commas, quotes and line breaks inside survive. */
static void quote_record(struct buf *b, const struct csv_record *rec)
{
	buf_reset(b);
	for (size_t i = 0; i < rec->n; i++) {
		const char *f = rec->fields[i];

		FUZZ_CHECK(buf_adds(b, i ? ",\"" : "\"") == ST_OK);
		for (; *f; f++)
			FUZZ_CHECK(buf_add(b, f, *f == '"' ? 1 : 0) == ST_OK &&
				   buf_addc(b, *f) == ST_OK);
		FUZZ_CHECK(buf_addc(b, '"') == ST_OK);
	}
	FUZZ_CHECK(buf_adds(b, "\r\n") == ST_OK);
}

static void round_trip(const struct csv_record *rec)
{
	struct buf b = BUF_INIT(CSV_FILE_MAX);
	struct csv_reader *r = NULL;
	struct csv_record again;
	bool got = false;

	quote_record(&b, rec);
	FUZZ_CHECK(csv_new_mem(&r, "again.csv", b.ptr, b.len) == ST_OK);
	FUZZ_CHECK(csv_next(r, &again, &got) == ST_OK && got);
	FUZZ_CHECK(again.n == rec->n && again.line == 1);
	for (size_t i = 0; i < rec->n; i++)
		FUZZ_CHECK(strcmp(again.fields[i], rec->fields[i]) == 0);
	FUZZ_CHECK(csv_next(r, &again, &got) == ST_OK && !got);
	csv_free(r);
	buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader *r = NULL;
	struct csv_record rec;
	long last_line = 0, records = 0;
	bool got = true;

	if (csv_new_mem(&r, "fuzz.csv", (const char *)data, size) != ST_OK)
		return 0;
	FUZZ_CHECK(strcmp(csv_name(r), "fuzz.csv") == 0);
	while (got) {
		status st = csv_next(r, &rec, &got);

		/* Every call but the last consumes at least one byte. */
		FUZZ_CHECK(++records <= (long)size + 1);
		if (st < 0) {
			FUZZ_CHECK(st == ST_PARSE || st == ST_LIMIT);
			FUZZ_CHECK(!got);
			FUZZ_CHECK(strncmp(status_message(), "fuzz.csv:", 9) == 0);
			got = true; /* go on collecting errors */
			continue;
		}
		if (!got)
			break;
		FUZZ_CHECK(rec.n >= 1 && rec.n <= CSV_FIELDS_MAX);
		FUZZ_CHECK(rec.line > last_line);
		last_line = rec.line;
		for (size_t i = 0; i < rec.n; i++) {
			size_t n = strlen(rec.fields[i]);

			FUZZ_CHECK(n <= CSV_FIELD_MAX);
			FUZZ_CHECK(fuzz_utf8_valid(rec.fields[i], n));
		}
		if (records <= ROUND_TRIPS)
			round_trip(&rec);
	}
	csv_free(r);
	return 0;
}
