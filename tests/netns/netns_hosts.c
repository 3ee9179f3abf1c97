/* SPDX-License-Identifier: MIT */
/* The hosts of netns_partition.sh for the C tests (netns_hosts.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "netns_hosts.h"

void
netns_start_hosts(struct proc_env *e, const char *tag, int n)
{
	for (int i = 1; i <= n; i++) {
		char ns[32], name[16], bind[32];
		const char *prefix[] = {"ip", "netns", "exec", ns, NULL};
		const char *args[] = {"--state-dir",    e->state,
		                      "--quiet",        "--join",
		                      "10.77.1.1:3000", NULL};
		size_t idx;
		snprintf(ns, sizeof(ns), "%sh%d", tag, i);
		snprintf(name, sizeof(name), "h%d", i);
		snprintf(bind, sizeof(bind), "10.77.1.%d:3000", i);
		if (i == 1)
			args[3] = NULL; /* the introducer */
		proc_check(e,
		           rumor_cluster_start(e->c, name, bind, args, prefix,
		                               PROC_START_MS, &idx, e->err,
		                               sizeof(e->err)),
		           name);
	}
}

int
netns_setup(void **state)
{
	static struct proc_env e;

	proc_env_init(&e);
	*state = &e;
	return 0;
}

int
netns_teardown(void **state)
{
	proc_env_free(*state);
	return 0;
}
