/* SPDX-License-Identifier: MIT */
/*
 * Suspicion by accusation: the rule that one sick member can never get a
 * healthy one failed (docs/architecture.md, "Failure needs a quorum").
 *
 * A suspicion is a set of accusations: "member A has heard no progress of
 * M since M's heartbeat h". A member accuses only from its own detector
 * (detector_hb.c) and only while its own health is not in doubt (below).
 * Suspect and failed entries carry their accusations on the wire, and
 * every observer merges them. Then:
 *
 *   - an accusation counts while it trails the newest heartbeat of M that
 *     the observer knows by at most `slack` heartbeats (T_suspect / 2 of
 *     them): M's heartbeat grows once per T_heartbeat, so a later one
 *     proves M was alive after the accuser's last news of it. A monitor of
 *     a crashed member misses at most its last few heartbeats; a deaf,
 *     slow or cut-off accuser trails by a whole T_suspect or more;
 *   - M is suspect while at least one accusation counts, alive again when
 *     none does (M refutes by raising its heartbeat past them all);
 *   - M fails only when `quorum` distinct members' accusations count (two;
 *     one when there is no third member), for T_fail: the agreement of
 *     independent observers, as Rapid's H-of-K monitors (Suresh et al.,
 *     USENIX ATC 2018, section 4.2) and Lifeguard's independent suspicion
 *     confirmations (Dadgar et al., DSN-W 2018, section IV-B).
 *
 * Local health (Lifeguard's local health awareness, section IV-A, in the
 * ring's terms): a member that does not hear its other ring predecessors
 * is more likely deaf, slow or stalled itself than watching a crash, so it
 * accuses nobody (and fails nobody) until it hears them again.
 */
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

/* Distinct accusers a failure needs. */
#define QUORUM 2

uint64_t
rumor__acc_slack(const struct rumor_core *core)
{
	uint64_t per = 2 * (uint64_t)core->cfg.t_heartbeat_ms;

	return (core->cfg.t_suspect_ms + per - 1) / per;
}

uint32_t
rumor__acc_quorum(const struct rumor_core *core)
{
	/* the possible accusers of a member: every live member but it,
	 * ourselves included (n_live counts the others) */
	return core->n_live < QUORUM ? (core->n_live ? core->n_live : 1)
	                             : QUORUM;
}

static bool
counts(const struct rumor_core *core, const struct member *m,
       const struct wire_accusation *a)
{
	return a->heartbeat + rumor__acc_slack(core) >= m->heartbeat;
}

uint32_t
rumor__acc_count(const struct rumor_core *core, const struct member *m,
                 bool *tight)
{
	uint32_t n = 0;

	if (tight)
		*tight = false;
	if (m->acc == NULL)
		return 0;
	for (uint8_t i = 0; i < m->acc->n; i++)
		if (counts(core, m, &m->acc->a[i])) {
			n++;
			if (tight && (m->acc->a[i].flags & WIRE_ACC_TIGHT))
				*tight = true;
		}
	return n;
}

bool
rumor__acc_by(const struct rumor_core *core, const struct member *m,
              const struct rumor_member_id *accuser)
{
	if (accuser == NULL)
		accuser = &core->self_id;
	if (m->acc == NULL)
		return false;
	for (uint8_t i = 0; i < m->acc->n; i++)
		if (rumor_member_id_cmp(&m->acc->a[i].accuser, accuser) == 0)
			return counts(core, m, &m->acc->a[i]);
	return false;
}

/* The slot to overwrite when the list is full: the oldest accusation. */
static uint8_t
oldest(const struct accusations *acc)
{
	uint8_t k = 0;

	for (uint8_t i = 1; i < acc->n; i++)
		if (acc->a[i].heartbeat < acc->a[k].heartbeat)
			k = i;
	return k;
}

bool
rumor__acc_add(struct member *m, const struct wire_accusation *a)
{
	struct accusations *acc = m->acc;

	if (acc == NULL && (acc = m->acc = calloc(1, sizeof(*acc))) == NULL)
		return false;
	for (uint8_t i = 0; i < acc->n; i++) {
		struct wire_accusation *x = &acc->a[i];
		if (rumor_member_id_cmp(&x->accuser, &a->accuser) != 0)
			continue;
		if (a->heartbeat > x->heartbeat) {
			x->heartbeat = a->heartbeat;
			x->flags = a->flags;
		} else if (a->heartbeat == x->heartbeat) {
			x->flags |= a->flags;
		}
		return true;
	}
	if (acc->n < WIRE_ACCUSATIONS_MAX)
		acc->a[acc->n++] = *a;
	else if (a->heartbeat > acc->a[oldest(acc)].heartbeat)
		acc->a[oldest(acc)] = *a;
	return true;
}

void
rumor__acc_merge(struct rumor_core *core, struct member *m,
                 const struct wire_entry *e)
{
	for (uint8_t i = 0; i < e->n_acc; i++) {
		/* only we speak for ourselves: a stale copy of our own
		 * accusation must not outlive our change of mind */
		if (rumor_member_id_cmp(&e->acc[i].accuser, &core->self_id) ==
		    0)
			continue;
		rumor__acc_add(m, &e->acc[i]);
	}
}

void
rumor__acc_clear(struct member *m)
{
	free(m->acc);
	m->acc = NULL;
}

/* ---- local health ---- */

void
rumor__heard(struct rumor_core *core, const struct rumor_member_id *sender,
             uint64_t now_ms)
{
	if (rumor_member_id_cmp(&core->heard_id[0], sender) != 0) {
		core->heard_id[1] = core->heard_id[0];
		core->heard_ms[1] = core->heard_ms[0];
		core->heard_id[0] = *sender;
	}
	core->heard_ms[0] = now_ms;
}

/* Heard from a member other than m within the last T_suspect / 2? */
static bool
heard_other(const struct rumor_core *core, const struct member *m,
            uint64_t now_ms)
{
	for (int i = 0; i < 2; i++)
		if (core->heard_ms[i] != 0 &&
		    core->heard_ms[i] + core->cfg.t_suspect_ms / 2 >= now_ms &&
		    rumor_member_id_cmp(&core->heard_id[i], &m->id) != 0)
			return true;
	return false;
}

static uint64_t
low_bits(uint32_t n)
{
	return n >= 64 ? UINT64_MAX : ((uint64_t)1 << n) - 1;
}

/* Another accuser than us holds a counting accusation of p. */
static bool
accused_by_others(const struct rumor_core *core, const struct member *p)
{
	uint32_t n = rumor__acc_count(core, p, NULL);

	return n > (rumor__acc_by(core, p, NULL) ? 1u : 0u);
}

/*
 * One ring predecessor p as a witness of our own health: NULL result when
 * it cannot tell (it does not send to us, we watched it too briefly, or
 * others accuse it too: then its silence is its own). Heard: at least one
 * heartbeat in the last T_suspect / 2 and a third of those expected in
 * the last 2 T_suspect.
 */
static int
witness(const struct rumor_core *core, const struct member *p, uint64_t now_ms)
{
	uint32_t t_hb = core->cfg.t_heartbeat_ms;
	uint32_t window = 2 * core->cfg.t_suspect_ms / t_hb;
	uint32_t recent = core->cfg.t_suspect_ms / (2 * t_hb);
	uint64_t watched = (now_ms - p->watched_since_ms) / t_hb;

	if (p->direct_ms < p->watched_since_ms || accused_by_others(core, p))
		return -1;
	window = window > 63 ? 63 : window;
	recent = recent < 1 ? 1 : recent;
	if (watched < recent)
		return -1;
	if (watched < window)
		window = (uint32_t)watched;
	return (p->hb_bits & low_bits(recent)) != 0 &&
	       3 * (uint32_t)__builtin_popcountll(p->hb_bits &
	                                          low_bits(window)) >=
	           window;
}

/*
 * After we took a new version (we were failed), is it known to the group
 * yet? Acknowledged when at least half of our ring predecessors have sent
 * us a heartbeat since: they know the new id and count us as their
 * monitor. Until then we are a member that only we (and whoever is as cut
 * off as we were) know, and accuse nobody: 20 members that reached nobody
 * for 15 s, rejoined among themselves, failed healthy members on a quorum
 * of two of them (docs/architecture.md, "Failure needs a quorum").
 */
static bool
acknowledged(struct rumor_core *core)
{
	uint32_t sent = 0;

	if (core->rejoined_ms == 0)
		return true;
	for (uint32_t i = 0; i < core->n_pred; i++)
		sent += core->pred[i]->direct_ms >= core->rejoined_ms;
	if (2 * sent < core->n_pred)
		return false;
	core->rejoined_ms = 0;
	return true;
}

bool
rumor__healthy(struct rumor_core *core, const struct member *m, uint64_t now_ms)
{
	uint32_t usable = 0, heard = 0;

	if (!acknowledged(core))
		return false;

	for (uint32_t i = 0; i < core->n_pred; i++) {
		const struct member *p = core->pred[i];
		int w;
		if (p == m || (w = witness(core, p, now_ms)) < 0)
			continue;
		usable++;
		heard += (uint32_t)w;
	}
	if (usable > 0)
		return 2 * heard >= usable;
	/* no predecessor can tell: anyone else heard lately will do, and
	 * with no other member at all there is nobody to doubt us */
	return heard_other(core, m, now_ms) || core->n_live <= 1;
}

/*
 * A watched predecessor that has reached us first hand before (or that we
 * have watched for 2 T_suspect) but not for T_suspect, while its heartbeat
 * still grew within T_suspect (others hear it and gossip it on): the link
 * from it to us is broken, although it is alive. Nothing else would show
 * it: second-hand heartbeats keep it alive here, and it moves to the far
 * timeout (detector_hb.c). A member that hears none of its predecessors
 * is deaf itself and reports nothing.
 */
void
rumor__links_check(struct rumor_core *core, uint64_t now_ms)
{
	uint64_t t = core->cfg.t_suspect_ms;

	for (uint32_t i = 0; i < core->n_pred; i++) {
		struct member *p = core->pred[i];
		uint64_t since = p->direct_ms > p->watched_since_ms
		                     ? p->direct_ms
		                     : p->watched_since_ms;
		bool broken = p->status == RUMOR_STATUS_ALIVE &&
		              now_ms > since + t &&
		              p->last_progress_ms > since &&
		              p->last_progress_ms + t >= now_ms &&
		              (p->direct_ms >= p->watched_since_ms ||
		               now_ms > p->watched_since_ms + 2 * t);
		/* hearing nobody is our own deafness, not their links */
		broken = broken && rumor__healthy(core, p, now_ms);
		if (broken && !p->link_broken)
			rumor__notice(core, RUMOR_NOTICE_BROKEN_LINK,
			              &p->id.addr, 0, now_ms - since);
		p->link_broken = broken;
	}
}

/* ---- status from accusations ---- */

/*
 * Does everyone need to hear of m's suspicion? Only once it holds a quorum
 * or an accuser escalated it (unrefuted for T_fail: a partition, or
 * monitors that died with it). Before that it is local: the accuser tells
 * the suspect and the suspect's other monitors directly (rumor__acc_tell),
 * and the suspect refutes to them, so the suspicions that loss makes and a
 * refutation undoes cost a few datagrams, not news for the whole group.
 */
bool
rumor__acc_worth_news(const struct rumor_core *core, const struct member *m)
{
	uint32_t n = 0;

	if (m->acc == NULL)
		return false;
	for (uint8_t i = 0; i < m->acc->n; i++) {
		const struct wire_accusation *a = &m->acc->a[i];
		if (!counts(core, m, a))
			continue;
		if (a->flags & WIRE_ACC_ESCALATED)
			return true;
		n++;
	}
	return n >= rumor__acc_quorum(core) && n >= 2;
}

/* m's suspicion, straight to m (so that it refutes) and to the other
 * members that watch m on our ring (so that their accusations, if any,
 * meet ours): its local phase. */
void
rumor__acc_tell(struct rumor_core *core, struct member *m)
{
	struct member *w[MAX_MONITORS];
	uint32_t n = rumor__ring_watchers(core, m, w, MAX_MONITORS);

	rumor__gossip_send_to(core, &m->id.addr, &m->id, m);
	for (uint32_t i = 0; i < n; i++)
		rumor__gossip_send_to(core, &w[i]->id.addr, &w[i]->id, m);
}

static void
broadcast(struct rumor_core *core, struct member *m)
{
	if (m->acc->broadcast)
		return;
	m->acc->broadcast = true;
	rumor__dissem_push(core, m);
}

void
rumor__acc_escalate(struct rumor_core *core, struct member *m)
{
	for (uint8_t i = 0; m->acc && i < m->acc->n; i++)
		if (rumor_member_id_cmp(&m->acc->a[i].accuser,
		                        &core->self_id) == 0)
			m->acc->a[i].flags |= WIRE_ACC_ESCALATED;
	if (m->acc) {
		m->acc->escalated = true;
		broadcast(core, m);
	}
}

void
rumor__acc_update(struct rumor_core *core, struct member *m, uint64_t now_ms,
                  enum rumor_via via)
{
	uint32_t n = rumor__acc_count(core, m, NULL);
	bool was_news = m->acc != NULL && m->acc->broadcast;

	if (!rumor__is_live(m->status))
		return;
	if (n == 0) {
		rumor__acc_clear(m);
		if (m->status != RUMOR_STATUS_SUSPECT)
			return;
		rumor__member_set_status(core, m, RUMOR_STATUS_ALIVE, now_ms);
		rumor__emit(core, RUMOR_EV_ALIVE, &m->id, via, m->heartbeat);
		if (was_news) /* those who heard of it hear of its end */
			rumor__dissem_push(core, m);
		return;
	}
	if (m->status == RUMOR_STATUS_ALIVE) {
		rumor__member_set_status(core, m, RUMOR_STATUS_SUSPECT, now_ms);
		rumor__emit(core, RUMOR_EV_SUSPECT, &m->id, via, m->heartbeat);
	}
	if (rumor__acc_worth_news(core, m))
		broadcast(core, m);
	if (n >= rumor__acc_quorum(core)) {
		if (m->acc->quorum_since_ms == 0)
			m->acc->quorum_since_ms = now_ms ? now_ms : 1;
	} else {
		m->acc->quorum_since_ms = 0;
	}
	rumor__detector_note(core, m);
}

void
rumor__acc_lapse(struct rumor_core *core, struct member *m, uint64_t now_ms)
{
	rumor__acc_clear(m);
	rumor__acc_update(core, m, now_ms, RUMOR_VIA_TIMEOUT);
}
