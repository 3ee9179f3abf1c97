/* SPDX-License-Identifier: MIT */
/*
 * A small harness for simulator scenario tests: a scenario is a `rumor sim`
 * command line, parsed by the same code as the command, so a failing test
 * prints the exact command that reproduces it. Every core event is
 * recorded for checks after the run; a few live counters serve as cheap
 * run_until predicates.
 *
 * RUMOR_SIM_TEST_ARGS (environment) is appended to every scenario, e.g.
 * "--suspect-ms 4s" to see the detection bounds fail, or other tunables.
 */
#ifndef RUMOR_TEST_SIM_SCENARIO_H
#define RUMOR_TEST_SIM_SCENARIO_H

#include <stdint.h>

#include "rumor/sim.h"

struct scn_event {
	uint64_t at_ms;
	uint32_t observer; /**< member index */
	enum rumor_event_kind kind;
	enum rumor_via via;
	struct rumor_member_id observer_id;
	struct rumor_member_id member;
};

struct scn_dgram {
	uint32_t from, to;
	uint32_t len;
	uint8_t data[1400];
};

struct scn {
	char args[1024];   /**< the arguments after `rumor sim` */
	char argbuf[1024]; /**< split copy; argv points here */
	char *argv[64];
	int argc;
	struct rumor_sim_options o;
	struct rumor_sim *sim;
	uint32_t n;
	struct scn_event *ev;
	size_t n_ev, cap_ev;
	/* live: who has logged `fail` of the watched id */
	struct rumor_member_id watch;
	int has_watch;
	uint8_t *watch_failed;
	uint32_t n_watch_failed;
	uint64_t n_fail_events; /**< fail events of any id */
	uint32_t want;          /**< predicate target for n_watch_failed */
	/* datagrams sent while capture is set, up to max_cap (test allocs) */
	int capture;
	struct scn_dgram *cap;
	size_t n_cap, max_cap;
	int fatal_seen;
};

/** Parse "--nodes 16 ..." (printf format), create and schedule. */
void scn_open(struct scn *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void scn_close(struct scn *s);
/** Print the failure with the reproducing command, then fail the test. */
void scn_fail(struct scn *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** run_for that fails the test on a fatal core error. */
void scn_run_for(struct scn *s, uint64_t ms);
/** Current id of member i (fails the test if it never started). */
struct rumor_member_id scn_id(struct scn *s, uint32_t i);
/** Watch id: count the observers that log `fail` of it. */
void scn_watch(struct scn *s, const struct rumor_member_id *id);
/** Indices of running members other than `except` (-1 none); count. */
uint32_t scn_running(struct scn *s, int except);
/**
 * Events of kind about id (NULL: any member), at observer (-1: any), in
 * [from_ms, to_ms].
 */
size_t scn_count(const struct scn *s, enum rumor_event_kind kind,
                 const struct rumor_member_id *id, int observer,
                 uint64_t from_ms, uint64_t to_ms);
/** 1 when member i's core lists id (in any status), 0 otherwise. */
int scn_lists(struct scn *s, uint32_t i, const struct rumor_member_id *id,
              enum rumor_member_status *status);
/** 1 when both ids are equal. */
int scn_id_eq(const struct rumor_member_id *a, const struct rumor_member_id *b);
/** "127.0.0.1:3007#12001" into a static buffer (two rotating slots). */
const char *scn_fmt(const struct rumor_member_id *id);
/** The seeds each scenario runs with. */
extern const uint64_t scn_seeds[];
extern const size_t scn_n_seeds;

#endif
