/* Temporary files for unit tests: a store path under /tmp and its removal
 * with the files SQLite and the store leave beside it, and small text
 * files (a registry CSV, a config file).  Paths live in the caller's
 * buffer of TMPFILES_PATH bytes; nothing is allocated. */
#ifndef TESTS_UNIT_COMMON_TMPFILES_H
#define TESTS_UNIT_COMMON_TMPFILES_H

#include <stddef.h>

#define TMPFILES_PATH 96

/* Makes a new empty file /tmp/NAME_XXXXXX for a store (store_open takes an
 * empty file as a new store) and puts its name in path.  0, or -1 when
 * the file cannot be made. */
int tmpfiles_store(char path[TMPFILES_PATH], const char *name);

/* Removes the store at path and its companions: -wal, -shm (SQLite) and
 * .lock (the store's writer lock).  Missing files are no error. */
void tmpfiles_store_remove(const char *path);

/* Writes len bytes of data to a new file /tmp/NAME_XXXXXXSUFFIX (suffix
 * may be "", e.g. ".csv") and puts its name in path; the caller unlinks
 * it.  0, or -1 when the file cannot be made or written. */
int tmpfiles_text(char path[TMPFILES_PATH], const char *name, const char *suffix, const char *data,
		  size_t len);

#endif
