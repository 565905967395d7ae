/* What the crawler fetches: assets, documents, traps, hcm.edu.vn post
 * variants, focus priority; and the frontier's order and deduplication. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "crawler/frontier.h"
#include "crawler/scope.h"

static void test_assets_and_documents(void **state)
{
	(void)state;
	assert_true(scope_is_asset("http://x.vn/a/style.CSS"));
	assert_true(scope_is_asset("http://x.vn/img/logo.png?v=2"));
	assert_true(scope_is_asset("http://x.vn/f.woff2"));
	assert_false(scope_is_asset("http://x.vn/tin-tuc.html"));
	assert_false(scope_is_asset("http://x.vn/"));
	assert_false(scope_is_asset("http://x.vn"));
	assert_false(scope_is_asset("http://x.vn/a.b/page"));
	assert_false(scope_is_asset("http://x.vn/page?file=a.css"));
	assert_true(scope_is_document("http://x.vn/files/Bao%20cao.PDF"));
	assert_true(scope_is_document("http://x.vn/a.docx#p=2"));
	assert_false(scope_is_document("http://x.vn/a.pdf.html"));
}

static void test_traps(void **state)
{
	char longurl[SCOPE_MAX_URL + 32];

	(void)state;
	assert_false(scope_is_trap("http://x.vn/a/b/c/d.html"));
	assert_false(scope_is_trap("http://x.vn/a/b/a/b/a/b"));
	assert_true(scope_is_trap("http://x.vn/a/b/a/b/a/b/a/b"));
	assert_true(scope_is_trap("http://x.vn/cal/2017/cal/2017/cal/2017/cal/x"));
	assert_false(scope_is_trap("http://x.vn/?a=1/1/1/1")); /* the query is not the path */
	memset(longurl, 'a', sizeof(longurl) - 1);
	memcpy(longurl, "http://x.vn/", 12);
	longurl[sizeof(longurl) - 1] = '\0';
	assert_true(scope_is_trap(longurl));
	assert_true(scope_is_trap("http://x.vn/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16/17/18/19/20/"
				  "21/22/23/24/25/26/27/28/29/30/31"));
}

static void test_hcm_post_variants_collapse(void **state)
{
	static const char *const cases[][2] = {
		{"http://thcs.hcm.edu.vn/cong-khai/abc/ctmb/113030/1412438",
		 "http://thcs.hcm.edu.vn/cong-khai/abc/ct/113030/1412438"},
		{"https://thcs.hcm.edu.vn/cong-khai/abc/ctfull/113030/1412438?x=1",
		 "https://thcs.hcm.edu.vn/cong-khai/abc/ct/113030/1412438?x=1"},
		{"http://thcs.hcm.edu.vn/cong-khai/abc/ct/113030/1412438",
		 "http://thcs.hcm.edu.vn/cong-khai/abc/ct/113030/1412438"},
		/* The same platform on other edu.vn portals, with a port. */
		{"http://thcskhuongmai.pgdthanhxuan.edu.vn:8080/tt/a/ctmb/19141/138961",
		 "http://thcskhuongmai.pgdthanhxuan.edu.vn:8080/tt/a/ct/19141/138961"},
		{"http://saosang.edu.vn/a/ctfull/1/2", "http://saosang.edu.vn/a/ct/1/2"},
		/* Not a post id, or not an edu.vn portal: unchanged. */
		{"http://thcs.hcm.edu.vn/ctmb/abc/1", "http://thcs.hcm.edu.vn/ctmb/abc/1"},
		{"http://example.vn/a/ctmb/1/2", "http://example.vn/a/ctmb/1/2"},
		{"http://xedu.vn/a/ctmb/1/2", "http://xedu.vn/a/ctmb/1/2"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = NULL;

		assert_int_equal(scope_canonical(&got, cases[i][0]), ST_OK);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
}

static void test_focus_priority_from_text_or_url(void **state)
{
	static const char *const kw[] = {"cong khai", "ba cong khai"};

	(void)state;
	assert_int_equal(scope_priority("http://x.vn/a.html", "CÔNG KHAI chất lượng", kw, 2), 0);
	assert_int_equal(scope_priority("http://x.vn/a.html", "Công khai", kw, 2), 0);
	assert_int_equal(scope_priority("http://x.vn/cong-khai/c/1", "Xem", kw, 2), 0);
	assert_int_equal(scope_priority("http://x.vn/C%C3%B4ng_khai", "", kw, 2), 0);
	assert_int_equal(scope_priority("http://x.vn/tin-tuc", "Tin tức", kw, 2), 1);
	assert_int_equal(scope_priority("http://x.vn/cong-khai", "x", kw, 0), 1);
}

static void test_frontier_orders_by_priority_depth_then_arrival(void **state)
{
	struct frontier *f = NULL;
	const char *url;
	int depth;
	bool added;

	(void)state;
	assert_int_equal(frontier_new(&f), ST_OK);
	assert_int_equal(frontier_push(f, "u/d2", 2, 1, &added), ST_OK);
	assert_true(added);
	assert_int_equal(frontier_push(f, "u/d1a", 1, 1, &added), ST_OK);
	assert_int_equal(frontier_push(f, "u/d1b", 1, 1, &added), ST_OK);
	assert_int_equal(frontier_push(f, "u/focus3", 3, 0, &added), ST_OK);
	assert_int_equal(frontier_push(f, "u/d1a", 1, 0, &added), ST_OK);
	assert_false(added); /* seen, but still queued: it moves up to priority 0 */
	assert_int_equal(frontier_mark(f, "u/fetched"), ST_OK);
	assert_int_equal(frontier_push(f, "u/fetched", 1, 1, &added), ST_OK);
	assert_false(added);
	assert_true(frontier_seen(f, "u/d2"));
	assert_int_equal(frontier_len(f), 4);
	static const char *const want[] = {"u/d1a", "u/focus3", "u/d1b", "u/d2"};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(frontier_top_prio(f), i < 2 ? 0 : 1);
		assert_true(frontier_pop(f, &url, &depth));
		assert_string_equal(url, want[i]);
		assert_int_equal(frontier_len(f), 3 - i); /* the stale copy does not count */
	}
	assert_false(frontier_pop(f, &url, &depth));
	assert_int_equal(frontier_top_prio(f), INT_MAX);
	/* Taken URLs do not come back, whatever their priority. */
	assert_int_equal(frontier_push(f, "u/d1a", 1, -5, &added), ST_OK);
	assert_false(added);
	assert_int_equal(frontier_len(f), 0);
	frontier_free(f);
}

/* Scores weigh keywords by their words; focus links rank below 0, section
 * labels made of keywords at 0, the rest after. */
static void test_focus_score_and_rank(void **state)
{
	static const char *const kw[] = {"cong khai", "nam hoc",        "cam ket chat luong",
					 "giao vien", "co so vat chat", "thong bao"};
	static const char *const one[] = {"cong khai"};

	(void)state;
	assert_int_equal(scope_score("http://x.vn/a", "Tin tức", kw, 6), 0);
	assert_int_equal(scope_score("http://x.vn/a", "Lễ khai giảng năm học 2017-2018", kw, 6), 2);
	/* The same keyword in text and URL counts once. */
	assert_int_equal(scope_score("http://x.vn/cong-khai/", "Công khai", kw, 6), 2);
	assert_int_equal(scope_score("http://x.vn/cong-khai/cam-ket/",
				     "Công khai cam kết chất lượng", kw, 6),
			 6);
	assert_int_equal(scope_focus_min(kw, 6), SCOPE_FOCUS_MIN);
	assert_int_equal(scope_focus_min(one, 1), 2);
	assert_int_equal(scope_focus_min(kw, 0), 1);

	assert_int_equal(
		scope_rank("http://x.vn/cong-khai/cam-ket/", "Công khai cam kết chất lượng", kw, 6),
		-6);
	assert_int_equal(
		scope_rank("http://x.vn/cong-khai/co-so-vat-chat/", "Cơ sở vật chất", kw, 6), -6);
	/* A news title with two common keywords is not a focus link. */
	assert_int_equal(scope_rank("http://x.vn/2017/12/hoi-thi-giao-vien-nam-hoc-2017-2018-4/",
				    "Hội thi giáo viên dạy giỏi cấp trường năm học 2017-2018", kw,
				    6),
			 SCOPE_RANK_OTHER);
	assert_int_equal(
		scope_rank("http://x.vn/tin/1", "Thông báo tuyển sinh năm học 2018-2019", kw, 6),
		SCOPE_RANK_OTHER);
	assert_int_equal(scope_rank("http://x.vn/chuyen-muc/7/", "Công khai", kw, 6),
			 SCOPE_RANK_SECTION);
	assert_int_equal(scope_rank("http://x.vn/chuyen-muc/7/", "Ba công khai", kw, 6),
			 SCOPE_RANK_SECTION);
	assert_int_equal(scope_rank("http://x.vn/gioi-thieu/", "Giới thiệu", kw, 6),
			 SCOPE_RANK_OTHER);
	/* With one short keyword, a hit is enough. */
	assert_int_equal(scope_rank("http://x.vn/chuyen-muc/7/", "Công khai", one, 1), -2);
	/* The news section is a list link, not a focus or section one. */
	assert_int_equal(scope_rank("http://x.vn/a", "Tin tức", one, 1), SCOPE_RANK_LIST);
	assert_int_equal(scope_rank("http://x.vn/tin-tuc/trang-2.aspx", "2", kw, 6),
			 SCOPE_RANK_LIST);
}

/* News list pages of the three CMS families of the bench city, and what
 * is not one: posts, other sections, pagination elsewhere, page 1. */
static void test_news_list(void **state)
{
	(void)state;
	assert_true(scope_is_news_list("http://x.vn/tin-tuc.aspx", "Tin tức"));
	assert_true(scope_is_news_list("http://x.vn/tin-tuc/", "Tin tức - Sự kiện"));
	assert_true(scope_is_news_list("http://x.vn/c/5", "THÔNG BÁO"));
	assert_true(scope_is_news_list("http://x.vn/c/5", "Tin tuc va su kien"));
	assert_true(scope_is_news_list("http://x.vn/tin-tuc/trang-2.aspx", "2"));
	assert_true(scope_is_news_list("http://x.vn/tin-tuc/page/2/", "Trang sau »"));
	assert_true(scope_is_news_list("http://x.vn/tin-tuc/trang-12.html", "»"));
	assert_true(scope_is_news_list("http://x.vn/tin-tuc-su-kien/trang-3.html", NULL));
	assert_true(scope_is_news_list("http://x.vn/tin-tuc/?page=4", "4"));

	assert_false(scope_is_news_list("http://x.vn/tin-tuc/be-vui-hoi-trang-ram-27730.html",
					"Bé vui hội trăng rằm"));
	assert_false(
		scope_is_news_list("http://x.vn/tin/1", "Thông báo tuyển sinh năm học 2018-2019"));
	assert_false(scope_is_news_list("http://x.vn/2018/04/18/tin-tuc-26291/", "Tin"));
	assert_false(scope_is_news_list("http://x.vn/gioi-thieu/page/2/", "2"));
	assert_false(scope_is_news_list("http://x.vn/tin-tuc/trang-1.html", "1"));
	assert_false(scope_is_news_list("http://x.vn/newsletter/page/2/", "2"));
	assert_false(scope_is_news_list("http://x.vn/tin-tuc/trang-2x.html", "2"));
	assert_false(scope_is_news_list("http://x.vn/", ""));
}

/* A taken URL is the seen set's copy: it stays valid while the set grows
 * (ASan sees a use after free if the queue and the set ever part). */
static void test_frontier_pop_refers(void **state)
{
	struct frontier *f = NULL;
	char url[32];
	const char *a = NULL, *b = NULL;
	int i, depth;
	bool added;

	(void)state;
	assert_int_equal(frontier_new(&f), ST_OK);
	assert_int_equal(frontier_push(f, "http://x.vn/a", 0, 1, &added), ST_OK);
	assert_int_equal(frontier_push(f, "http://x.vn/b", 0, 2, &added), ST_OK);
	/* b again through a better link: a stale copy stays in the queue */
	assert_int_equal(frontier_push(f, "http://x.vn/b", 0, 0, &added), ST_OK);
	assert_false(added);
	assert_true(frontier_pop(f, &b, &depth));
	assert_string_equal(b, "http://x.vn/b");
	assert_true(frontier_pop(f, &a, &depth));
	assert_string_equal(a, "http://x.vn/a");
	for (i = 0; i < 3000; i++) {
		snprintf(url, sizeof(url), "http://x.vn/%d", i);
		assert_int_equal(frontier_push(f, url, 1, 1, &added), ST_OK);
		assert_true(added);
	}
	assert_string_equal(a, "http://x.vn/a");
	assert_string_equal(b, "http://x.vn/b");
	assert_true(frontier_seen(f, a));
	assert_int_equal(frontier_len(f), 3000);
	for (i = 0; i < 3000; i++)
		assert_true(frontier_pop(f, &a, &depth));
	assert_false(frontier_pop(f, &a, &depth)); /* the stale copy of b is dropped */
	assert_string_equal(b, "http://x.vn/b");
	frontier_free(f);
}

static void test_frontier_grows(void **state)
{
	struct frontier *f = NULL;
	char url[32];
	const char *got;
	int i, depth, last = -1;
	bool added;

	(void)state;
	assert_int_equal(frontier_new(&f), ST_OK);
	for (i = 0; i < 5000; i++) {
		snprintf(url, sizeof(url), "http://x.vn/%d", i);
		assert_int_equal(frontier_push(f, url, i % 7, 1, &added), ST_OK);
		assert_true(added);
	}
	for (i = 0; i < 5000; i++) {
		snprintf(url, sizeof(url), "http://x.vn/%d", i);
		assert_true(frontier_seen(f, url));
	}
	for (i = 0; i < 5000; i++) {
		assert_true(frontier_pop(f, &got, &depth));
		assert_true(depth >= last);
		last = depth;
	}
	frontier_free(f);
	frontier_free(NULL);
}

/* Pages of one list share a key: the first page's URL without its
 * extension or final '/', the others without their page number. */
static void test_listing_keys(void **state)
{
	static const struct {
		const char *url, *key;
		long num;
	} cases[] = {
		{"http://x.vn/cong-khai/c/81936?page=3", "http://x.vn/cong-khai/c/81936", 3},
		{"http://x.vn/cong-khai/c/81936", "http://x.vn/cong-khai/c/81936", 1},
		{"http://x.vn/cong-khai/trang-3.aspx", "http://x.vn/cong-khai", 3},
		{"http://x.vn/cong-khai.aspx", "http://x.vn/cong-khai", 1},
		{"http://x.vn/cong-khai/trang-2.html", "http://x.vn/cong-khai", 2},
		{"http://x.vn/cong-khai/", "http://x.vn/cong-khai", 1},
		{"http://x.vn/category/ba-cong-khai/page/4/", "http://x.vn/category/ba-cong-khai",
		 4},
		{"http://x.vn/ba-cong-khai/page-2", "http://x.vn/ba-cong-khai", 2},
		{"http://x.vn/tin.php?cat=5&trang=7&x=1", "http://x.vn/tin?cat=5&x=1", 7},
		{"http://x.vn/tin.aspx?PageIndex=2&cat=5", "http://x.vn/tin?cat=5", 2},
		{"http://x.vn/", "http://x.vn/", 1},
		{"http://x.vn", "http://x.vn", 1},
		/* A post id is not a page number. */
		{"http://x.vn/cong-khai/bai-2017.html", "http://x.vn/cong-khai/bai-2017", 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *key = NULL;
		long num = 0;

		assert_int_equal(scope_listing(cases[i].url, &key, &num), ST_OK);
		assert_string_equal(key, cases[i].key);
		assert_int_equal(num, cases[i].num);
		free(key);
	}
}

/* Menus, meal photos and timetables are posts of low rank; a label
 * "Thực đơn" names a section, and a disclosure post outranks a notice. */
static void test_section_posts(void **state)
{
	static const char *const kw[] = {"cong khai", "nam hoc", "thong bao", "thuc don",
					 "nha truong"};

	(void)state;
	assert_true(scope_is_minor_post("Thực đơn tuần 23 (từ 05/02 đến 09/02/2018)"));
	assert_true(scope_is_minor_post("Hình ảnh bữa ăn bán trú ngày 09/03/2018"));
	assert_true(scope_is_minor_post("LỊCH CÔNG TÁC TUẦN 12"));
	assert_false(scope_is_minor_post("Thực đơn"));
	assert_false(scope_is_minor_post("Công khai cơ sở vật chất năm học 2017-2018"));
	assert_int_equal(scope_section_rank("Thực đơn bán trú tuần 5 năm học 2017-2018"),
			 SCOPE_RANK_SECTION_MINOR);
	assert_int_equal(scope_section_rank("Hồ sơ công khai năm học 2017-2018"),
			 SCOPE_RANK_SECTION_POST_KW);
	assert_int_equal(scope_section_rank("Biểu mẫu 09"), SCOPE_RANK_SECTION_POST_KW);
	assert_int_equal(scope_section_rank("Thông báo họp phụ huynh"), SCOPE_RANK_SECTION_POST);
	/* A menu post that scores as a focus link still ranks low. */
	assert_int_equal(scope_rank("http://x.vn/a",
				    "Thực đơn tuần 5 của nhà trường năm học 2025-2026", kw, 5),
			 SCOPE_RANK_SECTION_MINOR);
	assert_int_equal(scope_rank("http://x.vn/a", "Thực đơn", kw, 5), SCOPE_RANK_SECTION);
	assert_true(scope_is_disclosure_page("http://x.vn/ba-cong-khai/", "Trang", NULL, 0));
	assert_false(scope_is_disclosure_page("http://x.vn/c/1", "Hoạt động chuyên môn", NULL, 0));
}

/* The dates a list prints, and how many are before the cutoff. */
static void test_list_dates(void **state)
{
	int total, older;

	(void)state;
	scope_count_dates(
		"Thứ Sáu, 30/03/2018 17:30 · 15/09/2016 · 2016-07-31 · "
		"ngày 3 tháng 9 năm 2015 · Thực đơn tuần (từ 02/04 đến 06/04/2018) · 123/45/2017",
		20160801, &total, &older);
	assert_int_equal(total, 5);
	assert_int_equal(older, 2);
	scope_count_dates(NULL, 20160801, &total, &older);
	assert_int_equal(total, 0);
}

/* Which documents a crawl that fetches documents takes. */
static void test_document_policy(void **state)
{
	static const char *const kw[] = {"cong khai",         "co so vat chat", "nam hoc",
					 "tai lieu",          "on tap",         "hoc tap",
					 "cam ket chat luong"};
	const char *slug = "http://x.vn/up/cong-khai-co-so-vat-chat-nam-hoc-2017-2018.pdf";

	(void)state;
	/* A name that scores as focus and names a disclosure: from any page. */
	assert_true(scope_doc_rank(slug, "Tải file", kw, 7, false, false) < 0);
	assert_true(scope_doc_rank("http://x.vn/a.pdf",
				   "Biểu mẫu 09 - Cam kết chất lượng năm học 2017-2018", kw, 7,
				   false, true) < 0);
	/* A generic name: only from the main content of a disclosure page. */
	assert_int_equal(
		scope_doc_rank("http://x.vn/up/file-dinh-kem.pdf", "Tải file", kw, 7, true, false),
		SCOPE_RANK_SECTION);
	assert_int_equal(
		scope_doc_rank("http://x.vn/up/file-dinh-kem.pdf", "Tải file", kw, 7, false, false),
		SCOPE_DOC_SKIP);
	assert_int_equal(
		scope_doc_rank("http://x.vn/up/file-dinh-kem.pdf", "Tải file", kw, 7, true, true),
		SCOPE_DOC_SKIP);
	/* Learning materials score on other keywords: not fetched. */
	assert_int_equal(scope_doc_rank("http://x.vn/up/de-cuong.pdf",
					"Tài liệu ôn tập học kỳ II năm học 2017-2018", kw, 7, false,
					false),
			 SCOPE_DOC_SKIP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assets_and_documents),
		cmocka_unit_test(test_traps),
		cmocka_unit_test(test_hcm_post_variants_collapse),
		cmocka_unit_test(test_focus_priority_from_text_or_url),
		cmocka_unit_test(test_frontier_orders_by_priority_depth_then_arrival),
		cmocka_unit_test(test_focus_score_and_rank),
		cmocka_unit_test(test_news_list),
		cmocka_unit_test(test_frontier_grows),
		cmocka_unit_test(test_frontier_pop_refers),
		cmocka_unit_test(test_listing_keys),
		cmocka_unit_test(test_section_posts),
		cmocka_unit_test(test_list_dates),
		cmocka_unit_test(test_document_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
