/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz replay model: the merged event log as an array, the replayed
 * state (true state of every member, what every observer believes about
 * every member) at any time, checkpoints for instant backward seeks,
 * detection spans of crashes and leaves, and the message trace.
 *
 * Pure C, no SDL: the renderer and the tests read it. Times are log ms:
 * "ts" values as written in the log (epoch ms or the simulator's virtual
 * ms); "t" values are relative to the first line (t = ts - ts0).
 */
#ifndef RUMOR_VIZ_MODEL_H
#define RUMOR_VIZ_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "rumor/log.h"

/**
 * What is known about a member's process. Where the logs carry ground
 * truth (crash/restart/partition/heal lines of a simulator or harness), a
 * member without a crash line is running until its own stop or left line.
 * Where they carry none (the logs of a real cluster), a member is known to
 * be running at t only while its own log has lines at or after t; after
 * its last line it is SILENT (others went on logging for a while: it may
 * have crashed, hung or lost its disk) or UNKNOWN (nobody logged anything
 * since), never "crashed": that is an inference, shown apart.
 */
enum viz_truth {
	VIZ_T_UNSEEN,  /**< not started yet (nothing logged by or about it) */
	VIZ_T_RUNNING, /**< up */
	VIZ_T_LEFT,    /**< left voluntarily */
	VIZ_T_STOPPED, /**< process exited cleanly (stop) */
	VIZ_T_CRASHED, /**< crash ground-truth line */
	VIZ_T_SILENT,  /**< no ground truth; its own log ended, others' went on
	                */
	VIZ_T_UNKNOWN, /**< no ground truth and no line of its own that tells */
	VIZ_T_MAX
};

/** A member counts as silent this long after its last line at the
 * earliest (others must have logged since then). */
#define VIZ_SILENT_GRACE_MS 1000

/** What one observer believes about one member. */
enum viz_belief {
	VIZ_B_UNKNOWN, /**< not in its list (yet) */
	VIZ_B_ALIVE,
	VIZ_B_SUSPECT,
	VIZ_B_FAILED,
	VIZ_B_LEFT,
	VIZ_B_REMOVED, /**< entry deleted after cleanup */
	VIZ_B_MAX
};

const char *viz_truth_name(enum viz_truth t);
const char *viz_belief_name(enum viz_belief b);

/** "No such time": a span that has not reached that stage. */
#define VIZ_NEVER INT64_MAX

struct viz_member {
	char id[RUMOR_ID_STRLEN];
	uint64_t version; /**< the part after '#', 0 when absent */
	int32_t prev;     /**< earlier member with the same host:port, or -1 */
	int logged;       /**< has written a line as observer */
	uint32_t slot;    /**< its address's place in the ring and matrix */
	uint32_t nth;     /**< 1 for the first version at its address, 2... */
	int ended;        /**< wrote its own stop or left line */
	/* its own latest line (trace lines included) */
	int64_t last_ts;
	uint32_t last_line;
	uint16_t last_file;
	uint8_t last_ev;
	int32_t last_peer; /**< peer of a trace line, member or -1 */
	/* clock skew (skew.c): its log runs at least this far ahead of
	 * skew_vs's, shown by skew_how; 0 when no evidence */
	int64_t skew_ms;
	int32_t skew_vs;
	const char *skew_how;
	/* events about it (or its own lines about nobody), in log order */
	uint32_t *about;
	uint32_t n_about, about_cap;
	/** Its tags as the latest join/joined/update line with tags gave
	 * them, "k=v,k2=v2" (cut at the buffer); empty when none. */
	char tags[256];
};

/** One address (host:port): every version that ran there. */
struct viz_slot {
	int32_t first, latest; /**< member indices (versions via prev) */
};

/** One event-log line kept by the model (trace lines are kept apart). */
struct viz_event {
	int64_t ts;
	int32_t node;     /**< observer index, -1 for ground-truth writers */
	int32_t member;   /**< member index, -1 when the line has none */
	int32_t replaces; /**< first line of a new version of the process at
	                     this address: the old member's index, else -1 */
	int32_t from;     /**< member whose message carried the news, or -1 */
	uint64_t heartbeat;
	uint32_t line; /**< 1-based line in files[file] */
	uint16_t file;
	uint8_t ev;  /**< enum rumor_log_ev */
	uint8_t via; /**< index into viz_via_names */
	uint8_t has_heartbeat;
};

/** Replayed state; belief is row-major [observer * cap + member]. */
struct viz_state {
	uint32_t cap;        /**< allocated rows/columns */
	uint8_t *truth;      /**< [cap] enum viz_truth */
	uint8_t *belief;     /**< [cap * cap] enum viz_belief */
	uint64_t *heartbeat; /**< [cap] highest heartbeat seen in any line */
	size_t next;         /**< events [0, next) are applied */
	uint64_t version;    /**< bumped on every change (texture caching) */
	uint8_t *shown;      /**< [cap] truth as known at the playhead (m->cur
	                        only; see enum viz_truth), else NULL */
};

/** viz_span.ev of a member whose own log went silent (no ground truth). */
#define VIZ_SPAN_SILENT 250

/** A crash, a leave or a silence, and how the others noticed it. */
struct viz_span {
	int32_t member;
	uint8_t ev; /**< RUMOR_LOG_CRASH, RUMOR_LOG_LEFT or VIZ_SPAN_SILENT
	               (inferred: ts is the member's last line) */
	int64_t ts; /**< when it happened */
	int64_t first_suspect; /**< first suspect line about it, or VIZ_NEVER */
	int64_t first_detect;  /**< first fail (crash) / leave line */
	int64_t last_detect;   /**< when the last expected observer noticed,
	                         VIZ_NEVER while some have not */
	int64_t latest;        /**< latest detection so far */
	uint32_t expected;     /**< observers running at ts, still running */
	uint32_t detected;     /**< of those, how many noticed */
	uint8_t *watch;        /**< [n at ts] 1 expected, 2 detected, 0 other */
	uint32_t n_watch;
	uint8_t restart; /**< a crash that a restart line follows */
};

/** One traced message: send paired with its recv or drop (msgs.c). */
struct viz_msg {
	int64_t t_send; /**< ts of the send line; = t_end when unseen or
	                   read after its receipt (flight clamped to 0) */
	int64_t t_end;  /**< ts of recv/drop, VIZ_NEVER when neither seen */
	int32_t from, to;
	uint32_t bytes;
	uint64_t msg;
	uint8_t kind;    /**< index into model->kinds */
	uint8_t dropped; /**< a drop line ended it */
	uint8_t sent;    /**< its send line was read (else t_send = t_end) */
};

struct viz_member_ix; /* id -> index hash (uthash) */
struct viz_msg_ix;    /* (from, class, msg, to) -> message index (msgs.c) */

struct viz_ckpt {
	size_t next;
	uint32_t n;
	uint8_t *truth, *belief;
	uint64_t *heartbeat;
};

struct viz_model {
	struct viz_member *members;
	uint32_t n_members, members_cap;
	struct viz_slot *slots;
	uint32_t n_slots, slots_cap;
	int32_t *slot_cur; /**< [n_slots] the version shown at the playhead */
	int has_truth;     /**< a ground-truth line has been read */
	struct viz_member_ix *member_ix;
	struct viz_member_ix *addr_ix; /**< "host:port" -> latest member */

	struct viz_event *ev;
	size_t n_ev, ev_cap;
	size_t *gt; /**< indices of crash and restart events */
	size_t n_gt, gt_cap;

	struct viz_msg *msgs;
	size_t n_msgs, msgs_cap;
	struct viz_msg_ix *msg_ix;
	struct viz_msg_ix *orphan_ix; /**< recv/drop lines before their send */
	char kinds[32][16];           /**< message kinds seen; [0] = "?" */
	char vias[32][16];            /**< "via" values seen; [0] = "" */
	unsigned n_vias;
	unsigned n_kinds;
	int64_t max_flight_ms; /**< longest send->recv seen, for lookups */

	struct viz_span *spans;
	size_t n_spans, spans_cap;
	size_t *open_spans; /**< indices of spans still being detected */
	size_t n_open, open_cap;
	/* silences inferred where there is no ground truth (silence.c),
	 * recomputed when the log grows */
	struct viz_span *silent;
	size_t n_silent;
	size_t silent_n_ev;
	int64_t silent_ts_last;
	/* every span (spans, then silent ones) in ts order */
	size_t *span_order;
	size_t n_span_order;

	/* partition / heal ground truth: intervals for the timeline */
	int64_t *cuts; /**< pairs [start, end) in ts; end VIZ_NEVER if open */
	size_t n_cuts;

	char **files;
	uint16_t n_files;

	int has_ts0;
	int64_t ts0, ts_last; /**< first and last ts of any line */

	uint64_t n_errors; /**< malformed lines reported by the reader */
	/** clock-skew warning ("" when none; skew.c) */
	char skew_text[160];

	struct viz_state build; /**< state after every appended event */
	struct viz_ckpt *ckpts;
	size_t n_ckpts, ckpts_cap;
	size_t ckpt_every;  /**< events between checkpoints */
	size_t ckpt_budget; /**< bytes all checkpoints may take */
	size_t ckpt_bytes;

	struct viz_state cur; /**< state at the playhead (viz_model_seek) */
	int64_t cur_t;
};

/** The "via" string of an event ("" when none, "?" past 31 values). */
const char *viz_via_name(const struct viz_model *m, uint8_t via);

/**
 * Initialise an empty model. files (copied) names the log files in the
 * order the reader was given them, for record->file matching. Returns 0 or
 * RUMOR_ENOMEM.
 */
int viz_model_init(struct viz_model *m, const char *const *files,
                   size_t n_files);
void viz_model_destroy(struct viz_model *m);

/**
 * Append one record; records must come in non-decreasing ts order (the
 * reader's merge order). Trace lines go to the message list, the rest to
 * the event array, the checkpoints and the detection spans. Returns 0 or
 * RUMOR_ENOMEM; RUMOR_EINVAL when ts goes backwards (the record is
 * then appended at the last ts so the replay stays ordered).
 */
int viz_model_add(struct viz_model *m, const struct rumor_log_record *rec);

/** Log duration in ms (t of the last line). 0 when empty. */
int64_t viz_model_duration(const struct viz_model *m);

/**
 * Move the playhead state m->cur to time t (ms since the first line): every
 * event with ts <= ts0 + t applied. Backward seeks restore the nearest
 * checkpoint; cost is bounded by ckpt_every events. Returns 0 or
 * RUMOR_ENOMEM.
 */
int viz_model_seek(struct viz_model *m, int64_t t);

/** Index of the first event with ts > ts (upper bound). */
size_t viz_model_upper(const struct viz_model *m, int64_t ts);

/** Member index of id, or -1. */
int32_t viz_model_find(const struct viz_model *m, const char *id);

/** Belief of observer o about member j in state s (UNKNOWN past cap). */
static inline enum viz_belief
viz_state_belief(const struct viz_state *s, uint32_t o, uint32_t j)
{
	if (o >= s->cap || j >= s->cap)
		return VIZ_B_UNKNOWN;
	return (enum viz_belief)s->belief[(size_t)o * s->cap + j];
}

/** Truth of member j: as known at the playhead for m->cur, else as the
 * replayed lines say. */
static inline enum viz_truth
viz_state_truth(const struct viz_state *s, uint32_t j)
{
	if (j >= s->cap)
		return VIZ_T_UNSEEN;
	return (enum viz_truth)(s->shown ? s->shown[j] : s->truth[j]);
}

/**
 * 1 when belief b contradicts truth t as known: failed, suspect or left
 * about a member known to run, alive about a crashed or departed one.
 * Silent and unknown members contradict nothing: truth is not known.
 */
static inline int
viz_contradicts(enum viz_truth t, enum viz_belief b)
{
	return (t == VIZ_T_RUNNING &&
	        (b == VIZ_B_FAILED || b == VIZ_B_LEFT || b == VIZ_B_SUSPECT)) ||
	       ((t == VIZ_T_CRASHED || t == VIZ_T_LEFT) && b == VIZ_B_ALIVE);
}

/**
 * Count what the running observers other than j believe about member j in
 * s: counts[b] for every enum viz_belief. Returns the number of observers
 * counted.
 */
uint32_t viz_state_opinions(const struct viz_model *m,
                            const struct viz_state *s, uint32_t j,
                            uint32_t counts[VIZ_B_MAX]);

/**
 * Running observers (other than the member) that have not yet marked the
 * span's member failed/left/removed in state s.
 */
uint32_t viz_span_pending(const struct viz_model *m, const struct viz_span *sp,
                          const struct viz_state *s);

/**
 * Next (dir > 0) or previous (dir < 0) "interesting" event strictly after
 * or before time t: ground truth, suspect, alive, fail, leave, left,
 * remove; when member >= 0 any event by or about that member. Returns its
 * index or -1.
 */
ptrdiff_t viz_model_step_event(const struct viz_model *m, int64_t t, int dir,
                               int32_t member);

/**
 * Index of the first message with t_send >= ts (messages are sorted by
 * t_send).
 */
size_t viz_model_msg_lower(const struct viz_model *m, int64_t ts);

/* ---- spans in time order (silence.c) ---- */

/** Number of spans: ground-truth crashes and leaves, inferred silences. */
size_t viz_model_span_n(const struct viz_model *m);
/** The k-th span by time (k < viz_model_span_n). */
const struct viz_span *viz_model_span(const struct viz_model *m, size_t k);
/**
 * ts from which member j counts as silent (see enum viz_truth), or
 * VIZ_NEVER: it has ground truth, ended with stop/left, or others did not
 * log long enough after its last line.
 */
int64_t viz_model_silent_from(const struct viz_model *m, uint32_t j);
/** Recompute the inferred silences if the log grew; 0 or RUMOR_ENOMEM. */
int viz__silence_refresh(struct viz_model *m);

/* ---- clock skew (skew.c) ---- */

/** Evidence below this is taken for logging order on one machine. */
#define VIZ_SKEW_TOLERANCE_MS 50

/**
 * Member `ahead`'s log runs at least ms ahead of member `behind`'s: a
 * message `behind` logged receiving before `ahead` logged sending it, or
 * `behind` named `ahead` before `ahead`'s own first line. Keeps the
 * largest per member and updates m->skew_text.
 */
void viz__skew_note(struct viz_model *m, int32_t ahead, int32_t behind,
                    int64_t ms, const char *how);

/* ---- traffic (rates.c) ---- */

/** Bytes and datagrams per second, by message kind, over time buckets. */
struct viz_rates {
	int64_t t0;        /**< start of bucket 0, ms since the first line */
	int64_t bucket_ms; /**< >= 1 */
	uint32_t n_buckets;
	unsigned n_kinds;  /**< m->n_kinds: [k * n_buckets + b] below */
	double *bytes;     /**< bytes per second */
	double *datagrams; /**< datagrams per second */
	double max_bytes, max_datagrams;
};

/**
 * Traffic of member (-1: every member) sent (recv 0: by send lines, at
 * the send) or received (recv 1: recv and drop lines, at the receipt) in
 * [t0, t0 + n_buckets * bucket_ms). Returns 0 or RUMOR_ENOMEM; free with
 * viz_rates_free.
 */
int viz_rates_compute(const struct viz_model *m, int32_t member, int recv,
                      int64_t t0, int64_t bucket_ms, uint32_t n_buckets,
                      struct viz_rates *out);
void viz_rates_free(struct viz_rates *r);

/* ---- incidents (incidents.c) ---- */

/** Something that happened to the cluster, for navigation. */
struct viz_incident {
	int64_t ts;       /**< when (a silence: the member's last line) */
	int32_t member;   /**< whom it is about, or -1 (partition, heal) */
	const char *what; /**< "crash", "restart", "leave", "silent",
	                     "partition", "heal" */
};

/**
 * The first incident strictly after (dir > 0) or the last strictly before
 * (dir < 0) time t (ms since the first line). Returns 1 with *out set, or
 * 0 when there is none.
 */
int viz_model_step_incident(const struct viz_model *m, int64_t t, int dir,
                            struct viz_incident *out);

/**
 * The member named by s: its whole id, else the only id containing s;
 * -1 when none, -2 when several do (*other then names a second one).
 */
int32_t viz_model_match(const struct viz_model *m, const char *s,
                        int32_t *other);

/* ---- identities (slots.c) ---- */

/** Version of slot k shown at the playhead (m->cur). */
static inline uint32_t
viz_model_slot_member(const struct viz_model *m, uint32_t k)
{
	return m->slot_cur ? (uint32_t)m->slot_cur[k]
	                   : (uint32_t)m->slots[k].latest;
}

/* ---- history (history.c) ---- */

/**
 * The newest events (at most max) by or about member j among events
 * [0, upto): those with member j, and j's own lines about nobody (start,
 * joined, left, stop). Newest first into out. Returns the count.
 */
size_t viz_model_member_events(const struct viz_model *m, uint32_t j,
                               size_t upto, const struct viz_event **out,
                               size_t max);

/** One hop of the path a belief took: the event that made `node` believe
 * it, told by e->from (or its own detector when from < 0). */
struct viz_hop {
	const struct viz_event *e;
	int skew; /**< logged after the next hop's event: clock skew */
};

/**
 * The path of what observer o believes about member j at time t (ms since
 * the first line): hops[0] is o's own event, hops[1] the teller's, ... up
 * to the origin (an event via timeout/self, the member itself, or a line
 * without "from"). Returns the number of hops (0: o has no event about j
 * by then); at most max.
 */
size_t viz_model_belief_path(const struct viz_model *m, int64_t t, uint32_t o,
                             uint32_t j, struct viz_hop *hops, size_t max);

#endif
