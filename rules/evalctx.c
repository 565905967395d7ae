#include "rules/evalctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/hash.h"
#include "core/norm.h"
#include "core/schoolyear.h"
#include "core/str.h"
#include "core/urlsplit.h"
#include "rules/dates.h"

status evalctx_set_str(char **slot, const char *s)
{
	free(*slot);
	*slot = NULL;
	if (s && !(*slot = str_dup(s)))
		return status_set(ST_NOMEM, "out of memory");
	return ST_OK;
}

static bool has_doc_ext(const char *s, size_t n)
{
	static const char *const exts[] = {".pdf",  ".doc", ".docx", ".xls", ".xlsx", ".ppt",
					   ".pptx", ".odt", ".ods",  ".zip", ".rar"};

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t k = strlen(exts[i]);

		if (n >= k && strncasecmp(s + n - k, exts[i], k) == 0)
			return true;
	}
	return false;
}

/* A link to a document: by the URL's path, or by a file name as its text
 * ("… năm học 2017-2018.pdf"). */
static bool is_document(const struct page_link *l, const char *plain_text)
{
	const char *path = evalctx_url_path(l->url);
	size_t n = strcspn(path, "?#");

	return has_doc_ext(path, n) || has_doc_ext(plain_text, strlen(plain_text));
}

/* A link whose target the crawl saw fail (a 404 attachment) is no
 * publication. */

static status fold2(const char *s, char **f, char **p)
{
	return norm_fold(s ? s : "", s ? strlen(s) : 0, f, p);
}

const char *evalctx_url_path(const char *url)
{
	struct urlsplit u;

	urlsplit(&u, url);
	if (!u.absolute)
		return u.path;
	return *u.path == '/' ? u.path : "/";
}

static status join_headings(const struct page *p, bool h1_only, char **f, char **pl)
{
	struct buf b = BUF_INIT((size_t)1 << 20);
	status st = ST_OK;

	for (size_t i = 0; st == ST_OK && i < p->nheadings; i++) {
		if (h1_only && p->headings[i].level != 1)
			continue;
		if (b.len)
			st = buf_adds(&b, " | ");
		if (st == ST_OK)
			st = buf_adds(&b, p->headings[i].text ? p->headings[i].text : "");
	}
	if (st == ST_OK)
		st = fold2(buf_str(&b), f, pl);
	buf_release(&b);
	return st;
}

/* A document rather than an HTML page: by media type, or by the
 * extractor's status meta. */
static bool page_is_doc(const struct page *p)
{
	const char *ct = p->content_type;

	if (page_meta_get(p, "doc:status"))
		return true;
	if (!ct || !*ct)
		return false;
	return strcmp(ct, "text/html") != 0 && strcmp(ct, "application/xhtml+xml") != 0 &&
	       strncmp(ct, "text/", 5) != 0;
}

static status fpage_init(struct fpage *fp, const struct page *p)
{
	status st;

	memset(fp, 0, sizeof(*fp));
	fp->p = p;
	fp->robots = p->status == 0 && p->error && strcmp(p->error, "robots") == 0;
	fp->ok = p->status == 200 && !p->error;
	fp->doc = page_is_doc(p);
	fp->doc_status = page_meta_get(p, "doc:status");
	if (!fp->ok)
		return ST_OK;
	st = fold2(p->title, &fp->tf, &fp->tp);
	if (st == ST_OK)
		st = join_headings(p, true, &fp->hf, &fp->hp);
	if (st == ST_OK)
		st = join_headings(p, false, &fp->af, &fp->ap);
	if (st == ST_OK)
		st = fold2(evalctx_url_path(p->url), NULL, &fp->up);
	return st;
}

static void fpage_release(struct fpage *fp)
{
	free(fp->tf), free(fp->tp), free(fp->hf), free(fp->hp), free(fp->af), free(fp->ap);
	free(fp->up), free(fp->bf), free(fp->bp);
	free(fp->lp);
	free(fp->ldoc);
	free(fp->ltgt);
	if (fp->links_folded)
		str_free_array(fp->lf, fp->p->nlinks);
}

status evalctx_body(struct fpage *fp)
{
	const char *t = fp->p->main_text && *fp->p->main_text ? fp->p->main_text : fp->p->text;

	if (fp->body_done)
		return ST_OK;
	fp->body_done = true;
	fp->body_is_main = t == fp->p->main_text;
	/* Plain only: folding costs a pass over the text and only exact
	 * patterns read the folded form (fpage_body_folded). */
	return norm_fold(t ? t : "", t ? strlen(t) : 0, NULL, &fp->bp);
}

status evalctx_body_folded(struct fpage *fp)
{
	const char *t = fp->p->main_text && *fp->p->main_text ? fp->p->main_text : fp->p->text;
	status st = evalctx_body(fp);

	if (st < 0 || fp->body_folded)
		return st;
	fp->body_folded = true;
	return norm_fold(t ? t : "", t ? strlen(t) : 0, &fp->bf, NULL);
}

/* The main text (plain) for dates, or NULL: without a main text the body
 * is all the page's text, sidebars included, whose dates date other posts. */
status evalctx_main(struct fpage *fp, const char **main_plain)
{
	status st = evalctx_body(fp);

	*main_plain = st == ST_OK && fp->body_is_main ? fp->bp : NULL;
	return st;
}

static status link_cache_init(struct link_cache *lc, struct page *const *pages, size_t n)
{
	size_t links = 0;

	memset(lc, 0, sizeof(*lc));
	for (size_t i = 0; i < n; i++)
		links += pages[i]->nlinks;
	for (lc->cap = 16; lc->cap < 2 * links; lc->cap *= 2)
		;
	lc->text = calloc(lc->cap, sizeof(*lc->text));
	lc->plain = calloc(lc->cap, sizeof(*lc->plain));
	if (!lc->text || !lc->plain)
		return status_set(ST_NOMEM, "out of memory");
	return ST_OK;
}

static void link_cache_release(struct link_cache *lc)
{
	for (size_t i = 0; lc->plain && i < lc->cap; i++)
		free(lc->plain[i]);
	free(lc->plain);
	free(lc->text);
	memset(lc, 0, sizeof(*lc));
}

static status link_cache_get(struct link_cache *lc, const char *text, const char **plain)
{
	size_t i = (size_t)hash_str(text) & (lc->cap - 1);
	status st;

	while (lc->text[i] && strcmp(lc->text[i], text) != 0)
		i = (i + 1) & (lc->cap - 1);
	if (!lc->text[i]) {
		if ((st = norm_fold(text, strlen(text), NULL, &lc->plain[i])) < 0)
			return st;
		lc->text[i] = text;
	}
	*plain = lc->plain[i];
	return ST_OK;
}

status evalctx_links(struct fpage *fp, struct link_cache *lc)
{
	size_t n = fp->p->nlinks;
	status st = ST_OK;

	if (fp->links_done)
		return ST_OK;
	fp->links_done = true;
	fp->lp = calloc(n + 1, sizeof(char *));
	fp->ldoc = calloc(n + 1, sizeof(bool));
	if (!fp->lp || !fp->ldoc)
		return status_set(ST_NOMEM, "out of memory");
	for (size_t i = 0; st == ST_OK && i < n; i++) {
		st = link_cache_get(lc, fp->p->links[i].text ? fp->p->links[i].text : "",
				    &fp->lp[i]);
		if (st == ST_OK)
			fp->ldoc[i] = is_document(&fp->p->links[i], fp->lp[i]);
	}
	return st;
}

status evalctx_links_folded(struct fpage *fp, struct link_cache *lc)
{
	size_t n = fp->p->nlinks;
	status st = evalctx_links(fp, lc);

	if (st < 0 || fp->links_folded)
		return st;
	fp->links_folded = true;
	if (!(fp->lf = calloc(n + 1, sizeof(char *))))
		return status_set(ST_NOMEM, "out of memory");
	for (size_t i = 0; st == ST_OK && i < n; i++) {
		const char *t = fp->p->links[i].text ? fp->p->links[i].text : "";

		st = norm_fold(t, strlen(t), &fp->lf[i], NULL);
	}
	return st;
}

/* The page's date (rules/pagedate.h precedence), computed once. */
status evalctx_date(struct fpage *fp)
{
	const char *mp;
	status st;

	if (fp->date_done)
		return ST_OK;
	fp->date_done = true;
	/* Fold the main text only when the title and metas do not date it. */
	if (pagedate_head(fp->p, fp->tp, fp->hp, &fp->date))
		return ST_OK;
	if ((st = evalctx_main(fp, &mp)) < 0)
		return st;
	pagedate_of(fp->p, fp->tp, fp->hp, mp, &fp->date);
	return ST_OK;
}

status evalctx_post(struct fpage *fp)
{
	const char *mp;
	status st;

	if (fp->post_done)
		return ST_OK;
	fp->post_done = true;
	if ((st = evalctx_main(fp, &mp)) < 0)
		return st;
	pagedate_post(fp->p, mp, &fp->post);
	return ST_OK;
}

static status uidx_init(struct ctx *c);

static void today(char out[11])
{
	clock_date((time_t)(clock_wall_ms() / 1000), out);
}

status evalctx_init(struct ctx *c, const struct eval_options *o, struct page *const *pages,
		    size_t n, unsigned levels)
{
	int y, m, d;
	status st = ST_OK;

	memset(c, 0, sizeof(*c));
	if (o && o->as_of) {
		if (clock_parse_date(o->as_of, &y, &m, &d) < 0)
			return status_set(ST_INVALID, "bad as-of date \"%s\": want YYYY-MM-DD",
					  o->as_of);
		snprintf(c->as_of, sizeof(c->as_of), "%s", o->as_of);
	}
	if (o && o->period) {
		if (schoolyear_parse(o->period, &c->first) < 0)
			return ST_INVALID;
	} else {
		if (!c->as_of[0])
			today(c->as_of);
		if (clock_parse_date(c->as_of, &y, &m, &d) < 0)
			return status_set(ST_INVALID, "bad date \"%s\"", c->as_of);
		c->first = schoolyear_first(y, m);
	}
	schoolyear_format(c->first, c->period);
	snprintf(c->ref, sizeof(c->ref), "%04d-09-01", c->first);
	if (!c->as_of[0]) {
		char end[24];

		today(c->as_of);
		snprintf(end, sizeof(end), "%04d-05-31", c->first + 1);
		if (strcmp(c->as_of, end) > 0)
			memcpy(c->as_of, end, sizeof(c->as_of));
	}
	if (clock_parse_date(c->as_of, &y, &m, &d) < 0)
		return status_set(ST_INVALID, "bad date \"%s\"", c->as_of);
	c->asof = clock_days_from_civil(y, m, d);
	c->asof_y = y;
	c->asof_m = m;
	c->asof_d = d;
	c->levels = levels ? levels : LEVEL_ALL;
	if ((st = pattern_scratch_new(&c->scratch)) < 0 ||
	    (st = link_cache_init(&c->links, pages, n)) < 0)
		return st;
	c->pages = (const struct page *const *)pages;
	c->npages = n;
	c->fp = calloc(n ? n : 1, sizeof(*c->fp));
	if (!c->fp)
		return status_set(ST_NOMEM, "out of memory");
	c->n = n;
	for (size_t i = 0; st == ST_OK && i < n; i++)
		st = fpage_init(&c->fp[i], pages[i]);
	return st == ST_OK ? uidx_init(c) : st;
}

static void uidx_put(struct ctx *c, const char *url, size_t idx)
{
	size_t i;

	if (!url)
		return;
	for (i = (size_t)hash_str(url) & (c->ucap - 1); c->uidx[i]; i = (i + 1) & (c->ucap - 1)) {
		const struct page *q = c->fp[c->uidx[i] - 1].p;

		if ((q->url && strcmp(q->url, url) == 0) ||
		    (q->requested_url && strcmp(q->requested_url, url) == 0))
			return; /* the first stored page for a URL wins */
	}
	c->uidx[i] = idx + 1;
}

static status uidx_init(struct ctx *c)
{
	for (c->ucap = 16; c->ucap < 4 * c->n; c->ucap *= 2)
		;
	if (!(c->uidx = calloc(c->ucap, sizeof(*c->uidx))))
		return status_set(ST_NOMEM, "out of memory");
	for (size_t i = 0; i < c->n; i++) {
		uidx_put(c, c->fp[i].p->url, i);
		uidx_put(c, c->fp[i].p->requested_url, i);
	}
	return ST_OK;
}

struct fpage *evalctx_page_by_url(const struct ctx *c, const char *url)
{
	if (!url || !c->uidx)
		return NULL;
	for (size_t i = (size_t)hash_str(url) & (c->ucap - 1); c->uidx[i];
	     i = (i + 1) & (c->ucap - 1)) {
		struct fpage *fp = &c->fp[c->uidx[i] - 1];

		if ((fp->p->url && strcmp(fp->p->url, url) == 0) ||
		    (fp->p->requested_url && strcmp(fp->p->requested_url, url) == 0))
			return fp;
	}
	return NULL;
}

status evalctx_link_targets(const struct ctx *c, struct fpage *fp)
{
	size_t n = fp->p->nlinks;

	if (fp->ltgt || n == 0)
		return ST_OK;
	if (!(fp->ltgt = calloc(n, sizeof(*fp->ltgt))))
		return status_set(ST_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		fp->ltgt[i] = evalctx_page_by_url(c, fp->p->links[i].url);
	return ST_OK;
}

void evalctx_release(struct ctx *c)
{
	free(c->uidx);
	c->uidx = NULL;
	for (size_t i = 0; c->fp && i < c->n; i++)
		fpage_release(&c->fp[i]);
	free(c->fp);
	c->fp = NULL;
	pattern_scratch_free(c->scratch);
	c->scratch = NULL;
	link_cache_release(&c->links);
}

bool evalctx_matches(const struct ctx *c, const struct rule *r, const char *plain,
		     const char *folded)
{
	return rule_text_matches_in(r, c->levels, c->scratch, plain, folded);
}
