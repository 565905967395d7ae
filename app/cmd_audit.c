/* `audit`: evaluate the rules against a stored crawl, with no network.
 * Results of all schools are written in transactions of COMMIT_EVERY
 * schools; the run is marked done only at the end, and reports use done
 * runs, so an interrupted audit never shows as a partial result. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "core/clock.h"
#include "core/log.h"
#include "app/audit_one.h"
#include "app/crawl_setup.h"
#include "store/registry.h"
#include "store/results.h"
#include "store/runs.h"

#define COMMIT_EVERY 100

struct audit_opts {
	struct selection sel;
	const char *rules_path, *period, *as_of;
	char period_buf[10], as_of_buf[11];
	const char *crawl_run; /* --crawl-run: a run id or label */
	const char *label;
	long max_age_days; /* --max-crawl-age, or 0 */
	char not_before[21];
	long threads;
	bool quiet;
	double fail_under;
	bool has_fail_under;
	const struct app *app;
	const volatile sig_atomic_t *stop; /* set by SIGINT: stop with ST_INTERRUPTED */
};

static const struct cli_opt audit_opts[] = {
	{"--crawl-run", NULL, CLI_STR, "RUN", "each school's newest finished crawl",
	 "read only this crawl run (id or label)", OPT_CRAWL_RUN, 0, 0},
	{"--max-crawl-age", NULL, CLI_INT, "DAYS", "any age",
	 "a school whose newest crawl is older counts as not crawled", OPT_MAX_CRAWL_AGE, 1, 36500},
	{"--label", NULL, CLI_STR, "TEXT", NULL,
	 "name the audit run (unique among audit runs; not only digits)", OPT_LABEL, 0, 0},
	{"--threads", NULL, CLI_INT, "N", "the number of CPUs, at most 16",
	 "schools evaluated at once", OPT_THREADS, 1, 64},
	{"--fail-under", NULL, CLI_STR, "SCORE", NULL,
	 "exit 1 when an assessed school scores under SCORE (0-100)", OPT_FAIL_UNDER, 0, 0},
	{"--quiet", NULL, CLI_FLAG, NULL, NULL, "do not print the summary line", OPT_QUIET, 0, 0},
	CLI_OPT_END,
};
static const struct cli_group audit_group = {"Audit options", audit_opts};

const struct cli_command cmd_audit_cli = {
	"audit",
	"[SELECTION] [OPTIONS]",
	"Evaluates the rules against each school's newest crawl, with no network.",
	"Each school is read from the newest crawl run that finished its site, whichever\n"
	"run (a partial crawl, a check) it was; a school no crawl covers is \"chưa thu\n"
	"thập\" (not crawled): not scored, not ranked, counted apart in every report.\n",
	{&selection_group, &crawl_setup_rules_group, &audit_group},
};

static int parse(struct audit_opts *o, int argc, char **argv)
{
	struct args a;
	int id;

	args_init(&a, argc, argv, 1);
	while ((id = cli_next(&a, &cmd_audit_cli)) != CLI_END && !a.bad) {
		if (selection_take(&a, id, &o->sel))
			continue;
		switch (id) {
		case OPT_RULES:
			o->rules_path = a.val;
			break;
		case OPT_PERIOD:
			o->period = a.val;
			break;
		case OPT_AS_OF:
			o->as_of = a.val;
			break;
		case OPT_CRAWL_RUN:
			o->crawl_run = a.val;
			break;
		case OPT_MAX_CRAWL_AGE:
			o->max_age_days = a.num;
			break;
		case OPT_LABEL:
			if (runs_label_check(a.val) < 0)
				return app_fail(ST_INVALID);
			o->label = a.val;
			break;
		case OPT_THREADS:
			o->threads = a.num;
			break;
		case OPT_QUIET:
			o->quiet = true;
			break;
		case OPT_FAIL_UNDER:
			o->has_fail_under = true;
			if (app_parse_score(a.val, &o->fail_under) != EXIT_OK)
				return EXIT_USAGE;
			break;
		default:
			return app_usage("audit: unexpected '%s' (see portal-audit audit --help)",
					 a.val);
		}
	}
	if (a.bad)
		return EXIT_USAGE;
	if (!o->threads) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		o->threads = cpus > 0 ? (cpus > 16 ? 16 : cpus) : 2;
	}
	return app_resolve_period(&o->period, &o->as_of, o->period_buf, o->as_of_buf);
}

struct tally {
	long schools, assessed, pass, findings;
	long not_crawled;
	int64_t crawl;    /* the crawl run every crawled school came from, or -1: several */
	long under;       /* assessed schools scoring under --fail-under */
	double threshold; /* --fail-under, or -1 */
	double score_sum;
};

/* Audit workers: each owns a reader connection, takes the next school by
 * index, loads its registry row, evaluates it and leaves the result in its
 * slot (only the ids of all schools are held, so memory does not grow with
 * the registry); the main thread
 * owns the write connection and stores the slots in school order, so the
 * stored result does not depend on thread timing.  Workers stay at most
 * WINDOW schools ahead of the writer, which bounds memory. */
#define WINDOW 256

struct audit_pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const struct ruleset *rs;
	struct eval_options eo;
	struct audit_source src;
	const char *db_path;
	const struct strlist *ids; /* the selected schools; each worker loads its row */
	int64_t run_id;            /* the audit run, whose frozen registry workers read */
	size_t n, next, written;
	struct school_result *slots; /* WINDOW slots, slot i % WINDOW */
	bool *ready;
	status failed; /* first worker failure */
	char failed_msg[512];
	const volatile sig_atomic_t *stop;
};

static void pool_fail(struct audit_pool *p, status st)
{
	if (p->failed == ST_OK) {
		p->failed = st;
		snprintf(p->failed_msg, sizeof(p->failed_msg), "%s", status_message());
	}
	pthread_cond_broadcast(&p->cv);
}

/* Called with p->mu held: after a signal, fails the pool with
 * ST_INTERRUPTED so workers and writer end at their next check. */
static bool pool_stopped(struct audit_pool *p)
{
	/* Atomic: the signal handler sets the flag while workers run (TSan). */
	if (p->failed == ST_OK && __atomic_load_n(p->stop, __ATOMIC_RELAXED))
		pool_fail(p, status_set(ST_INTERRUPTED, "audit interrupted"));
	return p->failed != ST_OK;
}

/* Waits for a change of the pool, waking every 100 ms to see a signal:
 * the handler only sets a flag and cannot signal the condition. */
static void pool_wait(struct audit_pool *p)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 100 * 1000 * 1000;
	if (ts.tv_nsec >= 1000 * 1000 * 1000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000 * 1000 * 1000;
	}
	pthread_cond_timedwait(&p->cv, &p->mu, &ts);
}

/* Called without p->mu: one school, its row read with the worker's
 * reader connection rd from the run's frozen registry (what its reports
 * show, even if the registry changes while the audit runs). */
static status audit_one(struct store *rd, const struct audit_pool *p, const char *id,
			struct school_result *r)
{
	struct school_info si = {0};
	status st = registry_run_school(rd, p->run_id, id, &si);

	if (st == ST_OK)
		st = app_audit_school(rd, p->rs, &p->eo, &p->src, &si, r);
	school_info_release(&si);
	return st;
}

static void *audit_worker(void *arg)
{
	struct audit_pool *p = arg;
	struct store *rd = NULL;
	status st = store_open_reader(&rd, p->db_path);

	pthread_mutex_lock(&p->mu);
	if (st < 0)
		pool_fail(p, st);
	while (!pool_stopped(p) && p->next < p->n) {
		size_t i = p->next;
		struct school_result r;

		if (i >= p->written + WINDOW) {
			pool_wait(p);
			continue;
		}
		p->next++;
		pthread_mutex_unlock(&p->mu);
		st = audit_one(rd, p, strlist_get(p->ids, i), &r);
		pthread_mutex_lock(&p->mu);
		if (st < 0) {
			pool_fail(p, st);
			break;
		}
		p->slots[i % WINDOW] = r;
		p->ready[i % WINDOW] = true;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	store_free(rd);
	return NULL;
}

static void tally_add(struct tally *t, const struct school_result *r)
{
	size_t j;

	t->schools++;
	t->not_crawled += school_result_not_crawled(r);
	if (r->crawl_run_id && t->crawl != r->crawl_run_id)
		t->crawl = t->crawl ? -1 : r->crawl_run_id;
	if (r->has_score) {
		t->assessed++;
		t->score_sum += r->score;
		t->under += r->score < t->threshold;
	}
	for (j = 0; j < r->nfindings; j++) {
		t->findings++;
		t->pass += r->findings[j].verdict == VERDICT_PASS;
	}
}

/* The writer loop: stores slot after slot in school order.  A write
 * transaction is open only while results are ready to write (never while
 * waiting for the workers), so a crawl writing beside us waits little. */
static status write_results(struct audit_pool *p, struct store *s, int64_t run_id, struct tally *t)
{
	status st = ST_OK;
	bool in_tx = false;

	pthread_mutex_lock(&p->mu);
	while (st == ST_OK && p->written < p->n) {
		size_t k = p->written % WINDOW;
		struct school_result r;

		if (pool_stopped(p)) {
			st = status_set(p->failed, "%s", p->failed_msg);
			break;
		}
		if (!p->ready[k] && in_tx) {
			pthread_mutex_unlock(&p->mu);
			in_tx = false;
			st = store_commit(s);
			pthread_mutex_lock(&p->mu);
			continue;
		}
		if (!p->ready[k]) {
			pool_wait(p);
			continue;
		}
		r = p->slots[k];
		p->ready[k] = false;
		pthread_mutex_unlock(&p->mu);
		r.run_id = run_id;
		if (!in_tx && (st = store_begin(s)) == ST_OK)
			in_tx = true;
		if (st == ST_OK)
			st = results_put(s, run_id, &r);
		tally_add(t, &r);
		school_result_release(&r);
		if (st == ST_OK && (p->written + 1) % COMMIT_EVERY == 0) {
			in_tx = false;
			st = store_commit(s);
		}
		pthread_mutex_lock(&p->mu);
		p->written++;
		if (st < 0)
			pool_fail(p, st);
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	if (st == ST_OK && in_tx)
		st = store_commit(s);
	else if (st < 0)
		store_rollback(s);
	return st;
}

static status audit_all(struct store *s, const struct ruleset *rs, const struct audit_opts *o,
			int64_t run_id, int64_t crawl_run, const struct strlist *ids,
			struct tally *t)
{
	struct audit_pool p;
	pthread_t tids[64];
	int nthreads = (int)o->threads, started = 0, i;
	status st;

	memset(&p, 0, sizeof(p));
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	p.rs = rs;
	p.eo.period = o->period;
	p.eo.as_of = o->as_of;
	p.src.crawl_run = crawl_run;
	p.src.not_before = o->max_age_days ? o->not_before : NULL;
	p.stop = o->stop;
	p.db_path = store_path(s);
	p.ids = ids;
	p.run_id = run_id;
	p.n = ids->n;
	p.slots = calloc(WINDOW, sizeof(*p.slots));
	p.ready = calloc(WINDOW, sizeof(*p.ready));
	if (!p.slots || !p.ready) {
		st = status_set(ST_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&tids[started], NULL, audit_worker, &p) == 0)
			started++;
	if (!started) {
		st = status_set(ST_IO, "cannot start audit threads");
		goto out;
	}
	st = write_results(&p, s, run_id, t);
	pthread_mutex_lock(&p.mu);
	if (st < 0)
		pool_fail(&p, st);
	pthread_mutex_unlock(&p.mu);
	for (i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	/* Results a failed run left in slots. */
	for (i = 0; i < WINDOW; i++)
		if (p.ready[i])
			school_result_release(&p.slots[i]);
out:
	free(p.slots);
	free(p.ready);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	return st;
}

/* --max-crawl-age DAYS: the oldest finish time of a crawl that counts. */
static void crawl_cutoff(struct audit_opts *o)
{
	if (o->max_age_days)
		clock_datetime(time(NULL) - (time_t)o->max_age_days * 86400, o->not_before);
}

static void print_summary(const struct audit_opts *o, const struct ruleset *rs, int64_t run,
			  int64_t crawl_run, const struct tally *t)
{
	char from[64];

	if (crawl_run)
		snprintf(from, sizeof(from), "crawl %lld", (long long)crawl_run);
	else
		snprintf(from, sizeof(from), "each school's newest crawl");
	printf("audit: run %lld of %s, rules %s %s, period %s as of %s: %ld schools, "
	       "%ld assessed, %ld not crawled, mean score %.1f, %ld of %ld findings pass\n",
	       (long long)run, from, ruleset_name(rs), ruleset_version(rs), o->period, o->as_of,
	       t->schools, t->assessed, t->not_crawled,
	       t->assessed ? t->score_sum / (double)t->assessed : 0.0, t->pass, t->findings);
}

static int audit_main(struct store *s, struct audit_opts *o)
{
	struct ruleset *rs = NULL;
	struct strlist ids = STRLIST_INIT;
	struct tally t = {0};
	struct audit_begin b = {0};
	int64_t crawl_run = 0, run = 0;
	status st = ST_OK;

	crawl_cutoff(o);
	if (o->crawl_run)
		st = runs_resolve(s, "crawl", o->crawl_run, &crawl_run);
	if (st == ST_OK)
		st = selection_school_ids(s, &o->sel, &ids);
	if (st == ST_OK)
		st = app_load_rules(&rs, o->rules_path, o->app, o->period);
	if (st < 0)
		goto out;
	t.threshold = o->has_fail_under ? o->fail_under : -1;
	b.crawl_run = crawl_run;
	b.period = o->period;
	b.as_of = o->as_of;
	b.scope = "full";
	b.label = o->label;
	st = app_audit_begin(s, rs, &b, &run);
	if (st == ST_OK) {
		st = audit_all(s, rs, o, run, crawl_run, &ids, &t);
		/* One crawl behind every school: the run names it, as before. */
		if (st == ST_OK && !crawl_run && t.crawl > 0 &&
		    (st = runs_set_crawl(s, run, t.crawl)) == ST_OK)
			crawl_run = t.crawl;
		st = app_audit_end(s, run, st);
	}
	if (st == ST_INTERRUPTED)
		st = status_set(ST_INTERRUPTED, "audit run %lld interrupted: no report uses it",
				(long long)run);
	if (st == ST_OK && !o->quiet)
		print_summary(o, rs, run, crawl_run, &t);
	if (st == ST_OK && t.under)
		fprintf(stderr, "portal-audit: %ld school%s scored under --fail-under %g\n",
			t.under, t.under == 1 ? "" : "s", o->fail_under);
out:
	strlist_release(&ids);
	ruleset_free(rs);
	if (st < 0)
		return app_fail(st);
	return t.under ? EXIT_THRESHOLD : EXIT_OK;
}

int cmd_audit(struct app *a, int argc, char **argv)
{
	struct audit_opts o;
	struct store *s = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	o.app = a;
	o.stop = &a->stop;
	rc = parse(&o, argc, argv);
	if (rc == EXIT_OK)
		rc = app_open_store(&s, a, STORE_WRITE);
	if (rc == EXIT_OK) {
		rc = audit_main(s, &o);
		store_free(s);
	}
	selection_release(&o.sel);
	return rc;
}
