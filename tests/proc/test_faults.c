/* SPDX-License-Identifier: MIT */
/*
 * Faults against real agents on 127.0.0.1 (issue 6): restarts on the same
 * port (no zombie version anywhere), the introducer's restart (no split), a
 * SIGSTOP pause (the paused member blames nobody; it rejoins), wall-clock
 * steps of an hour (libfaketime: no membership change; versions still grow),
 * a leave under 20% receive drop, and a load run (16 agents, 10% receive
 * drop: no false failure, RSS and descriptors flat). One ctest entry per
 * scenario (`test_faults NAME`).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "craft.h"
#include "proc_util.h"

#define BIT(s) (1u << (s))

static void
one_membership(struct proc_env *e, int strict, int timeout_ms, const char *what)
{
	proc_check(e, proc_wait_one_membership(e, strict, timeout_ms), what);
}

static void
stop_all(struct proc_env *e)
{
	proc_check(
	    e,
	    rumor_cluster_stop_all(e->c, PROC_STOP_MS, e->err, sizeof(e->err)),
	    "stop all");
}

/* ---- restarts ---- */

static void
test_restarts(void **state)
{
	struct proc_env *e = *state;
	size_t cur = 2, next = 0, late;
	uint64_t last = 0;

	proc_start_group(e, 5, NULL);
	for (int r = 0; r < 10; r++) {
		last = rumor_cluster_agent(e->c, cur)->id.version;
		proc_check(e,
		           rumor_cluster_restart(e->c, cur, PROC_START_MS,
		                                 &next, e->err, sizeof(e->err)),
		           "restart");
		assert_true(rumor_cluster_agent(e->c, next)->id.version > last);
		cur = next;
		/* the new version is in, everywhere (old ones may linger as
		 * tombstones, never alive or suspect) */
		one_membership(e, 0, PROC_CONVERGE_MS, "restarted member");
	}
	/* after T_cleanup: exactly the newest version, nothing older */
	one_membership(e, 1, PROC_CONVERGE_MS, "no zombie after 10 restarts");
	/* the introducer restarts alone on its address (no --join): the
	 * others' reconnect finds it, and the group stays one */
	proc_check(e,
	           rumor_cluster_restart(e->c, 0, PROC_START_MS, &next, e->err,
	                                 sizeof(e->err)),
	           "introducer restart");
	one_membership(e, 0, PROC_CONVERGE_MS,
	               "after the introducer's restart");
	late = proc_start(e, "late", NULL, proc_addr(e, next), NULL);
	one_membership(e, 1, PROC_CONVERGE_MS, "a newcomer via the introducer");
	assert_int_equal(proc_count(e, late, RUMOR_LOG_JOINED, NULL), 1);
	stop_all(e);
}

/* ---- an outage without the introducer (issue 16 item 1) ---- */

static void
test_outage(void **state)
{
	struct proc_env *e = *state;
	char addr[4][RUMOR_ADDR_STRLEN], name[16];
	struct timespec t0, t1;
	int said = 0;

	proc_start_group(e, 5, NULL);
	for (int i = 0; i < 4; i++)
		snprintf(addr[i], sizeof(addr[i]), "%s",
		         proc_addr(e, (size_t)i + 1));
	for (size_t i = 0; i < 5; i++)
		proc_check(e, rumor_cluster_crash(e->c, i), "crash");
	/* all but the introducer, each with every other as a seed */
	for (int i = 0; i < 4; i++) {
		const char *extra[8];
		int k = 0;
		for (int j = 0; j < 4; j++)
			if (j != i) {
				extra[k++] = "--join";
				extra[k++] = addr[j];
			}
		extra[k] = NULL;
		snprintf(name, sizeof(name), "back%d", i);
		proc_start(e, name, addr[i], NULL, extra);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	one_membership(e, 0, 10000, "one group within 10 s of the last start");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("outage without the introducer: one group of 4 %.2f s "
	              "after the last start\n",
	              (double)(t1.tv_sec - t0.tv_sec) +
	                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (size_t i = 5; i < 9; i++)
		said += proc_stderr_has(e, i, "seed is itself joining");
	assert_true(said >= 1);
	stop_all(e);
}

/* ---- a restart below a version used earlier (issue 16 item 3) ---- */

static void
test_floor(void **state)
{
	struct proc_env *e = *state;
	char addr[RUMOR_ADDR_STRLEN], path[256], fresh[160];
	uint64_t ahead;
	size_t a, b;
	FILE *f;

	proc_start_group(e, 3, NULL);
	snprintf(addr, sizeof(addr), "%s", proc_addr(e, 2));
	/* it once ran with its clock 400 days ahead */
	ahead = rumor_cluster_agent(e->c, 2)->id.version +
	        400ull * 24 * 3600 * 1000;
	proc_check(e, rumor_cluster_crash(e->c, 2), "crash");
	snprintf(path, sizeof(path), "%s/%s.version", e->state, addr);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "%llu\n", (unsigned long long)(ahead - 1));
	fclose(f);
	a = proc_start(e, "ahead", addr, proc_addr(e, 0), NULL);
	assert_int_equal(rumor_cluster_agent(e->c, a)->id.version, ahead);
	one_membership(e, 0, PROC_CONVERGE_MS, "the agent ahead joined");
	proc_check(e, rumor_cluster_crash(e->c, a), "crash the agent ahead");
	/* restarted with a correct clock and an empty state directory */
	snprintf(fresh, sizeof(fresh), "%s/fresh", e->dir);
	b = proc_start(e, "fresh", addr, proc_addr(e, 0),
	               (const char *const[]){"--state-dir", fresh, NULL});
	one_membership(e, 0, PROC_CONVERGE_MS, "restart below the floor");
	assert_true(proc_stderr_has(e, b, "taking version"));
	/* the operator's tool: the superseded id is recorded as left */
	{
		char out[1024];
		const char *argv[] = {RUMOR_BIN,
		                      "force-leave",
		                      rumor_cluster_agent(e->c, a)->id_text,
		                      "--control",
		                      rumor_cluster_agent(e->c, 0)->sock,
		                      NULL};
		const char *bad[] = {RUMOR_BIN, "force-leave", "nonsense",
		                     NULL};
		assert_int_equal(proc_run(out, sizeof(out), argv), 0);
		assert_non_null(strstr(out, "recorded as left"));
		assert_int_equal(proc_run(out, sizeof(out), bad), 2);
		assert_non_null(strstr(out, "is not a member id"));
	}
	stop_all(e);
}

/* ---- a pause ---- */

static void
test_pause(void **state)
{
	struct proc_env *e = *state;
	struct rumor_cluster_agent *p;
	struct rumor_member_id old;
	struct timespec t0, t1;

	proc_start_group(e, 5, NULL);
	p = rumor_cluster_agent(e->c, 3);
	old = p->id;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(kill(p->pid, SIGSTOP), 0);
	/* the others fail it (without waiting on the stopped one) */
	p->crashed = 1;
	proc_check(
	    e,
	    rumor_cluster_wait_status(e->c, &old, BIT(RUMOR_STATUS_FAILED), 1,
	                              PROC_DETECT_MS, e->err, sizeof(e->err)),
	    "paused member failed by the others");
	do { /* 10 s stopped in all */
		usleep(50 * 1000);
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while ((t1.tv_sec - t0.tv_sec) * 1000 +
	             (t1.tv_nsec - t0.tv_nsec) / 1000000 <
	         10000);
	assert_int_equal(kill(p->pid, SIGCONT), 0);
	p->crashed = 0;
	/* it rejoins under a new version, and all agree */
	one_membership(e, 0, PROC_CONVERGE_MS, "after the pause");
	stop_all(e);
	e->failed = 1; /* keep the logs unless all is well */
	/* it blamed nobody for its own pause: the one fail it logs is its
	 * own old id, learned from the others */
	assert_int_equal(proc_count(e, 3, RUMOR_LOG_SUSPECT, NULL), 0);
	assert_int_equal(proc_count(e, 3, RUMOR_LOG_FAIL, NULL),
	                 proc_count(e, 3, RUMOR_LOG_FAIL, p->id_text));
	assert_true(proc_stderr_has(e, 3, "rejoined as a new version"));
	for (size_t i = 0; i < 5; i++) {
		if (i == 3)
			continue;
		/* and nobody else failed anyone but it */
		assert_int_equal(proc_count(e, i, RUMOR_LOG_FAIL, NULL),
		                 proc_count(e, i, RUMOR_LOG_FAIL, p->id_text));
	}
	e->failed = 0;
}

/* ---- wall-clock steps ---- */

#define FAKETIME_LIB "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"

static void
set_offset(const char *rc, const char *offset)
{
	FILE *f = fopen(rc, "w");

	assert_non_null(f);
	fprintf(f, "%s\n", offset);
	fclose(f);
	sleep(4); /* > the 1 s cache, > T_suspect + T_fail */
}

/* The ts of the last line agent i wrote. */
static int64_t
last_ts(struct proc_env *e, size_t i)
{
	const char *path = rumor_cluster_agent(e->c, i)->log;
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	int64_t ts = 0;

	assert_int_equal(rumor_log_reader_open(&r, &path, 1, NULL), 0);
	while (rumor_log_reader_next(r, &rec) == 1)
		ts = rec.ts;
	rumor_log_record_clear(&rec);
	rumor_log_reader_close(r);
	return ts;
}

static void
test_clock(void **state)
{
	struct proc_env *e = *state;
	char rc[128];
	size_t next;
	int64_t t0;
	uint64_t old;

	if (access(FAKETIME_LIB, R_OK) != 0) {
		print_message("SKIP: %s missing (Debian package libfaketime, "
		              "pulled in by faketime)\n",
		              FAKETIME_LIB);
		exit(77);
	}
	snprintf(rc, sizeof(rc), "%s/faketime.rc", e->dir);
	set_offset(rc, "+0");
	if (UNDER_ASAN) { /* the shim comes before ASan's runtime */
		char opts[512];
		const char *prev = getenv("ASAN_OPTIONS");
		snprintf(opts, sizeof(opts), "%s%sverify_asan_link_order=0",
		         prev ? prev : "", prev && *prev ? ":" : "");
		setenv("ASAN_OPTIONS", opts, 1);
	}
	setenv("LD_PRELOAD", FAKETIME_LIB, 1);
	setenv("FAKETIME_TIMESTAMP_FILE", rc, 1);
	setenv("FAKETIME_DONT_FAKE_MONOTONIC", "1", 1);
	setenv("FAKETIME_CACHE_DURATION", "1", 1);
	proc_start_group(e, 4, NULL);
	t0 = rumor_cluster_agent(e->c, 0)->id.version;
	set_offset(rc, "-3600");
	/* a line written now carries the stepped clock: the shim works */
	proc_start(e, "probe", NULL, proc_addr(e, 0), NULL);
	one_membership(e, 0, PROC_CONVERGE_MS, "after a step back");
	assert_true(last_ts(e, 0) < t0 - 3000000);
	set_offset(rc, "+3600");
	one_membership(e, 0, PROC_CONVERGE_MS, "after a step forward");
	/* back again, and a restart: its version still grows */
	set_offset(rc, "-3600");
	old = rumor_cluster_agent(e->c, 2)->id.version;
	proc_check(e,
	           rumor_cluster_restart(e->c, 2, PROC_START_MS, &next, e->err,
	                                 sizeof(e->err)),
	           "restart with the clock an hour back");
	print_message(
	    "version before %llu, after the restart an hour back "
	    "%llu\n",
	    (unsigned long long)old,
	    (unsigned long long)rumor_cluster_agent(e->c, next)->id.version);
	assert_true(rumor_cluster_agent(e->c, next)->id.version > old);
	one_membership(e, 0, PROC_CONVERGE_MS, "after the restart");
	unsetenv("LD_PRELOAD");
	stop_all(e);
	/* three steps, no membership change: no suspicion, and no fail but
	 * the restarted member's old id (superseded by its new version) */
	assert_int_equal(proc_count_all(e, RUMOR_LOG_SUSPECT), 0);
	for (size_t i = 0; i < rumor_cluster_size(e->c); i++)
		assert_true(proc_count(e, i, RUMOR_LOG_FAIL, NULL) <= 1);
	for (size_t i = 0; i < rumor_cluster_size(e->c); i++)
		assert_int_equal(
		    proc_count(e, i, RUMOR_LOG_FAIL, NULL),
		    proc_count(e, i, RUMOR_LOG_FAIL,
		               rumor_cluster_agent(e->c, 2)->id_text));
}

/* ---- a leave under receive drop ---- */

static void
test_leavedrop(void **state)
{
	static const char *const extra[] = {"--drop-rate", "0.2", NULL};
	struct proc_env *e = *state;
	char id[RUMOR_ID_STRLEN];
	int status = -1;

	proc_start_group(e, 6, extra);
	snprintf(id, sizeof(id), "%s", rumor_cluster_agent(e->c, 4)->id_text);
	assert_int_equal(rumor_cluster_leave(e->c, 4), 0);
	assert_int_equal(
	    rumor_cluster_wait_exit(e->c, 4, PROC_STOP_MS, &status), 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	proc_check(
	    e,
	    rumor_cluster_wait_status(e->c, &rumor_cluster_agent(e->c, 4)->id,
	                              BIT(RUMOR_STATUS_LEFT), 1, PROC_DETECT_MS,
	                              e->err, sizeof(e->err)),
	    "leave seen everywhere under 20% drop");
	sleep(3);
	stop_all(e);
	for (size_t i = 0; i < 6; i++) {
		if (i == 4)
			continue;
		assert_int_equal(proc_count(e, i, RUMOR_LOG_LEAVE, id), 1);
		assert_int_equal(proc_count(e, i, RUMOR_LOG_FAIL, id), 0);
	}
}

/* ---- load ---- */

/* The fewest fds over a few samples: an anti-entropy sync or a join holds a
 * TCP connection open for a few ms, which a single sample may catch. */
static size_t
steady_fd_count(pid_t pid)
{
	size_t least = SIZE_MAX;

	for (int i = 0; i < 5; i++) {
		size_t n = craft_fd_count(pid);
		if (n < least)
			least = n;
		usleep(50 * 1000);
	}
	return least;
}

static void
test_load(void **state)
{
	static const char *const extra[] = {"--drop-rate", "0.1", "--quiet",
	                                    NULL};
	struct proc_env *e = *state;
	const size_t n = 16;
	const int secs = UNDER_ASAN ? 20 : 60;
	uint64_t rss0[16], rss1[16];
	size_t fd0[16], fd1[16];
	uint64_t grow_max = 0, rss_max = 0;

	proc_start_group(e, n, extra);
	sleep(5); /* warm-up */
	for (size_t i = 0; i < n; i++) {
		pid_t pid = rumor_cluster_agent(e->c, i)->pid;
		rss0[i] = craft_rss_kib(pid);
		fd0[i] = steady_fd_count(pid);
	}
	sleep((unsigned)secs);
	one_membership(e, 0, PROC_CONVERGE_MS, "after the load run");
	for (size_t i = 0; i < n; i++) {
		pid_t pid = rumor_cluster_agent(e->c, i)->pid;
		rss1[i] = craft_rss_kib(pid);
		fd1[i] = steady_fd_count(pid);
		if (rss1[i] > rss0[i] && rss1[i] - rss0[i] > grow_max)
			grow_max = rss1[i] - rss0[i];
		if (rss1[i] > rss_max)
			rss_max = rss1[i];
	}
	print_message("%zu agents, 10%% receive drop, %d s: RSS at most %llu "
	              "KiB, grew at most %llu KiB; fds %zu -> %zu (agent 0)\n",
	              n, secs, (unsigned long long)rss_max,
	              (unsigned long long)grow_max, fd0[0], fd1[0]);
	stop_all(e);
	assert_int_equal(proc_count_all(e, RUMOR_LOG_FAIL), 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(fd1[i], fd0[i]);
		assert_true(UNDER_ASAN || rss1[i] <= rss0[i] + 1024);
	}
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_restarts, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_outage, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_floor, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_pause, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_clock, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_leavedrop, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_load, proc_setup,
	                                    proc_teardown),
	};
	char filter[64];

	if (argc > 1) {
		snprintf(filter, sizeof(filter), "test_%s", argv[1]);
		cmocka_set_test_filter(filter);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
