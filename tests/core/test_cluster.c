/* SPDX-License-Identifier: MIT */
/*
 * Scripted clusters of real cores in virtual time: the protocol rules with
 * both edges of each timing bound (tarantool swim.c's style).
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

static void
test_converge(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(8, &cfg, 1);

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	/* everyone logged a join for each of the 7 others */
	for (int i = 0; i < 8; i++)
		assert_int_equal(
		    cluster_count_events(c, RUMOR_EV_JOIN, cluster_id(c, i)),
		    7);
	cluster_free(c);
}

static void
test_crash_timing(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(8, &cfg, 2);
	uint64_t t0, first;

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	cluster_run_for(c, 5000);
	t0 = cluster_now(c);
	struct rumor_member_id victim = *cluster_id(c, 5);
	cluster_crash(c, 5);
	/* not suspected before T_suspect minus one gossip hop can elapse */
	cluster_run_for(c, cfg.t_suspect_ms - cfg.t_gossip_ms - 10);
	assert_int_equal(cluster_count_events(c, RUMOR_EV_SUSPECT, &victim), 0);
	assert_int_equal(
	    cluster_wait_anywhere(c, 5, RUMOR_STATUS_FAILED,
	                          cfg.t_fail_ms + 2 * cfg.t_gossip_ms + 200),
	    0);
	first = cluster_first_event_ms(c, RUMOR_EV_FAIL, &victim);
	assert_true(first - t0 >=
	            cfg.t_suspect_ms + cfg.t_fail_ms - cfg.t_gossip_ms);
	assert_true(first - t0 <= 3000);
	/* everyone within 6 s of the crash (failed or already removed) */
	assert_int_equal(cluster_wait_everywhere(c, 5, RUMOR_STATUS_FAILED,
	                                         6000 - (cluster_now(c) - t0)),
	                 0);
	cluster_free(c);
}

static void
test_leave_logged_as_leave(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(8, &cfg, 3);
	struct rumor_member_id leaver;

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	leaver = *cluster_id(c, 3);
	cluster_leave(c, 3);
	cluster_run_for(c, cfg.leave_grace_ms + 100);
	assert_int_equal(rumor_core_state(cluster_core(c, 3)),
	                 RUMOR_STATE_LEFT);
	cluster_crash(c, 3); /* the process exits */
	cluster_run_for(c, 3000);
	assert_int_equal(cluster_count_events(c, RUMOR_EV_LEAVE, &leaver), 7);
	assert_int_equal(cluster_count_events(c, RUMOR_EV_FAIL, &leaver), 0);
	cluster_free(c);
}

static void
test_restart_supersedes_old_id(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(8, &cfg, 4);
	struct rumor_member_id old;

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	old = *cluster_id(c, 6);
	cluster_restart(c, 6, 1000); /* crash + start with a new version */
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	cluster_run_for(c, cfg.t_cleanup_ms + 3000);
	/* the old id failed exactly once at each of the 7 others, never back */
	assert_int_equal(cluster_count_events(c, RUMOR_EV_FAIL, &old), 7);
	for (int i = 0; i < 8; i++)
		if (i != 6)
			assert_int_equal(cluster_status_of(c, i, &old), -1);
	assert_int_equal(
	    cluster_count_events(c, RUMOR_EV_JOIN, cluster_id(c, 6)), 7);
	cluster_free(c);
}

static void
test_short_block_is_refuted(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(6, &cfg, 5);
	struct rumor_member_id b;

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	b = *cluster_id(c, 2);
	cluster_run_for(c, 2000); /* ring views settle (ring.c rebuild rate) */
	/* cut for longer than T_suspect, shorter than T_suspect + T_fail */
	cluster_block(c, 2, true);
	cluster_run_for(c, cfg.t_suspect_ms + cfg.t_fail_ms / 3);
	cluster_block(c, 2, false);
	assert_true(cluster_count_events(c, RUMOR_EV_SUSPECT, &b) > 0);
	assert_int_equal(cluster_wait_converged(c, 2000), 0);
	assert_int_equal(cluster_count_events(c, RUMOR_EV_FAIL, &b), 0);
	assert_true(cluster_count_events(c, RUMOR_EV_ALIVE, &b) > 0);
	cluster_free(c);
}

static void
test_wrongly_failed_member_rejoins(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(6, &cfg, 6);
	struct rumor_member_id b;

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	b = *cluster_id(c, 4);
	cluster_run_for(c, 2000); /* ring views settle (ring.c rebuild rate) */
	/* cut long enough that both sides fail each other, then heal */
	cluster_block(c, 4, true);
	cluster_run_for(c, cfg.t_suspect_ms + cfg.t_fail_ms + 1000);
	assert_true(cluster_count_events(c, RUMOR_EV_FAIL, &b) > 0);
	cluster_block(c, 4, false);
	/* reconnect probes tell it, it takes a new version and rejoins */
	cluster_run_for(c, 2 * cfg.reconnect_ms + 2000);
	const struct rumor_member_id *now = rumor_core_self(cluster_core(c, 4));
	assert_true(now->version > b.version);
	for (int i = 0; i < 6; i++)
		if (i != 4)
			assert_int_equal(cluster_status_of(c, i, now),
			                 RUMOR_STATUS_ALIVE);
	cluster_free(c);
}

static void
test_introducer_restart_relearns(void **state)
{
	struct rumor_config cfg = config();
	struct cluster *c = cluster_new(6, &cfg, 7);

	(void)state;
	cluster_start(c);
	assert_int_equal(cluster_wait_converged(c, 3000), 0);
	cluster_crash(c, 0);
	cluster_run_for(c, 3000);
	/* it comes back with a new version and no --join: a fresh group... */
	cluster_restart_bootstrap(c, 0, 5000);
	/* ...that the others' seed retries merge into theirs */
	assert_int_equal(cluster_wait_converged(c, 3 * cfg.reconnect_ms + 2000),
	                 0);
	cluster_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_converge),
	    cmocka_unit_test(test_crash_timing),
	    cmocka_unit_test(test_leave_logged_as_leave),
	    cmocka_unit_test(test_restart_supersedes_old_id),
	    cmocka_unit_test(test_short_block_is_refuted),
	    cmocka_unit_test(test_wrongly_failed_member_rejoins),
	    cmocka_unit_test(test_introducer_restart_relearns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
