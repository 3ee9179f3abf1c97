/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz model, records added by hand: a leave whose observers log it
 * in the same millisecond (item 4), versions of one address grouped in
 * one place (item 6), a member's newest events found however far back
 * (item 3), the path of a belief through "from" (who told whom),
 * incidents for `n`, finding members by name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "describe.h"
#include "model.h"

#define A "127.0.0.1:7001#1"
#define B "127.0.0.1:7002#1"
#define C "127.0.0.1:7003#1"
#define D "127.0.0.1:7004#1"

/* One line: ts, writer, ev, member (or ""), via, from. */
static void
add(struct viz_model *m, int64_t ts, const char *node, enum rumor_log_ev ev,
    const char *member, const char *via, const char *from)
{
	struct rumor_log_record r = {0};
	r.ts = ts;
	r.ev = ev;
	snprintf(r.node, sizeof(r.node), "%s", node);
	snprintf(r.member, sizeof(r.member), "%s", member);
	snprintf(r.via, sizeof(r.via), "%s", via);
	snprintf(r.from, sizeof(r.from), "%s", from);
	assert_int_equal(viz_model_add(m, &r), 0);
}

/* A, B, C (and D) up, each knowing the others. */
static void
group(struct viz_model *m, int n)
{
	const char *ids[] = {A, B, C, D};
	assert_int_equal(viz_model_init(m, NULL, 0), 0);
	for (int i = 0; i < n; i++)
		add(m, 0, ids[i], RUMOR_LOG_START, "", "", "");
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			if (i != j)
				add(m, 10, ids[i], RUMOR_LOG_JOIN, ids[j],
				    "gossip", "");
}

static void
test_leave_same_millisecond(void **state)
{
	(void)state;
	struct viz_model m;
	group(&m, 3);
	/* B and C log A's leave in the ms A logs it, but before in order */
	add(&m, 5000, B, RUMOR_LOG_LEAVE, A, "gossip", A);
	add(&m, 5000, C, RUMOR_LOG_LEAVE, A, "gossip", A);
	add(&m, 5000, A, RUMOR_LOG_LEFT, "", "self", "");
	assert_int_equal(viz_model_seek(&m, 5000), 0);
	assert_int_equal(viz_model_span_n(&m), 1);
	const struct viz_span *sp = viz_model_span(&m, 0);
	assert_int_equal(sp->expected, 2);
	assert_int_equal(sp->detected, 2);
	assert_int_equal(sp->first_detect, 5000);
	assert_int_equal(sp->last_detect, 5000);
	viz_model_destroy(&m);
}

/* Three versions of :7003: one place, labelled; ids not started yet take
 * no place of their own. */
static void
test_versions_share_a_place(void **state)
{
	(void)state;
	struct viz_model m;
	char buf[64];
	group(&m, 3);
	add(&m, 100, A, RUMOR_LOG_JOIN, "127.0.0.1:7003#2", "gossip", "");
	add(&m, 200, "127.0.0.1:7003#3", RUMOR_LOG_START, "", "", "");
	add(&m, 300, "127.0.0.1:7003#2", RUMOR_LOG_START, "", "", "");
	assert_int_equal(m.n_members, 5);
	assert_int_equal(m.n_slots, 3);
	int32_t v2 = viz_model_find(&m, "127.0.0.1:7003#2");
	int32_t v3 = viz_model_find(&m, "127.0.0.1:7003#3");
	assert_string_equal(viz_member_short(&m, (uint32_t)v2, buf, 64),
	                    ":7003 v2");
	assert_string_equal(viz_member_short(&m, (uint32_t)v3, buf, 64),
	                    ":7003 v3");
	int32_t c = viz_model_find(&m, C);
	uint32_t k = m.members[c].slot;
	assert_int_equal(m.members[v2].slot, k);
	assert_int_equal(m.members[v3].slot, k);
	/* the place shows the newest version started by then */
	assert_int_equal(viz_model_seek(&m, 100), 0);
	assert_int_equal(viz_model_slot_member(&m, k), (uint32_t)c);
	assert_int_equal(viz_model_seek(&m, 250), 0);
	assert_int_equal(viz_model_slot_member(&m, k), (uint32_t)v3);
	viz_model_destroy(&m);
}

/* Item 3: the panel's history of a member whose last event is 300,000
 * events back. */
static void
test_member_events_far_back(void **state)
{
	(void)state;
	struct viz_model m;
	const struct viz_event *ev[8];
	group(&m, 3);
	add(&m, 20, A, RUMOR_LOG_SUSPECT, C, "timeout", "");
	for (int i = 0; i < 150000; i++) {
		add(&m, 30 + i, A, RUMOR_LOG_ALIVE, B, "gossip", "");
		add(&m, 30 + i, B, RUMOR_LOG_SUSPECT, A, "gossip", "");
	}
	assert_int_equal(viz_model_seek(&m, 200000), 0);
	int32_t c = viz_model_find(&m, C);
	size_t n = viz_model_member_events(&m, (uint32_t)c, m.cur.next, ev, 8);
	assert_true(n >= 1);
	assert_int_equal(ev[0]->ev, RUMOR_LOG_SUSPECT); /* newest first */
	assert_int_equal(ev[0]->ts, 20);
	viz_model_destroy(&m);
}

/* Who told whom: D's detector failed C; B heard it from D, A from B. */
static void
test_belief_path(void **state)
{
	(void)state;
	struct viz_model m;
	struct viz_hop hops[8];
	char text[512];
	group(&m, 4);
	add(&m, 1000, D, RUMOR_LOG_FAIL, C, "timeout", "");
	add(&m, 1100, B, RUMOR_LOG_FAIL, C, "gossip", D);
	add(&m, 1250, A, RUMOR_LOG_FAIL, C, "gossip", B);
	int32_t a = viz_model_find(&m, A), c = viz_model_find(&m, C);
	size_t n =
	    viz_model_belief_path(&m, 2000, (uint32_t)a, (uint32_t)c, hops, 8);
	assert_int_equal(n, 3);
	assert_int_equal(hops[0].e->ts, 1250);
	assert_int_equal(hops[1].e->ts, 1100);
	assert_int_equal(hops[2].e->ts, 1000);
	assert_int_equal(hops[2].e->node, viz_model_find(&m, D));
	viz_path_text(&m, hops, n, (uint32_t)c, text, sizeof(text));
	assert_string_equal(
	    text, ":7001 believes :7003 failed since 1.250 s, told by :7002 "
	          "(gossip); :7002 had it at 1.100 s, told by :7004 (gossip); "
	          ":7004 had it at 1.000 s, its own detector (timeout)");
	/* before A heard it: A's belief is its join */
	n = viz_model_belief_path(&m, 1200, (uint32_t)a, (uint32_t)c, hops, 8);
	assert_int_equal(n, 1);
	assert_int_equal(hops[0].e->ev, RUMOR_LOG_JOIN);
	viz_model_destroy(&m);
}

static void
test_skewed_teller(void **state)
{
	(void)state;
	struct viz_model m;
	struct viz_hop hops[8];
	group(&m, 3);
	add(&m, 1000, A, RUMOR_LOG_SUSPECT, C, "gossip", B);
	add(&m, 1400, B, RUMOR_LOG_SUSPECT, C, "timeout", "");
	int32_t a = viz_model_find(&m, A), c = viz_model_find(&m, C);
	size_t n =
	    viz_model_belief_path(&m, 2000, (uint32_t)a, (uint32_t)c, hops, 8);
	assert_int_equal(n, 2);
	assert_true(hops[0].skew);
	assert_int_equal(hops[1].e->ts, 1400);
	viz_model_destroy(&m);
}

static void
test_incidents_and_names(void **state)
{
	(void)state;
	struct viz_model m;
	struct viz_incident in;
	group(&m, 4);
	add(&m, 1000, "sim", RUMOR_LOG_CRASH, C, "", "");
	add(&m, 1000, "sim", RUMOR_LOG_RESTART, "127.0.0.1:7003#2", "", "");
	add(&m, 1200, A, RUMOR_LOG_SUSPECT, C, "timeout", "");
	add(&m, 1300, A, RUMOR_LOG_FAIL, C, "timeout", "");
	add(&m, 2000, D, RUMOR_LOG_LEFT, "", "self", "");
	add(&m, 3000, A, RUMOR_LOG_STOP, "", "", "");
	assert_int_equal(viz_model_seek(&m, 0), 0);
	assert_true(viz_model_step_incident(&m, 0, 1, &in));
	assert_int_equal(in.ts, 1000);
	assert_string_equal(in.what, "restart");
	/* the suspicion and failure in between are not incidents */
	assert_true(viz_model_step_incident(&m, 1000, 1, &in));
	assert_int_equal(in.ts, 2000);
	assert_string_equal(in.what, "leave");
	assert_int_equal(in.member, viz_model_find(&m, D));
	assert_false(viz_model_step_incident(&m, 2000, 1, &in));
	assert_true(viz_model_step_incident(&m, 2000, -1, &in));
	assert_int_equal(in.ts, 1000);
	int32_t other;
	assert_int_equal(viz_model_match(&m, ":7004", &other),
	                 viz_model_find(&m, D));
	assert_int_equal(viz_model_match(&m, ":7003", &other), -2);
	assert_int_equal(viz_model_match(&m, "nope", &other), -1);
	viz_model_destroy(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_leave_same_millisecond),
	    cmocka_unit_test(test_versions_share_a_place),
	    cmocka_unit_test(test_member_events_far_back),
	    cmocka_unit_test(test_belief_path),
	    cmocka_unit_test(test_skewed_teller),
	    cmocka_unit_test(test_incidents_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
