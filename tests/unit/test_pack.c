/* SPDX-License-Identifier: MIT */
/*
 * MTU packing: with a table far larger than a datagram, every datagram fits
 * the MTU, starts with the sender's own entry, and the rotation carries
 * every member within a bounded number of datagrams.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#define MEMBERS 1000

static void
fill(struct fixture *fx)
{
	struct wire_entry batch[40];

	for (int base = 0; base < MEMBERS; base += 40) {
		int n = 0;
		for (int i = base; i < base + 40 && i < MEMBERS; i++)
			batch[n++] = fx_entry((uint16_t)(10000 + i), 1, 1, 0);
		assert_int_equal(
		    fx_gossip(fx, fx_id(3001, 1), 1, batch, (size_t)n), 0);
	}
}

/* Datagrams until every member was carried, or give up at max_datagrams. */
static size_t
datagrams_to_cover(uint32_t gossip_entries, size_t max_datagrams,
                   size_t *per_datagram)
{
	struct rumor_config cfg;
	struct fixture *fx;
	struct wire_entry got[256];
	struct wire_msg msg;
	static bool seen[MEMBERS];
	int n_seen = 0;
	size_t datagrams = 0, counted = 0;

	rumor_config_init(&cfg);
	cfg.gossip_entries = gossip_entries;
	fx = fx_new(&cfg);
	fill(fx);
	assert_int_equal(rumor_core_member_count(fx->core), MEMBERS + 2);
	/* let the news of the joins run out first: news datagrams carry no
	 * rotation, and this measures the rotation */
	fx_run(fx, 5000);
	memset(seen, 0, sizeof(seen));
	*per_datagram = 0;
	fx->n_sent = 0;
	while (n_seen < MEMBERS && counted < max_datagrams &&
	       fx->n_sent < FX_MAX_SENT) {
		fx_run(fx, cfg.t_gossip_ms);
		for (; datagrams < fx->n_sent; datagrams++) {
			assert_true(fx->sent[datagrams].len <= cfg.mtu_bytes);
			assert_int_equal(
			    fx_decode_sent(fx, datagrams, &msg, got, 256), 0);
			if (msg.n_entries <= 1)
				continue; /* a ring heartbeat */
			counted++;
			if (msg.n_entries > *per_datagram)
				*per_datagram = msg.n_entries;
			assert_true(gossip_entries == 0 ||
			            msg.n_entries <= gossip_entries);
			/* the sender's own entry always comes first */
			assert_int_equal(
			    rumor_member_id_cmp(&got[0].id, &fx->self), 0);
			for (size_t j = 1; j < msg.n_entries; j++) {
				int i = got[j].id.addr.port - 10000;
				if (i >= 0 && i < MEMBERS && !seen[i]) {
					seen[i] = true;
					n_seen++;
				}
			}
		}
	}
	fx_free(fx);
	return n_seen == MEMBERS ? counted : SIZE_MAX;
}

/* With heartbeat gossip on, the rotation covers all N within 2.5 times the
 * fewest datagrams that can hold N entries, whatever the datagram size
 * (1000: what the MTU holds). */
static void
test_every_member_within_bound(void **state)
{
	const uint32_t limits[] = {1000, 16, 4};

	(void)state;
	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		size_t per = 0, n;
		n = datagrams_to_cover(limits[i], 4000, &per);
		assert_true(per >= 2);
		size_t least = (MEMBERS + per - 2) / (per - 1);
		assert_true(n != SIZE_MAX);
		assert_true(n <= least * 5 / 2);
	}
}

static void
test_small_mtu_respected(void **state)
{
	struct rumor_config cfg;
	struct fixture *fx;

	(void)state;
	rumor_config_init(&cfg);
	cfg.mtu_bytes = 256;
	cfg.gossip_entries = 16; /* gossip datagrams fit it too */
	fx = fx_new(&cfg);
	fill(fx);
	fx->n_sent = 0;
	fx_run(fx, 10 * cfg.t_gossip_ms);
	assert_true(fx->n_sent > 10);
	for (size_t i = 0; i < fx->n_sent; i++)
		assert_true(fx->sent[i].len <= 256);
	fx_free(fx);
}

/*
 * A news datagram (pushed at heartbeat ticks while news is queued) carries
 * all the news the MTU holds: gossip_entries bounds the heartbeat sample of
 * gossip rounds, not news, whose total cost is fixed by its retransmission
 * budget. Bounded by gossip_entries = 2 (own entry + 1 news), the news of 8
 * joins took ~70 s to drain in a 16-agent cluster at 1.2 s ticks.
 */
static void
test_news_datagram_not_bounded_by_gossip_entries(void **state)
{
	struct rumor_config cfg;
	struct fixture *fx;
	struct wire_entry batch[6], got[64];
	struct wire_msg msg;
	size_t most = 0;

	(void)state;
	rumor_config_init(&cfg);
	cfg.gossip_entries = 2;
	fx = fx_new(&cfg);
	for (int i = 0; i < 6; i++)
		batch[i] = fx_entry((uint16_t)(10000 + i), 1, 1, 0);
	assert_int_equal(fx_gossip(fx, fx_id(3001, 1), 1, batch, 6), 0);
	fx->n_sent = 0;
	fx_run(fx, cfg.t_heartbeat_ms);
	for (size_t i = 0; i < fx->n_sent; i++) {
		assert_int_equal(fx_decode_sent(fx, i, &msg, got, 64), 0);
		if (msg.n_entries > most)
			most = msg.n_entries;
	}
	/* own entry + the 7 joins (3001 and the 6 it told us of) */
	assert_int_equal(most, 8);
	fx_free(fx);
}

/*
 * Issue 12, item 7: the reconnect probe to a failed member's address carries
 * that id's tombstone; when the failure is still news (queued right before
 * the probe), the datagram listed the same member twice and every receiver
 * dropped it as malformed (EWIRE_DUPLICATE), "you were failed" included.
 */
static void
test_reconnect_tombstone_not_listed_twice(void **state)
{
	struct rumor_config cfg;
	struct fixture *fx;
	struct wire_entry peers[2] = {fx_entry(3001, 1, 1, 0),
	                              fx_entry(3003, 1, 1, 0)};
	struct wire_entry c = fx_entry(3002, 1, 1, 0);
	struct wire_entry got[64];
	struct wire_msg msg;
	bool probed = false;

	(void)state;
	rumor_config_init(&cfg);
	cfg.retransmit_mult = 16; /* the failure stays news past the probe */
	fx = fx_new(&cfg);
	fx_gossip(fx, fx_id(3004, 1), 1, peers, 2);
	fx_gossip(fx, fx_id(3004, 1), 2, &c, 1);
	/* keep the others alive until just before the reconnect tick */
	for (int t = 0; t < 19; t++) {
		peers[0].heartbeat = peers[1].heartbeat = (uint64_t)t + 2;
		fx_gossip(fx, fx_id(3004, 1), (uint64_t)t + 3, peers, 2);
		fx_run(fx, 100);
	}
	c.status = RUMOR_STATUS_FAILED; /* 3002 fails: its news is queued */
	fx_gossip(fx, fx_id(3004, 1), 30, &c, 1);
	assert_int_equal(fx_status(fx, c.id), RUMOR_STATUS_FAILED);
	fx->n_sent = 0;
	fx_run(fx, cfg.reconnect_ms / 2);
	for (size_t i = 0; i < fx->n_sent; i++) {
		assert_int_equal(fx_decode_sent(fx, i, &msg, got, 64), 0);
		probed |= fx->sent[i].to.port == 3002;
	}
	assert_true(probed); /* the probe went out and decoded */
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_member_within_bound),
	    cmocka_unit_test(test_small_mtu_respected),
	    cmocka_unit_test(test_news_datagram_not_bounded_by_gossip_entries),
	    cmocka_unit_test(test_reconnect_tombstone_not_listed_twice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
