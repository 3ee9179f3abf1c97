/* SPDX-License-Identifier: MIT */
/*
 * Lifecycle faults of issue 16 in scripted clusters of real cores: what a
 * newcomer learns from its join reply, late leaves, numbers off the wire.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

static struct rumor_config
config(void)
{
	struct rumor_config cfg;
	rumor_config_init(&cfg);
	return cfg;
}

/* Run in steps of 5 ms until observer lists member with status. */
static int
wait_status(struct cluster *c, int observer, int member, int status,
            uint64_t timeout_ms)
{
	for (uint64_t t = 0; t < timeout_ms; t += 5) {
		if (cluster_status(c, observer, member) == status)
			return 0;
		cluster_run_for(c, 5);
	}
	return -1;
}

/* Issue 16 item 7: a member suspect in the join reply is suspect at the
 * newcomer, not alive. */
static void
test_newcomer_keeps_suspicion(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(5, &cfg, 11);

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	cluster_run_for(c, 2000); /* ring views settle */
	cluster_block(c, 2, true);
	assert_int_equal(wait_status(c, 0, 2, RUMOR_STATUS_SUSPECT, 3000), 0);
	cluster_restart(c, 4, 9000); /* joins through core 0 */
	/* look at once: no datagram may have corrected it yet */
	for (int t = 0; t < 50 && rumor_core_state(cluster_core(c, 4)) !=
	                              RUMOR_STATE_ACTIVE;
	     t++)
		cluster_run_for(c, 1);
	assert_int_equal(rumor_core_state(cluster_core(c, 4)),
	                 RUMOR_STATE_ACTIVE);
	assert_int_not_equal(cluster_status(c, 4, 2), RUMOR_STATUS_ALIVE);
	assert_int_not_equal(cluster_status(c, 4, 2), -1);
	cluster_free(c);
}

/* Issue 16 item 4: a member whose leave cannot get out is failed and
 * removed; when its leave gets out later, every peer records `leave`. */
static void
test_late_leave_after_removal(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c;
	struct rumor_member_id leaver;
	uint64_t unblocked, last = 0;

	(void)state;
	cfg.leave_grace_ms = 15000;
	c = cluster_new(6, &cfg, 13);
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	cluster_run_for(c, 2000);
	leaver = *cluster_id(c, 3);
	cluster_block(c, 3, true);
	cluster_leave(c, 3);
	/* failed, then removed after T_cleanup, everywhere */
	assert_int_equal(cluster_wait_everywhere(c, 3, -1, 9000), 0);
	assert_int_equal(cluster_count_events(c, RUMOR_EV_REMOVE, &leaver), 5);
	cluster_block(c, 3, false);
	unblocked = cluster_now(c);
	cluster_run_for(c, 5000);
	assert_int_equal(cluster_count_events(c, RUMOR_EV_LEAVE, &leaver), 5);
	for (int i = 0; i < 6; i++)
		if (i != 3 && cluster_status_of(c, i, &leaver) != -1)
			assert_int_equal(cluster_status_of(c, i, &leaver),
			                 RUMOR_STATUS_LEFT);
	last = cluster_last_event_ms(c, RUMOR_EV_LEAVE, &leaver);
	print_message("late leave recorded by all 5 peers %llu ms after the "
	              "leaver was heard again\n",
	              (unsigned long long)(last - unblocked));
	/* once only, and it stays so after the second cleanup */
	cluster_run_for(c, cfg.t_cleanup_ms + 2000);
	assert_int_equal(cluster_count_events(c, RUMOR_EV_LEAVE, &leaver), 5);
	cluster_free(c);
}

/* Issue 16 item 1: every member down, all but the introducer restarted,
 * each with every other as a seed: they form one group (a joining seed
 * asked to admit a joiner starts the group, as serf's group of one). */
static void
test_outage_without_introducer(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(5, &cfg, 14);
	struct rumor_addr seeds[3];
	uint64_t last_start, took;

	(void)state;
	cluster_crash(c, 0); /* the introducer stays down */
	for (int i = 1; i < 5; i++) {
		int k = 0;
		for (int j = 1; j < 5; j++)
			if (j != i)
				seeds[k++] = cluster_id(c, j)->addr;
		assert_int_equal(rumor_core_join(cluster_core(c, i),
		                                 cluster_now(c), seeds, 3),
		                 0);
		cluster_run_for(c, 300);
	}
	last_start = cluster_now(c) - 300;
	assert_int_equal(cluster_wait_converged(c, 10000), 0);
	took = cluster_now(c) - last_start;
	print_message("one group of 4 %llu ms after the last start\n",
	              (unsigned long long)took);
	for (int i = 1; i < 5; i++)
		assert_int_equal(rumor_core_state(cluster_core(c, i)),
		                 RUMOR_STATE_ACTIVE);
	cluster_free(c);
}

/* Issue 16 item 3: a restart below a version the group holds dead for its
 * address (state directory lost, clock behind) learns the floor from the
 * refusal and joins above it. */
static void
test_restart_below_floor_joins(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(4, &cfg, 15);
	const struct rumor_member_id *now;

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	cluster_crash(c, 2); /* version 102 */
	assert_int_equal(
	    cluster_wait_everywhere(c, 2, RUMOR_STATUS_FAILED, 8000), 0);
	cluster_restart(c, 2, 50); /* below the dead floor 102 */
	cluster_run_for(c, 3000);
	now = rumor_core_self(cluster_core(c, 2));
	assert_int_equal(rumor_core_state(cluster_core(c, 2)),
	                 RUMOR_STATE_ACTIVE);
	assert_int_equal(now->version, 103);
	cluster_run_for(c, 1000);
	for (int i = 0; i < 4; i++)
		if (i != 2)
			assert_int_equal(cluster_status_of(c, i, now),
			                 RUMOR_STATUS_ALIVE);
	cluster_free(c);
}

/* Item 3's operator tool: force-leave turns a failure into a leave
 * everywhere, before and after the failed entry is removed. */
static void
test_force_leave(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(5, &cfg, 16);
	struct rumor_member_id a, b;

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	a = *cluster_id(c, 2);
	b = *cluster_id(c, 3);
	assert_int_equal(
	    rumor_core_force_leave(cluster_core(c, 0), cluster_now(c), &a),
	    RUMOR_ESTATE); /* alive: refused */
	cluster_crash(c, 2);
	cluster_crash(c, 3);
	assert_int_equal(
	    cluster_wait_everywhere(c, 2, RUMOR_STATUS_FAILED, 8000), 0);
	assert_int_equal(
	    rumor_core_force_leave(cluster_core(c, 0), cluster_now(c), &a), 0);
	cluster_run_for(c, 2000);
	assert_int_equal(cluster_count_events(c, RUMOR_EV_LEAVE, &a), 3);
	/* b: after its entry was removed everywhere */
	assert_int_equal(cluster_wait_everywhere(c, 3, -1, 10000), 0);
	assert_int_equal(
	    rumor_core_force_leave(cluster_core(c, 1), cluster_now(c), &b), 0);
	cluster_run_for(c, 2000);
	assert_int_equal(cluster_count_events(c, RUMOR_EV_LEAVE, &b), 3);
	b.version = 999; /* never seen */
	assert_int_equal(
	    rumor_core_force_leave(cluster_core(c, 1), cluster_now(c), &b),
	    RUMOR_EINVAL);
	cluster_free(c);
}

static void
self_visit(void *arg, const struct rumor_member_view *m)
{
	if (m->is_self)
		*(uint64_t *)arg = m->heartbeat;
}

static uint64_t
own_heartbeat(struct cluster *c, int i)
{
	uint64_t hb = 0;

	rumor_core_visit_members(cluster_core(c, i), self_visit, &hb);
	return hb;
}

/* Issue 16 item 6: in a quiet group a member's heartbeat grows by one per
 * T_heartbeat, not by every echo of its own value. */
static void
test_heartbeat_counts_ticks(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(8, &cfg, 12);
	uint64_t before[8];

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	cluster_run_for(c, 2000);
	for (int i = 0; i < 8; i++)
		before[i] = own_heartbeat(c, i);
	cluster_run_for(c, 20000);
	for (int i = 0; i < 8; i++) {
		uint64_t d = own_heartbeat(c, i) - before[i];
		uint64_t ticks = 20000 / cfg.t_heartbeat_ms;
		print_message("member %d: %llu heartbeats in 20 s\n", i,
		              (unsigned long long)d);
		assert_true(d >= ticks - 1 && d <= ticks + 1);
	}
	cluster_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_newcomer_keeps_suspicion),
	    cmocka_unit_test(test_heartbeat_counts_ticks),
	    cmocka_unit_test(test_late_leave_after_removal),
	    cmocka_unit_test(test_outage_without_introducer),
	    cmocka_unit_test(test_restart_below_floor_joins),
	    cmocka_unit_test(test_force_leave),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
