/* SPDX-License-Identifier: MIT */
/*
 * A small scripted cluster of cores in virtual time for the core's own
 * tests (tarantool's swim_test_utils idea): datagrams are delivered after a
 * fixed delay with an optional seeded loss, join streams answer at once,
 * and waiters run virtual time until a predicate holds. The full simulator
 * (src/sim) is separate; this harness stays small so that a core test fails
 * for the core's reasons only.
 */
#ifndef RUMOR_TEST_HARNESS_H
#define RUMOR_TEST_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "rumor/core.h"

struct cluster;

/** n cores on 127.0.0.1:3000+i, version 100+i; core 0 bootstraps. */
struct cluster *cluster_new(int n, const struct rumor_config *cfg,
                            uint64_t seed);
void cluster_free(struct cluster *c);
/** Start: core 0 bootstraps at now, the others join through it. */
void cluster_start(struct cluster *c);
void cluster_run_for(struct cluster *c, uint64_t ms);
uint64_t cluster_now(const struct cluster *c);
/** Loss probability for every datagram from now on, [0,1]. */
void cluster_set_loss(struct cluster *c, double loss);
/** Block/unblock all traffic to and from core i. */
void cluster_block(struct cluster *c, int i, bool blocked);
/** Core i receives nothing (datagrams already on the way are lost too). */
void cluster_set_deaf(struct cluster *c, int i, bool deaf);
/** Core i sends nothing. */
void cluster_set_mute(struct cluster *c, int i, bool mute);
/** Lose (or stop losing) every datagram from core `from` to core `to`. */
void cluster_cut_link(struct cluster *c, int from, int to, bool cut);
/** Free core i without a leave. */
void cluster_crash(struct cluster *c, int i);
/** Voluntary leave of core i. */
void cluster_leave(struct cluster *c, int i);
/** Restart i with a new version (its old core is crashed first). */
void cluster_restart(struct cluster *c, int i, uint64_t version);
/** Restart i with a new version that bootstraps a group of its own. */
void cluster_restart_bootstrap(struct cluster *c, int i, uint64_t version);
struct rumor_core *cluster_core(struct cluster *c, int i);
const struct rumor_member_id *cluster_id(struct cluster *c, int i);
/** Inject raw bytes into core i as if sent from core `from`. */
int cluster_inject(struct cluster *c, int i, int from, const uint8_t *data,
                   size_t len);

/**
 * What `observer` believes about member `member` (its current id):
 * a status, or -1 when it has no entry.
 */
int cluster_status(struct cluster *c, int observer, int member);
int cluster_status_of(struct cluster *c, int observer,
                      const struct rumor_member_id *id);
/** Run until every running core other than member reports status for it
 * (-1: has no entry) or timeout_ms passes. 0 on success, -1 on timeout. */
int cluster_wait_everywhere(struct cluster *c, int member, int status,
                            uint64_t timeout_ms);
int cluster_wait_anywhere(struct cluster *c, int member, int status,
                          uint64_t timeout_ms);
/** Every running core lists every running core alive. */
int cluster_wait_converged(struct cluster *c, uint64_t timeout_ms);

/** Events seen, for assertions: count of kind about member id seen by anyone.
 */
int cluster_count_events(struct cluster *c, enum rumor_event_kind kind,
                         const struct rumor_member_id *member);
/** The time the first event of kind about member was seen, or UINT64_MAX. */
/** The time the last event of kind about member was seen, or 0. */
uint64_t cluster_last_event_ms(struct cluster *c, enum rumor_event_kind kind,
                               const struct rumor_member_id *member);
uint64_t cluster_first_event_ms(struct cluster *c, enum rumor_event_kind kind,
                                const struct rumor_member_id *member);

#endif
