/* SPDX-License-Identifier: MIT */
/*
 * The MP1 tick loop (include/rumor/mp1.h): deliver, then start or step
 * each member in descending index, then the fault injector; 700 ticks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mp1_internal.h"

/* Mixed into the master seed for the run's two generators (>= 2^32, so
 * they never equal a member index, which seeds the cores). */
#define MP1_DROP_SALT  0x6d70312d64726f70ULL
#define MP1_FAULT_SALT 0x6d70312d6661696cULL

static const struct rumor_callbacks mp1_callbacks = {
    .send_datagram = rumor__mp1_send,
    .stream_open = rumor__mp1_stream_open,
    .on_event = rumor__mp1_on_event,
    .on_trace = rumor__mp1_on_trace,
};

/* Members start over ticks 0..4, two per tick, index 0 first. */
static uint32_t
start_tick_of(uint32_t index)
{
	return index / 2;
}

/* A core for member i, version 1 + its start ms, seed from the master. */
static void
member_start(struct mp1_run *run, struct mp1_member *mb)
{
	struct rumor_config core = run->cfg.core;
	struct rumor_addr intro;
	int rc;

	core.trace = run->cfg.trace;
	rumor__mp1_addr(mb->index, &mb->id.addr);
	mb->id.version = run->now_ms + 1;
	rc =
	    rumor_core_new(&mb->core, &core, &mp1_callbacks, mb, &mb->id,
	                   rumor_mix64(run->cfg.seed ^ mb->index), run->now_ms);
	if (rc) {
		mb->core = NULL;
		run->fatal = rc;
		return;
	}
	mb->started = true;
	rumor__mp1_json(run, RUMOR_LOG_START, &mb->id, NULL);
	if (mb->index == 0) {
		rc = rumor_core_bootstrap(mb->core, run->now_ms);
	} else {
		rumor__mp1_addr(0, &intro);
		rc = rumor_core_join(mb->core, run->now_ms, &intro, 1);
	}
	if (rc)
		run->fatal = rc;
}

static void
member_fail(struct mp1_run *run, struct mp1_member *mb, const char *fmt)
{
	if (!mb->core)
		return;
	mb->id = *rumor_core_self(mb->core);
	rumor__mp1_dbg(run, mb->index, fmt, run->tick);
	rumor__mp1_json(run, RUMOR_LOG_CRASH, NULL, &mb->id);
	rumor_core_free(mb->core);
	mb->core = NULL;
	mb->failed = true;
}

/* At the end of tick 100: one random member, or five in a row. */
static void
inject(struct mp1_run *run)
{
	struct rumor_mp1_result *r = run->res;
	uint32_t first;

	if (run->tick != RUMOR_MP1_FAIL_TICK)
		return;
	if (run->cfg.scenario == RUMOR_MP1_MULTI) {
		first = (uint32_t)rumor_rng_below(&run->fault_rng,
		                                  RUMOR_MP1_MEMBERS / 2);
		for (uint32_t k = 0; k < RUMOR_MP1_MULTI_FAILED; k++) {
			r->failed[r->n_failed++] = first + k;
			member_fail(run, &run->members[first + k],
			            "Node failed at time = %u");
		}
		return;
	}
	first = (uint32_t)rumor_rng_below(&run->fault_rng, RUMOR_MP1_MEMBERS);
	r->failed[r->n_failed++] = first;
	member_fail(run, &run->members[first], "Node failed at time=%u");
}

static void
tick(struct mp1_run *run)
{
	rumor__mp1_deliver_all(run);
	for (uint32_t k = RUMOR_MP1_MEMBERS; k-- > 0 && !run->fatal;) {
		struct mp1_member *mb = &run->members[k];

		if (mb->start_tick == run->tick)
			member_start(run, mb);
		else if (mb->core)
			rumor__mp1_check(run, rumor_core_handle_timeout(
			                          mb->core, run->now_ms));
	}
	if (!run->fatal)
		inject(run);
}

static void
run_init(struct mp1_run *run, const struct rumor_mp1_config *cfg,
         struct rumor_mp1_result *out)
{
	memset(run, 0, sizeof(*run));
	memset(out, 0, sizeof(*out));
	memset(out->remove_tick, 0xff, sizeof(out->remove_tick));
	memset(out->join_tick, 0xff, sizeof(out->join_tick));
	run->cfg = *cfg;
	run->res = out;
	rumor_rng_seed(&run->drop_rng, rumor_mix64(cfg->seed ^ MP1_DROP_SALT));
	rumor_rng_seed(&run->fault_rng,
	               rumor_mix64(cfg->seed ^ MP1_FAULT_SALT));
	for (uint32_t i = 0; i < RUMOR_MP1_MEMBERS; i++) {
		run->members[i].run = run;
		run->members[i].index = i;
		run->members[i].start_tick = start_tick_of(i);
	}
}

/* Free every core and queued message; `stop` for the running members. */
static void
run_end(struct mp1_run *run)
{
	for (uint32_t i = 0; i < RUMOR_MP1_MEMBERS; i++) {
		struct mp1_member *mb = &run->members[i];

		if (mb->core) {
			if (!run->fatal)
				rumor__mp1_json(run, RUMOR_LOG_STOP,
				                rumor_core_self(mb->core),
				                NULL);
			rumor_core_free(mb->core);
			mb->core = NULL;
		}
		rumor__mp1_queue_free(&mb->inbox);
		rumor__mp1_queue_free(&mb->pending);
	}
	free(run->reply_buf);
	run->reply_buf = NULL;
}

int
rumor_mp1_run(const struct rumor_mp1_config *cfg, struct rumor_mp1_result *out)
{
	struct mp1_run *run;
	int rc;

	if ((unsigned)cfg->scenario >= RUMOR_MP1_SCENARIO_MAX ||
	    rumor_config_validate(&cfg->core, NULL))
		return RUMOR_EINVAL;
	if (!(run = malloc(sizeof(*run))))
		return RUMOR_ENOMEM;
	run_init(run, cfg, out);
	errno = 0;
	if ((rc = rumor__mp1_logs_open(run)) != 0) {
		int e = errno;

		rumor__mp1_logs_close(run);
		free(run);
		errno = e;
		return rc == RUMOR_ENOMEM ? rc : RUMOR_EINVAL;
	}
	for (run->tick = 0; run->tick < RUMOR_MP1_TICKS && !run->fatal;
	     run->tick++) {
		run->now_ms = (uint64_t)run->tick * RUMOR_MP1_TICK_MS;
		tick(run);
	}
	if (run->tick > 0)
		run->tick--; /* the last tick that ran */
	run_end(run);
	rc = rumor__mp1_logs_close(run);
	if (run->fatal)
		rc = run->fatal;
	else if (rc)
		errno = run->log_errno;
	free(run);
	return rc;
}
