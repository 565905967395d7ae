/* The RFC 4180 reader: quoting, line ends, BOM, line numbers and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/csv.h"

static struct csv_reader *mem(const char *data, size_t len)
{
	struct csv_reader *r = NULL;

	assert_int_equal(csv_new_mem(&r, "t.csv", data, len), ST_OK);
	return r;
}

static struct csv_reader *str(const char *data)
{
	return mem(data, strlen(data));
}

/* Expects the next record to start on line and hold the n given fields. */
static void expect_record(struct csv_reader *r, long line, size_t n, ...)
{
	struct csv_record rec;
	bool got = false;
	va_list ap;
	size_t i;

	assert_int_equal(csv_next(r, &rec, &got), ST_OK);
	assert_true(got);
	assert_int_equal(rec.line, line);
	assert_int_equal(rec.n, n);
	va_start(ap, n);
	for (i = 0; i < n; i++)
		assert_string_equal(rec.fields[i], va_arg(ap, const char *));
	va_end(ap);
}

static void expect_end(struct csv_reader *r)
{
	struct csv_record rec;
	bool got = true;

	assert_int_equal(csv_next(r, &rec, &got), ST_OK);
	assert_false(got);
}

/* Expects an error record whose message is exactly msg. */
static void expect_error(struct csv_reader *r, status code, const char *msg)
{
	struct csv_record rec;
	bool got = true;

	assert_int_equal(csv_next(r, &rec, &got), code);
	assert_false(got);
	assert_string_equal(status_message(), msg);
}

static void test_plain_fields_and_lf(void **state)
{
	struct csv_reader *r = str("a,b,c\n1,2,3\n");

	expect_record(r, 1, 3, "a", "b", "c");
	expect_record(r, 2, 3, "1", "2", "3");
	expect_end(r);
	expect_end(r);
	csv_free(r);
}

static void test_quoted_comma_quote_and_newline(void **state)
{
	struct csv_reader *r = str("id,name\n"
				   "1,\"Trường A, Quận 1\"\n"
				   "2,\"He said \"\"hi\"\"\"\n"
				   "3,\"two\nlines\"\n"
				   "4,\"\"\n");

	expect_record(r, 1, 2, "id", "name");
	expect_record(r, 2, 2, "1", "Trường A, Quận 1");
	expect_record(r, 3, 2, "2", "He said \"hi\"");
	expect_record(r, 4, 2, "3", "two\nlines");
	expect_record(r, 6, 2, "4", "");
	expect_end(r);
	csv_free(r);
}

static void test_crlf_and_crlf_inside_quotes(void **state)
{
	struct csv_reader *r = str("a,b\r\n\"x\r\ny\",z\r\nlast,row");

	expect_record(r, 1, 2, "a", "b");
	expect_record(r, 2, 2, "x\r\ny", "z");
	expect_record(r, 4, 2, "last", "row");
	expect_end(r);
	csv_free(r);
}

static void test_lone_cr_line_ends(void **state)
{
	struct csv_reader *r = str("a,b\rc,d\r");

	expect_record(r, 1, 2, "a", "b");
	expect_record(r, 2, 2, "c", "d");
	expect_end(r);
	csv_free(r);
}

static void test_bom_is_skipped(void **state)
{
	struct csv_reader *r = str("\xEF\xBB\xBFschool_id,name\nx,y\n");

	expect_record(r, 1, 2, "school_id", "name");
	expect_record(r, 2, 2, "x", "y");
	expect_end(r);
	csv_free(r);
}

static void test_blank_line_and_empty_fields(void **state)
{
	struct csv_reader *r = str("a,\n\n,,\n");

	expect_record(r, 1, 2, "a", "");
	expect_record(r, 2, 1, "");
	expect_record(r, 3, 3, "", "", "");
	expect_end(r);
	csv_free(r);
}

static void test_empty_input_has_no_records(void **state)
{
	struct csv_reader *r = str("");

	expect_end(r);
	csv_free(r);
	r = str("\xEF\xBB\xBF");
	expect_end(r);
	csv_free(r);
}

static void test_line_numbers_after_multiline_fields(void **state)
{
	struct csv_reader *r = str("h1,h2\n"
				   "\"a\nb\nc\",\"d\r\ne\"\n"
				   "next,row\n"
				   "\"\n\",x\n"
				   "after,it\n");

	expect_record(r, 1, 2, "h1", "h2");
	expect_record(r, 2, 2, "a\nb\nc", "d\r\ne");
	expect_record(r, 6, 2, "next", "row");
	expect_record(r, 7, 2, "\n", "x");
	expect_record(r, 9, 2, "after", "it");
	expect_end(r);
	csv_free(r);
}

static void test_unterminated_quote_names_opening_line(void **state)
{
	struct csv_reader *r = str("a,b\nc,d\ne,\"never\nclosed,x\ny,z\n");

	expect_record(r, 1, 2, "a", "b");
	expect_record(r, 2, 2, "c", "d");
	expect_error(r, ST_PARSE, "t.csv:3: unterminated quoted field (it opens on this line)");
	expect_end(r);
	csv_free(r);
}

static void test_text_after_closing_quote_is_an_error(void **state)
{
	struct csv_reader *r = str("\"a\"b,c\nd,e\n");

	expect_error(r, ST_PARSE,
		     "t.csv:1: text after a closing quote (write a quote inside a quoted field "
		     "as \"\")");
	expect_record(r, 2, 2, "d", "e");
	expect_end(r);
	csv_free(r);
}

static void test_quote_inside_unquoted_field_is_literal(void **state)
{
	struct csv_reader *r = str("Trường \"Mới\",x\n");

	expect_record(r, 1, 2, "Trường \"Mới\"", "x");
	csv_free(r);
}

static void test_invalid_utf8_names_its_line_and_reading_goes_on(void **state)
{
	struct csv_reader *r = str("a,b\n"
				   "ok,\"line three\nhas \xC3\x28 bad\"\n"
				   "x,\xFF\n"
				   "good,row\n");

	expect_record(r, 1, 2, "a", "b");
	expect_error(r, ST_PARSE, "t.csv:3: invalid UTF-8 (save the file as UTF-8)");
	expect_error(r, ST_PARSE, "t.csv:4: invalid UTF-8 (save the file as UTF-8)");
	expect_record(r, 5, 2, "good", "row");
	expect_end(r);
	csv_free(r);
}

static void test_nul_byte_is_an_error(void **state)
{
	struct csv_reader *r = mem("a,b\nc\0d,e\nf,g\n", 14);

	expect_record(r, 1, 2, "a", "b");
	expect_error(r, ST_PARSE, "t.csv:2: NUL byte in a field");
	expect_record(r, 3, 2, "f", "g");
	csv_free(r);
}

static void test_field_cap_names_line(void **state)
{
	size_t n = CSV_FIELD_MAX + 10;
	char *data = malloc(n + 32);
	struct csv_reader *r;
	int len;

	assert_non_null(data);
	len = snprintf(data, 32, "a,b\nx,\"");
	memset(data + len, 'z', n);
	memcpy(data + len + n, "\"\nc,d\n", 6);
	r = mem(data, (size_t)len + n + 6);
	expect_record(r, 1, 2, "a", "b");
	expect_error(r, ST_LIMIT, "t.csv:2: field longer than 64 KiB");
	expect_record(r, 3, 2, "c", "d");
	csv_free(r);
	free(data);
}

static void test_field_at_cap_is_accepted(void **state)
{
	char *data = malloc(CSV_FIELD_MAX + 2);
	struct csv_reader *r;
	struct csv_record rec;
	bool got;

	assert_non_null(data);
	memset(data, 'q', CSV_FIELD_MAX);
	data[CSV_FIELD_MAX] = '\n';
	r = mem(data, CSV_FIELD_MAX + 1);
	assert_int_equal(csv_next(r, &rec, &got), ST_OK);
	assert_true(got);
	assert_int_equal(strlen(rec.fields[0]), CSV_FIELD_MAX);
	csv_free(r);
	free(data);
}

static void test_open_missing_file_names_it(void **state)
{
	struct csv_reader *r = NULL;

	assert_int_equal(csv_open(&r, "/nonexistent/dir/x.csv"), ST_IO);
	assert_null(r);
	assert_non_null(strstr(status_message(), "/nonexistent/dir/x.csv: cannot open"));
}

static void test_open_reads_file_and_caps_size(void **state)
{
	char path[] = "/tmp/test_csv_XXXXXX";
	struct csv_reader *r = NULL;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x,y\n", 4), 4);
	assert_int_equal(csv_open(&r, path), ST_OK);
	assert_string_equal(csv_name(r), path);
	expect_record(r, 1, 2, "x", "y");
	csv_free(r);
	/* One byte over the cap: sparse, so cheap to make. */
	assert_int_equal(ftruncate(fd, (off_t)CSV_FILE_MAX + 1), 0);
	close(fd);
	r = NULL;
	assert_int_equal(csv_open(&r, path), ST_LIMIT);
	assert_null(r);
	assert_non_null(strstr(status_message(), path));
	assert_non_null(strstr(status_message(), "64 MiB"));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_fields_and_lf),
		cmocka_unit_test(test_quoted_comma_quote_and_newline),
		cmocka_unit_test(test_crlf_and_crlf_inside_quotes),
		cmocka_unit_test(test_lone_cr_line_ends),
		cmocka_unit_test(test_bom_is_skipped),
		cmocka_unit_test(test_blank_line_and_empty_fields),
		cmocka_unit_test(test_empty_input_has_no_records),
		cmocka_unit_test(test_line_numbers_after_multiline_fields),
		cmocka_unit_test(test_unterminated_quote_names_opening_line),
		cmocka_unit_test(test_text_after_closing_quote_is_an_error),
		cmocka_unit_test(test_quote_inside_unquoted_field_is_literal),
		cmocka_unit_test(test_invalid_utf8_names_its_line_and_reading_goes_on),
		cmocka_unit_test(test_nul_byte_is_an_error),
		cmocka_unit_test(test_field_cap_names_line),
		cmocka_unit_test(test_field_at_cap_is_accepted),
		cmocka_unit_test(test_open_missing_file_names_it),
		cmocka_unit_test(test_open_reads_file_and_caps_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
