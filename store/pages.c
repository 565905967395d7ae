#include "store/pages.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"

enum {
	SQL_SITE_PENDING,
	SQL_PAGE_DELETE,
	SQL_PAGE_INSERT,
	SQL_LINK_INSERT,
	SQL_SITE_DONE,
	SQL_SITE_RESET_LINKS,
	SQL_SITE_RESET_PAGES,
	SQL_COUNT
};

static const char *const writer_sql[SQL_COUNT] = {
	[SQL_SITE_PENDING] = "INSERT OR IGNORE INTO sites (run_id, school_id, start_url) VALUES (?,?,?)",
	[SQL_PAGE_DELETE] = "DELETE FROM pages WHERE run_id = ? AND school_id = ? AND requested_url = ?",
	[SQL_PAGE_INSERT] =
		"INSERT INTO pages (run_id, school_id, requested_url, final_url, status, depth,"
		" content_type, charset, bytes, fetched_at, fetch_ms, etag, last_modified,"
		" sitemap_lastmod, content_hash, error, title, headings, metas, text, main_text)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[SQL_LINK_INSERT] = "INSERT INTO links (page_id, ord, url, text) VALUES (?,?,?,?)",
	[SQL_SITE_DONE] = "UPDATE sites SET state = 'done', reachable = ?, reason = ?, final_host = ?,"
			  " pages = ?, errors = ? WHERE run_id = ? AND school_id = ?",
	[SQL_SITE_RESET_LINKS] = "DELETE FROM links WHERE page_id IN (SELECT id FROM pages"
				 " WHERE run_id = ? AND school_id = ?)",
	[SQL_SITE_RESET_PAGES] = "DELETE FROM pages WHERE run_id = ? AND school_id = ?",
};

struct page_writer {
	struct store *s;
	int64_t run_id;
	sqlite3_stmt *st[SQL_COUNT];
	struct buf tmp;
};

status page_writer_new(struct page_writer **out, struct store *s, int64_t run_id)
{
	struct page_writer *w = calloc(1, sizeof(*w));
	status rc = ST_OK;
	int i;

	*out = NULL;
	if (!w)
		return status_set(ST_NOMEM, "out of memory");
	w->s = s;
	w->run_id = run_id;
	buf_init(&w->tmp, (size_t)64 << 20);
	for (i = 0; i < SQL_COUNT && rc == ST_OK; i++)
		rc = store_prepare(s, &w->st[i], writer_sql[i]);
	if (rc < 0) {
		page_writer_free(w);
		return rc;
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
		sqlite3_finalize(w->st[i]);
	buf_release(&w->tmp);
	free(w);
}

static void bind_run_school(struct page_writer *w, sqlite3_stmt *st, const char *school_id)
{
	sqlite3_bind_int64(st, 1, w->run_id);
	store_bind_text(st, 2, school_id);
}

status page_writer_site_pending(struct page_writer *w, const char *school_id, const char *start_url)
{
	sqlite3_stmt *st = w->st[SQL_SITE_PENDING];

	bind_run_school(w, st, school_id);
	store_bind_text(st, 3, start_url);
	return store_step_done(w->s, st);
}

status page_writer_site_reset(struct page_writer *w, const char *school_id)
{
	status rc;

	bind_run_school(w, w->st[SQL_SITE_RESET_LINKS], school_id);
	rc = store_step_done(w->s, w->st[SQL_SITE_RESET_LINKS]);
	if (rc < 0)
		return rc;
	bind_run_school(w, w->st[SQL_SITE_RESET_PAGES], school_id);
	return store_step_done(w->s, w->st[SQL_SITE_RESET_PAGES]);
}

/* Serialises headings and metas as "a<TAB>b" lines.  The page model's text
 * is white-space collapsed, so neither field holds a tab or newline. */
static status join_pairs(struct buf *b, const struct page *p, int metas)
{
	size_t i, n = metas ? p->nmetas : p->nheadings;
	status rc = ST_OK;

	buf_reset(b);
	for (i = 0; i < n && rc == ST_OK; i++) {
		if (metas)
			rc = buf_printf(b, "%s\t%s\n", p->metas[i].name, p->metas[i].content);
		else
			rc = buf_printf(b, "%d\t%s\n", p->headings[i].level, p->headings[i].text);
	}
	return rc;
}

static status insert_page(struct page_writer *w, const char *school_id, const struct page *p)
{
	sqlite3_stmt *st = w->st[SQL_PAGE_INSERT];
	status rc;

	bind_run_school(w, st, school_id);
	store_bind_text(st, 3, p->requested_url);
	store_bind_text(st, 4, p->url);
	sqlite3_bind_int(st, 5, p->status);
	sqlite3_bind_int(st, 6, p->depth);
	store_bind_text(st, 7, p->content_type);
	store_bind_text(st, 8, p->charset);
	sqlite3_bind_int64(st, 9, p->bytes);
	sqlite3_bind_int64(st, 10, p->fetched_at);
	sqlite3_bind_int64(st, 11, p->fetch_ms);
	store_bind_text(st, 12, p->etag);
	store_bind_text(st, 13, p->last_modified);
	store_bind_text(st, 14, p->sitemap_lastmod);
	store_bind_text(st, 15, p->content_hash);
	store_bind_text(st, 16, p->error);
	store_bind_text(st, 17, p->title);
	rc = join_pairs(&w->tmp, p, 0);
	if (rc < 0)
		return rc;
	store_bind_text(st, 18, p->nheadings ? w->tmp.ptr : NULL);
	rc = join_pairs(&w->tmp, p, 1);
	if (rc < 0)
		return rc;
	/* SQLITE_TRANSIENT copies, so tmp can be reused for metas. */
	store_bind_text(st, 19, p->nmetas ? w->tmp.ptr : NULL);
	store_bind_text(st, 20, p->text);
	store_bind_text(st, 21, p->main_text);
	return store_step_done(w->s, st);
}

status page_writer_put(struct page_writer *w, const char *school_id, const struct page *p)
{
	sqlite3_stmt *del = w->st[SQL_PAGE_DELETE], *link = w->st[SQL_LINK_INSERT];
	int64_t page_id;
	status rc;
	size_t i;

	bind_run_school(w, del, school_id);
	store_bind_text(del, 3, p->requested_url);
	rc = store_step_done(w->s, del);
	if (rc == ST_OK)
		rc = insert_page(w, school_id, p);
	if (rc < 0)
		return rc;
	page_id = sqlite3_last_insert_rowid(store_db(w->s));
	for (i = 0; i < p->nlinks && rc == ST_OK; i++) {
		sqlite3_bind_int64(link, 1, page_id);
		sqlite3_bind_int64(link, 2, (sqlite3_int64)i);
		store_bind_text(link, 3, p->links[i].url);
		store_bind_text(link, 4, p->links[i].text);
		rc = store_step_done(w->s, link);
	}
	return rc;
}

status page_writer_site_done(struct page_writer *w, const char *school_id, bool reachable,
			     const char *reason, const char *final_host, int pages, int errors)
{
	sqlite3_stmt *st = w->st[SQL_SITE_DONE];

	sqlite3_bind_int(st, 1, reachable);
	store_bind_text(st, 2, reason);
	store_bind_text(st, 3, final_host);
	sqlite3_bind_int(st, 4, pages);
	sqlite3_bind_int(st, 5, errors);
	sqlite3_bind_int64(st, 6, w->run_id);
	store_bind_text(st, 7, school_id);
	return store_step_done(w->s, st);
}

void site_outcome_release(struct site_outcome *o)
{
	free(o->reason);
	free(o->start_url);
	free(o->final_host);
	memset(o, 0, sizeof(*o));
}

status pages_site_outcome(struct store *s, int64_t run_id, const char *school_id,
			  struct site_outcome *out)
{
	sqlite3_stmt *st = NULL;
	status rc;
	int r, ok = 1;

	memset(out, 0, sizeof(*out));
	rc = store_prepare(s, &st,
			   "SELECT state = 'done', reachable, reason, start_url, final_host, pages,"
			   " errors FROM sites WHERE run_id = ? AND school_id = ?");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	store_bind_text(st, 2, school_id);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		out->done = sqlite3_column_int(st, 0);
		out->reachable = sqlite3_column_int(st, 1);
		out->reason = store_column_dup(st, 2, &ok);
		out->start_url = store_column_dup(st, 3, &ok);
		out->final_host = store_column_dup(st, 4, &ok);
		out->pages = sqlite3_column_int(st, 5);
		out->errors = sqlite3_column_int(st, 6);
		if (!ok)
			rc = status_set(ST_NOMEM, "out of memory");
	} else if (r == SQLITE_DONE) {
		rc = status_set(ST_NOTFOUND, "school %s was not in crawl run %lld", school_id,
				(long long)run_id);
	} else {
		rc = store_error(s, "cannot read sites");
	}
	sqlite3_finalize(st);
	if (rc < 0)
		site_outcome_release(out);
	return rc;
}

status pages_run_schools(struct store *s, int64_t run_id, bool done_only, char ***ids, size_t *n)
{
	sqlite3_stmt *st = NULL;
	char **v = NULL;
	size_t cnt = 0;
	status rc;
	int r, ok = 1;

	*ids = NULL;
	*n = 0;
	rc = store_prepare(s, &st,
			   done_only ? "SELECT school_id FROM sites WHERE run_id = ? AND state = 'done'"
				       " ORDER BY school_id"
				     : "SELECT school_id FROM sites WHERE run_id = ? ORDER BY school_id");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char **nv = realloc(v, (cnt + 1) * sizeof(*v));

		if (!nv) {
			ok = 0;
			break;
		}
		v = nv;
		v[cnt] = store_column_dup(st, 0, &ok);
		cnt++;
		if (!ok)
			break;
	}
	if (!ok)
		rc = status_set(ST_NOMEM, "out of memory listing sites");
	else if (r != SQLITE_DONE)
		rc = store_error(s, "cannot list sites");
	sqlite3_finalize(st);
	if (rc < 0) {
		str_free_array(v, cnt);
		return rc;
	}
	*ids = v;
	*n = cnt;
	return ST_OK;
}

/* Parses "a<TAB>b" lines back into headings or metas. */
static status split_pairs(struct page *p, const char *s, int metas)
{
	status rc = ST_OK;

	while (s && *s && rc == ST_OK) {
		const char *tab = strchr(s, '\t'), *nl = strchr(s, '\n');
		char *a, *b;

		if (!nl)
			nl = s + strlen(s);
		if (!tab || tab > nl)
			break;
		a = str_ndup(s, (size_t)(tab - s));
		b = str_ndup(tab + 1, (size_t)(nl - tab - 1));
		if (!a || !b) {
			rc = status_set(ST_NOMEM, "out of memory loading a page");
		} else if (metas) {
			rc = page_add_meta(p, a, b);
		} else {
			long level = 1;

			if (str_to_long(a, 1, 6, &level) < 0)
				level = 1;
			rc = page_add_heading(p, (int)level, b);
		}
		free(a);
		free(b);
		s = *nl ? nl + 1 : nl;
	}
	return rc;
}

static status load_row(sqlite3_stmt *st, struct page **out)
{
	struct page *p = NULL;
	status rc = page_new(&p);
	int ok = 1;

	if (rc < 0)
		return rc;
	p->id = sqlite3_column_int64(st, 0);
	p->requested_url = store_column_dup(st, 1, &ok);
	p->url = store_column_dup(st, 2, &ok);
	p->status = sqlite3_column_int(st, 3);
	p->depth = sqlite3_column_int(st, 4);
	p->content_type = store_column_dup(st, 5, &ok);
	p->charset = store_column_dup(st, 6, &ok);
	p->bytes = sqlite3_column_int64(st, 7);
	p->fetched_at = sqlite3_column_int64(st, 8);
	p->fetch_ms = sqlite3_column_int64(st, 9);
	p->etag = store_column_dup(st, 10, &ok);
	p->last_modified = store_column_dup(st, 11, &ok);
	p->sitemap_lastmod = store_column_dup(st, 12, &ok);
	p->content_hash = store_column_dup(st, 13, &ok);
	p->error = store_column_dup(st, 14, &ok);
	p->title = store_column_dup(st, 15, &ok);
	p->text = store_column_dup(st, 18, &ok);
	p->main_text = store_column_dup(st, 19, &ok);
	if (!ok)
		rc = status_set(ST_NOMEM, "out of memory loading a page");
	if (rc == ST_OK)
		rc = split_pairs(p, (const char *)sqlite3_column_text(st, 16), 0);
	if (rc == ST_OK)
		rc = split_pairs(p, (const char *)sqlite3_column_text(st, 17), 1);
	if (rc < 0) {
		page_free(p);
		return rc;
	}
	*out = p;
	return ST_OK;
}

/* Attaches links to the loaded pages; both queries are ordered by page id
 * so one merge pass suffices. */
static status load_links(struct store *s, int64_t run_id, const char *school_id,
			 struct page **pages, size_t n)
{
	sqlite3_stmt *st = NULL;
	size_t i = 0;
	status rc;
	int r;

	rc = store_prepare(s, &st,
			   "SELECT l.page_id, l.url, l.text FROM links l JOIN pages p ON p.id = l.page_id"
			   " WHERE p.run_id = ? AND p.school_id = ? ORDER BY l.page_id, l.ord");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	store_bind_text(st, 2, school_id);
	while (rc == ST_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t pid = sqlite3_column_int64(st, 0);

		while (i < n && pages[i]->id < pid)
			i++;
		if (i < n && pages[i]->id == pid)
			rc = page_add_link(pages[i], (const char *)sqlite3_column_text(st, 1),
					   (const char *)sqlite3_column_text(st, 2));
	}
	if (rc == ST_OK && r != SQLITE_DONE)
		rc = store_error(s, "cannot read links");
	sqlite3_finalize(st);
	return rc;
}

#define PAGE_COLUMNS                                                                               \
	"SELECT id, requested_url, final_url, status, depth, content_type, charset,"             \
	" bytes, fetched_at, fetch_ms, etag, last_modified, sitemap_lastmod,"                   \
	" content_hash, error, title, headings, metas, text, main_text FROM pages"

status pages_load_cached(struct store *s, int64_t run_id, const char *school_id,
			 const char *requested_url, struct page **out)
{
	sqlite3_stmt *st = NULL, *lk = NULL;
	status rc;
	int r;

	*out = NULL;
	rc = store_prepare(s, &st,
			   PAGE_COLUMNS " WHERE run_id = ? AND school_id = ? AND requested_url = ?"
					" AND status = 200 AND error IS NULL"
					" AND (etag IS NOT NULL OR last_modified IS NOT NULL)");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	store_bind_text(st, 2, school_id);
	store_bind_text(st, 3, requested_url);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		rc = load_row(st, out);
	else if (r != SQLITE_DONE)
		rc = store_error(s, "cannot read a cached page");
	sqlite3_finalize(st);
	if (rc < 0 || !*out)
		return rc;
	rc = store_prepare(s, &lk, "SELECT url, text FROM links WHERE page_id = ? ORDER BY ord");
	if (rc == ST_OK) {
		sqlite3_bind_int64(lk, 1, (*out)->id);
		while (rc == ST_OK && (r = sqlite3_step(lk)) == SQLITE_ROW)
			rc = page_add_link(*out, (const char *)sqlite3_column_text(lk, 0),
					   (const char *)sqlite3_column_text(lk, 1));
		if (rc == ST_OK && r != SQLITE_DONE)
			rc = store_error(s, "cannot read links");
	}
	sqlite3_finalize(lk);
	if (rc < 0) {
		page_free(*out);
		*out = NULL;
	}
	return rc;
}

status pages_load(struct store *s, int64_t run_id, const char *school_id, struct page ***pages,
		  size_t *n)
{
	sqlite3_stmt *st = NULL;
	struct page **v = NULL;
	size_t cnt = 0;
	status rc;
	int r = SQLITE_DONE;

	*pages = NULL;
	*n = 0;
	rc = store_prepare(s, &st, PAGE_COLUMNS " WHERE run_id = ? AND school_id = ? ORDER BY id");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, run_id);
	store_bind_text(st, 2, school_id);
	while (rc == ST_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		struct page **nv = realloc(v, (cnt + 1) * sizeof(*v));

		if (!nv) {
			rc = status_set(ST_NOMEM, "out of memory loading pages");
			break;
		}
		v = nv;
		rc = load_row(st, &v[cnt]);
		if (rc == ST_OK)
			cnt++;
	}
	if (rc == ST_OK && r != SQLITE_DONE)
		rc = store_error(s, "cannot read pages");
	sqlite3_finalize(st);
	if (rc == ST_OK)
		rc = load_links(s, run_id, school_id, v, cnt);
	if (rc < 0) {
		pages_free(v, cnt);
		return rc;
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
