/* SPDX-License-Identifier: MIT */
/* `rumor agent --config FILE` (agent_config.c). */
#ifndef RUMOR_APP_AGENT_CONFIG_H
#define RUMOR_APP_AGENT_CONFIG_H

#include <getopt.h>
#include <stddef.h>

/** The FILE of the last --config FILE (or --config=FILE) in argv, or NULL. */
const char *rumor_agent_config_path(int argc, char **argv);

/**
 * When argv holds --config FILE (or --config=FILE), read FILE (INI, keys =
 * the long options in opts) and return in *out_argv a new argument vector:
 * argv[0], the file's keys as flags, then argv[1..]. Without --config,
 * *out_argv = argv. Returns 0, or -1 with err (cap bytes) naming the file
 * and the key or line at fault.
 */
int rumor_agent_config_args(int argc, char **argv, const struct option *opts,
                            int *out_argc, char ***out_argv, char *err,
                            size_t cap);

/** Free what rumor_agent_config_args made (nothing without --config):
 * argc/argv as given to it, n_all/all as it returned them. */
void rumor_agent_config_free(int argc, char **argv, int n_all, char **all);

#endif
