/* SPDX-License-Identifier: MIT */
/*
 * The heartbeat failure detector (gossip-style, van Renesse, Minsky and
 * Hayden, Middleware 1998, with SWIM-style suspicion, Das et al. 2002):
 *
 *   alive   --(no heartbeat progress for T_suspect: we accuse)--> suspect
 *   suspect --(a quorum of accusers, T_fail)---------------------> failed
 *   failed, left --(T_cleanup after the status change)-----------> removed
 *
 * Progress means a greater heartbeat from anyone's gossip. We accuse, and
 * fail, only while our own health is not in doubt (suspicion.c). Deadlines
 * sit in a lazy min-heap (below); the core's detector deadline is its top.
 *
 * This file is the detector seam: a SWIM probe detector would replace these
 * three functions and share the table, dissemination and codec.
 */
#include <stdlib.h>

#include "core_internal.h"

/* Children per node of the deadline heap. */
#define DL_ARITY 4

/* The refutation window of a suspicion none of whose counting accusations
 * came from a ring monitor's tight timeout, in T_fail. */
#define FAR_FAIL_FACTOR 4

/* T_suspect_far in T_suspect without heartbeat gossip. */
#define FAR_NO_GOSSIP 1

/* Typical encoded size of an IPv4 entry, for the capacity estimate. */
#define TYPICAL_ENTRY_BYTES 22

/**
 * T_suspect for ring predecessors whose heartbeats do not come first hand
 * (newly watched, or a broken link) and, when heartbeat gossip is on, for
 * every member we do not watch.
 *
 * With heartbeat gossip off (gossip_entries 0, the default) we judge only
 * our ring predecessors, so this covers a predecessor that has not yet
 * sent us a heartbeat since we began watching it: alive, it learns of the
 * ring change that made us its monitor within a few news ticks and starts
 * sending; dead (its monitors died with it), it never will. 2 T_suspect,
 * counted from when we began watching it.
 *
 * With heartbeat gossip on, unwatched members' heartbeats come through
 * gossip, several hops and rounds old, at irregular intervals. With
 * rho = N / (fanout * entries per datagram), the share of the table one
 * round's datagrams can carry,
 *
 *     T_suspect_far = 2 T_suspect + 10 (1 + rho) T_gossip
 *
 * kept timeout suspicions of unwatched members at zero in 120 s soaks at
 * 10% loss (N = 16, 50, 200); 6 instead of 10 left 186 of them in 120 s
 * at N = 200.
 */
uint64_t
rumor__t_suspect_far(const struct rumor_core *core)
{
	const struct rumor_config *c = &core->cfg;
	double per_datagram = (double)(c->mtu_bytes - WIRE_HEADER_MAX_BYTES) /
	                      TYPICAL_ENTRY_BYTES;
	if (c->gossip_entries && c->gossip_entries < per_datagram)
		per_datagram = c->gossip_entries;
	double rho = (double)(core->n_live + 1) / (c->fanout * per_datagram);

	if (c->monitors == 0)
		return c->t_suspect_ms;
	if (c->t_suspect_far_ms)
		return c->t_suspect_far_ms;
	if (c->gossip_entries == 0)
		return FAR_NO_GOSSIP * (uint64_t)c->t_suspect_ms;
	return 2 * (uint64_t)c->t_suspect_ms +
	       (uint64_t)(10.0 * (1.0 + rho) * (double)c->t_gossip_ms);
}

/*
 * The tight T_suspect applies to a ring predecessor only once a heartbeat
 * of its has come to us first hand since we started watching it (proof
 * that it sees us as its successor: views of the ring differ while the
 * membership changes), and while its last progress came no later than
 * T_suspect + T_fail after such a heartbeat. A heartbeat heard first hand
 * long ago, before a change of the ring, does not count (that gave false
 * failures under churn). The T_fail of slack is for a member that died:
 * its last heartbeat, lost on the way to us, may still come second hand,
 * as another member's answer to our suspicion; without it that answer
 * moved the member to the far timeout and its crash went unnoticed for
 * seconds (tests/sim, test_crash_after_churn_n100).
 */
static uint64_t
t_suspect_of(const struct rumor_core *core, const struct member *m)
{
	uint64_t tight = core->cfg.t_suspect_ms;

	if (m->watched && m->direct_ms >= m->watched_since_ms &&
	    m->direct_ms + tight + core->cfg.t_fail_ms >= m->last_progress_ms)
		return tight;
	return rumor__t_suspect_far(core);
}

/*
 * When our own accusation of m falls due: T_suspect_of after its last
 * progress. Without heartbeat gossip only our ring predecessors are ours to
 * judge (nobody else sends us its heartbeats, and its own monitors judge
 * it), and from when we began watching at the earliest: a newly watched
 * member is silent to us until it learns we watch it.
 */
static uint64_t
accusation_deadline(const struct rumor_core *core, const struct member *m)
{
	uint64_t since = m->last_progress_ms;

	if (core->cfg.gossip_entries != 0 || core->cfg.monitors == 0)
		return since + t_suspect_of(core, m);
	if (!m->watched)
		return RUMOR_NO_DEADLINE;
	if (m->watched_since_ms > since)
		since = m->watched_since_ms;
	return since + t_suspect_of(core, m);
}

/*
 * A suspect fails once `quorum` accusations count, but never less than
 * T_fail after we first suspected it (the refutation's window, as before
 * the quorum) nor less than T_fail / 2 after the quorum was reached (a
 * late second accuser gets a window too). With heartbeat gossip, both are
 * 4 times longer when no counting accusation is a ring monitor's tight
 * one: a member heard only through gossip is more often merely unheard.
 * Until the quorum the deadline is our own accusation's, if we have not
 * made it yet.
 */
/* How long a local suspicion raised by others stands unconfirmed. */
static uint64_t
local_lapse(const struct rumor_core *core)
{
	return 2 * ((uint64_t)core->cfg.t_suspect_ms + core->cfg.t_fail_ms);
}

static uint64_t
suspect_deadline(const struct rumor_core *core, const struct member *m)
{
	uint64_t t_fail = core->cfg.t_fail_ms;
	bool tight;

	if (m->acc != NULL && m->acc->quorum_since_ms != 0) {
		rumor__acc_count(core, m, &tight);
		if (!tight && core->cfg.gossip_entries != 0)
			t_fail *= FAR_FAIL_FACTOR;
		uint64_t a = m->status_since_ms + t_fail;
		uint64_t b = m->acc->quorum_since_ms + t_fail / 2;
		return a > b ? a : b;
	}
	if (rumor__acc_by(core, m, NULL))
		/* ours alone: broadcast it if it stays unrefuted for T_fail,
		 * then wait for a second accuser */
		return m->acc->escalated || m->acc->broadcast
		           ? RUMOR_NO_DEADLINE
		           : m->acc->accused_ms + t_fail;
	uint64_t d = accusation_deadline(core, m);
	/* we told it it is suspected: its answer is due by now */
	if (m->acc != NULL && m->acc->told_ms != 0 &&
	    m->acc->told_ms + core->cfg.t_suspect_ms < d)
		d = m->acc->told_ms + core->cfg.t_suspect_ms;
	/* a local suspicion of someone else's that nobody confirms or
	 * broadcasts lapses: its accuser was answered, or will broadcast */
	if (m->acc != NULL && !m->acc->broadcast &&
	    m->status_since_ms + local_lapse(core) < d)
		d = m->status_since_ms + local_lapse(core);
	return d;
}

static uint64_t
deadline_of(const struct rumor_core *core, const struct member *m)
{
	uint64_t d;

	switch (m->status) {
	case RUMOR_STATUS_ALIVE:
		d = accusation_deadline(core, m);
		break;
	case RUMOR_STATUS_SUSPECT:
		d = suspect_deadline(core, m);
		break;
	default:
		return m->status_since_ms + core->cfg.t_cleanup_ms;
	}
	/* our health was in doubt: look again no sooner than this */
	return d > core->withheld_until_ms ? d : core->withheld_until_ms;
}

/* ---- a 4-ary min-heap of members by deadline ----
 *
 * Every level a slot moves writes its member's dl_index, a cache miss in a
 * large table; four children per node halve the levels of a binary heap,
 * and the four slots compared (16 bytes each) span at most two lines.
 *
 * Deadlines only move later as heartbeats progress, so the heap is lazy:
 * progress does not touch it; an entry popped at a stale deadline is pushed
 * back at its current one. Each member is thus popped about once per
 * T_suspect, not scanned on every deadline of anyone. */

static bool
dl_less(const struct rumor_core *core, uint32_t a, uint32_t b)
{
	return core->dl_heap[a].key < core->dl_heap[b].key;
}

static void
dl_set(struct rumor_core *core, uint32_t i, struct dl_slot slot)
{
	core->dl_heap[i] = slot;
	slot.m->dl_index = i;
}

static void
dl_swap(struct rumor_core *core, uint32_t a, uint32_t b)
{
	struct dl_slot t = core->dl_heap[a];

	dl_set(core, a, core->dl_heap[b]);
	dl_set(core, b, t);
}

static void
dl_up(struct rumor_core *core, uint32_t i)
{
	while (i > 0 && dl_less(core, i, (i - 1) / DL_ARITY)) {
		dl_swap(core, i, (i - 1) / DL_ARITY);
		i = (i - 1) / DL_ARITY;
	}
}

static void
dl_down(struct rumor_core *core, uint32_t i)
{
	for (;;) {
		uint32_t first = DL_ARITY * i + 1, m = i;
		for (uint32_t c = first; c < first + DL_ARITY && c < core->n_dl;
		     c++)
			if (dl_less(core, c, m))
				m = c;
		if (m == i)
			return;
		dl_swap(core, i, m);
		i = m;
	}
}

/* Returns false without memory: the member then has no deadline until it
 * changes again (the heap grows by doubling, so this is rare). */
static bool
dl_push(struct rumor_core *core, struct member *m, uint64_t key)
{
	if (core->n_dl == core->cap_dl) {
		uint32_t cap = core->cap_dl ? 2 * core->cap_dl : 64;
		struct dl_slot *h = realloc(core->dl_heap, cap * sizeof(*h));
		if (h == NULL)
			return false;
		core->dl_heap = h;
		core->cap_dl = cap;
	}
	dl_set(core, core->n_dl++, (struct dl_slot){key, m});
	dl_up(core, m->dl_index);
	return true;
}

void
rumor__detector_forget(struct rumor_core *core, struct member *m)
{
	uint32_t i = m->dl_index;

	if (i == UINT32_MAX)
		return;
	m->dl_index = UINT32_MAX;
	if (i == --core->n_dl)
		return;
	dl_set(core, i, core->dl_heap[core->n_dl]);
	dl_up(core, i);
	dl_down(core, i);
}

void
rumor__detector_note(struct rumor_core *core, struct member *m)
{
	uint64_t d = deadline_of(core, m);

	if (m->dl_index == UINT32_MAX) {
		dl_push(core, m, d);
	} else if (d < core->dl_heap[m->dl_index].key) {
		core->dl_heap[m->dl_index].key = d;
		dl_up(core, m->dl_index);
	}
	if (core->n_dl)
		core->next_detect_ms = core->dl_heap[0].key;
}

/* Our own health is in doubt: decide nothing for a heartbeat period. */
static void
withhold(struct rumor_core *core, uint64_t now_ms)
{
	if (core->withheld_until_ms <= now_ms)
		core->stats.withheld++;
	core->withheld_until_ms = now_ms + core->cfg.t_heartbeat_ms;
}

/* Our own detector accuses m: no progress for its T_suspect. */
static void
accuse(struct rumor_core *core, struct member *m, uint64_t now_ms)
{
	struct wire_accusation a = {
	    .accuser = core->self_id,
	    .heartbeat = m->heartbeat,
	    .flags = t_suspect_of(core, m) == core->cfg.t_suspect_ms
	                 ? WIRE_ACC_TIGHT
	                 : 0,
	};

	if (!rumor__healthy(core, m, now_ms)) {
		withhold(core, now_ms);
		return;
	}
	if (!rumor__acc_add(m, &a)) {
		withhold(core, now_ms); /* no memory: try again soon */
		return;
	}
	core->stats.suspicions++;
	m->acc->accused_ms = now_ms ? now_ms : 1;
	rumor__acc_update(core, m, now_ms, RUMOR_VIA_TIMEOUT);
	if (!rumor__is_live(m->status))
		return;
	if (m->acc->broadcast) /* news already: ours joins it */
		rumor__dissem_push(core, m);
	else
		rumor__acc_tell(core, m);
}

/*
 * A decision our ill health postponed by more than T_suspect rests on
 * accusations as old as our doubt: while we heard too little, m's
 * refutation may have been among what we missed. Give it its window again
 * (T_fail / 2 from now, told directly, as a new quorum) instead of failing
 * it on the spot. true when reopened.
 */
static bool
reopen_stale(struct rumor_core *core, struct member *m, uint64_t now_ms)
{
	if (now_ms <= suspect_deadline(core, m) + core->cfg.t_suspect_ms)
		return false;
	m->acc->quorum_since_ms = now_ms ? now_ms : 1;
	core->stats.reopened++;
	rumor__acc_tell(core, m);
	return true;
}

static void
declare_failed(struct rumor_core *core, struct member *m, uint64_t now_ms)
{
	if (!rumor__healthy(core, m, now_ms)) {
		withhold(core, now_ms);
		return;
	}
	if (reopen_stale(core, m, now_ms))
		return;
	rumor__member_set_status(core, m, RUMOR_STATUS_FAILED, now_ms);
	core->stats.failures_declared++;
	rumor__emit(core, RUMOR_EV_FAIL, &m->id, RUMOR_VIA_TIMEOUT,
	            m->heartbeat);
	rumor__dissem_push(core, m);
}

/* Apply the transition that is due for m; returns false if m was freed. */
static bool
step(struct rumor_core *core, struct member *m, uint64_t now_ms)
{
	switch (m->status) {
	case RUMOR_STATUS_ALIVE:
		accuse(core, m, now_ms);
		return true;
	case RUMOR_STATUS_SUSPECT:
		if (m->acc != NULL && m->acc->quorum_since_ms != 0)
			declare_failed(core, m, now_ms);
		else if (rumor__acc_by(core, m, NULL))
			rumor__acc_escalate(core, m);
		else if (m->acc != NULL && !m->acc->broadcast &&
		         now_ms >= m->status_since_ms + local_lapse(core))
			rumor__acc_lapse(core, m, now_ms);
		else
			accuse(core, m, now_ms);
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
	while (core->n_dl && core->dl_heap[0].key <= now_ms) {
		struct member *m = core->dl_heap[0].m;
		rumor__detector_forget(core, m);
		if (deadline_of(core, m) <= now_ms && !step(core, m, now_ms))
			continue; /* removed */
		/* step() may already have re-queued it via set_status */
		if (m->dl_index == UINT32_MAX)
			dl_push(core, m, deadline_of(core, m));
	}
	core->next_detect_ms =
	    core->n_dl ? core->dl_heap[0].key : RUMOR_NO_DEADLINE;
}

void
rumor__detector_shift(struct rumor_core *core, uint64_t gap_ms)
{
	struct member *m;
	uint32_t pos = 0;

	while ((m = rumor__index_next(&core->members, &pos)) != NULL) {
		m->last_progress_ms += gap_ms;
		m->status_since_ms += gap_ms;
	}
	for (uint32_t i = 0; i < core->n_dl; i++)
		core->dl_heap[i].key += gap_ms; /* order is unchanged */
	if (core->next_detect_ms != RUMOR_NO_DEADLINE)
		core->next_detect_ms += gap_ms;
}
