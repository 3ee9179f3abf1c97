/* SPDX-License-Identifier: MIT */
/*
 * Five hosts (network namespaces made by netns_test.sh, named TAGh1..h5,
 * addresses 10.77.0.1-5), one agent each on port 3000, joining through
 * h1: everyone lists everyone; h3 crashes and h4 leaves, and both are
 * seen across hosts (crash: one survivor within 3 s, all within 6 s;
 * leave: a leave everywhere, never a fail).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "rumor/analyze.h"
#include "rumor/node.h"

#define HOSTS  5
#define BIT(s) (1u << (s))

static const char *tag;

struct env {
	char dir[64];
	struct rumor_cluster *c;
	char err[1024];
	int failed;
};

static void
check(struct env *e, int rc, const char *what)
{
	if (rc != 0) {
		e->failed = 1;
		fail_msg("%s: %s", what, e->err);
	}
}

static void
start_hosts(struct env *e)
{
	char state[128];

	snprintf(state, sizeof(state), "%s/state", e->dir);
	for (int i = 1; i <= HOSTS; i++) {
		char ns[32], name[16], bind[32];
		const char *prefix[] = {"ip", "netns", "exec", ns, NULL};
		const char *args[] = {"--state-dir", state, "--join",
		                      "10.77.0.1:3000", NULL};
		size_t idx;
		snprintf(ns, sizeof(ns), "%sh%d", tag, i);
		snprintf(name, sizeof(name), "h%d", i);
		snprintf(bind, sizeof(bind), "10.77.0.%d:3000", i);
		if (i == 1)
			args[2] = NULL; /* the introducer */
		check(e,
		      rumor_cluster_start(e->c, name, bind, args, prefix, 10000,
		                          &idx, e->err, sizeof(e->err)),
		      name);
	}
}

static size_t
count(struct env *e, size_t i, enum rumor_log_ev ev, const char *member)
{
	const char *path = rumor_cluster_agent(e->c, i)->log;
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	size_t n = 0;

	assert_int_equal(rumor_log_reader_open(&r, &path, 1, NULL), 0);
	while (rumor_log_reader_next(r, &rec) == 1)
		n += rec.ev == ev && strcmp(rec.member, member) == 0;
	rumor_log_record_clear(&rec);
	rumor_log_reader_close(r);
	return n;
}

static void
check_crash(struct env *e, const char *id)
{
	const char *paths[HOSTS + 1];
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	struct rumor_analysis *a;
	const struct rumor_analyze_result *res;

	paths[0] = rumor_cluster_scenario_log(e->c);
	for (size_t i = 0; i < HOSTS; i++)
		paths[i + 1] = rumor_cluster_agent(e->c, i)->log;
	assert_int_equal(rumor_log_reader_open(&r, paths, HOSTS + 1, NULL), 0);
	assert_int_equal(rumor_analysis_new(&a, NULL), 0);
	while (rumor_log_reader_next(r, &rec) == 1)
		rumor_analysis_add(a, &rec);
	rumor_log_record_clear(&rec);
	rumor_log_reader_close(r);
	assert_int_equal(rumor_analysis_finish(a, &res), 0);
	for (size_t i = 0; i < res->n_crashes; i++) {
		const struct rumor_crash_report *c = &res->crashes[i];
		if (strcmp(c->member, id) != 0)
			continue;
		print_message("crash across hosts: first fail %lld ms, all "
		              "%lld ms (%zu/%zu)\n",
		              (long long)c->first_detect_ms,
		              (long long)c->all_detect_ms, c->n_detected,
		              c->n_survivors);
		e->failed = 1;
		assert_int_equal(c->n_detected, c->n_survivors);
		assert_true(c->first_detect_ms != RUMOR_ANALYZE_NONE &&
		            c->first_detect_ms <= 3000);
		assert_true(c->all_detect_ms != RUMOR_ANALYZE_NONE &&
		            c->all_detect_ms <= 6000);
		e->failed = 0;
	}
	assert_int_equal(res->n_false_failures, 0);
	rumor_analysis_free(a);
}

static void
test_hosts(void **state)
{
	struct env *e = *state;
	char crashed[RUMOR_ID_STRLEN], left[RUMOR_ID_STRLEN];
	struct rumor_member_id left_id;
	int status = -1;

	start_hosts(e);
	check(e,
	      rumor_cluster_wait_converged(e->c, 30000, e->err, sizeof(e->err)),
	      "converge across hosts");
	sleep(1); /* the ring monitors have heard everyone (proc_util.c) */
	snprintf(crashed, sizeof(crashed), "%s",
	         rumor_cluster_agent(e->c, 2)->id_text);
	assert_int_equal(rumor_cluster_crash(e->c, 2), 0);
	check(e,
	      rumor_cluster_wait_status(e->c, &rumor_cluster_agent(e->c, 2)->id,
	                                BIT(RUMOR_STATUS_FAILED), 1, 20000,
	                                e->err, sizeof(e->err)),
	      "crash of h3 detected on every host");
	snprintf(left, sizeof(left), "%s",
	         rumor_cluster_agent(e->c, 3)->id_text);
	left_id = rumor_cluster_agent(e->c, 3)->id;
	assert_int_equal(rumor_cluster_leave(e->c, 3), 0);
	assert_int_equal(rumor_cluster_wait_exit(e->c, 3, 15000, &status), 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	check(e,
	      rumor_cluster_wait_status(e->c, &left_id, BIT(RUMOR_STATUS_LEFT),
	                                1, 20000, e->err, sizeof(e->err)),
	      "leave of h4 seen on every host");
	check(e, rumor_cluster_stop_all(e->c, 15000, e->err, sizeof(e->err)),
	      "stop");
	for (size_t i = 0; i < HOSTS; i++) {
		if (i == 2 || i == 3)
			continue;
		assert_int_equal(count(e, i, RUMOR_LOG_FAIL, crashed), 1);
		assert_int_equal(count(e, i, RUMOR_LOG_LEAVE, left), 1);
		assert_int_equal(count(e, i, RUMOR_LOG_FAIL, left), 0);
	}
	check_crash(e, crashed);
}

static int
setup(void **state)
{
	static struct env e;

	snprintf(e.dir, sizeof(e.dir), "/tmp/rumor-netns-XXXXXX");
	if (mkdtemp(e.dir) == NULL)
		return -1;
	rumor_cluster_install_cleanup();
	if (rumor_cluster_new(&e.c, RUMOR_BIN, e.dir) != 0)
		return -1;
	*state = &e;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];

	rumor_cluster_free(e->c);
	if (e->failed) {
		fprintf(stderr, "test files kept in %s\n", e->dir);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_hosts, setup, teardown),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_netns TAG (run by "
		                "netns_test.sh)\n");
		return 2;
	}
	tag = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
