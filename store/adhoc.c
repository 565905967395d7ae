#include "store/adhoc.h"

#include <string.h>
#include <time.h>

#include "core/clock.h"

bool adhoc_is(const char *id)
{
	return id && strncmp(id, ADHOC_ID_PREFIX, sizeof(ADHOC_ID_PREFIX) - 1) == 0;
}

status adhoc_school_put(struct store *s, const struct school_info *si)
{
	sqlite3_stmt *stmt = NULL;
	char now[21];
	status st;

	st = store_prepare(s, &stmt,
			   "INSERT INTO schools (id, name, unit, level, ownership, portal_url,"
			   " imported_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?7)"
			   " ON CONFLICT (id) DO UPDATE SET name = ?2, unit = ?3, level = ?4,"
			   " ownership = ?5, portal_url = ?6, updated_at = ?7");
	if (st < 0)
		return st;
	clock_datetime(time(NULL), now);
	store_bind_text(stmt, 1, si->id);
	store_bind_text(stmt, 2, si->name);
	store_bind_text(stmt, 3, si->unit ? si->unit : "");
	store_bind_text(stmt, 4, si->level);
	store_bind_text(stmt, 5, si->ownership ? si->ownership : "");
	store_bind_text(stmt, 6, si->portal_url);
	store_bind_text(stmt, 7, now);
	st = store_step_done(s, stmt);
	sqlite3_finalize(stmt);
	return st;
}
