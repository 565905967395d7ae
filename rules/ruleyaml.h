/* The YAML loader of rules (the model is rules/rule.h): parses one rule
 * mapping of a rule file, reporting errors as "file:line:col: message". */
#ifndef RULES_RULEYAML_H
#define RULES_RULEYAML_H

#include <stdio.h>
#include <yaml.h>

#include "core/status.h"
#include "rules/rule.h"

/* Diagnostics while loading: each error is printed to errs (when not NULL)
 * as "file:line:col: message" and counted; the first is kept for
 * status_message(). */
struct ruleyaml_diag {
	const char *file;
	FILE *errs;
	int nerr;
	char first[512];
	size_t npatterns; /* patterns of the file so far, lists spliced and aliases expanded */
};

/* Bounds on what a rule file may expand to.  YAML aliases and nested
 * pattern lists multiply: a 1 KB file can name a million patterns. */
#define RULEYAML_MAX_PATTERNS 50000 /* patterns per file, after expansion */
#define RULEYAML_MAX_NODES 1000000  /* YAML nodes per file, aliases expanded */
#define RULEYAML_MAX_ALIASES 10000  /* alias uses per file */
#define RULEYAML_MAX_DEPTH 64       /* nesting of YAML collections */

/* Checks a loaded file against the bounds above before anything is
 * built from it; false (with an error in d) when it is over one. */
bool ruleyaml_check_size(yaml_document_t *doc, struct ruleyaml_diag *d);

void ruleyaml_error(struct ruleyaml_diag *d, const yaml_node_t *at, const char *fmt, ...)
	PA_PRINTF(3, 4);
/* The scalar value of node, or NULL (with an error) when it is not one. */
const char *ruleyaml_scalar(struct ruleyaml_diag *d, const yaml_node_t *node, const char *what);
/* Parses one rule mapping into *out (zeroed first).  Errors go to d; the
 * rule is filled as far as it could be and must be released either way.
 * Returns ST_NOMEM only on memory failure; rule errors are counted in d. */
status ruleyaml_parse(struct rule *out, yaml_document_t *doc, yaml_node_t *node,
		      struct ruleyaml_diag *d) PA_MUST_CHECK;

#endif
