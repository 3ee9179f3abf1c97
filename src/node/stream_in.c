/* SPDX-License-Identifier: MIT */
/*
 * Join streams, serving side (the introducer, or any live member): accept,
 * read one frame under an idle timeout, let the core answer it
 * (rumor_core_stream_serve), write the reply frame, close. A bad request,
 * or a core that is not a member yet, gets no reply: the connection is
 * closed and the joiner tries again or elsewhere. With a keyring the
 * request is opened and the reply sealed with the key that opened it (so a
 * joiner that holds only an older key of a rotation still reads it); a
 * request that does not open gets a 3-byte plaintext refusal saying why
 * (seal.h), so the joiner can tell its user.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utlist.h>

#include "node_internal.h"

struct in_conn {
	struct node *node;
	uv_tcp_t tcp;
	uv_timer_t idle;
	uv_write_t wr;
	struct frame_reader frame;
	uint8_t *reply; /* 4-byte header + body */
	uint8_t *plain; /* the opened request (with a keyring) */
	size_t plain_len;
	int key_index; /* the key that opened it */
	struct rumor_addr peer;
	int open_handles;
	bool closing;
	bool answering; /* the whole request is in */
	struct in_conn *prev, *next;
};

static void
on_closed(uv_handle_t *h)
{
	struct in_conn *c = h->data;
	struct node *n = c->node;

	if (--c->open_handles > 0)
		return;
	DL_DELETE(n->in_conns, c);
	n->n_in--;
	rumor__frame_free(&c->frame);
	free(c->reply);
	free(c->plain);
	free(c);
	rumor__node_maybe_done(n);
}

static void
conn_close(struct in_conn *c)
{
	if (c->closing)
		return;
	c->closing = true;
	uv_close((uv_handle_t *)&c->tcp, on_closed);
	uv_close((uv_handle_t *)&c->idle, on_closed);
}

static void
on_idle(uv_timer_t *t)
{
	struct in_conn *c = t->data;

	if (!c->answering)
		c->node->stream_timed_out++;
	conn_close(c);
}

static void
on_written(uv_write_t *req, int status)
{
	(void)status;
	conn_close(req->data);
}

/* Ask the core for the reply; the buffer grows once if it was short. */
static int
serve(struct in_conn *c, size_t *len)
{
	struct node *n = c->node;
	size_t cap = rumor_core_stream_reply_bound(n->core);
	int rc = RUMOR_ENOSPC;

	for (int i = 0; i < 2 && rc == RUMOR_ENOSPC; i++) {
		uint8_t *b = realloc(c->reply, 4 + cap);
		if (b == NULL)
			return RUMOR_ENOMEM;
		c->reply = b;
		rc = rumor_core_stream_serve(n->core, uv_now(n->loop), &c->peer,
		                             c->plain, c->plain_len,
		                             c->reply + 4, cap, len);
		cap = *len;
	}
	rumor__node_after_core(n, rumor_is_fatal(rc) ? rc : 0,
	                       "rumor_core_stream_serve");
	return rc;
}

static void
send_frame(struct in_conn *c, size_t len)
{
	uv_buf_t buf;

	rumor__frame_header(c->reply, len);
	buf = uv_buf_init((char *)c->reply, (unsigned)(4 + len));
	c->wr.data = c;
	if (uv_write(&c->wr, (uv_stream_t *)&c->tcp, &buf, 1, on_written))
		conn_close(c);
}

/* Tell the joiner why its request was not served, then close. */
static void
refuse(struct in_conn *c, int code, const char *why)
{
	struct node *n = c->node;
	uint8_t *b = realloc(c->reply, 4 + SEAL_REFUSAL_BYTES);

	if (n->keys != NULL)
		n->auth_failed_streams++;
	else
		n->clear_refused++;
	rumor__node_auth_failed(n, &c->peer, why);
	if (b == NULL) {
		conn_close(c);
		return;
	}
	c->reply = b;
	b[4] = SEAL_MAGIC;
	b[5] = SEAL_REFUSAL;
	b[6] = (uint8_t)code;
	send_frame(c, SEAL_REFUSAL_BYTES);
}

/* The request in the clear into c->plain; 0, or a refusal code. */
static int
open_request(struct in_conn *c)
{
	struct node *n = c->node;
	const uint8_t *body = c->frame.body;
	size_t len = c->frame.len;
	int r;

	if (n->keys == NULL && rumor__is_sealed(body, len))
		return SEAL_REFUSE_NOKEY;
	if ((c->plain = malloc(len)) == NULL)
		return -1;
	if (n->keys == NULL) {
		memcpy(c->plain, body, len);
		c->plain_len = len;
		c->key_index = -1;
		return 0;
	}
	r = rumor__open(n->keys, SEAL_REQUEST, body, len, c->plain, len,
	                &c->key_index);
	if (r < 0)
		return rumor__is_sealed(body, len) ? SEAL_REFUSE_KEY
		                                   : SEAL_REFUSE_CLEAR;
	c->plain_len = (size_t)r;
	return 0;
}

/* Seal the reply in place (it moves into a bigger buffer). */
static int
seal_reply(struct in_conn *c, size_t *len)
{
	uint8_t *b = malloc(4 + *len + SEAL_OVERHEAD);
	int r;

	if (b == NULL)
		return RUMOR_ENOMEM;
	r = rumor__seal(c->node->keys, c->key_index, SEAL_REPLY, c->reply + 4,
	                *len, b + 4, *len + SEAL_OVERHEAD);
	free(c->reply);
	c->reply = b;
	if (r < 0)
		return r;
	*len = (size_t)r;
	return 0;
}

static void
answer(struct in_conn *c)
{
	size_t len = 0;
	int rc;

	uv_read_stop((uv_stream_t *)&c->tcp);
	c->answering = true;
	uv_timer_start(&c->idle, on_idle, NODE_SERVE_IDLE_MS, 0);
	if (c->node->stopping || c->node->mute) { /* mute: no answer */
		conn_close(c);
		return;
	}
	rc = open_request(c);
	if (rc == SEAL_REFUSE_NOKEY) {
		refuse(c, rc,
		       "sealed join/sync request, but this agent runs "
		       "in the clear");
		return;
	} else if (rc > 0) {
		refuse(c, rc,
		       rc == SEAL_REFUSE_KEY
		           ? "join/sync request failed authentication (no "
		             "installed key opens it)"
		           : "join/sync request not sealed (this agent "
		             "requires encryption)");
		return;
	}
	if (rc != 0 || (rc = serve(c, &len)) != 0 ||
	    (c->node->keys != NULL && seal_reply(c, &len) != 0) ||
	    len > RUMOR_NODE_FRAME_MAX) {
		conn_close(c);
		return;
	}
	send_frame(c, len);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct in_conn *c = h->data;

	(void)suggested;
	*buf = uv_buf_init(c->node->stream_slab, sizeof(c->node->stream_slab));
}

static void
on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct in_conn *c = s->data;
	int rc;

	if (nread == 0)
		return;
	if (nread < 0 || c->node->deaf) { /* deaf: the request is unheard */
		conn_close(c);
		return;
	}
	rc = rumor__frame_feed(&c->frame, (const uint8_t *)buf->base,
	                       (size_t)nread);
	if (rc < 0)
		conn_close(c);
	else if (rc == 1)
		answer(c);
}

static int
peer_of(struct in_conn *c)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss);

	if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	return rumor__addr_from_sockaddr((struct sockaddr *)&ss, &c->peer);
}

static bool
same_ip(const struct rumor_addr *a, const struct rumor_addr *b)
{
	return a->family == b->family && memcmp(a->ip, b->ip, 16) == 0;
}

/* A refusal line, at most one a second (the rest are counted in it). */
static void
say_refused(struct node *n, const struct rumor_addr *peer, const char *what)
{
	uint64_t now = uv_now(n->loop);
	char where[RUMOR_ADDR_STRLEN], more[64] = "";

	if (n->conn_last_ms != 0 && now - n->conn_last_ms < 1000) {
		n->conn_suppressed++;
		return;
	}
	if (n->conn_suppressed)
		snprintf(more, sizeof(more),
		         " (and %" PRIu64 " more before, not shown)",
		         n->conn_suppressed);
	rumor_addr_format(peer, where, sizeof(where));
	rumor__node_say(n, "join/sync connection from %s: %s%s", where, what,
	                more);
	n->conn_last_ms = now;
	n->conn_suppressed = 0;
}

/*
 * Room for c (already in the list, last): at most NODE_MAX_IN_PER_PEER
 * connections from its IP and max_in in all. When a bound is reached the
 * oldest connection (of that IP, or of all) whose request is not in yet
 * makes way: idle connections cannot starve a joiner, they only shorten
 * each other's NODE_FIRST_FRAME_MS. With none to close, c is refused.
 */
static bool
make_room(struct node *n, struct in_conn *c)
{
	struct in_conn *x, *oldest_peer = NULL, *oldest = NULL;
	size_t from_peer = 0, open = 1;

	DL_FOREACH(n->in_conns, x)
	{
		if (x == c || x->closing)
			continue;
		bool peer = same_ip(&x->peer, &c->peer);
		from_peer += peer;
		open++;
		if (x->answering)
			continue;
		if (oldest == NULL)
			oldest = x;
		if (peer && oldest_peer == NULL)
			oldest_peer = x;
	}
	x = from_peer >= NODE_MAX_IN_PER_PEER ? oldest_peer
	    : open > n->max_in                ? oldest
	                                      : c;
	if (x == c)
		return true;
	if (x == NULL) {
		n->stream_refused++;
		say_refused(n, &c->peer,
		            from_peer >= NODE_MAX_IN_PER_PEER
		                ? "refused: too many from this address, all "
		                  "being answered"
		                : "refused: --max-stream-conns reached, all "
		                  "being answered");
		return false;
	}
	n->stream_evicted++;
	say_refused(n, &x->peer,
	            from_peer >= NODE_MAX_IN_PER_PEER
	                ? "closed before its request came, for a newer one "
	                  "from the same address (16 at most per address)"
	                : "closed before its request came, for a newer one "
	                  "(--max-stream-conns reached)");
	conn_close(x);
	return true;
}

static void
on_connection(uv_stream_t *server, int status)
{
	struct node *n = server->data;
	struct in_conn *c;

	if (status < 0 || n->stopping || (c = calloc(1, sizeof(*c))) == NULL)
		return;
	c->node = n;
	rumor__frame_init(&c->frame, RUMOR_NODE_FRAME_MAX);
	uv_tcp_init(n->loop, &c->tcp);
	uv_timer_init(n->loop, &c->idle);
	c->tcp.data = c->idle.data = c;
	c->open_handles = 2;
	DL_APPEND(n->in_conns, c);
	n->n_in++;
	if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0 || peer_of(c) != 0 ||
	    !make_room(n, c) ||
	    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
		conn_close(c);
		return;
	}
	uv_timer_start(&c->idle, on_idle, NODE_FIRST_FRAME_MS, 0);
}

int
rumor__stream_listen(struct node *n)
{
	n->tcp.data = n;
	return uv_listen((uv_stream_t *)&n->tcp, 128, on_connection);
}

void
rumor__stream_in_close_all(struct node *n)
{
	struct in_conn *c, *tmp;

	DL_FOREACH_SAFE(n->in_conns, c, tmp)
	conn_close(c);
}
