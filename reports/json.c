/* JSON: the DESIGN.md §3 contract shape, keys in a fixed order, one
 * finding or school per line.  Never prints the generation time nor the
 * audit run id (the crawl run, period, as-of date and rule set identify the
 * inputs), so re-auditing the same stored crawl with the same rules gives
 * byte-identical output. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/doc.h"
#include "reports/out.h"
#include "reports/wording.h"
#include "reports/writer.h"

static void key(struct out *o, const char *indent, const char *name)
{
	out_f(o, ",\n%s\"%s\": ", indent, name);
}

static void run_id(struct out *o, int64_t id)
{
	if (id)
		out_f(o, "%lld", (long long)id);
	else
		out_s(o, "null");
}

/* The inputs of a run on one line: crawl run, period, as-of, rule set. */
static void run_keys(struct out *o, const struct report_facts *fx)
{
	out_s(o, "\"crawl_run\": ");
	run_id(o, fx->crawl_run);
	out_s(o, ", \"period\": ");
	out_json(o, fx->period);
	out_s(o, ", \"as_of\": ");
	out_json(o, fx->as_of);
	out_s(o, ", \"ruleset\": ");
	out_json(o, fx->ruleset);
	out_s(o, ", \"ruleset_version\": ");
	out_json(o, fx->ruleset_version);
	out_s(o, ", \"ruleset_hash\": ");
	out_json(o, fx->ruleset_hash);
}

/* The scoring object: stale credit and bands, and the item weights when
 * `weights` (the table reports, which list no findings to carry them). */
static void scoring(struct out *o, const struct report_facts *fx, bool weights)
{
	const struct report_scoring *s = fx->scoring;
	size_t i;

	out_s(o, "{\"stale_credit\": ");
	out_num(o, s->stale_credit);
	out_s(o, ", \"bands\": [");
	for (i = 0; i < s->nbands; i++) {
		out_s(o, i ? ", {\"rating\": " : "{\"rating\": ");
		out_json(o, s->bands[i].rating);
		out_s(o, ", \"min\": ");
		out_num(o, s->bands[i].min);
		out_s(o, "}");
	}
	out_s(o, "]");
	if (weights) {
		out_s(o, ", \"weights\": [");
		for (i = 0; i < fx->nitems; i++) {
			out_s(o, i ? ", {\"item\": " : "{\"item\": ");
			out_json(o, fx->items[i].item);
			out_s(o, ", \"weight\": ");
			out_num(o, fx->items[i].weight);
			out_s(o, "}");
		}
		out_s(o, "]");
	}
	out_s(o, "}");
}

/* The Vietnamese of english (wording_note), null for NULL. */
static void vi_value(struct out *o, const char *english)
{
	char *vi = wording_note(english);

	out_json(o, vi ? vi : english);
	free(vi);
}

static void vi_key(struct out *o, const char *name, const char *english)
{
	out_f(o, ", \"%s\": ", name);
	vi_value(o, english);
}

/* A string key whose value is "" when unknown: null then. */
static void str_key(struct out *o, const char *name, const char *s)
{
	out_f(o, ", \"%s\": ", name);
	out_json(o, s && s[0] ? s : NULL);
}

static void int_or_null(struct out *o, int64_t id)
{
	if (id > 0)
		out_f(o, "%lld", (long long)id);
	else
		out_s(o, "null");
}

/* A finding a decision touches: the machine verdict, the state and the
 * decision.  Only then, so the JSON of an undecided school stays as it
 * was (the contract only gains keys). */
static void decision_keys(struct out *o, const struct finding *f)
{
	const struct decision *d = f->decision;

	if (f->decision_state == DECISION_NONE)
		return;
	str_key(o, "machine_verdict", verdict_str(f->machine_verdict));
	str_key(o, "machine_verdict_vi", verdict_label(f->machine_verdict));
	str_key(o, "decision_state", wording_decision_key(f->decision_state));
	str_key(o, "decision_state_vi", wording_decision_label(f->decision_state));
	out_s(o, ", \"decision\": ");
	if (!d) {
		out_s(o, "null");
		return;
	}
	out_s(o, "{\"id\": ");
	int_or_null(o, d->id);
	str_key(o, "verdict", verdict_str(d->verdict));
	str_key(o, "verdict_vi", verdict_label(d->verdict));
	out_s(o, ", \"by\": ");
	out_json(o, d->by);
	out_s(o, ", \"at\": ");
	out_json(o, d->at);
	out_s(o, ", \"reason\": ");
	out_json(o, d->reason);
	out_s(o, ", \"evidence_url\": ");
	out_json(o, d->evidence_url);
	out_s(o, ", \"appeal_id\": ");
	int_or_null(o, d->appeal_id);
	out_s(o, "}");
}

/* A school people's decisions touched: how many findings they decide,
 * how many need a new review, and the score from machine verdicts alone
 * (when a decision applies).  Nothing for an undecided school. */
static void reviewed_keys(struct out *o, const char *indent, const struct school_result *r)
{
	size_t applied, outdated;

	view_decision_counts(r, &applied, &outdated);
	if (!r->ndecided && !outdated)
		return;
	key(o, indent, "decisions");
	out_f(o, "{\"applied\": %zu, \"outdated\": %zu}", r->ndecided, outdated);
	if (!r->ndecided)
		return;
	key(o, indent, "machine_score");
	if (r->machine_has_score && isfinite(r->machine_score))
		out_num(o, r->machine_score);
	else
		out_s(o, "null");
	key(o, indent, "machine_rating");
	out_json(o, r->machine_has_score && isfinite(r->machine_score) ? r->machine_rating : NULL);
}

static void finding(struct out *o, const struct finding *f, const struct school_result *r,
		    const char *period)
{
	struct wording_finding w;

	out_s(o, "{\"item\": ");
	out_json(o, f->item);
	out_s(o, ", \"title\": ");
	out_json(o, f->title);
	out_s(o, ", \"verdict\": ");
	out_json(o, verdict_str(f->verdict));
	out_s(o, ", \"url\": ");
	out_json(o, f->url);
	out_s(o, ", \"evidence\": ");
	out_json(o, f->evidence);
	out_s(o, ", \"date\": ");
	out_json(o, f->date);
	out_s(o, ", \"date_source\": ");
	out_json(o, f->date_source);
	out_s(o, ", \"period_found\": ");
	out_json(o, f->period_found);
	out_s(o, ", \"weight\": ");
	out_num(o, f->weight);
	out_s(o, ", \"basis\": ");
	out_json(o, f->basis);
	out_s(o, ", \"group\": ");
	out_json(o, f->group);
	out_s(o, ", \"note\": ");
	out_json(o, f->note);
	/* Beside the contract's English values, what people read. */
	wording_finding_init(&w, f, r, period);
	str_key(o, "verdict_vi", verdict_label(f->verdict));
	str_key(o, "date_source_vi", f->date_source ? wording_date_source(f->date_source) : NULL);
	str_key(o, "note_vi", w.note);
	str_key(o, "basis_vi", w.basis);
	str_key(o, "requirement", w.requirement);
	str_key(o, "looked_vi", w.looked);
	str_key(o, "remedy_vi", w.remedy);
	wording_finding_release(&w);
	decision_keys(o, f);
	out_s(o, "}");
}

static void findings(struct out *o, const char *indent, const struct school_result *r,
		     const char *period)
{
	size_t i;

	if (!r->nfindings) {
		out_s(o, "[]");
		return;
	}
	out_s(o, "[");
	for (i = 0; i < r->nfindings; i++) {
		out_f(o, "%s\n%s  ", i ? "," : "", indent);
		finding(o, &r->findings[i], r, period);
	}
	out_f(o, "\n%s]", indent);
}

/* When the pages were fetched and which program wrote the report; not
 * the audit's time nor its count, so a re-audit gives the same JSON. */
static void provenance(struct out *o, const char *indent, const struct report_facts *fx)
{
	const struct report_provenance *p = fx->prov;
	static const struct report_provenance none;

	if (!p)
		p = &none;
	out_f(o, ",\n%s\"provenance\": {\"crawl_from\": ", indent);
	out_json(o, p->crawl_from && p->crawl_from[0] ? p->crawl_from : NULL);
	str_key(o, "crawl_to", p->crawl_to);
	out_s(o, ", \"crawl_nth\": ");
	if (p->crawl_nth)
		out_f(o, "%lld", (long long)p->crawl_nth);
	else
		out_s(o, "null");
	str_key(o, "label", p->label);
	str_key(o, "version", p->version);
	out_s(o, "}");
}

/* The school object; vs is NULL for a one-school report, else the list
 * entry (which adds ranks and leaves scoring to the list's meta). */
static void school(struct out *o, const char *indent, const struct report_facts *fx,
		   const struct school_result *r, const struct view_school *vs, bool ranking)
{
	const struct school_info *s = &r->school;
	bool scored = r->has_score && isfinite(r->score);
	char level[128];

	out_f(o, "{\n%s\"school\": {\"id\": ", indent);
	out_json(o, s->id);
	out_s(o, ", \"name\": ");
	out_json(o, s->name);
	out_s(o, ", \"unit\": ");
	out_json(o, s->unit);
	out_s(o, ", \"level\": ");
	out_json(o, s->level);
	out_s(o, ", \"level_vi\": ");
	out_json(o, wording_level(level, sizeof(level), s->level));
	out_s(o, ", \"portal_url\": ");
	out_json(o, s->portal_url);
	out_s(o, ", \"ownership\": ");
	out_json(o, s->ownership);
	out_s(o, "}");
	key(o, indent, "period");
	out_json(o, fx->period);
	key(o, indent, "as_of");
	out_json(o, fx->as_of);
	key(o, indent, "ruleset");
	out_json(o, fx->ruleset);
	key(o, indent, "ruleset_version");
	out_json(o, fx->ruleset_version);
	key(o, indent, "ruleset_hash");
	out_json(o, fx->ruleset_hash);
	key(o, indent, "crawl_run");
	run_id(o, fx->crawl_run);
	key(o, indent, "crawl");
	out_f(o, "{\"pages\": %d, \"errors\": %d, \"reachable\": %s}", r->pages, r->errors,
	      r->reachable ? "true" : "false");
	key(o, indent, "unreachable_reason");
	out_json(o, r->unreachable_reason);
	key(o, indent, "unreachable_reason_vi");
	vi_value(o, r->unreachable_reason);
	key(o, indent, "status");
	out_json(o, view_status(r));
	key(o, indent, "crawled_at");
	out_json(o, r->crawled_at);
	key(o, indent, "score");
	if (scored)
		out_num(o, r->score);
	else
		out_s(o, "null");
	key(o, indent, "rating");
	out_json(o, scored ? r->rating : NULL);
	reviewed_keys(o, indent, r);
	if (vs && ranking) {
		key(o, indent, "rank");
		if (vs->assessed)
			out_f(o, "%zu", vs->rank);
		else
			out_s(o, "null");
		key(o, indent, "group_rank");
		if (vs->assessed)
			out_f(o, "%zu", vs->group_rank);
		else
			out_s(o, "null");
	}
	if (!vs) {
		key(o, indent, "scoring");
		scoring(o, fx, false);
		provenance(o, indent, fx);
	}
	key(o, indent, "findings");
	findings(o, indent, r, fx->period);
	out_f(o, "\n%.*s}", (int)(strlen(indent) >= 2 ? strlen(indent) - 2 : 0), indent);
}

static status json_school(FILE *f, const struct report_facts *fx, const struct school_result *r)
{
	struct out o;

	out_init(&o, f, fx->stop);
	school(&o, "  ", fx, r, NULL, false);
	out_s(&o, "\n");
	return out_finish(&o);
}

/* The "meta" object opens with the title, the run's inputs and scoring. */
static void meta_open(struct out *o, const struct report_facts *fx, bool weights)
{
	out_s(o, "{\"title\": ");
	out_json(o, fx->title);
	out_s(o, ", ");
	run_keys(o, fx);
	out_s(o, ",\n    \"scoring\": ");
	scoring(o, fx, weights);
	provenance(o, "    ", fx);
}

/* A report's start: kind and selector, then "meta" is next. */
static void report_open(struct out *o, const char *kind, const char *selector)
{
	out_s(o, "{\n  \"kind\": ");
	out_json(o, kind);
	out_s(o, ",\n  \"selector\": ");
	out_json(o, selector);
	out_s(o, ",\n  \"meta\": ");
}

static void items(struct out *o, const struct report_view *v)
{
	size_t i;

	out_s(o, v->nitems ? "[" : "[]");
	for (i = 0; i < v->nitems; i++) {
		const struct view_item *it = &v->items[i];

		out_s(o, i ? ",\n    {\"item\": " : "\n    {\"item\": ");
		out_json(o, it->item);
		out_s(o, ", \"title\": ");
		out_json(o, it->title);
		out_s(o, ", \"weight\": ");
		out_num(o, it->weight);
		out_f(o,
		      ", \"pass\": %zu, \"stale\": %zu, \"missing\": %zu, \"review\": %zu, "
		      "\"unreachable\": %zu, \"rate\": ",
		      it->count[VERDICT_PASS], it->count[VERDICT_STALE], it->count[VERDICT_MISSING],
		      it->count[VERDICT_REVIEW], it->count[VERDICT_UNREACHABLE]);
		if (it->has_rate)
			out_num(o, it->rate);
		else
			out_s(o, "null");
		out_s(o, "}");
	}
	if (v->nitems)
		out_s(o, "\n  ]");
}

static void unassessed(struct out *o, const struct report_view *v)
{
	size_t i;

	out_s(o, v->nassessed < v->n ? "[" : "[]");
	for (i = v->nassessed; i < v->n; i++) {
		const struct school_result *r = v->schools[i].r;

		out_s(o, i > v->nassessed ? ",\n    {\"id\": " : "\n    {\"id\": ");
		out_json(o, r->school.id);
		out_s(o, ", \"name\": ");
		out_json(o, r->school.name);
		out_s(o, ", \"status\": ");
		out_json(o, view_status(r));
		out_s(o, ", \"reason\": ");
		out_json(o, view_unassessed_reason(r));
		vi_key(o, "reason_vi", view_unassessed_reason(r));
		out_s(o, "}");
	}
	if (v->nassessed < v->n)
		out_s(o, "\n  ]");
}

/* Schools per rating band (best first), then those rated outside them. */
static void ratings(struct out *o, const struct report_view *v)
{
	const struct report_scoring *s = v->facts.scoring;
	size_t i;

	out_s(o, "[");
	for (i = 0; i < s->nbands; i++) {
		out_s(o, i ? ", {\"rating\": " : "{\"rating\": ");
		out_json(o, s->bands[i].rating);
		out_s(o, ", \"min\": ");
		out_num(o, s->bands[i].min);
		out_f(o, ", \"schools\": %zu}", v->band_count[i]);
	}
	if (v->other_rating)
		out_f(o, "%s{\"rating\": null, \"min\": null, \"schools\": %zu}",
		      s->nbands ? ", " : "", v->other_rating);
	out_s(o, "]");
}

static status json_schools(FILE *f, const struct report_view *v, const struct city *c)
{
	struct report_facts fx;
	struct out o;
	size_t i;

	out_init(&o, f, v->facts.stop);
	report_open(&o, v->kind, v->selector);
	meta_open(&o, &v->facts, false);
	out_f(&o, ",\n    \"schools\": %zu, \"assessed\": %zu, \"not_crawled\": %zu}", v->n,
	      v->nassessed, v->nnot_crawled);
	out_s(&o, v->n ? ",\n  \"schools\": [" : ",\n  \"schools\": []");
	for (i = 0; i < v->n; i++) {
		out_s(&o, i ? ", " : "\n    ");
		view_facts_school(&fx, v->m, v->schools[i].r);
		school(&o, "      ", &fx, v->schools[i].r, &v->schools[i], v->ranking);
	}
	if (v->n)
		out_s(&o, "\n  ]");
	out_s(&o, ",\n  \"items\": ");
	items(&o, v);
	out_s(&o, ",\n  \"ratings\": ");
	ratings(&o, v);
	if (v->show_units) {
		out_s(&o, ",\n  \"units\": ");
		table_write_json(&o, &c->units, 2);
	}
	if (v->show_levels) {
		out_s(&o, ",\n  \"levels\": ");
		table_write_json(&o, &c->levels, 2);
	}
	out_s(&o, ",\n  \"unassessed\": ");
	unassessed(&o, v);
	out_s(&o, "\n}\n");
	return out_finish(&o);
}

void json_doc_meta(struct out *o, const struct doc *d)
{
	meta_open(o, &d->facts, true);
	if (d->has_prev) {
		out_s(o, ",\n    \"compare_to\": {");
		run_keys(o, &d->prev);
		out_s(o, "}");
	}
	out_s(o, "}");
}

void json_doc_notes(struct out *o, const struct doc *d)
{
	size_t i;

	out_s(o, d->nnotes ? "[" : "[]");
	for (i = 0; i < d->nnotes; i++) {
		out_s(o, i ? ",\n    " : "\n    ");
		out_json(o, d->notes[i]);
	}
	if (d->nnotes)
		out_s(o, "\n  ]");
}

static status json_doc(FILE *f, const struct doc *d)
{
	struct out o;
	size_t i;

	out_init(&o, f, d->facts.stop);
	report_open(&o, d->kind, d->selector);
	json_doc_meta(&o, d);
	for (i = 0; i < d->ntables; i++) {
		out_s(&o, ",\n  ");
		out_json(&o, d->tables[i]->key);
		out_s(&o, ": ");
		table_write_json(&o, d->tables[i], 2);
	}
	out_s(&o, ",\n  \"notes\": ");
	json_doc_notes(&o, d);
	out_s(&o, "\n}\n");
	return out_finish(&o);
}

const struct report_writer json_writer = {
	.name = "json",
	.format = REPORT_JSON,
	.school = json_school,
	.schools = json_schools,
	.doc = json_doc,
};
