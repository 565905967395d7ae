/* CSV: UTF-8 with a BOM (so spreadsheet programs read Vietnamese right),
 * CRLF line ends, RFC 4180 quoting, formula cells neutralised. */
#include <math.h>
#include <stdlib.h>

#include "reports/doc.h"
#include "reports/out.h"
#include "reports/wording.h"
#include "reports/writer.h"

#define BOM "\xEF\xBB\xBF"

static void cell(struct out *o, const char *s, bool last)
{
	out_csv(o, s);
	out_s(o, last ? "\r\n" : ",");
}

static void num_cell(struct out *o, double v, bool last)
{
	if (isfinite(v))
		out_num(o, v);
	out_s(o, last ? "\r\n" : ",");
}

static void id_cell(struct out *o, int64_t id, bool last)
{
	if (id > 0)
		out_f(o, "%lld", (long long)id);
	out_s(o, last ? "\r\n" : ",");
}

/* The columns after the stored codes: the machine verdict and the
 * decision, empty for a finding no decision touches. */
static void decision_cells(struct out *o, const struct finding *f)
{
	const struct decision *d = f->decision_state != DECISION_NONE ? f->decision : NULL;
	bool any = f->decision_state != DECISION_NONE;

	cell(o, any ? verdict_str(f->machine_verdict) : NULL, false);
	cell(o, wording_decision_key(f->decision_state), false);
	id_cell(o, d ? d->id : 0, false);
	cell(o, d ? verdict_str(d->verdict) : NULL, false);
	cell(o, d ? d->by : NULL, false);
	cell(o, d ? d->at : NULL, false);
	cell(o, d ? d->reason : NULL, false);
	cell(o, d ? d->evidence_url : NULL, false);
	id_cell(o, d ? d->appeal_id : 0, false);
	cell(o, any ? verdict_label(f->machine_verdict) : NULL, false);
	cell(o, wording_decision_label(f->decision_state), true);
}

static status csv_school(FILE *f, const struct report_facts *fx, const struct school_result *r)
{
	struct out o;
	size_t i;

	out_init(&o, f, fx->stop);
	out_s(&o,
	      BOM "school_id,item,title,verdict,url,evidence,date,date_source,period_found,"
		  "weight,verdict_vi,date_source_vi,note_vi,requirement,looked_vi,remedy_vi,"
		  "machine_verdict,decision_state,decision_id,decision_verdict,decided_by,"
		  "decided_at,decision_reason,decision_evidence_url,appeal_id,machine_verdict_vi,"
		  "decision_state_vi\r\n");
	for (i = 0; i < r->nfindings; i++) {
		const struct finding *fd = &r->findings[i];
		struct wording_finding w;

		cell(&o, r->school.id, false);
		cell(&o, fd->item, false);
		cell(&o, fd->title, false);
		cell(&o, verdict_str(fd->verdict), false);
		cell(&o, fd->url, false);
		cell(&o, fd->evidence, false);
		cell(&o, fd->date, false);
		cell(&o, fd->date_source, false);
		cell(&o, fd->period_found, false);
		num_cell(&o, fd->weight, false);
		/* Beside the stored codes, what people read (wording.h). */
		wording_finding_init(&w, fd, r, fx->period);
		cell(&o, verdict_label(fd->verdict), false);
		cell(&o, fd->date_source ? wording_date_source(fd->date_source) : NULL, false);
		cell(&o, w.note ? w.note : fd->note, false);
		cell(&o, w.requirement ? w.requirement : w.basis, false);
		cell(&o, w.looked, false);
		cell(&o, w.remedy, false);
		wording_finding_release(&w);
		decision_cells(&o, fd);
	}
	return out_finish(&o);
}

/* The snapshot (docs/REPORTS.md): one row per school, one column per item
 * id holding its verdict key, empty where the item does not apply; the
 * run's period, as-of date and rule set on every row, so rows of several
 * snapshots can be stacked.  Like GSA Site Scanning's published CSV. */
static status csv_snapshot(FILE *f, const struct report_view *v)
{
	const struct report_facts *fx = &v->facts;
	unsigned char *row = malloc(v->nitems ? v->nitems : 1);
	struct out o;
	size_t i, k;

	if (!row)
		return status_set(ST_NOMEM, "out of memory writing the snapshot");
	out_init(&o, f, fx->stop);
	out_s(&o,
	      BOM "school_id,name,unit,level,ownership,portal_url,reachable,reason,score,rating,"
		  "period,as_of,ruleset");
	for (k = 0; k < v->nitems; k++) {
		out_s(&o, ",");
		out_csv(&o, v->items[k].item);
	}
	out_s(&o, "\r\n");
	for (i = 0; i < v->n; i++) {
		const struct view_school *vs = &v->schools[i];
		const struct school_result *r = vs->r;

		cell(&o, r->school.id, false);
		cell(&o, r->school.name, false);
		cell(&o, r->school.unit, false);
		cell(&o, r->school.level, false);
		cell(&o, r->school.ownership, false);
		cell(&o, r->school.portal_url, false);
		out_s(&o, r->reachable ? "true," : "false,");
		cell(&o, vs->assessed ? r->unreachable_reason : view_unassessed_reason(r), false);
		if (vs->assessed)
			out_num(&o, r->score);
		out_s(&o, ",");
		cell(&o, vs->assessed ? r->rating : NULL, false);
		cell(&o, r->period ? r->period : fx->period, false);
		cell(&o, r->as_of ? r->as_of : fx->as_of, false);
		out_csv(&o, r->ruleset ? r->ruleset : fx->ruleset);
		view_school_verdicts(v, r, row);
		for (k = 0; k < v->nitems; k++) {
			out_s(&o, ",");
			if (row[k] != VIEW_NO_VERDICT)
				out_s(&o, verdict_str((enum verdict)row[k]));
		}
		out_s(&o, "\r\n");
	}
	free(row);
	return out_finish(&o);
}

static status csv_schools(FILE *f, const struct report_view *v, const struct city *c)
{
	struct out o;
	size_t i;

	(void)c;
	if (v->snapshot)
		return csv_snapshot(f, v);
	out_init(&o, f, v->facts.stop);
	out_s(&o, BOM "school_id,name,unit,level,score,rating,reachable,reason");
	out_s(&o, v->ranking ? ",rank,group_rank,level_vi,reason_vi" : ",level_vi,reason_vi");
	out_s(&o, ",decided,outdated,machine_score\r\n");
	for (i = 0; i < v->n; i++) {
		const struct view_school *vs = &v->schools[i];
		const struct school_result *r = vs->r;
		const char *reason;
		char level[128], *vi;

		cell(&o, r->school.id, false);
		cell(&o, r->school.name, false);
		cell(&o, r->school.unit, false);
		cell(&o, r->school.level, false);
		if (vs->assessed)
			out_num(&o, r->score);
		out_s(&o, ",");
		cell(&o, vs->assessed ? r->rating : NULL, false);
		out_s(&o, r->reachable ? "true," : "false,");
		out_csv(&o, vs->assessed ? r->unreachable_reason : view_unassessed_reason(r));
		if (v->ranking && vs->assessed)
			out_f(&o, ",%zu,%zu", vs->rank, vs->group_rank);
		else if (v->ranking)
			out_s(&o, ",,");
		out_s(&o, ",");
		cell(&o, wording_level(level, sizeof(level), r->school.level), false);
		reason = vs->assessed ? r->unreachable_reason : view_unassessed_reason(r);
		vi = wording_note(reason);
		cell(&o, vi ? vi : reason, false);
		free(vi);
		/* How many verdicts people decided, and the score without them. */
		out_f(&o, "%zu,%zu,", vs->decided, vs->outdated);
		if (vs->decided && r->machine_has_score)
			out_num(&o, r->machine_score);
		out_s(&o, "\r\n");
	}
	return out_finish(&o);
}

/* A table report's CSV holds one of its tables (d->csv_table). */
static status csv_doc(FILE *f, const struct doc *d)
{
	struct out o;

	out_init(&o, f, d->facts.stop);
	out_s(&o, BOM);
	if (d->csv_table < d->ntables)
		table_write_csv(&o, d->tables[d->csv_table]);
	return out_finish(&o);
}

const struct report_writer csv_writer = {
	.name = "csv",
	.format = REPORT_CSV,
	.school = csv_school,
	.schools = csv_schools,
	.doc = csv_doc,
};
