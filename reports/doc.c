#include "reports/doc.h"

#include <string.h>

#include "reports/writer.h"

status doc_init(struct doc *d, const char *kind, const char *title, const struct report_meta *m,
		const struct report_meta *pm)
{
	status st;

	memset(d, 0, sizeof(*d));
	d->kind = kind;
	if ((st = view_facts(&d->facts, m, NULL, 0)) < 0)
		return st;
	d->facts.title = title;
	if (pm) {
		if ((st = view_facts(&d->prev, pm, NULL, 0)) < 0) {
			doc_release(d);
			return st;
		}
		d->has_prev = true;
	}
	return ST_OK;
}

void doc_release(struct doc *d)
{
	view_facts_release(&d->facts);
	view_facts_release(&d->prev);
	d->has_prev = false;
}

status doc_write(FILE *f, enum report_format fmt, const struct doc *d)
{
	const struct report_writer *w = report_writer_get(fmt);
	size_t i;

	for (i = 0; i < d->ntables; i++)
		if (d->tables[i]->st < 0)
			return d->tables[i]->st;
	if (!w)
		return status_set(ST_INVALID, "unknown report format %d", (int)fmt);
	if (!w->doc)
		return status_set(ST_INVALID, "%s is not available yet", w->name);
	return w->doc(f, d);
}
