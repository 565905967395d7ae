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
};

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
