/* The shapes real portals give disclosures (issue 10), against the shipped
 * rule sets: undated posts dated by their post date, finance by budget
 * year, combined posts, generic posts whose files are named only by their
 * file name or their text, robots-blocked sections and scanned documents
 * (review, never missing), dates inside legal citations, and TT 09/2024's
 * weekly menus, fees and annual report.  Each asserts the verdict, the
 * evidence URL and the date source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/finding.h"
#include "core/norm.h"
#include "core/page.h"
#include "core/str.h"
#include "rules/dates.h"
#include "rules/eval.h"
#include "rules/pagedate.h"
#include "rules/ruleset.h"

#define HOST "http://thcsnguyendu.hcm.edu.vn"
#define MAXP 24

#include "site.h"

/* An HTML page: title and main heading as given, main text as given; the
 * sidebar (whole-page text) names the current school year, as every real
 * portal's does. */
static struct page *page(struct site *s, const char *path, const char *title, const char *h1,
			 const char *main_text)
{
	struct page *pg = NULL;
	char url[256];

	assert_true(s->n < MAXP);
	assert_int_equal(page_new(&pg), ST_OK);
	snprintf(url, sizeof(url), HOST "%s", path);
	pg->status = 200;
	assert_int_equal(page_set(&pg->url, url), ST_OK);
	assert_int_equal(page_set(&pg->requested_url, url), ST_OK);
	assert_int_equal(page_set(&pg->content_type, "text/html"), ST_OK);
	assert_int_equal(page_set(&pg->title, title), ST_OK);
	if (h1)
		assert_int_equal(page_add_heading(pg, 1, h1), ST_OK);
	assert_int_equal(page_set(&pg->text, "Tin mới: Lễ khai giảng năm học 2017-2018"), ST_OK);
	assert_int_equal(page_set(&pg->main_text, main_text ? main_text : ""), ST_OK);
	s->p[s->n++] = pg;
	return pg;
}

/* A fetched document (the contract of the document fetcher): its text,
 * its doc:status. */
static struct page *doc(struct site *s, const char *path, const char *text, const char *doc_status)
{
	struct page *pg = NULL;
	char url[256];

	assert_true(s->n < MAXP);
	assert_int_equal(page_new(&pg), ST_OK);
	snprintf(url, sizeof(url), HOST "%s", path);
	pg->status = 200;
	assert_int_equal(page_set(&pg->url, url), ST_OK);
	assert_int_equal(page_set(&pg->requested_url, url), ST_OK);
	assert_int_equal(page_set(&pg->content_type, "application/pdf"), ST_OK);
	assert_int_equal(page_set(&pg->text, text), ST_OK);
	assert_int_equal(page_set(&pg->main_text, text), ST_OK);
	assert_int_equal(page_add_meta(pg, "doc:status", doc_status), ST_OK);
	assert_int_equal(page_add_meta(pg, "doc:pages", "1"), ST_OK);
	s->p[s->n++] = pg;
	return pg;
}

/* A same-site URL robots.txt kept the crawler from. */
static void blocked(struct site *s, const char *path)
{
	struct page *pg = NULL;
	char url[256];

	assert_true(s->n < MAXP);
	assert_int_equal(page_new(&pg), ST_OK);
	snprintf(url, sizeof(url), HOST "%s", path);
	pg->status = 0;
	assert_int_equal(page_set(&pg->url, url), ST_OK);
	assert_int_equal(page_set(&pg->requested_url, url), ST_OK);
	assert_int_equal(page_set(&pg->error, "robots"), ST_OK);
	s->p[s->n++] = pg;
}

static void audit09(struct site *s, struct school_result *r)
{
	audit(s, "tt09-2009", "thcs", "2017-2018", "2018-05-15", r);
}

static const struct finding *find(const struct school_result *r, const char *item)
{
	const struct finding *f = find_opt(r, item);

	if (!f)
		fail_msg("no finding for %s", item);
	return f;
}

static void assert_note_has(const struct finding *f, const char *what)
{
	if (!f->note || !strstr(f->note, what))
		fail_msg("note \"%s\" lacks \"%s\"", f->note ? f->note : "(none)", what);
}

/* Shape e: title, heading and body without a year; the post says when it
 * was posted ("Ngày đăng", a weekday date, <time>): its school year (1
 * August to 31 July) decides. */
static void test_undated_post_is_dated_by_its_post_date(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	const struct finding *f;
	struct page *pg;

	page(&s, "/cong-khai/cam-ket-chat-luong-giao-duc.aspx",
	     "THÔNG BÁO CAM KẾT CHẤT LƯỢNG GIÁO DỤC - Trường THCS",
	     "THÔNG BÁO CAM KẾT CHẤT LƯỢNG GIÁO DỤC",
	     "THÔNG BÁO CAM KẾT CHẤT LƯỢNG GIÁO DỤC Ngày đăng: Thứ Sáu, 15/09/2017 08:15 | Lượt xem: 533 "
	     "Thực hiện Thông tư 09/2009/TT-BGDĐT ngày 07/5/2009, trường thông báo cam kết chất lượng giáo dục như sau");
	pg = page(&s, "/cong-khai/co-so-vat-chat.aspx", "Cơ sở vật chất - Trường THCS",
		  "Cơ sở vật chất", "Cơ sở vật chất 14/10/2016 Bảng thống kê phòng học");
	assert_int_equal(page_add_meta(pg, "time", "2016-10-14"), ST_OK);
	audit09(&s, &r);
	f = find(&r, "quality_commitment");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->url, HOST "/cong-khai/cam-ket-chat-luong-giao-duc.aspx");
	assert_string_equal(f->date, "2017-09-15");
	assert_string_equal(f->date_source, "page");
	assert_string_equal(f->period_found, "2017-2018");
	assert_note_has(f, "2017-09-15");
	/* Posted in 2016-2017 (its <time>): stale. */
	f = find(&r, "facilities");
	assert_int_equal(f->verdict, VERDICT_STALE);
	assert_string_equal(f->url, HOST "/cong-khai/co-so-vat-chat.aspx");
	assert_string_equal(f->date, "2016-10-14");
	assert_string_equal(f->date_source, "meta");
	assert_string_equal(f->period_found, "2016-2017");
	school_result_release(&r);
	site_free(&s);
}

/* A results item (quality_actual) reports the year that ended before it
 * was posted: posted in October 2017 it is 2016-2017's, current on
 * 2018-05-15 (regulations §5 rule 2). */
static void test_undated_results_item_reports_the_year_just_ended(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	const struct finding *f;

	page(&s, "/cong-khai/chat-luong-thuc-te.aspx", "Chất lượng giáo dục thực tế",
	     "Chất lượng giáo dục thực tế",
	     "Ngày đăng: 17/10/2017 | Lượt xem: 12 Bảng tổng hợp kết quả");
	audit09(&s, &r);
	f = find(&r, "quality_actual");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->period_found, "2016-2017");
	assert_string_equal(f->date, "2017-10-17");
	assert_string_equal(f->date_source, "page");
	school_result_release(&r);
	site_free(&s);
}

/* Shape d: finance labelled by budget year, no school year anywhere:
 * current when it is the latest closed year or the current one. */
static void test_finance_by_budget_year(void **state)
{
	static const struct {
		const char *title;
		enum verdict v;
		const char *year;
	} cases[] = {
		{"Công khai quyết toán năm 2017", VERDICT_PASS, "2017"},
		{"Công khai dự toán ngân sách năm 2018", VERDICT_PASS, "2018"},
		{"Báo cáo tài chính năm 2017", VERDICT_PASS, "2017"},
		{"Báo cáo tài chính năm 2016", VERDICT_STALE, "2016"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct site s = {{0}, 0};
		struct school_result r;
		const struct finding *f;

		page(&s, "/cong-khai/tai-chinh.html", cases[i].title, cases[i].title,
		     "Ngày đăng: 11/01/2018 THÔNG BÁO Công khai quyết toán thu, chi ngân sách nhà nước");
		audit09(&s, &r);
		f = find(&r, "finance_revenue_expenditure");
		assert_int_equal(f->verdict, cases[i].v);
		assert_string_equal(f->url, HOST "/cong-khai/tai-chinh.html");
		assert_string_equal(f->period_found, cases[i].year);
		assert_string_equal(f->date_source, "label");
		school_result_release(&r);
		site_free(&s);
	}
}

/* Shape h: one post holds every item as a caption with its year; the
 * menu of the same page links the item pages by name. */
static void test_combined_post_counts_for_each_item(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	struct page *pg;
	static const char *const items[] = {"quality_commitment", "quality_actual", "facilities",
					    "staff", "finance_revenue_expenditure"};

	pg = page(
		&s, "/cong-khai/thong-bao-cong-khai-nam-hoc-2017-2018-111487/",
		"Thông báo công khai năm học 2017-2018 - Trường THCS Nguyễn Du",
		"Thông báo công khai năm học 2017-2018",
		"Thông báo công khai năm học 2017-2018 Ngày đăng: Thứ Năm, 22/02/2018 16:21 | Lượt xem: 1755 "
		"Thực hiện quy chế công khai đối với cơ sở giáo dục, trường thông báo công khai các nội dung năm học "
		"2017-2018 như sau: Biểu mẫu 09. Công khai cam kết chất lượng giáo dục năm học 2017-2018 STT Nội dung "
		"Lớp 6 Lớp 7 I Điều kiện tuyển sinh ... Biểu mẫu 10. Công khai chất lượng giáo dục thực tế năm học "
		"2017-2018 STT Nội dung Tổng số ... Biểu mẫu 11. Công khai thông tin cơ sở vật chất năm học 2017-2018 "
		"STT Nội dung Số lượng ... Biểu mẫu 12. Công khai thông tin về đội ngũ nhà giáo, cán bộ quản lý và "
		"nhân viên năm học 2017-2018 STT Nội dung Tổng số ... 5. Công khai tài chính năm học 2017-2018 STT "
		"Nội dung Số tiền");
	link(pg, "/cong-khai/co-so-vat-chat.html", "Cơ sở vật chất");
	link(pg, "/cong-khai/doi-ngu.html", "Đội ngũ nhà giáo, cán bộ quản lý và nhân viên");
	audit09(&s, &r);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		const struct finding *f = find(&r, items[i]);

		assert_int_equal(f->verdict, VERDICT_PASS);
		assert_string_equal(f->url, HOST
				    "/cong-khai/thong-bao-cong-khai-nam-hoc-2017-2018-111487/");
		assert_string_equal(f->period_found, "2017-2018");
		assert_string_equal(f->date_source, "label");
		assert_note_has(f, "bài đăng chung");
	}
	/* The heading is the evidence, diacritics kept. */
	assert_string_equal(find(&r, "facilities")->evidence,
			    "Biểu mẫu 11. Công khai thông tin cơ sở vật chất năm học 2017-2018");
	assert_string_equal(find(&r, "finance_revenue_expenditure")->evidence,
			    "5. Công khai tài chính năm học 2017-2018");
	school_result_release(&r);
	site_free(&s);
}

/* Meta-documents (§2.4 trap 5) name items in running text: no section of
 * them counts; neither does an index whose dead item link is followed by
 * another item and a year heading. */
static void test_meta_documents_and_index_lists_are_no_combined_posts(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	struct page *idx;

	page(&s, "/cong-khai/ke-hoach-thuc-hien-cong-khai-2017-2018.html",
	     "Kế hoạch thực hiện công khai năm học 2017-2018",
	     "Kế hoạch thực hiện công khai năm học 2017-2018",
	     "Ngày đăng: 05/09/2017 Nội dung: công khai cam kết chất lượng giáo dục năm học 2017-2018, công khai "
	     "cơ sở vật chất năm học 2017-2018 và công khai tài chính năm học 2017-2018.");
	idx = page(
		&s, "/cong-khai.html", "Công khai - Trường THCS", "Công khai",
		"Ngày đăng: 10/03/2018 Năm học 2017-2018 Cơ sở vật chất Công khai thu chi tài chính Năm học 2016-2017");
	link(idx, "/cong-khai/co-so-vat-chat.html", "Cơ sở vật chất");
	link(idx, "/cong-khai/thu-chi.html", "Công khai thu chi tài chính");
	audit09(&s, &r);
	assert_int_equal(find(&r, "quality_commitment")->verdict, VERDICT_MISSING);
	assert_int_equal(find(&r, "facilities")->verdict, VERDICT_MISSING);
	school_result_release(&r);
	site_free(&s);
}

/* Shape b(ii): a generic post whose link text is "Tải file": the file
 * name names the item and its year, though the file was not fetched. */
static void test_file_name_alone_names_the_item(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	struct page *pg;
	const struct finding *f;

	pg = page(&s, "/cong-khai/ho-so-cong-khai-352586/", "Hồ sơ công khai - Trường THCS",
		  "Hồ sơ công khai", "Ngày đăng: 20/10/2017 Nhà trường công khai các hồ sơ sau:");
	link(pg, "/upload/files/cong-khai-co-so-vat-chat-nam-hoc-2017-2018.pdf", "Tải file");
	audit09(&s, &r);
	f = find(&r, "facilities");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->url, HOST "/cong-khai/ho-so-cong-khai-352586/");
	assert_string_equal(f->evidence, "Tải file");
	assert_string_equal(f->period_found, "2017-2018");
	assert_string_equal(f->date_source, "label");
	assert_note_has(f, "cong-khai-co-so-vat-chat-nam-hoc-2017-2018.pdf");
	assert_int_equal(find(&r, "staff")->verdict, VERDICT_MISSING);
	school_result_release(&r);
	site_free(&s);
}

/* Shape b(iii): only the document's text names the item (`where:
 * document`); the post holding the link is the evidence, the note names
 * the document.  A title year dates a file whose own text has none. */
static void test_document_text_names_the_item(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	struct page *pg;
	const struct finding *f;

	pg = page(&s, "/cong-khai/thong-tin-cong-khai-dot-1-nam-hoc-2017-2018.html",
		  "Công khai thông tin đợt 1 năm học 2017-2018",
		  "Công khai thông tin đợt 1 năm học 2017-2018", "Ngày đăng: 02/10/2017");
	link(pg, "/upload/files/tai-lieu-1.pdf", "Xem tại đây");
	link(pg, "/upload/files/tai-lieu-2.pdf", "Tải về");
	doc(&s, "/upload/files/tai-lieu-1.pdf",
	    "PHÒNG GD&ĐT QUẬN 1 TRƯỜNG THCS NGUYỄN DU THÔNG BÁO Công khai thông tin về đội ngũ nhà giáo, cán bộ "
	    "quản lý và nhân viên năm học 2017-2018 STT Nội dung Tổng số",
	    "ok");
	doc(&s, "/upload/files/tai-lieu-2.pdf",
	    "THÔNG BÁO Công khai thông tin cơ sở vật chất STT Nội dung Số lượng", "ok");
	audit09(&s, &r);
	f = find(&r, "staff");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->url,
			    HOST "/cong-khai/thong-tin-cong-khai-dot-1-nam-hoc-2017-2018.html");
	assert_string_equal(f->period_found, "2017-2018");
	assert_string_equal(f->date_source, "document");
	assert_note_has(f, HOST "/upload/files/tai-lieu-1.pdf");
	f = find(&r, "facilities");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->url,
			    HOST "/cong-khai/thong-tin-cong-khai-dot-1-nam-hoc-2017-2018.html");
	assert_string_equal(f->date_source, "label");
	assert_note_has(f, "tai-lieu-2.pdf");
	school_result_release(&r);
	site_free(&s);
	/* A school plan linked from the news names items in passing, deep in
	 * its text; a plan about disclosure names them in its heading: neither
	 * is the disclosure. */
	pg = page(&s, "/tin-tuc/ke-hoach-nam-hoc.html", "Kế hoạch năm học 2017-2018",
		  "Kế hoạch năm học 2017-2018", "Ngày đăng: 10/09/2017");
	link(pg, "/upload/files/ke-hoach.pdf", "Tải về");
	doc(&s, "/upload/files/ke-hoach.pdf",
	    "KẾ HOẠCH NĂM HỌC 2017-2018 I. ĐẶC ĐIỂM TÌNH HÌNH Trường có 24 lớp với 812 học sinh, đội ngũ đủ về số "
	    "lượng, đạt chuẩn về trình độ; nhà trường luôn quan tâm chăm lo cho các hoạt động giáo dục toàn diện của "
	    "học sinh, phối hợp chặt chẽ với cha mẹ học sinh và các tổ chức đoàn thể. II. NHIỆM VỤ 1. Tăng cường công "
	    "tác xã hội hóa, tu sửa cơ sở vật chất năm học 2017-2018 theo kế hoạch.",
	    "ok");
	pg = page(&s, "/cong-khai/ke-hoach-cong-khai.html", "Kế hoạch", "Kế hoạch",
		  "Ngày đăng: 10/09/2017");
	link(pg, "/upload/files/ke-hoach-cong-khai.pdf", "Tải về");
	doc(&s, "/upload/files/ke-hoach-cong-khai.pdf",
	    "KẾ HOẠCH THỰC HIỆN CÔNG KHAI NĂM HỌC 2017-2018 Nội dung: công khai đội ngũ nhà giáo, cán bộ quản lý "
	    "và nhân viên năm học 2017-2018",
	    "ok");
	audit09(&s, &r);
	assert_int_equal(find(&r, "facilities")->verdict, VERDICT_MISSING);
	assert_int_equal(find(&r, "staff")->verdict, VERDICT_MISSING);
	school_result_release(&r);
	site_free(&s);
}

/* Shape f(iii): an item only in a scanned PDF (no text layer) behind a
 * generic link: a person must look (review), it is not missing; items
 * found elsewhere are judged as usual. */
static void test_scanned_document_behind_generic_link_is_review(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	struct page *pg;
	const struct finding *f;

	pg = page(&s, "/cong-khai/ho-so-cong-khai-nam-hoc-2017-2018.html",
		  "Hồ sơ công khai năm học 2017-2018", "Hồ sơ công khai năm học 2017-2018",
		  "Ngày đăng: 02/10/2017");
	link(pg, "/upload/files/scan-0001.pdf", "Tải về");
	link(pg, "/upload/files/cam-ket-chat-luong-giao-duc-nam-hoc-2017-2018.pdf", "Tải file");
	doc(&s, "/upload/files/scan-0001.pdf", "", "no_text");
	page(&s, "/cong-khai/co-so-vat-chat-2017-2018.html", "Cơ sở vật chất năm học 2017-2018",
	     "Cơ sở vật chất năm học 2017-2018", "Ngày đăng: 02/10/2017");
	audit09(&s, &r);
	f = find(&r, "staff");
	assert_int_equal(f->verdict, VERDICT_REVIEW);
	assert_string_equal(f->url, HOST "/cong-khai/ho-so-cong-khai-nam-hoc-2017-2018.html");
	assert_note_has(f, "scan");
	assert_note_has(f, "scan-0001.pdf");
	assert_int_equal(find(&r, "facilities")->verdict, VERDICT_PASS);
	assert_int_equal(find(&r, "quality_commitment")->verdict, VERDICT_PASS);
	school_result_release(&r);
	site_free(&s);
	/* A file the extractor could not read (timeout, corrupt, too large)
	 * is as unreadable as a scan. */
	pg = page(&s, "/cong-khai/ho-so-cong-khai-dot-2.html", "Hồ sơ công khai đợt 2",
		  "Hồ sơ công khai đợt 2", "Ngày đăng: 02/11/2017");
	link(pg, "/upload/files/tai-lieu.pdf", "Xem tại đây");
	doc(&s, "/upload/files/tai-lieu.pdf", "", "timeout");
	audit09(&s, &r);
	f = find(&r, "staff");
	assert_int_equal(f->verdict, VERDICT_REVIEW);
	assert_string_equal(f->url, HOST "/cong-khai/ho-so-cong-khai-dot-2.html");
	assert_note_has(f, "timeout");
	school_result_release(&r);
	site_free(&s);
	/* The same scan linked from a news post is no disclosure's. */
	pg = page(&s, "/tin-tuc/le-khai-giang.html", "Lễ khai giảng năm học 2017-2018",
		  "Lễ khai giảng", "Ngày đăng: 05/09/2017");
	link(pg, "/upload/files/scan-0002.pdf", "Tải về");
	doc(&s, "/upload/files/scan-0002.pdf", "", "no_text");
	audit09(&s, &r);
	assert_int_equal(find(&r, "staff")->verdict, VERDICT_MISSING);
	school_result_release(&r);
	site_free(&s);
}

/* Shape f(i): robots.txt forbids the section: the items the crawler could
 * not see are review with the blocked URLs as evidence, never missing. */
static void test_robots_blocked_section_is_review(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	struct page *home;
	const struct finding *f;

	home = page(&s, "/", "Trường THCS Nguyễn Du", "Trường THCS Nguyễn Du", "Chào mừng");
	link(home, "/ba-cong-khai/", "Ba công khai");
	link(home, "/quan-tri/", "Đăng nhập");
	blocked(&s, "/ba-cong-khai/");
	blocked(&s, "/quan-tri/");
	audit09(&s, &r);
	f = find(&r, "facilities");
	assert_int_equal(f->verdict, VERDICT_REVIEW);
	assert_string_equal(f->url, HOST "/ba-cong-khai/");
	assert_note_has(f, "bị chặn bởi robots.txt");
	assert_int_equal(find(&r, "quality_commitment")->verdict, VERDICT_REVIEW);
	/* The section's yearly parts cannot be seen either. */
	f = find(&r, "yearly_section");
	assert_int_equal(f->verdict, VERDICT_REVIEW);
	assert_string_equal(f->url, HOST "/ba-cong-khai/");
	assert_note_has(f, "bị chặn bởi robots.txt");
	school_result_release(&r);
	site_free(&s);
	/* Only the admin area blocked: the item is missing. */
	home = page(&s, "/", "Trường THCS Nguyễn Du", "Trường THCS Nguyễn Du", "Chào mừng");
	link(home, "/quan-tri/", "Đăng nhập");
	blocked(&s, "/quan-tri/");
	audit09(&s, &r);
	assert_int_equal(find(&r, "facilities")->verdict, VERDICT_MISSING);
	assert_int_equal(find(&r, "yearly_section")->verdict, VERDICT_MISSING);
	school_result_release(&r);
	site_free(&s);
}

/* A date inside a legal citation dates the cited document, not the page. */
static void test_citation_dates_do_not_date_the_page(void **state)
{
	static const char *const cited[] = {
		"thuc hien thong tu 09/2009/tt-bgddt ngay 07/5/2009 cua bo",
		"can cu nghi quyet so 12/2017/nq-hdnd ngay 5 thang 9 nam 2017",
		"theo quyet dinh 2071/qd-bgddt ngay 16/6/2017",
	};
	const char *own = "tp. ho chi minh, ngay 5 thang 9 nam 2017";
	struct date_found d;
	struct page *pg = NULL;
	struct page_date pd;
	char *plain = NULL;

	for (size_t i = 0; i < sizeof(cited) / sizeof(cited[0]); i++) {
		assert_true(dates_find_dates(cited[i], &d, 1) == 1);
		assert_true(dates_in_citation(cited[i], d.start));
		assert_false(dates_find_document_date(cited[i], &d));
	}
	assert_true(dates_find_dates(own, &d, 1) == 1);
	assert_false(dates_in_citation(own, d.start));
	assert_true(dates_find_document_date(own, &d));
	assert_int_equal(d.d, 5);
	/* The page's first own date, after the citation's. */
	assert_int_equal(page_new(&pg), ST_OK);
	assert_int_equal(
		page_set(&pg->main_text,
			 "Thực hiện Thông tư 09/2009/TT-BGDĐT ngày 07/5/2009 của Bộ GD&ĐT. "
			 "Bảng số liệu cập nhật 20/09/2017"),
		ST_OK);
	assert_int_equal(norm_fold(pg->main_text, strlen(pg->main_text), NULL, &plain), ST_OK);
	assert_true(pagedate_of(pg, NULL, NULL, plain, &pd));
	assert_string_equal(pd.date, "2017-09-20");
	free(plain);
	page_free(pg);
}

/* Today's regime (TT 09/2024, 2025-2026): the newest weekly menu decides,
 * wherever it lies in a paginated section; fees by school year beside
 * finance by calendar year; the annual report a PDF named by its text. */
static void test_tt09_2024_menus_fees_finance_and_annual_report(void **state)
{
	struct site s = {{0}, 0};
	struct school_result r;
	struct page *pg;
	const struct finding *f;
	char path[128], title[128];

	/* Page 4 of the section holds the newest menus: the crawl stores
	 * them like any other post. */
	for (int w = 1; w <= 6; w++) {
		snprintf(path, sizeof(path), "/ba-cong-khai/thuc-don-tuan-%d/ct/81936/%d", w,
			 2460 + w);
		snprintf(title, sizeof(title), "Thực đơn tuần %d (từ %02d/09/2025)", w,
			 1 + 7 * (w - 1) > 28 ? 28 : 1 + 7 * (w - 1));
		page(&s, path, title, title, "Thứ Bảy, 30/08/2025 08:00");
	}
	page(&s, "/ba-cong-khai/thuc-don-tuan-7/ct/81936/2500",
	     "Thực đơn tuần từ 06/10/2025 đến 10/10/2025",
	     "Thực đơn tuần từ 06/10/2025 đến 10/10/2025", "Thứ Bảy, 04/10/2025 08:00");
	page(&s, "/ba-cong-khai/thong-bao-cac-khoan-thu/ct/81936/2390",
	     "Thông báo thu các khoản đầu năm học 2025 - 2026",
	     "Thông báo thu các khoản đầu năm học 2025 - 2026", "Ngày đăng: 20/08/2025");
	page(&s, "/ba-cong-khai/quyet-toan-2024/ct/81936/2380", "Công khai quyết toán năm 2024",
	     "Công khai quyết toán năm 2024", "Ngày đăng: 15/03/2025");
	pg = page(&s, "/ba-cong-khai/bao-cao/ct/81936/2370", "Báo cáo công khai",
		  "Báo cáo công khai", "Ngày đăng: 20/06/2025");
	link(pg, "/data/doc/bctn.pdf", "Tải file");
	doc(&s, "/data/doc/bctn.pdf",
	    "BÁO CÁO THƯỜNG NIÊN NĂM 2024 Trường Mầm non Hoa Sen (tính đến 31/12/2024)", "ok");
	audit(&s, "tt09-2024", "mn", "2025-2026", "2025-10-08", &r);
	f = find(&r, "mn_weekly_plan_menu");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->url, HOST "/ba-cong-khai/thuc-don-tuan-7/ct/81936/2500");
	assert_string_equal(f->date, "2025-10-06");
	assert_string_equal(f->date_source, "title");
	f = find(&r, "fin_fees");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->url, HOST "/ba-cong-khai/thong-bao-cac-khoan-thu/ct/81936/2390");
	assert_string_equal(f->period_found, "2025-2026");
	assert_string_equal(f->date_source, "label");
	f = find(&r, "fin_prev_fiscal_year");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->period_found, "2024");
	assert_string_equal(f->date, "2024-12-31");
	f = find(&r, "annual_report_pdf");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->url, HOST "/ba-cong-khai/bao-cao/ct/81936/2370");
	assert_string_equal(f->period_found, "2024");
	assert_string_equal(f->date_source, "document");
	assert_note_has(f, "bctn.pdf");
	school_result_release(&r);
	site_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_undated_post_is_dated_by_its_post_date),
		cmocka_unit_test(test_undated_results_item_reports_the_year_just_ended),
		cmocka_unit_test(test_finance_by_budget_year),
		cmocka_unit_test(test_combined_post_counts_for_each_item),
		cmocka_unit_test(test_meta_documents_and_index_lists_are_no_combined_posts),
		cmocka_unit_test(test_file_name_alone_names_the_item),
		cmocka_unit_test(test_document_text_names_the_item),
		cmocka_unit_test(test_scanned_document_behind_generic_link_is_review),
		cmocka_unit_test(test_robots_blocked_section_is_review),
		cmocka_unit_test(test_citation_dates_do_not_date_the_page),
		cmocka_unit_test(test_tt09_2024_menus_fees_finance_and_annual_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
