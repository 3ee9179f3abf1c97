/* SPDX-License-Identifier: MIT */
/*
 * Join streams, joining side: the core asks (stream_open) for a request to
 * be sent to a seed; we connect, write the frame, read the reply frame and
 * report it (rumor_core_stream_reply) or the failure
 * (rumor_core_stream_failed, with the libuv error kept for the message).
 * The whole exchange has NODE_JOIN_TIMEOUT_MS; the core's own backoff
 * decides when to try again. With a keyring the request is sealed and the
 * reply opened; a refusal (seal.h) or a reply that does not open fails the
 * stream with RUMOR_EAUTH and a reason the join notice prints.
 */
#include <stdlib.h>
#include <string.h>
#include <utlist.h>

#include "node_internal.h"

struct out_stream {
	struct node *node;
	uint64_t stream_id;
	uv_tcp_t tcp;
	uv_timer_t timer;
	uv_connect_t conn;
	uv_write_t wr;
	struct frame_reader frame;
	int open_handles;
	bool done;
	bool unheard; /* bytes arrived while deaf: the reply is lost */
	size_t req_len;
	struct rumor_addr to;
	uint8_t *plain; /* the opened reply (with a keyring) */
	struct out_stream *prev, *next;
	uint8_t req[]; /* 4-byte header + body */
};

static void
on_closed(uv_handle_t *h)
{
	struct out_stream *s = h->data;
	struct node *n = s->node;

	if (--s->open_handles > 0)
		return;
	DL_DELETE(n->outs, s);
	rumor__frame_free(&s->frame);
	free(s->plain);
	free(s);
	rumor__node_maybe_done(n);
}

static void
stream_close(struct out_stream *s)
{
	s->done = true;
	if (!uv_is_closing((uv_handle_t *)&s->tcp))
		uv_close((uv_handle_t *)&s->tcp, on_closed);
	if (!uv_is_closing((uv_handle_t *)&s->timer))
		uv_close((uv_handle_t *)&s->timer, on_closed);
}

/* The reply in the clear, or NULL with *why set (RUMOR_EAUTH). */
static const uint8_t *
open_reply(struct out_stream *s, size_t *len, const char **why)
{
	struct node *n = s->node;
	const uint8_t *body = s->frame.body;
	int code = rumor__refusal_code(body, s->frame.len), r;

	*len = s->frame.len;
	if (code != 0) {
		*why = rumor__refusal_text(code);
		return NULL;
	}
	if (n->keys == NULL) {
		if (!rumor__is_sealed(body, *len))
			return body;
		n->clear_refused++;
		*why = "the reply is sealed: the member there uses a key "
		       "(start this agent with --key-file)";
		return NULL;
	}
	if ((s->plain = malloc(*len)) == NULL) {
		*why = "out of memory";
		return NULL;
	}
	r = rumor__open(n->keys, SEAL_REPLY, body, *len, s->plain, *len, NULL);
	if (r < 0) {
		n->auth_failed_streams++;
		*why = "the reply failed authentication (no installed key "
		       "opens it: the member there uses a different key)";
		return NULL;
	}
	*len = (size_t)r;
	return s->plain;
}

/* An auth failure of a stream the core gives no notice for (a sync). */
static void
say_sync_failed(struct out_stream *s, const char *why)
{
	struct node *n = s->node;

	if (rumor_core_state(n->core) == RUMOR_STATE_ACTIVE)
		rumor__node_auth_failed(n, &s->to, why);
}

/* Report the outcome to the core once; uv_err < 0 means failure. */
static void
finish(struct out_stream *s, int uv_err)
{
	struct node *n = s->node;
	const uint8_t *reply;
	const char *why = NULL;
	size_t len = 0;
	int rc;

	if (s->done)
		return;
	stream_close(s);
	if (n->stopping)
		return;
	if (uv_err == 0 && (reply = open_reply(s, &len, &why)) == NULL) {
		say_sync_failed(s, why);
		n->pending_reason = why;
		rc = rumor_core_stream_failed(n->core, uv_now(n->loop),
		                              s->stream_id, RUMOR_EAUTH);
		n->pending_reason = NULL;
	} else if (uv_err == 0) {
		rc = rumor_core_stream_reply(n->core, uv_now(n->loop),
		                             s->stream_id, reply, len);
	} else {
		n->pending_uv_err = uv_err;
		rc = rumor_core_stream_failed(n->core, uv_now(n->loop),
		                              s->stream_id, RUMOR_EDROPPED);
		n->pending_uv_err = 0;
	}
	rumor__node_after_core(n, rumor_is_fatal(rc) ? rc : 0, "join stream");
}

static void
on_timeout(uv_timer_t *t)
{
	finish(t->data, UV_ETIMEDOUT);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct out_stream *s = h->data;

	(void)suggested;
	*buf = uv_buf_init(s->node->stream_slab, sizeof(s->node->stream_slab));
}

static void
on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	struct out_stream *s = st->data;
	int rc;

	if (nread == 0 || s->done)
		return;
	if (s->node->deaf)
		s->unheard = true; /* it times out, as if nothing came */
	if (s->unheard)
		return;
	if (nread < 0) { /* EOF before a whole reply: refused or crashed */
		finish(s, nread == UV_EOF ? UV_ECONNRESET : (int)nread);
		return;
	}
	rc = rumor__frame_feed(&s->frame, (const uint8_t *)buf->base,
	                       (size_t)nread);
	if (rc < 0)
		finish(s, UV_EPROTO);
	else if (rc == 1)
		finish(s, 0);
}

static void
on_written(uv_write_t *req, int status)
{
	if (status < 0)
		finish(req->data, status);
}

static void
on_connect(uv_connect_t *req, int status)
{
	struct out_stream *s = req->data;
	uv_buf_t buf = uv_buf_init((char *)s->req, (unsigned)s->req_len);
	int rc;

	if (s->done)
		return;
	if (status < 0) {
		finish(s, status);
		return;
	}
	s->wr.data = s;
	rc = uv_write(&s->wr, (uv_stream_t *)&s->tcp, &buf, 1, on_written);
	if (rc == 0)
		rc = uv_read_start((uv_stream_t *)&s->tcp, on_alloc, on_read);
	if (rc != 0)
		finish(s, rc);
}

/*
 * A stream leaves from the address the member is bound to (port chosen by
 * the kernel), not from whatever source the routing table picks: on a
 * multi-homed host its peers see the address they know, and its traffic
 * can be told apart per address (bench/benchlib/netacct.py counts it so).
 * An unspecified bind address (0.0.0.0, ::) leaves the choice to the
 * kernel. Returns 0 or a libuv error (uv_tcp_bind).
 */
static int
bind_source(struct node *n, uv_tcp_t *tcp)
{
	static const uint8_t any[16];
	struct rumor_addr a = n->bind;
	struct sockaddr_storage ss;

	if (memcmp(a.ip, any, a.family == 6 ? 16 : 4) == 0)
		return 0;
	a.port = 0;
	rumor__addr_to_sockaddr(&a, &ss);
	return uv_tcp_bind(tcp, (struct sockaddr *)&ss, 0);
}

/* Called from inside the core (stream_open): never calls the core. */
int
rumor__stream_open(struct node *n, uint64_t stream_id,
                   const struct rumor_addr *to, const uint8_t *req, size_t len)
{
	struct sockaddr_storage ss;
	struct out_stream *s;
	size_t cap = len + (n->keys ? SEAL_OVERHEAD : 0);
	int rc;

	if (n->stopping)
		return RUMOR_ESTATE;
	if (cap > RUMOR_NODE_FRAME_MAX ||
	    !(s = calloc(1, sizeof(*s) + 4 + cap)))
		return RUMOR_ENOMEM;
	s->node = n;
	s->stream_id = stream_id;
	s->to = *to;
	if (n->keys != NULL) {
		rc = rumor__seal(n->keys, -1, SEAL_REQUEST, req, len,
		                 s->req + 4, cap);
		if (rc < 0) {
			free(s);
			return rc;
		}
		len = (size_t)rc;
	} else {
		memcpy(s->req + 4, req, len);
	}
	s->req_len = 4 + len;
	rumor__frame_header(s->req, len);
	rumor__frame_init(&s->frame, RUMOR_NODE_FRAME_MAX);
	uv_tcp_init(n->loop, &s->tcp);
	uv_timer_init(n->loop, &s->timer);
	s->tcp.data = s->timer.data = s->conn.data = s;
	s->open_handles = 2;
	DL_APPEND(n->outs, s);
	/* mute: the connection never opens; the timer fails the stream */
	rc = n->mute ? 0 : bind_source(n, &s->tcp);
	if (rc == 0 && !n->mute) {
		rumor__addr_to_sockaddr(to, &ss);
		rc = uv_tcp_connect(&s->conn, &s->tcp, (struct sockaddr *)&ss,
		                    on_connect);
	}
	if (rc != 0) {
		s->done = true;
		stream_close(s);
		n->pending_uv_err = rc; /* for the JOIN_FAILED notice */
		return RUMOR_EDROPPED;
	}
	uv_timer_start(&s->timer, on_timeout, NODE_JOIN_TIMEOUT_MS, 0);
	return 0;
}

void
rumor__stream_out_close_all(struct node *n)
{
	struct out_stream *s, *tmp;

	DL_FOREACH_SAFE(n->outs, s, tmp)
	stream_close(s);
}
