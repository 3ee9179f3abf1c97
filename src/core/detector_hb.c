/*
 * The heartbeat failure detector (gossip-style, van Renesse, Minsky and
 * Hayden, Middleware 1998, with SWIM-style suspicion, Das et al. 2002):
 *
 *   alive   --(no heartbeat progress for T_suspect)------------> suspect
 *   suspect --(still none after T_suspect + T_fail in all)-----> failed
 *   failed, left --(T_cleanup after the status change)---------> removed
 *
 * Progress means a greater heartbeat from anyone's gossip. The detector
 * scans the table at its own deadline (the earliest of all the entries'
 * deadlines, recomputed by each scan and lowered by rumor__detector_note
 * when an entry changes), never more often than every T_gossip / 4.
 *
 * This file is the detector seam: a SWIM probe detector would replace these
 * three functions and share the table, dissemination and codec.
 */
#include "core_internal.h"

/* Typical encoded size of an IPv4 entry, for the capacity estimate. */
#define TYPICAL_ENTRY_BYTES 22

/**
 * T_suspect for members we do not watch on the ring (ring.c): their
 * heartbeats come through gossip. With rho = N / (fanout * entries per
 * datagram), the share of the table one round's datagrams can carry, the
 * intervals between heartbeat progress grow with rho; measured in the
 * simulator (docs/architecture.md), 2 + 2 rho times T_suspect keeps false
 * suspicions of unwatched members rare.
 */
uint64_t
rumor__t_suspect_far(const struct rumor_core *core)
{
	const struct rumor_config *c = &core->cfg;
	double per_datagram = (double)(c->mtu_bytes - WIRE_HEADER_MAX_BYTES) /
	                      TYPICAL_ENTRY_BYTES;
	double rho = (double)(core->n_live + 1) / (c->fanout * per_datagram);

	if (c->monitors == 0)
		return c->t_suspect_ms;
	if (c->t_suspect_far_ms)
		return c->t_suspect_far_ms;
	return (uint64_t)((double)c->t_suspect_ms * (2.0 + 2.0 * rho));
}

static uint64_t
t_suspect_of(const struct rumor_core *core, const struct member *m)
{
	return m->watched ? core->cfg.t_suspect_ms : rumor__t_suspect_far(core);
}

static uint64_t
deadline_of(const struct rumor_core *core, const struct member *m)
{
	const struct rumor_config *c = &core->cfg;

	switch (m->status) {
	case RUMOR_STATUS_ALIVE:
		return m->last_progress_ms + t_suspect_of(core, m);
	case RUMOR_STATUS_SUSPECT:
		return m->last_progress_ms + t_suspect_of(core, m) +
		       c->t_fail_ms;
	default:
		return m->status_since_ms + c->t_cleanup_ms;
	}
}

void
rumor__detector_note(struct rumor_core *core, const struct member *m)
{
	uint64_t d = deadline_of(core, m);

	if (d < core->next_detect_ms)
		core->next_detect_ms = d;
}

/* Apply the transition that is due for m; returns false if m was freed. */
static bool
step(struct rumor_core *core, struct member *m, uint64_t now_ms)
{
	switch (m->status) {
	case RUMOR_STATUS_ALIVE:
		rumor__member_set_status(core, m, RUMOR_STATUS_SUSPECT, now_ms);
		core->stats.suspicions++;
		rumor__emit(core, RUMOR_EV_SUSPECT, &m->id, RUMOR_VIA_TIMEOUT,
		            m->heartbeat);
		rumor__dissem_push(core, m);
		return true;
	case RUMOR_STATUS_SUSPECT:
		rumor__member_set_status(core, m, RUMOR_STATUS_FAILED, now_ms);
		core->stats.failures_declared++;
		rumor__emit(core, RUMOR_EV_FAIL, &m->id, RUMOR_VIA_TIMEOUT,
		            m->heartbeat);
		rumor__dissem_push(core, m);
		return true;
	default:
		rumor__emit(core, RUMOR_EV_REMOVE, &m->id, RUMOR_VIA_TIMEOUT,
		            m->heartbeat);
		rumor__member_delete(core, m);
		return false;
	}
}

void
rumor__detector_run(struct rumor_core *core, uint64_t now_ms)
{
	struct member *m, *tmp;
	uint64_t next = RUMOR_NO_DEADLINE, d;
	uint64_t min_gap = core->cfg.t_gossip_ms / 4 + 1;

	rumor__ring_update(core);
	HASH_ITER(hh, core->members, m, tmp)
	{
		d = deadline_of(core, m);
		if (d <= now_ms) {
			if (!step(core, m, now_ms))
				continue;
			d = deadline_of(core, m);
		}
		if (d < next)
			next = d;
	}
	core->next_detect_ms = next;
	if (next != RUMOR_NO_DEADLINE && next < now_ms + min_gap)
		core->next_detect_ms = now_ms + min_gap;
}

void
rumor__detector_shift(struct rumor_core *core, uint64_t gap_ms)
{
	struct member *m, *tmp;

	HASH_ITER(hh, core->members, m, tmp)
	{
		m->last_progress_ms += gap_ms;
		m->status_since_ms += gap_ms;
	}
	if (core->next_detect_ms != RUMOR_NO_DEADLINE)
		core->next_detect_ms += gap_ms;
}
