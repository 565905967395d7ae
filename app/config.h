/* The configuration file: /etc/portal-audit/portal-audit.conf when it
 * exists, or the file named by the global option --config.
 *
 * The format is `key = value` lines; blank lines and lines starting with
 * # are ignored, a value runs to the end of the line (white space around
 * it is dropped) and may not be empty.  Keys (docs/INSTALL.md):
 *
 *   db = PATH            the database (--db)
 *   rules_dir = DIR      where the rule sets are (before $PORTAL_AUDIT_RULES)
 *   contact = URL|EMAIL  the contact put in the crawler's User-Agent
 *   user_agent = UA      the whole User-Agent (--user-agent)
 *   per_host = N         (--per-host)       delay = MS     (--delay)
 *   timeout = S          (--timeout)        max_pages = N  (--max-pages)
 *   allow_addr = CIDR    repeatable (--allow-addr)
 *
 * Each value is checked as its command-line option would be.  The command
 * line beats the file: a scalar given on the command line replaces the
 * file's, and any --allow-addr replaces the whole allow_addr list.
 *
 * A struct config owns every string in it. */
#ifndef APP_CONFIG_H
#define APP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"
#include "crawler/crawl.h"

#define CONFIG_SYSTEM_PATH "/etc/portal-audit/portal-audit.conf"

struct config {
	char *path; /* the file read, NULL when none */
	char *db;   /* NULL: not set (likewise for every string) */
	char *rules_dir;
	char *user_agent;                              /* user_agent, or built from contact */
	long per_host, delay_ms, timeout_s, max_pages; /* -1: not set */
	char **allow_addr;
	size_t nallow_addr;
};
#define CONFIG_INIT                                             \
	{                                                       \
		NULL, NULL, NULL, NULL, -1, -1, -1, -1, NULL, 0 \
	}

/* Parses text (len bytes) read from the file called name into c, which
 * must be CONFIG_INIT.  ST_PARSE names the first error as
 * "name:line: what is wrong"; c is then released. */
status config_parse(struct config *c, const char *name, const char *text, size_t len) PA_MUST_CHECK;

/* Reads and parses the file at path.  When required is false a missing
 * file is not an error (c stays CONFIG_INIT); otherwise it is ST_INVALID
 * naming the path. */
status config_load(struct config *c, const char *path, bool required) PA_MUST_CHECK;

/* Copies the crawl settings of c into o (strings stay owned by c), so the
 * command line parsed afterwards overrides them. */
void config_apply_crawl(const struct config *c, struct crawl_options *o);

void config_release(struct config *c);

#endif
