/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz idle cost in a real X window (Xvfb): paused, and following
 * logs that do not grow, it must draw no frames and use almost no CPU.
 * The bounds are generous (a loaded 2-core machine must not flake): at
 * most 3 frames drawn in 4 s, under 10% of a core. The figures measured
 * are printed (docs/viz.md, docs/benchmarks.md).
 *
 * argv[1] is the rumor-viz binary; exits 77 (skipped) when rumor-viz or
 * Xvfb is missing (scripts/install-deps.sh --viz installs xvfb).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define LOG     VIZ_DATA "/crash5.jsonl"
#define MEASURE 4 /* seconds */

static const char *viz;
static char display[16];
static pid_t xvfb;

static const char *
find_xvfb(void)
{
	static const char *const paths[] = {"/usr/bin/Xvfb", "/bin/Xvfb",
	                                    "/usr/local/bin/Xvfb"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/* Until the server accepts connections on its socket (10 s at most). */
static int
wait_accepting(const char *num)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/.X11-unix/X%s", num);
	for (int i = 0; i < 1000; i++) {
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		int ok = fd >= 0 &&
		         connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
		if (fd >= 0)
			close(fd);
		if (ok)
			return 0;
		struct timespec ts = {0, 10000000};
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Xvfb on a display nobody holds (no /tmp/.X<N>-lock); -noreset: the
 * probe's disconnect must not reset the server under the next client. */
static int
start_xvfb(const char *bin)
{
	char num[16], lock[64];
	int n = 0;
	for (int k = 0; k < 200; k++) {
		n = 100 + (int)((getpid() + k) % 400);
		snprintf(lock, sizeof(lock), "/tmp/.X%d-lock", n);
		if (access(lock, F_OK) != 0)
			break;
	}
	snprintf(num, sizeof(num), "%d", n);
	snprintf(display, sizeof(display), ":%d", n);
	xvfb = fork();
	if (xvfb == 0) {
		int err = open("xvfb.err", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(err, 2);
		execl(bin, bin, display, "-screen", "0", "1280x1024x24",
		      "-nolisten", "tcp", "-noreset", (char *)NULL);
		_exit(127);
	}
	return xvfb > 0 ? wait_accepting(num) : -1;
}

/* utime + stime of pid in seconds */
static double
cpu_s(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	assert_non_null(p);
	unsigned long ut = 0, st = 0;
	/* fields after the name: state ppid pgrp session tty tpgid flags
	 * minflt cminflt majflt cmajflt utime stime */
	assert_int_equal(sscanf(p + 2,
	                        "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	                        "%lu %lu",
	                        &ut, &st),
	                 2);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void
sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	while (nanosleep(&ts, &ts))
		;
}

/* Run rumor-viz with args, measure, SIGTERM; frames drawn from --stats. */
static void
measure(const char *what, const char *const *args, double *cpu_pct,
        long *frames)
{
	const char *argv[16] = {viz, "--stats"};
	int n = 2;
	for (; args[n - 2] && n < 15; n++)
		argv[n] = args[n - 2];
	argv[n] = NULL;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int e = open("idle.err", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(e, 2);
		setenv("DISPLAY", display, 1);
		setenv("SDL_VIDEO_DRIVER", "x11", 1);
		/* under ASan the GL driver's dlopened modules leak at exit;
		 * that is not rumor-viz's memory (the other tests check it) */
		setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
		execv(viz, (char *const *)argv);
		_exit(127);
	}
	sleep_s(2); /* window up, first frame drawn */
	double c0 = cpu_s(pid);
	sleep_s(MEASURE);
	double c1 = cpu_s(pid);
	kill(pid, SIGTERM); /* SDL turns it into a quit event */
	int st;
	waitpid(pid, &st, 0);
	FILE *f = fopen("idle.err", "r");
	assert_non_null(f);
	char line[512];
	*frames = -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " frames, "))
			sscanf(line, "rumor-viz: %ld frames", frames);
	fclose(f);
	*cpu_pct = 100.0 * (c1 - c0) / MEASURE;
	printf("idle %s: %.2f%% of a core over %d s, %ld frames drawn in "
	       "all\n",
	       what, *cpu_pct, MEASURE, *frames);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void
test_idle(void **state)
{
	(void)state;
	double pct;
	long frames;
	static const char *const paused[] = {"--at", "12s", LOG, NULL};
	measure("paused", paused, &pct, &frames);
	assert_true(frames >= 1 && frames <= 3);
	assert_true(pct < 10);
	static const char *const follow[] = {"--follow", LOG, NULL};
	measure("following a log that does not grow", follow, &pct, &frames);
	assert_true(frames >= 1 && frames <= 3);
	assert_true(pct < 10);
}

int
main(int argc, char **argv)
{
	const char *x = find_xvfb();
	if (argc < 2 || access(argv[1], X_OK)) {
		printf("SKIP: rumor-viz binary not given or not built\n");
		return 77;
	}
	if (!x) {
		printf("SKIP: Xvfb not installed (scripts/install-deps.sh "
		       "--viz)\n");
		return 77;
	}
	viz = argv[1];
	if (start_xvfb(x)) {
		printf("SKIP: Xvfb did not start\n");
		return 77;
	}
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_idle)};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	kill(xvfb, SIGTERM);
	waitpid(xvfb, NULL, 0);
	return rc;
}
