/* People's decisions in every report: beside a decided verdict the
 * machine's, who, when, why and the reviewer's evidence (escaped like any
 * crawled string); an outdated decision flagged "cần xem xét lại" with the
 * machine verdict final; the score before review; and a school no decision
 * touches rendered byte for byte as before decisions existed (goldens
 * written by the code of main before this change,
 * tests/fixtures/reports/undecided.*). */
#include "sample.h"

#include <errno.h>
#include <unistd.h>

#define RLO "\xE2\x80\xAE"  /* U+202E, reorders the text after it */
#define FFFD "\xEF\xBF\xBD" /* what every human format shows instead */
#define BY "=HYPERLINK(\"http://evil\") <b>Bob</b> " RLO "exe"
#define REASON "Đã có trang | **cam kết** <script>alert(1)</script> [x](javascript:alert(1))"
#define EVIDENCE "https://t1.hcm.edu.vn/cam-ket?a=1&b=\"><script>"

static void decide(struct finding *f, enum decision_state st, enum verdict machine, int64_t id,
		   enum verdict decided, const char *by, const char *at, const char *reason,
		   const char *url, int64_t appeal)
{
	struct decision *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	d->id = id;
	d->verdict = decided;
	d->machine = machine;
	d->by = str_dup(by);
	d->at = str_dup(at);
	d->reason = str_dup(reason);
	d->evidence_url = str_dup(url);
	d->appeal_id = appeal;
	f->machine_verdict = machine;
	f->decision_state = st;
	f->decision = d;
}

/* T1: quality_commitment decided pass over the machine's missing (hostile
 * who, why and evidence, through appeal 3); facilities missing, its pass
 * decision outdated; staff review, undecided; website decided missing over
 * the machine's review.  Final 75 B, machine 40 D. */
static void decided_school(struct school_result *r)
{
	sample_school(r, "T1", "Trường Tiểu học Một", "Quận 7", "th", "http://t1.hcm.edu.vn/");
	sample_score(r, 75, "B");
	sample_finding(r, "quality_commitment", "Cam kết chất lượng giáo dục", VERDICT_PASS,
		       "http://t1.hcm.edu.vn/cam-ket", NULL, NULL, 20);
	sample_finding(r, "facilities", "Cơ sở vật chất", VERDICT_MISSING, NULL, NULL, NULL, 10);
	sample_finding(r, "staff", "Đội ngũ", VERDICT_REVIEW, "http://t1.hcm.edu.vn/doi-ngu", NULL,
		       "2017-10-01", 10);
	sample_finding(r, "website", "Thông tin chung", VERDICT_MISSING,
		       "http://t1.hcm.edu.vn/gioi-thieu", NULL, NULL, 10);
	decide(&r->findings[0], DECISION_APPLIED, VERDICT_MISSING, 5, VERDICT_PASS, BY,
	       "2026-12-05 06:00:00", REASON, EVIDENCE, 3);
	decide(&r->findings[1], DECISION_OUTDATED, VERDICT_MISSING, 2, VERDICT_PASS, "Trần Thị B",
	       "2026-11-01 08:00:00", "Có bản scan", "javascript:alert(2)", 0);
	decide(&r->findings[3], DECISION_APPLIED, VERDICT_REVIEW, 6, VERDICT_MISSING, "Lê Văn C",
	       "2026-12-05 06:10:00", "Trang giới thiệu trống", NULL, 0);
	r->ndecided = 2;
	r->machine_has_score = true;
	r->machine_score = 40;
	r->machine_rating = str_dup("D");
}

/* Schools no decision touches: the goldens' input. */
static void undecided_city(struct school_result rs[2])
{
	sample_school(&rs[0], "U1", "Trường Tiểu học Hai", "Quận 7", "th", "http://u1.hcm.edu.vn/");
	sample_score(&rs[0], 62.5, "C");
	sample_finding(&rs[0], "quality_commitment", "Cam kết chất lượng giáo dục", VERDICT_PASS,
		       "http://u1.hcm.edu.vn/cam-ket", "Cam kết chất lượng năm học 2017-2018",
		       "2017-09-15", 20);
	sample_finding(&rs[0], "facilities", "Cơ sở vật chất", VERDICT_STALE,
		       "http://u1.hcm.edu.vn/csvc", NULL, "2016-09-01", 10);
	sample_finding(&rs[0], "staff", "Đội ngũ", VERDICT_MISSING, NULL, NULL, NULL, 10);
	sample_finding(&rs[0], "website", "Thông tin chung", VERDICT_REVIEW,
		       "http://u1.hcm.edu.vn/gioi-thieu", NULL, NULL, 10);
	sample_school(&rs[1], "U2", "Trường THCS Ba", "Quận 7", "thcs", "http://u2.hcm.edu.vn/");
	sample_unreachable(&rs[1], "timeout");
}

/* The same one decision contract for every human format: each line of
 * the decision appears with its value escaped. */
static void assert_no_raw(const char *s)
{
	assert_null(strstr(s, RLO));
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<b>Bob"));
}

static void test_text_shows_final_and_machine_verdict_who_when_why(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result r;
	char *s;

	decided_school(&r);
	s = render_school(REPORT_TEXT, &m, &r);
	/* Terminal text has no markup to defuse; bidi controls never pass. */
	assert_null(strstr(s, RLO));
	assert_non_null(strstr(s, "Điểm:            75,0 / 100   Xếp loại: B\n"
				  "Điểm trước khi xem xét: 40,0 / 100, xếp loại D (2 mục đã được "
				  "người xem xét)\nCần xem xét lại: 1 mục"));
	assert_non_null(strstr(s, "Đạt   "));
	assert_non_null(strstr(s, "\n      Máy đánh giá: Thiếu\n      Người xem xét: "
				  "=HYPERLINK(\"http://evil\") <b>Bob</b> " FFFD "exe\n"
				  "      Thời điểm xem xét: 2026-12-05 06:00:00\n"
				  "      Lý do: " REASON "\n"
				  "      Bằng chứng người xem xét cung cấp: " EVIDENCE "\n"
				  "      Theo kháng nghị: số 3\n"));
	assert_non_null(strstr(s, "      Cần xem xét lại: bằng chứng đã thay đổi sau lần xem xét "
				  "trước; kết quả trên là đánh giá của máy\n"
				  "      Quyết định trước đây: Đạt\n"
				  "      Người xem xét: Trần Thị B\n"));
	assert_non_null(
		strstr(s, "      Máy đánh giá: Cần xem xét\n      Người xem xét: Lê Văn C\n"));
	/* The undecided item has no decision line. */
	assert_null(strstr(strstr(s, "  Đội ngũ"), "Máy đánh giá: Cần xem xét\n      Người xem "
						   "xét: Lê Văn C\n      Thời điểm xem xét: "
						   "2026-12-05 06:00"));
	free(s);
	school_result_release(&r);
}

static void test_html_escapes_the_decision_and_links_only_http(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result r;
	char *s;

	decided_school(&r);
	s = render_school(REPORT_HTML, &m, &r);
	assert_no_raw(s);
	assert_non_null(strstr(s, "<span class=\"v v-pass\">Đạt</span><div class=\"looked\">Máy "
				  "đánh giá: <span class=\"v v-missing\">Thiếu</span></div>"));
	assert_non_null(strstr(s, "<b>Người xem xét:</b> =HYPERLINK(&quot;http://evil&quot;) "
				  "&lt;b&gt;Bob&lt;/b&gt; " FFFD "exe"));
	assert_non_null(strstr(s, "<b>Thời điểm xem xét:</b> 2026-12-05 06:00:00"));
	assert_non_null(strstr(s, "<b>Lý do:</b> Đã có trang | **cam kết** "
				  "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(s, "<a rel=\"nofollow noopener noreferrer\" "
				  "href=\"https://t1.hcm.edu.vn/cam-ket?a=1&amp;b=&quot;&gt;&lt;"
				  "script&gt;\">"));
	assert_null(strstr(s, "href=\"javascript:"));
	assert_non_null(strstr(s, "<b>Bằng chứng người xem xét cung cấp:</b> javascript:alert(2)"));
	assert_non_null(strstr(s, "<div class=\"fix\"><b>Cần xem xét lại</b></div>"));
	assert_non_null(strstr(s, "<div class=\"why\">Điểm trước khi xem xét: 40,0 / 100, xếp "
				  "loại D (2 mục đã được người xem xét)</div>"));
	free(s);
	school_result_release(&r);
}

static void test_md_escapes_the_decision(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result r;
	char *s;

	decided_school(&r);
	s = render_school(REPORT_MD, &m, &r);
	assert_no_raw(s);
	assert_non_null(strstr(s, "| Cam kết chất lượng giáo dục | Đạt (máy đánh giá: Thiếu) |"));
	assert_non_null(strstr(s, "| Cơ sở vật chất | Thiếu (cần xem xét lại) |"));
	assert_non_null(strstr(s, "  - Lý do: Đã có trang \\| \\*\\*cam kết\\*\\* "
				  "&lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript:"));
	assert_non_null(strstr(s, "  - Người xem xét: =HYPERLINK(\"http://evil\") "
				  "&lt;b&gt;Bob&lt;/b&gt; " FFFD "exe\n"));
	assert_non_null(strstr(s, "- **Điểm trước khi xem xét:** 40,0 / 100, xếp loại D"));
	free(s);
	school_result_release(&r);
}

static void test_csv_appends_the_decision_and_defuses_formulas(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result r;
	char *s;

	decided_school(&r);
	s = render_school(REPORT_CSV, &m, &r);
	assert_null(strstr(s, RLO));
	assert_null(strstr(s, ",=HYPERLINK"));
	assert_non_null(strstr(s, ",missing,applied,5,pass,\"'=HYPERLINK(\"\"http://evil\"\") "
				  "<b>Bob</b> " FFFD "exe\",2026-12-05 06:00:00," REASON
				  ",\"https://t1.hcm.edu.vn/cam-ket?a=1&b=\"\"><script>\",3,"
				  "Thiếu,Đã xem xét\r\n"));
	assert_non_null(strstr(s, ",missing,outdated,2,pass,Trần Thị B,2026-11-01 08:00:00,"
				  "Có bản scan,javascript:alert(2),,Thiếu,Cần xem xét lại\r\n"));
	/* staff: no decision, eleven empty cells. */
	assert_non_null(strstr(s, "T1,staff,"));
	assert_non_null(strstr(strstr(s, "T1,staff,"), ",,,,,,,,,,\r\nT1,website,"));
	free(s);
	school_result_release(&r);
}

static void test_json_adds_decision_keys_only_where_decided(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result r;
	char *s, *staff;

	decided_school(&r);
	s = render_school(REPORT_JSON, &m, &r);
	assert_null(strstr(s, RLO));
	assert_non_null(strstr(s, "\"rating\": \"B\",\n  \"decisions\": {\"applied\": 2, "
				  "\"outdated\": 1},\n  \"machine_score\": 40,\n  "
				  "\"machine_rating\": \"D\",\n"));
	assert_non_null(strstr(
		s, ", \"machine_verdict\": \"missing\", \"machine_verdict_vi\": \"Thiếu\", "
		   "\"decision_state\": \"applied\", \"decision_state_vi\": \"Đã xem xét\", "
		   "\"decision\": {\"id\": 5, \"verdict\": \"pass\", \"verdict_vi\": \"Đạt\", "
		   "\"by\": \"=HYPERLINK(\\\"http://evil\\\") <b>Bob</b> \\u202eexe\", "
		   "\"at\": \"2026-12-05 06:00:00\", \"reason\": \"" REASON "\", "
		   "\"evidence_url\": \"https://t1.hcm.edu.vn/cam-ket?a=1&b=\\\"><script>\", "
		   "\"appeal_id\": 3}}"));
	assert_non_null(strstr(s,
			       "\"decision_state\": \"outdated\", \"decision_state_vi\": \"Cần "
			       "xem xét lại\", \"decision\": {\"id\": 2, \"verdict\": \"pass\""));
	/* The undecided finding carries no decision key. */
	staff = strstr(s, "{\"item\": \"staff\"");
	assert_non_null(staff);
	assert_true(strstr(staff, "\"machine_verdict\"") > strstr(staff, "{\"item\": \"website\""));
	free(s);
	school_result_release(&r);
}

static void test_lists_add_a_reviewed_column_only_when_decided(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result rs[3];
	char *text, *md, *html, *csv, *json;

	undecided_city(rs);
	decided_school(&rs[2]);
	text = render_schools(REPORT_TEXT, "ranking", &m, rs, 3);
	md = render_schools(REPORT_MD, "unit", &m, rs, 3);
	html = render_schools(REPORT_HTML, "ranking", &m, rs, 3);
	csv = render_schools(REPORT_CSV, "ranking", &m, rs, 3);
	json = render_schools(REPORT_JSON, "ranking", &m, rs, 3);
	assert_non_null(strstr(text, "   Điểm  Xếp loại  Đã xem xét\n"));
	assert_non_null(strstr(text, " 75,0  B         2 mục (điểm trước khi xem xét: 40,0); 1 mục "
				     "cần xem xét lại\n"));
	assert_non_null(strstr(text, " 62,5  C         —\n"));
	assert_non_null(strstr(md, "| Xếp loại | Đã xem xét |\n"));
	assert_non_null(strstr(md, "| 75,0 | B | 2 mục (điểm trước khi xem xét: 40,0); 1 mục cần "
				   "xem xét lại |\n"));
	assert_non_null(strstr(html, "<th class=\"sort\">Đã xem xét</th></tr>"));
	assert_non_null(strstr(html, "<td>2 mục (điểm trước khi xem xét: 40,0); 1 mục cần xem xét "
				     "lại</td></tr>"));
	/* Ranked by the final score: T1 (75) before U1 (62.5). */
	assert_non_null(strstr(csv, "\r\nT1,Trường Tiểu học Một,Quận 7,th,75,B,true,,1,1,Tiểu "
				    "học,,2,1,40\r\nU1,"));
	assert_non_null(strstr(json, "\"score\": 75,\n      \"rating\": \"B\",\n      "
				     "\"decisions\": {\"applied\": 2, \"outdated\": 1},\n      "
				     "\"machine_score\": 40,"));
	free(text);
	free(md);
	free(html);
	free(csv);
	free(json);
	for (size_t i = 0; i < 3; i++)
		school_result_release(&rs[i]);
}

static char *render_notice(const struct report_meta *m, const struct school_result *r)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	assert_non_null(f);
	assert_int_equal(report_notice(f, m, r, NULL), ST_OK);
	assert_int_equal(fclose(f), 0);
	return s;
}

static void test_notice_uses_final_verdicts_and_names_decisions(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result r;
	char *s;

	decided_school(&r);
	assert_true(report_notice_due(&r));
	s = render_notice(&m, &r);
	assert_no_raw(s);
	/* Decided pass: not asked for; decided missing and outdated: asked. */
	assert_null(strstr(s, "Cam kết chất lượng giáo dục"));
	assert_non_null(strstr(s, "Kết quả đã được xem xét bởi Lê Văn C ngày 05/12/2026 (máy đánh "
				  "giá: Cần xem xét). Lý do: Trang giới thiệu trống."));
	assert_non_null(strstr(s, "Quyết định xem xét trước đây của Trần Thị B ngày 01/11/2026 cần "
				  "xem xét lại"));
	free(s);
	school_result_release(&r);
}

/* Renders a comparison (cur against prev) or, when prev is NULL, the
 * history of cur's n periods. */
static char *render_doc(enum report_format fmt, const struct report_meta *m,
			const struct school_result *cur, size_t n, const struct school_result *prev)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	if (prev)
		assert_int_equal(report_compare(f, fmt, "school", NULL, m, cur, n, m, prev, n),
				 ST_OK);
	else
		assert_int_equal(report_history(f, fmt, m, cur, n), ST_OK);
	assert_int_equal(fclose(f), 0);
	return s;
}

static void test_compare_and_history_note_decisions_only_when_any(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result rs[2], decided;
	char *with, *without, *hist, *plain;

	undecided_city(rs);
	decided_school(&decided);
	free(decided.school.id);
	decided.school.id = str_dup("U1");
	decided.period = str_dup("2018-2019");
	with = render_doc(REPORT_TEXT, &m, &decided, 1, &rs[0]);
	without = render_doc(REPORT_TEXT, &m, &rs[0], 1, &rs[0]);
	assert_non_null(strstr(with, "Ghi chú về dữ liệu:\n  - Kết quả và điểm so sánh là kết quả "
				     "cuối cùng, sau khi người xem xét quyết định: lần này 2 mục ở "
				     "1 trường, lần trước 0 mục ở 0 trường; 1 mục cần xem xét lại "
				     "(lần này 1, lần trước 0).\n"));
	assert_null(strstr(without, "người xem xét"));
	assert_null(strstr(without, "Ghi chú về dữ liệu"));
	hist = render_doc(REPORT_JSON, &m, &decided, 1, NULL);
	plain = render_doc(REPORT_JSON, &m, &rs[0], 1, NULL);
	assert_non_null(strstr(hist, "\"notes\": [\n    \"Năm học 2018-2019: Điểm trước khi xem "
				     "xét: 40,0 / 100, xếp loại D (2 mục đã được người xem xét); "
				     "Cần xem xét lại: 1 mục"));
	assert_non_null(strstr(plain, "\"notes\": []"));
	free(with);
	free(without);
	free(hist);
	free(plain);
	school_result_release(&decided);
	school_result_release(&rs[0]);
	school_result_release(&rs[1]);
}

#ifdef PA_HAVE_XLSX
/* The shared strings of an XLSX rendering (unzip -p). */
static char *xlsx_strings(const struct report_meta *m, const struct school_result *rs, size_t n,
			  const char *kind)
{
	char path[] = "/tmp/pa-decisions-XXXXXX", cmd[128], *s = NULL;
	size_t len = 0, k;
	int fd = mkstemp(path);
	FILE *f, *p, *mem;
	char chunk[4096];

	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	if (kind)
		assert_int_equal(report_schools(f, REPORT_XLSX, kind, NULL, m, rs, n), ST_OK);
	else
		assert_int_equal(report_school(f, REPORT_XLSX, m, rs), ST_OK);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "unzip -p %s xl/sharedStrings.xml", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	mem = open_memstream(&s, &len);
	assert_non_null(mem);
	while ((k = fread(chunk, 1, sizeof(chunk), p)) > 0)
		fwrite(chunk, 1, k, mem);
	pclose(p);
	fclose(mem);
	unlink(path);
	return s;
}

static void test_xlsx_shows_decisions_in_vietnamese(void **state)
{
	struct report_meta m = sample_meta();
	struct school_result rs[3];
	char *one, *many;

	undecided_city(rs);
	decided_school(&rs[2]);
	one = xlsx_strings(&m, &rs[2], 1, NULL);
	assert_non_null(strstr(one, "Máy đánh giá"));
	assert_non_null(strstr(one, "Cần xem xét lại"));
	assert_non_null(strstr(one, "Điểm trước khi xem xét"));
	assert_non_null(strstr(one, "Số mục đã được người xem xét"));
	assert_non_null(strstr(one, "Trang giới thiệu trống"));
	assert_null(strstr(one, RLO));
	/* The formula the reviewer's name holds is neutralised. */
	assert_non_null(strstr(one, "'=HYPERLINK"));
	many = xlsx_strings(&m, rs, 3, "ranking");
	assert_non_null(strstr(many, "Đã xem xét"));
	assert_non_null(
		strstr(many, "2 mục (điểm trước khi xem xét: 40,0); 1 mục cần xem xét lại"));
	free(one);
	free(many);
	one = xlsx_strings(&m, &rs[0], 1, NULL);
	assert_null(strstr(one, "Máy đánh giá"));
	free(one);
	for (size_t i = 0; i < 3; i++)
		school_result_release(&rs[i]);
}
#endif

/* --- Undecided schools render as before ---------------------------------- */

struct golden {
	const char *name;
	enum report_format fmt;
	const char *kind; /* NULL: report school U1 */
};

static const struct golden goldens[] = {
	{"school.text", REPORT_TEXT, NULL},   {"school.md", REPORT_MD, NULL},
	{"school.html", REPORT_HTML, NULL},   {"school.json", REPORT_JSON, NULL},
	{"school.csv", REPORT_CSV, NULL},     {"ranking.text", REPORT_TEXT, "ranking"},
	{"ranking.md", REPORT_MD, "ranking"}, {"ranking.html", REPORT_HTML, "ranking"},
	{"unit.json", REPORT_JSON, "unit"},   {"ranking.csv", REPORT_CSV, "ranking"},
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	size_t n = 0, k;
	char chunk[4096];
	FILE *mem;

	if (!f)
		return NULL;
	mem = open_memstream(&s, &n);
	assert_non_null(mem);
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, k, mem);
	fclose(f);
	fclose(mem);
	return s;
}

/* CSV gained columns at the end: every line of the golden, then the same
 * number of empty (or zero-count) cells on every line of the new one. */
static void assert_csv_extends(const char *golden, const char *now, const char *head_tail,
			       const char *row_tail)
{
	const char *g = golden, *n = now;
	bool head = true;

	while (*g) {
		const char *ge = strstr(g, "\r\n"), *tail = head ? head_tail : row_tail;

		assert_non_null(ge);
		assert_memory_equal(n, g, (size_t)(ge - g));
		n += ge - g;
		if (strncmp(n, tail, strlen(tail)) != 0)
			fail_msg("line does not end with %s: %.80s", tail, n);
		n += strlen(tail);
		g = ge + 2;
		head = false;
	}
	assert_string_equal(n, "");
}

static void test_undecided_schools_render_as_before(void **state)
{
	const char *dir = getenv("PA_FIXTURES"), *write = getenv("PA_WRITE_GOLDENS");
	struct report_meta m = sample_meta();
	struct school_result rs[2];
	char path[1024], *now, *golden;

	assert_non_null(dir);
	undecided_city(rs);
	for (size_t i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		const struct golden *g = &goldens[i];

		now = g->kind ? render_schools(g->fmt, g->kind, &m, rs, 2)
			      : render_school(g->fmt, &m, &rs[0]);
		snprintf(path, sizeof(path), "%s/reports/undecided.%s", dir, g->name);
		if (write) {
			/* Run once on the code before decisions to make the goldens. */
			FILE *f = fopen(path, "wb");

			assert_non_null(f);
			fputs(now, f);
			assert_int_equal(fclose(f), 0);
			free(now);
			continue;
		}
		golden = slurp(path);
		if (!golden)
			fail_msg("%s: %s", path, strerror(errno));
		if (g->fmt != REPORT_CSV)
			assert_string_equal(now, golden);
		else if (g->kind)
			assert_csv_extends(golden, now, ",decided,outdated,machine_score\r\n",
					   ",0,0,\r\n");
		else
			assert_csv_extends(
				golden, now,
				",machine_verdict,decision_state,decision_id,decision_verdict,"
				"decided_by,decided_at,decision_reason,decision_evidence_url,"
				"appeal_id,machine_verdict_vi,decision_state_vi\r\n",
				",,,,,,,,,,,\r\n");
		free(golden);
		free(now);
	}
	school_result_release(&rs[0]);
	school_result_release(&rs[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_undecided_schools_render_as_before),
		cmocka_unit_test(test_text_shows_final_and_machine_verdict_who_when_why),
		cmocka_unit_test(test_html_escapes_the_decision_and_links_only_http),
		cmocka_unit_test(test_md_escapes_the_decision),
		cmocka_unit_test(test_csv_appends_the_decision_and_defuses_formulas),
		cmocka_unit_test(test_json_adds_decision_keys_only_where_decided),
		cmocka_unit_test(test_lists_add_a_reviewed_column_only_when_decided),
		cmocka_unit_test(test_notice_uses_final_verdicts_and_names_decisions),
		cmocka_unit_test(test_compare_and_history_note_decisions_only_when_any),
#ifdef PA_HAVE_XLSX
		cmocka_unit_test(test_xlsx_shows_decisions_in_vietnamese),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
