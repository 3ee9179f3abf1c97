/* SPDX-License-Identifier: MIT */
/*
 * The merge rules and the detector, one rule per test, with explicit
 * now_ms: the table in src/core/merge.c, read from top to bottom.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

enum {
	ALIVE = RUMOR_STATUS_ALIVE,
	SUSPECT = RUMOR_STATUS_SUSPECT,
	FAILED = RUMOR_STATUS_FAILED,
	LEFT = RUMOR_STATUS_LEFT
};

static struct fixture *
setup(void)
{
	struct rumor_config cfg;

	rumor_config_init(&cfg);
	cfg.monitors = 0; /* one T_suspect for all: exact timings */
	return fx_new(&cfg);
}

/* B = 127.0.0.1:3001#1 joins the fixture's list by gossiping itself. */
static const uint16_t B = 3001;

static void
test_unknown_alive_joins(void **state)
{
	struct fixture *fx = setup();

	(void)state;
	assert_int_equal(fx_gossip(fx, fx_id(B, 1), 5, NULL, 0), 0);
	assert_int_equal(fx_status(fx, fx_id(B, 1)), ALIVE);
	assert_int_equal(fx_count(fx, RUMOR_EV_JOIN, fx_id(B, 1)), 1);
	assert_int_equal(
	    fx->events[fx_last(fx, RUMOR_EV_JOIN, fx_id(B, 1))].via,
	    RUMOR_VIA_GOSSIP);
	/* hearing it again is no new join */
	fx_gossip(fx, fx_id(B, 1), 6, NULL, 0);
	assert_int_equal(fx_count(fx, RUMOR_EV_JOIN, fx_id(B, 1)), 1);
	assert_int_equal(fx_heartbeat(fx, fx_id(B, 1)), 6);
	fx_free(fx);
}

static void
test_unknown_dead_is_tombstone_only(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry dead = fx_entry(3005, 9, 1, FAILED);

	(void)state;
	fx_gossip(fx, fx_id(B, 1), 1, &dead, 1);
	assert_int_equal(fx_status(fx, fx_id(3005, 9)), -1);
	assert_int_equal(fx->n_events, 2); /* joined (bootstrap), join B */
	/* stale gossip of that id alive, or older, resurrects nothing */
	struct wire_entry stale[] = {fx_entry(3005, 9, 100, ALIVE),
	                             fx_entry(3005, 8, 100, ALIVE)};
	fx_gossip(fx, fx_id(B, 1), 2, stale, 2);
	assert_int_equal(fx_status(fx, fx_id(3005, 9)), -1);
	assert_int_equal(fx_status(fx, fx_id(3005, 8)), -1);
	assert_int_equal(fx_count(fx, RUMOR_EV_JOIN, fx_id(3005, 9)), 0);
	/* a newer version is a new member */
	struct wire_entry fresh = fx_entry(3005, 10, 1, ALIVE);
	fx_gossip(fx, fx_id(B, 1), 3, &fresh, 1);
	assert_int_equal(fx_status(fx, fx_id(3005, 10)), ALIVE);
	fx_free(fx);
}

static void
test_fail_is_final_leave_wins(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry c = fx_entry(3002, 1, 10, ALIVE);

	(void)state;
	fx_gossip(fx, fx_id(B, 1), 1, &c, 1);
	c.status = FAILED;
	fx_gossip(fx, fx_id(B, 1), 2, &c, 1);
	assert_int_equal(fx_status(fx, c.id), FAILED);
	/* a higher heartbeat does not bring a failed id back */
	c = fx_entry(3002, 1, 50, ALIVE);
	fx_gossip(fx, fx_id(B, 1), 3, &c, 1);
	assert_int_equal(fx_status(fx, c.id), FAILED);
	/* but news that it left wins over the fail, once */
	c.status = LEFT;
	fx_gossip(fx, fx_id(B, 1), 4, &c, 1);
	fx_gossip(fx, fx_id(B, 1), 5, &c, 1);
	assert_int_equal(fx_status(fx, c.id), LEFT);
	assert_int_equal(fx_count(fx, RUMOR_EV_FAIL, c.id), 1);
	assert_int_equal(fx_count(fx, RUMOR_EV_LEAVE, c.id), 1);
	/* and after a leave, a fail changes nothing */
	c.status = FAILED;
	fx_gossip(fx, fx_id(B, 1), 6, &c, 1);
	assert_int_equal(fx_status(fx, c.id), LEFT);
	assert_int_equal(fx_count(fx, RUMOR_EV_FAIL, c.id), 1);
	fx_free(fx);
}

static void
test_leave_before_fail(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry c = fx_entry(3002, 1, 10, LEFT);

	(void)state;
	fx_gossip(fx, fx_id(B, 1), 1, NULL, 0);
	c.status = ALIVE;
	fx_gossip(fx, fx_id(B, 1), 2, &c, 1);
	c.status = LEFT;
	fx_gossip(fx, fx_id(B, 1), 3, &c, 1);
	c.status = FAILED;
	fx_gossip(fx, fx_id(B, 1), 4, &c, 1);
	assert_int_equal(fx_status(fx, c.id), LEFT);
	assert_int_equal(fx_count(fx, RUMOR_EV_FAIL, c.id), 0);
	/* its own timer never fails a left member either */
	fx_run(fx, 4000);
	assert_int_equal(fx_count(fx, RUMOR_EV_FAIL, c.id), 0);
	fx_free(fx);
}

static void
test_newer_version_supersedes_once(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry v1 = fx_entry(3002, 1, 10, ALIVE);
	struct wire_entry v2 = fx_entry(3002, 2, 1, ALIVE);

	(void)state;
	fx_gossip(fx, fx_id(B, 1), 1, &v1, 1);
	fx_gossip(fx, fx_id(B, 1), 2, &v2, 1);
	assert_int_equal(fx_status(fx, v1.id), FAILED);
	assert_int_equal(fx_status(fx, v2.id), ALIVE);
	int i = fx_last(fx, RUMOR_EV_FAIL, v1.id);
	assert_true(i >= 0);
	assert_int_equal(fx->events[i].via, RUMOR_VIA_SUPERSEDED);
	/* stale news of the old one: no second fail, no return */
	v1.heartbeat = 99;
	fx_gossip(fx, fx_id(B, 1), 3, &v1, 1);
	v1.status = FAILED;
	fx_gossip(fx, fx_id(B, 1), 4, &v1, 1);
	assert_int_equal(fx_count(fx, RUMOR_EV_FAIL, v1.id), 1);
	/* removed after T_cleanup, and still never back */
	fx_run(fx, fx->cfg.t_cleanup_ms + 10);
	assert_int_equal(fx_status(fx, v1.id), -1);
	assert_int_equal(fx_count(fx, RUMOR_EV_REMOVE, v1.id), 1);
	v1.status = ALIVE;
	fx_gossip(fx, v2.id, 2, &v1, 1);
	assert_int_equal(fx_status(fx, v1.id), -1);
	assert_int_equal(fx_count(fx, RUMOR_EV_JOIN, v1.id), 1);
	fx_free(fx);
}

/* An accusation of entry e by the member on port, at heartbeat hb. */
static void
accuse(struct wire_entry *e, uint16_t port, uint64_t hb)
{
	e->acc[e->n_acc++] = (struct wire_accusation){.accuser = fx_id(port, 1),
	                                              .heartbeat = hb,
	                                              .flags = WIRE_ACC_TIGHT};
}

static void
test_suspicion_adopted_and_refuted(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry c = fx_entry(3002, 1, 10, ALIVE);
	uint64_t slack = 5; /* T_suspect / (2 T_heartbeat) at the defaults */

	(void)state;
	fx_gossip(fx, fx_id(B, 1), 1, &c, 1);
	c.status = SUSPECT; /* same heartbeat: adopted */
	accuse(&c, B, 10);
	fx_gossip(fx, fx_id(B, 1), 2, &c, 1);
	assert_int_equal(fx_status(fx, c.id), SUSPECT);
	assert_int_equal(fx_count(fx, RUMOR_EV_SUSPECT, c.id), 1);
	c.status = ALIVE; /* same heartbeat alive: not a refutation */
	c.n_acc = 0;
	fx_gossip(fx, fx_id(B, 1), 3, &c, 1);
	assert_int_equal(fx_status(fx, c.id), SUSPECT);
	/* a heartbeat within the slack of the accusation's: the member may
	 * have died just after the accuser's last news of it */
	c.heartbeat = 10 + slack;
	fx_gossip(fx, fx_id(B, 1), 4, &c, 1);
	assert_int_equal(fx_status(fx, c.id), SUSPECT);
	c.heartbeat = 10 + slack + 1; /* past it: alive after the accusation */
	fx_gossip(fx, fx_id(B, 1), 5, &c, 1);
	assert_int_equal(fx_status(fx, c.id), ALIVE);
	assert_int_equal(fx_count(fx, RUMOR_EV_ALIVE, c.id), 1);
	fx_free(fx);
}

/* A suspect entry with no accusation (no accuser to count) changes nothing. */
static void
test_suspicion_without_accuser_ignored(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry c = fx_entry(3002, 1, 10, ALIVE);

	(void)state;
	fx_gossip(fx, fx_id(B, 1), 1, &c, 1);
	c.status = SUSPECT;
	fx_gossip(fx, fx_id(B, 1), 2, &c, 1);
	assert_int_equal(fx_status(fx, c.id), ALIVE);
	assert_int_equal(fx_count(fx, RUMOR_EV_SUSPECT, c.id), 0);
	fx_free(fx);
}

static bool
answered_with(const struct fixture *fx, uint16_t to, uint16_t member,
              uint64_t hb)
{
	struct wire_entry got[64];
	struct wire_msg msg;
	bool answered = false;

	for (size_t i = 0; i < fx->n_sent; i++) {
		assert_int_equal(fx_decode_sent(fx, i, &msg, got, 64), 0);
		for (size_t j = 0; j < msg.n_entries; j++)
			answered |= fx->sent[i].to.port == to &&
			            got[j].id.addr.port == member &&
			            got[j].heartbeat == hb &&
			            got[j].status == ALIVE;
	}
	return answered;
}

static void
test_stale_suspicion_answered(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry c = fx_entry(3002, 1, 10, ALIVE);

	(void)state;
	fx_gossip(fx, fx_id(B, 1), 1, &c, 1);
	c.status = SUSPECT;
	c.heartbeat = 4; /* older than ours by more than the slack (5) */
	accuse(&c, B, 4);
	fx->n_sent = 0;
	fx_gossip(fx, fx_id(B, 1), 2, &c, 1);
	assert_int_equal(fx_status(fx, c.id), ALIVE);
	assert_int_equal(fx_count(fx, RUMOR_EV_SUSPECT, c.id), 0);
	/* the sender got our fresher heartbeat straight back */
	assert_true(answered_with(fx, B, 3002, 10));
	/* within the slack it counts */
	c.heartbeat = 5;
	c.acc[0].heartbeat = 5;
	fx_gossip(fx, fx_id(B, 1), 3, &c, 1);
	assert_int_equal(fx_status(fx, c.id), SUSPECT);
	fx_free(fx);
}

/*
 * The quorum: with three members besides us, one accuser makes a member
 * suspect and no more; a second distinct accuser makes it fail, no sooner
 * than T_fail after the suspicion began and T_fail / 2 after the quorum.
 */
static void
test_failure_needs_two_accusers(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry c = fx_entry(3002, 1, 10, ALIVE);
	struct wire_entry d = fx_entry(3003, 1, 10, ALIVE);
	uint64_t t_q;

	(void)state;
	fx_gossip(fx, fx_id(B, 1), 1, &c, 1);
	fx_gossip(fx, fx_id(B, 1), 2, &d, 1);
	c.status = SUSPECT;
	accuse(&c, B, 10);
	fx_gossip(fx, fx_id(B, 1), 3, &c, 1);
	assert_int_equal(fx_status(fx, c.id), SUSPECT);
	/* one accuser, for longer than T_fail (and less than our own
	 * T_suspect of 3002, monitors being off here) */
	fx_run(fx, fx->cfg.t_fail_ms * 3 / 2);
	assert_int_equal(fx_status(fx, c.id), SUSPECT);
	assert_int_equal(fx_count(fx, RUMOR_EV_FAIL, c.id), 0);
	c.n_acc = 0;
	accuse(&c, 3003, 10); /* a second, distinct accuser */
	fx_gossip(fx, fx_id(3003, 1), 4, &c, 1);
	t_q = fx->now;
	fx_run(fx, fx->cfg.t_fail_ms / 4);
	fx_gossip(fx, fx_id(B, 1), 5, NULL, 0); /* we hear others: healthy */
	fx_run(fx, t_q + fx->cfg.t_fail_ms / 2 - 1 - fx->now);
	assert_int_equal(fx_status(fx, c.id), SUSPECT);
	fx_run(fx, 2);
	assert_int_equal(fx_status(fx, c.id), FAILED);
	fx_free(fx);
}

/* Two accusers at once: the fail comes T_fail after the suspicion. */
static void
test_quorum_at_once_keeps_refutation_window(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry c = fx_entry(3002, 1, 10, ALIVE);
	uint64_t t0;

	(void)state;
	fx_gossip(fx, fx_id(B, 1), 1, &c, 1);
	fx_gossip(fx, fx_id(3003, 1), 1, NULL, 0);
	c.status = SUSPECT;
	accuse(&c, B, 10);
	accuse(&c, 3003, 10);
	fx_gossip(fx, fx_id(B, 1), 2, &c, 1);
	t0 = fx->now;
	fx_run(fx, fx->cfg.t_fail_ms / 2);
	fx_gossip(fx, fx_id(3003, 1), 2, NULL, 0); /* healthy */
	fx_run(fx, t0 + fx->cfg.t_fail_ms - 1 - fx->now);
	assert_int_equal(fx_status(fx, c.id), SUSPECT);
	fx_run(fx, 2);
	assert_int_equal(fx_status(fx, c.id), FAILED);
	fx_free(fx);
}

/* A stale suspicion answered on the member's behalf goes to every accuser
 * it names, not only to its sender: the other accuser may decide the
 * failure with the sender's accusation and must hear the answer too. */
static void
test_stale_suspicion_answered_to_every_accuser(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry known[] = {fx_entry(3002, 1, 10, ALIVE),
	                             fx_entry(3003, 1, 1, ALIVE)};
	struct wire_entry c = fx_entry(3002, 1, 4, SUSPECT);

	(void)state;
	fx_gossip(fx, fx_id(B, 1), 1, known, 2);
	accuse(&c, B, 4);
	accuse(&c, 3003, 4); /* both older than ours by more than the slack */
	fx->n_sent = 0;
	fx_gossip(fx, fx_id(B, 1), 2, &c, 1);
	assert_int_equal(fx_status(fx, c.id), ALIVE);
	assert_true(answered_with(fx, B, 3002, 10));
	assert_true(answered_with(fx, 3003, 3002, 10));
	fx_free(fx);
}

/* B's datagrams every 100 ms for ms: the fixture hears someone (healthy);
 * and, when c_hb is not NULL, C's own (C alive, refuting). */
static void
hear_b(struct fixture *fx, uint64_t *b_hb, uint64_t *c_hb, uint64_t ms)
{
	for (uint64_t t = 0; t < ms; t += 100) {
		fx_gossip(fx, fx_id(B, 1), ++*b_hb, NULL, 0);
		if (c_hb != NULL)
			fx_gossip(fx, fx_id(3002, 1), ++*c_hb, NULL, 0);
		fx_run(fx, 100);
	}
}

/*
 * A failure decision that our ill health postponed for long (here: the
 * fixture heard nobody for 10 s while holding a quorum of accusations of
 * C, 3002) is not taken on the spot when we hear again: the suspect is told and
 * gets T_fail / 2 to refute (it may have refuted while we heard nothing).
 * An alive suspect refutes and stays; a crashed one (no answer) fails.
 */
static void
postponed_failure_run(bool c_answers)
{
	struct rumor_config cfg;
	struct fixture *fx;
	struct wire_entry known[] = {fx_entry(3002, 1, 10, ALIVE),
	                             fx_entry(3003, 1, 10, ALIVE)};
	struct wire_entry c = fx_entry(3002, 1, 10, SUSPECT);
	struct rumor_stats st;
	uint64_t b_hb = 1;

	rumor_config_init(&cfg);
	cfg.monitors = 0;
	cfg.t_fail_ms = 2000; /* due after we stop hearing (T_suspect / 2) */
	fx = fx_new(&cfg);
	fx_gossip(fx, fx_id(B, 1), b_hb, known, 2);
	accuse(&c, B, 10);
	accuse(&c, 3003, 10); /* a quorum: C fails T_fail after this */
	fx_gossip(fx, fx_id(B, 1), ++b_hb, &c, 1);
	assert_int_equal(fx_status(fx, c.id), SUSPECT);
	fx_run(fx, 10000); /* we hear nobody: every decision withheld */
	assert_int_equal(fx_status(fx, c.id), SUSPECT);
	fx->n_sent = 0;
	hear_b(fx, &b_hb, NULL, 200); /* healthy again: reopened, C told */
	assert_int_equal(fx_status(fx, c.id), SUSPECT);
	rumor_core_stats(fx->core, &st);
	assert_int_equal(st.reopened, 1);
	bool told = false;
	for (size_t i = 0; i < fx->n_sent; i++)
		told |= fx->sent[i].to.port == 3002;
	assert_true(told);
	/* an alive C refutes past the accusations and the slack */
	uint64_t c_hb = 10 + 5;
	hear_b(fx, &b_hb, c_answers ? &c_hb : NULL, fx->cfg.t_fail_ms);
	assert_int_equal(fx_status(fx, c.id), c_answers ? ALIVE : FAILED);
	assert_int_equal(fx_count(fx, RUMOR_EV_FAIL, c.id), c_answers ? 0 : 1);
	fx_free(fx);
}

static void
test_postponed_failure_reopened(void **state)
{
	(void)state;
	postponed_failure_run(true);
	postponed_failure_run(false);
}

/* A failure claimed at a heartbeat older than ours by more than the slack
 * is refused, and answered with our fresher heartbeat; within the slack it
 * is final. */
static void
test_stale_failure_vetoed(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry c = fx_entry(3002, 1, 20, ALIVE);
	struct rumor_stats st;

	(void)state;
	fx_gossip(fx, fx_id(B, 1), 1, &c, 1);
	c.status = FAILED;
	c.heartbeat = 14;
	fx->n_sent = 0;
	fx_gossip(fx, fx_id(B, 1), 2, &c, 1);
	assert_int_equal(fx_status(fx, c.id), ALIVE);
	assert_int_equal(fx_count(fx, RUMOR_EV_FAIL, c.id), 0);
	assert_true(answered_with(fx, B, 3002, 20));
	rumor_core_stats(fx->core, &st);
	assert_int_equal(st.vetoed, 1);
	c.heartbeat = 15;
	fx_gossip(fx, fx_id(B, 1), 3, &c, 1);
	assert_int_equal(fx_status(fx, c.id), FAILED);
	fx_free(fx);
}

static void
test_self_refutes_and_rejoins(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry me = {
	    .id = fx->self, .heartbeat = 1000, .status = SUSPECT};
	struct wire_entry got[64];
	struct wire_msg msg;

	(void)state;
	fx->n_sent = 0;
	fx_gossip(fx, fx_id(B, 1), 1, &me, 1);
	assert_int_equal(fx_decode_sent(fx, 0, &msg, got, 64), 0);
	assert_int_equal(fx->sent[0].to.port, B);
	assert_int_equal(rumor_member_id_cmp(&got[0].id, &fx->self), 0);
	assert_true(got[0].heartbeat > 1000); /* refuted above it */
	/* accused at 2000: refuted past the accusation and its slack */
	me.n_acc = 0;
	me.acc[me.n_acc++] = (struct wire_accusation){
	    .accuser = fx_id(B, 1), .heartbeat = 2000, .flags = WIRE_ACC_TIGHT};
	fx_gossip(fx, fx_id(B, 1), 2, &me, 1);
	assert_true(fx_heartbeat(fx, *rumor_core_self(fx->core)) > 2000 + 5);
	me.n_acc = 0;
	assert_int_equal(got[0].status, ALIVE);
	/* told it failed: a new version, and a notice */
	me.status = FAILED;
	fx_gossip(fx, fx_id(B, 1), 3, &me, 1);
	assert_int_equal(rumor_core_self(fx->core)->version,
	                 fx->self.version + 1);
	assert_int_equal(fx->last_notice.kind, RUMOR_NOTICE_REJOINED);
	assert_int_equal(fx->events[fx->n_events - 1].kind, RUMOR_EV_JOINED);
	fx_free(fx);
}

static void
test_detector_edges(void **state)
{
	struct fixture *fx = setup();
	const struct rumor_config *cfg = &fx->cfg;
	struct rumor_member_id b = fx_id(B, 1);
	uint64_t t0;

	(void)state;
	fx_gossip(fx, b, 1, NULL, 0);
	t0 = fx->now;
	fx_run(fx, cfg->t_suspect_ms - 1);
	assert_int_equal(fx_status(fx, b), ALIVE);
	fx_run(fx, cfg->t_gossip_ms / 4 + 2);
	assert_int_equal(fx_status(fx, b), SUSPECT);
	assert_int_equal(fx->events[fx_last(fx, RUMOR_EV_SUSPECT, b)].via,
	                 RUMOR_VIA_TIMEOUT);
	fx_run(fx, t0 + cfg->t_suspect_ms + cfg->t_fail_ms - 1 - fx->now);
	assert_int_equal(fx_status(fx, b), SUSPECT);
	fx_run(fx, cfg->t_gossip_ms / 4 + 2);
	assert_int_equal(fx_status(fx, b), FAILED);
	uint64_t tf = fx->now;
	fx_run(fx, cfg->t_cleanup_ms - cfg->t_gossip_ms);
	assert_int_equal(fx_status(fx, b), FAILED);
	fx_run(fx, tf + cfg->t_cleanup_ms + cfg->t_gossip_ms - fx->now);
	assert_int_equal(fx_status(fx, b), -1);
	assert_int_equal(fx_count(fx, RUMOR_EV_REMOVE, b), 1);
	fx_free(fx);
}

static void
test_progress_resets_timer(void **state)
{
	struct fixture *fx = setup();
	struct rumor_member_id b = fx_id(B, 1);

	(void)state;
	fx_gossip(fx, b, 1, NULL, 0);
	for (int i = 2; i < 40; i++) {
		fx_run(fx, fx->cfg.t_suspect_ms / 2);
		fx_gossip(fx, b, (uint64_t)i, NULL, 0);
	}
	assert_int_equal(fx_count(fx, RUMOR_EV_SUSPECT, b), 0);
	fx_free(fx);
}

static void
test_own_pause_fails_nobody(void **state)
{
	struct fixture *fx = setup();
	struct rumor_member_id b = fx_id(B, 1);

	(void)state;
	fx_gossip(fx, b, 1, NULL, 0);
	fx_run(fx, 200);
	/* the process was stopped for 10 s: the next call comes late */
	fx->now += 10000;
	rumor_core_handle_timeout(fx->core, fx->now);
	assert_int_equal(fx_status(fx, b), ALIVE);
	assert_int_equal(fx_count(fx, RUMOR_EV_SUSPECT, b), 0);
	/* but silence after the pause still counts */
	fx_run(fx, fx->cfg.t_suspect_ms + fx->cfg.t_fail_ms + 200);
	assert_int_equal(fx_status(fx, b), FAILED);
	fx_free(fx);
}

static void
test_receive_drop_rate(void **state)
{
	struct fixture *fx = setup();
	struct rumor_stats st;
	int dropped = 0;

	(void)state;
	assert_int_equal(rumor_core_set_recv_drop_rate(fx->core, 1.5),
	                 RUMOR_EINVAL);
	assert_int_equal(rumor_core_set_recv_drop_rate(fx->core, 1.0), 0);
	assert_int_equal(fx_gossip(fx, fx_id(B, 1), 1, NULL, 0),
	                 RUMOR_EDROPPED);
	assert_int_equal(fx_status(fx, fx_id(B, 1)), -1);
	rumor_core_set_recv_drop_rate(fx->core, 0.3);
	for (int i = 0; i < 2000; i++)
		dropped += fx_gossip(fx, fx_id(B, 1), (uint64_t)i + 2, NULL,
		                     0) == RUMOR_EDROPPED;
	/* 600 expected; 4.6 standard deviations either side */
	assert_in_range(dropped, 510, 690);
	rumor_core_stats(fx->core, &st);
	assert_int_equal(st.recv_dropped, (uint64_t)dropped + 1);
	fx_free(fx);
}

static void
test_join_serve_rejects_dead_id(void **state)
{
	struct fixture *fx = setup();
	uint8_t req[256], reply[4096];
	struct wire_writer w;
	struct wire_entry j = fx_entry(3009, 5, 0, ALIVE), got[16];
	struct wire_msg msg;
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
	assert_int_equal(rumor__wire_decode(reply, len, &msg, got, 16), 0);
	assert_int_equal(msg.result, 0);
	assert_int_equal(msg.n_entries, 2); /* the seed itself and the joiner */
	assert_int_equal(fx_count(fx, RUMOR_EV_JOIN, j.id), 1);
	/* the joiner fails; the same id asking again is refused */
	j.status = FAILED;
	fx_gossip(fx, fx_id(B, 1), 1, &j, 1);
	assert_int_equal(rumor_core_stream_serve(fx->core, fx->now, &j.id.addr,
	                                         req, req_len, reply,
	                                         sizeof(reply), &len),
	                 0);
	assert_int_equal(rumor__wire_decode(reply, len, &msg, got, 16), 0);
	assert_int_equal(msg.result, RUMOR_EREJECTED);
	/* a reply buffer too small says how much it needs */
	assert_int_equal(rumor_core_stream_serve(fx->core, fx->now, &j.id.addr,
	                                         req, req_len, reply, 8, &len),
	                 RUMOR_ENOSPC);
	assert_true(len > 8);
	fx_free(fx);
}

static int
gossip_with_id(struct fixture *fx, struct rumor_member_id from, uint64_t hb,
               uint64_t msg_id)
{
	uint8_t buf[256];
	struct wire_writer w;
	struct wire_entry own = {.id = from, .heartbeat = hb};

	rumor__wire_begin(&w, buf, sizeof(buf), RUMOR_MSG_GOSSIP, msg_id, &from,
	                  0);
	rumor__wire_add_entry(&w, &own);
	return rumor_core_recv_datagram(fx->core, fx->now, &from.addr, buf,
	                                rumor__wire_finish(&w));
}

static void
test_replayed_datagram_dropped(void **state)
{
	struct rumor_config cfg;
	struct fixture *fx;
	struct rumor_member_id b = fx_id(B, 1);
	struct rumor_stats st;

	(void)state;
	rumor_config_init(&cfg);
	cfg.replay_window = 1; /* as the agent sets it with a key */
	fx = fx_new(&cfg);
	assert_int_equal(gossip_with_id(fx, b, 5, 100), 0);
	assert_int_equal(gossip_with_id(fx, b, 6, 101), 0);
	/* the same datagram again */
	assert_int_equal(gossip_with_id(fx, b, 6, 101), RUMOR_EREPLAY);
	/* reordered but new: accepted once */
	assert_int_equal(gossip_with_id(fx, b, 7, 90), 0);
	assert_int_equal(gossip_with_id(fx, b, 7, 90), RUMOR_EREPLAY);
	/* older than the window */
	assert_int_equal(gossip_with_id(fx, b, 8, 300), 0);
	assert_int_equal(gossip_with_id(fx, b, 9, 200), RUMOR_EREPLAY);
	assert_int_equal(fx_heartbeat(fx, b), 8);
	rumor_core_stats(fx->core, &st);
	assert_int_equal(st.malformed_by_err[-RUMOR_EREPLAY], 3);
	fx_free(fx);
}

/* In the clear the window is off: a forged id far ahead (anyone can send
 * one) must not make the sender's real datagrams look replayed. */
static void
test_forged_id_cannot_poison_in_the_clear(void **state)
{
	struct fixture *fx = setup();
	struct rumor_member_id b = fx_id(B, 1);

	(void)state;
	assert_int_equal(gossip_with_id(fx, b, 5, 100), 0);
	assert_int_equal(gossip_with_id(fx, b, 6, UINT64_MAX / 2), 0);
	assert_int_equal(gossip_with_id(fx, b, 7, 101), 0);
	assert_int_equal(fx_heartbeat(fx, b), 7);
	fx_free(fx);
}

/* A seed's refusal code is its word, never our fatal error (fuzz_stream
 * found a reply claiming ENOMEM passed through as fatal). */
static void
test_join_reply_remote_code_not_fatal(void **state)
{
	struct rumor_config cfg;
	struct fixture *fx;
	struct rumor_core *joiner;
	uint8_t reply[256];
	struct wire_writer w;
	struct rumor_member_id me = fx_id(3009, 5), seed = fx_id(3000, 1);
	struct rumor_callbacks cb = {0};
	uint64_t sid;
	int rc;

	(void)state;
	rumor_config_init(&cfg);
	fx = fx_new(&cfg); /* for its recording callbacks */
	cb.send_datagram = fx_send_cb;
	cb.stream_open = fx_stream_cb;
	cb.on_event = fx_event_cb;
	cb.on_notice = fx_notice_cb;
	assert_int_equal(rumor_core_new(&joiner, &cfg, &cb, fx, &me, 1, 10000),
	                 0);
	assert_int_equal(rumor_core_join(joiner, 10000, &seed.addr, 1), 0);
	sid = fx->last_stream_id;
	rumor__wire_begin(&w, reply, sizeof(reply), RUMOR_MSG_JOIN_REPLY, 1,
	                  &seed, RUMOR_ENOMEM);
	rc = rumor_core_stream_reply(joiner, 10001, sid, reply,
	                             rumor__wire_finish(&w));
	assert_int_equal(rc, RUMOR_EREJECTED);
	assert_false(rumor_is_fatal(rc));
	/* told why (JOIN_REJECTED), then retrying (JOIN_FAILED, refused) */
	assert_int_equal(fx->n_notices, 2);
	assert_int_equal(fx->last_notice.kind, RUMOR_NOTICE_JOIN_FAILED);
	assert_int_equal(fx->last_notice.err, RUMOR_EREJECTED);
	assert_int_equal(rumor_core_state(joiner), RUMOR_STATE_JOINING);
	rumor_core_free(joiner);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unknown_alive_joins),
	    cmocka_unit_test(test_unknown_dead_is_tombstone_only),
	    cmocka_unit_test(test_fail_is_final_leave_wins),
	    cmocka_unit_test(test_leave_before_fail),
	    cmocka_unit_test(test_newer_version_supersedes_once),
	    cmocka_unit_test(test_suspicion_adopted_and_refuted),
	    cmocka_unit_test(test_stale_suspicion_answered),
	    cmocka_unit_test(test_suspicion_without_accuser_ignored),
	    cmocka_unit_test(test_failure_needs_two_accusers),
	    cmocka_unit_test(test_quorum_at_once_keeps_refutation_window),
	    cmocka_unit_test(test_stale_failure_vetoed),
	    cmocka_unit_test(test_stale_suspicion_answered_to_every_accuser),
	    cmocka_unit_test(test_postponed_failure_reopened),
	    cmocka_unit_test(test_self_refutes_and_rejoins),
	    cmocka_unit_test(test_detector_edges),
	    cmocka_unit_test(test_progress_resets_timer),
	    cmocka_unit_test(test_own_pause_fails_nobody),
	    cmocka_unit_test(test_receive_drop_rate),
	    cmocka_unit_test(test_join_serve_rejects_dead_id),
	    cmocka_unit_test(test_replayed_datagram_dropped),
	    cmocka_unit_test(test_forged_id_cannot_poison_in_the_clear),
	    cmocka_unit_test(test_join_reply_remote_code_not_fatal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
