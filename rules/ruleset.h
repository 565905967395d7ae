/* Rule sets: YAML rule files (docs/RULES.md) loaded, linted and
 * self-tested.  A loaded ruleset is immutable and may be shared by every
 * audit thread; it owns its rules, patterns and strings. */
#ifndef RULES_RULESET_H
#define RULES_RULESET_H

#include <stddef.h>
#include <stdio.h>

#include "core/score.h"
#include "core/status.h"
#include "rules/rule.h"

struct ruleset; /* opaque */

/* Loads one YAML rule file, or a directory's *.yaml (sorted by name).  A
 * rule-set file such as rules/sets/tt09-2009.yaml is merged with the
 * portal.yaml of the same directory unless it is portal.yaml itself.
 * Errors: ST_PARSE with "file:line:col: what is wrong" in status_message();
 * ST_IO when a file cannot be read. */
status ruleset_load(struct ruleset **out, const char *path) PA_MUST_CHECK;
void ruleset_free(struct ruleset *rs);

const char *ruleset_name(const struct ruleset *rs); /* e.g. "tt09-2009" */
const char *ruleset_version(const struct ruleset *rs);
/* Hex FNV-1a 64 hash of the loaded files' bytes, in load order. */
const char *ruleset_hash(const struct ruleset *rs);

/* Folded (plain) keywords for the crawler's focus, from each rule's `focus:`
 * list or, without one, the literal words of its match patterns.
 * NULL-terminated array owned by rs; *n gets the count when n is not NULL. */
const char *const *ruleset_focus_keywords(const struct ruleset *rs, size_t *n);

/* The default rule-set name for a school year "YYYY-YYYY": the regime in force
 * on 1 September of its first year: before 2018-02-13 "tt09-2009", until
 * 2024-07-18 "tt36-2017", else "tt09-2024".  NULL for a malformed period. */
const char *ruleset_default_for_period(const char *period);

/* Lints files: every error is printed to errs as file:line:col: message.
 * Returns the number of errors, or a negative status on I/O failure. */
int ruleset_lint(const char *const *paths, size_t n, FILE *errs);

/* Runs the examples embedded in each file (each loaded as ruleset_load
 * would); prints each failure to out.  Returns the number of failures, or a
 * negative status when a file does not load. */
int ruleset_selftest(const char *const *paths, size_t n, FILE *out);

/* Rating bands (struct rating_band, core/score.h), highest minimum first. */
size_t ruleset_bands(const struct ruleset *rs, const struct rating_band **out);
/* Credit of a stale item (0..1), 0.5 unless the rule set says otherwise. */
double ruleset_stale_credit(const struct ruleset *rs);
/* The rules, in file order (portal rules after the rule set's own). */
const struct rule *ruleset_rules(const struct ruleset *rs, size_t *n);

#endif
