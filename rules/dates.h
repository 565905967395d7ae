/* Dates and school-year labels as Vietnamese school sites write them.
 *
 * Every function reads the *plain* form of norm_fold (lower case, no
 * diacritics, đ → d, dashes lumped to '-'), so "Năm học 2017–2018" and
 * "NAM HOC 2017 - 2018" look the same here.  Nothing allocates; results are
 * byte spans of the plain text given. */
#ifndef RULES_DATES_H
#define RULES_DATES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"

struct school_year {
	int first;    /* 2017 for "2017-2018" */
	size_t start; /* byte span of the label in the text */
	size_t len;
};

/* Finds the first school-year label: "nam hoc 2017-2018", "2017 - 2018",
 * "2017_2018", "2017/2018", "20172018", "nh 17-18", "nam hoc 2017-18",
 * slug "nam-hoc-2017-2018".  The second year must be the first plus one. */
bool dates_find_school_year(const char *plain, struct school_year *out);
/* Every school-year label, in order; returns how many were found (at most
 * max are written). */
size_t dates_find_school_years(const char *plain, struct school_year *out, size_t max);

/* A calendar-year label as finance disclosures write it: "nam 2017",
 * "quyet toan nam 2017", "nam tai chinh 2017" (a "nam hoc" label is not a
 * calendar year).  Returns true and the first such year. */
bool dates_find_calendar_year(const char *plain, int *year);

struct date_found {
	int y, m, d;
	int hour, min; /* -1 when no time was written */
	size_t start, len;
};

/* Every calendar date, in order: dd/mm/yyyy, d/m/yyyy (also with '-' or
 * '.'), "ngay d thang m nam yyyy", "d thang m yyyy", ISO 8601
 * "yyyy-mm-dd[Thh:mm...]", with an optional "hh:mm" after the date
 * ("thu sau, 29/09/2017 08:15").  Only real calendar dates count.  Returns
 * how many were found (at most max are written). */
size_t dates_find_dates(const char *plain, struct date_found *out, size_t max);

/* The post date a page states: a date after a label "ngay dang", "dang
 * ngay", "dang luc", "thoi gian dang" or a weekday ("thu sau, 29/09/2017
 * 08:15", "thu sau, 18/9/2026, 20:22"); with `updated` also "cap nhat",
 * "ngay cap nhat" (a later edit, used when no post date is written).
 * Returns true and the first such date. */
bool dates_find_post_date(const char *plain, bool updated, struct date_found *out);

/* The date of the document a page carries: the first "ngay d thang m nam
 * yyyy" of an official header ("TP. Ho Chi Minh, ngay 5 thang 9 nam
 * 2024").  Dates of other documents cited after "can cu" do not count. */
bool dates_find_document_date(const char *plain, struct date_found *out);

/* Whether the date starting at byte `at` of a plain text belongs to a
 * legal citation rather than dating the text itself: "Thong tu
 * 09/2009/TT-BGDDT ngay 07/5/2009", "Nghi quyet so 12/NQ-HDND ngay ...",
 * "can cu Quyet dinh ... ngay ...".  Looks back to the start of the
 * clause (a '.', ';' or ':' ends one), at most 60 bytes, for the name
 * of a legal document type, and 40 bytes for a document number
 * ("09/2009/tt-bgddt", "12/nq-hdnd"). */
bool dates_in_citation(const char *plain, size_t at);

/* Parses an HTTP date (RFC 9110: IMF-fixdate "Sun, 06 Nov 1994 08:49:37
 * GMT", the obsolete RFC 850 and asctime forms). */
bool dates_parse_http(const char *s, struct date_found *out);

/* Working days (Monday to Friday) after `from` up to and including `to`,
 * both days since the epoch; 0 when to <= from.  Public holidays are not
 * known here and count as working days. */
long dates_working_days(long long from, long long to);

#endif
