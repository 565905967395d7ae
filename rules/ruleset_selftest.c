/* ruleset_selftest: the examples embedded in rule files, run as tests.
 * Kept apart from the loader because it needs the evaluator. */
#include <stdlib.h>
#include <string.h>

#include "core/norm.h"
#include "core/page.h"
#include "rules/eval.h"
#include "rules/ruleset.h"

static const char *expect_str(enum example_expect e)
{
	static const char *const names[] = {"match",   "no_match", "pass",          "stale",
					    "missing", "review",   "not_applicable"};

	return names[e];
}

static status text_example(const struct rule *r, const struct rule_example *e, const char **got)
{
	char *f = NULL, *p = NULL;
	status st = norm_fold(e->text, strlen(e->text), &f, &p);

	if (st == ST_OK) {
		unsigned levels = e->level ? rule_levels_parse(e->level) : LEVEL_ALL;

		*got = (r->where & e->where) && rule_text_matches_in(r, levels, NULL, p, f)
			       ? "match"
			       : "no_match";
	}
	free(f);
	free(p);
	return st;
}

static status build_page(const struct rule_example *e, struct page **out)
{
	struct page *pg = NULL;
	const char *url = e->url ? e->url : "http://school.example/cong-khai/example.html";
	status st = page_new(&pg);

	if (st < 0)
		return st;
	pg->status = 200;
	if ((st = page_set(&pg->url, url)) == ST_OK &&
	    (st = page_set(&pg->requested_url, url)) == ST_OK &&
	    (st = page_set(&pg->title, e->title ? e->title : "")) == ST_OK &&
	    (st = page_set(&pg->text, e->body ? e->body : "")) == ST_OK)
		st = page_set(&pg->main_text, e->body ? e->body : "");
	if (st == ST_OK && e->h1)
		st = page_add_heading(pg, 1, e->h1);
	for (size_t i = 0; st == ST_OK && i < e->nlinks; i++)
		st = page_add_link(pg, e->links[i].url, e->links[i].text);
	if (st < 0) {
		page_free(pg);
		return st;
	}
	*out = pg;
	return ST_OK;
}

/* The first school year whose 1 September falls in the rule's effective
 * range, so an example of a 2024 rule is judged in 2024-2025. */
static const char *default_period(const struct rule *r, char out[16])
{
	int y = 2017;

	if (r->from[0]) {
		y = (r->from[0] - '0') * 1000 + (r->from[1] - '0') * 100 + (r->from[2] - '0') * 10 +
		    (r->from[3] - '0');
		if (strcmp(r->from + 5, "09-01") > 0)
			y++;
	}
	snprintf(out, 16, "%04d-%04d", y % 10000, (y + 1) % 10000);
	return out;
}

/* A fetched document for an example link that gives `doc:` or
 * `doc_status:` (a PDF whose extracted text, or lack of it, the rule reads). */
static status build_doc(const struct rule_example_link *l, struct page **out)
{
	struct page *d = NULL;
	status st = page_new(&d);

	if (st < 0)
		return st;
	d->status = 200;
	if ((st = page_set(&d->url, l->url)) == ST_OK &&
	    (st = page_set(&d->requested_url, l->url)) == ST_OK &&
	    (st = page_set(&d->content_type, "application/pdf")) == ST_OK &&
	    (st = page_set(&d->text, l->doc ? l->doc : "")) == ST_OK &&
	    (st = page_set(&d->main_text, l->doc ? l->doc : "")) == ST_OK)
		st = page_add_meta(d, "doc:status",
				   l->doc_status       ? l->doc_status
				   : l->doc && *l->doc ? "ok"
						       : "no_text");
	if (st < 0) {
		page_free(d);
		return st;
	}
	*out = d;
	return ST_OK;
}

static status page_example(const struct rule *r, const struct rule_example *e, const char **got)
{
	char period[16];
	struct page *pg = NULL, *pages[17];
	size_t np = 1;
	struct eval_options o = EVAL_OPTIONS_INIT;
	struct school_result sr;
	struct finding f;
	status st;

	memset(&sr, 0, sizeof(sr));
	memset(&f, 0, sizeof(f));
	if ((st = build_page(e, &pg)) < 0)
		return st;
	pages[0] = pg;
	for (size_t i = 0; st == ST_OK && i < e->nlinks && np < 17; i++)
		if (e->links[i].doc || e->links[i].doc_status)
			if ((st = build_doc(&e->links[i], &pages[np])) == ST_OK)
				np++;
	sr.reachable = true;
	sr.school.portal_url = pg->url;
	sr.school.level = e->level;
	o.period = e->period ? e->period : default_period(r, period);
	o.as_of = e->as_of;
	if (st == ST_OK)
		st = eval_rule(r, &o, pages, np, &sr, &f);
	if (st == ST_NOTFOUND) {
		*got = "not_applicable";
		st = ST_OK;
	} else if (st == ST_OK) {
		if (e->expect == EXPECT_MATCH || e->expect == EXPECT_NO_MATCH)
			*got = f.verdict == VERDICT_MISSING ? "no_match" : "match";
		else
			*got = verdict_str(f.verdict);
	}
	finding_release(&f);
	for (size_t i = 0; i < np; i++)
		page_free(pages[i]);
	return st;
}

static int selftest_rule(const struct rule *r, FILE *out)
{
	int fails = 0;

	if (r->nexamples == 0) {
		fprintf(out, "%s:%d:1: rule %s: has no examples\n", r->file, r->line, r->id);
		return 1;
	}
	for (size_t k = 0; k < r->nexamples; k++) {
		const struct rule_example *e = &r->examples[k];
		const char *got = "?";
		status st = e->page ? page_example(r, e, &got) : text_example(r, e, &got);

		if (st < 0) {
			fprintf(out, "%s:%d:%d: rule %s: example failed to run: %s\n", r->file,
				e->line, e->col, r->id, status_message());
			fails++;
		} else if (strcmp(got, expect_str(e->expect)) != 0) {
			fprintf(out, "%s:%d:%d: rule %s: expected %s, got %s for \"%s\"\n", r->file,
				e->line, e->col, r->id, expect_str(e->expect), got,
				e->text    ? e->text
				: e->title ? e->title
				: e->url   ? e->url
					   : "(page)");
			fails++;
		}
	}
	return fails;
}

int ruleset_selftest(const char *const *paths, size_t n, FILE *out)
{
	int fails = 0;

	for (size_t i = 0; i < n; i++) {
		struct ruleset *rs = NULL;
		const struct rule *rules;
		size_t nr;
		status st = ruleset_load(&rs, paths[i]);

		if (st < 0) {
			fprintf(out, "%s\n", status_message());
			return st;
		}
		rules = ruleset_rules(rs, &nr);
		for (size_t k = 0; k < nr; k++)
			fails += selftest_rule(&rules[k], out);
		ruleset_free(rs);
	}
	return fails;
}
