/* SPDX-License-Identifier: MIT */
/* Partitions, loss changes, injected datagrams and scheduled actions. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int
rumor_sim_partition(struct rumor_sim *sim, uint32_t first, uint32_t last)
{
	if (first > last || last >= sim->cfg.n_members)
		return RUMOR_EINVAL;
	rumor__sim_net_partition(&sim->net, first, last);
	rumor__sim_log_partition(sim);
	return 0;
}

int
rumor_sim_heal(struct rumor_sim *sim)
{
	rumor__sim_net_heal(&sim->net);
	rumor__sim_log_truth(sim, RUMOR_LOG_HEAL, NULL);
	return 0;
}

int
rumor_sim_set_loss(struct rumor_sim *sim, double loss)
{
	if (!(loss >= 0 && loss <= 1))
		return RUMOR_EINVAL;
	sim->net.loss = loss;
	sim->cfg.loss = loss;
	return 0;
}

int
rumor_sim_inject(struct rumor_sim *sim, uint32_t from, uint32_t to,
                 const uint8_t *data, size_t len)
{
	struct sim_dgram *d;

	if (from >= sim->cfg.n_members || to >= sim->cfg.n_members ||
	    len > UINT32_MAX || (!data && len))
		return RUMOR_EINVAL;
	d = malloc(sizeof(*d) + len);
	if (!d)
		return RUMOR_ENOMEM;
	d->from = from;
	d->len = (uint32_t)len;
	if (len)
		memcpy(d->data, data, len);
	if (rumor__sim_push(sim, sim->now, SIM_EV_DELIVER, to, d)) {
		free(d);
		return RUMOR_ENOMEM;
	}
	sim->stats.datagrams_injected++;
	return 0;
}

/* Apply one member action to first..last; count what could not be done. */
static void
action_members(struct rumor_sim *sim, const struct rumor_sim_action *a,
               int (*fn)(struct rumor_sim *, uint32_t))
{
	for (uint32_t i = a->first; i <= a->last; i++) {
		if (fn(sim, i))
			sim->stats.actions_skipped++;
		else
			sim->stats.actions_done++;
	}
}

void
rumor__sim_action_run(struct rumor_sim *sim, const struct rumor_sim_action *a)
{
	switch ((int)a->kind) {
	case RUMOR_SIM_CRASH:
		action_members(sim, a, rumor_sim_crash);
		break;
	case RUMOR_SIM_LEAVE:
		action_members(sim, a, rumor_sim_leave);
		break;
	case RUMOR_SIM_RESTART:
		action_members(sim, a, rumor_sim_restart);
		break;
	case RUMOR_SIM_PARTITION:
		rumor_sim_partition(sim, a->first, a->last);
		sim->stats.actions_done++;
		break;
	case RUMOR_SIM_HEAL:
		rumor_sim_heal(sim);
		sim->stats.actions_done++;
		break;
	case SIM_ACT_SICK:
	case SIM_ACT_WELL:
		rumor__sim_sick(sim, a->first, (int)a->kind == SIM_ACT_SICK);
		sim->stats.actions_done++;
		break;
	default:
		sim->stats.actions_skipped++;
		break;
	}
}
