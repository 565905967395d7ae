#include "app/report_out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "store/runs.h"

/* Parses "A=90;B=80;...;stale=0.5" back into bands. */
static void parse_scoring(struct meta_holder *h)
{
	char *p = h->scoring;
	size_t n = 0;

	h->meta.scoring.stale_credit = 0.5;
	while (p && *p && n < sizeof(h->bands) / sizeof(h->bands[0])) {
		char *semi = strchr(p, ';'), *eq = strchr(p, '=');

		if (semi)
			*semi = '\0';
		if (eq) {
			*eq = '\0';
			if (strcmp(p, "stale") == 0) {
				h->meta.scoring.stale_credit = strtod(eq + 1, NULL);
			} else {
				h->bands[n].rating = p;
				h->bands[n].min = strtod(eq + 1, NULL);
				n++;
			}
		}
		p = semi ? semi + 1 : NULL;
	}
	h->meta.scoring.bands = h->bands;
	h->meta.scoring.nbands = n;
}

status app_report_meta(struct store *s, int64_t audit_run, struct meta_holder *h)
{
	int64_t crawl_run = 0;
	status st;

	memset(h, 0, sizeof(*h));
	st = runs_get(s, audit_run, NULL, &crawl_run, &h->period, &h->as_of, &h->ruleset,
		      &h->ruleset_version, &h->ruleset_hash);
	if (st == ST_OK)
		st = runs_scoring(s, audit_run, &h->scoring);
	if (st == ST_OK)
		st = report_queries_weights(s, audit_run, &h->weights, &h->nweights);
	if (st < 0) {
		app_report_meta_release(h);
		return st;
	}
	h->meta.audit_run = audit_run;
	h->meta.crawl_run = crawl_run;
	h->meta.period = h->period;
	h->meta.as_of = h->as_of;
	h->meta.ruleset = h->ruleset;
	h->meta.ruleset_version = h->ruleset_version;
	h->meta.ruleset_hash = h->ruleset_hash;
	h->meta.weights = h->weights;
	h->meta.nweights = h->nweights;
	parse_scoring(h);
	return ST_OK;
}

void app_report_meta_release(struct meta_holder *h)
{
	free(h->scoring);
	free(h->period);
	free(h->as_of);
	free(h->ruleset);
	free(h->ruleset_version);
	free(h->ruleset_hash);
	report_queries_weights_free(h->weights, h->nweights);
	memset(h, 0, sizeof(*h));
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

status out_close(struct out_file *o, bool ok)
{
	status st = ST_OK;

	if (!o->f)
		return ST_OK;
	if (o->f == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout))
			st = status_set(ST_IO, "cannot write to standard output: %s", strerror(errno));
		o->f = NULL;
		return ok ? st : ST_OK;
	}
	if (ok && (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0))
		st = status_set(ST_IO, "%s: cannot write: %s", o->path, strerror(errno));
	if (fclose(o->f) != 0 && ok && st == ST_OK)
		st = status_set(ST_IO, "%s: cannot write: %s", o->path, strerror(errno));
	if (ok && st == ST_OK && rename(o->tmp, o->path) != 0)
		st = status_set(ST_IO, "%s: cannot rename into place: %s", o->path, strerror(errno));
	if (!ok || st < 0)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof(*o));
	return st;
}
