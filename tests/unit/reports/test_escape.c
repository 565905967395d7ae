/* Escaping of crawled strings, one table per format. */
#include "sample.h"

#include "core/buf.h"
#include "reports/escape.h"

struct esc_case {
	const char *in;
	const char *want;
};

typedef status (*escaper)(struct buf *, const char *);

static void run_cases(escaper fn, const struct esc_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct buf b = BUF_INIT(1 << 20);

		assert_int_equal(fn(&b, c[i].in), ST_OK);
		if (strcmp(buf_str(&b), c[i].want) != 0)
			fail_msg("case %zu: got [%s], want [%s]", i, buf_str(&b), c[i].want);
		buf_release(&b);
	}
}

#define RUN(fn, cases) run_cases(fn, cases, sizeof(cases) / sizeof(cases[0]))

static void test_json_escapes_quotes_controls_and_bad_utf8(void **state)
{
	static const struct esc_case cases[] = {
		{NULL, "null"},
		{"", "\"\""},
		{"plain", "\"plain\""},
		{"Cam kết chất lượng", "\"Cam kết chất lượng\""},
		{"a\"b\\c", "\"a\\\"b\\\\c\""},
		{"line\nnext\ttab\r", "\"line\\u000anext\\u0009tab\\u000d\""},
		{"\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""},
		{"bad\xff"
		 "byte",
		 "\"bad\xEF\xBF\xBD"
		 "byte\""},
		{"trunc\xE1\xBA", "\"trunc\xEF\xBF\xBD\xEF\xBF\xBD\""},
		{"overlong\xC0\xAF", "\"overlong\xEF\xBF\xBD\xEF\xBF\xBD\""},
		{"surrogate\xED\xA0\x80", "\"surrogate\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
		{"sep\xE2\x80\xA8", "\"sep\\u2028\""},
		{"</script>", "\"</script>\""},
	};
	RUN(escape_json, cases);
}

static void test_html_escapes_markup_from_hostile_sites(void **state)
{
	static const struct esc_case cases[] = {
		{NULL, ""},
		{"Trường THCS Lê Văn Sĩ", "Trường THCS Lê Văn Sĩ"},
		{"<script>document.title='PWNED'</script>",
		 "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"},
		{"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
		{"a & b \"q\"", "a &amp; b &quot;q&quot;"},
		{"x\" onmouseover=\"y", "x&quot; onmouseover=&quot;y"},
		{"nul\x01here", "nul\xEF\xBF\xBDhere"},
		{"bad\xC3", "bad\xEF\xBF\xBD"},
	};
	RUN(escape_html, cases);
}

static void test_csv_quotes_and_neutralises_formulas(void **state)
{
	static const struct esc_case cases[] = {
		{NULL, ""},
		{"plain", "plain"},
		{"a,b", "\"a,b\""},
		{"say \"hi\"", "\"say \"\"hi\"\"\""},
		{"two\nlines", "\"two\nlines\""},
		{"=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""},
		{"=1+2", "'=1+2"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "\"'\rcmd\""},
		{"a=b", "a=b"},
		{"Đạt", "Đạt"},
	};
	RUN(escape_csv_cell, cases);
}

static void test_spreadsheet_cell_neutralises_formulas_and_controls(void **state)
{
	static const struct esc_case cases[] = {
		{NULL, ""},
		{"=1+2", "'=1+2"},
		{"-1", "'-1"},
		{"@x", "'@x"},
		{"a,\"b\"", "a,\"b\""},
		{"nul\x01", "nul\xEF\xBF\xBD"},
		{"two\nlines", "two\nlines"},
	};
	RUN(escape_cell, cases);
}

static void test_md_escapes_pipes_newlines_and_html(void **state)
{
	static const struct esc_case cases[] = {
		{NULL, ""},
		{"a|b", "a\\|b"},
		{"one\ntwo\r\nthree", "one two  three"},
		{"<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"},
		{"[link](javascript:alert(1))", "\\[link\\](javascript:alert(1))"},
		{"*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"},
		{"Tiểu học", "Tiểu học"},
	};
	RUN(escape_md, cases);
}

static void test_text_strips_terminal_escapes_and_bidi(void **state)
{
	static const struct esc_case cases[] = {
		{NULL, ""},
		{"\x1b[31mred", "\xEF\xBF\xBD[31mred"},
		{"tab\there\nnl", "tab here nl"},
		{"rlo\xE2\x80\xAEtxt", "rlo\xEF\xBF\xBDtxt"},
		{"c1\xC2\x9B"
		 "x",
		 "c1\xEF\xBF\xBDx"},
		{"Việt", "Việt"},
	};
	RUN(escape_text, cases);
}

/* Every bidi control (U+202A-E, U+2066-9, U+200E/F, U+061C) is neutralised
 * in every format: "fdp.exe" after U+202E must never read "exe.pdf". */
static void test_every_format_neutralises_bidi_controls(void **state)
{
	static const char *const bidi[] = {"\u202A", "\u202B", "\u202C", "\u202D",
					   "\u202E", "\u2066", "\u2067", "\u2068",
					   "\u2069", "\u200E", "\u200F", "\u061C"};
	static const escaper human[] = {escape_html, escape_csv_cell, escape_cell, escape_md,
					escape_text};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++) {
		char in[32], want[32];
		struct buf b = BUF_INIT(256);
		int32_t cp;
		size_t adv;

		snprintf(in, sizeof(in), "a%sb", bidi[i]);
		for (k = 0; k < sizeof(human) / sizeof(human[0]); k++) {
			buf_reset(&b);
			assert_int_equal(human[k](&b, in), ST_OK);
			if (strcmp(buf_str(&b), "a\xEF\xBF\xBD"
						"b") != 0)
				fail_msg("bidi %zu, format %zu: got [%s]", i, k, buf_str(&b));
		}
		buf_reset(&b);
		assert_int_equal(escape_json(&b, in), ST_OK);
		cp = escape_utf8_next(bidi[i], strlen(bidi[i]), &adv);
		snprintf(want, sizeof(want), "\"a\\u%04xb\"", (unsigned)cp);
		assert_string_equal(buf_str(&b), want);
		assert_true(escape_is_bidi(cp));
		buf_release(&b);
	}
	assert_false(escape_is_bidi(0x200D)); /* ZWJ joins, it does not reorder */
	assert_false(escape_is_bidi('a'));
}

static void test_text_width_counts_columns_not_bytes(void **state)
{
	assert_int_equal(escape_text_width(""), 0);
	assert_int_equal(escape_text_width("abc"), 3);
	/* NFC: each Vietnamese letter is one code point. */
	assert_int_equal(escape_text_width("Đạt"), 3);
	/* NFD: "ạ" as a + combining dot below is still one column. */
	assert_int_equal(escape_text_width("Đa\xCC\xA3t"), 3);
	/* Wide CJK characters take two columns. */
	assert_int_equal(escape_text_width("\xE4\xB8\xAD"), 2);
	assert_int_equal(escape_text_width("\xff"), 1);
}

static void test_utf8_decoder_rejects_malformed_sequences(void **state)
{
	size_t adv;

	assert_int_equal(escape_utf8_next("\xE1\xBA\xA1", 3, &adv), 0x1EA1);
	assert_int_equal(adv, 3);
	assert_int_equal(escape_utf8_next("\xF0\x9F\x98\x80", 4, &adv), 0x1F600);
	assert_int_equal(adv, 4);
	assert_int_equal(escape_utf8_next("\xE1\xBA", 2, &adv), -1);
	assert_int_equal(adv, 1);
	assert_int_equal(escape_utf8_next("\xE0\x80\x80", 3, &adv), -1);
	assert_int_equal(escape_utf8_next("\xF4\x90\x80\x80", 4, &adv), -1);
	assert_int_equal(escape_utf8_next("\x80", 1, &adv), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escapes_quotes_controls_and_bad_utf8),
		cmocka_unit_test(test_html_escapes_markup_from_hostile_sites),
		cmocka_unit_test(test_csv_quotes_and_neutralises_formulas),
		cmocka_unit_test(test_spreadsheet_cell_neutralises_formulas_and_controls),
		cmocka_unit_test(test_md_escapes_pipes_newlines_and_html),
		cmocka_unit_test(test_text_strips_terminal_escapes_and_bidi),
		cmocka_unit_test(test_text_width_counts_columns_not_bytes),
		cmocka_unit_test(test_every_format_neutralises_bidi_controls),
		cmocka_unit_test(test_utf8_decoder_rejects_malformed_sequences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
