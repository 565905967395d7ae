#include "rules/pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

/* Enough for any sane label pattern over a 1 MiB text; a pattern that needs
 * more is backtracking catastrophically and is cut off. */
#define PATTERN_MATCH_LIMIT 200000u
#define PATTERN_DEPTH_LIMIT 2000u

struct pattern {
	char *src;
	bool exact;
	bool jit;
	pcre2_code *code;
	pcre2_match_context *mctx;
};

status pattern_new(struct pattern **out, const char *src, bool exact, size_t *erroffset)
{
	struct pattern *p = NULL;
	int err = 0;
	PCRE2_SIZE off = 0;
	status st = ST_OK;

	*out = NULL;
	if (erroffset)
		*erroffset = 0;
	p = calloc(1, sizeof(*p));
	if (!p || !(p->src = str_dup(src))) {
		st = status_set(ST_NOMEM, "out of memory");
		goto out;
	}
	p->exact = exact;
	p->code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED,
				PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &err, &off, NULL);
	if (!p->code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(err, msg, sizeof(msg));
		if (erroffset)
			*erroffset = (size_t)off;
		st = status_set(ST_PARSE, "bad pattern at offset %zu: %s", (size_t)off,
				(char *)msg);
		goto out;
	}
	/* JIT is an optimisation: where it is unavailable (no JIT support on
	 * this CPU, or W^X memory refused) the interpreter gives the same
	 * answers, only slower. */
	p->jit = pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0;
	p->mctx = pcre2_match_context_create(NULL);
	if (!p->mctx) {
		st = status_set(ST_NOMEM, "out of memory");
		goto out;
	}
	pcre2_set_match_limit(p->mctx, PATTERN_MATCH_LIMIT);
	pcre2_set_depth_limit(p->mctx, PATTERN_DEPTH_LIMIT);
	*out = p;
	p = NULL;
out:
	pattern_free(p);
	return st;
}

void pattern_free(struct pattern *p)
{
	if (!p)
		return;
	pcre2_match_context_free(p->mctx);
	pcre2_code_free(p->code);
	free(p->src);
	free(p);
}

const char *pattern_source(const struct pattern *p)
{
	return p->src;
}

bool pattern_is_exact(const struct pattern *p)
{
	return p->exact;
}

/* Only the whole match's span is read, so one ovector pair is enough for
 * any pattern (pcre2_match returns 0 rather than failing when captures do
 * not fit, which still means "matched"). */
struct pattern_scratch {
	pcre2_match_data *md;
};

status pattern_scratch_new(struct pattern_scratch **out)
{
	struct pattern_scratch *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s || !(s->md = pcre2_match_data_create(1, NULL))) {
		free(s);
		return status_set(ST_NOMEM, "out of memory");
	}
	*out = s;
	return ST_OK;
}

void pattern_scratch_free(struct pattern_scratch *s)
{
	if (!s)
		return;
	pcre2_match_data_free(s->md);
	free(s);
}

int pattern_match_in(const struct pattern *p, struct pattern_scratch *scratch, const char *plain,
		     const char *folded, size_t *start, size_t *end)
{
	const char *s = p->exact ? folded : plain;
	pcre2_match_data *md;
	int rc;

	if (!s)
		return 0;
	md = scratch ? scratch->md : pcre2_match_data_create(1, NULL);
	if (!md)
		return 0;
	rc = pcre2_match(p->code, (PCRE2_SPTR)s, strlen(s), 0, 0, md, p->mctx);
	if (rc >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

		if (start)
			*start = (size_t)ov[0];
		if (end)
			*end = (size_t)ov[1];
	}
	if (!scratch)
		pcre2_match_data_free(md);
	return rc >= 0 ? 1 : 0;
}

int pattern_match(const struct pattern *p, const char *plain, const char *folded, size_t *start,
		  size_t *end)
{
	return pattern_match_in(p, NULL, plain, folded, start, end);
}
