/* SPDX-License-Identifier: MIT */
/*
 * rumor set drop-rate P | deaf on|off | mute on|off
 *           [--agent HOST:PORT | --control PATH]:
 * change a running agent's setting (fault injection).
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
	        "usage: rumor set drop-rate P | deaf on|off | mute on|off\n"
	        "                 [--agent HOST:PORT | --control PATH]\n"
	        "\n"
	        "Changes a running agent's setting, for fault injection.\n"
	        "  drop-rate P  the fraction of received datagrams it drops "
	        "(0.3 or 30%%)\n"
	        "  deaf on|off  it receives nothing: datagrams dropped on "
	        "arrival,\n"
	        "               join/sync streams unread\n"
	        "  mute on|off  it sends nothing: datagrams and streams\n"
	        "\n"
	        "  --agent HOST:PORT  the agent bound there (default "
	        "127.0.0.1:3000)\n"
	        "  --control PATH     the agent with this control socket\n");
}

/* The control command for SETTING VALUE into command; 0, or 2 after a
 * message naming the bad setting or value. */
static int
build_command(const char *setting, const char *value, char *command, size_t cap)
{
	double rate;
	bool on;

	if (strcmp(setting, "drop-rate") == 0) {
		if (rumor_node_parse_rate(value, &rate) != 0) {
			fprintf(stderr,
			        "rumor set: drop-rate: '%s' is not in [0, 1] "
			        "or 0%%..100%%\n",
			        value);
			return 2;
		}
		snprintf(command, cap, "set drop-rate %.17g", rate);
		return 0;
	}
	if (strcmp(setting, "deaf") != 0 && strcmp(setting, "mute") != 0) {
		fprintf(stderr,
		        "rumor set: unknown setting '%s' (known: drop-rate, "
		        "deaf, mute)\n",
		        setting);
		return 2;
	}
	if (rumor_node_parse_switch(value, &on) != 0) {
		fprintf(stderr, "rumor set: %s: '%s' is not on or off\n",
		        setting, value);
		return 2;
	}
	snprintf(command, cap, "set %s %s", setting, on ? "on" : "off");
	return 0;
}

int
cmd_set(int argc, char **argv)
{
	struct client_target target;
	char path[RUMOR_NODE_PATH_MAX], text[512], command[128];
	int fd;

	switch (rumor_client_args("set", argc, argv, usage, NULL, 0, &target)) {
	case 1:
		return 0;
	case 2:
		return 2;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "rumor set: expected SETTING VALUE, e.g. "
		                "'rumor set drop-rate 0.3' or 'rumor set deaf "
		                "on'\n");
		return 2;
	}
	if (build_command(argv[optind], argv[optind + 1], command,
	                  sizeof(command)))
		return 2;
	if (rumor_control_resolve(target.agent, target.control, path,
	                          sizeof(path), text, sizeof(text)) != 0) {
		fprintf(stderr, "rumor set: %s\n", text);
		return 2;
	}
	if (rumor_control_open(path, command, 0, &fd, text, sizeof(text))) {
		fprintf(stderr, "rumor set: %s\n", text);
		return 1;
	}
	close(fd);
	printf("%s\n", text);
	return 0;
}
