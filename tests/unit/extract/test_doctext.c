/* Document text: the in-process extractors (extract/doctext.h) on the
 * fixtures of tests/fixtures/docs and on broken and hostile input, and
 * the child-process runner (crawler/docspawn.h) with the real helper
 * portal-audit-extract and with small shell scripts that misbehave: hang,
 * crash, write garbage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "core/clock.h"
#include "core/page.h"
#include "crawler/docspawn.h"
#include "extract/doctext.h"

static char *slurp(const char *name, size_t *len)
{
	const char *dir = getenv("PA_FIXTURES");
	char path[1024];
	FILE *fp;
	char *buf;
	long n;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/docs/%s", dir, name);
	fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* Extracts len bytes of the fixture name (all of it when len is 0). */
static void extract(struct doctext *d, const char *name, size_t cut)
{
	size_t len;
	char *body = slurp(name, &len);

	doctext_init(d);
	assert_int_equal(doctext_extract(d, body, cut && cut < len ? cut : len, name), ST_OK);
	free(body);
}

static void test_pdf_text(void **state)
{
	struct doctext d;

	(void)state;
	extract(&d, "text.pdf", 0);
	assert_string_equal(d.status, DOC_OK);
	assert_string_equal(d.type, DOC_TYPE_PDF);
	assert_int_equal(d.pages, 1);
	assert_null(d.title);
	assert_non_null(strstr(d.text.ptr,
			       "Công khai thông tin cơ sở vật chất của cơ sở giáo dục mầm "
			       "non, năm học 2017-2018"));
	assert_non_null(strstr(d.text.ptr, "TRƯỜNG MẦM NON VÀNG ANH"));
	doctext_release(&d);
}

static void test_pdf_scan_has_no_text(void **state)
{
	struct doctext d;

	(void)state;
	extract(&d, "scan.pdf", 0);
	assert_string_equal(d.status, DOC_NO_TEXT);
	assert_string_equal(d.type, DOC_TYPE_PDF);
	assert_int_equal(d.pages, 1);
	doctext_release(&d);
}

static void test_docx_text(void **state)
{
	struct doctext d;

	(void)state;
	extract(&d, "text.docx", 0);
	assert_string_equal(d.status, DOC_OK);
	assert_string_equal(d.type, DOC_TYPE_DOCX);
	assert_int_equal(d.pages, -1);
	/* Paragraphs end lines: the school and the notice do not run together. */
	assert_non_null(strstr(d.text.ptr, "TRƯỜNG THCS NGUYỄN VĂN LUÔNG\n"));
	assert_non_null(strstr(d.text.ptr,
			       "Cam kết chất lượng giáo dục của cơ sở giáo dục phổ thông, "
			       "năm học 2017-2018"));
	doctext_release(&d);
}

static void test_xlsx_text(void **state)
{
	struct doctext d;

	(void)state;
	extract(&d, "text.xlsx", 0);
	assert_string_equal(d.status, DOC_OK);
	assert_string_equal(d.type, DOC_TYPE_XLSX);
	/* Shared strings looked up, numbers kept, cells apart by tabs. */
	assert_non_null(strstr(d.text.ptr, "Cán bộ quản lý\t3\t0\t0\t3"));
	assert_non_null(strstr(d.text.ptr, "đội ngũ nhà giáo, cán bộ quản lý và nhân viên"));
	doctext_release(&d);
}

static void test_truncated_files_are_corrupt(void **state)
{
	static const char *const names[] = {"text.pdf", "text.docx", "text.xlsx"};
	struct doctext d;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		/* 100 bytes: the PDF header and nothing; a ZIP without its
		 * central directory. */
		extract(&d, names[i], 100);
		assert_string_equal(d.status, DOC_CORRUPT);
		doctext_release(&d);
	}
}

static void test_sniff(void **state)
{
	static const struct {
		const char *body;
		size_t len;
		const char *url, *want;
	} cases[] = {
		{"%PDF-1.4\n", 9, "x.bin", DOC_TYPE_PDF},
		{"\r\n\r\n%PDF-1.7", 13, NULL, DOC_TYPE_PDF}, /* junk before the header */
		{"PK\x03\x04rest", 8, "a.docx", DOC_TYPE_ZIP},
		{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "http://h/a.XLS?x=1", DOC_TYPE_XLS},
		{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "http://h/a.doc", DOC_TYPE_DOC},
		{"<html>", 6, "a.pdf", NULL},
		{"", 0, "a.pdf", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = doc_sniff(cases[i].body, cases[i].len, cases[i].url);

		if (cases[i].want)
			assert_string_equal(got, cases[i].want);
		else
			assert_null(got);
	}
}

/* A ZIP archive in memory of n entries names[i] with data[i] (lens[i]
 * bytes); *len is its size. */
static char *make_zip(const char *const *names, const char *const *data, const size_t *lens,
		      size_t n, size_t *len)
{
	zip_source_t *src, *mem;
	zip_error_t ze;
	zip_t *za;
	zip_stat_t zs;
	char *out;
	size_t i;

	zip_error_init(&ze);
	mem = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(mem);
	zip_source_keep(mem);
	za = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (i = 0; i < n; i++) {
		src = zip_source_buffer(za, data[i], lens[i], 0);
		assert_true(zip_file_add(za, names[i], src, 0) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_stat(mem, &zs), 0);
	*len = (size_t)zs.size;
	out = malloc(*len);
	assert_non_null(out);
	assert_int_equal(zip_source_open(mem), 0);
	assert_int_equal(zip_source_read(mem, out, *len), (zip_int64_t)*len);
	zip_source_close(mem);
	zip_source_free(mem);
	zip_error_fini(&ze);
	return out;
}

#define W_DOC \
	"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"

/* A DOCX whose document.xml inflates past DOCTEXT_UNZIP_MAX. */
static char *zip_bomb(size_t *len)
{
	const char *head = "<?xml version=\"1.0\"?>" W_DOC "<w:body><w:p><w:r><w:t>";
	const char *name = "word/document.xml";
	size_t big = DOCTEXT_UNZIP_MAX + (1u << 20), hl = strlen(head);
	char *xml = malloc(big), *out;

	assert_non_null(xml);
	memcpy(xml, head, hl);
	memset(xml + hl, 'a', big - hl);
	out = make_zip(&name, (const char *const *)&xml, &big, 1, len);
	free(xml);
	return out;
}

static void test_docx_title_and_tabs(void **state)
{
	static const char *const names[] = {"word/document.xml", "docProps/core.xml"};
	static const char *const data[] = {
		W_DOC
		"<w:body><w:p><w:r><w:t>Biểu mẫu 05</w:t><w:tab/><w:t>năm học</w:t>"
		"<w:t xml:space=\"preserve\"> 2017-2018</w:t></w:r></w:p>"
		"<w:p><w:r><w:delText>xoá</w:delText><w:t/></w:r></w:p></w:body></w:document>",
		"<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
		"metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
		"<dc:title>Công khai tài chính</dc:title></cp:coreProperties>"};
	size_t lens[2] = {strlen(data[0]), strlen(data[1])}, len;
	char *body = make_zip(names, data, lens, 2, &len);
	struct doctext d;

	(void)state;
	doctext_init(&d);
	assert_int_equal(doctext_extract(&d, body, len, NULL), ST_OK);
	assert_string_equal(d.status, DOC_OK);
	assert_string_equal(d.title, "Công khai tài chính");
	/* A tab is a space; deleted text is not text. */
	assert_string_equal(d.text.ptr, "Biểu mẫu 05 năm học 2017-2018\n\n");
	doctext_release(&d);
	free(body);
}

static void test_zip_bomb_hits_the_limit(void **state)
{
	struct doctext d;
	size_t len;
	char *body = zip_bomb(&len);

	(void)state;
	assert_true(len < (1u << 20)); /* a bomb: small outside */
	doctext_init(&d);
	assert_int_equal(doctext_ooxml(&d, body, len), ST_OK);
	assert_string_equal(d.status, DOC_LIMIT);
	assert_true(d.text.len <= DOCTEXT_RAW_MAX);
	doctext_release(&d);
	free(body);
}

static void test_other_zips_unsupported(void **state)
{
	/* An empty ZIP archive (end of central directory only). */
	static const char empty[22] = "PK\x05\x06";
	struct doctext d;

	(void)state;
	doctext_init(&d);
	assert_int_equal(doctext_extract(&d, empty, 4, "a.zip"), ST_OK);
	assert_string_equal(d.status, DOC_UNSUPPORTED); /* not even PK\3\4 */
	doctext_release(&d);
	doctext_init(&d);
	assert_int_equal(doctext_ooxml(&d, empty, sizeof(empty)), ST_OK);
	assert_string_equal(d.status, DOC_UNSUPPORTED);
	doctext_release(&d);
}

/* --- the child process --- */

static const char *meta(const struct page *p, const char *name)
{
	const char *v = page_meta_get(p, name);

	return v ? v : "";
}

static struct page *spawn_file(struct docspawn *ds, const char *name)
{
	struct page *p = NULL;
	size_t len;
	char *body = slurp(name, &len);

	assert_int_equal(page_new(&p), ST_OK);
	assert_int_equal(page_set(&p->url, name), ST_OK);
	assert_int_equal(page_set(&p->content_type, "application/octet-stream"), ST_OK);
	assert_int_equal(docspawn_page(ds, p, body, len), ST_OK);
	free(body);
	return p;
}

static void test_spawn_reads_documents(void **state)
{
	struct docspawn *ds = NULL;
	struct page *p;
	int round;

	(void)state;
	assert_int_equal(docspawn_new(&ds, NULL), ST_OK);
	/* One child serves them all, twice over. */
	for (round = 0; round < 2; round++) {
		p = spawn_file(ds, "text.pdf");
		assert_string_equal(meta(p, "doc:status"), DOC_OK);
		assert_string_equal(meta(p, "doc:pages"), "1");
		assert_string_equal(p->content_type, DOC_TYPE_PDF);
		assert_string_equal(p->text, p->main_text);
		assert_non_null(strstr(p->text,
				       "Biểu mẫu 03 THÔNG BÁO Công khai thông tin cơ sở vật chất"));
		assert_null(strchr(p->text, '\n')); /* white space collapsed */
		assert_null(p->error);
		page_free(p);

		p = spawn_file(ds, "text.docx");
		assert_string_equal(meta(p, "doc:status"), DOC_OK);
		assert_string_equal(p->content_type, DOC_TYPE_DOCX); /* sniffed */
		assert_non_null(strstr(p->text, "TRƯỜNG THCS NGUYỄN VĂN LUÔNG CỘNG HÒA"));
		page_free(p);

		p = spawn_file(ds, "scan.pdf");
		assert_string_equal(meta(p, "doc:status"), DOC_NO_TEXT);
		assert_string_equal(p->text, "");
		page_free(p);
	}
	docspawn_free(ds);
}

static void test_spawn_caps_text(void **state)
{
	struct docspawn_options o = DOCSPAWN_OPTIONS_INIT;
	struct docspawn *ds = NULL;
	struct page *p;
	size_t n;

	(void)state;
	o.max_text = 101;
	assert_int_equal(docspawn_new(&ds, &o), ST_OK);
	p = spawn_file(ds, "text.xlsx");
	n = strlen(p->text);
	/* Cut at a character boundary: never inside a UTF-8 sequence. */
	assert_true(n <= 101 && n >= 97);
	assert_string_equal(meta(p, "doc:status"), DOC_OK);
	page_free(p);
	docspawn_free(ds);
}

/* A helper script that misbehaves; returns its path (static buffer). */
static const char *script(const char *body)
{
	static char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "/tmp/pa-doctext-%ld.sh", (long)getpid());
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\n%s\n", body);
	fclose(fp);
	assert_int_equal(chmod(path, 0700), 0);
	return path;
}

static void test_spawn_misbehaving_child(void **state)
{
	static const struct {
		const char *script, *want;
	} cases[] = {
		{"exec sleep 30", DOC_TIMEOUT},
		{"kill -SEGV $$", DOC_CORRUPT},
		{"kill -ABRT $$", DOC_LIMIT}, /* how an allocation fails under RLIMIT_AS */
		{"kill -XCPU $$", DOC_LIMIT},
		{"echo garbage", DOC_CORRUPT},
		{"printf 'status ok\\n\\n'", DOC_CORRUPT},                /* no length line */
		{"printf '18\\nstatus bogus\\n\\ntext'", DOC_CORRUPT},    /* unknown status */
		{"printf '9\\nstatus ok'", DOC_CORRUPT},                  /* no end of header */
		{"printf '20\\nstatus ok\\n\\nA'", DOC_CORRUPT},          /* cut short */
		{"printf '999999999\\n'; exec cat /dev/zero", DOC_LIMIT}, /* over the cap */
		{"printf '31\\nstatus ok\\npages 3\\ntitle  T\\n\\nA\\377B'; sleep 30", DOC_OK},
	};
	struct docspawn_options o = DOCSPAWN_OPTIONS_INIT;
	size_t i;

	(void)state;
	o.timeout_ms = 500;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t t0 = clock_ms();
		struct docspawn *ds = NULL;
		struct page *p;

		o.helper = script(cases[i].script);
		assert_int_equal(docspawn_new(&ds, &o), ST_OK);
		p = spawn_file(ds, "text.pdf");
		assert_string_equal(meta(p, "doc:status"), cases[i].want);
		assert_true(clock_ms() - t0 < 5000);
		if (strcmp(cases[i].want, DOC_OK) == 0) {
			assert_string_equal(meta(p, "doc:pages"), "3");
			assert_string_equal(p->title, " T");
			assert_string_equal(p->text, "A\xEF\xBF\xBD"
						     "B"); /* bad UTF-8 replaced */
		} else {
			assert_string_equal(p->text, "");
		}
		page_free(p);
		docspawn_free(ds); /* an idle child that ignores the end of its input */
		unlink(o.helper);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_text),
		cmocka_unit_test(test_pdf_scan_has_no_text),
		cmocka_unit_test(test_docx_text),
		cmocka_unit_test(test_xlsx_text),
		cmocka_unit_test(test_truncated_files_are_corrupt),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_docx_title_and_tabs),
		cmocka_unit_test(test_zip_bomb_hits_the_limit),
		cmocka_unit_test(test_other_zips_unsupported),
		cmocka_unit_test(test_spawn_reads_documents),
		cmocka_unit_test(test_spawn_caps_text),
		cmocka_unit_test(test_spawn_misbehaving_child),
	};

	(void)argc;
	(void)argv;
	/* docspawn finds the helper through $PORTAL_AUDIT_EXTRACT (ctest). */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
