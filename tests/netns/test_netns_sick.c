/* SPDX-License-Identifier: MIT */
/*
 * Sick links between hosts (issue 12), in the six network namespaces that
 * netns_partition.sh makes (TAGh1..h6, 10.77.1.1-6, one agent each on port
 * 3000). Each case runs a fresh group for 10 s of the fault and 12 s
 * after it; nobody may be failed (every host stays heard by a majority):
 *
 *   oneway  what h6 sends to P is lost (nft, h6's output hook), P the
 *           host h6 sends most to (one of its ring monitors)
 *   cut     P and h6 cannot talk, both talk to the rest (nft, both
 *           output hooks): non-transitive; h5 (or h4) is SIGKILLed 4 s
 *           into it and every other healthy host fails it within the
 *           floor
 *   delay   h6's link 50 ms slower, plus or minus 20 ms (tc netem);
 *           skipped when the kernel has no netem
 *
 * A case whose tool fails (no nft, no netem) is skipped with the reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "netns_hosts.h"

#define HOSTS 6

static const char *tag;

static void
start_hosts(struct proc_env *e)
{
	netns_start_hosts(e, tag, HOSTS);
	proc_check(e, proc_wait_one_membership(e, 1, PROC_CONVERGE_MS),
	           "converge across six hosts");
	sleep(2);
}

/* Run a shell command in host h's namespace; its exit status. */
static int
in_host(int h, const char *fmt, const char *arg)
{
	char inner[256], cmd[384];

	snprintf(inner, sizeof(inner), fmt, arg);
	snprintf(cmd, sizeof(cmd), "ip netns exec %sh%d sh -c '%s' 2>&1", tag,
	         h, inner);
	return system(cmd);
}

/*
 * The host h sends most to (counted by nft for 2 s): one of its ring
 * monitors, so that a fault on that link is a fault the protocol sees
 * (with 6 hosts h sends nothing at all to some of the others).
 */
static int
busiest_peer(int h)
{
	char cmd[256], line[256];
	long best = -1, packets;
	int peer = 0, host;
	FILE *f;

	if (in_host(h,
	            "nft add table inet count && nft add chain inet count out "
	            "\"{ type filter hook output priority 0; }\"%s",
	            "") != 0)
		return 0;
	for (int i = 1; i <= HOSTS; i++) {
		snprintf(cmd, sizeof(cmd),
		         "nft add rule inet count out ip daddr 10.77.1.%d "
		         "counter",
		         i);
		if (i != h && in_host(h, "%s", cmd) != 0)
			return 0;
	}
	sleep(2);
	snprintf(cmd, sizeof(cmd),
	         "ip netns exec %sh%d nft list table inet count", tag, h);
	if ((f = popen(cmd, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " ip daddr 10.77.1.%d counter packets %ld",
		           &host, &packets) == 2 &&
		    packets > best) {
			best = packets;
			peer = host;
		}
	pclose(f);
	in_host(h, "nft delete table inet count%s", "");
	return best > 0 ? peer : 0;
}

/* Drop what host h sends to 10.77.1.to (an nft table "sick"). */
static int
drop_to(int h, int to)
{
	char addr[32];

	snprintf(addr, sizeof(addr), "10.77.1.%d", to);
	return in_host(h,
	               "nft add table inet sick && nft add chain inet sick out "
	               "\"{ type filter hook output priority 0; }\" && nft "
	               "add rule inet sick out ip daddr %s counter drop",
	               addr);
}

/* The rule of drop_to dropped something, then remove it. */
static void
undrop(int h)
{
	int dropped = in_host(h,
	                      "nft list table inet sick | grep -q "
	                      "\"packets [1-9]\"%s",
	                      "") == 0;

	in_host(h, "nft delete table inet sick%s", "");
	if (!dropped)
		fail_msg("h%d: the nft rule dropped nothing", h);
}

static size_t
failures(struct proc_env *e, size_t except)
{
	size_t n = 0;

	for (size_t j = 0; j < HOSTS; j++)
		if (j != except)
			n += proc_count_all_member(
			    e, RUMOR_LOG_FAIL,
			    rumor_cluster_agent(e->c, j)->id_text);
	return n;
}

static void
finish(struct proc_env *e, const char *what, size_t crashed)
{
	size_t n;

	sleep(12);
	proc_check(
	    e,
	    rumor_cluster_stop_all(e->c, PROC_STOP_MS, e->err, sizeof(e->err)),
	    "stop all");
	n = failures(e, crashed);
	print_message("%s: %zu fail lines of hosts that were not crashed\n",
	              what, n);
	e->failed = n != 0;
	assert_int_equal(n, 0);
}

static void
test_oneway(void **state)
{
	struct proc_env *e = *state;

	int peer;
	char what[64];

	start_hosts(e);
	if ((peer = busiest_peer(6)) == 0 || drop_to(6, peer) != 0)
		skip();
	sleep(10);
	undrop(6);
	snprintf(what, sizeof(what), "h6 -> h%d lost for 10 s", peer);
	finish(e, what, SIZE_MAX);
}

static void
test_cut(void **state)
{
	struct proc_env *e = *state;
	const char *id;
	int64_t t0, first = INT64_MAX, all = 0;
	size_t victim;
	int peer;
	char what[64];

	start_hosts(e);
	if ((peer = busiest_peer(6)) == 0 || drop_to(6, peer) != 0 ||
	    drop_to(peer, 6) != 0)
		skip();
	victim = peer == 5 ? 3 : 4; /* h5, or h4 when h5 is the cut's end */
	sleep(4);
	id = rumor_cluster_agent(e->c, victim)->id_text;
	t0 = rumor_log_wall_ms();
	assert_int_equal(rumor_cluster_crash(e->c, victim), 0);
	sleep(6);
	undrop(6);
	undrop(peer);
	for (size_t i = 0; i < HOSTS; i++) {
		int64_t ts;
		if (i == victim || i == (size_t)peer - 1 || i == 5)
			continue; /* crashed, and the two ends of the cut */
		ts = proc_first_ts(e, i, RUMOR_LOG_FAIL, id);
		assert_true(ts != INT64_MIN);
		first = ts - t0 < first ? ts - t0 : first;
		all = ts - t0 > all ? ts - t0 : all;
	}
	print_message("h%d/h6 cut: crash of h%zu failed first after %lld ms, "
	              "by the other healthy hosts after %lld ms\n",
	              peer, victim + 1, (long long)first, (long long)all);
	assert_true(first <= 3000 && all <= 6000);
	snprintf(what, sizeof(what), "h%d/h6 cut for 10 s", peer);
	finish(e, what, victim);
}

static void
test_delay(void **state)
{
	struct proc_env *e = *state;

	start_hosts(e);
	if (in_host(6, "tc qdisc add dev eth0 root netem delay 50ms 20ms%s",
	            "") != 0) {
		print_message("SKIP: tc netem refused (no sch_netem in this "
		              "kernel?)\n");
		skip();
	}
	sleep(10);
	in_host(6, "tc qdisc del dev eth0 root%s", "");
	finish(e, "h6 50 +- 20 ms slower for 10 s", SIZE_MAX);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_oneway, netns_setup,
	                                    netns_teardown),
	    cmocka_unit_test_setup_teardown(test_cut, netns_setup,
	                                    netns_teardown),
	    cmocka_unit_test_setup_teardown(test_delay, netns_setup,
	                                    netns_teardown),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_netns_sick TAG (run by "
		                "netns_partition.sh)\n");
		return 2;
	}
	tag = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
