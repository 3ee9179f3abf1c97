/* SPDX-License-Identifier: MIT */
/*
 * rumor simulator: N protocol cores in one process, in virtual time, over a
 * seeded lossy network model. Deterministic: the same configuration and
 * seed give the same event log, byte for byte (docs/sim.md).
 *
 * Member i has the address 127.0.0.1:(3000 + i). Member 0 is the
 * introducer: it bootstraps the group at virtual time 0; member i starts at
 * i * stagger_ms and joins through member 0. A member's version is
 * 1 + the virtual ms at which it (re)started (kept strictly increasing).
 *
 * Randomness: the network model (loss, delays) has its own generator seeded
 * from the master seed; member i's core is seeded with
 * splitmix64(master ^ i) (restarts mix in the restart count), so turning
 * tracing on or off never changes what the protocol does.
 *
 * The simulator drives only the public core API (include/rumor/core.h),
 * exactly as the libuv runtime does. It is single-threaded and must not be
 * re-entered from its hooks.
 */
#ifndef RUMOR_SIM_H
#define RUMOR_SIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rumor/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Member i listens on 127.0.0.1:(RUMOR_SIM_BASE_PORT + i). */
#define RUMOR_SIM_BASE_PORT 3000
/** Upper bound on n_members (ports stay below 65536). */
#define RUMOR_SIM_MAX_MEMBERS 60000
/** rumor_sim_run_until(): the predicate did not hold in time. */
#define RUMOR_SIM_TIMEOUT (-1)
/** Bound on any virtual time the parsers accept (about 31 years). */
#define RUMOR_SIM_MAX_TIME_MS 1000000000000ULL

/** Simulation settings. rumor_sim_config_init() fills the defaults. */
/** Upper bound of rumor_sim_config.n_tags (--tag flags). */
#define RUMOR_SIM_MAX_TAGS 32

struct rumor_sim_config {
	uint32_t n_members; /**< 1..RUMOR_SIM_MAX_MEMBERS; default 16 */
	uint64_t seed;      /**< master seed; default 1 */
	double loss; /**< [0,1]: fraction of datagrams the network loses */
	uint32_t delay_min_ms; /**< one-way delay, uniform in [min, max] */
	uint32_t delay_max_ms; /**< <= 60000; default 1..10 */
	uint32_t stagger_ms;   /**< member i starts at i * stagger_ms; 5 */
	/**
	 * A join stream to a member that is not running or is cut off fails
	 * after this many ms (a TCP connect timeout); 1..600000, default 1000.
	 */
	uint32_t stream_timeout_ms;
	/** Every member's core settings (rumor_config_init defaults). */
	struct rumor_config core;
	/**
	 * Event log path; NULL: no log; "-": standard output. An existing
	 * regular file is replaced (one log, one run). Copied by
	 * rumor_sim_new().
	 */
	const char *log_path;
	/** Nonzero: send/recv/drop trace lines in the log (core.trace). */
	int trace;
	/**
	 * Threads that process the members' events of one virtual ms
	 * together, 1..RUMOR_SIM_MAX_THREADS; default 1. The run, its log
	 * and its counters are the same for any count (docs/sim.md,
	 * "Threads"). With hooks set (rumor_sim_set_hooks) one thread runs.
	 */
	uint32_t threads;
	/** Tags given to members at start (and restart): tags[k] ("K=V",
	 * pointing into argv) for members tag_first[k]..tag_last[k]. */
	const char *tags[RUMOR_SIM_MAX_TAGS];
	uint32_t tag_first[RUMOR_SIM_MAX_TAGS], tag_last[RUMOR_SIM_MAX_TAGS];
	uint32_t n_tags;
};

/** Upper bound of rumor_sim_config.threads. */
#define RUMOR_SIM_MAX_THREADS 16

/** Fill cfg with the defaults (core defaults from rumor_config_init). */
void rumor_sim_config_init(struct rumor_sim_config *cfg);
/**
 * Check the ranges. Returns 0, or RUMOR_EINVAL with *bad_field (if not
 * NULL) naming the first bad field (static storage; core fields are
 * named as rumor_config_validate names them).
 */
int rumor_sim_config_validate(const struct rumor_sim_config *cfg,
                              const char **bad_field);

/** Scheduled faults (ground truth, also written to the log). */
enum rumor_sim_action_kind {
	RUMOR_SIM_CRASH,     /**< free the cores of members first..last */
	RUMOR_SIM_LEAVE,     /**< make members first..last leave */
	RUMOR_SIM_RESTART,   /**< new cores, same addresses, new versions */
	RUMOR_SIM_PARTITION, /**< cut members first..last from the rest */
	RUMOR_SIM_HEAL,      /**< remove every cut */
	RUMOR_SIM_ACTION_MAX
};
/** "crash", "leave", "restart", "partition", "heal"; "?" otherwise. */
const char *rumor_sim_action_name(enum rumor_sim_action_kind kind);

/** One scheduled fault. first/last are ignored for HEAL. */
struct rumor_sim_action {
	enum rumor_sim_action_kind kind;
	uint64_t at_ms; /**< virtual time */
	uint32_t first; /**< first member index */
	uint32_t last;  /**< last member index, >= first */
};

struct rumor_sim;

/**
 * Sick members (docs/sim.md "Sick members"): faults that last a while and
 * end, each on one member, a set or a share of all.
 */
enum rumor_sim_fault_kind {
	RUMOR_SIM_DEAF,   /**< a receives nothing (datagrams, streams) */
	RUMOR_SIM_MUTE,   /**< a sends nothing */
	RUMOR_SIM_ONEWAY, /**< what a sends to b is lost (b -> a works) */
	RUMOR_SIM_CUT,    /**< a and b cannot talk; both talk to the rest */
	RUMOR_SIM_SLOW,   /**< what a receives is processed ms late */
	RUMOR_SIM_DELAY,  /**< a's links: +ms, plus or minus jitter_ms */
	RUMOR_SIM_PAUSE,  /**< a stopped (SIGSTOP-like) for_ms, in bursts */
	RUMOR_SIM_FAULT_MAX
};
/** "deaf", "mute", "oneway", "cut", "slow", "delay", "pause"; "?". */
const char *rumor_sim_fault_name(enum rumor_sim_fault_kind kind);

/**
 * A set of members: the indices members[0..n) (a heap array), or, with
 * share > 0, that share of all members, evenly spaced: member
 * floor((k + 0.5) * N / m) for k < m = max(1, round(share * N)); or, with
 * rest (b only), every member not in a.
 */
struct rumor_sim_set {
	uint32_t *members;
	size_t n;
	double share; /**< (0, 1] or 0 */
	int rest;
};

/** One sick-member fault. */
struct rumor_sim_fault {
	enum rumor_sim_fault_kind kind;
	uint64_t at_ms;  /**< virtual time it starts */
	uint64_t for_ms; /**< how long it lasts (pause: one burst), > 0 */
	/** pause only: a burst every period_ms (> for_ms), count bursts in
	 * all (1: one; period_ms then unused) */
	uint64_t period_ms;
	uint32_t count;
	struct rumor_sim_set a; /**< the sick members */
	struct rumor_sim_set b; /**< oneway, cut: the other side */
	uint32_t ms;            /**< slow: the lateness; delay: extra ms */
	uint32_t jitter_ms;     /**< delay: plus or minus this, uniform */
};
/** The virtual ms at which the fault's last burst ends. */
uint64_t rumor_sim_fault_end(const struct rumor_sim_fault *f);
/** Free the sets' arrays (the struct itself is the caller's). */
void rumor_sim_fault_clear(struct rumor_sim_fault *f);

/**
 * Schedule a fault: its start and end (each burst's, for pause) become
 * actions at their ms, which write the ground-truth `sick` and `well`
 * lines (node "sim", via = the kind, msg = the fault's number, groups =
 * [a] or [a, b]). Overlapping faults add up (two deaf faults: deaf until
 * both end; delays and lateness add). Returns 0, RUMOR_EINVAL (kind out of
 * range, a member >= n_members, an empty set, at_ms in the past, for_ms
 * 0, a pause period not above for_ms) or RUMOR_ENOMEM. f is copied.
 */
int rumor_sim_add_fault(struct rumor_sim *sim, const struct rumor_sim_fault *f);
/**
 * Members of fault set s (resolved against n members and, for rest, the
 * set a) as a 0/1 array out[0..n). Returns 0 or RUMOR_EINVAL (a member
 * >= n, or an empty set).
 */
int rumor_sim_set_resolve(const struct rumor_sim_set *s,
                          const struct rumor_sim_set *a, uint32_t n,
                          uint8_t *out);

/** Counters since rumor_sim_new(). */
struct rumor_sim_stats {
	uint64_t datagrams_sent;      /**< send_datagram calls */
	uint64_t datagrams_delivered; /**< handed to a receiving core */
	uint64_t datagrams_lost;      /**< lost by the loss model */
	uint64_t datagrams_cut;       /**< dropped by a partition */
	/** dropped by a sick member's fault: mute sender, deaf receiver,
	 * one-way loss or cut between sets */
	uint64_t datagrams_faulted;
	uint64_t events_paused;     /**< events of a paused member postponed */
	uint64_t datagrams_to_dead; /**< arrived at a stopped member */
	uint64_t datagrams_unroutable; /**< to an address no member has */
	uint64_t datagrams_injected;   /**< by rumor_sim_inject() */
	uint64_t bytes_sent;           /**< datagram bytes */
	/** join requests, syncs and their replies: the TCP payload a real
	 * member would send, without the driver's 4-byte framing */
	uint64_t stream_bytes;
	uint64_t streams_opened, streams_served, streams_failed;
	uint64_t core_events; /**< on_event calls, all members */
	uint64_t timers_fired, timers_stale;
	uint64_t actions_done, actions_skipped; /**< skipped: e.g. crash of
	                                           a stopped member */
	uint64_t sim_events;                    /**< heap events processed */
	/** virtual ms whose member events were split between threads */
	uint64_t rounds_shared;
};

struct rumor_sim;

/**
 * Optional observers for tests and tools. They run inside core callbacks:
 * they must not call any rumor_sim_* mutator or any rumor_core_* function
 * of the simulator's cores. Pointers are valid only during the call.
 */
struct rumor_sim_hooks {
	/** Every core event, with the observer's member index. */
	void (*on_event)(void *arg, uint32_t member,
	                 const struct rumor_event *ev);
	/** Every datagram a member sends, before the network model. */
	void (*on_send)(void *arg, uint32_t from, const struct rumor_addr *to,
	                const uint8_t *data, size_t len);
	/** Every core notice (join failed, rejoined, ...). */
	void (*on_notice)(void *arg, uint32_t member,
	                  const struct rumor_notice *n);
	void *arg;
};

/**
 * Create a simulation at virtual time 0: opens the log and schedules the
 * member starts (nothing runs until rumor_sim_run_*). Returns 0,
 * RUMOR_EINVAL (bad cfg, or the log cannot be opened: errno set), or
 * RUMOR_ENOMEM.
 */
int rumor_sim_new(struct rumor_sim **out, const struct rumor_sim_config *cfg);
/**
 * Free the simulation and every core (without leave or log lines; call
 * rumor_sim_finish first for a complete log). NULL is allowed.
 */
void rumor_sim_free(struct rumor_sim *sim);
/**
 * End the run: write `stop` for every running member at the current
 * virtual time and flush the log. Call once. Returns 0, -1 with errno set
 * when a log write failed at any point of the run, or the first fatal core
 * error of the run.
 */
int rumor_sim_finish(struct rumor_sim *sim);

/** Observers (copied); NULL removes them. */
void rumor_sim_set_hooks(struct rumor_sim *sim,
                         const struct rumor_sim_hooks *hooks);

/**
 * Schedule an action at a->at_ms (>= now). Actions at the same ms run in
 * the order they were scheduled, before datagrams scheduled later for that
 * ms. Returns 0 or RUMOR_EINVAL (a member index >= n_members, first >
 * last, kind out of range, or at_ms in the past).
 */
int rumor_sim_schedule(struct rumor_sim *sim, const struct rumor_sim_action *a);

/* ---- immediate faults (at the current virtual time) ---- */

/**
 * Crash member i: free its core without a leave; logs `crash`. Datagrams
 * on the way to it are lost. Returns 0, RUMOR_EINVAL (i out of range) or
 * RUMOR_ESTATE (not running).
 */
int rumor_sim_crash(struct rumor_sim *sim, uint32_t i);
/**
 * Member i leaves voluntarily (rumor_core_leave); once its core reaches
 * RUMOR_STATE_LEFT the simulator logs `stop` and frees it. Returns 0,
 * RUMOR_EINVAL, RUMOR_ESTATE (not running) or the core's error.
 */
int rumor_sim_leave(struct rumor_sim *sim, uint32_t i);
/**
 * Restart member i: a new core on the same address with a greater version
 * (logs `crash` first when it was running, then `restart` with the new id
 * and `start`). Member 0 bootstraps, others join through member 0.
 * Returns 0, RUMOR_EINVAL, RUMOR_ENOMEM or the core's error.
 */
int rumor_sim_restart(struct rumor_sim *sim, uint32_t i);
/**
 * Cut members first..last from everyone else (both directions, datagrams
 * already in flight included, join streams too). Several partitions
 * accumulate: each range becomes a group of its own. Logs `partition`
 * with the resulting groups. Returns 0 or RUMOR_EINVAL.
 */
int rumor_sim_partition(struct rumor_sim *sim, uint32_t first, uint32_t last);
/** Remove every cut; logs `heal`. Returns 0. */
int rumor_sim_heal(struct rumor_sim *sim);
/** Change the loss rate, [0,1]. Returns 0 or RUMOR_EINVAL. */
int rumor_sim_set_loss(struct rumor_sim *sim, double loss);
/**
 * Deliver a copy of data (len bytes) to member `to` now, as if sent from
 * member `from`'s address, bypassing loss, delay and partitions (for
 * stale-gossip tests). Returns 0, RUMOR_EINVAL or RUMOR_ENOMEM.
 */
int rumor_sim_inject(struct rumor_sim *sim, uint32_t from, uint32_t to,
                     const uint8_t *data, size_t len);

/* ---- running ---- */

/**
 * Process every event up to now + ms inclusive, then set the clock to
 * now + ms. Returns 0, or the first fatal core error (RUMOR_ENOMEM,
 * RUMOR_EINTERNAL), after which the simulation stops.
 */
int rumor_sim_run_for(struct rumor_sim *sim, uint64_t ms);
/**
 * Run until pred(arg, sim) is nonzero, checking it now and after all the
 * events of each virtual ms. Returns the virtual ms at which it held,
 * RUMOR_SIM_TIMEOUT when it did not within timeout_ms (the clock is then
 * now + timeout_ms), or a fatal core error (< -1). Keep pred cheap: it can
 * run once per simulated ms (track state with hooks instead of scanning).
 */
int64_t rumor_sim_run_until(struct rumor_sim *sim,
                            int (*pred)(void *arg, struct rumor_sim *sim),
                            void *arg, uint64_t timeout_ms);

/* ---- inspection ---- */

/** Current virtual time in ms. */
uint64_t rumor_sim_now(const struct rumor_sim *sim);
/** n_members. */
uint32_t rumor_sim_size(const struct rumor_sim *sim);
/** The configuration in use (log_path points at the simulator's copy). */
const struct rumor_sim_config *rumor_sim_config(const struct rumor_sim *sim);
/**
 * Member i's core for read-only queries (rumor_core_visit_members, ...),
 * or NULL when i is out of range or not running.
 */
const struct rumor_core *rumor_sim_core(const struct rumor_sim *sim,
                                        uint32_t i);
/**
 * Member i's current id (or, when stopped, its last one). Returns 0,
 * RUMOR_EINVAL (i out of range) or RUMOR_ESTATE (never started).
 */
int rumor_sim_member_id(const struct rumor_sim *sim, uint32_t i,
                        struct rumor_member_id *out);
/** The address of member i: 127.0.0.1:(3000 + i). */
void rumor_sim_member_addr(uint32_t i, struct rumor_addr *out);
/** Counters. */
void rumor_sim_stats(const struct rumor_sim *sim, struct rumor_sim_stats *out);

/* ---- parsers shared by `rumor sim` and tests (0 or RUMOR_EINVAL) ---- */

/**
 * A time with a unit: "30s", "500ms", "1.5s", "2m", "1h"; a whole number
 * of ms, at most RUMOR_SIM_MAX_TIME_MS.
 */
int rumor_sim_parse_time(const char *text, uint64_t *ms);
/** As rumor_sim_parse_time, but a bare number means ms ("200"). */
int rumor_sim_parse_ms(const char *text, uint64_t *ms);
/** A probability "0.1", "0", "1" or a percentage "10%"; in [0,1]. */
int rumor_sim_parse_prob(const char *text, double *p);
/** "A..B" or "A" (ms, units allowed), A <= B <= 60000. */
int rumor_sim_parse_delay(const char *text, uint32_t *min_ms, uint32_t *max_ms);
/** A decimal (or 0x hex) unsigned integer <= max. */
int rumor_sim_parse_uint(const char *text, uint64_t max, uint64_t *out);
/**
 * An action argument: "I@T" or "I-J@T" (member kinds; T a time with a
 * unit), "T" or "@T" (heal). Sets *a (kind too). Member indices are
 * checked against the cluster size only by rumor_sim_schedule.
 */
int rumor_sim_parse_action(enum rumor_sim_action_kind kind, const char *text,
                           struct rumor_sim_action *a);
/**
 * A fault argument (docs/sim.md "Sick members"):
 *   deaf, mute:  SET@T+D          slow:  SET:MS@T+D
 *   delay:       SET:MS~J@T+D     pause: SET@T+D[/P*C]
 *   oneway:      SET>SET@T+D      cut:   SET/SET@T+D
 * SET is I, I-J, a comma list of those, P% (a share of all), or (the
 * second set only) * for every member not in the first. T, D, P take a
 * unit (30s, 300ms); MS and J a unit or bare ms. Fills *f (kind too; the
 * caller frees with rumor_sim_fault_clear, also after an error). Member
 * indices are checked against the cluster size only by the scheduling.
 * Returns 0, or RUMOR_EINVAL with *why (static text) saying what was
 * expected.
 */
int rumor_sim_parse_fault(enum rumor_sim_fault_kind kind, const char *text,
                          struct rumor_sim_fault *f, const char **why);

/* ---- the `rumor sim` command line, shared with the scenario tests ---- */

/** Everything `rumor sim` was asked to do. */
struct rumor_sim_options {
	struct rumor_sim_config cfg;      /**< log_path points into argv */
	uint64_t duration_ms;             /**< default 60 s */
	struct rumor_sim_action *actions; /**< heap array, n_actions long */
	size_t n_actions;
	struct rumor_sim_fault *faults; /**< heap array, n_faults long */
	size_t n_faults;
	int help; /**< --help was given (usage already printed) */
};

/**
 * Parse `rumor sim` arguments (argv[0] is the command name; getopt_long).
 * Returns 0 (also for --help, with o->help set and usage printed to out),
 * or 2 after printing to err a message naming the flag and the value.
 * Call rumor_sim_options_free afterwards in every case.
 */
int rumor_sim_options_parse(struct rumor_sim_options *o, int argc, char **argv,
                            FILE *out, FILE *err);
/** Free o->actions and o->faults. */
void rumor_sim_options_free(struct rumor_sim_options *o);
/** Schedule every action and fault of o. Returns 0 or the first error of
 * rumor_sim_schedule / rumor_sim_add_fault. */
int rumor_sim_options_schedule(struct rumor_sim *sim,
                               const struct rumor_sim_options *o);
/** The `rumor sim --help` text. */
void rumor_sim_usage(FILE *out);

#ifdef __cplusplus
}
#endif
#endif
