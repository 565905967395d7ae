/* The printers of the `list` commands (runs list, users list): one row a
 * line as an aligned table, CSV (RFC 4180, CRLF) or a JSON array of
 * objects keyed by the column heads. */
#ifndef APP_LISTING_H
#define APP_LISTING_H

#include <stddef.h>

#include "reports/out.h"

enum listing_format { LISTING_TABLE, LISTING_CSV, LISTING_JSON };

/* Parses --format's value v (table, csv, json) of command cmd; an exit
 * code, the usage error printed. */
int listing_format_parse(const char *cmd, const char *v, enum listing_format *out);

struct listing {
	const char *const *heads; /* column heads, also the CSV header and JSON keys */
	int ncols;
	size_t nrows;
	/* Cell c of row i as text, or NULL (a table shows "-", JSON null,
	 * CSV an empty cell); num is room for a number's digits. */
	const char *(*cell)(const void *rows, size_t i, int c, char num[24]);
	const void *rows;
	unsigned numeric; /* bit c set: column c is a JSON number */
};

void listing_print(struct out *o, enum listing_format fmt, const struct listing *l);
/* listing_print to stdout, stopping early on a's stop flag; an exit code
 * (a failed write is printed). */
struct app;
int listing_stdout(struct app *a, enum listing_format fmt, const struct listing *l);

#endif
