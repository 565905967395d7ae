#include "app/report_out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/log.h"
#include "core/str.h"

#ifndef PA_VERSION
#define PA_VERSION "?" /* unit tests build this file without the program's version */
#endif

/* "2018-05-15T08:30:00Z" (runs) → "2018-05-15 08:30 UTC". */
static void shown_time(char *dst, size_t n, const char *iso)
{
	if (strlen(iso) >= 16 && iso[10] == 'T')
		snprintf(dst, n, "%.10s %.5s UTC", iso, iso + 11);
	else
		snprintf(dst, n, "%s", iso);
}

static void shown_ms(char *dst, size_t n, int64_t ms)
{
	char iso[21];

	dst[0] = '\0';
	if (ms <= 0)
		return;
	clock_datetime((time_t)(ms / 1000), iso);
	shown_time(dst, n, iso);
}

/* The report's provenance (reports/meta.h): counts, times, version. */
static status provenance(struct store *s, struct meta_holder *h)
{
	struct report_provenance *p = &h->meta.prov;
	status st = report_queries_provenance(s, h->meta.audit_run, h->meta.crawl_run, &h->prov);

	if (st < 0)
		return st;
	shown_ms(h->crawl_from, sizeof(h->crawl_from), h->prov.first_fetch_ms);
	shown_ms(h->crawl_to, sizeof(h->crawl_to), h->prov.last_fetch_ms);
	shown_time(h->audited_at, sizeof(h->audited_at),
		   h->prov.audit_finished[0] ? h->prov.audit_finished : h->prov.audit_started);
	p->crawl_from = h->crawl_from;
	p->crawl_to = h->crawl_to;
	p->audited_at = h->audited_at;
	p->crawl_nth = h->prov.crawl_nth;
	p->audit_nth = h->prov.audit_nth;
	p->version = "portal-audit " PA_VERSION;
	return ST_OK;
}

status app_report_meta(struct store *s, int64_t audit_run, struct meta_holder *h)
{
	const struct run_info *ri = &h->run;
	status st;
	size_t i;

	memset(h, 0, sizeof(*h));
	st = runs_get(s, audit_run, &h->run);
	if (st == ST_OK && !(h->bands = calloc(ri->nbands ? ri->nbands : 1, sizeof(*h->bands))))
		st = status_set(ST_NOMEM, "out of memory");
	if (st == ST_OK)
		st = report_queries_weights(s, audit_run, &h->weights, &h->nweights);
	if (st < 0) {
		app_report_meta_release(h);
		return st;
	}
	for (i = 0; i < ri->nbands; i++) {
		h->bands[i].rating = ri->bands[i].rating;
		h->bands[i].min = ri->bands[i].min;
	}
	h->meta.audit_run = audit_run;
	h->meta.crawl_run = ri->crawl_run;
	h->meta.period = ri->period;
	h->meta.as_of = ri->as_of;
	h->meta.ruleset = ri->ruleset;
	h->meta.ruleset_version = ri->ruleset_version;
	h->meta.ruleset_hash = ri->ruleset_hash;
	h->meta.scoring.bands = h->bands;
	h->meta.scoring.nbands = ri->nbands;
	/* A run that recorded no scoring states the default stale credit. */
	h->meta.scoring.stale_credit = ri->scored ? ri->stale_credit : 0.5;
	h->meta.weights = h->weights;
	h->meta.nweights = h->nweights;
	if ((st = provenance(s, h)) < 0) {
		app_report_meta_release(h);
		return st;
	}
	return ST_OK;
}

void app_report_meta_release(struct meta_holder *h)
{
	runs_info_release(&h->run);
	free(h->bands);
	report_queries_weights_free(h->weights, h->nweights);
	memset(h, 0, sizeof(*h));
}

/* The temporary file of a report being written to PATH is
 * "PATH.portal-audit-PID-XXXXXX.tmp"; older programs wrote
 * "PATH.tmp.XXXXXX".  A legacy one is stale after an hour unchanged. */
#define TMP_MARK ".portal-audit-"
#define LEGACY_STALE_S 3600

/* Whether name (in the folder of the report base) is a temporary file
 * left by a report to base that is no longer being written: its writer's
 * PID is dead (this host's), or a legacy one is old. */
static bool stale_tmp(int dirfd, const char *name, const char *base)
{
	size_t bl = strlen(base), nl = strlen(name);
	const char *p = name + bl;
	struct stat sb;
	char *end;
	long pid;

	if (nl <= bl || strncmp(name, base, bl) != 0)
		return false;
	if (strncmp(p, TMP_MARK, strlen(TMP_MARK)) == 0 && nl > 4 &&
	    strcmp(name + nl - 4, ".tmp") == 0) {
		errno = 0;
		pid = strtol(p + strlen(TMP_MARK), &end, 10);
		return !errno && pid > 0 && *end == '-' && kill((pid_t)pid, 0) != 0 &&
		       errno == ESRCH;
	}
	return strncmp(p, ".tmp.", 5) == 0 && strlen(p + 5) == 6 &&
	       fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode) &&
	       time(NULL) - sb.st_mtime > LEGACY_STALE_S;
}

/* Removes what a report to path killed before its end (kill -9, power
 * cut) left beside it. */
static void clean_stale(const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char *dir = slash ? str_ndup(path, (size_t)(slash - path) + 1) : str_dup(".");
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL)
		if (stale_tmp(dirfd(d), e->d_name, base)) {
			if (unlinkat(dirfd(d), e->d_name, 0) == 0)
				log_info("removed %s%s, left by a report that did not finish",
					 slash ? dir : "", e->d_name);
		}
	if (d)
		closedir(d);
	free(dir);
}

status out_open(struct out_file *o, const char *path)
{
	struct buf b = BUF_INIT(8192);
	int fd;

	memset(o, 0, sizeof(*o));
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return ST_OK;
	}
	clean_stale(path);
	if (buf_printf(&b, "%s" TMP_MARK "%ld-XXXXXX.tmp", path, (long)getpid()) < 0)
		return status_set(ST_NOMEM, "out of memory");
	o->tmp = buf_detach(&b);
	o->path = str_dup(path);
	if (!o->tmp || !o->path) {
		free(o->tmp);
		free(o->path);
		return status_set(ST_NOMEM, "out of memory");
	}
	fd = mkstemps(o->tmp, 4);
	if (fd >= 0) {
		/* mkstemp makes the file private; a report is an ordinary file
		 * for whoever may read the folder (0666 less the umask). */
		mode_t mask = umask(0);

		umask(mask);
		if (fchmod(fd, 0666 & ~mask) != 0)
			log_warn("%s: cannot set the file mode: %s", path, strerror(errno));
	}
	if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
		status st = status_set(ST_IO, "%s: cannot create output file: %s", path,
				       strerror(errno));

		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		free(o->path);
		memset(o, 0, sizeof(*o));
		return st;
	}
	return ST_OK;
}

status out_close(struct out_file *o, bool ok)
{
	status st = ST_OK;

	if (!o->f)
		return ST_OK;
	if (o->f == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout))
			st = status_set(ST_IO, "cannot write to standard output: %s",
					strerror(errno));
		o->f = NULL;
		return ok ? st : ST_OK;
	}
	if (ok && (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0))
		st = status_set(ST_IO, "%s: cannot write: %s", o->path, strerror(errno));
	if (fclose(o->f) != 0 && ok && st == ST_OK)
		st = status_set(ST_IO, "%s: cannot write: %s", o->path, strerror(errno));
	if (ok && st == ST_OK && rename(o->tmp, o->path) != 0)
		st = status_set(ST_IO, "%s: cannot rename into place: %s", o->path,
				strerror(errno));
	if (!ok || st < 0)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
	return st;
}
