/* SPDX-License-Identifier: MIT */
/*
 * The MP1 emulated network: every message sent in tick t waits in its
 * receiver's queue and is received in tick t+1, in the order it was sent.
 *
 * Datagrams are the assignment's messages: in the drop scenario each one
 * sent in ticks 51..300 is lost with probability 0.1 (decided when it is
 * sent, from the run's own generator). The stream channel (TCP in the
 * agent: the join exchange and anti-entropy syncs) is carried through the
 * same queue, reliably: a request reaches its target in the next tick and
 * the reply comes back in the tick after. A request to a failed member
 * bounces back as a failed stream (a refused connection).
 */
#include <stdlib.h>
#include <string.h>

#include "mp1_internal.h"

void
rumor__mp1_check(struct mp1_run *run, int rc)
{
	if (rc < 0 && rumor_is_fatal(rc) && !run->fatal)
		run->fatal = rc;
}

static void
queue_push(struct mp1_queue *q, struct mp1_msg *m)
{
	m->next = NULL;
	if (q->tail)
		q->tail->next = m;
	else
		q->head = m;
	q->tail = m;
}

static struct mp1_msg *
queue_pop(struct mp1_queue *q)
{
	struct mp1_msg *m = q->head;

	if (m && !(q->head = m->next))
		q->tail = NULL;
	return m;
}

void
rumor__mp1_queue_free(struct mp1_queue *q)
{
	struct mp1_msg *m;

	while ((m = queue_pop(q)))
		free(m);
}

/* Queue a message for tick t+1; 0 or RUMOR_ENOMEM. */
static int
post(struct mp1_run *run, enum mp1_msg_kind kind, uint32_t from, uint32_t to,
     uint64_t stream_id, int err, const uint8_t *data, size_t len)
{
	struct mp1_msg *m = malloc(sizeof(*m) + len);

	if (!m)
		return RUMOR_ENOMEM;
	m->kind = kind;
	m->from = from;
	m->to = to;
	m->stream_id = stream_id;
	m->err = err;
	m->len = len;
	if (len)
		memcpy(m->data, data, len);
	queue_push(&run->members[to].pending, m);
	return 0;
}

static bool
dropped(struct mp1_run *run)
{
	return run->cfg.scenario == RUMOR_MP1_MSGDROP &&
	       run->tick >= MP1_DROP_FIRST_TICK &&
	       run->tick <= MP1_DROP_LAST_TICK &&
	       rumor_rng_unit(&run->drop_rng) < MP1_DROP_PROB;
}

int
rumor__mp1_send(void *user, const struct rumor_addr *to, const uint8_t *data,
                size_t len)
{
	struct mp1_member *mb = user;
	struct mp1_run *run = mb->run;
	int t = rumor__mp1_index(to);

	run->res->datagrams_sent++;
	run->res->bytes_sent += len;
	if (t < 0 || dropped(run)) {
		run->res->datagrams_dropped++;
		return 0;
	}
	return post(run, MP1_DGRAM, mb->index, (uint32_t)t, 0, 0, data, len);
}

int
rumor__mp1_stream_open(void *user, uint64_t stream_id,
                       const struct rumor_addr *to, const uint8_t *req,
                       size_t len)
{
	struct mp1_member *mb = user;
	struct mp1_run *run = mb->run;
	int t = rumor__mp1_index(to);

	run->res->streams_opened++;
	if (t < 0)
		return post(run, MP1_STREAM_FAIL, mb->index, mb->index,
		            stream_id, RUMOR_EDROPPED, NULL, 0);
	return post(run, MP1_STREAM_REQ, mb->index, (uint32_t)t, stream_id, 0,
	            req, len);
}

/* Serve a stream request at member t into run->reply_buf. */
static int
serve(struct mp1_run *run, struct mp1_member *t, const struct mp1_msg *m,
      size_t *len)
{
	struct rumor_addr peer;
	int rc = RUMOR_ENOSPC;

	rumor__mp1_addr(m->from, &peer);
	for (int attempt = 0; attempt < 2 && rc == RUMOR_ENOSPC; attempt++) {
		size_t need =
		    attempt ? *len : rumor_core_stream_reply_bound(t->core);

		if (need > run->reply_cap) {
			uint8_t *b = realloc(run->reply_buf, need);

			if (!b)
				return RUMOR_ENOMEM;
			run->reply_buf = b;
			run->reply_cap = need;
		}
		rc = rumor_core_stream_serve(t->core, run->now_ms, &peer,
		                             m->data, m->len, run->reply_buf,
		                             run->reply_cap, len);
	}
	return rc;
}

static void
stream_request(struct mp1_run *run, struct mp1_member *t,
               const struct mp1_msg *m)
{
	size_t len = 0;
	int rc = serve(run, t, m, &len);

	rumor__mp1_check(run, rc);
	if (rc == 0)
		rc = post(run, MP1_STREAM_REPLY, t->index, m->from,
		          m->stream_id, 0, run->reply_buf, len);
	else
		rc = post(run, MP1_STREAM_FAIL, t->index, m->from, m->stream_id,
		          rc, NULL, 0);
	rumor__mp1_check(run, rc);
}

/* Hand one message to its receiver, which is started and alive. */
static void
receive(struct mp1_run *run, struct mp1_member *mb, const struct mp1_msg *m)
{
	struct rumor_addr from;
	int rc = 0;

	switch (m->kind) {
	case MP1_DGRAM:
		run->res->datagrams_delivered++;
		rumor__mp1_addr(m->from, &from);
		rc = rumor_core_recv_datagram(mb->core, run->now_ms, &from,
		                              m->data, m->len);
		break;
	case MP1_STREAM_REQ:
		stream_request(run, mb, m);
		break;
	case MP1_STREAM_REPLY:
		rc = rumor_core_stream_reply(mb->core, run->now_ms,
		                             m->stream_id, m->data, m->len);
		break;
	case MP1_STREAM_FAIL:
		run->res->streams_failed++;
		rc = rumor_core_stream_failed(mb->core, run->now_ms,
		                              m->stream_id, m->err);
		break;
	}
	rumor__mp1_check(run, rc);
}

/* A failed member receives nothing; a stream to it is refused. */
static void
refuse(struct mp1_run *run, const struct mp1_msg *m)
{
	if (m->kind == MP1_DGRAM)
		run->res->datagrams_to_dead++;
	else if (m->kind == MP1_STREAM_REQ)
		rumor__mp1_check(run,
		                 post(run, MP1_STREAM_FAIL, m->to, m->from,
		                      m->stream_id, RUMOR_EDROPPED, NULL, 0));
}

/*
 * The first phase of a tick: what was sent in the previous tick becomes
 * due, and every started, alive member receives its due messages, in
 * ascending index. Members that have not started yet keep theirs.
 */
void
rumor__mp1_deliver_all(struct mp1_run *run)
{
	for (uint32_t i = 0; i < RUMOR_MP1_MEMBERS; i++) {
		struct mp1_member *mb = &run->members[i];

		if (mb->pending.head) {
			if (mb->inbox.tail)
				mb->inbox.tail->next = mb->pending.head;
			else
				mb->inbox.head = mb->pending.head;
			mb->inbox.tail = mb->pending.tail;
			mb->pending.head = mb->pending.tail = NULL;
		}
	}
	for (uint32_t i = 0; i < RUMOR_MP1_MEMBERS && !run->fatal; i++) {
		struct mp1_member *mb = &run->members[i];
		struct mp1_msg *m;

		if (!mb->started) /* not yet: its messages wait */
			continue;
		while (!run->fatal && (m = queue_pop(&mb->inbox))) {
			if (mb->failed)
				refuse(run, m);
			else
				receive(run, mb, m);
			free(m);
		}
	}
}
