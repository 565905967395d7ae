/* Schools that are audited without being in the registry (`check URL`):
 * stored like registered ones so their crawl, findings and reports work
 * the same way. */
#ifndef STORE_ADHOC_H
#define STORE_ADHOC_H

#include "core/finding.h"
#include "store/db.h"

#include <stdbool.h>

/* The id of an ad hoc school is this prefix and the host: "check:HOST". */
#define ADHOC_ID_PREFIX "check:"
/* True when id is an ad hoc school's. */
bool adhoc_is(const char *id);

/* Inserts the school, or replaces an existing row with the same id. */
status adhoc_school_put(struct store *s, const struct school_info *si) PA_MUST_CHECK;

#endif
