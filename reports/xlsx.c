/* XLSX: not written yet; the descriptor is registered so the format name
 * parses and report_* answer "xlsx is not available yet". */
#include "reports/writer.h"

const struct report_writer xlsx_writer = {
	.name = "xlsx",
	.format = REPORT_XLSX,
	.school = NULL,
	.schools = NULL,
};
