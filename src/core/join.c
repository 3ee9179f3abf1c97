/* SPDX-License-Identifier: MIT */
/*
 * The join exchange over the stream channel (TCP in the agent); the stream
 * entry points also route anti-entropy syncs (sync.c).
 *
 * Joiner: sends JOIN_REQ carrying its own entry to a seed (the introducer
 * or any live member); on failure tries the next seed after a backoff of
 * 250 ms doubling to 5 s. The JOIN_REPLY holds the seed's whole list, which
 * the joiner merges (via "introducer") before it starts gossiping.
 *
 * Seed: checks the joiner's id (an id at or below its address's dead floor
 * is refused, and told why), adds it (via "introducer"), queues the join as
 * news, and answers with every entry it holds, tombstones included, so that
 * the joiner never accepts a dead id from stale gossip either.
 */
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

#define JOIN_BACKOFF_MIN_MS 250
#define JOIN_BACKOFF_MAX_MS 5000
/* If the driver never reports on a stream, give up on it after this. */
#define JOIN_STREAM_TIMEOUT_MS 10000
/* Reachability check after joining: PING the seed and a few others. */
#define JOIN_PINGS 4

void
rumor__join_free(struct rumor_core *core)
{
	free(core->join.seeds);
	memset(&core->join, 0, sizeof(core->join));
	core->join.retry_at_ms = RUMOR_NO_DEADLINE;
}

static void
attempt(struct rumor_core *core, uint64_t now_ms)
{
	struct join_state *j = &core->join;
	const struct rumor_addr *seed = &j->seeds[j->next_seed++ % j->n_seeds];
	/* the entry's tags fit a datagram (rumor_core_tags_max) */
	uint8_t req[65536];
	struct wire_writer w;
	struct wire_entry self;
	size_t len;
	int rc;

	rumor__wire_begin(&w, req, sizeof(req), RUMOR_MSG_JOIN_REQ,
	                  rumor__next_msg_id(core), &core->self_id, 0);
	rumor__self_to_entry_tags(core, &self);
	rumor__wire_add_entry(&w, &self);
	j->stream_id = ++core->next_stream_id;
	j->retry_at_ms = now_ms + JOIN_STREAM_TIMEOUT_MS;
	core->stats.streams_opened++;
	len = rumor__wire_finish(&w);
	rumor__stream_sent(core, seed, RUMOR_MSG_JOIN_REQ, 0, len);
	core->in_callback = true;
	rc = core->cb.stream_open(core->user, j->stream_id, seed, req, len);
	core->in_callback = false;
	if (rc < 0)
		rumor_core_stream_failed(core, now_ms, j->stream_id, rc);
}

int
rumor_core_join(struct rumor_core *core, uint64_t now_ms,
                const struct rumor_addr *seeds, size_t n)
{
	if (n == 0 || seeds == NULL)
		return RUMOR_EINVAL;
	if (core->state != RUMOR_STATE_IDLE || core->cb.stream_open == NULL)
		return RUMOR_ESTATE;
	core->join.seeds = malloc(n * sizeof(*seeds));
	if (core->join.seeds == NULL)
		return RUMOR_ENOMEM;
	memcpy(core->join.seeds, seeds, n * sizeof(*seeds));
	core->join.n_seeds = n;
	core->join.backoff_ms = JOIN_BACKOFF_MIN_MS;
	core->state = RUMOR_STATE_JOINING;
	if (now_ms > core->now_ms)
		core->now_ms = now_ms;
	attempt(core, now_ms);
	return 0;
}

int
rumor_core_set_seeds(struct rumor_core *core, const struct rumor_addr *seeds,
                     size_t n)
{
	struct rumor_addr *copy;

	if (n == 0 || seeds == NULL)
		return RUMOR_EINVAL;
	if (core->join.seeds == NULL)
		return RUMOR_ESTATE;
	if ((copy = malloc(n * sizeof(*seeds))) == NULL)
		return RUMOR_ENOMEM;
	memcpy(copy, seeds, n * sizeof(*seeds));
	free(core->join.seeds);
	core->join.seeds = copy;
	core->join.n_seeds = n;
	core->join.next_seed %= n;
	return 0;
}

void
rumor__join_timeout(struct rumor_core *core, uint64_t now_ms)
{
	struct join_state *j = &core->join;

	if (core->state != RUMOR_STATE_JOINING || now_ms < j->retry_at_ms)
		return;
	if (j->stream_id != 0) /* the driver never answered: give up on it */
		rumor_core_stream_failed(core, now_ms, j->stream_id,
		                         RUMOR_EINTERNAL);
	else
		attempt(core, now_ms);
}

int
rumor_core_stream_failed(struct rumor_core *core, uint64_t now_ms,
                         uint64_t stream_id, int err)
{
	struct join_state *j = &core->join;

	if (rumor__sync_owns(core, stream_id)) {
		rumor__sync_failed(core);
		return 0;
	}
	if (core->state != RUMOR_STATE_JOINING || stream_id != j->stream_id ||
	    stream_id == 0)
		return RUMOR_EINVAL;
	core->stats.streams_failed++;
	j->stream_id = 0;
	j->retry_at_ms = now_ms + j->backoff_ms;
	rumor__notice(core, RUMOR_NOTICE_JOIN_FAILED,
	              &j->seeds[(j->next_seed + j->n_seeds - 1) % j->n_seeds],
	              err, j->backoff_ms);
	j->backoff_ms *= 2;
	if (j->backoff_ms > JOIN_BACKOFF_MAX_MS)
		j->backoff_ms = JOIN_BACKOFF_MAX_MS;
	return 0;
}

/* Joined: start gossiping soon and check UDP reachability of a few. */
static void
become_active(struct rumor_core *core, uint64_t now_ms,
              const struct wire_msg *msg)
{
	const struct rumor_addr *seed =
	    &core->join.seeds[(core->join.next_seed + core->join.n_seeds - 1) %
	                      core->join.n_seeds];

	core->state = RUMOR_STATE_ACTIVE;
	core->join.stream_id = 0;
	core->join.retry_at_ms = RUMOR_NO_DEADLINE;
	rumor__emit(core, RUMOR_EV_JOINED, &core->self_id, RUMOR_VIA_INTRODUCER,
	            core->self_heartbeat);
	rumor__merge_message(core, now_ms, NULL, msg, RUMOR_VIA_INTRODUCER);
	rumor__dissem_push_self_tags(core);
	rumor__start_clocks(core, now_ms);
	rumor__ping(core, now_ms, seed);
	/* a few distinct others (the live array is in no particular order) */
	for (uint32_t i = 0, sent = 1; i < core->n_live && sent < JOIN_PINGS;
	     i++) {
		if (rumor_addr_equal(&core->live[i]->id.addr, seed))
			continue;
		rumor__ping(core, now_ms, &core->live[i]->id.addr);
		sent++;
	}
}

/*
 * Refused, and told that our address holds a version at or above ours
 * (write_refusal): take the next version above it, so that the next
 * attempt is admitted. Past RUMOR_NUMBER_MAX there is none: the notice
 * keeps the version we have, and the refusal repeats.
 */
static void
above_floor(struct rumor_core *core, const struct wire_msg *msg)
{
	for (size_t i = 0; i < msg->n_entries; i++) {
		const struct wire_entry *e = &msg->entries[i];
		if (!rumor_addr_equal(&e->id.addr, &core->self_id.addr) ||
		    e->id.version < core->self_id.version ||
		    e->id.version >= RUMOR_NUMBER_MAX)
			continue;
		rumor__ring_del(core, NULL);
		core->self_id.version = e->id.version + 1;
		core->self_hash = rumor__id_hash(&core->self_id);
		rumor__ring_add(core, NULL);
		rumor__notice(core, RUMOR_NOTICE_VERSION_RAISED,
		              &msg->sender.addr, 0, core->self_id.version);
	}
}

int
rumor_core_stream_reply(struct rumor_core *core, uint64_t now_ms,
                        uint64_t stream_id, const uint8_t *reply, size_t len)
{
	size_t cap = len / WIRE_ENTRY_MIN_BYTES + 1;
	struct wire_entry *entries;
	struct wire_msg msg;
	int rc;

	if (rumor__sync_owns(core, stream_id))
		return rumor__sync_reply(core, now_ms, reply, len);
	if (core->state != RUMOR_STATE_JOINING || stream_id == 0 ||
	    stream_id != core->join.stream_id)
		return RUMOR_EINVAL;
	if (now_ms > core->now_ms)
		core->now_ms = now_ms;
	entries = malloc(cap * sizeof(*entries));
	if (entries == NULL)
		return RUMOR_ENOMEM;
	rc = rumor__wire_decode(reply, len, &msg, entries, cap);
	if (rc == 0 && msg.kind != RUMOR_MSG_JOIN_REPLY)
		rc = RUMOR_EWIRE_KIND;
	if (rc == 0 && msg.result != 0) {
		above_floor(core, &msg);
		rumor__notice(core, RUMOR_NOTICE_JOIN_REJECTED,
		              &msg.sender.addr, msg.result,
		              core->self_id.version);
		/* the seed's code is its word, not our state: never fatal
		 * here, whatever it claims (a reply saying ENOMEM made a
		 * joiner report a fatal error; found by fuzz_stream) */
		rc = RUMOR_EREJECTED;
	}
	if (rc == 0)
		become_active(core, now_ms, &msg);
	else if (!rumor_is_fatal(rc))
		rumor_core_stream_failed(core, now_ms, stream_id, rc);
	free(entries);
	return rc;
}

/* ---- seed side ---- */

static int
admit(struct rumor_core *core, uint64_t now_ms, const struct wire_entry *e)
{
	struct addr_slot *slot = rumor__slot_get(core, &e->id.addr, false);

	if (rumor_addr_equal(&e->id.addr, &core->self_id.addr) ||
	    e->status != RUMOR_STATUS_ALIVE)
		return RUMOR_EREJECTED;
	if (slot != NULL && e->id.version <= slot->dead_floor)
		return RUMOR_EREJECTED; /* that id failed or left: restart */
	if (slot != NULL && slot->current != NULL &&
	    slot->current->id.version > e->id.version)
		return RUMOR_EREJECTED; /* a newer process has the address */
	core->rx_from = e->id; /* the joiner's own request: it told us */
	rumor__merge_entry(core, now_ms, NULL, e, RUMOR_VIA_INTRODUCER);
	memset(&core->rx_from, 0, sizeof(core->rx_from));
	return 0;
}

int
rumor__write_list(struct rumor_core *core, int kind, int32_t result,
                  uint8_t *buf, size_t cap, size_t *len)
{
	struct wire_writer w;
	struct wire_entry e;
	const struct member *m;
	uint32_t pos = 0;

	*len = rumor_core_stream_reply_bound(core);
	if (rumor__wire_begin(&w, buf, cap, kind, rumor__next_msg_id(core),
	                      &core->self_id, result) != 0)
		return RUMOR_ENOSPC;
	if (result != 0) {
		*len = rumor__wire_finish(&w);
		return 0;
	}
	rumor__self_to_entry_tags(core, &e);
	if (rumor__wire_add_entry(&w, &e) != 0)
		return RUMOR_ENOSPC;
	while ((m = rumor__index_next(&core->members, &pos)) != NULL) {
		rumor__member_to_entry_tags(m, &e);
		if (rumor__wire_add_entry(&w, &e) != 0)
			return RUMOR_ENOSPC;
	}
	*len = rumor__wire_finish(&w);
	return 0;
}

/*
 * Asked to admit a joiner while joining ourselves (every member went down
 * and the seeds came back without the introducer): we start the group,
 * as a bootstrapping member would, and admit it (serf's rule: every agent
 * is a group of one, and groups that meet merge). Two joiners that ask
 * each other at once both start and admit each other: one group. Our own
 * join attempt is dropped; the seeds stay, probed every reconnect_ms while
 * they are not live members, so a group started apart from the rest merges
 * into it when they meet.
 */
static void
start_group(struct rumor_core *core, uint64_t now_ms,
            const struct rumor_member_id *joiner)
{
	core->state = RUMOR_STATE_ACTIVE;
	core->join.stream_id = 0;
	core->join.retry_at_ms = RUMOR_NO_DEADLINE;
	rumor__emit(core, RUMOR_EV_JOINED, &core->self_id, RUMOR_VIA_SELF,
	            core->self_heartbeat);
	rumor__start_clocks(core, now_ms);
	rumor__notice(core, RUMOR_NOTICE_STARTED_GROUP, &joiner->addr, 0, 0);
}

/*
 * A refusal that tells the joiner why: the greatest version its address
 * holds here (dead, or a newer process), as a failed entry, so that a
 * process restarted below an earlier version of its address (state
 * directory lost, clock behind) takes a version above it (joiner side,
 * above_floor). An old joiner ignores the entry.
 */
static int
write_refusal(struct rumor_core *core, const struct wire_entry *joiner,
              uint8_t *buf, size_t cap, size_t *len)
{
	struct addr_slot *slot = rumor__slot_get(core, &joiner->id.addr, false);
	struct wire_entry floor = {.id = joiner->id,
	                           .status = RUMOR_STATUS_FAILED};
	struct wire_writer w;

	if (slot != NULL) {
		floor.id.version = slot->dead_floor;
		if (slot->current != NULL &&
		    slot->current->id.version > floor.id.version)
			floor.id.version = slot->current->id.version;
	}
	if (rumor__wire_begin(&w, buf, cap, RUMOR_MSG_JOIN_REPLY,
	                      rumor__next_msg_id(core), &core->self_id,
	                      RUMOR_EREJECTED) != 0)
		return RUMOR_ENOSPC;
	if (floor.id.version >= joiner->id.version)
		rumor__wire_add_entry(&w, &floor);
	*len = rumor__wire_finish(&w);
	return 0;
}

static int
serve_join(struct rumor_core *core, uint64_t now_ms, const struct wire_msg *msg,
           uint8_t *reply, size_t cap, size_t *reply_len)
{
	int result;

	if (msg->n_entries != 1 ||
	    rumor_member_id_cmp(&msg->entries[0].id, &msg->sender) != 0)
		return RUMOR_EWIRE_RANGE;
	if (core->state == RUMOR_STATE_JOINING)
		start_group(core, now_ms, &msg->sender);
	result = admit(core, now_ms, &msg->entries[0]);
	if (result != 0)
		return write_refusal(core, &msg->entries[0], reply, cap,
		                     reply_len);
	return rumor__write_list(core, RUMOR_MSG_JOIN_REPLY, result, reply, cap,
	                         reply_len);
}

int
rumor_core_stream_serve(struct rumor_core *core, uint64_t now_ms,
                        const struct rumor_addr *peer, const uint8_t *req,
                        size_t req_len, uint8_t *reply, size_t reply_cap,
                        size_t *reply_len)
{
	size_t cap = req_len / WIRE_ENTRY_MIN_BYTES + 1;
	struct wire_entry *entries;
	struct wire_msg msg;
	int rc;

	if (core->state != RUMOR_STATE_ACTIVE &&
	    core->state != RUMOR_STATE_JOINING)
		return RUMOR_ESTATE;
	if (now_ms > core->now_ms)
		core->now_ms = now_ms;
	entries = malloc(cap * sizeof(*entries));
	if (entries == NULL)
		return RUMOR_ENOMEM;
	rc = rumor__wire_decode(req, req_len, &msg, entries, cap);
	if (rc == 0 && core->state == RUMOR_STATE_JOINING &&
	    msg.kind != RUMOR_MSG_JOIN_REQ)
		rc = RUMOR_ESTATE; /* a sync: we have no list to compare yet */
	else if (rc == 0 && msg.kind == RUMOR_MSG_JOIN_REQ)
		rc = serve_join(core, core->now_ms, &msg, reply, reply_cap,
		                reply_len);
	else if (rc == 0 && msg.kind == RUMOR_MSG_SYNC)
		rc = rumor__sync_serve(core, core->now_ms, &msg, reply,
		                       reply_cap, reply_len);
	else if (rc == 0)
		rc = RUMOR_EWIRE_KIND;
	free(entries);
	if (rc != 0 && rc != RUMOR_ENOSPC && !rumor_is_fatal(rc)) {
		core->stats.recv_malformed++;
		if (rc >= RUMOR_ERROR_MIN)
			core->stats.malformed_by_err[-rc]++;
		return rc;
	}
	if (rc == 0) {
		core->stats.streams_served++;
		rumor__stream_sent(core, peer, RUMOR_MSG_JOIN_REPLY, 0,
		                   *reply_len);
	}
	return rc;
}

size_t
rumor_core_stream_reply_bound(const struct rumor_core *core)
{
	return WIRE_HEADER_MAX_BYTES + 16 + core->tags_bytes +
	       core->self_tags_len +
	       ((size_t)core->members.count + 2) *
	           (WIRE_ENTRY_MAX_BYTES + WIRE_TAGS_OVERHEAD);
}
