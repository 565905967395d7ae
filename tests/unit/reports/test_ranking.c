/* Ranking: competition ranks (1, 2, 2, 4), ties ordered by school id, the
 * unassessable listed apart, ranks within unit and level. */
#include "sample.h"

struct rank_case {
	const char *id, *unit, *level;
	double score;
	bool scored;
};

static void build(struct school_result *rs, const struct rank_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		sample_school(&rs[i], c[i].id, c[i].id, c[i].unit, c[i].level, NULL);
		if (c[i].scored)
			sample_score(&rs[i], c[i].score, "C");
		else
			sample_unreachable(&rs[i], "không kết nối được");
	}
}

static void release(struct school_result *rs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		school_result_release(&rs[i]);
}

/* Input order is scrambled on purpose: the output must not depend on it. */
static const struct rank_case city[] = {
	{"S5", "Quận 1", "th", 60, true},
	{"S3", "Quận 7", "th", 80, true},
	{"S9", "Quận 7", "th", 0, false},
	{"S1", "Quận 7", "thcs", 90, true},
	{"S2", "Quận 1", "th", 80, true},
	/* Equal up to floating-point noise: ties with the two 80s. */
	{"S4", "Quận 7", "th", 80.0000000001, true},
	{"S0", "Quận 1", "th", 0, false},
};
#define NCITY (sizeof(city) / sizeof(city[0]))

static void test_ties_share_a_rank_and_order_by_id(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result rs[NCITY];
	char *csv;

	build(rs, city, NCITY);
	csv = render_schools(REPORT_CSV, "ranking", &m, rs, NCITY);
	/* school_id,name,unit,level,score,rating,reachable,reason,rank,group_rank,
	 * level_vi,reason_vi,decided,outdated,machine_score */
	assert_string_equal(
		csv,
		"\xEF\xBB\xBF"
		"school_id,name,unit,level,score,rating,reachable,reason,rank,group_rank,"
		"level_vi,reason_vi,decided,outdated,machine_score\r\n"
		"S1,S1,Quận 7,thcs,90,C,true,,1,1,THCS,,0,0,\r\n"
		"S2,S2,Quận 1,th,80,C,true,,2,1,Tiểu học,,0,0,\r\n"
		"S3,S3,Quận 7,th,80,C,true,,2,1,Tiểu học,,0,0,\r\n"
		"S4,S4,Quận 7,th,80,C,true,,2,1,Tiểu học,,0,0,\r\n"
		"S5,S5,Quận 1,th,60,C,true,,5,2,Tiểu học,,0,0,\r\n"
		"S0,S0,Quận 1,th,,,false,không kết nối được,,,Tiểu học,không kết nối được,0,0,\r\n"
		"S9,S9,Quận 7,th,,,false,không kết nối được,,,Tiểu học,không kết nối được,0,0,\r\n");
	free(csv);
	release(rs, NCITY);
}

static void test_ranking_does_not_depend_on_input_order(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result a[NCITY], b[NCITY];
	struct rank_case reversed[NCITY];
	char *ja, *jb;
	size_t i;

	for (i = 0; i < NCITY; i++)
		reversed[i] = city[NCITY - 1 - i];
	build(a, city, NCITY);
	build(b, reversed, NCITY);
	ja = render_schools(REPORT_JSON, "ranking", &m, a, NCITY);
	jb = render_schools(REPORT_JSON, "ranking", &m, b, NCITY);
	assert_string_equal(ja, jb);
	assert_non_null(strstr(ja, "\"rank\": 5,\n      \"group_rank\": 2,"));
	assert_non_null(strstr(ja, "\"rank\": null,\n      \"group_rank\": null,"));
	free(ja);
	free(jb);
	release(a, NCITY);
	release(b, NCITY);
}

static void test_unassessed_schools_are_never_ranked(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result rs[NCITY];
	char *text, *list, *apart;

	build(rs, city, NCITY);
	text = render_schools(REPORT_TEXT, "ranking", &m, rs, NCITY);
	apart = strstr(text, "Không đánh giá được (không xếp hạng):\n");
	assert_non_null(apart);
	/* S0 and S9 appear only after the heading of the unassessed. */
	list = strstr(text, "  S0 ");
	assert_non_null(list);
	assert_ptr_equal(list, strstr(apart, "  S0 "));
	list = strstr(text, "  S9 ");
	assert_non_null(list);
	assert_ptr_equal(list, strstr(apart, "  S9 "));
	assert_non_null(strstr(text, "     5            2  S5 "));
	free(text);
	release(rs, NCITY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ties_share_a_rank_and_order_by_id),
		cmocka_unit_test(test_ranking_does_not_depend_on_input_order),
		cmocka_unit_test(test_unassessed_schools_are_never_ranked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
