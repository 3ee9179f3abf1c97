/* SPDX-License-Identifier: MIT */
/*
 * Sick members (docs/sim.md "Sick members"): faults that start and end at
 * scheduled virtual ms, each on a set of members. A fault's start and end
 * are actions (run before the members' events of their ms, on the main
 * thread), so the network's view of them (sim_net.sick, sim_net.links) only
 * changes between rounds and the members' threads read it unlocked.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int
is_link(enum rumor_sim_fault_kind kind)
{
	return kind == RUMOR_SIM_ONEWAY || kind == RUMOR_SIM_CUT;
}

/* The fault's sides: bit 0 set for a, bit 1 for b. */
static int
resolve_sides(const struct rumor_sim_fault *f, uint32_t n, uint8_t *side)
{
	uint8_t *b = malloc(n ? n : 1);
	int rc = rumor_sim_set_resolve(&f->a, NULL, n, side);

	if (!b)
		return RUMOR_ENOMEM;
	if (!rc && is_link(f->kind)) {
		rc = rumor_sim_set_resolve(&f->b, &f->a, n, b);
		for (uint32_t i = 0; !rc && i < n; i++)
			side[i] |= (uint8_t)(b[i] << 1);
	}
	free(b);
	return rc;
}

static int
valid(const struct rumor_sim *sim, const struct rumor_sim_fault *f)
{
	if ((unsigned)f->kind >= RUMOR_SIM_FAULT_MAX || f->for_ms == 0 ||
	    f->at_ms < sim->now)
		return 0;
	if (f->kind == RUMOR_SIM_PAUSE && f->count > 1 &&
	    f->period_ms <= f->for_ms)
		return 0;
	return 1;
}

/* Push the internal action kind at ms for fault number idx. */
static int
push_action(struct rumor_sim *sim, uint64_t ms, int kind, uint32_t idx)
{
	struct rumor_sim_action *a = calloc(1, sizeof(*a));

	if (!a)
		return RUMOR_ENOMEM;
	a->kind = (enum rumor_sim_action_kind)kind;
	a->at_ms = ms;
	a->first = a->last = idx;
	if (rumor__sim_push(sim, ms, SIM_EV_ACTION, 0, a)) {
		free(a);
		return RUMOR_ENOMEM;
	}
	return 0;
}

int
rumor_sim_add_fault(struct rumor_sim *sim, const struct rumor_sim_fault *f)
{
	uint32_t n = sim->cfg.n_members, bursts, idx;
	struct sim_fault *rec;
	int rc;

	if (!valid(sim, f))
		return RUMOR_EINVAL;
	if (sim->n_faults == sim->cap_faults) {
		size_t cap = sim->cap_faults ? 2 * sim->cap_faults : 8;
		void *p = realloc(sim->faults, cap * sizeof(*sim->faults));
		if (!p)
			return RUMOR_ENOMEM;
		sim->faults = p;
		sim->cap_faults = cap;
	}
	rec = &sim->faults[sim->n_faults];
	memset(rec, 0, sizeof(*rec));
	rec->f = *f;
	rec->f.a.members = rec->f.b.members = NULL; /* not kept */
	if (!(rec->side = malloc(n ? n : 1)))
		return RUMOR_ENOMEM;
	if ((rc = resolve_sides(f, n, rec->side)) != 0) {
		free(rec->side);
		return rc;
	}
	idx = (uint32_t)sim->n_faults++;
	bursts = f->kind == RUMOR_SIM_PAUSE && f->count > 1 ? f->count : 1;
	for (uint32_t k = 0; k < bursts; k++) {
		uint64_t at = f->at_ms + (uint64_t)k * f->period_ms;
		if ((rc = push_action(sim, at, SIM_ACT_SICK, idx)) ||
		    (rc = push_action(sim, at + f->for_ms, SIM_ACT_WELL, idx)))
			return rc;
	}
	return 0;
}

/* Add (sign 1) or take away (sign -1) one member's share of fault f. */
static void
apply_member(struct rumor_sim *sim, const struct rumor_sim_fault *f, uint32_t i,
             int sign)
{
	struct sim_sick *s = &sim->net.sick[i];

	switch (f->kind) {
	case RUMOR_SIM_DEAF:
		s->deaf += (uint32_t)sign;
		break;
	case RUMOR_SIM_MUTE:
		s->mute += (uint32_t)sign;
		break;
	case RUMOR_SIM_SLOW:
		s->slow_ms += (uint32_t)sign * f->ms;
		break;
	case RUMOR_SIM_DELAY:
		s->delay_ms += (uint32_t)sign * f->ms;
		s->jitter_ms += (uint32_t)sign * f->jitter_ms;
		break;
	case RUMOR_SIM_PAUSE:
		if (sign > 0 && s->paused_until < sim->now + f->for_ms)
			s->paused_until = sim->now + f->for_ms;
		break;
	default:
		break;
	}
}

static void
link_on(struct rumor_sim *sim, struct sim_fault *rec, uint32_t idx)
{
	struct sim_net *net = &sim->net;
	struct sim_link *p =
	    realloc(net->links, (net->n_links + 1) * sizeof(*net->links));

	if (!p) {
		rumor__sim_check(sim, RUMOR_ENOMEM);
		return;
	}
	net->links = p;
	p[net->n_links++] =
	    (struct sim_link){.fault = idx,
	                      .both = rec->f.kind == RUMOR_SIM_CUT,
	                      .side = rec->side};
}

static void
link_off(struct sim_net *net, uint32_t idx)
{
	for (size_t i = 0; i < net->n_links; i++) {
		if (net->links[i].fault != idx)
			continue;
		net->links[i] = net->links[--net->n_links];
		return;
	}
}

void
rumor__sim_sick(struct rumor_sim *sim, uint32_t idx, int on)
{
	struct sim_fault *rec;

	if (idx >= sim->n_faults)
		return;
	rec = &sim->faults[idx];
	if (is_link(rec->f.kind) && on && rec->n_on++ == 0)
		link_on(sim, rec, idx);
	else if (is_link(rec->f.kind) && !on && --rec->n_on == 0)
		link_off(&sim->net, idx);
	for (uint32_t i = 0; !is_link(rec->f.kind) && i < sim->cfg.n_members;
	     i++)
		if (rec->side[i] & 1)
			apply_member(sim, &rec->f, i, on ? 1 : -1);
	rumor__sim_log_sick(sim, idx, on);
}

void
rumor__sim_faults_free(struct rumor_sim *sim)
{
	for (size_t i = 0; i < sim->n_faults; i++)
		free(sim->faults[i].side);
	free(sim->faults);
	sim->faults = NULL;
	sim->n_faults = sim->cap_faults = 0;
}
