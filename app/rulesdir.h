/* Where the rule sets of the period defaults are found, when --rules is
 * not given.  The first of these that is set wins:
 *
 *   1. rules_dir in the configuration file (passed as configured);
 *   2. $PORTAL_AUDIT_RULES, when not empty;
 *   3. the install prefix, found from the binary's own location
 *      (/proc/self/exe): BINDIR/../share/portal-audit/rules, so
 *      /usr/bin/portal-audit reads /usr/share/portal-audit/rules.  A binary
 *      in the build tree reads BUILD/share/portal-audit/rules instead,
 *      which the build links to the source's rules/sets.
 *
 * No build or source path is compiled in. */
#ifndef APP_RULESDIR_H
#define APP_RULESDIR_H

#include "core/status.h"

/* Sets *out (malloc'd) to the rules directory and *origin to a phrase
 * saying where it came from ("$PORTAL_AUDIT_RULES", ...; static).  When
 * the chosen directory does not exist, ST_NOTFOUND names it, its origin
 * and how to choose another. */
status rulesdir_find(char **out, const char **origin, const char *configured) PA_MUST_CHECK;

#endif
