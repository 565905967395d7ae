#include "rules/eval.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/array.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/norm.h"
#include "core/str.h"
#include "rules/dates.h"
#include "rules/evalctx.h"
#include "rules/evalportal.h"
#include "rules/pagedate.h"
#include "core/score.h"

struct cand {
	const struct fpage *fp;
	const char *evidence;    /* original (NFC) text that matched */
	const char *link_url;    /* the document linked, for link evidence */
	const struct fpage *doc; /* the fetched document that names the item (`where: document`) */
	bool link;
	int rank;      /* on a tie of years: 2 an item page, 1 a section or document, 0 a link */
	int year;      /* first year of the label, 0 if none */
	bool calendar; /* year came from a calendar-year label */
	const char *
		year_from; /* where the year was read: label, body, document, or a post date's source */
	char date[11];     /* the post date the year was read from (year_from a date source) */
	bool section;      /* a heading or caption in the body: evidence is body[bstart, bend) */
	size_t bstart, bend;
};

/* ---- candidates ------------------------------------------------------------ */

struct cands {
	struct cand *v;
	size_t n, cap;
};

static status cands_push(struct cands *cs, const struct cand *c)
{
	status st = ARRAY_GROW(cs->v, cs->n + 1, cs->cap);

	if (st == ST_OK)
		cs->v[cs->n++] = *c;
	return st;
}

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

static bool is_pdf_url(const char *url)
{
	const char *path = evalctx_url_path(url);
	size_t n = strcspn(path, "?#");

	return n >= 4 && strncasecmp(path + n - 4, ".pdf", 4) == 0;
}

/* `format: pdf`: the page is a PDF or links one. */
static bool page_has_pdf(const struct page *p)
{
	if ((p->content_type && strcmp(p->content_type, "application/pdf") == 0) ||
	    is_pdf_url(p->url))
		return true;
	for (size_t i = 0; i < p->nlinks; i++)
		if (is_pdf_url(p->links[i].url))
			return true;
	return false;
}

/* ---- the item inside a long text (a post body, a document) ----------------- */

static bool is_word(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (unsigned char)ch >= 0x80;
}

/* Whether an exclude pattern of the rule vetoes a plain text. */
static bool excluded(const struct ctx *c, const struct rule *r, const char *plain)
{
	for (size_t i = 0; i < r->nexclude; i++)
		if ((r->exclude_levels[i] & c->levels) && !pattern_is_exact(r->exclude[i]) &&
		    pattern_match_in(r->exclude[i], c->scratch, plain, NULL, NULL, NULL))
			return true;
	return false;
}

/* Whether a plain text names an item of another rule evaluated with this
 * one (every rule of the set in eval_school; none for a single rule). */
static bool names_other_item(const struct ctx *c, const struct rule *r, const char *plain)
{
	for (size_t i = 0; i < c->nrules; i++)
		if (&c->rules[i] != r && c->rules[i].check == CHECK_MATCH &&
		    !c->rules[i].has_exact && (c->rules[i].levels & c->levels) &&
		    evalctx_matches(c, &c->rules[i], plain, NULL))
			return true;
	return false;
}

struct occ {
	size_t a, b; /* the item's name, then up to the end of its year label */
	int year;
	bool calendar;
};

#define OCC_BEFORE 60 /* bytes before a name its exclude patterns see */
#define OCC_AFTER 100 /* bytes after a name where its year may stand */

/* Copies plain[from, to) into buf (NUL-terminated, truncated to cap). */
static const char *span(const char *plain, size_t from, size_t to, char *buf, size_t cap)
{
	size_t n = to - from < cap - 1 ? to - from : cap - 1;

	memcpy(buf, plain + from, n);
	buf[n] = '\0';
	return buf;
}

/* The item named in a long plain text: each match of the rule's plain
 * patterns that no exclude pattern vetoes within its clause, with the
 * school year (or, where the rule reads one, the fiscal year) written
 * right after it ("Biểu mẫu 09. Công khai cam kết chất lượng giáo dục
 * năm học 2017-2018").  The newest such mention wins; with need_year, a
 * mention without a year does not count.  At most 64 mentions are read
 * per pattern. */
static bool text_item(struct ctx *c, const struct rule *r, const char *plain, bool need_year,
		      struct occ *out)
{
	size_t len = strlen(plain);
	bool found = false;

	for (size_t i = 0; i < r->nmatch; i++) {
		const struct pattern *pt = r->match[i];
		size_t off = 0, s0, e0;
		int guard = 0;

		if (!(r->match_levels[i] & c->levels) || pattern_is_exact(pt))
			continue;
		while (off < len && guard++ < 64 &&
		       pattern_match_in(pt, c->scratch, plain + off, NULL, &s0, &e0)) {
			size_t a = off + s0, b = off + e0, wa = a > OCC_BEFORE ? a - OCC_BEFORE : 0;
			size_t wb = b + OCC_AFTER < len ? b + OCC_AFTER : len;
			char win[OCC_BEFORE + OCC_AFTER + 512];
			struct school_year sy;
			struct occ o = {a, b, 0, false};

			off = b > a ? b : a + 1;
			if (excluded(c, r, span(plain, wa, wb, win, sizeof(win))))
				continue;
			span(plain, a, wb, win, sizeof(win));
			o.year = year_of(r, win, &o.calendar);
			if (o.year && !o.calendar && dates_find_school_year(win, &sy)) {
				char gap[OCC_AFTER + 8];

				o.b = a + sy.start + sy.len;
				/* Another item named between this one and the year:
				 * the year is the other's ("Cơ sở vật chất · Công
				 * khai tài chính năm học 2017-2018"). */
				if (sy.start > b - a &&
				    names_other_item(
					    c, r, span(plain, b, a + sy.start, gap, sizeof(gap))))
					o.year = 0;
			}
			if (need_year && !o.year)
				continue;
			if (!found || o.year > out->year) {
				*out = o;
				found = true;
			}
		}
	}
	return found;
}

/* A disclosure post or section page: its title, main heading or path
 * says "công khai" (also "biểu mẫu", "hồ sơ ... Thông tư ..."). */
static bool is_container(const struct fpage *fp)
{
	static const char *const words[] = {"cong khai", "bieu mau",     "thong tu",
					    "cong-khai", "ba-cong-khai", "3-cong-khai"};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if ((fp->tp && strstr(fp->tp, words[i])) || (fp->hp && strstr(fp->hp, words[i])) ||
		    (fp->up && strstr(fp->up, words[i])))
			return true;
	return false;
}

/* Whether the words just before a mention at byte a of a plain text make
 * it a disclosure heading: "công khai", "thông báo", "biểu mẫu NN". */
static bool heading_declares(const char *plain, size_t a)
{
	static const char *const words[] = {"cong khai", "thong bao", "bieu mau"};
	char buf[40];
	size_t from = a > 30 ? a - 30 : 0;

	span(plain, from, a + 12, buf, sizeof(buf));
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(buf, words[i]))
			return true;
	return false;
}

/* The start of the heading around a mention at byte a: back over the
 * words that lead a disclosure heading ("công khai thông tin về …") and
 * its number ("Biểu mẫu 11.", "5."), so the evidence is the whole heading. */
static size_t heading_start(const char *plain, size_t a)
{
	static const char *const leads[] = {"cong khai ", "thong tin ", "ve ",
					    "thong bao ", "dieu kien ", "cac "};
	bool moved = true;

	while (moved) {
		moved = false;
		for (size_t i = 0; i < sizeof(leads) / sizeof(leads[0]); i++) {
			size_t n = strlen(leads[i]);

			if (a >= n && memcmp(plain + a - n, leads[i], n) == 0 &&
			    (a == n || !is_word(plain[a - n - 1]))) {
				a -= n;
				moved = true;
			}
		}
	}
	/* "bieu mau 11. " / "bieu mau 11 - " / "5. " just before. */
	{
		size_t k = a;

		while (k > 0 && (plain[k - 1] == ' ' || plain[k - 1] == '.' ||
				 plain[k - 1] == '-' || plain[k - 1] == ':' || plain[k - 1] == ')'))
			k--;
		if (k < a && k > 0 && plain[k - 1] >= '0' && plain[k - 1] <= '9') {
			size_t d = k;

			while (d > 0 && plain[d - 1] >= '0' && plain[d - 1] <= '9' && k - d < 3)
				d--;
			if (d >= 9 && memcmp(plain + d - 9, "bieu mau ", 9) == 0)
				return d - 9;
			if (d == 0 || plain[d - 1] == ' ')
				return d;
		}
	}
	return a;
}

/* A notice: "thông báo" in its title, main heading or path. */
static bool is_notice(const struct fpage *fp)
{
	return (fp->tp && strstr(fp->tp, "thong bao")) || (fp->hp && strstr(fp->hp, "thong bao")) ||
	       (fp->up && strstr(fp->up, "thong-bao"));
}

/* The year next to the item in the main text of a page that names it
 * without a year in its title or heading. */
static status body_year(struct ctx *c, const struct rule *r, struct fpage *fp, struct cand *cd)
{
	const char *mp;
	struct occ o;
	status st = evalctx_main(fp, &mp);

	if (st < 0 || !mp || !text_item(c, r, mp, true, &o))
		return st;
	cd->year = o.year;
	cd->calendar = o.calendar;
	cd->year_from = "body";
	return ST_OK;
}

/* Whether the body mention [a, b) is the text of a link on the page (a
 * list of posts, an index of items): links are judged as links. */
static bool in_link_text(const struct fpage *fp, const char *plain, size_t a, size_t b)
{
	char buf[256];

	span(plain, a, b, buf, sizeof(buf));
	for (size_t i = 0; i < fp->p->nlinks; i++)
		if (fp->lp[i] && strstr(fp->lp[i], buf))
			return true;
	return false;
}

/* `where: section`: a disclosure post whose title names no item holds
 * the item as a heading or table caption with its year (a combined
 * post: "Biểu mẫu 09. Công khai cam kết chất lượng giáo dục năm học
 * 2017-2018"); the post is the evidence, the heading its text. */
static status section_candidate(struct ctx *c, const struct rule *r, struct fpage *fp,
				struct cands *cs)
{
	const char *mp;
	struct occ o;
	struct cand cd;
	status st;

	if (!(r->where & PLACE_SECTION) || fp->doc || !(is_container(fp) || is_notice(fp)))
		return ST_OK;
	/* A page the rule vetoes (a plan about disclosure, a meta-document)
	 * lists items in running text: no section of it counts. */
	if ((fp->tp && excluded(c, r, fp->tp)) || (fp->hp && excluded(c, r, fp->hp)))
		return ST_OK;
	if ((st = evalctx_main(fp, &mp)) < 0 || !mp)
		return st;
	if ((st = r->has_exact ? evalctx_links_folded(fp, &c->links)
			       : evalctx_links(fp, &c->links)) < 0)
		return st;
	/* A post (it states its post date), not a section index or a list:
	 * there the item names are links, and the year next to one is a
	 * group heading that may belong to the next links. */
	if ((st = evalctx_post(fp)) < 0 || !fp->post.source)
		return st;
	if (!text_item(c, r, mp, true, &o) || in_link_text(fp, mp, o.a, o.b))
		return ST_OK;
	/* Under a notice's generic title ("Thông báo"), the heading itself
	 * must say it discloses: "Thông báo công khai các khoản thu năm học …". */
	if (!is_container(fp) && !heading_declares(mp, o.a))
		return ST_OK;
	memset(&cd, 0, sizeof(cd));
	cd.fp = fp;
	cd.rank = 1;
	cd.year = o.year;
	cd.calendar = o.calendar;
	cd.year_from = "label";
	cd.section = true;
	cd.bstart = heading_start(mp, o.a);
	cd.bend = o.b;
	cd.evidence = fp->p->title;
	return cands_push(cs, &cd);
}

/* The original text of the body span [a, b) of a plain form: the
 * shortest prefix of the main text whose plain form reaches a (and b),
 * found by bisection, so the evidence keeps its diacritics. */
static status prefix_plain_len(const char *t, size_t k, size_t *out)
{
	char *p = NULL;
	status st = norm_fold(t, k, NULL, &p);

	*out = st == ST_OK ? strlen(p) : 0;
	free(p);
	return st;
}

static status orig_offset(const char *t, size_t target, size_t *out)
{
	size_t lo = 0, hi = strlen(t), got;
	status st;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		while (mid > lo && ((unsigned char)t[mid] & 0xC0) == 0x80)
			mid--;
		if ((st = prefix_plain_len(t, mid, &got)) < 0)
			return st;
		if (got < target) {
			lo = mid + 1;
			while (lo < hi && ((unsigned char)t[lo] & 0xC0) == 0x80)
				lo++;
		} else {
			hi = mid;
		}
	}
	*out = lo;
	return ST_OK;
}

static status section_evidence(const struct cand *cd, char **out)
{
	const char *t = cd->fp->p->main_text;
	size_t a, b;
	status st;

	*out = NULL;
	/* The character that gives plain byte bstart ends at the first prefix
	 * longer than bstart (a prefix ending in a space is trimmed). */
	if (!t || (st = orig_offset(t, cd->bstart + 1, &a)) < 0 ||
	    (st = orig_offset(t, cd->bend, &b)) < 0)
		return t ? st : ST_OK;
	if (a > 0)
		a--;
	while (a > 0 && ((unsigned char)t[a] & 0xC0) == 0x80)
		a--;
	while (a < b && t[a] == ' ')
		a++;
	if (b <= a)
		return ST_OK;
	if (b - a > 300)
		b = a + 300;
	while (b > a && ((unsigned char)t[b] & 0xC0) == 0x80)
		b--;
	if (!(*out = str_ndup(t + a, b - a)))
		return status_set(ST_NOMEM, "out of memory");
	return ST_OK;
}

static status page_candidate(struct ctx *c, const struct rule *r, struct fpage *fp,
			     struct cands *cs)
{
	struct {
		unsigned bit;
		const char *plain, *folded, *orig;
	} pl[5];
	unsigned want = r->where & PLACE_PAGE_MASK;
	bool all = true, any = false;
	struct cand cd;
	status st;

	if (!want || fp->doc)
		return ST_OK;
	if ((want & PLACE_BODY) &&
	    (st = r->has_exact ? evalctx_body_folded(fp) : evalctx_body(fp)) < 0)
		return st;
	memset(&cd, 0, sizeof(cd));
	cd.fp = fp;
	cd.rank = 2;
	/* Order matters: the main heading names the item best, then the title. */
	pl[0].bit = PLACE_H1, pl[0].plain = fp->hp, pl[0].folded = fp->hf,
	pl[0].orig = first_heading(fp->p, true);
	pl[1].bit = PLACE_TITLE, pl[1].plain = fp->tp, pl[1].folded = fp->tf,
	pl[1].orig = fp->p->title;
	pl[2].bit = PLACE_HEADINGS, pl[2].plain = fp->ap, pl[2].folded = fp->af,
	pl[2].orig = first_heading(fp->p, false);
	pl[3].bit = PLACE_URL_PATH, pl[3].plain = fp->up, pl[3].folded = fp->up,
	pl[3].orig = fp->p->url;
	pl[4].bit = PLACE_BODY, pl[4].plain = fp->bp, pl[4].folded = fp->bf,
	pl[4].orig = fp->p->title;
	for (size_t i = 0; i < 5; i++) {
		bool cal;
		int y;

		if (!(want & pl[i].bit))
			continue;
		if (!pl[i].plain || !evalctx_matches(c, r, pl[i].plain, pl[i].folded)) {
			all = false;
			continue;
		}
		any = true;
		if (!cd.evidence)
			cd.evidence = pl[i].orig;
		/* The body's years are noise (sidebars, news): labels only. */
		if (pl[i].bit != PLACE_BODY && !cd.year &&
		    (y = year_of(r, pl[i].plain, &cal)) != 0) {
			cd.year = y;
			cd.calendar = cal;
		}
	}
	if (!(r->where_any ? any : all))
		return ST_OK;
	if (cd.year)
		cd.year_from = "label";
	/* No year in the item's name: the year written next to the item in
	 * the post's own text (main text only: sidebars name other years). */
	if (!cd.year && (st = body_year(c, r, fp, &cd)) < 0)
		return st;
	/* An HTML page naming a PDF-only item without the PDF is weak
	 * evidence: without a year it can only be reviewed. */
	if (r->pdf_only && !page_has_pdf(fp->p)) {
		cd.year = 0;
		cd.calendar = false;
		cd.year_from = NULL;
	}
	return cands_push(cs, &cd);
}

/* The file name of a document URL as text: "cong-khai-co-so-vat-chat-
 * nam-hoc-2017-2018.pdf" reads "cong khai co so vat chat nam hoc
 * 2017-2018.pdf" (a '-' or '_' between digits stays, so years still read). */
static const char *slug_text(const char *url, char *buf, size_t cap)
{
	const char *path = evalctx_url_path(url), *name;
	size_t n = strcspn(path, "?#"), k = 0;

	for (name = path + n; name > path && name[-1] != '/'; name--)
		;
	for (const char *q = name; q < path + n && k + 1 < cap; q++) {
		char ch = *q;

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch + 32);
		if ((ch == '-' || ch == '_' || ch == '+') &&
		    !(q > name && q[-1] >= '0' && q[-1] <= '9' && q[1] >= '0' && q[1] <= '9'))
			ch = ' ';
		buf[k++] = ch;
	}
	buf[k] = '\0';
	return buf;
}

/* A document's heading: its first bytes of text. */
#define DOC_HEAD 300

/* What a fetched document says about the rule, once per document and rule. */
static status doc_scan(struct ctx *c, const struct rule *r, struct fpage *d)
{
	const char *body;
	struct occ o;
	status st;

	if (d->doc_rule == r)
		return ST_OK;
	d->doc_rule = r;
	d->doc_hit = false;
	d->doc_year = 0;
	d->doc_cal = false;
	if ((st = evalctx_body(d)) < 0)
		return st;
	body = d->bp;
	if (!body || !*body || !text_item(c, r, body, false, &o))
		return ST_OK;
	/* A document whose own heading is a trap (a plan about disclosure, a
	 * record of posting) names items in running text: no item of it. */
	{
		char head[DOC_HEAD + 1];

		if (excluded(c, r, span(body, 0, strlen(body), head, sizeof(head))))
			return ST_OK;
	}
	d->doc_hit = true;
	d->doc_at = o.a;
	d->doc_year = o.year;
	d->doc_cal = o.calendar;
	if (!o.year) {
		/* The document's own heading: its first school year. */
		char head[1024];

		d->doc_year =
			year_of(r, span(body, 0, strlen(body), head, sizeof(head)), &d->doc_cal);
	}
	return ST_OK;
}

/* The year of the page holding a link, from its title or main heading
 * (a generic post "Hồ sơ công khai năm học 2017-2018" dates the files it
 * links when their own names carry no year). */
static int holder_year(const struct rule *r, const struct fpage *fp, bool *cal)
{
	int y = fp->hp ? year_of(r, fp->hp, cal) : 0;

	return y ? y : fp->tp ? year_of(r, fp->tp, cal) : 0;
}

/* Whether link i of fp can speak for the rule at all: a place the rule
 * looks, a PDF where it wants one, not a broken link.  d is the fetched
 * document behind the link (NULL when none), doc whether it is one. */
static bool link_wanted(struct ctx *c, const struct rule *r, const struct fpage *fp, size_t i,
			const struct fpage *d, bool doc)
{
	const struct page_link *l = &fp->p->links[i];

	if (!(r->where & (PLACE_LINK_TEXT | PLACE_ATTACHMENT)) && !(r->where & PLACE_DOCUMENT && d))
		return false;
	if (!(r->where & PLACE_LINK_TEXT) && !doc)
		return false;
	/* `format: pdf`: a PDF by its URL, its text, or (a download URL
	 * such as /FileService/Download?id=…) the fetched file's type. */
	if (r->pdf_only && !is_pdf_url(l->url) &&
	    !(d && d->p->content_type && strcmp(d->p->content_type, "application/pdf") == 0)) {
		size_t n = strlen(fp->lp[i]);

		if (n < 4 || strcmp(fp->lp[i] + n - 4, ".pdf") != 0)
			return false;
	}
	return !link_broken(c, l->url);
}

/* Link i of fp as a candidate, when its text, its file name or the
 * document behind it names the item. */
static status link_candidate(struct ctx *c, const struct rule *r, struct fpage *fp, size_t i,
			     struct cands *cs)
{
	const struct page_link *l = &fp->p->links[i];
	struct cand cd;
	/* A document by its URL or text, or by what the crawl got there
	 * (a download URL without an extension). */
	struct fpage *d = fp->ltgt[i];
	bool doc = fp->ldoc[i] || (d && d->doc), named = false;
	char slug[512];
	status st;

	if (d && (!d->doc || !d->ok))
		d = NULL; /* the crawl did not get the document */
	if (!link_wanted(c, r, fp, i, d, doc))
		return ST_OK;
	memset(&cd, 0, sizeof(cd));
	cd.fp = fp;
	cd.link = true;
	cd.link_url = l->url;
	cd.evidence = l->text;
	/* The link's text, then (a document) its file name, then the
	 * document's own text name the item; each gives its year. */
	if ((r->where & (PLACE_LINK_TEXT | PLACE_ATTACHMENT)) &&
	    evalctx_matches(c, r, fp->lp[i], fp->lf ? fp->lf[i] : NULL)) {
		named = true;
		cd.year = year_of(r, fp->lp[i], &cd.calendar);
	}
	if (doc && (r->where & PLACE_ATTACHMENT)) {
		slug_text(l->url, slug, sizeof(slug));
		if (!named && evalctx_matches(c, r, slug, NULL))
			named = true;
		if (named && !cd.year)
			cd.year = year_of(r, slug, &cd.calendar);
	}
	if (d && (r->where & PLACE_DOCUMENT)) {
		if ((st = doc_scan(c, r, d)) < 0)
			return st;
		/* The item in the document's heading, or anywhere in a
		 * file linked from a disclosure post: a plan or report
		 * linked from the news names items in passing. */
		if (d->doc_hit && (d->doc_at < DOC_HEAD || is_container(fp))) {
			cd.doc = d;
			cd.rank = 1;
			named = true;
		}
		if (named && !cd.year && d->doc_year) {
			cd.year = d->doc_year;
			cd.calendar = d->doc_cal;
			cd.year_from = "document";
		}
	}
	if (!named)
		return ST_OK;
	if (cd.year && !cd.year_from)
		cd.year_from = "label";
	if (!cd.year && (cd.year = holder_year(r, fp, &cd.calendar)) != 0)
		cd.year_from = "label";
	if (cd.evidence && !*cd.evidence && d)
		cd.evidence = d->p->url;
	return cands_push(cs, &cd);
}

static status link_candidates(struct ctx *c, const struct rule *r, struct fpage *fp,
			      struct cands *cs)
{
	status st;

	if (!(r->where & PLACE_LINK_MASK) || fp->p->nlinks == 0 || fp->doc)
		return ST_OK;
	if ((st = r->has_exact ? evalctx_links_folded(fp, &c->links)
			       : evalctx_links(fp, &c->links)) < 0 ||
	    (st = evalctx_link_targets(c, fp)) < 0)
		return st;
	for (size_t i = 0; i < fp->p->nlinks; i++)
		if ((st = link_candidate(c, r, fp, i, cs)) < 0)
			return st;
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
			st = section_candidate(c, r, &c->fp[i], cs);
		if (st == ST_OK)
			st = link_candidates(c, r, &c->fp[i], cs);
	}
	return st;
}

/* Newest label first; on a tie an item page beats a section of a post or
 * a document, which beats a link to a file (the page is the publication,
 * the link only points at one). */
static const struct cand *best_by_year(const struct cands *cs)
{
	const struct cand *b = NULL;

	for (size_t i = 0; i < cs->n; i++) {
		const struct cand *x = &cs->v[i];

		if (!x->year)
			continue;
		if (!b || x->year > b->year || (x->year == b->year && x->rank > b->rank))
			b = x;
	}
	return b;
}

/* ---- verdicts ---------------------------------------------------------------- */

static status fill_evidence(struct finding *f, const struct cand *cd)
{
	status st = evalctx_set_str(&f->url, cd->fp->p->url);
	char *sec = NULL;

	if (st == ST_OK && cd->section && (st = section_evidence(cd, &sec)) == ST_OK && sec) {
		free(f->evidence);
		f->evidence = sec;
		return ST_OK;
	}
	if (st == ST_OK)
		st = evalctx_set_str(&f->evidence, cd->evidence);
	return st;
}

/* Records the page date the verdict rests on, with its source. */
static status fill_page_date(struct finding *f, const struct cand *cd)
{
	status st = evalctx_date((struct fpage *)cd->fp);

	if (st < 0 || !cd->fp->date.source)
		return st;
	if ((st = evalctx_set_str(&f->date, cd->fp->date.date)) < 0)
		return st;
	return evalctx_set_str(&f->date_source, cd->fp->date.source);
}

static status add_note(struct finding *f, const char *fmt, ...) PA_PRINTF(2, 3);

static status add_note(struct finding *f, const char *fmt, ...)
{
	struct buf b = BUF_INIT(4096);
	char msg[512];
	va_list ap;
	status st = ST_OK;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (f->note)
		st = buf_printf(&b, "%s; ", f->note);
	if (st == ST_OK)
		st = buf_adds(&b, msg);
	if (st == ST_OK)
		st = evalctx_set_str(&f->note, buf_str(&b));
	buf_release(&b);
	return st;
}

static int64_t days_of(const char *ymd)
{
	int y, m, d;

	if (clock_parse_date(ymd, &y, &m, &d) < 0)
		return 0;
	return clock_days_from_civil(y, m, d);
}

/* TT 09/2024 art. 15 k1 (T2): a changed item is posted within N working
 * days of the change.  Checkable when the page carries its document's
 * date (an official header "…, ngày 5 tháng 9 năm 2024") and states its
 * post date: posted later than N working days after it, the item is
 * current but late, which a person should look at (review). */
static status check_update(const struct rule *r, const struct cand *cd, struct finding *f)
{
	struct fpage *fp = (struct fpage *)cd->fp;
	struct page_date doc;
	const char *mp;
	long late;
	status st;

	if (!r->update_within || cd->link || f->verdict != VERDICT_PASS)
		return ST_OK;
	if ((st = evalctx_post(fp)) < 0 || (st = evalctx_main(fp, &mp)) < 0)
		return st;
	if (!fp->post.source || !pagedate_document(mp, &doc))
		return ST_OK;
	late = dates_working_days(days_of(doc.date), days_of(fp->post.date));
	if (late <= r->update_within)
		return ST_OK;
	f->verdict = VERDICT_REVIEW;
	return add_note(
		f,
		"posted %s (%s), %ld working days after the document dated %s: over the %d allowed",
		fp->post.date, fp->post.source, late, doc.date, r->update_within);
}

static bool year_current(const struct ctx *c, const struct rule *r, const struct cand *cd)
{
	if (cd->calendar && r->policy == FRESH_CALENDAR_YEAR) {
		/* The previous fiscal year is due by 30 June (TT 09/2024 T5);
		 * before then the one before it is still current. */
		int expected = c->asof_m > 6 ? c->asof_y - 1 : c->asof_y - 2;

		return cd->year >= expected;
	}
	/* A budget, settlement or financial report labelled by calendar year
	 * (regulations §2.4 trap 8): the latest closed year or the current
	 * one ("quyết toán năm 2017" on 2018-05-15). */
	if (cd->calendar)
		return cd->year >= c->asof_y - 1;
	return cd->year >= (r->mode == MODE_RESULTS ? c->first - 1 : c->first);
}

/* Whether a plain text names an item of any rule evaluated with this one
 * (every rule of the set in eval_school, else this rule alone). */
static bool names_any_item(const struct ctx *c, const struct rule *r, const char *plain)
{
	if (!c->rules)
		return evalctx_matches(c, r, plain, NULL);
	for (size_t i = 0; i < c->nrules; i++)
		if (c->rules[i].check == CHECK_MATCH && !c->rules[i].has_exact &&
		    evalctx_matches(c, &c->rules[i], plain, NULL))
			return true;
	return false;
}

/* A same-site URL robots.txt kept the crawler from, that looks like the
 * disclosure section or the item: by its path, or by the text of a link
 * to it. */
static bool robots_relevant(struct ctx *c, const struct rule *r, const struct fpage *bl)
{
	char slug[512];
	const char *path = bl->up ? bl->up : "";

	if (strstr(path, "cong-khai") || strstr(path, "cong khai") || strstr(path, "congkhai"))
		return true;
	if (evalctx_matches(
		    c, r,
		    slug_text(bl->p->url ? bl->p->url : bl->p->requested_url, slug, sizeof(slug)),
		    NULL))
		return true;
	for (size_t i = 0; i < c->n; i++) {
		struct fpage *fp = &c->fp[i];

		if (!fp->ok || fp->doc || evalctx_links(fp, &c->links) < 0)
			continue;
		for (size_t k = 0; k < fp->p->nlinks; k++) {
			const char *u = fp->p->links[k].url;

			if (strcmp(u, bl->p->requested_url ? bl->p->requested_url : "") != 0 &&
			    strcmp(u, bl->p->url ? bl->p->url : "") != 0)
				continue;
			if (strstr(fp->lp[k], "cong khai") ||
			    evalctx_matches(c, r, fp->lp[k], NULL))
				return true;
		}
	}
	return false;
}

/* Disclosure URLs robots.txt forbids, that look like the section or the
 * item: the finding becomes review with the first of them as evidence
 * and *blocked is set; otherwise it is left alone. */
static status judge_robots(struct ctx *c, const struct rule *r, struct finding *f, bool *blocked)
{
	struct buf b = BUF_INIT(4096);
	const char *first = NULL;
	size_t nb = 0;
	status st = ST_OK;

	*blocked = false;
	for (size_t i = 0; i < c->n; i++) {
		const struct fpage *bl = &c->fp[i];

		if (!bl->robots || !robots_relevant(c, r, bl))
			continue;
		if (!first)
			first = bl->p->requested_url ? bl->p->requested_url : bl->p->url;
		if (nb++ < 3)
			st = buf_printf(&b, "%s%s", nb > 1 ? ", " : "",
					bl->p->requested_url ? bl->p->requested_url : "");
	}
	if (st == ST_OK && first) {
		*blocked = true;
		f->verdict = VERDICT_REVIEW;
		if ((st = evalctx_set_str(&f->url, first)) == ST_OK)
			st = add_note(f, "bị chặn bởi robots.txt: %s%s", buf_str(&b),
				      nb > 3 ? ", …" : "");
	}
	buf_release(&b);
	return st;
}

/* Nothing names the item.  Before "missing", what the crawl could not
 * read: disclosure URLs robots.txt forbids (judge_robots), and scanned or
 * unreadable documents (doc:status no_text, timeout, corrupt, too_large,
 * ...) behind links that name no item, on a disclosure page that is no
 * other item's page.  Either leaves the item for a person (review), never
 * missing. */
static status judge_missing(struct ctx *c, const struct rule *r, struct finding *f)
{
	bool blocked;
	status st;

	f->verdict = VERDICT_MISSING;
	if ((st = judge_robots(c, r, f, &blocked)) < 0 || blocked)
		return st;
	for (size_t i = 0; st == ST_OK && i < c->n; i++) {
		struct fpage *fp = &c->fp[i];

		if (!fp->ok || fp->doc || !is_container(fp) ||
		    (fp->hp && names_any_item(c, r, fp->hp)) ||
		    (fp->tp && names_any_item(c, r, fp->tp)))
			continue;
		if ((st = evalctx_links(fp, &c->links)) < 0 ||
		    (st = evalctx_link_targets(c, fp)) < 0)
			return st;
		for (size_t k = 0; k < fp->p->nlinks; k++) {
			struct fpage *d = fp->ltgt[k];
			char slug[512];

			if (!d || !d->doc || !d->doc_status || strcmp(d->doc_status, "ok") == 0 ||
			    names_any_item(c, r, fp->lp[k]) ||
			    names_any_item(c, r,
					   slug_text(fp->p->links[k].url, slug, sizeof(slug))))
				continue;
			f->verdict = VERDICT_REVIEW;
			if ((st = evalctx_set_str(&f->url, fp->p->url)) == ST_OK &&
			    (st = evalctx_set_str(&f->evidence, fp->p->links[k].text)) < 0)
				return st;
			if (strcmp(d->doc_status, "no_text") == 0)
				return add_note(
					f,
					"tài liệu scan không có lớp chữ (%s) sau liên kết không nêu nội dung: cần người kiểm tra",
					d->p->url);
			/* timeout, corrupt, too_large, limit, unsupported: the file
			 * could not be read either. */
			return add_note(
				f,
				"không đọc được tài liệu (%s, %s) sau liên kết không nêu nội dung: cần người kiểm tra",
				d->p->url, d->doc_status);
		}
	}
	return st;
}

static status judge_review(const struct cands *cs, struct finding *f, const char *why)
{
	status st;

	f->verdict = VERDICT_REVIEW;
	if ((st = fill_evidence(f, &cs->v[0])) < 0 || (st = fill_page_date(f, &cs->v[0])) < 0)
		return st;
	return evalctx_set_str(&f->note, why);
}

/* No year label.  A page dated before the rule's regime took effect is a
 * disclosure under the earlier regime ("theo Thông tư 09" dated 2015 is
 * TT 09/2009, regulations §2.4 trap 2): stale.  Otherwise the evidence is
 * weak (an attachment or image without a year): review. */
static status judge_unlabelled(const struct rule *r, const struct cands *cs, struct finding *f)
{
	const struct cand *newest = NULL;
	status st;

	for (size_t i = 0; i < cs->n; i++) {
		if ((st = evalctx_date((struct fpage *)cs->v[i].fp)) < 0)
			return st;
		if (!cs->v[i].fp->date.source)
			return judge_review(
				cs, f, "item found without a year label: a person should check it");
		if (!newest || strcmp(cs->v[i].fp->date.date, newest->fp->date.date) > 0)
			newest = &cs->v[i];
	}
	if (!r->from[0] || strcmp(newest->fp->date.date, r->from) >= 0)
		return judge_review(cs, f,
				    "item found without a year label: a person should check it");
	f->verdict = VERDICT_STALE;
	if ((st = fill_evidence(f, newest)) < 0 || (st = fill_page_date(f, newest)) < 0)
		return st;
	return add_note(
		f,
		"no year label; dated %s, before %s took effect on %s: an earlier regime's disclosure",
		newest->fp->date.date, r->circular ? r->circular : "the rule", r->from);
}

/* regulations §5 rule 4, after the labels: a candidate without a year
 * takes the school year of its post date, 1 August to 31 July; a results item (mode: results) reports the
 * school year that ended before it was posted (a school year ends by 31
 * May: posted from June of Y, Y-1..Y).  The sitemap lastmod is the last
 * resort; HTTP Last-Modified changes on every edit and does not date. */
static status post_year(struct cand *cd, const struct rule *r)
{
	struct fpage *fp = (struct fpage *)cd->fp;
	struct page_date pd;
	int y, m, d;
	status st;

	/* A link without a year stays weak evidence: the post date of the
	 * page holding it says when the link was posted, not what year the
	 * file covers. */
	if (cd->year || cd->link)
		return ST_OK;
	if ((st = evalctx_post(fp)) < 0)
		return st;
	pd = fp->post;
	if (!pd.source && fp->p->sitemap_lastmod) {
		struct date_found df;

		if (dates_find_dates(fp->p->sitemap_lastmod, &df, 1)) {
			snprintf(pd.date, sizeof(pd.date), "%04d-%02d-%02d", df.y, df.m, df.d);
			pd.source = "sitemap";
		}
	}
	if (!pd.source || clock_parse_date(pd.date, &y, &m, &d) < 0)
		return ST_OK;
	if (r->mode == MODE_RESULTS)
		cd->year = m >= 6 ? y - 1 : y - 2;
	else
		cd->year = m >= 8 ? y : y - 1;
	cd->calendar = false;
	cd->year_from = pd.source;
	memcpy(cd->date, pd.date, sizeof(cd->date));
	return ST_OK;
}

static status judge_year(struct ctx *c, const struct rule *r, struct cands *cs, struct finding *f)
{
	const struct cand *b;
	char buf[64];
	status st;

	for (size_t i = 0; i < cs->n; i++)
		if ((st = post_year(&cs->v[i], r)) < 0)
			return st;
	b = best_by_year(cs);
	if (!b) {
		if (cs->n == 0)
			return judge_missing(c, r, f);
		return judge_unlabelled(r, cs, f);
	}
	f->verdict = year_current(c, r, b) ? VERDICT_PASS : VERDICT_STALE;
	if ((st = fill_evidence(f, b)) < 0)
		return st;
	if (b->calendar)
		snprintf(buf, sizeof(buf), "%d", b->year);
	else
		snprintf(buf, sizeof(buf), "%d-%d", b->year, b->year + 1);
	if ((st = evalctx_set_str(&f->period_found, buf)) < 0)
		return st;
	/* The verdict rests on a label (precedence 1 of regulations §5): its
	 * date is the start of the labelled school year (or the end of the
	 * labelled fiscal year), its source where the label stood (label:
	 * title, heading, link or file name; body; document).  Without any, on
	 * the post date. */
	if (b->date[0]) {
		st = evalctx_set_str(&f->date, b->date);
		if (st == ST_OK)
			st = evalctx_set_str(&f->date_source, b->year_from);
		if (st == ST_OK)
			st = add_note(f, "không ghi năm; ngày đăng %s (%s) thuộc năm học %d-%d%s",
				      b->date, b->year_from,
				      r->mode == MODE_RESULTS ? b->year + 1 : b->year,
				      r->mode == MODE_RESULTS ? b->year + 2 : b->year + 1,
				      r->mode == MODE_RESULTS ? ", báo cáo kết quả năm học trước đó"
							      : "");
		if (st == ST_OK && r->from[0] && strcmp(b->date, r->from) < 0)
			st = add_note(
				f,
				"no year label; dated %s, before %s took effect on %s: an earlier regime's disclosure",
				b->date, r->circular ? r->circular : "the rule", r->from);
	} else {
		if (b->calendar)
			snprintf(buf, sizeof(buf), "%04d-12-31", b->year);
		else
			snprintf(buf, sizeof(buf), "%04d-09-01", b->year);
		if ((st = evalctx_set_str(&f->date, buf)) == ST_OK)
			st = evalctx_set_str(&f->date_source,
					     b->year_from ? b->year_from : "label");
	}
	if (st == ST_OK && b->section)
		st = add_note(f, "mục trong bài đăng chung");
	if (st == ST_OK && b->doc)
		st = add_note(f, "tài liệu %s nêu nội dung này", b->doc->p->url);
	if (st == ST_OK && (st = evalctx_date((struct fpage *)b->fp)) == ST_OK) {
		if (b->link && !b->doc)
			st = add_note(f, "attachment %s", b->link_url);
		if (st == ST_OK && b->fp->date.source)
			st = add_note(f, "page dated %s (%s)", b->fp->date.date,
				      b->fp->date.source);
	}
	return st == ST_OK ? check_update(r, b, f) : st;
}

/* The newest date by which a cadence item had to be posted, as days since
 * the epoch: the monthly plan by the deadline day of the previous month,
 * the weekly menu by the deadline weekday of the previous week.  The item
 * posted after the deadline before that one is the current one. */
static int64_t cadence_window_start(const struct ctx *c, const struct rule *r)
{
	if (r->deadline_day) {
		int y = c->asof_y, m = c->asof_m;

		/* The last deadline passed: this month's (for next month's plan)
		 * once it is over, else last month's; the one before it opens the
		 * window. */
		m -= c->asof_d > r->deadline_day ? 1 : 2;
		for (; m < 1; m += 12)
			y--;
		return clock_days_from_civil(y, m, r->deadline_day);
	}
	if (r->deadline_wday) {
		/* 1970-01-01 was a Thursday (weekday 4, Monday = 1). */
		int64_t wd = ((c->asof + 3) % 7 + 7) % 7 + 1;
		int64_t back = (wd - r->deadline_wday + 7) % 7;

		if (back == 0)
			back = 7; /* the deadline of today is not over yet */
		return c->asof - back - 7;
	}
	return c->asof - r->days - 1;
}

static status judge_age(struct ctx *c, const struct rule *r, const struct cands *cs,
			struct finding *f)
{
	const struct cand *b = NULL;
	status st = ST_OK;

	for (size_t i = 0; i < cs->n; i++) {
		if ((st = evalctx_date((struct fpage *)cs->v[i].fp)) < 0)
			return st;
		if (cs->v[i].fp->date.source &&
		    (!b || strcmp(cs->v[i].fp->date.date, b->fp->date.date) > 0))
			b = &cs->v[i];
	}
	if (!b) {
		if (!cs->n)
			return judge_missing(c, r, f);
		f->verdict = VERDICT_REVIEW;
		if ((st = fill_evidence(f, &cs->v[0])) == ST_OK)
			st = evalctx_set_str(&f->note,
					     "item found but undated: a person should check it");
		return st;
	}
	f->verdict = days_of(b->fp->date.date) > cadence_window_start(c, r) ? VERDICT_PASS
									    : VERDICT_STALE;
	if ((st = fill_evidence(f, b)) == ST_OK &&
	    (st = evalctx_set_str(&f->date, b->fp->date.date)) == ST_OK)
		st = evalctx_set_str(&f->date_source, b->fp->date.source);
	return st;
}

/* The first page candidate, else the first link (the page is the
 * publication, a link only points at one). */
static const struct cand *first_cand(const struct cands *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		if (!cs->v[i].link)
			return &cs->v[i];
	return cs->n ? &cs->v[0] : NULL;
}

static status judge_match(struct ctx *c, const struct rule *r, struct finding *f)
{
	struct cands cs = {NULL, 0, 0};
	status st = collect(c, r, &cs);

	if (st < 0)
		goto out;
	switch (r->policy) {
	case FRESH_NONE:
		f->verdict = VERDICT_PASS;
		if (!cs.n) {
			st = judge_missing(c, r, f);
		} else {
			const struct cand *b = first_cand(&cs);

			if ((st = fill_evidence(f, b)) == ST_OK &&
			    (st = fill_page_date(f, b)) == ST_OK)
				st = check_update(r, b, f);
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
out:
	free(cs.v);
	return st;
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
		st = evalctx_set_str(&f->basis, buf_str(&b));
	buf_release(&b);
	return st;
}

static status eval_one(struct ctx *c, const struct rule *r, const struct school_result *s,
		       struct finding *f)
{
	status st;

	memset(f, 0, sizeof(*f));
	f->weight = r->weight;
	if ((st = evalctx_set_str(&f->item, r->id)) < 0 ||
	    (st = evalctx_set_str(&f->title, r->title)) < 0 ||
	    (st = evalctx_set_str(&f->group, r->group)) < 0 || (st = basis_text(r, f)) < 0 ||
	    (st = evalctx_set_str(&f->requirement, r->requirement)) < 0 ||
	    (st = evalctx_set_str(&f->remedy, r->remedy)) < 0)
		return st;
	if (s && !s->reachable) {
		f->verdict = VERDICT_UNREACHABLE;
		return evalctx_set_str(&f->note, s->unreachable_reason ? s->unreachable_reason
								       : "site not reachable");
	}
	switch (r->check) {
	case CHECK_REACHABLE:
		f->verdict = VERDICT_PASS;
		return evalctx_set_str(&f->url, s ? s->school.portal_url : NULL);
	case CHECK_INTEGRATED:
		return evalportal_integrated(c, s, f);
	case CHECK_POSTING_ACTIVITY:
		return evalportal_posting(c, r, f);
	case CHECK_YEARLY_SECTION: {
		/* A section robots.txt hides is not assessable: review. */
		bool blocked;

		if ((st = evalportal_section(c, r, f)) < 0 || f->verdict != VERDICT_MISSING)
			return st;
		return judge_robots(c, r, f, &blocked);
	}
	case CHECK_MATCH:
		break;
	}
	return judge_match(c, r, f);
}

/* `applies_if`: the rule concerns only sites that show one of these
 * patterns somewhere (a title, heading, link text or the main text), e.g.
 * the weekly menu only schools that serve meals (TT 09/2024 "nếu có"). */
static status site_shows(struct ctx *c, const struct rule *r, bool *yes)
{
	status st;

	*yes = r->napplies_if == 0;
	for (size_t i = 0; i < c->n && !*yes; i++) {
		struct fpage *fp = &c->fp[i];
		const char *mp;

		if (!fp->ok)
			continue;
		if ((st = evalctx_main(fp, &mp)) < 0 ||
		    (st = r->has_exact ? evalctx_links_folded(fp, &c->links)
				       : evalctx_links(fp, &c->links)) < 0 ||
		    (r->has_exact && (st = evalctx_body_folded(fp)) < 0))
			return st;
		for (size_t k = 0; k < r->napplies_if && !*yes; k++) {
			const struct pattern *pt = r->applies_if[k];

			*yes = pattern_match_in(pt, c->scratch, fp->tp, fp->tf, NULL, NULL) ||
			       pattern_match_in(pt, c->scratch, fp->ap, fp->af, NULL, NULL) ||
			       (mp && pattern_match_in(pt, c->scratch, mp, fp->bf, NULL, NULL));
			for (size_t l = 0; l < fp->p->nlinks && !*yes; l++)
				*yes = pattern_match_in(pt, c->scratch, fp->lp[l],
							fp->lf ? fp->lf[l] : NULL, NULL, NULL);
		}
	}
	return ST_OK;
}

static bool applies(const struct ctx *c, const struct rule *r, unsigned levels)
{
	if (!(r->levels & levels))
		return false;
	if (r->from[0] && strcmp(c->ref, r->from) < 0)
		return false;
	return !(r->until[0] && strcmp(c->ref, r->until) > 0);
}

static unsigned school_levels(const struct school_result *s)
{
	unsigned levels = s ? rule_levels_parse(s->school.level) : 0;

	/* Unknown level: judge on every item rather than none. */
	return levels ? levels : LEVEL_ALL;
}

status eval_rule(const struct rule *rule, const struct eval_options *o, struct page *const *pages,
		 size_t npages, const struct school_result *school, struct finding *out)
{
	struct ctx c;
	bool shows = true;
	status st = evalctx_init(&c, o, pages, npages, school_levels(school));

	memset(out, 0, sizeof(*out));
	if (st == ST_OK && (!school || school->reachable))
		st = site_shows(&c, rule, &shows);
	if (st == ST_OK && !shows)
		st = status_set(
			ST_NOTFOUND,
			"rule %s does not apply: the site shows none of its applies_if patterns",
			rule->id);
	else if (st == ST_OK)
		st = eval_one(&c, rule, school, out);
	evalctx_release(&c);
	return st;
}

status eval_school(const struct ruleset *rs, const struct eval_options *o,
		   struct page *const *pages, size_t npages, struct school_result *r)
{
	struct ctx c;
	const struct rule *rules;
	const struct rating_band *bands;
	struct score_result sc;
	size_t nrules, nbands;
	unsigned levels = school_levels(r);
	status st = evalctx_init(&c, o, pages, npages, levels);

	rules = ruleset_rules(rs, &nrules);
	c.rules = rules;
	c.nrules = nrules;
	for (size_t i = 0; st == ST_OK && i < nrules; i++) {
		struct finding f;
		bool shows = true;

		if (!applies(&c, &rules[i], levels))
			continue;
		if (r->reachable && (st = site_shows(&c, &rules[i], &shows)) < 0)
			break;
		if (!shows)
			continue; /* not applicable to this school: no finding, no weight */
		st = eval_one(&c, &rules[i], r, &f);
		if (st == ST_OK)
			st = school_result_add(r, &f);
		finding_release(&f);
	}
	evalctx_release(&c);
	if (st < 0)
		return st;
	nbands = ruleset_bands(rs, &bands);
	score_compute(r->findings, r->nfindings, ruleset_stale_credit(rs), bands, nbands, &sc);
	r->has_score = r->reachable && sc.has_score;
	r->score = r->has_score ? sc.score : 0;
	if ((st = evalctx_set_str(&r->rating, r->has_score ? sc.rating : NULL)) < 0 ||
	    (st = evalctx_set_str(&r->ruleset, ruleset_name(rs))) < 0 ||
	    (st = evalctx_set_str(&r->ruleset_version, ruleset_version(rs))) < 0 ||
	    (st = evalctx_set_str(&r->ruleset_hash, ruleset_hash(rs))) < 0 ||
	    (st = evalctx_set_str(&r->period, c.period)) < 0)
		return st;
	return evalctx_set_str(&r->as_of, c.as_of);
}
