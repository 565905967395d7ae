/* The YAML loader of rules: one rule mapping of a rule file into a
 * struct rule, with file:line:col diagnostics. */
#include "rules/ruleyaml.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/clock.h"
#include "core/norm.h"
#include "core/str.h"

void ruleyaml_error(struct ruleyaml_diag *d, const yaml_node_t *at, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	int line = at ? (int)at->start_mark.line + 1 : 1;
	int col = at ? (int)at->start_mark.column + 1 : 1;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d->errs)
		fprintf(d->errs, "%s:%d:%d: %s\n", d->file, line, col, msg);
	if (d->nerr++ == 0)
		snprintf(d->first, sizeof(d->first), "%s:%d:%d: %s", d->file, line, col, msg);
}

const char *ruleyaml_scalar(struct ruleyaml_diag *d, const yaml_node_t *node, const char *what)
{
	if (!node || node->type != YAML_SCALAR_NODE) {
		ruleyaml_error(d, node, "%s: expected a single value", what);
		return NULL;
	}
	return (const char *)node->data.scalar.value;
}

/* ---- small YAML helpers ------------------------------------------------ */

#define NODE(doc, i) yaml_document_get_node((doc), (i))

struct pctx {
	yaml_document_t *doc;
	struct ruleyaml_diag *d;
	bool nomem;
	int depth; /* nesting of pattern lists */
};

static char *dup_scalar(struct pctx *c, yaml_node_t *n, const char *what)
{
	const char *s = ruleyaml_scalar(c->d, n, what);
	char *r;

	if (!s)
		return NULL;
	r = str_dup(s);
	if (!r)
		c->nomem = true;
	return r;
}

/* Calls fn for each item of a sequence node (a lone scalar counts as a
 * one-item sequence, so `levels: all` and `levels: [all]` both work). */
typedef void (*item_fn)(struct pctx *c, struct rule *r, yaml_node_t *item, void *arg);

static void each_item(struct pctx *c, struct rule *r, yaml_node_t *n, const char *what, item_fn fn,
		      void *arg)
{
	if (n->type == YAML_SCALAR_NODE) {
		fn(c, r, n, arg);
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		ruleyaml_error(c->d, n, "%s: expected a list", what);
		return;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++)
		fn(c, r, NODE(c->doc, *it), arg);
}

static bool parse_number(const char *s, double *out)
{
	char *end;

	if (!s || !*s)
		return false;
	*out = strtod(s, &end);
	return *end == '\0' && *out == *out;
}

static unsigned place_parse(const char *s)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {{"title", PLACE_TITLE},
		     {"h1", PLACE_H1},
		     {"headings", PLACE_HEADINGS},
		     {"url_path", PLACE_URL_PATH},
		     {"body", PLACE_BODY},
		     {"link_text", PLACE_LINK_TEXT},
		     {"attachment", PLACE_ATTACHMENT},
		     {"section", PLACE_SECTION},
		     {"document", PLACE_DOCUMENT}};

	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].bit;
	return 0;
}

/* ---- rule fields ------------------------------------------------------- */

static void level_item(struct pctx *c, struct rule *r, yaml_node_t *n, void *arg)
{
	const char *s = ruleyaml_scalar(c->d, n, "levels");
	unsigned m;

	if (!s)
		return;
	m = rule_levels_parse(s);
	if (!m || strchr(s, '+'))
		ruleyaml_error(
			c->d, n,
			"levels: unknown level \"%s\" (want mn, th, thcs, thpt, gdtx or all)", s);
	r->levels |= m;
}

static void where_item(struct pctx *c, struct rule *r, yaml_node_t *n, void *arg)
{
	const char *s = ruleyaml_scalar(c->d, n, "where");
	unsigned p = place_parse(s);

	if (s && !p)
		ruleyaml_error(
			c->d, n,
			"where: unknown place \"%s\" (want title, h1, headings, link_text, url_path, body, attachment,"
			" section, document)",
			s);
	r->where |= p;
}

/* Which list a pattern goes to (the `arg` of pattern_item). */
enum pattern_list { LIST_MATCH, LIST_EXCLUDE, LIST_APPLIES_IF };
static const enum pattern_list list_match = LIST_MATCH, list_exclude = LIST_EXCLUDE,
			       list_applies_if = LIST_APPLIES_IF;

static const char *const list_names[] = {"match", "exclude", "applies_if"};

/* Reads a pattern mapping {exact: ...} or {re: ...}, optionally with
 * levels: [...]; returns the source or NULL (error reported). */
static const char *pattern_mapping(struct pctx *c, yaml_node_t *n, const char *what, bool *exact,
				   unsigned *levels)
{
	const char *src = NULL;

	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *kn = NODE(c->doc, pr->key), *vn = NODE(c->doc, pr->value);
		const char *k = ruleyaml_scalar(c->d, kn, what);

		if (!k)
			return NULL;
		if (strcmp(k, "exact") == 0 || strcmp(k, "re") == 0) {
			if (src) {
				ruleyaml_error(c->d, kn, "%s: give one of re or exact", what);
				return NULL;
			}
			*exact = k[0] == 'e';
			src = ruleyaml_scalar(c->d, vn, what);
		} else if (strcmp(k, "levels") == 0) {
			struct rule tmp;

			memset(&tmp, 0, sizeof(tmp));
			each_item(c, &tmp, vn, "levels", level_item, NULL);
			*levels = tmp.levels ? tmp.levels : LEVEL_ALL;
		} else {
			ruleyaml_error(
				c->d, kn,
				"%s: unknown key \"%s\" (a pattern is a string or {re|exact: \"...\", levels: [...]})",
				what, k);
			return NULL;
		}
	}
	if (!src && n->data.mapping.pairs.top == n->data.mapping.pairs.start)
		ruleyaml_error(c->d, n, "%s: an empty pattern mapping", what);
	else if (!src)
		ruleyaml_error(c->d, n, "%s: a pattern mapping needs re: or exact:", what);
	return src;
}

static bool push_pattern(struct pattern ***arr, unsigned **lv, size_t *cnt, struct pattern *p,
			 unsigned levels)
{
	if (ARRAY_RESIZE(*arr, *cnt + 1) < 0)
		return false;
	if (lv) {
		if (ARRAY_RESIZE(*lv, *cnt + 1) < 0)
			return false;
		(*lv)[*cnt] = levels;
	}
	(*arr)[(*cnt)++] = p;
	return true;
}

static void pattern_item(struct pctx *c, struct rule *r, yaml_node_t *n, void *arg)
{
	enum pattern_list which = *(const enum pattern_list *)arg;
	const char *what = list_names[which];
	const char *src = NULL;
	bool exact = false, ok;
	unsigned levels = LEVEL_ALL;
	struct pattern *p = NULL;
	size_t off = 0;
	status st;

	if (c->d->npatterns > RULEYAML_MAX_PATTERNS)
		return; /* reported once, at the pattern over the cap */
	if (n->type == YAML_SEQUENCE_NODE) {
		/* A nested list is spliced in, so a rule can add to a shared
		 * anchor: `exclude: [*traps, 'mien giam']`. */
		if (c->depth >= 8) {
			ruleyaml_error(c->d, n, "%s: pattern lists nested too deep", what);
			return;
		}
		c->depth++;
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top && c->d->npatterns <= RULEYAML_MAX_PATTERNS;
		     it++)
			pattern_item(c, r, NODE(c->doc, *it), arg);
		c->depth--;
		return;
	}
	if (++c->d->npatterns > RULEYAML_MAX_PATTERNS) {
		ruleyaml_error(c->d, n,
			       "%s: the file names more than %d patterns (nested lists and aliases "
			       "counted as expanded)",
			       what, RULEYAML_MAX_PATTERNS);
		return;
	}
	if (n->type == YAML_MAPPING_NODE)
		src = pattern_mapping(c, n, what, &exact, &levels);
	else
		src = ruleyaml_scalar(c->d, n, what);
	if (!src)
		return;
	st = pattern_new(&p, src, exact, &off);
	if (st == ST_NOMEM) {
		c->nomem = true;
		return;
	}
	if (st < 0) {
		ruleyaml_error(c->d, n, "%s: %s in \"%s\"", what, status_message(), src);
		return;
	}
	if (which == LIST_MATCH)
		ok = push_pattern(&r->match, &r->match_levels, &r->nmatch, p, levels);
	else if (which == LIST_EXCLUDE)
		ok = push_pattern(&r->exclude, &r->exclude_levels, &r->nexclude, p, levels);
	else
		ok = push_pattern(&r->applies_if, NULL, &r->napplies_if, p, levels);
	if (!ok) {
		pattern_free(p);
		c->nomem = true;
	} else if (exact) {
		r->has_exact = true;
	}
}

/* Counts the patterns node n names once nested lists and aliases are
 * expanded, adding to *count, and returns the node at which the file's
 * total would pass RULEYAML_MAX_PATTERNS (NULL when it stays under).
 * Stops there, so it visits at most the cap's worth of nodes: a file over
 * the cap is refused before a single pattern of it is compiled. */
static yaml_node_t *patterns_over_cap(struct pctx *c, yaml_node_t *n, size_t *count, int depth)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		(*count)++;
		return c->d->npatterns + *count > RULEYAML_MAX_PATTERNS ? n : NULL;
	}
	if (depth > 8)
		return NULL; /* pattern_item reports the nesting */
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *over = patterns_over_cap(c, NODE(c->doc, *it), count, depth + 1);

		if (over)
			return over;
	}
	return NULL;
}

/* A pattern list (match, exclude, applies_if): refused as a whole when
 * it would take the file over the pattern cap, else read item by item. */
static void pattern_list(struct pctx *c, struct rule *r, yaml_node_t *n, const char *what,
			 const enum pattern_list *which)
{
	size_t count = 0;
	yaml_node_t *over;

	if (c->d->npatterns > RULEYAML_MAX_PATTERNS)
		return; /* reported once already */
	over = patterns_over_cap(c, n, &count, 0);
	if (over) {
		c->d->npatterns = RULEYAML_MAX_PATTERNS + 1;
		ruleyaml_error(c->d, over,
			       "%s: the file names more than %d patterns (nested lists and aliases "
			       "counted as expanded)",
			       what, RULEYAML_MAX_PATTERNS);
		return;
	}
	each_item(c, r, n, what, pattern_item, (void *)which);
}

static void focus_item(struct pctx *c, struct rule *r, yaml_node_t *n, void *arg)
{
	const char *s = ruleyaml_scalar(c->d, n, "focus");
	char *plain = NULL;

	if (!s)
		return;
	if (norm_fold(s, strlen(s), NULL, &plain) < 0 ||
	    ARRAY_RESIZE(r->focus, r->nfocus + 1) < 0) {
		free(plain);
		c->nomem = true;
		return;
	}
	r->focus[r->nfocus++] = plain;
}

static void parse_date_field(struct pctx *c, yaml_node_t *n, const char *what, char out[11])
{
	const char *s = ruleyaml_scalar(c->d, n, what);
	int y, m, d;

	if (!s)
		return;
	if (strlen(s) != 10 || clock_parse_date(s, &y, &m, &d) < 0) {
		ruleyaml_error(c->d, n, "%s: \"%s\" is not a date YYYY-MM-DD", what, s);
		return;
	}
	memcpy(out, s, 11);
}

/* Walks a mapping, handing each (key, value) to fn; unknown keys are
 * reported by fn returning false. */
typedef bool (*pair_fn)(struct pctx *c, struct rule *r, const char *key, yaml_node_t *v, void *arg);

static void each_pair(struct pctx *c, struct rule *r, yaml_node_t *n, const char *what, pair_fn fn,
		      void *arg)
{
	if (n->type != YAML_MAPPING_NODE) {
		ruleyaml_error(c->d, n, "%s: expected a mapping (key: value)", what);
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = NODE(c->doc, p->key);
		const char *key = ruleyaml_scalar(c->d, k, what);

		if (key && !fn(c, r, key, NODE(c->doc, p->value), arg))
			ruleyaml_error(c->d, k, "%s: unknown key \"%s\"", what, key);
	}
}

static bool basis_pair(struct pctx *c, struct rule *r, const char *key, yaml_node_t *v, void *arg)
{
	char **slot = strcmp(key, "circular") == 0  ? &r->circular
		      : strcmp(key, "article") == 0 ? &r->article
		      : strcmp(key, "clause") == 0  ? &r->clause
						    : NULL;
	if (!slot)
		return false;
	free(*slot);
	*slot = dup_scalar(c, v, key);
	return true;
}

static bool effective_pair(struct pctx *c, struct rule *r, const char *key, yaml_node_t *v,
			   void *arg)
{
	if (strcmp(key, "from") == 0)
		parse_date_field(c, v, "effective.from", r->from);
	else if (strcmp(key, "until") == 0)
		parse_date_field(c, v, "effective.until", r->until);
	else
		return false;
	return true;
}

static bool int_value(struct pctx *c, yaml_node_t *v, const char *what, long min, long max,
		      int *out)
{
	const char *s = ruleyaml_scalar(c->d, v, what);
	long n;

	if (!s)
		return false;
	if (str_to_long(s, min, max, &n) < 0) {
		ruleyaml_error(c->d, v, "%s: \"%s\" is not a whole number in %ld..%ld", what, s,
			       min, max);
		return false;
	}
	*out = (int)n;
	return true;
}

/* `deadline:` of a cadence: a day of the month (monthly plans: "before the
 * 25th of the previous month") or a weekday (weekly menus: "before Saturday
 * of the previous week"). */
static void deadline_value(struct pctx *c, struct rule *r, yaml_node_t *v)
{
	static const char *const days[] = {"monday", "tuesday",  "wednesday", "thursday",
					   "friday", "saturday", "sunday"};
	const char *s = ruleyaml_scalar(c->d, v, "freshness.deadline");
	long n;

	if (!s)
		return;
	for (size_t i = 0; i < 7; i++)
		if (strcmp(s, days[i]) == 0) {
			r->deadline_wday = (int)i + 1;
			return;
		}
	if (str_to_long(s, 1, 28, &n) == ST_OK) {
		r->deadline_day = (int)n;
		return;
	}
	ruleyaml_error(
		c->d, v,
		"freshness.deadline: want a day of the month 1..28 or a weekday (monday..sunday), not \"%s\"",
		s);
}

static bool freshness_pair(struct pctx *c, struct rule *r, const char *key, yaml_node_t *v,
			   void *arg)
{
	const char *s;

	if (strcmp(key, "days") == 0)
		return int_value(c, v, "freshness.days", 1, 36500, &r->days), true;
	if (strcmp(key, "update_within") == 0)
		return int_value(c, v, "freshness.update_within", 1, 365, &r->update_within), true;
	if (strcmp(key, "deadline") == 0)
		return deadline_value(c, r, v), true;
	if (strcmp(key, "calendar_ok") == 0) {
		s = ruleyaml_scalar(c->d, v, key);
		if (s && strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
			ruleyaml_error(c->d, v, "freshness.calendar_ok: want true or false");
		r->calendar_ok = s && strcmp(s, "true") == 0;
		return true;
	}
	if (strcmp(key, "policy") != 0 && strcmp(key, "mode") != 0 && strcmp(key, "every") != 0)
		return false;
	s = ruleyaml_scalar(c->d, v, key);
	if (!s)
		return true;
	if (strcmp(key, "policy") == 0) {
		static const char *const names[] = {"none", "school_year", "calendar_year",
						    "max_age_days", "cadence"};
		size_t i;

		for (i = 0; i < 5 && strcmp(s, names[i]) != 0; i++)
			;
		if (i == 5)
			ruleyaml_error(c->d, v, "freshness.policy: unknown policy \"%s\"", s);
		else
			r->policy = (enum fresh_policy)i;
	} else if (strcmp(key, "mode") == 0) {
		if (strcmp(s, "forward") == 0)
			r->mode = MODE_FORWARD;
		else if (strcmp(s, "results") == 0)
			r->mode = MODE_RESULTS;
		else
			ruleyaml_error(c->d, v,
				       "freshness.mode: want forward or results, not \"%s\"", s);
	} else {
		/* Weekly items (menus) go stale after a missed week plus slack
		 * (regulations.md §5: a gap over ~14 days); monthly plans after
		 * a missed month. */
		if (strcmp(s, "weekly") == 0)
			r->days = 14;
		else if (strcmp(s, "monthly") == 0)
			r->days = 45;
		else
			ruleyaml_error(c->d, v,
				       "freshness.every: want weekly or monthly, not \"%s\"", s);
	}
	return true;
}

static enum rule_check check_parse(struct pctx *c, yaml_node_t *v)
{
	static const char *const names[] = {"match", "reachable", "integrated", "posting_activity",
					    "yearly_section"};
	const char *s = ruleyaml_scalar(c->d, v, "check");

	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (enum rule_check)i;
	if (s)
		ruleyaml_error(
			c->d, v,
			"check: unknown check \"%s\" (want reachable, integrated, posting_activity or yearly_section)",
			s);
	return CHECK_MATCH;
}

/* ---- examples ---------------------------------------------------------- */

static void example_links(struct pctx *c, struct rule_example *e, yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		ruleyaml_error(c->d, n, "examples.links: expected a list of {text:, url:}");
		return;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *ln = NODE(c->doc, *it);
		struct rule_example_link l = {NULL, NULL, NULL, NULL};

		if (ln->type != YAML_MAPPING_NODE) {
			ruleyaml_error(c->d, ln, "examples.links: expected {text:, url:}");
			continue;
		}
		for (yaml_node_pair_t *p = ln->data.mapping.pairs.start;
		     p < ln->data.mapping.pairs.top; p++) {
			const char *k =
				ruleyaml_scalar(c->d, NODE(c->doc, p->key), "examples.links");
			char **slot = !k                             ? NULL
				      : strcmp(k, "text") == 0       ? &l.text
				      : strcmp(k, "url") == 0        ? &l.url
				      : strcmp(k, "doc") == 0        ? &l.doc
				      : strcmp(k, "doc_status") == 0 ? &l.doc_status
								     : NULL;

			if (!slot) {
				if (k)
					ruleyaml_error(c->d, NODE(c->doc, p->key),
						       "examples.links: unknown key \"%s\"", k);
				continue;
			}
			free(*slot);
			*slot = dup_scalar(c, NODE(c->doc, p->value), k);
		}
		if (!l.url && !(l.url = str_dup("http://example.invalid/file.pdf")))
			c->nomem = true;
		if (!l.text && !(l.text = str_dup("")))
			c->nomem = true;
		if (ARRAY_RESIZE(e->links, e->nlinks + 1) < 0) {
			free(l.text);
			free(l.url);
			free(l.doc);
			free(l.doc_status);
			c->nomem = true;
			return;
		}
		e->links[e->nlinks++] = l;
	}
}

static void example_expect(struct pctx *c, struct rule_example *e, yaml_node_t *v)
{
	static const char *const names[] = {"match",   "no_match", "pass",          "stale",
					    "missing", "review",   "not_applicable"};
	const char *s = ruleyaml_scalar(c->d, v, "expect");

	for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			e->expect = (enum example_expect)i;
			return;
		}
	if (s)
		ruleyaml_error(
			c->d, v,
			"expect: want match, no_match, pass, stale, missing, review or not_applicable, not \"%s\"",
			s);
}

static bool example_pair(struct pctx *c, struct rule_example *e, const char *key, yaml_node_t *v)
{
	char **slot = NULL;

	if (strcmp(key, "expect") == 0) {
		example_expect(c, e, v);
		return true;
	}
	if (strcmp(key, "where") == 0) {
		const char *s = ruleyaml_scalar(c->d, v, "where");

		e->where = place_parse(s);
		if (s && !e->where)
			ruleyaml_error(c->d, v, "where: unknown place \"%s\"", s);
		return true;
	}
	if (strcmp(key, "links") == 0) {
		example_links(c, e, v);
		e->page = true;
		return true;
	}
	if (strcmp(key, "text") == 0)
		slot = &e->text;
	else if (strcmp(key, "period") == 0)
		slot = &e->period;
	else if (strcmp(key, "level") == 0)
		slot = &e->level;
	else if (strcmp(key, "as_of") == 0)
		slot = &e->as_of;
	else {
		e->page = true;
		slot = strcmp(key, "title") == 0                                ? &e->title
		       : strcmp(key, "h1") == 0 || strcmp(key, "headings") == 0 ? &e->h1
		       : strcmp(key, "url") == 0                                ? &e->url
		       : strcmp(key, "body") == 0                               ? &e->body
										: NULL;
	}
	if (!slot)
		return false;
	/* `headings: [..]` may be a list: the first entry is the main heading. */
	if (v->type == YAML_SEQUENCE_NODE &&
	    v->data.sequence.items.start < v->data.sequence.items.top)
		v = NODE(c->doc, *v->data.sequence.items.start);
	free(*slot);
	*slot = dup_scalar(c, v, key);
	return true;
}

static void example_item(struct pctx *c, struct rule *r, yaml_node_t *n, void *arg)
{
	struct rule_example e;

	memset(&e, 0, sizeof(e));
	e.line = (int)n->start_mark.line + 1;
	e.col = (int)n->start_mark.column + 1;
	e.expect = EXPECT_MATCH;
	if (n->type != YAML_MAPPING_NODE) {
		ruleyaml_error(
			c->d, n,
			"examples: each example is a mapping ({text:, where:, expect:} or a mini page)");
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = NODE(c->doc, p->key);
		const char *key = ruleyaml_scalar(c->d, k, "examples");

		if (key && !example_pair(c, &e, key, NODE(c->doc, p->value)))
			ruleyaml_error(c->d, k, "examples: unknown key \"%s\"", key);
	}
	if (e.text && e.page)
		ruleyaml_error(c->d, n,
			       "examples: give either text (with where) or a mini page, not both");
	else if (!e.text && !e.page)
		ruleyaml_error(
			c->d, n,
			"examples: an example needs text or a mini page (title, h1, url, body, links)");
	else if (e.text && e.expect != EXPECT_MATCH && e.expect != EXPECT_NO_MATCH)
		ruleyaml_error(c->d, n, "examples: a text example expects match or no_match");
	if (e.text && !e.where)
		e.where = PLACE_TITLE;
	if (e.level && !rule_levels_parse(e.level))
		ruleyaml_error(
			c->d, n,
			"examples: unknown level \"%s\" (want mn, th, thcs, thpt, gdtx, joined by +)",
			e.level);
	if (ARRAY_RESIZE(r->examples, r->nexamples + 1) < 0) {
		rule_example_release(&e);
		c->nomem = true;
		return;
	}
	r->examples[r->nexamples++] = e;
}

/* ---- the rule ------------------------------------------------------------ */

struct seen {
	yaml_node_t *id, *levels, *weight, *match, *where, *check;
};

static bool rule_pair(struct pctx *c, struct rule *r, const char *key, yaml_node_t *v, void *arg)
{
	struct seen *s = arg;

	if (strcmp(key, "id") == 0 || strcmp(key, "title") == 0 || strcmp(key, "group") == 0) {
		char **slot = key[0] == 'i' ? &r->id : key[0] == 't' ? &r->title : &r->group;

		if (key[0] == 'i')
			s->id = v;
		free(*slot);
		*slot = dup_scalar(c, v, key);
	} else if (strcmp(key, "requirement") == 0 || strcmp(key, "remedy") == 0) {
		char **slot = key[2] == 'q' ? &r->requirement : &r->remedy;

		free(*slot);
		*slot = dup_scalar(c, v, key);
	} else if (strcmp(key, "levels") == 0) {
		s->levels = v;
		each_item(c, r, v, "levels", level_item, NULL);
	} else if (strcmp(key, "weight") == 0) {
		const char *w = ruleyaml_scalar(c->d, v, "weight");

		s->weight = v;
		if (w && (!parse_number(w, &r->weight) || r->weight < 0))
			ruleyaml_error(c->d, v, "weight: \"%s\" is not a non-negative number", w);
	} else if (strcmp(key, "basis") == 0) {
		each_pair(c, r, v, "basis", basis_pair, NULL);
	} else if (strcmp(key, "effective") == 0) {
		each_pair(c, r, v, "effective", effective_pair, NULL);
	} else if (strcmp(key, "where") == 0) {
		s->where = v;
		each_item(c, r, v, "where", where_item, NULL);
	} else if (strcmp(key, "where_mode") == 0) {
		const char *m = ruleyaml_scalar(c->d, v, key);

		if (m && strcmp(m, "any") != 0 && strcmp(m, "all") != 0)
			ruleyaml_error(c->d, v, "where_mode: want all or any, not \"%s\"", m);
		r->where_any = m && strcmp(m, "any") == 0;
	} else if (strcmp(key, "match") == 0) {
		s->match = v;
		pattern_list(c, r, v, "match", &list_match);
	} else if (strcmp(key, "exclude") == 0) {
		pattern_list(c, r, v, "exclude", &list_exclude);
	} else if (strcmp(key, "applies_if") == 0) {
		pattern_list(c, r, v, "applies_if", &list_applies_if);
	} else if (strcmp(key, "format") == 0) {
		const char *f = ruleyaml_scalar(c->d, v, key);

		if (f && strcmp(f, "pdf") != 0 && strcmp(f, "any") != 0)
			ruleyaml_error(c->d, v, "format: want pdf or any, not \"%s\"", f);
		r->pdf_only = f && strcmp(f, "pdf") == 0;
	} else if (strcmp(key, "freshness") == 0) {
		each_pair(c, r, v, "freshness", freshness_pair, NULL);
	} else if (strcmp(key, "check") == 0) {
		s->check = v;
		r->check = check_parse(c, v);
	} else if (strcmp(key, "min_posts") == 0) {
		int_value(c, v, "min_posts", 1, 100000, &r->min_posts);
	} else if (strcmp(key, "focus") == 0) {
		each_item(c, r, v, "focus", focus_item, NULL);
	} else if (strcmp(key, "examples") == 0) {
		each_item(c, r, v, "examples", example_item, NULL);
	} else {
		return false;
	}
	return true;
}

static void rule_require(struct pctx *c, struct rule *r, yaml_node_t *node, const struct seen *s)
{
	if (!r->id)
		ruleyaml_error(c->d, node, "rule: missing id");
	if (!r->title)
		ruleyaml_error(c->d, node, "rule %s: missing title", r->id ? r->id : "?");
	if (!r->group)
		ruleyaml_error(c->d, node, "rule %s: missing group", r->id ? r->id : "?");
	else if (strcmp(r->group, "CL") != 0 && strcmp(r->group, "ĐK") != 0 &&
		 strcmp(r->group, "DK") != 0 && strcmp(r->group, "TC") != 0 &&
		 strcmp(r->group, "OTHER") != 0 && strcmp(r->group, "PORTAL") != 0)
		ruleyaml_error(c->d, node,
			       "rule %s: group must be CL, ĐK, TC, OTHER or PORTAL, not \"%s\"",
			       r->id ? r->id : "?", r->group);
	if (!s->levels)
		ruleyaml_error(c->d, node, "rule %s: missing levels", r->id ? r->id : "?");
	if (!s->weight)
		ruleyaml_error(c->d, node, "rule %s: missing weight", r->id ? r->id : "?");
	if ((r->check == CHECK_MATCH || r->check == CHECK_YEARLY_SECTION) && !s->match)
		ruleyaml_error(c->d, node, "rule %s: needs match patterns (or a check)",
			       r->id ? r->id : "?");
	if (r->from[0] && r->until[0] && strcmp(r->from, r->until) > 0)
		ruleyaml_error(c->d, node, "rule %s: effective.from is after effective.until",
			       r->id ? r->id : "?");
	if (r->policy == FRESH_MAX_AGE && r->days <= 0)
		ruleyaml_error(c->d, node, "rule %s: max_age_days needs days: N",
			       r->id ? r->id : "?");
	if (r->policy == FRESH_CADENCE && r->days <= 0)
		ruleyaml_error(c->d, node, "rule %s: cadence needs every: weekly|monthly",
			       r->id ? r->id : "?");
	if (r->deadline_day && !(r->policy == FRESH_CADENCE && r->days == 45))
		ruleyaml_error(c->d, node,
			       "rule %s: a day-of-month deadline needs cadence every: monthly",
			       r->id ? r->id : "?");
	if (r->deadline_wday && !(r->policy == FRESH_CADENCE && r->days == 14))
		ruleyaml_error(c->d, node,
			       "rule %s: a weekday deadline needs cadence every: weekly",
			       r->id ? r->id : "?");
}

status ruleyaml_parse(struct rule *out, yaml_document_t *doc, yaml_node_t *node,
		      struct ruleyaml_diag *d)
{
	struct pctx c = {doc, d, false, 0};
	struct seen s;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	out->line = (int)node->start_mark.line + 1;
	out->policy = FRESH_NONE;
	if (!(out->file = str_dup(d->file)))
		return status_set(ST_NOMEM, "out of memory");
	each_pair(&c, out, node, "rule", rule_pair, &s);
	if (node->type == YAML_MAPPING_NODE)
		rule_require(&c, out, node, &s);
	if (!out->where)
		out->where = PLACE_TITLE | PLACE_H1 | PLACE_ATTACHMENT;
	if (c.nomem)
		return status_set(ST_NOMEM, "out of memory");
	return ST_OK;
}

/* ---- size of the expanded document ---------------------------------------- */

struct sizer {
	yaml_document_t *doc;
	struct ruleyaml_diag *d;
	uint64_t *size;       /* per node: expanded size, 0 = not yet known */
	unsigned char *state; /* per node: 0 new, 1 being measured, 2 measured */
	size_t aliases;
	bool over;
};

/* The number of nodes under node id (itself included) with every alias
 * expanded; stops (s->over, error reported) at a bound or a cycle. */
static uint64_t expanded(struct sizer *s, int id, const yaml_node_t *from, int depth)
{
	size_t i = (size_t)id - 1;
	yaml_node_t *n = NODE(s->doc, id);
	uint64_t total = 1;

	if (!n || s->over)
		return 0;
	if (s->state[i] == 1) {
		ruleyaml_error(s->d, from, "an alias refers to a node that contains it");
		s->over = true;
		return 0;
	}
	if (s->state[i] == 2) {
		/* Every use after the first is an alias. */
		if (++s->aliases > RULEYAML_MAX_ALIASES) {
			ruleyaml_error(s->d, from, "more than %d aliases in one file",
				       RULEYAML_MAX_ALIASES);
			s->over = true;
			return 0;
		}
		return s->size[i];
	}
	if (depth > RULEYAML_MAX_DEPTH) {
		ruleyaml_error(s->d, n, "nested more than %d levels deep", RULEYAML_MAX_DEPTH);
		s->over = true;
		return 0;
	}
	s->state[i] = 1;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top && total <= RULEYAML_MAX_NODES; it++)
			total += expanded(s, *it, n, depth + 1);
	} else if (n->type == YAML_MAPPING_NODE) {
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top && total <= RULEYAML_MAX_NODES; p++)
			total += expanded(s, p->key, n, depth + 1) +
				 expanded(s, p->value, n, depth + 1);
	}
	if (total > RULEYAML_MAX_NODES && !s->over) {
		ruleyaml_error(s->d, n,
			       "the file expands to more than %d YAML nodes (aliases counted as "
			       "expanded)",
			       RULEYAML_MAX_NODES);
		s->over = true;
	}
	s->state[i] = 2;
	s->size[i] = total;
	return total;
}

bool ruleyaml_check_size(yaml_document_t *doc, struct ruleyaml_diag *d)
{
	size_t n = (size_t)(doc->nodes.top - doc->nodes.start);
	struct sizer s = {doc, d, NULL, NULL, 0, false};

	if (n == 0)
		return true;
	s.size = calloc(n, sizeof(*s.size));
	s.state = calloc(n, 1);
	if (!s.size || !s.state) {
		ruleyaml_error(d, NULL, "out of memory measuring the file");
		s.over = true;
	} else {
		expanded(&s, 1, NULL, 0);
	}
	free(s.size);
	free(s.state);
	return !s.over;
}
