/* SPDX-License-Identifier: MIT */
/*
 * rumor agent: a full member (UDP gossip and TCP joins on one port, its
 * timer, optional encryption, join, anti-entropy, the event log) running
 * inside the caller's libuv loop. `rumor agent` is a program on top of
 * this API; docs/embedding.md has a complete example.
 *
 * Thread rules:
 * - An agent belongs to the loop it was started on. Every rumor_agent_*
 *   call must be made on that loop's thread, and every callback runs on it
 *   (from inside uv_run), never from another thread.
 * - Callbacks may call rumor_agent_members, rumor_agent_self and
 *   rumor_agent_stats, rumor_agent_set_tags. They may call
 *   rumor_agent_leave and rumor_agent_stop
 *   too: those only start the work and report through their own callbacks
 *   on a later loop iteration.
 * - on_member events about this agent itself are delivered inside the call
 *   that makes them: rumor_agent_set_tags calls on_member with its own
 *   RUMOR_AGENT_EV_UPDATE, rumor_agent_leave with its own leave, before
 *   they return. A callback that calls rumor_agent_set_tags on its own
 *   UPDATE must stop doing so at some point, or it recurses without end.
 * - The library keeps no process-wide mutable state: any number of agents
 *   can run in one process, on one loop or on several loops in several
 *   threads (one loop per thread, as libuv requires). It installs no
 *   signal handlers, never calls exit() and never writes to stdout or
 *   stderr: diagnostics go to on_log.
 * - Each agent holds its own handles on the loop. After rumor_agent_stop's
 *   callback none is left, so the caller's uv_loop_close succeeds.
 *
 * Errors are negative rumor codes (rumor/errors.h; rumor_strerror).
 * Times are milliseconds.
 */
#ifndef RUMOR_AGENT_H
#define RUMOR_AGENT_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "rumor/core.h"
#include "rumor/export.h"
#include "rumor/version.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rumor_agent;

/** What rumor_agent_start needs. Fill with rumor_agent_options_init first:
 * fields added in later versions then keep their defaults. */
struct rumor_agent_options {
	/** Address to bind UDP and TCP to; also this member's address, so a
	 * specific one (not 0.0.0.0 or ::). Port 0 = any free port (the
	 * same for both; rumor_agent_self tells which). Default 127.0.0.1:0. */
	struct rumor_addr bind;
	/** Join through any of these (introducer or any live member),
	 * retrying every cfg.join_retry_ms until one answers; n_seeds 0 (or
	 * only our own address): start a new group as its introducer.
	 * Borrowed for the call. */
	const struct rumor_addr *seeds;
	size_t n_seeds;
	/** Protocol settings; default rumor_config_init (the "lan"
	 * profile). Checked with rumor_config_validate. */
	struct rumor_config cfg;
	/** JSON-lines event log to append to (docs/event-log.md), "-" for
	 * stdout; NULL (default) = none. */
	const char *log_path;
	/** Directory of the member-version state files (a restart on the
	 * same address never reuses a version, even when the clock steps
	 * back); NULL (default) = the version is the wall clock in ms. */
	const char *state_dir;
	/** Key file (one 32-byte key per line, hex or base64, the first is
	 * the primary; docs/security.md); NULL (default) = in the clear. */
	const char *key_file;
	/** This member's tags at start: "key=value\n"... sorted by key (the
	 * encoding of rumor/tags.h), tags_len bytes, copied; NULL/0
	 * (default) = none. Over rumor_core_tags_max (cfg.tags_max_bytes
	 * and one datagram of cfg.mtu_bytes): RUMOR_E2BIG. */
	const uint8_t *tags;
	size_t tags_len;
	/** The address others reach this member at when it differs from
	 * bind (NAT, a wildcard bind); it is part of the member's id. Port 0
	 * = bind's port. family 0 (default) = bind. */
	struct rumor_addr advertise;
	/** Join/sync connections served at once, 1..65536; 0 (default) =
	 * 128. At most 16 from one IP address; a request must be in within
	 * 2 s (docs/security.md). */
	uint32_t max_stream_conns;
};

/** Member events, as serf names them (docs/event-log.md). */
enum rumor_agent_event {
	RUMOR_AGENT_EV_JOIN,    /**< added to the list (self too, is_self) */
	RUMOR_AGENT_EV_UPDATE,  /**< its tags changed */
	RUMOR_AGENT_EV_SUSPECT, /**< suspected of failure */
	RUMOR_AGENT_EV_ALIVE,   /**< suspicion refuted */
	RUMOR_AGENT_EV_FAIL,    /**< declared failed (a quorum agreed) */
	RUMOR_AGENT_EV_LEAVE,   /**< left voluntarily (self too, is_self) */
	RUMOR_AGENT_EV_REMOVE,  /**< its tombstone was deleted (T_cleanup) */
	RUMOR_AGENT_EV_MAX
};

/** One member as this agent sees it. */
struct rumor_agent_member {
	struct rumor_member_id id;         /**< host:port#version */
	char id_text[RUMOR_ID_STRLEN];     /**< id formatted */
	char addr_text[RUMOR_ADDR_STRLEN]; /**< "host:port" */
	/** In the list: its status. In on_member: what the event makes it
	 * (join, alive, update: alive; suspect; fail: failed; leave: left;
	 * remove: failed, the entry is gone). */
	enum rumor_member_status status;
	/** Its heartbeat counter as last heard (grows while it is alive). */
	uint64_t heartbeat;
	int is_self;
	/** Its tags, encoded "key=value\n"... sorted by key; NULL/0 when it
	 * has none. Valid as long as the member record that holds them
	 * (the callback, or the list until rumor_agent_members_free). */
	const uint8_t *tags;
	size_t tags_len;
};

/** Severity of an on_log line. */
enum rumor_agent_log_level {
	RUMOR_AGENT_LOG_ERROR, /**< the agent stops, or a file failed */
	RUMOR_AGENT_LOG_WARN,  /**< dropped input, failed joins, keys */
	RUMOR_AGENT_LOG_INFO,  /**< start, leave, notices */
	RUMOR_AGENT_LOG_DEBUG  /**< reachability probes (appended in 0.1) */
};

/** Callbacks; any may be NULL. All run on the loop thread. */
struct rumor_agent_callbacks {
	/** A member event; m is valid during the call only. */
	void (*on_member)(struct rumor_agent *a, enum rumor_agent_event ev,
	                  const struct rumor_agent_member *m, void *user);
	/** A diagnostic line (no newline, no clock), what `rumor agent`
	 * prints on stderr. */
	void (*on_log)(struct rumor_agent *a, enum rumor_agent_log_level level,
	               const char *msg, void *user);
	/** The agent stopped running on its own: status 0 after its leave
	 * completed, a negative code after a fatal error (RUMOR_ENOMEM,
	 * RUMOR_EINTERNAL). Its sockets are closing; it still has to be
	 * freed with rumor_agent_stop. Not called after rumor_agent_stop. */
	void (*on_halt)(struct rumor_agent *a, int status, void *user);
	/** Passed to every callback. */
	void *user;
};

/** Completion of rumor_agent_leave: status 0 = left (its leave was
 * announced for cfg.leave_grace_ms), else a negative code (the agent
 * stopped first: RUMOR_ESTATE when rumor_agent_stop came first). */
typedef void (*rumor_agent_leave_cb)(struct rumor_agent *a, int status,
                                     void *arg);
/** Completion of rumor_agent_stop: every handle is closed and the agent
 * is freed (it is not passed: it no longer exists). */
typedef void (*rumor_agent_stop_cb)(void *arg);

/** Defaults: bind 127.0.0.1:0, no seeds, rumor_config_init, no log, no
 * state dir, no key file. */
RUMOR_API void rumor_agent_options_init(struct rumor_agent_options *o);

/**
 * Bind, open the log, create the member and start joining (or start a new
 * group when there are no seeds) on loop. The options are copied (seeds
 * and paths too); cb is copied. On success *out is the agent; it runs
 * until rumor_agent_stop (which frees it). Returns 0, or with *out NULL
 * and err (err_cap bytes, may be NULL) naming the cause:
 * RUMOR_EINVAL (bad options, "bind 127.0.0.1:3000/udp: address already in
 * use", an unreadable key file or log), RUMOR_ENOMEM; RUMOR_ESTATE when
 * a callback run during the start (on_member for its own join, when it
 * starts a group) stopped it (its stop callback still follows). After a
 * failure the handles it had opened close on the loop's next run: run the
 * loop before uv_loop_close.
 */
RUMOR_API int rumor_agent_start(uv_loop_t *loop,
                                const struct rumor_agent_options *o,
                                const struct rumor_agent_callbacks *cb,
                                struct rumor_agent **out, char *err,
                                size_t err_cap);

/**
 * Leave the group: announce the leave for cfg.leave_grace_ms, then close
 * the sockets (on_halt follows with status 0) and call cb (may be NULL)
 * with 0. The agent must still be freed with rumor_agent_stop. Returns 0,
 * or RUMOR_ESTATE when a leave is already under way or the agent has
 * stopped (cb is then not called).
 */
RUMOR_API int rumor_agent_leave(struct rumor_agent *a, rumor_agent_leave_cb cb,
                                void *arg);

/**
 * Stop now (no leave announced: others will detect a failure unless it
 * left first), close every handle, then free the agent and call cb (may
 * be NULL) from the loop once the last handle has closed. A pending
 * leave's callback gets RUMOR_ESTATE first. Call exactly once per started
 * agent; the agent must not be used after this call.
 */
RUMOR_API void rumor_agent_stop(struct rumor_agent *a, rumor_agent_stop_cb cb,
                                void *arg);

/**
 * A copy of the membership list, self first, tombstones (failed, left)
 * included: *out (free with rumor_agent_members_free) holds *n members.
 * Returns 0 or RUMOR_ENOMEM.
 */
RUMOR_API int rumor_agent_members(const struct rumor_agent *a,
                                  struct rumor_agent_member **out, size_t *n);
/** Free a rumor_agent_members list. NULL allowed. */
RUMOR_API void rumor_agent_members_free(struct rumor_agent_member *list);

/** This member's id (its address with the port actually bound). The
 * version changes only when the group declared it failed and it rejoined. */
RUMOR_API struct rumor_member_id rumor_agent_self(const struct rumor_agent *a);

/** Protocol counters since start (struct rumor_stats, rumor/core.h). */
RUMOR_API void rumor_agent_stats(const struct rumor_agent *a,
                                 struct rumor_stats *out);

/**
 * Replace this member's tags with tags[len]: "key=value\n" pairs sorted by
 * key (bytewise), keys unique, non-empty, without "=" or control
 * characters, values without control characters, each pair ending in
 * "\n" (rumor/tags.h; e.g. "role=web\nzone=a\n", 16 bytes); len 0
 * removes them all. Copied: tags is only read during the call. When they
 * differ from the current ones, the group learns them by gossip (a tags
 * version grows by one) and every member, this one included, gets an
 * RUMOR_AGENT_EV_UPDATE with the new tags in the member view; setting
 * the same tags again changes nothing. May be called from a callback.
 * Returns 0; RUMOR_EINVAL (tags NULL with len > 0, or not that
 * encoding); RUMOR_E2BIG when len is over the cap (cfg.tags_max_bytes,
 * 512 by default, or less when one datagram of cfg.mtu_bytes cannot carry
 * them; nothing changed); RUMOR_ESTATE after the agent left or halted, or
 * once rumor_agent_stop was called; RUMOR_ENOMEM.
 */
RUMOR_API int rumor_agent_set_tags(struct rumor_agent *a, const uint8_t *tags,
                                   size_t len);

/** "join", "update", "suspect", "alive", "fail", "leave", "remove"; "?"
 * when out of range. */
RUMOR_API const char *rumor_agent_event_name(enum rumor_agent_event ev);

#ifdef __cplusplus
}
#endif
#endif
