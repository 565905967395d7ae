#include "rules/ruleset.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/array.h"
#include "core/hash.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/schoolyear.h"
#include "core/str.h"
#include "rules/dates.h"

/* A rule file is a few hundred lines; 4 MiB is far beyond any honest one. */
#define RULE_FILE_MAX ((size_t)4 << 20)
#define MAX_BANDS 16
#define MAX_FOCUS 512

struct ruleset {
	char *name, *version, *title;
	char hash[17];
	uint64_t fnv;
	double stale_credit;
	struct rating_band bands[MAX_BANDS];
	size_t nbands;
	bool have_header;
	struct rule *rules;
	size_t nrules;
	char **focus; /* NULL-terminated */
	size_t nfocus;
};

static const struct rating_band default_bands[] = {
	{"A", 90}, {"B", 80}, {"C", 65}, {"D", 50}, {"E", 0},
};

static status read_file(const char *path, struct buf *out)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;
	status st = ST_OK;

	if (!f)
		return status_set(ST_IO, "%s: cannot open: %s", path, strerror(errno));
	while (st == ST_OK && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		st = buf_add(out, chunk, n);
	if (st == ST_LIMIT)
		st = status_set(ST_LIMIT, "%s: rule file larger than %zu bytes", path,
				RULE_FILE_MAX);
	else if (st == ST_OK && ferror(f))
		st = status_set(ST_IO, "%s: read error", path);
	fclose(f);
	return st;
}

/* ---- header ------------------------------------------------------------ */

static void band_parse(struct ruleset *rs, yaml_document_t *doc, yaml_node_t *n,
		       struct rule_diag *d)
{
	const char *rating = NULL;
	double min = -1;

	if (n->type != YAML_MAPPING_NODE) {
		rule_diag_error(d, n, "bands: each band is {rating: A, min: 90}");
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key),
			    *v = yaml_document_get_node(doc, p->value);
		const char *key = rule_yaml_scalar(d, k, "bands"), *s;
		char *end;

		if (!key)
			continue;
		if (strcmp(key, "rating") == 0) {
			rating = rule_yaml_scalar(d, v, "rating");
		} else if (strcmp(key, "min") == 0) {
			if ((s = rule_yaml_scalar(d, v, "min")) == NULL)
				continue;
			min = strtod(s, &end);
			if (*s == '\0' || *end != '\0' || min < 0 || min > 100) {
				rule_diag_error(d, v, "bands.min: \"%s\" is not a number in 0..100",
						s);
				min = -1;
			}
		} else {
			rule_diag_error(d, k, "bands: unknown key \"%s\"", key);
		}
	}
	if (!rating || min < 0) {
		rule_diag_error(d, n, "bands: a band needs rating and min");
		return;
	}
	if (rs->nbands == MAX_BANDS) {
		rule_diag_error(d, n, "bands: more than %d bands", MAX_BANDS);
		return;
	}
	if (rs->nbands > 0 && rs->bands[rs->nbands - 1].min <= min)
		rule_diag_error(d, n, "bands: list bands from the highest min down");
	/* A private copy: the band outlives the YAML document. */
	rs->bands[rs->nbands].rating = str_dup(rating);
	rs->bands[rs->nbands++].min = min;
}

static status header_parse(struct ruleset *rs, yaml_document_t *doc, yaml_node_t *n,
			   struct rule_diag *d, bool primary)
{
	if (n->type != YAML_MAPPING_NODE) {
		rule_diag_error(
			d, n,
			"ruleset: expected a mapping (name, version, title, stale_credit, bands)");
		return ST_OK;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key),
			    *v = yaml_document_get_node(doc, p->value);
		const char *key = rule_yaml_scalar(d, k, "ruleset"), *s;
		char **slot = NULL;

		if (!key)
			continue;
		if (strcmp(key, "name") == 0)
			slot = &rs->name;
		else if (strcmp(key, "version") == 0)
			slot = &rs->version;
		else if (strcmp(key, "title") == 0)
			slot = &rs->title;
		if (slot) {
			/* A merged portal.yaml keeps the rule set's own name. */
			if ((s = rule_yaml_scalar(d, v, key)) != NULL && primary) {
				free(*slot);
				if (!(*slot = str_dup(s)))
					return status_set(ST_NOMEM, "out of memory");
			}
		} else if (strcmp(key, "stale_credit") == 0) {
			char *end;
			double x;

			if ((s = rule_yaml_scalar(d, v, key)) == NULL)
				continue;
			x = strtod(s, &end);
			if (*s == '\0' || *end != '\0' || x < 0 || x > 1)
				rule_diag_error(d, v,
						"stale_credit: \"%s\" is not a number in 0..1", s);
			else if (primary)
				rs->stale_credit = x;
		} else if (strcmp(key, "bands") == 0) {
			if (v->type != YAML_SEQUENCE_NODE) {
				rule_diag_error(d, v, "bands: expected a list");
				continue;
			}
			if (!primary)
				continue;
			for (size_t i = 0; i < rs->nbands; i++)
				free((char *)rs->bands[i].rating);
			rs->nbands = 0;
			for (yaml_node_item_t *it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++)
				band_parse(rs, doc, yaml_document_get_node(doc, *it), d);
		} else {
			rule_diag_error(d, k, "ruleset: unknown key \"%s\"", key);
		}
	}
	if (primary)
		rs->have_header = true;
	return ST_OK;
}

/* ---- one file ------------------------------------------------------------ */

static status add_rule(struct ruleset *rs, struct rule *r, yaml_document_t *doc, yaml_node_t *n,
		       struct rule_diag *d)
{

	for (size_t i = 0; r->id && i < rs->nrules; i++)
		if (strcmp(rs->rules[i].id, r->id) == 0) {
			rule_diag_error(d, n, "rule %s: duplicate id (first defined at %s:%d)",
					r->id, rs->rules[i].file, rs->rules[i].line);
			rule_release(r);
			return ST_OK;
		}
	if (!r->id) {
		rule_release(r);
		return ST_OK;
	}
	if (ARRAY_RESIZE(rs->rules, rs->nrules + 1) < 0) {
		rule_release(r);
		return ST_NOMEM;
	}
	rs->rules[rs->nrules++] = *r;
	memset(r, 0, sizeof(*r));
	return ST_OK;
}

static status rules_parse(struct ruleset *rs, yaml_document_t *doc, yaml_node_t *n,
			  struct rule_diag *d)
{
	status st = ST_OK;

	if (n->type != YAML_SEQUENCE_NODE) {
		rule_diag_error(d, n, "rules: expected a list of rules");
		return ST_OK;
	}
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     st == ST_OK && it < n->data.sequence.items.top; it++) {
		yaml_node_t *rn = yaml_document_get_node(doc, *it);
		struct rule r;

		st = rule_parse(&r, doc, rn, d);
		if (st == ST_OK) {
			yaml_node_t *idn = rn;

			/* Point a duplicate-id error at the id itself. */
			if (rn->type == YAML_MAPPING_NODE)
				for (yaml_node_pair_t *p = rn->data.mapping.pairs.start;
				     p < rn->data.mapping.pairs.top; p++) {
					yaml_node_t *k = yaml_document_get_node(doc, p->key);

					if (k->type == YAML_SCALAR_NODE &&
					    strcmp((char *)k->data.scalar.value, "id") == 0)
						idn = yaml_document_get_node(doc, p->value);
				}
			st = add_rule(rs, &r, doc, idn, d);
		} else {
			rule_release(&r);
		}
	}
	return st;
}

static status doc_parse(struct ruleset *rs, yaml_document_t *doc, struct rule_diag *d, bool primary)
{
	yaml_node_t *root = yaml_document_get_root_node(doc);
	status st = ST_OK;

	if (!root) {
		rule_diag_error(d, NULL, "empty rule file");
		return ST_OK;
	}
	if (root->type != YAML_MAPPING_NODE) {
		rule_diag_error(d, root, "top level: expected a mapping with ruleset: and rules:");
		return ST_OK;
	}
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     st == ST_OK && p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key),
			    *v = yaml_document_get_node(doc, p->value);
		const char *key = rule_yaml_scalar(d, k, "top level");

		if (!key)
			continue;
		if (strcmp(key, "ruleset") == 0)
			st = header_parse(rs, doc, v, d, primary);
		else if (strcmp(key, "rules") == 0)
			st = rules_parse(rs, doc, v, d);
		else
			rule_diag_error(d, k, "top level: unknown key \"%s\" (want ruleset, rules)",
					key);
	}
	return st;
}

/* Loads one file into rs; rule errors are counted in d, only I/O and
 * memory failures return an error. */
static status load_file(struct ruleset *rs, const char *path, FILE *errs, bool primary,
			struct rule_diag *d)
{
	struct buf b = BUF_INIT(RULE_FILE_MAX);
	yaml_parser_t parser;
	yaml_document_t doc;
	bool have_doc = false;
	status st;

	d->file = path;
	d->errs = errs;
	st = read_file(path, &b);
	if (st < 0)
		goto done;
	rs->fnv = hash_fnv1a64(rs->fnv, b.ptr ? b.ptr : "", b.len);
	if (!yaml_parser_initialize(&parser)) {
		st = status_set(ST_NOMEM, "out of memory");
		goto done;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)(b.ptr ? b.ptr : ""), b.len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_node_t at;

		memset(&at, 0, sizeof(at));
		at.start_mark = parser.problem_mark;
		rule_diag_error(d, &at, "YAML: %s%s%s",
				parser.problem ? parser.problem : "syntax error",
				parser.context ? " " : "", parser.context ? parser.context : "");
	} else {
		have_doc = true;
		st = doc_parse(rs, &doc, d, primary);
	}
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
done:
	buf_release(&b);
	return st;
}

/* ---- which files ----------------------------------------------------------- */

static bool is_portal(const char *path)
{
	const char *base = strrchr(path, '/');

	return strcmp(base ? base + 1 : path, "portal.yaml") == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static status push_path(char ***v, size_t *n, const char *dir, const char *name)
{
	struct buf b = BUF_INIT(4096);
	char **g;
	status st = dir ? buf_printf(&b, "%s/%s", dir, name) : buf_adds(&b, name);

	if (st < 0) {
		buf_release(&b);
		return st;
	}
	if (ARRAY_RESIZE(*v, *n + 2) < 0) {
		buf_release(&b);
		return ST_NOMEM;
	}
	g = *v;
	g[(*n)++] = buf_detach(&b);
	g[*n] = NULL;
	return g[*n - 1] ? ST_OK : status_set(ST_NOMEM, "out of memory");
}

/* The files a path stands for, primary files first, portal.yaml last. */
static status expand_path(const char *path, char ***out, size_t *n)
{
	struct stat sb;
	status st = ST_OK;

	*out = NULL;
	*n = 0;
	if (stat(path, &sb) < 0)
		return status_set(ST_IO, "%s: %s", path, strerror(errno));
	if (S_ISDIR(sb.st_mode)) {
		DIR *dir = opendir(path);
		struct dirent *e;
		bool portal = false;

		if (!dir)
			return status_set(ST_IO, "%s: %s", path, strerror(errno));
		while (st == ST_OK && (e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.' || !str_ends_with(e->d_name, ".yaml"))
				continue;
			if (strcmp(e->d_name, "portal.yaml") == 0)
				portal = true;
			else
				st = push_path(out, n, path, e->d_name);
		}
		closedir(dir);
		if (st == ST_OK && *n > 1)
			qsort(*out, *n, sizeof(**out), cmp_str);
		if (st == ST_OK && portal)
			st = push_path(out, n, path, "portal.yaml");
	} else {
		st = push_path(out, n, NULL, path);
		if (st == ST_OK && !is_portal(path)) {
			const char *slash = strrchr(path, '/');
			struct buf dir = BUF_INIT(4096);
			struct stat pb;

			st = slash ? buf_add(&dir, path, (size_t)(slash - path))
				   : buf_adds(&dir, ".");
			if (st == ST_OK && buf_adds(&dir, "/portal.yaml") == ST_OK &&
			    stat(dir.ptr, &pb) == 0)
				st = push_path(out, n, NULL, dir.ptr);
			buf_release(&dir);
		}
	}
	if (st < 0) {
		str_free_array(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return st;
}

/* ---- focus keywords --------------------------------------------------------- */

static status focus_add(struct ruleset *rs, const char *w, size_t len, size_t min)
{
	char *s;

	while (len > 0 && w[0] == ' ')
		w++, len--;
	while (len > 0 && w[len - 1] == ' ')
		len--;
	if (len < min || rs->nfocus >= MAX_FOCUS)
		return ST_OK;
	for (size_t i = 0; i < rs->nfocus; i++)
		if (strlen(rs->focus[i]) == len && memcmp(rs->focus[i], w, len) == 0)
			return ST_OK;
	if (!(s = str_ndup(w, len)) || ARRAY_RESIZE(rs->focus, rs->nfocus + 2) < 0) {
		free(s);
		return status_set(ST_NOMEM, "out of memory");
	}
	rs->focus[rs->nfocus++] = s;
	rs->focus[rs->nfocus] = NULL;
	return ST_OK;
}

/* The literal words of a pattern: runs of letters, digits and spaces
 * between regex syntax ("\s*" and "\b" read as a space). */
static status focus_from_pattern(struct ruleset *rs, const char *src)
{
	char word[256];
	size_t n = 0;
	status st = ST_OK;

	for (const char *p = src;; p++) {
		char c = *p;

		if (c == '\\' && p[1]) {
			c = (p[1] == 's' || p[1] == 'b') ? ' ' : '\0';
			p++;
			if (p[1] == '*' || p[1] == '+' || p[1] == '?')
				p++;
		}
		if (c &&
		    ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' ||
		     (unsigned char)c >= 0x80) &&
		    n < sizeof(word)) {
			word[n++] = c;
			continue;
		}
		/* A quantifier makes the last letter optional: keep what is sure. */
		if ((c == '?' || c == '*') && n > 0)
			n--;
		if (n > 0 && st == ST_OK)
			st = focus_add(rs, word, n, 5); /* shorter fragments are noise */
		n = 0;
		if (!*p)
			break;
	}
	return st;
}

static status focus_build(struct ruleset *rs)
{
	status st = ST_OK;

	if (!(rs->focus = calloc(1, sizeof(*rs->focus))))
		return status_set(ST_NOMEM, "out of memory");
	for (size_t i = 0; st == ST_OK && i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];

		if (r->check != CHECK_MATCH && r->check != CHECK_YEARLY_SECTION)
			continue;
		for (size_t k = 0; st == ST_OK && k < r->nfocus; k++)
			st = focus_add(rs, r->focus[k], strlen(r->focus[k]), 2);
		for (size_t k = 0; st == ST_OK && !r->nfocus && k < r->nmatch; k++)
			if (!pattern_is_exact(r->match[k]))
				st = focus_from_pattern(rs, pattern_source(r->match[k]));
	}
	return st;
}

/* ---- load ------------------------------------------------------------------- */

static status ruleset_load_files(struct ruleset **out, char **files, size_t nfiles, FILE *errs,
				 int *nerr)
{
	struct ruleset *rs = calloc(1, sizeof(*rs));
	struct rule_diag d;
	status st = ST_OK;
	int errors = 0;
	char first[512] = "";

	*out = NULL;
	if (!rs)
		return status_set(ST_NOMEM, "out of memory");
	rs->fnv = HASH_FNV1A64_INIT;
	rs->stale_credit = 0.5;
	for (size_t i = 0; st == ST_OK && i < nfiles; i++) {
		memset(&d, 0, sizeof(d));
		st = load_file(rs, files[i], errs, !is_portal(files[i]) || nfiles == 1, &d);
		if (d.nerr && !errors)
			memcpy(first, d.first, sizeof(first));
		errors += d.nerr;
	}
	if (nerr)
		*nerr = errors;
	if (st == ST_OK && errors)
		st = status_set(ST_PARSE, "%s%s", first, errors > 1 ? " (and more errors)" : "");
	if (st == ST_OK && !rs->name) {
		const char *base = strrchr(files[0], '/');

		base = base ? base + 1 : files[0];
		rs->name = str_ndup(base,
				    str_ends_with(base, ".yaml") ? strlen(base) - 5 : strlen(base));
	}
	if (st == ST_OK && !rs->version)
		rs->version = str_dup("0");
	if (st == ST_OK && (!rs->name || !rs->version))
		st = status_set(ST_NOMEM, "out of memory");
	if (st == ST_OK && rs->nbands == 0)
		for (size_t i = 0; i < sizeof(default_bands) / sizeof(default_bands[0]); i++) {
			rs->bands[i].rating = str_dup(default_bands[i].rating);
			rs->bands[i].min = default_bands[i].min;
			rs->nbands++;
		}
	if (st == ST_OK)
		st = focus_build(rs);
	hash_hex(rs->fnv, rs->hash);
	if (st == ST_OK) {
		*out = rs;
		rs = NULL;
	}
	ruleset_free(rs);
	return st;
}

status ruleset_load(struct ruleset **out, const char *path)
{
	char **files = NULL;
	size_t n = 0;
	status st;

	*out = NULL;
	st = expand_path(path, &files, &n);
	if (st == ST_OK && n == 0)
		st = status_set(ST_NOTFOUND, "%s: no *.yaml rule files", path);
	if (st == ST_OK)
		st = ruleset_load_files(out, files, n, NULL, NULL);
	str_free_array(files, n);
	return st;
}

void ruleset_free(struct ruleset *rs)
{
	if (!rs)
		return;
	free(rs->name);
	free(rs->version);
	free(rs->title);
	for (size_t i = 0; i < rs->nbands; i++)
		free((char *)rs->bands[i].rating);
	for (size_t i = 0; i < rs->nrules; i++)
		rule_release(&rs->rules[i]);
	free(rs->rules);
	str_free_array(rs->focus, rs->nfocus);
	free(rs);
}

const char *ruleset_name(const struct ruleset *rs)
{
	return rs->name;
}

const char *ruleset_version(const struct ruleset *rs)
{
	return rs->version;
}

const char *ruleset_hash(const struct ruleset *rs)
{
	return rs->hash;
}

const char *const *ruleset_focus_keywords(const struct ruleset *rs, size_t *n)
{
	if (n)
		*n = rs->nfocus;
	return (const char *const *)rs->focus;
}

size_t ruleset_bands(const struct ruleset *rs, const struct rating_band **out)
{
	*out = rs->bands;
	return rs->nbands;
}

double ruleset_stale_credit(const struct ruleset *rs)
{
	return rs->stale_credit;
}

const struct rule *ruleset_rules(const struct ruleset *rs, size_t *n)
{
	*n = rs->nrules;
	return rs->rules;
}

const char *ruleset_default_for_period(const char *period)
{
	int first;
	char day[11];

	if (!period || schoolyear_parse(period, &first) < 0)
		return NULL;
	/* The regime in force on 1 September of the first year decides. */
	snprintf(day, sizeof(day), "%04d-09-01", first);
	if (strcmp(day, "2018-02-13") < 0)
		return "tt09-2009";
	if (strcmp(day, "2024-07-18") <= 0)
		return "tt36-2017";
	return "tt09-2024";
}

/* What reports print for people (docs/RULES.md, "requirement" and
 * "remedy"): lint wants both on every rule; loading does not. */
static int lint_texts(const struct ruleset *rs, FILE *errs)
{
	size_t n;
	const struct rule *r = ruleset_rules(rs, &n);
	int nerr = 0;

	for (size_t i = 0; i < n; i++) {
		const char *miss = !r[i].requirement ? "requirement"
				   : !r[i].remedy    ? "remedy"
						     : NULL;

		for (int k = 0; miss && k < 2; k++) {
			if (errs)
				fprintf(errs,
					"%s:%d:1: rule %s: missing %s (what people read: docs/RULES.md)\n",
					r[i].file ? r[i].file : "?", r[i].line,
					r[i].id ? r[i].id : "?", miss);
			nerr++;
			miss = k == 0 && !r[i].requirement && !r[i].remedy ? "remedy" : NULL;
		}
	}
	return nerr;
}

int ruleset_lint(const char *const *paths, size_t n, FILE *errs)
{
	int total = 0;

	for (size_t i = 0; i < n; i++) {
		char **files = NULL;
		size_t nf = 0;
		struct ruleset *rs = NULL;
		int nerr = 0;
		status st = expand_path(paths[i], &files, &nf);

		/* Lint exactly what was named: a file alone (its portal.yaml is
		 * linted when named), a directory as one merged set. */
		if (st == ST_OK) {
			struct stat sb;
			size_t use = nf;

			if (stat(paths[i], &sb) == 0 && !S_ISDIR(sb.st_mode))
				use = 1;
			st = ruleset_load_files(&rs, files, use, errs, &nerr);
		}
		if (st == ST_OK && rs)
			nerr += lint_texts(rs, errs);
		str_free_array(files, nf);
		ruleset_free(rs);
		if (st < 0 && st != ST_PARSE) {
			if (errs)
				fprintf(errs, "%s\n", status_message());
			return st;
		}
		total += nerr;
	}
	return total;
}
