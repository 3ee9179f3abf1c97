/* SPDX-License-Identifier: MIT */
/*
 * rumor demo's cluster script (demo.h): start the agents, crash one,
 * make one leave, restart one, wait for cleanup and stop them all.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"

int
demo_start_agents(struct demo *d)
{
	const char *args[8];
	char name[32], bind[32], join[32];
	size_t k = 0, idx;

	snprintf(join, sizeof(join), "127.0.0.1:%d", d->base_port);
	if (d->trace)
		args[k++] = "--trace";
	if (d->drop_rate) {
		args[k++] = "--drop-rate";
		args[k++] = d->drop_rate;
	}
	for (int i = 0; i < d->nodes; i++) {
		size_t n = k;
		if (i > 0) {
			args[n++] = "--join";
			args[n++] = join;
		}
		args[n] = NULL;
		snprintf(name, sizeof(name), "node-%d", d->base_port + i);
		snprintf(bind, sizeof(bind), "127.0.0.1:%d", d->base_port + i);
		if (rumor_cluster_start(d->c, name, bind, args, NULL,
		                        START_TIMEOUT_MS, &idx, d->err,
		                        sizeof(d->err)) != 0) {
			if (strstr(d->err, "address already in use"))
				fprintf(stderr,
				        "rumor demo: port %d is taken "
				        "(another agent or demo?); "
				        "--base-port picks others\n",
				        d->base_port + i);
			return demo_fail(d, "starting an agent");
		}
		if (i == 0)
			SAY(d, "introducer %s up (%s)", bind,
			    rumor_cluster_agent(d->c, idx)->id_text);
	}
	SAY(d, "%d more agents started on ports %d-%d, joining through %s",
	    d->nodes - 1, d->base_port + 1, d->base_port + d->nodes - 1, join);
	if (rumor_cluster_wait_converged(d->c, CONVERGE_TIMEOUT_MS, d->err,
	                                 sizeof(d->err)) != 0)
		return demo_fail(d, "waiting for everyone to list everyone");
	SAY(d, "all %d agents list all %d members as alive", d->nodes,
	    d->nodes);
	/* a running cluster, not one 50 ms old: give every member time to
	 * send its first heartbeats to its ring monitors (a member that dies
	 * before its monitors ever heard it is caught by the slower timeout
	 * for members heard only through gossip; docs/architecture.md) */
	usleep(SETTLE_MS * 1000);
	return 0;
}

int
demo_crash(struct demo *d)
{
	struct rumor_cluster_agent *a = rumor_cluster_agent(d->c, d->crash);

	snprintf(d->crash_id, sizeof(d->crash_id), "%s", a->id_text);
	rumor_cluster_crash(d->c, d->crash);
	SAY(d, "crash: SIGKILL %s (%s)", a->name, a->id_text);
	return demo_wait_gone(d, &a->id, BIT(RUMOR_STATUS_FAILED), "failed");
}

int
demo_leave(struct demo *d)
{
	struct rumor_cluster_agent *a = rumor_cluster_agent(d->c, d->leave);
	int status = 0;

	snprintf(d->leave_id, sizeof(d->leave_id), "%s", a->id_text);
	rumor_cluster_leave(d->c, d->leave);
	SAY(d, "leave: SIGTERM %s (%s)", a->name, a->id_text);
	if (rumor_cluster_wait_exit(d->c, d->leave, STOP_TIMEOUT_MS, &status) ==
	    RUMOR_EINVAL) {
		snprintf(d->err, sizeof(d->err), "%s still running", a->name);
		return demo_fail(d, "leave");
	}
	SAY(d, "%s announced its leave and exited with status %d", a->name,
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return demo_wait_gone(d, &a->id, BIT(RUMOR_STATUS_LEFT), "left");
}

int
demo_restart(struct demo *d)
{
	struct rumor_cluster_agent *a = rumor_cluster_agent(d->c, d->restart);
	struct rumor_member_id old = a->id;

	snprintf(d->old_id, sizeof(d->old_id), "%s", a->id_text);
	if (rumor_cluster_restart(d->c, d->restart, START_TIMEOUT_MS,
	                          &d->restarted, d->err, sizeof(d->err)) != 0)
		return demo_fail(d, "restart");
	a = rumor_cluster_agent(d->c, d->restarted);
	snprintf(d->new_id, sizeof(d->new_id), "%s", a->id_text);
	SAY(d, "restart: SIGKILL %s and start it again: %s -> %s", a->bind,
	    d->old_id, d->new_id);
	if (rumor_cluster_wait_converged(d->c, DETECT_TIMEOUT_MS, d->err,
	                                 sizeof(d->err)) != 0)
		return demo_fail(d, "waiting for the new version to be listed");
	SAY(d, "every agent lists the new version as alive");
	return demo_wait_gone(d, &old, BIT(RUMOR_STATUS_FAILED),
	                      "failed (old id)");
}

int
demo_finish_cluster(struct demo *d)
{
	double t = demo_elapsed(d);

	if (rumor_cluster_wait_all(d->c, demo_no_tombstones, NULL,
	                           CLEANUP_TIMEOUT_MS, d->err,
	                           sizeof(d->err)) != 0)
		return demo_fail(d, "waiting for cleanup");
	SAY(d, "cleanup: failed and left entries removed everywhere (%.1f s)",
	    demo_elapsed(d) - t);
	demo_agent_costs(d);
	if (rumor_cluster_stop_all(d->c, STOP_TIMEOUT_MS, d->err,
	                           sizeof(d->err)) != 0)
		return demo_fail(d, "stopping the agents");
	SAY(d, "all agents stopped (SIGTERM: each left and exited 0)");
	return 0;
}

void
demo_pick_victims(struct demo *d)
{
	if (d->nodes < 6) {
		d->crash = 1;
		d->leave = 2;
		d->restart = 3;
	} else {
		d->crash = 3;
		d->leave = 5;
		d->restart = (size_t)d->nodes - 2;
	}
}
