/* SPDX-License-Identifier: MIT */
/* The simulated network: partitions, loss and delay (see net.h). */
#include <stdlib.h>

#include "rumor/errors.h"

#include "net.h"

int
rumor__sim_net_init(struct sim_net *net, uint32_t n, double loss,
                    uint32_t delay_min_ms, uint32_t delay_max_ms)
{
	net->group = calloc(n ? n : 1, sizeof(*net->group));
	if (!net->group)
		return RUMOR_ENOMEM;
	net->n = n;
	net->next_group = 1;
	net->loss = loss;
	net->delay_min_ms = delay_min_ms;
	net->delay_max_ms = delay_max_ms;
	return 0;
}

void
rumor__sim_net_destroy(struct sim_net *net)
{
	free(net->group);
	net->group = NULL;
}

uint32_t
rumor__sim_net_delay(const struct sim_net *net, struct rumor_rng *rng)
{
	return net->delay_min_ms +
	       (uint32_t)rumor_rng_below(rng, (uint64_t)net->delay_max_ms -
	                                          net->delay_min_ms + 1);
}

enum sim_verdict
rumor__sim_net_route(const struct sim_net *net, struct rumor_rng *rng,
                     uint32_t from, uint32_t to, uint32_t *delay_ms)
{
	if (rumor__sim_net_is_cut(net, from, to))
		return SIM_NET_CUT;
	if (rumor_rng_unit(rng) < net->loss)
		return SIM_NET_LOST;
	*delay_ms = rumor__sim_net_delay(net, rng);
	return SIM_NET_DELIVER;
}

void
rumor__sim_net_partition(struct sim_net *net, uint32_t first, uint32_t last)
{
	uint32_t g = net->next_group++;

	for (uint32_t i = first; i <= last && i < net->n; i++)
		net->group[i] = g;
}

void
rumor__sim_net_heal(struct sim_net *net)
{
	for (uint32_t i = 0; i < net->n; i++)
		net->group[i] = 0;
	net->next_group = 1;
}
