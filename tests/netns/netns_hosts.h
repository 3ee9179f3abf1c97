/* SPDX-License-Identifier: MIT */
/*
 * The hosts of netns_partition.sh for the C tests: one agent per network
 * namespace TAGh1..hN on 10.77.1.i:3000, joining through h1; and cmocka
 * fixtures holding a proc_env.
 */
#ifndef RUMOR_NETNS_HOSTS_H
#define RUMOR_NETNS_HOSTS_H

#include "proc_util.h"

/* Start an agent in each of TAGh1..TAGhN (h1 the introducer). Fails the
 * test on error. */
void netns_start_hosts(struct proc_env *e, const char *tag, int n);
/* cmocka fixtures: a fresh proc_env in *state, freed afterwards. */
int netns_setup(void **state);
int netns_teardown(void **state);

#endif
