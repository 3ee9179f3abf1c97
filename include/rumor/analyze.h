/* SPDX-License-Identifier: MIT */
/*
 * rumor analyzer: detection latency, false failures, leave and join
 * propagation and bandwidth from event logs (docs/analyze.md).
 *
 * Feed it the records of a log (or of several logs merged by the reader,
 * i.e. in ts order) with rumor_analysis_add, then rumor_analysis_finish.
 * It works on one simulator log (virtual ts from 0, ground truth from node
 * "sim") and on the per-member logs of a real cluster read together with a
 * scenario log (epoch ms, ground truth from node "scenario").
 *
 * Every time is in ms. A time that does not exist (nobody detected, no
 * survivor, no trace lines) is RUMOR_ANALYZE_NONE (null in JSON).
 */
#ifndef RUMOR_ANALYZE_H
#define RUMOR_ANALYZE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rumor/log.h"

#ifdef __cplusplus
extern "C" {
#endif

/** "No value" for every int64_t time below. */
#define RUMOR_ANALYZE_NONE INT64_MIN

struct rumor_analyze_options {
	/**
	 * A fail of a running member that a partition cut off from some
	 * running member, during the partition or up to this long after it
	 * healed, is a partition failure (expected), not a false failure.
	 * The same grace follows the end of a sick member's fault.
	 * Default 10000; >= 0.
	 */
	int64_t partition_grace_ms;
};
/** Fill the defaults. */
void rumor_analyze_options_init(struct rumor_analyze_options *opt);

/** A list of member ids (heap array owned by the analysis). */
struct rumor_id_list {
	size_t n;
	char (*ids)[RUMOR_ID_STRLEN];
};

/** Why a member id stopped without leaving. */
enum rumor_crash_cause {
	RUMOR_CAUSE_CRASH,     /**< a ground-truth `crash` line */
	RUMOR_CAUSE_RESTART,   /**< old id of a ground-truth `restart` */
	RUMOR_CAUSE_SUPERSEDED /**< a newer version of its host:port logged,
	                            with no ground truth (e.g. a rejoin) */
};
/** "crash", "restart", "superseded"; "?" out of range. */
const char *rumor_crash_cause_name(enum rumor_crash_cause cause);

/** One crashed (or restarted) member id. Times are ms after ts. */
struct rumor_crash_report {
	char member[RUMOR_ID_STRLEN];
	enum rumor_crash_cause cause;
	int64_t ts;               /**< log ts of the crash / restart */
	int64_t first_suspect_ms; /**< first `suspect` of it at/after ts */
	int64_t first_detect_ms;  /**< first `fail` of it, any observer */
	/** last survivor's first `fail`; NONE when a survivor never
	 * detected it or there is no survivor */
	int64_t all_detect_ms;
	int64_t p50_detect_ms; /**< median over the survivors that did */
	/**
	 * Survivors: members running at ts that were still running at the
	 * end of the log, or that detected it before they stopped.
	 */
	size_t n_survivors, n_detected;
	struct rumor_id_list undetected_by; /**< survivors that never did */
	/** members that would be survivors but were sick at ts (their own
	 * fault, or heard by no majority; see sick_failures): not counted,
	 * as they may not hear */
	size_t n_sick_observers;
};

/** A `fail` of a member that was running (false or partition failure). */
struct rumor_failure_report {
	int64_t ts;
	char observer[RUMOR_ID_STRLEN];
	char member[RUMOR_ID_STRLEN];
	char via[16];
	/** partition failures: observer and member were in different groups
	 * at ts (0: the news crossed the cut, or came after the heal) */
	int across;
	/** false failures with sick members in the log: the member whose
	 * fault most likely caused it (the `from` of the fail line if it is
	 * under a fault, else the observer if it is, else the first sick
	 * member of the newest fault that holds) and that fault's kind;
	 * empty without faults */
	char cause[RUMOR_ID_STRLEN];
	char cause_kind[16];
};

/** One voluntary leave. */
struct rumor_leave_report {
	char member[RUMOR_ID_STRLEN];
	/** the leaver's own `left` line, or the first `leave` of it by
	 * another member if that came earlier */
	int64_t ts;
	int has_left_line;
	int64_t first_ms; /**< first `leave` of it by another member */
	int64_t all_ms;   /**< NONE unless every observer logged `leave` */
	/** observers: members running at ts (not the leaver) that were
	 * still running at the end or logged leave/fail before stopping */
	size_t n_observers, n_leave;
	struct rumor_id_list recorded_as_fail; /**< logged `fail` (an error) */
	struct rumor_id_list missing; /**< observers that logged neither */
};

/** One join: from the member's own `joined` line. */
struct rumor_join_report {
	char member[RUMOR_ID_STRLEN];
	int64_t ts;
	/** first `join` of it elsewhere; negative when the introducer
	 * logged it before the joiner logged `joined` */
	int64_t first_ms;
	int64_t all_ms; /**< NONE unless every observer logged `join` */
	size_t n_observers, n_joined;
	struct rumor_id_list missing;
};

/** Nearest-rank percentiles of n values; all NONE when n is 0. */
struct rumor_summary {
	size_t n;
	int64_t p50, p99, max;
};

/** Message counts from trace lines. */
struct rumor_traffic {
	int has_trace; /**< any send/recv/drop line */
	uint64_t sent, recv, dropped;
	uint64_t bytes_sent, bytes_recv;
	/** by RUMOR_MSG_* kind; index 0: unknown or absent kind */
	uint64_t sent_by_kind[RUMOR_MSG_KIND_MAX];
	uint64_t bytes_by_kind[RUMOR_MSG_KIND_MAX];
	/** bytes_sent / members / duration in s (0 when the log spans 0 ms) */
	double bytes_per_member_per_s;
	double msgs_per_member_per_s;
	/** highest one member's bytes sent / its running time (>= 1 s) */
	double max_member_bytes_per_s;
	char max_member[RUMOR_ID_STRLEN];
};

struct rumor_analyze_result {
	int64_t start_ts, end_ts; /**< first and last ts (NONE: no record) */
	int64_t duration_ms;      /**< end_ts - start_ts */
	uint64_t n_records;
	size_t n_members; /**< member ids that wrote lines */

	size_t n_crashes;
	struct rumor_crash_report *crashes; /**< in ts order */
	/** over crashes with cause crash or restart (not superseded) */
	struct rumor_summary first_suspect, first_detect, all_detect;
	size_t n_undetected; /**< sum of undetected_by.n */

	size_t n_false_failures;       /**< one per (observer, member) pair */
	size_t n_false_failed_members; /**< distinct members falsely failed */
	struct rumor_failure_report *false_failures;
	size_t n_partition_failures;
	struct rumor_failure_report *partition_failures;
	/** fails of sick members (`sick` ground truth): under a fault of
	 * their own at ts or within partition_grace_ms after it, or heard by
	 * no majority of the running members because of one-way losses and
	 * cuts (expected, not false) */
	size_t n_sick_failures;
	struct rumor_failure_report *sick_failures;
	/** fails of member ids never seen running (no verdict possible) */
	size_t n_unknown_failures;
	/** fails of a member whose own log had ended before them without a
	 *  `stop` line, and no ground-truth `crash` of it: killed or alive is
	 *  unknown (a real cluster's logs without the scenario log) */
	size_t n_silent_failures;

	size_t n_leaves;
	struct rumor_leave_report *leaves;
	struct rumor_summary leave_first, leave_all;
	size_t n_leaves_recorded_as_fail; /**< sum of recorded_as_fail.n */

	size_t n_joins;
	struct rumor_join_report *joins;
	struct rumor_summary join_first, join_all;

	struct rumor_traffic traffic;
};

/** What was read, for the report's header. Borrowed. */
struct rumor_analyze_input {
	const char *const *files;
	size_t n_files;
	uint64_t malformed_lines;
};

struct rumor_analysis;

/**
 * Create an analysis. opt NULL means the defaults (copied).
 * Returns 0, RUMOR_EINVAL (negative partition_grace_ms) or RUMOR_ENOMEM.
 */
int rumor_analysis_new(struct rumor_analysis **out,
                       const struct rumor_analyze_options *opt);
/**
 * Account one record (borrowed). Records must come in ts order (as the
 * reader merges them); a record whose ts goes backwards is treated as if at
 * the last ts. Returns 0, RUMOR_ESTATE after finish, or RUMOR_ENOMEM.
 */
int rumor_analysis_add(struct rumor_analysis *a,
                       const struct rumor_log_record *rec);
/**
 * Compute the results. *out points into the analysis (valid until
 * rumor_analysis_free). Returns 0 (also when called again) or RUMOR_ENOMEM.
 */
int rumor_analysis_finish(struct rumor_analysis *a,
                          const struct rumor_analyze_result **out);
/**
 * Write the results as the JSON document of docs/analyze.md (schema
 * "rumor-analyze/1"), or as human-readable tables. in may be NULL.
 * Call after finish. Returns 0, RUMOR_ESTATE before finish, RUMOR_ENOMEM,
 * or RUMOR_EINVAL when writing to out failed (errno set).
 */
int rumor_analysis_write_json(const struct rumor_analysis *a,
                              const struct rumor_analyze_input *in, FILE *out);
int rumor_analysis_write_text(const struct rumor_analysis *a,
                              const struct rumor_analyze_input *in, FILE *out);
/** Free everything; NULL allowed. */
void rumor_analysis_free(struct rumor_analysis *a);

#ifdef __cplusplus
}
#endif
#endif
