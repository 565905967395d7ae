/* What a person reads, in Vietnamese: the one table that turns the
 * program's internal English words (crawl reasons, audit notes, date
 * sources, level codes, legal bases) into Vietnamese at rendering time.
 * The store keeps the English codes (the JSON contract); every human
 * format prints these.  Internal to reports/.
 *
 * The returned strings may carry parts of the input (a URL, a host, a
 * date), so they are untrusted: escape them for the format.  Strings the
 * table does not know are returned as they are. */
#ifndef REPORTS_WORDING_H
#define REPORTS_WORDING_H

#include <stddef.h>

#include "core/finding.h"

/* A crawl or audit reason ("dns", "connect", "http 404", "address guard:
 * 10.0.0.1 not allowed", "robots", "parked", ...) or an audit note
 * ("page dated 2017-09-15 (page)", "4 posts dated ... (want 40): ...";
 * several joined by "; ") in Vietnamese.  Allocated; NULL when s is NULL
 * or memory runs out (print s then). */
char *wording_note(const char *s);

/* The Vietnamese of a reason or note that carries no value ("connect",
 * "parked", "no portal URL registered" ...): static; s itself when the
 * table has no such row (wording_note also translates those with values). */
const char *wording_word(const char *s);

/* Where a date was read (label, body, document, title, page, meta,
 * sitemap, http) in Vietnamese; s itself when unknown, NULL for NULL. */
const char *wording_date_source(const char *s);

/* A level code of the registry ("mn", "th", "thcs", "thpt", "gdtx", or
 * several joined by '+') in Vietnamese, written into dst ("Mầm non",
 * "Tiểu học + THCS"); an unknown code is copied as it is.  Returns dst,
 * or NULL for NULL. */
const char *wording_level(char *dst, size_t n, const char *level);

/* A legal basis as people cite it ("TT 09/2024/TT-BGDĐT, điều 4, khoản 1"
 * → "Điều 4 khoản 1 Thông tư 09/2024/TT-BGDĐT"), written into dst.
 * Returns dst, or NULL for NULL. */
const char *wording_basis(char *dst, size_t n, const char *basis);

/* A report kind ("school", "unit", "city", "ranking", "adoption") in
 * Vietnamese; kind itself when unknown. */
const char *wording_kind(const char *kind);

/* Every text a human format prints for one finding, in Vietnamese.
 * Strings may hold crawled parts: escape them. */
struct wording_finding {
	const char *requirement; /* the rule's sentence, or NULL (older runs) */
	char basis[256];         /* "Điều 4 khoản 1 Thông tư 09/2024/TT-BGDĐT", or "" */
	char date[160];          /* "2017-09-15 (theo nhãn năm học)", or "" */
	char *note;              /* wording_note(f->note), or NULL */
	char looked[320];        /* not pass: where the program looked and what it saw, or "" */
	char *remedy;            /* missing, stale, review: the rule's remedy with "{period}"
				    as the audited school year, or NULL */
};

/* Fills w for f of school r audited for `period` (may be NULL).  Never
 * fails: a text that cannot be allocated is left out. */
void wording_finding_init(struct wording_finding *w, const struct finding *f,
			  const struct school_result *r, const char *period);
void wording_finding_release(struct wording_finding *w);

/* One "label: value" line a human format prints; label is trusted text,
 * value may come from a person or a site (escape it). */
struct wording_line {
	const char *label, *value;
};

#define WORDING_NDECISION 7

/* The decision on a finding as every human format prints it beside the
 * final verdict (docs/REPORTS.md, "Decisions").  Applied: the machine
 * verdict ("Máy đánh giá: Thiếu"), who, when, why, the reviewer's
 * evidence URL and the appeal.  Outdated: a "Cần xem xét lại" line (the
 * machine verdict is final), then the old decision's verdict, who, when,
 * why.  The values of by, at, reason and the URL are untrusted. */
struct wording_decision {
	const char *state; /* "Đã xem xét", "Cần xem xét lại"; NULL: no decision */
	struct wording_line line[WORDING_NDECISION];
	size_t n;
	char appeal[48]; /* "số 12", backing the appeal line */
};

/* Fills w for f (n = 0 and state NULL when f has no decision). */
void wording_decision_init(struct wording_decision *w, const struct finding *f);
/* "applied", "outdated", or NULL for DECISION_NONE (JSON, CSV). */
const char *wording_decision_key(enum decision_state st);
/* "Đã xem xét", "Cần xem xét lại", or NULL for DECISION_NONE. */
const char *wording_decision_label(enum decision_state st);

#endif
