#include "core/score.h"

double score_credit(enum verdict v, double stale_credit)
{
	switch (v) {
	case VERDICT_PASS:
		return 1.0;
	case VERDICT_STALE:
		return stale_credit;
	case VERDICT_MISSING:
	case VERDICT_REVIEW:
		/* Review earns nothing until a person confirms it: a score
		 * must never rest on evidence nobody has checked. */
		return 0.0;
	case VERDICT_UNREACHABLE:
		break;
	}
	return -1.0;
}

void score_compute(const struct finding *f, size_t n, double stale_credit,
		   const struct rating_band *bands, size_t nbands, struct score_result *out)
{
	double got = 0, total = 0;

	out->has_score = false;
	out->score = 0;
	out->rating = NULL;
	for (size_t i = 0; i < n; i++) {
		double c = score_credit(f[i].verdict, stale_credit);

		if (c < 0)
			continue;
		got += f[i].weight * c;
		total += f[i].weight;
	}
	if (total <= 0)
		return;
	out->has_score = true;
	out->score = 100.0 * got / total;
	for (size_t i = 0; i < nbands; i++)
		if (out->score + 1e-9 >= bands[i].min) {
			out->rating = bands[i].rating;
			break;
		}
	if (!out->rating && nbands > 0)
		out->rating = bands[nbands - 1].rating;
}
