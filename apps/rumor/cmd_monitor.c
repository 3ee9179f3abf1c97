/*
 * rumor monitor [--json] [--agent HOST:PORT | --control PATH]: stream a
 * running agent's events as they happen, until it stops.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

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
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"agent", required_argument, NULL, 'a'},
	    {"control", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *agent = NULL, *control = NULL;
	char path[RUMOR_NODE_PATH_MAX], text[512], buf[4096];
	int c, fd, json = 0;
	ssize_t r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == 'j') {
			json = 1;
		} else if (c == 'a') {
			agent = optarg;
		} else if (c == 'c') {
			control = optarg;
		} else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "rumor monitor: %s '%s' (try --help)\n",
			        c == ':' ? "missing value for option"
			                 : "unknown option",
			        argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "rumor monitor: unexpected argument '%s'\n",
		        argv[optind]);
		return 2;
	}
	if (rumor_control_resolve(agent, control, path, sizeof(path), text,
	                          sizeof(text)) != 0) {
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
