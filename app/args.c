/* The command-line plumbing every command shares: opening the store,
 * exit codes and usage errors, the argument cursor, dates and periods.
 * The school selection is in app/selection.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "core/clock.h"
#include "core/str.h"

int app_open_store(struct store **out, struct app *a, int mode)
{
	status st = store_open_mode(out, a->db_path, mode);

	return st < 0 ? app_fail(st) : EXIT_OK;
}

int app_exit_for(status st)
{
	switch (st) {
	case ST_OK:
		return EXIT_OK;
	case ST_INVALID:
	case ST_PARSE:
	case ST_NOTFOUND:
	case ST_DENIED:
		return EXIT_USAGE;
	default:
		return EXIT_RUNTIME;
	}
}

int app_fail(status st)
{
	fprintf(stderr, "portal-audit: %s\n", status_message());
	return app_exit_for(st);
}

int app_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("portal-audit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

void args_init(struct args *a, int argc, char **argv, int first)
{
	a->argc = argc;
	a->argv = argv;
	a->i = first;
	a->val = NULL;
	a->num = 0;
	a->bad = false;
	a->rest = false;
}

bool args_done(const struct args *a)
{
	return a->bad || a->i >= a->argc;
}

const char *args_peek(const struct args *a)
{
	return a->i < a->argc ? a->argv[a->i] : "";
}

void app_today(char out[11])
{
	clock_date(time(NULL), out);
}

int app_parse_score(const char *v, double *out)
{
	char *end = NULL;

	*out = strtod(v, &end);
	if (!*v || *end || *out < 0 || *out > 100)
		return app_usage("--fail-under: '%s' is not a score from 0 to 100", v);
	return EXIT_OK;
}
