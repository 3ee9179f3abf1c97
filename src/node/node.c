/* SPDX-License-Identifier: MIT */
/*
 * rumor_node_run: `rumor agent` as a program on top of the embeddable agent
 * (agent.c, rumor/agent.h). What only the program does lives here: its own
 * loop, SIGTERM/SIGINT/SIGHUP, the control socket, printing events and
 * diagnostics to stderr (up to --log-level) and to monitors, event
 * handlers (handlers.c), Prometheus metrics (metrics.c) and the DNS names
 * in --join (resolve.c, per agent).
 *
 *   loop -> paths -> agent (bind, version, log, core) -> control socket
 *   -> signals -> `start` -> bootstrap or join -> loop ... halted, or a
 *   second signal -> summary -> rumor_agent_stop -> uv_loop_close() == 0
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "node_internal.h"
#include "rumor/log.h"

#ifdef RUMOR_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

/* Handles still open this long after stop are closed by force. */
#define STOP_FORCE_MS 2000

struct program {
	uv_loop_t loop;
	struct node *n;
	uv_signal_t sig_term, sig_int, sig_hup;
	bool has_signals, stopped;
	int quiet;
	enum rumor_node_log_level log_level; /* stderr lines up to it */
	int exit_code;
	uint64_t log_lost; /* lines the agent's log could not take: exit 1 */
	/* JSON monitors get each event as its log line (event-log.md),
	 * rendered by the log's own writer into memory */
	struct rumor_log_writer *monitor_json;
};

/* Tell systemd (Type=notify: $NOTIFY_SOCKET) how the agent is doing; a
 * no-op outside systemd or without libsystemd. */
static void
notify(const char *state)
{
#ifdef RUMOR_HAVE_SYSTEMD
	sd_notify(0, state);
#else
	(void)state;
#endif
}

/* "HH:MM:SS.mmm LEVEL message\n" on stderr when level <= --log-level. */
static void
prog_stderr(const struct program *p, enum rumor_agent_log_level level,
            const char *line)
{
	const char *sp = strchr(line, ' ');

	if ((int)level > (int)p->log_level)
		return;
	if (sp == NULL)
		sp = line;
	fprintf(stderr, "%.*s %-5s%s", (int)(sp - line), line,
	        rumor_node_log_level_name((enum rumor_node_log_level)level),
	        sp);
}

static void
prog_say(struct node *n, enum rumor_agent_log_level level, const char *line,
         size_t len)
{
	prog_stderr(n->prog_arg, level, line);
	rumor__control_broadcast(n, CTL_MONITOR_TEXT, line, len);
}

static void
prog_release(struct node *n)
{
	rumor__handlers_free(n);
	rumor__metrics_free(n);
}

static void
prog_event(struct node *n, int64_t ts, const struct rumor_event *ev)
{
	struct program *p = n->prog_arg;
	const char *json;
	size_t json_len;
	char line[512];
	int len;

	if (ev->kind == RUMOR_EV_JOINED)
		notify("STATUS=a member of the group");
	rumor__handlers_event(n, ev);
	rumor__metrics_event(n, ev);
	len = rumor__print_event(line, sizeof(line), ts, ev);
	if (len > 0 && (size_t)len < sizeof(line)) {
		if (!p->quiet)
			prog_stderr(p, RUMOR_AGENT_LOG_INFO, line);
		rumor__control_broadcast(n, CTL_MONITOR_TEXT, line,
		                         (size_t)len);
	}
	if (n->ctls == NULL)
		return; /* no monitor: no JSON rendering */
	if (p->monitor_json == NULL &&
	    rumor_log_writer_open_memory(&p->monitor_json) != 0)
		return;
	if (rumor_log_write_event(p->monitor_json, ts, ev) == 0 &&
	    (json = rumor_log_writer_take(p->monitor_json, &json_len)))
		rumor__control_broadcast(n, CTL_MONITOR_JSON, json, json_len);
	rumor_log_writer_take(p->monitor_json, &json_len); /* empty it */
}

static void
prog_log_lost(struct node *n, uint64_t lines)
{
	struct program *p = n->prog_arg;

	p->log_lost = lines; /* --help: exit 1 when the log is not writable */
}

static const struct node_program program_hooks = {.event = prog_event,
                                                  .say = prog_say,
                                                  .release = prog_release,
                                                  .log_lost = prog_log_lost};

static void
close_signals(struct program *p)
{
	if (!p->has_signals)
		return;
	uv_close((uv_handle_t *)&p->sig_term, NULL);
	uv_close((uv_handle_t *)&p->sig_int, NULL);
	uv_close((uv_handle_t *)&p->sig_hup, NULL);
	p->has_signals = false;
}

static void
on_stopped(void *arg)
{
	struct program *p = arg;

	p->n = NULL;
}

/* Print the summary, free the agent (async), drop the signals. */
static void
prog_stop(struct program *p, int exit_code)
{
	if (p->stopped)
		return;
	p->stopped = true;
	p->exit_code = exit_code;
	if (p->n->started)
		rumor__node_print_summary(p->n);
	close_signals(p);
	rumor__handlers_stop(p->n);
	rumor__metrics_stop(p->n);
	rumor_agent_stop((struct rumor_agent *)p->n, on_stopped, p);
}

static void
on_halt(struct rumor_agent *a, int status, void *user)
{
	(void)a;
	prog_stop(user, status == 0 ? 0 : 1);
}

static void
on_signal(uv_signal_t *s, int signum)
{
	struct program *p = s->data;
	const char *why = signum == SIGINT ? "SIGINT" : "SIGTERM";

	if (p->stopped)
		return;
	if (p->n->leaving) {
		rumor__node_say(p->n, "%s again: stopping without waiting",
		                why);
		prog_stop(p, 0);
		return;
	}
	rumor__node_say(p->n, "%s: leaving the group (again to stop at once)",
	                why);
	notify("STOPPING=1\nSTATUS=leaving the group");
	rumor__node_request_leave(p->n);
}

/* SIGHUP (logrotate): reopen the agent's log at its path; the old file,
 * renamed or deleted, gets no more lines. On failure the old one is kept. */
static void
on_hup(uv_signal_t *s, int signum)
{
	struct program *p = s->data;
	struct node *n = p->n;
	struct rumor_log_writer *w;

	(void)signum;
	if (n == NULL || p->stopped)
		return;
	if (n->log == NULL || strcmp(n->log_path, "-") == 0) {
		rumor__node_say(n, "SIGHUP: no log file to reopen");
		return;
	}
	if (rumor_log_writer_open(&w, n->log_path, 0) != 0) {
		rumor__node_log(n, RUMOR_AGENT_LOG_ERROR,
		                "SIGHUP: reopen log %s: %s (still writing the "
		                "old file)",
		                n->log_path, strerror(errno));
		return;
	}
	if (rumor_log_writer_close(n->log) != 0)
		rumor__node_log(n, RUMOR_AGENT_LOG_WARN,
		                "SIGHUP: closing the old log: %s",
		                strerror(errno));
	n->log = w;
	n->log_failed = false;
	rumor__node_say(n, "SIGHUP: log %s reopened", n->log_path);
}

static int
start_signals(struct program *p)
{
	uv_signal_init(&p->loop, &p->sig_term);
	uv_signal_init(&p->loop, &p->sig_int);
	uv_signal_init(&p->loop, &p->sig_hup);
	p->has_signals = true;
	p->sig_term.data = p->sig_int.data = p->sig_hup.data = p;
	if (uv_signal_start(&p->sig_term, on_signal, SIGTERM) != 0 ||
	    uv_signal_start(&p->sig_int, on_signal, SIGINT) != 0 ||
	    uv_signal_start(&p->sig_hup, on_hup, SIGHUP) != 0)
		return -1;
	signal(SIGPIPE, SIG_IGN); /* a closed client is an EPIPE, not a death */
	return 0;
}

static void
close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void
on_force(uv_timer_t *t)
{
	fprintf(stderr,
	        "rumor agent: stop: closing connections that did not "
	        "finish in %d ms\n",
	        STOP_FORCE_MS);
	uv_walk(t->loop, close_any, NULL);
}

/* Run until every handle has closed; a stuck one is closed by force. */
static int
drain(uv_loop_t *loop)
{
	uv_timer_t force;
	int rc;

	uv_run(loop, UV_RUN_DEFAULT);
	uv_timer_init(loop, &force);
	uv_timer_start(&force, on_force, STOP_FORCE_MS, 0);
	uv_unref((uv_handle_t *)&force);
	uv_run(loop, UV_RUN_DEFAULT);
	if (!uv_is_closing((uv_handle_t *)&force))
		uv_close((uv_handle_t *)&force, NULL);
	uv_run(loop, UV_RUN_DEFAULT);
	rc = uv_loop_close(loop);
	if (rc != 0)
		fprintf(stderr,
		        "rumor agent: uv_loop_close: %s (a handle "
		        "was left open)\n",
		        uv_strerror(rc));
	return rc;
}

/* The runtime directory: default state dir and control socket. */
static int
setup_paths(const struct rumor_node_options *opt, char *state_dir,
            char *control, char *err, size_t cap)
{
	char run_dir[RUMOR_NODE_PATH_MAX];
	int have_dir =
	    rumor_node_run_dir(run_dir, sizeof(run_dir), err, cap) == 0;

	if (!have_dir && (opt->control_path == NULL || opt->state_dir == NULL))
		return RUMOR_EINVAL;
	if (opt->control_path != NULL) {
		if (strlen(opt->control_path) >= RUMOR_NODE_PATH_MAX) {
			snprintf(err, cap, "--control %s: longer than %d bytes",
			         opt->control_path, RUMOR_NODE_PATH_MAX - 1);
			return RUMOR_EINVAL;
		}
		strcpy(control, opt->control_path);
	} else {
		control[0] = '\0'; /* derived once the port is known */
	}
	snprintf(state_dir, RUMOR_NODE_PATH_MAX, "%s",
	         opt->state_dir ? opt->state_dir : run_dir);
	return 0;
}

static int
start_control(struct node *n, const char *control, char *err, size_t cap)
{
	if (control[0] != '\0')
		strcpy(n->control_path, control);
	else if (rumor_node_control_path(&n->bind, n->control_path,
	                                 sizeof(n->control_path)) != 0) {
		snprintf(err, cap, "control socket path for %s too long",
		         n->addr_text);
		return RUMOR_EINVAL;
	}
	return rumor__control_listen(n, err, cap);
}

static void
announce(struct node *n)
{
	char id[RUMOR_ID_STRLEN];

	rumor_member_id_format(&n->self, id, sizeof(id));
	rumor__node_say(n, "start %s: udp+tcp %s, control %s%s%s", id,
	                n->addr_text, n->control_path,
	                n->log_path ? ", log " : "",
	                n->log_path ? n->log_path : "");
}

static int
setup(struct program *p, const struct rumor_node_options *opt, char *err,
      size_t cap)
{
	char state_dir[RUMOR_NODE_PATH_MAX], control[RUMOR_NODE_PATH_MAX];
	struct rumor_agent_options ao;
	struct rumor_agent_callbacks cb = {.on_halt = on_halt, .user = p};
	int rc;

	if ((rc = setup_paths(opt, state_dir, control, err, cap)) != 0)
		return rc;
	rumor_agent_options_init(&ao);
	ao.bind = opt->bind;
	ao.cfg = opt->cfg;
	ao.log_path = opt->log_path;
	ao.state_dir = state_dir;
	ao.key_file = opt->key_file;
	ao.tags = opt->tags;
	ao.tags_len = opt->tags_len;
	if (opt->advertise != NULL)
		ao.advertise = *opt->advertise;
	ao.max_stream_conns = opt->max_stream_conns;
	rc = rumor__node_start(&p->loop, &ao, &cb, &program_hooks, p, &p->n,
	                       err, cap);
	if (rc != 0)
		return rc;
	if ((rc = rumor__handlers_new(p->n, opt, err, cap)) != 0 ||
	    (rc = rumor__metrics_start(p->n, opt, err, cap)) != 0)
		return rc;
	if ((rc = start_control(p->n, control, err, cap)) != 0)
		return rc;
	if (start_signals(p) != 0) {
		snprintf(err, cap, "cannot install signal handlers");
		return RUMOR_EINVAL;
	}
	announce(p->n);
	/* ready once bound and listening: joining may take retries */
	notify("READY=1\nSTATUS=joining");
	return 0;
}

/* Resolve --join's names, then bootstrap or join. */
static int
begin(struct program *p, const struct rumor_node_options *opt)
{
	struct rumor_addr *seeds = NULL;
	char err[512];
	size_t k = 0;
	int rc;

	rc = rumor__resolve_start(p->n, opt, &seeds, &k, err, sizeof(err));
	if (rc != 0) {
		free(seeds);
		rumor__node_log(p->n, RUMOR_AGENT_LOG_ERROR, "%s", err);
		return rc;
	}
	rc =
	    rumor__node_begin(p->n, seeds, k, opt->n_seeds + opt->n_join_names);
	free(seeds);
	return rc;
}

int
rumor_node_run(const struct rumor_node_options *opt)
{
	struct program *p = calloc(1, sizeof(*p));
	char err[512] = "";
	int rc, code;

	if (p == NULL || uv_loop_init(&p->loop) != 0) {
		fprintf(stderr, "rumor agent: cannot start an event loop\n");
		free(p);
		return 1;
	}
	p->quiet = opt->quiet;
	p->log_level = opt->log_level;
	rc = setup(p, opt, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "rumor agent: %s\n", err);
		close_signals(p);
		p->stopped = true;
		p->exit_code = 1;
		if (p->n != NULL)
			rumor_agent_stop((struct rumor_agent *)p->n, NULL,
			                 NULL);
	} else if (begin(p, opt) != 0 && p->n != NULL && !p->n->stopping) {
		prog_stop(p, 1);
	}
	code = drain(&p->loop) != 0 ? 1 : p->exit_code;
	if (p->log_lost > 0 && code == 0)
		code = 1;
	rumor_log_writer_close(p->monitor_json);
	free(p);
	return code;
}
