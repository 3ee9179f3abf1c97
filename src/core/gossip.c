/* SPDX-License-Identifier: MIT */
/*
 * Gossip rounds. Every T_gossip a member raises its heartbeat and sends one
 * datagram to each of `fanout` distinct live members picked at random. Each
 * datagram is packed to the MTU in this order:
 *
 *   1. its own entry (heartbeat, status);
 *   2. pending news (dissem.c), fewest transmissions first;
 *   3. entries by freshness: heartbeats that advanced since they were last
 *      sent first, then ever less recently sent ones; the last level rotates
 *      so that, with N larger than a datagram holds, every entry still goes
 *      out regularly (tarantool SWIM's anti-entropy window, made ordered).
 *
 * Each target gets its own datagram, so the freshness order spreads
 * different entries to different targets. Every reconnect_ms a datagram
 * also goes to one join seed that is not a live member (an introducer that
 * restarted), and to one address whose member failed (a member wrongly
 * failed across a partition learns so and rejoins with a new version; serf
 * retries failed members the same way).
 */
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

/* Suspected members told directly per round, at most. */
#define SUSPECTS_TOLD_PER_ROUND 2

/* Scratch for what one datagram carries (bounded by the MTU). */
struct packer {
	struct wire_writer w;
	size_t n_news, n_fresh, n_packed, cap;
	uint32_t limit; /* entries per datagram, 0 = as many as fit */
	bool full;
	bool news_only; /* own entry and news, no heartbeats of others */
	struct dissem_item **sent_news; /* [cap] */
	struct member **sent_fresh;     /* [cap] */
	struct member **packed; /* [cap]: every member in this datagram */
};

struct packer *
rumor__packer_new(uint32_t mtu_bytes)
{
	size_t cap = mtu_bytes / WIRE_ENTRY_MIN_BYTES + 1;
	struct packer *p = calloc(1, sizeof(*p) + 3 * cap * sizeof(void *));

	if (p == NULL)
		return NULL;
	p->cap = cap;
	p->sent_news = (struct dissem_item **)(p + 1);
	p->sent_fresh = (struct member **)(p->sent_news + cap);
	p->packed = p->sent_fresh + cap;
	return p;
}

/* Is m in the datagram already? A scan of its few members, in cache,
 * instead of a mark in the member (a cache line more per packed entry). */
static bool
packed(const struct packer *p, const struct member *m)
{
	for (size_t i = 0; i < p->n_packed; i++)
		if (p->packed[i] == m)
			return true;
	return false;
}

static bool
pack_member(struct packer *p, struct member *m, bool tags)
{
	struct wire_entry e;

	if (p->full || packed(p, m))
		return false;
	if (p->n_packed >= p->cap || p->n_news + p->n_fresh >= p->cap ||
	    (p->limit && p->w.count >= p->limit)) {
		p->full = true;
		return false;
	}
	if (tags)
		rumor__member_to_entry_tags(m, &e);
	else
		rumor__member_to_entry(m, &e);
	if (rumor__wire_add_entry(&p->w, &e) != 0) {
		p->full = true;
		return false;
	}
	p->packed[p->n_packed++] = m;
	return true;
}

/* News takes at most half of a gossip datagram, so that a burst of status
 * changes never starves heartbeats (which would cause more suspicions);
 * a news datagram (rumor__news_push) is all news. */
static void
pack_news(struct rumor_core *core, struct packer *p)
{
	size_t bytes = p->news_only ? p->w.cap : p->w.cap / 2;
	uint32_t entries =
	    p->limit == 0 || p->news_only ? UINT32_MAX : p->limit / 2;

	for (struct dissem_item *it = rumor__dissem_first(core);
	     it && !p->full && p->w.len < bytes && p->w.count < entries;
	     it = rumor__dissem_next(core, it)) {
		if (it->is_self || pack_member(p, it->member, it->tags))
			p->sent_news[p->n_news++] = it;
	}
}

static void
pack_fresh(struct rumor_core *core, struct packer *p)
{
	for (int l = 0; l < FRESH_LEVELS && !p->full; l++)
		for (struct member *m = core->fresh_head[l]; m && !p->full;
		     m = m->fresh_next)
			if (pack_member(p, m, false))
				p->sent_fresh[p->n_fresh++] = m;
}

/* Build one gossip datagram in core->pkt; returns its length. */
static size_t
build_gossip(struct rumor_core *core, struct packer *p, uint64_t msg_id,
             const struct wire_entry *extra_tombstone,
             const struct member *extra)
{
	struct wire_entry self;

	p->n_news = p->n_fresh = p->n_packed = 0;
	p->full = false;
	/* gossip_entries bounds a round's heartbeat sample; a news datagram
	 * holds what the MTU does (news costs its retransmissions either way,
	 * and fewer datagrams spread it sooner) */
	p->limit = p->news_only ? 0 : core->cfg.gossip_entries;
	rumor__wire_begin(&p->w, core->pkt, core->cfg.mtu_bytes,
	                  RUMOR_MSG_GOSSIP, msg_id, &core->self_id, 0);
	/* our tags only while they are news */
	if (core->self_dissem != NULL && core->self_dissem->tags)
		rumor__self_to_entry_tags(core, &self);
	else
		rumor__self_to_entry(core, &self);
	rumor__wire_add_entry(&p->w, &self);
	if (extra_tombstone) {
		/* the failed member may still be in the table, its failure
		 * queued as news: then it goes once, as a packed member */
		struct member *dead =
		    rumor__member_find(core, &extra_tombstone->id);
		if (dead != NULL)
			pack_member(p, dead, false);
		else
			rumor__wire_add_entry(&p->w, extra_tombstone);
	}
	if (extra)
		pack_member(p, (struct member *)extra, false);
	pack_news(core, p);
	if (!p->news_only)
		pack_fresh(core, p);
	for (size_t i = 0; i < p->n_news; i++)
		rumor__dissem_sent(core, p->sent_news[i]);
	for (size_t i = 0; i < p->n_fresh; i++)
		rumor__fresh_sent(core, p->sent_fresh[i]);
	return rumor__wire_finish(&p->w);
}

static void
send_gossip(struct rumor_core *core, const struct rumor_addr *to,
            const struct rumor_member_id *to_id,
            const struct wire_entry *tombstone, const struct member *extra)
{
	uint64_t msg_id = rumor__next_msg_id(core);
	size_t len = build_gossip(core, core->packer, msg_id, tombstone, extra);

	rumor__send(core, to, to_id, RUMOR_MSG_GOSSIP, msg_id, core->pkt, len);
}

void
rumor__gossip_send_to(struct rumor_core *core, const struct rumor_addr *to,
                      const struct rumor_member_id *to_id,
                      const struct member *extra)
{
	send_gossip(core, to, to_id, NULL, extra);
}

/* Choose k distinct live members (partial Fisher-Yates on the array). */
static uint32_t
pick_targets(struct rumor_core *core, uint32_t k)
{
	uint32_t n = core->n_live;

	if (k > n)
		k = n;
	for (uint32_t i = 0; i < k; i++) {
		uint32_t j = i + (uint32_t)rumor_rng_below(&core->rng, n - i);
		struct member *t = core->live[i];
		core->live[i] = core->live[j];
		core->live[j] = t;
		core->live[i]->live_index = i;
		core->live[j]->live_index = j;
	}
	return k;
}

static bool
seed_is_live(struct rumor_core *core, const struct rumor_addr *seed)
{
	struct addr_slot *s = rumor__slot_get(core, seed, false);

	return rumor_addr_equal(seed, &core->self_id.addr) ||
	       (s && s->current && rumor__is_live(s->current->status));
}

/* A gossip datagram to the address of slot s carrying its tombstone:
 * whoever is there learns that this version is failed. */
static void
send_tombstone(struct rumor_core *core, const struct addr_slot *s)
{
	struct wire_entry tomb = {0};

	tomb.id.addr = s->addr;
	tomb.id.version = s->dead_floor;
	tomb.heartbeat = 0;
	tomb.status = RUMOR_STATUS_FAILED;
	send_gossip(core, &s->addr, NULL, s->dead_floor ? &tomb : NULL, NULL);
}

void
rumor__gossip_tell_dead(struct rumor_core *core, uint64_t now_ms,
                        const struct rumor_member_id *sender)
{
	struct addr_slot *s = rumor__slot_get(core, &sender->addr, false);
	struct member *m;

	if (s == NULL || sender->version > s->dead_floor ||
	    core->state != RUMOR_STATE_ACTIVE)
		return;
	m = rumor__member_find(core, sender);
	if (m != NULL && m->status != RUMOR_STATUS_FAILED)
		return; /* it left: it knows */
	if (s->told_dead_ms != 0 &&
	    now_ms < s->told_dead_ms + core->cfg.t_gossip_ms)
		return;
	s->told_dead_ms = now_ms;
	send_tombstone(core, s);
}

/*
 * Every reconnect_ms: gossip to the next join seed that is not a live
 * member (round robin, for ever: one seed that is gone for good must not
 * hide the others), and to one address whose member failed within the
 * reconnect horizon (reconnect_timeout_ms), with its tombstone.
 */
static void
reconnect(struct rumor_core *core, uint64_t now_ms)
{
	struct join_state *j = &core->join;

	for (size_t k = 0; k < j->n_seeds; k++) {
		const struct rumor_addr *seed =
		    &j->seeds[j->next_probe++ % j->n_seeds];
		if (!seed_is_live(core, seed)) {
			send_gossip(core, seed, NULL, NULL, NULL);
			break;
		}
	}
	rumor__reconnect_expire(core, now_ms);
	if (core->n_reconnect == 0)
		return;
	send_tombstone(
	    core,
	    core->reconnect[rumor_rng_below(&core->rng, core->n_reconnect)]);
}

/*
 * News does not wait for gossip rounds: at every heartbeat tick while a
 * member holds news (a suspicion, a failure, a leave, a join, a
 * refutation) with retransmissions left, it sends a datagram of news to
 * `fanout` random members. News thus spreads in O(log N) heartbeat periods
 * (100 ms) rather than gossip rounds, so gossip rounds can be sparse (they
 * carry heartbeats for anti-entropy and the far timeout); a member with no
 * news sends none, and a storm costs at most `fanout` datagrams a tick.
 */
static void
news_push(struct rumor_core *core)
{
	uint32_t k = pick_targets(core, core->cfg.fanout);

	core->packer->news_only = true;
	for (uint32_t i = 0; i < k; i++)
		send_gossip(core, &core->live[i]->id.addr, &core->live[i]->id,
		            NULL, NULL);
	core->packer->news_only = false;
}

void
rumor__heartbeat_tick(struct rumor_core *core)
{
	/* a new slot of each predecessor's arrival record (local health) */
	for (uint32_t i = 0; i < core->n_pred; i++)
		core->pred[i]->hb_bits <<= 1;
	if (core->state == RUMOR_STATE_ACTIVE)
		rumor__links_check(core, core->now_ms);
	core->self_heartbeat++;
	rumor__heartbeat_send(core);
	/* our own news too (a refutation everyone heard of, a rejoin as a
	 * new version): no heartbeat gossip carries our entry any more */
	if (core->n_dissem > 0 || core->state == RUMOR_STATE_LEAVING)
		news_push(core);
}

/*
 * A member we suspect is told so directly, once a round, while the news is
 * fresh (SWIM pings its suspects likewise): if it is alive it refutes
 * straight back, without waiting for the news to reach it by chance. No
 * answer within T_suspect, and we accuse it ourselves (detector_hb.c): a
 * second, independent witness, as SWIM's indirect probe.
 */
static void
tell_suspects(struct rumor_core *core)
{
	uint32_t told = 0;

	/* our own accusations in their local phase: the suspect and its
	 * watchers again, for what loss took */
	for (uint32_t i = 0; i < core->n_pred; i++) {
		struct member *m = core->pred[i];
		if (m->status == RUMOR_STATUS_SUSPECT && m->acc != NULL &&
		    !m->acc->broadcast && rumor__acc_by(core, m, NULL))
			rumor__acc_tell(core, m);
	}

	for (struct dissem_item *it = rumor__dissem_first(core);
	     it && told < SUSPECTS_TOLD_PER_ROUND;
	     it = rumor__dissem_next(core, it)) {
		struct member *m = it->member;
		if (it->is_self || m->status != RUMOR_STATUS_SUSPECT)
			continue;
		send_gossip(core, &m->id.addr, &m->id, NULL, m);
		told++;
		if (m->acc != NULL && m->acc->told_ms == 0) {
			m->acc->told_ms = core->now_ms;
			rumor__detector_note(core, m);
		}
	}
}

void
rumor__gossip_round(struct rumor_core *core, uint64_t now_ms)
{
	uint32_t k = core->cfg.fanout;

	core->stats.gossip_rounds++;
	if (core->state == RUMOR_STATE_LEAVING)
		k *= 2; /* a leave is worth more datagrams */
	/* heartbeat gossip only when asked for: detection is the ring's,
	 * news is pushed, anti-entropy is by digest (docs/architecture.md) */
	k = core->cfg.gossip_entries ? pick_targets(core, k) : 0;
	for (uint32_t i = 0; i < k; i++) {
		struct member *t = core->live[i];
		send_gossip(core, &t->id.addr, &t->id, NULL, NULL);
	}
	core->self_answers = 0;
	if (core->state == RUMOR_STATE_ACTIVE)
		tell_suspects(core);
	if (core->cfg.reconnect_ms && now_ms >= core->next_reconnect_ms &&
	    core->state == RUMOR_STATE_ACTIVE) {
		core->next_reconnect_ms = now_ms + core->cfg.reconnect_ms;
		reconnect(core, now_ms);
	}
	if (core->state == RUMOR_STATE_ACTIVE)
		rumor__sync_maybe(core, now_ms);
}

/* ---- reachability: PING / PONG ---- */

void
rumor__ping(struct rumor_core *core, uint64_t now_ms,
            const struct rumor_addr *to)
{
	uint8_t buf[128];
	uint64_t nonce = rumor_rng_next(&core->rng) | 1;
	uint64_t msg_id = rumor__next_msg_id(core);
	size_t slot = (size_t)(nonce % PING_SLOTS);
	int len = rumor__wire_encode_nonce(buf, sizeof(buf), RUMOR_MSG_PING,
	                                   msg_id, &core->self_id, nonce);

	if (len < 0)
		return;
	core->pings[slot].addr = *to;
	core->pings[slot].nonce = nonce;
	core->pings[slot].sent_ms = now_ms;
	rumor__send(core, to, NULL, RUMOR_MSG_PING, msg_id, buf, (size_t)len);
}

void
rumor__handle_ping(struct rumor_core *core, uint64_t now_ms,
                   const struct rumor_addr *from, const struct wire_msg *msg)
{
	uint8_t buf[128];
	size_t slot = (size_t)(msg->nonce % PING_SLOTS);

	if (msg->kind == RUMOR_MSG_PING) {
		uint64_t msg_id = rumor__next_msg_id(core);
		int len = rumor__wire_encode_nonce(buf, sizeof(buf),
		                                   RUMOR_MSG_PONG, msg_id,
		                                   &core->self_id, msg->nonce);
		if (len > 0)
			rumor__send(core, from, NULL, RUMOR_MSG_PONG, msg_id,
			            buf, (size_t)len);
		return;
	}
	if (msg->nonce == 0 || core->pings[slot].nonce != msg->nonce)
		return;
	core->pings[slot].nonce = 0;
	rumor__notice(core, RUMOR_NOTICE_REACHABLE, from, 0,
	              now_ms - core->pings[slot].sent_ms);
}
