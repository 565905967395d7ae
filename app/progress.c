#include "app/progress.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "core/clock.h"
#include "core/str.h"

/* The live line is redrawn at most this often. */
#define LIVE_MS 250
#define PERIOD_MS 10000

struct progress {
	pthread_mutex_t mu;
	pthread_cond_t cv; /* signalled to stop the ticker */
	pthread_t ticker;
	bool ticking, stopping;
	enum progress_mode mode;
	int interval_ms;
	int64_t started, last_live;
	long nsites, sites_done, reachable, pages, errors, unchanged;
};

/* $PA_PROGRESS_INTERVAL_MS, for tests that cannot wait 10 s. */
static int interval_ms(void)
{
	const char *v = getenv("PA_PROGRESS_INTERVAL_MS");
	long ms;

	if (v && str_to_long(v, 10, 3600000, &ms) == ST_OK)
		return (int)ms;
	return PERIOD_MS;
}

static long seconds(int64_t ms)
{
	return (long)((ms + 500) / 1000);
}

/* Caller holds p->mu. */
static void print_periodic(struct progress *p)
{
	int64_t elapsed = clock_ms() - p->started;

	if (p->sites_done > 0)
		fprintf(stderr,
			"crawl: progress schools=%ld/%ld pages=%ld errors=%ld unreachable=%ld "
			"elapsed_s=%ld eta_s=%ld\n",
			p->sites_done, p->nsites, p->pages, p->errors, p->sites_done - p->reachable,
			seconds(elapsed),
			seconds(elapsed / p->sites_done * (p->nsites - p->sites_done)));
	else
		fprintf(stderr,
			"crawl: progress schools=0/%ld pages=%ld errors=%ld unreachable=0 "
			"elapsed_s=%ld eta_s=?\n",
			p->nsites, p->pages, p->errors, seconds(elapsed));
	fflush(stderr);
}

/* The ticker thread: a line every interval until progress_finish. */
static void *tick(void *arg)
{
	struct progress *p = arg;
	struct timespec when;

	pthread_mutex_lock(&p->mu);
	clock_gettime(CLOCK_MONOTONIC, &when);
	while (!p->stopping) {
		when.tv_sec += p->interval_ms / 1000;
		when.tv_nsec += (long)(p->interval_ms % 1000) * 1000000L;
		if (when.tv_nsec >= 1000000000L) {
			when.tv_sec++;
			when.tv_nsec -= 1000000000L;
		}
		while (!p->stopping && pthread_cond_timedwait(&p->cv, &p->mu, &when) == 0)
			;
		if (!p->stopping)
			print_periodic(p);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

status progress_new(struct progress **out, enum progress_mode mode, long nsites)
{
	struct progress *p = calloc(1, sizeof(*p));
	pthread_condattr_t ca;

	*out = NULL;
	if (!p)
		return status_set(ST_NOMEM, "out of memory");
	p->mode = mode;
	p->nsites = nsites;
	p->started = clock_ms();
	p->interval_ms = interval_ms();
	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (mode == PROGRESS_PERIODIC) {
		if (pthread_create(&p->ticker, NULL, tick, p) != 0) {
			progress_free(p);
			return status_set(ST_IO, "cannot start the progress thread");
		}
		p->ticking = true;
	}
	*out = p;
	return ST_OK;
}

/* Caller holds p->mu; runs on the crawl thread. */
static void print_live(struct progress *p)
{
	int64_t now = clock_ms();
	double secs = (double)(now - p->started) / 1000.0;
	double eta = 0;

	if (now - p->last_live < LIVE_MS)
		return;
	p->last_live = now;
	if (p->sites_done > 0 && p->sites_done < p->nsites)
		eta = secs / (double)p->sites_done * (double)(p->nsites - p->sites_done);
	printf("\r\033[Kschools %ld/%ld, pages %ld, %.0f pages/s, errors %ld, ETA %s%.0f s",
	       p->sites_done, p->nsites, p->pages, secs > 0 ? (double)p->pages / secs : 0.0,
	       p->errors, p->sites_done ? "" : "~", eta);
	fflush(stdout);
}

void progress_page(struct progress *p, bool error, bool unchanged)
{
	pthread_mutex_lock(&p->mu);
	p->pages++;
	p->errors += error;
	p->unchanged += unchanged;
	if (p->mode == PROGRESS_LIVE)
		print_live(p);
	pthread_mutex_unlock(&p->mu);
}

void progress_site(struct progress *p, bool reachable)
{
	pthread_mutex_lock(&p->mu);
	p->sites_done++;
	p->reachable += reachable;
	if (p->mode == PROGRESS_LIVE)
		print_live(p);
	pthread_mutex_unlock(&p->mu);
}

static void stop_ticker(struct progress *p)
{
	if (!p->ticking)
		return;
	pthread_mutex_lock(&p->mu);
	p->stopping = true;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->ticker, NULL);
	p->ticking = false;
}

void progress_finish(struct progress *p, FILE *f, const char *state, int64_t run)
{
	int64_t elapsed;

	stop_ticker(p);
	elapsed = clock_ms() - p->started;
	if (p->mode == PROGRESS_LIVE) {
		fputs("\r\033[K", stdout);
		fflush(stdout);
	}
	fprintf(f,
		"crawl: %s run=%lld schools=%ld/%ld reachable=%ld unreachable=%ld pages=%ld "
		"errors=%ld unchanged=%ld elapsed_s=%ld pages_per_s=%ld\n",
		state, (long long)run, p->sites_done, p->nsites, p->reachable,
		p->sites_done - p->reachable, p->pages, p->errors, p->unchanged, seconds(elapsed),
		elapsed > 0 ? (long)((double)p->pages * 1000.0 / (double)elapsed + 0.5) : 0L);
	fflush(f);
}

void progress_free(struct progress *p)
{
	if (!p)
		return;
	stop_ticker(p);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
