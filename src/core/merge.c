/* SPDX-License-Identifier: MIT */
/*
 * Merge rules: how one received entry changes the observer's list.
 *
 * The heartbeat counter only grows and only its member advances it, so it
 * doubles as SWIM's incarnation number. Suspicions are accusations tagged
 * with the heartbeat each accuser last knew (suspicion.c); slack is
 * T_suspect / (2 T_heartbeat) heartbeats.
 *
 *   known entry    incoming                   result
 *   -----------    --------                   ------
 *   left           anything                   nothing (final)
 *   failed         left                       left  (leave wins over fail)
 *   failed         other                      nothing (fail is final)
 *   alive/suspect  left                       left
 *   alive/suspect  failed, hb + slack >= ours failed
 *   alive/suspect  failed, older than that    vetoed: spread our heartbeat,
 *                                             answer the sender and the
 *                                             other accusers
 *   alive/suspect  alive, hb > ours           progress; accusations it
 *                                             outgrew stop counting
 *   alive/suspect  suspect, an accusation     accusations merged; suspect
 *                  within the slack of ours   (fails on a quorum of them)
 *   alive          suspect, all older         stale: spread our heartbeat,
 *                                             answer the sender and the
 *                                             other accusers
 *   unknown        alive/suspect              join (a newer version of a
 *                                             known host:port first fails
 *                                             the old id); a suspect keeps
 *                                             its accusations
 *   unknown        failed/left, or a          tombstone only (no event)
 *                  version <= the dead floor of its host:port
 *
 * About itself, a member refutes any suspicion by raising its heartbeat
 * past every accusation by more than the slack and spreading it as news;
 * told that it failed, it takes a new version and announces itself again
 * (fail-stop identity).
 */
#include <string.h>

#include "core_internal.h"

/* Direct refutations of suspicions of ourselves, per gossip round. */
#define SELF_ANSWERS_PER_ROUND 8
/* Joins are queued as news only while fewer items than this are queued. */
#define JOIN_NEWS_MAX 64
/* Our heartbeat never goes past this; see raise_heartbeat. */
#define HEARTBEAT_CEILING (RUMOR_NUMBER_MAX - (UINT64_C(1) << 32))

static void
news(struct rumor_core *core, struct member *m, enum rumor_event_kind kind,
     enum rumor_via via)
{
	rumor__emit(core, kind, &m->id, via, m->heartbeat);
	rumor__dissem_push(core, m);
}

static void
rejoin_new_version(struct rumor_core *core, uint64_t now_ms)
{
	rumor__emit(core, RUMOR_EV_FAIL, &core->self_id, RUMOR_VIA_GOSSIP,
	            core->self_heartbeat);
	rumor__ring_del(core, NULL);
	core->self_id.version++;
	core->self_hash = rumor__id_hash(&core->self_id);
	rumor__ring_add(core, NULL);
	/* a new id: its heartbeat may start over (a counter driven near
	 * RUMOR_NUMBER_MAX by forged news of us does) */
	if (core->self_heartbeat >= HEARTBEAT_CEILING)
		core->self_heartbeat = 0;
	core->self_heartbeat++;
	rumor__emit(core, RUMOR_EV_JOINED, &core->self_id, RUMOR_VIA_SELF,
	            core->self_heartbeat);
	rumor__dissem_push_self_tags(core);
	rumor__notice(core, RUMOR_NOTICE_REJOINED, &core->self_id.addr, 0,
	              core->self_id.version);
	core->rejoined_ms = now_ms ? now_ms : 1;
}

/*
 * Direct answers to stale suspicions go out at most once per half gossip
 * round per member: a burst of datagrams carrying the same suspicion must
 * not turn into a burst of answers.
 */
static bool
may_answer(const struct rumor_core *core, uint64_t *last_ms, uint64_t now_ms)
{
	if (*last_ms != 0 && now_ms < *last_ms + core->cfg.t_gossip_ms / 2)
		return false;
	*last_ms = now_ms;
	return true;
}

/* A suspicion that holds two accusers or an escalated one has gone, or
 * goes, to everyone (rumor__acc_worth_news). */
static bool
broadcast_suspicion(const struct wire_entry *e)
{
	for (uint8_t i = 0; i < e->n_acc; i++)
		if (e->acc[i].flags & WIRE_ACC_ESCALATED)
			return true;
	return e->n_acc >= 2;
}

/* Raise our heartbeat to want. Past HEARTBEAT_CEILING (only forged news
 * of us gets there: 2^53 - 2^32 heartbeats) we take a new version whose
 * heartbeat starts over: the counter never passes RUMOR_NUMBER_MAX and
 * never wraps. */
static void
raise_heartbeat(struct rumor_core *core, uint64_t now_ms, uint64_t want)
{
	if (want <= core->self_heartbeat)
		return;
	if (want >= HEARTBEAT_CEILING) {
		core->self_heartbeat = HEARTBEAT_CEILING;
		rejoin_new_version(core, now_ms);
		return;
	}
	core->self_heartbeat = want;
}

/* Raise our heartbeat past every accusation of e by more than the slack,
 * so that none of them counts anywhere once our entry arrives. */
static void
refute(struct rumor_core *core, uint64_t now_ms, const struct wire_entry *e)
{
	uint64_t want = e->heartbeat + 1;

	for (uint8_t i = 0; i < e->n_acc; i++) {
		uint64_t past =
		    e->acc[i].heartbeat + rumor__acc_slack(core) + 1;
		if (past > want)
			want = past;
	}
	raise_heartbeat(core, now_ms, want);
}

static void
self_news(struct rumor_core *core, uint64_t now_ms,
          const struct rumor_addr *from, const struct wire_entry *e)
{
	if (core->state != RUMOR_STATE_ACTIVE)
		return;
	switch (e->status) {
	case RUMOR_STATUS_SUSPECT:
		refute(core, now_ms, e);
		core->stats.refutations++;
		/* our monitors hear it first hand now; everyone else only when
		 * everyone may have heard the suspicion (suspicion.c) */
		rumor__heartbeat_send(core);
		if (broadcast_suspicion(e))
			rumor__dissem_push_self(core);
		/* every suspector hears it from us, up to a few a round */
		if (from != NULL &&
		    core->self_answers < SELF_ANSWERS_PER_ROUND) {
			core->self_answers++;
			rumor__gossip_send_to(core, from, NULL, NULL);
		}
		break;
	case RUMOR_STATUS_FAILED:
		rejoin_new_version(core, now_ms);
		break;
	default: /* left: only we can say so */
		/* alive: keep ours above an echo of it (one of our
		 * monitors holds it: the raise keeps stale accusations out
		 * of the slack; without it test_sick's deaf and slow
		 * members cost 2.4x the CPU in suspicion churn) and above a
		 * greater one (our id reused by an earlier process) */
		if (e->heartbeat >= core->self_heartbeat)
			raise_heartbeat(core, now_ms, e->heartbeat + 1);
		break;
	}
}

/* Someone suspects m at an older heartbeat than we know: say so, to the
 * sender and to every other accuser that e names (a suspicion reaches the
 * suspect's watchers from one accuser; the others, which may decide the
 * failure with it, must hear the answer too, not only by news). */
static void
refute_on_behalf(struct rumor_core *core, uint64_t now_ms, struct member *m,
                 const struct wire_entry *e, const struct rumor_addr *from)
{
	rumor__dissem_push(core, m);
	if (from == NULL || !may_answer(core, &m->answered_ms, now_ms))
		return;
	rumor__gossip_send_to(core, from, NULL, m);
	for (uint8_t i = 0; i < e->n_acc; i++) {
		const struct rumor_member_id *a = &e->acc[i].accuser;
		struct member *x = rumor__member_find(core, a);
		if (x != NULL && rumor__is_live(x->status) &&
		    !rumor_addr_equal(&a->addr, from))
			rumor__gossip_send_to(core, &a->addr, a, m);
	}
}

/* A failure claimed at a heartbeat that trails ours by more than the slack
 * rests on stale news: we heard the member alive after its accusers last
 * did. Refuse it and say so (a sick decider must not take an identity). */
static void
merge_failed(struct rumor_core *core, uint64_t now_ms, struct member *m,
             const struct wire_entry *e, const struct rumor_addr *from,
             enum rumor_via via)
{
	if (m->heartbeat > e->heartbeat + rumor__acc_slack(core)) {
		core->stats.vetoed++;
		refute_on_behalf(core, now_ms, m, e, from);
		return;
	}
	rumor__acc_merge(core, m, e);
	rumor__member_set_status(core, m, RUMOR_STATUS_FAILED, now_ms);
	news(core, m, RUMOR_EV_FAIL, via);
}

/* Accusations: adopt them; if none of them counts here (each trails the
 * heartbeat we know by more than the slack), answer with ours. */
static void
merge_suspect(struct rumor_core *core, uint64_t now_ms, struct member *m,
              const struct wire_entry *e, const struct rumor_addr *from,
              enum rumor_via via)
{
	bool stale = e->heartbeat + rumor__acc_slack(core) < m->heartbeat;

	for (uint8_t i = 0; i < e->n_acc; i++)
		stale &=
		    e->acc[i].heartbeat + rumor__acc_slack(core) < m->heartbeat;
	if (stale) {
		if (m->status == RUMOR_STATUS_ALIVE)
			refute_on_behalf(core, now_ms, m, e, from);
		return;
	}
	if (e->heartbeat > m->heartbeat)
		m->heartbeat = e->heartbeat; /* reached, not progress */
	rumor__acc_merge(core, m, e);
	rumor__acc_update(core, m, now_ms, via);
}

static void
merge_live(struct rumor_core *core, uint64_t now_ms, struct member *m,
           const struct wire_entry *e, const struct rumor_addr *from,
           enum rumor_via via)
{
	switch (e->status) {
	case RUMOR_STATUS_LEFT:
		rumor__member_set_status(core, m, RUMOR_STATUS_LEFT, now_ms);
		news(core, m, RUMOR_EV_LEAVE, via);
		return;
	case RUMOR_STATUS_FAILED:
		merge_failed(core, now_ms, m, e, from, via);
		return;
	case RUMOR_STATUS_SUSPECT:
		merge_suspect(core, now_ms, m, e, from, via);
		return;
	default:
		if (e->heartbeat <= m->heartbeat)
			return;
		rumor__member_progress(core, m, e->heartbeat,
		                       e->hops < 255 ? e->hops + 1 : 255,
		                       now_ms);
		/* accusations it outgrew no longer count */
		if (m->status == RUMOR_STATUS_SUSPECT)
			rumor__acc_update(core, m, now_ms, via);
	}
}

static void
merge_known(struct rumor_core *core, uint64_t now_ms, struct member *m,
            const struct wire_entry *e, const struct rumor_addr *from,
            enum rumor_via via)
{
	switch (m->status) {
	case RUMOR_STATUS_LEFT:
		return;
	case RUMOR_STATUS_FAILED:
		if (e->status == RUMOR_STATUS_LEFT) {
			rumor__member_set_status(core, m, RUMOR_STATUS_LEFT,
			                         now_ms);
			news(core, m, RUMOR_EV_LEAVE, via);
		}
		return;
	default:
		merge_live(core, now_ms, m, e, from, via);
	}
}

/* A newer version of a known host:port: the old id is dead, once. */
static void
supersede(struct rumor_core *core, uint64_t now_ms, struct member *old)
{
	if (!rumor__is_live(old->status))
		return;
	rumor__member_set_status(core, old, RUMOR_STATUS_FAILED, now_ms);
	news(core, old, RUMOR_EV_FAIL, RUMOR_VIA_SUPERSEDED);
}

static void
merge_unknown(struct rumor_core *core, uint64_t now_ms,
              const struct wire_entry *e, enum rumor_via via)
{
	struct addr_slot *slot = rumor__slot_get(core, &e->id.addr, false);
	struct member *m;

	if (slot != NULL && slot->current != NULL &&
	    slot->current->id.version > e->id.version) {
		rumor__slot_mark_dead(core, slot, e->id.version, now_ms, false);
		return; /* an older version than one we know: dead */
	}
	if (!rumor__is_live(e->status)) {
		slot = rumor__slot_get(core, &e->id.addr, true);
		if (slot != NULL)
			rumor__slot_mark_dead(core, slot, e->id.version, now_ms,
			                      false);
		return;
	}
	if (slot != NULL && slot->current != NULL)
		supersede(core, now_ms, slot->current);
	m = rumor__member_add(core, e, now_ms);
	if (m == NULL)
		return; /* table full or no memory: counted by the caller */
	rumor__tags_adopt(core, m, e);
	rumor__emit_member(core, RUMOR_EV_JOIN, m, via);
	if (e->status == RUMOR_STATUS_SUSPECT) { /* suspected: not alive */
		rumor__acc_merge(core, m, e);
		rumor__acc_update(core, m, now_ms, via);
	}
	/* a join is news while the queue has room: one join then reaches
	 * everyone in O(log N) rounds; in a storm of joins the rest ride the
	 * freshness lists and the syncs, so that news of failures is never
	 * queued behind hundreds of joins */
	if (core->n_dissem < JOIN_NEWS_MAX)
		rumor__dissem_push_tags(core, m);
}

/*
 * A member's own leave outranks its failure, even after the failed entry
 * was removed: the leave of an id we failed (its leave could not get out
 * in time) turns into `leave` once, as a left entry that is news and is
 * removed after T_cleanup again. The slot remembers the left version, so
 * the same leave is never recorded twice.
 */
static bool
late_leave(struct rumor_core *core, uint64_t now_ms, struct addr_slot *slot,
           const struct wire_entry *e, enum rumor_via via)
{
	struct member *m;

	if (e->status != RUMOR_STATUS_LEFT ||
	    e->id.version != slot->failed_version ||
	    slot->left_version >= e->id.version ||
	    (slot->current != NULL &&
	     slot->current->id.version > e->id.version))
		return false;
	m = rumor__member_add(core, e, now_ms);
	if (m == NULL)
		return false;
	rumor__member_set_status(core, m, RUMOR_STATUS_LEFT, now_ms);
	news(core, m, RUMOR_EV_LEAVE, via);
	return true;
}

int
rumor_core_force_leave(struct rumor_core *core, uint64_t now_ms,
                       const struct rumor_member_id *id)
{
	struct wire_entry e = {.id = *id, .status = RUMOR_STATUS_LEFT};
	struct addr_slot *slot;
	struct member *m;

	if (core->state != RUMOR_STATE_ACTIVE)
		return RUMOR_ESTATE;
	if (now_ms > core->now_ms)
		core->now_ms = now_ms;
	m = rumor__member_find(core, id);
	if (m != NULL) {
		if (m->status != RUMOR_STATUS_FAILED)
			return m->status == RUMOR_STATUS_LEFT ? 0
			                                      : RUMOR_ESTATE;
		rumor__member_set_status(core, m, RUMOR_STATUS_LEFT,
		                         core->now_ms);
		news(core, m, RUMOR_EV_LEAVE, RUMOR_VIA_SELF);
		return 0;
	}
	slot = rumor__slot_get(core, &id->addr, false);
	if (slot != NULL && slot->left_version >= id->version &&
	    id->version <= slot->dead_floor)
		return 0; /* already left */
	if (slot == NULL ||
	    !late_leave(core, core->now_ms, slot, &e, RUMOR_VIA_SELF))
		return RUMOR_EINVAL;
	return 0;
}

/* The datagram's sender is usually its own first entry: reuse the lookup
 * the replay check made (in the simulator, hash lookups of received entries
 * are most of the cost). */
static struct member *
find_member(struct rumor_core *core, const struct wire_entry *e, uint64_t hash)
{
	struct member *s = core->rx_sender;

	if (s != NULL && rumor_member_id_cmp(&e->id, &s->id) == 0)
		return s;
	return rumor__index_find(&core->members, hash, &e->id);
}

/* rumor__merge_entry with the hash of the entry's index key. */
static void
merge_keyed(struct rumor_core *core, uint64_t now_ms,
            const struct rumor_addr *from, const struct wire_entry *e,
            enum rumor_via via, uint64_t hash)
{
	struct addr_slot *slot;
	struct member *m;

	if (rumor_addr_equal(&e->id.addr, &core->self_id.addr)) {
		if (e->id.version == core->self_id.version)
			self_news(core, now_ms, from, e);
		return; /* other versions of our own address are not members */
	}
	m = find_member(core, e, hash);
	if (m != NULL) {
		merge_known(core, now_ms, m, e, from, via);
		rumor__tags_merge(core, m, e, via);
		return;
	}
	slot = rumor__slot_get(core, &e->id.addr, false);
	if (slot != NULL && e->id.version <= slot->dead_floor) {
		late_leave(core, now_ms, slot, e, via);
		return; /* tombstone: never resurrect */
	}
	merge_unknown(core, now_ms, e, via);
}

/**
 * Apply one entry. from is the datagram's source (NULL for join replies):
 * answers to stale suspicions go there.
 */
void
rumor__merge_entry(struct rumor_core *core, uint64_t now_ms,
                   const struct rumor_addr *from, const struct wire_entry *e,
                   enum rumor_via via)
{
	merge_keyed(core, now_ms, from, e, via,
	            rumor__index_hash_id(&core->members, &e->id));
}

/* Events emitted while merging msg say that its sender told us. */
static void
set_rx_from(struct rumor_core *core, const struct wire_msg *msg)
{
	memset(&core->rx_from, 0, sizeof(core->rx_from));
	if (msg != NULL && msg->has_sender)
		core->rx_from = msg->sender;
}

/* Entries whose table lookups are started together (index.c). */
#define BATCH 32

/*
 * The entries go in batches: first every key, then every hash (the keys'
 * bytes are then written through, not waiting in the store buffer for the
 * hash's wide loads), then the index lookups are started together, so that
 * the merges find the table's lines on their way.
 */
void
rumor__merge_message(struct rumor_core *core, uint64_t now_ms,
                     const struct rumor_addr *from, const struct wire_msg *msg,
                     enum rumor_via via)
{
	uint8_t keys[BATCH][ID_KEY_LEN];
	uint64_t hashes[BATCH];

	set_rx_from(core, msg);
	for (size_t b = 0; b < msg->n_entries; b += BATCH) {
		const struct wire_entry *e = &msg->entries[b];
		size_t n =
		    msg->n_entries - b < BATCH ? msg->n_entries - b : BATCH;
		for (size_t i = 0; i < n; i++)
			rumor__id_key(&e[i].id, keys[i]);
		for (size_t i = 0; i < n; i++)
			hashes[i] = rumor__index_hash(&core->members, keys[i]);
		if (n > 1)
			rumor__index_prefetch(&core->members, hashes, n);
		for (size_t i = 0; i < n; i++)
			merge_keyed(core, now_ms, from, &e[i], via, hashes[i]);
	}
	set_rx_from(core, NULL);
}
