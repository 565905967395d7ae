/* `users add|passwd|disable|list`: the accounts of the dashboard
 * (portal-audit serve; docs/DASHBOARD.md).  A password comes from the
 * first line of standard input when it is not a terminal (scripts), else
 * it is asked twice without echo.  It is never printed, logged or kept in
 * clear (store/users.c keeps an argon2id hash). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "app/app.h"
#include "app/listing.h"
#include "store/users.h"

#define PASSWORD_MAX 1024

static const struct cli_opt add_opts[] = {
	{"--role", NULL, CLI_STR, "admin|unit|school", NULL,
	 "admin sees everything; unit the schools of --unit; school the school --school", OPT_ROLE,
	 0, 0},
	{"--unit", NULL, CLI_STR, "U", NULL, "the unit of a unit user, as in the registry",
	 OPT_UNIT, 0, 0},
	{"--school", NULL, CLI_STR, "ID", NULL, "the school of a school user", OPT_SCHOOL, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group add_group = {"Account options", add_opts};

static const struct cli_opt list_opts[] = {
	{"--format", NULL, CLI_STR, "table|csv|json", "table", "how the users are printed",
	 OPT_FORMAT, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group list_group = {"List options", list_opts};

#define PASSWORD_NOTE                                                                    \
	"The password is the first line of standard input when that is not a\n"          \
	"terminal (printf '%s\\n' \"$PW\" | portal-audit users ...); on a terminal it\n" \
	"is asked twice without echo.  It is stored as an argon2id hash only.\n"

const struct cli_command cmd_users_add_cli = {
	"users add",
	"NAME --role ROLE [OPTIONS]",
	"Adds an account of the dashboard (portal-audit serve).",
	"A unit user needs --unit, a unit of the registry; a school user --school, a\n"
	"school of the registry; an admin neither.  NAME: 1-64 bytes, no spaces.\n" PASSWORD_NOTE,
	{&add_group},
};
const struct cli_command cmd_users_passwd_cli = {
	"users passwd",
	"NAME",
	"Sets the password of an account; its sessions end and its lock is lifted.",
	PASSWORD_NOTE,
	{NULL},
};
const struct cli_command cmd_users_disable_cli = {
	"users disable",
	"NAME",
	"Disables an account: it can no longer log in and its sessions end.",
	NULL,
	{NULL},
};
const struct cli_command cmd_users_list_cli = {
	"users list",
	"[OPTIONS]",
	"Lists the accounts: name, role, unit, school, state (active, disabled).",
	NULL,
	{&list_group},
};

/* What a users command was given. */
struct users_args {
	const char *name, *role, *unit, *school;
	enum listing_format fmt;
};

static int parse(const struct cli_command *cmd, int argc, char **argv, struct users_args *u)
{
	struct args a;
	int id;

	memset(u, 0, sizeof(*u));
	args_init(&a, argc, argv, 2);
	while ((id = cli_next(&a, cmd)) != CLI_END && !a.bad) {
		if (id == CLI_OPERAND && !u->name && cmd != &cmd_users_list_cli)
			u->name = a.val;
		else if (id == OPT_ROLE)
			u->role = a.val;
		else if (id == OPT_UNIT)
			u->unit = a.val;
		else if (id == OPT_SCHOOL)
			u->school = a.val;
		else if (id == OPT_FORMAT &&
			 listing_format_parse(cmd->name, a.val, &u->fmt) != EXIT_OK)
			return EXIT_USAGE;
		else if (id == CLI_OPERAND)
			return app_usage("%s: unexpected '%s' (see portal-audit %s --help)",
					 cmd->name, a.val, cmd->name);
	}
	if (a.bad)
		return EXIT_USAGE;
	if (!u->name && cmd != &cmd_users_list_cli)
		return app_usage("%s: which user? (see portal-audit %s --help)", cmd->name,
				 cmd->name);
	if (cmd == &cmd_users_add_cli && !u->role)
		return app_usage("users add: --role admin|unit|school is required");
	return EXIT_OK;
}

/* One line from f into buf without its line end; false at EOF or when
 * longer than the buffer (then *too_long). */
static bool read_line(FILE *f, char *buf, size_t cap, bool *too_long)
{
	size_t n;

	*too_long = false;
	if (!fgets(buf, (int)cap, f))
		return false;
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (!feof(f)) {
		*too_long = true;
		return false;
	}
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return true;
}

/* Asks for a line on the terminal without echo.  Echo goes off before
 * the prompt shows and nothing typed is discarded (TCSANOW, not
 * TCSAFLUSH), so a password typed or pasted at once is kept. */
static bool ask(const char *prompt, char *buf, size_t cap, bool *too_long)
{
	struct termios old, quiet;
	bool ok, echo_off;

	echo_off = tcgetattr(STDIN_FILENO, &old) == 0;
	if (echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		echo_off = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
	}
	fputs(prompt, stderr);
	fflush(stderr);
	ok = read_line(stdin, buf, cap, too_long);
	if (echo_off)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &old);
	return ok;
}

/* The new password of name into pw (PASSWORD_MAX + 2 bytes); an exit
 * code, the error printed. */
static int read_password(const char *cmd, const char *name, char *pw)
{
	char again[PASSWORD_MAX + 2], prompt[160];
	bool too_long = false, ok;
	int rc = EXIT_OK;

	if (!isatty(STDIN_FILENO)) {
		ok = read_line(stdin, pw, PASSWORD_MAX + 2, &too_long);
	} else {
		snprintf(prompt, sizeof(prompt), "Mật khẩu của %s: ", name);
		ok = ask(prompt, pw, PASSWORD_MAX + 2, &too_long);
		if (ok && *pw)
			ok = ask("Nhập lại mật khẩu: ", again, sizeof(again), &too_long);
		if (ok && *pw && strcmp(pw, again) != 0)
			rc = app_usage("%s: the two passwords differ; nothing changed", cmd);
		explicit_bzero(again, sizeof(again));
	}
	if (rc == EXIT_OK && too_long)
		rc = app_usage("%s: the password is longer than %d bytes", cmd, PASSWORD_MAX);
	else if (rc == EXIT_OK && (!ok || !*pw))
		rc = app_usage("%s: the password is empty (give it as the first line of standard "
			       "input)",
			       cmd);
	if (rc != EXIT_OK)
		explicit_bzero(pw, PASSWORD_MAX + 2);
	return rc;
}

static int write_cmd(struct app *a, const struct cli_command *cmd, const struct users_args *u)
{
	char pw[PASSWORD_MAX + 2] = "";
	enum user_role role = ROLE_ADMIN;
	struct store *s = NULL;
	status st = ST_OK;
	int rc = EXIT_OK;

	if (cmd == &cmd_users_add_cli && (st = user_role_parse(u->role, &role)) < 0)
		return app_usage("users add: %s", status_message());
	rc = app_open_store(&s, a, STORE_WRITE);
	if (rc == EXIT_OK && cmd != &cmd_users_disable_cli)
		rc = read_password(cmd->name, u->name, pw);
	if (rc == EXIT_OK) {
		if (cmd == &cmd_users_add_cli)
			st = users_add(s, u->name, role, u->unit, u->school, pw);
		else if (cmd == &cmd_users_passwd_cli)
			st = users_passwd(s, u->name, pw);
		else
			st = users_disable(s, u->name);
		rc = st < 0 ? app_fail(st) : EXIT_OK;
	}
	explicit_bzero(pw, sizeof(pw));
	store_free(s);
	return rc;
}

static const char *const heads[] = {"name", "role", "unit", "school", "state"};

static const char *cell(const void *rows, size_t i, int c, char num[24])
{
	const struct user *u = (const struct user *)rows + i;

	(void)num;
	switch (c) {
	case 0:
		return u->name;
	case 1:
		return user_role_str(u->role);
	case 2:
		return u->unit;
	case 3:
		return u->school_id;
	default:
		return u->disabled ? "disabled" : "active";
	}
}

static int list_cmd(struct app *a, const struct users_args *u)
{
	struct listing l = {heads, 5, 0, cell, NULL, 0};
	struct store *s = NULL;
	struct user *v = NULL;
	size_t n = 0;
	status st;
	int rc = app_open_store(&s, a, STORE_READ);

	if (rc != EXIT_OK)
		return rc;
	st = users_list(s, &v, &n);
	store_free(s);
	if (st < 0)
		return app_fail(st);
	l.nrows = n;
	l.rows = v;
	rc = listing_stdout(a, u->fmt, &l);
	users_free(v, n);
	return rc;
}

int cmd_users(struct app *a, int argc, char **argv)
{
	static const struct cli_command *const cmds[] = {&cmd_users_add_cli, &cmd_users_passwd_cli,
							 &cmd_users_disable_cli,
							 &cmd_users_list_cli};
	const struct cli_command *cmd = NULL;
	struct users_args u;
	size_t i;
	int rc;

	for (i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmds[i]->name + strlen("users "), argv[1]) == 0)
			cmd = cmds[i];
	if (!cmd)
		return app_usage("users: which subcommand? add, passwd, disable or list (try "
				 "portal-audit help users)");
	rc = parse(cmd, argc, argv, &u);
	if (rc != EXIT_OK)
		return rc;
	return cmd == &cmd_users_list_cli ? list_cmd(a, &u) : write_cmd(a, cmd, &u);
}
