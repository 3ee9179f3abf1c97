/* SPDX-License-Identifier: MIT */
/*
 * MP1 compatibility mode, private state (include/rumor/mp1.h):
 *   mp1.c        names, defaults, addresses, the dbg.log and JSON lines
 *   mp1_run.c    the tick loop: starts, periodic steps, the injector
 *   mp1_net.c    the message queue (datagrams and join/sync streams)
 *   mp1_parse.c  reading a dbg.log for the checker
 *   mp1_grade.c  the scoring rules and their report
 */
#ifndef RUMOR_SIM_MP1_INTERNAL_H
#define RUMOR_SIM_MP1_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rumor/core.h"
#include "rumor/log.h"
#include "rumor/mp1.h"

#include "rumor/rng.h"

/* Ticks in which the drop scenario drops messages, and how often. */
#define MP1_DROP_FIRST_TICK 51
#define MP1_DROP_LAST_TICK  300
#define MP1_DROP_PROB       0.1

enum mp1_msg_kind {
	MP1_DGRAM,        /**< a datagram (subject to the drop) */
	MP1_STREAM_REQ,   /**< a join or sync request (reliable) */
	MP1_STREAM_REPLY, /**< its answer */
	MP1_STREAM_FAIL   /**< the stream failed (dead or refusing target) */
};

/** A message in the emulated network: sent in tick t, received in t+1. */
struct mp1_msg {
	struct mp1_msg *next;
	enum mp1_msg_kind kind;
	uint32_t from, to;
	uint64_t stream_id; /**< the opener's id (streams) */
	int err;            /**< MP1_STREAM_FAIL: the error to report */
	size_t len;
	uint8_t data[];
};

/** A FIFO of messages. */
struct mp1_queue {
	struct mp1_msg *head, *tail;
};

struct mp1_run;

struct mp1_member {
	struct mp1_run *run;
	struct rumor_core *core; /**< NULL before its start and once failed */
	struct rumor_member_id id;
	uint32_t index;
	uint32_t start_tick;
	bool started, failed;
	struct mp1_queue inbox;   /**< due now (kept while not started) */
	struct mp1_queue pending; /**< sent to it in this tick */
};

struct mp1_run {
	struct rumor_mp1_config cfg;
	struct mp1_member members[RUMOR_MP1_MEMBERS];
	uint32_t tick;
	uint64_t now_ms;
	struct rumor_rng drop_rng;  /**< the drop scenario's losses */
	struct rumor_rng fault_rng; /**< who fails */
	FILE *dbg;
	bool dbg_is_stdout;
	struct rumor_log_writer *log;
	struct rumor_mp1_result *res;
	int fatal;     /**< first fatal core error: the run stops */
	int log_errno; /**< first failed log write */
	uint8_t *reply_buf;
	size_t reply_cap;
};

/* ---- the checker ---- */

/** An address as a dbg.log writes it: a.b.c.d:port. */
struct mp1_addr {
	uint64_t key; /**< a, b, c, d, port packed: equal iff same text */
	int index;    /**< MP1 member index 0..9, or -1 */
	char text[RUMOR_MP1_ADDR_STRLEN];
};

enum mp1_line_kind {
	MP1_L_JOIN,        /**< Node ADDR joined at time T */
	MP1_L_REMOVE,      /**< Node ADDR removed at time T */
	MP1_L_FAIL_SINGLE, /**< Node failed at time=T */
	MP1_L_FAIL_MULTI,  /**< Node failed at time = T */
	MP1_L_BAD_JOIN,    /**< says "joined" in another form */
	MP1_L_BAD_REMOVE,  /**< says "removed" in another form */
	MP1_L_BAD_FAIL     /**< says "Node failed at time" otherwise */
};

/** One line that the scoring rules look at. */
struct mp1_line {
	enum mp1_line_kind kind;
	uint64_t line_no; /**< 1-based */
	struct mp1_addr logger, member;
	long time; /**< the message's time */
};

/** A dbg.log, as far as the rules are concerned. */
struct mp1_log {
	struct mp1_line *lines;
	size_t n, cap;
	int header_scenario; /**< from rumor's header line, or -1 */
};

/* mp1_parse.c */
int rumor__mp1_log_read(FILE *f, struct mp1_log *log, char *err,
                        size_t err_cap);
void rumor__mp1_log_free(struct mp1_log *log);
int rumor__mp1_parse_addr(const char **p, struct mp1_addr *out);

/* mp1.c */
void rumor__mp1_addr(uint32_t index, struct rumor_addr *out);
int rumor__mp1_index(const struct rumor_addr *a);
void rumor__mp1_addr_text(uint32_t index, char *buf, size_t cap);
int rumor__mp1_logs_open(struct mp1_run *run);
int rumor__mp1_logs_close(struct mp1_run *run);
void rumor__mp1_log_error(struct mp1_run *run, int which);
void rumor__mp1_dbg(struct mp1_run *run, uint32_t logger, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rumor__mp1_json(struct mp1_run *run, enum rumor_log_ev ev,
                     const struct rumor_member_id *node,
                     const struct rumor_member_id *member);
void rumor__mp1_on_event(void *user, const struct rumor_event *ev);
void rumor__mp1_on_trace(void *user, const struct rumor_trace *tr);

/* mp1_net.c */
int rumor__mp1_send(void *user, const struct rumor_addr *to,
                    const uint8_t *data, size_t len);
int rumor__mp1_stream_open(void *user, uint64_t stream_id,
                           const struct rumor_addr *to, const uint8_t *req,
                           size_t len);
void rumor__mp1_deliver_all(struct mp1_run *run);
void rumor__mp1_queue_free(struct mp1_queue *q);
void rumor__mp1_check(struct mp1_run *run, int rc);

#endif
