/* Every format and kind renders, and hostile strings never survive raw. */
#include "sample.h"

#define XSS_TITLE "<script>document.title='PWNED'</script>"
#define XSS_IMG "<img src=x onerror=alert(1)>"

/* A small city: two scored schools, one unreachable, all carrying
 * hostile strings from their sites. */
static void hostile_city(struct school_result rs[3])
{
	sample_school(&rs[0], "T1", "Trường " XSS_TITLE, "Quận 7", "th", "http://t1.hcm.edu.vn/");
	sample_score(&rs[0], 75, "B");
	sample_finding(&rs[0], "quality_commitment", "Cam kết chất lượng giáo dục", VERDICT_PASS,
		       "http://t1.hcm.edu.vn/cam-ket", XSS_IMG, "2017-09-15", 20);
	sample_finding(&rs[0], "facilities", "Cơ sở vật chất " XSS_IMG, VERDICT_STALE,
		       "javascript:alert(1)", "=HYPERLINK(\"http://evil\")", NULL, 10);
	sample_finding(&rs[0], "staff", "Đội ngũ", VERDICT_REVIEW, "http://t1.hcm.edu.vn/doi-ngu",
		       "@SUM(1)", "2017-10-01", 10);
	sample_school(&rs[1], "T2", "=cmd|' /C calc'!A0", "Quận 7", "th", "https://t2.hcm.edu.vn/");
	sample_score(&rs[1], 40, "D");
	sample_finding(&rs[1], "quality_commitment", "Cam kết chất lượng giáo dục", VERDICT_MISSING,
		       NULL, NULL, NULL, 20);
	sample_school(&rs[2], "T3", "Trường T3", "Quận 1", "thcs", "http://t3.hcm.edu.vn/");
	sample_unreachable(&rs[2], "timeout " XSS_IMG);
}

static void release3(struct school_result rs[3])
{
	size_t i;

	for (i = 0; i < 3; i++)
		school_result_release(&rs[i]);
}

static void assert_no_raw_markup(const char *html)
{
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "href=\"javascript:"));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "<img "));
}

static void test_every_kind_and_format_renders(void **state)
{
	static const char *const kinds[] = {"unit", "city", "ranking"};
	static const enum report_format fmts[] = {REPORT_TEXT, REPORT_JSON, REPORT_HTML, REPORT_CSV,
						  REPORT_MD};
	struct report_meta m = sample_meta();
	struct school_result rs[3];
	size_t k, f;

	hostile_city(rs);
	for (f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++) {
		char *one = render_school(fmts[f], &m, &rs[0]);
		char *down = render_school(fmts[f], &m, &rs[2]);

		assert_true(strlen(one) > 0 && strlen(down) > 0);
		free(one);
		free(down);
		for (k = 0; k < 3; k++) {
			char *many = render_schools(fmts[f], kinds[k], &m, rs, 3);
			char *none = render_schools(fmts[f], kinds[k], &m, rs, 0);

			assert_true(strlen(many) > strlen(none));
			free(many);
			free(none);
		}
	}
	release3(rs);
}

static void test_unknown_kind_format_and_xlsx_are_refused(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result r;
	enum report_format fmt;
	FILE *f = fopen("/dev/null", "w");

	assert_non_null(f);
	sample_school(&r, "T", "T", "U", "th", NULL);
	assert_int_equal(report_schools(f, REPORT_JSON, "bogus", NULL, &m, &r, 1), ST_INVALID);
	assert_int_equal(report_schools(f, REPORT_JSON, "adoption", NULL, &m, &r, 1), ST_INVALID);
	assert_int_equal(report_format_parse("xml", &fmt), ST_INVALID);
	assert_int_equal(report_format_parse("md", &fmt), ST_OK);
	assert_int_equal(fmt, REPORT_MD);
	assert_int_equal(report_format_parse("xlsx", &fmt), ST_OK);
#ifndef PA_HAVE_XLSX
	assert_int_equal(report_school(f, REPORT_XLSX, &m, &r), ST_INVALID);
	assert_non_null(strstr(status_message(), "xlsx is not available yet"));
#endif
	school_result_release(&r);
	fclose(f);
}

#ifdef PA_HAVE_XLSX
static void assert_zip(const char *data, size_t n)
{
	assert_true(n > 1000);
	assert_memory_equal(data, "PK\x03\x04", 4);
}

static void test_xlsx_renders_a_workbook_for_every_kind(void **state)
{
	static const char *const kinds[] = {"unit", "city", "ranking"};
	struct report_meta m = sample_meta();
	struct school_result rs[3];
	char *s = NULL;
	size_t n = 0, k;
	FILE *f;

	hostile_city(rs);
	for (k = 0; k < 3; k++) {
		f = open_memstream(&s, &n);
		assert_int_equal(report_schools(f, REPORT_XLSX, kinds[k], NULL, &m, rs, 3), ST_OK);
		fclose(f);
		assert_zip(s, n);
		free(s);
	}
	f = open_memstream(&s, &n);
	assert_int_equal(report_school(f, REPORT_XLSX, &m, &rs[0]), ST_OK);
	fclose(f);
	assert_zip(s, n);
	free(s);
	release3(rs);
}
#endif

static void test_html_escapes_crawled_strings_and_links_only_http(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result rs[3];
	char *one, *many;

	m.prov.crawl_from = "2018-05-01 07:00 UTC";
	m.prov.crawl_to = "2018-05-02 09:30 UTC";
	m.prov.crawl_nth = 2;
	m.prov.audited_at = "2018-05-31 10:00 UTC";
	m.prov.audit_nth = 4;
	m.prov.version = "portal-audit 0.1";
	hostile_city(rs);
	one = render_school(REPORT_HTML, &m, &rs[0]);
	assert_no_raw_markup(one);
	assert_non_null(strstr(one, "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"));
	assert_non_null(strstr(one, "&lt;img src=x onerror=alert(1)&gt;"));
	assert_non_null(strstr(one, "href=\"http://t1.hcm.edu.vn/cam-ket\""));
	assert_non_null(strstr(one, "javascript:alert(1)")); /* shown, as text */
	assert_non_null(strstr(one, "<html lang=\"vi\">"));
	assert_non_null(strstr(one, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(one, "@media print"));
	assert_non_null(strstr(one, ">Đạt</span>"));
	assert_non_null(strstr(one, ">Cũ (chưa cập nhật)</span>"));
	assert_non_null(strstr(one, ">Cần xem xét</span>"));
	/* The footer states runs, rule set, weights, bands and the formula. */
	/* Provenance: counts and times, never the database ids. */
	assert_non_null(strstr(one, "<dt>Thu thập</dt><dd>từ 2018-05-01 07:00 UTC đến 2018-05-02 "
				    "09:30 UTC (lần thu thập thứ 2)</dd>"));
	assert_non_null(strstr(one, "<dt>Đánh giá</dt><dd>2018-05-31 10:00 UTC (lần đánh giá thứ "
				    "4)</dd>"));
	assert_non_null(strstr(one, "<dt>Chương trình</dt><dd>portal-audit 0.1</dd>"));
	assert_null(strstr(one, "<dd>7</dd>"));
	assert_non_null(strstr(one, "tt09-2009, phiên bản 1, mã băm <code>abc123</code>"));
	assert_non_null(strstr(one, "<code>quality_commitment</code></small></td><td>Cam kết chất "
				    "lượng giáo dục</td><td></td><td class=\"num\">20</td>"));
	assert_non_null(strstr(one, "<tr><td>A</td><td class=\"num\">85,0</td></tr>"));
	assert_non_null(strstr(one, "Cũ (chưa cập nhật) = 0,50"));
	assert_non_null(strstr(one, "Σ(trọng số × hệ số) / Σ trọng số"));
	many = render_schools(REPORT_HTML, "ranking", &m, rs, 3);
	assert_no_raw_markup(many);
	assert_non_null(strstr(many, "<svg"));
	assert_non_null(strstr(many, "Không đánh giá được (không xếp hạng)"));
	assert_non_null(strstr(many, "timeout &lt;img src=x onerror=alert(1)&gt;"));
	free(one);
	free(many);
	release3(rs);
}

static void test_unreachable_school_says_it_cannot_be_assessed(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result rs[3];
	char *html, *text;

	hostile_city(rs);
	html = render_school(REPORT_HTML, &m, &rs[2]);
	text = render_school(REPORT_TEXT, &m, &rs[2]);
	assert_non_null(strstr(html, "không đánh giá được"));
	assert_non_null(strstr(text, "không đánh giá được: timeout <img"));
	free(html);
	free(text);
	release3(rs);
}

static void test_text_prints_each_finding_url_on_its_own_line(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result rs[3];
	char *text;

	hostile_city(rs);
	text = render_school(REPORT_TEXT, &m, &rs[0]);
	assert_non_null(strstr(text, "\n      Bằng chứng: http://t1.hcm.edu.vn/cam-ket\n"));
	assert_non_null(strstr(text, "\n      Bằng chứng: javascript:alert(1)\n"));
	assert_non_null(strstr(text, "\n      Bằng chứng: http://t1.hcm.edu.vn/doi-ngu\n"));
	assert_non_null(strstr(text, "Mã trường:       T1\n"));
	assert_non_null(strstr(text, "Điểm:            75,0 / 100   Xếp loại: B\n"));
	/* Columns align by display width: "Đội ngũ" is 7 columns, 16 bytes. */
	assert_non_null(strstr(text, "  Đội ngũ                                   Cần xem xét"));
	free(text);
	release3(rs);
}

static void test_text_keeps_terminal_escapes_out(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result r;
	char *text;

	sample_school(&r, "E", "Evil\x1b]0;owned\x07\x1b[2J", "U", "th", "http://e/\x1b[31m");
	text = render_school(REPORT_TEXT, &m, &r);
	assert_null(strchr(text, '\x1b'));
	assert_null(strchr(text, '\x07'));
	free(text);
	school_result_release(&r);
}

static void test_csv_has_bom_crlf_and_neutralises_injection(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result rs[3];
	char *one, *many;

	hostile_city(rs);
	one = render_school(REPORT_CSV, &m, &rs[0]);
	assert_true(str_starts_with(one,
				    "\xEF\xBB\xBFschool_id,item,title,verdict,url,evidence,date,"
				    "date_source,period_found,weight,verdict_vi,date_source_vi,"
				    "note_vi,requirement,looked_vi,remedy_vi,machine_verdict,"
				    "decision_state,decision_id,decision_verdict,decided_by,"
				    "decided_at,decision_reason,decision_evidence_url,appeal_id,"
				    "machine_verdict_vi,decision_state_vi\r\n"));
	assert_non_null(strstr(one, ",\"'=HYPERLINK(\"\"http://evil\"\")\","));
	assert_non_null(strstr(one, "T1,staff,Đội ngũ,review,http://t1.hcm.edu.vn/doi-ngu,'@SUM(1),"
				    "2017-10-01,page,,10,Cần xem xét,ngày đăng trên trang,"));
	many = render_schools(REPORT_CSV, "ranking", &m, rs, 3);
	assert_true(str_starts_with(many, "\xEF\xBB\xBFschool_id,name,unit,level,score,rating,"
					  "reachable,reason,rank,group_rank,level_vi,reason_vi,"
					  "decided,outdated,machine_score\r\nT1,"));
	assert_non_null(strstr(
		many, "\r\nT2,'=cmd|' /C calc'!A0,Quận 7,th,40,D,true,,2,2,Tiểu học,,0,0,\r\n"));
	assert_non_null(strstr(
		many, "\r\nT3,Trường T3,Quận 1,thcs,,,false,timeout <img src=x "
		      "onerror=alert(1)>,,,THCS,timeout <img src=x onerror=alert(1)>,0,0,\r\n"));
	free(one);
	free(many);
	release3(rs);
}

static void test_md_escapes_pipes_and_markup(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result rs[3];
	char *md;

	hostile_city(rs);
	md = render_schools(REPORT_MD, "unit", &m, rs, 3);
	assert_null(strstr(md, "<script"));
	assert_null(strstr(md, "<img"));
	assert_non_null(
		strstr(md, "| T2 | =cmd\\|' /C calc'\\!A0 | Quận 7 | Tiểu học | 40,0 | D |\n"));
	free(md);
	release3(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_and_format_renders),
		cmocka_unit_test(test_unknown_kind_format_and_xlsx_are_refused),
		cmocka_unit_test(test_html_escapes_crawled_strings_and_links_only_http),
#ifdef PA_HAVE_XLSX
		cmocka_unit_test(test_xlsx_renders_a_workbook_for_every_kind),
#endif
		cmocka_unit_test(test_unreachable_school_says_it_cannot_be_assessed),
		cmocka_unit_test(test_text_prints_each_finding_url_on_its_own_line),
		cmocka_unit_test(test_text_keeps_terminal_escapes_out),
		cmocka_unit_test(test_csv_has_bom_crlf_and_neutralises_injection),
		cmocka_unit_test(test_md_escapes_pipes_and_markup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
