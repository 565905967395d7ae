/* Command-line option tables.  Each command describes its options once,
 * in const tables read both by the parser (cli_next) and by the help
 * printer (cli_help), so what a command accepts and what its help lists
 * cannot drift.  `portal-audit __options` prints every table, which the
 * tests compare with the help and the man page, and the bash completion
 * reads. */
#ifndef APP_CLI_H
#define APP_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* A cursor over argv; cli_next reads a command's options from it. */
struct args {
	int argc;
	char **argv;
	int i;
	const char *val; /* value of the last matched option */
	long num;        /* its value, for an integer option (cli_next) */
	bool bad;        /* a value was missing: usage already printed */
	bool rest;       /* after "--": every word is an operand */
};
void args_init(struct args *a, int argc, char **argv, int first);
bool args_done(const struct args *a);
const char *args_peek(const struct args *a);

/* Every option of the program, so shared tables (selection, crawl
 * options) and a command's own ones never collide. */
enum cli_id {
	OPT_NONE = 0,
	/* global, before COMMAND */
	OPT_DB,
	OPT_CONFIG,
	OPT_VERBOSE,
	OPT_VERSION,
	OPT_HELP,
	/* selection */
	OPT_SCHOOL,
	OPT_UNIT,
	OPT_LEVEL,
	/* rule set and period */
	OPT_RULES,
	OPT_PERIOD,
	OPT_AS_OF,
	/* crawl */
	OPT_MAX_DOCS,
	OPT_MAX_DOC_BYTES,
	OPT_DOC_TIMEOUT,
	OPT_EXPLORE,
	OPT_LIST_PAGES,
	OPT_SECTION_PAGES,
	OPT_FOCUS,
	OPT_THREADS,
	OPT_PER_HOST,
	OPT_DELAY,
	OPT_MAX_PAGES,
	OPT_MAX_DEPTH,
	OPT_TIMEOUT,
	OPT_USER_AGENT,
	OPT_RESOLVE,
	OPT_HOSTS_FILE,
	OPT_ALLOW_PRIVATE,
	OPT_ALLOW_ADDR,
	OPT_RESUME,
	OPT_QUIET,
	/* audit, check, report, schools list */
	OPT_CRAWL_RUN,
	OPT_FAIL_UNDER,
	OPT_FORMAT,
	OPT_OUTPUT,
	OPT_RUN,
	OPT_COMPARE,
	OPT_DEADLINE, /* report notice */
	/* runs: crawl and audit */
	OPT_LABEL,
	OPT_MAX_CRAWL_AGE,
	/* report */
	OPT_GROUP_BY,
	OPT_HISTORY,
	OPT_ALL,
	/* review, appeal */
	OPT_VERDICT,
	OPT_REASON,
	OPT_BY,
	OPT_EVIDENCE,
	OPT_TEXT,
	OPT_ACCEPT,
	OPT_REJECT,
};

enum cli_kind {
	CLI_FLAG, /* no value */
	CLI_STR,  /* a value, checked by the command */
	CLI_INT,  /* an integer in [min, max], checked by cli_next into args.num */
};

struct cli_opt {
	const char *name;  /* "--threads" */
	const char *alias; /* "-o", or NULL */
	enum cli_kind kind;
	const char *arg;  /* "N", "table|csv|json"; NULL for a flag */
	const char *def;  /* the default as help shows it, or NULL */
	const char *help; /* what it does, one line */
	enum cli_id id;
	long min, max; /* CLI_INT only */
};

#define CLI_OPT_END                                                    \
	{                                                              \
		NULL, NULL, CLI_FLAG, NULL, NULL, NULL, OPT_NONE, 0, 0 \
	}

/* A titled table of options; opts ends with an entry whose name is NULL. */
struct cli_group {
	const char *title;
	const struct cli_opt *opts;
};

#define CLI_MAX_GROUPS 5

struct cli_command {
	const char *name;                               /* "crawl", "schools list" */
	const char *operands;                           /* "[SELECTION] [OPTIONS]" */
	const char *summary;                            /* what it does, one line */
	const char *notes;                              /* more help (lines end with \n), or NULL */
	const struct cli_group *groups[CLI_MAX_GROUPS]; /* NULL-terminated */
};

/* The global options (before COMMAND). */
extern const struct cli_command cli_global;

/* What cli_next found besides an option id. */
enum {
	CLI_END = 0,      /* no words left */
	CLI_OPERAND = -1, /* a word that is not an option, in args.val */
	CLI_ERROR = -2,   /* unknown option or bad value: usage printed, args.bad set */
};

/* Consumes the next word of a as one of cmd's options and returns its id
 * (its value in a->val, an integer's in a->num), CLI_OPERAND, CLI_END or
 * CLI_ERROR.  "--name VALUE" and "--name=VALUE" both work; after "--"
 * every word is an operand. */
int cli_next(struct args *a, const struct cli_command *cmd);

/* True when --help or -h stands where cmd expects an option in
 * argv[first..]: values of options are skipped, so `--user-agent -h`
 * asks for no help. */
bool cli_wants_help(const struct cli_command *cmd, int argc, char **argv, int first);

/* Prints cmd's help: usage, summary, every option with its default. */
void cli_help(FILE *f, const struct cli_command *cmd);

/* Prints the option tables of cmd (and --help), titled, with defaults. */
void cli_print_options(FILE *f, const struct cli_command *cmd);

/* Prints "NAME<TAB>OPTION<TAB>ARG" for every option cmd accepts (aliases
 * and --help too); NAME is "global" for cli_global. */
void cli_list_options(FILE *f, const struct cli_command *cmd);

/* The table entry of an option name in cmd, or NULL. */
const struct cli_opt *cli_find(const struct cli_command *cmd, const char *name);

#endif
