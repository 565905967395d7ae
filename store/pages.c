#include "store/pages.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/buf.h"
#include "core/str.h"

enum {
	SQL_SITE_PENDING,
	SQL_PAGE_DELETE,
	SQL_PAGE_INSERT,
	SQL_SITE_DONE,
	SQL_SITE_RESET_PAGES,
	SQL_COUNT
};

static const char *const writer_sql[SQL_COUNT] = {
	[SQL_SITE_PENDING] =
		"INSERT OR IGNORE INTO sites (run_id, school_id, start_url) VALUES (?,?,?)",
	[SQL_PAGE_DELETE] =
		"DELETE FROM pages WHERE run_id = ? AND school_id = ? AND requested_url = ?",
	[SQL_PAGE_INSERT] =
		"INSERT INTO pages (run_id, school_id, requested_url, final_url, status, depth,"
		" content_type, charset, bytes, fetched_at, fetch_ms, etag, last_modified,"
		" sitemap_lastmod, content_hash, error, title, headings, metas, text, main_text,"
		" links) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	/* Parenthesised: one statement on two lines, not a missing comma
	 * (clang -Wstring-concatenation). */
	[SQL_SITE_DONE] = ("UPDATE sites SET state = 'done', reachable = ?, reason = ?,"
			   " final_host = ?, pages = ?, errors = ?,"
			   " finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
			   " WHERE run_id = ? AND school_id = ?"),
	[SQL_SITE_RESET_PAGES] = "DELETE FROM pages WHERE run_id = ? AND school_id = ?",
};

struct page_writer {
	struct store *s;
	int64_t run_id;
	sqlite3_stmt *stmt[SQL_COUNT];
	struct buf tmp;
};

status page_writer_new(struct page_writer **out, struct store *s, int64_t run_id)
{
	struct page_writer *w = calloc(1, sizeof(*w));
	status st = ST_OK;
	int i;

	*out = NULL;
	if (!w)
		return status_set(ST_NOMEM, "out of memory");
	w->s = s;
	w->run_id = run_id;
	buf_init(&w->tmp, (size_t)64 << 20);
	for (i = 0; i < SQL_COUNT && st == ST_OK; i++)
		st = store_prepare(s, &w->stmt[i], writer_sql[i]);
	if (st < 0) {
		page_writer_free(w);
		return st;
	}
	*out = w;
	return ST_OK;
}

void page_writer_free(struct page_writer *w)
{
	int i;

	if (!w)
		return;
	for (i = 0; i < SQL_COUNT; i++)
		sqlite3_finalize(w->stmt[i]);
	buf_release(&w->tmp);
	free(w);
}

static void bind_run_school(struct page_writer *w, sqlite3_stmt *stmt, const char *school_id)
{
	sqlite3_bind_int64(stmt, 1, w->run_id);
	store_bind_text(stmt, 2, school_id);
}

status page_writer_site_pending(struct page_writer *w, const char *school_id, const char *start_url)
{
	sqlite3_stmt *stmt = w->stmt[SQL_SITE_PENDING];

	bind_run_school(w, stmt, school_id);
	store_bind_text(stmt, 3, start_url);
	return store_step_done(w->s, stmt);
}

status page_writer_site_reset(struct page_writer *w, const char *school_id)
{
	bind_run_school(w, w->stmt[SQL_SITE_RESET_PAGES], school_id);
	return store_step_done(w->s, w->stmt[SQL_SITE_RESET_PAGES]);
}

/* Serialises headings and metas as "a<TAB>b" lines.  The page model's text
 * is white-space collapsed, so neither field holds a tab or newline. */
static status join_pairs(struct buf *b, const struct page *p, int metas)
{
	size_t i, n = metas ? p->nmetas : p->nheadings;
	status st = ST_OK;

	buf_reset(b);
	for (i = 0; i < n && st == ST_OK; i++) {
		if (metas)
			st = buf_printf(b, "%s\t%s\n", p->metas[i].name, p->metas[i].content);
		else
			st = buf_printf(b, "%d\t%s\n", p->headings[i].level, p->headings[i].text);
	}
	return st;
}

/* Appends s as a JSON string.  Text is valid UTF-8 (the page model is
 * NFC), so only quotes, backslashes and control characters are escaped. */
static status json_string(struct buf *b, const char *s)
{
	const char *run = s;
	status st = buf_addc(b, '"');

	for (; st == ST_OK && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		st = buf_add(b, run, (size_t)(s - run));
		if (st == ST_OK)
			st = c == '"' || c == '\\' ? buf_printf(b, "\\%c", c)
						   : buf_printf(b, "\\u%04x", c);
		run = s + 1;
	}
	if (st == ST_OK)
		st = buf_add(b, run, (size_t)(s - run));
	return st == ST_OK ? buf_addc(b, '"') : st;
}

/* Serialises the links as [["url","text"],...]: one column instead of a
 * row per link, read back by parse_links and by the links view.  A link
 * in the page's chrome (menus, sidebars, footer) has a third element 1,
 * ["url","text",1], so a page reused after a 304 ranks its links as the
 * first crawl did. */
static status join_links(struct buf *b, const struct page *p)
{
	status st = ST_OK;
	size_t i;

	buf_reset(b);
	for (i = 0; i < p->nlinks && st == ST_OK; i++) {
		st = buf_adds(b, i ? ",[" : "[[");
		if (st == ST_OK)
			st = json_string(b, p->links[i].url ? p->links[i].url : "");
		if (st == ST_OK)
			st = buf_addc(b, ',');
		if (st == ST_OK)
			st = json_string(b, p->links[i].text ? p->links[i].text : "");
		if (st == ST_OK)
			st = buf_adds(b, p->links[i].chrome ? ",1]" : "]");
	}
	return st == ST_OK && p->nlinks ? buf_addc(b, ']') : st;
}

static status insert_page(struct page_writer *w, const char *school_id, const struct page *p)
{
	sqlite3_stmt *stmt = w->stmt[SQL_PAGE_INSERT];
	status st;

	bind_run_school(w, stmt, school_id);
	store_bind_text(stmt, 3, p->requested_url);
	store_bind_text(stmt, 4, p->url);
	sqlite3_bind_int(stmt, 5, p->status);
	sqlite3_bind_int(stmt, 6, p->depth);
	store_bind_text(stmt, 7, p->content_type);
	store_bind_text(stmt, 8, p->charset);
	sqlite3_bind_int64(stmt, 9, p->bytes);
	sqlite3_bind_int64(stmt, 10, p->fetched_at);
	sqlite3_bind_int64(stmt, 11, p->fetch_ms);
	store_bind_text(stmt, 12, p->etag);
	store_bind_text(stmt, 13, p->last_modified);
	store_bind_text(stmt, 14, p->sitemap_lastmod);
	store_bind_text(stmt, 15, p->content_hash);
	store_bind_text(stmt, 16, p->error);
	store_bind_text(stmt, 17, p->title);
	st = join_pairs(&w->tmp, p, 0);
	if (st < 0)
		return st;
	store_bind_text(stmt, 18, p->nheadings ? w->tmp.ptr : NULL);
	st = join_pairs(&w->tmp, p, 1);
	if (st < 0)
		return st;
	/* SQLITE_TRANSIENT copies, so tmp can be reused for metas. */
	store_bind_text(stmt, 19, p->nmetas ? w->tmp.ptr : NULL);
	store_bind_text(stmt, 20, p->text);
	store_bind_text(stmt, 21, p->main_text);
	st = join_links(&w->tmp, p);
	if (st < 0)
		return st;
	store_bind_text(stmt, 22, p->nlinks ? w->tmp.ptr : NULL);
	return store_step_done(w->s, stmt);
}

status page_writer_put(struct page_writer *w, const char *school_id, const struct page *p)
{
	sqlite3_stmt *del = w->stmt[SQL_PAGE_DELETE];
	status st;

	bind_run_school(w, del, school_id);
	store_bind_text(del, 3, p->requested_url);
	st = store_step_done(w->s, del);
	if (st == ST_OK)
		st = insert_page(w, school_id, p);
	return st;
}

status page_writer_site_done(struct page_writer *w, const char *school_id, bool reachable,
			     const char *reason, const char *final_host, int pages, int errors)
{
	sqlite3_stmt *stmt = w->stmt[SQL_SITE_DONE];

	sqlite3_bind_int(stmt, 1, reachable);
	store_bind_text(stmt, 2, reason);
	store_bind_text(stmt, 3, final_host);
	sqlite3_bind_int(stmt, 4, pages);
	sqlite3_bind_int(stmt, 5, errors);
	sqlite3_bind_int64(stmt, 6, w->run_id);
	store_bind_text(stmt, 7, school_id);
	return store_step_done(w->s, stmt);
}

void site_outcome_release(struct site_outcome *o)
{
	free(o->reason);
	free(o->start_url);
	free(o->final_host);
	memset(o, 0, sizeof(*o));
}

status pages_pending_sites(struct store *s, int64_t run_id, const char *after, size_t max,
			   struct strlist *out)
{
	sqlite3_stmt *stmt = NULL;
	status st;
	int r = SQLITE_DONE;

	st = store_prepare(s, &stmt,
			   "SELECT school_id, start_url FROM sites WHERE run_id = ?1"
			   " AND state = 'pending' AND (?2 IS NULL OR school_id > ?2)"
			   " ORDER BY school_id LIMIT ?3");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run_id);
	store_bind_text(stmt, 2, after);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)max);
	while (st == ST_OK && (r = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(stmt, 0);
		const char *url = (const char *)sqlite3_column_text(stmt, 1);

		st = strlist_adds(out, id ? id : "");
		if (st == ST_OK)
			st = strlist_adds(out, url ? url : "");
	}
	if (st == ST_OK && r != SQLITE_DONE)
		st = store_error(s, "cannot read the pending sites");
	sqlite3_finalize(stmt);
	return st;
}

status pages_site_outcome(struct store *s, int64_t run_id, const char *school_id,
			  struct site_outcome *out)
{
	sqlite3_stmt *stmt = NULL;
	status st;
	int r, ok = 1;

	memset(out, 0, sizeof(*out));
	st = store_prepare(s, &stmt,
			   "SELECT state = 'done', reachable, reason, start_url, final_host, pages,"
			   " errors FROM sites WHERE run_id = ? AND school_id = ?");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run_id);
	store_bind_text(stmt, 2, school_id);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW) {
		out->done = sqlite3_column_int(stmt, 0);
		out->reachable = sqlite3_column_int(stmt, 1);
		out->reason = store_column_dup(stmt, 2, &ok);
		out->start_url = store_column_dup(stmt, 3, &ok);
		out->final_host = store_column_dup(stmt, 4, &ok);
		out->pages = sqlite3_column_int(stmt, 5);
		out->errors = sqlite3_column_int(stmt, 6);
		if (!ok)
			st = status_set(ST_NOMEM, "out of memory");
	} else if (r == SQLITE_DONE) {
		st = status_set(ST_NOTFOUND, "school %s was not in crawl run %lld", school_id,
				(long long)run_id);
	} else {
		st = store_error(s, "cannot read sites");
	}
	sqlite3_finalize(stmt);
	if (st < 0)
		site_outcome_release(out);
	return st;
}

/* Parses "a<TAB>b" lines back into headings or metas. */
static status split_pairs(struct page *p, const char *s, int metas)
{
	status st = ST_OK;

	while (s && *s && st == ST_OK) {
		const char *tab = strchr(s, '\t'), *nl = strchr(s, '\n');
		char *a, *b;

		if (!nl)
			nl = s + strlen(s);
		if (!tab || tab > nl)
			break;
		a = str_ndup(s, (size_t)(tab - s));
		b = str_ndup(tab + 1, (size_t)(nl - tab - 1));
		if (!a || !b) {
			st = status_set(ST_NOMEM, "out of memory loading a page");
		} else if (metas) {
			st = page_add_meta(p, a, b);
		} else {
			long level = 1;

			if (str_to_long(a, 1, 6, &level) < 0)
				level = 1;
			st = page_add_heading(p, (int)level, b);
		}
		free(a);
		free(b);
		s = *nl ? nl + 1 : nl;
	}
	return st;
}

static int hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (c | 0x20) - 'a' + 10;
		else
			return -1;
	}
	return v;
}

/* Reads one JSON string at *s (past its opening quote) into b, leaving *s
 * after the closing quote.  Handles every JSON escape, though join_links
 * writes only \" \\ and \u00XX; false when malformed. */
static bool json_read_string(const char **s, struct buf *b)
{
	const char *p = *s;

	buf_reset(b);
	for (;;) {
		size_t n = strcspn(p, "\"\\");
		int cp;

		if (buf_add(b, p, n) < 0 || !p[n])
			return false;
		p += n;
		if (*p == '"')
			break;
		p++; /* backslash */
		switch (*p) {
		case 'b':
			cp = '\b';
			break;
		case 'f':
			cp = '\f';
			break;
		case 'n':
			cp = '\n';
			break;
		case 'r':
			cp = '\r';
			break;
		case 't':
			cp = '\t';
			break;
		case 'u':
			cp = hex4(p + 1);
			if (cp < 0)
				return false;
			p += 4;
			if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0xFFFD; /* never written: no pairing needed */
			break;
		case '\0':
			return false;
		default:
			cp = (unsigned char)*p;
			break;
		}
		p++;
		if (cp < 0x80) {
			if (buf_addc(b, (char)cp) < 0)
				return false;
		} else {
			char u[3] = {
				(char)(cp < 0x800 ? 0xC0 | (cp >> 6) : 0xE0 | (cp >> 12)),
				(char)(cp < 0x800 ? 0x80 | (cp & 0x3F) : 0x80 | ((cp >> 6) & 0x3F)),
				(char)(0x80 | (cp & 0x3F))};

			if (buf_add(b, u, cp < 0x800 ? 2 : 3) < 0)
				return false;
		}
	}
	*s = p + 1;
	return true;
}

/* Parses the links column ([["url","text"],...], as join_links writes
 * it) into the page's links. */
static status parse_links(struct page *p, const char *s)
{
	struct buf url = BUF_INIT(1 << 20), text = BUF_INIT(1 << 20);
	status st = ST_OK;

	if (!s || *s++ != '[')
		return ST_OK;
	while (st == ST_OK && *s == '[') {
		s++;
		int chrome = 0;

		bool ok = *s++ == '"' && json_read_string(&s, &url) && *s++ == ',' && *s++ == '"' &&
			  json_read_string(&s, &text);

		if (ok && s[0] == ',' && s[1] == '1') { /* a chrome link */
			chrome = 1;
			s += 2;
		}
		if (!ok || *s++ != ']') {
			st = status_set(ST_DB, "malformed links column of page %lld",
					(long long)p->id);
			break;
		}
		st = page_add_link(p, buf_str(&url), buf_str(&text));
		if (st == ST_OK)
			p->links[p->nlinks - 1].chrome = chrome;
		if (*s == ',')
			s++;
	}
	buf_release(&url);
	buf_release(&text);
	return st;
}

static status load_row(sqlite3_stmt *stmt, struct page **out)
{
	struct page *p = NULL;
	status st = page_new(&p);
	int ok = 1;

	if (st < 0)
		return st;
	p->id = sqlite3_column_int64(stmt, 0);
	p->requested_url = store_column_dup(stmt, 1, &ok);
	p->url = store_column_dup(stmt, 2, &ok);
	p->status = sqlite3_column_int(stmt, 3);
	p->depth = sqlite3_column_int(stmt, 4);
	p->content_type = store_column_dup(stmt, 5, &ok);
	p->charset = store_column_dup(stmt, 6, &ok);
	p->bytes = sqlite3_column_int64(stmt, 7);
	p->fetched_at = sqlite3_column_int64(stmt, 8);
	p->fetch_ms = sqlite3_column_int64(stmt, 9);
	p->etag = store_column_dup(stmt, 10, &ok);
	p->last_modified = store_column_dup(stmt, 11, &ok);
	p->sitemap_lastmod = store_column_dup(stmt, 12, &ok);
	p->content_hash = store_column_dup(stmt, 13, &ok);
	p->error = store_column_dup(stmt, 14, &ok);
	p->title = store_column_dup(stmt, 15, &ok);
	p->text = store_column_dup(stmt, 18, &ok);
	p->main_text = store_column_dup(stmt, 19, &ok);
	if (!ok)
		st = status_set(ST_NOMEM, "out of memory loading a page");
	if (st == ST_OK)
		st = split_pairs(p, (const char *)sqlite3_column_text(stmt, 16), 0);
	if (st == ST_OK)
		st = split_pairs(p, (const char *)sqlite3_column_text(stmt, 17), 1);
	if (st == ST_OK)
		st = parse_links(p, (const char *)sqlite3_column_text(stmt, 20));
	if (st < 0) {
		page_free(p);
		return st;
	}
	*out = p;
	return ST_OK;
}

#define PAGE_COLUMNS                                                                 \
	"SELECT id, requested_url, final_url, status, depth, content_type, charset," \
	" bytes, fetched_at, fetch_ms, etag, last_modified, sitemap_lastmod,"        \
	" content_hash, error, title, headings, metas, text, main_text, links FROM pages"

status pages_load_cached(struct store *s, int64_t run_id, const char *school_id,
			 const char *requested_url, struct page **out)
{
	sqlite3_stmt *stmt = NULL;
	status st;
	int r;

	*out = NULL;
	st = store_prepare(s, &stmt,
			   PAGE_COLUMNS " WHERE run_id = ? AND school_id = ? AND requested_url = ?"
					" AND status = 200 AND error IS NULL"
					" AND (etag IS NOT NULL OR last_modified IS NOT NULL)");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run_id);
	store_bind_text(stmt, 2, school_id);
	store_bind_text(stmt, 3, requested_url);
	r = sqlite3_step(stmt);
	if (r == SQLITE_ROW)
		st = load_row(stmt, out);
	else if (r != SQLITE_DONE)
		st = store_error(s, "cannot read a cached page");
	sqlite3_finalize(stmt);
	return st;
}

status pages_load(struct store *s, int64_t run_id, const char *school_id, struct page ***pages,
		  size_t *n)
{
	sqlite3_stmt *stmt = NULL;
	struct page **v = NULL;
	size_t cnt = 0;
	status st;
	int r = SQLITE_DONE;

	*pages = NULL;
	*n = 0;
	st = store_prepare(s, &stmt,
			   PAGE_COLUMNS " WHERE run_id = ? AND school_id = ? ORDER BY id");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run_id);
	store_bind_text(stmt, 2, school_id);
	while (st == ST_OK && (r = sqlite3_step(stmt)) == SQLITE_ROW) {
		if ((st = ARRAY_RESIZE(v, cnt + 1)) < 0)
			break;
		st = load_row(stmt, &v[cnt]);
		if (st == ST_OK)
			cnt++;
	}
	if (st == ST_OK && r != SQLITE_DONE)
		st = store_error(s, "cannot read pages");
	sqlite3_finalize(stmt);
	if (st < 0) {
		pages_free(v, cnt);
		return st;
	}
	*pages = v;
	*n = cnt;
	return ST_OK;
}

void pages_free(struct page **pages, size_t n)
{
	size_t i;

	if (!pages)
		return;
	for (i = 0; i < n; i++)
		page_free(pages[i]);
	free(pages);
}
