/* Office Open XML text through libzip and libxml2's streaming reader:
 * DOCX (word/document.xml: paragraphs, table cells) and XLSX (the cells
 * of every sheet, shared strings looked up, inline strings read), plus
 * the title of docProps/core.xml.
 *
 * A ZIP is easily a bomb (a few KiB inflating to gigabytes): entries are
 * read as a stream, so memory stays at the text kept; an entry inflating
 * more than DOCTEXT_ZIP_RATIO_MAX times its compressed size, or the whole
 * archive past DOCTEXT_UNZIP_MAX, is a bomb (DOC_LIMIT). */
#include "extract/doctext.h"

#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/array.h"
#include "core/str.h"

/* Shared strings of a workbook, kept at most. */
#define SHARED_MAX 200000

struct ooxml {
	struct doctext *d;
	zip_t *za;
	size_t inflated; /* bytes read from every entry so far */
	bool bomb;       /* DOCTEXT_UNZIP_MAX reached */
	bool full;       /* the raw text cap reached: stop reading */
	bool phonetic;   /* inside a shared string's phonetic run <rPh> */
	/* XLSX shared strings: offsets into strings. */
	struct buf strings;
	size_t *offs;
	size_t noffs;
};

struct entry_reader {
	struct ooxml *x;
	zip_file_t *zf;
	zip_uint64_t comp;     /* the entry's compressed size */
	zip_uint64_t inflated; /* bytes read from it so far */
};

/* Past this many bytes of an entry, an inflation ratio above
 * DOCTEXT_ZIP_RATIO_MAX marks a bomb: Office XML deflates 5-20 times,
 * the bombs hundreds or thousands of times. */
#define RATIO_FROM ((zip_uint64_t)1 << 20)

/* libxml2 input callback: inflates the next bytes of the entry. */
static int entry_read(void *arg, char *out, int n)
{
	struct entry_reader *er = arg;
	zip_int64_t got;

	if (er->x->inflated >= DOCTEXT_UNZIP_MAX) {
		er->x->bomb = true;
		return -1;
	}
	if ((size_t)n > DOCTEXT_UNZIP_MAX - er->x->inflated)
		n = (int)(DOCTEXT_UNZIP_MAX - er->x->inflated);
	got = zip_fread(er->zf, out, (zip_uint64_t)n);
	if (got < 0)
		return -1;
	er->x->inflated += (size_t)got;
	er->inflated += (zip_uint64_t)got;
	if (er->inflated > RATIO_FROM && er->inflated / DOCTEXT_ZIP_RATIO_MAX > er->comp) {
		er->x->bomb = true;
		return -1;
	}
	return (int)got;
}

static int entry_close(void *arg)
{
	(void)arg;
	return 0;
}

/* Appends text, or notes that the raw cap is reached. */
static status add_text(struct ooxml *x, const char *s, size_t n)
{
	status st;

	if (x->full)
		return ST_OK;
	st = buf_add(&x->d->text, s, n);
	if (st == ST_LIMIT) {
		x->full = true;
		return ST_OK;
	}
	return st;
}

/* libxml2's errors are not printed.  Its own caps (a text node over
 * 10 MB) fail as "no memory": a bomb too. */
static void on_xml_error(void *arg, xmlErrorPtr e)
{
	struct ooxml *x = arg;

	if (e && e->code == XML_ERR_NO_MEMORY)
		x->bomb = true;
}

typedef status (*node_fn)(struct ooxml *x, xmlTextReaderPtr r);

/* Streams one entry through fn, node by node.  ST_NOTFOUND when the
 * archive has no such entry; ST_PARSE when it is not well-formed XML (or
 * the bomb cap cut it). */
static status walk_entry(struct ooxml *x, const char *name, node_fn fn)
{
	struct entry_reader er = {x, NULL, 0, 0};
	zip_stat_t zs;
	xmlTextReaderPtr r;
	int rc = 1;
	status st = ST_OK;

	er.zf = zip_fopen(x->za, name, 0);
	if (!er.zf)
		return ST_NOTFOUND;
	zip_stat_init(&zs);
	if (zip_stat(x->za, name, 0, &zs) == 0 && (zs.valid & ZIP_STAT_COMP_SIZE))
		er.comp = zs.comp_size;
	/* The declared size first (libzip checks it as it reads), then what
	 * is really inflated. */
	if ((zs.valid & ZIP_STAT_SIZE) && zs.size > RATIO_FROM &&
	    zs.size / DOCTEXT_ZIP_RATIO_MAX > er.comp) {
		zip_fclose(er.zf);
		x->bomb = true;
		return ST_LIMIT;
	}
	r = xmlReaderForIO(entry_read, entry_close, &er, NULL, NULL,
			   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
				   XML_PARSE_COMPACT);
	if (!r) {
		zip_fclose(er.zf);
		return status_set(ST_NOMEM, "out of memory reading %s", name);
	}
	xmlTextReaderSetStructuredErrorHandler(r, on_xml_error, x);
	while (st == ST_OK && !x->full && (rc = xmlTextReaderRead(r)) == 1)
		st = fn(x, r);
	xmlFreeTextReader(r);
	zip_fclose(er.zf);
	if (st < 0)
		return st;
	return rc < 0 ? ST_PARSE : ST_OK;
}

static bool is_elem(xmlTextReaderPtr r, const char *local)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);

	return n && strcmp((const char *)n, local) == 0;
}

/* The text of the current text node, or NULL. */
static const char *node_text(xmlTextReaderPtr r)
{
	int t = xmlTextReaderNodeType(r);

	if (t != XML_READER_TYPE_TEXT && t != XML_READER_TYPE_SIGNIFICANT_WHITESPACE &&
	    t != XML_READER_TYPE_CDATA)
		return NULL;
	return (const char *)xmlTextReaderConstValue(r);
}

/* DOCX: the text of w:t runs; a tab or break is a space, a paragraph and
 * a table cell end a line. */
static status docx_node(struct ooxml *x, xmlTextReaderPtr r)
{
	int t = xmlTextReaderNodeType(r);
	const char *s;

	if (t == XML_READER_TYPE_ELEMENT && (is_elem(r, "tab") || is_elem(r, "br")))
		return add_text(x, " ", 1);
	if (t == XML_READER_TYPE_END_ELEMENT && (is_elem(r, "p") || is_elem(r, "tc")))
		return add_text(x, "\n", 1);
	if (t == XML_READER_TYPE_ELEMENT && is_elem(r, "t") && !xmlTextReaderIsEmptyElement(r)) {
		/* The run's text is the next node. */
		if (xmlTextReaderRead(r) == 1 && (s = node_text(r)) != NULL)
			return add_text(x, s, strlen(s));
	}
	return ST_OK;
}

/* docProps/core.xml: the first dc:title. */
static status title_node(struct ooxml *x, xmlTextReaderPtr r)
{
	const char *s;

	if (x->d->title || xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
	    !is_elem(r, "title") || xmlTextReaderIsEmptyElement(r))
		return ST_OK;
	if (xmlTextReaderRead(r) == 1 && (s = node_text(r)) != NULL && *s &&
	    !(x->d->title = str_dup(s)))
		return status_set(ST_NOMEM, "out of memory reading a document title");
	return ST_OK;
}

/* XLSX sharedStrings.xml: each <si> is one string, the concatenation of
 * its <t> texts (phonetic runs <rPh> left out). */
static status shared_node(struct ooxml *x, xmlTextReaderPtr r)
{
	int t = xmlTextReaderNodeType(r);
	const char *s;

	if (t == XML_READER_TYPE_ELEMENT && is_elem(r, "si")) {
		if (x->noffs >= SHARED_MAX)
			return ST_OK;
		if (ARRAY_ROOM(x->offs, x->noffs) < 0)
			return ST_NOMEM;
		if (x->noffs && buf_addc(&x->strings, '\0') < 0)
			return ST_OK; /* the strings are full: later ones stay unknown */
		x->offs[x->noffs++] = x->strings.len;
		if (xmlTextReaderIsEmptyElement(r))
			return ST_OK;
	}
	if (is_elem(r, "rPh") && !xmlTextReaderIsEmptyElement(r))
		x->phonetic = t == XML_READER_TYPE_ELEMENT;
	if (x->noffs && !x->phonetic && (s = node_text(r)) != NULL)
		(void)!buf_adds(&x->strings, s); /* a full buffer cuts the string */
	return ST_OK;
}

/* The shared string of index text, or NULL. */
static const char *shared_at(const struct ooxml *x, const char *text)
{
	long i;

	if (!text || str_to_long(text, 0, (long)SHARED_MAX, &i) != ST_OK || (size_t)i >= x->noffs)
		return NULL;
	return x->strings.ptr + x->offs[i];
}

/* XLSX sheet: each cell's value (shared strings looked up), cells apart
 * by a tab, rows by a new line. */
static status sheet_node(struct ooxml *x, xmlTextReaderPtr r)
{
	int t = xmlTextReaderNodeType(r), rc;
	const char *s;
	xmlChar *type;
	bool shared;
	status st = ST_OK;

	if (t == XML_READER_TYPE_END_ELEMENT && is_elem(r, "row"))
		return add_text(x, "\n", 1);
	if (t != XML_READER_TYPE_ELEMENT || !is_elem(r, "c") || xmlTextReaderIsEmptyElement(r))
		return ST_OK;
	type = xmlTextReaderGetAttribute(r, (const xmlChar *)"t");
	shared = type && strcmp((const char *)type, "s") == 0;
	xmlFree(type);
	/* The cell's <v> or <is><t> text, up to the cell's end; a formula's
	 * <f> is not its value. */
	rc = xmlTextReaderRead(r);
	while (rc == 1 && st == ST_OK) {
		t = xmlTextReaderNodeType(r);
		if (t == XML_READER_TYPE_END_ELEMENT && is_elem(r, "c"))
			break;
		if (t == XML_READER_TYPE_ELEMENT && is_elem(r, "f") &&
		    !xmlTextReaderIsEmptyElement(r)) {
			rc = xmlTextReaderNext(r);
			continue;
		}
		if ((s = node_text(r)) != NULL && (!shared || (s = shared_at(x, s)) != NULL))
			st = add_text(x, s, strlen(s));
		rc = xmlTextReaderRead(r);
	}
	return st == ST_OK ? add_text(x, "\t", 1) : st;
}

/* Every worksheet in archive order. */
static status read_sheets(struct ooxml *x)
{
	zip_int64_t i, n = zip_get_num_entries(x->za, 0);
	status st = ST_OK;
	bool any = false;

	for (i = 0; i < n && st == ST_OK && !x->full; i++) {
		const char *name = zip_get_name(x->za, (zip_uint64_t)i, 0);
		size_t len = name ? strlen(name) : 0;

		if (len < 19 || strncmp(name, "xl/worksheets/", 14) != 0 ||
		    strcmp(name + len - 4, ".xml") != 0 || strchr(name + 14, '/'))
			continue;
		any = true;
		st = walk_entry(x, name, sheet_node);
	}
	return st == ST_OK && !any ? ST_NOTFOUND : st;
}

static status read_xlsx(struct ooxml *x)
{
	status st = walk_entry(x, "xl/sharedStrings.xml", shared_node);

	if (st == ST_NOTFOUND)
		st = ST_OK; /* a workbook of numbers and inline strings */
	return st == ST_OK ? read_sheets(x) : st;
}

/* Sets d->status from the outcome of reading the parts. */
static status finish(struct ooxml *x, status st)
{
	struct doctext *d = x->d;

	if (x->bomb)
		d->status = DOC_LIMIT;
	else if (st == ST_NOTFOUND || st == ST_PARSE)
		d->status = DOC_CORRUPT;
	else if (st < 0)
		return st;
	else
		d->status =
			strspn(buf_str(&d->text), " \t\n") == d->text.len ? DOC_NO_TEXT : DOC_OK;
	return ST_OK;
}

status doctext_ooxml(struct doctext *d, const char *body, size_t len)
{
	struct ooxml x = {d, NULL, 0, false, false, false, BUF_INIT(DOCTEXT_RAW_MAX), NULL, 0};
	zip_source_t *src;
	zip_error_t ze;
	status st = ST_OK;

	zip_error_init(&ze);
	src = zip_source_buffer_create(body, len, 0, &ze);
	if (src && !(x.za = zip_open_from_source(src, ZIP_RDONLY, &ze)))
		zip_source_free(src);
	zip_error_fini(&ze);
	if (!x.za) {
		d->status = src ? DOC_CORRUPT : NULL;
		return src ? ST_OK : status_set(ST_NOMEM, "out of memory opening a ZIP");
	}
	if (zip_name_locate(x.za, "word/document.xml", 0) >= 0) {
		d->type = DOC_TYPE_DOCX;
		st = walk_entry(&x, "word/document.xml", docx_node);
	} else if (zip_name_locate(x.za, "xl/workbook.xml", 0) >= 0) {
		d->type = DOC_TYPE_XLSX;
		st = read_xlsx(&x);
	} else {
		d->status = DOC_UNSUPPORTED; /* ODF, a plain ZIP, PPTX... */
		goto done;
	}
	if (st == ST_OK && !x.bomb) {
		/* The title is optional: a missing or broken docProps/core.xml
		 * leaves it NULL. */
		status ts = walk_entry(&x, "docProps/core.xml", title_node);

		if (ts < 0 && ts != ST_NOTFOUND && ts != ST_PARSE)
			st = ts;
	}
	st = finish(&x, st);
done:
	zip_discard(x.za);
	buf_release(&x.strings);
	free(x.offs);
	return st;
}
