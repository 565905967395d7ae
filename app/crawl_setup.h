/* Options shared by `crawl` and `check`: selection, crawl options, name
 * mapping (--resolve, --hosts-file) and the focus keywords taken from the
 * rule set.  Owns every string it builds. */
#ifndef APP_CRAWL_SETUP_H
#define APP_CRAWL_SETUP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app/app.h"
#include "crawler/crawl.h"
#include "rules/ruleset.h"

struct crawl_setup {
	struct crawl_options opts;
	struct selection sel;
	bool resume, quiet;
	const char *label; /* --label: the crawl run's name, or NULL */
	const char *scope; /* the run's scope: "full" (crawl) or "check" */
	const char *hosts_file;
	const char *rules_path; /* --rules, or NULL for the period's default */
	const char *period, *as_of;
	char period_buf[10], as_of_buf[11];
	char *params;         /* the options as given, for the run record: shell words
			   (a word with a space or quote is in '...') */
	int64_t resume_run;   /* --resume: the crawl run to continue */
	char **argv_owned;    /* crawl_setup_parse_recorded: the words parsed */
	char *words;          /* and their text */
	const char **resolve; /* "HOST:PORT:ADDR": the --resolve words, then hosts */
	size_t nresolve;
	struct strlist hosts; /* the --hosts-file entries, packed */
	const char **allow_addr;
	size_t nallow_addr;
	struct strlist sites;        /* the schools to crawl, packed: id 2i, portal URL 2i+1 */
	struct school_info *schools; /* check only: its school (crawl: NULL) */
	size_t nschools;
	struct ruleset *rules;
	const struct app *app;
	/* Called on the crawl thread after each page is stored (the store is
	 * free then), error as progress counts it; NULL: none.  The re-check
	 * worker records its progress so (app/recheck.c). */
	void (*page_hook)(void *ctx, bool error);
	void *page_hook_ctx;
	/* check only: */
	const char *url;
	const char *format;
	const char *level;
	double fail_under;
	bool has_fail_under;
};

/* The crawl options (crawl and check) and the rule set and period options
 * (crawl, audit and check). */
extern const struct cli_group crawl_setup_group;
extern const struct cli_group crawl_setup_rules_group;

/* Parses the options of crawl (cmd_crawl_cli) or, with check_mode, of
 * check (cmd_check_cli: a URL operand, --school ID, --level, --format,
 * --fail-under) from argv[first], and checks them all (--resolve entries,
 * --allow-addr ranges, the --hosts-file), so that nothing is written for
 * a bad command line.  Returns an exit code. */
int crawl_setup_parse(struct crawl_setup *cs, struct app *a, int argc, char **argv, int first,
		      bool check_mode);
/* Like crawl_setup_parse for crawl, on the options recorded with a run
 * (its params) followed by argv[1..argc-1].  Returns an exit code. */
int crawl_setup_parse_recorded(struct crawl_setup *cs, struct app *a, const char *recorded,
			       int argc, char **argv);
/* Resolves the period and loads the rule set (for focus keywords), once:
 * no store needed, so a bad --rules or --period fails before the store
 * is opened.  Returns an exit code. */
int crawl_setup_rules(struct crawl_setup *cs);
/* crawl_setup_rules, then the selected schools (crawl: cs->sites only;
 * check --school: cs->schools too) and the name mapping.  Returns an exit
 * code. */
int crawl_setup_load(struct crawl_setup *cs, struct store *s);
void crawl_setup_release(struct crawl_setup *cs);

/* Loads the rule set for a period: path when given, else the default set
 * of the period's regime from the rules directory (app/rulesdir.h, with
 * a's config).  Shared with audit. */
status app_load_rules(struct ruleset **out, const char *path, const struct app *a,
		      const char *period) PA_MUST_CHECK;
/* Resolves --period / --as-of defaults into the buffers; exit code. */
int app_resolve_period(const char **period, const char **as_of, char period_buf[10],
		       char as_of_buf[11]);

/* Adds cs->schools that have a portal URL to cs->sites (check).  ST_NOMEM. */
status crawl_setup_add_schools(struct crawl_setup *cs) PA_MUST_CHECK;

/* Crawls cs->sites (cs->schools when it is empty: check URL) into a new crawl run (or resumes the newest one with
 * cs->resume), printing the one-line summary to summary.  Sets *run_out to
 * the run id when not NULL.  Returns an exit code. */
int app_crawl(struct store *s, struct crawl_setup *cs, FILE *summary, int64_t *run_out);

#endif
