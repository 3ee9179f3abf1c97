/* SPDX-License-Identifier: MIT */
/*
 * The wire codec: every datagram and join-stream message is one MessagePack
 * value, the same picture for all kinds:
 *
 *   array(5) [
 *     version  uint    RUMOR_PROTO_VERSION; anything else: EWIRE_VERSION
 *     kind     uint    enum rumor_msg_kind
 *     msg_id   uint    unique per sender (a counter), pairs send/recv traces
 *     sender   nil | array(3) [ip bin(4|16), port uint, version uint]
 *     body     GOSSIP, JOIN_REQ, SYNC: array(n) of entry
 *              JOIN_REPLY:       array(2) [result int (0 or RUMOR_E*),
 *                                          array(n) of entry]
 *              PING, PONG:       nonce uint
 *              DIGEST:           array(2) [digest uint, members uint]
 *   ]
 *
 * except the ring heartbeat, the one message sent several times a second
 * by every member, which is lean (about 13 bytes):
 *
 *   array(4) [version uint, kind uint (HEARTBEAT), heartbeat uint,
 *             tag uint32 (the sender's id hash, folded: wire_id_tag)]
 *
 * Its receiver (a ring monitor) knows the sender as one of its few ring
 * predecessors and finds it by the tag; the heartbeat, growing by one a
 * period, doubles as the message id.
 *   entry := array(6) [ip bin(4|16), port uint, version uint,
 *                      heartbeat uint, status uint, hops uint]
 *          | array(7) [the same six, accusations]
 *          | array(9) [the same six, accusations | nil,
 *                      tags version uint (>= 1), tags bin]
 *   accusations := array(5k), 1 <= k <= WIRE_ACCUSATIONS_MAX, flat:
 *                  [ip bin(4|16), port uint, version uint, heartbeat uint,
 *                   flags uint (0..3: WIRE_ACC_*)] k times
 *
 * A suspect or failed entry carries who accused its member and at which of
 * its heartbeats (suspicion.c): the evidence a failure rests on. The list
 * is flat so that a join reply nests no deeper than five.
 *
 * Tags (rumor/tags.h, validated on decode) ride only where they are news
 * or a whole list is sent: join requests, join replies, syncs, and the
 * entries of gossip news about a tags change or a join; heartbeats and the
 * freshness part of gossip never carry them (docs/architecture.md, "lean
 * protocol").
 *
 * hops counts the gossip hops the heartbeat has travelled from its member
 * (0 in the member's own entry); receivers forward low-hop heartbeats first.
 *
 * Encoding (msgpack-c packer into a fixed buffer, tarantool's reserve
 * discipline): the entry count is written as an array32 header whose count
 * is backfilled; an entry that does not fit is rolled back, so a datagram
 * never exceeds the buffer (the MTU).
 *
 * Decoding is check-then-decode: wire_prescan() walks the raw bytes and
 * rejects any container whose declared count exceeds the bytes left, depth
 * over 4, more elements than bytes, or trailing bytes, BEFORE msgpack-c sees
 * them (msgpack-c 4.0 allocates a container from its declared count: the 5
 * bytes df 04 00 00 00 would ask for 4 GiB). Then the DOM is schema-checked
 * into a plain struct wire_msg; nothing is applied until the whole message
 * has validated.
 */
#ifndef RUMOR_CORE_WIRE_H
#define RUMOR_CORE_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "rumor/core.h"

/** Accusations one entry carries at most. */
#define WIRE_ACCUSATIONS_MAX 3

/** Accusation flags: from a ring monitor's tight T_suspect; and broadcast
 * to everyone by its accuser, unrefuted after T_fail (suspicion.c). */
#define WIRE_ACC_TIGHT     1u
#define WIRE_ACC_ESCALATED 2u

/** One accusation: a member that suspects the entry's member. */
struct wire_accusation {
	struct rumor_member_id accuser;
	uint64_t heartbeat; /**< the member's heartbeat the accuser knew */
	uint8_t flags;      /**< WIRE_ACC_TIGHT | WIRE_ACC_ESCALATED */
};

/** One membership-list entry as carried on the wire. */
struct wire_entry {
	struct rumor_member_id id;
	uint64_t heartbeat;
	uint8_t status; /**< enum rumor_member_status */
	uint8_t hops;   /**< gossip hops from the member, saturating at 255 */
	uint8_t n_acc;  /**< accusations (suspect and failed entries only) */
	struct wire_accusation acc[WIRE_ACCUSATIONS_MAX];
	/** Tags version, 0 = the entry carries no tags (not "no tags"). */
	uint64_t tags_ver;
	/** Encoded tags (rumor/tags.h), tags_len bytes; decoded entries point
	 * into the message's bytes. */
	const uint8_t *tags;
	uint32_t tags_len;
};

/** The 32-bit tag of a member id in ring heartbeats: its ring hash
 * (rumor__id_hash), folded. */
static inline uint32_t
wire_id_tag(uint64_t id_hash)
{
	return (uint32_t)(id_hash ^ (id_hash >> 32));
}

/** A decoded message. entries points into caller storage. */
struct wire_msg {
	uint8_t kind;
	uint64_t msg_id; /**< HEARTBEAT: the heartbeat */
	int has_sender;
	struct rumor_member_id sender;
	uint64_t nonce;  /**< PING, PONG */
	uint32_t tag;    /**< HEARTBEAT: the sender's wire_id_tag */
	uint64_t digest; /**< DIGEST: XOR of the live members' id hashes */
	uint64_t count;  /**< DIGEST: live members, the sender included */
	int32_t result;  /**< JOIN_REPLY */
	size_t n_entries;
	struct wire_entry *entries;
};

/** Largest encoded accusation: bin16 + port + version + hb + flags. */
#define WIRE_ACCUSATION_MAX_BYTES (18 + 3 + 9 + 9 + 1)
/** Largest encoded entry: array hdr + bin16 + port + version + hb + status
 * + hops, and its accusations. */
#define WIRE_ENTRY_MAX_BYTES                                                   \
	(1 + 18 + 3 + 9 + 9 + 1 + 2 + 1 +                                      \
	 WIRE_ACCUSATIONS_MAX * WIRE_ACCUSATION_MAX_BYTES)
/** Bytes an entry's tags add beside their own length: array header
 * growth, nil, the version (uint64) and a bin32 header. */
#define WIRE_TAGS_OVERHEAD (1 + 1 + 9 + 5)
/** Smallest encoded entry (IPv4, small numbers): used for count limits. */
#define WIRE_ENTRY_MIN_BYTES (1 + 6 + 1 + 1 + 1 + 1 + 1)
/** Largest header before the entries (array, version, kind, id, sender...). */
#define WIRE_HEADER_MAX_BYTES 64

/** An encoder writing into a caller buffer of fixed capacity. */
struct wire_writer {
	uint8_t *buf;
	size_t len, cap;
	int overflow;
	size_t count_pos; /**< offset of the backfilled entry count */
	uint32_t count;
	msgpack_packer pk;
};

/**
 * Start a message of `kind` (GOSSIP, JOIN_REQ or JOIN_REPLY; result is used
 * for JOIN_REPLY only) in buf[cap]. Returns 0 or RUMOR_ENOSPC.
 */
int rumor__wire_begin(struct wire_writer *w, uint8_t *buf, size_t cap, int kind,
                      uint64_t msg_id, const struct rumor_member_id *sender,
                      int32_t result);
/** Append one entry; RUMOR_ENOSPC (and nothing written) when it won't fit. */
int rumor__wire_add_entry(struct wire_writer *w, const struct wire_entry *e);
/** Backfill the count; returns the message length in bytes. */
size_t rumor__wire_finish(struct wire_writer *w);
/**
 * Encode a PING or PONG (sender may be NULL) into buf[cap]. Returns the
 * length or RUMOR_ENOSPC.
 */
int rumor__wire_encode_nonce(uint8_t *buf, size_t cap, int kind,
                             uint64_t msg_id,
                             const struct rumor_member_id *sender,
                             uint64_t nonce);

/** Encode a ring heartbeat into buf[cap]. Returns the length or
 * RUMOR_ENOSPC. */
int rumor__wire_encode_heartbeat(uint8_t *buf, size_t cap, uint64_t heartbeat,
                                 uint32_t tag);
/** Encode a DIGEST (sender required). Returns the length or RUMOR_ENOSPC. */
int rumor__wire_encode_digest(uint8_t *buf, size_t cap, uint64_t msg_id,
                              const struct rumor_member_id *sender,
                              uint64_t digest, uint64_t count);

/**
 * Structural pre-scan of len bytes (see above). Returns 0, or
 * RUMOR_EWIRE_TRUNCATED / _TOO_BIG / _TRAILING / _TYPE (reserved byte 0xc1).
 */
int rumor__wire_prescan(const uint8_t *data, size_t len);
/**
 * Decode and validate one message. entries[cap] receives the entries;
 * more than cap is RUMOR_EWIRE_TOO_BIG. Returns 0 or a RUMOR_EWIRE_* code
 * (RUMOR_ENOMEM when msgpack-c could not allocate). Never partial: on error
 * *msg is unspecified and nothing else was touched.
 */
int rumor__wire_decode(const uint8_t *data, size_t len, struct wire_msg *msg,
                       struct wire_entry *entries, size_t cap);

#endif
