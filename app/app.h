/* Shared pieces of the command-line program: the context every command
 * gets, exit codes, option helpers and the school selection. */
#ifndef APP_APP_H
#define APP_APP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/cli.h"
#include "core/finding.h"
#include "core/status.h"
#include "core/strlist.h"
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

/* Opens the store named by --db into *out, mode as store_open_mode
 * (store/db.h): STORE_READ for commands that only read (report, schools
 * list); STORE_WRITE for writers beside a crawl (audit); | STORE_CREATE
 * for commands that fill the store (schools import, crawl, check URL);
 * | STORE_EXCLUSIVE for commands that crawl (one at a time per store).
 * Without STORE_CREATE a missing file is "no such database: PATH" (exit
 * 2) and no file is made, so a mistyped --db never reads as an empty
 * registry.  Prints the error and returns an exit code; *out is NULL on
 * failure. */
int app_open_store(struct store **out, struct app *a, int mode);

/* Maps a status to an exit code: input errors are 2, the rest 3. */
int app_exit_for(status st);
/* Prints "portal-audit: <message>" for a failed status and returns the
 * exit code for it. */
int app_fail(status st);
/* Prints a usage error (one line) and returns EXIT_USAGE. */
int app_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Which schools a command works on. */
struct selection {
	const char **ids;
	size_t nids;
	const char *unit;
	const char *level;
};
#define SELECTION_INIT              \
	{                           \
		NULL, 0, NULL, NULL \
	}
/* The selection options: --school ID..., --unit U, --level L. */
extern const struct cli_group selection_group;
/* Applies the selection option id that cli_next returned (--school also
 * takes the ids that follow it); false when id is no selection option. */
bool selection_take(struct args *a, int id, struct selection *sel);
void selection_release(struct selection *sel);
/* The selected schools from the registry, in id order.  Free with
 * registry_list_free.  A selection that matches no school is ST_NOTFOUND
 * naming the closest unit or school id, compared without case and
 * diacritics ("không có đơn vị 'Quan 1'; có phải 'Quận 1'?"); so is an
 * unknown --school id.  Without --school, the ad hoc schools of
 * `check URL` (store/adhoc.h) are left out. */
status selection_schools(struct store *s, const struct selection *sel, struct school_info **out,
			 size_t *n) PA_MUST_CHECK;
/* The ids selection_schools would select, in the same order and with the
 * same errors, packed into *out (a few bytes a school, not the registry
 * rows: what a command that loads each school itself holds; release with
 * strlist_release, also after a failure). */
status selection_school_ids(struct store *s, const struct selection *sel,
			    struct strlist *out) PA_MUST_CHECK;
/* The selected schools that have a portal URL, as selection_schools
 * picks them and in its order, read one at a time into out: strings 2i
 * and 2i+1 are the id and portal URL of school i (a few dozen bytes a
 * school, not a struct school_info).  Errors as selection_schools; out is
 * empty then.  Release out with strlist_release. */
status selection_portals(struct store *s, const struct selection *sel,
			 struct strlist *out) PA_MUST_CHECK;
bool selection_has(const struct selection *sel, const struct school_info *si);
/* Moves the rows of v (n rows of sz bytes) that keep(row, ctx) accepts to
 * the front, in their order, and returns how many; the others follow them
 * (the caller still frees all n). */
size_t app_keep_rows(void *v, size_t n, size_t sz, bool (*keep)(const void *row, const void *ctx),
		     const void *ctx);

/* Today, UTC, "YYYY-MM-DD". */
void app_today(char out[11]);

/* Parses a --fail-under value, a score from 0 to 100; an exit code. */
int app_parse_score(const char *v, double *out);

/* Commands: each returns the process exit code.  argv[0] is the command
 * word; each command's option table (its help) is its cmd_*_cli. */
extern const struct cli_command cmd_schools_import_cli, cmd_schools_list_cli, cmd_crawl_cli,
	cmd_audit_cli, cmd_check_cli, cmd_report_cli, cmd_rules_lint_cli, cmd_rules_test_cli,
	cmd_runs_list_cli, cmd_review_list_cli, cmd_review_decide_cli, cmd_review_trail_cli,
	cmd_appeal_open_cli, cmd_appeal_list_cli, cmd_appeal_close_cli;
extern const struct cli_command cmd_serve_cli;
int cmd_serve(struct app *a, int argc, char **argv);
/* users and recheck (issue 14: the dashboard's accounts and re-checks) */
extern const struct cli_command cmd_users_add_cli, cmd_users_passwd_cli, cmd_users_disable_cli,
	cmd_users_list_cli, cmd_recheck_add_cli, cmd_recheck_run_cli;
int cmd_users(struct app *a, int argc, char **argv);
int cmd_recheck(struct app *a, int argc, char **argv);
int cmd_crawl(struct app *a, int argc, char **argv);
int cmd_audit(struct app *a, int argc, char **argv);
int cmd_check(struct app *a, int argc, char **argv);
int cmd_report(struct app *a, int argc, char **argv);
int cmd_rules(struct app *a, int argc, char **argv);
int cmd_runs(struct app *a, int argc, char **argv);
int cmd_review(struct app *a, int argc, char **argv);
int cmd_appeal(struct app *a, int argc, char **argv);
/* The audit run `review` and `appeal` work on: ref (an id or a label) or
 * the newest finished full audit; an exit code, printed on failure. */
int app_review_run(struct store *s, const char *ref, int64_t *run);

#endif
