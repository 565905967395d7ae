/* The options of an evaluation, shared by rules/eval.h (the public entry)
 * and rules/evalctx.h (the context it builds), so that neither of those
 * includes the other. */
#ifndef RULES_EVAL_OPTIONS_H
#define RULES_EVAL_OPTIONS_H

struct eval_options {
	const char *period; /* "2017-2018"; NULL: the school year containing as_of */
	const char *as_of;  /* "2018-05-15"; NULL: today, but no later than the period's 31 May */
};
#define EVAL_OPTIONS_INIT  \
	{                  \
		NULL, NULL \
	}

#endif
