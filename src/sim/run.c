/*
 * The event loop: pop (at_ms, seq) events, advance the virtual clock and
 * dispatch. Each core has one timer, armed from rumor_core_next_deadline()
 * after every call into it; re-arming bumps the member's generation, and a
 * TIMER event whose generation is not current is dropped when it pops
 * (lazy deletion: the heap never searches).
 */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

/* A core that keeps asking for a timer at the current ms this many times in
 * a row is not making progress: stop instead of spinning forever. */
#define SIM_TIMER_SPIN_LIMIT 10000

int
rumor__sim_push(struct rumor_sim *sim, uint64_t at_ms, uint32_t kind,
                uint32_t member, void *ptr)
{
	struct sim_event ev = {.at_ms = at_ms < sim->now ? sim->now : at_ms,
	                       .kind = kind,
	                       .member = member};
	int rc;

	ev.u.ptr = ptr;
	rc = rumor__sim_heap_push(&sim->heap, &ev);
	if (rc && !sim->fatal)
		sim->fatal = rc;
	return rc;
}

static int
push_timer(struct rumor_sim *sim, uint64_t at_ms, uint32_t member, uint64_t gen)
{
	struct sim_event ev = {.at_ms = at_ms < sim->now ? sim->now : at_ms,
	                       .kind = SIM_EV_TIMER,
	                       .member = member};
	int rc;

	ev.u.gen = gen;
	rc = rumor__sim_heap_push(&sim->heap, &ev);
	if (rc && !sim->fatal)
		sim->fatal = rc;
	return rc;
}

void
rumor__sim_check(struct rumor_sim *sim, int rc)
{
	if (rc < 0 && rumor_is_fatal(rc) && !sim->fatal)
		sim->fatal = rc;
}

void
rumor__sim_free_payload(struct sim_event *ev)
{
	if (ev->kind != SIM_EV_TIMER && ev->kind != SIM_EV_START)
		free(ev->u.ptr);
}

void
rumor__sim_rearm(struct sim_member *m)
{
	uint64_t d;

	if (!m->core)
		return;
	if (rumor_core_state(m->core) == RUMOR_STATE_LEFT) {
		rumor__sim_member_stop(m);
		return;
	}
	d = rumor_core_next_deadline(m->core);
	if (d == m->timer_at)
		return; /* the pending TIMER event is still right */
	m->timer_gen++;
	m->timer_at = d;
	if (d != RUMOR_NO_DEADLINE)
		push_timer(m->sim, d, m->index, m->timer_gen);
}

static void
fire_timer(struct rumor_sim *sim, const struct sim_event *ev)
{
	struct sim_member *m = &sim->members[ev->member];

	if (!m->core || ev->u.gen != m->timer_gen) {
		sim->stats.timers_stale++;
		return;
	}
	if (m->fire_ms == sim->now) {
		if (++m->fire_count > SIM_TIMER_SPIN_LIMIT) {
			fprintf(stderr,
			        "rumor sim: member %u: deadline stays at %llu "
			        "ms after %u timeouts; stopping\n",
			        m->index, (unsigned long long)sim->now,
			        m->fire_count);
			sim->fatal = RUMOR_EINTERNAL;
			return;
		}
	} else {
		m->fire_ms = sim->now;
		m->fire_count = 1;
	}
	sim->stats.timers_fired++;
	m->timer_at = RUMOR_NO_DEADLINE;
	rumor__sim_check(sim, rumor_core_handle_timeout(m->core, sim->now));
	rumor__sim_rearm(m);
}

static void
dispatch(struct rumor_sim *sim, struct sim_event *ev)
{
	sim->stats.sim_events++;
	switch (ev->kind) {
	case SIM_EV_START: /* unless a scheduled restart came first */
		if (!sim->members[ev->member].life)
			rumor__sim_member_start(sim, ev->member, 0);
		break;
	case SIM_EV_DELIVER:
		rumor__sim_deliver(sim, ev->member, ev->u.ptr);
		break;
	case SIM_EV_TIMER:
		fire_timer(sim, ev);
		break;
	case SIM_EV_STREAM_REQ:
		rumor__sim_stream_request(sim, ev->u.ptr);
		break;
	case SIM_EV_STREAM_REPLY:
		rumor__sim_stream_reply(sim, ev->u.ptr);
		break;
	case SIM_EV_STREAM_FAIL:
		rumor__sim_stream_fail(sim, ev->u.ptr);
		break;
	case SIM_EV_ACTION:
		rumor__sim_action_run(sim, ev->u.ptr);
		free(ev->u.ptr);
		break;
	}
}

/*
 * Process every event of the earliest pending ms if it is <= end.
 * Returns 1 when a ms was processed, 0 when there was none.
 */
static int
step_ms(struct rumor_sim *sim, uint64_t end)
{
	const struct sim_event *top = rumor__sim_heap_peek(&sim->heap);
	struct sim_event ev;
	uint64_t t;

	if (!top || top->at_ms > end)
		return 0;
	t = top->at_ms;
	sim->now = t;
	while (!sim->fatal && (top = rumor__sim_heap_peek(&sim->heap)) &&
	       top->at_ms == t) {
		rumor__sim_heap_pop(&sim->heap, &ev);
		dispatch(sim, &ev);
	}
	return 1;
}

int
rumor_sim_run_for(struct rumor_sim *sim, uint64_t ms)
{
	uint64_t end = sim->now + ms;

	while (!sim->fatal && step_ms(sim, end))
		;
	if (sim->fatal)
		return sim->fatal;
	sim->now = end;
	return 0;
}

int64_t
rumor_sim_run_until(struct rumor_sim *sim,
                    int (*pred)(void *arg, struct rumor_sim *sim), void *arg,
                    uint64_t timeout_ms)
{
	uint64_t end = sim->now + timeout_ms;

	if (sim->fatal)
		return sim->fatal;
	if (pred(arg, sim))
		return (int64_t)sim->now;
	while (!sim->fatal && step_ms(sim, end)) {
		if (!sim->fatal && pred(arg, sim))
			return (int64_t)sim->now;
	}
	if (sim->fatal)
		return sim->fatal;
	sim->now = end;
	return RUMOR_SIM_TIMEOUT;
}

int
rumor_sim_schedule(struct rumor_sim *sim, const struct rumor_sim_action *a)
{
	struct rumor_sim_action *copy;

	if ((unsigned)a->kind >= RUMOR_SIM_ACTION_MAX || a->at_ms < sim->now)
		return RUMOR_EINVAL;
	if (a->kind != RUMOR_SIM_HEAL &&
	    (a->first > a->last || a->last >= sim->cfg.n_members))
		return RUMOR_EINVAL;
	copy = malloc(sizeof(*copy));
	if (!copy)
		return RUMOR_ENOMEM;
	*copy = *a;
	if (rumor__sim_push(sim, a->at_ms, SIM_EV_ACTION, 0, copy)) {
		free(copy);
		return RUMOR_ENOMEM;
	}
	return 0;
}
