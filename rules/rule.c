#include "rules/rule.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/clock.h"
#include "core/norm.h"
#include "core/str.h"

unsigned rule_levels_parse(const char *s)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {{"mn", LEVEL_MN},     {"th", LEVEL_TH},     {"thcs", LEVEL_THCS},
		     {"thpt", LEVEL_THPT}, {"gdtx", LEVEL_GDTX}, {"all", LEVEL_ALL}};
	unsigned mask = 0;

	while (s && *s) {
		const char *e = strchr(s, '+');
		size_t n = e ? (size_t)(e - s) : strlen(s), i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == n && strncmp(names[i].name, s, n) == 0)
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return 0;
		mask |= names[i].bit;
		s = e ? e + 1 : s + n;
	}
	return mask;
}

bool rule_text_matches_in(const struct rule *r, unsigned levels, struct pattern_scratch *scratch,
			  const char *plain, const char *folded)
{
	bool hit = false;

	for (size_t i = 0; i < r->nmatch && !hit; i++)
		hit = (r->match_levels[i] & levels) &&
		      pattern_match_in(r->match[i], scratch, plain, folded, NULL, NULL);
	for (size_t i = 0; i < r->nexclude && hit; i++)
		if ((r->exclude_levels[i] & levels) &&
		    pattern_match_in(r->exclude[i], scratch, plain, folded, NULL, NULL))
			hit = false;
	return hit;
}

void rule_example_release(struct rule_example *e)
{
	free(e->text);
	free(e->title);
	free(e->h1);
	free(e->url);
	free(e->body);
	free(e->period);
	free(e->level);
	free(e->as_of);
	for (size_t i = 0; i < e->nlinks; i++) {
		free(e->links[i].text);
		free(e->links[i].url);
		free(e->links[i].doc);
		free(e->links[i].doc_status);
	}
	free(e->links);
}

void rule_release(struct rule *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->title);
	free(r->group);
	free(r->requirement);
	free(r->remedy);
	free(r->circular);
	free(r->article);
	free(r->clause);
	free(r->file);
	for (size_t i = 0; i < r->nmatch; i++)
		pattern_free(r->match[i]);
	free(r->match);
	free(r->match_levels);
	for (size_t i = 0; i < r->nexclude; i++)
		pattern_free(r->exclude[i]);
	free(r->exclude);
	free(r->exclude_levels);
	for (size_t i = 0; i < r->napplies_if; i++)
		pattern_free(r->applies_if[i]);
	free(r->applies_if);
	str_free_array(r->focus, r->nfocus);
	for (size_t i = 0; i < r->nexamples; i++)
		rule_example_release(&r->examples[i]);
	free(r->examples);
	memset(r, 0, sizeof(*r));
}
