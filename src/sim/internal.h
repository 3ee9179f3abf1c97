/* SPDX-License-Identifier: MIT */
/*
 * The simulator's private state, shared by its files:
 *   sim.c     object lifecycle, inspection
 *   run.c     the event loop, timers, run_for/run_until, scheduling
 *   member.c  member start/stop/crash/restart/leave and the core callbacks
 *   stream.c  join streams between members
 *   faults.c  partitions, loss, injection, scheduled actions
 *   simlog.c  the simulator's own log lines (start, stop, ground truth)
 */
#ifndef RUMOR_SIM_INTERNAL_H
#define RUMOR_SIM_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include "rumor/core.h"
#include "rumor/log.h"
#include "rumor/sim.h"

#include "heap.h"
#include "net.h"

/** A datagram in flight (payload of SIM_EV_DELIVER). */
struct sim_dgram {
	uint32_t from;
	uint32_t len;
	uint8_t data[];
};

/** A join-stream request or its answer in flight. */
struct sim_stream {
	uint32_t joiner;      /**< member that opened the stream */
	uint32_t joiner_life; /**< its life count: a restart orphans it */
	uint32_t target;      /**< member the request goes to */
	int err;              /**< SIM_EV_STREAM_FAIL: the error to report */
	uint64_t stream_id;   /**< the joiner core's id for it */
	size_t len;
	uint8_t data[];
};

/** A scheduled fault (sick.c); f's sets are not kept (resolved into side). */
struct sim_fault {
	struct rumor_sim_fault f;
	uint8_t *side; /**< n_members entries: bit 0 in a, bit 1 in b */
	uint32_t n_on; /**< bursts started and not ended */
};

/** Internal action kinds (rumor_sim_action.first = the fault's number). */
#define SIM_ACT_SICK (RUMOR_SIM_ACTION_MAX + 1)
#define SIM_ACT_WELL (RUMOR_SIM_ACTION_MAX + 2)

struct sim_member {
	struct rumor_sim *sim;
	struct rumor_core *core; /**< NULL when not running */
	/** The network's draws (loss, delay) for what this member sends: one
	 * stream per member, so that a run does not depend on which thread
	 * processes whom. */
	struct rumor_rng net_rng;
	struct rumor_member_id id; /**< current id, or the last one */
	uint32_t index;
	uint32_t life;       /**< cores created for this member so far */
	uint64_t timer_gen;  /**< TIMER events with another gen are stale */
	uint64_t timer_at;   /**< armed deadline or RUMOR_NO_DEADLINE */
	uint64_t fire_ms;    /**< livelock guard: last timer ms ... */
	uint32_t fire_count; /**< ... and how often it fired at that ms */
};

/**
 * The share of one virtual ms that one thread processes: the events of a
 * run of members, in (member, seq) order. What they produce is kept here
 * and applied after the ms, worker by worker, so the heap, the log and the
 * counters see the same order whatever the number of threads.
 */
struct sim_worker {
	/* each worker's counters on lines of their own: no false sharing */
	_Alignas(64) struct rumor_sim *sim;
	struct sim_event *ev; /**< this ms's share (points into sim->round) */
	size_t n_ev;
	struct sim_event *out; /**< events to push, in order */
	size_t n_out, cap_out;
	struct rumor_sim_stats stats; /**< added to sim->stats */
	struct rumor_log_writer *log; /**< memory writer, or NULL */
	int fatal, log_errno;
	uint8_t *reply_buf; /**< join replies are served into this */
	size_t reply_cap;
	pthread_t thread;
	int started;
	/* a helper's start signal, polled on a line of its own */
	_Alignas(64) _Atomic uint64_t go; /**< bumped: a share is ready */
	pthread_cond_t wake;
	_Alignas(64) char end;
};

struct rumor_sim {
	struct rumor_sim_config cfg;
	char *log_path; /**< owned copy; cfg.log_path points here */
	struct sim_member *members;
	struct sim_heap heap;
	struct sim_net net;
	struct rumor_log_writer *log;
	struct rumor_sim_hooks hooks;
	struct rumor_sim_stats stats;
	uint64_t now;
	int fatal;     /**< first fatal error; the run stops */
	int log_errno; /**< first failed log write's errno, 0 if none */
	int finished;
	struct sim_fault *faults; /**< sick.c: every fault scheduled */
	size_t n_faults, cap_faults;
	/* threads (run.c) */
	struct sim_worker *workers; /**< cfg.threads of them */
	struct sim_event *round;    /**< one ms's member events */
	size_t n_round, cap_round;
	pthread_mutex_t lock;
	pthread_cond_t done;
	/* the flag the main thread polls, on a line of its own */
	_Alignas(64) _Atomic uint32_t n_done; /**< helpers done this ms */
	_Alignas(64) char after_flags;
	uint32_t n_active;        /**< workers with a share this ms */
	_Atomic int stopping;     /**< helpers exit */
	uint32_t threads_started; /**< helpers running (cfg.threads - 1) */
};

/**
 * The worker whose share this thread is processing, or NULL outside the
 * ms's member events (actions, API calls): then the simulator's own state
 * is used directly.
 */
extern _Thread_local struct sim_worker *rumor__sim_worker;

static inline struct rumor_sim_stats *
rumor__sim_stats(struct rumor_sim *sim)
{
	return rumor__sim_worker ? &rumor__sim_worker->stats : &sim->stats;
}

/** The log to write to now, or NULL without a log. */
static inline struct rumor_log_writer *
rumor__sim_log(struct rumor_sim *sim)
{
	return sim->log && rumor__sim_worker ? rumor__sim_worker->log
	                                     : sim->log;
}

/** Set *slot to err unless it holds an earlier error (the first wins). */
static inline void
rumor__sim_keep_first(int *slot, int err)
{
	if (!*slot)
		*slot = err;
}

/** Remember the first failed log write's errno. */
static inline void
rumor__sim_log_failed(struct rumor_sim *sim, int err)
{
	rumor__sim_keep_first(rumor__sim_worker ? &rumor__sim_worker->log_errno
	                                        : &sim->log_errno,
	                      err);
}

/* run.c */
int rumor__sim_threads_init(struct rumor_sim *sim);
void rumor__sim_threads_free(struct rumor_sim *sim);
int rumor__sim_push(struct rumor_sim *sim, uint64_t at_ms, uint32_t kind,
                    uint32_t member, void *ptr);
void rumor__sim_rearm(struct sim_member *m);
void rumor__sim_check(struct rumor_sim *sim, int rc);
void rumor__sim_free_payload(struct sim_event *ev);

/* member.c */
int rumor__sim_member_start(struct rumor_sim *sim, uint32_t i, int is_restart);
void rumor__sim_member_stop(struct sim_member *m);
void rumor__sim_deliver(struct rumor_sim *sim, uint32_t to,
                        struct sim_dgram *d);
int rumor__sim_addr_index(const struct rumor_sim *sim,
                          const struct rumor_addr *a);

/* stream.c */
int rumor__sim_stream_open(struct sim_member *m, uint64_t stream_id,
                           const struct rumor_addr *to, const uint8_t *req,
                           size_t len);
void rumor__sim_stream_request(struct rumor_sim *sim, struct sim_stream *s);
void rumor__sim_stream_reply(struct rumor_sim *sim, struct sim_stream *s);
void rumor__sim_stream_fail(struct rumor_sim *sim, struct sim_stream *s);

/* faults.c */
void rumor__sim_action_run(struct rumor_sim *sim,
                           const struct rumor_sim_action *a);

/* sick.c */
/** Fault idx starts (on) or ends: network state and the log line. */
void rumor__sim_sick(struct rumor_sim *sim, uint32_t idx, int on);
void rumor__sim_faults_free(struct rumor_sim *sim);

/* simlog.c */
void rumor__sim_log_member(struct rumor_sim *sim, enum rumor_log_ev ev,
                           const struct rumor_member_id *id);
void rumor__sim_log_truth(struct rumor_sim *sim, enum rumor_log_ev ev,
                          const struct rumor_member_id *member);
void rumor__sim_log_partition(struct rumor_sim *sim);
/** `sick` (on) or `well` line of fault idx. */
void rumor__sim_log_sick(struct rumor_sim *sim, uint32_t idx, int on);

#endif
