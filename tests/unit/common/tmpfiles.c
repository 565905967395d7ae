#include "tests/unit/common/tmpfiles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A new file /tmp/NAME_XXXXXXSUFFIX, open; -1 when it cannot be made. */
static int make(char path[TMPFILES_PATH], const char *name, const char *suffix)
{
	int n = snprintf(path, TMPFILES_PATH, "/tmp/%s_XXXXXX%s", name, suffix);

	if (n < 0 || n >= TMPFILES_PATH)
		return -1;
	return mkstemps(path, (int)strlen(suffix));
}

int tmpfiles_store(char path[TMPFILES_PATH], const char *name)
{
	int fd = make(path, name, "");

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

void tmpfiles_store_remove(const char *path)
{
	static const char *const companions[] = {"", "-wal", "-shm", ".lock"};
	char p[TMPFILES_PATH + 8];

	for (size_t i = 0; i < sizeof(companions) / sizeof(companions[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, companions[i]);
		unlink(p);
	}
}

int tmpfiles_text(char path[TMPFILES_PATH], const char *name, const char *suffix, const char *data,
		  size_t len)
{
	int fd = make(path, name, suffix);
	ssize_t w;

	if (fd < 0)
		return -1;
	w = write(fd, data, len);
	close(fd);
	if (w < 0 || (size_t)w != len) {
		unlink(path);
		return -1;
	}
	return 0;
}
