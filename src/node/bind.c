/* SPDX-License-Identifier: MIT */
/*
 * UDP and TCP on one port. The sockets are made here with plain socket(2)
 * and bind(2), then handed to libuv (uv_udp_open / uv_tcp_open), so that
 * every error names the step that failed: "bind 127.0.0.1:3000/udp:
 * address already in use" (Knot Resolver's io_bind does the same).
 *
 * UDP is bound first. With port 0 the kernel picks the UDP port and TCP
 * is bound to the same number; when that one is taken for TCP the pair is
 * retried. UDP gets no SO_REUSEADDR (on Linux it would let a second agent
 * share the port silently); TCP gets it, so a restarted agent can listen
 * again while old join connections sit in TIME_WAIT.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "node_internal.h"

#define PORT0_ATTEMPTS 32

static int
fail(char *err, size_t cap, const char *step, const struct rumor_addr *a,
     const char *proto, int sys_errno)
{
	char text[RUMOR_ADDR_STRLEN];

	rumor_addr_format(a, text, sizeof(text));
	snprintf(err, cap, "%s %s/%s: %s", step, text, proto,
	         uv_strerror(uv_translate_sys_error(sys_errno)));
	return RUMOR_EINVAL;
}

static int
open_socket(const struct rumor_addr *a, int type, int *fd)
{
	int one = 1;

	*fd = socket(a->family == 6 ? AF_INET6 : AF_INET,
	             type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (*fd < 0)
		return -1;
	/* no v4-mapped peers: member addresses must compare equal */
	if (a->family == 6 &&
	    setsockopt(*fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
		return -1;
	if (type == SOCK_STREAM &&
	    setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		return -1;
	return 0;
}

static int
bind_to(int fd, const struct rumor_addr *a)
{
	struct sockaddr_storage ss;
	socklen_t len = rumor__addr_to_sockaddr(a, &ss);

	return bind(fd, (struct sockaddr *)&ss, len);
}

static int
bound_port(int fd, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct rumor_addr a;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0 ||
	    rumor__addr_from_sockaddr((struct sockaddr *)&ss, &a) != 0)
		return -1;
	*port = a.port;
	return 0;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* One attempt at the pair. 0, 1 (retry: port 0 and TCP taken) or error. */
static int
bind_pair(struct rumor_addr *a, int *ufd, int *tfd, char *err, size_t cap)
{
	int want_any = a->port == 0;

	if (open_socket(a, SOCK_DGRAM, ufd) < 0)
		return fail(err, cap, "socket", a, "udp", errno);
	if (bind_to(*ufd, a) < 0)
		return fail(err, cap, "bind", a, "udp", errno);
	if (want_any && bound_port(*ufd, &a->port) < 0)
		return fail(err, cap, "getsockname", a, "udp", errno);
	if (open_socket(a, SOCK_STREAM, tfd) < 0)
		return fail(err, cap, "socket", a, "tcp", errno);
	if (bind_to(*tfd, a) < 0) {
		if (want_any && errno == EADDRINUSE) {
			a->port = 0;
			return 1;
		}
		return fail(err, cap, "bind", a, "tcp", errno);
	}
	if (listen(*tfd, 128) < 0)
		return fail(err, cap, "listen", a, "tcp", errno);
	return 0;
}

static int
wrap(struct node *n, int ufd, int tfd, char *err, size_t cap)
{
	int rc;

	uv_udp_init(n->loop, &n->udp);
	n->has_udp = true;
	if ((rc = uv_udp_open(&n->udp, ufd)) != 0) {
		close(ufd);
		close(tfd);
		snprintf(err, cap, "uv_udp_open %s: %s", n->addr_text,
		         uv_strerror(rc));
		return RUMOR_EINVAL;
	}
	uv_tcp_init(n->loop, &n->tcp);
	n->has_tcp = true;
	if ((rc = uv_tcp_open(&n->tcp, tfd)) != 0) {
		close(tfd);
		snprintf(err, cap, "uv_tcp_open %s: %s", n->addr_text,
		         uv_strerror(rc));
		return RUMOR_EINVAL;
	}
	return 0;
}

int
rumor__node_bind(struct node *n, char *err, size_t cap)
{
	struct rumor_addr a = n->bind;
	int ufd = -1, tfd = -1, rc = 1;

	for (int i = 0; i < PORT0_ATTEMPTS && rc == 1; i++) {
		close_fd(&ufd);
		close_fd(&tfd);
		rc = bind_pair(&a, &ufd, &tfd, err, cap);
	}
	if (rc == 1)
		snprintf(err, cap,
		         "bind %s: no port free for both udp and tcp "
		         "after %d attempts",
		         n->addr_text, PORT0_ATTEMPTS);
	if (rc != 0) {
		close_fd(&ufd);
		close_fd(&tfd);
		return RUMOR_EINVAL;
	}
	n->bind = a;
	rumor_addr_format(&a, n->addr_text, sizeof(n->addr_text));
	return wrap(n, ufd, tfd, err, cap);
}
