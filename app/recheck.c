#include "app/recheck.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/audit_one.h"
#include "app/crawl_setup.h"
#include "core/clock.h"
#include "core/log.h"
#include "reports/out.h"
#include "store/users.h"

/* Progress lines reach the store at most this often while crawling. */
#define PROGRESS_EVERY_MS 1000

/* The crawl's page hook context: counts pages and writes the progress
 * line on the crawl thread, which owns the store connection. */
struct hook_ctx {
	struct store *s;
	int64_t id;
	long pages, errors;
	int64_t last_ms;
};

static void note(struct store *s, int64_t id, const char *text)
{
	if (rechecks_progress(s, id, text) < 0)
		log_warn("re-check %lld: %s", (long long)id, status_message());
}

static void on_page(void *ctx, bool error)
{
	struct hook_ctx *h = ctx;
	char text[96];
	int64_t now = clock_ms();

	h->pages++;
	h->errors += error;
	if (now - h->last_ms < PROGRESS_EVERY_MS)
		return;
	h->last_ms = now;
	snprintf(text, sizeof(text), "đang thu thập: %ld trang", h->pages);
	note(h->s, h->id, text);
}

/* "check OPTIONS... --quiet --school ID": the command line of the check
 * this re-check is.  --school last: it takes the words after it. */
static char **check_argv(const struct recheck_options *o, const char *school_id, int *argc)
{
	int n = o->argc > 0 ? o->argc : 0, k = 0, i;
	char **v = calloc((size_t)n + 5, sizeof(*v));

	if (!v)
		return NULL;
	v[k++] = (char *)"check";
	for (i = 0; i < n; i++)
		v[k++] = o->argv[i];
	v[k++] = (char *)"--quiet";
	v[k++] = (char *)"--school";
	v[k++] = (char *)school_id;
	*argc = k;
	return v;
}

/* Crawls and audits the school of r as `check --school` does; fills out
 * (ok, runs, text). */
static void run_check(struct app *a, const struct recheck_options *o, struct store *s,
		      const struct recheck *r, struct recheck_outcome *out)
{
	struct hook_ctx h = {s, r->id, 0, 0, 0};
	struct audit_begin b = {0};
	struct school_result res;
	struct crawl_setup cs;
	FILE *log = o->log ? o->log : stderr;
	char score[32];
	int argc = 0, rc;
	char **argv = check_argv(o, r->school_id, &argc);
	status st = ST_OK;

	memset(&res, 0, sizeof(res));
	memset(&cs, 0, sizeof(cs));
	rc = argv ? crawl_setup_parse(&cs, a, argc, argv, 1, true) : EXIT_RUNTIME;
	if (rc == EXIT_OK)
		rc = crawl_setup_load(&cs, s);
	if (rc != EXIT_OK) {
		snprintf(out->text, sizeof(out->text), "lỗi: không chuẩn bị được lần kiểm tra");
		goto done;
	}
	cs.page_hook = on_page;
	cs.page_hook_ctx = &h;
	note(s, r->id, "đang thu thập");
	rc = app_crawl(s, &cs, log, &out->crawl_run);
	if (rc != EXIT_OK) {
		snprintf(out->text, sizeof(out->text), "%s",
			 a->stop ? "bị gián đoạn" : "lỗi: thu thập không xong");
		goto done;
	}
	snprintf(out->text, sizeof(out->text), "đang đánh giá (%ld trang)", h.pages);
	note(s, r->id, out->text);
	b.crawl_run = out->crawl_run;
	b.period = cs.period;
	b.as_of = cs.as_of;
	b.params = cs.params;
	b.scope = "check";
	st = app_audit_single(s, cs.rules, &b, &cs.schools[0], &res, &out->audit_run);
	if (st < 0) {
		fprintf(log, "portal-audit: re-check %lld: %s\n", (long long)r->id,
			status_message());
		snprintf(out->text, sizeof(out->text), "lỗi: đánh giá không xong");
		goto done;
	}
	out->ok = true;
	if (res.has_score) {
		out_fmt_vi(score, sizeof(score), res.score, 1);
		snprintf(out->text, sizeof(out->text), "xong: %ld trang, điểm %s", h.pages, score);
	} else {
		snprintf(out->text, sizeof(out->text), "xong: %ld trang, không đánh giá được",
			 h.pages);
	}
done:
	school_result_release(&res);
	crawl_setup_release(&cs);
	free(argv);
}

/* Whether a re-check is queued, on a short read-only connection: the
 * writer lock is taken only when there is work. */
static status any_queued(const struct app *a, bool *any)
{
	struct store *s = NULL;
	int n = 0;
	status st = store_open_mode(&s, a->db_path, STORE_READ);

	if (st == ST_OK)
		st = rechecks_queued(s, &n);
	store_free(s);
	*any = n > 0;
	return st;
}

status recheck_worker_run_one(struct app *a, const struct recheck_options *o,
			      struct recheck_outcome *out)
{
	struct store *s = NULL;
	struct recheck r;
	bool any = false;
	int stale = 0;
	status st = any_queued(a, &any);

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	if (st < 0 || !any)
		return st;
	st = store_open_mode(&s, a->db_path, STORE_WRITE | STORE_EXCLUSIVE);
	if (st == ST_OK)
		st = rechecks_fail_stale(s, &stale);
	if (st == ST_OK && stale)
		log_warn("%d re-check(s) left running by a stopped worker marked failed", stale);
	if (st == ST_OK)
		st = rechecks_take(s, &r);
	if (st == ST_NOTFOUND) { /* another worker took it */
		st = ST_OK;
		goto out;
	}
	if (st < 0)
		goto out;
	out->id = r.id;
	snprintf(out->school_id, sizeof(out->school_id), "%s", r.school_id);
	run_check(a, o, s, &r, out);
	st = rechecks_finish(s, r.id, out->ok, out->crawl_run, out->audit_run, out->text);
out:
	recheck_release(&r);
	store_free(s);
	return st;
}

struct recheck_worker {
	struct app app; /* a copy with its own stop flag */
	const struct recheck_options *o;
	int poll_ms;
	bool wake;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
};

static bool stopping(struct recheck_worker *w)
{
	return __atomic_load_n(&w->app.stop, __ATOMIC_RELAXED) != 0;
}

/* Waits poll_ms or until woken or stopped. */
static void wait_for_work(struct recheck_worker *w)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += w->poll_ms / 1000;
	until.tv_nsec += (long)(w->poll_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->mu);
	while (!w->wake && !stopping(w))
		if (pthread_cond_timedwait(&w->cv, &w->mu, &until) == ETIMEDOUT)
			break;
	w->wake = false;
	pthread_mutex_unlock(&w->mu);
}

static void *worker_main(void *arg)
{
	struct recheck_worker *w = arg;
	struct recheck_outcome out;
	char last[256] = "";
	status st;

	while (!stopping(w)) {
		do {
			st = recheck_worker_run_one(&w->app, w->o, &out);
			/* The same failure (a crawl holding the store's lock) is
			 * logged once, not at every poll. */
			if (st < 0 && strncmp(last, status_message(), sizeof(last) - 1) != 0) {
				log_warn("re-check worker: %s", status_message());
				snprintf(last, sizeof(last), "%s", status_message());
			}
			if (st == ST_OK)
				last[0] = '\0';
			if (st == ST_OK && out.id)
				log_info("re-check %lld of %s: %s", (long long)out.id,
					 out.school_id, out.text);
		} while (st == ST_OK && out.id && !stopping(w));
		if (!stopping(w))
			wait_for_work(w);
	}
	return NULL;
}

status recheck_worker_start(struct recheck_worker **out, const struct app *a,
			    const struct recheck_options *o, int poll_ms)
{
	struct recheck_worker *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (!w)
		return status_set(ST_NOMEM, "out of memory");
	w->app.db_path = a->db_path;
	w->app.config = a->config;
	w->app.argv0 = a->argv0;
	w->o = o;
	w->poll_ms = poll_ms > 0 ? poll_ms : 1000;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		free(w);
		return status_set(ST_IO, "cannot start the re-check worker thread");
	}
	*out = w;
	return ST_OK;
}

void recheck_worker_wake(struct recheck_worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->wake = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

void recheck_worker_stop(struct recheck_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	__atomic_store_n(&w->app.stop, 1, __ATOMIC_RELAXED);
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
