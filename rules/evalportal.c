/* Portal checks (rule `check:`): integration into hcm.edu.vn, posting
 * activity, a disclosure section per school year. */
#include "rules/evalportal.h"

#include <stdio.h>
#include <string.h>

#include "rules/dates.h"


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
	ok = strcmp(host, "hcm.edu.vn") == 0 || (n > 11 && strcmp(host + n - 11, ".hcm.edu.vn") == 0);
	f->verdict = ok ? VERDICT_PASS : VERDICT_MISSING;
	snprintf(note, sizeof(note), "portal host %s%s", host[0] ? host : "(none)",
		 ok ? " is under hcm.edu.vn" : " is not under hcm.edu.vn");
	if (evalctx_set_str(&f->url, url) < 0 || evalctx_set_str(&f->evidence, host[0] ? host : NULL) < 0)
		return ST_NOMEM;
	return evalctx_set_str(&f->note, note);
}

status evalportal_posting(struct ctx *c, const struct rule *r, struct finding *f)
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
		if ((st = evalctx_date(fp)) < 0)
			return st;
		if (fp->date.source && strcmp(fp->date.date, lo) >= 0 && strcmp(fp->date.date, hi) <= 0)
			count++;
	}
	f->verdict = count >= need ? VERDICT_PASS : count > 0 ? VERDICT_STALE : VERDICT_MISSING;
	snprintf(note, sizeof(note), "%d dated posts between %s and %s (want %d)", count, lo, hi, need);
	return evalctx_set_str(&f->note, note);
}

status evalportal_section(struct ctx *c, const struct rule *r, struct finding *f)
{
	const struct fpage *older = NULL;
	status st;

	for (size_t i = 0; i < c->n; i++) {
		struct fpage *fp = &c->fp[i];
		struct school_year sy[16];
		size_t n;

		if (!fp->ok || !(evalctx_matches(c, r, fp->tp, fp->tf) || evalctx_matches(c, r, fp->hp, fp->hf)))
			continue;
		/* A yearly section names its school year in a heading. */
		n = dates_find_school_years(fp->ap, sy, 16);
		for (size_t k = 0; k < n && k < 16; k++)
			if (sy[k].first >= c->first) {
				char y[16];

				f->verdict = VERDICT_PASS;
				snprintf(y, sizeof(y), "%d-%d", sy[k].first, sy[k].first + 1);
				if ((st = evalctx_set_str(&f->url, fp->p->url)) < 0 || (st = evalctx_set_str(&f->period_found, y)) < 0)
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
	return evalctx_set_str(&f->note, "disclosure section has no part for the current school year");
}

