/* SPDX-License-Identifier: MIT */
/*
 * The simulator's own machinery, without any core: the event heap, the
 * network model (loss rate, delay bounds, partitions) and the parsers of
 * `rumor sim` arguments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "rumor/sim.h"

#include "heap.h"
#include "net.h"
#include "rumor/rng.h"

/* ---- heap ---- */

static void
test_heap_orders_by_time_then_insertion(void **state)
{
	struct sim_heap h;
	struct sim_event ev = {0}, out;
	struct rumor_rng r;
	uint64_t last_at = 0, last_seq = 0;
	int n = 0;

	(void)state;
	rumor__sim_heap_init(&h);
	rumor_rng_seed(&r, 7);
	for (uint32_t i = 0; i < 5000; i++) {
		ev.at_ms = rumor_rng_below(&r, 100); /* many ties */
		ev.member = i;
		assert_int_equal(rumor__sim_heap_push(&h, &ev), 0);
	}
	while (rumor__sim_heap_pop(&h, &out)) {
		if (n++) {
			assert_true(out.at_ms >= last_at);
			if (out.at_ms == last_at)
				assert_true(out.seq > last_seq);
		}
		/* seq is the push order, and member was set to it */
		assert_int_equal(out.seq, out.member);
		last_at = out.at_ms;
		last_seq = out.seq;
	}
	assert_int_equal(n, 5000);
	assert_null(rumor__sim_heap_peek(&h));
	rumor__sim_heap_destroy(&h);
}

static void
test_heap_interleaved_push_pop(void **state)
{
	struct sim_heap h;
	struct sim_event ev = {0}, out;

	(void)state;
	rumor__sim_heap_init(&h);
	ev.at_ms = 10;
	rumor__sim_heap_push(&h, &ev);
	ev.at_ms = 5;
	rumor__sim_heap_push(&h, &ev);
	assert_int_equal(rumor__sim_heap_peek(&h)->at_ms, 5);
	assert_int_equal(rumor__sim_heap_pop(&h, &out), 1);
	assert_int_equal(out.at_ms, 5);
	ev.at_ms = 10; /* same time as the first: pops after it */
	ev.member = 99;
	rumor__sim_heap_push(&h, &ev);
	rumor__sim_heap_pop(&h, &out);
	assert_int_equal(out.member, 0);
	rumor__sim_heap_pop(&h, &out);
	assert_int_equal(out.member, 99);
	assert_int_equal(rumor__sim_heap_pop(&h, &out), 0);
	rumor__sim_heap_destroy(&h);
}

/* ---- rng ---- */

static void
test_rng_streams(void **state)
{
	struct rumor_rng a, b, c;
	int differ = 0;

	(void)state;
	rumor_rng_seed(&a, 42);
	rumor_rng_seed(&b, 42);
	rumor_rng_seed(&c, 43);
	for (int i = 0; i < 1000; i++) {
		uint64_t x = rumor_rng_next(&a);

		assert_int_equal(x, rumor_rng_next(&b));
		differ += x != rumor_rng_next(&c);
		double d = rumor_rng_unit(&a);

		rumor_rng_unit(&b);
		rumor_rng_unit(&c);
		assert_true(d >= 0 && d < 1);
	}
	assert_true(differ > 990);
	/* the seed mixer spreads neighbouring member indices */
	assert_int_not_equal(rumor_mix64(1 ^ 0), rumor_mix64(1 ^ 1));
}

/* ---- network model ---- */

static void
test_net_loss_rate(void **state)
{
	const double rates[] = {0, 0.1, 0.3, 1};
	const int n = 200000;

	(void)state;
	for (size_t k = 0; k < sizeof(rates) / sizeof(rates[0]); k++) {
		struct sim_net net;
		struct rumor_rng rng;
		int lost = 0;
		uint32_t delay;

		rumor_rng_seed(&rng, 9 + k);
		assert_int_equal(rumor__sim_net_init(&net, 4, rates[k], 1, 10),
		                 0);
		for (int i = 0; i < n; i++)
			lost +=
			    rumor__sim_net_route(&net, &rng, (uint32_t)i % 4,
			                         (uint32_t)(i + 1) % 4,
			                         &delay) == SIM_NET_LOST;
		/* binomial sd <= sqrt(n/4) = 224, i.e. 0.11%; allow ~5 sd */
		double rate = (double)lost / n;

		if (rate < rates[k] - 0.006 || rate > rates[k] + 0.006)
			fail_msg("loss %.2f: measured %.4f over %d datagrams",
			         rates[k], rate, n);
		rumor__sim_net_destroy(&net);
	}
}

static void
test_net_delay_bounds(void **state)
{
	struct sim_net net;
	struct rumor_rng rng;
	int seen[21] = {0};
	uint32_t d;

	(void)state;
	rumor_rng_seed(&rng, 5);
	assert_int_equal(rumor__sim_net_init(&net, 2, 0, 5, 20), 0);
	for (int i = 0; i < 100000; i++) {
		assert_int_equal(rumor__sim_net_route(&net, &rng, 0, 1, &d),
		                 SIM_NET_DELIVER);
		if (d < 5 || d > 20)
			fail_msg("delay %u outside 5..20", d);
		seen[d]++;
	}
	/* every value, both ends included, roughly uniform (6250 each) */
	for (int v = 5; v <= 20; v++)
		if (seen[v] < 5500 || seen[v] > 7000)
			fail_msg("delay %d seen %d times of 100000", v,
			         seen[v]);
	rumor__sim_net_destroy(&net);

	/* a fixed delay */
	assert_int_equal(rumor__sim_net_init(&net, 2, 0, 7, 7), 0);
	for (int i = 0; i < 1000; i++) {
		rumor__sim_net_route(&net, &rng, 1, 0, &d);
		assert_int_equal(d, 7);
	}
	rumor__sim_net_destroy(&net);
}

static void
test_net_partition_symmetric_and_healed(void **state)
{
	struct sim_net net;
	struct rumor_rng rng;
	uint32_t d;

	(void)state;
	rumor_rng_seed(&rng, 1);
	assert_int_equal(rumor__sim_net_init(&net, 10, 0, 1, 1), 0);
	rumor__sim_net_partition(&net, 3, 5);
	rumor__sim_net_partition(&net, 8, 9);
	for (uint32_t a = 0; a < 10; a++) {
		for (uint32_t b = 0; b < 10; b++) {
			int side_a = a >= 3 && a <= 5 ? 1 : a >= 8 ? 2 : 0;
			int side_b = b >= 3 && b <= 5 ? 1 : b >= 8 ? 2 : 0;
			enum sim_verdict v =
			    rumor__sim_net_route(&net, &rng, a, b, &d);

			assert_int_equal(rumor__sim_net_is_cut(&net, a, b),
			                 rumor__sim_net_is_cut(&net, b, a));
			assert_int_equal(v == SIM_NET_CUT, side_a != side_b);
		}
	}
	rumor__sim_net_heal(&net);
	for (uint32_t a = 0; a < 10; a++)
		for (uint32_t b = 0; b < 10; b++)
			assert_int_equal(
			    rumor__sim_net_route(&net, &rng, a, b, &d),
			    SIM_NET_DELIVER);
	rumor__sim_net_destroy(&net);
}

static void
test_net_same_seed_same_fates(void **state)
{
	struct sim_net net;
	struct rumor_rng a, b, c;
	uint32_t da = 0, db = 0, dc = 0;
	int differ = 0;

	(void)state;
	rumor__sim_net_init(&net, 3, 0.2, 1, 50);
	rumor_rng_seed(&a, 11);
	rumor_rng_seed(&b, 11);
	rumor_rng_seed(&c, 12);
	for (int i = 0; i < 1000; i++) {
		enum sim_verdict va = rumor__sim_net_route(&net, &a, 0, 1, &da);
		enum sim_verdict vb = rumor__sim_net_route(&net, &b, 0, 1, &db);
		enum sim_verdict vc = rumor__sim_net_route(&net, &c, 0, 1, &dc);

		assert_int_equal(va, vb);
		if (va == SIM_NET_DELIVER)
			assert_int_equal(da, db);
		differ += va != vc || (va == SIM_NET_DELIVER && da != dc);
	}
	assert_true(differ > 100);
	rumor__sim_net_destroy(&net);
}

/* ---- parsers ---- */

static void
test_parse_time(void **state)
{
	static const struct {
		const char *text;
		uint64_t ms;
	} good[] = {
	    {"30s", 30000},   {"500ms", 500},   {"1.5s", 1500}, {"2m", 120000},
	    {"1h", 3600000},  {"0s", 0},        {"1.1s", 1100}, {"0.001s", 1},
	    {"2min", 120000}, {"1.25m", 75000},
	};
	static const char *const bad[] = {
	    "",
	    "30",
	    "s",
	    "1.5",
	    "1.0005s",
	    "-1s",
	    "1 s",
	    "1.s",
	    "30sec",
	    "1e3ms",
	    "99999999999999999999s",
	    "1000000000001ms",
	    ".5s",
	    "0.5ms",
	};
	uint64_t ms;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (rumor_sim_parse_time(good[i].text, &ms))
			fail_msg("'%s' rejected", good[i].text);
		assert_int_equal(ms, good[i].ms);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!rumor_sim_parse_time(bad[i], &ms))
			fail_msg("'%s' accepted as %llu ms", bad[i],
			         (unsigned long long)ms);
	assert_int_equal(rumor_sim_parse_time(NULL, &ms), RUMOR_EINVAL);
	/* bare numbers are ms only where asked for */
	assert_int_equal(rumor_sim_parse_ms("200", &ms), 0);
	assert_int_equal(ms, 200);
	assert_int_equal(rumor_sim_parse_ms("1.5s", &ms), 0);
	assert_int_equal(ms, 1500);
	assert_int_equal(rumor_sim_parse_ms("1.5", &ms), RUMOR_EINVAL);
}

static void
test_parse_prob_delay_uint(void **state)
{
	double p;
	uint32_t lo, hi;
	uint64_t u;

	(void)state;
	assert_int_equal(rumor_sim_parse_prob("0.1", &p), 0);
	assert_true(p == 0.1);
	assert_int_equal(rumor_sim_parse_prob("10%", &p), 0);
	assert_true(p > 0.0999 && p < 0.1001);
	assert_int_equal(rumor_sim_parse_prob("1", &p), 0);
	assert_int_equal(rumor_sim_parse_prob("0", &p), 0);
	assert_int_equal(rumor_sim_parse_prob("1.01", &p), RUMOR_EINVAL);
	assert_int_equal(rumor_sim_parse_prob("-0.1", &p), RUMOR_EINVAL);
	assert_int_equal(rumor_sim_parse_prob("nan", &p), RUMOR_EINVAL);
	assert_int_equal(rumor_sim_parse_prob("0.1x", &p), RUMOR_EINVAL);
	assert_int_equal(rumor_sim_parse_prob("", &p), RUMOR_EINVAL);

	assert_int_equal(rumor_sim_parse_delay("5..20", &lo, &hi), 0);
	assert_int_equal(lo, 5);
	assert_int_equal(hi, 20);
	assert_int_equal(rumor_sim_parse_delay("7", &lo, &hi), 0);
	assert_true(lo == 7 && hi == 7);
	assert_int_equal(rumor_sim_parse_delay("1ms..1s", &lo, &hi), 0);
	assert_true(lo == 1 && hi == 1000);
	assert_int_equal(rumor_sim_parse_delay("20..5", &lo, &hi),
	                 RUMOR_EINVAL);
	assert_int_equal(rumor_sim_parse_delay("5..", &lo, &hi), RUMOR_EINVAL);
	assert_int_equal(rumor_sim_parse_delay("..5", &lo, &hi), RUMOR_EINVAL);
	assert_int_equal(rumor_sim_parse_delay("0..60001", &lo, &hi),
	                 RUMOR_EINVAL);

	assert_int_equal(rumor_sim_parse_uint("0x10", 100, &u), 0);
	assert_int_equal(u, 16);
	assert_int_equal(rumor_sim_parse_uint("101", 100, &u), RUMOR_EINVAL);
	/* a leading zero is still decimal (strtoull base 0 read it as
	 * octal: --nodes 010 ran 8 members, --nodes 018 was refused) */
	assert_int_equal(rumor_sim_parse_uint("010", 100, &u), 0);
	assert_int_equal(u, 10);
	assert_int_equal(rumor_sim_parse_uint("018", 100, &u), 0);
	assert_int_equal(u, 18);
	assert_int_equal(rumor_sim_parse_uint("0x", 100, &u), RUMOR_EINVAL);
	assert_int_equal(rumor_sim_parse_uint("0x0x1", 100, &u), RUMOR_EINVAL);
	assert_int_equal(rumor_sim_parse_uint("0x-1", 100, &u), RUMOR_EINVAL);
	assert_int_equal(rumor_sim_parse_uint("-1", 100, &u), RUMOR_EINVAL);
	assert_int_equal(
	    rumor_sim_parse_uint("18446744073709551615", UINT64_MAX, &u), 0);
	assert_int_equal(
	    rumor_sim_parse_uint("18446744073709551616", UINT64_MAX, &u),
	    RUMOR_EINVAL);
}

static void
test_parse_action(void **state)
{
	struct rumor_sim_action a;

	(void)state;
	assert_int_equal(rumor_sim_parse_action(RUMOR_SIM_CRASH, "7@30s", &a),
	                 0);
	assert_true(a.kind == RUMOR_SIM_CRASH && a.first == 7 && a.last == 7 &&
	            a.at_ms == 30000);
	assert_int_equal(
	    rumor_sim_parse_action(RUMOR_SIM_PARTITION, "3-9@1.5s", &a), 0);
	assert_true(a.first == 3 && a.last == 9 && a.at_ms == 1500);
	assert_int_equal(rumor_sim_parse_action(RUMOR_SIM_HEAL, "@2m", &a), 0);
	assert_int_equal(a.at_ms, 120000);
	assert_int_equal(rumor_sim_parse_action(RUMOR_SIM_HEAL, "40s", &a), 0);
	assert_int_equal(a.at_ms, 40000);

	static const char *const bad[] = {
	    "7",     "@30s",  "7@",       "7@30",     "x@30s",  "9-3@1s",
	    "3-@1s", "-3@1s", "7@30s@1s", "60001@1s", "7 @30s",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!rumor_sim_parse_action(RUMOR_SIM_CRASH, bad[i], &a))
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(rumor_sim_parse_action(RUMOR_SIM_HEAL, "3@1s", &a),
	                 RUMOR_EINVAL);
	assert_int_equal(
	    rumor_sim_parse_action(RUMOR_SIM_ACTION_MAX, "3@1s", &a),
	    RUMOR_EINVAL);
	assert_string_equal(rumor_sim_action_name(RUMOR_SIM_RESTART),
	                    "restart");
	assert_string_equal(rumor_sim_action_name(RUMOR_SIM_ACTION_MAX), "?");
}

/* ---- sick members: arguments, sets, the network's view ---- */

static void
test_parse_fault(void **state)
{
	struct rumor_sim_fault f;
	const char *why;

	(void)state;
	assert_int_equal(
	    rumor_sim_parse_fault(RUMOR_SIM_DEAF, "3@10s+5s", &f, &why), 0);
	assert_true(f.kind == RUMOR_SIM_DEAF && f.a.n == 1 &&
	            f.a.members[0] == 3 && f.at_ms == 10000 &&
	            f.for_ms == 5000 && rumor_sim_fault_end(&f) == 15000);
	rumor_sim_fault_clear(&f);
	assert_int_equal(
	    rumor_sim_parse_fault(RUMOR_SIM_MUTE, "3,7,10-12@1s+2s", &f, &why),
	    0);
	assert_true(f.a.n == 5 && f.a.members[1] == 7 && f.a.members[4] == 12);
	rumor_sim_fault_clear(&f);
	assert_int_equal(
	    rumor_sim_parse_fault(RUMOR_SIM_DEAF, "10%@10s+15s", &f, &why), 0);
	assert_true(f.a.n == 0 && f.a.share > 0.099 && f.a.share < 0.101);
	rumor_sim_fault_clear(&f);
	assert_int_equal(
	    rumor_sim_parse_fault(RUMOR_SIM_ONEWAY, "0-4>*@1s+1s", &f, &why),
	    0);
	assert_true(f.a.n == 5 && f.b.rest);
	rumor_sim_fault_clear(&f);
	assert_int_equal(
	    rumor_sim_parse_fault(RUMOR_SIM_CUT, "3/5@1s+1s", &f, &why), 0);
	assert_true(f.a.members[0] == 3 && f.b.members[0] == 5);
	rumor_sim_fault_clear(&f);
	assert_int_equal(
	    rumor_sim_parse_fault(RUMOR_SIM_SLOW, "3:200ms@10s+5s", &f, &why),
	    0);
	assert_int_equal(f.ms, 200);
	rumor_sim_fault_clear(&f);
	assert_int_equal(rumor_sim_parse_fault(RUMOR_SIM_DELAY,
	                                       "3:50ms~20@10s+5s", &f, &why),
	                 0);
	assert_true(f.ms == 50 && f.jitter_ms == 20);
	rumor_sim_fault_clear(&f);
	assert_int_equal(rumor_sim_parse_fault(RUMOR_SIM_PAUSE,
	                                       "3@10s+300ms/1s*10", &f, &why),
	                 0);
	assert_true(f.for_ms == 300 && f.period_ms == 1000 && f.count == 10 &&
	            rumor_sim_fault_end(&f) == 19300);
	rumor_sim_fault_clear(&f);

	static const struct {
		enum rumor_sim_fault_kind kind;
		const char *text;
	} bad[] = {
	    {RUMOR_SIM_DEAF, "3@10s"},           /* no duration */
	    {RUMOR_SIM_DEAF, "3@10s+0s"},        /* empty */
	    {RUMOR_SIM_DEAF, "3@10+5s"},         /* no unit */
	    {RUMOR_SIM_DEAF, "*@10s+5s"},        /* * only as b */
	    {RUMOR_SIM_DEAF, "0%@10s+5s"},       /* nobody */
	    {RUMOR_SIM_DEAF, "3,,4@1s+1s"},      /* empty item */
	    {RUMOR_SIM_DEAF, "5-3@1s+1s"},       /* backwards */
	    {RUMOR_SIM_DEAF, "3:5ms@1s+1s"},     /* no parameter */
	    {RUMOR_SIM_DEAF, "3@1s+1s/2s*3"},    /* bursts: pause only */
	    {RUMOR_SIM_ONEWAY, "3@1s+1s"},       /* one set */
	    {RUMOR_SIM_ONEWAY, "3>@1s+1s"},      /* empty b */
	    {RUMOR_SIM_CUT, "3>5@1s+1s"},        /* wrong separator */
	    {RUMOR_SIM_SLOW, "3@1s+1s"},         /* no lateness */
	    {RUMOR_SIM_SLOW, "3:0@1s+1s"},       /* zero */
	    {RUMOR_SIM_SLOW, "3:5ms~2ms@1s+1s"}, /* jitter: delay only */
	    {RUMOR_SIM_PAUSE, "3@1s+1s/1s*3"},   /* period not above D */
	    {RUMOR_SIM_PAUSE, "3@1s+1s/2s*0"},   /* no burst */
	    {RUMOR_SIM_PAUSE, "3@1s+1s/2s"},     /* no count */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!rumor_sim_parse_fault(bad[i].kind, bad[i].text, &f, &why))
			fail_msg("'%s' accepted", bad[i].text);
		assert_non_null(why);
		rumor_sim_fault_clear(&f);
	}
	assert_string_equal(rumor_sim_fault_name(RUMOR_SIM_ONEWAY), "oneway");
	assert_string_equal(rumor_sim_fault_name(RUMOR_SIM_FAULT_MAX), "?");
}

static void
test_fault_sets(void **state)
{
	struct rumor_sim_set ten = {.share = 0.1}, rest = {.rest = 1};
	uint32_t three[] = {3};
	struct rumor_sim_set one = {.members = three, .n = 1};
	uint8_t out[200];
	size_t n = 0;

	(void)state;
	assert_int_equal(rumor_sim_set_resolve(&ten, NULL, 200, out), 0);
	for (size_t i = 0; i < 200; i++)
		n += out[i];
	assert_int_equal(n, 20); /* evenly spaced: 5, 15, ..., 195 */
	assert_true(out[5] && out[15] && out[195] && !out[0] && !out[10]);
	assert_int_equal(rumor_sim_set_resolve(&rest, &one, 16, out), 0);
	assert_true(!out[3] && out[0] && out[15]);
	assert_int_equal(rumor_sim_set_resolve(&one, NULL, 3, out),
	                 RUMOR_EINVAL); /* member 3 of 3 */
	assert_int_equal(rumor_sim_set_resolve(&rest, NULL, 16, out),
	                 RUMOR_EINVAL);
}

/* Deaf/mute/link faults as the network sees them. */
static void
test_net_faults(void **state)
{
	struct sim_net net;
	struct rumor_rng rng;
	uint32_t delay;
	uint8_t side[4] = {1, 2, 0, 0}; /* 0 -> 1 */

	(void)state;
	rumor_rng_seed(&rng, 5);
	assert_int_equal(rumor__sim_net_init(&net, 4, 0, 1, 1), 0);
	net.sick[2].mute = 1;
	assert_int_equal(rumor__sim_net_route(&net, &rng, 2, 0, &delay),
	                 SIM_NET_FAULT);
	assert_int_equal(rumor__sim_net_route(&net, &rng, 0, 2, &delay),
	                 SIM_NET_DELIVER);
	net.sick[2].mute = 0;
	net.links = &(struct sim_link){.side = side};
	net.n_links = 1;
	assert_int_equal(rumor__sim_net_route(&net, &rng, 0, 1, &delay),
	                 SIM_NET_FAULT);
	assert_int_equal(rumor__sim_net_route(&net, &rng, 1, 0, &delay),
	                 SIM_NET_DELIVER); /* one way only */
	net.links->both = 1;
	assert_int_equal(rumor__sim_net_route(&net, &rng, 1, 0, &delay),
	                 SIM_NET_FAULT);
	assert_true(rumor__sim_net_stream_cut(&net, 0, 1));
	assert_false(rumor__sim_net_stream_cut(&net, 0, 2));
	net.links = NULL;
	net.n_links = 0;
	net.sick[3].slow_ms = 200;
	net.sick[3].delay_ms = 50;
	net.sick[3].jitter_ms = 20;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(rumor__sim_net_route(&net, &rng, 0, 3, &delay),
		                 SIM_NET_DELIVER);
		assert_true(delay >= 1 + 30 + 200 && delay <= 1 + 70 + 200);
	}
	rumor__sim_net_destroy(&net);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_heap_orders_by_time_then_insertion),
	    cmocka_unit_test(test_heap_interleaved_push_pop),
	    cmocka_unit_test(test_rng_streams),
	    cmocka_unit_test(test_net_loss_rate),
	    cmocka_unit_test(test_net_delay_bounds),
	    cmocka_unit_test(test_net_partition_symmetric_and_healed),
	    cmocka_unit_test(test_net_same_seed_same_fates),
	    cmocka_unit_test(test_parse_time),
	    cmocka_unit_test(test_parse_prob_delay_uint),
	    cmocka_unit_test(test_parse_action),
	    cmocka_unit_test(test_parse_fault),
	    cmocka_unit_test(test_fault_sets),
	    cmocka_unit_test(test_net_faults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
