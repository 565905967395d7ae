/* A rule set of 10,000 items: the many-school reports are linear in the
 * findings.  Listing the items and the item × level table used to scan
 * every item (or every school's findings) per finding, so 20 schools ×
 * 10,000 items took minutes; linear, it takes well under a second.  The
 * bound is generous (a loaded machine, the sanitizer build) and still far
 * below the quadratic time. */
#include <time.h>

#include "sample.h"

#define NSCHOOLS 20
#define NITEMS 10000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_city_report_of_ten_thousand_items_is_linear(void **state)
{
	static const enum report_format fmts[] = {REPORT_JSON, REPORT_HTML, REPORT_CSV,
						  REPORT_TEXT};
	struct report_meta m = sample_meta();
	struct school_result *rs = calloc(NSCHOOLS, sizeof(*rs));
	char id[32], item[32];
	double t0, spent;
	size_t s, i;
	FILE *f;

	(void)state;
	assert_non_null(rs);
	for (s = 0; s < NSCHOOLS; s++) {
		snprintf(id, sizeof(id), "S%02zu", s);
		sample_school(&rs[s], id, "Trường", s % 2 ? "Quận 1" : "Quận 2",
			      s % 3 ? "thcs" : "th+thcs", "http://a/");
		sample_score(&rs[s], 50, "C");
		/* One allocation: school_result_add grows by one, which the
		 * sanitizer build makes quadratic in the setup alone. */
		rs[s].findings = calloc(NITEMS, sizeof(*rs[s].findings));
		assert_non_null(rs[s].findings);
		rs[s].nfindings = NITEMS;
		for (i = 0; i < NITEMS; i++) {
			snprintf(item, sizeof(item), "item_%05zu", i);
			rs[s].findings[i].item = str_dup(item);
			rs[s].findings[i].title = str_dup("Mục");
			rs[s].findings[i].verdict = (enum verdict)((s + i) % 3);
			rs[s].findings[i].weight = 1;
		}
	}
	f = fopen("/dev/null", "w");
	assert_non_null(f);
	t0 = now();
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
		assert_int_equal(report_schools(f, fmts[i], "city", NULL, &m, rs, NSCHOOLS), ST_OK);
	spent = now() - t0;
	fclose(f);
	print_message("4 city reports of %d schools × %d items: %.2f s\n", NSCHOOLS, NITEMS, spent);
	assert_true(spent < 30.0);
	for (s = 0; s < NSCHOOLS; s++)
		school_result_release(&rs[s]);
	free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_city_report_of_ten_thousand_items_is_linear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
