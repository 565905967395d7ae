#include "reports/report.h"

#include <assert.h>
#include <string.h>

#include "reports/adoption_write.h"
#include "reports/city.h"
#include "reports/compare.h"
#include "reports/history.h"
#include "reports/view.h"
#include "reports/writer.h"

/* Indexed by enum report_format. */
static const struct report_writer *const writers[] = {
	[REPORT_TEXT] = &text_writer, [REPORT_JSON] = &json_writer, [REPORT_HTML] = &html_writer,
	[REPORT_CSV] = &csv_writer,   [REPORT_MD] = &md_writer,     [REPORT_XLSX] = &xlsx_writer,
};
#define NWRITERS (sizeof(writers) / sizeof(writers[0]))

static const char *const kinds[] = {"unit", "city", "ranking", "snapshot"};

status report_format_parse(const char *s, enum report_format *out)
{
	size_t i;

	for (i = 0; s && i < NWRITERS; i++) {
		if (strcmp(s, writers[i]->name) == 0) {
			*out = writers[i]->format;
			return ST_OK;
		}
	}
	return status_set(ST_INVALID,
			  "unknown report format '%s' (text, json, html, csv, md, xlsx)",
			  s ? s : "");
}

const struct report_writer *report_writer_get(enum report_format fmt)
{
	if ((unsigned)fmt >= NWRITERS)
		return NULL;
	return writers[fmt];
}

static const struct report_meta no_meta;

status report_school(FILE *out, enum report_format fmt, const struct report_meta *m,
		     const struct school_result *r)
{
	const struct report_writer *w = report_writer_get(fmt);
	struct report_facts fx;
	status st;

	assert(out && r);
	if (!w)
		return status_set(ST_INVALID, "unknown report format %d", (int)fmt);
	if (!w->school)
		return status_set(ST_INVALID, "%s is not available yet", w->name);
	view_facts_school(&fx, m ? m : &no_meta, r);
	if ((st = view_facts_items_of(&fx, r)) == ST_OK)
		st = w->school(out, &fx, r);
	view_facts_release(&fx);
	return st;
}

static bool known_kind(const char *kind)
{
	size_t i;

	for (i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

status report_schools(FILE *out, enum report_format fmt, const char *kind, const char *selector,
		      const struct report_meta *m, const struct school_result *rs, size_t n)
{
	const struct report_writer *w = report_writer_get(fmt);
	struct report_view *v = NULL;
	struct city *c = NULL;
	status st;

	assert(out && (rs || n == 0));
	if (!w)
		return status_set(ST_INVALID, "unknown report format %d", (int)fmt);
	if (!known_kind(kind))
		return status_set(ST_INVALID, "unknown report kind '%s' (unit, city, ranking)",
				  kind ? kind : "");
	if (!w->schools)
		return status_set(ST_INVALID, "%s is not available yet", w->name);
	if ((st = view_new(&v, kind, selector, m ? m : &no_meta, rs, n)) == ST_OK &&
	    (st = city_new(&c, v)) == ST_OK)
		st = w->schools(out, v, c);
	city_free(c);
	view_free(v);
	return st;
}

status report_adoption(FILE *out, enum report_format fmt, const struct report_meta *m,
		       const struct portal_check *v, size_t n)
{
	assert(out && (v || n == 0));
	if (!report_writer_get(fmt))
		return status_set(ST_INVALID, "unknown report format %d", (int)fmt);
	return adoption_write(out, fmt, m ? m : &no_meta, v, n);
}

status report_compare(FILE *out, enum report_format fmt, const char *kind, const char *selector,
		      const struct report_meta *m, const struct school_result *cur, size_t ncur,
		      const struct report_meta *pm, const struct school_result *prev, size_t nprev)
{
	assert(out && (cur || ncur == 0) && (prev || nprev == 0));
	if (!report_writer_get(fmt))
		return status_set(ST_INVALID, "unknown report format %d", (int)fmt);
	if (!kind || (strcmp(kind, "school") != 0 && !known_kind(kind)))
		return status_set(ST_INVALID,
				  "unknown report kind '%s' (school, unit, city, ranking)",
				  kind ? kind : "");
	return compare_write(out, fmt, kind, selector, m ? m : &no_meta, cur, ncur,
			     pm ? pm : &no_meta, prev, nprev);
}

status report_adoption_compare(FILE *out, enum report_format fmt, const struct report_meta *m,
			       const struct portal_check *cur, size_t ncur,
			       const struct report_meta *pm, const struct portal_check *prev,
			       size_t nprev)
{
	assert(out && (cur || ncur == 0) && (prev || nprev == 0));
	if (!report_writer_get(fmt))
		return status_set(ST_INVALID, "unknown report format %d", (int)fmt);
	return adoption_write_compare(out, fmt, m ? m : &no_meta, cur, ncur, pm ? pm : &no_meta,
				      prev, nprev);
}

status report_history(FILE *out, enum report_format fmt, const struct report_meta *m,
		      const struct school_result *v, size_t n)
{
	assert(out && (v || n == 0));
	if (!report_writer_get(fmt))
		return status_set(ST_INVALID, "unknown report format %d", (int)fmt);
	return history_write(out, fmt, m ? m : &no_meta, v, n);
}
