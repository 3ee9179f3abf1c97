/* SPDX-License-Identifier: MIT */
/* Internal state of the analyzer (src/analyze). Not installed. */
#ifndef RUMOR_ANALYZE_INTERNAL_H
#define RUMOR_ANALYZE_INTERNAL_H

#include <uthash.h>

#include "rumor/analyze.h"

#define NONE RUMOR_ANALYZE_NONE
/** cut_until while the member is cut off right now */
#define CUT_NOW INT64_MAX
/** a restart this soon after the old id's crash line makes it a restart */
#define RESTART_WINDOW_MS 1000
/** the group of members a partition line does not list */
#define GROUP_REST UINT32_MAX

/** First ts per observer (index = member idx); NONE when unset. */
struct obs_times {
	int64_t *ts;
	size_t cap;
};

struct amember {
	char id[RUMOR_ID_STRLEN];
	UT_hash_handle hh;
	size_t idx;
	size_t hostport_len; /* bytes of id before '#' */
	uint64_t version;
	int observable;     /* wrote lines of its own */
	int is_new_version; /* an older version of its host:port ran */
	int64_t start_ts;   /* first own line or restart; NONE: never ran */
	int64_t stop_ts;    /* any end: stop, crash, leave, superseded */
	int64_t gone_ts;    /* crash, leave or superseded only */
	uint32_t group;     /* in the current partition */
	int64_t cut_until;  /* NONE: never cut off; CUT_NOW: cut off now */
	long crash, leave, join; /* index into the arrays, -1: none */
	uint64_t sent, bytes_sent;
	int falsely_failed;  /* some observer logged a false failure of it */
	int64_t last_own_ts; /* its last own line; NONE: none */
	int stop_line;       /* it logged its own `stop` */
};

/* The newest version seen of a host:port. */
struct hostport {
	char key[RUMOR_ID_STRLEN];
	UT_hash_handle hh;
	size_t newest;
};

struct crash {
	size_t member;
	enum rumor_crash_cause cause;
	int64_t ts;
	int64_t first_suspect;
	struct obs_times detect;
};

struct leave {
	size_t member;
	int64_t ts;
	int has_left_line;
	struct obs_times leave, fail;
};

struct join {
	size_t member;
	int64_t ts;    /* NONE until the `joined` line */
	int bootstrap; /* `joined` via self of a first version: no group yet */
	struct obs_times join;
};

/* One fault of a sick member (a `sick` line until its `well` line). */
struct afault {
	uint64_t num;       /* the lines' msg */
	char kind[16];      /* deaf, mute, oneway, cut, slow, delay, pause */
	int link;           /* oneway or cut: between sides 1 and 2 */
	int both;           /* cut: both ways */
	size_t n;           /* members listed */
	size_t *idx;        /* their member idx */
	uint8_t *bit;       /* 1: first group (the sick), 2: second */
	int64_t start, end; /* end NONE while it lasts */
};

/* A (observer, member) pair already counted as a false/partition failure. */
struct pair {
	char key[2 * RUMOR_ID_STRLEN];
	UT_hash_handle hh;
	int64_t ts;
};

/* A growable array of n elements of elem_size bytes. */
struct vec {
	void *p;
	size_t n, cap;
};

struct rumor_analysis {
	struct rumor_analyze_options opt;
	struct amember *by_id;
	struct amember **members; /* by idx */
	size_t n_members, cap_members;
	struct hostport *hostports;
	struct vec crashes, leaves, joins; /* struct crash / leave / join */
	struct vec false_f, partition_f;   /* struct rumor_failure_report */
	struct vec sick_f;                 /* ... of sick members */
	struct vec faults;                 /* struct afault, in start order */
	struct pair *pairs;
	int partition_active;
	size_t n_groups;
	int64_t first_ts, last_ts;
	uint64_t n_records;
	size_t n_unknown_failures;
	size_t n_silent_failures;
	size_t n_false_failed_members;
	struct rumor_traffic traffic;
	int finished;
	struct rumor_analyze_result res;
};

/* analyze.c */
/** Append one zeroed element; NULL on ENOMEM. */
void *rumor__vec_push(struct vec *v, size_t elem_size);
int rumor__obs_set_min(struct obs_times *t, size_t idx, int64_t ts);
int64_t rumor__obs_get(const struct obs_times *t, size_t idx);

/* members.c */
/** The member with this id, added (not started) when new; NULL: ENOMEM. */
struct amember *rumor__member_get(struct rumor_analysis *a, const char *id);
/** The member wrote a line at ts: it runs (and supersedes older versions
 * of its host:port). 0 or RUMOR_ENOMEM. */
int rumor__member_seen(struct rumor_analysis *a, struct amember *m, int64_t ts);
/** Ground-truth restart: m (the new id) starts at ts. */
int rumor__member_restart(struct rumor_analysis *a, struct amember *m,
                          int64_t ts);
/** Ground-truth crash of m at ts. */
int rumor__member_crash(struct rumor_analysis *a, struct amember *m,
                        int64_t ts);
/** m's process ends at ts; gone: by crash/leave/supersede. */
void rumor__member_stop(struct amember *m, int64_t ts, int gone);
int rumor__member_running(const struct amember *m, int64_t ts);
/** 1 when both ids have the same host:port (versions of one process). */
int rumor__same_hostport(const struct amember *x, const struct amember *y);
/** Partition lines and heal: groups and cut-off times. */
int rumor__partition_set(struct rumor_analysis *a,
                         const struct rumor_log_record *rec);
void rumor__partition_heal(struct rumor_analysis *a, int64_t ts);
/** m was cut off from some running member at ts or within the grace. */
int rumor__member_cut(const struct rumor_analysis *a, const struct amember *m,
                      int64_t ts);

/* sick.c */
int rumor__fault_start(struct rumor_analysis *a,
                       const struct rumor_log_record *rec);
void rumor__fault_end(struct rumor_analysis *a,
                      const struct rumor_log_record *rec);
void rumor__faults_free(struct rumor_analysis *a);
/** x's failure at ts is expected: its own fault holds (or ended within
 * the grace), or link faults leave it heard by no majority of the running
 * members. */
int rumor__member_sick(const struct rumor_analysis *a, const struct amember *x,
                       int64_t ts);
/** Name in r the member whose fault most likely caused the false failure
 * that o logged in rec: its `from` if sick, else o if sick, else the first
 * sick member of the newest fault that holds; nothing without faults. */
void rumor__false_cause(struct rumor_analysis *a, const struct amember *o,
                        const struct rumor_log_record *rec,
                        struct rumor_failure_report *r);

/* finish.c */
int rumor__finish(struct rumor_analysis *a);
void rumor__result_free(struct rumor_analyze_result *res);

/* summary.c */
/** Nearest-rank summary of v[0..n) (sorted in place). */
void rumor__summarize(int64_t *v, size_t n, struct rumor_summary *out);

#endif
