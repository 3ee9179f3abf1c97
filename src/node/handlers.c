/* SPDX-License-Identifier: MIT */
/*
 * Event handlers, as serf's (docs/operations.md): `--event-handler
 * [EVENTS=]CMD` runs CMD through /bin/sh -c for each membership change
 * whose event is in EVENTS (all when omitted), with RUMOR_EVENT,
 * RUMOR_SELF and RUMOR_SELF_ADDRESS in its environment and one line per
 * member on stdin: "ID ADDRESS STATUS TAGS" (TAGS "k=v,k2=v2", "-" when
 * none).
 *
 * Gossip is never blocked: events go to a bounded queue (HANDLER_QUEUE_MAX
 * runs; past it a run is dropped, counted and said), one handler process
 * runs at a time (uv_spawn; the loop never waits for it), a run past its
 * timeout is killed (SIGKILL), and its output (the first
 * HANDLER_OUTPUT_MAX bytes of stdout and stderr together) and exit status
 * are said on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "node_internal.h"
#include "rumor/tags.h"

extern char **environ;

/* Output kept per run, bytes; the rest is counted, not shown. */
#define HANDLER_OUTPUT_MAX 1024
/* After the process exits, wait this long for the rest of its output. */
#define HANDLER_DRAIN_MS 200

static const char *const event_names[RUMOR_EV_MAX] = {
    [RUMOR_EV_JOIN] = "member-join",   [RUMOR_EV_LEAVE] = "member-leave",
    [RUMOR_EV_FAIL] = "member-failed", [RUMOR_EV_UPDATE] = "member-update",
    [RUMOR_EV_REMOVE] = "member-reap", [RUMOR_EV_SUSPECT] = "member-suspect",
    [RUMOR_EV_ALIVE] = "member-alive",
};

struct handler {
	char *cmd;
	uint32_t mask; /* bit k: event kind k */
};

struct hjob {
	size_t handler;
	enum rumor_event_kind kind;
	char *input; /* the stdin line */
	struct hjob *next;
};

struct handlers {
	struct node *n;
	struct handler *h;
	size_t n_h;
	uint32_t timeout_ms;
	size_t queue_max;
	struct hjob *head, *tail;
	size_t queued;
	uint64_t dropped;
	/* the run in progress */
	struct hjob *cur;
	uv_process_t proc;
	uv_pipe_t in, out;
	uv_timer_t timer; /* timeout, then the drain after exit */
	uv_write_t wreq;
	bool has_timer, exited, eof;
	/* the run's handles not closed yet, and whether the run is over */
	bool in_open, out_open, proc_open, finished;
	bool held; /* stopping: the agent is kept until the run closed */
	int64_t exit_status;
	int term_signal;
	bool killed;
	uint64_t started_ms;
	char output[HANDLER_OUTPUT_MAX + 1];
	size_t out_len, out_lost;
};

static int
parse_events(const char *text, size_t len, uint32_t *mask)
{
	*mask = 0;
	while (len > 0) {
		const char *comma = memchr(text, ',', len);
		size_t k = comma ? (size_t)(comma - text) : len;
		int found = 0;
		for (int e = 0; e < RUMOR_EV_MAX; e++)
			if (event_names[e] && strlen(event_names[e]) == k &&
			    memcmp(event_names[e], text, k) == 0) {
				*mask |= 1u << e;
				found = 1;
			}
		if (!found)
			return -1;
		text += k + (comma != NULL);
		len -= k + (comma != NULL);
	}
	return *mask ? 0 : -1;
}

int
rumor_node_handler_parse(const char *spec, uint32_t *mask, const char **cmd)
{
	const char *eq = strchr(spec, '=');

	*mask = 0;
	for (int e = 0; e < RUMOR_EV_MAX; e++)
		if (event_names[e])
			*mask |= 1u << e;
	*cmd = spec;
	/* "EVENTS=CMD" only when all before the "=" are event names: a
	 * command may hold "=" itself ("FOO=1 ./x.sh") */
	if (eq != NULL && eq > spec &&
	    strspn(spec, "abcdefghijklmnopqrstuvwxyz-,") ==
	        (size_t)(eq - spec)) {
		if (parse_events(spec, (size_t)(eq - spec), mask) != 0)
			return RUMOR_EINVAL;
		*cmd = eq + 1;
	}
	return **cmd ? 0 : RUMOR_EINVAL;
}

const char *
rumor_node_handler_events(void)
{
	return "member-join, member-leave, member-failed, member-update, "
	       "member-reap, member-suspect, member-alive";
}

int
rumor__handlers_new(struct node *n, const struct rumor_node_options *opt,
                    char *err, size_t cap)
{
	struct handlers *hs;

	if (opt->n_handlers == 0)
		return 0;
	hs = calloc(1, sizeof(*hs));
	if (hs == NULL ||
	    (hs->h = calloc(opt->n_handlers, sizeof(*hs->h))) == NULL) {
		free(hs);
		snprintf(err, cap, "--event-handler: out of memory");
		return RUMOR_ENOMEM;
	}
	n->handlers = hs;
	hs->n = n;
	hs->timeout_ms =
	    opt->handler_timeout_ms ? opt->handler_timeout_ms : 30000;
	hs->queue_max = opt->handler_queue_max ? opt->handler_queue_max : 1024;
	for (size_t i = 0; i < opt->n_handlers; i++) {
		const char *cmd;
		if (rumor_node_handler_parse(opt->handlers[i], &hs->h[i].mask,
		                             &cmd) != 0) {
			snprintf(err, cap,
			         "--event-handler '%s': not [EVENTS=]CMD "
			         "(EVENTS a comma list of %s)",
			         opt->handlers[i], rumor_node_handler_events());
			return RUMOR_EINVAL;
		}
		if ((hs->h[i].cmd = strdup(cmd)) == NULL)
			return RUMOR_ENOMEM;
		hs->n_h++;
	}
	uv_timer_init(n->loop, &hs->timer);
	hs->timer.data = hs;
	hs->has_timer = true;
	return 0;
}

/* "ID ADDRESS STATUS TAGS\n" for the member of ev. */
static char *
input_line(const struct rumor_event *ev, enum rumor_member_status status)
{
	char id[RUMOR_ID_STRLEN], addr[RUMOR_ADDR_STRLEN];
	size_t cap = 256 + 2 * ev->tags_len, k;
	char *s = malloc(cap);
	struct rumor_tag t;
	size_t pos = 0;

	if (s == NULL)
		return NULL;
	rumor_member_id_format(&ev->member, id, sizeof(id));
	rumor_addr_format(&ev->member.addr, addr, sizeof(addr));
	k = (size_t)snprintf(s, cap, "%s %s %s ", id, addr,
	                     rumor_status_name(status));
	for (int i = 0; rumor_tags_next(ev->tags, ev->tags_len, &pos, &t); i++)
		k += (size_t)snprintf(s + k, cap - k, "%s%.*s=%.*s",
		                      i ? "," : "", (int)t.key_len, t.key,
		                      (int)t.value_len, t.value);
	if (ev->tags_len == 0)
		k += (size_t)snprintf(s + k, cap - k, "-");
	snprintf(s + k, cap - k, "\n");
	return s;
}

static enum rumor_member_status
status_of(enum rumor_event_kind kind)
{
	switch (kind) {
	case RUMOR_EV_SUSPECT:
		return RUMOR_STATUS_SUSPECT;
	case RUMOR_EV_FAIL:
	case RUMOR_EV_REMOVE:
		return RUMOR_STATUS_FAILED;
	case RUMOR_EV_LEAVE:
		return RUMOR_STATUS_LEFT;
	default:
		return RUMOR_STATUS_ALIVE;
	}
}

static void start_next(struct handlers *hs);

/* Once the run is over and each of its handles has closed (each close
 * callback counted once: `in` may close early, after its write), free the
 * run and start the next. */
static void
maybe_done(struct handlers *hs)
{
	if (!hs->finished || hs->in_open || hs->out_open || hs->proc_open)
		return;
	free(hs->cur->input);
	free(hs->cur);
	hs->cur = NULL;
	hs->finished = false;
	if (!hs->n->stopping)
		start_next(hs);
	else if (hs->held) {
		hs->held = false;
		rumor__node_release(hs->n);
	}
}

static void
on_in_closed(uv_handle_t *h)
{
	struct handlers *hs = h->data;

	hs->in_open = false;
	maybe_done(hs);
}

static void
on_out_closed(uv_handle_t *h)
{
	struct handlers *hs = h->data;

	hs->out_open = false;
	maybe_done(hs);
}

static void
on_proc_closed(uv_handle_t *h)
{
	struct handlers *hs = h->data;

	hs->proc_open = false;
	maybe_done(hs);
}

/* SIGKILL the handler's whole process group: /bin/sh -c CMD runs in a
 * session of its own (UV_PROCESS_DETACHED), so what CMD started dies with
 * it instead of living on under init. */
static void
kill_run(struct handlers *hs)
{
	if (uv_kill(-hs->proc.pid, SIGKILL) != 0)
		uv_process_kill(&hs->proc, SIGKILL);
}

/* The run is over: close whatever of its handles is not closing yet. */
static void
close_run(struct handlers *hs)
{
	hs->finished = true;
	if (hs->proc_open && !uv_is_closing((uv_handle_t *)&hs->proc))
		uv_close((uv_handle_t *)&hs->proc, on_proc_closed);
	if (hs->out_open && !uv_is_closing((uv_handle_t *)&hs->out))
		uv_close((uv_handle_t *)&hs->out, on_out_closed);
	if (hs->in_open && !uv_is_closing((uv_handle_t *)&hs->in))
		uv_close((uv_handle_t *)&hs->in, on_in_closed);
	maybe_done(hs);
}

/* Say how the run ended, and close its handles. */
static void
finish(struct handlers *hs)
{
	struct node *n = hs->n;
	const struct handler *h = &hs->h[hs->cur->handler];
	uint64_t ms = uv_now(n->loop) - hs->started_ms;

	if (hs->has_timer)
		uv_timer_stop(&hs->timer);
	while (hs->out_len > 0 && (hs->output[hs->out_len - 1] == '\n'))
		hs->out_len--;
	hs->output[hs->out_len] = '\0';
	if (hs->killed)
		rumor__node_log(n, RUMOR_AGENT_LOG_WARN,
		                "event handler '%s' (%s): killed after %u ms "
		                "(timeout)%s%s",
		                h->cmd, event_names[hs->cur->kind],
		                hs->timeout_ms, hs->out_len ? "; output: " : "",
		                hs->output);
	else
		rumor__node_log(
		    n,
		    hs->term_signal || hs->exit_status ? RUMOR_AGENT_LOG_WARN
		                                       : RUMOR_AGENT_LOG_INFO,
		    "event handler '%s' (%s): %s %lld in %llu ms%s%s"
		    "%s",
		    h->cmd, event_names[hs->cur->kind],
		    hs->term_signal ? "killed by signal" : "exit",
		    (long long)(hs->term_signal ? hs->term_signal
		                                : hs->exit_status),
		    (unsigned long long)ms, hs->out_len ? "; output: " : "",
		    hs->output, hs->out_lost ? " (more not shown)" : "");
	close_run(hs);
}

static void
on_timer(uv_timer_t *t)
{
	struct handlers *hs = t->data;

	if (hs->exited) { /* the drain is over */
		finish(hs);
		return;
	}
	hs->killed = true;
	kill_run(hs);
}

static void
on_exit_cb(uv_process_t *p, int64_t status, int term_signal)
{
	struct handlers *hs = p->data;

	hs->exited = true;
	hs->exit_status = status;
	hs->term_signal = term_signal;
	if (hs->eof || !hs->has_timer) {
		finish(hs);
		return;
	}
	uv_timer_stop(&hs->timer);
	uv_timer_start(&hs->timer, on_timer, HANDLER_DRAIN_MS, 0);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	static char scratch[4096]; /* read is synchronous: one at a time */

	(void)h;
	(void)suggested;
	*buf = uv_buf_init(scratch, sizeof(scratch));
}

static void
on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct handlers *hs = s->data;
	size_t room = HANDLER_OUTPUT_MAX - hs->out_len, k;

	if (nread < 0) {
		uv_read_stop(s);
		hs->eof = true;
		if (hs->exited)
			finish(hs);
		return;
	}
	k = (size_t)nread < room ? (size_t)nread : room;
	memcpy(hs->output + hs->out_len, buf->base, k);
	hs->out_len += k;
	hs->out_lost += (size_t)nread - k;
}

static void
on_written(uv_write_t *w, int status)
{
	struct handlers *hs = w->data;

	(void)status; /* a handler that does not read its input is no error */
	if (!uv_is_closing((uv_handle_t *)&hs->in))
		uv_close((uv_handle_t *)&hs->in, on_in_closed);
}

/* The environment: ours, and RUMOR_EVENT, RUMOR_SELF, RUMOR_SELF_ADDRESS. */
static char **
make_env(struct handlers *hs, char extra[3][128])
{
	char id[RUMOR_ID_STRLEN], addr[RUMOR_ADDR_STRLEN];
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 4, sizeof(*env));
	if (env == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "RUMOR_", 6) != 0)
			env[k++] = environ[i];
	rumor_member_id_format(&hs->n->self, id, sizeof(id));
	rumor_addr_format(&hs->n->self.addr, addr, sizeof(addr));
	snprintf(extra[0], 128, "RUMOR_EVENT=%s", event_names[hs->cur->kind]);
	snprintf(extra[1], 128, "RUMOR_SELF=%s", id);
	snprintf(extra[2], 128, "RUMOR_SELF_ADDRESS=%s", addr);
	env[k++] = extra[0];
	env[k++] = extra[1];
	env[k++] = extra[2];
	return env;
}

static int
spawn(struct handlers *hs)
{
	uv_loop_t *loop = hs->n->loop;
	char extra[3][128];
	char *args[] = {"/bin/sh", "-c", hs->h[hs->cur->handler].cmd, NULL};
	uv_stdio_container_t stdio[3];
	uv_process_options_t o = {0};
	char **env = make_env(hs, extra);
	uv_file fds[2] = {-1, -1};
	uv_buf_t b;
	int rc;

	uv_pipe_init(loop, &hs->in, 0);
	uv_pipe_init(loop, &hs->out, 0);
	hs->in_open = hs->out_open = true;
	hs->in.data = hs->out.data = hs->proc.data = hs;
	/* one pipe for the child's stdout and stderr together */
	if (env == NULL || (rc = uv_pipe(fds, UV_NONBLOCK_PIPE, 0)) != 0 ||
	    (rc = uv_pipe_open(&hs->out, fds[0])) != 0) {
		free(env);
		if (fds[1] >= 0)
			close(fds[1]);
		return env == NULL ? UV_ENOMEM : rc;
	}
	stdio[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
	stdio[0].data.stream = (uv_stream_t *)&hs->in;
	stdio[1].flags = UV_INHERIT_FD;
	stdio[1].data.fd = fds[1];
	stdio[2].flags = UV_INHERIT_FD;
	stdio[2].data.fd = fds[1];
	o.file = args[0];
	o.args = args;
	o.env = env;
	o.stdio = stdio;
	o.stdio_count = 3;
	o.exit_cb = on_exit_cb;
	o.flags = UV_PROCESS_DETACHED; /* its own process group: kill_run */
	hs->proc_open = true; /* uv_spawn initializes it, even when it fails */
	rc = uv_spawn(loop, &hs->proc, &o);
	free(env);
	close(fds[1]); /* the child's copies keep the pipe open */
	if (rc != 0)
		return rc;
	hs->wreq.data = hs;
	b = uv_buf_init(hs->cur->input, (unsigned)strlen(hs->cur->input));
	if (uv_write(&hs->wreq, (uv_stream_t *)&hs->in, &b, 1, on_written) != 0)
		uv_close((uv_handle_t *)&hs->in, on_in_closed);
	uv_read_start((uv_stream_t *)&hs->out, on_alloc, on_read);
	uv_timer_start(&hs->timer, on_timer, hs->timeout_ms, 0);
	return 0;
}

static void
start_next(struct handlers *hs)
{
	int rc;

	while (hs->cur == NULL && hs->head != NULL) {
		hs->cur = hs->head;
		hs->head = hs->cur->next;
		if (hs->head == NULL)
			hs->tail = NULL;
		hs->queued--;
		hs->exited = hs->eof = hs->killed = false;
		hs->out_len = hs->out_lost = 0;
		hs->term_signal = 0;
		hs->exit_status = 0;
		hs->started_ms = uv_now(hs->n->loop);
		if ((rc = spawn(hs)) == 0)
			return;
		rumor__node_log(hs->n, RUMOR_AGENT_LOG_WARN,
		                "event handler '%s': cannot start: %s",
		                hs->h[hs->cur->handler].cmd, uv_strerror(rc));
		close_run(hs); /* the next run starts once these closed */
		return;
	}
}

void
rumor__handlers_event(struct node *n, const struct rumor_event *ev)
{
	struct handlers *hs = n->handlers;

	if (hs == NULL || n->stopping || (unsigned)ev->kind >= RUMOR_EV_MAX ||
	    event_names[ev->kind] == NULL)
		return;
	for (size_t i = 0; i < hs->n_h; i++) {
		struct hjob *j;
		if (!(hs->h[i].mask & (1u << ev->kind)))
			continue;
		if (hs->queued >= hs->queue_max) {
			if (hs->dropped++ % 100 == 0)
				rumor__node_log(
				    n, RUMOR_AGENT_LOG_WARN,
				    "event handlers: queue full (%zu "
				    "runs): %s dropped (%llu so far)",
				    hs->queue_max, event_names[ev->kind],
				    (unsigned long long)hs->dropped);
			continue;
		}
		if ((j = calloc(1, sizeof(*j))) == NULL ||
		    (j->input = input_line(ev, status_of(ev->kind))) == NULL) {
			free(j);
			hs->dropped++;
			continue;
		}
		j->handler = i;
		j->kind = ev->kind;
		if (hs->tail)
			hs->tail->next = j;
		else
			hs->head = j;
		hs->tail = j;
		hs->queued++;
	}
	start_next(hs);
}

uint64_t
rumor__handlers_dropped(const struct node *n)
{
	return n->handlers ? n->handlers->dropped : 0;
}

void
rumor__handlers_stop(struct node *n)
{
	struct handlers *hs = n->handlers;

	if (hs == NULL)
		return;
	if (hs->cur != NULL && !hs->exited && !hs->finished && hs->proc_open)
		kill_run(hs);
	if (hs->cur != NULL && !hs->held) {
		hs->held = true;
		n->prog_holds++;
	}
	if (hs->has_timer) {
		n->prog_holds++;
		hs->timer.data = n;
		uv_close((uv_handle_t *)&hs->timer, rumor__node_release_cb);
		hs->has_timer = false;
	}
}

void
rumor__handlers_free(struct node *n)
{
	struct handlers *hs = n->handlers;

	if (hs == NULL)
		return;
	while (hs->head) {
		struct hjob *j = hs->head;
		hs->head = j->next;
		free(j->input);
		free(j);
	}
	if (hs->cur) {
		free(hs->cur->input);
		free(hs->cur);
	}
	for (size_t i = 0; i < hs->n_h; i++)
		free(hs->h[i].cmd);
	free(hs->h);
	free(hs);
	n->handlers = NULL;
}
