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

static status csv_school(FILE *f, const struct report_facts *fx, const struct school_result *r)
{
	struct out o;
	size_t i;

	out_init(&o, f, fx->stop);
	out_s(&o,
	      BOM "school_id,item,title,verdict,url,evidence,date,date_source,period_found,"
		  "weight,verdict_vi,date_source_vi,note_vi,requirement,looked_vi,remedy_vi\r\n");
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
		cell(&o, w.remedy, true);
		wording_finding_release(&w);
	}
	return out_finish(&o);
}

static status csv_schools(FILE *f, const struct report_view *v, const struct city *c)
{
	struct out o;
	size_t i;

	(void)c;
	out_init(&o, f, v->facts.stop);
	out_s(&o, BOM "school_id,name,unit,level,score,rating,reachable,reason");
	out_s(&o,
	      v->ranking ? ",rank,group_rank,level_vi,reason_vi\r\n" : ",level_vi,reason_vi\r\n");
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
		cell(&o, vi ? vi : reason, true);
		free(vi);
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
