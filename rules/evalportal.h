/* Portal checks of rules/eval.c (internal to the rules module). */
#ifndef RULES_EVALPORTAL_H
#define RULES_EVALPORTAL_H

#include "rules/evalctx.h"

/* check: integrated — the portal URL's host is hcm.edu.vn or under it. */
status evalportal_integrated(const struct ctx *c, const struct school_result *s,
			     struct finding *f) PA_MUST_CHECK;
/* check: posting_activity — dated posts in the school year, up to as_of. */
status evalportal_posting(struct ctx *c, const struct rule *r, struct finding *f) PA_MUST_CHECK;
/* check: yearly_section — a section page naming the period in a heading. */
status evalportal_section(struct ctx *c, const struct rule *r, struct finding *f) PA_MUST_CHECK;

#endif
