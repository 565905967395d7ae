#include "reports/adoption.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/buf.h"

const char *const adoption_levels[ADOPTION_NLEVELS] = {"mn", "th", "thcs", "thpt", "gdtx"};

/* Ids listed in one note before "… và N trường khác". */
#define NOTE_IDS 20

/* The schools of one kind of inconsistency, gathered for one note. */
struct flagged {
	const char **ids;
	size_t n;
};

enum flag { FLAG_ABSENT, FLAG_UNCHECKED, FLAG_NO_URL, FLAG_LEVEL, NFLAGS };

bool adoption_rate(const struct adoption_cell *c, double *rate)
{
	if (!c->schools) {
		*rate = 0;
		return false;
	}
	/* with_portal never exceeds schools when counted here; the cap keeps
	 * a report from ever showing more than 100 % whatever the input. */
	*rate = c->with_portal >= c->schools ? 1.0 : (double)c->with_portal / (double)c->schools;
	return true;
}

bool adoption_working(const struct portal_check *p)
{
	return p->in_run && p->checked && p->working && p->school.portal_url &&
	       p->school.portal_url[0];
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int adoption_unit_cmp(const char *a, const char *b)
{
	a = a ? a : "";
	b = b ? b : "";
	while (*a && *b) {
		if (is_digit(*a) && is_digit(*b)) {
			const char *ea = a, *eb = b;

			while (*a == '0' && is_digit(a[1]))
				a++;
			while (*b == '0' && is_digit(b[1]))
				b++;
			for (ea = a; is_digit(*ea); ea++)
				;
			for (eb = b; is_digit(*eb); eb++)
				;
			if (ea - a != eb - b)
				return ea - a < eb - b ? -1 : 1;
			for (; a < ea; a++, b++)
				if (*a != *b)
					return *a < *b ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct adoption_row *a = pa, *b = pb;

	return adoption_unit_cmp(a->unit, b->unit);
}

static struct adoption_row *unit_row(struct adoption *a, size_t *cap, const char *unit)
{
	size_t i;

	for (i = 0; i < a->nunits; i++)
		if (strcmp(a->units[i].unit, unit) == 0)
			return &a->units[i];
	if (ARRAY_GROW(a->units, a->nunits + 1, *cap) < 0)
		return NULL;
	memset(&a->units[a->nunits], 0, sizeof(a->units[0]));
	a->units[a->nunits].unit = unit;
	return &a->units[a->nunits++];
}

static void add(struct adoption_cell *c, bool working)
{
	c->schools++;
	c->with_portal += working;
}

/* Counts one school in each level it teaches (once per level even if the
 * registry repeats one); false when a component is no known level. */
static bool count_levels(struct adoption_row *row, struct adoption_row *total, const char *level,
			 bool working)
{
	bool seen[ADOPTION_NLEVELS] = {false}, known = level && level[0];
	const char *p = level ? level : "";
	size_t i;

	while (*p) {
		size_t len = strcspn(p, "+");

		for (i = 0; i < ADOPTION_NLEVELS; i++)
			if (strlen(adoption_levels[i]) == len &&
			    strncmp(p, adoption_levels[i], len) == 0)
				break;
		if (i < ADOPTION_NLEVELS)
			seen[i] = true;
		else
			known = false;
		p += len;
		p += *p == '+';
	}
	for (i = 0; i < ADOPTION_NLEVELS; i++) {
		if (!seen[i])
			continue;
		add(&row->level[i], working);
		add(&total->level[i], working);
	}
	return known;
}

static bool flag(struct flagged *f, const char *id)
{
	if (ARRAY_RESIZE(f->ids, f->n + 1) < 0)
		return false;
	f->ids[f->n++] = id ? id : "?";
	return true;
}

static const char *const note_text[NFLAGS] = {
	/* No run id: people read counts and dates (the report's provenance). */
	"trường có trong danh mục nhưng không có kết quả trong lần đánh giá này "
	"(tính là chưa có cổng thông tin hoạt động)",
	"trường không có kết quả của mục \"Cổng thông tin điện tử truy cập được\" trong lần "
	"đánh giá này (tính là chưa có cổng thông tin hoạt động)",
	"trường đạt mục \"Cổng thông tin điện tử truy cập được\" nhưng không còn địa chỉ cổng "
	"thông tin trong danh mục (không tính là có cổng)",
	"trường có cấp học không rõ (chỉ tính vào cột tất cả)",
};

static status make_note(struct adoption *a, const struct flagged *f, enum flag k, long long run)
{
	struct buf b = BUF_INIT(1u << 20);
	size_t i;
	status st = buf_printf(&b, "%zu ", f->n);

	(void)run;
	if (st == ST_OK)
		st = buf_adds(&b, note_text[k]);
	for (i = 0; st == ST_OK && i < f->n && i < NOTE_IDS; i++)
		st = buf_printf(&b, "%s%s", i ? ", " : ": ", f->ids[i]);
	if (st == ST_OK && f->n > NOTE_IDS)
		st = buf_printf(&b, " … và %zu trường khác", f->n - NOTE_IDS);
	if (st == ST_OK && (st = ARRAY_RESIZE(a->notes, a->nnotes + 1)) == ST_OK) {
		if ((a->notes[a->nnotes] = buf_detach(&b)) != NULL) {
			a->nnotes++;
			return ST_OK;
		}
	}
	buf_release(&b);
	return st < 0 ? st : status_set(ST_NOMEM, "out of memory writing a note");
}

static status count(struct adoption *a, const struct portal_check *v, size_t n, struct flagged *fl)
{
	size_t i, cap = 0;

	for (i = 0; i < n; i++) {
		const struct portal_check *p = &v[i];
		const char *unit =
			p->school.unit && p->school.unit[0] ? p->school.unit : "(chưa rõ)";
		struct adoption_row *row = unit_row(a, &cap, unit);
		bool working = adoption_working(p), ok = true;

		if (!row)
			return status_set(ST_NOMEM, "out of memory counting adoption");
		add(&row->all, working);
		add(&a->total.all, working);
		row->audited += p->in_run;
		a->total.audited += p->in_run;
		if (!count_levels(row, &a->total, p->school.level, working))
			ok = flag(&fl[FLAG_LEVEL], p->school.id);
		if (!p->in_run)
			ok = ok && flag(&fl[FLAG_ABSENT], p->school.id);
		else if (!p->checked)
			ok = ok && flag(&fl[FLAG_UNCHECKED], p->school.id);
		else if (p->working && !working)
			ok = ok && flag(&fl[FLAG_NO_URL], p->school.id);
		if (!ok)
			return status_set(ST_NOMEM, "out of memory counting adoption");
	}
	return ST_OK;
}

status adoption_new(struct adoption **out, const struct portal_check *v, size_t n, long long run)
{
	struct flagged fl[NFLAGS];
	struct adoption *a = calloc(1, sizeof(*a));
	status st = a ? ST_OK : status_set(ST_NOMEM, "out of memory counting adoption");
	size_t k;

	*out = NULL;
	memset(fl, 0, sizeof(fl));
	if (st == ST_OK)
		st = count(a, v, n, fl);
	for (k = 0; k < NFLAGS; k++) {
		if (st == ST_OK && fl[k].n)
			st = make_note(a, &fl[k], (enum flag)k, run);
		free(fl[k].ids);
	}
	if (st < 0) {
		adoption_free(a);
		return st;
	}
	qsort(a->units, a->nunits, sizeof(*a->units), cmp_rows);
	*out = a;
	return ST_OK;
}

void adoption_free(struct adoption *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nnotes; i++)
		free(a->notes[i]);
	free(a->notes);
	free(a->units);
	free(a);
}
