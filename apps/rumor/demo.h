/* SPDX-License-Identifier: MIT */
/*
 * rumor demo, shared by its parts: cmd_demo.c (command line, the run),
 * demo_cluster.c (the cluster script: start, crash, leave, restart, stop),
 * demo_poll.c (waiting on the agents' lists, their costs) and
 * demo_report.c (analysis, table, merged log, replay).
 */
#ifndef RUMOR_DEMO_H
#define RUMOR_DEMO_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "rumor/node.h"

#define START_TIMEOUT_MS    5000
#define CONVERGE_TIMEOUT_MS 20000
/* After convergence, before the faults (see start_agents). */
#define SETTLE_MS          1000
#define DETECT_TIMEOUT_MS  15000
#define CLEANUP_TIMEOUT_MS 30000
#define STOP_TIMEOUT_MS    10000
#define BIT(s)             (1u << (s))

struct demo {
	int nodes, base_port, trace, frames;
	const char *drop_rate;
	char bin[PATH_MAX], viz[PATH_MAX], dir[PATH_MAX];
	struct rumor_cluster *c;
	int64_t t0;
	size_t crash, leave, restart, restarted;
	char crash_id[RUMOR_ID_STRLEN], leave_id[RUMOR_ID_STRLEN];
	char old_id[RUMOR_ID_STRLEN], new_id[RUMOR_ID_STRLEN];
	char err[1024];
};

/* Seconds since the demo started (monotonic clock). */
double demo_elapsed(const struct demo *d);
/* Print what failed with d->err and where the logs are; returns 1. */
int demo_fail(struct demo *d, const char *what);

/* A line of the demo's progress, "[  1.2s] ...", on stdout. */
#define SAY(d, ...)                                                            \
	do {                                                                   \
		printf("[%5.1fs] ", demo_elapsed(d));                          \
		printf(__VA_ARGS__);                                           \
		putchar('\n');                                                 \
		fflush(stdout);                                                \
	} while (0)

/* ---- demo_cluster.c: each returns 0, or 1 after demo_fail ---- */
void demo_pick_victims(struct demo *d);
int demo_start_agents(struct demo *d);
int demo_crash(struct demo *d);
int demo_leave(struct demo *d);
int demo_restart(struct demo *d);
int demo_finish_cluster(struct demo *d);

/* ---- demo_poll.c ---- */
/* Wait until every other agent lists id with a status in mask (bits
 * 1 << status); 0, or 1 after demo_fail naming what. */
int demo_wait_gone(struct demo *d, const struct rumor_member_id *id,
                   unsigned mask, const char *what);
/* rumor_cluster_wait_all predicate: no failed or left entry is listed. */
int demo_no_tombstones(void *arg, size_t observer,
                       const struct rumor_control_member *list, size_t n);
/* Print RSS, CPU and bytes/s per running agent (their stats). */
void demo_agent_costs(struct demo *d);

/* ---- demo_report.c ---- */
/* Analyze the logs, print the table, merge the logs and render the
 * replay; 0, or 1 when the requirement was missed or a step failed. */
int demo_report(struct demo *d);

#endif
