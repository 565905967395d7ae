#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "core/clock.h"
#include "core/str.h"
#include "store/registry.h"

struct store *app_open_store(struct app *a)
{
	struct store *s = NULL;

	if (store_open(&s, a->db_path) < 0) {
		fprintf(stderr, "portal-audit: %s\n", status_message());
		return NULL;
	}
	return s;
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
	a->bad = false;
}

bool args_done(const struct args *a)
{
	return a->bad || a->i >= a->argc;
}

const char *args_peek(const struct args *a)
{
	return a->i < a->argc ? a->argv[a->i] : "";
}

bool args_flag(struct args *a, const char *flag)
{
	if (a->i < a->argc && strcmp(a->argv[a->i], flag) == 0) {
		a->i++;
		return true;
	}
	return false;
}

bool args_opt(struct args *a, const char *opt)
{
	const char *w = args_peek(a);
	size_t n = strlen(opt);

	if (strncmp(w, opt, n) != 0)
		return false;
	if (w[n] == '=') {
		a->val = w + n + 1;
		a->i++;
		return true;
	}
	if (w[n] != '\0')
		return false;
	if (a->i + 1 >= a->argc) {
		app_usage("option %s needs a value", opt);
		a->bad = true;
		a->i = a->argc;
		return false;
	}
	a->val = a->argv[a->i + 1];
	a->i += 2;
	return true;
}

bool args_long(struct args *a, const char *opt, long min, long max, long *out)
{
	if (str_to_long(a->val, min, max, out) < 0) {
		app_usage("%s: %s", opt, status_message());
		a->bad = true;
		return false;
	}
	return true;
}

bool selection_parse(struct args *a, struct selection *sel)
{
	if (args_opt(a, "--school")) {
		/* --school takes one or more ids, up to the next option. */
		do {
			const char **nv = realloc(sel->ids, (sel->nids + 1) * sizeof(*nv));

			if (!nv) {
				a->bad = true;
				return true;
			}
			sel->ids = nv;
			sel->ids[sel->nids++] = a->val;
			if (args_done(a) || args_peek(a)[0] == '-')
				break;
			a->val = a->argv[a->i++];
		} while (1);
		return true;
	}
	if (args_opt(a, "--unit")) {
		sel->unit = a->val;
		return true;
	}
	if (args_opt(a, "--level")) {
		sel->level = a->val;
		return true;
	}
	return false;
}

void selection_release(struct selection *sel)
{
	free(sel->ids);
	sel->ids = NULL;
	sel->nids = 0;
}

bool selection_has(const struct selection *sel, const struct school_info *si)
{
	size_t i;

	if (!sel->nids)
		return true;
	for (i = 0; i < sel->nids; i++)
		if (strcmp(sel->ids[i], si->id) == 0)
			return true;
	return false;
}

status selection_schools(struct store *s, const struct selection *sel, struct school_info **out,
			 size_t *n)
{
	struct registry_filter f = {sel->unit, sel->level};
	struct school_info *v = NULL;
	size_t cnt = 0, i, j, k = 0;
	status st;

	*out = NULL;
	*n = 0;
	st = registry_list(s, &f, &v, &cnt);
	if (st < 0)
		return st;
	for (i = 0; i < sel->nids; i++) {
		for (j = 0; j < cnt && strcmp(v[j].id, sel->ids[i]) != 0; j++)
			;
		if (j == cnt) {
			registry_list_free(v, cnt);
			return status_set(ST_NOTFOUND, "no school with id '%s' in the registry%s",
					  sel->ids[i], sel->unit || sel->level ? " (with that unit/level)" : "");
		}
	}
	/* Keep the selected ones, in id order, freeing the rest. */
	for (i = 0; i < cnt; i++) {
		if (selection_has(sel, &v[i]))
			v[k++] = v[i];
		else
			school_info_release(&v[i]);
	}
	*out = v;
	*n = k;
	return ST_OK;
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
				  "period '%s' must be two consecutive years, e.g. 2017-2018", period);
	return ST_OK;
}

int args_take_fail_under(int *argc, char **argv, double *threshold, bool *given)
{
	int i, j, k = 1;

	*given = false;
	for (i = 1; i < *argc; i++) {
		const char *v = NULL;
		char *end = NULL;

		if (strcmp(argv[i], "--fail-under") == 0) {
			if (i + 1 >= *argc)
				return app_usage("option --fail-under needs a value");
			v = argv[++i];
		} else if (str_starts_with(argv[i], "--fail-under=")) {
			v = argv[i] + strlen("--fail-under=");
		} else {
			argv[k++] = argv[i];
			continue;
		}
		*threshold = strtod(v, &end);
		if (!*v || *end || *threshold < 0 || *threshold > 100)
			return app_usage("--fail-under: '%s' is not a score from 0 to 100", v);
		*given = true;
	}
	for (j = k; j < *argc; j++)
		argv[j] = NULL;
	*argc = k;
	return EXIT_OK;
}
