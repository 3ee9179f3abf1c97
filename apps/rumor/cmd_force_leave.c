/* SPDX-License-Identifier: MIT */
/*
 * rumor force-leave ID [--agent HOST:PORT | --control PATH]: record that a
 * failed member left (serf's force-leave); the agent spreads it, so every
 * member logs `leave` for it and stops retrying its address.
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "client_args.h"
#include "commands.h"
#include "rumor/node.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: rumor force-leave HOST:PORT#VERSION [--agent HOST:PORT "
	        "| --control PATH]\n"
	        "\n"
	        "Records that a failed member left: the agent spreads it as "
	        "news, every\n"
	        "member turns its `fail` into `leave` and stops retrying the "
	        "address.\n"
	        "Only a failed member can be force-left.\n"
	        "\n"
	        "  --agent HOST:PORT  the agent bound there (default "
	        "127.0.0.1:3000)\n"
	        "  --control PATH     the agent with this control socket\n");
}

int
cmd_force_leave(int argc, char **argv)
{
	struct client_target target;
	char path[RUMOR_NODE_PATH_MAX], text[512], command[160];
	struct rumor_member_id id;
	int fd;

	switch (rumor_client_args("force-leave", argc, argv, usage, NULL, 0,
	                          &target)) {
	case 1:
		return 0;
	case 2:
		return 2;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "rumor force-leave: expected one member id, "
		                "e.g. 'rumor force-leave "
		                "127.0.0.1:3002#1700000000000'\n");
		return 2;
	}
	if (rumor_member_id_parse(argv[optind], &id) != 0) {
		fprintf(stderr,
		        "rumor force-leave: '%s' is not a member id "
		        "(HOST:PORT#VERSION)\n",
		        argv[optind]);
		return 2;
	}
	if (rumor_control_resolve(target.agent, target.control, path,
	                          sizeof(path), text, sizeof(text)) != 0) {
		fprintf(stderr, "rumor force-leave: %s\n", text);
		return 2;
	}
	snprintf(command, sizeof(command), "force-leave %s", argv[optind]);
	if (rumor_control_open(path, command, 0, &fd, text, sizeof(text))) {
		fprintf(stderr, "rumor force-leave: %s\n", text);
		return 1;
	}
	close(fd);
	printf("%s\n", text);
	return 0;
}
