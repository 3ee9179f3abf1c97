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

/** Ground truth about a member. */
enum viz_truth {
	VIZ_T_UNSEEN,  /**< not started yet (nothing logged by or about it) */
	VIZ_T_RUNNING, /**< up */
	VIZ_T_LEFT,    /**< left voluntarily */
	VIZ_T_STOPPED, /**< process exited cleanly (stop) */
	VIZ_T_CRASHED, /**< crash ground-truth line */
	VIZ_T_MAX
};

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
};

/** One event-log line kept by the model (trace lines are kept apart). */
struct viz_event {
	int64_t ts;
	int32_t node;     /**< observer index, -1 for ground-truth writers */
	int32_t member;   /**< member index, -1 when the line has none */
	int32_t replaces; /**< first line of a new version of the process at
	                     this address: the old member's index, else -1 */
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
};

/** A crash or a leave and how the others noticed it. */
struct viz_span {
	int32_t member;
	uint8_t ev;            /**< RUMOR_LOG_CRASH or RUMOR_LOG_LEFT */
	int64_t ts;            /**< when it happened */
	int64_t first_suspect; /**< first suspect line about it, or VIZ_NEVER */
	int64_t first_detect;  /**< first fail (crash) / leave line */
	int64_t last_detect;   /**< when the last expected observer noticed,
	                         VIZ_NEVER while some have not */
	int64_t latest;        /**< latest detection so far */
	uint32_t expected;     /**< observers running at ts, still running */
	uint32_t detected;     /**< of those, how many noticed */
	uint8_t *watch;        /**< [n at ts] 1 expected, 2 detected, 0 other */
	uint32_t n_watch;
};

/** One traced message: send paired with its recv or drop by msg id. */
struct viz_msg {
	int64_t t_send; /**< ts of the send line (= end when unseen) */
	int64_t t_end;  /**< ts of recv/drop, VIZ_NEVER when neither seen */
	int32_t from, to;
	uint32_t bytes;
	uint64_t msg;
	uint8_t kind;    /**< index into model->kinds */
	uint8_t dropped; /**< a drop line ended it */
};

struct viz_member_ix; /* id -> index hash (uthash) */
struct viz_msg_ix;    /* (from, msg) -> message index */

struct viz_ckpt {
	size_t next;
	uint32_t n;
	uint8_t *truth, *belief;
	uint64_t *heartbeat;
};

struct viz_model {
	struct viz_member *members;
	uint32_t n_members, members_cap;
	struct viz_member_ix *member_ix;
	struct viz_member_ix *addr_ix; /**< "host:port" -> latest member */

	struct viz_event *ev;
	size_t n_ev, ev_cap;
	size_t *gt; /**< indices of crash and restart events */
	size_t n_gt, gt_cap;

	struct viz_msg *msgs;
	size_t n_msgs, msgs_cap;
	struct viz_msg_ix *msg_ix;
	char kinds[32][16]; /**< message kinds seen; [0] = "?" */
	char vias[32][16];  /**< "via" values seen; [0] = "" */
	unsigned n_vias;
	unsigned n_kinds;
	int64_t max_flight_ms; /**< longest send->recv seen, for lookups */

	struct viz_span *spans;
	size_t n_spans, spans_cap;
	size_t *open_spans; /**< indices of spans still being detected */
	size_t n_open, open_cap;

	/* partition / heal ground truth: intervals for the timeline */
	int64_t *cuts; /**< pairs [start, end) in ts; end VIZ_NEVER if open */
	size_t n_cuts;

	char **files;
	uint16_t n_files;

	int has_ts0;
	int64_t ts0, ts_last; /**< first and last ts of any line */

	uint64_t n_errors; /**< malformed lines reported by the reader */

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

static inline enum viz_truth
viz_state_truth(const struct viz_state *s, uint32_t j)
{
	return j < s->cap ? (enum viz_truth)s->truth[j] : VIZ_T_UNSEEN;
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

#endif
