/* The routes of the dashboard (docs/DASHBOARD.md, "Routes"): sessions,
 * login and logout, the report pages and downloads; the lists and the
 * POST actions are in lists.c and actions.c.  Every request passes
 * routes_handle, which looks the session up, sends a request without one
 * to /login, checks the CSRF token of every POST and then the user's
 * scope in each handler. */
#include <stdlib.h>
#include <string.h>

#include "reports/request.h"
#include "core/log.h"
#include "core/str.h"
#include "store/registry.h"
#include "store/report_queries.h"
#include "store/runs.h"
#include "web/internal.h"

#define MAX_SEGS 4

void web_error(struct web_resp *resp, const struct web_req *rq, unsigned code, const char *msg)
{
	static const char *const titles[][2] = {
		{"400", "Yêu cầu không hợp lệ"},
		{"401", "Chưa đăng nhập"},
		{"403", "Không có quyền truy cập"},
		{"404", "Không tìm thấy"},
		{"405", "Phương thức không được hỗ trợ"},
		{"413", "Dữ liệu gửi lên quá lớn"},
		{"429", "Quá nhiều yêu cầu"},
		{"500", "Lỗi máy chủ"},
	};
	const char *title = "Lỗi";
	char num[8];
	size_t i;
	status st;

	snprintf(num, sizeof(num), "%u", code);
	for (i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (strcmp(titles[i][0], num) == 0)
			title = titles[i][1];
	buf_reset(&resp->body);
	resp->code = code;
	resp->ctype = "text/html; charset=utf-8";
	resp->html = true;
	resp->location[0] = '\0';
	st = page_open(&resp->body, rq, title);
	if (st == ST_OK && msg) {
		st = buf_adds(&resp->body, "<p class=\"pa-err\">");
		if (st == ST_OK)
			st = page_esc(&resp->body, msg);
		if (st == ST_OK)
			st = buf_adds(&resp->body, "</p>\n");
	}
	if (st == ST_OK)
		st = page_close(&resp->body);
	if (st < 0) {
		buf_reset(&resp->body);
		resp->html = false;
		resp->ctype = "text/plain; charset=utf-8";
		if (buf_adds(&resp->body, title) < 0)
			buf_reset(&resp->body);
	}
}

void web_fail(struct web_resp *resp, const struct web_req *rq, status st, unsigned deny_code)
{
	char msg[1100];

	snprintf(msg, sizeof(msg), "%s", status_message());
	switch (st) {
	case ST_NOTFOUND:
		web_error(resp, rq, 404, msg);
		break;
	case ST_INVALID:
	case ST_PARSE:
	case ST_LIMIT:
		web_error(resp, rq, 400, msg);
		break;
	case ST_OK:
	case ST_NOMEM:
	case ST_IO:
	case ST_NET:
	case ST_DB:
	case ST_INTERRUPTED:
		log_warn("serve: %s %s: %s", rq->method, rq->path, msg);
		web_error(resp, rq, 500, NULL);
		break;
	case ST_DENIED: /* a refusal of the store (users.h: lockout, re-check limit) */
	default:
		web_error(resp, rq, deny_code, msg);
		break;
	}
}

void web_redirect(struct web_resp *resp, const char *path, const char *seg)
{
	struct buf b = BUF_INIT(sizeof(resp->location) - 1);

	if (buf_adds(&b, path) < 0 || (seg && page_seg(&b, seg) < 0)) {
		buf_release(&b);
		snprintf(resp->location, sizeof(resp->location), "/");
	} else {
		snprintf(resp->location, sizeof(resp->location), "%s", buf_str(&b));
		buf_release(&b);
	}
	resp->code = 303;
	resp->html = false;
	resp->ctype = "text/plain; charset=utf-8";
	buf_reset(&resp->body);
}

bool web_is_officer(const struct web_req *rq)
{
	return rq->user.role == ROLE_ADMIN || rq->user.role == ROLE_UNIT;
}

bool web_sees_school(const struct web_req *rq, const struct school_info *si)
{
	switch (rq->user.role) {
	case ROLE_ADMIN:
		return true;
	case ROLE_UNIT:
		return si->unit && rq->user.unit && strcmp(si->unit, rq->user.unit) == 0;
	case ROLE_SCHOOL:
		return si->id && rq->user.school_id && strcmp(si->id, rq->user.school_id) == 0;
	}
	return false;
}

bool web_school_in_scope(struct web_req *rq, struct web_resp *resp, const char *id,
			 struct school_info *si)
{
	status st;

	memset(si, 0, sizeof(*si));
	if (!web_segment_ok(id)) {
		web_error(resp, rq, rq->user.role == ROLE_ADMIN ? 404 : 403, NULL);
		return false;
	}
	st = registry_get(rq->s, id, si);
	if (st == ST_OK && web_sees_school(rq, si))
		return true;
	if (st == ST_OK || (st == ST_NOTFOUND && rq->user.role != ROLE_ADMIN))
		web_error(resp, rq, 403, "Trường này nằm ngoài phạm vi của tài khoản.");
	else
		web_fail(resp, rq, st, 403);
	school_info_release(si);
	return false;
}

status web_school_run(struct store *s, const char *id, int64_t *run)
{
	int64_t *runs = NULL;
	size_t n = 0;
	status st = report_queries_history(s, id, &runs, &n);

	if (st == ST_OK && n == 0)
		st = status_set(ST_NOTFOUND, "Trường %s chưa có kết quả đánh giá nào.", id);
	if (st == ST_OK)
		*run = runs[n - 1];
	free(runs);
	return st;
}

/* ---- sessions ---- */

static bool hex64(const char *s)
{
	size_t i;

	for (i = 0; s && i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s && s[64] == '\0';
}

static void set_cookie(struct web_resp *resp, const struct web_req *rq, const char *name,
		       const char *value, const char *path, int max_age)
{
	if (resp->ncookie == 2)
		return;
	snprintf(resp->cookie[resp->ncookie++], sizeof(resp->cookie[0]),
		 "%s=%s; HttpOnly; SameSite=Strict; Path=%s; Max-Age=%d%s", name, value, path,
		 max_age, rq->secure ? "; Secure" : "");
}

/* Looks the session cookie up; rq->authed when it names a live one. */
static status find_session(struct web_req *rq)
{
	status st;

	if (!hex64(rq->cookie_session))
		return ST_OK;
	st = sessions_lookup(rq->s, rq->cookie_session, &rq->user, rq->csrf);
	if (st == ST_OK) {
		rq->authed = true;
		snprintf(rq->token, sizeof(rq->token), "%s", rq->cookie_session);
		return ST_OK;
	}
	user_release(&rq->user);
	memset(&rq->user, 0, sizeof(rq->user));
	return st == ST_NOTFOUND ? ST_OK : st;
}

/* Where a user lands after login: its own scope's page. */
static void home(struct web_resp *resp, const struct web_req *rq)
{
	if (rq->user.role == ROLE_UNIT)
		web_redirect(resp, "/unit/", rq->user.unit);
	else if (rq->user.role == ROLE_SCHOOL)
		web_redirect(resp, "/school/", rq->user.school_id);
	else
		web_redirect(resp, "/city", NULL);
}

/* GET /login, and the form again after a failed login (code 401).  The
 * form's csrf is the pa_login cookie's value (double submit): there is
 * no session yet to hold it. */
static void login_form(struct web_req *rq, struct web_resp *resp, unsigned code, const char *err)
{
	char tok[65];
	struct buf *b = &resp->body;
	status st = ST_OK;

	if (hex64(rq->cookie_login))
		snprintf(tok, sizeof(tok), "%s", rq->cookie_login);
	else
		st = web_random_token(tok);
	if (st == ST_OK) {
		set_cookie(resp, rq, "pa_login", tok, "/login", 3600);
		snprintf(rq->csrf, sizeof(rq->csrf), "%s", tok);
		st = page_open(b, rq, "Đăng nhập");
	}
	if (st == ST_OK && err) {
		st = buf_adds(b, "<p class=\"pa-err\">");
		if (st == ST_OK)
			st = page_esc(b, err);
		if (st == ST_OK)
			st = buf_adds(b, "</p>\n");
	}
	if (st == ST_OK)
		st = buf_adds(b, "<form method=\"post\" action=\"/login\">\n<label>Tên đăng nhập "
				 "<input name=\"username\" autocomplete=\"username\" required "
				 "maxlength=\"64\"></label>\n<label>Mật khẩu <input "
				 "type=\"password\" name=\"password\" "
				 "autocomplete=\"current-password\" required></label>\n");
	if (st == ST_OK)
		st = page_csrf(b, rq);
	if (st == ST_OK)
		st = buf_adds(b, "\n<button type=\"submit\">Đăng nhập</button>\n</form>\n");
	if (st == ST_OK)
		st = page_close(b);
	if (st < 0) {
		web_fail(resp, rq, st, 500);
		return;
	}
	resp->code = code;
	resp->html = true;
	resp->ctype = "text/html; charset=utf-8";
}

/* POST /login: username, password, csrf (= the pa_login cookie). */
static void login(struct web_req *rq, struct web_resp *resp)
{
	const char *name = form_get(&rq->form, "username"), *pw = form_get(&rq->form, "password");
	char token[65], csrf[65];
	bool locked = false;
	status st;

	if (!web_token_eq(form_get(&rq->form, "csrf"), rq->cookie_login) ||
	    !hex64(rq->cookie_login)) {
		web_error(resp, rq, 403,
			  "Mã chống giả mạo (CSRF) không hợp lệ; hãy tải lại trang.");
		return;
	}
	if (!name || !pw || !*name || !*pw) {
		login_form(rq, resp, 400, "Hãy nhập tên đăng nhập và mật khẩu.");
		return;
	}
	st = users_login(rq->s, name, pw, rq->o->lockout_failures, rq->o->lockout_seconds,
			 &rq->user, &locked);
	if (st == ST_NOMEM || st == ST_DB || st == ST_IO) {
		web_fail(resp, rq, st, 500);
		return;
	}
	if (st < 0) {
		if (locked)
			log_info("serve: login refused: account locked");
		user_release(&rq->user);
		memset(&rq->user, 0, sizeof(rq->user));
		login_form(rq, resp, 401,
			   "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang bị khoá.");
		return;
	}
	st = sessions_create(rq->s, rq->user.id, rq->o->session_ttl, token, csrf);
	if (st < 0) {
		web_fail(resp, rq, st, 500);
		return;
	}
	rq->authed = true;
	home(resp, rq);
	set_cookie(resp, rq, "pa_session", token, "/", rq->o->session_ttl);
	set_cookie(resp, rq, "pa_login", "", "/login", 0);
}

/* POST /logout: ends the session so its id never works again. */
static void logout(struct web_req *rq, struct web_resp *resp)
{
	status st = sessions_end(rq->s, rq->token);

	if (st < 0 && st != ST_NOTFOUND) {
		web_fail(resp, rq, st, 500);
		return;
	}
	web_redirect(resp, "/login", NULL);
	set_cookie(resp, rq, "pa_session", "", "/", 0);
}

/* ---- report pages and downloads ---- */

static const struct {
	const char *ext, *ctype;
	enum report_format fmt;
} exts[] = {
	{"html", "text/html; charset=utf-8", REPORT_HTML},
	{"json", "application/json; charset=utf-8", REPORT_JSON},
	{"csv", "text/csv; charset=utf-8", REPORT_CSV},
	{"md", "text/markdown; charset=utf-8", REPORT_MD},
	{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", REPORT_XLSX},
	{"txt", "text/plain; charset=utf-8", REPORT_TEXT},
};

/* Cuts a ".EXT" download suffix off seg; -1 when there is none. */
static int cut_ext(char *seg)
{
	char *dot = strrchr(seg, '.');
	size_t i;

	for (i = 0; dot && i < sizeof(exts) / sizeof(exts[0]); i++) {
		if (strcmp(dot + 1, exts[i].ext) == 0) {
			*dot = '\0';
			return (int)i;
		}
	}
	return -1;
}

/* A file name for Content-Disposition: letters, digits, '.', '_', '-'. */
static void disposition(struct web_resp *resp, const char *kind, const char *sel, int ext)
{
	char name[200];
	size_t n, i;

	n = (size_t)snprintf(name, sizeof(name), "%s%s", kind, sel ? "-" : "");
	for (i = 0; sel && sel[i] && n + 1 < sizeof(name); i++) {
		char c = sel[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '-';

		name[n++] = ok ? c : '_';
	}
	name[n] = '\0';
	snprintf(resp->disposition, sizeof(resp->disposition), "attachment; filename=\"%s.%s\"",
		 name, exts[ext].ext);
}

/* Renders rq's report: a page (ext < 0) wrapped with the navigation,
 * download links for base and extra at its end, or a download. */
static void report(struct web_req *rq, struct web_resp *resp, struct report_request *r, int ext,
		   const char *base, const char *extra)
{
	char *doc = NULL;
	size_t n = 0;
	FILE *f;
	status st;

	r->fmt = ext < 0 ? REPORT_HTML : exts[ext].fmt;
	r->stop = rq->o->stop;
	r->links = ext < 0 ? "/" : NULL; /* a downloaded file links files */
	if (!(f = open_memstream(&doc, &n))) {
		web_fail(resp, rq, status_set(ST_NOMEM, "out of memory"), 500);
		return;
	}
	st = rq->o->render(rq->s, r, f);
	if (fclose(f) != 0 && st == ST_OK)
		st = status_set(ST_IO, "cannot write the report");
	if (st == ST_OK && ext < 0) {
		st = page_report(&resp->body, rq, doc, n, base, extra);
		resp->html = true;
		resp->ctype = exts[0].ctype;
	} else if (st == ST_OK) {
		st = buf_add(&resp->body, doc, n);
		resp->html = exts[ext].fmt == REPORT_HTML;
		resp->ctype = exts[ext].ctype;
		disposition(resp, r->kind, r->selector, ext);
	}
	free(doc);
	if (st < 0) {
		resp->disposition[0] = '\0';
		web_fail(resp, rq, st, 403);
		return;
	}
	resp->code = 200;
}

static bool latest_run(struct web_req *rq, struct web_resp *resp, int64_t *run)
{
	status st = runs_latest(rq->s, "audit", false, run);

	if (st == ST_NOTFOUND)
		st = status_set(ST_NOTFOUND, "Chưa có lượt đánh giá nào hoàn tất.");
	if (st < 0)
		web_fail(resp, rq, st, 403);
	return st == ST_OK;
}

/* /city, /ranking, /adoption: admin every school; a unit officer its
 * unit's (not /city); a school user none. */
static void page_many(struct web_req *rq, struct web_resp *resp, const char *kind, int ext)
{
	struct report_request r;
	char base[32];

	if (rq->user.role == ROLE_SCHOOL || (rq->user.role == ROLE_UNIT && kind[0] == 'c')) {
		web_error(resp, rq, 403, "Trang này nằm ngoài phạm vi của tài khoản.");
		return;
	}
	memset(&r, 0, sizeof(r));
	r.kind = kind;
	r.only_unit = rq->user.role == ROLE_UNIT ? rq->user.unit : NULL;
	if (!latest_run(rq, resp, &r.run))
		return;
	snprintf(base, sizeof(base), "/%s", kind);
	report(rq, resp, &r, ext, base, NULL);
}

static void page_unit(struct web_req *rq, struct web_resp *resp, const char *unit, int ext)
{
	struct report_request r;
	struct buf base = BUF_INIT(1024);

	if (!web_segment_ok(unit)) {
		web_error(resp, rq, 404, NULL);
		return;
	}
	if (rq->user.role == ROLE_SCHOOL ||
	    (rq->user.role == ROLE_UNIT && strcmp(unit, rq->user.unit ? rq->user.unit : "") != 0)) {
		web_error(resp, rq, 403, "Đơn vị này nằm ngoài phạm vi của tài khoản.");
		return;
	}
	memset(&r, 0, sizeof(r));
	r.kind = "unit";
	r.selector = unit;
	if (!latest_run(rq, resp, &r.run))
		return;
	if (buf_adds(&base, "/unit/") < 0 || page_seg(&base, unit) < 0)
		web_fail(resp, rq, ST_NOMEM, 500);
	else
		report(rq, resp, &r, ext, buf_str(&base), NULL);
	buf_release(&base);
}

/* The school page's report, history and result at the request's data
 * generation: from the cache, else made and kept (referenced: release
 * with web_cache_unref). */
static status school_page(struct web_req *rq, const char *id, struct web_cached **out)
{
	struct web_cached *e;
	size_t i, k = 0;
	status st;

	if ((*out = web_cache_get(rq->cache, id, rq->gen)))
		return ST_OK;
	if (!(e = calloc(1, sizeof(*e))) || !(e->id = str_dup(id))) {
		free(e);
		return status_set(ST_NOMEM, "out of memory");
	}
	st = rq->o->school_page(rq->s, id, rq->o->stop, &e->page);
	if (st == ST_OK)
		st = appeals_list(rq->s, false, &e->appeals, &e->nappeals);
	for (i = 0; st == ST_OK && i < e->nappeals; i++) { /* only the school's */
		if (e->appeals[i].school.id && strcmp(e->appeals[i].school.id, id) == 0)
			e->appeals[k++] = e->appeals[i];
		else
			appeal_release(&e->appeals[i]);
	}
	if (st == ST_OK) {
		e->nappeals = k;
		st = rechecks_of_school(rq->s, id, &e->rechecks, &e->nrechecks);
	}
	if (st < 0) {
		web_cached_free(e);
		return st;
	}
	*out = web_cache_put(rq->cache, rq->gen, e);
	return ST_OK;
}

/* GET /school/ID: scope first, then the cached report with the sections of
 * this user (forms with its CSRF token) around it. */
static void school_html(struct web_req *rq, struct web_resp *resp, const struct school_info *si,
			const char *base)
{
	struct buf extra = BUF_INIT(8 << 20);
	struct web_cached *e = NULL;
	status st = school_page(rq, si->id, &e);

	if (st == ST_OK)
		st = school_extra(rq, &extra, e);
	if (st == ST_OK)
		st = page_report(&resp->body, rq, e->page.doc, e->page.ndoc, base, buf_str(&extra));
	if (st < 0) {
		buf_reset(&resp->body);
		web_fail(resp, rq, st, 403);
	} else {
		resp->code = 200;
		resp->html = true;
		resp->ctype = exts[0].ctype;
	}
	web_cache_unref(rq->cache, e);
	buf_release(&extra);
}

static void page_school(struct web_req *rq, struct web_resp *resp, const char *id, int ext)
{
	struct report_request r;
	struct school_info si;
	struct buf base = BUF_INIT(1024);
	status st;

	if (!web_school_in_scope(rq, resp, id, &si))
		return;
	memset(&r, 0, sizeof(r));
	r.kind = "school";
	r.selector = si.id;
	st = buf_adds(&base, "/school/");
	if (st == ST_OK)
		st = page_seg(&base, si.id);
	if (st == ST_OK && ext < 0)
		school_html(rq, resp, &si, buf_str(&base));
	else if (st == ST_OK && (st = web_school_run(rq->s, si.id, &r.run)) == ST_OK)
		report(rq, resp, &r, ext, buf_str(&base), NULL);
	if (st < 0)
		web_fail(resp, rq, st, 403);
	buf_release(&base);
	school_info_release(&si);
}

/* /review.{fmt}: `report review` of the newest audit, an officer's
 * schools. */
static void download_review(struct web_req *rq, struct web_resp *resp, int ext)
{
	struct report_request r;

	if (!web_is_officer(rq)) {
		web_error(resp, rq, 403, "Trang này dành cho cán bộ đơn vị và Sở.");
		return;
	}
	memset(&r, 0, sizeof(r));
	r.kind = "review";
	r.only_unit = rq->user.role == ROLE_UNIT ? rq->user.unit : NULL;
	if (latest_run(rq, resp, &r.run))
		report(rq, resp, &r, ext, NULL, NULL);
}

/* Splits path into at most MAX_SEGS segments (in copy); false when the
 * path has more, an empty one or does not start with '/'. */
static bool split(char *copy, char *seg[MAX_SEGS], size_t *n)
{
	char *p = copy, *slash;

	*n = 0;
	if (*p != '/')
		return false;
	if (strcmp(p, "/") == 0)
		return true;
	for (p++; p; p = slash ? slash + 1 : NULL) {
		slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		if (!*p || *n == MAX_SEGS)
			return false;
		seg[(*n)++] = p;
	}
	return true;
}

static void get(struct web_req *rq, struct web_resp *resp, char **seg, size_t n)
{
	int ext = n ? cut_ext(seg[n - 1]) : -1;

	if (n == 0)
		home(resp, rq);
	else if (n == 1 && (strcmp(seg[0], "city") == 0 || strcmp(seg[0], "ranking") == 0 ||
			    strcmp(seg[0], "adoption") == 0))
		page_many(rq, resp, seg[0], ext);
	else if (n == 2 && strcmp(seg[0], "unit") == 0)
		page_unit(rq, resp, seg[1], ext);
	else if (n == 2 && strcmp(seg[0], "school") == 0)
		page_school(rq, resp, seg[1], ext);
	else if (n == 1 && strcmp(seg[0], "review") == 0 && ext >= 0)
		download_review(rq, resp, ext);
	else if (ext >= 0)
		web_error(resp, rq, 404, NULL);
	else if (n == 1 && strcmp(seg[0], "review") == 0)
		lists_review(rq, resp);
	else if (n == 1 && strcmp(seg[0], "appeals") == 0)
		lists_appeals(rq, resp);
	else if (n == 1 && strcmp(seg[0], "runs") == 0)
		lists_runs(rq, resp);
	else
		web_error(resp, rq, 404, NULL);
}

static void post(struct web_req *rq, struct web_resp *resp, char **seg, size_t n)
{
	if (!web_token_eq(form_get(&rq->form, "csrf"), rq->csrf)) {
		web_error(resp, rq, 403,
			  "Mã chống giả mạo (CSRF) không hợp lệ; hãy tải lại trang.");
		return;
	}
	if (n == 1 && strcmp(seg[0], "logout") == 0)
		logout(rq, resp);
	else if (n == 2 && strcmp(seg[0], "review") == 0 && strcmp(seg[1], "decide") == 0)
		actions_decide(rq, resp);
	else if (n == 2 && strcmp(seg[0], "appeals") == 0 && strcmp(seg[1], "open") == 0)
		actions_appeal_open(rq, resp);
	else if (n == 3 && strcmp(seg[0], "appeals") == 0 && strcmp(seg[2], "close") == 0)
		actions_appeal_close(rq, resp, seg[1]);
	else if (n == 1 && strcmp(seg[0], "recheck") == 0)
		actions_recheck(rq, resp);
	else
		web_error(resp, rq, 404, NULL);
}

void routes_handle(struct web_req *rq, struct web_resp *resp)
{
	char *copy = str_dup(rq->path), *seg[MAX_SEGS];
	bool is_get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
	bool is_post = strcmp(rq->method, "POST") == 0;
	size_t n = 0;
	status st;

	if (!copy) {
		web_fail(resp, rq, status_set(ST_NOMEM, "out of memory"), 500);
		return;
	}
	if (strcmp(rq->path, "/login") == 0 && is_get && (st = find_session(rq)) == ST_OK &&
	    rq->authed)
		home(resp, rq); /* logged in already */
	else if (strcmp(rq->path, "/login") == 0 && is_get)
		login_form(rq, resp, 200, NULL);
	else if (strcmp(rq->path, "/login") == 0 && is_post)
		login(rq, resp);
	else if ((st = find_session(rq)) < 0)
		web_fail(resp, rq, st, 500);
	else if (!rq->authed)
		web_redirect(resp, "/login", NULL);
	else if (!is_get && !is_post)
		web_error(resp, rq, 405, NULL);
	else if (!split(copy, seg, &n))
		web_error(resp, rq, 404, NULL);
	else if (is_get)
		get(rq, resp, seg, n);
	else
		post(rq, resp, seg, n);
	free(copy);
}
