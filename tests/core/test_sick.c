/* SPDX-License-Identifier: MIT */
/*
 * One sick member must never get a healthy one failed (issue 12): scripted
 * clusters of real cores in virtual time where one or two members cannot
 * receive (deaf) or cannot send (mute). A `fail` of a member that was
 * never sick is a false failure; the sick member itself may be failed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "harness.h"

static struct rumor_config
config(void)
{
	struct rumor_config cfg;
	rumor_config_init(&cfg);
	return cfg;
}

/* fail events about members whose index is not in sick[] */
static int
healthy_failures(struct cluster *c, int n, const int *sick, int n_sick)
{
	int total = 0;

	for (int i = 0; i < n; i++) {
		bool is_sick = false;
		for (int k = 0; k < n_sick; k++)
			is_sick |= sick[k] == i;
		if (!is_sick)
			total += cluster_count_events(c, RUMOR_EV_FAIL,
			                              cluster_id(c, i));
	}
	return total;
}

enum sickness { DEAF, MUTE, HALF_DEAF };

static void
make_sick(struct cluster *c, int i, enum sickness how, bool on)
{
	switch (how) {
	case DEAF:
		cluster_set_deaf(c, i, on);
		break;
	case MUTE:
		cluster_set_mute(c, i, on);
		break;
	case HALF_DEAF: /* hears one datagram in ten */
		rumor_core_set_recv_drop_rate(cluster_core(c, i),
		                              on ? 0.9 : 0.0);
		break;
	}
}

/* n members at loss; the k in sick[] are sick for ms, then recover.
 * Returns the fail events of healthy members. */
static int
sick_run(int n, const int *sick, int k, enum sickness how, uint64_t ms,
         double loss, uint64_t seed)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(n, &cfg, seed);
	int bad;

	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 20000), 0);
	cluster_run_for(c, 5000);
	cluster_set_loss(c, loss);
	for (int j = 0; j < k; j++)
		make_sick(c, sick[j], how, true);
	cluster_run_for(c, ms);
	for (int j = 0; j < k; j++)
		make_sick(c, sick[j], how, false);
	cluster_run_for(c, 15000);
	bad = healthy_failures(c, n, sick, k);
	if (bad)
		fprintf(stderr,
		        "n=%d, %d members sick (%d) from %d for %llu ms: %d "
		        "fail events of healthy members\n",
		        n, k, (int)how, sick[0], (unsigned long long)ms, bad);
	cluster_free(c);
	return bad;
}

/* k of n members (every (n / k)-th from 1) sick. */
static int
many_sick_run(int n, int k, enum sickness how, uint64_t ms, double loss,
              uint64_t seed)
{
	int sick[64];

	for (int j = 0; j < k; j++)
		sick[j] = 1 + j * (n / k);
	return sick_run(n, sick, k, how, ms, loss, seed);
}

/* The case: 8 members, member 3 deaf for 3, 5, 15 and 60 s. */
static void
test_one_deaf_member_fails_nobody(void **state)
{
	static const uint64_t secs[] = {1, 3, 5, 15, 60};
	int sick = 3, bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
		for (uint64_t seed = 1; seed <= 3; seed++)
			bad += sick_run(8, &sick, 1, DEAF, secs[i] * 1000, 0,
			                seed);
	assert_int_equal(bad, 0);
}

/* Every pair of 8 members deaf together for 15 s: some pairs share ring
 * predecessors, so two sick monitors accuse the same healthy member. */
static void
test_two_deaf_members_fail_nobody(void **state)
{
	int bad = 0;

	(void)state;
	for (int a = 0; a < 8; a++)
		for (int b = a + 1; b < 8; b++) {
			int sick[2] = {a, b};
			bad += sick_run(8, sick, 2, DEAF, 15000, 0,
			                (uint64_t)(a * 8 + b));
		}
	assert_int_equal(bad, 0);
}

/* A mute member is failed (the group cannot hear it); nobody else is. */
static void
test_mute_member_is_failed_alone(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(8, &cfg, 11);
	int sick = 5;

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 5000), 0);
	cluster_run_for(c, 3000);
	cluster_set_mute(c, sick, true);
	assert_int_equal(
	    cluster_wait_everywhere(c, sick, RUMOR_STATUS_FAILED,
	                            cfg.t_suspect_ms + cfg.t_fail_ms + 3000),
	    0);
	cluster_run_for(c, 10000);
	assert_int_equal(healthy_failures(c, 8, &sick, 1), 0);
	cluster_free(c);
}

/* A crash while another member is deaf is still detected in time. */
static void
test_crash_detected_while_one_is_deaf(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(8, &cfg, 12);
	int sick = 2;
	uint64_t t0, first;

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 5000), 0);
	cluster_run_for(c, 3000);
	cluster_set_deaf(c, sick, true);
	cluster_run_for(c, 2000);
	struct rumor_member_id victim = *cluster_id(c, 6);
	t0 = cluster_now(c);
	cluster_crash(c, 6);
	assert_int_equal(cluster_wait_anywhere(c, 6, RUMOR_STATUS_FAILED, 3000),
	                 0);
	first = cluster_first_event_ms(c, RUMOR_EV_FAIL, &victim);
	assert_true(first - t0 <= 3000);
	cluster_run_for(c, 4000);
	/* every healthy survivor failed it within the 6 s floor */
	for (int i = 0; i < 8; i++)
		if (i != 6 && i != sick)
			assert_int_equal(cluster_status_of(c, i, &victim) ==
			                         RUMOR_STATUS_FAILED ||
			                     cluster_status_of(c, i, &victim) ==
			                         -1,
			                 1);
	cluster_set_deaf(c, sick, false);
	cluster_run_for(c, 10000);
	assert_int_equal(healthy_failures(c, 8, (int[]){2, 6}, 2), 0);
	cluster_free(c);
}

struct view_find {
	struct rumor_member_id want;
	struct rumor_member_view got;
	int pred; /* port of a member that sends us heartbeats, or 0 */
};

static void
view_visit(void *arg, const struct rumor_member_view *v)
{
	struct view_find *f = arg;

	if (rumor_member_id_cmp(&v->id, &f->want) == 0)
		f->got = *v;
	if (!v->is_self && v->direct_ms != 0 && f->pred == 0)
		f->pred = v->id.addr.port;
}

/* What observer's view says of member (and one of observer's ring
 * predecessors, in *pred, as an index). */
static struct rumor_member_view
view_of(struct cluster *c, int observer, int member, int *pred)
{
	struct view_find f = {.want = *cluster_id(c, member)};

	rumor_core_visit_members(cluster_core(c, observer), view_visit, &f);
	if (pred)
		*pred = f.pred - 3000;
	return f.got;
}

/*
 * Item 6: a one-way loss from a ring predecessor P to its monitor B: others
 * keep P alive, nobody fails it, and B shows the broken link (member view,
 * stats) until P's heartbeats reach it again.
 */
static void
test_broken_link_visible(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(8, &cfg, 31);
	struct rumor_stats st;
	int b = 1, p;

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 5000), 0);
	cluster_run_for(c, 3000);
	view_of(c, b, 0, &p);
	assert_true(p > 0 && p < 8 && p != b);
	cluster_cut_link(c, p, b, true);
	cluster_run_for(c, 3 * cfg.t_suspect_ms);
	assert_int_equal(view_of(c, b, p, NULL).link_broken, 1);
	rumor_core_stats(cluster_core(c, b), &st);
	assert_int_equal(st.broken_links, 1);
	assert_int_equal(view_of(c, b, p, NULL).status, RUMOR_STATUS_ALIVE);
	cluster_run_for(c, 20000);
	assert_int_equal(
	    cluster_count_events(c, RUMOR_EV_FAIL, cluster_id(c, p)), 0);
	cluster_cut_link(c, p, b, false);
	cluster_run_for(c, cfg.t_suspect_ms);
	assert_int_equal(view_of(c, b, p, NULL).link_broken, 0);
	rumor_core_stats(cluster_core(c, b), &st);
	assert_int_equal(st.broken_links, 0);
	cluster_free(c);
}

/* A non-transitive cut: A and B cannot talk, both talk to everyone else. */
static void
test_non_transitive_cut_fails_nobody(void **state)
{
	struct rumor_config cfg = config();
	int bad = 0;

	(void)state;
	for (int a = 1; a < 8; a++) {
		struct cluster *c = cluster_new(8, &cfg, (uint64_t)(40 + a));
		int b;
		cluster_start(c);
		assert_int_equal(cluster_wait_converged(c, 5000), 0);
		cluster_run_for(c, 3000);
		view_of(c, a, 0, &b); /* cut a from one of its predecessors */
		cluster_cut_link(c, a, b, true);
		cluster_cut_link(c, b, a, true);
		cluster_run_for(c, 60000);
		bad += healthy_failures(c, 8, NULL, 0);
		cluster_free(c);
	}
	assert_int_equal(bad, 0);
}

/*
 * k of n members hear everyone but reach only each other for ms (the
 * simulator's `--oneway 10%>*`). They are failed (rightly), take new
 * versions that only they know, and watch healthy members that never send
 * to them: until the group acknowledges their new ids they must accuse
 * nobody. Returns the fail events of healthy members plus the healthy
 * members that took a new version.
 */
static int
reach_own_run(int n, int k, uint64_t ms, uint64_t seed)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(n, &cfg, seed);
	int sick[16], bad;

	for (int j = 0; j < k; j++)
		sick[j] = 1 + j * (n / k);
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 20000), 0);
	cluster_run_for(c, 5000);
	cluster_set_loss(c, 0.1);
	for (bool cut = true;; cut = false) {
		for (int j = 0; j < k; j++)
			for (int i = 0; i < n; i++)
				if ((i - 1) % (n / k) != 0 || i == 0)
					cluster_cut_link(c, sick[j], i, cut);
		if (!cut)
			break;
		cluster_run_for(c, ms);
	}
	cluster_run_for(c, 15000);
	bad = healthy_failures(c, n, sick, k);
	for (int i = 0; i < n; i++)
		if ((i - 1) % (n / k) != 0 || i == 0)
			bad += rumor_core_self(cluster_core(c, i))->version !=
			       cluster_id(c, i)->version;
	if (bad)
		fprintf(stderr,
		        "n=%d, %d members reaching only each other for %llu "
		        "ms (seed %llu): %d fail events of healthy members "
		        "or new versions\n",
		        n, k, (unsigned long long)ms, (unsigned long long)seed,
		        bad);
	cluster_free(c);
	return bad;
}

static void
test_cut_off_minority_fails_nobody(void **state)
{
	int bad = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 2; seed++)
		bad += reach_own_run(40, 5, 15000, seed);
	assert_int_equal(bad, 0);
}

/* 10% of 200 members deaf, mute or hearing one datagram in ten for 60 s,
 * at 10% loss. */
static void
test_tenth_sick_n200(void **state)
{
	(void)state;
	assert_int_equal(many_sick_run(200, 20, DEAF, 60000, 0.1, 21), 0);
	assert_int_equal(many_sick_run(200, 20, MUTE, 60000, 0.1, 22), 0);
	assert_int_equal(many_sick_run(200, 20, HALF_DEAF, 60000, 0.1, 23), 0);
}

/* Two members of 16 that hear one datagram in ten, for 60 s. */
static void
test_two_half_deaf_n16(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 3; seed++)
		assert_int_equal(
		    many_sick_run(16, 2, HALF_DEAF, 60000, 0.0, seed), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_deaf_member_fails_nobody),
	    cmocka_unit_test(test_two_deaf_members_fail_nobody),
	    cmocka_unit_test(test_mute_member_is_failed_alone),
	    cmocka_unit_test(test_crash_detected_while_one_is_deaf),
	    cmocka_unit_test(test_two_half_deaf_n16),
	    cmocka_unit_test(test_broken_link_visible),
	    cmocka_unit_test(test_non_transitive_cut_fails_nobody),
	    cmocka_unit_test(test_cut_off_minority_fails_nobody),
	    cmocka_unit_test(test_tenth_sick_n200),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
