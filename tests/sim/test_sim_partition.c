/* SPDX-License-Identifier: MIT */
/*
 * A partition healed, in the simulator (issue 6): N=200 at 10% loss, the
 * upper half (members 100..199) cut from the lower half for 15 virtual
 * seconds (well past T_suspect + T_fail), then healed.
 *
 *   - while cut, every member fails every member of the other side;
 *   - nobody fails anyone of its own side;
 *   - after the heal the whole group is one membership again (every member
 *     lists every member alive at its current version, a rejoin's new
 *     version included; nothing else alive or suspect) within HEAL_BOUND_MS
 *     of virtual time: reconnect_ms (2 s: failed addresses are retried) +
 *     2 x t_sync_ms (10 s each: anti-entropy rounds pick up the last
 *     stragglers) + 8 s. Every one of the 200 members was failed by the
 *     other side, so every one rejoins under a new version: 200 new ids
 *     spread at once. Measured: 17.75 and 18.25 s (seeds 1, 2); most of it
 *     is the tail of the last one or two ids, found by anti-entropy.
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

#define N             200
#define HALF          100
#define CUT_AT_MS     20000
#define CUT_FOR_MS    20000
#define HEAL_BOUND_MS 30000
#define STEP_MS       250

struct check {
	const struct rumor_sim *sim;
	struct rumor_member_id self[N];
	uint32_t observer;
	int side_cut; /* checking the cut: the other side must be failed */
	int bad;      /* first disagreement */
	char why[160];
	size_t alive;
};

static int
index_of(const struct rumor_member_id *id)
{
	int i = (int)id->addr.port - RUMOR_SIM_BASE_PORT;

	return i >= 0 && i < N ? i : -1;
}

static int
side(int i)
{
	return i >= HALF;
}

static void
visit(void *arg, const struct rumor_member_view *m)
{
	struct check *c = arg;
	int j = index_of(&m->id);
	int current = j >= 0 && rumor_member_id_cmp(&m->id, &c->self[j]) == 0;
	int other = j >= 0 && side(j) != side((int)c->observer);
	char id[RUMOR_ID_STRLEN];

	if (c->bad)
		return;
	rumor_member_id_format(&m->id, id, sizeof(id));
	if (c->side_cut) {
		/* the other side failed; our side alive and current */
		if (other ? m->status != RUMOR_STATUS_FAILED
		          : (m->status == RUMOR_STATUS_FAILED && current)) {
			c->bad = 1;
			snprintf(c->why, sizeof(c->why),
			         "member %u lists %s %s", c->observer, id,
			         rumor_status_name(m->status));
		}
		return;
	}
	if (current && m->status == RUMOR_STATUS_ALIVE) {
		c->alive++;
	} else if (m->status == RUMOR_STATUS_ALIVE ||
	           m->status == RUMOR_STATUS_SUSPECT) {
		c->bad = 1;
		snprintf(c->why, sizeof(c->why), "member %u lists %s %s",
		         c->observer, id, rumor_status_name(m->status));
	}
}

/* 1 when every member's list passes; c->why says who does not. */
static int
check_all(const struct rumor_sim *sim, struct check *c, int side_cut)
{
	c->sim = sim;
	c->side_cut = side_cut;
	c->bad = 0;
	for (uint32_t i = 0; i < N; i++)
		assert_int_equal(rumor_sim_member_id(sim, i, &c->self[i]), 0);
	for (uint32_t i = 0; i < N; i++) {
		const struct rumor_core *core = rumor_sim_core(sim, i);
		if (core == NULL) {
			snprintf(c->why, sizeof(c->why), "member %u stopped",
			         i);
			return 0;
		}
		c->observer = i;
		c->alive = 0;
		rumor_core_visit_members(core, visit, c);
		if (c->bad)
			return 0;
		if (!side_cut && c->alive != N) {
			snprintf(c->why, sizeof(c->why),
			         "member %u lists %zu of %d alive", i, c->alive,
			         N);
			return 0;
		}
	}
	return 1;
}

static void
fail_repro(uint64_t seed, uint64_t at, const char *what, const char *why)
{
	fail_msg("seed %llu, at %llu ms virtual: %s: %s\nreproduce: rumor sim "
	         "--nodes %d --loss 0.1 --partition %d-%d@%dms --heal@%dms "
	         "--duration %llums --seed %llu --log x.jsonl",
	         (unsigned long long)seed, (unsigned long long)at, what, why, N,
	         HALF, N - 1, CUT_AT_MS, CUT_AT_MS + CUT_FOR_MS,
	         (unsigned long long)at, (unsigned long long)seed);
}

static void
run_seed(uint64_t seed)
{
	struct rumor_sim_config cfg;
	struct rumor_sim *sim;
	struct check *c = calloc(1, sizeof(*c));
	uint64_t heal_at, healed = 0;

	assert_non_null(c);
	rumor_sim_config_init(&cfg);
	cfg.n_members = N;
	cfg.loss = 0.1;
	cfg.seed = seed;
	assert_int_equal(rumor_sim_new(&sim, &cfg), 0);
	assert_int_equal(rumor_sim_run_for(sim, CUT_AT_MS), 0);
	if (!check_all(sim, c, 0))
		fail_repro(seed, rumor_sim_now(sim), "before the cut", c->why);
	assert_int_equal(rumor_sim_partition(sim, HALF, N - 1), 0);
	assert_int_equal(rumor_sim_run_for(sim, CUT_FOR_MS), 0);
	if (!check_all(sim, c, 1))
		fail_repro(seed, rumor_sim_now(sim), "end of the cut", c->why);
	assert_int_equal(rumor_sim_heal(sim), 0);
	heal_at = rumor_sim_now(sim);
	while (rumor_sim_now(sim) - heal_at <= HEAL_BOUND_MS) {
		assert_int_equal(rumor_sim_run_for(sim, STEP_MS), 0);
		if (check_all(sim, c, 0)) {
			healed = rumor_sim_now(sim) - heal_at;
			break;
		}
	}
	if (healed == 0)
		fail_repro(seed, rumor_sim_now(sim), "not one membership",
		           c->why);
	print_message("seed %llu: one membership of %d again %llu ms "
	              "(virtual) after the heal (bound %d ms)\n",
	              (unsigned long long)seed, N, (unsigned long long)healed,
	              HEAL_BOUND_MS);
	/* and it stays one */
	assert_int_equal(rumor_sim_run_for(sim, 10000), 0);
	if (!check_all(sim, c, 0))
		fail_repro(seed, rumor_sim_now(sim), "10 s after", c->why);
	assert_int_equal(rumor_sim_finish(sim), 0);
	rumor_sim_free(sim);
	free(c);
}

static void
test_partition_heal(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 2; seed++)
		run_seed(seed);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_partition_heal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
