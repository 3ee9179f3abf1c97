/* SPDX-License-Identifier: MIT */
/*
 * Events carry the member the news came from (struct rumor_event.from):
 * the sender of the gossip datagram, the sync or join exchange being
 * merged; version 0 for the observer's own detector and actions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

static const uint16_t B = 3001, C = 3002, D = 3003;

static struct fixture *
setup(void)
{
	struct rumor_config cfg;

	rumor_config_init(&cfg);
	cfg.monitors = 0;
	return fx_new(&cfg);
}

static void
assert_from(const struct fixture *fx, enum rumor_event_kind kind,
            struct rumor_member_id member, struct rumor_member_id want)
{
	int i = fx_last(fx, kind, member);

	assert_true(i >= 0);
	assert_int_equal(rumor_member_id_cmp(&fx->events[i].from, &want), 0);
}

static void
test_gossip_news_names_its_sender(void **state)
{
	struct fixture *fx = setup();
	struct rumor_member_id b = fx_id(B, 1), c = fx_id(C, 1);
	struct wire_entry e = fx_entry(C, 1, 4, RUMOR_STATUS_ALIVE);

	(void)state;
	/* B tells us about itself and about C */
	assert_int_equal(fx_gossip(fx, b, 5, &e, 1), 0);
	assert_from(fx, RUMOR_EV_JOIN, b, b);
	assert_from(fx, RUMOR_EV_JOIN, c, b);
	/* D tells us C is suspected (D accuses it), then B says failed */
	e.status = RUMOR_STATUS_SUSPECT;
	e.heartbeat = 4;
	e.acc[e.n_acc++] = (struct wire_accusation){
	    .accuser = fx_id(D, 1), .heartbeat = 4, .flags = WIRE_ACC_TIGHT};
	fx_gossip(fx, fx_id(D, 1), 1, &e, 1);
	assert_from(fx, RUMOR_EV_SUSPECT, c, fx_id(D, 1));
	e.status = RUMOR_STATUS_FAILED;
	e.n_acc = 0;
	fx_gossip(fx, b, 6, &e, 1);
	assert_from(fx, RUMOR_EV_FAIL, c, b);
	fx_free(fx);
}

static void
test_own_detector_has_no_sender(void **state)
{
	struct fixture *fx = setup();
	struct rumor_member_id b = fx_id(B, 1), none = {0};

	(void)state;
	fx_gossip(fx, b, 1, NULL, 0);
	fx_run(fx, fx->cfg.t_suspect_ms + fx->cfg.t_fail_ms + 1000);
	assert_from(fx, RUMOR_EV_SUSPECT, b, none);
	assert_from(fx, RUMOR_EV_FAIL, b, none);
	/* the bootstrap's own joined */
	assert_int_equal(fx->events[0].kind, RUMOR_EV_JOINED);
	assert_int_equal(fx->events[0].from.version, 0);
	fx_free(fx);
}

static void
test_joiner_told_the_seed_itself(void **state)
{
	struct fixture *fx = setup();
	uint8_t req[256], reply[4096];
	struct wire_writer w;
	struct wire_entry j = fx_entry(3009, 5, 0, RUMOR_STATUS_ALIVE);
	size_t len;

	(void)state;
	rumor__wire_begin(&w, req, sizeof(req), RUMOR_MSG_JOIN_REQ, 1, &j.id,
	                  0);
	rumor__wire_add_entry(&w, &j);
	size_t req_len = rumor__wire_finish(&w);
	assert_int_equal(rumor_core_stream_serve(fx->core, fx->now, &j.id.addr,
	                                         req, req_len, reply,
	                                         sizeof(reply), &len),
	                 0);
	assert_from(fx, RUMOR_EV_JOIN, j.id, j.id);
	/* and nothing emitted later by a timer inherits it */
	fx_run(fx, fx->cfg.t_suspect_ms + 1000);
	assert_int_equal(
	    fx->events[fx_last(fx, RUMOR_EV_SUSPECT, j.id)].from.version, 0);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gossip_news_names_its_sender),
	    cmocka_unit_test(test_own_detector_has_no_sender),
	    cmocka_unit_test(test_joiner_told_the_seed_itself),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
