/* SPDX-License-Identifier: MIT */
/*
 * The core object: creation, the entry points drivers call, the clocks and
 * the single deadline, and the door through which events, notices and
 * datagrams leave (with the reentrancy guard).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

/* A gap this much larger than expected between two calls is a pause of
 * this process (SIGSTOP, a VM freeze), not the silence of everyone else. */
#define PAUSE_FACTOR 2
/* Entries accepted per datagram are sized for at least this many bytes. */
#define RX_MIN_BYTES 1472

static bool
callbacks_ok(const struct rumor_callbacks *cb)
{
	return cb != NULL && cb->send_datagram != NULL && cb->on_event != NULL;
}

int
rumor_core_new(struct rumor_core **out, const struct rumor_config *cfg,
               const struct rumor_callbacks *cb, void *user,
               const struct rumor_member_id *self, uint64_t rng_seed,
               uint64_t now_ms)
{
	struct rumor_core *core;

	*out = NULL;
	if (rumor_config_validate(cfg, NULL) != 0 || !callbacks_ok(cb) ||
	    self == NULL || self->version == 0 ||
	    (self->addr.family != 4 && self->addr.family != 6))
		return RUMOR_EINVAL;
	core = calloc(1, sizeof(*core));
	if (core == NULL)
		return RUMOR_ENOMEM;
	core->cfg = *cfg;
	core->cb = *cb;
	core->user = user;
	core->self_id = *self;
	core->self_status = RUMOR_STATUS_ALIVE;
	core->now_ms = core->created_ms = now_ms;
	core->next_round_ms = core->next_detect_ms = RUMOR_NO_DEADLINE;
	core->next_heartbeat_ms = core->next_sync_ms = RUMOR_NO_DEADLINE;
	core->leave_done_ms = RUMOR_NO_DEADLINE;
	core->join.retry_at_ms = RUMOR_NO_DEADLINE;
	core->next_msg_id = 1;
	rumor_rng_seed(&core->rng, rng_seed);
	/* the index's hash seed: from the seed, without a draw of the rng */
	core->members.seed = rumor_mix64(rng_seed ^ 0x696e646578ULL);
	core->self_hash = rumor__id_hash(self);
	/* accept datagrams up to an Ethernet payload even when our own MTU
	 * is smaller: members may be configured differently */
	core->rx_cap =
	    (cfg->mtu_bytes > RX_MIN_BYTES ? cfg->mtu_bytes : RX_MIN_BYTES) /
	        WIRE_ENTRY_MIN_BYTES +
	    1;
	core->pkt = malloc(cfg->mtu_bytes);
	core->rx_entries = malloc(core->rx_cap * sizeof(*core->rx_entries));
	core->packer = rumor__packer_new(cfg->mtu_bytes);
	if (core->pkt == NULL || core->rx_entries == NULL ||
	    core->packer == NULL) {
		rumor_core_free(core);
		return RUMOR_ENOMEM;
	}
	rumor__ring_add(core, NULL); /* ourselves, alone on the ring */
	*out = core;
	return 0;
}

void
rumor_core_free(struct rumor_core *core)
{
	struct member *m;
	struct addr_slot *s, *stmp;
	uint32_t pos = 0;

	if (core == NULL)
		return;
	/* tear down wholesale, with no list or heap upkeep per entry: the
	 * index is only read until it is freed; the address slots' hash
	 * table is freed first (HASH_CLEAR reads the head element), then its
	 * elements are walked by their own links */
	while ((m = rumor__index_next(&core->members, &pos)) != NULL) {
		free(m->dissem);
		free(m->acc);
		free(m->tags);
		free(m);
	}
	rumor__index_free(&core->members);
	s = core->slots;
	HASH_CLEAR(hh, core->slots);
	for (; s != NULL; s = stmp) {
		stmp = s->hh.next;
		free(s);
	}
	free(core->self_dissem);
	free(core->self_tags);
	rumor__join_free(core);
	free(core->live);
	free(core->ring);
	free(core->dl_heap);
	free(core->reconnect);
	free(core->pkt);
	free(core->rx_entries);
	free(core->packer);
	free(core);
}

/* ---- the way out ---- */

void
rumor__emit(struct rumor_core *core, enum rumor_event_kind kind,
            const struct rumor_member_id *member, enum rumor_via via,
            uint64_t heartbeat)
{
	const struct member *m;

	if (rumor_member_id_cmp(member, &core->self_id) == 0)
		rumor__emit_tags(core, kind, member, via, heartbeat,
		                 core->self_tags, core->self_tags_len,
		                 core->self_tags_ver);
	else if ((m = rumor__member_find(core, member)) != NULL)
		rumor__emit_tags(core, kind, member, via, heartbeat, m->tags,
		                 m->tags_len, m->tags_ver);
	else
		rumor__emit_tags(core, kind, member, via, heartbeat, NULL, 0,
		                 0);
}

void
rumor__emit_tags(struct rumor_core *core, enum rumor_event_kind kind,
                 const struct rumor_member_id *member, enum rumor_via via,
                 uint64_t heartbeat, const uint8_t *tags, size_t tags_len,
                 uint64_t tags_ver)
{
	struct rumor_event ev = {
	    .now_ms = core->now_ms,
	    .kind = kind,
	    .observer = core->self_id,
	    .member = *member,
	    .via = via,
	    .heartbeat = heartbeat,
	    .tags = tags,
	    .tags_len = tags_len,
	    .tags_version = tags_ver,
	};

	/* news learned from a message: say from whom */
	if (via != RUMOR_VIA_SELF && via != RUMOR_VIA_TIMEOUT)
		ev.from = core->rx_from;
	assert(!core->in_callback);
	core->in_callback = true;
	core->cb.on_event(core->user, &ev);
	core->in_callback = false;
}

void
rumor__notice(struct rumor_core *core, enum rumor_notice_kind kind,
              const struct rumor_addr *addr, int err, uint64_t value)
{
	struct rumor_notice n = {.kind = kind, .err = err, .value = value};

	if (core->cb.on_notice == NULL)
		return;
	if (addr)
		n.addr = *addr;
	core->in_callback = true;
	core->cb.on_notice(core->user, &n);
	core->in_callback = false;
}

static void
trace(struct rumor_core *core, enum rumor_trace_dir dir,
      const struct rumor_addr *peer_addr, const struct rumor_member_id *peer,
      size_t bytes, int kind, uint64_t msg_id, int err)
{
	if (!core->cfg.trace || core->cb.on_trace == NULL)
		return; /* before building tr: this runs for every datagram */
	struct rumor_trace tr = {
	    .now_ms = core->now_ms,
	    .dir = dir,
	    .observer = core->self_id,
	    .peer_addr = *peer_addr,
	    .bytes = bytes,
	    .msg_kind = kind,
	    .msg_id = msg_id,
	    .err = err,
	};

	if (peer)
		tr.peer = *peer;
	else
		tr.peer.addr = *peer_addr;
	core->in_callback = true;
	core->cb.on_trace(core->user, &tr);
	core->in_callback = false;
}

int
rumor__send(struct rumor_core *core, const struct rumor_addr *to,
            const struct rumor_member_id *to_id, int kind, uint64_t msg_id,
            const uint8_t *data, size_t len)
{
	int rc;

	assert(len <= core->cfg.mtu_bytes);
	core->stats.datagrams_sent++;
	core->stats.bytes_sent += len;
	if (kind > 0 && kind < RUMOR_MSG_KIND_MAX) {
		core->stats.sent_by_kind[kind]++;
		core->stats.sent_bytes_by_kind[kind] += len;
	}
	trace(core, RUMOR_TRACE_SEND, to, to_id, len, kind, msg_id, 0);
	core->in_callback = true;
	rc = core->cb.send_datagram(core->user, to, data, len);
	core->in_callback = false;
	if (rc < 0)
		core->stats.send_errors++;
	return rc;
}

void
rumor__stream_sent(struct rumor_core *core, const struct rumor_addr *to,
                   int kind, uint64_t msg_id, size_t len)
{
	core->stats.stream_bytes_sent += len;
	if (kind > 0 && kind < RUMOR_MSG_KIND_MAX) {
		core->stats.sent_by_kind[kind]++;
		core->stats.sent_bytes_by_kind[kind] += len;
	}
	trace(core, RUMOR_TRACE_SEND, to, NULL, len, kind, msg_id, 0);
}

uint64_t
rumor__next_msg_id(struct rumor_core *core)
{
	return core->next_msg_id++;
}

/* ---- clocks ---- */

/* Advance the core's clock; a long silence of our own shifts the detector. */
static void
observe_now(struct rumor_core *core, uint64_t now_ms)
{
	uint64_t gap, expected;

	assert(!core->in_callback);
	if (now_ms <= core->now_ms)
		return;
	gap = now_ms - core->now_ms;
	expected = core->cfg.t_heartbeat_ms > core->cfg.t_gossip_ms
	               ? core->cfg.t_heartbeat_ms
	               : core->cfg.t_gossip_ms;
	core->now_ms = now_ms;
	if (core->state == RUMOR_STATE_ACTIVE &&
	    gap > PAUSE_FACTOR * expected && gap > core->cfg.t_suspect_ms / 2) {
		/* we were not running: nobody else was silent meanwhile */
		rumor__detector_shift(core, gap - expected);
	}
}

/* Next tick of a fixed cadence; after a stall, restart it from now. */
static void
advance(uint64_t *next, uint32_t period, uint64_t now_ms)
{
	*next += period;
	if (*next <= now_ms)
		*next = now_ms + period;
}

void
rumor__start_clocks(struct rumor_core *core, uint64_t now_ms)
{
	const struct rumor_config *c = &core->cfg;

	/* random phases, so that members started together do not tick
	 * together */
	core->next_heartbeat_ms =
	    now_ms + rumor_rng_below(&core->rng, c->t_heartbeat_ms);
	core->next_round_ms =
	    now_ms + rumor_rng_below(&core->rng, c->t_gossip_ms);
	core->next_reconnect_ms = now_ms + c->reconnect_ms;
	/* a new member's view is the likeliest to differ (a storm of
	 * joins): its first digest goes soon (sync.c) */
	core->next_sync_ms = now_ms + c->t_sync_ms / 8 +
	                     rumor_rng_below(&core->rng, c->t_sync_ms / 8 + 1);
}

int
rumor_core_handle_timeout(struct rumor_core *core, uint64_t now_ms)
{
	observe_now(core, now_ms);
	now_ms = core->now_ms;
	if (core->state == RUMOR_STATE_JOINING)
		rumor__join_timeout(core, now_ms);
	if (core->state == RUMOR_STATE_LEAVING &&
	    now_ms >= core->leave_done_ms) {
		core->state = RUMOR_STATE_LEFT;
		return 0;
	}
	if (core->state != RUMOR_STATE_ACTIVE &&
	    core->state != RUMOR_STATE_LEAVING)
		return 0;
	if (now_ms >= core->next_detect_ms && core->state == RUMOR_STATE_ACTIVE)
		rumor__detector_run(core, now_ms);
	if (now_ms >= core->next_heartbeat_ms) {
		rumor__heartbeat_tick(core);
		advance(&core->next_heartbeat_ms, core->cfg.t_heartbeat_ms,
		        now_ms);
	}
	if (now_ms >= core->next_round_ms) {
		rumor__gossip_round(core, now_ms);
		advance(&core->next_round_ms, core->cfg.t_gossip_ms, now_ms);
	}
	return 0;
}

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t
rumor_core_next_deadline(const struct rumor_core *core)
{
	switch (core->state) {
	case RUMOR_STATE_JOINING:
		return core->join.retry_at_ms;
	case RUMOR_STATE_ACTIVE:
		return min_u64(
		    min_u64(core->next_round_ms, core->next_detect_ms),
		    core->next_heartbeat_ms);
	case RUMOR_STATE_LEAVING:
		return min_u64(
		    min_u64(core->next_round_ms, core->leave_done_ms),
		    core->next_heartbeat_ms);
	default:
		return RUMOR_NO_DEADLINE;
	}
}

/* ---- commands ---- */

int
rumor_core_bootstrap(struct rumor_core *core, uint64_t now_ms)
{
	if (core->state != RUMOR_STATE_IDLE)
		return RUMOR_ESTATE;
	observe_now(core, now_ms);
	core->state = RUMOR_STATE_ACTIVE;
	rumor__start_clocks(core, core->now_ms);
	rumor__emit(core, RUMOR_EV_JOINED, &core->self_id, RUMOR_VIA_SELF,
	            core->self_heartbeat);
	return 0;
}

int
rumor_core_leave(struct rumor_core *core, uint64_t now_ms)
{
	observe_now(core, now_ms);
	if (core->state == RUMOR_STATE_IDLE ||
	    core->state == RUMOR_STATE_JOINING) {
		core->state = RUMOR_STATE_LEFT;
		return 0;
	}
	if (core->state != RUMOR_STATE_ACTIVE)
		return RUMOR_ESTATE;
	core->self_status = RUMOR_STATUS_LEFT;
	core->state = RUMOR_STATE_LEAVING;
	core->leave_done_ms = core->now_ms + core->cfg.leave_grace_ms;
	rumor__dissem_push_self(core);
	rumor__emit(core, RUMOR_EV_LEFT, &core->self_id, RUMOR_VIA_SELF,
	            core->self_heartbeat);
	/* announce at once rather than at the next round */
	rumor__heartbeat_tick(core);
	rumor__gossip_round(core, core->now_ms);
	core->next_round_ms = core->now_ms + core->cfg.t_gossip_ms;
	return 0;
}

int
rumor_core_set_recv_drop_rate(struct rumor_core *core, double rate)
{
	if (!(rate >= 0.0 && rate <= 1.0))
		return RUMOR_EINVAL;
	core->cfg.recv_drop_rate = rate;
	return 0;
}

/* ---- input ---- */

static int
count_malformed(struct rumor_core *core, const struct rumor_addr *from,
                size_t len, int rc)
{
	core->stats.recv_malformed++;
	if (rc < 0 && rc >= RUMOR_ERROR_MIN)
		core->stats.malformed_by_err[-rc]++;
	trace(core, RUMOR_TRACE_DROP, from, NULL, len, 0, 0, rc);
	rumor__notice(core, RUMOR_NOTICE_BAD_DATAGRAM, from, rc, len);
	return rc;
}

/*
 * Replay window (as IPsec's, RFC 4303 section 3.4.3): message ids from one
 * sender only grow, so an id at or below the greatest seen is accepted once
 * if it is within the last 64 and refused otherwise. Only known members
 * are checked; a restarted sender is a new member with a fresh window.
 */
static bool
is_replay(struct rumor_core *core, const struct wire_msg *msg)
{
	struct member *m;
	uint64_t back;

	if (!msg->has_sender || msg->kind != RUMOR_MSG_GOSSIP ||
	    (m = rumor__member_find(core, &msg->sender)) == NULL)
		return false;
	core->rx_sender = m; /* saves the merge looking it up again */
	if (msg->msg_id > m->rx_max_id) {
		uint64_t shift = msg->msg_id - m->rx_max_id;
		m->rx_window = shift >= 64 ? 0 : m->rx_window << shift;
		m->rx_window |= 1;
		m->rx_max_id = msg->msg_id;
		return false;
	}
	back = m->rx_max_id - msg->msg_id;
	if (back >= 64 || (m->rx_window >> back) & 1)
		return true;
	m->rx_window |= (uint64_t)1 << back;
	return false;
}

/* A ring heartbeat: from one of our predecessors, found by its tag. */
static int
recv_heartbeat(struct rumor_core *core, const struct rumor_addr *from,
               const struct wire_msg *msg, size_t len)
{
	struct member *m = rumor__heartbeat_sender(core, msg->tag);

	trace(core, RUMOR_TRACE_RECV, from, m ? &m->id : NULL, len, msg->kind,
	      msg->msg_id, 0);
	if (m != NULL && (core->state == RUMOR_STATE_ACTIVE ||
	                  core->state == RUMOR_STATE_LEAVING))
		rumor__heartbeat_recv(core, core->now_ms, m, msg->msg_id);
	return 0;
}

static int
recv_datagram(struct rumor_core *core, uint64_t now_ms,
              const struct rumor_addr *from, const uint8_t *data, size_t len)
{
	struct wire_msg msg;
	int rc;

	observe_now(core, now_ms);
	core->stats.datagrams_recv++;
	core->stats.bytes_recv += len;
	rc =
	    rumor__wire_decode(data, len, &msg, core->rx_entries, core->rx_cap);
	if (rc != 0)
		return rumor_is_fatal(rc)
		           ? rc
		           : count_malformed(core, from, len, rc);
	core->stats.recv_by_kind[msg.kind]++;
	core->stats.recv_bytes_by_kind[msg.kind] += len;
	if (msg.kind == RUMOR_MSG_JOIN_REQ ||
	    msg.kind == RUMOR_MSG_JOIN_REPLY || msg.kind == RUMOR_MSG_SYNC)
		return count_malformed(core, from, len, RUMOR_EWIRE_KIND);
	if (core->cfg.replay_window && is_replay(core, &msg))
		return count_malformed(core, from, len, RUMOR_EREPLAY);
	if (core->cfg.recv_drop_rate > 0 &&
	    rumor_rng_unit(&core->rng) < core->cfg.recv_drop_rate) {
		core->stats.recv_dropped++;
		trace(core, RUMOR_TRACE_DROP, from, &msg.sender, len, msg.kind,
		      msg.msg_id, RUMOR_EDROPPED);
		return RUMOR_EDROPPED;
	}
	if (msg.kind == RUMOR_MSG_HEARTBEAT)
		return recv_heartbeat(core, from, &msg, len);
	trace(core, RUMOR_TRACE_RECV, from, msg.has_sender ? &msg.sender : NULL,
	      len, msg.kind, msg.msg_id, 0);
	if (msg.has_sender) {
		rumor__heard(core, &msg.sender, core->now_ms);
		rumor__gossip_tell_dead(core, core->now_ms, &msg.sender);
	}
	if (msg.kind == RUMOR_MSG_DIGEST) {
		if (core->state == RUMOR_STATE_ACTIVE)
			rumor__sync_digest(core, core->now_ms, from, &msg);
		return 0;
	}
	if (msg.kind == RUMOR_MSG_PING || msg.kind == RUMOR_MSG_PONG) {
		if (core->state != RUMOR_STATE_LEFT)
			rumor__handle_ping(core, core->now_ms, from, &msg);
		return 0;
	}
	if (core->state == RUMOR_STATE_ACTIVE ||
	    core->state == RUMOR_STATE_LEAVING)
		rumor__merge_message(core, core->now_ms, from, &msg,
		                     RUMOR_VIA_GOSSIP);
	return 0;
}

int
rumor_core_recv_datagram(struct rumor_core *core, uint64_t now_ms,
                         const struct rumor_addr *from, const uint8_t *data,
                         size_t len)
{
	int rc;

	core->rx_sender = NULL;
	rc = recv_datagram(core, now_ms, from, data, len);
	core->rx_sender = NULL; /* never outlives this call */
	return rc;
}

/* ---- views ---- */

size_t
rumor_core_member_count(const struct rumor_core *core)
{
	return (size_t)core->members.count + 1;
}

void
rumor_core_visit_members(const struct rumor_core *core,
                         void (*visit)(void *arg,
                                       const struct rumor_member_view *m),
                         void *arg)
{
	struct rumor_member_view v = {
	    .id = core->self_id,
	    .status = core->self_status,
	    .heartbeat = core->self_heartbeat,
	    .last_progress_ms = core->now_ms,
	    .is_self = 1,
	    .tags = core->self_tags,
	    .tags_len = core->self_tags_len,
	    .tags_version = core->self_tags_ver,
	};
	const struct member *m;
	uint32_t pos = 0;

	visit(arg, &v);
	v.is_self = 0;
	while ((m = rumor__index_next(&core->members, &pos)) != NULL) {
		v.id = m->id;
		v.status = m->status;
		v.heartbeat = m->heartbeat;
		v.last_progress_ms = m->last_progress_ms;
		v.direct_ms = m->direct_ms;
		v.link_broken = m->link_broken && m->watched;
		v.accusers = (int)rumor__acc_count(core, m, NULL);
		v.tags = m->tags;
		v.tags_len = m->tags_len;
		v.tags_version = m->tags_ver;
		visit(arg, &v);
	}
}

const struct rumor_member_id *
rumor_core_self(const struct rumor_core *core)
{
	return &core->self_id;
}

enum rumor_core_state
rumor_core_state(const struct rumor_core *core)
{
	return core->state;
}

const struct rumor_config *
rumor_core_config(const struct rumor_core *core)
{
	return &core->cfg;
}

void
rumor_core_stats(const struct rumor_core *core, struct rumor_stats *out)
{
	*out = core->stats;
	out->broken_links = 0;
	for (uint32_t i = 0; i < core->n_pred; i++)
		out->broken_links += core->pred[i]->link_broken;
}
