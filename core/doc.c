#include "core/doc.h"

#include <string.h>
#include <strings.h>

/* Whether the URL's path ends in ext (".xls"), before any query. */
static int url_ends(const char *url, const char *ext)
{
	size_t n = url ? strcspn(url, "?#") : 0, e = strlen(ext);

	return n >= e && strncasecmp(url + n - e, ext, e) == 0;
}

const char *doc_sniff(const char *body, size_t len, const char *url)
{
	size_t head = len < 1024 ? len : 1024;

	if (head >= 5 && memmem(body, head, "%PDF-", 5))
		return DOC_TYPE_PDF;
	if (len >= 4 && memcmp(body, "PK\x03\x04", 4) == 0)
		return DOC_TYPE_ZIP;
	if (len >= 8 && memcmp(body, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return url_ends(url, ".xls") ? DOC_TYPE_XLS : DOC_TYPE_DOC;
	return NULL;
}
