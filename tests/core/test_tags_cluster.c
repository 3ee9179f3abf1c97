/* SPDX-License-Identifier: MIT */
/*
 * Tags in a cluster of cores, virtual time (harness.c: 2 ms datagram
 * delay): a change reaches every member as news; a member that missed the
 * news gets the tags from anti-entropy; tags cost no bytes at steady state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define N 32

struct want {
	const struct rumor_member_id *id;
	uint64_t version;
	bool seen;
};

static void
visit(void *arg, const struct rumor_member_view *m)
{
	struct want *w = arg;

	if (rumor_member_id_cmp(&m->id, w->id) == 0 &&
	    m->tags_version >= w->version)
		w->seen = true;
}

/* How many cores other than member hold its tags at version or newer. */
static int
holders(struct cluster *c, int member, uint64_t version)
{
	int n = 0;

	for (int i = 0; i < N; i++) {
		struct want w = {cluster_id(c, member), version, false};
		if (i == member)
			continue;
		rumor_core_visit_members(cluster_core(c, i), visit, &w);
		n += w.seen;
	}
	return n;
}

/* Virtual ms until all N - 1 others hold member's tags version; -1 past
 * timeout_ms. */
static int64_t
time_to_all(struct cluster *c, int member, uint64_t version,
            uint64_t timeout_ms)
{
	uint64_t t0 = cluster_now(c);

	while (holders(c, member, version) < N - 1) {
		if (cluster_now(c) - t0 >= timeout_ms)
			return -1;
		cluster_run_for(c, 10);
	}
	return (int64_t)(cluster_now(c) - t0);
}

static struct cluster *
start(void)
{
	struct rumor_config cfg;
	struct cluster *c;

	rumor_config_init(&cfg);
	c = cluster_new(N, &cfg, 7);
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 30000), 0);
	cluster_run_for(c, 12000); /* join news spent */
	return c;
}

static void
test_change_reaches_all_as_news(void **state)
{
	struct cluster *c = start();
	const char *tags = "role=web\nzone=a\n";
	int64_t ms;

	(void)state;
	assert_int_equal(rumor_core_set_tags(cluster_core(c, 5),
	                                     (const uint8_t *)tags,
	                                     strlen(tags)),
	                 0);
	ms = time_to_all(c, 5, 1, 5000);
	printf("tags change reached all %d members in %lld virtual ms\n", N,
	       (long long)ms);
	/* news: O(log N) heartbeat ticks, far below the sync period (10 s) */
	assert_true(ms >= 0 && ms <= 1000);
	/* a second change: the newer one wins everywhere */
	assert_int_equal(rumor_core_set_tags(cluster_core(c, 5),
	                                     (const uint8_t *)"role=db\n", 8),
	                 0);
	assert_true(time_to_all(c, 5, 2, 5000) >= 0);
	assert_int_equal(
	    cluster_count_events(c, RUMOR_EV_UPDATE, cluster_id(c, 5)),
	    2 * N); /* each of N - 1 others, and itself */
	cluster_free(c);
}

/* Deaf while the change is news, it still gets it: the digests differ
 * (the tags version is in the digest) and a sync brings the tags. */
static void
test_missed_change_repaired_by_anti_entropy(void **state)
{
	struct cluster *c = start();
	struct want w;
	int64_t ms;

	(void)state;
	cluster_set_deaf(c, 9, true);
	assert_int_equal(rumor_core_set_tags(cluster_core(c, 5),
	                                     (const uint8_t *)"role=web\n", 9),
	                 0);
	cluster_run_for(c, 800); /* shorter than T_suspect + T_fail */
	cluster_set_deaf(c, 9, false);
	cluster_run_for(c, 6000); /* the news is spent */
	w = (struct want){cluster_id(c, 5), 1, false};
	rumor_core_visit_members(cluster_core(c, 9), visit, &w);
	if (!w.seen) {
		ms = time_to_all(c, 5, 1, 25000);
		printf("missed change repaired by anti-entropy after %lld "
		       "more virtual ms\n",
		       (long long)ms);
		assert_true(ms >= 0);
	}
	assert_int_equal(holders(c, 5, 1), N - 1);
	cluster_free(c);
}

/* Steady state: tags set, news spent: bytes per second as without tags. */
static void
test_no_steady_cost(void **state)
{
	struct cluster *c = start(), *plain = start();
	struct rumor_stats a, b, a2, b2;
	uint64_t with = 0, without = 0;

	(void)state;
	for (int i = 0; i < N; i++)
		rumor_core_set_tags(cluster_core(c, i),
		                    (const uint8_t *)"role=web\nzone=eu-west\n",
		                    22);
	cluster_run_for(c, 15000);
	cluster_run_for(plain, 15000);
	for (int i = 0; i < N; i++) {
		rumor_core_stats(cluster_core(c, i), &a);
		rumor_core_stats(cluster_core(plain, i), &b);
		with -= a.bytes_sent + a.stream_bytes_sent;
		without -= b.bytes_sent + b.stream_bytes_sent;
	}
	cluster_run_for(c, 60000);
	cluster_run_for(plain, 60000);
	for (int i = 0; i < N; i++) {
		rumor_core_stats(cluster_core(c, i), &a2);
		rumor_core_stats(cluster_core(plain, i), &b2);
		with += a2.bytes_sent + a2.stream_bytes_sent;
		without += b2.bytes_sent + b2.stream_bytes_sent;
	}
	printf("steady state, 60 s, per member: %.1f B/s with tags, %.1f "
	       "without\n",
	       (double)with / N / 60, (double)without / N / 60);
	/* within 2%: the same protocol traffic, tags never ride it */
	assert_true(with <= without + without / 50);
	cluster_free(c);
	cluster_free(plain);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_change_reaches_all_as_news),
	    cmocka_unit_test(test_missed_change_repaired_by_anti_entropy),
	    cmocka_unit_test(test_no_steady_cost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
