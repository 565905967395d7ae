#include "app/cli.h"

#include <string.h>

#include "core/str.h"

/* Every command takes these; main answers them before the command runs
 * (cli_wants_help), so they are in no command's own table. */
static const struct cli_opt help_opts[] = {
	{"--help", "-h", CLI_FLAG, NULL, NULL, "show this help and exit", OPT_HELP, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group help_group = {NULL, help_opts};

static const struct cli_opt global_opts[] = {
	{"--db", NULL, CLI_STR, "FILE", "portal-audit.db",
	 "the database (the config file's db when set)", OPT_DB, 0, 0},
	{"--config", NULL, CLI_STR, "FILE", "/etc/portal-audit/portal-audit.conf",
	 "read settings from this file (the default one only when it exists)", OPT_CONFIG, 0, 0},
	{"--verbose", "-v", CLI_FLAG, NULL, NULL,
	 "also log retries, unreachable schools and their reasons", OPT_VERBOSE, 0, 0},
	{"--version", NULL, CLI_FLAG, NULL, NULL, "print the version and exit", OPT_VERSION, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group global_group = {"Global options (before COMMAND)", global_opts};

const struct cli_command cli_global = {
	"global",
	"[GLOBAL OPTIONS] COMMAND [OPTIONS]",
	"Audits school web portals for the disclosures the law requires.",
	NULL,
	{&global_group},
};

/* Looks name up among cmd's options and the help options; n is the
 * length to compare (the part before '=' of "--name=value"). */
static const struct cli_opt *find(const struct cli_command *cmd, const char *name, size_t n)
{
	size_t g;
	const struct cli_opt *o;

	for (g = 0; g < CLI_MAX_GROUPS && cmd->groups[g]; g++)
		for (o = cmd->groups[g]->opts; o->name; o++)
			if ((strlen(o->name) == n && strncmp(o->name, name, n) == 0) ||
			    (o->alias && strlen(o->alias) == n && strncmp(o->alias, name, n) == 0))
				return o;
	return NULL;
}

const struct cli_opt *cli_find(const struct cli_command *cmd, const char *name)
{
	return find(cmd, name, strlen(name));
}

static int bad(struct args *a, const struct cli_command *cmd, const char *fmt, const char *what,
	       const char *detail)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, what, detail);
	if (cmd == &cli_global)
		fprintf(stderr, "portal-audit: %s (see portal-audit --help)\n", msg);
	else
		fprintf(stderr, "portal-audit: %s: %s (see portal-audit %s --help)\n", cmd->name,
			msg, cmd->name);
	a->bad = true;
	return CLI_ERROR;
}

int cli_next(struct args *a, const struct cli_command *cmd)
{
	const struct cli_opt *o;
	const char *w, *eq;
	size_t n;

	if (args_done(a))
		return a->bad ? CLI_ERROR : CLI_END;
	w = a->argv[a->i];
	if (!a->rest && strcmp(w, "--") == 0) {
		a->rest = true;
		a->i++;
		return cli_next(a, cmd);
	}
	if (a->rest || w[0] != '-' || w[1] == '\0') {
		a->val = w;
		a->i++;
		return CLI_OPERAND;
	}
	eq = w[1] == '-' ? strchr(w, '=') : NULL;
	n = eq ? (size_t)(eq - w) : strlen(w);
	o = find(cmd, w, n);
	if (!o || o->id == OPT_HELP)
		return bad(a, cmd, "unknown option '%s'%s", w, "");
	a->i++;
	if (o->kind == CLI_FLAG) {
		if (eq)
			return bad(a, cmd, "option %s takes no value%s", o->name, "");
		return (int)o->id;
	}
	if (eq) {
		a->val = eq + 1;
	} else if (a->i < a->argc) {
		a->val = a->argv[a->i++];
	} else {
		return bad(a, cmd, "option %s needs a value (%s)", o->name, o->arg);
	}
	if (o->kind == CLI_INT && str_to_long(a->val, o->min, o->max, &a->num) < 0)
		return bad(a, cmd, "%s: %s", o->name, status_message());
	return (int)o->id;
}

bool cli_wants_help(const struct cli_command *cmd, int argc, char **argv, int first)
{
	int i;

	for (i = first; i < argc; i++) {
		const char *w = argv[i];
		const struct cli_opt *o;

		if (strcmp(w, "--") == 0)
			return false;
		if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0)
			return true;
		if (w[0] != '-' || strchr(w, '='))
			continue;
		o = cli_find(cmd, w);
		if (o && o->kind != CLI_FLAG)
			i++;
	}
	return false;
}

/* "  -o, --output PATH" */
static size_t print_left(FILE *f, const struct cli_opt *o)
{
	int n = fprintf(f, "  %s%s%s%s%s", o->alias ? o->alias : "", o->alias ? ", " : "", o->name,
			o->arg ? " " : "", o->arg ? o->arg : "");

	return n > 0 ? (size_t)n : 0;
}

#define HELP_COLUMN 28
#define HELP_WIDTH 80

/* Prints text from column col (the cursor is at column at), wrapped at
 * spaces to HELP_WIDTH. */
static void print_wrapped(FILE *f, const char *text, size_t col, size_t at)
{
	const char *p = text;

	while (*p) {
		size_t room = HELP_WIDTH - col, n = strlen(p), cut = n;

		if (at > col) {
			fputc('\n', f);
			at = 0;
		}
		fprintf(f, "%*s", (int)(col - at), "");
		if (n > room) {
			for (cut = room; cut > 0 && p[cut] != ' '; cut--)
				;
			if (cut == 0)
				for (cut = room; p[cut] && p[cut] != ' '; cut++)
					;
		}
		fprintf(f, "%.*s\n", (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
		at = 0;
	}
}

static void print_group(FILE *f, const struct cli_group *g)
{
	const struct cli_opt *o;
	char text[512];

	if (g->title)
		fprintf(f, "\n%s:\n", g->title);
	for (o = g->opts; o->name; o++) {
		size_t w = print_left(f, o);

		snprintf(text, sizeof(text), "%s%s%s%s", o->help, o->def ? " (default: " : "",
			 o->def ? o->def : "", o->def ? ")" : "");
		print_wrapped(f, text, HELP_COLUMN, w + 2 > HELP_COLUMN ? HELP_WIDTH : w);
	}
}

void cli_print_options(FILE *f, const struct cli_command *cmd)
{
	size_t g;

	for (g = 0; g < CLI_MAX_GROUPS && cmd->groups[g]; g++)
		print_group(f, cmd->groups[g]);
	if (cmd != &cli_global)
		fputs("\nOther options:\n", f);
	print_group(f, &help_group);
}

void cli_help(FILE *f, const struct cli_command *cmd)
{
	fprintf(f, "usage: portal-audit [GLOBAL OPTIONS] %s %s\n\n%s\n", cmd->name, cmd->operands,
		cmd->summary);
	if (cmd->notes)
		fprintf(f, "\n%s", cmd->notes);
	cli_print_options(f, cmd);
	fputs("\nGlobal options and exit statuses: portal-audit --help; manual: man portal-audit\n",
	      f);
}

static void list_group(FILE *f, const char *name, const struct cli_group *g)
{
	const struct cli_opt *o;

	for (o = g->opts; o->name; o++) {
		fprintf(f, "%s\t%s\t%s\n", name, o->name, o->arg ? o->arg : "");
		if (o->alias)
			fprintf(f, "%s\t%s\t%s\n", name, o->alias, o->arg ? o->arg : "");
	}
}

void cli_list_options(FILE *f, const struct cli_command *cmd)
{
	size_t g;

	for (g = 0; g < CLI_MAX_GROUPS && cmd->groups[g]; g++)
		list_group(f, cmd->name, cmd->groups[g]);
	list_group(f, cmd->name, &help_group);
}
