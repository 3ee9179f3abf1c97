/* SPDX-License-Identifier: MIT */
/*
 * The simulator's event queue: a binary min-heap of (at_ms, seq). seq is
 * assigned on push, so events due at the same ms pop in insertion order
 * (fakeev's (deadline, id) order) and a run is reproducible.
 */
#ifndef RUMOR_SIM_HEAP_H
#define RUMOR_SIM_HEAP_H

#include <stddef.h>
#include <stdint.h>

/** What a heap event does; payload ownership is noted per kind. */
enum sim_event_kind {
	SIM_EV_START,        /**< start member (first time) */
	SIM_EV_DELIVER,      /**< ptr: struct sim_dgram, owned */
	SIM_EV_TIMER,        /**< gen: the member's timer generation */
	SIM_EV_STREAM_REQ,   /**< ptr: struct sim_stream, owned */
	SIM_EV_STREAM_REPLY, /**< ptr: struct sim_stream, owned */
	SIM_EV_STREAM_FAIL,  /**< ptr: struct sim_stream, owned */
	SIM_EV_ACTION,       /**< ptr: struct rumor_sim_action, owned */
	SIM_EV_MAX
};

struct sim_event {
	uint64_t at_ms;
	uint64_t seq; /**< set by push */
	uint32_t kind;
	uint32_t member;
	union {
		uint64_t gen;
		void *ptr;
	} u;
};

struct sim_heap {
	struct sim_event *ev;
	size_t len, cap;
	uint64_t next_seq;
};

void rumor__sim_heap_init(struct sim_heap *h);
/** Free the array (not the payloads: pop them first). */
void rumor__sim_heap_destroy(struct sim_heap *h);
/** Push a copy of *ev with the next seq. 0 or RUMOR_ENOMEM. */
int rumor__sim_heap_push(struct sim_heap *h, const struct sim_event *ev);
/** The earliest event, or NULL when empty. */
static inline const struct sim_event *
rumor__sim_heap_peek(const struct sim_heap *h)
{
	return h->len ? &h->ev[0] : NULL;
}
/** Remove the earliest event into *out. 1, or 0 when empty. */
int rumor__sim_heap_pop(struct sim_heap *h, struct sim_event *out);

#endif
