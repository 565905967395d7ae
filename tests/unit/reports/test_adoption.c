/* The adoption table: what counts as a working portal, multi-level
 * schools, capped rates, notes about inconsistent input, unit order. */
#include "sample.h"

#include "reports/adoption.h"

static struct portal_check pc(const char *id, const char *unit, const char *level, const char *url,
			      bool in_run, bool checked, bool working)
{
	struct portal_check p;

	memset(&p, 0, sizeof(p));
	p.school.id = (char *)id;
	p.school.unit = (char *)unit;
	p.school.level = (char *)level;
	p.school.portal_url = (char *)url;
	p.in_run = in_run;
	p.checked = checked;
	p.working = working;
	return p;
}

static void test_counts_per_unit_and_level(void **state)
{
	const struct portal_check v[] = {
		pc("a", "Quận 10", "mn", "http://a/", true, true, true),
		pc("b", "Quận 10", "th+thcs", "http://b/", true, true, true),
		pc("c", "Quận 10", "thcs", "http://c/", true, true, false), /* dead URL */
		pc("d", "Quận 2", "thpt", NULL, true, true, false),         /* no URL */
		pc("e", "Quận 2", "gdtx", "http://e/", true, true, true),
	};
	struct adoption *a = NULL;
	double rate;

	assert_int_equal(adoption_new(&a, v, 5, 9), ST_OK);
	assert_int_equal(a->nunits, 2);
	/* Natural order: Quận 2 before Quận 10. */
	assert_string_equal(a->units[0].unit, "Quận 2");
	assert_string_equal(a->units[1].unit, "Quận 10");
	assert_int_equal(a->units[1].all.schools, 3);
	assert_int_equal(a->units[1].all.with_portal, 2);
	assert_int_equal(a->units[1].level[1].schools, 1); /* th: b */
	assert_int_equal(a->units[1].level[2].schools, 2); /* thcs: b, c */
	assert_int_equal(a->units[1].level[2].with_portal, 1);
	assert_int_equal(a->total.all.schools, 5);
	assert_int_equal(a->total.all.with_portal, 3);
	assert_true(adoption_rate(&a->total.all, &rate));
	assert_true(rate > 0.5999 && rate < 0.6001);
	assert_false(adoption_rate(&a->units[0].level[0], &rate)); /* no mn school in Quận 2 */
	assert_int_equal(a->nnotes, 0);
	adoption_free(a);
}

static void test_inconsistent_input_is_flagged_and_counted_conservatively(void **state)
{
	const struct portal_check v[] = {
		pc("absent", "U", "mn", "http://a/", false, false, false),
		pc("unchecked", "U", "mn", "http://b/", true, false, false),
		pc("nourl", "U", "mn", NULL, true, true, true),
		pc("odd", "U", "mn+xyz", "http://d/", true, true, true),
	};
	struct adoption *a = NULL;

	assert_int_equal(adoption_new(&a, v, 4, 9), ST_OK);
	assert_int_equal(a->total.all.schools, 4);
	assert_int_equal(a->total.all.with_portal, 1); /* only "odd" */
	assert_int_equal(a->total.level[0].schools, 4);
	assert_int_equal(a->nnotes, 4);
	assert_non_null(strstr(a->notes[0], "absent"));
	assert_non_null(strstr(a->notes[0], "lần đánh giá này"));
	assert_null(strstr(a->notes[0], "9")); /* never the run's database id */
	assert_non_null(strstr(a->notes[1], "unchecked"));
	assert_non_null(strstr(a->notes[2], "nourl"));
	assert_non_null(strstr(a->notes[3], "odd"));
	adoption_free(a);
}

static void test_rate_is_never_above_one(void **state)
{
	struct adoption_cell c = {5, 3}; /* impossible input: more than all */
	double rate;

	assert_true(adoption_rate(&c, &rate));
	assert_true(rate == 1.0);
	c.with_portal = 0;
	c.schools = 0;
	assert_false(adoption_rate(&c, &rate));
}

static void test_natural_unit_order(void **state)
{
	assert_true(adoption_unit_cmp("Quận 2", "Quận 10") < 0);
	assert_true(adoption_unit_cmp("Quận 10", "Quận 2") > 0);
	assert_true(adoption_unit_cmp("Quận 02", "Quận 2") == 0);
	assert_true(adoption_unit_cmp("Huyện Củ Chi", "Quận 1") < 0);
	assert_true(adoption_unit_cmp("Quận 1", "Quận 1A") < 0);
}

static void test_many_absent_schools_are_listed_with_a_count(void **state)
{
	struct portal_check v[30];
	char ids[30][8];
	struct adoption *a = NULL;
	size_t i;

	for (i = 0; i < 30; i++) {
		snprintf(ids[i], sizeof(ids[i]), "S%02zu", i);
		v[i] = pc(ids[i], "U", "th", "http://x/", false, false, false);
	}
	assert_int_equal(adoption_new(&a, v, 30, 4), ST_OK);
	assert_int_equal(a->nnotes, 1);
	assert_non_null(strstr(a->notes[0], "30 trường"));
	assert_non_null(strstr(a->notes[0], "S19"));
	assert_null(strstr(a->notes[0], "S20"));
	assert_non_null(strstr(a->notes[0], "… và 10 trường khác"));
	adoption_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_per_unit_and_level),
		cmocka_unit_test(test_inconsistent_input_is_flagged_and_counted_conservatively),
		cmocka_unit_test(test_rate_is_never_above_one),
		cmocka_unit_test(test_natural_unit_order),
		cmocka_unit_test(test_many_absent_schools_are_listed_with_a_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
