#include "core/finding.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"

static const char *const verdict_names[] = {"pass", "stale", "missing", "unreachable", "review"};
static const char *const verdict_labels[] = {
	"Đạt", "Cũ (chưa cập nhật)", "Thiếu", "Không truy cập được", "Cần xem xét",
};

const char *verdict_str(enum verdict v)
{
	if ((unsigned)v >= sizeof(verdict_names) / sizeof(verdict_names[0]))
		return "unknown";
	return verdict_names[v];
}

const char *verdict_label(enum verdict v)
{
	if ((unsigned)v >= sizeof(verdict_labels) / sizeof(verdict_labels[0]))
		return "?";
	return verdict_labels[v];
}

status verdict_parse(const char *s, enum verdict *out)
{
	size_t i;

	for (i = 0; i < sizeof(verdict_names) / sizeof(verdict_names[0]); i++) {
		if (s && strcmp(s, verdict_names[i]) == 0) {
			*out = (enum verdict)i;
			return ST_OK;
		}
	}
	return status_set(ST_INVALID, "unknown verdict '%s'", s ? s : "");
}

void decision_release(struct decision *d)
{
	if (!d)
		return;
	free(d->reason);
	free(d->by);
	free(d->at);
	free(d->evidence_url);
	memset(d, 0, sizeof(*d));
}

void finding_release(struct finding *f)
{
	if (!f)
		return;
	decision_release(f->decision);
	free(f->decision);
	free(f->item);
	free(f->title);
	free(f->group);
	free(f->basis);
	free(f->url);
	free(f->evidence);
	free(f->date);
	free(f->date_source);
	free(f->period_found);
	free(f->note);
	free(f->requirement);
	free(f->remedy);
	memset(f, 0, sizeof(*f));
}

void school_info_release(struct school_info *s)
{
	if (!s)
		return;
	free(s->id);
	free(s->name);
	free(s->unit);
	free(s->level);
	free(s->ownership);
	free(s->portal_url);
	free(s->former_unit);
	free(s->former_province);
	memset(s, 0, sizeof(*s));
}

bool school_result_not_crawled(const struct school_result *r)
{
	return !r->reachable && r->unreachable_reason &&
	       strcmp(r->unreachable_reason, REASON_NOT_CRAWLED) == 0;
}

void school_result_release(struct school_result *r)
{
	size_t i;

	if (!r)
		return;
	school_info_release(&r->school);
	free(r->crawled_at);
	free(r->period);
	free(r->as_of);
	free(r->ruleset);
	free(r->ruleset_version);
	free(r->ruleset_hash);
	free(r->unreachable_reason);
	free(r->rating);
	free(r->machine_rating);
	for (i = 0; i < r->nfindings; i++)
		finding_release(&r->findings[i]);
	free(r->findings);
	memset(r, 0, sizeof(*r));
}

status school_result_add(struct school_result *r, struct finding *f)
{
	status st = ARRAY_RESIZE(r->findings, r->nfindings + 1);

	if (st < 0)
		return st;
	r->findings[r->nfindings++] = *f;
	memset(f, 0, sizeof(*f));
	return ST_OK;
}
