#include "core/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_int current_level = LOG_WARN;

void log_set_level(enum log_level level)
{
	atomic_store(&current_level, (int)level);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *names[] = {"error", "warning", "info", "debug"};
	char line[2048];
	va_list ap;

	if ((int)level > atomic_load(&current_level))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One fprintf per line: stdio locks the stream, so lines from several
	 * threads do not interleave. */
	fprintf(stderr, "portal-audit: %s: %s\n", names[level], line);
}
