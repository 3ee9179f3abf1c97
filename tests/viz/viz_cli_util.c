/* SPDX-License-Identifier: MIT */
/* Running rumor-viz from the CLI tests (see viz_cli_util.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>
#include <png.h>

#include "viz_cli_util.h"

const char *viz_cli_bin;
long viz_cli_fsize_limit;

char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int c;
	while ((c = fgetc(f)) != EOF) {
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		buf[len++] = (char)c;
	}
	fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	buf[len] = 0;
	return buf;
}

/* Run viz with argv (viz first, NULL-terminated). */
static struct result
run_argv(const char *const *env_set, int unset_display, const char **argv)
{
	/* one pair of files per test process: the CLI tests share a
	 * directory and ctest runs them in parallel */
	char out[64], err[64];
	snprintf(out, sizeof(out), "cli-%d.out", (int)getpid());
	snprintf(err, sizeof(err), "cli-%d.err", (int)getpid());
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(o, 1);
		dup2(e, 2);
		if (unset_display) {
			unsetenv("DISPLAY");
			unsetenv("WAYLAND_DISPLAY");
			unsetenv("SDL_VIDEO_DRIVER");
			unsetenv("SDL_VIDEODRIVER");
		}
		for (int i = 0; env_set && env_set[i]; i++)
			putenv((char *)env_set[i]);
		if (viz_cli_fsize_limit > 0) {
			struct rlimit rl = {(rlim_t)viz_cli_fsize_limit,
			                    (rlim_t)viz_cli_fsize_limit};
			setrlimit(RLIMIT_FSIZE, &rl);
		}
		execv(viz_cli_bin, (char *const *)argv);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	struct result r = {WIFEXITED(st) ? WEXITSTATUS(st) : 128, slurp(out),
	                   slurp(err)};
	unlink(out);
	unlink(err);
	return r;
}

/* Run viz with args (NULL-terminated); env_set "K=V" entries or NULL. */
struct result
run_env(const char *const *env_set, int unset_display, ...)
{
	const char *argv[40];
	int n = 0;
	va_list ap;
	argv[n++] = viz_cli_bin;
	va_start(ap, unset_display);
	const char *a;
	while ((a = va_arg(ap, const char *)) && n < 39)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	return run_argv(env_set, unset_display, argv);
}

void
result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

const char *
belief(json_t *dump, const char *o, const char *j)
{
	json_t *v = json_object_get(
	    json_object_get(json_object_get(dump, "beliefs"), o), j);
	return v ? json_string_value(v) : "unknown";
}

json_t *
dump_at(const char *at, const char *log)
{
	struct result r = run("--dump-state", "--at", at, log);
	assert_int_equal(r.status, 0);
	json_error_t e;
	json_t *d = json_loads(r.out, 0, &e);
	if (!d)
		fail_msg("dump is not JSON: %s", e.text);
	result_free(&r);
	return d;
}

void
read_png(const char *path, unsigned *w, unsigned *h)
{
	png_image img = {0};
	img.version = PNG_IMAGE_VERSION;
	assert_true(png_image_begin_read_from_file(&img, path));
	*w = img.width;
	*h = img.height;
	png_image_free(&img);
}

json_t *
dump_args(const char *first, ...)
{
	const char *argv[40];
	int n = 0;
	argv[n++] = viz_cli_bin;
	argv[n++] = "--dump-state";
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a && n < 39; a = va_arg(ap, const char *))
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	struct result r = run_argv(NULL, 0, argv);
	if (r.status != 0)
		fail_msg("--dump-state exited %d: %s", r.status, r.err);
	json_error_t e;
	json_t *d = json_loads(r.out, 0, &e);
	if (!d)
		fail_msg("dump is not JSON: %s", e.text);
	result_free(&r);
	return d;
}

json_t *
dump_member(json_t *dump, const char *part)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(dump, "members"), i, m)
	{
		const char *id = json_string_value(json_object_get(m, "id"));
		if (id && strstr(id, part))
			return m;
	}
	fail_msg("no member %s in the dump", part);
	return NULL;
}
