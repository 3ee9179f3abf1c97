/* SPDX-License-Identifier: MIT */
/*
 * rumor monitor [--json] [--agent HOST:PORT | --control PATH]: stream a
 * running agent's events as they happen, until it stops.
 */
#include <errno.h>
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
	        "usage: rumor monitor [--json] [--agent HOST:PORT | --control "
	        "PATH]\n"
	        "\n"
	        "Prints the agent's events (join, suspect, alive, fail, "
	        "leave, remove...)\n"
	        "and notices as they happen, until the agent stops or "
	        "Ctrl-C.\n"
	        "\n"
	        "  --json             event-log lines (JSON) instead of "
	        "readable ones\n"
	        "  --agent HOST:PORT  the agent bound there (default "
	        "127.0.0.1:3000)\n"
	        "  --control PATH     the agent with this control socket\n");
}

int
cmd_monitor(int argc, char **argv)
{
	int json = 0;
	const struct client_flag flags[] = {{"json", &json, NULL}};
	struct client_target target;
	char path[RUMOR_NODE_PATH_MAX], text[512], buf[4096];
	int fd;
	ssize_t r;

	switch (rumor_client_args("monitor", argc, argv, usage, flags, 1,
	                          &target)) {
	case 1:
		return 0;
	case 2:
		return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "rumor monitor: unexpected argument '%s'\n",
		        argv[optind]);
		return 2;
	}
	if (rumor_control_resolve(target.agent, target.control, path,
	                          sizeof(path), text, sizeof(text)) != 0) {
		fprintf(stderr, "rumor monitor: %s\n", text);
		return 2;
	}
	if (rumor_control_open(path, json ? "monitor json" : "monitor", 0, &fd,
	                       text, sizeof(text))) {
		fprintf(stderr, "rumor monitor: %s\n", text);
		return 1;
	}
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || write(STDOUT_FILENO, buf, (size_t)r) != r)
			break;
	}
	close(fd);
	return 0;
}
