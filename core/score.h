/* Scoring: findings to a 0..100 score and a rating band.
 *
 * score = 100 * sum(weight * credit) / sum(weight) over assessable items;
 * credit is 1 for pass, the rule set's stale_credit for stale, 0 for
 * missing and review; unreachable items are left out.  With no assessable
 * weight there is no score. */
#ifndef CORE_SCORE_H
#define CORE_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/finding.h"

/* A rating band: a score >= min earns rating. */
struct rating_band {
	const char *rating;
	double min;
};

struct score_result {
	bool has_score;
	double score;       /* 0..100, 0 when !has_score */
	const char *rating; /* points into bands; NULL when !has_score */
};

/* bands: highest min first; the first band whose min <= score wins. */
void score_compute(const struct finding *f, size_t n, double stale_credit,
		   const struct rating_band *bands, size_t nbands, struct score_result *out);
/* The credit one verdict earns (negative for "not assessable"). */
double score_credit(enum verdict v, double stale_credit);

#endif
