/* SPDX-License-Identifier: MIT */
/*
 * The options every command that talks to a running agent takes:
 * --agent HOST:PORT, --control PATH and --help, plus flags of its own.
 */
#ifndef RUMOR_APP_CLIENT_ARGS_H
#define RUMOR_APP_CLIENT_ARGS_H

#include <stdio.h>

/** A command's own option: a switch (value NULL) or one with a value. */
struct client_flag {
	const char *name;   /**< long name, without the dashes */
	int *set;           /**< set to 1 when given (may be NULL) */
	const char **value; /**< the option takes a value, stored here */
};

/** What the common options named (NULL when absent). */
struct client_target {
	const char *agent, *control;
};

/**
 * Parse argv with getopt_long: the common options, then the n flags. On
 * return optind is the first operand. Returns 0, 1 after printing usage to
 * stdout for --help (exit 0), or 2 after naming the bad option on stderr
 * as "rumor CMD: ..." (exit 2). cmd and usage must not be NULL.
 */
int rumor_client_args(const char *cmd, int argc, char **argv,
                      void (*usage)(FILE *out), const struct client_flag *flags,
                      int n, struct client_target *target);

#endif
