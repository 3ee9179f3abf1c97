/* SPDX-License-Identifier: MIT */
/*
 * A 3|3 partition of six hosts (network namespaces made by
 * netns_partition.sh, named TAGh1..h6, addresses 10.77.1.1-6, bridge
 * namespace TAGbr), one agent each on port 3000 joining through h1:
 *
 *   1. converge;
 *   2. cut h4..h6 from h1..h3 (their bridge ports move to br1) and keep the
 *      cut until each side has failed the whole other side, then 3 s more
 *      (longer than T_fail in all);
 *   3. heal, and measure how long until every agent lists every agent
 *      alive at its current version (the wrongly failed rejoin with a new
 *      version; failed addresses are retried every reconnect_ms).
 *
 * Bound (docs/security.md): one membership within HEAL_BOUND_MS of the
 * heal = reconnect_ms (2 s, the first retry of a failed address) +
 * t_sync_ms (10 s, one anti-entropy round for anything the retries and
 * gossip missed) + 5 s of slack for a loaded machine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "netns_hosts.h"

#define HOSTS         6
#define HEAL_BOUND_MS 17000

static const char *tag;

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Move the bridge ports of h4..h6 to br (br1 cuts, br0 heals). */
static void
move_side(const char *br)
{
	char cmd[256];

	for (int i = 4; i <= HOSTS; i++) {
		snprintf(cmd, sizeof(cmd), "ip -n %sbr link set v%d master %s",
		         tag, i, br);
		if (system(cmd) != 0)
			fail_msg("'%s' failed", cmd);
	}
}

static int
side(size_t i)
{
	return i < 3 ? 0 : 1;
}

/* 1 when every agent lists every agent of the other side failed (or no
 * longer lists it). */
static int
sides_failed(struct proc_env *e)
{
	for (size_t i = 0; i < HOSTS; i++) {
		struct rumor_control_member *list;
		size_t n;
		char err[256];
		int ok = 1;
		if (rumor_control_members(rumor_cluster_agent(e->c, i)->sock,
		                          2000, &list, &n, err, sizeof(err)))
			return 0;
		for (size_t k = 0; k < n; k++)
			for (size_t j = 0; j < HOSTS; j++)
				if (side(j) != side(i) &&
				    rumor_addr_equal(
				        &list[k].id.addr,
				        &rumor_cluster_agent(e->c, j)
				             ->id.addr) &&
				    list[k].status != RUMOR_STATUS_FAILED)
					ok = 0;
		free(list);
		if (!ok)
			return 0;
	}
	return 1;
}

static void
test_partition(void **state)
{
	struct proc_env *e = *state;
	int64_t t_cut, t_failed, t_heal, t_one;
	int rc;

	netns_start_hosts(e, tag, HOSTS);
	proc_check(e, proc_wait_one_membership(e, 1, PROC_CONVERGE_MS),
	           "converge across six hosts");
	move_side("br1");
	t_cut = now_ms();
	while (!sides_failed(e)) {
		if (now_ms() - t_cut > PROC_DETECT_MS)
			fail_msg("the sides did not fail each other within "
			         "%d ms of the cut",
			         PROC_DETECT_MS);
		usleep(100 * 1000);
	}
	t_failed = now_ms();
	sleep(3);
	move_side("br0");
	t_heal = now_ms();
	rc = proc_wait_one_membership(e, 0, 60000);
	t_one = now_ms();
	print_message("3|3 cut: each side failed the other %lld ms after the "
	              "cut; cut for %lld ms; one membership %lld ms after "
	              "the heal (bound %d ms)\n",
	              (long long)(t_failed - t_cut),
	              (long long)(t_heal - t_cut), (long long)(t_one - t_heal),
	              HEAL_BOUND_MS);
	proc_check(e, rc, "one membership after the heal");
	e->failed = 1;
	assert_true(t_one - t_heal <= HEAL_BOUND_MS);
	e->failed = 0;
	/* it stays one: nothing more is suspected for a while */
	size_t suspects = proc_count_all(e, RUMOR_LOG_SUSPECT);
	sleep(3);
	proc_check(e, proc_wait_one_membership(e, 0, 5000), "stays one");
	assert_int_equal(proc_count_all(e, RUMOR_LOG_SUSPECT), suspects);
	proc_check(
	    e,
	    rumor_cluster_stop_all(e->c, PROC_STOP_MS, e->err, sizeof(e->err)),
	    "stop");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_partition, netns_setup,
	                                    netns_teardown),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_netns_partition TAG (run by "
		                "netns_partition.sh)\n");
		return 2;
	}
	tag = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
