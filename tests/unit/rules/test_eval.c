/* eval_school against hand-built pages: the bench city's variations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/finding.h"
#include "core/page.h"
#include "core/str.h"
#include "rules/eval.h"
#include "rules/ruleset.h"
#include "core/score.h"

#define HOST "http://thcsnguyendu.hcm.edu.vn"
#define MAXP 16

struct site {
	struct page *p[MAXP];
	size_t n;
};

static struct page *add_page(struct site *s, const char *path, int code, const char *title,
			     const char *h1)
{
	struct page *pg = NULL;
	char url[256];

	assert_true(s->n < MAXP);
	assert_int_equal(page_new(&pg), ST_OK);
	snprintf(url, sizeof(url), HOST "%s", path);
	pg->status = code;
	assert_int_equal(page_set(&pg->url, url), ST_OK);
	assert_int_equal(page_set(&pg->requested_url, url), ST_OK);
	assert_int_equal(page_set(&pg->title, title), ST_OK);
	if (h1)
		assert_int_equal(page_add_heading(pg, 1, h1), ST_OK);
	/* Every bench page's sidebar names the current year. */
	assert_int_equal(page_set(&pg->text, "Tin mới: Lễ khai giảng năm học 2017-2018"), ST_OK);
	assert_int_equal(page_set(&pg->main_text, "Ngày đăng: 29/09/2017"), ST_OK);
	assert_int_equal(page_add_link(pg, HOST "/tin-tuc/le-khai-giang.html",
				       "Lễ khai giảng năm học 2017-2018"),
			 ST_OK);
	s->p[s->n++] = pg;
	return pg;
}

static void site_free(struct site *s)
{
	for (size_t i = 0; i < s->n; i++)
		page_free(s->p[i]);
}

static struct ruleset *load_tt09(void)
{
	char path[1024];
	struct ruleset *rs = NULL;

	snprintf(path, sizeof(path), "%s/rules/sets/tt09-2009.yaml", getenv("PA_SOURCE"));
	assert_int_equal(ruleset_load(&rs, path), ST_OK);
	return rs;
}

static void run(struct site *s, const char *level, bool reachable, struct school_result *r)
{
	struct ruleset *rs = load_tt09();
	struct eval_options o = EVAL_OPTIONS_INIT;

	memset(r, 0, sizeof(*r));
	r->school.level = str_dup(level);
	r->school.portal_url = str_dup(HOST "/");
	r->reachable = reachable;
	if (!reachable)
		r->unreachable_reason = str_dup("connection refused");
	o.period = "2017-2018";
	o.as_of = "2018-05-15";
	assert_int_equal(eval_school(rs, &o, s->p, s->n, r), ST_OK);
	ruleset_free(rs);
}

static const struct finding *find(const struct school_result *r, const char *item)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].item, item) == 0)
			return &r->findings[i];
	fail_msg("no finding for %s", item);
	return NULL;
}

static void test_current_item_page_passes_with_label_evidence(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	const struct finding *f;

	add_page(&s, "/cong-khai/co-so-vat-chat.html", 200,
		 "Công khai điều kiện cơ sở vật chất năm học 2017 - 2018 - Trường THCS Nguyễn Du",
		 "Công khai điều kiện cơ sở vật chất năm học 2017 - 2018");
	run(&s, "thcs", true, &r);
	f = find(&r, "facilities");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->url, HOST "/cong-khai/co-so-vat-chat.html");
	assert_string_equal(f->evidence, "Công khai điều kiện cơ sở vật chất năm học 2017 - 2018");
	assert_string_equal(f->period_found, "2017-2018");
	assert_string_equal(f->date_source, "label");
	assert_string_equal(f->date, "2017-09-01");
	assert_non_null(strstr(f->note, "page dated 2017-09-29 (page)"));
	assert_string_equal(f->group, "ĐK");
	assert_true(f->weight == 20);
	assert_int_equal(find(&r, "staff")->verdict, VERDICT_MISSING);
	assert_string_equal(r.ruleset, "tt09-2009");
	assert_string_equal(r.period, "2017-2018");
	assert_string_equal(r.as_of, "2018-05-15");
	assert_non_null(r.ruleset_hash);
	school_result_release(&r);
	site_free(&s);
}

static void test_older_year_is_stale_and_newest_version_wins(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;

	add_page(&s, "/cong-khai/2015-2016/cam-ket.aspx", 200,
		 "Cam kết chất lượng giáo dục năm học 2015-2016 - THCS",
		 "Cam kết chất lượng giáo dục năm học 2015-2016");
	add_page(&s, "/cong-khai/cam-ket.aspx", 200,
		 "Cam kết chất lượng giáo dục năm học 2016-2017 - THCS",
		 "Cam kết chất lượng giáo dục năm học 2016-2017");
	/* An archive: the current version next to the old one. */
	add_page(&s, "/cong-khai/tai-chinh.html", 200, "Thu chi tài chính năm học 2017–2018 - THCS",
		 "Thu chi tài chính năm học 2017–2018");
	add_page(&s, "/cong-khai/tai-chinh-2016-2017.html", 200,
		 "Thu chi tài chính năm học 2016-2017 - THCS",
		 "Thu chi tài chính năm học 2016-2017");
	run(&s, "thcs", true, &r);
	assert_int_equal(find(&r, "quality_commitment")->verdict, VERDICT_STALE);
	assert_string_equal(find(&r, "quality_commitment")->period_found, "2016-2017");
	assert_string_equal(find(&r, "quality_commitment")->url, HOST "/cong-khai/cam-ket.aspx");
	assert_int_equal(find(&r, "finance_revenue_expenditure")->verdict, VERDICT_PASS);
	assert_string_equal(find(&r, "finance_revenue_expenditure")->url,
			    HOST "/cong-khai/tai-chinh.html");
	school_result_release(&r);
	site_free(&s);
}

static void test_nfd_caps_and_no_diacritics_all_match(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;

	/* NFD: "Chất lượng giáo dục thực tế" decomposed. */
	add_page(
		&s, "/a.html", 200,
		"Cha\xcc\x82\xcc\x81t lu\xcc\x9bo\xcc\x9b\xcc\xa3ng gia\xcc\x81o du\xcc\xa3\x63 thu\xcc\x9b\xcc\xa3\x63 te\xcc\x82\xcc\x81 na\xcc\x86m ho\xcc\xa3\x63 2017-2018",
		"Cha\xcc\x82\xcc\x81t lu\xcc\x9bo\xcc\x9b\xcc\xa3ng gia\xcc\x81o du\xcc\xa3\x63 thu\xcc\x9b\xcc\xa3\x63 te\xcc\x82\xcc\x81 na\xcc\x86m ho\xcc\xa3\x63 2017-2018");
	add_page(&s, "/b.html", 200,
		 "CÔNG KHAI ĐỘI NGŨ NHÀ GIÁO, CBQL VÀ NHÂN VIÊN NĂM HỌC 2017-2018 - THCS",
		 "CÔNG KHAI ĐỘI NGŨ NHÀ GIÁO, CBQL VÀ NHÂN VIÊN NĂM HỌC 2017-2018");
	add_page(&s, "/c.html", 200,
		 "Thong bao cam ket chat luong giao duc nam hoc 2017-2018 - THCS",
		 "Thong bao cam ket chat luong giao duc nam hoc 2017-2018");
	run(&s, "thcs", true, &r);
	assert_int_equal(find(&r, "quality_actual")->verdict, VERDICT_PASS);
	assert_int_equal(find(&r, "staff")->verdict, VERDICT_PASS);
	assert_int_equal(find(&r, "quality_commitment")->verdict, VERDICT_PASS);
	school_result_release(&r);
	site_free(&s);
}

static void test_decoy_traps_and_404_pages_do_not_count(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;

	add_page(&s, "/gioi-thieu/doi-ngu-giao-vien.html", 200, "Đội ngũ giáo viên - THCS",
		 "Đội ngũ giáo viên");
	add_page(&s, "/cong-khai-dan-chu/", 200,
		 "Công khai dân chủ cơ sở vật chất năm học 2017-2018 - THCS",
		 "Công khai dân chủ cơ sở vật chất năm học 2017-2018");
	add_page(
		&s, "/ke-hoach.html", 200,
		"Kế hoạch thực hiện công khai chất lượng giáo dục thực tế năm học 2017-2018 - THCS",
		"Kế hoạch thực hiện công khai chất lượng giáo dục thực tế năm học 2017-2018");
	/* The menu still links a page that answers 404. */
	add_page(&s, "/cong-khai/thu-chi-tai-chinh.html", 404,
		 "Thu chi tài chính năm học 2017-2018", "Thu chi tài chính năm học 2017-2018");
	run(&s, "thcs", true, &r);
	assert_int_equal(find(&r, "staff")->verdict, VERDICT_MISSING);
	assert_int_equal(find(&r, "facilities")->verdict, VERDICT_MISSING);
	assert_int_equal(find(&r, "quality_actual")->verdict, VERDICT_MISSING);
	assert_int_equal(find(&r, "finance_revenue_expenditure")->verdict, VERDICT_MISSING);
	assert_true(r.has_score);
	school_result_release(&r);
	site_free(&s);
}

static void test_attachment_only_item_points_at_the_index_page(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	struct page *idx =
		add_page(&s, "/cong-khai.html", 200, "Ba công khai - THCS", "Ba công khai");
	const struct finding *f;

	assert_int_equal(page_add_heading(idx, 2, "Năm học 2017-2018"), ST_OK);
	assert_int_equal(page_add_link(idx, HOST "/upload/files/cong-khai-tai-chinh-2017-2018.pdf",
				       "Công khai tài chính năm học 2017-2018.pdf"),
			 ST_OK);
	/* A link whose PDF answered 404 is no publication. */
	assert_int_equal(page_add_link(idx, HOST "/upload/files/csvc-2017-2018.pdf",
				       "Cơ sở vật chất năm học 2017-2018.pdf"),
			 ST_OK);
	add_page(&s, "/upload/files/csvc-2017-2018.pdf", 404, "", NULL);
	/* A document link without a year is weak evidence: review. */
	assert_int_equal(page_add_link(idx, HOST "/upload/files/doi-ngu.pdf",
				       "Đội ngũ nhà giáo, cán bộ quản lý và nhân viên"),
			 ST_OK);
	run(&s, "thcs", true, &r);
	f = find(&r, "finance_revenue_expenditure");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->url, HOST "/cong-khai.html");
	assert_string_equal(f->evidence, "Công khai tài chính năm học 2017-2018.pdf");
	assert_non_null(strstr(f->note, "cong-khai-tai-chinh-2017-2018.pdf"));
	assert_int_equal(find(&r, "facilities")->verdict, VERDICT_MISSING);
	assert_int_equal(find(&r, "staff")->verdict, VERDICT_REVIEW);
	assert_int_equal(find(&r, "yearly_section")->verdict, VERDICT_PASS);
	school_result_release(&r);
	site_free(&s);
}

static void test_unreachable_school_is_not_scored(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;

	run(&s, "mn", false, &r);
	assert_true(r.nfindings >= 7);
	for (size_t i = 0; i < r.nfindings; i++) {
		assert_int_equal(r.findings[i].verdict, VERDICT_UNREACHABLE);
		assert_string_equal(r.findings[i].note, "connection refused");
	}
	assert_false(r.has_score);
	assert_null(r.rating);
	school_result_release(&r);
	site_free(&s);
}

static void test_score_and_rating_follow_weights(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	static const char *const items[] = {"Cam kết chất lượng giáo dục",
					    "Chất lượng giáo dục thực tế", "Cơ sở vật chất",
					    "Đội ngũ nhà giáo, cán bộ quản lý và nhân viên"};
	char t[256];

	for (size_t i = 0; i < 4; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/ck/%zu.html", i);
		snprintf(t, sizeof(t), "%s năm học 2017-2018", items[i]);
		add_page(&s, path, 200, t, t);
	}
	add_page(&s, "/ck/tc.html", 200, "Thu chi tài chính năm học 2016-2017",
		 "Thu chi tài chính năm học 2016-2017");
	add_page(&s, "/hd.html", 200, "Hoạt động chuyên môn", "Hoạt động chuyên môn");
	run(&s, "th+thcs", true, &r);
	/* 4 × 20 pass + 20 × 0.5 stale + learning_materials 5 + integrated 5;
	 * posting_activity review (6 dated pages, no news list: too little to
	 * judge) and yearly_section missing earn 0; portal_reachable weighs
	 * 0: 100 of 120. */
	assert_int_equal(find(&r, "posting_activity")->verdict, VERDICT_REVIEW);
	assert_non_null(strstr(find(&r, "posting_activity")->note, "no news list"));
	assert_int_equal(find(&r, "yearly_section")->verdict, VERDICT_MISSING);
	assert_true(r.has_score);
	assert_float_equal(r.score, 100.0 * 100 / 120, 1e-9);
	assert_string_equal(r.rating, "B");
	school_result_release(&r);
	site_free(&s);
}

static void test_score_compute_bands_and_exclusions(void **state)
{
	struct finding f[3];
	const struct rating_band bands[] = {{"A", 90}, {"B", 80}, {"E", 0}};
	struct score_result sc;

	memset(f, 0, sizeof(f));
	f[0].verdict = VERDICT_PASS, f[0].weight = 30;
	f[1].verdict = VERDICT_REVIEW, f[1].weight = 10;
	f[2].verdict = VERDICT_UNREACHABLE, f[2].weight = 60;
	score_compute(f, 3, 0.5, bands, 3, &sc);
	assert_true(sc.has_score);
	assert_float_equal(sc.score, 75.0, 1e-9);
	assert_string_equal(sc.rating, "E");
	f[1].verdict = VERDICT_STALE;
	f[1].weight = 0;
	score_compute(f, 3, 0.5, bands, 3, &sc);
	assert_float_equal(sc.score, 100.0, 1e-9);
	assert_string_equal(sc.rating, "A");
	f[0].verdict = VERDICT_UNREACHABLE;
	score_compute(f, 1, 0.5, bands, 3, &sc);
	assert_false(sc.has_score);
	assert_null(sc.rating);
}

static void test_portal_integration_checks_the_host_exactly(void **state)
{
	static const struct {
		const char *url;
		enum verdict want;
	} cases[] = {
		{"http://thcsnguyendu.hcm.edu.vn/", VERDICT_PASS},
		{"http://mnhoasen5.q1.hcm.edu.vn:18080/", VERDICT_PASS},
		{"https://user@HCM.EDU.VN./x", VERDICT_PASS},
		{"http://thcsnguyendu.xhcm.edu.vn/", VERDICT_MISSING},
		{"http://xhcm.edu.vn/", VERDICT_MISSING},
		{"http://hcm.edu.vn.evil.example/", VERDICT_MISSING},
		{"http://thcsnguyendu.edu.vn/", VERDICT_MISSING},
	};
	struct ruleset *rs = load_tt09();
	const struct rule *rules;
	const struct rule *integ = NULL;
	size_t n;

	rules = ruleset_rules(rs, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(rules[i].id, "portal_integrated") == 0)
			integ = &rules[i];
	assert_non_null(integ);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct school_result sr;
		struct finding f;
		struct eval_options o = {"2017-2018", "2018-05-15"};

		memset(&sr, 0, sizeof(sr));
		sr.reachable = true;
		sr.school.portal_url = (char *)cases[i].url;
		assert_int_equal(eval_rule(integ, &o, NULL, 0, &sr, &f), ST_OK);
		if (f.verdict != cases[i].want)
			fail_msg("%s: got %s", cases[i].url, verdict_str(f.verdict));
		finding_release(&f);
	}
	ruleset_free(rs);
}

static void test_bad_period_is_rejected(void **state)
{
	struct ruleset *rs = load_tt09();
	struct eval_options o = {"2017/18", NULL};
	struct school_result r;

	memset(&r, 0, sizeof(r));
	r.reachable = true;
	assert_int_equal(eval_school(rs, &o, NULL, 0, &r), ST_INVALID);
	school_result_release(&r);
	ruleset_free(rs);
}

/* One ruleset, several threads: each evaluation has its own context
 * (match scratch, folded pages, link cache), so results agree. */
struct worker {
	const struct ruleset *rs;
	struct site *s;
	int verdicts[16];
	size_t n;
	int failures;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct eval_options o = {"2017-2018", "2018-05-15"};

	for (int k = 0; k < 40; k++) {
		struct school_result r;

		memset(&r, 0, sizeof(r));
		r.school.level = str_dup("thcs");
		r.reachable = true;
		if (eval_school(w->rs, &o, w->s->p, w->s->n, &r) < 0)
			w->failures++;
		for (size_t i = 0; i < r.nfindings && i < 16; i++) {
			if (k == 0)
				w->verdicts[i] = (int)r.findings[i].verdict;
			else if (w->verdicts[i] != (int)r.findings[i].verdict)
				w->failures++;
		}
		w->n = r.nfindings;
		school_result_release(&r);
	}
	return NULL;
}

static void test_concurrent_evaluations_agree(void **state)
{
	struct site s = {{0}, 0};
	struct ruleset *rs = load_tt09();
	struct worker w[4];
	pthread_t t[4];
	struct page *idx;

	add_page(&s, "/a.html", 200, "Cơ sở vật chất năm học 2017-2018",
		 "Cơ sở vật chất năm học 2017-2018");
	add_page(&s, "/b.html", 200, "Cam kết chất lượng giáo dục năm học 2016-2017",
		 "Cam kết chất lượng giáo dục năm học 2016-2017");
	idx = add_page(&s, "/ck.html", 200, "Công khai", "Công khai");
	assert_int_equal(page_add_link(idx, HOST "/f/doi-ngu.pdf",
				       "Đội ngũ nhà giáo, cán bộ quản lý và nhân viên"),
			 ST_OK);
	for (int i = 0; i < 4; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].rs = rs;
		w[i].s = &s;
		assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(w[i].failures, 0);
		assert_int_equal(w[i].n, w[0].n);
		assert_memory_equal(w[i].verdicts, w[0].verdicts, sizeof(w[0].verdicts));
	}
	assert_true(w[0].n >= 10);
	ruleset_free(rs);
	site_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_current_item_page_passes_with_label_evidence),
		cmocka_unit_test(test_older_year_is_stale_and_newest_version_wins),
		cmocka_unit_test(test_nfd_caps_and_no_diacritics_all_match),
		cmocka_unit_test(test_decoy_traps_and_404_pages_do_not_count),
		cmocka_unit_test(test_attachment_only_item_points_at_the_index_page),
		cmocka_unit_test(test_unreachable_school_is_not_scored),
		cmocka_unit_test(test_score_and_rating_follow_weights),
		cmocka_unit_test(test_score_compute_bands_and_exclusions),
		cmocka_unit_test(test_portal_integration_checks_the_host_exactly),
		cmocka_unit_test(test_bad_period_is_rejected),
		cmocka_unit_test(test_concurrent_evaluations_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
