/* SPDX-License-Identifier: MIT */
/*
 * rumor demo's polling (demo.h): the agents' lists until they agree, and
 * their costs from `stats`.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"

int
demo_wait_gone(struct demo *d, const struct rumor_member_id *id, unsigned mask,
               const char *what)
{
	double t = demo_elapsed(d);

	if (rumor_cluster_wait_status(d->c, id, mask, 1, DETECT_TIMEOUT_MS,
	                              d->err, sizeof(d->err)) != 0)
		return demo_fail(d, what);
	SAY(d, "every other agent lists it %s (%.1f s later, polled)", what,
	    demo_elapsed(d) - t);
	return 0;
}

int
demo_no_tombstones(void *arg, size_t observer,
                   const struct rumor_control_member *list, size_t n)
{
	(void)arg;
	(void)observer;
	for (size_t i = 0; i < n; i++)
		if (list[i].status == RUMOR_STATUS_FAILED ||
		    list[i].status == RUMOR_STATUS_LEFT)
			return 0;
	return 1;
}

/* Per-agent cost before stopping: RSS, CPU, bytes/s. */
void
demo_agent_costs(struct demo *d)
{
	long rss_min = LONG_MAX, rss_max = 0;
	double cpu = 0, bps = 0, up = 0;
	int n = 0;

	for (size_t i = 0; i < rumor_cluster_size(d->c); i++) {
		struct rumor_cluster_agent *a = rumor_cluster_agent(d->c, i);
		char text[256], buf[2048] = "";
		long long rss = 0, user = 0, sys = 0, ms = 0, bytes = 0;
		int fd;
		ssize_t r;
		if (!rumor_cluster_running(d->c, i) ||
		    rumor_control_open(a->sock, "stats", 0, &fd, text,
		                       sizeof(text)) != 0)
			continue;
		r = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[r > 0 ? r : 0] = '\0';
		char *p;
		if ((p = strstr(buf, "\"rss_kib\":")))
			rss = atoll(p + 10);
		if ((p = strstr(buf, "\"cpu_user_ms\":")))
			user = atoll(p + 14);
		if ((p = strstr(buf, "\"cpu_sys_ms\":")))
			sys = atoll(p + 13);
		if ((p = strstr(buf, "\"uptime_ms\":")))
			ms = atoll(p + 12);
		if ((p = strstr(buf, "\"bytes_sent\":")))
			bytes = atoll(p + 13);
		if (ms <= 0)
			continue;
		rss_min = rss < rss_min ? rss : rss_min;
		rss_max = rss > rss_max ? rss : rss_max;
		cpu += (double)(user + sys) / (double)ms;
		bps += (double)bytes * 1000.0 / (double)ms;
		up += (double)ms / 1000.0;
		n++;
	}
	if (n > 0)
		SAY(d,
		    "per agent: RSS %ld-%ld KiB, CPU %.2f%% of a core, "
		    "%.0f bytes/s sent (mean over %d agents, %.0f s up)",
		    rss_min, rss_max, 100.0 * cpu / n, bps / n, n, up / n);
}
