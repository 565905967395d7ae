/* A small stand-in for libFuzzer, so every fuzz target runs in the normal
 * gcc build and under ASan + UBSan as a ctest test.
 *
 *     fuzz_<name> [-runs=N] [-seed=N] [-dict=FILE] [-max_len=N] [-timeout=S] DIR|FILE...
 *
 * It runs every seed file (a directory stands for its regular files, in
 * name order), then N mutations of the seeds (FUZZ_ITERATIONS, default
 * 2000; -runs wins): bit flips, byte changes, inserts, deletes, copies,
 * splices of two seeds, truncations, dictionary tokens and odd numbers,
 * one to five stacked per input.  The random generator has a fixed seed
 * (FUZZ_SEED or -seed), so a run is reproducible bit for bit.  There is no
 * coverage feedback: that is what the libFuzzer build is for.
 *
 * When an input crashes, fails a check or runs past -timeout seconds, it
 * is written to ./crash-<target> (or $FUZZ_CRASH_DIR/crash-<target>) before
 * the process dies; rerun it with `fuzz_<name> -runs=0 crash-<target>`.
 * Unknown -flags are ignored, so libFuzzer command lines work here too. */
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

#include "tests/fuzz/fuzz.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DRIVER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define DRIVER_ASAN 1
#endif
#ifdef DRIVER_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

#define DEFAULT_ITERATIONS 2000
#define DEFAULT_SEED 0x5EED2026u
#define MAX_TOKENS 512

struct blob {
	uint8_t *p;
	size_t len;
};

struct vec {
	struct blob *v;
	size_t n;
};

static struct vec seeds, dict;
static uint64_t rng_state;

/* What the signal handlers save: the input being run. */
static const uint8_t *volatile cur_data;
static volatile size_t cur_size;
static char crash_path[4096];

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "fuzz driver: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory", NULL);
	return p;
}

/* splitmix64: tiny, fast and the same everywhere. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform-enough in [0, n); n > 0. */
static size_t below(size_t n)
{
	return (size_t)(rnd() % n);
}

static void vec_push(struct vec *v, uint8_t *p, size_t len)
{
	v->v = xrealloc(v->v, (v->n + 1) * sizeof(*v->v));
	v->v[v->n].p = p;
	v->v[v->n].len = len;
	v->n++;
}

static void vec_release(struct vec *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i].p);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

static void read_file(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p = NULL;
	size_t n = 0, cap = 0, k;

	if (!f)
		die(strerror(errno), path);
	do {
		if (cap - n < 4096)
			p = xrealloc(p, cap = cap * 2 + 4096);
		k = fread(p + n, 1, cap - n, f);
		n += k;
	} while (k > 0);
	if (ferror(f))
		die("cannot read", path);
	fclose(f);
	*out = p;
	*len = n;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory's regular files in name order, so runs do not depend on
 * the order readdir happens to return. */
static void add_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		die(strerror(errno), dir);
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat sb;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n] = xrealloc(NULL, strlen(path) + 1);
		memcpy(names[n], path, strlen(path) + 1);
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n; i++) {
		uint8_t *p;
		size_t len;

		read_file(names[i], &p, &len);
		vec_push(&seeds, p, len);
		free(names[i]);
	}
	free(names);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A libFuzzer/AFL dictionary: lines `name="token"` or `"token"` with
 * \\, \" and \xHH escapes; '#' starts a comment. */
static void read_dict(const char *path)
{
	uint8_t *text;
	size_t len, i = 0;

	read_file(path, &text, &len);
	while (i < len && dict.n < MAX_TOKENS) {
		size_t end = i;
		const uint8_t *q;

		while (end < len && text[end] != '\n')
			end++;
		q = memchr(text + i, '"', end - i);
		if (q && text[i] != '#') {
			size_t k = (size_t)(q - text) + 1;
			uint8_t *tok = xrealloc(NULL, end - k + 1);
			size_t n = 0;

			while (k < end && text[k] != '"') {
				if (text[k] == '\\' && k + 1 < end && text[k + 1] == 'x' &&
				    k + 3 < end && hexval(text[k + 2]) >= 0 &&
				    hexval(text[k + 3]) >= 0) {
					tok[n++] = (uint8_t)(hexval(text[k + 2]) * 16 +
							     hexval(text[k + 3]));
					k += 4;
				} else if (text[k] == '\\' && k + 1 < end) {
					tok[n++] = text[k + 1];
					k += 2;
				} else {
					tok[n++] = text[k++];
				}
			}
			if (n)
				vec_push(&dict, tok, n);
			else
				free(tok);
		}
		i = end + 1;
	}
	free(text);
}

/* ---- saving the input that kills us ------------------------------------- */

static void save_input(void)
{
	const uint8_t *p = cur_data;
	size_t n = cur_size;
	int fd;
	static const char msg[] = "fuzz driver: the failing input is saved in ";

	if (!p || !crash_path[0])
		return;
	fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return;
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			break;
		p += w;
		n -= (size_t)w;
	}
	close(fd);
	cur_data = NULL;
	if (write(2, msg, sizeof(msg) - 1) > 0 && write(2, crash_path, strlen(crash_path)) > 0)
		(void)!write(2, "\n", 1);
}

static void on_signal(int sig)
{
	static const char msg[] = "fuzz driver: input timed out\n";

	if (sig == SIGALRM) {
		(void)!write(2, msg, sizeof(msg) - 1);
		save_input();
		signal(SIGABRT, SIG_DFL);
		abort();
	}
	save_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_deaths(const char *argv0)
{
	const char *base = strrchr(argv0, '/');
	const char *dir = getenv("FUZZ_CRASH_DIR");

	snprintf(crash_path, sizeof(crash_path), "%s/crash-%s", dir && *dir ? dir : ".",
		 base ? base + 1 : argv0);
	signal(SIGABRT, on_signal);
	signal(SIGALRM, on_signal);
#ifdef DRIVER_ASAN
	/* The sanitizers own SIGSEGV and friends; they call this before dying. */
	__sanitizer_set_death_callback(save_input);
#else
	signal(SIGSEGV, on_signal);
	signal(SIGBUS, on_signal);
	signal(SIGFPE, on_signal);
	signal(SIGILL, on_signal);
#endif
}

/* ---- mutations --------------------------------------------------------------- */

struct input {
	uint8_t *p;
	size_t len, max;
};

static const uint8_t interesting_bytes[] = {
	0x00, 0x01, 0x09, 0x0A, 0x0D, 0x20, '"',  '#',  '$',  '%',  '&',  '\'', '*',
	'/',  ':',  ';',  '<',  '=',  '>',  '?',  '@',  '\\', '-',  '.',  ',',  0x7F,
	0x80, 0xBF, 0xC0, 0xC3, 0xE1, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFE, 0xFF};

static const char *const odd_numbers[] = {
	"0",          "-1",          "00",   "9",    "99999999999999999999",
	"2147483648", "-2147483649", "31",   "32",   "29",
	"13",         "1e9",         "0x10", "24",   "60",
	"1900",       "2100",        "9999", "2017", "18446744073709551616"};

static void insert(struct input *in, size_t at, const uint8_t *src, size_t n)
{
	if (n > in->max - in->len)
		n = in->max - in->len;
	if (n == 0)
		return;
	memmove(in->p + at + n, in->p + at, in->len - at);
	memcpy(in->p + at, src, n);
	in->len += n;
}

static void erase(struct input *in, size_t at, size_t n)
{
	memmove(in->p + at, in->p + at + n, in->len - at - n);
	in->len -= n;
}

/* Replaces the run of digits at or after a random place by an odd number. */
static void mutate_number(struct input *in)
{
	size_t i = below(in->len), j;
	const char *num = odd_numbers[below(sizeof(odd_numbers) / sizeof(odd_numbers[0]))];

	while (i < in->len && !(in->p[i] >= '0' && in->p[i] <= '9'))
		i++;
	if (i == in->len)
		i = below(in->len + 1);
	j = i;
	while (j < in->len && in->p[j] >= '0' && in->p[j] <= '9')
		j++;
	erase(in, i, j - i);
	insert(in, i, (const uint8_t *)num, strlen(num));
}

static void mutate_once(struct input *in)
{
	uint8_t tmp[256];
	size_t at, n;
	const struct blob *other;

	if (in->len == 0) {
		tmp[0] = (uint8_t)rnd();
		insert(in, 0, tmp, 1);
		return;
	}
	switch (below(13)) {
	case 0: /* flip a bit */
		in->p[below(in->len)] ^= (uint8_t)(1u << below(8));
		break;
	case 1: /* any byte */
		in->p[below(in->len)] = (uint8_t)rnd();
		break;
	case 2: /* a byte parsers care about */
		in->p[below(in->len)] = interesting_bytes[below(sizeof(interesting_bytes))];
		break;
	case 3: /* insert a few random bytes */
		n = 1 + below(8);
		for (size_t i = 0; i < n; i++)
			tmp[i] = (uint8_t)rnd();
		insert(in, below(in->len + 1), tmp, n);
		break;
	case 4: /* insert a run of one byte: long tokens, deep nesting */
		n = 1 + below(sizeof(tmp));
		memset(tmp,
		       below(2) ? in->p[below(in->len)]
				: interesting_bytes[below(sizeof(interesting_bytes))],
		       n);
		insert(in, below(in->len + 1), tmp, n);
		break;
	case 5: /* delete a range */
		at = below(in->len);
		n = 1 + below(in->len - at < 64 ? in->len - at : 64);
		erase(in, at, n);
		break;
	case 6: /* duplicate a chunk somewhere else */
		at = below(in->len);
		n = 1 + below(in->len - at < sizeof(tmp) ? in->len - at : sizeof(tmp));
		memcpy(tmp, in->p + at, n);
		insert(in, below(in->len + 1), tmp, n);
		break;
	case 7: /* splice: our head, another seed's tail */
		other = &seeds.v[below(seeds.n)];
		at = below(in->len + 1);
		in->len = at;
		if (other->len) {
			size_t from = below(other->len);

			insert(in, at, other->p + from, other->len - from);
		}
		break;
	case 8: /* truncate */
		in->len = below(in->len + 1);
		break;
	case 9: /* a dictionary token, or a line break when there is none */
		if (dict.n) {
			other = &dict.v[below(dict.n)];
			insert(in, below(in->len + 1), other->p, other->len);
		} else {
			insert(in, below(in->len + 1), (const uint8_t *)"\r\n", 1 + below(2));
		}
		break;
	case 10:
		mutate_number(in);
		break;
	case 11: /* swap two bytes */
		at = below(in->len);
		n = below(in->len);
		tmp[0] = in->p[at];
		in->p[at] = in->p[n];
		in->p[n] = tmp[0];
		break;
	default: /* flip the case of an ASCII letter, or set the high bit */
		at = below(in->len);
		if ((in->p[at] | 0x20) >= 'a' && (in->p[at] | 0x20) <= 'z')
			in->p[at] ^= 0x20;
		else
			in->p[at] |= 0x80;
		break;
	}
}

/* ---- running ----------------------------------------------------------------- */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double slowest_ms;
static long slowest_iter;

static void run_one(const uint8_t *p, size_t len, long iter, unsigned timeout)
{
	/* A copy exactly len bytes long, so ASan sees any read past the end. */
	uint8_t *copy = xrealloc(NULL, len);
	double t0, dt;

	if (len)
		memcpy(copy, p, len);
	cur_size = len;
	cur_data = copy;
	alarm(timeout);
	t0 = now_ms();
	LLVMFuzzerTestOneInput(copy, len);
	dt = now_ms() - t0;
	alarm(0);
	cur_data = NULL;
	free(copy);
	if (dt > slowest_ms) {
		slowest_ms = dt;
		slowest_iter = iter;
	}
}

static long env_long(const char *name, long def)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return def;
	errno = 0;
	n = strtol(v, &end, 0);
	if (errno || *end || n < 0)
		die("bad number in the environment", name);
	return n;
}

static long flag_long(const char *arg, const char *name, long def)
{
	size_t k = strlen(name);
	char *end;
	long n;

	if (strncmp(arg, name, k) != 0 || arg[k] != '=')
		return def;
	errno = 0;
	n = strtol(arg + k + 1, &end, 0);
	if (errno || *end || n < 0)
		die("bad number", arg);
	return n;
}

int main(int argc, char **argv)
{
	long iterations = env_long("FUZZ_ITERATIONS", DEFAULT_ITERATIONS);
	long max_len = 0;
	long timeout = 10;
	struct input in = {NULL, 0, 0};
	size_t largest = 0;
	double t0 = now_ms();

	rng_state = (uint64_t)env_long("FUZZ_SEED", DEFAULT_SEED);
	for (int i = 1; i < argc; i++) {
		struct stat sb;

		if (argv[i][0] == '-') {
			iterations = flag_long(argv[i], "-runs", iterations);
			rng_state = (uint64_t)flag_long(argv[i], "-seed", (long)rng_state);
			max_len = flag_long(argv[i], "-max_len", max_len);
			timeout = flag_long(argv[i], "-timeout", timeout);
			if (strncmp(argv[i], "-dict=", 6) == 0)
				read_dict(argv[i] + 6);
		} else if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			add_dir(argv[i]);
		} else {
			uint8_t *p;
			size_t len;

			read_file(argv[i], &p, &len);
			vec_push(&seeds, p, len);
		}
	}
	if (seeds.n == 0)
		vec_push(&seeds, xrealloc(NULL, 1), 0);
	catch_deaths(argv[0]);

	for (size_t i = 0; i < seeds.n; i++) {
		run_one(seeds.v[i].p, seeds.v[i].len, -(long)i - 1, (unsigned)timeout);
		if (seeds.v[i].len > largest)
			largest = seeds.v[i].len;
	}
	/* Room to grow: twice the largest seed, at least 4 KiB. */
	in.max = max_len > 0 ? (size_t)max_len : (largest * 2 > 4096 ? largest * 2 : 4096);
	in.p = xrealloc(NULL, in.max);
	for (long it = 0; it < iterations; it++) {
		const struct blob *s = &seeds.v[below(seeds.n)];
		size_t k = 1 + below(5);

		in.len = s->len < in.max ? s->len : in.max;
		if (in.len)
			memcpy(in.p, s->p, in.len);
		while (k--)
			mutate_once(&in);
		run_one(in.p, in.len, it, (unsigned)timeout);
	}
	printf("%s: %zu seeds, %ld mutations, %.1f s, slowest input %.1f ms (%s %ld)\n", argv[0],
	       seeds.n, iterations, (now_ms() - t0) / 1e3, slowest_ms,
	       slowest_iter < 0 ? "seed" : "mutation",
	       slowest_iter < 0 ? -slowest_iter : slowest_iter);
	free(in.p);
	vec_release(&seeds);
	vec_release(&dict);
	return 0;
}
