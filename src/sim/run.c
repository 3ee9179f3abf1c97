/* SPDX-License-Identifier: MIT */
/*
 * The event loop. Events pop in (at_ms, seq) order; all the events due at
 * one virtual ms are taken together: scheduled actions run at once, in
 * order, then the members' events run member by member (each member's in
 * seq order), split between cfg.threads workers by runs of members (see
 * struct sim_worker). Nothing a member does reaches another member within
 * the same ms (a datagram takes >= 1 ms... and when --delay-ms allows 0, it
 * waits for the next round of the same ms), so the split changes nothing:
 * what the workers produce (new events, log lines, counters) is applied
 * after the round in member order, and a run is the same with any number
 * of threads.
 *
 * Each core has one timer, armed from rumor_core_next_deadline() after
 * every call into it; re-arming bumps the member's generation, and a TIMER
 * event whose generation is not current is dropped when it pops (lazy
 * deletion: the heap never searches).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A core that keeps asking for a timer at the current ms this many times in
 * a row is not making progress: stop instead of spinning forever. */
#define SIM_TIMER_SPIN_LIMIT 10000
/* Member events per share of a round, at least: a round of fewer than
 * twice as many is done by one thread (the hand-over would cost more), and
 * only as many threads as get a share are woken. */
#define SIM_SHARE_MIN_EVENTS 16
/*
 * Waiting for the other threads of a round (which lasts tens to hundreds of
 * microseconds): a few polls with the CPU's spin hint, then polls that give
 * the CPU away (sched_yield: if the thread we wait for, or anyone, is
 * runnable here, it runs), then sleep on a condition variable. Pure
 * spinning made two threads 4x slower than one when another process took a
 * CPU; sleeping at once made them slower than one on an idle machine (a
 * wake-up costs about a round on a virtual machine).
 */
#define SIM_SPIN_POLLS  200
#define SIM_YIELD_POLLS 20000

/* Poll number i of a wait: 1 while the waiter should poll again. */
static int
keep_polling(int i)
{
	if (i < SIM_SPIN_POLLS) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#elif defined(__aarch64__)
		__asm__ volatile("yield");
#endif
		return 1;
	}
	if (i < SIM_SPIN_POLLS + SIM_YIELD_POLLS) {
		sched_yield();
		return 1;
	}
	return 0;
}

_Thread_local struct sim_worker *rumor__sim_worker;

static void
set_fatal(struct rumor_sim *sim, int rc)
{
	rumor__sim_keep_first(
	    rumor__sim_worker ? &rumor__sim_worker->fatal : &sim->fatal, rc);
}

/* Append ev to a growable event array. 0 or RUMOR_ENOMEM. */
static int
append_event(struct sim_event **arr, size_t *n, size_t *cap,
             const struct sim_event *ev)
{
	if (*n == *cap) {
		size_t ncap = *cap ? 2 * *cap : 256;
		struct sim_event *a = realloc(*arr, ncap * sizeof(*a));
		if (a == NULL)
			return RUMOR_ENOMEM;
		*arr = a;
		*cap = ncap;
	}
	(*arr)[(*n)++] = *ev;
	return 0;
}

/* Into the heap, or, inside a round, into the worker's list. */
static int
push_event(struct rumor_sim *sim, struct sim_event *ev)
{
	struct sim_worker *w = rumor__sim_worker;
	int rc;

	if (ev->at_ms < sim->now)
		ev->at_ms = sim->now;
	rc = w ? append_event(&w->out, &w->n_out, &w->cap_out, ev)
	       : rumor__sim_heap_push(&sim->heap, ev);
	if (rc)
		set_fatal(sim, rc);
	return rc;
}

int
rumor__sim_push(struct rumor_sim *sim, uint64_t at_ms, uint32_t kind,
                uint32_t member, void *ptr)
{
	struct sim_event ev = {.at_ms = at_ms, .kind = kind, .member = member};

	ev.u.ptr = ptr;
	return push_event(sim, &ev);
}

static int
push_timer(struct rumor_sim *sim, uint64_t at_ms, uint32_t member, uint64_t gen)
{
	struct sim_event ev = {
	    .at_ms = at_ms, .kind = SIM_EV_TIMER, .member = member};

	ev.u.gen = gen;
	return push_event(sim, &ev);
}

void
rumor__sim_check(struct rumor_sim *sim, int rc)
{
	if (rc < 0 && rumor_is_fatal(rc))
		set_fatal(sim, rc);
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
		rumor__sim_stats(sim)->timers_stale++;
		return;
	}
	if (m->fire_ms == sim->now) {
		if (++m->fire_count > SIM_TIMER_SPIN_LIMIT) {
			fprintf(stderr,
			        "rumor sim: member %u: deadline stays at %llu "
			        "ms after %u timeouts; stopping\n",
			        m->index, (unsigned long long)sim->now,
			        m->fire_count);
			set_fatal(sim, RUMOR_EINTERNAL);
			return;
		}
	} else {
		m->fire_ms = sim->now;
		m->fire_count = 1;
	}
	rumor__sim_stats(sim)->timers_fired++;
	m->timer_at = RUMOR_NO_DEADLINE;
	rumor__sim_check(sim, rumor_core_handle_timeout(m->core, sim->now));
	rumor__sim_rearm(m);
}

/* A paused member's event waits for the end of the pause (its timers fire
 * late, what it received is processed at once when it resumes). */
static int
postponed(struct rumor_sim *sim, const struct sim_event *ev)
{
	struct sim_event later = *ev;

	if (ev->kind == SIM_EV_ACTION ||
	    sim->net.sick[ev->member].paused_until <= sim->now)
		return 0;
	later.at_ms = sim->net.sick[ev->member].paused_until;
	rumor__sim_stats(sim)->events_paused++;
	if (push_event(sim, &later))
		rumor__sim_free_payload(&later);
	return 1;
}

static void
dispatch(struct rumor_sim *sim, struct sim_event *ev)
{
	rumor__sim_stats(sim)->sim_events++;
	if (postponed(sim, ev))
		return;
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

/* ---- one ms's member events, shared between workers ---- */

static void
run_share(struct sim_worker *w)
{
	struct rumor_sim *sim = w->sim;
	size_t i = 0;

	rumor__sim_worker = w;
	for (; i < w->n_ev && !w->fatal; i++)
		dispatch(sim, &w->ev[i]);
	for (; i < w->n_ev; i++) /* after a fatal error: the run stops */
		rumor__sim_free_payload(&w->ev[i]);
	rumor__sim_worker = NULL;
}

static void *
helper_main(void *arg)
{
	struct sim_worker *w = arg;
	struct rumor_sim *sim = w->sim;
	uint64_t seen = 0;

	for (;;) {
		for (int i = 0;
		     w->go == seen && !sim->stopping && keep_polling(i); i++)
			;
		pthread_mutex_lock(&sim->lock);
		while (w->go == seen && !sim->stopping)
			pthread_cond_wait(&w->wake, &sim->lock);
		pthread_mutex_unlock(&sim->lock);
		if (sim->stopping)
			return NULL;
		seen = w->go;
		run_share(w);
		sim->n_done++;
		pthread_mutex_lock(&sim->lock);
		pthread_cond_signal(&sim->done);
		pthread_mutex_unlock(&sim->lock);
	}
}

int
rumor__sim_threads_init(struct rumor_sim *sim)
{
	uint32_t n = sim->cfg.threads; /* validated: 1..16 */

	sim->workers = aligned_alloc(64, n * sizeof(*sim->workers));
	if (sim->workers == NULL)
		return RUMOR_ENOMEM;
	memset(sim->workers, 0, n * sizeof(*sim->workers));
	pthread_mutex_init(&sim->lock, NULL);
	pthread_cond_init(&sim->done, NULL);
	for (uint32_t k = 0; k < n; k++) {
		sim->workers[k].sim = sim;
		pthread_cond_init(&sim->workers[k].wake, NULL);
		if (sim->log &&
		    rumor_log_writer_open_memory(&sim->workers[k].log))
			return RUMOR_ENOMEM;
	}
	for (uint32_t k = 1; k < n; k++) {
		if (pthread_create(&sim->workers[k].thread, NULL, helper_main,
		                   &sim->workers[k]))
			return RUMOR_ENOMEM;
		sim->workers[k].started = 1;
		sim->threads_started++;
	}
	return 0;
}

void
rumor__sim_threads_free(struct rumor_sim *sim)
{
	if (sim->workers == NULL)
		return;
	pthread_mutex_lock(&sim->lock);
	sim->stopping = 1;
	for (uint32_t k = 0; k < sim->cfg.threads; k++)
		pthread_cond_signal(&sim->workers[k].wake);
	pthread_mutex_unlock(&sim->lock);
	for (uint32_t k = 0; k < sim->cfg.threads; k++) {
		struct sim_worker *w = &sim->workers[k];
		if (w->started)
			pthread_join(w->thread, NULL);
		rumor_log_writer_close(w->log);
		pthread_cond_destroy(&w->wake);
		free(w->out);
		free(w->reply_buf);
	}
	pthread_mutex_destroy(&sim->lock);
	pthread_cond_destroy(&sim->done);
	free(sim->workers);
	sim->workers = NULL;
	free(sim->round);
}

static int
by_member_then_seq(const void *pa, const void *pb)
{
	const struct sim_event *a = pa, *b = pb;

	if (a->member != b->member)
		return a->member < b->member ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The work an event is likely to be: a datagram's entries cost the most,
 * and its size tells how many it has. */
static uint64_t
event_weight(const struct sim_event *ev)
{
	if (ev->kind == SIM_EV_DELIVER)
		return 4 + ((const struct sim_dgram *)ev->u.ptr)->len / 16;
	return 4;
}

/* Cut the round into runs of members of about equal expected work. */
static void
share_out(struct rumor_sim *sim)
{
	uint32_t n = sim->cfg.threads, k = 0;
	uint64_t total = 0, sum = 0;
	size_t start = 0;

	if (n > sim->n_round / SIM_SHARE_MIN_EVENTS)
		n = (uint32_t)(sim->n_round / SIM_SHARE_MIN_EVENTS);
	if (n == 0 || sim->threads_started == 0 || sim->hooks.on_event ||
	    sim->hooks.on_send || sim->hooks.on_notice)
		n = 1;
	for (size_t i = 0; n > 1 && i < sim->n_round; i++)
		total += event_weight(&sim->round[i]);
	for (size_t i = 1; i <= sim->n_round && k + 1 < n; i++) {
		sum += event_weight(&sim->round[i - 1]);
		if (i < sim->n_round &&
		    sim->round[i].member == sim->round[i - 1].member)
			continue;
		if (sum * n >= (k + 1) * total) {
			sim->workers[k].ev = sim->round + start;
			sim->workers[k].n_ev = i - start;
			start = i;
			k++;
		}
	}
	sim->workers[k].ev = sim->round + start;
	sim->workers[k].n_ev = sim->n_round - start;
	sim->n_active = k + 1;
}

static void
run_shares(struct rumor_sim *sim)
{
	uint32_t helpers = sim->n_active - 1;

	if (helpers == 0) {
		run_share(&sim->workers[0]);
		return;
	}
	sim->stats.rounds_shared++;
	sim->n_done = 0;
	for (uint32_t k = 1; k <= helpers; k++)
		sim->workers[k].go++;
	pthread_mutex_lock(&sim->lock);
	for (uint32_t k = 1; k <= helpers; k++)
		pthread_cond_signal(&sim->workers[k].wake);
	pthread_mutex_unlock(&sim->lock);
	run_share(&sim->workers[0]);
	for (int i = 0; sim->n_done < helpers && keep_polling(i); i++)
		;
	pthread_mutex_lock(&sim->lock);
	while (sim->n_done < helpers)
		pthread_cond_wait(&sim->done, &sim->lock);
	pthread_mutex_unlock(&sim->lock);
}

/* What the workers produced, in worker order (= member order). */
static void
apply_shares(struct rumor_sim *sim)
{
	for (uint32_t k = 0; k < sim->n_active; k++) {
		struct sim_worker *w = &sim->workers[k];
		uint64_t *to = (uint64_t *)&sim->stats;
		const uint64_t *from = (const uint64_t *)&w->stats;

		for (size_t i = 0; i < w->n_out; i++)
			if (!sim->fatal &&
			    rumor__sim_heap_push(&sim->heap, &w->out[i]))
				sim->fatal = RUMOR_ENOMEM;
			else if (sim->fatal)
				rumor__sim_free_payload(&w->out[i]);
		w->n_out = 0;
		for (size_t i = 0; i < sizeof(w->stats) / sizeof(*to); i++)
			to[i] += from[i];
		memset(&w->stats, 0, sizeof(w->stats));
		rumor__sim_keep_first(&sim->fatal, w->fatal); /* 0: no-op */
		rumor__sim_keep_first(&sim->log_errno, w->log_errno);
		w->fatal = w->log_errno = 0;
		if (w->log && rumor_log_writer_move(sim->log, w->log))
			rumor__sim_keep_first(&sim->log_errno, errno);
	}
}

_Static_assert(sizeof(struct rumor_sim_stats) % sizeof(uint64_t) == 0,
               "rumor_sim_stats: counters only");

/*
 * One round of ms t: pop what is due (actions run as they pop), then the
 * members' events. Returns 1 if there was anything.
 */
static int
round_at(struct rumor_sim *sim, uint64_t t)
{
	const struct sim_event *top;
	struct sim_event ev;

	sim->n_round = 0;
	while (!sim->fatal && (top = rumor__sim_heap_peek(&sim->heap)) &&
	       top->at_ms == t) {
		rumor__sim_heap_pop(&sim->heap, &ev);
		if (ev.kind == SIM_EV_ACTION) {
			dispatch(sim, &ev);
			continue;
		}
		if (append_event(&sim->round, &sim->n_round, &sim->cap_round,
		                 &ev)) {
			rumor__sim_free_payload(&ev);
			sim->fatal = RUMOR_ENOMEM;
			break;
		}
	}
	if (sim->n_round == 0)
		return 0;
	qsort(sim->round, sim->n_round, sizeof(*sim->round),
	      by_member_then_seq);
	share_out(sim);
	run_shares(sim);
	apply_shares(sim);
	return 1;
}

/*
 * Process every event of the earliest pending ms if it is <= end, in
 * rounds until nothing more is due at that ms. Returns 1 when a ms was
 * processed, 0 when there was none.
 */
static int
step_ms(struct rumor_sim *sim, uint64_t end)
{
	const struct sim_event *top = rumor__sim_heap_peek(&sim->heap);
	uint64_t t;

	if (!top || top->at_ms > end)
		return 0;
	t = top->at_ms;
	sim->now = t;
	while (!sim->fatal && round_at(sim, t))
		;
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
