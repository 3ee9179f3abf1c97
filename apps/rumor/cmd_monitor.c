/* SPDX-License-Identifier: MIT */
/*
 * rumor monitor [--json] [--agent HOST:PORT | --control PATH]: stream a
 * running agent's events as they happen, until it stops.
 */
#include <errno.h>
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
	        "  --control PATH     the agent with this control socket\n"
	        "\n"
	        "Exit status: 0 when the agent stopped (its last line is "
	        "`stop`), 1 when\n"
	        "the connection closed without it (the agent was killed).\n");
}

/* Keep the last complete line of the stream (truncated to cap - 1) in
 * last: the agent's final line is its `stop`. */
static void
track_last_line(char *last, size_t cap, size_t *len, const char *buf, size_t n)
{
	static char cur[512];
	static size_t cur_len;

	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			*len = cur_len < cap - 1 ? cur_len : cap - 1;
			memcpy(last, cur, *len);
			last[*len] = '\0';
			cur_len = 0;
		} else if (cur_len < sizeof(cur)) {
			cur[cur_len++] = buf[i];
		}
	}
}

/* 1 when the stream ended with the agent's stop line; otherwise says that
 * the agent went away without one (killed, or crashed). */
static int
stopped_cleanly(const char *last, size_t len)
{
	if (len > 0 && (strstr(last, "\"ev\":\"stop\"") != NULL ||
	                strstr(last, " stop     ") != NULL))
		return 1;
	fprintf(stderr, "rumor monitor: the agent closed the connection "
	                "without stopping (killed or crashed?)\n");
	return 0;
}

int
cmd_monitor(int argc, char **argv)
{
	int json = 0;
	const struct client_flag flags[] = {{"json", &json, NULL}};
	struct client_target target;
	char path[RUMOR_NODE_PATH_MAX], text[512], buf[4096];
	char last[512];
	size_t last_len = 0;
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
		if (r < 0) {
			fprintf(stderr, "rumor monitor: reading: %s\n",
			        strerror(errno));
			break;
		}
		if (write(STDOUT_FILENO, buf, (size_t)r) != r) {
			close(fd);
			return 1;
		}
		track_last_line(last, sizeof(last), &last_len, buf, (size_t)r);
	}
	close(fd);
	return stopped_cleanly(last, last_len) ? 0 : 1;
}
