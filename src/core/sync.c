/*
 * Anti-entropy: every t_sync_ms a member sends its whole list to one random
 * live member over the stream channel and merges the whole list it gets
 * back (memberlist's push-pull state sync). Gossip datagrams carry a bounded
 * sample of the table, so a member that missed some join (during a storm of
 * joins, or across a partition) learns it here within t_sync_ms; merges are
 * logged with via "sync".
 */
#include <stdlib.h>

#include "core_internal.h"

/* An unanswered sync is given up after this long. */
#define SYNC_TIMEOUT_MS 10000

void
rumor__sync_maybe(struct rumor_core *core, uint64_t now_ms)
{
	uint8_t *buf;
	size_t cap, len;
	struct member *peer;
	int rc;

	if (core->cfg.t_sync_ms == 0 || core->cb.stream_open == NULL)
		return;
	if (core->sync_stream_id && now_ms >= core->sync_deadline_ms)
		core->sync_stream_id = 0;
	if (core->sync_stream_id || now_ms < core->next_sync_ms ||
	    core->n_live == 0)
		return;
	core->next_sync_ms = now_ms + core->cfg.t_sync_ms;
	cap = rumor_core_stream_reply_bound(core);
	if ((buf = malloc(cap)) == NULL)
		return;
	if (rumor__write_list(core, RUMOR_MSG_SYNC, 0, buf, cap, &len) == 0) {
		peer = core->live[rumor_rng_below(&core->rng, core->n_live)];
		core->sync_stream_id = ++core->next_stream_id;
		core->sync_deadline_ms = now_ms + SYNC_TIMEOUT_MS;
		core->in_callback = true;
		rc = core->cb.stream_open(core->user, core->sync_stream_id,
		                          &peer->id.addr, buf, len);
		core->in_callback = false;
		if (rc < 0)
			core->sync_stream_id = 0;
	}
	free(buf);
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
