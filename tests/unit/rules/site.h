/* Shared by the rule tests that audit hand-built sites against the
 * shipped rule sets (test_traps.c, test_shapes.c): a site is a list of
 * pages; audit() evaluates it with rules/sets/SET.yaml.  The including
 * file defines HOST (the site's origin) and MAXP (pages per site) and
 * includes cmocka and the rules headers first. */
#ifndef TESTS_UNIT_RULES_SITE_H
#define TESTS_UNIT_RULES_SITE_H

struct site {
	struct page *p[MAXP];
	size_t n;
};

static void link(struct page *pg, const char *path, const char *text)
{
	char url[256];

	snprintf(url, sizeof(url), HOST "%s", path);
	assert_int_equal(page_add_link(pg, url, text), ST_OK);
}

static void site_free(struct site *s)
{
	for (size_t i = 0; i < s->n; i++)
		page_free(s->p[i]);
	s->n = 0;
}

static void audit(struct site *s, const char *set, const char *level, const char *period,
		  const char *as_of, struct school_result *r)
{
	char path[1024];
	struct ruleset *rs = NULL;
	struct eval_options o = EVAL_OPTIONS_INIT;

	snprintf(path, sizeof(path), "%s/rules/sets/%s.yaml", getenv("PA_SOURCE"), set);
	assert_int_equal(ruleset_load(&rs, path), ST_OK);
	memset(r, 0, sizeof(*r));
	r->school.level = str_dup(level);
	r->school.portal_url = str_dup(HOST "/");
	r->reachable = true;
	o.period = period;
	o.as_of = as_of;
	assert_int_equal(eval_school(rs, &o, s->p, s->n, r), ST_OK);
	ruleset_free(rs);
}

/* The finding for an item, or NULL when the school got none. */
static const struct finding *find_opt(const struct school_result *r, const char *item)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].item, item) == 0)
			return &r->findings[i];
	return NULL;
}

#endif
