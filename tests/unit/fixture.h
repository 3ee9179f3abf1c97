/* SPDX-License-Identifier: MIT */
/*
 * A single core with recording callbacks, and helpers to craft datagrams,
 * for rule-by-rule unit tests (no network, explicit now_ms).
 */
#ifndef RUMOR_TEST_FIXTURE_H
#define RUMOR_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "rumor/core.h"
#include "wire.h"

#define FX_MAX_EVENTS 4096
#define FX_MAX_SENT   4096

struct fx_sent {
	struct rumor_addr to;
	size_t len;
	uint8_t data[1500];
};

struct fixture {
	struct rumor_core *core;
	struct rumor_config cfg;
	struct rumor_member_id self;
	uint64_t now;
	uint64_t next_msg_id; /**< of crafted datagrams */
	struct rumor_event events[FX_MAX_EVENTS];
	size_t n_events;
	struct fx_sent *sent; /* [FX_MAX_SENT] */
	size_t n_sent;
	struct rumor_notice last_notice;
	int n_notices;
	uint64_t last_stream_id; /**< of the last stream_open */
};

/* The fixture's callbacks, for other cores a test makes (user = fixture). */
int fx_send_cb(void *user, const struct rumor_addr *to, const uint8_t *data,
               size_t len);
int fx_stream_cb(void *user, uint64_t id, const struct rumor_addr *to,
                 const uint8_t *req, size_t len);
void fx_event_cb(void *user, const struct rumor_event *ev);
void fx_notice_cb(void *user, const struct rumor_notice *n);

/** A bootstrapped core 127.0.0.1:3000#100 at now = 10000 ms. */
struct fixture *fx_new(const struct rumor_config *cfg);
void fx_free(struct fixture *fx);
/** Member id 127.0.0.1:port#version. */
struct rumor_member_id fx_id(uint16_t port, uint64_t version);
struct wire_entry fx_entry(uint16_t port, uint64_t version, uint64_t hb,
                           int status);
/** Deliver a gossip datagram from `from` (its own entry added first, hb
 * from_hb, unless from_hb is UINT64_MAX) carrying entries. */
int fx_gossip(struct fixture *fx, struct rumor_member_id from, uint64_t from_hb,
              const struct wire_entry *entries, size_t n);
/** Advance time by ms, running timers as they fall due. */
void fx_run(struct fixture *fx, uint64_t ms);
/** Count events of kind about member (any via). */
int fx_count(const struct fixture *fx, enum rumor_event_kind kind,
             struct rumor_member_id member);
/** Index of the last event of kind about member, or -1. */
int fx_last(const struct fixture *fx, enum rumor_event_kind kind,
            struct rumor_member_id member);
/** The fixture's belief about id: a status, or -1 when absent. */
int fx_status(struct fixture *fx, struct rumor_member_id id);
/** Heartbeat the fixture holds for id (0 when absent). */
uint64_t fx_heartbeat(struct fixture *fx, struct rumor_member_id id);
/** Decode sent datagram i (entries into caller storage). */
int fx_decode_sent(const struct fixture *fx, size_t i, struct wire_msg *msg,
                   struct wire_entry *entries, size_t cap);

#endif
