/* SPDX-License-Identifier: MIT */
/*
 * rumor set drop-rate P [--agent HOST:PORT | --control PATH]: change a
 * running agent's receive drop rate.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client_args.h"
#include "commands.h"
#include "rumor/node.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: rumor set drop-rate P [--agent HOST:PORT | --control "
	        "PATH]\n"
	        "\n"
	        "Changes a running agent's setting. drop-rate: the fraction "
	        "of received\n"
	        "datagrams it drops (0.3 or 30%%), for fault injection.\n"
	        "\n"
	        "  --agent HOST:PORT  the agent bound there (default "
	        "127.0.0.1:3000)\n"
	        "  --control PATH     the agent with this control socket\n");
}

int
cmd_set(int argc, char **argv)
{
	struct client_target target;
	char path[RUMOR_NODE_PATH_MAX], text[512], command[128];
	double rate;
	int fd;

	switch (rumor_client_args("set", argc, argv, usage, NULL, 0, &target)) {
	case 1:
		return 0;
	case 2:
		return 2;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "rumor set: expected SETTING VALUE, e.g. "
		                "'rumor set drop-rate 0.3'\n");
		return 2;
	}
	if (strcmp(argv[optind], "drop-rate") != 0) {
		fprintf(stderr,
		        "rumor set: unknown setting '%s' (known: "
		        "drop-rate)\n",
		        argv[optind]);
		return 2;
	}
	if (rumor_node_parse_rate(argv[optind + 1], &rate) != 0) {
		fprintf(stderr,
		        "rumor set: drop-rate: '%s' is not in [0, 1] "
		        "or 0%%..100%%\n",
		        argv[optind + 1]);
		return 2;
	}
	if (rumor_control_resolve(target.agent, target.control, path,
	                          sizeof(path), text, sizeof(text)) != 0) {
		fprintf(stderr, "rumor set: %s\n", text);
		return 2;
	}
	snprintf(command, sizeof(command), "set drop-rate %.17g", rate);
	if (rumor_control_open(path, command, 0, &fd, text, sizeof(text))) {
		fprintf(stderr, "rumor set: %s\n", text);
		return 1;
	}
	close(fd);
	printf("%s\n", text);
	return 0;
}
