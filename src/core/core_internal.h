/* SPDX-License-Identifier: MIT */
/*
 * The core's private state, shared by its modules:
 *
 *   core.c        entry points, clocks, events, deadlines
 *   members.c     the membership table (by id), address slots (version
 *                 floors = tombstones), the live array (gossip targets) and
 *                 the freshness lists (which heartbeats to send first)
 *   dissem.c      the piggyback queue of status changes with retransmit
 *                 budgets (SWIM's infection-style dissemination)
 *   merge.c       applying received entries: the merge rules
 *   detector_hb.c the heartbeat failure detector (suspect, fail, cleanup)
 *   gossip.c      gossip rounds: packing datagrams to the MTU, targets,
 *                 reconnect probes, ping/pong
 *   join.c        the join exchange over the stream channel, both sides
 *   wire*.c       the MessagePack codec
 */
#ifndef RUMOR_CORE_INTERNAL_H
#define RUMOR_CORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XXH_INLINE_ALL /* short keys: no call, constants folded */
#include <xxhash.h>

/*
 * uthash keys the address slots (members are in index.c). Its default
 * (Jenkins) hash was slow on our packed keys, which differ only in a few
 * bytes; xxHash's XXH3 is several times faster and spreads them as well.
 */
#define HASH_FUNCTION(keyptr, keylen, hashv)                                   \
	((hashv) = (unsigned)XXH3_64bits((keyptr), (keylen)))
#include <uthash.h>
/* Expand buckets earlier: chains of ~10 (uthash's default) cost a cache miss
 * per link on every lookup of an address. uthash defines the value
 * unconditionally; its macros read it where they are expanded. Not lower
 * than about 5: the largest bucket of N random keys in N buckets holds
 * ~log N / log log N of them, and a smaller threshold keeps doubling the
 * bucket array far past N (birthday collisions). */
#undef HASH_BKT_CAPACITY_THRESH
#define HASH_BKT_CAPACITY_THRESH 5U

#include "rumor/rng.h"
#include "rumor/core.h"
#include "wire.h"

/** Packed hash key of a member id (no padding bytes). */
#define ID_KEY_LEN 27
/** Packed hash key of an address. */
#define ADDR_KEY_LEN 19

/**
 * Freshness levels. Levels 0..FRESH_HOP_LEVELS-1 hold entries whose
 * heartbeat advanced since they were last sent, by the hops that heartbeat
 * travelled (FIFO within a level); once sent, an entry goes to the tail of
 * the last level, which rotates, so every entry is still sent regularly
 * (anti-entropy) while new heartbeats, nearest first, go first.
 */
#define FRESH_HOP_LEVELS 8
#define FRESH_LEVELS     (FRESH_HOP_LEVELS + 1)

struct dissem_item;
struct addr_slot;

/** Upper bound of config.monitors. */
#define MAX_MONITORS 8

/** A slot of the detector's deadline heap. */
struct dl_slot {
	uint64_t key; /**< deadline, ms */
	struct member *m;
};

/** A member's place on the monitoring ring (ring.c); m NULL for self. */
struct ring_slot {
	uint64_t hash;
	struct member *m;
};
struct packer;

/**
 * One entry of the membership list. The fields are grouped by cache line
 * (entries are allocated 64-byte aligned): the first holds all that a
 * received entry's lookup and merge read (index.c, merge.c) and all that
 * packing it into a datagram reads (gossip.c: the freshness list is walked
 * by fresh_next). In the simulator, with N tables of N entries, these cache
 * misses are most of the cost (docs/sim.md, Speed).
 */
struct member {
	/* line 1: lookup, merge, packing */
	struct rumor_member_id id; /**< the index key */
	uint64_t heartbeat;
	uint64_t last_progress_ms; /**< local time the heartbeat last grew */
	struct member *fresh_next;
	uint8_t status; /**< enum rumor_member_status */
	uint8_t hops;   /**< hops the current heartbeat travelled to us */
	bool watched;   /**< one of our ring predecessors: tight T_suspect */
	int8_t fresh_level; /**< -1 when in no list */
	uint32_t dl_index;  /**< in core->dl_heap, or UINT32_MAX */
	/* line 2 and on: colder */
	struct member *fresh_prev;
	uint32_t live_index; /**< in core->live, or UINT32_MAX */
	uint64_t direct_ms;  /**< last heartbeat straight from it, 0 = never */
	uint64_t rx_max_id;  /**< greatest message id received from it */
	uint64_t rx_window;  /**< bit i set: id rx_max_id - i was received */
	uint64_t watched_since_ms; /**< when we began watching it */
	uint64_t status_since_ms;  /**< local time of the last status change */
	uint64_t answered_ms;      /**< last direct answer about it (merge.c) */
	struct dissem_item *dissem; /**< pending news about it, or NULL */
	struct addr_slot *slot;
	uint64_t ring_hash; /**< place on the monitoring ring */
	/** Accusations of the current suspicion (suspicion.c), or NULL. */
	struct accusations *acc;
	/** While watched: bit i set when one of its ring heartbeats came
	 * first hand i of our heartbeat ticks ago (local health). */
	uint64_t hb_bits;
	/** A watched predecessor heard of but not from (RUMOR_NOTICE_
	 * BROKEN_LINK told once per episode). */
	bool link_broken;
	/** The greatest heartbeat it sent us first hand (heartbeat.c). */
	uint64_t direct_hb;
	/** Its tags (tags.c: malloc'ed, tags_len bytes, NULL when none)
	 * and their version: 0 = none known, the newer version wins. */
	uint8_t *tags;
	uint32_t tags_len;
	uint64_t tags_ver;
};

/**
 * Who suspects a member and at which of its heartbeats (suspicion.c):
 * a suspicion becomes a failure only when enough distinct members accuse
 * it (the quorum), which one sick member cannot produce alone.
 */
struct accusations {
	uint8_t n;
	struct wire_accusation a[WIRE_ACCUSATIONS_MAX];
	uint64_t quorum_since_ms; /**< when the quorum was first held; 0 */
	uint64_t accused_ms;      /**< when we accused it ourselves; 0 */
	bool broadcast;           /**< pushed as news to everyone */
	bool escalated;           /**< we broadcast our accusation, unrefuted */
	/** When we first told the member it is suspected (gossip.c); 0. An
	 * answer (a refutation) is due within T_suspect: none, and we
	 * accuse it too (detector_hb.c). */
	uint64_t told_ms;
};

/** A slot of the member index (index.c); m NULL when empty. */
struct index_slot {
	uint64_t hash;
	struct member *m;
};

/** The member index: open addressing, at most half full. */
struct member_index {
	struct index_slot *slots; /**< mask + 1 of them, or NULL */
	uint32_t mask;
	uint32_t count;
	uint64_t seed; /**< of the hash, per core */
};

/**
 * Per host:port: the greatest version known dead (the tombstone that
 * survives removal), and the member currently using the address.
 */
struct addr_slot {
	uint8_t key[ADDR_KEY_LEN];
	struct rumor_addr addr;
	uint64_t dead_floor; /**< versions <= this are dead forever */
	uint64_t dead_since_ms;
	struct member *current;   /**< newest known version, may be NULL */
	uint32_t reconnect_index; /**< in core->reconnect, or UINT32_MAX */
	uint64_t told_dead_ms;    /**< last rumor__gossip_tell_dead to it */
	uint64_t failed_version;  /**< greatest version we saw fail here */
	uint64_t left_version;    /**< greatest version we saw leave here */
	UT_hash_handle hh;
};

/** One pending piece of news (the member's current state) to piggyback. */
struct dissem_item {
	struct member *member; /**< NULL for the self entry */
	bool is_self;
	/** The member's tags are news too: its entry carries them. */
	bool tags;
	uint32_t transmits;
	struct dissem_item *prev, *next; /**< in the list of its count */
};

/** Join attempt state (joiner side). */
struct join_state {
	struct rumor_addr *seeds;
	size_t n_seeds, next_seed;
	size_t next_probe;    /**< the seed the next reconnect probe tries */
	uint64_t stream_id;   /**< outstanding stream, 0 if none */
	uint64_t retry_at_ms; /**< RUMOR_NO_DEADLINE when not waiting */
	uint32_t backoff_ms;
};

#define DISSEM_MAX_TRANSMITS 64
#define PING_SLOTS           8

struct rumor_core {
	struct rumor_config cfg;
	struct rumor_callbacks cb;
	void *user;
	struct rumor_rng rng;
	enum rumor_core_state state;
	bool in_callback;

	/* self */
	struct rumor_member_id self_id;
	uint64_t self_heartbeat;
	enum rumor_member_status self_status;
	struct dissem_item *self_dissem;
	uint32_t self_answers; /**< direct refutations sent this round */
	uint8_t *self_tags;    /**< malloc'ed, or NULL when none */
	uint32_t self_tags_len;
	uint64_t self_tags_ver; /**< grows with each change; 0 = none */
	/** Bytes of the tags of the members in the table (the bound of a
	 * join reply: rumor_core_stream_reply_bound). */
	size_t tags_bytes;

	/* clocks */
	uint64_t now_ms; /**< last time seen */
	uint64_t created_ms;
	uint64_t next_round_ms;
	uint64_t next_heartbeat_ms;
	uint64_t next_sync_ms;
	uint64_t sync_stream_id; /**< outstanding sync, 0 if none */
	uint64_t sync_deadline_ms;
	uint64_t sync_fast_until_ms; /**< views differed lately (sync.c) */
	uint64_t next_detect_ms;
	uint64_t next_reconnect_ms;
	uint64_t leave_done_ms;

	/* the table */
	struct member_index members; /**< by id key; self not included;
	                                  members.count entries */
	struct addr_slot *slots;     /**< uthash by address key */
	struct member **live;        /**< alive + suspect, for target choice */
	uint32_t n_live, cap_live;
	struct member *fresh_head[FRESH_LEVELS], *fresh_tail[FRESH_LEVELS];
	/* monitoring ring (ring.c) */
	uint64_t self_hash;
	struct ring_slot *ring;
	uint32_t n_ring, cap_ring;
	struct member *succ[MAX_MONITORS]; /**< who watches us */
	uint32_t n_succ;
	struct member *pred[MAX_MONITORS]; /**< whom we watch */
	uint32_t n_pred;
	/** XOR of the ring hashes of the live members (self excluded): the
	 * digest anti-entropy compares (sync.c) */
	uint64_t live_digest;
	struct addr_slot **reconnect; /**< addresses with no live member */
	uint32_t n_reconnect, cap_reconnect;

	/* detector deadlines (detector_hb.c): keys kept in the array so that
	 * sifting never touches the members */
	struct dl_slot *dl_heap;
	uint32_t n_dl, cap_dl;

	/* dissemination: lists by transmit count */
	struct dissem_item *dissem_head[DISSEM_MAX_TRANSMITS];
	struct dissem_item *dissem_tail[DISSEM_MAX_TRANSMITS];
	size_t n_dissem;

	/* messages */
	uint64_t next_msg_id;
	uint8_t *pkt;          /**< mtu_bytes scratch for outgoing datagrams */
	struct packer *packer; /**< what the datagram being built carries */
	struct wire_entry *rx_entries; /**< decode scratch */
	/** The sender of the datagram being merged, when it is a known
	 * member (set by the replay check; valid during one recv only). */
	struct member *rx_sender;
	/** The sender of the message being merged (events' `from`); version
	 * 0 outside a merge and when the message names no sender. */
	struct rumor_member_id rx_from;
	size_t rx_cap;

	/* join */
	struct join_state join;
	uint64_t next_stream_id;
	struct {
		struct rumor_addr addr;
		uint64_t nonce, sent_ms;
	} pings[PING_SLOTS];

	/* the last two distinct members heard from, and when (local health
	 * when no ring predecessor can tell) */
	struct rumor_member_id heard_id[2];
	uint64_t heard_ms[2];
	/* an accusation or failure decision was withheld by ill health: no
	 * detector deadline before this (suspicion.c) */
	uint64_t withheld_until_ms;
	/* we took a new version after being failed, at this time, and the
	 * group has not acknowledged it yet (suspicion.c); 0 otherwise */
	uint64_t rejoined_ms;

	struct rumor_stats stats;
};

/* core.c */
void rumor__emit(struct rumor_core *core, enum rumor_event_kind kind,
                 const struct rumor_member_id *member, enum rumor_via via,
                 uint64_t heartbeat);
/** rumor__emit with the member's tags (valid during the call). */
void rumor__emit_tags(struct rumor_core *core, enum rumor_event_kind kind,
                      const struct rumor_member_id *member, enum rumor_via via,
                      uint64_t heartbeat, const uint8_t *tags, size_t tags_len,
                      uint64_t tags_ver);
void rumor__notice(struct rumor_core *core, enum rumor_notice_kind kind,
                   const struct rumor_addr *addr, int err, uint64_t value);
int rumor__send(struct rumor_core *core, const struct rumor_addr *to,
                const struct rumor_member_id *to_id, int kind, uint64_t msg_id,
                const uint8_t *data, size_t len);
uint64_t rumor__next_msg_id(struct rumor_core *core);
/** A stream message of len bytes goes to `to` (counted, traced). */
void rumor__stream_sent(struct rumor_core *core, const struct rumor_addr *to,
                        int kind, uint64_t msg_id, size_t len);

/* index.c */
uint64_t rumor__index_hash(const struct member_index *idx, const uint8_t *key);
/** rumor__index_hash of id's key (rumor__id_key). A batch of lookups builds
 * its keys first and hashes them after (see merge.c). */
uint64_t rumor__index_hash_id(const struct member_index *idx,
                              const struct rumor_member_id *id);
/** The entry with this id, or NULL; hash is rumor__index_hash of its key
 * (rumor__id_key). */
struct member *rumor__index_find(const struct member_index *idx, uint64_t hash,
                                 const struct rumor_member_id *id);
/** Start loading the slots, then the entries, of n keys by their hashes, so
 * that a datagram's lookups wait for memory once, not once each. */
void rumor__index_prefetch(const struct member_index *idx,
                           const uint64_t *hashes, size_t n);
/** Add m (its id set, not yet present). 0 or RUMOR_ENOMEM. */
int rumor__index_insert(struct member_index *idx, struct member *m);
/** Remove m, which must be present. */
void rumor__index_remove(struct member_index *idx, const struct member *m);
/** Iterate: *pos starts at 0; NULL at the end. No insert or remove during
 * an iteration (both move entries). */
struct member *rumor__index_next(const struct member_index *idx, uint32_t *pos);
void rumor__index_free(struct member_index *idx);

/* members.c */
void rumor__id_key(const struct rumor_member_id *id, uint8_t key[ID_KEY_LEN]);
struct member *rumor__member_find(struct rumor_core *core,
                                  const struct rumor_member_id *id);
struct addr_slot *rumor__slot_get(struct rumor_core *core,
                                  const struct rumor_addr *addr, bool create);
struct member *rumor__member_add(struct rumor_core *core,
                                 const struct wire_entry *e, uint64_t now_ms);
void rumor__member_delete(struct rumor_core *core, struct member *m);
void rumor__member_set_status(struct rumor_core *core, struct member *m,
                              enum rumor_member_status status, uint64_t now_ms);
void rumor__member_progress(struct rumor_core *core, struct member *m,
                            uint64_t heartbeat, uint8_t hops, uint64_t now_ms);
void rumor__fresh_sent(struct rumor_core *core, struct member *m);
void rumor__slot_mark_dead(struct rumor_core *core, struct addr_slot *slot,
                           uint64_t version, uint64_t now_ms, bool retry);
void rumor__reconnect_expire(struct rumor_core *core, uint64_t now_ms);
void rumor__member_to_entry(const struct member *m, struct wire_entry *e);
void rumor__self_to_entry(const struct rumor_core *core, struct wire_entry *e);
bool rumor__is_live(enum rumor_member_status status);

/* core_tags.c */
/** The digest term of a member's tags (0 when tags_ver is 0): XORed into
 * the anti-entropy digest beside its ring hash, so that views differing
 * only in tags differ in digest. */
uint64_t rumor__tags_term(uint64_t ring_hash, uint64_t tags_ver);
/** Adopt e's tags for m when newer (m live). Returns true when taken. */
bool rumor__tags_adopt(struct rumor_core *core, struct member *m,
                       const struct wire_entry *e);
/** Merge e's tags into the known m: newer ones are taken, logged
 * (RUMOR_EV_UPDATE) and pushed as news. */
void rumor__tags_merge(struct rumor_core *core, struct member *m,
                       const struct wire_entry *e, enum rumor_via via);
/** m's entry with its tags (join replies, syncs, tags news). */
void rumor__member_to_entry_tags(const struct member *m, struct wire_entry *e);
/** Our own entry with our tags. */
void rumor__self_to_entry_tags(const struct rumor_core *core,
                               struct wire_entry *e);
/** Free m's tags (and uncount them). */
void rumor__tags_drop(struct rumor_core *core, struct member *m);
/** Emit kind about m with its tags. */
void rumor__emit_member(struct rumor_core *core, enum rumor_event_kind kind,
                        const struct member *m, enum rumor_via via);

/* dissem.c */
/** Queue m's tags (and state) as news. */
int rumor__dissem_push_tags(struct rumor_core *core, struct member *m);
/** Queue our own tags (and state) as news. */
int rumor__dissem_push_self_tags(struct rumor_core *core);
uint32_t rumor__dissem_limit(const struct rumor_core *core);
int rumor__dissem_push(struct rumor_core *core, struct member *m);
int rumor__dissem_push_self(struct rumor_core *core);
void rumor__dissem_drop(struct rumor_core *core, struct dissem_item *item);
/** Items in send order (fewest transmits first); iterate with next. */
struct dissem_item *rumor__dissem_first(struct rumor_core *core);
struct dissem_item *rumor__dissem_next(struct rumor_core *core,
                                       struct dissem_item *item);
/** Count one transmission; the item may be freed (returns next item). */
void rumor__dissem_sent(struct rumor_core *core, struct dissem_item *item);

/* ring.c */
uint64_t rumor__id_hash(const struct rumor_member_id *id);
/** m (NULL: ourselves) enters the ring; monitors are recomputed. */
void rumor__ring_add(struct rumor_core *core, struct member *m);
/** m (NULL: ourselves) leaves the ring; no pointer to it is kept. */
void rumor__ring_del(struct rumor_core *core, struct member *m);
/** The members (ourselves excepted) among m's `monitors` successors on our
 * ring: who watches m, as far as we know. At most max; returns how many. */
uint32_t rumor__ring_watchers(const struct rumor_core *core,
                              const struct member *m, struct member **out,
                              uint32_t max);

/* merge.c */
void rumor__merge_entry(struct rumor_core *core, uint64_t now_ms,
                        const struct rumor_addr *from,
                        const struct wire_entry *e, enum rumor_via via);
void rumor__merge_message(struct rumor_core *core, uint64_t now_ms,
                          const struct rumor_addr *from,
                          const struct wire_msg *msg, enum rumor_via via);

/* suspicion.c */
/** Heartbeats by which an accusation may trail the newest one known and
 * still count: T_suspect / (2 T_heartbeat), rounded up. */
uint64_t rumor__acc_slack(const struct rumor_core *core);
/** Distinct accusers a failure needs: 2, or 1 with one other member. */
uint32_t rumor__acc_quorum(const struct rumor_core *core);
/** Accusations of m that count now; *tight set when one is tight. */
uint32_t rumor__acc_count(const struct rumor_core *core, const struct member *m,
                          bool *tight);
/** Has accuser (NULL: ourselves) a counting accusation of m? */
bool rumor__acc_by(const struct rumor_core *core, const struct member *m,
                   const struct rumor_member_id *accuser);
/** Add or raise one accusation of m. false without memory. */
bool rumor__acc_add(struct member *m, const struct wire_accusation *a);
/** Add the accusations a received entry carries (ours are ignored). */
void rumor__acc_merge(struct rumor_core *core, struct member *m,
                      const struct wire_entry *e);
void rumor__acc_clear(struct member *m);
/** May we accuse m (or fail it) now, or is our own health in doubt? */
bool rumor__healthy(struct rumor_core *core, const struct member *m,
                    uint64_t now_ms);
/** Set m's status from its accusations (suspect / alive) and the quorum
 * time; events and news go out as `via`. */
void rumor__acc_update(struct rumor_core *core, struct member *m,
                       uint64_t now_ms, enum rumor_via via);
/** Notice the predecessors whose heartbeats reach others but not us. */
void rumor__links_check(struct rumor_core *core, uint64_t now_ms);
/** Must everyone hear of m's suspicion yet (a quorum, or escalated)? */
bool rumor__acc_worth_news(const struct rumor_core *core,
                           const struct member *m);
/** m's suspicion straight to m and to its other ring watchers. */
void rumor__acc_tell(struct rumor_core *core, struct member *m);
/** A local suspicion of m raised by others lapses unconfirmed. */
void rumor__acc_lapse(struct rumor_core *core, struct member *m,
                      uint64_t now_ms);
/** Our accusation of m stood T_fail unrefuted: broadcast it. */
void rumor__acc_escalate(struct rumor_core *core, struct member *m);
/** A datagram from sender arrived (local health). */
void rumor__heard(struct rumor_core *core, const struct rumor_member_id *sender,
                  uint64_t now_ms);

/* detector_hb.c */
void rumor__detector_run(struct rumor_core *core, uint64_t now_ms);
void rumor__detector_shift(struct rumor_core *core, uint64_t gap_ms);
void rumor__detector_note(struct rumor_core *core, struct member *m);
void rumor__detector_forget(struct rumor_core *core, struct member *m);
uint64_t rumor__t_suspect_far(const struct rumor_core *core);

/* gossip.c */
struct packer *rumor__packer_new(uint32_t mtu_bytes);
void rumor__gossip_round(struct rumor_core *core, uint64_t now_ms);
void rumor__heartbeat_tick(struct rumor_core *core);
void rumor__gossip_send_to(struct rumor_core *core, const struct rumor_addr *to,
                           const struct rumor_member_id *to_id,
                           const struct member *extra);
void rumor__ping(struct rumor_core *core, uint64_t now_ms,
                 const struct rumor_addr *to);
/** A datagram came from `sender`: if we failed that id, tell it so (at
 * most once per gossip round per address). */
void rumor__gossip_tell_dead(struct rumor_core *core, uint64_t now_ms,
                             const struct rumor_member_id *sender);
void rumor__handle_ping(struct rumor_core *core, uint64_t now_ms,
                        const struct rumor_addr *from,
                        const struct wire_msg *msg);

/* heartbeat.c: the lean ring heartbeats */
/** Our heartbeat straight to each of our ring monitors. */
void rumor__heartbeat_send(struct rumor_core *core);
/** The ring predecessor whose id tag is tag, or NULL. */
struct member *rumor__heartbeat_sender(struct rumor_core *core, uint32_t tag);
/** A heartbeat of predecessor m came first hand. */
void rumor__heartbeat_recv(struct rumor_core *core, uint64_t now_ms,
                           struct member *m, uint64_t heartbeat);

/* join.c */
void rumor__join_timeout(struct rumor_core *core, uint64_t now_ms);
void rumor__join_free(struct rumor_core *core);
/** Start the clocks of an ACTIVE member (bootstrap, joined). */
void rumor__start_clocks(struct rumor_core *core, uint64_t now_ms);
/** Write our whole list as a JOIN_REPLY (result 0) or a refusal. */
int rumor__write_list(struct rumor_core *core, int kind, int32_t result,
                      uint8_t *buf, size_t cap, size_t *len);

/* sync.c: anti-entropy: digests by datagram, lists over the stream channel */
void rumor__sync_maybe(struct rumor_core *core, uint64_t now_ms);
/** A DIGEST from `from`: open a full sync with it when our views differ. */
void rumor__sync_digest(struct rumor_core *core, uint64_t now_ms,
                        const struct rumor_addr *from,
                        const struct wire_msg *msg);
bool rumor__sync_owns(const struct rumor_core *core, uint64_t stream_id);
int rumor__sync_reply(struct rumor_core *core, uint64_t now_ms,
                      const uint8_t *reply, size_t len);
void rumor__sync_failed(struct rumor_core *core);
int rumor__sync_serve(struct rumor_core *core, uint64_t now_ms,
                      const struct wire_msg *req, uint8_t *reply, size_t cap,
                      size_t *reply_len);

#endif
