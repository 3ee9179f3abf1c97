/* SPDX-License-Identifier: MIT */
/*
 * rumor event log: writer and reader of the JSON-lines contract
 * (docs/event-log.md). Shared by the agent, the simulator, the analyzer,
 * the demo and the visualizer.
 *
 * Every line is one JSON object with at least "ts" (ms: Unix epoch for real
 * members, virtual from 0 in the simulator), "node" (the observer's member
 * id, or "sim"/"scenario" for ground-truth lines) and "ev".
 */
#ifndef RUMOR_LOG_H
#define RUMOR_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rumor/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Every "ev" value of the contract. */
enum rumor_log_ev {
	RUMOR_LOG_START,     /**< process up */
	RUMOR_LOG_JOINED,    /**< observer itself entered the group */
	RUMOR_LOG_JOIN,      /**< member added (member, via) */
	RUMOR_LOG_SUSPECT,   /**< member suspected (member, via) */
	RUMOR_LOG_ALIVE,     /**< suspicion refuted (member) */
	RUMOR_LOG_FAIL,      /**< member failed (member, via) */
	RUMOR_LOG_LEAVE,     /**< member left voluntarily (member) */
	RUMOR_LOG_REMOVE,    /**< entry deleted after cleanup (member) */
	RUMOR_LOG_LEFT,      /**< observer itself left */
	RUMOR_LOG_STOP,      /**< process exits */
	RUMOR_LOG_SEND,      /**< trace: peer, bytes, kind, msg */
	RUMOR_LOG_RECV,      /**< trace: peer, bytes, kind, msg */
	RUMOR_LOG_DROP,      /**< trace: peer, bytes, kind, msg, reason */
	RUMOR_LOG_CRASH,     /**< ground truth: member crashed */
	RUMOR_LOG_RESTART,   /**< ground truth: member (new id) restarted */
	RUMOR_LOG_PARTITION, /**< ground truth: groups cut from each other */
	RUMOR_LOG_HEAL,      /**< ground truth: all cuts healed */
	/** ground truth: a fault starts (via = its kind, msg = its number,
	 * groups = the sick members [and the other side]) */
	RUMOR_LOG_SICK,
	RUMOR_LOG_WELL,   /**< ground truth: that fault ends (same fields) */
	RUMOR_LOG_UPDATE, /**< member's tags changed (member, tags) */
	RUMOR_LOG_EV_MAX
};

/** The contract's name of ev ("join", "crash", ...); "?" when out of range. */
const char *rumor_log_ev_name(enum rumor_log_ev ev);
/** Parse an "ev" string. Returns 0 or RUMOR_EINVAL for an unknown name. */
int rumor_log_ev_parse(const char *name, enum rumor_log_ev *out);
/** Map a core event kind to its log event; RUMOR_LOG_EV_MAX if unknown. */
enum rumor_log_ev rumor_log_ev_from_core(enum rumor_event_kind kind);

/**
 * One parsed line. Strings are NUL-terminated and empty when the field is
 * absent. For "partition": group_of[i] is the group (0-based, < n_groups)
 * of group_member[i], for i < n_group_members (heap arrays owned by the
 * record; rumor_log_record_clear frees them). bytes, msg and heartbeat
 * are in [0, 2^63 - 1] (jansson's integers are int64); ts is in
 * [0, RUMOR_LOG_TS_MAX] (the reader refuses other lines).
 * A record that is filled by hand must start zeroed ({0}).
 */
/** Largest ts a reader accepts: 9999-12-31T23:59:59.999Z in Unix epoch ms
 * (the simulator's virtual ms stay far below). Lines outside 0..this are
 * malformed: an analysis of them would span -9e15 s of log. */
#define RUMOR_LOG_TS_MAX 253402300799999LL

/** Malformed lines a reading command prints (FILE:LINE: why) before it only
 * counts them and says how many were skipped: rumor analyze, rumor-viz. */
#define RUMOR_LOG_ERRORS_SHOWN 20

struct rumor_log_record {
	int64_t ts;
	enum rumor_log_ev ev;
	char node[RUMOR_ID_STRLEN];
	char member[RUMOR_ID_STRLEN];
	char via[16];
	/** who told the observer (member id); empty when absent */
	char from[RUMOR_ID_STRLEN];
	char peer[RUMOR_ID_STRLEN];
	char kind[16];   /**< message kind of trace lines */
	char reason[32]; /**< drop reason */
	uint64_t bytes;
	uint64_t msg;
	uint64_t heartbeat;
	int has_msg, has_bytes, has_heartbeat;
	size_t n_group_members;
	char (*group_member)[RUMOR_ID_STRLEN];
	uint32_t *group_of;
	/** Groups in "groups", empty ones included; 0 when writing means
	 * max(group_of) + 1. */
	size_t n_groups;
	/** "tags" (join, joined, update): the canonical encoding
	 * (rumor/tags.h), heap, tags_len bytes; NULL when absent. Freed by
	 * rumor_log_record_clear. */
	uint8_t *tags;
	size_t tags_len;
	/* where it came from, for error messages and stable merging */
	const char *file; /**< points at the reader's copy of the path */
	uint64_t line;    /**< 1-based line number in file */
};
/**
 * Free the record's heap arrays and reset them (NULL, counts 0); the other
 * fields are kept and the record stays usable. NULL is allowed.
 */
void rumor_log_record_clear(struct rumor_log_record *rec);

/* ---- writer ---- */

struct rumor_log_writer;

enum rumor_log_writer_flags {
	/**
	 * Collect whole lines in a 64 KiB buffer and write() whole buffers
	 * (the simulator: one process, many observers). Without it every line
	 * is one write() on an O_APPEND descriptor.
	 */
	RUMOR_LOG_BUFFERED = 1,
	/** Empty the file when opening it (default: append to it). */
	RUMOR_LOG_TRUNCATE = 2
};

/**
 * Open (create, mode 0644, or append to) path, or standard output when
 * path is "-". One writer per file: lines from several processes appending
 * to one file are whole, but a failed write is only undone (see below) when
 * nobody else appends. A writer is not thread-safe.
 * Returns 0 with *out set; RUMOR_EINVAL with errno set when path is NULL or
 * empty (errno EINVAL) or open() failed (its errno); RUMOR_ENOMEM.
 */
int rumor_log_writer_open(struct rumor_log_writer **out, const char *path,
                          int flags);
/**
 * Write one core event. ts is the line's "ts" in ms (the caller's log
 * clock). "node" is ev->observer, "member" ev->member (not written for
 * joined/left), "via" when not RUMOR_VIA_NONE, "from" when ev->from's
 * version is not 0, "heartbeat" for suspect,
 * alive and fail, "tags" (a JSON object of strings) for join, joined and
 * update when ev->tags_version is not 0.
 * Returns 0, or -1 with errno set: when write() failed (e.g. ENOSPC,
 * EFBIG) the line is lost, never half-written (a partial write to a regular
 * file is truncated away); ERANGE for an integer over 2^63 - 1; EINVAL for
 * an event kind out of range; ENOMEM. In BUFFERED mode the error may come
 * from writing earlier lines: the whole buffer is then lost.
 */
int rumor_log_write_event(struct rumor_log_writer *w, int64_t ts,
                          const struct rumor_event *ev);
/**
 * Write one trace line ("send"/"recv"/"drop"): "peer" is tr->peer when its
 * version is known (not 0), else tr->peer_addr; "kind" when tr->msg_kind is
 * known; "msg" when tr->msg_id is not 0; for drop, "reason" from tr->err
 * ("drop-rate" for RUMOR_EDROPPED, else rumor_err_name() lower-cased with
 * the E dropped and '_' as '-', e.g. "wire-truncated"). Same returns.
 */
int rumor_log_write_trace(struct rumor_log_writer *w, int64_t ts,
                          const struct rumor_trace *tr);
/**
 * Write any record (start, stop, crash, restart, partition, heal...): ts,
 * node and ev always, then each string field that is not empty, bytes/msg/
 * heartbeat when their has_ flag is set, "tags" when rec->tags is not NULL
 * and, for partition, "groups" from the group arrays. rec->file and rec->line
 * are ignored. Strings are escaped as JSON requires; invalid UTF-8 is written
 * as U+FFFD. Same returns (EINVAL also for ev out of range or a group_of >=
 * n_groups > 0).
 */
int rumor_log_write_record(struct rumor_log_writer *w,
                           const struct rumor_log_record *rec);
/**
 * A writer that keeps its lines in memory until rumor_log_writer_move()
 * (the simulator's threads each write into one; their lines then go to the
 * file in a fixed order). 0 with *out set, or RUMOR_ENOMEM (*out NULL).
 */
int rumor_log_writer_open_memory(struct rumor_log_writer **out);
/**
 * Put every line held by from (a memory writer; it is left empty) into to,
 * as if written there one by one. 0, or -1 with errno as a write to `to`
 * gives (the lines are then lost).
 */
int rumor_log_writer_move(struct rumor_log_writer *to,
                          struct rumor_log_writer *from);
/**
 * The lines a memory writer (rumor_log_writer_open_memory) holds, whole
 * lines with their newlines: returns a pointer to them (*len bytes, not
 * NUL-terminated, owned by w and valid until the next line is written to
 * it) and empties the writer. NULL with *len = 0 when it holds none or w is
 * not a memory writer. Used to render one event as its log line (the
 * agent's JSON monitors).
 */
const char *rumor_log_writer_take(struct rumor_log_writer *w, size_t *len);
/**
 * Write buffered lines (a no-op without RUMOR_LOG_BUFFERED). 0 or -1 with
 * errno; on error the buffered lines are lost (never half a line written).
 */
int rumor_log_writer_flush(struct rumor_log_writer *w);
/** Flush and close; NULL allowed. 0, or -1 with errno of flush or close. */
int rumor_log_writer_close(struct rumor_log_writer *w);

/* ---- reader ---- */

struct rumor_log_reader;

/**
 * Open n (>= 1) log files to be read merged by ts (ties: the order of the
 * files, then line order; each file is expected in ts order, as writers
 * produce it). "-" is standard input. paths are copied.
 * Returns 0, RUMOR_ENOMEM, or RUMOR_EINVAL when n is 0 or a file cannot
 * be opened or is a directory (errno set; *bad_path, if not NULL, is set
 * to the path at fault, one of paths[]).
 */
int rumor_log_reader_open(struct rumor_log_reader **out,
                          const char *const *paths, size_t n,
                          const char **bad_path);
/**
 * Next record in ts order. *rec must be zeroed before the first call; each
 * call first frees rec's previous group arrays and tags
 * (rumor_log_record_clear), so take them (set the pointers to NULL) to keep
 * them. rec->file stays valid
 * until rumor_log_reader_close.
 * Returns 1 with *rec filled, 0 at the end of all files. A malformed line
 * (bad JSON, not an object, missing or mistyped field, string too long,
 * unknown "ev", line over 1 MiB, no newline at the end of the file) is
 * skipped: it is reported through the error callback (or to stderr as
 * "FILE:LINE: message" when none is set) and counted. Blank lines are
 * ignored. A read error is reported as line 0 and ends that file.
 * In follow mode 0 means "nothing more yet".
 */
int rumor_log_reader_next(struct rumor_log_reader *r,
                          struct rumor_log_record *rec);
/** Report malformed lines to cb instead of stderr. */
void rumor_log_reader_on_error(struct rumor_log_reader *r,
                               void (*cb)(void *arg, const char *file,
                                          uint64_t line, const char *msg),
                               void *arg);
/**
 * Follow mode (follow != 0): at end of file keep the position and return
 * 0; a later next call reads lines appended since (a partial last line
 * waits until its newline arrives). Records are then merged by ts among the
 * lines available at the time of the call: a line appended later with a
 * smaller ts comes after the ones already returned.
 */
void rumor_log_reader_follow(struct rumor_log_reader *r, int follow);
/** Malformed lines skipped so far. */
uint64_t rumor_log_reader_errors(const struct rumor_log_reader *r);
void rumor_log_reader_close(struct rumor_log_reader *r);

/** Current Unix epoch time in ms (CLOCK_REALTIME), for real members' ts. */
int64_t rumor_log_wall_ms(void);

#ifdef __cplusplus
}
#endif
#endif
