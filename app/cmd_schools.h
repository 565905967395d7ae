/* `portal-audit [--db FILE] schools ...`: the registry commands.
 *
 *   schools import FILE.csv
 *       validates and imports the registry (store/registry.h); prints one
 *       line per changed school, then
 *       "imported FILE: N schools (A added, U updated, K unchanged)".
 *       A bad file prints every error as "FILE:LINE: message" on stderr
 *       and imports nothing.
 *   schools list [--unit U] [--level L] [--format table|csv|json]
 *       table: aligned by terminal display width, empty portal shown "-";
 *       csv: RFC 4180 with CRLF and the import header (school_id, name,
 *         unit, level, ownership, portal_url), so the output can be
 *         imported again; a cell starting with = + - @ TAB or CR gets a
 *         leading ' so spreadsheets do not run it as a formula;
 *       json: an array of objects with keys id, name, unit, level,
 *         ownership, portal_url (null when the school has no portal).
 *
 * Exit codes (DESIGN.md §3): 0 success, 2 usage or input error (the
 * message names the file and line), 3 runtime failure (store, memory,
 * output); a --db that does not exist is 2 for list. */
#ifndef APP_CMD_SCHOOLS_H
#define APP_CMD_SCHOOLS_H

#include "app/app.h"

/* argv[0] is "schools", argv[1] the subcommand, import or list (main
 * dispatches on it).  Opens the store named by --db: import creates it,
 * list needs it to exist. */
int cmd_schools(struct app *a, int argc, char **argv);

#endif
