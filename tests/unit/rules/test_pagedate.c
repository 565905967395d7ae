/* Dating pages (rules/pagedate.h, rules/dates.h): post-date labels, metas,
 * JSON-LD, <time>, sitemap and HTTP dates in the precedence of
 * regulations.md §5, document dates, working days, and what findings
 * record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/finding.h"
#include "core/norm.h"
#include "core/page.h"
#include "rules/dates.h"
#include "rules/eval.h"
#include "rules/pagedate.h"
#include "rules/ruleset.h"

static char *plain(const char *s)
{
	char *p = NULL;

	assert_int_equal(norm_fold(s, strlen(s), NULL, &p), ST_OK);
	return p;
}

/* The post date of a text, "YYYY-MM-DD[ HH:MM]", or "" when none. */
static const char *post_of(const char *text, bool updated, char out[32])
{
	char *p = plain(text);
	struct date_found d;

	out[0] = '\0';
	if (dates_find_post_date(p, updated, &d)) {
		if (d.hour >= 0)
			snprintf(out, 32, "%04d-%02d-%02d %02d:%02d", d.y, d.m, d.d, d.hour, d.min);
		else
			snprintf(out, 32, "%04d-%02d-%02d", d.y, d.m, d.d);
	}
	free(p);
	return out;
}

static void test_post_date_labels(void **state)
{
	char b[32];

	assert_string_equal(post_of("Thứ sáu, 18/9/2026, 20:22 | Lượt xem: 12", false, b),
			    "2026-09-18 20:22");
	assert_string_equal(post_of("THỨ SÁU, 29/09/2017 08:15", false, b), "2017-09-29 08:15");
	assert_string_equal(post_of("Tin tức. Ngày đăng: 29/09/2017. Sáng ngày 5/9...", false, b),
			    "2017-09-29");
	assert_string_equal(post_of("Đăng lúc: ngày 29 tháng 9 năm 2017", false, b), "2017-09-29");
	assert_string_equal(post_of("Thời gian đăng: 2017-09-29T08:15:00+07:00", false, b),
			    "2017-09-29 08:15");
	/* "Cập nhật" is a later edit: only when no post date is written. */
	assert_string_equal(post_of("Cập nhật: 05/10/2017 10:00", false, b), "");
	assert_string_equal(post_of("Cập nhật: 05/10/2017 10:00", true, b), "2017-10-05 10:00");
	assert_string_equal(post_of("Cập nhật: 05/10/2017. Ngày đăng: 01/10/2017", true, b),
			    "2017-10-01");
	/* Dates without a label are not post dates ("thu chi" is no weekday). */
	assert_string_equal(post_of("Thu chi tài chính 12/12/2017", true, b), "");
	assert_string_equal(post_of("Ngày đăng: chưa rõ. Lịch thi 12/12/2017", true, b), "");
}

static void test_document_date_skips_cited_documents(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"Quận 3, ngày 5 tháng 9 năm 2024. QUYẾT ĐỊNH về việc bổ nhiệm", "2024-09-05"},
		{"Căn cứ Quyết định số 2045/QĐ-BGDĐT ngày 6 tháng 8 năm 2024 của Bộ GDĐT", ""},
		{"Căn cứ Quyết định số 2045/QĐ-BGDĐT ngày 6 tháng 8 năm 2024 của Bộ GDĐT. TP. Hồ Chí Minh, ngày 10 tháng 9 năm 2024",
		 "2024-09-10"},
		{"Ngày đăng: 10/09/2024", ""}, /* a numeric post date is no document header */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = plain(cases[i].text);
		struct page_date d;
		bool got = pagedate_document(p, &d);

		if (got != (cases[i].want[0] != '\0') ||
		    (got && strcmp(d.date, cases[i].want) != 0))
			fail_msg("\"%s\": got %s", cases[i].text, got ? d.date : "none");
		free(p);
	}
}

static void test_http_dates(void **state)
{
	struct date_found d;

	assert_true(dates_parse_http("Sun, 06 Nov 1994 08:49:37 GMT", &d));
	assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 19941106);
	assert_int_equal(d.hour * 100 + d.min, 849);
	assert_true(dates_parse_http("Sunday, 06-Nov-94 08:49:37 GMT", &d));
	assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 19941106);
	assert_true(dates_parse_http("Sun Nov  6 08:49:37 1994", &d));
	assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 19941106);
	assert_true(dates_parse_http("Mon, 02 Oct 2017 08:00:00 GMT", &d));
	assert_int_equal(d.y * 10000 + d.m * 100 + d.d, 20171002);
	assert_false(dates_parse_http("Mon, 31 Feb 2017 08:00:00 GMT", &d));
	assert_false(dates_parse_http("yesterday", &d));
	assert_false(dates_parse_http("", &d));
	assert_false(dates_parse_http(NULL, &d));
}

static void test_working_days(void **state)
{
	int64_t thu = clock_days_from_civil(2024, 9, 5), fri = clock_days_from_civil(2024, 9, 6);

	assert_int_equal(dates_working_days(fri, fri), 0);
	assert_int_equal(dates_working_days(fri, fri + 1), 0);   /* Saturday */
	assert_int_equal(dates_working_days(fri, fri + 3), 1);   /* Monday */
	assert_int_equal(dates_working_days(thu, thu + 14), 10); /* two weeks later */
	assert_int_equal(dates_working_days(thu, thu + 15), 11);
	assert_int_equal(dates_working_days(thu + 14, thu), 0);
}

/* A page with the given main text; title and main heading "Thực đơn tuần". */
static struct page *mk(const char *main_text)
{
	struct page *p = NULL;

	assert_int_equal(page_new(&p), ST_OK);
	p->status = 200;
	assert_int_equal(page_set(&p->url, "http://mn.hcm.edu.vn/thuc-don/ct/1/2"), ST_OK);
	assert_int_equal(page_set(&p->title, "Thực đơn tuần"), ST_OK);
	assert_int_equal(page_add_heading(p, 1, "Thực đơn tuần"), ST_OK);
	assert_int_equal(page_set(&p->main_text, main_text), ST_OK);
	/* The sidebar lists other posts with their dates. */
	assert_int_equal(
		page_set(&p->text, "Tin mới: Lễ khai giảng 05/09/2016. Thông báo 01/01/2016. "),
		ST_OK);
	return p;
}

/* Sets the title and the main heading. */
static void retitle(struct page *p, const char *t)
{
	assert_int_equal(page_set(&p->title, t), ST_OK);
	assert_int_equal(page_set(&p->headings[0].text, t), ST_OK);
}

/* pagedate_of on p, as "date source". */
static const char *dated(const struct page *p, char out[64])
{
	char *tp = plain(p->title), *hp = plain(p->headings[0].text);
	char *mp = p->main_text && *p->main_text ? plain(p->main_text) : NULL;
	struct page_date d;

	if (pagedate_of(p, tp, hp, mp, &d))
		snprintf(out, 64, "%s %s", d.date, d.source);
	else
		snprintf(out, 64, "none");
	free(tp), free(hp), free(mp);
	return out;
}

static void test_page_date_precedence(void **state)
{
	char b[64];
	struct page *p;

	/* 1. An explicit date in the item's own title. */
	p = mk("Ngày đăng: 01/01/2025");
	assert_int_equal(page_add_meta(p, "article:published_time", "2024-12-30T08:00:00+07:00"),
			 ST_OK);
	assert_int_equal(page_set(&p->title, "Thực đơn tuần từ 03/03/2025 đến 07/03/2025"), ST_OK);
	assert_string_equal(dated(p, b), "2025-03-03 title");
	page_free(p);
	/* 2. The post date: published metas first ... */
	p = mk("Ngày đăng: 01/10/2017");
	assert_int_equal(page_add_meta(p, "article:modified_time", "2017-10-20"), ST_OK);
	assert_int_equal(page_add_meta(p, "article:published_time", "2017-09-29T08:15:00+07:00"),
			 ST_OK);
	assert_string_equal(dated(p, b), "2017-09-29 meta");
	page_free(p);
	p = mk("Bài viết");
	assert_int_equal(page_add_meta(p, "jsonld:datePublished", "2017-09-28T10:00:00Z"), ST_OK);
	assert_int_equal(page_add_meta(p, "jsonld:dateModified", "2017-10-28"), ST_OK);
	assert_string_equal(dated(p, b), "2017-09-28 meta");
	page_free(p);
	/* ... then a labelled date in the main text, before modified times. */
	p = mk("Thứ Sáu, 29/09/2017 08:15. Sáng ngày 28/9...");
	assert_int_equal(page_add_meta(p, "article:modified_time", "2017-10-20"), ST_OK);
	assert_string_equal(dated(p, b), "2017-09-29 page");
	page_free(p);
	p = mk("Bài viết");
	assert_int_equal(page_add_meta(p, "article:modified_time", "2017-10-20T09:00:00+07:00"),
			 ST_OK);
	assert_string_equal(dated(p, b), "2017-10-20 meta");
	page_free(p);
	p = mk("Bài viết");
	assert_int_equal(page_add_meta(p, "jsonld:dateModified", "2017-10-21"), ST_OK);
	assert_string_equal(dated(p, b), "2017-10-21 meta");
	page_free(p);
	p = mk("Bài viết. Cập nhật: 05/10/2017 10:00");
	assert_string_equal(dated(p, b), "2017-10-05 page");
	page_free(p);
	/* <time datetime>: the post's own, not the sidebar list's. */
	p = mk("Bài viết 29/09/2017");
	assert_int_equal(page_add_meta(p, "time", "2016-05-01"), ST_OK);
	assert_int_equal(page_add_meta(p, "time", "2017-09-29T08:15"), ST_OK);
	assert_string_equal(dated(p, b), "2017-09-29 meta");
	page_free(p);
	p = mk("Bài viết");
	assert_int_equal(page_add_meta(p, "time", "2017-09-29"), ST_OK);
	assert_string_equal(dated(p, b), "2017-09-29 meta");
	page_free(p);
	/* 3. Sitemap lastmod, 4. HTTP Last-Modified; several <time> of other
	 * posts and the sidebar's dates date nothing. */
	p = mk("");
	assert_int_equal(page_add_meta(p, "time", "2016-05-01"), ST_OK);
	assert_int_equal(page_add_meta(p, "time", "2016-06-01"), ST_OK);
	assert_int_equal(page_set(&p->last_modified, "Mon, 02 Oct 2017 08:00:00 GMT"), ST_OK);
	assert_string_equal(dated(p, b), "2017-10-02 http");
	assert_int_equal(page_set(&p->sitemap_lastmod, "2017-10-01T00:00:00+07:00"), ST_OK);
	assert_string_equal(dated(p, b), "2017-10-01 sitemap");
	page_free(p);
	p = mk("");
	assert_string_equal(dated(p, b), "none");
	page_free(p);
}

/* pagedate_head: the sources before the main text, the same answer. */
static void test_page_date_head_stage(void **state)
{
	struct page_date d;
	struct page *p = mk("Ngày đăng: 01/10/2017");

	assert_false(pagedate_head(p, "thuc don tuan", "thuc don tuan", &d));
	assert_null(d.source);
	assert_int_equal(page_add_meta(p, "jsonld:datePublished", "2017-09-28"), ST_OK);
	assert_true(pagedate_head(p, "thuc don tuan", "thuc don tuan", &d));
	assert_string_equal(d.date, "2017-09-28");
	assert_string_equal(d.source, "meta");
	assert_true(pagedate_head(p, "thuc don tuan 2/10/2017", NULL, &d));
	assert_string_equal(d.date, "2017-10-02");
	assert_string_equal(d.source, "title");
	page_free(p);
}

static const struct rule *rule_of(const struct ruleset *rs, const char *id)
{
	size_t n;
	const struct rule *r = ruleset_rules(rs, &n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(r[i].id, id) == 0)
			return &r[i];
	fail_msg("no rule %s", id);
	return NULL;
}

static void judge(const struct rule *r, struct page *p, const char *level, const char *as_of,
		  struct finding *f)
{
	struct school_result sr;
	struct eval_options o = {"2024-2025", as_of};

	memset(&sr, 0, sizeof(sr));
	sr.reachable = true;
	sr.school.level = (char *)level;
	assert_int_equal(eval_rule(r, &o, &p, 1, &sr, f), ST_OK);
}

/* Findings record the date they used and where it came from; the
 * sidebar's dates never date the item. */
static void test_findings_record_date_and_source(void **state)
{
	char path[1024];
	struct ruleset *rs = NULL;
	struct finding f;
	struct page *p;

	snprintf(path, sizeof(path), "%s/rules/sets/tt09-2024.yaml", getenv("PA_SOURCE"));
	assert_int_equal(ruleset_load(&rs, path), ST_OK);

	p = mk("Thực đơn tuần 2. Món chính: cá kho");
	assert_int_equal(page_add_meta(p, "article:published_time", "2025-03-07T08:15:00+07:00"),
			 ST_OK);
	judge(rule_of(rs, "mn_weekly_plan_menu"), p, "mn", "2025-03-10", &f);
	assert_int_equal(f.verdict, VERDICT_PASS);
	assert_string_equal(f.date, "2025-03-07");
	assert_string_equal(f.date_source, "meta");
	finding_release(&f);
	page_free(p);

	/* No main text: the sidebar's "Thứ Sáu, 07/03/2025" is another post's;
	 * the sitemap dates this one, a month old: stale. */
	p = mk("");
	assert_int_equal(page_set(&p->text, "Tin mới: Thứ Sáu, 07/03/2025 08:15 Lễ hội"), ST_OK);
	assert_int_equal(page_set(&p->sitemap_lastmod, "2025-02-01"), ST_OK);
	judge(rule_of(rs, "mn_weekly_plan_menu"), p, "mn", "2025-03-10", &f);
	assert_int_equal(f.verdict, VERDICT_STALE);
	assert_string_equal(f.date, "2025-02-01");
	assert_string_equal(f.date_source, "sitemap");
	finding_release(&f);
	page_free(p);

	/* A standing item (policy none) records its page date too. */
	p = mk("Ngày đăng: 10/09/2024. Địa chỉ: 1 Lê Lợi");
	retitle(p, "Liên hệ");
	judge(rule_of(rs, "gen_contact"), p, "thcs", "2025-03-10", &f);
	assert_int_equal(f.verdict, VERDICT_PASS);
	assert_string_equal(f.date, "2024-09-10");
	assert_string_equal(f.date_source, "page");
	finding_release(&f);
	page_free(p);

	/* A year label is the date a year verdict rests on; the page date
	 * goes to the note. */
	p = mk("Thứ Hai, 09/09/2024 07:00");
	retitle(p, "Kế hoạch giáo dục năm học 2024-2025");
	judge(rule_of(rs, "pt_year_plan"), p, "thcs", "2025-03-10", &f);
	assert_int_equal(f.verdict, VERDICT_PASS);
	assert_string_equal(f.date, "2024-09-01");
	assert_string_equal(f.date_source, "label");
	assert_non_null(strstr(f.note, "page dated 2024-09-09 (page)"));
	finding_release(&f);
	page_free(p);
	ruleset_free(rs);
}

/* The 10-working-day rule: the document's date against the post date. */
static void test_update_within_ten_working_days(void **state)
{
	char path[1024];
	struct ruleset *rs = NULL;
	struct finding f;
	struct page *p;

	snprintf(path, sizeof(path), "%s/rules/sets/tt09-2024.yaml", getenv("PA_SOURCE"));
	assert_int_equal(ruleset_load(&rs, path), ST_OK);
	/* Dated Thursday 5/9, posted Thursday 19/9: 10 working days, in time. */
	p = mk("Quận 3, ngày 5 tháng 9 năm 2024. KẾ HOẠCH giáo dục nhà trường");
	retitle(p, "Kế hoạch giáo dục nhà trường năm học 2024-2025");
	assert_int_equal(page_add_meta(p, "article:published_time", "2024-09-19T08:00:00+07:00"),
			 ST_OK);
	judge(rule_of(rs, "pt_year_plan"), p, "thcs", "2025-03-10", &f);
	assert_int_equal(f.verdict, VERDICT_PASS);
	finding_release(&f);
	/* Posted a day later: 11 working days. */
	page_free(p);
	p = mk("Quận 3, ngày 5 tháng 9 năm 2024. KẾ HOẠCH giáo dục nhà trường");
	retitle(p, "Kế hoạch giáo dục nhà trường năm học 2024-2025");
	assert_int_equal(page_add_meta(p, "article:published_time", "2024-09-20T08:00:00+07:00"),
			 ST_OK);
	judge(rule_of(rs, "pt_year_plan"), p, "thcs", "2025-03-10", &f);
	assert_int_equal(f.verdict, VERDICT_REVIEW);
	assert_non_null(strstr(f.note, "11 working days after the document dated 2024-09-05"));
	assert_string_equal(f.period_found, "2024-2025");
	finding_release(&f);
	/* Without a stated post date (sitemap only) the rule is not checkable. */
	page_free(p);
	p = mk("Quận 3, ngày 5 tháng 9 năm 2024. KẾ HOẠCH giáo dục nhà trường");
	retitle(p, "Kế hoạch giáo dục nhà trường năm học 2024-2025");
	assert_int_equal(page_set(&p->sitemap_lastmod, "2024-12-01"), ST_OK);
	judge(rule_of(rs, "pt_year_plan"), p, "thcs", "2025-03-10", &f);
	assert_int_equal(f.verdict, VERDICT_PASS);
	finding_release(&f);
	page_free(p);
	ruleset_free(rs);
}

/* Cadence deadlines (weekday and day of month) through the rule self-test
 * of tests/fixtures/rules/cadence.yaml. */
static void test_cadence_deadlines(void **state)
{
	char path[1024], out[4096];
	const char *paths[1] = {path};
	FILE *f = fmemopen(out, sizeof(out), "w");
	int fails;

	assert_non_null(f);
	memset(out, 0, sizeof(out));
	snprintf(path, sizeof(path), "%s/rules/cadence.yaml", getenv("PA_FIXTURES"));
	fails = ruleset_selftest(paths, 1, f);
	fclose(f);
	if (fails != 0)
		fail_msg("%d failures:\n%s", fails, out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_date_labels),
		cmocka_unit_test(test_document_date_skips_cited_documents),
		cmocka_unit_test(test_http_dates),
		cmocka_unit_test(test_working_days),
		cmocka_unit_test(test_page_date_precedence),
		cmocka_unit_test(test_page_date_head_stage),
		cmocka_unit_test(test_findings_record_date_and_source),
		cmocka_unit_test(test_update_within_ten_working_days),
		cmocka_unit_test(test_cadence_deadlines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
