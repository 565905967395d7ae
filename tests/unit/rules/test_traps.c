/* The phrasing traps of regulations.md §2.4, one test each, against the
 * shipped rule sets (rules/sets/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/finding.h"
#include "core/page.h"
#include "core/str.h"
#include "rules/dates.h"
#include "rules/eval.h"
#include "rules/ruleset.h"

#define HOST "http://truong.hcm.edu.vn"
#define MAXP 16

#include "site.h"

/* A page: title and main heading the same text; main text as given. */
static struct page *page(struct site *s, const char *path, const char *title, const char *main_text)
{
	struct page *pg = NULL;
	char url[256];

	assert_true(s->n < MAXP);
	assert_int_equal(page_new(&pg), ST_OK);
	snprintf(url, sizeof(url), HOST "%s", path);
	pg->status = 200;
	assert_int_equal(page_set(&pg->url, url), ST_OK);
	assert_int_equal(page_set(&pg->title, title), ST_OK);
	assert_int_equal(page_add_heading(pg, 1, title), ST_OK);
	assert_int_equal(page_set(&pg->text, main_text ? main_text : ""), ST_OK);
	assert_int_equal(page_set(&pg->main_text, main_text ? main_text : ""), ST_OK);
	s->p[s->n++] = pg;
	return pg;
}

static const struct finding *find(const struct school_result *r, const char *item)
{
	return find_opt(r, item);
}

static enum verdict verdict(const struct school_result *r, const char *item)
{
	const struct finding *f = find(r, item);

	if (!f)
		fail_msg("no finding for %s", item);
	return f->verdict;
}

/* Every disclosure item (group other than PORTAL) is missing. */
static void assert_no_disclosure(const struct school_result *r)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].group, "PORTAL") != 0 &&
		    r->findings[i].verdict != VERDICT_MISSING)
			fail_msg("%s: %s (evidence %s)", r->findings[i].item,
				 verdict_str(r->findings[i].verdict),
				 r->findings[i].evidence ? r->findings[i].evidence : "-");
}

/* Trap 1: "Ba công khai" survives as a label under TT 09/2024; the label
 * alone is no item. */
static void test_trap1_ba_cong_khai_label_alone_is_not_compliance(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;

	page(&s, "/ba-cong-khai/c/1", "Ba công khai",
	     "Năm học 2024-2025. Chuyên mục ba công khai của nhà trường.");
	page(&s, "/ba-cong-khai-2024-2025", "Ba công khai năm học 2024-2025",
	     "Ngày đăng: 10/09/2024");
	audit(&s, "tt09-2024", "thcs", "2024-2025", "2025-05-15", &r);
	assert_no_disclosure(&r);
	assert_true(r.nfindings > 15);
	/* The section itself is what the HCMC rubric asks for (3.4). */
	assert_int_equal(verdict(&r, "yearly_section"), VERDICT_PASS);
	school_result_release(&r);
	site_free(&s);
}

/* Trap 2: "Thông tư 09" is 2009 or 2024; a page "theo Thông tư 09" dated
 * 2015 is TT 09/2009, so it is no TT 09/2024 disclosure. */
static void test_trap2_thong_tu_09_dated_2015_is_tt09_2009(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	const struct finding *f;

	page(&s, "/cong-khai/csvc.html", "Công khai cơ sở vật chất theo Thông tư 09",
	     "Ngày đăng: 15/10/2015");
	audit(&s, "tt09-2024", "thcs", "2024-2025", "2025-05-15", &r);
	f = find(&r, "pt_facilities");
	assert_non_null(f);
	assert_int_equal(f->verdict, VERDICT_STALE);
	assert_string_equal(f->date, "2015-10-15");
	assert_string_equal(f->date_source, "page");
	assert_non_null(strstr(f->note, "before TT 09/2024/TT-BGDĐT took effect"));
	school_result_release(&r);
	/* Dated after 19/07/2024 it is TT 09/2024's: without a year label,
	 * its post date dates it (regulations §5 rule 4), 2024-2025. */
	site_free(&s);
	page(&s, "/cong-khai/csvc.html", "Công khai cơ sở vật chất theo Thông tư 09",
	     "Ngày đăng: 15/10/2024");
	audit(&s, "tt09-2024", "thcs", "2024-2025", "2025-05-15", &r);
	f = find(&r, "pt_facilities");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->date, "2024-10-15");
	assert_string_equal(f->date_source, "page");
	assert_string_equal(f->period_found, "2024-2025");
	school_result_release(&r);
	site_free(&s);
	/* And a 2015 school year is judged under TT 09/2009 to begin with. */
	assert_string_equal(ruleset_default_for_period("2015-2016"), "tt09-2009");
}

/* Trap 3: công khai dân chủ / quy chế dân chủ is TT 11/2020; but a plan
 * filed under a /cong-khai-dan-chu/ URL still counts by its own name. */
static void test_trap3_cong_khai_dan_chu_is_another_regime(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;

	page(&s, "/a", "Công khai dân chủ: cơ sở vật chất năm học 2017-2018", NULL);
	page(&s, "/b", "Quy chế dân chủ - cam kết chất lượng giáo dục năm học 2017-2018", NULL);
	page(&s, "/c", "Quy chế thực hiện dân chủ: công khai tài chính năm học 2017-2018", NULL);
	page(&s, "/d", "Công khai dân chủ đội ngũ nhà giáo năm học 2017-2018", NULL);
	audit(&s, "tt09-2009", "thcs", "2017-2018", "2018-05-15", &r);
	assert_no_disclosure(&r);
	school_result_release(&r);
	site_free(&s);

	page(&s, "/cong-khai-dan-chu/ke-hoach-nam-hoc", "Kế hoạch năm học 2024-2025", NULL);
	page(&s, "/e", "Công khai dân chủ: kế hoạch giáo dục năm học 2024-2025", NULL);
	audit(&s, "tt09-2024", "mn", "2024-2025", "2025-05-15", &r);
	assert_int_equal(verdict(&r, "mn_year_plan"), VERDICT_PASS);
	assert_string_equal(find(&r, "mn_year_plan")->url,
			    HOST "/cong-khai-dan-chu/ke-hoach-nam-hoc");
	school_result_release(&r);
	site_free(&s);
}

/* Trap 4: "3 công khai, 4 kiểm tra" is a management slogan. */
static void test_trap4_ba_cong_khai_bon_kiem_tra_is_a_slogan(void **state)
{
	static const char *const sets[] = {"tt09-2009", "tt36-2017"};
	static const char *const periods[] = {"2017-2018", "2018-2019"};

	for (size_t i = 0; i < 2; i++) {
		struct site s = {{0}, 0};
		struct school_result r;

		page(&s, "/a",
		     "Thực hiện 3 công khai, 4 kiểm tra trong quản lý tài chính năm học 2017-2018",
		     NULL);
		page(&s, "/b", "Ba công khai, bốn kiểm tra: thu chi tài chính năm học 2018-2019",
		     NULL);
		page(&s, "/c", "3 công khai 4 kiểm tra - cơ sở vật chất năm học 2018-2019", NULL);
		audit(&s, sets[i], "thcs", periods[i], NULL, &r);
		assert_no_disclosure(&r);
		assert_int_equal(verdict(&r, "yearly_section"), VERDICT_MISSING);
		school_result_release(&r);
		site_free(&s);
	}
}

/* Trap 5: documents about the process are not the disclosure. */
static void test_trap5_meta_documents_are_not_the_items(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;

	page(&s, "/a", "Kế hoạch thực hiện công khai năm học 2017-2018", NULL);
	page(&s, "/b", "Kế hoạch triển khai quy chế công khai cơ sở vật chất năm học 2017-2018",
	     NULL);
	page(&s, "/c",
	     "Báo cáo kết quả thực hiện công khai chất lượng giáo dục thực tế năm học 2017-2018",
	     NULL);
	page(&s, "/d",
	     "Quyết định thành lập ban chỉ đạo công khai đội ngũ nhà giáo năm học 2017-2018", NULL);
	page(&s, "/e", "Biên bản niêm yết công khai tài chính năm học 2017-2018", NULL);
	page(&s, "/f", "Biên bản tháo niêm yết cam kết chất lượng giáo dục năm học 2017-2018",
	     NULL);
	audit(&s, "tt09-2009", "th", "2017-2018", "2018-05-15", &r);
	assert_no_disclosure(&r);
	school_result_release(&r);
	site_free(&s);

	page(&s, "/a", "Kế hoạch thực hiện công khai năm học 2024-2025", NULL);
	page(&s, "/b", "Quyết định thành lập ban chỉ đạo công khai", NULL);
	page(&s, "/c", "Báo cáo kết quả thực hiện công khai năm học 2023-2024", NULL);
	audit(&s, "tt09-2024", "th", "2024-2025", "2025-05-15", &r);
	assert_no_disclosure(&r);
	school_result_release(&r);
	site_free(&s);
}

/* Trap 6: the "Biểu mẫu" menu of HCMC sites holds administrative forms. */
static void test_trap6_administrative_bieu_mau_are_not_forms(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	struct page *menu = page(&s, "/bieu-mau/c/9", "Biểu mẫu", NULL);

	link(menu, "/files/don-xin-nghi-hoc.doc", "Đơn xin nghỉ học");
	link(menu, "/files/don-phuc-khao.pdf", "Đơn phúc khảo bài thi năm học 2018-2019.pdf");
	link(menu, "/files/don-mien-giam.pdf", "Đơn xin miễn giảm học phí năm học 2018-2019.pdf");
	link(menu, "/files/don-de-nghi.docx", "Biểu mẫu đơn đề nghị cấp bản sao học bạ.docx");
	page(&s, "/a", "Biểu mẫu đơn xin chuyển trường năm học 2018-2019", NULL);
	page(&s, "/b", "Biểu mẫu tuyển sinh đầu cấp năm học 2018-2019", NULL);
	audit(&s, "tt36-2017", "thcs", "2018-2019", "2019-05-15", &r);
	assert_no_disclosure(&r);
	school_result_release(&r);
	audit(&s, "tt09-2024", "thcs", "2024-2025", "2025-05-15", &r);
	assert_int_equal(verdict(&r, "fin_support_policies"), VERDICT_MISSING);
	assert_int_equal(verdict(&r, "fin_fees"), VERDICT_MISSING);
	assert_int_equal(verdict(&r, "pt_year_plan"), VERDICT_MISSING);
	school_result_release(&r);
	site_free(&s);
}

/* Trap 7: Biểu mẫu 10 is CSVC under TT 09/2009 but actual quality for
 * THCS/THPT under TT 36; form numbers belong to their level; university
 * forms 17–20 are another set. */
static void test_trap7_form_number_collisions(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;

	page(&s, "/a",
	     "Biểu mẫu 10 (kèm theo TT 09/2009) - Công khai thông tin cơ sở vật chất năm học 2018-2019",
	     NULL);
	audit(&s, "tt36-2017", "thcs", "2018-2019", "2019-05-15", &r);
	assert_int_equal(verdict(&r, "facilities"), VERDICT_PASS);
	assert_int_equal(verdict(&r, "quality_actual"), VERDICT_MISSING);
	school_result_release(&r);
	site_free(&s);

	page(&s, "/b", "Biểu mẫu 10 năm học 2018-2019", NULL);
	audit(&s, "tt36-2017", "thcs", "2018-2019", "2019-05-15", &r);
	assert_int_equal(verdict(&r, "quality_actual"), VERDICT_PASS);
	assert_int_equal(verdict(&r, "facilities"), VERDICT_MISSING);
	school_result_release(&r);
	/* A kindergarten's Biểu mẫu 10 means nothing under TT 36 (MN: 01–04);
	 * a th+thcs school gets the union of its levels' forms. */
	audit(&s, "tt36-2017", "mn", "2018-2019", "2019-05-15", &r);
	assert_int_equal(verdict(&r, "quality_actual"), VERDICT_MISSING);
	school_result_release(&r);
	audit(&s, "tt36-2017", "th+thcs", "2018-2019", "2019-05-15", &r);
	assert_int_equal(verdict(&r, "quality_actual"), VERDICT_PASS);
	school_result_release(&r);
	site_free(&s);

	/* Under TT 09/2009 only the content words count, never a number. */
	page(&s, "/c", "Biểu mẫu 10 năm học 2017-2018", NULL);
	page(&s, "/d", "Biểu mẫu 18 - Công khai chất lượng đào tạo thực tế năm học 2017-2018",
	     NULL);
	audit(&s, "tt09-2009", "thcs", "2017-2018", "2018-05-15", &r);
	assert_no_disclosure(&r);
	school_result_release(&r);
	site_free(&s);
}

/* Trap 8: finance is labelled by calendar (fiscal) year. */
static void test_trap8_finance_by_calendar_year(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	const struct finding *f;
	int y = 0;

	assert_true(dates_find_calendar_year("cong khai quyet toan nam 2017", &y));
	assert_int_equal(y, 2017);
	assert_false(dates_find_calendar_year("thu chi tai chinh nam hoc 2017-2018", &y));

	page(&s, "/a", "Công khai quyết toán ngân sách năm 2017", NULL);
	audit(&s, "tt09-2009", "thcs", "2017-2018", "2018-05-15", &r);
	f = find(&r, "finance_revenue_expenditure");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->period_found, "2017");
	assert_string_equal(f->date, "2017-12-31");
	assert_string_equal(f->date_source, "label");
	school_result_release(&r);
	site_free(&s);

	page(&s, "/a", "Công khai quyết toán ngân sách năm 2016", NULL);
	audit(&s, "tt09-2009", "thcs", "2017-2018", "2018-05-15", &r);
	assert_int_equal(verdict(&r, "finance_revenue_expenditure"), VERDICT_STALE);
	school_result_release(&r);
	site_free(&s);

	/* TT 09/2024: the previous fiscal year is due by 30 June. */
	page(&s, "/a", "Công khai quyết toán năm 2024", NULL);
	audit(&s, "tt09-2024", "thpt", "2025-2026", "2025-08-01", &r);
	assert_int_equal(verdict(&r, "fin_prev_fiscal_year"), VERDICT_PASS);
	school_result_release(&r);
	site_free(&s);
	page(&s, "/a", "Công khai quyết toán năm 2023", NULL);
	audit(&s, "tt09-2024", "thpt", "2025-2026", "2025-08-01", &r);
	assert_int_equal(verdict(&r, "fin_prev_fiscal_year"), VERDICT_STALE);
	school_result_release(&r);
	site_free(&s);
}

/* Trap 9: content only in an attachment or an image, with no year: a
 * person must look (review), and the finding says why. */
static void test_trap9_attachment_or_image_without_year_is_review(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	struct page *idx = page(&s, "/cong-khai", "Công khai", NULL);
	const struct finding *f;

	link(idx, "/upload/cam-ket.pdf", "Cam kết chất lượng giáo dục.pdf");
	/* An image post: the body is just the picture, its alt text names it. */
	page(&s, "/csvc", "Cơ sở vật chất", "");
	link(s.p[1], "/uploadimages/news/csvc.jpg", "Cơ sở vật chất");
	audit(&s, "tt09-2009", "thcs", "2017-2018", "2018-05-15", &r);
	f = find(&r, "quality_commitment");
	assert_int_equal(f->verdict, VERDICT_REVIEW);
	assert_string_equal(f->url, HOST "/cong-khai");
	assert_non_null(strstr(f->note, "without a year label"));
	assert_int_equal(verdict(&r, "facilities"), VERDICT_REVIEW);
	school_result_release(&r);
	site_free(&s);

	/* The same attachment with its year is evidence enough. */
	idx = page(&s, "/cong-khai", "Công khai", NULL);
	link(idx, "/upload/cam-ket-2017-2018.pdf",
	     "Cam kết chất lượng giáo dục năm học 2017-2018.pdf");
	audit(&s, "tt09-2009", "thcs", "2017-2018", "2018-05-15", &r);
	assert_int_equal(verdict(&r, "quality_commitment"), VERDICT_PASS);
	school_result_release(&r);
	site_free(&s);
}

/* Trap 10: universities' "công khai" uses the same words; out of scope. */
static void test_trap10_university_pages_are_out_of_scope(void **state)
{
	static const char *const sets[] = {"tt09-2009", "tt36-2017", "tt09-2024"};
	static const char *const periods[] = {"2017-2018", "2018-2019", "2025-2026"};

	for (size_t i = 0; i < 3; i++) {
		struct site s = {{0}, 0};
		struct school_result r;

		page(&s, "/a",
		     "Cam kết chất lượng đào tạo của Trường Đại học Nha Trang năm học 2025-2026",
		     NULL);
		page(&s, "/b",
		     "THÔNG TIN CÔNG KHAI TRƯỜNG ĐẠI HỌC NHA TRANG NĂM HỌC 2025-2026 (tính đến 30/6/2025)",
		     NULL);
		page(&s, "/c",
		     "Công khai cơ sở vật chất của Trường Cao đẳng Kinh tế năm học 2025-2026",
		     NULL);
		page(&s, "/d", "Đội ngũ giảng viên cơ hữu - Học viện Hàng không năm học 2025-2026",
		     NULL);
		page(&s, "/e", "Học phí sinh viên năm học 2025-2026", NULL);
		audit(&s, sets[i], "thpt", periods[i], NULL, &r);
		assert_no_disclosure(&r);
		school_result_release(&r);
		site_free(&s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trap1_ba_cong_khai_label_alone_is_not_compliance),
		cmocka_unit_test(test_trap2_thong_tu_09_dated_2015_is_tt09_2009),
		cmocka_unit_test(test_trap3_cong_khai_dan_chu_is_another_regime),
		cmocka_unit_test(test_trap4_ba_cong_khai_bon_kiem_tra_is_a_slogan),
		cmocka_unit_test(test_trap5_meta_documents_are_not_the_items),
		cmocka_unit_test(test_trap6_administrative_bieu_mau_are_not_forms),
		cmocka_unit_test(test_trap7_form_number_collisions),
		cmocka_unit_test(test_trap8_finance_by_calendar_year),
		cmocka_unit_test(test_trap9_attachment_or_image_without_year_is_review),
		cmocka_unit_test(test_trap10_university_pages_are_out_of_scope),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
