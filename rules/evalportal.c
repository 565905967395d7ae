/* Portal checks (rule `check:`): integration into hcm.edu.vn, posting
 * activity, a disclosure section per school year. */
#include "rules/evalportal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/urlsplit.h"
#include "rules/dates.h"

/* Host of a URL, lower case, without port, user info or a trailing dot. */
static void url_host(const char *url, char *out, size_t cap)
{
	struct urlsplit u;
	const char *p;
	size_t n, k = 0;

	urlsplit(&u, url);
	p = u.host.ptr;
	n = u.host.len;
	for (; k < n && k + 1 < cap; k++)
		out[k] = (char)((p[k] >= 'A' && p[k] <= 'Z') ? p[k] + 32 : p[k]);
	out[k] = '\0';
	if (k > 0 && out[k - 1] == '.')
		out[k - 1] = '\0';
}

status evalportal_integrated(const struct ctx *c, const struct school_result *s, struct finding *f)
{
	const char *url = s ? s->school.portal_url : NULL;
	char host[256], note[320];
	size_t n;
	bool ok;

	if ((!url || !*url) && c->n > 0)
		url = c->fp[0].p->requested_url ? c->fp[0].p->requested_url : c->fp[0].p->url;
	url_host(url, host, sizeof(host));
	n = strlen(host);
	/* Exactly hcm.edu.vn or a label under it: "xhcm.edu.vn" is not. */
	ok = strcmp(host, "hcm.edu.vn") == 0 ||
	     (n > 11 && strcmp(host + n - 11, ".hcm.edu.vn") == 0);
	f->verdict = ok ? VERDICT_PASS : VERDICT_MISSING;
	snprintf(note, sizeof(note), "portal host %s%s", host[0] ? host : "(none)",
		 ok ? " is under hcm.edu.vn" : " is not under hcm.edu.vn");
	if (evalctx_set_str(&f->url, url) < 0 ||
	    evalctx_set_str(&f->evidence, host[0] ? host : NULL) < 0)
		return ST_NOMEM;
	return evalctx_set_str(&f->note, note);
}

/* One dated post: a link of a news list with the date written next to
 * it, or an article page with its own date. */
struct post {
	const char *url; /* borrowed from the pages */
	char date[11];
	bool listed; /* from a list (preferred over the article's own date) */
};

struct posts {
	struct post *v;
	size_t n, cap;
	int list_pages, articles;
	const char *first_list;
};

/* A link text shorter than this ("2", "Xem thêm") names no post. */
#define POST_TITLE_MIN 8
/* The date of a list entry starts at most this far after its title. */
#define POST_DATE_GAP 24

static status posts_add(struct posts *ps, const char *url, const char *date, bool listed)
{
	status st = ARRAY_GROW(ps->v, ps->n + 1, ps->cap);

	if (st < 0)
		return st;
	ps->v[ps->n].url = url;
	ps->v[ps->n].listed = listed;
	snprintf(ps->v[ps->n].date, sizeof(ps->v[ps->n].date), "%s", date);
	ps->n++;
	return ST_OK;
}

/* The first date of main[from, to) if it starts within POST_DATE_GAP. */
static bool date_after(const char *main, size_t from, size_t to, struct date_found *d)
{
	char seg[160];
	size_t n = to - from < sizeof(seg) - 1 ? to - from : sizeof(seg) - 1;

	memcpy(seg, main + from, n);
	seg[n] = '\0';
	return dates_find_dates(seg, d, 1) >= 1 && d->start <= POST_DATE_GAP;
}

/* The entries of a news list: each link (in page order) whose title is
 * found in the main text after the previous entry, with a date right
 * after the title.  A link without such a date (a menu entry whose text
 * an excerpt repeats) moves nothing, so it cannot hide the entries after
 * it.  Menus and sidebars are not main text. */
static status list_entries(struct ctx *c, struct fpage *fp, struct posts *ps, size_t *found)
{
	const char *main = NULL;
	size_t pos = 0, len, k0 = ps->n;
	const struct page *p = fp->p;
	status st;

	*found = 0;
	if ((st = evalctx_main(fp, &main)) < 0 || !main)
		return st;
	{
		struct date_found two[2];

		/* One pass first: a list has at least two dates (most pages do
		 * not, and matching every link text is costlier). */
		if (dates_find_dates(main, two, 2) < 2)
			return ST_OK;
	}
	if ((st = evalctx_links(fp, &c->links)) < 0)
		return st;
	len = strlen(main);
	for (size_t i = 0; i < p->nlinks; i++) {
		const char *hit;
		size_t end, to;
		struct date_found d;
		char ymd[sizeof(ps->v->date)];

		if (fp->ldoc[i] || strlen(fp->lp[i]) < POST_TITLE_MIN ||
		    strcmp(p->links[i].url, p->url) == 0 || !(hit = strstr(main + pos, fp->lp[i])))
			continue;
		end = (size_t)(hit - main) + strlen(fp->lp[i]);
		to = end + POST_DATE_GAP + 40 < len ? end + POST_DATE_GAP + 40 : len;
		if (!date_after(main, end, to, &d))
			continue;
		/* Unsigned remainders bound each field to its width: the
		 * date is exactly YYYY-MM-DD (a real date is in range anyway). */
		snprintf(ymd, sizeof(ymd), "%04u-%02u-%02u", (unsigned)d.y % 10000,
			 (unsigned)d.m % 100, (unsigned)d.d % 100);
		if ((st = posts_add(ps, p->links[i].url, ymd, true)) < 0)
			return st;
		pos = end + d.start + d.len;
	}
	*found = ps->n - k0;
	return ST_OK;
}

static int post_cmp(const void *a, const void *b)
{
	const struct post *x = a, *y = b;
	int d = strcmp(x->url, y->url);

	return d ? d : (int)y->listed - (int)x->listed; /* the list's date first */
}

/* Collects list entries (pages with at least two) and dated article
 * pages (a main heading, not a list). */
static status collect_posts(struct ctx *c, struct posts *ps)
{
	status st;

	for (size_t i = 0; i < c->n; i++) {
		struct fpage *fp = &c->fp[i];
		size_t k0 = ps->n, found;

		if (!fp->ok)
			continue;
		if ((st = list_entries(c, fp, ps, &found)) < 0)
			return st;
		if (found >= 2) {
			if (ps->list_pages++ == 0)
				ps->first_list = fp->p->url;
			continue;
		}
		ps->n = k0; /* one dated link is no list */
		if (!fp->hp || !*fp->hp)
			continue;
		if ((st = evalctx_date(fp)) < 0)
			return st;
		if (fp->date.source) {
			if ((st = posts_add(ps, fp->p->url, fp->date.date, false)) < 0)
				return st;
			ps->articles++;
		}
	}
	return ST_OK;
}

status evalportal_posting(struct ctx *c, const struct rule *r, struct finding *f)
{
	char lo[24], hi[24], note[400];
	int count = 0, from_list = 0, need = r->min_posts > 0 ? r->min_posts : 40;
	struct posts ps = {0};
	status st;

	snprintf(lo, sizeof(lo), "%04d-08-01", c->first);
	snprintf(hi, sizeof(hi), "%04d-07-31", c->first + 1);
	if (strcmp(c->as_of, hi) < 0)
		memcpy(hi, c->as_of, sizeof(c->as_of));
	if ((st = collect_posts(c, &ps)) < 0)
		goto done;
	if (ps.n > 1)
		qsort(ps.v, ps.n, sizeof(*ps.v), post_cmp);
	/* One post per URL, dated by a list when one lists it. */
	for (size_t i = 0; i < ps.n; i++) {
		if (i > 0 && strcmp(ps.v[i].url, ps.v[i - 1].url) == 0)
			continue;
		if (strcmp(ps.v[i].date, lo) >= 0 && strcmp(ps.v[i].date, hi) <= 0) {
			count++;
			from_list += ps.v[i].listed;
		}
	}
	if (ps.list_pages > 0)
		f->verdict = count >= need ? VERDICT_PASS
			     : count > 0   ? VERDICT_STALE
					   : VERDICT_MISSING;
	else /* no news list seen: too little to say the school posts too little */
		f->verdict = count >= need ? VERDICT_PASS : VERDICT_REVIEW;
	snprintf(note, sizeof(note),
		 "%d posts dated %s to %s (want %d): %d from %d news list page%s, %d from article "
		 "pages only%s",
		 count, lo, hi, need, from_list, ps.list_pages, ps.list_pages == 1 ? "" : "s",
		 count - from_list, ps.list_pages ? "" : "; no news list with dated posts found");
	if ((st = evalctx_set_str(&f->url, ps.first_list)) == ST_OK)
		st = evalctx_set_str(&f->note, note);
done:
	free(ps.v);
	return st;
}

status evalportal_section(struct ctx *c, const struct rule *r, struct finding *f)
{
	const struct fpage *older = NULL;
	status st;

	for (size_t i = 0; i < c->n; i++) {
		struct fpage *fp = &c->fp[i];
		struct school_year sy[16];
		size_t n;

		if (!fp->ok || !(evalctx_matches(c, r, fp->tp, fp->tf) ||
				 evalctx_matches(c, r, fp->hp, fp->hf)))
			continue;
		/* A yearly section names its school year in a heading. */
		n = dates_find_school_years(fp->ap, sy, 16);
		for (size_t k = 0; k < n && k < 16; k++)
			if (sy[k].first >= c->first) {
				char y[16];

				f->verdict = VERDICT_PASS;
				snprintf(y, sizeof(y), "%d-%d", sy[k].first, sy[k].first + 1);
				if ((st = evalctx_set_str(&f->url, fp->p->url)) < 0 ||
				    (st = evalctx_set_str(&f->period_found, y)) < 0)
					return st;
				return evalctx_set_str(&f->evidence, fp->p->title);
			}
		if (!older)
			older = fp;
	}
	if (!older) {
		f->verdict = VERDICT_MISSING;
		return ST_OK;
	}
	f->verdict = VERDICT_STALE;
	if ((st = evalctx_set_str(&f->url, older->p->url)) < 0)
		return st;
	return evalctx_set_str(&f->note,
			       "disclosure section has no part for the current school year");
}
