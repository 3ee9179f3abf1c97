/* SPDX-License-Identifier: MIT */
/*
 * rumor leave [--agent HOST:PORT | --control PATH]: make a running agent
 * leave the group voluntarily; returns once it has left and stopped.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "client_args.h"
#include "commands.h"
#include "rumor/node.h"

/* A leave takes leave_grace_ms (1 s by default); this is generous. */
#define LEAVE_WAIT_MS 60000

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: rumor leave [--agent HOST:PORT | --control PATH]\n"
	        "\n"
	        "Asks the agent to leave the group (as SIGTERM does) and "
	        "waits until it\n"
	        "has announced its leave and stopped.\n"
	        "\n"
	        "  --agent HOST:PORT  the agent bound there (default "
	        "127.0.0.1:3000)\n"
	        "  --control PATH     the agent with this control socket\n");
}

/* Read until the agent closes the connection: it has stopped. */
static int
wait_closed(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	char buf[256];

	for (;;) {
		int rc = poll(&p, 1, LEAVE_WAIT_MS);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return -1;
		ssize_t r = read(fd, buf, sizeof(buf));
		if (r == 0 || (r < 0 && errno == ECONNRESET))
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

int
cmd_leave(int argc, char **argv)
{
	struct client_target target;
	char path[RUMOR_NODE_PATH_MAX], text[512];
	int fd, rc;

	switch (
	    rumor_client_args("leave", argc, argv, usage, NULL, 0, &target)) {
	case 1:
		return 0;
	case 2:
		return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "rumor leave: unexpected argument '%s'\n",
		        argv[optind]);
		return 2;
	}
	if (rumor_control_resolve(target.agent, target.control, path,
	                          sizeof(path), text, sizeof(text)) != 0) {
		fprintf(stderr, "rumor leave: %s\n", text);
		return 2;
	}
	if (rumor_control_open(path, "leave", 0, &fd, text, sizeof(text))) {
		fprintf(stderr, "rumor leave: %s\n", text);
		return 1;
	}
	printf("%s...\n", text);
	fflush(stdout);
	rc = wait_closed(fd);
	close(fd);
	if (rc != 0) {
		fprintf(stderr,
		        "rumor leave: the agent did not stop within "
		        "%d s\n",
		        LEAVE_WAIT_MS / 1000);
		return 1;
	}
	printf("left\n");
	return 0;
}
