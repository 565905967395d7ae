#include "crawler/html.h"

#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

struct walk {
	struct page *p;
	struct buf text, main;
	char *base;   /* owned; <base href> may replace it */
	const xmlNode *chrome; /* outermost nav-like element being walked (for main_text) */
	bool have_title;
	status st;
};

void html_init(void)
{
	xmlInitParser();
}

/* libxml2's HTML parser lower-cases element and attribute names, so
 * plain comparisons suffice. */
static bool name_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->name && n->name[0] == (xmlChar)name[0] &&
	       strcmp((const char *)n->name, name) == 0;
}

/* Not rendered as page text; <title> is taken separately. */
static const char *const invisible[] = {"script", "style", "noscript", "template", "title", NULL};
static const char *const inline_tags[] = {
    "a",   "abbr", "b",	   "bdi", "bdo", "cite",  "code",  "data", "dfn",    "em",     "font",
    "i",   "kbd",  "mark", "q",	  "s",	 "samp",  "small", "span", "strike", "strong", "sub",
    "sup", "time", "u",	   "var", "wbr", "label", "nobr",  "big",  "tt",     NULL};
static const char *const chrome_tags[] = {"nav", "header", "footer", "aside", NULL};
static const char *const chrome_words[] = {"menu",   "nav",	   "sidebar", "footer",
					   "header", "breadcrumb", NULL};

enum { TAG_INVISIBLE = 1, TAG_INLINE = 2, TAG_CHROME = 4 };

#define TAG_TABLE_MAX 64
static const char *tag_names[TAG_TABLE_MAX];
static int tag_bits[TAG_TABLE_MAX];
static size_t tag_count;
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void tag_add(const char *const *names, int bit)
{
	for (; *names && tag_count < TAG_TABLE_MAX; names++) {
		size_t i;

		for (i = 0; i < tag_count && strcmp(tag_names[i], *names) != 0; i++)
			;
		if (i == tag_count)
			tag_names[tag_count++] = *names;
		tag_bits[i] |= bit;
	}
}

/* One sorted table of the names in the lists above with their flags. */
static void tag_table_init(void)
{
	size_t i, j;

	tag_add(invisible, TAG_INVISIBLE);
	tag_add(inline_tags, TAG_INLINE);
	tag_add(chrome_tags, TAG_CHROME);
	for (i = 1; i < tag_count; i++) /* insertion sort, names and bits together */
		for (j = i; j > 0 && strcmp(tag_names[j - 1], tag_names[j]) > 0; j--) {
			const char *t = tag_names[j];
			int bt = tag_bits[j];

			tag_names[j] = tag_names[j - 1];
			tag_bits[j] = tag_bits[j - 1];
			tag_names[j - 1] = t;
			tag_bits[j - 1] = bt;
		}
}

/* The TAG_ flags of an element: one binary search instead of a string
 * comparison per list entry. */
static int tag_flags(const xmlNode *n)
{
	const char *name, **hit;

	if (n->type != XML_ELEMENT_NODE || !n->name)
		return 0;
	pthread_once(&tag_once, tag_table_init);
	name = (const char *)n->name;
	hit = bsearch(&name, tag_names, tag_count, sizeof(*tag_names), cmp_str);
	return hit ? tag_bits[hit - tag_names] : 0;
}

static const char *attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next)
		if (a->name && strcasecmp((const char *)a->name, name) == 0 && a->children &&
		    a->children->type == XML_TEXT_NODE)
			return (const char *)a->children->content;
	return NULL;
}

static bool contains_word(const char *v)
{
	const char *const *w;

	if (!v)
		return false;
	for (w = chrome_words; *w; w++)
		if (strcasestr(v, *w))
			return true;
	return false;
}

/* Navigation, headers, footers, sidebars and menus: kept in text, left out
 * of main_text so rules can tell content from site chrome. */
static bool is_chrome(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE &&
	       ((tag_flags(n) & TAG_CHROME) || contains_word(attr(n, "id")) ||
		contains_word(attr(n, "class")));
}

/* Appends text, ignoring ST_LIMIT: snippets are capped on purpose. */
static status add_capped(struct buf *b, const char *s)
{
	status st = buf_adds(b, s);

	return st == ST_LIMIT ? ST_OK : st;
}

/* The next node of a pre-order walk of root's subtree that does not enter
 * n's children when descend is false. */
static xmlNode *next_node(xmlNode *n, const xmlNode *root, bool descend)
{
	if (descend && n->children)
		return n->children;
	while (n && n != root) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

/* Visible text of a subtree (for titles, headings and anchors). */
static status subtree_text(xmlNode *root, char **out)
{
	struct buf b = BUF_INIT(HTML_SNIPPET_MAX);
	xmlNode *n = root->children;
	status st = ST_OK;

	*out = NULL;
	while (n && st == ST_OK) {
		bool descend = !(tag_flags(n) & TAG_INVISIBLE) || n == root;

		if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content)
			st = add_capped(&b, (const char *)n->content);
		else if (n->type == XML_ELEMENT_NODE && !(tag_flags(n) & TAG_INLINE))
			st = add_capped(&b, " ");
		n = next_node(n, root, descend && n->type == XML_ELEMENT_NODE);
	}
	if (st == ST_OK)
		st = norm_nfc(buf_str(&b), b.len, out);
	buf_release(&b);
	return st;
}

static status add_link(struct walk *w, xmlNode *n, const char *href)
{
	char *url = NULL, *text = NULL;
	status st;

	if (w->p->nlinks >= HTML_MAX_LINKS || url_resolve(&url, w->base, href) < 0)
		return ST_OK; /* not a fetchable link: javascript:, mailto:, junk */
	st = subtree_text(n, &text);
	if (st == ST_OK && !*text) {
		/* Image links: the image's alt or title says where they go. */
		xmlNode *c = n;
		const char *alt = NULL;

		while ((c = next_node(c, n, true)) != NULL && !alt)
			if (name_is(c, "img"))
				alt = attr(c, "alt") && *attr(c, "alt") ? attr(c, "alt")
									: attr(c, "title");
		if (!alt)
			alt = attr(n, "title");
		if (alt) {
			free(text);
			text = NULL;
			st = norm_nfc(alt, strlen(alt), &text);
		}
	}
	if (st == ST_OK)
		st = page_add_link(w->p, url, text);
	free(url);
	free(text);
	return st;
}

/* lower: meta names from markup are case-insensitive, our own are not. */
static status add_meta_nfc(struct page *p, const char *name, const char *content, bool lower)
{
	char *lname = str_dup(name), *c = NULL, *q;
	status st;

	if (p->nmetas >= HTML_MAX_METAS)
		return ST_OK;
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

static status on_script(struct walk *w, xmlNode *n)
{
	const char *type = attr(n, "type");
	xmlChar *c;
	status st;

	if (!type || strcasecmp(type, "application/ld+json") != 0)
		return ST_OK;
	c = xmlNodeGetContent(n);
	if (!c)
		return ST_OK;
	st = jsonld_scan(w->p, (const char *)c, "datePublished");
	if (st == ST_OK)
		st = jsonld_scan(w->p, (const char *)c, "dateModified");
	xmlFree(c);
	return st;
}

static status on_meta(struct walk *w, xmlNode *n)
{
	const char *content = attr(n, "content");
	const char *name = attr(n, "name");

	if (!name)
		name = attr(n, "property");
	if (!name)
		name = attr(n, "http-equiv");
	if (!name || !content)
		return ST_OK;
	return add_meta_nfc(w->p, name, content, true);
}

static status on_base(struct walk *w, xmlNode *n)
{
	const char *href = attr(n, "href");
	char *nb = NULL;

	if (href && url_resolve(&nb, w->base, href) == ST_OK) {
		free(w->base);
		w->base = nb;
	}
	return ST_OK;
}

/* Element entry: records what the element contributes to the model and
 * says whether to walk its children. */
static status enter(struct walk *w, xmlNode *n, bool *descend)
{
	const char *name = (const char *)n->name;
	status st = ST_OK;
	char *t = NULL;

	*descend = !(tag_flags(n) & TAG_INVISIBLE);
	if (name_is(n, "title") && !w->have_title) {
		st = subtree_text(n, &t);
		if (st == ST_OK) {
			w->p->title = t;
			w->have_title = true;
		}
	} else if (name_is(n, "script")) {
		st = on_script(w, n);
	} else if (name_is(n, "meta")) {
		st = on_meta(w, n);
	} else if (name_is(n, "base")) {
		st = on_base(w, n);
	} else if ((name_is(n, "a") || name_is(n, "area")) && attr(n, "href")) {
		st = add_link(w, n, attr(n, "href"));
	} else if ((name_is(n, "frame") || name_is(n, "iframe")) && attr(n, "src")) {
		st = add_link(w, n, attr(n, "src"));
	} else if (name_is(n, "time") && attr(n, "datetime")) {
		st = add_meta_nfc(w->p, "time", attr(n, "datetime"), false);
	} else if (strlen(name) == 2 && (name[0] == 'h' || name[0] == 'H') && name[1] >= '1' &&
		   name[1] <= '6' && w->p->nheadings < HTML_MAX_HEADINGS) {
		st = subtree_text(n, &t);
		if (st == ST_OK)
			st = page_add_heading(w->p, name[1] - '0', t);
		free(t);
	}
	/* Only the outermost chrome element matters for main_text. */
	if (*descend && !w->chrome && is_chrome(n))
		w->chrome = n;
	return st;
}

static status separate(struct walk *w, const xmlNode *n)
{
	status st = ST_OK;

	if (n->type == XML_ELEMENT_NODE && !(tag_flags(n) & TAG_INLINE)) {
		st = buf_addc(&w->text, ' ');
		if (st == ST_OK)
			st = buf_addc(&w->main, ' ');
	}
	return st;
}

static status on_text(struct walk *w, const xmlNode *n)
{
	status st;

	if (!n->content)
		return ST_OK;
	st = buf_adds(&w->text, (const char *)n->content);
	if (st == ST_OK && !w->chrome)
		st = buf_adds(&w->main, (const char *)n->content);
	return st;
}

/* One pre-order walk with explicit enter and leave, without recursion, so
 * deep documents cannot exhaust the stack. */
static status walk_tree(struct walk *w, xmlNode *root)
{
	xmlNode *n = root;
	status st = ST_OK;

	while (n && st == ST_OK) {
		bool descend = false;

		if (n->type == XML_ELEMENT_NODE) {
			st = enter(w, n, &descend);
			if (st == ST_OK)
				st = separate(w, n);
		} else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			st = on_text(w, n);
		}
		if (descend && n->children) {
			n = n->children;
			continue;
		}
		/* Leave n and every ancestor whose last child it was. */
		while (n && st == ST_OK) {
			if (n->type == XML_ELEMENT_NODE) {
				if (n == w->chrome)
					w->chrome = NULL;
				st = separate(w, n);
			}
			if (n == root) {
				n = NULL;
			} else if (n->next) {
				n = n->next;
				break;
			} else {
				n = n->parent;
			}
		}
	}
	return st;
}

static status finish_text(struct walk *w)
{
	status st = norm_nfc(buf_str(&w->text), w->text.len, &w->p->text);

	if (st == ST_OK)
		st = norm_nfc(buf_str(&w->main), w->main.len, &w->p->main_text);
	return st;
}

status html_extract(struct page *p, const char *body, size_t len, const char *charset_hint,
		    const char *base_url)
{
	struct walk w = {p, BUF_INIT(0), BUF_INIT(0), NULL, NULL, false, ST_OK};
	char cs[64], *utf8 = NULL;
	size_t ulen = 0;
	htmlDocPtr doc = NULL;
	xmlNode *root;
	status st;

	charset_sniff(body, len, charset_hint, cs, sizeof(cs));
	st = charset_to_utf8(body, len, cs, &utf8, &ulen);
	if (st == ST_OK)
		st = page_set(&p->charset, cs);
	if (st < 0)
		goto done;
	/* Text cannot outgrow the converted document (plus separators). */
	buf_init(&w.text, ulen * 3 + 1024);
	buf_init(&w.main, ulen * 3 + 1024);
	w.base = base_url ? str_dup(base_url) : NULL;
	if (base_url && !w.base) {
		st = status_set(ST_NOMEM, "out of memory parsing HTML");
		goto done;
	}
	if (ulen > 0 && ulen <= (size_t)0x7fffffff)
		doc =
		    htmlReadMemory(utf8, (int)ulen, base_url, "UTF-8",
				   HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				       HTML_PARSE_NONET | HTML_PARSE_COMPACT);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root)
		st = walk_tree(&w, root);
	if (st == ST_OK)
		st = finish_text(&w);
done:
	if (doc)
		xmlFreeDoc(doc);
	free(utf8);
	free(w.base);
	buf_release(&w.text);
	buf_release(&w.main);
	return st;
}
