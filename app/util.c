#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "core/clock.h"
#include "core/str.h"
#include "store/registry.h"

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

const struct cli_opt selection_opts[] = {
	{"--school", NULL, CLI_STR, "ID...", NULL, "only these schools (registry ids, one or more)",
	 OPT_SCHOOL, 0, 0},
	{"--unit", NULL, CLI_STR, "U", NULL,
	 "only the schools of this unit (district or ward office)", OPT_UNIT, 0, 0},
	{"--level", NULL, CLI_STR, "L", NULL,
	 "only schools of this level: mn, th, thcs, thpt, gdtx", OPT_LEVEL, 0, 0},
	CLI_OPT_END,
};
const struct cli_group selection_group = {"Selection (default: every school)", selection_opts};

bool selection_take(struct args *a, int id, struct selection *sel)
{
	switch (id) {
	case OPT_SCHOOL:
		/* --school takes one or more ids, up to the next option. */
		do {
			const char **nv = realloc(sel->ids, (sel->nids + 1) * sizeof(*nv));

			if (!nv) {
				app_usage("out of memory");
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
	case OPT_UNIT:
		sel->unit = a->val;
		return true;
	case OPT_LEVEL:
		sel->level = a->val;
		return true;
	default:
		return false;
	}
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
					  sel->ids[i],
					  sel->unit || sel->level ? " (with that unit/level)" : "");
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

int app_parse_score(const char *v, double *out)
{
	char *end = NULL;

	*out = strtod(v, &end);
	if (!*v || *end || *out < 0 || *out > 100)
		return app_usage("--fail-under: '%s' is not a score from 0 to 100", v);
	return EXIT_OK;
}
