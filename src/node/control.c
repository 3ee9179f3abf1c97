/* SPDX-License-Identifier: MIT */
/*
 * The control socket: a Unix-domain stream socket, mode 0600 in a 0700
 * directory, so only this user can talk to the agent. Each client sends
 * one command line (control_cmd.c answers it). Nothing on the network
 * accepts control commands.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <utlist.h>

#include "node_internal.h"

#define CTL_LINE_MAX RUMOR_CONTROL_LINE_MAX
#define STR_(x)      #x
#define STR(x)       STR_(x)
/* A client that sent no command this long gives its place to a new one. */
#define CTL_IDLE_MS 5000

struct ctl_conn {
	struct node *node;
	uv_pipe_t pipe;
	uv_shutdown_t shut;
	enum ctl_mode mode;
	char line[CTL_LINE_MAX];
	size_t len;
	bool closing;
	uint64_t opened_ms; /* loop time of the accept */
	struct ctl_conn *prev, *next;
};

struct ctl_write {
	uv_write_t req;
	char data[];
};

static void
on_closed(uv_handle_t *h)
{
	struct ctl_conn *c = h->data;
	struct node *n = c->node;

	DL_DELETE(n->ctls, c);
	n->n_ctl--;
	free(c);
	rumor__node_maybe_done(n);
}

static void
conn_close(struct ctl_conn *c)
{
	if (c->closing)
		return;
	c->closing = true;
	uv_close((uv_handle_t *)&c->pipe, on_closed);
}

static void
on_shutdown(uv_shutdown_t *req, int status)
{
	(void)status;
	conn_close(req->data);
}

/* Close after what was written has gone out. */
void
rumor__control_end(struct ctl_conn *c)
{
	if (c->closing || c->mode == CTL_DONE)
		return;
	c->mode = CTL_DONE;
	uv_read_stop((uv_stream_t *)&c->pipe);
	c->shut.data = c;
	if (uv_shutdown(&c->shut, (uv_stream_t *)&c->pipe, on_shutdown) != 0)
		conn_close(c);
}

void
rumor__control_set_mode(struct ctl_conn *c, enum ctl_mode mode)
{
	c->mode = mode;
}

static void
on_written(uv_write_t *req, int status)
{
	struct ctl_conn *c = req->data;

	if (status < 0 && status != UV_ECANCELED)
		conn_close(c);
	free(req);
}

void
rumor__control_write(struct ctl_conn *c, const char *data, size_t len)
{
	struct ctl_write *w;
	uv_buf_t buf;

	if (c->closing)
		return;
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->pipe) >
	    NODE_CTL_MAX_QUEUE) {
		conn_close(c); /* a monitor that does not read */
		return;
	}
	if ((w = malloc(sizeof(*w) + len)) == NULL) {
		conn_close(c);
		return;
	}
	memcpy(w->data, data, len);
	w->req.data = c;
	buf = uv_buf_init(w->data, (unsigned)len);
	if (uv_write(&w->req, (uv_stream_t *)&c->pipe, &buf, 1, on_written)) {
		free(w);
		conn_close(c);
	}
}

void
rumor__control_broadcast(struct node *n, enum ctl_mode mode, const char *line,
                         size_t len)
{
	struct ctl_conn *c, *tmp;

	DL_FOREACH_SAFE(n->ctls, c, tmp)
	if (c->mode == mode)
		rumor__control_write(c, line, len);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct ctl_conn *c = h->data;

	(void)suggested;
	*buf = uv_buf_init(c->line + c->len, (unsigned)(CTL_LINE_MAX - c->len));
}

static void
on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct ctl_conn *c = s->data;
	char *nl;

	(void)buf;
	if (nread == 0)
		return;
	if (nread < 0) { /* the client went away */
		conn_close(c);
		return;
	}
	if (c->mode != CTL_COMMAND) {
		c->len =
		    0; /* one command per connection; the rest is ignored */
		return;
	}
	c->len += (size_t)nread;
	nl = memchr(c->line, '\n', c->len);
	if (nl == NULL && c->len < CTL_LINE_MAX)
		return;
	if (nl == NULL) {
		static const char msg[] = "error command line too long\n";
		rumor__control_write(c, msg, sizeof(msg) - 1);
		rumor__control_end(c);
		return;
	}
	*nl = '\0';
	if (nl > c->line && nl[-1] == '\r')
		nl[-1] = '\0';
	rumor__control_dispatch(c->node, c, c->line);
}

/* Close the clients that sent no command within CTL_IDLE_MS (monitors
 * stay); returns how many connections remain open. */
static size_t
reap_idle(struct node *n, uint64_t now)
{
	struct ctl_conn *c, *tmp;
	size_t live = 0;

	DL_FOREACH_SAFE(n->ctls, c, tmp)
	{
		if (c->closing)
			continue;
		if (c->mode == CTL_COMMAND && now - c->opened_ms >= CTL_IDLE_MS)
			conn_close(c);
		else
			live++;
	}
	return live;
}

static void
on_connection(uv_stream_t *server, int status)
{
	static const char full[] = "error too many clients (" STR(
	    NODE_MAX_CTL_CONNS) " connected; "
	                        "one that sends no command is closed "
	                        "after " STR(CTL_IDLE_MS) " "
	                                                  "ms when a new one "
	                                                  "needs its place)\n";
	struct node *n = server->data;
	struct ctl_conn *c;
	size_t live;

	if (status < 0 || n->stopping || (c = calloc(1, sizeof(*c))) == NULL)
		return;
	c->node = n;
	c->opened_ms = uv_now(n->loop);
	live = reap_idle(n, c->opened_ms);
	uv_pipe_init(n->loop, &c->pipe, 0);
	c->pipe.data = c;
	DL_APPEND(n->ctls, c);
	n->n_ctl++;
	if (uv_accept(server, (uv_stream_t *)&c->pipe) != 0) {
		conn_close(c);
	} else if (live >= NODE_MAX_CTL_CONNS) {
		rumor__control_write(c, full, sizeof(full) - 1);
		rumor__control_end(c);
	} else if (uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read) !=
	           0) {
		conn_close(c);
	}
}

/* A socket file at path: 1 if an agent answers there, else 0. */
static int
socket_is_live(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), live;

	if (fd < 0)
		return 0;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	live = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return live;
}

static int
remove_stale(const char *path, char *err, size_t cap)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, cap,
		         "control socket %s: exists and is not a "
		         "socket",
		         path);
		return RUMOR_EINVAL;
	}
	if (socket_is_live(path)) {
		snprintf(err, cap,
		         "control socket %s: another agent is "
		         "using it",
		         path);
		return RUMOR_EINVAL;
	}
	unlink(path);
	return 0;
}

int
rumor__control_listen(struct node *n, char *err, size_t cap)
{
	const char *path = n->control_path;
	mode_t old;
	int rc;

	if (remove_stale(path, err, cap) != 0)
		return RUMOR_EINVAL;
	uv_pipe_init(n->loop, &n->control, 0);
	n->control.data = n;
	n->has_control = true;
	old = umask(077); /* the socket is born 0600: no window for others */
	rc = uv_pipe_bind(&n->control, path);
	umask(old);
	if (rc == 0 && chmod(path, 0600) != 0)
		rc = uv_translate_sys_error(errno);
	if (rc == 0)
		rc = uv_listen((uv_stream_t *)&n->control, 16, on_connection);
	if (rc != 0) {
		snprintf(err, cap, "control socket %s: %s", path,
		         uv_strerror(rc));
		return RUMOR_EINVAL;
	}
	return 0;
}

void
rumor__control_close_all(struct node *n)
{
	struct ctl_conn *c, *tmp;

	DL_FOREACH_SAFE(n->ctls, c, tmp)
	rumor__control_end(c);
}
