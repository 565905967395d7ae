#include "crawler/html.h"

#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/array.h"
#include "core/buf.h"
#include "core/norm.h"
#include "core/str.h"
#include "crawler/charset.h"
#include "crawler/url.h"

/* Caps on what one page contributes; the body itself is already capped by
 * the fetcher, these keep a hostile page from multiplying it. */
#define HTML_MAX_LINKS 5000
#define HTML_MAX_HEADINGS 500
#define HTML_MAX_METAS 200
#define HTML_SNIPPET_MAX 2048 /* title, heading and anchor text */
/* Captures open at once: every element start and text node is handed to
 * each open one, so links nested thousands deep (a hostile page) made the
 * parse quadratic.  A link or heading nested deeper still counts, only
 * without its text (a link keeps its own title attribute). */
#define HTML_MAX_OPEN_CAPTURES 32

/* What an element name means to the extraction (one lookup per element). */
enum {
	TAG_INVISIBLE = 1 << 0, /* not page text: script, style, noscript, template, title */
	TAG_INLINE = 1 << 1,    /* joins text instead of separating words */
	TAG_CHROME = 1 << 2,    /* nav, header, footer, aside */
	TAG_TITLE = 1 << 3,
	TAG_SCRIPT = 1 << 4,
	TAG_META = 1 << 5,
	TAG_BASE = 1 << 6,
	TAG_HREF = 1 << 7, /* a, area: a link in href */
	TAG_SRC = 1 << 8,  /* frame, iframe: a link in src */
	TAG_TIME = 1 << 9,
	TAG_IMG = 1 << 10,
	TAG_HEADING = 1 << 11,
};

/* Per open element: what its end has to undo. */
enum {
	FR_INLINE = 1 << 0,
	FR_VISITED = 1 << 1, /* outside invisible elements: it separates page text */
	FR_INVISIBLE = 1 << 2,
	FR_CHROME = 1 << 3,  /* the outermost chrome element: main_text resumes after it */
	FR_CAPTURE = 1 << 4, /* opened the innermost capture */
	FR_JSONLD = 1 << 5,
};

enum { CAP_TITLE, CAP_HEADING, CAP_LINK };
enum { DOC_FIRST_UNKNOWN, DOC_FIRST_ROOT, DOC_FIRST_OTHER };

/* The text of one element's subtree (title, heading, link), gathered while
 * the parser is inside it. */
struct capture {
	int kind;
	size_t index;      /* heading or link index in the page */
	size_t invis_base; /* open invisible elements at which text counts */
	struct buf text;   /* capped: a text node that does not fit is left out */
	char *alt;         /* first img alt (or title) inside a link; owned */
	bool have_alt;
	char *title; /* the link element's own title attribute; owned */
};

/* Text built on the fly with white space runs already collapsed, so the
 * NFC pass at the end has less to scan. */
struct text {
	struct buf b;
	bool space; /* last byte written is a space (or nothing written yet) */
};

/* A per-page cache of resolved hrefs: menus repeat the same links, and
 * url_resolve (libcurl's URL API) is the costliest step per link. */
#define URL_CACHE_SLOTS 1024
struct url_entry {
	char *href; /* owned; NULL = empty slot */
	char *url;  /* owned; NULL = not a fetchable link */
};

struct sax {
	struct page *p;
	htmlParserCtxtPtr ctxt;
	struct text text, main;
	struct buf node; /* the current text node, for captures */
	struct buf jsonld;
	char *base; /* owned; <base href> may replace it */
	unsigned char *stack;
	size_t depth, stack_cap;
	size_t invisible; /* open invisible elements */
	bool chrome;      /* inside a chrome element */
	bool have_title, in_jsonld;
	/* Where libxml2's tree builder puts what comes after the root element
	 * ends ("</html><p>x"): into the root when the root is the document's
	 * first child, else beside it, out of the walk (see top_level). */
	size_t pdepth; /* the parser's element depth */
	bool started;  /* the root element has started */
	bool closed;   /* and has ended */
	bool skip;     /* inside a top-level element the tree walk never saw */
	int doc_first; /* DOC_FIRST_*: the document's first child */
	int root_fr;   /* the root's frame flags, to reopen it */
	struct capture *caps;
	size_t ncaps, caps_cap;
	struct url_entry *urls;
	size_t nurls;
	char *spare;  /* a resolved URL the cache could not keep */
	char *origin; /* url_resolve(base, "/") without the slash, for fast_resolve */
	bool origin_done;
	status st;
};

void html_init(void)
{
	xmlInitParser();
}

/* ---- element names ---------------------------------------------------- */

struct tag {
	const char *name;
	int flags;
};

#define INL TAG_INLINE
static const struct tag tags[] = {
	{"script", TAG_INVISIBLE | TAG_SCRIPT},
	{"style", TAG_INVISIBLE},
	{"noscript", TAG_INVISIBLE},
	{"template", TAG_INVISIBLE},
	{"title", TAG_INVISIBLE | TAG_TITLE},
	{"a", INL | TAG_HREF},
	{"abbr", INL},
	{"b", INL},
	{"bdi", INL},
	{"bdo", INL},
	{"cite", INL},
	{"code", INL},
	{"data", INL},
	{"dfn", INL},
	{"em", INL},
	{"font", INL},
	{"i", INL},
	{"kbd", INL},
	{"mark", INL},
	{"q", INL},
	{"s", INL},
	{"samp", INL},
	{"small", INL},
	{"span", INL},
	{"strike", INL},
	{"strong", INL},
	{"sub", INL},
	{"sup", INL},
	{"time", INL | TAG_TIME},
	{"u", INL},
	{"var", INL},
	{"wbr", INL},
	{"label", INL},
	{"nobr", INL},
	{"big", INL},
	{"tt", INL},
	{"nav", TAG_CHROME},
	{"header", TAG_CHROME},
	{"footer", TAG_CHROME},
	{"aside", TAG_CHROME},
	{"meta", TAG_META},
	{"base", TAG_BASE},
	{"area", TAG_HREF},
	{"frame", TAG_SRC},
	{"iframe", TAG_SRC},
	{"img", TAG_IMG},
	{"h1", TAG_HEADING},
	{"h2", TAG_HEADING},
	{"h3", TAG_HEADING},
	{"h4", TAG_HEADING},
	{"h5", TAG_HEADING},
	{"h6", TAG_HEADING},
};
#undef INL

#define TAG_SLOTS 256                   /* power of two, well above the table size */
static signed char tag_slot[TAG_SLOTS]; /* index into tags + 1, 0 = empty */
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;

static unsigned tag_hash(const char *s, size_t n)
{
	return ((unsigned)n * 31u + (unsigned char)s[0] * 7u + (unsigned char)s[n - 1] * 3u +
		(n > 2 ? (unsigned char)s[1] : 0u)) &
	       (TAG_SLOTS - 1);
}

static void tag_table_init(void)
{
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		unsigned h = tag_hash(tags[i].name, strlen(tags[i].name));

		while (tag_slot[h])
			h = (h + 1) & (TAG_SLOTS - 1);
		tag_slot[h] = (signed char)(i + 1);
	}
}

/* The TAG_ flags of an element name (libxml2 lower-cases them). */
static int tag_flags(const char *name)
{
	size_t n = strlen(name);
	unsigned h;

	if (n == 0 || n > 8)
		return 0;
	pthread_once(&tag_once, tag_table_init);
	h = tag_hash(name, n);
	while (tag_slot[h]) {
		const struct tag *t = &tags[tag_slot[h] - 1];

		if (strcmp(t->name, name) == 0)
			return t->flags;
		h = (h + 1) & (TAG_SLOTS - 1);
	}
	return 0;
}

/* The value of an attribute; an attribute without a value counts as
 * absent, as it has no text in a libxml2 tree. */
static const char *attr(const xmlChar **atts, const char *name)
{
	if (!atts)
		return NULL;
	for (; atts[0]; atts += 2)
		if (atts[1] && strcasecmp((const char *)atts[0], name) == 0)
			return (const char *)atts[1];
	return NULL;
}

static const char *const chrome_words[] = {"menu",       "nav",    "sidebar", "footer", "header",
					   "breadcrumb", "topbar", "top-bar", NULL};

static bool contains_word(const char *v)
{
	if (!v)
		return false;
	for (const char *s = v; *s; s++) {
		int c = *s | 0x20; /* ASCII lower case; the words are letters */

		if (c != 'm' && c != 'n' && c != 's' && c != 'f' && c != 'h' && c != 'b' &&
		    c != 't')
			continue;
		for (const char *const *w = chrome_words; *w; w++)
			if ((*w)[0] == c && strncasecmp(s, *w, strlen(*w)) == 0)
				return true;
	}
	return false;
}

/* ---- text ---------------------------------------------------------------- */

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Appends s with runs of white space collapsed to one space (norm_nfc
 * collapses the same set, so the result after it is unchanged). */
static status text_add(struct text *t, const char *s, size_t n)
{
	status st = buf_grow(&t->b, n);
	char *w;
	bool space = t->space;

	if (st < 0)
		return st;
	w = t->b.ptr + t->b.len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (is_space(c)) {
			if (!space)
				*w++ = ' ';
			space = true;
		} else {
			*w++ = (char)c;
			space = false;
		}
	}
	*w = '\0';
	t->space = space;
	t->b.len = (size_t)(w - t->b.ptr);
	return ST_OK;
}

static status text_sep(struct text *t)
{
	return t->space ? ST_OK : text_add(t, " ", 1);
}

/* Appends text, leaving out what does not fit: snippets are capped on
 * purpose (checked here, a full buffer is the common case on deep pages). */
static status add_capped(struct buf *b, const char *s, size_t n)
{
	if (n > b->max || b->len > b->max - n)
		return ST_OK;
	return buf_add(b, s, n);
}

/* ---- the page model ------------------------------------------------------ */

/* lower: meta names from markup are case-insensitive, our own are not. */
static status add_meta_nfc(struct page *p, const char *name, const char *content, bool lower)
{
	char *lname, *c = NULL, *q;
	status st;

	if (p->nmetas >= HTML_MAX_METAS)
		return ST_OK;
	lname = str_dup(name);
	if (!lname)
		return status_set(ST_NOMEM, "out of memory adding a meta tag");
	for (q = lname; lower && *q; q++)
		*q = (char)tolower((unsigned char)*q);
	st = norm_nfc(content, strlen(content), &c);
	if (st == ST_OK)
		st = page_add_meta(p, lname, c);
	free(lname);
	free(c);
	return st;
}

/* Finds "key" : "value" in JSON-LD text.  A scan, not a JSON parser: the
 * two dates are all we want and pages often carry broken JSON. */
static status jsonld_scan(struct page *p, const char *s, const char *key)
{
	char pat[32], val[65], name[48];
	const char *k = s;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	while ((k = strstr(k, pat)) != NULL) {
		k += strlen(pat);
		while (isspace((unsigned char)*k))
			k++;
		if (*k != ':')
			continue;
		k++;
		while (isspace((unsigned char)*k))
			k++;
		if (*k != '"')
			continue;
		k++;
		while (k[n] && k[n] != '"' && n < sizeof(val) - 1) {
			val[n] = k[n];
			n++;
		}
		val[n] = '\0';
		snprintf(name, sizeof(name), "jsonld:%s", key);
		return add_meta_nfc(p, name, val, false);
	}
	return ST_OK;
}

static void url_cache_clear(struct sax *s)
{
	for (size_t i = 0; s->urls && i < URL_CACHE_SLOTS; i++) {
		free(s->urls[i].href);
		free(s->urls[i].url);
		s->urls[i].href = s->urls[i].url = NULL;
	}
	s->nurls = 0;
}

/* Characters a path keeps as they are through libcurl's parse with
 * CURLU_URLENCODE (RFC 3986 unreserved, and '/'). */
static bool plain_path_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
}

/* The common link on these portals, "/cong-khai/cam-ket/" (or with a
 * #fragment): a root-relative path of plain characters with no empty or
 * dot segment resolves to the base's origin followed by the path, which
 * is what url_resolve returns for it, at a fraction of the cost.  Returns
 * the length of the part to keep, or 0 when url_resolve must decide. */
static size_t plain_path_len(const char *href)
{
	size_t i, n;

	if (href[0] != '/' || href[1] == '/')
		return 0;
	for (i = 1; href[i] && href[i] != '#'; i++)
		if (!plain_path_char((unsigned char)href[i]) ||
		    (href[i - 1] == '/' && (href[i] == '/' || href[i] == '.')))
			return 0;
	n = i;
	if (href[i] == '#')
		for (i++; href[i]; i++)
			if (!plain_path_char((unsigned char)href[i]))
				return 0;
	return n;
}

static status fast_resolve(struct sax *s, const char *href, char **out)
{
	size_t n = plain_path_len(href), on;

	*out = NULL;
	if (n == 0)
		return ST_OK;
	if (!s->origin_done) {
		char *o = NULL;

		s->origin_done = true;
		/* A '%' in the base makes url_resolve parse its result twice. */
		if (s->base && !strchr(s->base, '%') && url_resolve(&o, s->base, "/") == ST_OK) {
			size_t len = strlen(o);

			if (len > 0 && o[len - 1] == '/' && !memchr(o, '?', len) &&
			    !memchr(o, '#', len)) {
				o[len - 1] = '\0';
				s->origin = o;
			} else {
				free(o);
			}
		}
	}
	if (!s->origin)
		return ST_OK;
	on = strlen(s->origin);
	*out = malloc(on + n + 1);
	if (!*out)
		return status_set(ST_NOMEM, "out of memory resolving links");
	memcpy(*out, s->origin, on);
	memcpy(*out + on, href, n);
	(*out)[on + n] = '\0';
	return ST_OK;
}

/* url_resolve against the current base, remembered per href for the page
 * (a new <base> clears it).  *out is borrowed until the next call; NULL
 * when href is not a fetchable link (javascript:, mailto:, junk). */
static status resolve(struct sax *s, const char *href, const char **out)
{
	size_t h = 5381, i;
	struct url_entry *e = NULL;
	char *url = NULL;
	status st;

	*out = NULL;
	free(s->spare);
	s->spare = NULL;
	for (const char *c = href; *c; c++)
		h = h * 33 + (unsigned char)*c;
	if (!s->urls)
		s->urls = calloc(URL_CACHE_SLOTS, sizeof(*s->urls));
	if (s->urls && s->nurls < URL_CACHE_SLOTS / 2) {
		for (i = h & (URL_CACHE_SLOTS - 1);; i = (i + 1) & (URL_CACHE_SLOTS - 1)) {
			e = &s->urls[i];
			if (!e->href)
				break;
			if (strcmp(e->href, href) == 0) {
				*out = e->url;
				return ST_OK;
			}
		}
	}
	st = fast_resolve(s, href, &url);
	if (st < 0)
		return st;
	if (!url && url_resolve(&url, s->base, href) < 0)
		url = NULL;
	if (!e) { /* no cache (full, or no memory for it): the caller borrows spare */
		s->spare = url;
		*out = url;
		return ST_OK;
	}
	e->href = str_dup(href);
	if (!e->href) {
		free(url);
		return status_set(ST_NOMEM, "out of memory resolving links");
	}
	e->url = url;
	s->nurls++;
	*out = url;
	return ST_OK;
}

/* ---- captures -------------------------------------------------------------- */

/* *opened: a capture was opened (none past HTML_MAX_OPEN_CAPTURES). */
static status capture_open(struct sax *s, int kind, size_t index, const char *title, bool *opened)
{
	struct capture *c;
	status st;

	*opened = false;
	if (s->ncaps >= HTML_MAX_OPEN_CAPTURES)
		return ST_OK;
	st = ARRAY_GROW(s->caps, s->ncaps + 1, s->caps_cap);
	if (st < 0)
		return st;
	c = &s->caps[s->ncaps];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->index = index;
	/* A title is itself invisible: its own text counts, nested ones not. */
	c->invis_base = s->invisible + (kind == CAP_TITLE);
	buf_init(&c->text, HTML_SNIPPET_MAX);
	if (title) {
		c->title = str_dup(title);
		if (!c->title)
			return status_set(ST_NOMEM, "out of memory parsing HTML");
	}
	s->ncaps++;
	*opened = true;
	return ST_OK;
}

/* Replaces *field (a page string) with the NFC form of s. */
static status set_nfc(char **field, const char *s, size_t n)
{
	char *t = NULL;
	status st = norm_nfc(s, n, &t);

	if (st == ST_OK) {
		free(*field);
		*field = t;
	}
	return st;
}

static status capture_close(struct sax *s)
{
	struct capture *c = &s->caps[--s->ncaps];
	struct page *p = s->p;
	status st = ST_OK;

	if (c->kind == CAP_TITLE) {
		st = set_nfc(&p->title, buf_str(&c->text), c->text.len);
	} else if (c->kind == CAP_HEADING) {
		st = set_nfc(&p->headings[c->index].text, buf_str(&c->text), c->text.len);
	} else {
		char **t = &p->links[c->index].text;

		st = set_nfc(t, buf_str(&c->text), c->text.len);
		/* Image links: the image's alt or title says where they go. */
		if (st == ST_OK && !**t) {
			const char *alt = c->have_alt ? c->alt : c->title;

			if (alt)
				st = set_nfc(t, alt, strlen(alt));
		}
	}
	buf_release(&c->text);
	free(c->alt);
	free(c->title);
	return st;
}

/* The current text node ends (an element, comment or PI follows): hand
 * it to the captures that see it, whole or not at all, as the tree walk
 * did with each text node. */
static status flush_node(struct sax *s)
{
	status st = ST_OK;

	if (s->node.len == 0)
		return ST_OK;
	for (size_t i = 0; i < s->ncaps && st == ST_OK; i++)
		if (s->caps[i].invis_base == s->invisible)
			st = add_capped(&s->caps[i].text, s->node.ptr, s->node.len);
	buf_reset(&s->node);
	return st;
}

/* An element starts inside the open captures: block elements separate
 * words, and a link without text may take the first image's alt. */
static status captures_see(struct sax *s, int flags, const xmlChar **atts)
{
	status st = ST_OK;

	for (size_t i = 0; i < s->ncaps && st == ST_OK; i++) {
		struct capture *c = &s->caps[i];

		if (!(flags & TAG_INLINE) && c->invis_base == s->invisible)
			st = add_capped(&c->text, " ", 1);
		if ((flags & TAG_IMG) && c->kind == CAP_LINK && !c->have_alt) {
			const char *alt = attr(atts, "alt");

			if (!alt || !*alt)
				alt = attr(atts, "title");
			if (alt) {
				c->alt = str_dup(alt);
				c->have_alt = true;
				if (!c->alt)
					st = status_set(ST_NOMEM, "out of memory parsing HTML");
			}
		}
	}
	return st;
}

/* ---- elements -------------------------------------------------------------- */

static status on_link(struct sax *s, const char *href, const xmlChar **atts, bool *cap)
{
	const char *url, *title;
	status st;

	if (s->p->nlinks >= HTML_MAX_LINKS)
		return ST_OK;
	st = resolve(s, href, &url);
	if (st < 0 || !url)
		return st;
	st = page_add_link(s->p, url, "");
	if (st == ST_OK)
		s->p->links[s->p->nlinks - 1].chrome = s->chrome;
	if (st == ST_OK)
		st = capture_open(s, CAP_LINK, s->p->nlinks - 1, attr(atts, "title"), cap);
	if (st == ST_OK && !*cap && (title = attr(atts, "title")) != NULL)
		st = set_nfc(&s->p->links[s->p->nlinks - 1].text, title, strlen(title));
	return st;
}

static status on_meta(struct sax *s, const xmlChar **atts)
{
	const char *content = attr(atts, "content");
	const char *name = attr(atts, "name");

	if (!name)
		name = attr(atts, "property");
	if (!name)
		name = attr(atts, "http-equiv");
	if (!name || !content)
		return ST_OK;
	return add_meta_nfc(s->p, name, content, true);
}

static status on_base(struct sax *s, const xmlChar **atts)
{
	const char *href = attr(atts, "href");
	char *nb = NULL;

	if (href && url_resolve(&nb, s->base, href) == ST_OK) {
		free(s->base);
		s->base = nb;
		url_cache_clear(s);
		free(s->origin);
		s->origin = NULL;
		s->origin_done = false;
	}
	return ST_OK;
}

/* A visited element (not inside an invisible one) starts: what it adds to
 * the model.  *fr gets FR_CAPTURE / FR_JSONLD when it opened one. */
static status enter(struct sax *s, const char *name, int flags, const xmlChar **atts, int *fr)
{
	const char *v;
	bool cap = false;
	status st = ST_OK;

	if (flags & TAG_TITLE) {
		if (!s->have_title) {
			s->have_title = true;
			st = capture_open(s, CAP_TITLE, 0, NULL, &cap);
		}
	} else if (flags & TAG_SCRIPT) {
		v = attr(atts, "type");
		if (v && strcasecmp(v, "application/ld+json") == 0) {
			s->in_jsonld = true;
			buf_reset(&s->jsonld);
			*fr |= FR_JSONLD;
		}
	} else if (flags & TAG_META) {
		st = on_meta(s, atts);
	} else if (flags & TAG_BASE) {
		st = on_base(s, atts);
	} else if ((flags & TAG_HREF) && (v = attr(atts, "href")) != NULL) {
		st = on_link(s, v, atts, &cap);
	} else if ((flags & TAG_SRC) && (v = attr(atts, "src")) != NULL) {
		st = on_link(s, v, atts, &cap);
	} else if ((flags & TAG_TIME) && (v = attr(atts, "datetime")) != NULL) {
		st = add_meta_nfc(s->p, "time", v, false);
	} else if ((flags & TAG_HEADING) && s->p->nheadings < HTML_MAX_HEADINGS) {
		st = page_add_heading(s->p, name[1] - '0', "");
		if (st == ST_OK)
			st = capture_open(s, CAP_HEADING, s->p->nheadings - 1, NULL, &cap);
	}
	if (cap)
		*fr |= FR_CAPTURE;
	return st;
}

static status push_frame(struct sax *s, int fr)
{
	status st = ARRAY_GROW(s->stack, s->depth + 1, s->stack_cap);

	if (st < 0)
		return st;
	s->stack[s->depth++] = (unsigned char)fr;
	return ST_OK;
}

/* An element starts at the parser's top level.  The first is the root the
 * tree walk starts from.  libxml2's tree builder appends a later one (the
 * root was closed by "</html>" and content follows) to the document's first
 * child: inside the root when the root is that child, then the walk sees
 * it; beside a DOCTYPE or comment otherwise, then the walk never does. */
static bool top_level(struct sax *s)
{
	if (!s->started) {
		s->started = true;
		if (s->doc_first == DOC_FIRST_UNKNOWN)
			s->doc_first = DOC_FIRST_ROOT;
		return true;
	}
	if (s->doc_first != DOC_FIRST_ROOT)
		return false;
	if (s->depth == 0) { /* reopen the root, as if it had never ended */
		s->stack[s->depth++] = (unsigned char)(s->root_fr & ~(FR_CAPTURE | FR_JSONLD));
		if (s->root_fr & FR_CHROME)
			s->chrome = true;
		if (s->root_fr & FR_INVISIBLE)
			s->invisible++;
	}
	return true;
}

static void fail(struct sax *s, status st)
{
	if (st < 0 && s->st == ST_OK) {
		s->st = st;
		xmlStopParser(s->ctxt);
	}
}

static void on_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	struct sax *s = ctx;
	const char *name = (const char *)xname;
	int flags, fr = 0;
	status st;

	if (s->st != ST_OK)
		return;
	if (s->pdepth++ == 0 && !top_level(s))
		s->skip = true;
	if (s->skip)
		return;
	flags = tag_flags(name);
	st = flush_node(s);
	if (st == ST_OK && s->ncaps)
		st = captures_see(s, flags, atts);
	if (flags & TAG_INLINE)
		fr |= FR_INLINE;
	if (st == ST_OK && s->invisible == 0) {
		fr |= FR_VISITED;
		st = enter(s, name, flags, atts, &fr);
		if (st == ST_OK && !(flags & TAG_INLINE)) {
			st = text_sep(&s->text);
			if (st == ST_OK)
				st = text_sep(&s->main);
		}
		/* Only the outermost chrome element matters for main_text. */
		if (!(flags & TAG_INVISIBLE) && !s->chrome &&
		    ((flags & TAG_CHROME) || contains_word(attr(atts, "id")) ||
		     contains_word(attr(atts, "class")))) {
			s->chrome = true;
			fr |= FR_CHROME;
		}
	}
	if (flags & TAG_INVISIBLE) {
		fr |= FR_INVISIBLE;
		s->invisible++;
	}
	if (st == ST_OK)
		st = push_frame(s, fr);
	fail(s, st);
}

static void on_end(void *ctx, const xmlChar *name)
{
	struct sax *s = ctx;
	status st;
	int fr;

	(void)name;
	if (s->st != ST_OK || s->pdepth == 0)
		return;
	s->pdepth--;
	if (s->skip) {
		s->skip = s->pdepth > 0;
		return;
	}
	if (s->depth == 0)
		return;
	st = flush_node(s);
	fr = s->stack[--s->depth];
	if (fr & FR_INVISIBLE)
		s->invisible--;
	if (st == ST_OK && (fr & FR_CAPTURE))
		st = capture_close(s);
	if (st == ST_OK && (fr & FR_JSONLD)) {
		s->in_jsonld = false;
		st = jsonld_scan(s->p, buf_str(&s->jsonld), "datePublished");
		if (st == ST_OK)
			st = jsonld_scan(s->p, buf_str(&s->jsonld), "dateModified");
	}
	if (fr & FR_CHROME)
		s->chrome = false;
	if (st == ST_OK && (fr & FR_VISITED) && !(fr & FR_INLINE)) {
		st = text_sep(&s->text);
		if (st == ST_OK)
			st = text_sep(&s->main);
	}
	if (s->depth == 0) {
		s->closed = true;
		s->root_fr = fr;
	}
	fail(s, st);
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
	struct sax *s = ctx;
	const char *t = (const char *)ch;
	size_t n;
	status st = ST_OK;

	/* Text outside any element is dropped by the tree builder. */
	if (s->st != ST_OK || s->pdepth == 0 || s->skip || len <= 0)
		return;
	n = strnlen(t, (size_t)len); /* tree text nodes end at a NUL */
	if (s->invisible == 0) {
		st = text_add(&s->text, t, n);
		if (st == ST_OK && !s->chrome)
			st = text_add(&s->main, t, n);
	}
	if (st == ST_OK && s->in_jsonld)
		st = buf_add(&s->jsonld, t, n);
	if (st == ST_OK && s->ncaps)
		st = buf_add(&s->node, t, n);
	fail(s, st);
}

/* Comments and processing instructions end a text node in the tree. */
static void on_comment(void *ctx, const xmlChar *value)
{
	struct sax *s = ctx;

	(void)value;
	if (!s->started && s->doc_first == DOC_FIRST_UNKNOWN)
		s->doc_first = DOC_FIRST_OTHER;
	if (s->st == ST_OK)
		fail(s, flush_node(s));
}

/* A DOCTYPE, even a misplaced one, becomes the document's first child. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext_id, const xmlChar *sys_id)
{
	struct sax *s = ctx;

	(void)name;
	(void)ext_id;
	(void)sys_id;
	s->doc_first = DOC_FIRST_OTHER;
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void)target;
	(void)data;
	on_comment(ctx, NULL);
}

/* ---- the parse ------------------------------------------------------------- */

static void parse(struct sax *s, const char *doc, size_t len)
{
	static const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC;
	htmlSAXHandler h;
	htmlParserCtxtPtr ctxt;

	if (len == 0 || len > INT_MAX)
		return;
	ctxt = htmlCreateMemoryParserCtxt(doc, (int)len);
	if (!ctxt || !ctxt->sax || !ctxt->input) {
		s->st = status_set(ST_NOMEM, "out of memory parsing HTML");
		htmlFreeParserCtxt(ctxt);
		return;
	}
	/* No tree: only the callbacks below (no startDocument, so no doc). */
	memset(&h, 0, sizeof(h));
	h.startElement = on_start;
	h.endElement = on_end;
	h.characters = on_text;
	h.cdataBlock = on_text;
	h.comment = on_comment;
	h.processingInstruction = on_pi;
	h.internalSubset = on_doctype;
	memcpy(ctxt->sax, &h, sizeof(h));
	ctxt->userData = s;
	s->ctxt = ctxt;
	htmlCtxtUseOptions(ctxt, opts);
	/* The body is UTF-8 already (charset.c): no conversion, and a <meta>
	 * naming another charset must not make libxml2 switch. */
	xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
	if (!ctxt->input->encoding)
		ctxt->input->encoding = xmlStrdup((const xmlChar *)"UTF-8");
	htmlParseDocument(ctxt);
	if (ctxt->myDoc)
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	htmlFreeParserCtxt(ctxt);
	s->ctxt = NULL;
}

/* Captures the parse left open (a stop on error) end with what they have. */
static status finish(struct sax *s)
{
	status st = s->st;

	while (s->ncaps > 0) {
		status cs = capture_close(s);

		if (st == ST_OK)
			st = cs;
	}
	if (st == ST_OK)
		st = norm_nfc(buf_str(&s->text.b), s->text.b.len, &s->p->text);
	if (st == ST_OK)
		st = norm_nfc(buf_str(&s->main.b), s->main.b.len, &s->p->main_text);
	return st;
}

status html_extract(struct page *p, const char *body, size_t len, const char *charset_hint,
		    const char *base_url)
{
	struct sax s;
	char cs[64], *utf8 = NULL;
	const char *doc = NULL;
	size_t ulen = 0;
	status st;

	memset(&s, 0, sizeof(s));
	s.p = p;
	s.text.space = s.main.space = true;
	buf_init(&s.node, SIZE_MAX);
	buf_init(&s.jsonld, SIZE_MAX);
	buf_init(&s.text.b, SIZE_MAX);
	buf_init(&s.main.b, SIZE_MAX);
	charset_sniff(body, len, charset_hint, cs, sizeof(cs));
	if (strcmp(cs, "utf-8") == 0 && charset_utf8_clean(body, len)) {
		/* Nothing to convert or replace: parse the body itself, without
		 * the BOM, as charset_to_utf8 would give it. */
		size_t bom = len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

		doc = body + bom;
		ulen = len - bom;
		st = ST_OK;
	} else {
		st = charset_to_utf8(body, len, cs, &utf8, &ulen);
		doc = utf8;
	}
	if (st == ST_OK)
		st = page_set(&p->charset, cs);
	if (st < 0)
		goto out;
	s.base = base_url ? str_dup(base_url) : NULL;
	if (base_url && !s.base) {
		st = status_set(ST_NOMEM, "out of memory parsing HTML");
		goto out;
	}
	parse(&s, doc, ulen);
	st = finish(&s);
out:
	while (s.ncaps > 0)
		(void)capture_close(&s);
	url_cache_clear(&s);
	free(s.urls);
	free(s.spare);
	free(s.origin);
	free(s.caps);
	free(s.stack);
	buf_release(&s.text.b);
	buf_release(&s.main.b);
	buf_release(&s.node);
	buf_release(&s.jsonld);
	free(utf8);
	free(s.base);
	return st;
}
