#include "rules/eval.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/norm.h"
#include "core/str.h"
#include "rules/dates.h"
#include "rules/score.h"

/* One page with its matching forms, computed once per school and reused by
 * every rule; the body and links are folded only when a rule looks there. */
struct fpage {
	const struct page *p;
	bool ok; /* a publication: fetched with status 200 */
	char *tf, *tp; /* title */
	char *hf, *hp; /* main heading(s), level 1, joined by " | " */
	char *af, *ap; /* all headings */
	char *up;      /* URL path, plain */
	char *bf, *bp; /* body (main text), lazy */
	char **lf, **lp; /* link texts, lazy */
	bool body_done, links_done, date_done;
	char date[11];
	const char *date_src;
};

struct ctx {
	int first;       /* first year of the period */
	int64_t asof;    /* days since the epoch */
	int asof_y, asof_m;
	char period[16];
	char as_of[11];
	char ref[11];    /* 1 September of the period: decides which rules apply */
	struct fpage *fp;
	size_t n;
	const struct page *const *pages;
	size_t npages;
};

struct cand {
	const struct fpage *fp;
	const char *evidence;  /* original (NFC) text that matched */
	const char *link_url;  /* the document linked, for link evidence */
	bool link;
	int year;              /* first year of the label, 0 if none */
	bool calendar;         /* year came from a calendar-year label */
};

/* ---- context and folded pages ---------------------------------------------- */

static status fold2(const char *s, char **f, char **p)
{
	return norm_fold(s ? s : "", s ? strlen(s) : 0, f, p);
}

static const char *url_path(const char *url)
{
	const char *p = url ? strstr(url, "://") : NULL;

	if (!p)
		return url ? url : "";
	p = strchr(p + 3, '/');
	return p ? p : "/";
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

static status fpage_init(struct fpage *fp, const struct page *p)
{
	status st;

	memset(fp, 0, sizeof(*fp));
	fp->p = p;
	fp->ok = p->status == 200 && !p->error;
	if (!fp->ok)
		return ST_OK;
	st = fold2(p->title, &fp->tf, &fp->tp);
	if (st == ST_OK)
		st = join_headings(p, true, &fp->hf, &fp->hp);
	if (st == ST_OK)
		st = join_headings(p, false, &fp->af, &fp->ap);
	if (st == ST_OK)
		st = fold2(url_path(p->url), NULL, &fp->up);
	return st;
}

static void fpage_release(struct fpage *fp)
{
	free(fp->tf), free(fp->tp), free(fp->hf), free(fp->hp), free(fp->af), free(fp->ap);
	free(fp->up), free(fp->bf), free(fp->bp);
	if (fp->links_done) {
		str_free_array(fp->lf, fp->p->nlinks);
		str_free_array(fp->lp, fp->p->nlinks);
	}
}

static status fpage_body(struct fpage *fp)
{
	const char *t = fp->p->main_text && *fp->p->main_text ? fp->p->main_text : fp->p->text;

	if (fp->body_done)
		return ST_OK;
	fp->body_done = true;
	return fold2(t, &fp->bf, &fp->bp);
}

static status fpage_links(struct fpage *fp)
{
	size_t n = fp->p->nlinks;
	status st = ST_OK;

	if (fp->links_done)
		return ST_OK;
	fp->links_done = true;
	fp->lf = calloc(n + 1, sizeof(char *));
	fp->lp = calloc(n + 1, sizeof(char *));
	if (!fp->lf || !fp->lp)
		return status_set(ST_NOMEM, "out of memory");
	for (size_t i = 0; st == ST_OK && i < n; i++)
		st = fold2(fp->p->links[i].text, &fp->lf[i], &fp->lp[i]);
	return st;
}

/* The page's publication date: a <time>/meta date, else the first date in
 * the main text ("Ngày đăng: 29/09/2017"), else the sitemap lastmod. */
static status fpage_date(struct fpage *fp)
{
	static const char *const metas[] = {"time", "article:published_time", "jsonld:datePublished",
					    "jsonld:dateModified"};
	struct date_found d;
	status st = ST_OK;

	if (fp->date_done)
		return ST_OK;
	fp->date_done = true;
	for (size_t i = 0; i < sizeof(metas) / sizeof(metas[0]) && !fp->date_src; i++) {
		const char *m = page_meta_get(fp->p, metas[i]);

		if (m && dates_find_dates(m, &d, 1)) {
			snprintf(fp->date, sizeof(fp->date), "%04d-%02d-%02d", d.y, d.m, d.d);
			fp->date_src = "meta";
		}
	}
	if (!fp->date_src && (st = fpage_body(fp)) == ST_OK && dates_find_dates(fp->bp, &d, 1)) {
		snprintf(fp->date, sizeof(fp->date), "%04d-%02d-%02d", d.y, d.m, d.d);
		fp->date_src = "page";
	}
	if (!fp->date_src && fp->p->sitemap_lastmod && dates_find_dates(fp->p->sitemap_lastmod, &d, 1)) {
		snprintf(fp->date, sizeof(fp->date), "%04d-%02d-%02d", d.y, d.m, d.d);
		fp->date_src = "sitemap";
	}
	return st;
}

static void today(char out[11])
{
	clock_date((time_t)(clock_wall_ms() / 1000), out);
}

static status ctx_init(struct ctx *c, const struct eval_options *o, struct page *const *pages, size_t n)
{
	int y, m, d;
	status st = ST_OK;

	memset(c, 0, sizeof(*c));
	if (o && o->as_of) {
		if (clock_parse_date(o->as_of, &y, &m, &d) < 0)
			return status_set(ST_INVALID, "bad as-of date \"%s\": want YYYY-MM-DD", o->as_of);
		snprintf(c->as_of, sizeof(c->as_of), "%s", o->as_of);
	}
	if (o && o->period) {
		if (dates_parse_period(o->period, &c->first) < 0)
			return ST_INVALID;
	} else {
		if (!c->as_of[0])
			today(c->as_of);
		if (clock_parse_date(c->as_of, &y, &m, &d) < 0)
			return status_set(ST_INVALID, "bad date \"%s\"", c->as_of);
		/* The school year turns over in August (tựu trường from 1 Aug). */
		c->first = m >= 8 ? y : y - 1;
	}
	snprintf(c->period, sizeof(c->period), "%d-%d", c->first, c->first + 1);
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
	c->pages = (const struct page *const *)pages;
	c->npages = n;
	c->fp = calloc(n ? n : 1, sizeof(*c->fp));
	if (!c->fp)
		return status_set(ST_NOMEM, "out of memory");
	c->n = n;
	for (size_t i = 0; st == ST_OK && i < n; i++)
		st = fpage_init(&c->fp[i], pages[i]);
	return st;
}

static void ctx_release(struct ctx *c)
{
	for (size_t i = 0; c->fp && i < c->n; i++)
		fpage_release(&c->fp[i]);
	free(c->fp);
	c->fp = NULL;
}

/* ---- candidates ------------------------------------------------------------ */

struct cands {
	struct cand *v;
	size_t n, cap;
};

static status cands_push(struct cands *cs, const struct cand *c)
{
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 16;
		struct cand *g = realloc(cs->v, cap * sizeof(*g));

		if (!g)
			return status_set(ST_NOMEM, "out of memory");
		cs->v = g;
		cs->cap = cap;
	}
	cs->v[cs->n++] = *c;
	return ST_OK;
}

static bool has_doc_ext(const char *s, size_t n)
{
	static const char *const exts[] = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods",
					   ".zip", ".rar"};

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
	const char *path = url_path(l->url);
	size_t n = strcspn(path, "?#");

	return has_doc_ext(path, n) || has_doc_ext(plain_text, strlen(plain_text));
}

/* A link whose target the crawl saw fail (a 404 attachment) is no
 * publication. */
static bool link_broken(const struct ctx *c, const char *url)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct page *p = c->fp[i].p;

		if (!c->fp[i].ok && ((p->url && strcmp(p->url, url) == 0) ||
				     (p->requested_url && strcmp(p->requested_url, url) == 0)))
			return true;
	}
	return false;
}

static int year_of(const struct rule *r, const char *plain, bool *calendar)
{
	struct school_year sy;
	int y;

	*calendar = false;
	if (r->policy == FRESH_CALENDAR_YEAR && dates_find_calendar_year(plain, &y)) {
		*calendar = true;
		return y;
	}
	if (dates_find_school_year(plain, &sy))
		return sy.first;
	if (r->calendar_ok && dates_find_calendar_year(plain, &y)) {
		*calendar = true;
		return y;
	}
	return 0;
}

static const char *first_heading(const struct page *p, bool h1)
{
	for (size_t i = 0; i < p->nheadings; i++)
		if (!h1 || p->headings[i].level == 1)
			return p->headings[i].text;
	return NULL;
}

static status page_candidate(struct ctx *c, const struct rule *r, struct fpage *fp, struct cands *cs)
{
	struct {
		unsigned bit;
		const char *plain, *folded, *orig;
	} pl[5];
	unsigned want = r->where & PLACE_PAGE_MASK;
	bool all = true, any = false;
	struct cand cd;
	status st;

	if (!want)
		return ST_OK;
	if ((want & PLACE_BODY) && (st = fpage_body(fp)) < 0)
		return st;
	memset(&cd, 0, sizeof(cd));
	cd.fp = fp;
	/* Order matters: the main heading names the item best, then the title. */
	pl[0].bit = PLACE_H1, pl[0].plain = fp->hp, pl[0].folded = fp->hf, pl[0].orig = first_heading(fp->p, true);
	pl[1].bit = PLACE_TITLE, pl[1].plain = fp->tp, pl[1].folded = fp->tf, pl[1].orig = fp->p->title;
	pl[2].bit = PLACE_HEADINGS, pl[2].plain = fp->ap, pl[2].folded = fp->af, pl[2].orig = first_heading(fp->p, false);
	pl[3].bit = PLACE_URL_PATH, pl[3].plain = fp->up, pl[3].folded = fp->up, pl[3].orig = fp->p->url;
	pl[4].bit = PLACE_BODY, pl[4].plain = fp->bp, pl[4].folded = fp->bf, pl[4].orig = fp->p->title;
	for (size_t i = 0; i < 5; i++) {
		bool cal;
		int y;

		if (!(want & pl[i].bit))
			continue;
		if (!pl[i].plain || !rule_text_matches(r, pl[i].plain, pl[i].folded)) {
			all = false;
			continue;
		}
		any = true;
		if (!cd.evidence)
			cd.evidence = pl[i].orig;
		/* The body's years are noise (sidebars, news): labels only. */
		if (pl[i].bit != PLACE_BODY && !cd.year && (y = year_of(r, pl[i].plain, &cal)) != 0) {
			cd.year = y;
			cd.calendar = cal;
		}
	}
	if (!(r->where_any ? any : all))
		return ST_OK;
	return cands_push(cs, &cd);
}

static status link_candidates(struct ctx *c, const struct rule *r, struct fpage *fp, struct cands *cs)
{
	status st;

	if (!(r->where & PLACE_LINK_MASK) || fp->p->nlinks == 0)
		return ST_OK;
	if ((st = fpage_links(fp)) < 0)
		return st;
	for (size_t i = 0; i < fp->p->nlinks; i++) {
		const struct page_link *l = &fp->p->links[i];
		struct cand cd;
		bool doc = is_document(l, fp->lp[i]);

		if (!(r->where & PLACE_LINK_TEXT) && !doc)
			continue;
		if (!rule_text_matches(r, fp->lp[i], fp->lf[i]) || link_broken(c, l->url))
			continue;
		memset(&cd, 0, sizeof(cd));
		cd.fp = fp;
		cd.link = true;
		cd.link_url = l->url;
		cd.evidence = l->text;
		cd.year = year_of(r, fp->lp[i], &cd.calendar);
		if ((st = cands_push(cs, &cd)) < 0)
			return st;
	}
	return ST_OK;
}

static status collect(struct ctx *c, const struct rule *r, struct cands *cs)
{
	status st = ST_OK;

	for (size_t i = 0; st == ST_OK && i < c->n; i++) {
		if (!c->fp[i].ok)
			continue;
		st = page_candidate(c, r, &c->fp[i], cs);
		if (st == ST_OK)
			st = link_candidates(c, r, &c->fp[i], cs);
	}
	return st;
}

/* Newest label first; on a tie a page beats a link to a file (the page is
 * the publication, the link only points at one). */
static const struct cand *best_by_year(const struct cands *cs)
{
	const struct cand *b = NULL;

	for (size_t i = 0; i < cs->n; i++) {
		const struct cand *x = &cs->v[i];

		if (!x->year)
			continue;
		if (!b || x->year > b->year || (x->year == b->year && b->link && !x->link))
			b = x;
	}
	return b;
}

/* ---- verdicts ---------------------------------------------------------------- */

static status set_str(char **slot, const char *s)
{
	free(*slot);
	*slot = NULL;
	if (s && !(*slot = str_dup(s)))
		return status_set(ST_NOMEM, "out of memory");
	return ST_OK;
}

static status fill_evidence(struct finding *f, const struct cand *cd)
{
	status st = set_str(&f->url, cd->fp->p->url);

	if (st == ST_OK)
		st = set_str(&f->evidence, cd->evidence);
	return st;
}

static bool year_current(const struct ctx *c, const struct rule *r, const struct cand *cd)
{
	if (cd->calendar && r->policy == FRESH_CALENDAR_YEAR) {
		/* The previous fiscal year is due by 30 June (TT 09/2024 T5);
		 * before then the one before it is still current. */
		int expected = c->asof_m > 6 ? c->asof_y - 1 : c->asof_y - 2;

		return cd->year >= expected;
	}
	if (cd->calendar)
		return cd->year >= c->first; /* fiscal year ending inside the period */
	return cd->year >= (r->mode == MODE_RESULTS ? c->first - 1 : c->first);
}

static status judge_year(struct ctx *c, const struct rule *r, const struct cands *cs, struct finding *f)
{
	const struct cand *b = best_by_year(cs);
	char buf[64];
	status st;

	if (!b) {
		if (cs->n == 0) {
			f->verdict = VERDICT_MISSING;
			return ST_OK;
		}
		f->verdict = VERDICT_REVIEW;
		st = fill_evidence(f, &cs->v[0]);
		return st == ST_OK ? set_str(&f->note, "item found without a year label: a person should check it") : st;
	}
	f->verdict = year_current(c, r, b) ? VERDICT_PASS : VERDICT_STALE;
	if ((st = fill_evidence(f, b)) < 0)
		return st;
	if (b->calendar)
		snprintf(buf, sizeof(buf), "%d", b->year);
	else
		snprintf(buf, sizeof(buf), "%d-%d", b->year, b->year + 1);
	if ((st = set_str(&f->period_found, buf)) < 0)
		return st;
	/* The verdict rests on the label: its date is the start of the
	 * labelled school year (or the end of the labelled fiscal year). */
	if (b->calendar)
		snprintf(buf, sizeof(buf), "%04d-12-31", b->year);
	else
		snprintf(buf, sizeof(buf), "%04d-09-01", b->year);
	if ((st = set_str(&f->date, buf)) == ST_OK)
		st = set_str(&f->date_source, "label");
	if (st == ST_OK && (st = fpage_date((struct fpage *)b->fp)) == ST_OK) {
		struct buf nb = BUF_INIT(1024);

		if (b->link)
			st = buf_printf(&nb, "attachment %s; ", b->link_url);
		if (st == ST_OK && b->fp->date_src)
			st = buf_printf(&nb, "page dated %s (%s)", b->fp->date, b->fp->date_src);
		if (st == ST_OK && nb.len)
			st = set_str(&f->note, buf_str(&nb));
		buf_release(&nb);
	}
	return st;
}

static status judge_age(struct ctx *c, const struct rule *r, const struct cands *cs, struct finding *f)
{
	const struct cand *b = NULL;
	status st;

	for (size_t i = 0; i < cs->n; i++) {
		if ((st = fpage_date((struct fpage *)cs->v[i].fp)) < 0)
			return st;
		if (cs->v[i].fp->date_src && (!b || strcmp(cs->v[i].fp->date, b->fp->date) > 0))
			b = &cs->v[i];
	}
	if (!b) {
		f->verdict = cs->n ? VERDICT_REVIEW : VERDICT_MISSING;
		if (cs->n && (st = fill_evidence(f, &cs->v[0])) == ST_OK)
			st = set_str(&f->note, "item found but undated: a person should check it");
		return cs->n ? st : ST_OK;
	}
	{
		int y, m, d;
		int64_t age;

		if (clock_parse_date(b->fp->date, &y, &m, &d) < 0)
			return status_set(ST_INVALID, "bad page date %s", b->fp->date);
		age = c->asof - clock_days_from_civil(y, m, d);
		f->verdict = age <= r->days ? VERDICT_PASS : VERDICT_STALE;
	}
	if ((st = fill_evidence(f, b)) == ST_OK && (st = set_str(&f->date, b->fp->date)) == ST_OK)
		st = set_str(&f->date_source, b->fp->date_src);
	return st;
}

static status judge_match(struct ctx *c, const struct rule *r, struct finding *f)
{
	struct cands cs = {NULL, 0, 0};
	status st = collect(c, r, &cs);

	if (st < 0)
		goto done;
	switch (r->policy) {
	case FRESH_NONE:
		f->verdict = cs.n ? VERDICT_PASS : VERDICT_MISSING;
		if (cs.n) {
			const struct cand *b = &cs.v[0];

			for (size_t i = 0; i < cs.n && b->link; i++)
				b = &cs.v[i];
			st = fill_evidence(f, b);
		}
		break;
	case FRESH_SCHOOL_YEAR:
	case FRESH_CALENDAR_YEAR:
		st = judge_year(c, r, &cs, f);
		break;
	case FRESH_MAX_AGE:
	case FRESH_CADENCE:
		st = judge_age(c, r, &cs, f);
		break;
	}
done:
	free(cs.v);
	return st;
}

/* ---- portal checks ------------------------------------------------------------- */

/* Host of a URL, lower case, without port, user info or a trailing dot. */
static void url_host(const char *url, char *out, size_t cap)
{
	const char *p = url ? strstr(url, "://") : NULL, *e, *at;
	size_t n, k = 0;

	out[0] = '\0';
	if (!p)
		return;
	p += 3;
	e = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(e - p));
	if (at)
		p = at + 1;
	n = strcspn(p, ":/?#");
	if (n > (size_t)(e - p))
		n = (size_t)(e - p);
	for (; k < n && k + 1 < cap; k++)
		out[k] = (char)((p[k] >= 'A' && p[k] <= 'Z') ? p[k] + 32 : p[k]);
	out[k] = '\0';
	if (k > 0 && out[k - 1] == '.')
		out[k - 1] = '\0';
}

static status judge_integrated(const struct ctx *c, const struct school_result *s, struct finding *f)
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
	ok = strcmp(host, "hcm.edu.vn") == 0 || (n > 11 && strcmp(host + n - 11, ".hcm.edu.vn") == 0);
	f->verdict = ok ? VERDICT_PASS : VERDICT_MISSING;
	snprintf(note, sizeof(note), "portal host %s%s", host[0] ? host : "(none)",
		 ok ? " is under hcm.edu.vn" : " is not under hcm.edu.vn");
	if (set_str(&f->url, url) < 0 || set_str(&f->evidence, host[0] ? host : NULL) < 0)
		return ST_NOMEM;
	return set_str(&f->note, note);
}

static status judge_posting(struct ctx *c, const struct rule *r, struct finding *f)
{
	char lo[24], hi[24], note[160];
	int count = 0, need = r->min_posts > 0 ? r->min_posts : 40;
	status st;

	snprintf(lo, sizeof(lo), "%04d-08-01", c->first);
	snprintf(hi, sizeof(hi), "%04d-07-31", c->first + 1);
	if (strcmp(c->as_of, hi) < 0)
		memcpy(hi, c->as_of, sizeof(c->as_of));
	for (size_t i = 0; i < c->n; i++) {
		struct fpage *fp = &c->fp[i];

		if (!fp->ok || !fp->hp || !*fp->hp)
			continue; /* a post has a main heading; list pages share dates with posts */
		if ((st = fpage_date(fp)) < 0)
			return st;
		if (fp->date_src && strcmp(fp->date, lo) >= 0 && strcmp(fp->date, hi) <= 0)
			count++;
	}
	f->verdict = count >= need ? VERDICT_PASS : count > 0 ? VERDICT_STALE : VERDICT_MISSING;
	snprintf(note, sizeof(note), "%d dated posts between %s and %s (want %d)", count, lo, hi, need);
	return set_str(&f->note, note);
}

static status judge_section(struct ctx *c, const struct rule *r, struct finding *f)
{
	const struct fpage *older = NULL;
	status st;

	for (size_t i = 0; i < c->n; i++) {
		struct fpage *fp = &c->fp[i];
		struct school_year sy[16];
		size_t n;

		if (!fp->ok || !(rule_text_matches(r, fp->tp, fp->tf) || rule_text_matches(r, fp->hp, fp->hf)))
			continue;
		/* A yearly section names its school year in a heading. */
		n = dates_find_school_years(fp->ap, sy, 16);
		for (size_t k = 0; k < n && k < 16; k++)
			if (sy[k].first >= c->first) {
				char y[16];

				f->verdict = VERDICT_PASS;
				snprintf(y, sizeof(y), "%d-%d", sy[k].first, sy[k].first + 1);
				if ((st = set_str(&f->url, fp->p->url)) < 0 || (st = set_str(&f->period_found, y)) < 0)
					return st;
				return set_str(&f->evidence, fp->p->title);
			}
		if (!older)
			older = fp;
	}
	if (!older) {
		f->verdict = VERDICT_MISSING;
		return ST_OK;
	}
	f->verdict = VERDICT_STALE;
	if ((st = set_str(&f->url, older->p->url)) < 0)
		return st;
	return set_str(&f->note, "disclosure section has no part for the current school year");
}

/* ---- one rule, one school ------------------------------------------------------ */

static status basis_text(const struct rule *r, struct finding *f)
{
	struct buf b = BUF_INIT(512);
	status st = ST_OK;

	if (r->circular)
		st = buf_adds(&b, r->circular);
	if (st == ST_OK && r->article)
		st = buf_printf(&b, "%sđiều %s", b.len ? ", " : "", r->article);
	if (st == ST_OK && r->clause)
		st = buf_printf(&b, "%skhoản %s", b.len ? ", " : "", r->clause);
	if (st == ST_OK && b.len)
		st = set_str(&f->basis, buf_str(&b));
	buf_release(&b);
	return st;
}

static status eval_one(struct ctx *c, const struct rule *r, const struct school_result *s, struct finding *f)
{
	status st;

	memset(f, 0, sizeof(*f));
	f->weight = r->weight;
	if ((st = set_str(&f->item, r->id)) < 0 || (st = set_str(&f->title, r->title)) < 0 ||
	    (st = set_str(&f->group, r->group)) < 0 || (st = basis_text(r, f)) < 0)
		return st;
	if (s && !s->reachable) {
		f->verdict = VERDICT_UNREACHABLE;
		return set_str(&f->note, s->unreachable_reason ? s->unreachable_reason : "site not reachable");
	}
	switch (r->check) {
	case CHECK_REACHABLE:
		f->verdict = VERDICT_PASS;
		return set_str(&f->url, s ? s->school.portal_url : NULL);
	case CHECK_INTEGRATED:
		return judge_integrated(c, s, f);
	case CHECK_POSTING_ACTIVITY:
		return judge_posting(c, r, f);
	case CHECK_YEARLY_SECTION:
		return judge_section(c, r, f);
	case CHECK_MATCH:
		break;
	}
	return judge_match(c, r, f);
}

static bool applies(const struct ctx *c, const struct rule *r, unsigned levels)
{
	if (!(r->levels & levels))
		return false;
	if (r->from[0] && strcmp(c->ref, r->from) < 0)
		return false;
	return !(r->until[0] && strcmp(c->ref, r->until) > 0);
}

status eval_rule(const struct rule *rule, const struct eval_options *o, struct page *const *pages,
		 size_t npages, const struct school_result *school, struct finding *out)
{
	struct ctx c;
	status st = ctx_init(&c, o, pages, npages);

	memset(out, 0, sizeof(*out));
	if (st == ST_OK)
		st = eval_one(&c, rule, school, out);
	ctx_release(&c);
	return st;
}

status eval_school(const struct ruleset *rs, const struct eval_options *o, struct page *const *pages,
		   size_t npages, struct school_result *r)
{
	struct ctx c;
	const struct rule *rules;
	const struct rating_band *bands;
	struct score_result sc;
	size_t nrules, nbands;
	unsigned levels = rule_levels_parse(r->school.level);
	status st = ctx_init(&c, o, pages, npages);

	if (!levels)
		levels = LEVEL_ALL; /* unknown level: judge on every item rather than none */
	rules = ruleset_rules(rs, &nrules);
	for (size_t i = 0; st == ST_OK && i < nrules; i++) {
		struct finding f;

		if (!applies(&c, &rules[i], levels))
			continue;
		st = eval_one(&c, &rules[i], r, &f);
		if (st == ST_OK)
			st = school_result_add(r, &f);
		finding_release(&f);
	}
	ctx_release(&c);
	if (st < 0)
		return st;
	nbands = ruleset_bands(rs, &bands);
	score_compute(r->findings, r->nfindings, ruleset_stale_credit(rs), bands, nbands, &sc);
	r->has_score = r->reachable && sc.has_score;
	r->score = r->has_score ? sc.score : 0;
	if ((st = set_str(&r->rating, r->has_score ? sc.rating : NULL)) < 0 ||
	    (st = set_str(&r->ruleset, ruleset_name(rs))) < 0 ||
	    (st = set_str(&r->ruleset_version, ruleset_version(rs))) < 0 ||
	    (st = set_str(&r->ruleset_hash, ruleset_hash(rs))) < 0 || (st = set_str(&r->period, c.period)) < 0)
		return st;
	return set_str(&r->as_of, c.as_of);
}
