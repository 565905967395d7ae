/* portal-audit-extract: reads the text of one document (PDF, DOCX, XLSX)
 * from standard input for the crawler, which starts it once per document
 * under resource limits (crawler/docspawn.c).  A program of its own so
 * that portal-audit itself does not load poppler and its libraries. */
#include "extract/doctext.h"

int main(int argc, char **argv)
{
	return doctext_main(argc, argv);
}
