#include "core/status.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char detail[1024];

const char *status_str(status st)
{
	switch (st) {
	case ST_OK:
		return "ok";
	case ST_NOMEM:
		return "out of memory";
	case ST_INVALID:
		return "invalid input";
	case ST_IO:
		return "input/output error";
	case ST_PARSE:
		return "parse error";
	case ST_NET:
		return "network error";
	case ST_DB:
		return "database error";
	case ST_LIMIT:
		return "limit exceeded";
	case ST_NOTFOUND:
		return "not found";
	case ST_INTERRUPTED:
		return "interrupted";
	case ST_DENIED:
		return "denied";
	}
	return "unknown error";
}

status status_set(status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return st;
}

const char *status_message(void)
{
	return detail[0] ? detail : "error";
}
