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

int app_open_store(struct store **out, struct app *a, bool create)
{
	status st = create ? store_open(out, a->db_path) : store_open_existing(out, a->db_path);

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

status app_period_for(const char *date, char out[10])
{
	int y, m, d;
	status st = clock_parse_date(date, &y, &m, &d);

	if (st < 0)
		return st;
	if (m < 8)
		y--;
	if (y < 1000 || y > 9998)
		return status_set(ST_INVALID, "'%s' is outside the years this program knows", date);
	snprintf(out, 10, "%04u-%04u", (unsigned)y % 10000u, (unsigned)(y + 1) % 10000u);
	return ST_OK;
}

status app_period_check(const char *period)
{
	long a, b;
	char first[5], second[5];

	if (!period || strlen(period) != 9 || period[4] != '-')
		return status_set(ST_INVALID, "period '%s' is not of the form YYYY-YYYY",
				  period ? period : "");
	memcpy(first, period, 4);
	first[4] = '\0';
	memcpy(second, period + 5, 4);
	second[4] = '\0';
	if (str_to_long(first, 1990, 2100, &a) < 0 || str_to_long(second, 1991, 2101, &b) < 0 ||
	    b != a + 1)
		return status_set(ST_INVALID,
				  "period '%s' must be two consecutive years, e.g. 2017-2018",
				  period);
	return ST_OK;
}

int app_parse_score(const char *v, double *out)
{
	char *end = NULL;

	*out = strtod(v, &end);
	if (!*v || *end || *out < 0 || *out > 100)
		return app_usage("--fail-under: '%s' is not a score from 0 to 100", v);
	return EXIT_OK;
}
