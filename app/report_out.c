#include "app/report_out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"

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
	return ST_OK;
}

void app_report_meta_release(struct meta_holder *h)
{
	runs_info_release(&h->run);
	free(h->bands);
	report_queries_weights_free(h->weights, h->nweights);
	memset(h, 0, sizeof(*h));
}

status report_out_open(struct report_out_file *o, const char *path)
{
	struct buf b = BUF_INIT(8192);
	int fd;

	memset(o, 0, sizeof(*o));
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return ST_OK;
	}
	if (buf_printf(&b, "%s.tmp.XXXXXX", path) < 0)
		return status_set(ST_NOMEM, "out of memory");
	o->tmp = buf_detach(&b);
	o->path = str_dup(path);
	if (!o->tmp || !o->path) {
		free(o->tmp);
		free(o->path);
		return status_set(ST_NOMEM, "out of memory");
	}
	fd = mkstemp(o->tmp);
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

status report_out_close(struct report_out_file *o, bool ok)
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
