/* SPDX-License-Identifier: MIT */
/*
 * Join streams (TCP in the real runtime). The joiner's request reaches the
 * target after one network delay and is served by rumor_core_stream_serve;
 * the reply comes back after another. Streams are not subject to loss (TCP
 * retransmits), but a target that is not running or is cut off makes the
 * stream fail after stream_timeout_ms, as a connect timeout would. A reply
 * for a joiner that crashed or restarted meanwhile is discarded.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static struct sim_stream *
stream_new(const struct sim_member *joiner, uint32_t target, uint64_t stream_id,
           const uint8_t *data, size_t len)
{
	struct sim_stream *s = malloc(sizeof(*s) + len);

	if (!s)
		return NULL;
	s->joiner = joiner->index;
	s->joiner_life = joiner->life;
	s->target = target;
	s->err = 0;
	s->stream_id = stream_id;
	s->len = len;
	if (len)
		memcpy(s->data, data, len);
	return s;
}

/* Report failure to the joiner after delay_ms (takes s). */
static void
stream_fail_later(struct rumor_sim *sim, struct sim_stream *s, int err,
                  uint64_t delay_ms)
{
	s->err = err;
	s->len = 0;
	if (rumor__sim_push(sim, sim->now + delay_ms, SIM_EV_STREAM_FAIL,
	                    s->joiner, s))
		free(s);
}

/* The joiner's core, if it is still the one that opened the stream. */
static struct rumor_core *
stream_joiner(struct rumor_sim *sim, const struct sim_stream *s)
{
	struct sim_member *j = &sim->members[s->joiner];

	return j->life == s->joiner_life ? j->core : NULL;
}

int
rumor__sim_stream_open(struct sim_member *m, uint64_t stream_id,
                       const struct rumor_addr *to, const uint8_t *req,
                       size_t len)
{
	struct rumor_sim *sim = m->sim;
	int t = rumor__sim_addr_index(sim, to);
	struct sim_stream *s;

	s = stream_new(m, t < 0 ? 0 : (uint32_t)t, stream_id, req, len);
	if (!s)
		return RUMOR_ENOMEM;
	rumor__sim_stats(sim)->streams_opened++;
	rumor__sim_stats(sim)->stream_bytes += len;
	if (t < 0 ||
	    rumor__sim_net_stream_cut(&sim->net, m->index, (uint32_t)t)) {
		stream_fail_later(sim, s, RUMOR_EDROPPED,
		                  sim->cfg.stream_timeout_ms);
		return 0;
	}
	if (rumor__sim_push(
	        sim, sim->now + rumor__sim_net_delay(&sim->net, &m->net_rng),
	        SIM_EV_STREAM_REQ, (uint32_t)t, s)) {
		free(s);
		return RUMOR_ENOMEM;
	}
	return 0;
}

/* Serve s at its target into the worker's reply_buf; 0 with *len or an
 * error. */
static int
stream_serve(struct rumor_sim *sim, struct sim_member *t,
             const struct sim_stream *s, size_t *len)
{
	struct sim_worker *w = rumor__sim_worker;
	struct rumor_addr peer;
	int rc;

	rumor_sim_member_addr(s->joiner, &peer);
	for (int attempt = 0; attempt < 2; attempt++) {
		size_t need = rumor_core_stream_reply_bound(t->core);

		if (attempt)
			need = *len;
		if (need > w->reply_cap) {
			uint8_t *b = realloc(w->reply_buf, need);

			if (!b)
				return RUMOR_ENOMEM;
			w->reply_buf = b;
			w->reply_cap = need;
		}
		rc = rumor_core_stream_serve(t->core, sim->now, &peer, s->data,
		                             s->len, w->reply_buf, w->reply_cap,
		                             len);
		if (rc != RUMOR_ENOSPC)
			break;
	}
	return rc;
}

void
rumor__sim_stream_request(struct rumor_sim *sim, struct sim_stream *s)
{
	struct sim_member *t = &sim->members[s->target];
	struct sim_stream *r;
	size_t len = 0;
	int rc;

	if (!t->core ||
	    rumor__sim_net_stream_cut(&sim->net, s->joiner, s->target)) {
		stream_fail_later(sim, s, RUMOR_EDROPPED,
		                  sim->cfg.stream_timeout_ms);
		return;
	}
	rc = stream_serve(sim, t, s, &len);
	rumor__sim_check(sim, rc);
	rumor__sim_rearm(t);
	rumor__sim_stats(sim)->streams_served++;
	if (rc) {
		stream_fail_later(sim, s, rc,
		                  rumor__sim_net_delay(&sim->net, &t->net_rng));
		return;
	}
	rumor__sim_stats(sim)->stream_bytes += len;
	r = stream_new(&sim->members[s->joiner], s->target, s->stream_id,
	               rumor__sim_worker->reply_buf, len);
	if (!r) {
		free(s);
		rumor__sim_check(sim, RUMOR_ENOMEM);
		return;
	}
	r->joiner_life = s->joiner_life;
	free(s);
	if (rumor__sim_push(
	        sim, sim->now + rumor__sim_net_delay(&sim->net, &t->net_rng),
	        SIM_EV_STREAM_REPLY, r->joiner, r))
		free(r);
}

void
rumor__sim_stream_reply(struct rumor_sim *sim, struct sim_stream *s)
{
	struct rumor_core *core = stream_joiner(sim, s);

	if (!core) {
		free(s);
		return;
	}
	if (rumor__sim_net_stream_cut(&sim->net, s->joiner, s->target)) {
		stream_fail_later(sim, s, RUMOR_EDROPPED,
		                  sim->cfg.stream_timeout_ms);
		return;
	}
	rumor__sim_check(sim,
	                 rumor_core_stream_reply(core, sim->now, s->stream_id,
	                                         s->data, s->len));
	rumor__sim_rearm(&sim->members[s->joiner]);
	free(s);
}

void
rumor__sim_stream_fail(struct rumor_sim *sim, struct sim_stream *s)
{
	struct rumor_core *core = stream_joiner(sim, s);

	if (core) {
		rumor__sim_stats(sim)->streams_failed++;
		rumor__sim_check(sim, rumor_core_stream_failed(core, sim->now,
		                                               s->stream_id,
		                                               s->err));
		rumor__sim_rearm(&sim->members[s->joiner]);
	}
	free(s);
}
