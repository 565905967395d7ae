/* Compiled rule patterns: pcre2, compiled and JIT-compiled once at load,
 * matched with a hard match/depth limit so no pattern can run away on a
 * hostile page.
 *
 * A pattern is written against the plain folded form of norm_fold (lower
 * case, no diacritics, đ → d) unless it is `exact`, when it is matched
 * against the folded form that keeps diacritics.  A compiled pattern is
 * read-only and may be shared between threads. */
#ifndef RULES_PATTERN_H
#define RULES_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

struct pattern;

/* Compiles src.  On a compile error returns ST_PARSE with the message and
 * writes the byte offset within src to *erroffset (when not NULL). */
status pattern_new(struct pattern **out, const char *src, bool exact,
		   size_t *erroffset) PA_MUST_CHECK;
void pattern_free(struct pattern *p);

const char *pattern_source(const struct pattern *p);
bool pattern_is_exact(const struct pattern *p);

/* Per-thread match scratch (pcre2 match data), reused by every match of
 * one evaluation so matching does not allocate.  One scratch serves every
 * pattern; it must not be shared between threads (give each evaluation, or
 * each thread, its own). */
struct pattern_scratch;

status pattern_scratch_new(struct pattern_scratch **out) PA_MUST_CHECK;
void pattern_scratch_free(struct pattern_scratch *s);

/* Matches against the form the pattern wants: `folded` for exact patterns,
 * `plain` otherwise.  Returns 1 on a match (with the byte span in *start,
 * *end of that form when not NULL), 0 on no match, and 0 as well when the
 * match limit was hit (a runaway pattern never counts as evidence).
 * `scratch` may be NULL: the call then allocates its own match data. */
int pattern_match_in(const struct pattern *p, struct pattern_scratch *scratch, const char *plain,
		     const char *folded, size_t *start, size_t *end);
/* pattern_match_in without a scratch (allocates per call). */
int pattern_match(const struct pattern *p, const char *plain, const char *folded, size_t *start,
		  size_t *end);

#endif
