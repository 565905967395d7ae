/* Shared pieces of the command-line program: the context every command
 * gets, exit codes, option helpers and the school selection. */
#ifndef APP_APP_H
#define APP_APP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/finding.h"
#include "core/status.h"
#include "store/db.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_THRESHOLD = 1, /* findings failed a --fail-under threshold */
	EXIT_USAGE = 2,     /* usage or input error */
	EXIT_RUNTIME = 3,   /* runtime failure */
};

struct config;

struct app {
	const char *db_path;
	const struct config *config; /* the config file's settings (app/config.h) */
	const char *argv0;
	volatile sig_atomic_t stop; /* set by SIGINT/SIGTERM */
};

/* Opens the store named by --db; prints the error and returns NULL on
 * failure. */
struct store *app_open_store(struct app *a);

/* Maps a status to an exit code: input errors are 2, the rest 3. */
int app_exit_for(status st);
/* Prints "portal-audit: <message>" for a failed status and returns the
 * exit code for it. */
int app_fail(status st);
/* Prints a usage error (one line) and returns EXIT_USAGE. */
int app_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Option parsing: a tiny cursor over argv.  `--name value` and
 * `--name=value` are both accepted. */
struct args {
	int argc;
	char **argv;
	int i;
	const char *val; /* value of the last matched option */
	bool bad;        /* a value was missing: usage already printed */
};
void args_init(struct args *a, int argc, char **argv, int first);
bool args_done(const struct args *a);
const char *args_peek(const struct args *a);
/* True when the current word is flag (and consumes it). */
bool args_flag(struct args *a, const char *flag);
/* True when the current word is opt with a value (consumed into a->val). */
bool args_opt(struct args *a, const char *opt);
/* Parses a->val as an integer in [min, max], or prints a usage error. */
bool args_long(struct args *a, const char *opt, long min, long max, long *out);

/* Which schools a command works on. */
struct selection {
	const char **ids;
	size_t nids;
	const char *unit;
	const char *level;
};
#define SELECTION_INIT {NULL, 0, NULL, NULL}
/* Consumes a selection option at the cursor (--school ID..., --unit U,
 * --level L); returns true when one was consumed. */
bool selection_parse(struct args *a, struct selection *sel);
void selection_release(struct selection *sel);
/* The selected schools from the registry, in id order.  Free with
 * registry_list_free.  An unknown --school id is ST_NOTFOUND. */
status selection_schools(struct store *s, const struct selection *sel, struct school_info **out,
			 size_t *n) PA_MUST_CHECK;
bool selection_has(const struct selection *sel, const struct school_info *si);

/* The school year containing date "YYYY-MM-DD": a school year starts on
 * 1 August (earliest tựu trường), so 2018-05-15 is in 2017-2018 and
 * 2018-08-01 in 2018-2019.  out holds "YYYY-YYYY" (10 bytes + NUL). */
status app_period_for(const char *date, char out[10]) PA_MUST_CHECK;
/* Validates "YYYY-YYYY" with consecutive years. */
status app_period_check(const char *period) PA_MUST_CHECK;
/* Today, UTC, "YYYY-MM-DD". */
void app_today(char out[11]);

/* Removes "--fail-under N" (or "--fail-under=N") from argv, shifting the
 * rest down; sets *threshold (a score 0..100) and *given.  Returns an exit
 * code (EXIT_USAGE for a bad value). */
int args_take_fail_under(int *argc, char **argv, double *threshold, bool *given);

/* Commands: each returns the process exit code. */
int cmd_crawl(struct app *a, int argc, char **argv);
int cmd_audit(struct app *a, int argc, char **argv);
int cmd_check(struct app *a, int argc, char **argv);
int cmd_report(struct app *a, int argc, char **argv);
int cmd_rules(struct app *a, int argc, char **argv);

#endif
