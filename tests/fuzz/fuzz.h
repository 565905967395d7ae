/* Fuzz targets: one per parser, each a fuzz_<name>.c defining the libFuzzer
 * entry point.  The same file links either with tests/fuzz/driver.c (a
 * deterministic mutation loop over the seed corpus, run by ctest in every
 * build) or with clang's -fsanitize=fuzzer (docs/internals/fuzzing.md).
 *
 * A target feeds the bytes to the real parser, checks what the parser's
 * header promises about the result (FUZZ_CHECK), and frees everything.
 * Any crash, sanitizer report, leak or failed check is a finding. */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry point: runs one input, returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with the target, line and failed condition when cond is false, so
 * a broken promise is reported like a crash (and saved by the driver). */
#define FUZZ_CHECK(cond)                                      \
	do {                                                  \
		if (!(cond))                                  \
			fuzz_fail(__FILE__, __LINE__, #cond); \
	} while (0)

__attribute__((noreturn)) void fuzz_fail(const char *file, int line, const char *what);

/* A malloc'd NUL-terminated copy of data[0..size).  Embedded NUL bytes stay,
 * so C-string parsers see the input up to the first one.  Aborts when out
 * of memory (a fuzz run has nothing better to do). */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* True when s[0..n) is valid UTF-8 as utf8proc reads it (no surrogates, no
 * overlong forms, nothing above U+10FFFF). */
bool fuzz_utf8_valid(const char *s, size_t n);

/* A private directory for this process, created on first use under
 * $TMPDIR (or /tmp) and removed with its files at exit. */
const char *fuzz_tmpdir(void);

/* Writes data[0..size) to the file `name` in fuzz_tmpdir() and returns its
 * path (a static buffer, valid until the next call). */
const char *fuzz_write_tmp(const char *name, const uint8_t *data, size_t size);

#endif
