#include "app/audit_one.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "store/pages.h"
#include "store/registry.h"
#include "store/results.h"
#include "store/runs.h"

static status copy_school(struct school_info *dst, const struct school_info *src)
{
	dst->id = str_dup(src->id);
	dst->name = str_dup(src->name);
	dst->unit = str_dup(src->unit);
	dst->level = str_dup(src->level);
	dst->ownership = str_dup(src->ownership);
	dst->portal_url = src->portal_url ? str_dup(src->portal_url) : NULL;
	if (!dst->id || !dst->name || !dst->unit || !dst->level || !dst->ownership ||
	    (src->portal_url && !dst->portal_url))
		return status_set(ST_NOMEM, "out of memory");
	return ST_OK;
}

/* Fills the crawl facts of a school from its crawl in src: which crawl
 * and when, pages, errors, and whether its site can be judged (with the
 * reason when it cannot).  A school no finished crawl covers is "not
 * crawled", which is not a failure of its portal. */
static status site_state(struct store *s, const struct audit_source *src,
			 const struct school_info *si, struct school_result *out)
{
	struct site_outcome o;
	const char *why = NULL;
	char at[21];
	status st = ST_OK;

	memset(&o, 0, sizeof(o));
	if (!si->portal_url || !*si->portal_url) {
		why = "no portal URL registered";
	} else if ((st = runs_school_crawl(s, si->id, src->crawl_run, src->not_before,
					   &out->crawl_run_id, at)) == ST_NOTFOUND) {
		why = REASON_NOT_CRAWLED;
		st = ST_OK;
	} else if (st < 0) {
		return st;
	} else if (!(out->crawled_at = str_dup(at))) {
		return status_set(ST_NOMEM, "out of memory");
	} else if ((st = pages_site_outcome(s, out->crawl_run_id, si->id, &o)) < 0) {
		return st;
	} else {
		out->pages = o.pages;
		out->errors = o.errors;
		if (!o.reachable)
			why = o.reason ? o.reason : "unreachable";
	}
	out->reachable = why == NULL;
	if (why && !(out->unreachable_reason = str_dup(why)))
		st = status_set(ST_NOMEM, "out of memory");
	site_outcome_release(&o);
	return st;
}

status app_audit_school(struct store *s, const struct ruleset *rs, const struct eval_options *eo,
			const struct audit_source *src, const struct school_info *si,
			struct school_result *out)
{
	struct page **pages = NULL;
	size_t npages = 0;
	status st;

	memset(out, 0, sizeof(*out));
	st = copy_school(&out->school, si);
	if (st == ST_OK)
		st = site_state(s, src, si, out);
	if (st == ST_OK && out->reachable)
		st = pages_load(s, out->crawl_run_id, si->id, &pages, &npages);
	/* A school not crawled gets no verdicts: nothing was looked at, so no
	 * item is "unreachable" either. */
	if (st == ST_OK && !school_result_not_crawled(out))
		st = eval_school(rs, eo, pages, npages, out);
	pages_free(pages, npages);
	if (st < 0)
		school_result_release(out);
	return st;
}

status app_audit_begin(struct store *s, const struct ruleset *rs, const struct audit_begin *b,
		       int64_t *run)
{
	const struct rating_band *bands = NULL;
	struct run_info ri = {0};
	struct run_band *rb;
	size_t i;
	status st;

	*run = 0;
	ri.nbands = ruleset_bands(rs, &bands);
	rb = calloc(ri.nbands ? ri.nbands : 1, sizeof(*rb));
	if (!rb)
		return status_set(ST_NOMEM, "out of memory");
	for (i = 0; i < ri.nbands; i++) {
		rb[i].rating = bands[i].rating;
		rb[i].min = bands[i].min;
	}
	ri.kind = "audit";
	ri.scope = b->scope;
	ri.label = b->label;
	ri.params = b->params;
	ri.crawl_run = b->crawl_run;
	ri.ruleset = ruleset_name(rs);
	ri.ruleset_version = ruleset_version(rs);
	ri.ruleset_hash = ruleset_hash(rs);
	ri.period = b->period;
	ri.as_of = b->as_of;
	ri.bands = rb;
	ri.stale_credit = ruleset_stale_credit(rs);
	ri.scored = true;
	st = runs_start(s, &ri);
	free(rb);
	/* The run keeps the registry as it is now (its reports read this). */
	if (st == ST_OK)
		st = registry_snapshot(s, ri.id);
	/* A run inserted without all its bands is marked failed at once. */
	if (st < 0 && ri.id)
		st = app_audit_end(s, ri.id, st);
	else
		*run = ri.id;
	return st;
}

status app_audit_end(struct store *s, int64_t run, status st)
{
	if (st == ST_OK)
		return runs_finish(s, run, "done");
	if (runs_finish(s, run, st == ST_INTERRUPTED ? "interrupted" : "failed") < 0)
		log_warn("%s", status_message());
	return st;
}

status app_audit_single(struct store *s, const struct ruleset *rs, const struct audit_begin *b,
			const struct school_info *si, struct school_result *out, int64_t *run)
{
	struct eval_options eo = EVAL_OPTIONS_INIT;
	struct audit_source src = {b->crawl_run, NULL};
	status st;

	memset(out, 0, sizeof(*out));
	*run = 0;
	eo.period = b->period;
	eo.as_of = b->as_of;
	st = app_audit_begin(s, rs, b, run);
	if (st < 0)
		return st;
	st = app_audit_school(s, rs, &eo, &src, si, out);
	if (st == ST_OK) {
		out->run_id = *run;
		st = store_begin(s);
		if (st == ST_OK && (st = results_put(s, *run, out)) == ST_OK)
			st = store_commit(s);
		else
			store_rollback(s);
	}
	return app_audit_end(s, *run, st);
}
