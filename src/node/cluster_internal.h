/* SPDX-License-Identifier: MIT */
/* The local-cluster helper's private parts (cluster.c, cluster_wait.c). */
#ifndef RUMOR_CLUSTER_INTERNAL_H
#define RUMOR_CLUSTER_INTERNAL_H

#include <limits.h>

#include "rumor/log.h"
#include "rumor/node.h"

struct agent {
	struct rumor_cluster_agent pub;
	char **args, **prefix; /* NULL-terminated copies, for restarts */
	int64_t start_ts;      /* ts of its `start` line */
};

struct rumor_cluster {
	char bin[PATH_MAX];
	char dir[PATH_MAX];
	char scenario_path[PATH_MAX];
	struct rumor_log_writer *scenario;
	struct agent *agents;
	size_t n, cap;
};

void rumor__cluster_sleep_ms(int ms);
int64_t rumor__cluster_now_ms(void);
/* Wait for agent i's `start` line: fills id, id_text, start_ts. */
int rumor__cluster_wait_start(struct rumor_cluster *c, size_t i, int timeout_ms,
                              char *err, size_t cap);

#endif
