#include "reports/out.h"
#include "reports/writer.h"
const struct report_writer html_writer = {.name = "html", .format = REPORT_HTML};
