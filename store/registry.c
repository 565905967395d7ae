#include "store/registry.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/array.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/hash.h"
#include "core/norm.h"
#include "core/str.h"
#include "core/urlsplit.h"
#include "store/csv.h"

/* The first NREQ columns are required; the others are optional. */
enum col {
	COL_ID,
	COL_NAME,
	COL_UNIT,
	COL_LEVEL,
	COL_OWNERSHIP,
	COL_URL,
	COL_FORMER_UNIT,
	COL_FORMER_PROVINCE,
	NCOLS
};
#define NREQ (COL_URL + 1)

static const char *const col_names[NCOLS] = {"school_id",   "name",           "unit",
					     "level",       "ownership",      "portal_url",
					     "former_unit", "former_province"};

#define COLUMN_LIST "school_id, name, unit, level, ownership, portal_url"
#define OPTIONAL_LIST "former_unit, former_province"

/* The registry columns of the store, in the order read_info reads them. */
#define SCHOOL_COLS "id, name, unit, level, ownership, portal_url, former_unit, former_province"

/* Canonical order of the levels: the order of schooling. */
static const char *const level_names[] = {"mn", "th", "thcs", "thpt", "gdtx"};
#define NLEVELS ((int)(sizeof(level_names) / sizeof(level_names[0])))

/* A value quoted in a message: control characters shown as '?' (messages
 * stay on one line) and long values cut at a character boundary. */
#define SHOW_MAX 60

struct seen {
	char *id;
	long line;
};

struct importer {
	const char *path;
	FILE *errs;
	int nerrors;
	bool have_header, header_ok;
	size_t ncols;             /* fields in the header */
	int colmap[NCOLS];        /* field index of each column, -1 when missing */
	struct school_info *rows; /* valid rows, in file order */
	size_t nrows, caprows;
	struct seen *ids; /* open-addressing set of school ids with their line */
	size_t nids, capids;
};

static void show(char out[SHOW_MAX * 4 + 8], const char *v)
{
	size_t i = 0, o = 0;

	while (v[i] && i < SHOW_MAX) {
		unsigned char c = (unsigned char)v[i];

		out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
		i++;
	}
	if (v[i]) {
		/* Finish the character we are in, then mark the cut. */
		/* At most 3 continuation bytes belong to one UTF-8 character;
		 * input that is not UTF-8 may have any number. */
		int k = 0;

		while (k++ < 3 && ((unsigned char)v[i] & 0xC0) == 0x80)
			out[o++] = v[i++];
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* Prints one error "file:line: message" (line 0: "file: message"), or only
 * counts it past the cap. */
static void report(struct importer *im, long line, const char *fmt, ...) PA_PRINTF(3, 4);
static void report(struct importer *im, long line, const char *fmt, ...)
{
	va_list ap;

	if (++im->nerrors > REGISTRY_MAX_ERRORS || !im->errs)
		return;
	if (line > 0)
		fprintf(im->errs, "%s:%ld: ", im->path, line);
	else
		fprintf(im->errs, "%s: ", im->path);
	va_start(ap, fmt);
	vfprintf(im->errs, fmt, ap);
	va_end(ap);
	fputc('\n', im->errs);
}

/* Prints an error already in "file:line: message" form. */
static void report_raw(struct importer *im, const char *msg)
{
	if (++im->nerrors <= REGISTRY_MAX_ERRORS && im->errs)
		fprintf(im->errs, "%s\n", msg);
}

static void importer_release(struct importer *im)
{
	size_t i;

	for (i = 0; i < im->nrows; i++)
		school_info_release(&im->rows[i]);
	free(im->rows);
	for (i = 0; i < im->capids; i++)
		free(im->ids[i].id);
	free(im->ids);
}

static struct seen *id_slot(struct seen *v, size_t cap, const char *id)
{
	size_t i = (size_t)hash_str(id) & (cap - 1);

	while (v[i].id && strcmp(v[i].id, id) != 0)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

/* Records id at line; when it was seen before returns that line in *first
 * and records nothing. */
static status ids_add(struct importer *im, const char *id, long line, long *first)
{
	struct seen *slot;
	size_t i;

	*first = 0;
	if (2 * (im->nids + 1) > im->capids) {
		size_t ncap = im->capids ? im->capids * 2 : 256;
		struct seen *nv = calloc(ncap, sizeof(*nv));

		if (!nv)
			return status_set(ST_NOMEM, "%s: out of memory", im->path);
		for (i = 0; i < im->capids; i++)
			if (im->ids[i].id)
				*id_slot(nv, ncap, im->ids[i].id) = im->ids[i];
		free(im->ids);
		im->ids = nv;
		im->capids = ncap;
	}
	slot = id_slot(im->ids, im->capids, id);
	if (slot->id) {
		*first = slot->line;
		return ST_OK;
	}
	if (!(slot->id = str_dup(id)))
		return status_set(ST_NOMEM, "%s: out of memory", im->path);
	slot->line = line;
	im->nids++;
	return ST_OK;
}

status registry_level_canon(const char *level, char **out)
{
	char shown[SHOW_MAX * 4 + 8];
	const char *p = level;
	unsigned mask = 0;
	struct buf b = BUF_INIT(64);
	int i;

	*out = NULL;
	show(shown, level);
	if (!*level)
		return status_set(ST_INVALID, "empty level");
	for (;;) {
		const char *end = strchr(p, '+');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (!n)
			return status_set(ST_INVALID, "level '%s' has an empty part around '+'",
					  shown);
		for (i = 0; i < NLEVELS; i++)
			if (strlen(level_names[i]) == n && strncasecmp(p, level_names[i], n) == 0)
				break;
		if (i == NLEVELS)
			return status_set(
				ST_INVALID,
				"unknown level '%s' (expected mn, th, thcs, thpt or gdtx, "
				"or a '+'-joined combination such as th+thcs)",
				shown);
		if (mask & (1u << i))
			return status_set(ST_INVALID, "level '%s' names '%s' twice", shown,
					  level_names[i]);
		mask |= 1u << i;
		if (!end)
			break;
		p = end + 1;
	}
	for (i = 0; i < NLEVELS; i++) {
		if (!(mask & (1u << i)))
			continue;
		if ((b.len && buf_addc(&b, '+') < 0) || buf_adds(&b, level_names[i]) < 0) {
			buf_release(&b);
			return status_set(ST_NOMEM, "out of memory");
		}
	}
	*out = buf_detach(&b);
	return *out ? ST_OK : status_set(ST_NOMEM, "out of memory");
}

/* NULL when u is an acceptable portal URL, else what is wrong with it. */
static const char *url_problem(const char *u)
{
	const char *end, *host, *colon;
	struct urlsplit s;
	size_t i;

	for (i = 0; u[i]; i++)
		if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f)
			return "contains white space";
	if (strncasecmp(u, "http://", 7) != 0 && strncasecmp(u, "https://", 8) != 0)
		return "is not an http:// or https:// URL";
	urlsplit(&s, u);
	end = s.path;
	host = s.host.ptr;
	if (*host == '[') {
		const char *rb = memchr(host, ']', (size_t)(end - host));

		if (!rb || rb == host + 1)
			return "has a bad IPv6 host";
		colon = rb + 1 < end ? rb + 1 : NULL;
		if (colon && *colon != ':')
			return "has a bad IPv6 host";
	} else {
		colon = memchr(host, ':', (size_t)(end - host));
		if (colon == host || host == end)
			return "has no host";
	}
	if (colon) {
		long port = 0;
		const char *d;

		for (d = colon + 1; d < end; d++) {
			if (*d < '0' || *d > '9' || port > 65535)
				return "has a bad port";
			port = port * 10 + (*d - '0');
		}
		if (d == colon + 1 || port < 1 || port > 65535)
			return "has a bad port";
	}
	return NULL;
}

static bool has_control(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return true;
	}
	return false;
}

static bool has_space(const char *s)
{
	return strpbrk(s, " \t\r\n\f\v") != NULL;
}

static bool blank_record(const struct csv_record *rec)
{
	size_t i, j;

	for (i = 0; i < rec->n; i++)
		for (j = 0; rec->fields[i][j]; j++)
			if (!strchr(" \t\r\n", rec->fields[i][j]))
				return false;
	return true;
}

static void check_header(struct importer *im, const struct csv_record *rec)
{
	char shown[SHOW_MAX * 4 + 8];
	size_t i;
	int c, before = im->nerrors;

	im->have_header = true;
	im->ncols = rec->n;
	for (c = 0; c < NCOLS; c++)
		im->colmap[c] = -1;
	for (i = 0; i < rec->n; i++) {
		show(shown, rec->fields[i]);
		str_trim(shown);
		if (!*shown) {
			report(im, rec->line, "column %zu has no name in the header", i + 1);
			continue;
		}
		for (c = 0; c < NCOLS && !str_eq_nocase(shown, col_names[c]); c++)
			;
		if (c == NCOLS) {
			report(im, rec->line,
			       "unknown column '%s' (the columns are " COLUMN_LIST
			       ", and optionally " OPTIONAL_LIST ")",
			       shown);
		} else if (im->colmap[c] >= 0) {
			report(im, rec->line, "column '%s' appears twice (columns %d and %zu)",
			       col_names[c], im->colmap[c] + 1, i + 1);
		} else {
			im->colmap[c] = (int)i;
		}
	}
	for (c = 0; c < NREQ; c++) {
		if (im->colmap[c] < 0) {
			report(im, rec->line,
			       "missing column '%s' (the header must name " COLUMN_LIST ")",
			       col_names[c]);
		}
	}
	im->header_ok = im->nerrors == before;
}

/* Normalises the row's fields into v[], reporting control characters.
 * *usable is false when a field cannot be used; only running out of
 * memory is returned as a failure. */
static status normalise_fields(struct importer *im, const struct csv_record *rec, char *v[NCOLS],
			       bool *usable)
{
	int c;

	*usable = true;
	for (c = 0; c < NCOLS; c++) {
		const char *raw = im->colmap[c] >= 0 ? rec->fields[im->colmap[c]] : "";

		if (has_control(raw)) {
			report(im, rec->line, "control character in %s", col_names[c]);
			*usable = false;
			continue;
		}
		if (norm_nfc(raw, strlen(raw), &v[c]) < 0)
			return ST_NOMEM;
	}
	return ST_OK;
}

/* Reports the empty cells of a row that must be filled. */
static void check_empty(struct importer *im, long line, char *const *v)
{
	int c;

	for (c = COL_ID; c <= COL_OWNERSHIP; c++)
		if (!*v[c])
			report(im, line, "empty %s", col_names[c]);
	/* An optional column, once present, is filled on every row: an empty
	 * cell would be guessed ("same as unit"?) and grouped wrongly. */
	for (c = COL_FORMER_UNIT; c < NCOLS; c++)
		if (im->colmap[c] >= 0 && !*v[c])
			report(im, line,
			       "empty %s (the file has a %s column: fill it on every row, or "
			       "leave the column out)",
			       col_names[c], col_names[c]);
}

/* Validates one data row; a valid one is appended to im->rows (taking the
 * strings).  Only running out of memory is returned as a failure. */
static status check_row(struct importer *im, const struct csv_record *rec)
{
	char *v[NCOLS] = {NULL}, *level = NULL, shown[SHOW_MAX * 4 + 8];
	const char *why;
	long line = rec->line, first = 0;
	int c, before = im->nerrors;
	bool usable;
	status st = ST_OK;

	if (blank_record(rec))
		return ST_OK;
	if (rec->n != im->ncols) {
		report(im, line, "expected %zu fields as in the header, found %zu", im->ncols,
		       rec->n);
		return ST_OK;
	}
	st = normalise_fields(im, rec, v, &usable);
	if (st < 0 || !usable)
		goto out;
	check_empty(im, line, v);
	if (*v[COL_ID]) {
		show(shown, v[COL_ID]);
		if (has_space(v[COL_ID]))
			report(im, line, "school_id '%s' contains white space", shown);
		else if ((st = ids_add(im, v[COL_ID], line, &first)) < 0)
			goto out;
		else if (first)
			report(im, line, "duplicate school_id '%s' (first on line %ld)", shown,
			       first);
	}
	if (*v[COL_LEVEL]) {
		st = registry_level_canon(v[COL_LEVEL], &level);
		if (st == ST_NOMEM)
			goto out;
		if (st < 0)
			report(im, line, "%s", status_message());
		st = ST_OK;
	}
	show(shown, v[COL_OWNERSHIP]);
	if (*v[COL_OWNERSHIP] && !str_eq_nocase(v[COL_OWNERSHIP], "cong_lap") &&
	    !str_eq_nocase(v[COL_OWNERSHIP], "ngoai_cong_lap"))
		report(im, line, "unknown ownership '%s' (expected cong_lap or ngoai_cong_lap)",
		       shown);
	show(shown, v[COL_URL]);
	if (*v[COL_URL] && (why = url_problem(v[COL_URL])))
		report(im, line, "portal_url '%s' %s", shown, why);
	if (im->nerrors != before)
		goto out;
	if (ARRAY_GROW(im->rows, im->nrows + 1, im->caprows) < 0) {
		st = status_set(ST_NOMEM, "%s: out of memory", im->path);
		goto out;
	}
	for (c = 0; v[COL_OWNERSHIP][c]; c++)
		if (v[COL_OWNERSHIP][c] >= 'A' && v[COL_OWNERSHIP][c] <= 'Z')
			v[COL_OWNERSHIP][c] = (char)(v[COL_OWNERSHIP][c] + ('a' - 'A'));
	im->rows[im->nrows++] = (struct school_info){
		.id = v[COL_ID],
		.name = v[COL_NAME],
		.unit = v[COL_UNIT],
		.level = level,
		.ownership = v[COL_OWNERSHIP],
		.portal_url = *v[COL_URL] ? v[COL_URL] : NULL,
		.former_unit = *v[COL_FORMER_UNIT] ? v[COL_FORMER_UNIT] : NULL,
		.former_province = *v[COL_FORMER_PROVINCE] ? v[COL_FORMER_PROVINCE] : NULL,
	};
	free(v[COL_LEVEL]); /* stored in canonical form instead */
	for (c = COL_URL; c < NCOLS; c++)
		if (!*v[c])
			free(v[c]);
	memset(v, 0, sizeof(v));
	level = NULL;
out:
	for (c = 0; c < NCOLS; c++)
		free(v[c]);
	free(level);
	return st;
}

/* Reads and validates the whole file.  Only fatal failures (memory, an
 * unreadable file) are returned; problems in the file are counted. */
static status validate(struct importer *im)
{
	struct csv_reader *r = NULL;
	struct csv_record rec;
	bool got;
	status st;

	st = csv_open(&r, im->path);
	if (st < 0)
		return st;
	for (;;) {
		st = csv_next(r, &rec, &got);
		if (st == ST_PARSE || st == ST_LIMIT) {
			/* A broken header record cannot name the columns. */
			im->have_header = true;
			report_raw(im, status_message());
			continue;
		}
		if (st < 0 || !got)
			break;
		if (!im->have_header) {
			if (!blank_record(&rec))
				check_header(im, &rec);
		} else if (im->header_ok) {
			st = check_row(im, &rec);
			if (st < 0)
				break;
		}
	}
	if (st == ST_OK && !im->have_header)
		report(im, 1, "empty file: expected a header row naming " COLUMN_LIST);
	csv_free(r);
	return st;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Adds "; field 'old' -> 'new'" (without the leading "; " the first time)
 * when the field changed. */
static status describe_change(struct buf *b, bool *first, const char *field, const char *old,
			      const char *new)
{
	status st = ST_OK;

	if (same(old, new))
		return ST_OK;
	if (!*first)
		st = buf_adds(b, "; ");
	*first = false;
	if (st == ST_OK)
		st = buf_printf(b, "%s ", field);
	if (st == ST_OK)
		st = old ? buf_printf(b, "'%s'", old) : buf_adds(b, "(none)");
	if (st == ST_OK)
		st = buf_adds(b, " -> ");
	if (st == ST_OK)
		st = new ? buf_printf(b, "'%s'", new) : buf_adds(b, "(none)");
	return st;
}

static status read_info(sqlite3_stmt *stmt, struct school_info *out)
{
	int ok = 1;

	out->id = store_column_dup(stmt, 0, &ok);
	out->name = store_column_dup(stmt, 1, &ok);
	out->unit = store_column_dup(stmt, 2, &ok);
	out->level = store_column_dup(stmt, 3, &ok);
	out->ownership = store_column_dup(stmt, 4, &ok);
	out->portal_url = store_column_dup(stmt, 5, &ok);
	out->former_unit = store_column_dup(stmt, 6, &ok);
	out->former_province = store_column_dup(stmt, 7, &ok);
	if (!ok) {
		school_info_release(out);
		return status_set(ST_NOMEM, "out of memory reading the registry");
	}
	return ST_OK;
}

static void bind_info(sqlite3_stmt *stmt, const struct school_info *r, const char *now)
{
	store_bind_text(stmt, 1, r->id);
	store_bind_text(stmt, 2, r->name);
	store_bind_text(stmt, 3, r->unit);
	store_bind_text(stmt, 4, r->level);
	store_bind_text(stmt, 5, r->ownership);
	store_bind_text(stmt, 6, r->portal_url);
	store_bind_text(stmt, 7, now);
	store_bind_text(stmt, 8, r->former_unit);
	store_bind_text(stmt, 9, r->former_province);
}

/* The prepared statements of an import. */
enum { Q_SEL, Q_INS, Q_UPD, Q_HCLOSE, Q_HOPEN, Q_UNIT, NQ };

static const char *const import_sql[NQ] = {
	"SELECT " SCHOOL_COLS " FROM schools WHERE id = ?1",
	"INSERT INTO schools (id, name, unit, level, ownership, portal_url, imported_at, updated_at,"
	" former_unit, former_province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9)",
	"UPDATE schools SET name = ?2, unit = ?3, level = ?4, ownership = ?5, portal_url = ?6,"
	" updated_at = ?7, former_unit = ?8, former_province = ?9 WHERE id = ?1",
	"UPDATE school_history SET valid_to = ?7 WHERE school_id = ?1 AND valid_to IS NULL",
	"INSERT INTO school_history (school_id, name, unit, level, ownership, portal_url,"
	" valid_from, former_unit, former_province) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	/* A unit's kind and parent: the newest file that names it wins. */
	"INSERT INTO units (name, kind, parent) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO UPDATE"
	" SET kind = excluded.kind, parent = coalesce(excluded.parent, units.parent)",
};

/* Runs statement q bound to r and now. */
static status run_q(struct store *s, sqlite3_stmt *q, const struct school_info *r, const char *now)
{
	bind_info(q, r, now);
	return store_step_done(s, q);
}

struct unit_prefix {
	const char *prefix, *kind;
};

/* Unit kinds by the start of the case-folded name. */
static const struct unit_prefix unit_prefixes[] = {
	{"phường ", "phuong"},       {"xã ", "xa"},       {"đặc khu ", "dac_khu"},
	{"quận ", "quan"},           {"huyện ", "huyen"}, {"thị xã ", "thi_xa"},
	{"thành phố ", "thanh_pho"}, {"tỉnh ", "tinh"},
};

status registry_unit_kind(const char *name, bool province, const char **kind)
{
	char *folded = NULL;
	size_t i;
	status st = norm_fold(name, strlen(name), &folded, NULL);

	*kind = province ? "tinh_thanh" : "khac";
	if (st < 0)
		return st;
	for (i = 0; i < sizeof(unit_prefixes) / sizeof(unit_prefixes[0]); i++) {
		if (str_starts_with(folded, unit_prefixes[i].prefix)) {
			*kind = unit_prefixes[i].kind;
			/* A province-level city (Thành phố Hồ Chí Minh). */
			if (province && strcmp(*kind, "thanh_pho") == 0)
				*kind = "thanh_pho_tw";
			break;
		}
	}
	free(folded);
	return ST_OK;
}

/* Records the units a school names: its unit, its former district (under
 * its former province) and that province. */
static status put_units(struct store *s, sqlite3_stmt *q, const struct school_info *r)
{
	const char *names[3] = {r->unit, r->former_unit, r->former_province};
	const char *parents[3] = {NULL, r->former_province, NULL}, *kind;
	status st = ST_OK;
	int i;

	for (i = 0; i < 3 && st == ST_OK; i++) {
		if (!names[i])
			continue;
		if ((st = registry_unit_kind(names[i], i == 2, &kind)) < 0)
			break;
		store_bind_text(q, 1, names[i]);
		store_bind_text(q, 2, kind);
		store_bind_text(q, 3, parents[i]);
		st = store_step_done(s, q);
	}
	return st;
}

/* Applies one validated school: insert, update or leave alone; a change
 * closes the school's history entry and opens a new one.  keep_former:
 * the file has no former_unit/former_province column, so the stored
 * values stay. */
static status apply_row(struct store *s, sqlite3_stmt **q, const struct school_info *in,
			bool keep_former, const char *now, struct buf *log,
			struct import_result *res)
{
	struct school_info old = {0}, r = *in;
	size_t mark = log->len;
	bool first = true;
	int rc;
	status st;

	store_bind_text(q[Q_SEL], 1, r.id);
	rc = sqlite3_step(q[Q_SEL]);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(q[Q_SEL]);
		st = run_q(s, q[Q_INS], &r, now);
		if (st == ST_OK)
			st = run_q(s, q[Q_HOPEN], &r, now);
		if (st == ST_OK)
			st = put_units(s, q[Q_UNIT], &r);
		if (st == ST_OK)
			res->added++;
		return st;
	}
	if (rc != SQLITE_ROW) {
		st = store_error(s, "cannot read a school");
		sqlite3_reset(q[Q_SEL]);
		return st;
	}
	st = read_info(q[Q_SEL], &old);
	sqlite3_reset(q[Q_SEL]);
	if (st < 0)
		return st;
	if (keep_former) {
		r.former_unit = old.former_unit;
		r.former_province = old.former_province;
	}
	st = buf_printf(log, "updated %s: ", r.id);
	if (st == ST_OK)
		st = describe_change(log, &first, "name", old.name, r.name);
	if (st == ST_OK)
		st = describe_change(log, &first, "unit", old.unit, r.unit);
	if (st == ST_OK)
		st = describe_change(log, &first, "level", old.level, r.level);
	if (st == ST_OK)
		st = describe_change(log, &first, "ownership", old.ownership, r.ownership);
	if (st == ST_OK)
		st = describe_change(log, &first, "portal_url", old.portal_url, r.portal_url);
	if (st == ST_OK)
		st = describe_change(log, &first, "former_unit", old.former_unit, r.former_unit);
	if (st == ST_OK)
		st = describe_change(log, &first, "former_province", old.former_province,
				     r.former_province);
	if (st == ST_OK && !first) {
		st = buf_addc(log, '\n');
		if (st == ST_OK)
			st = run_q(s, q[Q_UPD], &r, now);
		if (st == ST_OK)
			st = run_q(s, q[Q_HCLOSE], &r, now);
		if (st == ST_OK)
			st = run_q(s, q[Q_HOPEN], &r, now);
		if (st == ST_OK)
			res->updated++;
	}
	if (st == ST_OK)
		st = put_units(s, q[Q_UNIT], &r);
	school_info_release(&old);
	if (st < 0 || !first)
		return st;
	/* Nothing changed: drop the "updated ID: " just written. */
	log->len = mark;
	log->ptr[mark] = '\0';
	res->unchanged++;
	return ST_OK;
}

static status write_rows(struct importer *im, struct store *s, FILE *changes,
			 struct import_result *res)
{
	sqlite3_stmt *q[NQ] = {NULL};
	struct buf log = BUF_INIT((size_t)1 << 30);
	char now[21];
	bool open = false,
	     keep = im->colmap[COL_FORMER_UNIT] < 0 && im->colmap[COL_FORMER_PROVINCE] < 0;
	size_t i;
	status st = ST_OK;

	clock_datetime(time(NULL), now);
	for (i = 0; st == ST_OK && i < NQ; i++)
		st = store_prepare(s, &q[i], import_sql[i]);
	if (st == ST_OK && (st = store_begin(s)) == ST_OK)
		open = true;
	for (i = 0; st == ST_OK && i < im->nrows; i++)
		st = apply_row(s, q, &im->rows[i], keep, now, &log, res);
	if (st == ST_OK) {
		st = store_commit(s);
		open = st < 0;
	}
	/* Changes are reported only once they are durable. */
	if (st == ST_OK && changes && log.len)
		fwrite(log.ptr, 1, log.len, changes);
	if (open)
		store_rollback(s);
	if (st < 0)
		res->added = res->updated = res->unchanged = 0;
	for (i = 0; i < NQ; i++)
		sqlite3_finalize(q[i]);
	buf_release(&log);
	return st;
}

status registry_import(struct store *s, const char *path, FILE *errs, FILE *changes,
		       struct import_result *res)
{
	struct importer im;
	status st;

	memset(res, 0, sizeof(*res));
	memset(&im, 0, sizeof(im));
	im.path = path;
	im.errs = errs;
	st = validate(&im);
	res->errors = im.nerrors;
	if (st < 0)
		goto out;
	if (im.nerrors) {
		if (im.nerrors > REGISTRY_MAX_ERRORS && errs)
			fprintf(errs, "%s: ... and %d more errors\n", path,
				im.nerrors - REGISTRY_MAX_ERRORS);
		st = status_set(ST_INVALID, "%s: %d error%s, nothing imported", path, im.nerrors,
				im.nerrors == 1 ? "" : "s");
		goto out;
	}
	res->total = (int)im.nrows;
	st = write_rows(&im, s, changes, res);
out:
	importer_release(&im);
	return st;
}

void registry_list_free(struct school_info *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		school_info_release(&v[i]);
	free(v);
}

status registry_collect(void *ctx, struct school_info *si)
{
	struct school_collector *l = ctx;
	status st = ARRAY_GROW(l->v, l->n + 1, l->cap);

	if (st < 0)
		return st;
	l->v[l->n++] = *si;
	memset(si, 0, sizeof(*si));
	return ST_OK;
}

status registry_collected(struct school_collector *l, status st, struct school_info **out,
			  size_t *n)
{
	*out = NULL;
	*n = 0;
	if (st < 0) {
		registry_list_free(l->v, l->n);
		return st;
	}
	*out = l->v;
	*n = l->n;
	return ST_OK;
}

status registry_list(struct store *s, const struct registry_filter *f, struct school_info **out,
		     size_t *n)
{
	struct school_collector l = {NULL, 0, 0};
	status st = registry_each(s, f, registry_collect, &l);

	return registry_collected(&l, st, out, n);
}

/* Steps stmt (bound, finalized here) once into *out: ST_NOTFOUND with
 * the message the caller formatted in missing when there is no row. */
static status read_one(struct store *s, sqlite3_stmt *stmt, struct school_info *out,
		       const char *missing)
{
	int step = sqlite3_step(stmt);
	status st;

	if (step == SQLITE_ROW)
		st = read_info(stmt, out);
	else if (step == SQLITE_DONE)
		st = status_set(ST_NOTFOUND, "%s", missing);
	else
		st = store_error(s, "cannot read a school");
	sqlite3_finalize(stmt);
	return st;
}

status registry_get(struct store *s, const char *id, struct school_info *out)
{
	sqlite3_stmt *stmt = NULL;
	char *key = NULL, missing[320];
	status st;

	memset(out, 0, sizeof(*out));
	st = norm_nfc(id, strlen(id), &key);
	if (st < 0)
		return st;
	st = store_prepare(s, &stmt, "SELECT " SCHOOL_COLS " FROM schools WHERE id = ?1");
	if (st == ST_OK) {
		store_bind_text(stmt, 1, key);
		snprintf(missing, sizeof(missing), "no school with id '%.256s'", id);
		st = read_one(s, stmt, out, missing);
	}
	free(key);
	return st;
}

status registry_snapshot(struct store *s, int64_t run_id)
{
	sqlite3_stmt *stmt = NULL;
	status st =
		store_prepare(s, &stmt,
			      "INSERT OR REPLACE INTO run_schools (run_id, school_id, name, unit,"
			      " level, ownership, portal_url, former_unit, former_province)"
			      " SELECT ?1, " SCHOOL_COLS " FROM schools");

	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run_id);
	st = store_step_done(s, stmt);
	sqlite3_finalize(stmt);
	return st;
}

status registry_each(struct store *s, const struct registry_filter *f,
		     status (*each)(void *ctx, struct school_info *si), void *ctx)
{
	sqlite3_stmt *stmt = NULL;
	char *unit = NULL, *level = NULL;
	struct school_info si = {0};
	status st = ST_OK;
	int step = SQLITE_DONE;

	if (f && f->unit && (st = norm_nfc(f->unit, strlen(f->unit), &unit)) < 0)
		goto out;
	if (f && f->level && (st = registry_level_canon(f->level, &level)) < 0)
		goto out;
	st = store_prepare(s, &stmt,
			   "SELECT " SCHOOL_COLS " FROM schools "
			   "WHERE (?1 IS NULL OR unit = ?1) "
			   "AND (?2 IS NULL OR instr('+' || level || '+', '+' || ?2 || '+') > 0) "
			   "AND (?3 IS NULL OR level = ?3) ORDER BY id");
	if (st < 0)
		goto out;
	store_bind_text(stmt, 1, unit);
	/* One level matches any component; a combination only itself. */
	store_bind_text(stmt, level && strchr(level, '+') ? 3 : 2, level);
	/* One row at a time: a caller keeping only ids never holds the rest. */
	while (st == ST_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		st = read_info(stmt, &si);
		if (st == ST_OK)
			st = each(ctx, &si);
		school_info_release(&si);
	}
	if (st == ST_OK && step != SQLITE_DONE)
		st = store_error(s, "cannot list schools");
out:
	sqlite3_finalize(stmt);
	free(unit);
	free(level);
	return st;
}

status registry_run_school(struct store *s, int64_t run_id, const char *id, struct school_info *out)
{
	sqlite3_stmt *stmt = NULL;
	char missing[320];
	status st;

	memset(out, 0, sizeof(*out));
	st = store_prepare(
		s, &stmt,
		"SELECT school_id, name, unit, level, ownership, portal_url, former_unit,"
		" former_province FROM run_schools WHERE run_id = ?1 AND school_id = ?2");
	if (st < 0)
		return st;
	sqlite3_bind_int64(stmt, 1, run_id);
	store_bind_text(stmt, 2, id);
	snprintf(missing, sizeof(missing), "school '%.256s' is not in the registry of run %lld", id,
		 (long long)run_id);
	return read_one(s, stmt, out, missing);
}
