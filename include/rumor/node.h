/* SPDX-License-Identifier: MIT */
/*
 * rumor node: the libuv runtime that drives one core with real sockets,
 * timers and signals (docs/agent.md), the client side of its control
 * socket, and a helper that runs local clusters of agent processes (the
 * demo and the process tests).
 *
 * One agent = one core + one UDP socket and one TCP listener on the same
 * port (gossip and join) + one Unix-domain control socket (owner only) +
 * the JSON-lines event log. Nothing on the network accepts control
 * commands.
 */
#ifndef RUMOR_NODE_H
#define RUMOR_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rumor/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest join-stream frame body in bytes (u32 big-endian length + body). */
#define RUMOR_NODE_FRAME_MAX (4u * 1024 * 1024)
/** Bytes enough for any control socket or state file path plus NUL. */
#define RUMOR_NODE_PATH_MAX 108
/** Longest control command line in bytes, its newline included: room for
 *  `tags set` with tags as large as --tags-max allows (65000). */
#define RUMOR_CONTROL_LINE_MAX 66000

/**
 * Split "HOST:PORT" at its last ':' into host (host_cap bytes) and a port
 * 1..65535. Returns 0 or RUMOR_EINVAL.
 */
int rumor_node_split_host_port(const char *text, char *host, size_t host_cap,
                               uint16_t *port);

/** Levels of the agent's stderr lines (--log-level). */
enum rumor_node_log_level {
	RUMOR_NODE_LOG_ERROR, /**< the agent stops, or loses its log */
	RUMOR_NODE_LOG_WARN,  /**< input refused, joins failing, handlers */
	RUMOR_NODE_LOG_INFO,  /**< events, start/stop, changes (default) */
	RUMOR_NODE_LOG_DEBUG  /**< reachability probes */
};
/** "error", "warn", "info", "debug". */
const char *rumor_node_log_level_name(enum rumor_node_log_level level);
/** Parse a level name; 0 or RUMOR_EINVAL. */
int rumor_node_log_level_parse(const char *name,
                               enum rumor_node_log_level *out);

/** What `rumor agent` runs. All pointers are borrowed for the call. */
struct rumor_node_options {
	/** Address to bind UDP and TCP to (a specific one, not 0.0.0.0 or
	 * ::, since it is also the member's address); port 0 = any free
	 * port, the same for both. */
	struct rumor_addr bind;
	/** Join through these (introducer or any live member); none: start
	 * a new group as its introducer. */
	const struct rumor_addr *seeds;
	size_t n_seeds;
	/** Protocol settings (rumor_config_init, then flags). cfg.trace also
	 * writes send/recv/drop lines to the log. */
	struct rumor_config cfg;
	/** JSON-lines event log to append to; "-" = stdout; NULL = none. */
	const char *log_path;
	/** Control socket path; NULL = rumor_node_control_path(bind). */
	const char *control_path;
	/** Directory of the version state files; NULL = rumor_node_run_dir. */
	const char *state_dir;
	/** Nonzero: no per-event lines on stderr (errors still go there). */
	int quiet;
	/**
	 * Keys to seal every datagram and stream frame with (one per line,
	 * 64 hex digits or base64; the first is the primary); NULL = run in
	 * the clear (docs/security.md). The core's MTU is then mtu_bytes
	 * minus the seal's 46 bytes.
	 */
	const char *key_file;
	/** This member's tags at start: a canonical encoding (rumor/tags.h,
	 * rumor_tags_put_pair builds one), tags_len bytes; NULL = none. More
	 * than rumor_core_tags_max allows is an error naming --tag. */
	const uint8_t *tags;
	size_t tags_len;
	/** Event handlers, "[EVENTS=]CMD" each (rumor_node_handler_parse;
	 * docs/operations.md); n_handlers of them. */
	const char *const *handlers;
	size_t n_handlers;
	/** A handler run is killed after this long; 0 = 30000 ms. */
	uint32_t handler_timeout_ms;
	/** Runs waiting at most; past it they are dropped; 0 = 1024. */
	uint32_t handler_queue_max;
	/** Serve Prometheus metrics at http://HOST:PORT/metrics; NULL =
	 * none (docs/operations.md). */
	const struct rumor_addr *metrics_bind;
	/** The address others reach this member at, when it differs from
	 * bind (NAT, or bind 0.0.0.0): it becomes the member's id address;
	 * port 0 = the bound port. NULL = bind, which must then be specific. */
	const struct rumor_addr *advertise;
	/** Seeds given by DNS name, "NAME:PORT" each: resolved at start and
	 * again after each failed join attempt (docs/operations.md). */
	const char *const *join_names;
	size_t n_join_names;
	/** stderr lines up to this level (default 0 = error: set it, the
	 * CLI's default is RUMOR_NODE_LOG_INFO). */
	enum rumor_node_log_level log_level;
	/**
	 * Join/sync connections served at once (--max-stream-conns),
	 * 1..65536; 0 = 128. At most 16 of them from one IP address; a
	 * connection whose request is not in within 2 s is closed, and one
	 * still waiting for its request makes way for a newer one when a
	 * bound is reached (docs/security.md).
	 */
	uint32_t max_stream_conns;
};

/**
 * Split an --event-handler value "[EVENTS=]CMD": *mask gets bit k for each
 * enum rumor_event_kind k named (member-join, member-leave, member-failed,
 * member-update, member-reap, member-suspect, member-alive; all of them
 * when no EVENTS= prefix), *cmd points into spec. The prefix is taken as
 * EVENTS only when it is made of lowercase letters, '-' and ','. Returns
 * 0, or RUMOR_EINVAL (an unknown event name, or an empty CMD).
 */
int rumor_node_handler_parse(const char *spec, uint32_t *mask,
                             const char **cmd);
/** The event names, for messages (static storage). */
const char *rumor_node_handler_events(void);

/**
 * Run an agent until it has left (SIGTERM, SIGINT or `rumor leave`: core
 * leave, announce for leave_grace_ms, then stop) or a fatal error. A second
 * SIGTERM/SIGINT while leaving stops at once. Writes `start` and `stop`
 * lines around the core's events. Every error is printed to stderr naming
 * its cause ("bind 127.0.0.1:3000/udp: address already in use").
 * Returns the process exit status: 0 after a leave, 1 on any error.
 */
int rumor_node_run(const struct rumor_node_options *opt);

/**
 * The per-user runtime directory: $XDG_RUNTIME_DIR/rumor when that is set,
 * else /tmp/rumor-UID. Created (mode 0700) when missing; refused when it is
 * not a directory owned by this user with no access for others.
 * Returns 0, or RUMOR_EINVAL with errno set (a message names the path in
 * err, err_cap bytes, when err is not NULL).
 */
int rumor_node_run_dir(char *buf, size_t cap, char *err, size_t err_cap);
/**
 * The control socket path derived from a bind address:
 * RUN_DIR/HOST:PORT.sock ("[v6]:port" for IPv6). The directory is not
 * created. Returns 0, or RUMOR_ENOSPC when it does not fit cap bytes (a
 * Unix socket path holds at most RUMOR_NODE_PATH_MAX - 1 bytes).
 */
int rumor_node_control_path(const struct rumor_addr *bind, char *buf,
                            size_t cap);
/**
 * Pick the member version for a process starting at wall-clock wall_ms on
 * `bind`: max(wall_ms, last + 1) where last is the version recorded in
 * STATE_DIR/HOST:PORT.version, and record it there (atomically: temporary
 * file + rename), so a restart never reuses or goes below an earlier
 * version of that address even when the wall clock stepped back. A missing
 * or unreadable state file counts as last = 0 (a corrupt one is reported).
 * Returns 0 with *version set; RUMOR_EINVAL with errno when the state file
 * cannot be written (*version is still set from the clock and the file's
 * old value).
 */
int rumor_node_version_next(const char *state_dir,
                            const struct rumor_addr *bind, uint64_t wall_ms,
                            uint64_t *version);
/** Record `version` as used by `bind` if it is above the recorded one. */
int rumor_node_version_save(const char *state_dir,
                            const struct rumor_addr *bind, uint64_t version);

/**
 * A new random 32-byte key for a --key-file, as base64 (44 characters and
 * NUL: cap >= 45). Returns 0, or RUMOR_ENOSPC / RUMOR_EINTERNAL (no
 * randomness).
 */
int rumor_node_key_generate(char *buf, size_t cap);

/* ---- keys for tools that talk to keyed agents (rumor ping) ---- */

/** Bytes the seal adds to every datagram (docs/security.md). */
#define RUMOR_NODE_SEAL_OVERHEAD 46

struct rumor_node_keys;
/**
 * Load a --key-file (one key per line, hex or base64; the first is the
 * primary). Returns 0 with *out set (free with rumor_node_keys_free), or
 * RUMOR_EINVAL with err (cap bytes) naming the file and line.
 */
int rumor_node_keys_load(struct rumor_node_keys **out, const char *path,
                         char *err, size_t cap);
/** Wipe the keys and free. NULL allowed. */
void rumor_node_keys_free(struct rumor_node_keys *k);
/**
 * Seal a datagram of len bytes under the primary key into out (cap >= len
 * + RUMOR_NODE_SEAL_OVERHEAD). Returns the sealed length or RUMOR_ENOSPC.
 */
int rumor_node_keys_seal(const struct rumor_node_keys *k, const uint8_t *in,
                         size_t len, uint8_t *out, size_t cap);
/**
 * Open a sealed datagram into out (cap >= len). Returns the plaintext
 * length, or RUMOR_EAUTH when no key opens it.
 */
int rumor_node_keys_open(struct rumor_node_keys *k, const uint8_t *in,
                         size_t len, uint8_t *out, size_t cap);

/** Parse a rate, "0.3" or "30%", into [0, 1]. Returns 0 or RUMOR_EINVAL. */
int rumor_node_parse_rate(const char *text, double *out);
/** Parse "on"/"1" (true) or "off"/"0" (false). Returns 0 or RUMOR_EINVAL
 * (*out untouched). */
int rumor_node_parse_switch(const char *text, bool *out);

/* ---- control socket, client side ---- */

/*
 * Protocol: the client sends one command line; the agent answers with a
 * status line, "ok[ TEXT]" or "error MESSAGE", then data lines, and closes
 * (monitor: event lines until the agent stops; leave: closes once the
 * agent has left). Commands: "members" (one JSON object per entry),
 * "monitor" (human-readable lines) or "monitor json" (JSON lines), "leave",
 * "set drop-rate P" (P in [0,1] or a percentage "30%"), "set deaf on|off"
 * (receive nothing: every datagram dropped on arrival, join/sync streams
 * unread), "set mute on|off" (send nothing: datagrams and streams), "stats"
 * (one JSON
 * object: core counters, uptime, CPU and RSS), "keys list" (one JSON object
 * per key: key_id, primary, opened), "keys install KEY", "keys use KEY|ID",
 * "keys remove KEY|ID" (never the primary).
 */

/**
 * The control socket a client command talks to: `control` when not NULL,
 * else the path derived from `agent` ("HOST:PORT"; NULL means
 * 127.0.0.1:3000, the introducer's conventional address). Returns 0, or
 * RUMOR_EINVAL with err (cap bytes) naming the bad --agent value.
 */
int rumor_control_resolve(const char *agent, const char *control, char *path,
                          size_t path_cap, char *err, size_t cap);
/**
 * Connect to the control socket at path, send command (one line, no
 * newline), read the status line. On "ok" returns 0 with *fd the connected
 * socket positioned after the status line (caller closes it); text (if not
 * NULL, cap bytes) gets what followed "ok ". Otherwise returns RUMOR_EINVAL
 * with text set to "connect PATH: No such file or directory", the agent's
 * error message, or "command too long (...)" when command and its newline
 * exceed RUMOR_CONTROL_LINE_MAX bytes (nothing is sent); RUMOR_ENOMEM.
 * timeout_ms bounds connect + status (0 = 5000).
 */
int rumor_control_open(const char *path, const char *command, int timeout_ms,
                       int *fd, char *text, size_t cap);

/** One membership-list entry as `members` reports it. */
struct rumor_control_member {
	struct rumor_member_id id;
	enum rumor_member_status status;
	uint64_t heartbeat;
	uint64_t age_ms; /**< since its heartbeat last advanced (0 for self) */
	int is_self;
	/** self only: 1 while no seed has answered its join yet (the agent
	 *  lists itself alive but is in no group) */
	int joining;
	/** Its tags, canonical encoding (rumor/tags.h), tags_len bytes; they
	 * live in the same allocation as the list (one free). */
	const uint8_t *tags;
	size_t tags_len;
	uint64_t tags_version;
};
/**
 * Ask the agent at path for its list. Returns 0 with *out (malloc'd, n
 * entries, self first; caller frees) or RUMOR_EINVAL with err set (cap
 * bytes) as rumor_control_open does, or for a malformed reply;
 * RUMOR_ENOMEM.
 */
int rumor_control_members(const char *path, int timeout_ms,
                          struct rumor_control_member **out, size_t *n,
                          char *err, size_t cap);

/* ---- local clusters of agent processes (demo and tests) ---- */

/*
 * A cluster runs `RUMOR_BIN agent` processes, each with its log, stderr
 * and control socket in one directory (NAME.jsonl, NAME.stderr,
 * NAME.sock), and writes the ground truth (crash, restart) to
 * DIR/scenario.jsonl (node "scenario"). Every child gets
 * PR_SET_PDEATHSIG(SIGKILL) and its own process group, and all are killed
 * by rumor_cluster_free, at exit, and on SIGINT/SIGTERM/SIGHUP of the
 * calling process (rumor_cluster_install_cleanup), so no agent outlives a
 * failed test or an interrupted demo.
 */
struct rumor_cluster;

/** One agent process of a cluster. */
struct rumor_cluster_agent {
	char name[32];                  /**< file name stem */
	char bind[RUMOR_ADDR_STRLEN];   /**< as given to --bind */
	struct rumor_member_id id;      /**< from its `start` line */
	char id_text[RUMOR_ID_STRLEN];  /**< formatted id */
	char log[RUMOR_NODE_PATH_MAX];  /**< DIR/NAME.jsonl */
	char sock[RUMOR_NODE_PATH_MAX]; /**< DIR/NAME.sock */
	char err[RUMOR_NODE_PATH_MAX];  /**< DIR/NAME.stderr */
	pid_t pid;                      /**< 0 once it has been reaped */
	int status;                     /**< wait status once reaped */
	int crashed, left;              /**< what was done to it */
};

/**
 * Create a cluster writing into dir (created if missing). rumor_bin is the
 * rumor binary (copied). Returns 0, RUMOR_EINVAL (dir or its scenario log
 * cannot be created; errno set) or RUMOR_ENOMEM.
 */
int rumor_cluster_new(struct rumor_cluster **out, const char *rumor_bin,
                      const char *dir);
/**
 * Kill (SIGKILL) and reap every agent still running, close the scenario
 * log, free. NULL allowed.
 */
void rumor_cluster_free(struct rumor_cluster *c);
/**
 * Make SIGINT, SIGTERM and SIGHUP kill every agent of every live cluster
 * and exit the process with 128 + signal; also at exit(). Call once.
 */
void rumor_cluster_install_cleanup(void);

/**
 * Start `rumor agent --bind BIND --log .. --control .. ARGS...` (prefix,
 * if not NULL, is a NULL-terminated argv put in front, e.g. "ip netns exec
 * NS"), and wait (up to timeout_ms) for its `start` line. Returns 0 with
 * *index set; RUMOR_EINVAL when it exited or timed out first (err, cap
 * bytes, gets the reason and the last line of its stderr); RUMOR_ENOMEM.
 */
int rumor_cluster_start(struct rumor_cluster *c, const char *name,
                        const char *bind, const char *const *args,
                        const char *const *prefix, int timeout_ms,
                        size_t *index, char *err, size_t cap);
/** Agent i (index from rumor_cluster_start), NULL when out of range. */
struct rumor_cluster_agent *rumor_cluster_agent(struct rumor_cluster *c,
                                                size_t i);
size_t rumor_cluster_size(const struct rumor_cluster *c);
/** Path of the scenario log. */
const char *rumor_cluster_scenario_log(const struct rumor_cluster *c);

/**
 * SIGKILL agent i, write the `crash` line (member = its id) to the
 * scenario log, reap it. Returns 0, RUMOR_ESTATE if it is not running.
 */
int rumor_cluster_crash(struct rumor_cluster *c, size_t i);
/** Send SIGTERM (voluntary leave). Returns 0, RUMOR_ESTATE. */
int rumor_cluster_leave(struct rumor_cluster *c, size_t i);
/**
 * Crash agent i and start a new process on the same address (the port
 * of its id) and with the same args, as a new agent (name NAME.rN);
 * writes `restart` with the new id. Returns as rumor_cluster_start.
 */
int rumor_cluster_restart(struct rumor_cluster *c, size_t i, int timeout_ms,
                          size_t *index, char *err, size_t cap);
/**
 * Wait up to timeout_ms for agent i to exit (reaped). Returns 0 with
 * *status (wait status), RUMOR_ESTATE when already reaped before the call
 * (status set too), or RUMOR_EINVAL on timeout.
 */
int rumor_cluster_wait_exit(struct rumor_cluster *c, size_t i, int timeout_ms,
                            int *status);
/** 1 while agent i runs (reaps it when it has exited). */
int rumor_cluster_running(struct rumor_cluster *c, size_t i);

/** What a rumor_cluster_wait_* predicate sees: one observer's list. */
typedef int (*rumor_cluster_pred)(void *arg, size_t observer,
                                  const struct rumor_control_member *list,
                                  size_t n);
/**
 * Poll every running agent's list (every 100 ms) until pred returns
 * nonzero for all of them, up to timeout_ms. Returns 0, or RUMOR_EINVAL
 * on timeout (err gets the first observer that did not agree, and why).
 */
int rumor_cluster_wait_all(struct rumor_cluster *c, rumor_cluster_pred pred,
                           void *arg, int timeout_ms, char *err, size_t cap);
/**
 * Wait until every running agent lists every running agent as alive.
 * Returns as rumor_cluster_wait_all.
 */
int rumor_cluster_wait_converged(struct rumor_cluster *c, int timeout_ms,
                                 char *err, size_t cap);
/**
 * Wait until every running agent lists `member` with one of the statuses
 * in the mask (1 << RUMOR_STATUS_*), or no longer lists it when
 * absent_ok. Returns as rumor_cluster_wait_all.
 */
int rumor_cluster_wait_status(struct rumor_cluster *c,
                              const struct rumor_member_id *member,
                              unsigned status_mask, int absent_ok,
                              int timeout_ms, char *err, size_t cap);
/**
 * SIGTERM every running agent and wait up to timeout_ms for all to exit;
 * SIGKILL the rest. Returns 0 when all exited with status 0, else
 * RUMOR_EINVAL (err names the first that did not).
 */
int rumor_cluster_stop_all(struct rumor_cluster *c, int timeout_ms, char *err,
                           size_t cap);

#ifdef __cplusplus
}
#endif
#endif
