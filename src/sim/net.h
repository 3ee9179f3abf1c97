/* SPDX-License-Identifier: MIT */
/*
 * The simulated network between members: partitions, per-datagram loss and
 * a uniform one-way delay, drawn from the sending member's own stream of the
 * network's randomness (sim_member.net_rng).
 * Order of the checks for one datagram: partition (no randomness used),
 * then loss (one draw), then delay (one draw, delivered datagrams only).
 */
#ifndef RUMOR_SIM_NET_H
#define RUMOR_SIM_NET_H

#include <stdint.h>

#include "rumor/rng.h"

enum sim_verdict {
	SIM_NET_DELIVER, /**< deliver after *delay_ms */
	SIM_NET_LOST,    /**< lost by the loss model */
	SIM_NET_CUT      /**< sender and receiver are in different groups */
};

struct sim_net {
	double loss;           /**< [0,1] */
	uint32_t delay_min_ms; /**< <= delay_max_ms */
	uint32_t delay_max_ms;
	uint32_t n;          /**< members */
	uint32_t *group;     /**< group of each member; 0 = not cut */
	uint32_t next_group; /**< next fresh group number */
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
/** 1 when a and b are in different groups. */
static inline int
rumor__sim_net_is_cut(const struct sim_net *net, uint32_t a, uint32_t b)
{
	return net->group[a] != net->group[b];
}
/** Put first..last (< n) into a new group of their own. */
void rumor__sim_net_partition(struct sim_net *net, uint32_t first,
                              uint32_t last);
/** Everyone back in group 0. */
void rumor__sim_net_heal(struct sim_net *net);

#endif
