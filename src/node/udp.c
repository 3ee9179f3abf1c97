/* SPDX-License-Identifier: MIT */
/*
 * The UDP side: every datagram received goes to the core; every datagram
 * the core sends leaves through uv_udp_try_send, or, when the socket
 * would block, through a queued uv_udp_send with a copy of the bytes (the
 * core's buffer is only valid during its callback). With a keyring every
 * datagram is sealed on the way out and opened on the way in (seal.h);
 * what does not open is counted and dropped before the core sees it.
 */
#include <stdlib.h>
#include <string.h>

#include "node_internal.h"

/* The agent's rx_slab takes every receive (the core copies whatever it
 * keeps); rx_plain the opened datagrams, tx_sealed sealed ones on their way
 * out. */

struct send_req {
	uv_udp_send_t req;
	char data[];
};

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct node *n = h->data;

	(void)suggested;
	*buf = uv_buf_init(n->rx_slab, sizeof(n->rx_slab));
}

/* Open (with a keyring) and hand to the core. */
static void
deliver(struct node *n, const struct rumor_addr *from, const uint8_t *data,
        size_t len)
{
	int r;

	if (n->keys == NULL) {
		if (rumor__is_sealed(data, len)) {
			n->clear_refused++;
			rumor__node_auth_failed(n, from,
			                        "sealed datagram, but this "
			                        "agent runs in the clear");
			return;
		}
		rumor__node_recv(n, from, data, len);
		return;
	}
	r = rumor__open(n->keys, SEAL_DATAGRAM, data, len, n->rx_plain,
	                sizeof(n->rx_plain), NULL);
	if (r < 0) {
		n->auth_failed_datagrams++;
		rumor__node_auth_failed(n, from,
		                        rumor__is_sealed(data, len)
		                            ? "datagram failed authentication "
		                              "(no installed key opens it)"
		                            : "datagram not sealed (this agent "
		                              "requires encryption)");
		return;
	}
	rumor__node_recv(n, from, n->rx_plain, (size_t)r);
}

static void
on_recv(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf,
        const struct sockaddr *addr, unsigned flags)
{
	struct node *n = h->data;
	struct rumor_addr from;

	(void)flags;
	if (nread == 0 && addr == NULL)
		return; /* nothing more to read now */
	if (nread < 0) {
		rumor__node_log(n, RUMOR_AGENT_LOG_WARN,
		                "udp receive error: %s",
		                uv_strerror((int)nread));
		return;
	}
	if (n->stopping || addr == NULL ||
	    rumor__addr_from_sockaddr(addr, &from) != 0)
		return;
	if (n->deaf) {
		n->deaf_dropped++;
		return;
	}
	deliver(n, &from, (const uint8_t *)buf->base, (size_t)nread);
}

int
rumor__udp_start(struct node *n)
{
	n->udp.data = n;
	return uv_udp_recv_start(&n->udp, on_alloc, on_recv);
}

static void
on_sent(uv_udp_send_t *req, int status)
{
	(void)status; /* a lost datagram is what UDP promises anyway */
	free(req);
}

int
rumor__udp_send(struct node *n, const struct rumor_addr *to,
                const uint8_t *data, size_t len)
{
	struct sockaddr_storage ss;
	uv_buf_t buf = uv_buf_init((char *)data, (unsigned)len);
	struct send_req *r;
	int rc;

	if (n->stopping)
		return UV_ECANCELED;
	if (n->mute) { /* as a dead link would: gone without an error */
		n->mute_dropped++;
		return 0;
	}
	if (n->keys != NULL) {
		rc = rumor__seal(n->keys, -1, SEAL_DATAGRAM, data, len,
		                 n->tx_sealed, sizeof(n->tx_sealed));
		if (rc < 0)
			return rc;
		data = n->tx_sealed;
		len = (size_t)rc;
		buf = uv_buf_init((char *)data, (unsigned)len);
	}
	rumor__addr_to_sockaddr(to, &ss);
	rc = uv_udp_try_send(&n->udp, &buf, 1, (struct sockaddr *)&ss);
	if (rc >= 0)
		return 0;
	if (rc != UV_EAGAIN)
		return rc;
	if (uv_udp_get_send_queue_size(&n->udp) > NODE_UDP_MAX_QUEUE)
		return UV_ENOBUFS;
	r = malloc(sizeof(*r) + len);
	if (r == NULL)
		return UV_ENOMEM;
	memcpy(r->data, data, len);
	buf = uv_buf_init(r->data, (unsigned)len);
	rc = uv_udp_send(&r->req, &n->udp, &buf, 1, (struct sockaddr *)&ss,
	                 on_sent);
	if (rc != 0)
		free(r);
	return rc;
}
