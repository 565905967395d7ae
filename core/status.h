/* One status enum for the whole program.
 *
 * 0 is success, every failure is negative.  A function that fails sets a
 * one-line detail message once, where the failure happens (status_set), and
 * its callers pass the code up unchanged; the top level prints
 * status_message().  The message lives in thread-local storage, so each
 * thread reports its own failures. */
#ifndef CORE_STATUS_H
#define CORE_STATUS_H

#define PA_MUST_CHECK __attribute__((warn_unused_result))
#define PA_PRINTF(f, a) __attribute__((format(printf, f, a)))

typedef enum status {
	ST_OK = 0,
	ST_NOMEM = -1,
	ST_INVALID = -2,
	ST_IO = -3,
	ST_PARSE = -4,
	ST_NET = -5,
	ST_DB = -6,
	ST_LIMIT = -7,
	ST_NOTFOUND = -8,
	ST_INTERRUPTED = -9,
	ST_DENIED = -10, /* not allowed: a failed login, a limit a user reached */
} status;

/* Short name of a code, e.g. "out of memory". Never NULL. */
const char *status_str(status st);

/* Sets this thread's detail message and returns st, so a failure site can
 * write `return status_set(ST_PARSE, "%s:%d: bad level", file, line);`. */
status status_set(status st, const char *fmt, ...) PA_PRINTF(2, 3);

/* The last detail message set on this thread; "error" when none was set. */
const char *status_message(void);

#endif
