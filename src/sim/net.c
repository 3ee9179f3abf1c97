/* SPDX-License-Identifier: MIT */
/* The simulated network: partitions, loss and delay (see net.h). */
#include <stdlib.h>
#include <string.h>

#include "rumor/errors.h"

#include "net.h"

int
rumor__sim_net_init(struct sim_net *net, uint32_t n, double loss,
                    uint32_t delay_min_ms, uint32_t delay_max_ms)
{
	memset(net, 0, sizeof(*net));
	net->group = calloc(n ? n : 1, sizeof(*net->group));
	net->sick = calloc(n ? n : 1, sizeof(*net->sick));
	if (!net->group || !net->sick) {
		rumor__sim_net_destroy(net);
		return RUMOR_ENOMEM;
	}
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
	free(net->sick);
	net->sick = NULL;
	for (size_t i = 0; i < net->n_links; i++)
		free(net->links[i].side);
	free(net->links);
	net->links = NULL;
	net->n_links = 0;
}

uint32_t
rumor__sim_net_delay(const struct sim_net *net, struct rumor_rng *rng)
{
	return net->delay_min_ms +
	       (uint32_t)rumor_rng_below(rng, (uint64_t)net->delay_max_ms -
	                                          net->delay_min_ms + 1);
}

int
rumor__sim_net_link_lost(const struct sim_net *net, uint32_t a, uint32_t b)
{
	for (size_t i = 0; i < net->n_links; i++) {
		const struct sim_link *l = &net->links[i];
		if (((l->side[a] & 1) && (l->side[b] & 2)) ||
		    (l->both && (l->side[a] & 2) && (l->side[b] & 1)))
			return 1;
	}
	return 0;
}

/* One end's extra delay: delay_ms +- jitter_ms (one draw), at least 0. */
static uint32_t
extra_delay(const struct sim_sick *s, struct rumor_rng *rng)
{
	int64_t d = s->delay_ms;

	if (s->jitter_ms)
		d += (int64_t)rumor_rng_below(rng,
		                              2 * (uint64_t)s->jitter_ms + 1) -
		     s->jitter_ms;
	return d > 0 ? (uint32_t)d : 0;
}

enum sim_verdict
rumor__sim_net_route(const struct sim_net *net, struct rumor_rng *rng,
                     uint32_t from, uint32_t to, uint32_t *delay_ms)
{
	const struct sim_sick *f = &net->sick[from], *t = &net->sick[to];

	if (net->group[from] != net->group[to])
		return SIM_NET_CUT;
	if (f->mute ||
	    (net->n_links && rumor__sim_net_link_lost(net, from, to)))
		return SIM_NET_FAULT;
	if (rumor_rng_unit(rng) < net->loss)
		return SIM_NET_LOST;
	*delay_ms = rumor__sim_net_delay(net, rng);
	if (f->delay_ms || f->jitter_ms)
		*delay_ms += extra_delay(f, rng);
	if (t->delay_ms || t->jitter_ms)
		*delay_ms += extra_delay(t, rng);
	*delay_ms += t->slow_ms;
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
