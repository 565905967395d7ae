/* Text normalisation for matching, shared by the crawler's focus keywords,
 * the rules and the reports, so all three agree on what "the same text" is.
 *
 * It lives in core (not rules/) because the crawler needs it too and the
 * crawler may not include rules/; it uses utf8proc.
 *
 * Invalid UTF-8 is replaced by U+FFFD; nothing here fails on bad input,
 * only on memory. */
#ifndef CORE_NORM_H
#define CORE_NORM_H

#include <stddef.h>

#include "core/status.h"

/* NFC, with runs of white space collapsed to one space and trimmed.
 * *out is malloc'd. */
status norm_nfc(const char *s, size_t n, char **out) PA_MUST_CHECK;

/* The matching forms of s:
 *   *folded: NFC, case-folded, dashes and spaces lumped (– → -),
 *            white space collapsed;
 *   *plain:  the same without diacritics, with đ → d.
 * Either out-pointer may be NULL when that form is not wanted. */
status norm_fold(const char *s, size_t n, char **folded, char **plain) PA_MUST_CHECK;

/* Replaces invalid UTF-8 sequences by U+FFFD; *out is malloc'd. */
status norm_valid_utf8(const char *s, size_t n, char **out) PA_MUST_CHECK;

#endif
