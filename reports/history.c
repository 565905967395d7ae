/* A school's results over the periods audited (`report school ID
 * --history`): per period its score, rating and change, and per item the
 * verdict of each period (empty where that period's rule set has no such
 * item), rendered through reports/doc.c in every format. */
#include "reports/history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "reports/doc.h"
#include "reports/view.h"

static bool assessed(const struct school_result *r)
{
	return r->has_score && isfinite(r->score);
}

static void period_table(struct table *t, const struct school_result *v, size_t n)
{
	size_t i, r;

	table_init(t, "periods", "Kết quả theo năm học");
	t->sheet = "Năm học";
	table_col(t, "period", "Năm học", COL_TEXT);
	table_col(t, "audit_run", "Lần đánh giá", COL_INT);
	table_col(t, "as_of", "Ngày đối chiếu", COL_TEXT);
	table_col(t, "ruleset", "Bộ tiêu chí", COL_TEXT);
	table_col(t, "score", "Điểm", COL_SCORE);
	table_col(t, "rating", "Xếp loại", COL_TEXT);
	table_col(t, "delta", "Thay đổi so với năm trước", COL_DELTA);
	for (i = 0; i < n; i++) {
		r = table_row(t);
		table_text(t, r, 0, v[i].period);
		table_num(t, r, 1, (double)v[i].run_id);
		table_text(t, r, 2, v[i].as_of);
		table_text(t, r, 3, v[i].ruleset);
		if (!assessed(&v[i]))
			continue;
		table_num(t, r, 4, v[i].score);
		table_text(t, r, 5, v[i].rating);
		if (i > 0 && assessed(&v[i - 1]))
			table_num(t, r, 6, v[i].score - v[i - 1].score);
	}
}

static const struct finding *find_item(const struct school_result *r, const char *item)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].item, item) == 0)
			return &r->findings[i];
	return NULL;
}

/* True when an earlier-listed period (newer ones are listed first) had
 * the item, so its row is already written. */
static bool listed(const struct school_result *v, size_t n, size_t from, const char *item)
{
	size_t k;

	for (k = n; k-- > from + 1;)
		if (find_item(&v[k], item))
			return true;
	return false;
}

/* Items in the order of the newest period's rule set, then those only
 * older rule sets have; one verdict column per period. */
static void item_table(struct table *t, const struct school_result *v, size_t n)
{
	size_t i, j, k, r;

	table_init(t, "items", "Kết quả từng mục theo năm học");
	t->sheet = "Mục";
	table_col(t, "item", "Mục", COL_TEXT);
	table_col(t, "title", "Tên", COL_TEXT);
	for (i = 0; i < n; i++)
		table_col(t, v[i].period ? v[i].period : "?", v[i].period ? v[i].period : "?",
			  COL_VERDICT);
	for (i = n; i-- > 0;) {
		for (j = 0; j < v[i].nfindings; j++) {
			const struct finding *f = &v[i].findings[j];

			if (listed(v, n, i, f->item))
				continue;
			r = table_row(t);
			table_text(t, r, 0, f->item);
			table_text(t, r, 1, f->title);
			for (k = 0; k < n; k++) {
				const struct finding *g = find_item(&v[k], f->item);

				if (g)
					table_text(t, r, 2 + k, verdict_str(g->verdict));
			}
		}
	}
}

/* One note per period whose verdicts people decided: how many, and the
 * score before (a period without decisions adds none, so a history
 * without them reads as before).  notes holds n entries; *nnotes set. */
static status decision_notes(char **notes, size_t *nnotes, const struct school_result *v, size_t n)
{
	struct view_fact rf[2];
	size_t i, k, nf;

	*nnotes = 0;
	for (i = 0; i < n; i++) {
		struct buf b = BUF_INIT(1024);
		status st = ST_OK;

		if (!(nf = view_reviewed_facts(rf, &v[i])))
			continue;
		st = buf_printf(&b, "Năm học %s:", v[i].period ? v[i].period : "?");
		for (k = 0; st == ST_OK && k < nf; k++)
			st = buf_printf(&b, "%s %s: %s", k ? ";" : "", rf[k].label, rf[k].value);
		if (st < 0 || !(notes[*nnotes] = buf_detach(&b))) {
			buf_release(&b);
			return status_set(ST_NOMEM, "out of memory writing a history");
		}
		(*nnotes)++;
	}
	return ST_OK;
}

status history_write(FILE *f, enum report_format fmt, const struct report_meta *m,
		     const struct school_result *v, size_t n)
{
	char **notes = calloc(n ? n : 1, sizeof(*notes));
	struct table tp, ti;
	size_t nnotes = 0, i;
	struct doc d;
	status st;

	table_init(&tp, "periods", "");
	table_init(&ti, "items", "");
	if (!notes)
		return status_set(ST_NOMEM, "out of memory writing a history");
	st = decision_notes(notes, &nnotes, v, n);
	if (st == ST_OK)
		st = doc_init(&d, "history",
			      m->title ? m->title : "Kết quả công khai của trường qua các năm học",
			      m, NULL);
	if (st < 0)
		goto out;
	d.selector = n ? v[0].school.id : NULL;
	period_table(&tp, v, n);
	item_table(&ti, v, n);
	d.tables[d.ntables++] = &tp;
	d.tables[d.ntables++] = &ti;
	d.notes = nnotes ? notes : NULL;
	d.nnotes = nnotes;
	st = doc_write(f, fmt, &d);
	doc_release(&d);
out:
	table_release(&tp);
	table_release(&ti);
	for (i = 0; i < nnotes; i++)
		free(notes[i]);
	free(notes);
	return st;
}
