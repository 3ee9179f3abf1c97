/* SPDX-License-Identifier: MIT */
/*
 * Numbers off the wire (issue 16 items 5 and 6): heartbeats and versions
 * above RUMOR_NUMBER_MAX are refused on decode, our own counter never
 * passes it or wraps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixture.h"

static const uint16_t B = 3001;

static struct fixture *
setup(void)
{
	struct rumor_config cfg;

	rumor_config_init(&cfg);
	return fx_new(&cfg);
}

static uint64_t
self_hb(struct fixture *fx)
{
	return fx_heartbeat(fx, *rumor_core_self(fx->core));
}

/* A heartbeat of 2^63 (a forged datagram in the clear) used to be taken,
 * printed negative by members --json and refused by the log writer. */
static void
test_heartbeat_above_max_refused(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry c = fx_entry(3002, 1, UINT64_C(1) << 63, 0);

	(void)state;
	assert_int_equal(fx_gossip(fx, fx_id(B, 1), 1, &c, 1),
	                 RUMOR_EWIRE_RANGE);
	assert_int_equal(fx_status(fx, fx_id(3002, 1)), -1);
	c.heartbeat = RUMOR_NUMBER_MAX + 1;
	assert_int_equal(fx_gossip(fx, fx_id(B, 1), 1, &c, 1),
	                 RUMOR_EWIRE_RANGE);
	c = fx_entry(3002, RUMOR_NUMBER_MAX + 1, 1, 0);
	assert_int_equal(fx_gossip(fx, fx_id(B, 1), 1, &c, 1),
	                 RUMOR_EWIRE_RANGE);
	/* the greatest allowed is taken */
	c = fx_entry(3002, RUMOR_NUMBER_MAX, RUMOR_NUMBER_MAX, 0);
	assert_int_equal(fx_gossip(fx, fx_id(B, 1), 1, &c, 1), 0);
	assert_int_equal(fx_heartbeat(fx, c.id), RUMOR_NUMBER_MAX);
	fx_free(fx);
}

/* An accusation at a heartbeat above the bound is refused too. */
static void
test_accusation_above_max_refused(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry c = fx_entry(3002, 1, 5, RUMOR_STATUS_SUSPECT);

	(void)state;
	c.acc[0] = (struct wire_accusation){.accuser = fx_id(B, 1),
	                                    .heartbeat = UINT64_MAX};
	c.n_acc = 1;
	assert_int_equal(fx_gossip(fx, fx_id(B, 1), 1, &c, 1),
	                 RUMOR_EWIRE_RANGE);
	fx_free(fx);
}

/* A forged entry with our own id at the greatest heartbeat: we neither
 * wrap (2^64 - 1 + 1 was 0) nor pass the bound (our entries would then be
 * refused everywhere): we take a new version whose counter starts over. */
static void
test_own_counter_never_wraps(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry me = {.id = fx->self,
	                        .heartbeat = RUMOR_NUMBER_MAX,
	                        .status = RUMOR_STATUS_ALIVE};

	(void)state;
	assert_int_equal(fx_gossip(fx, fx_id(B, 1), 1, &me, 1), 0);
	assert_true(rumor_core_self(fx->core)->version > fx->self.version);
	assert_true(self_hb(fx) < 100);
	fx_run(fx, 5000);
	assert_true(self_hb(fx) < 1000);
	/* a suspicion at the bound: refuted by a new version too */
	me.id = *rumor_core_self(fx->core);
	me.status = RUMOR_STATUS_SUSPECT;
	me.acc[0] = (struct wire_accusation){.accuser = fx_id(B, 1),
	                                     .heartbeat = RUMOR_NUMBER_MAX};
	me.n_acc = 1;
	assert_int_equal(fx_gossip(fx, fx_id(B, 1), 2, &me, 1), 0);
	assert_true(rumor_core_self(fx->core)->version > me.id.version);
	assert_true(self_hb(fx) <= RUMOR_NUMBER_MAX);
	assert_true(self_hb(fx) < 1000);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_heartbeat_above_max_refused),
	    cmocka_unit_test(test_accusation_above_max_refused),
	    cmocka_unit_test(test_own_counter_never_wraps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
