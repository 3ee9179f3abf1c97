/* SPDX-License-Identifier: MIT */
/*
 * rumor core: the membership protocol, sans I/O.
 *
 * The core never touches a socket, a clock, a thread or a global. It is
 * driven by three kinds of input, each carrying the caller's monotonic time
 * in milliseconds:
 *
 *   - received datagrams  (rumor_core_recv_datagram)
 *   - timer expiry        (rumor_core_handle_timeout, at
 * rumor_core_next_deadline)
 *   - commands            (bootstrap, join, leave, stream replies, settings)
 *
 * and produces its output through the callbacks in struct rumor_callbacks:
 * datagrams to send, join streams to open, events for the log, optional
 * message traces and notices. The same code runs under the libuv runtime
 * (src/node) and the deterministic simulator (src/sim).
 *
 * Ownership: buffers passed into the core are borrowed for the duration of
 * the call; buffers and structs the core passes to callbacks are valid only
 * during the callback. Callbacks must not call back into the same core
 * (asserted).
 *
 * Time: every now_ms is the caller's monotonic clock in ms; it must never go
 * backwards between calls on one core (a smaller value is treated as equal
 * to the last one). Wall-clock time never enters the core.
 */
#ifndef RUMOR_CORE_H
#define RUMOR_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "rumor/errors.h"
#include "rumor/export.h"
#include "rumor/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** "no deadline" from rumor_core_next_deadline(). */
#define RUMOR_NO_DEADLINE UINT64_MAX
/** Bytes enough for any formatted address "[v6]:port" plus NUL. */
#define RUMOR_ADDR_STRLEN 56
/** Bytes enough for any formatted member id "host:port#version" plus NUL. */
#define RUMOR_ID_STRLEN 80
/** Protocol version carried first in every message. */
#define RUMOR_PROTO_VERSION RUMOR_WIRE_VERSION
/**
 * The greatest heartbeat and the greatest version a message may carry:
 * 2^53 - 1, the largest integer every JSON reader holds exactly (the event
 * log and `members --json` print both). A decoder refuses a message with a
 * greater one (RUMOR_EWIRE_RANGE), so no counter ever wraps and no log line
 * is refused. A heartbeat growing 1000 times a second reaches it after
 * 285,000 years; versions are Unix ms (year 287,396).
 */
#define RUMOR_NUMBER_MAX ((UINT64_C(1) << 53) - 1)

/** A network address, without any sockaddr (the core has no sockets). */
struct rumor_addr {
	uint8_t family; /**< 4 or 6 */
	uint16_t port;  /**< host byte order, 1..65535 (0 only before bind) */
	uint8_t ip[16]; /**< IPv4 uses the first 4 bytes, the rest zero */
};

/**
 * A member id: host:port#version. The version is fixed when the process
 * starts (conventionally its start time in Unix ms); a restarted process is a
 * new member with a greater version (fail-stop identity).
 */
struct rumor_member_id {
	struct rumor_addr addr;
	uint64_t version; /**< >= 1 */
};

/** Parse "1.2.3.4:5" or "[::1]:5". Returns 0 or RUMOR_EINVAL. */
RUMOR_API int rumor_addr_parse(const char *text, struct rumor_addr *out);
/**
 * Format as "1.2.3.4:5" / "[::1]:5" into buf (cap bytes, RUMOR_ADDR_STRLEN
 * suffices). Returns the length written (without NUL) or RUMOR_ENOSPC.
 */
RUMOR_API int rumor_addr_format(const struct rumor_addr *addr, char *buf,
                                size_t cap);
/** 1 when both addresses are the same family, ip and port, else 0. */
RUMOR_API int rumor_addr_equal(const struct rumor_addr *a,
                               const struct rumor_addr *b);

/** Parse "host:port#version" (numeric host). Returns 0 or RUMOR_EINVAL. */
RUMOR_API int rumor_member_id_parse(const char *text,
                                    struct rumor_member_id *out);
/**
 * Format "host:port#version" into buf (RUMOR_ID_STRLEN suffices). Returns
 * the length written (without NUL) or RUMOR_ENOSPC.
 */
RUMOR_API int rumor_member_id_format(const struct rumor_member_id *id,
                                     char *buf, size_t cap);
/** Total order: by family, ip, port, then version. <0, 0, >0. */
RUMOR_API int rumor_member_id_cmp(const struct rumor_member_id *a,
                                  const struct rumor_member_id *b);

/** What an observer believes about a member. */
enum rumor_member_status {
	RUMOR_STATUS_ALIVE = 0,
	RUMOR_STATUS_SUSPECT = 1,
	RUMOR_STATUS_FAILED = 2,
	RUMOR_STATUS_LEFT = 3,
	RUMOR_STATUS_MAX
};
/** "alive", "suspect", "failed", "left"; "?" when out of range. */
RUMOR_API const char *rumor_status_name(enum rumor_member_status status);

/** Events, one per log line kind that the core observes (DESIGN.md). */
enum rumor_event_kind {
	RUMOR_EV_JOINED,  /**< the observer itself entered the group */
	RUMOR_EV_JOIN,    /**< member added to the observer's list */
	RUMOR_EV_SUSPECT, /**< member suspected */
	RUMOR_EV_ALIVE,   /**< suspicion refuted */
	RUMOR_EV_FAIL,    /**< member declared failed */
	RUMOR_EV_LEAVE,   /**< member left voluntarily */
	RUMOR_EV_REMOVE,  /**< entry deleted after T_cleanup */
	RUMOR_EV_LEFT,    /**< the observer itself left */
	RUMOR_EV_UPDATE,  /**< member's tags changed (newer tags version) */
	RUMOR_EV_MAX
};
/** "joined", "join", "suspect", ... as in the event log. */
const char *rumor_event_name(enum rumor_event_kind kind);

/** How the observer learned what an event reports. */
enum rumor_via {
	RUMOR_VIA_NONE = 0,
	RUMOR_VIA_INTRODUCER, /**< from a join exchange (either side) */
	RUMOR_VIA_GOSSIP,     /**< from another member's gossip */
	RUMOR_VIA_SYNC,       /**< from an anti-entropy exchange */
	RUMOR_VIA_TIMEOUT,    /**< the observer's own failure detector */
	RUMOR_VIA_SUPERSEDED, /**< a newer version of the same host:port */
	RUMOR_VIA_SELF,       /**< the observer's own action */
	RUMOR_VIA_MAX
};
/** "introducer", "gossip", ...; "" for RUMOR_VIA_NONE. */
const char *rumor_via_name(enum rumor_via via);

/** One observed event; valid only during on_event. */
struct rumor_event {
	uint64_t now_ms; /**< core (monotonic) time of the observation */
	enum rumor_event_kind kind;
	struct rumor_member_id observer; /**< the core's own id at the time */
	struct rumor_member_id member;   /**< whom it is about */
	enum rumor_via via;
	uint64_t heartbeat; /**< member's heartbeat as known to the observer */
	/** The member whose message carried the news (the sender of the
	 * gossip datagram, sync or join exchange being merged); version 0
	 * when none: the observer's own detector or action. */
	struct rumor_member_id from;
	/** The member's encoded tags as the observer knows them
	 * (rumor/tags.h) and their version (0: none known); the event log
	 * writes them for JOIN, JOINED and UPDATE. */
	const uint8_t *tags;
	size_t tags_len;
	uint64_t tags_version;
};

/** Message kinds on the wire (also the `kind` of trace lines). */
enum rumor_msg_kind {
	RUMOR_MSG_GOSSIP = 1,     /**< heartbeat gossip (UDP) */
	RUMOR_MSG_PING = 2,       /**< reachability probe (UDP) */
	RUMOR_MSG_PONG = 3,       /**< answer to PING (UDP) */
	RUMOR_MSG_JOIN_REQ = 4,   /**< join request (stream) */
	RUMOR_MSG_JOIN_REPLY = 5, /**< the whole list: answers JOIN_REQ, SYNC */
	RUMOR_MSG_SYNC = 6,       /**< anti-entropy: our whole list (stream) */
	RUMOR_MSG_HEARTBEAT = 7,  /**< own heartbeat to a ring monitor (UDP) */
	RUMOR_MSG_DIGEST = 8, /**< anti-entropy: a digest of our list (UDP) */
	RUMOR_MSG_KIND_MAX
};
/** "gossip", "ping", "pong", "join-req", "join-reply", "sync",
 * "heartbeat", "digest"; "?" else. */
const char *rumor_msg_kind_name(int kind);

enum rumor_trace_dir {
	RUMOR_TRACE_SEND,
	RUMOR_TRACE_RECV,
	RUMOR_TRACE_DROP /**< received, then dropped (drop rate or malformed) */
};

/** One message trace (optional; config.trace). Valid only during on_trace. */
struct rumor_trace {
	uint64_t now_ms;
	enum rumor_trace_dir dir;
	struct rumor_member_id observer;
	struct rumor_addr peer_addr; /**< destination (send) or source */
	struct rumor_member_id peer; /**< peer's id; version 0 when unknown */
	size_t bytes;                /**< datagram size */
	int msg_kind;                /**< enum rumor_msg_kind, 0 if unknown */
	uint64_t msg_id; /**< unique per sender; 0 when undecodable */
	int err;         /**< for DROP: RUMOR_EDROPPED or the decode error */
};

/** Non-log diagnostics for the driver's human-readable output. */
enum rumor_notice_kind {
	RUMOR_NOTICE_JOIN_FAILED,  /**< join attempt failed; `value` = retry ms
	                            */
	RUMOR_NOTICE_REACHABLE,    /**< PONG from `addr`; `value` = RTT ms */
	RUMOR_NOTICE_REJOINED,     /**< self was declared failed: new version */
	RUMOR_NOTICE_BAD_DATAGRAM, /**< malformed datagram from addr; `err` */
	RUMOR_NOTICE_JOIN_REJECTED, /**< a seed refused us; `err`; `value`
	                             * = our version for the next attempt */
	/**
	 * A broken link: a ring predecessor that we watch has not reached
	 * us first hand for T_suspect while others keep hearing it (its
	 * heartbeat still grows through gossip): a one-way loss or a
	 * non-transitive cut between it and us. `addr` is its address,
	 * `value` the ms since its last first-hand heartbeat. Once per
	 * episode; stats.broken_links counts those open now.
	 */
	RUMOR_NOTICE_BROKEN_LINK,
	/**
	 * While joining we were asked to admit a joiner (`addr`): no seed
	 * of ours was a member yet (every member went down), so we started
	 * the group with it; the seeds are still probed every reconnect_ms.
	 */
	RUMOR_NOTICE_STARTED_GROUP,
	/**
	 * A seed (`addr`) refused our join because our address holds a
	 * version at or above ours there (an earlier process used it: its
	 * state directory lost, or the clock behind); we took the next
	 * version above it, `value`, for the next attempt. Record it.
	 */
	RUMOR_NOTICE_VERSION_RAISED
};
struct rumor_notice {
	enum rumor_notice_kind kind;
	struct rumor_addr addr;
	int err;
	uint64_t value;
};

/**
 * Tunables. All times in ms. rumor_config_init() fills the defaults that
 * docs/architecture.md justifies; rumor_config_validate() checks ranges.
 */
struct rumor_config {
	uint32_t
	    t_heartbeat_ms;    /**< own heartbeat to ring monitors, 10..60000 */
	uint32_t t_gossip_ms;  /**< gossip interval, 10..60000 */
	uint32_t fanout;       /**< targets per gossip round, 1..16 */
	uint32_t t_suspect_ms; /**< no heartbeat progress this long: suspect */
	uint32_t t_fail_ms;    /**< suspected this much longer: fail */
	uint32_t t_cleanup_ms; /**< failed/left entries removed after this */
	uint32_t mtu_bytes;    /**< every datagram fits; 256..65000 */
	uint32_t max_members;  /**< table bound, 2..1000000 */
	/**
	 * Each status change is piggybacked retransmit_mult * ceil(log2(N+1))
	 * times (SWIM, Das et al. 2002, section 4.1: lambda log n).
	 */
	uint32_t retransmit_mult;
	uint32_t leave_grace_ms; /**< keep announcing a leave this long */
	uint32_t reconnect_ms; /**< retry seeds and failed addresses; 0 = off */
	/**
	 * How long an address whose member failed is retried (the reconnect
	 * horizon, serf's reconnect_timeout): 1000..4294967295 ms, default
	 * 24 h. A partition shorter than this heals by the retries; the join
	 * seeds are retried for ever whatever it is.
	 */
	uint32_t reconnect_timeout_ms;
	/**
	 * Ring monitors, 0..8: each member sends its heartbeat straight to
	 * this many ring successors every round, and suspects its ring
	 * predecessors after t_suspect_ms; 0 turns the ring off (everyone
	 * uses t_suspect_ms for everyone).
	 */
	uint32_t monitors;
	/**
	 * T_suspect for ring predecessors whose heartbeats do not come first
	 * hand (and, with heartbeat gossip, for members heard only through
	 * it); 0 = derived (docs/architecture.md). >= t_suspect_ms.
	 */
	uint32_t t_suspect_far_ms;
	/**
	 * Heartbeat gossip: 0 (the default) = none: failure detection is the
	 * ring monitors', news is pushed and anti-entropy compares digests,
	 * so nothing needs everyone's heartbeats everywhere. N >= 2: every
	 * round each member sends `fanout` random members a datagram of at
	 * most N entries (its own, news, the freshest heartbeats of others),
	 * and judges members it does not watch by t_suspect_far_ms (the
	 * earlier design: more bytes, fresher heartbeats everywhere).
	 */
	uint32_t gossip_entries;
	/**
	 * Anti-entropy: every t_sync_ms a member sends a random member a
	 * digest of its live members (one datagram); when the digests
	 * differ the two exchange their whole lists over the stream channel
	 * (as memberlist's push-pull). 0 = off, else 1000..3600000.
	 */
	uint32_t t_sync_ms;
	double recv_drop_rate; /**< [0,1]: fraction of received datagrams
	                          dropped */
	int trace;             /**< nonzero: call on_trace for every message */
	/**
	 * Nonzero: refuse replayed datagrams (a 64-id window per sender).
	 * Only meaningful when datagrams are authenticated (the agent sets it
	 * with --key-file): in the clear anyone can forge a fresh datagram,
	 * and a forged id far ahead would make real ones look replayed.
	 */
	int replay_window;
	/**
	 * Cap of this member's own encoded tags (rumor/tags.h), bytes,
	 * 0..65000; default RUMOR_TAGS_MAX_DEFAULT (512, memberlist's). Tags
	 * must also fit one datagram with their entry (rumor_core_tags_max).
	 * Tags received from others are taken up to what a message carries.
	 */
	uint32_t tags_max_bytes;
};

/** Fill cfg with the defaults (the "lan" profile). */
RUMOR_API void rumor_config_init(struct rumor_config *cfg);
/**
 * Fill cfg with the defaults, then the named profile's timings: "lan" (the
 * defaults), "wan", "lean" (docs/architecture.md, "Profiles", gives each
 * one's measured bytes/s and detection time). Returns 0, or RUMOR_EINVAL
 * for an unknown name (cfg untouched).
 */
RUMOR_API int rumor_config_profile(struct rumor_config *cfg, const char *name);
/** The profile names, NULL-terminated (static storage). */
const char *const *rumor_config_profile_names(void);
/**
 * For command lines: apply the last `--profile NAME` (or `--profile=NAME`)
 * of argv[1..argc-1] (before a `--`) to cfg, so that a profile is the base
 * that the other flags change, wherever it stands. argv is not changed.
 * Returns 0 (also with no --profile), or RUMOR_EINVAL with *bad (if not
 * NULL) set to the unknown name (pointing into argv).
 */
int rumor_config_profile_args(struct rumor_config *cfg, int argc, char **argv,
                              const char **bad);

/** The unit of a setting, for parsing and help. */
enum rumor_config_unit {
	RUMOR_CONFIG_MS,    /**< a duration in ms */
	RUMOR_CONFIG_COUNT, /**< a plain number */
	RUMOR_CONFIG_BYTES  /**< a size in bytes */
};

/**
 * One uint32_t setting of struct rumor_config as a command-line flag:
 * every program that takes the protocol's settings offers these names.
 */
struct rumor_config_flag {
	const char *name; /**< long option without dashes ("gossip-ms") */
	enum rumor_config_unit unit;
	const char *help;  /**< one line */
	size_t offset;     /**< of the uint32_t field in struct rumor_config */
	const char *field; /**< its name, as rumor_config_validate reports it */
	const char *range; /**< the accepted values, for error messages */
};
/** The table (static storage); *n receives its length. */
const struct rumor_config_flag *rumor_config_flags(size_t *n);
/** The flag of a field named as rumor_config_validate names it, or NULL. */
const struct rumor_config_flag *rumor_config_flag_of_field(const char *field);
/** The field of cfg that flag f sets (range checks: rumor_config_validate). */
uint32_t *rumor_config_field(struct rumor_config *cfg,
                             const struct rumor_config_flag *f);
/**
 * Check every field's range. Returns 0, or RUMOR_EINVAL with *bad_field (if
 * not NULL) set to the name of the first bad field (static storage).
 */
RUMOR_API int rumor_config_validate(const struct rumor_config *cfg,
                                    const char **bad_field);

/**
 * What the core asks of its driver. user is passed back unchanged. Only
 * send_datagram and on_event are required.
 */
struct rumor_callbacks {
	/**
	 * Send one datagram of len bytes (<= mtu_bytes) to `to`. data is valid
	 * only during the call. Return 0 or a negative code (counted in
	 * stats.send_errors; never fatal).
	 */
	int (*send_datagram)(void *user, const struct rumor_addr *to,
	                     const uint8_t *data, size_t len);
	/**
	 * Open a join stream (TCP) to `to` and send req (one message body;
	 * the driver frames it). The driver later calls rumor_core_stream_reply
	 * or rumor_core_stream_failed with the same stream_id. Return 0, or a
	 * negative code to fail at once (as if stream_failed was called).
	 * NULL: joining is impossible (rumor_core_join returns RUMOR_ESTATE).
	 */
	int (*stream_open)(void *user, uint64_t stream_id,
	                   const struct rumor_addr *to, const uint8_t *req,
	                   size_t len);
	/** Every event, in order. */
	void (*on_event)(void *user, const struct rumor_event *ev);
	/** Message traces, when config.trace is set. May be NULL. */
	void (*on_trace)(void *user, const struct rumor_trace *tr);
	/** Diagnostics for humans. May be NULL. */
	void (*on_notice)(void *user, const struct rumor_notice *n);
};

/** Lifecycle of a core. */
enum rumor_core_state {
	RUMOR_STATE_IDLE,    /**< created; answers pings only */
	RUMOR_STATE_JOINING, /**< join streams outstanding or retrying */
	RUMOR_STATE_ACTIVE,  /**< a member of the group */
	RUMOR_STATE_LEAVING, /**< announcing its leave for leave_grace_ms */
	RUMOR_STATE_LEFT     /**< done; the driver may free it */
};

struct rumor_core;

/**
 * Create a core for member `self` (address and version). cfg, cb and self
 * are copied. rng_seed seeds the core's only randomness (xoshiro256**).
 * Returns 0, RUMOR_EINVAL (bad cfg, self or callbacks), or RUMOR_ENOMEM.
 */
int rumor_core_new(struct rumor_core **out, const struct rumor_config *cfg,
                   const struct rumor_callbacks *cb, void *user,
                   const struct rumor_member_id *self, uint64_t rng_seed,
                   uint64_t now_ms);
/** Free the core and everything it owns. NULL is allowed. No callbacks. */
void rumor_core_free(struct rumor_core *core);

/**
 * Start a new group with this member as its only member (the introducer of
 * a fresh cluster). Emits RUMOR_EV_JOINED. RUMOR_ESTATE unless IDLE.
 */
int rumor_core_bootstrap(struct rumor_core *core, uint64_t now_ms);
/**
 * Join through any of the n seed addresses (an introducer or any live
 * member). The core opens a stream to the first, and on failure tries the
 * next, with backoff from 250 ms doubling to 5000 ms, until one answers.
 * The seeds are also remembered and retried every reconnect_ms while none
 * of them is a live member (an introducer that restarted learns the group
 * again). Returns 0, RUMOR_EINVAL (n == 0), RUMOR_ESTATE (not IDLE, or no
 * stream_open callback) or RUMOR_ENOMEM.
 */
int rumor_core_join(struct rumor_core *core, uint64_t now_ms,
                    const struct rumor_addr *seeds, size_t n);
/**
 * Replace the seed list given to rumor_core_join (copied), e.g. with the
 * addresses a DNS name resolves to now: later join attempts and reconnect
 * probes use the new list. Returns 0, RUMOR_EINVAL (n == 0), RUMOR_ESTATE
 * (rumor_core_join was never called) or RUMOR_ENOMEM (list unchanged).
 */
int rumor_core_set_seeds(struct rumor_core *core,
                         const struct rumor_addr *seeds, size_t n);
/**
 * Force-leave a failed member (serf's force-leave): record that `id` left,
 * spread it as news (every member turns its `fail` into `leave`), stop
 * retrying its address; its entry is removed after T_cleanup. Works on a
 * failed entry, or on the id that failed last on its address after its
 * entry was removed. Returns 0 (also when it has left already),
 * RUMOR_ESTATE when it is alive or suspect (only a failed member can be
 * force-left) or we are not ACTIVE, RUMOR_EINVAL when we know no failure
 * of that id.
 */
int rumor_core_force_leave(struct rumor_core *core, uint64_t now_ms,
                           const struct rumor_member_id *id);
/**
 * Leave voluntarily: announce the leave for leave_grace_ms, then emit
 * RUMOR_EV_LEFT and enter RUMOR_STATE_LEFT. RUMOR_ESTATE when not ACTIVE
 * (or JOINING, which just stops).
 */
int rumor_core_leave(struct rumor_core *core, uint64_t now_ms);
/** Change the receive drop rate, [0,1]. RUMOR_EINVAL outside. */
int rumor_core_set_recv_drop_rate(struct rumor_core *core, double rate);

/**
 * A datagram arrived from `from`. Returns 0 when it was processed, or the
 * (non-fatal) reason it was dropped: RUMOR_EDROPPED (receive drop rate) or
 * a RUMOR_EWIRE_* decode error; dropped datagrams change no state except
 * the stats counters. Fatal: RUMOR_ENOMEM.
 */
int rumor_core_recv_datagram(struct rumor_core *core, uint64_t now_ms,
                             const struct rumor_addr *from, const uint8_t *data,
                             size_t len);
/** Run due timers (gossip round, detector, join retry). Returns 0 or fatal. */
int rumor_core_handle_timeout(struct rumor_core *core, uint64_t now_ms);
/** Absolute ms of the next timer, or RUMOR_NO_DEADLINE. */
uint64_t rumor_core_next_deadline(const struct rumor_core *core);

/**
 * Introducer side of a join stream: one whole request body in, one whole
 * reply body out, written into reply (reply_cap bytes; see
 * rumor_core_stream_reply_bound). Returns 0 with *reply_len set; a
 * RUMOR_EWIRE_* error for a bad request (no reply; close the stream);
 * RUMOR_ENOSPC with *reply_len set to the size needed; RUMOR_ESTATE when
 * this core is not ACTIVE (no reply). A refused joiner gets a reply that
 * says why (RUMOR_EREJECTED).
 */
int rumor_core_stream_serve(struct rumor_core *core, uint64_t now_ms,
                            const struct rumor_addr *peer, const uint8_t *req,
                            size_t req_len, uint8_t *reply, size_t reply_cap,
                            size_t *reply_len);
/** Upper bound in bytes of a join reply for the current table. */
size_t rumor_core_stream_reply_bound(const struct rumor_core *core);
/**
 * Joiner side: the reply for stream_id arrived. Returns 0, a RUMOR_EWIRE_*
 * error (treated as a failed stream: retried), or RUMOR_EINVAL for an
 * unknown stream_id (ignored).
 */
int rumor_core_stream_reply(struct rumor_core *core, uint64_t now_ms,
                            uint64_t stream_id, const uint8_t *reply,
                            size_t len);
/** Joiner side: stream_id failed with err (any negative code). */
int rumor_core_stream_failed(struct rumor_core *core, uint64_t now_ms,
                             uint64_t stream_id, int err);

/** A read-only view of one membership-list entry. */
struct rumor_member_view {
	struct rumor_member_id id;
	enum rumor_member_status status;
	uint64_t heartbeat;
	uint64_t last_progress_ms; /**< core time of last heartbeat progress */
	/** Core time of its last heartbeat straight to us (only ring
	 * predecessors send them), 0 = never. */
	uint64_t direct_ms;
	/** 1: a ring predecessor whose heartbeats reach others but not us
	 * (RUMOR_NOTICE_BROKEN_LINK). */
	int link_broken;
	/** Distinct members whose accusation of it counts now (suspect
	 * and failed members; docs/architecture.md, "Failure needs a
	 * quorum"). */
	int accusers;
	int is_self;
	/** Its encoded tags (rumor/tags.h; tags_len 0: none) and their
	 * version (grows with each change; 0: none known). */
	const uint8_t *tags;
	size_t tags_len;
	uint64_t tags_version;
};
/** Entries in the list (self and tombstoned failed/left ones included). */
size_t rumor_core_member_count(const struct rumor_core *core);
/** Call visit for every entry, self first; no allocation. */
void rumor_core_visit_members(const struct rumor_core *core,
                              void (*visit)(void *arg,
                                            const struct rumor_member_view *m),
                              void *arg);
/** The core's own id (its version changes only on a forced rejoin). */
const struct rumor_member_id *rumor_core_self(const struct rumor_core *core);
enum rumor_core_state rumor_core_state(const struct rumor_core *core);
const struct rumor_config *rumor_core_config(const struct rumor_core *core);

/**
 * Set this member's tags to the canonical encoding tags[len] (rumor/tags.h;
 * copied). When they differ from the current ones, the tags version grows
 * by one, RUMOR_EV_UPDATE is emitted (once the member is in a group) and
 * the tags go out as news (and in join requests, join replies and syncs);
 * heartbeats never carry them. Allowed in any state but LEFT. Returns 0;
 * RUMOR_EINVAL (not canonical); RUMOR_E2BIG when len exceeds
 * rumor_core_tags_max (nothing changed); RUMOR_ESTATE; RUMOR_ENOMEM.
 */
int rumor_core_set_tags(struct rumor_core *core, const uint8_t *tags,
                        size_t len);
/** This member's encoded tags (valid until the next set); *len their size,
 * *version their version (0 before any). */
const uint8_t *rumor_core_tags(const struct rumor_core *core, size_t *len,
                               uint64_t *version);
/**
 * Largest encoded tags this member may set: config.tags_max_bytes, or less
 * when a datagram of mtu_bytes cannot carry that much with its entry.
 */
size_t rumor_core_tags_max(const struct rumor_core *core);

/** Counters since rumor_core_new. */
struct rumor_stats {
	uint64_t datagrams_sent, bytes_sent, send_errors;
	uint64_t datagrams_recv, bytes_recv;
	uint64_t recv_dropped;   /**< by the receive drop rate */
	uint64_t recv_malformed; /**< by any RUMOR_EWIRE_* error */
	uint64_t malformed_by_err[-RUMOR_ERROR_MIN + 1]; /**< index -err */
	uint64_t gossip_rounds;
	uint64_t streams_served, streams_opened, streams_failed;
	uint64_t suspicions, refutations, failures_declared;
	/** Times our own health was in doubt (we did not hear our ring
	 * predecessors) when our detector was due to accuse or fail a
	 * member: the decision waited (docs/architecture.md). */
	uint64_t withheld;
	/** Failure claims refused because we had heard the member alive
	 * after its accusers' last news of it. */
	uint64_t vetoed;
	/** Failure decisions that our ill health postponed by more than
	 * T_suspect, given the suspect a new refutation window instead of
	 * being taken on accusations as old as our doubt. */
	uint64_t reopened;
	/** Ring predecessors whose link to us is broken now (a gauge, not
	 * a counter; RUMOR_NOTICE_BROKEN_LINK). */
	uint64_t broken_links;
	/** Full list exchanges we opened (anti-entropy, after the digests
	 * differed). */
	uint64_t syncs;
	/** Bytes of stream messages we sent (join requests, syncs, join
	 * replies we served), without the driver's framing. */
	uint64_t stream_bytes_sent;
	/** By message kind (index enum rumor_msg_kind): datagrams and
	 * stream messages sent and their bytes; datagrams received that
	 * decoded, and their bytes. */
	uint64_t sent_by_kind[RUMOR_MSG_KIND_MAX];
	uint64_t sent_bytes_by_kind[RUMOR_MSG_KIND_MAX];
	uint64_t recv_by_kind[RUMOR_MSG_KIND_MAX];
	uint64_t recv_bytes_by_kind[RUMOR_MSG_KIND_MAX];
};
void rumor_core_stats(const struct rumor_core *core, struct rumor_stats *out);

/* ---- stand-alone wire helpers (for `rumor ping` and tests) ---- */

/**
 * Encode a PING with `nonce` from `from` (may be NULL for an anonymous
 * prober) into buf (cap bytes; 64 suffice). Returns the length or
 * RUMOR_ENOSPC.
 */
int rumor_wire_encode_ping(uint8_t *buf, size_t cap,
                           const struct rumor_member_id *from, uint64_t nonce);
/**
 * Decode a PONG. On success returns 0 and sets *nonce and *responder.
 * Otherwise a RUMOR_EWIRE_* error.
 */
int rumor_wire_decode_pong(const uint8_t *buf, size_t len, uint64_t *nonce,
                           struct rumor_member_id *responder);

#ifdef __cplusplus
}
#endif
#endif
