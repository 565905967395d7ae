#include "app/rulesdir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/str.h"

/* Both relative to the directory of the binary; CMake passes the ones
 * matching its install layout (GNUInstallDirs). */
#ifndef PA_RULES_FROM_BIN
#define PA_RULES_FROM_BIN "../share/portal-audit/rules"
#endif
#ifndef PA_RULES_IN_BUILD
#define PA_RULES_IN_BUILD "share/portal-audit/rules"
#endif

static bool is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static status missing(const char *dir, const char *origin)
{
	return status_set(ST_NOTFOUND,
			  "rules directory %s (%s): %s; give --rules FILE, rules_dir in the config "
			  "file or $PORTAL_AUDIT_RULES",
			  dir, origin, is_dir(dir) ? "not readable" : strerror(errno));
}

/* The installed location beside the binary, or the build tree's. */
static status from_binary(char **out)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	struct buf installed = BUF_INIT(sizeof(exe) + 64), build = BUF_INIT(sizeof(exe) + 64);
	const char *rel = PA_RULES_FROM_BIN;
	char *slash;
	status st;

	if (n <= 0 || (size_t)n >= sizeof(exe) - 1)
		return status_set(ST_IO,
				  "cannot find the rules: /proc/self/exe: %s; give --rules "
				  "FILE, rules_dir in the config file or $PORTAL_AUDIT_RULES",
				  n < 0 ? strerror(errno) : "path too long");
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	*(slash ? slash : exe) = '\0';
	st = buf_printf(&build, "%s/%s", exe, PA_RULES_IN_BUILD);
	/* Fold each leading "../" so messages show /usr/share/..., not
	 * /usr/bin/../share/... */
	while (str_starts_with(rel, "../") && (slash = strrchr(exe, '/')) != NULL && slash != exe) {
		*slash = '\0';
		rel += 3;
	}
	if (st == ST_OK)
		st = buf_printf(&installed, "%s/%s", exe, rel);
	if (st == ST_OK && !is_dir(installed.ptr) && is_dir(build.ptr)) {
		*out = buf_detach(&build);
	} else if (st == ST_OK) {
		*out = buf_detach(&installed);
	}
	buf_release(&installed);
	buf_release(&build);
	if (st == ST_OK && !*out)
		st = status_set(ST_NOMEM, "out of memory");
	return st;
}

status rulesdir_find(char **out, const char **origin, const char *configured)
{
	const char *env = getenv("PORTAL_AUDIT_RULES");
	status st;

	*out = NULL;
	if (configured) {
		*origin = "rules_dir of the config file";
		*out = str_dup(configured);
	} else if (env && *env) {
		*origin = "$PORTAL_AUDIT_RULES";
		*out = str_dup(env);
	} else {
		*origin = "beside the binary";
		st = from_binary(out);
		if (st < 0)
			return st;
	}
	if (!*out)
		return status_set(ST_NOMEM, "out of memory");
	if (!is_dir(*out) || access(*out, R_OK | X_OK) != 0) {
		st = missing(*out, *origin);
		free(*out);
		*out = NULL;
		return st;
	}
	return ST_OK;
}
