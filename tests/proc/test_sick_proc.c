/* SPDX-License-Identifier: MIT */
/*
 * One sick agent must never get a healthy one failed (issue 12), on real
 * agents on 127.0.0.1: `rumor set deaf on|off` and `rumor set mute on|off`
 * through the control socket. The cases of the issue: 8 agents, agent 3
 * deaf for 3, 5, 15 and 60 s (the last two with a crash of a healthy agent
 * while it is deaf, detected by the healthy ones within the 3 s / 6 s floor);
 * agent 3 mute for 5 s (it may be failed; nobody else); 50 agents with one
 * deaf for 8 s; agent 3 SIGSTOPped 300 ms of every second for 10 s with a
 * crash of a healthy agent during it. One ctest entry per case
 * (`test_sick_proc NAME`).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc_util.h"

#define SICK 3 /* the sick agent's index */

/* Send "set WHAT on|off" to agent i's control socket. */
static void
set_fault(struct proc_env *e, size_t i, const char *what, int on)
{
	char cmd[64], text[256];
	int fd;

	snprintf(cmd, sizeof(cmd), "set %s %s", what, on ? "on" : "off");
	if (rumor_control_open(rumor_cluster_agent(e->c, i)->sock, cmd, 0, &fd,
	                       text, sizeof(text)) != 0) {
		e->failed = 1;
		fail_msg("%s: %s", cmd, text);
	}
	close(fd);
}

/* Agent i's `stats` counter key (an integer). */
static long long
stat_of(struct proc_env *e, size_t i, const char *key)
{
	char text[256], buf[8192], *p;
	size_t len = 0;
	ssize_t r;
	int fd;

	assert_int_equal(rumor_control_open(rumor_cluster_agent(e->c, i)->sock,
	                                    "stats", 0, &fd, text,
	                                    sizeof(text)),
	                 0);
	while (len + 1 < sizeof(buf) &&
	       (r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)r;
	close(fd);
	buf[len] = '\0';
	snprintf(text, sizeof(text), "\"%s\":", key);
	p = strstr(buf, text);
	assert_non_null(p);
	return atoll(p + strlen(text));
}

/* fail lines, in every agent's log, of agents other than the sick one
 * and the crashed one (crashed: SIZE_MAX for none). */
static size_t
healthy_failures(struct proc_env *e, size_t n, size_t crashed)
{
	size_t total = 0;

	for (size_t j = 0; j < n; j++) {
		const char *id = rumor_cluster_agent(e->c, j)->id_text;
		if (j == SICK || j == crashed)
			continue;
		for (size_t i = 0; i < n; i++) {
			size_t k = proc_count(e, i, RUMOR_LOG_FAIL, id);
			if (k != 0)
				print_message(
				    "false failure: %s failed %s "
				    "(%zu lines)\n",
				    rumor_cluster_agent(e->c, i)->name, id, k);
			total += k;
		}
	}
	return total;
}

/*
 * The crash of agent `crashed` at crash_ts (wall ms): every healthy agent
 * failed it, the first within 3 s and all within 6 s.
 */
static void
assert_crash_detected(struct proc_env *e, size_t n, size_t crashed,
                      int64_t crash_ts)
{
	const char *id = rumor_cluster_agent(e->c, crashed)->id_text;
	int64_t first = INT64_MAX, all = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t ts;
		if (i == SICK || i == crashed)
			continue;
		ts = proc_first_ts(e, i, RUMOR_LOG_FAIL, id);
		assert_true(ts != INT64_MIN);
		ts -= crash_ts;
		first = ts < first ? ts : first;
		all = ts > all ? ts : all;
	}
	print_message("crash of %s while %s is sick: failed first after "
	              "%lld ms, by every healthy agent after %lld ms\n",
	              id, rumor_cluster_agent(e->c, SICK)->name,
	              (long long)first, (long long)all);
	assert_true(first <= 3000);
	assert_true(all <= 6000);
}

/*
 * n agents; after 4 s agent SICK is `what` (deaf/mute) for secs seconds
 * (with crash_at >= 0: agent n-2 is SIGKILLed crash_at s into it), then
 * well again; 12 s later every log is read.
 */
static void
sick_run(struct proc_env *e, size_t n, const char *what, int secs, int crash_at)
{
	const size_t crashed = crash_at >= 0 ? n - 2 : SIZE_MAX;
	int64_t crash_ts = 0;
	size_t sick_fails = 0;
	long long dropped;

	proc_start_group(e, n, (const char *const[]){"--quiet", NULL});
	sleep(3);
	set_fault(e, SICK, what, 1);
	for (int s = 0; s < secs; s++) {
		if (s == crash_at) {
			crash_ts = rumor_log_wall_ms();
			assert_int_equal(rumor_cluster_crash(e->c, crashed), 0);
		}
		sleep(1);
	}
	dropped = stat_of(e, SICK,
	                  strcmp(what, "deaf") == 0 ? "deaf_dropped"
	                                            : "mute_dropped");
	set_fault(e, SICK, what, 0);
	print_message("%s dropped %lld datagrams while %s\n",
	              rumor_cluster_agent(e->c, SICK)->name, dropped, what);
	assert_true(dropped > 0);
	sleep(12);
	proc_check(
	    e,
	    rumor_cluster_stop_all(e->c, PROC_STOP_MS, e->err, sizeof(e->err)),
	    "stop all");
	e->failed = 1; /* keep the logs until the checks pass */
	for (size_t i = 0; i < n; i++)
		sick_fails +=
		    proc_count(e, i, RUMOR_LOG_FAIL,
		               rumor_cluster_agent(e->c, SICK)->id_text);
	print_message("%zu agents, %s %s for %d s: %zu fail lines of "
	              "the sick agent\n",
	              n, rumor_cluster_agent(e->c, SICK)->name, what, secs,
	              sick_fails);
	assert_int_equal(healthy_failures(e, n, crashed), 0);
	if (crash_at >= 0)
		assert_crash_detected(e, n, crashed, crash_ts);
	e->failed = 0;
}

static void
test_deaf3(void **state)
{
	sick_run(*state, 8, "deaf", 3, -1);
}

static void
test_deaf5(void **state)
{
	sick_run(*state, 8, "deaf", 5, -1);
}

static void
test_deaf15(void **state)
{
	sick_run(*state, 8, "deaf", 15, 4);
}

static void
test_deaf60(void **state)
{
	sick_run(*state, 8, "deaf", 60, 30);
}

static void
test_mute5(void **state)
{
	sick_run(*state, 8, "mute", 5, -1);
}

/*
 * SIGSTOP/SIGCONT bursts: agent SICK stopped 300 ms of every second for
 * 10 s (a starved CPU), a healthy agent SIGKILLed 4 s into it: nobody but
 * the paused agent may be failed, the crash within the floor.
 */
static void
test_pausebursts(void **state)
{
	struct proc_env *e = *state;
	const size_t n = 8, crashed = n - 2;
	struct rumor_cluster_agent *p;
	int64_t crash_ts = 0;

	proc_start_group(e, n, (const char *const[]){"--quiet", NULL});
	sleep(3);
	p = rumor_cluster_agent(e->c, SICK);
	for (int s = 0; s < 10; s++) {
		if (s == 4) {
			crash_ts = rumor_log_wall_ms();
			assert_int_equal(rumor_cluster_crash(e->c, crashed), 0);
		}
		assert_int_equal(kill(p->pid, SIGSTOP), 0);
		usleep(300 * 1000);
		assert_int_equal(kill(p->pid, SIGCONT), 0);
		usleep(700 * 1000);
	}
	sleep(12);
	proc_check(
	    e,
	    rumor_cluster_stop_all(e->c, PROC_STOP_MS, e->err, sizeof(e->err)),
	    "stop all");
	e->failed = 1;
	print_message("8 agents, %s stopped 300 ms of every second for "
	              "10 s: %zu fail lines in all, the crash included\n",
	              p->name, proc_count_all(e, RUMOR_LOG_FAIL));
	assert_int_equal(healthy_failures(e, n, crashed), 0);
	assert_crash_detected(e, n, crashed, crash_ts);
	e->failed = 0;
}

static void
test_deaf50(void **state)
{
	sick_run(*state, 50, "deaf", 8, -1);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_deaf3, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_deaf5, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_deaf15, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_deaf60, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_mute5, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_pausebursts, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_deaf50, proc_setup,
	                                    proc_teardown),
	};
	char filter[64];

	if (argc > 1) {
		snprintf(filter, sizeof(filter), "test_%s", argv[1]);
		cmocka_set_test_filter(filter);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
