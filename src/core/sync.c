/* SPDX-License-Identifier: MIT */
/*
 * Anti-entropy: every t_sync_ms a member sends one random live member a
 * digest of its view (one datagram: the XOR of its live members' id
 * hashes, itself included, and their count; a member's tags version
 * enters the digest too, core_tags.c). A member whose own digest
 * differs opens a full exchange with the sender over the stream channel:
 * it sends its whole list and merges the whole list it gets back
 * (memberlist's push-pull state sync, here only when the views differ).
 * A member that missed a join (a storm of joins), a failure or a leave, or
 * the other side of a healed partition, learns it within about one sync
 * period; merges are logged with via "sync". While views agree, the cost
 * is one small datagram per member and period, whatever N (a full
 * exchange every period cost 4.4 N B/s per member: 4.4 KB/s at N = 1000).
 */
#include <stdlib.h>

#include "core_internal.h"

/* Digests go this many times as often while views differ. */
#define SYNC_FAST_DIVISOR 8
/* An unanswered sync is given up after this long. */
#define SYNC_TIMEOUT_MS 10000

static uint64_t
digest(const struct rumor_core *core)
{
	return core->live_digest ^ core->self_hash ^
	       rumor__tags_term(core->self_hash, core->self_tags_ver);
}

/*
 * Views differ: compare digests SYNC_FAST_DIVISOR times as often for the
 * next sync period, so that the last stragglers of a storm of joins (which
 * are not all news: merge.c) or of a healed partition are found in about a
 * second, not a period. Views that agree cost one datagram a period again.
 */
static void
fast(struct rumor_core *core, uint64_t now_ms)
{
	uint64_t soon = now_ms + core->cfg.t_sync_ms / SYNC_FAST_DIVISOR;

	core->sync_fast_until_ms = now_ms + core->cfg.t_sync_ms;
	if (core->next_sync_ms > soon)
		core->next_sync_ms = soon;
}

/* Our whole list to `to` over the stream channel; its reply is merged. */
static void
sync_open(struct rumor_core *core, uint64_t now_ms, const struct rumor_addr *to)
{
	uint8_t *buf;
	size_t cap = rumor_core_stream_reply_bound(core), len;
	int rc;

	if (core->cb.stream_open == NULL || core->sync_stream_id != 0 ||
	    (buf = malloc(cap)) == NULL)
		return;
	if (rumor__write_list(core, RUMOR_MSG_SYNC, 0, buf, cap, &len) == 0) {
		core->sync_stream_id = ++core->next_stream_id;
		core->sync_deadline_ms = now_ms + SYNC_TIMEOUT_MS;
		core->stats.syncs++;
		rumor__stream_sent(core, to, RUMOR_MSG_SYNC, 0, len);
		core->in_callback = true;
		rc = core->cb.stream_open(core->user, core->sync_stream_id, to,
		                          buf, len);
		core->in_callback = false;
		if (rc < 0)
			core->sync_stream_id = 0;
	}
	free(buf);
}

void
rumor__sync_maybe(struct rumor_core *core, uint64_t now_ms)
{
	uint8_t buf[128];
	struct member *peer;
	uint64_t msg_id;
	int len;

	if (core->cfg.t_sync_ms == 0)
		return;
	if (core->sync_stream_id && now_ms >= core->sync_deadline_ms)
		core->sync_stream_id = 0;
	if (now_ms < core->next_sync_ms || core->n_live == 0)
		return;
	core->next_sync_ms =
	    now_ms + (now_ms < core->sync_fast_until_ms
	                  ? core->cfg.t_sync_ms / SYNC_FAST_DIVISOR
	                  : core->cfg.t_sync_ms);
	peer = core->live[rumor_rng_below(&core->rng, core->n_live)];
	msg_id = rumor__next_msg_id(core);
	len =
	    rumor__wire_encode_digest(buf, sizeof(buf), msg_id, &core->self_id,
	                              digest(core), (uint64_t)core->n_live + 1);
	if (len > 0)
		rumor__send(core, &peer->id.addr, &peer->id, RUMOR_MSG_DIGEST,
		            msg_id, buf, (size_t)len);
}

void
rumor__sync_digest(struct rumor_core *core, uint64_t now_ms,
                   const struct rumor_addr *from, const struct wire_msg *msg)
{
	if (msg->digest == digest(core) &&
	    msg->count == (uint64_t)core->n_live + 1)
		return;
	sync_open(core, now_ms, from);
	fast(core, now_ms);
}

bool
rumor__sync_owns(const struct rumor_core *core, uint64_t stream_id)
{
	return stream_id != 0 && stream_id == core->sync_stream_id;
}

void
rumor__sync_failed(struct rumor_core *core)
{
	core->sync_stream_id = 0;
}

int
rumor__sync_reply(struct rumor_core *core, uint64_t now_ms,
                  const uint8_t *reply, size_t len)
{
	size_t cap = len / WIRE_ENTRY_MIN_BYTES + 1;
	struct wire_entry *entries = malloc(cap * sizeof(*entries));
	struct wire_msg msg;
	int rc;

	core->sync_stream_id = 0;
	if (entries == NULL)
		return RUMOR_ENOMEM;
	if (now_ms > core->now_ms)
		core->now_ms = now_ms;
	rc = rumor__wire_decode(reply, len, &msg, entries, cap);
	if (rc == 0 && (msg.kind != RUMOR_MSG_JOIN_REPLY || msg.result != 0))
		rc = RUMOR_EWIRE_KIND;
	if (rc == 0 && core->state == RUMOR_STATE_ACTIVE)
		rumor__merge_message(core, core->now_ms, NULL, &msg,
		                     RUMOR_VIA_SYNC);
	free(entries);
	return rc;
}

int
rumor__sync_serve(struct rumor_core *core, uint64_t now_ms,
                  const struct wire_msg *req, uint8_t *reply, size_t cap,
                  size_t *reply_len)
{
	rumor__merge_message(core, now_ms, NULL, req, RUMOR_VIA_SYNC);
	return rumor__write_list(core, RUMOR_MSG_JOIN_REPLY, 0, reply, cap,
	                         reply_len);
}
