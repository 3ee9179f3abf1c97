/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the process tests: a cluster of real `rumor agent`
 * processes on 127.0.0.1 with ephemeral ports, in a fresh directory under
 * /tmp, killed on every exit path (rumor_cluster_* in include/rumor/node.h).
 */
#ifndef RUMOR_PROC_UTIL_H
#define RUMOR_PROC_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "rumor/analyze.h"
#include "rumor/node.h"

/* Under ASan the agents' RSS grows with its quarantine (up to 256 MB):
 * memory bounds are checked only in ordinary builds. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

/* Generous wall-clock bounds: a loaded 2-core machine must not flake. */
#define PROC_START_MS    10000
#define PROC_CONVERGE_MS 30000
#define PROC_DETECT_MS   20000
#define PROC_STOP_MS     15000

struct proc_env {
	char dir[64];
	char state[80];
	struct rumor_cluster *c;
	char err[1024];
	int failed; /* keep the directory for a look */
};

/* mkdtemp + cluster; every agent gets --state-dir DIR/state. */
void proc_env_init(struct proc_env *e);
/* Kill what runs, then remove the directory (kept when e->failed). */
void proc_env_free(struct proc_env *e);
/** cmocka fixtures: a fresh proc_env in *state, freed (agents stopped). */
int proc_setup(void **state);
int proc_teardown(void **state);

/*
 * Start an agent on 127.0.0.1:0 (bind NULL) or on bind, joining through
 * `join` (NULL: a new group), with extra args (NULL-terminated, may be
 * NULL). Fails the test on error. Returns its index.
 */
size_t proc_start(struct proc_env *e, const char *name, const char *bind,
                  const char *join, const char *const *extra);
/* Start an introducer and n-1 agents joining it; wait for convergence. */
void proc_start_group(struct proc_env *e, size_t n, const char *const *extra);
/* "127.0.0.1:PORT" of agent i. */
const char *proc_addr(struct proc_env *e, size_t i);

/* Fail the test with e->err unless rc == 0. */
void proc_check(struct proc_env *e, int rc, const char *what);

/* Read every log (scenario first) into an analysis; caller frees. */
struct rumor_analysis *proc_analyze(struct proc_env *e,
                                    const struct rumor_analyze_result **res);
/* Lines in agent i's log with this ev (and member, unless NULL). */
size_t proc_count(struct proc_env *e, size_t i, enum rumor_log_ev ev,
                  const char *member);
/*
 * Wait until every running agent (not crashed, not told to leave) lists
 * every running agent's address alive at the version that agent itself
 * reports (a rejoin's new version included), nothing else alive or
 * suspect; with strict, no other entry at all (every tombstone of an older
 * version removed). Returns 0, or RUMOR_EINVAL with e->err saying who
 * disagrees.
 */
int proc_wait_one_membership(struct proc_env *e, int strict, int timeout_ms);
/* Lines with ev about member summed over every agent's log. */
size_t proc_count_all_member(struct proc_env *e, enum rumor_log_ev ev,
                             const char *member);
/* ts of agent i's first line with ev about member; INT64_MIN if none. */
int64_t proc_first_ts(struct proc_env *e, size_t i, enum rumor_log_ev ev,
                      const char *member);
/* Events of kind ev (any member) summed over every agent's log. */
size_t proc_count_all(struct proc_env *e, enum rumor_log_ev ev);
/* 1 when agent i's stderr contains text. */
int proc_stderr_has(struct proc_env *e, size_t i, const char *text);

/* Run a command (argv[0] is the rumor binary), capture stdout+stderr. */
int proc_run(char *out, size_t cap, const char *const *argv);

#endif
