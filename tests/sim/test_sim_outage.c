/* SPDX-License-Identifier: MIT */
/*
 * Long partitions in the simulator (issue 16 item 2): 6 members, members
 * 3..5 cut from 0..2 at 10 s, healed after 35 minutes (the old, fixed
 * reconnect horizon was 30 minutes: no join in the hour after the heal),
 * after 60 minutes, and after a cut longer than a short --reconnect-
 * timeout-ms (the join seeds are retried for ever, so it heals anyway).
 * One membership (every member lists every member alive at its current
 * version, nothing else alive or suspect) must come back within the bound
 * after the heal: 2 reconnect periods + 1 anti-entropy round + 5 s.
 *
 * Fixed seeds; a failure prints the `rumor sim` command that replays it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rumor/sim.h"

#define N         6
#define CUT_FIRST 3
#define CUT_AT_MS 10000
#define STEP_MS   100

struct check {
	struct rumor_member_id self[N];
	size_t alive;
	int bad;
	char why[160];
	uint32_t observer;
};

static int
index_of(const struct rumor_member_id *id)
{
	int i = (int)id->addr.port - RUMOR_SIM_BASE_PORT;

	return i >= 0 && i < N ? i : -1;
}

static void
visit(void *arg, const struct rumor_member_view *m)
{
	struct check *c = arg;
	int j = index_of(&m->id);
	char id[RUMOR_ID_STRLEN];

	if (j >= 0 && rumor_member_id_cmp(&m->id, &c->self[j]) == 0 &&
	    m->status == RUMOR_STATUS_ALIVE) {
		c->alive++;
	} else if (!c->bad && (m->status == RUMOR_STATUS_ALIVE ||
	                       m->status == RUMOR_STATUS_SUSPECT)) {
		c->bad = 1;
		rumor_member_id_format(&m->id, id, sizeof(id));
		snprintf(c->why, sizeof(c->why), "member %u lists %s %s",
		         c->observer, id, rumor_status_name(m->status));
	}
}

/* 1 when the group is one membership; c->why says who disagrees. */
static int
one_membership(const struct rumor_sim *sim, struct check *c)
{
	c->bad = 0;
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(rumor_sim_member_id(sim, i, &c->self[i]), 0);
	for (uint32_t i = 0; i < N; i++) {
		c->observer = i;
		c->alive = 0;
		rumor_core_visit_members(rumor_sim_core(sim, i), visit, c);
		if (c->bad)
			return 0;
		if (c->alive != N) {
			snprintf(c->why, sizeof(c->why),
			         "member %u lists %zu of %d alive", i, c->alive,
			         N);
			return 0;
		}
	}
	return 1;
}

/* Cut for cut_ms, heal; returns the virtual ms to one membership. */
static uint64_t
cut_and_heal(uint64_t seed, uint64_t cut_ms, uint32_t horizon_ms)
{
	struct rumor_sim_config cfg;
	struct rumor_sim *sim;
	struct check c = {0};
	uint64_t heal_at, bound, healed = UINT64_MAX;

	rumor_sim_config_init(&cfg);
	cfg.n_members = N;
	cfg.seed = seed;
	if (horizon_ms)
		cfg.core.reconnect_timeout_ms = horizon_ms;
	bound = 2 * cfg.core.reconnect_ms + cfg.core.t_sync_ms + 5000;
	assert_int_equal(rumor_sim_new(&sim, &cfg), 0);
	assert_int_equal(rumor_sim_run_for(sim, CUT_AT_MS), 0);
	assert_true(one_membership(sim, &c));
	assert_int_equal(rumor_sim_partition(sim, CUT_FIRST, N - 1), 0);
	assert_int_equal(rumor_sim_run_for(sim, cut_ms), 0);
	assert_int_equal(rumor_sim_heal(sim), 0);
	heal_at = rumor_sim_now(sim);
	while (rumor_sim_now(sim) - heal_at <= bound) {
		assert_int_equal(rumor_sim_run_for(sim, STEP_MS), 0);
		if (one_membership(sim, &c)) {
			healed = rumor_sim_now(sim) - heal_at;
			break;
		}
	}
	if (healed == UINT64_MAX)
		fail_msg(
		    "seed %llu, cut %llu s: not one membership %llu ms "
		    "after the heal: %s\nreproduce: rumor sim --nodes %d "
		    "--partition %d-%d@%ds --heal@%llums --duration %llums "
		    "--reconnect-timeout-ms %u --seed %llu",
		    (unsigned long long)seed, (unsigned long long)cut_ms / 1000,
		    (unsigned long long)bound, c.why, N, CUT_FIRST, N - 1,
		    CUT_AT_MS / 1000, (unsigned long long)heal_at,
		    (unsigned long long)heal_at + bound,
		    cfg.core.reconnect_timeout_ms, (unsigned long long)seed);
	print_message("seed %llu: cut %llu s (horizon %u s): one membership "
	              "%llu ms (virtual) after the heal (bound %llu ms)\n",
	              (unsigned long long)seed,
	              (unsigned long long)cut_ms / 1000,
	              cfg.core.reconnect_timeout_ms / 1000,
	              (unsigned long long)healed, (unsigned long long)bound);
	assert_int_equal(rumor_sim_run_for(sim, 10000), 0);
	assert_true(one_membership(sim, &c));
	assert_int_equal(rumor_sim_finish(sim), 0);
	rumor_sim_free(sim);
	return healed;
}

/* The command: cut 35 minutes (past the old 30-minute horizon). */
static void
test_35_minute_cut_heals(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 2; seed++)
		cut_and_heal(seed, 2100000, 0);
}

static void
test_60_minute_cut_heals(void **state)
{
	(void)state;
	cut_and_heal(1, 3600000, 0);
}

/* Past a 10-minute horizon the failed addresses are no longer retried;
 * the join seeds still are, so the group heals all the same. */
static void
test_cut_past_horizon_heals_by_seeds(void **state)
{
	(void)state;
	cut_and_heal(1, 1200000, 600000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_35_minute_cut_heals),
	    cmocka_unit_test(test_60_minute_cut_heals),
	    cmocka_unit_test(test_cut_past_horizon_heals_by_seeds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
