#include "rules/eval.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/norm.h"
#include "core/str.h"
#include "rules/dates.h"
#include "rules/evalctx.h"
#include "rules/evalportal.h"
#include "rules/pagedate.h"
#include "rules/score.h"

struct cand {
	const struct fpage *fp;
	const char *evidence;  /* original (NFC) text that matched */
	const char *link_url;  /* the document linked, for link evidence */
	bool link;
	int year;              /* first year of the label, 0 if none */
	bool calendar;         /* year came from a calendar-year label */
};

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
	if ((p->content_type && strcmp(p->content_type, "application/pdf") == 0) || is_pdf_url(p->url))
		return true;
	for (size_t i = 0; i < p->nlinks; i++)
		if (is_pdf_url(p->links[i].url))
			return true;
	return false;
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
	if ((want & PLACE_BODY) && (st = r->has_exact ? evalctx_body_folded(fp) : evalctx_body(fp)) < 0)
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
		if (!pl[i].plain || !evalctx_matches(c, r, pl[i].plain, pl[i].folded)) {
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
	/* An HTML page naming a PDF-only item without the PDF is weak
	 * evidence: without a year it can only be reviewed. */
	if (r->pdf_only && !page_has_pdf(fp->p)) {
		cd.year = 0;
		cd.calendar = false;
	}
	return cands_push(cs, &cd);
}

static status link_candidates(struct ctx *c, const struct rule *r, struct fpage *fp, struct cands *cs)
{
	status st;

	if (!(r->where & PLACE_LINK_MASK) || fp->p->nlinks == 0)
		return ST_OK;
	if ((st = r->has_exact ? evalctx_links_folded(fp, &c->links) : evalctx_links(fp, &c->links)) < 0)
		return st;
	for (size_t i = 0; i < fp->p->nlinks; i++) {
		const struct page_link *l = &fp->p->links[i];
		struct cand cd;
		bool doc = fp->ldoc[i];

		if (!(r->where & PLACE_LINK_TEXT) && !doc)
			continue;
		if (r->pdf_only && !is_pdf_url(l->url)) {
			size_t n = strlen(fp->lp[i]);

			if (n < 4 || strcmp(fp->lp[i] + n - 4, ".pdf") != 0)
				continue;
		}
		if (!evalctx_matches(c, r, fp->lp[i], fp->lf ? fp->lf[i] : NULL) || link_broken(c, l->url))
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

static status fill_evidence(struct finding *f, const struct cand *cd)
{
	status st = evalctx_set_str(&f->url, cd->fp->p->url);

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
	return add_note(f, "posted %s (%s), %ld working days after the document dated %s: over the %d allowed",
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
	if (cd->calendar)
		return cd->year >= c->first; /* fiscal year ending inside the period */
	return cd->year >= (r->mode == MODE_RESULTS ? c->first - 1 : c->first);
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
			return judge_review(cs, f, "item found without a year label: a person should check it");
		if (!newest || strcmp(cs->v[i].fp->date.date, newest->fp->date.date) > 0)
			newest = &cs->v[i];
	}
	if (!r->from[0] || strcmp(newest->fp->date.date, r->from) >= 0)
		return judge_review(cs, f, "item found without a year label: a person should check it");
	f->verdict = VERDICT_STALE;
	if ((st = fill_evidence(f, newest)) < 0 || (st = fill_page_date(f, newest)) < 0)
		return st;
	return add_note(f, "no year label; dated %s, before %s took effect on %s: an earlier regime's disclosure",
			newest->fp->date.date, r->circular ? r->circular : "the rule", r->from);
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
	/* The verdict rests on the label (precedence 1 of regulations §5):
	 * its date is the start of the labelled school year (or the end of
	 * the labelled fiscal year). */
	if (b->calendar)
		snprintf(buf, sizeof(buf), "%04d-12-31", b->year);
	else
		snprintf(buf, sizeof(buf), "%04d-09-01", b->year);
	if ((st = evalctx_set_str(&f->date, buf)) == ST_OK)
		st = evalctx_set_str(&f->date_source, "label");
	if (st == ST_OK && (st = evalctx_date((struct fpage *)b->fp)) == ST_OK) {
		if (b->link)
			st = add_note(f, "attachment %s", b->link_url);
		if (st == ST_OK && b->fp->date.source)
			st = add_note(f, "page dated %s (%s)", b->fp->date.date, b->fp->date.source);
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

static status judge_age(struct ctx *c, const struct rule *r, const struct cands *cs, struct finding *f)
{
	const struct cand *b = NULL;
	status st = ST_OK;

	for (size_t i = 0; i < cs->n; i++) {
		if ((st = evalctx_date((struct fpage *)cs->v[i].fp)) < 0)
			return st;
		if (cs->v[i].fp->date.source && (!b || strcmp(cs->v[i].fp->date.date, b->fp->date.date) > 0))
			b = &cs->v[i];
	}
	if (!b) {
		f->verdict = cs->n ? VERDICT_REVIEW : VERDICT_MISSING;
		if (cs->n && (st = fill_evidence(f, &cs->v[0])) == ST_OK)
			st = evalctx_set_str(&f->note, "item found but undated: a person should check it");
		return st;
	}
	f->verdict = days_of(b->fp->date.date) > cadence_window_start(c, r) ? VERDICT_PASS : VERDICT_STALE;
	if ((st = fill_evidence(f, b)) == ST_OK && (st = evalctx_set_str(&f->date, b->fp->date.date)) == ST_OK)
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
		goto done;
	switch (r->policy) {
	case FRESH_NONE:
		f->verdict = cs.n ? VERDICT_PASS : VERDICT_MISSING;
		if (cs.n) {
			const struct cand *b = first_cand(&cs);

			if ((st = fill_evidence(f, b)) == ST_OK && (st = fill_page_date(f, b)) == ST_OK)
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
done:
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

static status eval_one(struct ctx *c, const struct rule *r, const struct school_result *s, struct finding *f)
{
	status st;

	memset(f, 0, sizeof(*f));
	f->weight = r->weight;
	if ((st = evalctx_set_str(&f->item, r->id)) < 0 || (st = evalctx_set_str(&f->title, r->title)) < 0 ||
	    (st = evalctx_set_str(&f->group, r->group)) < 0 || (st = basis_text(r, f)) < 0)
		return st;
	if (s && !s->reachable) {
		f->verdict = VERDICT_UNREACHABLE;
		return evalctx_set_str(&f->note, s->unreachable_reason ? s->unreachable_reason : "site not reachable");
	}
	switch (r->check) {
	case CHECK_REACHABLE:
		f->verdict = VERDICT_PASS;
		return evalctx_set_str(&f->url, s ? s->school.portal_url : NULL);
	case CHECK_INTEGRATED:
		return evalportal_integrated(c, s, f);
	case CHECK_POSTING_ACTIVITY:
		return evalportal_posting(c, r, f);
	case CHECK_YEARLY_SECTION:
		return evalportal_section(c, r, f);
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
		    (st = r->has_exact ? evalctx_links_folded(fp, &c->links) : evalctx_links(fp, &c->links)) < 0 ||
		    (r->has_exact && (st = evalctx_body_folded(fp)) < 0))
			return st;
		for (size_t k = 0; k < r->napplies_if && !*yes; k++) {
			const struct pattern *pt = r->applies_if[k];

			*yes = pattern_match_in(pt, c->scratch, fp->tp, fp->tf, NULL, NULL) ||
			       pattern_match_in(pt, c->scratch, fp->ap, fp->af, NULL, NULL) ||
			       (mp && pattern_match_in(pt, c->scratch, mp, fp->bf, NULL, NULL));
			for (size_t l = 0; l < fp->p->nlinks && !*yes; l++)
				*yes = pattern_match_in(pt, c->scratch, fp->lp[l], fp->lf ? fp->lf[l] : NULL, NULL, NULL);
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
		st = status_set(ST_NOTFOUND, "rule %s does not apply: the site shows none of its applies_if patterns",
				rule->id);
	else if (st == ST_OK)
		st = eval_one(&c, rule, school, out);
	evalctx_release(&c);
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
	unsigned levels = school_levels(r);
	status st = evalctx_init(&c, o, pages, npages, levels);

	rules = ruleset_rules(rs, &nrules);
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
	    (st = evalctx_set_str(&r->ruleset_hash, ruleset_hash(rs))) < 0 || (st = evalctx_set_str(&r->period, c.period)) < 0)
		return st;
	return evalctx_set_str(&r->as_of, c.as_of);
}
