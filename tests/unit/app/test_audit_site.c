/* app_audit_school over a real store: what the crawler records for sites
 * and pages it could not read reaches the verdicts.  A parked (expired)
 * portal fails with its reason and every item is unreachable, the reason
 * shown in Vietnamese; robots-blocked rows (status 0, error "robots") and
 * a scanned document (doc:status no_text) survive the store and make the
 * items they may hide "review", not "missing". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/audit_one.h"
#include "core/page.h"
#include "core/str.h"
#include "reports/view.h"
#include "rules/ruleset.h"
#include "store/db.h"
#include "store/pages.h"
#include "store/registry.h"
#include "store/runs.h"
#include "tests/unit/common/tmpfiles.h"

#define HOST "http://thcsnguyendu.hcm.edu.vn"

struct ctx {
	char db[TMPFILES_PATH], csv[TMPFILES_PATH];
	struct store *s;
	struct ruleset *rs;
	int64_t run;
};

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	char path[1024];
	struct import_result res;
	struct run_info ri;
	static const char csv[] =
		"school_id,name,unit,level,ownership,portal_url\n"
		"79-Q01-THCS-0001,Trường THCS Nguyễn Du,Quận 1,thcs,cong_lap," HOST "/\n"
		"79-Q01-THCS-0002,Trường THCS Lê Lợi,Quận 1,thcs,cong_lap,http://thcsleloi.hcm.edu.vn/\n";

	if (!c)
		return -1;
	if (tmpfiles_store(c->db, "test_audit_site") < 0 ||
	    tmpfiles_text(c->csv, "test_audit_site_csv", "", csv, sizeof(csv) - 1) < 0)
		return -1;
	memset(&res, 0, sizeof(res));
	memset(&ri, 0, sizeof(ri));
	ri.kind = "crawl";
	snprintf(path, sizeof(path), "%s/rules/sets/tt09-2009.yaml", getenv("PA_SOURCE"));
	if (store_open(&c->s, c->db) < 0 || registry_import(c->s, c->csv, NULL, NULL, &res) < 0 ||
	    runs_start(c->s, &ri) < 0 || ruleset_load(&c->rs, path) < 0)
		return -1;
	c->run = ri.id;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	ruleset_free(c->rs);
	store_free(c->s);
	tmpfiles_store_remove(c->db);
	unlink(c->csv);
	free(c);
	return 0;
}

static struct page *mk(const char *path, int code, const char *ctype, const char *title,
		       const char *main_text)
{
	struct page *pg = NULL;
	char url[256];

	snprintf(url, sizeof(url), HOST "%s", path);
	assert_int_equal(page_new(&pg), ST_OK);
	pg->status = code;
	assert_int_equal(page_set(&pg->url, url), ST_OK);
	assert_int_equal(page_set(&pg->requested_url, url), ST_OK);
	if (ctype)
		assert_int_equal(page_set(&pg->content_type, ctype), ST_OK);
	if (title) {
		assert_int_equal(page_set(&pg->title, title), ST_OK);
		assert_int_equal(page_add_heading(pg, 1, title), ST_OK);
	}
	if (main_text) {
		assert_int_equal(page_set(&pg->text, main_text), ST_OK);
		assert_int_equal(page_set(&pg->main_text, main_text), ST_OK);
	}
	return pg;
}

static void put(struct page_writer *w, const char *school, struct page *pg)
{
	assert_int_equal(page_writer_put(w, school, pg), ST_OK);
	page_free(pg);
}

static void audit(struct ctx *c, const char *id, struct school_result *r)
{
	struct school_info si;
	struct eval_options o = EVAL_OPTIONS_INIT;
	struct audit_source src = {0, NULL};

	src.crawl_run = c->run;
	memset(&si, 0, sizeof(si));
	assert_int_equal(registry_get(c->s, id, &si), ST_OK);
	o.period = "2017-2018";
	o.as_of = "2018-05-15";
	assert_int_equal(app_audit_school(c->s, c->rs, &o, &src, &si, r), ST_OK);
	school_info_release(&si);
}

static const struct finding *find(const struct school_result *r, const char *item)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].item, item) == 0)
			return &r->findings[i];
	fail_msg("no finding for %s", item);
	return NULL;
}

static void parked_portal_is_unreachable_with_its_reason(void **state)
{
	struct ctx *c = *state;
	struct page_writer *w = NULL;
	struct school_result r;

	assert_int_equal(page_writer_new(&w, c->s, c->run), ST_OK);
	assert_int_equal(store_begin(c->s), ST_OK);
	assert_int_equal(
		page_writer_site_pending(w, "79-Q01-THCS-0002", "http://thcsleloi.hcm.edu.vn/"),
		ST_OK);
	assert_int_equal(page_writer_site_done(w, "79-Q01-THCS-0002", false, "parked",
					       "thcsleloi.hcm.edu.vn", 1, 0),
			 ST_OK);
	assert_int_equal(store_commit(c->s), ST_OK);
	page_writer_free(w);
	audit(c, "79-Q01-THCS-0002", &r);
	assert_false(r.reachable);
	assert_false(r.has_score);
	assert_string_equal(r.unreachable_reason, "parked");
	assert_int_equal(find(&r, "portal_reachable")->verdict, VERDICT_UNREACHABLE);
	assert_string_equal(find(&r, "portal_reachable")->note, "parked");
	assert_int_equal(find(&r, "facilities")->verdict, VERDICT_UNREACHABLE);
	char why[256];

	assert_non_null(strstr(view_reason_vi(why, sizeof(why), r.unreachable_reason),
			       "tên miền đã hết hạn"));
	school_result_release(&r);
}

static void robots_rows_and_scans_survive_the_store(void **state)
{
	struct ctx *c = *state;
	struct page_writer *w = NULL;
	struct school_result r;
	struct page *home, *post, *scan, *bl;
	const struct finding *f;
	const char *id = "79-Q01-THCS-0001";

	home = mk("/", 200, "text/html", "Trường THCS Nguyễn Du", "Chào mừng");
	assert_int_equal(page_add_link(home, HOST "/ba-cong-khai/", "Ba công khai"), ST_OK);
	assert_int_equal(page_add_link(home, HOST "/cong-khai/ho-so-cong-khai-2017-2018.html",
				       "Hồ sơ công khai"),
			 ST_OK);
	post = mk("/cong-khai/ho-so-cong-khai-2017-2018.html", 200, "text/html",
		  "Hồ sơ công khai năm học 2017-2018", "Ngày đăng: 02/10/2017");
	assert_int_equal(page_add_link(post, HOST "/upload/scan-01.pdf", "Tải về"), ST_OK);
	assert_int_equal(page_add_link(post, HOST "/upload/co-so-vat-chat-nam-hoc-2017-2018.pdf",
				       "Tải file"),
			 ST_OK);
	scan = mk("/upload/scan-01.pdf", 200, "application/pdf", NULL, "");
	assert_int_equal(page_add_meta(scan, "doc:status", "no_text"), ST_OK);
	bl = mk("/ba-cong-khai/", 0, NULL, NULL, NULL);
	assert_int_equal(page_set(&bl->error, "robots"), ST_OK);
	assert_int_equal(page_writer_new(&w, c->s, c->run), ST_OK);
	assert_int_equal(store_begin(c->s), ST_OK);
	assert_int_equal(page_writer_site_pending(w, id, HOST "/"), ST_OK);
	put(w, id, home);
	put(w, id, post);
	put(w, id, scan);
	put(w, id, bl);
	assert_int_equal(page_writer_site_done(w, id, true, NULL, "thcsnguyendu.hcm.edu.vn", 3, 0),
			 ST_OK);
	assert_int_equal(store_commit(c->s), ST_OK);
	page_writer_free(w);
	audit(c, id, &r);
	assert_true(r.reachable);
	/* The file name names facilities: found in the generic post. */
	f = find(&r, "facilities");
	assert_int_equal(f->verdict, VERDICT_PASS);
	assert_string_equal(f->url, HOST "/cong-khai/ho-so-cong-khai-2017-2018.html");
	/* The blocked section may hold the rest: review, the blocked URL. */
	f = find(&r, "staff");
	assert_int_equal(f->verdict, VERDICT_REVIEW);
	assert_string_equal(f->url, HOST "/ba-cong-khai/");
	assert_non_null(strstr(f->note, "bị chặn bởi robots.txt"));
	school_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(parked_portal_is_unreachable_with_its_reason, setup,
						teardown),
		cmocka_unit_test_setup_teardown(robots_rows_and_scans_survive_the_store, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
