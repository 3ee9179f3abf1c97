/* SPDX-License-Identifier: MIT */
/*
 * MP1 compatibility (docs/mp1.md): the scenarios of the Coursera "Cloud
 * Computing Concepts" membership assignment (MP1), run on rumor's own core,
 * and a checker of the assignment's scoring rules.
 *
 * The run: 10 members with the MP1 addresses 1.0.0.0:0 .. 10.0.0.0:0
 * (member index i is (i+1).0.0.0; index 0 is the introducer) in an
 * emulated network of ticks. A message sent in tick t is received in tick
 * t+1. Each tick: every queued message is delivered to the started, alive
 * members in ascending index; then, in descending index, members whose
 * start tick is now start (the introducer bootstraps, the others send their
 * join request) and every other started member runs its periodic step
 * (rumor_core_handle_timeout at the tick's time); then the fault injector.
 * Tick t is the core time t * RUMOR_MP1_TICK_MS.
 *
 * The log: a `dbg.log` in the assignment's format. It starts with the line
 * "131"; each entry is "\n ADDR [TICK] MESSAGE". A core `join` event is
 * "Node ADDR joined at time T", a core `remove` event (the entry deleted
 * T_cleanup after the failure) is "Node ADDR removed at time T"; the
 * injector writes "Node failed at time=T" (single) or "Node failed at
 * time = T" (each of the five, multi) with the failed member's address.
 *
 * Deterministic: the same scenario, seed and settings give the same bytes.
 */
#ifndef RUMOR_MP1_H
#define RUMOR_MP1_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rumor/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Members in every scenario. */
#define RUMOR_MP1_MEMBERS 10
/** Ticks in a run (0 .. RUMOR_MP1_TICKS - 1). */
#define RUMOR_MP1_TICKS 700
/** The injector fails members at the end of this tick. */
#define RUMOR_MP1_FAIL_TICK 100
/** The members failed in multifailure. */
#define RUMOR_MP1_MULTI_FAILED 5
/** Core ms per tick. */
#define RUMOR_MP1_TICK_MS 100
/** The first line of every dbg.log. */
#define RUMOR_MP1_MAGIC 131
/** Core port of every member (MP1's port 0 is not a valid rumor port). */
#define RUMOR_MP1_CORE_PORT 3000
/** Bytes enough for "10.0.0.0:0" style addresses (any a.b.c.d:port). */
#define RUMOR_MP1_ADDR_STRLEN 24

enum rumor_mp1_scenario {
	RUMOR_MP1_SINGLE,  /**< singlefailure */
	RUMOR_MP1_MULTI,   /**< multifailure */
	RUMOR_MP1_MSGDROP, /**< msgdropsinglefailure */
	RUMOR_MP1_SCENARIO_MAX
};

/** "singlefailure", "multifailure", "msgdropsinglefailure"; "?" else. */
const char *rumor_mp1_scenario_name(enum rumor_mp1_scenario s);
/** Parse a scenario name. Returns 0 or RUMOR_EINVAL. */
int rumor_mp1_scenario_parse(const char *name, enum rumor_mp1_scenario *out);

/** One run's settings. rumor_mp1_config_init() fills the defaults. */
struct rumor_mp1_config {
	enum rumor_mp1_scenario scenario;
	uint64_t seed; /**< master seed (default 1) */
	/**
	 * Every member's core settings; rumor_mp1_config_init() sets the MP1
	 * timings (docs/mp1.md): T_heartbeat 1 tick, T_gossip 2 ticks,
	 * T_suspect 5, T_fail 5, T_cleanup 20 ticks.
	 */
	struct rumor_config core;
	/** dbg.log path, replaced if it exists; NULL: none. Borrowed. */
	const char *dbg_log_path;
	/** rumor's JSON event log as well ("-" = stdout); NULL: none. */
	const char *log_path;
	int trace; /**< nonzero: send/recv/drop lines in the JSON log */
};

/** Fill cfg for scenario s with seed 1 and the MP1 core timings. */
void rumor_mp1_config_init(struct rumor_mp1_config *cfg,
                           enum rumor_mp1_scenario s);
/** The MP1 core timings alone (the rest as rumor_config_init). */
void rumor_mp1_core_defaults(struct rumor_config *core);

/** What a run did (members are indices 0..9; -1 = never). */
struct rumor_mp1_result {
	uint32_t n_failed;
	uint32_t failed[RUMOR_MP1_MULTI_FAILED]; /**< indices, ascending */
	/** remove_tick[o][m]: first tick observer o logged m removed */
	int32_t remove_tick[RUMOR_MP1_MEMBERS][RUMOR_MP1_MEMBERS];
	/** how many times observer o logged m removed */
	uint32_t removes[RUMOR_MP1_MEMBERS][RUMOR_MP1_MEMBERS];
	/** join_tick[o][m]: first tick observer o logged m joined */
	int32_t join_tick[RUMOR_MP1_MEMBERS][RUMOR_MP1_MEMBERS];
	/** core events of all members, by enum rumor_event_kind */
	uint64_t events[RUMOR_EV_MAX];
	uint64_t datagrams_sent, datagrams_dropped, datagrams_delivered;
	uint64_t datagrams_to_dead; /**< sent to a failed member */
	uint64_t streams_opened, streams_failed;
	uint64_t bytes_sent;
	/** Which log could not be opened or written: 0 none, 1 the dbg.log,
	 * 2 the JSON log (with rumor_mp1_run's RUMOR_EINVAL or -1). */
	int bad_log;
};

/**
 * Run one scenario, writing the logs of cfg. Returns 0 with *out filled;
 * RUMOR_EINVAL for a bad cfg (scenario or core settings), or when a log
 * cannot be opened (errno set); -1 with errno set when writing a log
 * failed; RUMOR_ENOMEM or another fatal core error (the run stopped).
 */
int rumor_mp1_run(const struct rumor_mp1_config *cfg,
                  struct rumor_mp1_result *out);

/* ---- the checker of the scoring rules (`rumor mp1-grade`) ---- */

/** One scored block of a log. */
struct rumor_mp1_block {
	const char *name; /**< "join", "completeness", "accuracy" */
	int points, max;
	int scored; /**< 0: reported but not scored (drop accuracy) */
};

/** How the scenario of a graded log was determined. */
enum rumor_mp1_source {
	RUMOR_MP1_FROM_CALLER, /**< given (--scenario) */
	RUMOR_MP1_FROM_HEADER, /**< the header line rumor sim writes */
	RUMOR_MP1_FROM_FORMAT  /**< the failure lines' format */
};

/** The grade of one dbg.log. */
struct rumor_mp1_grade {
	enum rumor_mp1_scenario scenario;
	enum rumor_mp1_source source;
	struct rumor_mp1_block blocks[3];
	size_t n_blocks;
	int points, max; /**< over the scored blocks */
	/** failed members' addresses, from the injector's lines */
	char failed[RUMOR_MP1_MULTI_FAILED][RUMOR_MP1_ADDR_STRLEN];
	size_t n_failed;
	int fail_time; /**< the injector's time, -1 when there is none */
	/** one line per reason a point was lost, "block: why" (owned) */
	char **reasons;
	size_t n_reasons;
	/** observations that cost nothing (owned) */
	char **notes;
	size_t n_notes;
};

/**
 * Grade the dbg.log at path. scenario is RUMOR_MP1_SCENARIO_MAX to detect
 * it: from rumor's header line if there is one, else from the failure
 * lines (" = " is multifailure; "=" singlefailure, never the drop
 * scenario). Returns 0 with *g filled (free it with rumor_mp1_grade_free);
 * RUMOR_EINVAL when the file cannot be read (errno set) or is not a dbg.log
 * (its first line is not "131"; why is written to err, err_cap bytes, when
 * err is not NULL); RUMOR_ENOMEM.
 */
int rumor_mp1_grade_file(const char *path, enum rumor_mp1_scenario scenario,
                         struct rumor_mp1_grade *g, char *err, size_t err_cap);
/** Free the reasons and notes; g stays valid (empty). NULL allowed. */
void rumor_mp1_grade_free(struct rumor_mp1_grade *g);
/** Print the points per block and every reason, as `rumor mp1-grade`. */
void rumor_mp1_grade_print(const struct rumor_mp1_grade *g, const char *name,
                           FILE *out);

#ifdef __cplusplus
}
#endif
#endif
