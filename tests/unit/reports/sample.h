/* Test helpers for the report writers: build school results in memory and
 * render a report into a string.  Header-only (static inline) so each test
 * program stays one file. */
#ifndef TESTS_UNIT_REPORTS_SAMPLE_H
#define TESTS_UNIT_REPORTS_SAMPLE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/finding.h"
#include "core/str.h"
#include "reports/report.h"

static const struct rating_band_view sample_bands[] = {
	{"A", 85}, {"B", 70}, {"C", 50}, {"D", 30}, {"E", 0},
};

static inline struct report_meta sample_meta(void)
{
	struct report_meta m = {
		.audit_run = 7,
		.crawl_run = 3,
		.period = "2017-2018",
		.as_of = "2018-05-31",
		.ruleset = "tt09-2009",
		.ruleset_version = "1",
		.ruleset_hash = "abc123",
		.scoring = {sample_bands, 5, 0.5},
		.title = NULL,
	};
	return m;
}

static inline void sample_school(struct school_result *r, const char *id, const char *name,
				 const char *unit, const char *level, const char *url)
{
	memset(r, 0, sizeof(*r));
	r->school.id = str_dup(id);
	r->school.name = str_dup(name);
	r->school.unit = str_dup(unit);
	r->school.level = str_dup(level);
	r->school.portal_url = str_dup(url);
	r->reachable = true;
	r->pages = 10;
}

static inline void sample_score(struct school_result *r, double score, const char *rating)
{
	r->has_score = true;
	r->score = score;
	r->rating = str_dup(rating);
}

static inline void sample_unreachable(struct school_result *r, const char *reason)
{
	r->reachable = false;
	r->has_score = false;
	r->pages = 0;
	r->errors = 1;
	r->unreachable_reason = str_dup(reason);
}

static inline void sample_finding(struct school_result *r, const char *item, const char *title,
				  enum verdict v, const char *url, const char *evidence,
				  const char *date, double weight)
{
	struct finding f;

	memset(&f, 0, sizeof(f));
	f.item = str_dup(item);
	f.title = str_dup(title);
	f.verdict = v;
	f.url = str_dup(url);
	f.evidence = str_dup(evidence);
	f.date = str_dup(date);
	f.date_source = date ? str_dup("page") : NULL;
	f.period_found = v == VERDICT_PASS || v == VERDICT_STALE ? str_dup("2017-2018") : NULL;
	f.weight = weight;
	assert_int_equal(school_result_add(r, &f), ST_OK);
}

/* Renders one school; the caller frees the string. */
/* noinline: GCC 12 at -O2 wrongly sees the open_memstream buffer as a dangling local. */
static __attribute__((noinline, unused)) char *
render_school(enum report_format fmt, const struct report_meta *m, const struct school_result *r)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	assert_non_null(f);
	assert_int_equal(report_school(f, fmt, m, r), ST_OK);
	assert_int_equal(fclose(f), 0);
	return s;
}

/* noinline: GCC 12 at -O2 wrongly sees the open_memstream buffer as a dangling local. */
static __attribute__((noinline, unused)) char *
render_schools(enum report_format fmt, const char *kind, const struct report_meta *m,
	       const struct school_result *rs, size_t n)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	assert_non_null(f);
	assert_int_equal(report_schools(f, fmt, kind, "Quận 7", m, rs, n), ST_OK);
	assert_int_equal(fclose(f), 0);
	return s;
}

#endif
