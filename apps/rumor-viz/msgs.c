/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz message trace: "send" lines paired with the "recv" or "drop"
 * line of the same message. A msg id alone is not unique per sender
 * (docs/event-log.md "Message trace"): a heartbeat's msg is the sender's
 * heartbeat counter, sent alike to each of its ring monitors, while every
 * other kind numbers its datagrams with a second counter from 1, so one
 * sender logs "heartbeat 2" and "gossip 2". The key is therefore (sender
 * member, class, msg, receiver's address for a heartbeat): the sender is a
 * member id (a restarted process is a new member, its counters start
 * over). A recv/drop read before its send (same millisecond, or a clock
 * behind) and one whose send was not traced are messages of zero flight
 * time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "model_internal.h"
#include "rumor/errors.h"

/* No padding: the key is hashed and compared as bytes. */
struct viz_msg_key {
	int64_t from;    /* sender's member index */
	uint64_t msg;    /* its msg id in that class */
	int32_t beat;    /* 1 heartbeat, 0 any other kind */
	int32_t to_slot; /* heartbeat: receiver's address slot; else -1 */
};

/* The pairing key of a trace line from member `from` to member `to`. */
static struct viz_msg_key
msg_key(const struct viz_model *m, const struct rumor_log_record *rec,
        int32_t from, int32_t to)
{
	struct viz_msg_key key;
	memset(&key, 0, sizeof(key));
	key.from = from;
	key.msg = rec->msg;
	key.beat = strcmp(rec->kind, "heartbeat") == 0;
	key.to_slot = key.beat ? (int32_t)m->members[to].slot : -1;
	return key;
}

struct viz_msg_ix {
	struct viz_msg_key key;
	size_t index;
	UT_hash_handle hh;
};

void
viz__msgs_destroy(struct viz_model *m)
{
	struct viz_msg_ix *e, *tmp;
	HASH_ITER(hh, m->msg_ix, e, tmp)
	{
		HASH_DEL(m->msg_ix, e);
		free(e);
	}
	HASH_ITER(hh, m->orphan_ix, e, tmp)
	{
		HASH_DEL(m->orphan_ix, e);
		free(e);
	}
	free(m->msgs);
	m->msgs = NULL;
	m->n_msgs = m->msgs_cap = 0;
}

static uint8_t
kind_code(struct viz_model *m, const char *kind)
{
	if (!kind[0])
		return 0;
	for (unsigned i = 1; i < m->n_kinds; i++)
		if (strcmp(m->kinds[i], kind) == 0)
			return (uint8_t)i;
	if (m->n_kinds == sizeof(m->kinds) / sizeof(m->kinds[0]))
		return 0;
	snprintf(m->kinds[m->n_kinds], sizeof(m->kinds[0]), "%s", kind);
	return (uint8_t)m->n_kinds++;
}

static struct viz_msg *
msg_new(struct viz_model *m, const struct rumor_log_record *rec)
{
	if (m->n_msgs == m->msgs_cap) {
		size_t cap = m->msgs_cap ? m->msgs_cap * 2 : 4096;
		void *p = realloc(m->msgs, cap * sizeof(*m->msgs));
		if (!p)
			return NULL;
		m->msgs = p;
		m->msgs_cap = cap;
	}
	struct viz_msg *g = &m->msgs[m->n_msgs++];
	memset(g, 0, sizeof(*g));
	g->t_send = rec->ts;
	g->t_end = VIZ_NEVER;
	g->bytes = rec->bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)rec->bytes;
	g->msg = rec->msg;
	g->kind = kind_code(m, rec->kind);
	return g;
}

/*
 * The send of a receipt read before it (same millisecond, or the receiver's
 * clock behind): one message, its flight clamped to 0 at the receipt's ts.
 * 1 when key named such a receipt.
 */
static int
send_of_orphan(struct viz_model *m, const struct rumor_log_record *rec,
               const struct viz_msg_key *key)
{
	struct viz_msg_ix *e;
	HASH_FIND(hh, m->orphan_ix, key, sizeof(*key), e);
	if (!e)
		return 0;
	struct viz_msg *o = &m->msgs[e->index];
	viz__skew_note(m, o->from, o->to, rec->ts - o->t_end,
	               "received before it was sent");
	o->sent = 1;
	HASH_DEL(m->orphan_ix, e);
	free(e);
	return 1;
}

static int
send_add(struct viz_model *m, const struct rumor_log_record *rec, int32_t from,
         int32_t to)
{
	struct viz_msg_key key = msg_key(m, rec, from, to);
	if (rec->has_msg && send_of_orphan(m, rec, &key))
		return 0;
	struct viz_msg *g = msg_new(m, rec);
	if (!g)
		return RUMOR_ENOMEM;
	g->from = from;
	g->to = to;
	g->sent = 1;
	if (!rec->has_msg)
		return 0;
	struct viz_msg_ix *e;
	HASH_FIND(hh, m->msg_ix, &key, sizeof(key), e);
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return RUMOR_ENOMEM;
		e->key = key;
		HASH_ADD(hh, m->msg_ix, key, sizeof(key), e);
	}
	e->index = m->n_msgs - 1;
	return 0;
}

/* A receipt whose send was not read (yet): its send may come later. */
static int
orphan_add(struct viz_model *m, const struct viz_msg_key *key)
{
	struct viz_msg_ix *e;
	HASH_FIND(hh, m->orphan_ix, key, sizeof(*key), e);
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return RUMOR_ENOMEM;
		e->key = *key;
		HASH_ADD(hh, m->orphan_ix, key, sizeof(*key), e);
	}
	e->index = m->n_msgs - 1;
	return 0;
}

static int
end_add(struct viz_model *m, const struct rumor_log_record *rec, int32_t from,
        int32_t to)
{
	struct viz_msg_ix *e = NULL;
	struct viz_msg_key key = msg_key(m, rec, from, to);
	if (rec->has_msg)
		HASH_FIND(hh, m->msg_ix, &key, sizeof(key), e);
	struct viz_msg *g;
	if (e) {
		g = &m->msgs[e->index];
		HASH_DEL(m->msg_ix, e);
		free(e);
	} else {
		g = msg_new(m, rec);
		if (!g)
			return RUMOR_ENOMEM;
		g->from = from;
		g->to = to;
		if (rec->has_msg && orphan_add(m, &key))
			return RUMOR_ENOMEM;
	}
	g->t_end = rec->ts;
	g->dropped = rec->ev == RUMOR_LOG_DROP;
	if (g->t_end - g->t_send > m->max_flight_ms)
		m->max_flight_ms = g->t_end - g->t_send;
	return 0;
}

/*
 * A trace line's endpoint: a full member id, or a bare "host:port" (a
 * sender may not know the receiver's version yet), resolved to the latest
 * member with that address. -1 when unknown: the line is not drawn rather
 * than inventing a member.
 */
static int
endpoint(struct viz_model *m, const char *s, int32_t *out)
{
	if (strchr(s, '#'))
		return viz__member_intern(m, s, out);
	*out = viz__member_by_addr(m, s);
	return 0;
}

int
viz__msgs_add(struct viz_model *m, const struct rumor_log_record *rec,
              int32_t *node_out, int32_t *peer_out)
{
	int32_t node = -1, peer = -1;
	if (!rec->node[0] || !rec->peer[0])
		return 0;
	int err = endpoint(m, rec->node, &node);
	if (!err)
		err = endpoint(m, rec->peer, &peer);
	*node_out = node;
	*peer_out = peer;
	if (err || node < 0 || peer < 0)
		return err;
	if (rec->ev == RUMOR_LOG_SEND)
		return send_add(m, rec, node, peer);
	return end_add(m, rec, peer, node);
}

size_t
viz_model_msg_lower(const struct viz_model *m, int64_t ts)
{
	size_t lo = 0, hi = m->n_msgs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->msgs[mid].t_send < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
