/* SPDX-License-Identifier: MIT */
/*
 * The simulated network between members: partitions, per-datagram loss and
 * a uniform one-way delay, drawn from the sending member's own stream of the
 * network's randomness (sim_member.net_rng); and the sick members' faults
 * (docs/sim.md "Sick members"): deaf, mute, one-way loss and cuts between
 * sets of members, slow receivers, extra delay with jitter, pauses.
 * Order of the checks for one datagram: partition and link faults, then a
 * mute sender (no randomness used), then loss (one draw), then delay (one
 * draw, delivered datagrams only; one more per jittered end).
 */
#ifndef RUMOR_SIM_NET_H
#define RUMOR_SIM_NET_H

#include <stdint.h>

#include "rumor/rng.h"

enum sim_verdict {
	SIM_NET_DELIVER, /**< deliver after *delay_ms */
	SIM_NET_LOST,    /**< lost by the loss model */
	SIM_NET_CUT,     /**< sender and receiver are in different groups */
	SIM_NET_FAULT    /**< a mute sender, or a link fault between them */
};

/** A member's own faults now (counts and sums: overlapping faults add). */
struct sim_sick {
	uint32_t deaf, mute;   /**< faults making it deaf / mute */
	uint32_t slow_ms;      /**< what it receives is processed this late */
	uint32_t delay_ms;     /**< extra delay on its links ... */
	uint32_t jitter_ms;    /**< ... plus or minus up to this */
	uint64_t paused_until; /**< its events wait until this ms */
};

/** A one-way loss or a cut between two sets of members, while active. */
struct sim_link {
	uint32_t fault; /**< the fault's number (its actions find it) */
	int both;       /**< 0: A -> B lost; 1: A <-> B lost (a cut) */
	uint8_t *side;  /**< n entries: bit 0 in A, bit 1 in B */
};

struct sim_net {
	double loss;           /**< [0,1] */
	uint32_t delay_min_ms; /**< <= delay_max_ms */
	uint32_t delay_max_ms;
	uint32_t n;             /**< members */
	uint32_t *group;        /**< group of each member; 0 = not cut */
	uint32_t next_group;    /**< next fresh group number */
	struct sim_sick *sick;  /**< n entries */
	struct sim_link *links; /**< active link faults */
	size_t n_links;
};

/** Allocate the group table. 0 or RUMOR_ENOMEM. */
int rumor__sim_net_init(struct sim_net *net, uint32_t n, double loss,
                        uint32_t delay_min_ms, uint32_t delay_max_ms);
void rumor__sim_net_destroy(struct sim_net *net);
/** Decide the fate of one datagram from -> to (indices < n), drawing from
 * rng (the sender's stream). */
enum sim_verdict rumor__sim_net_route(const struct sim_net *net,
                                      struct rumor_rng *rng, uint32_t from,
                                      uint32_t to, uint32_t *delay_ms);
/** One delay draw (join streams: no loss, as TCP). */
uint32_t rumor__sim_net_delay(const struct sim_net *net, struct rumor_rng *rng);
/** 1 when a link fault loses what a sends to b. */
int rumor__sim_net_link_lost(const struct sim_net *net, uint32_t a, uint32_t b);
/** 1 when a and b are in different groups, or a link fault loses what a
 * sends to b. */
static inline int
rumor__sim_net_is_cut(const struct sim_net *net, uint32_t a, uint32_t b)
{
	return net->group[a] != net->group[b] ||
	       (net->n_links && rumor__sim_net_link_lost(net, a, b));
}
/** 1 when a join stream between a and b cannot work: cut either way, or
 * either end deaf or mute (TCP needs both directions). */
static inline int
rumor__sim_net_stream_cut(const struct sim_net *net, uint32_t a, uint32_t b)
{
	return rumor__sim_net_is_cut(net, a, b) ||
	       rumor__sim_net_is_cut(net, b, a) || net->sick[a].deaf ||
	       net->sick[a].mute || net->sick[b].deaf || net->sick[b].mute;
}
/** Put first..last (< n) into a new group of their own. */
void rumor__sim_net_partition(struct sim_net *net, uint32_t first,
                              uint32_t last);
/** Everyone back in group 0. */
void rumor__sim_net_heal(struct sim_net *net);

#endif
