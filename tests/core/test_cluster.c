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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_converge),
	    cmocka_unit_test(test_crash_timing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
