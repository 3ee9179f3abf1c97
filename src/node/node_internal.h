/* SPDX-License-Identifier: MIT */
/*
 * The agent runtime's private parts: one struct node per process, the
 * libuv handles it owns and the lists of connections it serves.
 *
 * Every call into the core goes through node_core_*() wrappers in
 * core_glue.c, which re-arm the single timer afterwards and stop the node
 * once the core has left (STYLE-ANCHORS 7.5, ngtcp2's expiry loop).
 */
#ifndef RUMOR_NODE_INTERNAL_H
#define RUMOR_NODE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <uv.h>

#include "rumor/agent.h"
#include "rumor/core.h"
#include "rumor/log.h"
#include "rumor/node.h"
#include "seal.h"

/* Joiner side: connect + request + reply must finish within this. */
#define NODE_JOIN_TIMEOUT_MS 3000
/* Serving side: the reply must be written within this once the request is
 * in. */
#define NODE_SERVE_IDLE_MS 5000
/* Serving side: the whole first frame (the request; with a key, sealed)
 * must arrive within this of the accept, however the bytes trickle in. */
#define NODE_FIRST_FRAME_MS 2000
/* Join/sync connections served at once: the default of --max-stream-conns. */
#define NODE_MAX_IN_CONNS 128
/* ...and from one IP address (docs/security.md). */
#define NODE_MAX_IN_PER_PEER 16
/* At most this many control clients at once. */
#define NODE_MAX_CTL_CONNS 64
/* A monitor client this far behind is dropped. */
#define NODE_CTL_MAX_QUEUE (1024 * 1024)
/* Datagrams waiting in libuv's send queue beyond this are dropped. */
#define NODE_UDP_MAX_QUEUE (4 * 1024 * 1024)

/* ---- join stream framing (frame.c) ---- */

struct frame_reader {
	uint8_t hdr[4];
	size_t hdr_got;
	uint8_t *body; /* grown as bytes arrive, never from the header alone */
	size_t len, got, cap;
	size_t max;
};

void rumor__frame_init(struct frame_reader *f, size_t max);
void rumor__frame_free(struct frame_reader *f);
/*
 * Feed n bytes. Returns 1 once the whole frame is in (f->body, f->len), 0
 * when more is needed, RUMOR_EWIRE_TOO_BIG (length over max),
 * RUMOR_EWIRE_TRUNCATED (length 0), RUMOR_EWIRE_TRAILING (bytes after
 * the frame: one frame per connection) or RUMOR_ENOMEM.
 */
int rumor__frame_feed(struct frame_reader *f, const uint8_t *p, size_t n);
/* The 4-byte big-endian length prefix of a len-byte body. */
void rumor__frame_header(uint8_t out[4], size_t len);

/* ---- addresses (addr.c) ---- */

/* sockaddr <-> rumor_addr. to_sockaddr returns the length to pass. */
socklen_t rumor__addr_to_sockaddr(const struct rumor_addr *a,
                                  struct sockaddr_storage *ss);
int rumor__addr_from_sockaddr(const struct sockaddr *sa,
                              struct rumor_addr *out);
/* 1 for 0.0.0.0 and :: (not usable as a member address). */
int rumor__addr_is_unspecified(const struct rumor_addr *a);

/* ---- the node ---- */

struct in_conn;
struct out_stream;
struct ctl_conn;

enum ctl_mode {
	CTL_COMMAND,      /* waiting for its command line */
	CTL_MONITOR_TEXT, /* event lines as on stderr */
	CTL_MONITOR_JSON, /* event lines as in the log */
	CTL_LEAVE,        /* closed once the agent has left */
	CTL_DONE          /* answered; closing */
};

struct node;

/* What the `rumor agent` program (node.c) adds to an agent: its printing and
 * its monitors. NULL when embedded through rumor/agent.h. */
struct node_program {
	/* every core event, after the log and on_member */
	void (*event)(struct node *n, int64_t wall_ms,
	              const struct rumor_event *ev);
	/* a diagnostic line "HH:MM:SS.mmm text\n" (len bytes) */
	void (*say)(struct node *n, enum rumor_agent_log_level level,
	            const char *line, size_t len);
	/* the agent is being freed: free what the program hung on it */
	void (*release)(struct node *n);
	/* at the end (NULL: not wanted): log lines that could not be
	 * written, > 0 */
	void (*log_lost)(struct node *n, uint64_t lines);
};

/* An agent (struct rumor_agent is this struct; agent.c). */
struct node {
	uv_loop_t *loop; /* the caller's */
	struct rumor_agent_callbacks cb;
	const struct node_program *prog;
	void *prog_arg;
	/* completion (agent.c): freed once stop was asked and every handle
	 * and connection has closed */
	int closing_own; /* own handles whose close callback is pending */
	bool stop_asked, halted;
	int halt_status;
	rumor_agent_stop_cb stop_cb;
	void *stop_arg;
	rumor_agent_leave_cb leave_cb;
	void *leave_arg;
	uv_timer_t anchor; /* open from start to stop: completion is async */
	bool has_anchor;
	int prog_holds; /* the program's handles still closing (handlers,
	                 * metrics): the agent is freed after them */
	char *log_path_copy, *state_dir_copy;
	struct rumor_core *core;
	struct rumor_config cfg;
	struct rumor_addr bind;      /* as bound (port filled in) */
	struct rumor_member_id self; /* as last logged */
	char addr_text[RUMOR_ADDR_STRLEN];
	char control_path[RUMOR_NODE_PATH_MAX];
	char state_dir[RUMOR_NODE_PATH_MAX];
	const char *log_path;

	uv_udp_t udp;
	uv_tcp_t tcp;
	uv_pipe_t control;
	uv_timer_t timer;
	bool has_udp, has_tcp, has_control, has_timer;

	struct rumor_log_writer *log;
	bool log_failed;   /* warned once */
	uint64_t log_lost; /* lines that could not be written: exit 1 */

	struct in_conn *in_conns; /* oldest first */
	size_t n_in, max_in;
	uint64_t stream_refused;   /* connections refused: limits, no room */
	uint64_t stream_evicted;   /* waiting ones closed for a newcomer */
	uint64_t stream_timed_out; /* no whole request in NODE_FIRST_FRAME_MS */
	uint64_t conn_last_ms, conn_suppressed; /* refusal lines */
	struct out_stream *outs;
	struct ctl_conn *ctls;
	size_t n_ctl;

	bool started;  /* `start` written: `stop` will be */
	bool leaving;  /* leave requested */
	bool stopping; /* handles are closing; the core is not called again */
	int exit_code;
	int pending_uv_err; /* a stream error being reported to the core */
	const char *pending_reason; /* ... or a refusal/auth reason */

	/* encryption (seal.c): NULL = in the clear */
	struct keyring *keys;
	uint64_t auth_failed_datagrams; /* did not open: dropped */
	uint64_t auth_failed_streams;   /* requests/replies that did not open */
	uint64_t clear_refused;         /* sealed input while in the clear */
	uint64_t auth_last_ms, auth_suppressed; /* auth-failure lines */
	uint64_t bad_last_ms, bad_suppressed;   /* malformed-datagram lines */
	uint64_t start_loop_ms;
	int64_t start_wall_ms;

	struct rumor_addr advertise; /* family 0: none */
	struct resolver *resolver;   /* resolve.c: --join names */
	/* the program's (node.c), NULL when embedded */
	struct handlers *handlers; /* handlers.c; NULL without any */
	struct metrics *metrics;   /* metrics.c; NULL without --metrics-bind */

	/* per-agent buffers (no process-wide state: two agents in one
	 * process, or in two threads, each have their own) */
	char rx_slab[64 * 1024];     /* every UDP receive */
	uint8_t rx_plain[64 * 1024]; /* opened datagrams */
	uint8_t tx_sealed[64 * 1024 + SEAL_OVERHEAD];
	char stream_slab[64 * 1024]; /* TCP reads, both directions */

	/* fault injection (`rumor set deaf|mute`, control_cmd.c): a deaf
	 * agent receives nothing (datagrams dropped on arrival, join/sync
	 * streams closed unread, replies ignored until the stream times
	 * out); a mute one sends nothing (datagrams counted, not sent;
	 * streams neither connect nor answer). */
	bool deaf, mute;
	uint64_t deaf_dropped; /* datagrams received while deaf */
	uint64_t mute_dropped; /* datagrams not sent while mute */
};

/* agent.c: one of the program's holds is gone (prog_holds--), maybe free
 * the agent; as a close callback, h->data is the node. */
void rumor__node_release(struct node *n);
void rumor__node_release_cb(uv_handle_t *h);

/* resolve.c: DNS names in --join */
/** The seeds to join through (*seeds malloc'ed, *n_seeds of them): the
 * numeric ones and what the names resolve to now. 0 or an error (err). */
int rumor__resolve_start(struct node *n, const struct rumor_node_options *opt,
                         struct rumor_addr **seeds, size_t *n_seeds, char *err,
                         size_t cap);
/** A join attempt failed: resolve the names again (asynchronously). */
void rumor__resolve_again(struct node *n);
void rumor__resolve_stop(struct node *n);
/** A lookup is still out (the agent is freed only after its answer). */
bool rumor__resolve_busy(const struct node *n);
void rumor__resolve_free(struct node *n);

/* metrics.c (the program's): Prometheus /metrics (docs/operations.md) */
int rumor__metrics_start(struct node *n, const struct rumor_node_options *opt,
                         char *err, size_t cap);
void rumor__metrics_event(struct node *n, const struct rumor_event *ev);
void rumor__metrics_stop(struct node *n);
void rumor__metrics_free(struct node *n);

/* handlers.c (the program's): event handlers (docs/operations.md) */
int rumor__handlers_new(struct node *n, const struct rumor_node_options *opt,
                        char *err, size_t cap);
/** Queue the runs ev calls for (never blocks). */
void rumor__handlers_event(struct node *n, const struct rumor_event *ev);
uint64_t rumor__handlers_dropped(const struct node *n);
/** Stopping: kill a running handler, close the timer. */
void rumor__handlers_stop(struct node *n);
/** After the loop ended. */
void rumor__handlers_free(struct node *n);

/* core_glue.c: calls into the core, then rearm; and the core callbacks */
void rumor__node_callbacks(struct rumor_callbacks *cb);
void rumor__node_after_core(struct node *n, int rc, const char *what);
int rumor__node_recv(struct node *n, const struct rumor_addr *from,
                     const uint8_t *data, size_t len);
/* Begin leaving (core leave; on_halt(0) once left). 0 or RUMOR_ESTATE. */
int rumor__node_request_leave(struct node *n);
/* Halt: the agent stops running by itself (status 0 after its leave, else
 * the fatal code): leave_cb, on_halt, then every handle closes. */
void rumor__node_halt(struct node *n, int status);
/* Close every handle and connection (no callbacks). */
void rumor__node_stop(struct node *n, int exit_code);
/* agent.c: free the agent when stop was asked and all has closed. */
void rumor__node_maybe_done(struct node *n);
/* agent.c: a core event to the log, on_member and the program. */
void rumor__node_event(struct node *n, const struct rumor_event *ev);
/* agent.c: start everything but the join; rumor_node_run adds the
 * control socket before rumor__node_begin. */
int rumor__node_start(uv_loop_t *loop, const struct rumor_agent_options *o,
                      const struct rumor_agent_callbacks *cb,
                      const struct node_program *prog, void *prog_arg,
                      struct node **out, char *err, size_t cap);
int rumor__node_begin(struct node *n, const struct rumor_addr *seeds,
                      size_t n_seeds, size_t asked);

/* bind.c */
int rumor__node_bind(struct node *n, char *err, size_t cap);

/* udp.c */
int rumor__udp_start(struct node *n);
int rumor__udp_send(struct node *n, const struct rumor_addr *to,
                    const uint8_t *data, size_t len);

/* stream_in.c (introducer side) */
int rumor__stream_listen(struct node *n);
void rumor__stream_in_close_all(struct node *n);

/* stream_out.c (joiner side) */
int rumor__stream_open(struct node *n, uint64_t stream_id,
                       const struct rumor_addr *to, const uint8_t *req,
                       size_t len);
void rumor__stream_out_close_all(struct node *n);

/* control.c */
int rumor__control_listen(struct node *n, char *err, size_t cap);
void rumor__control_close_all(struct node *n);
/* A line for monitor clients of the given mode (newline included). */
void rumor__control_broadcast(struct node *n, enum ctl_mode mode,
                              const char *line, size_t len);
/* control_cmd.c: answer one command line on c */
void rumor__control_dispatch(struct node *n, struct ctl_conn *c,
                             const char *line);
void rumor__control_write(struct ctl_conn *c, const char *data, size_t len);
void rumor__control_end(struct ctl_conn *c);
void rumor__control_set_mode(struct ctl_conn *c, enum ctl_mode mode);

/* print.c: human-readable renderings */
int rumor__print_event(char *buf, size_t cap, int64_t wall_ms,
                       const struct rumor_event *ev);
int rumor__print_clock(char *buf, size_t cap, int64_t wall_ms);
/* Say something (INFO): to on_log, and for the program on stderr and to
 * text monitors as "HH:MM:SS.mmm fmt\n". */
void rumor__node_say(struct node *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void rumor__node_log(struct node *n, enum rumor_agent_log_level level,
                     const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Say (at most once a second, with a count of the rest) that input from
 * `from` did not open. */
void rumor__node_auth_failed(struct node *n, const struct rumor_addr *from,
                             const char *what);

/* control_keys.c: "keys list|install KEY|use KEY|remove KEY" */
void rumor__control_keys(struct node *n, struct ctl_conn *c, const char *args);
void rumor__control_reply(struct ctl_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* stats.c */
char *rumor__node_stats_json(struct node *n);
void rumor__node_print_summary(struct node *n);

/** The `tags` commands (tags_cmd.c); args is changed (split in words). */
void rumor__control_tags(struct node *n, struct ctl_conn *c, char *args);
/** Tags (the documented encoding) as a JSON object; NULL on ENOMEM. */
struct json_t *rumor__tags_json(const uint8_t *tags, size_t len);

#endif
