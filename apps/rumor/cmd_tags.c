/* SPDX-License-Identifier: MIT */
/*
 * rumor tags [set K=V... | delete K...] [--agent HOST:PORT | --control
 * PATH]: show or change a running agent's tags (its `tags` control
 * command; docs/agent.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "client_args.h"
#include "commands.h"
#include "rumor/node.h"
#include "rumor/tags.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: rumor tags [set KEY=VALUE... | delete KEY...] "
	        "[--agent HOST:PORT | --control PATH]\n"
	        "\n"
	        "Shows a running agent's tags as JSON, or sets or deletes "
	        "some; the change\n"
	        "reaches every member as news (an `update` event in their "
	        "logs). Values\n"
	        "cannot hold spaces here (--tag at start can).\n"
	        "\n"
	        "  --agent HOST:PORT  the agent bound there (default "
	        "127.0.0.1:3000)\n"
	        "  --control PATH     the agent with this control socket\n");
}

/* "tags set a=1 b=2" into command[cap]; 0 or 2 (usage error told). */
static int
build(int argc, char **argv, char *command, size_t cap)
{
	int set = strcmp(argv[optind], "set") == 0;
	size_t len;

	if (!set && strcmp(argv[optind], "delete") != 0) {
		fprintf(stderr,
		        "rumor tags: unknown action '%s' (set or delete)\n",
		        argv[optind]);
		return 2;
	}
	if (optind + 1 >= argc) {
		fprintf(stderr, "rumor tags: %s what? e.g. 'rumor tags %s'\n",
		        argv[optind], set ? "set role=web" : "delete role");
		return 2;
	}
	snprintf(command, cap, "tags %s", argv[optind]);
	for (int i = optind + 1; i < argc; i++) {
		uint8_t scratch[1];
		size_t n = 0;
		if (strchr(argv[i], ' ') || strchr(argv[i], '\n') ||
		    (set && rumor_tags_put_pair(scratch, 0, &n, argv[i]) ==
		                RUMOR_EINVAL)) {
			fprintf(stderr,
			        "rumor tags: '%s': not %s (UTF-8, no spaces "
			        "or control characters)\n",
			        argv[i], set ? "KEY=VALUE" : "a KEY");
			return 2;
		}
		len = strlen(command);
		if (snprintf(command + len, cap - len, " %s", argv[i]) >=
		    (int)(cap - len)) {
			fprintf(stderr,
			        "rumor tags: command too long (a control "
			        "command is at most %d bytes)\n",
			        RUMOR_CONTROL_LINE_MAX);
			return 2;
		}
	}
	return 0;
}

int
cmd_tags(int argc, char **argv)
{
	struct client_target target;
	static char command[RUMOR_CONTROL_LINE_MAX];
	char path[RUMOR_NODE_PATH_MAX], text[512], buf[4096];
	ssize_t r;
	int fd, rc;

	switch (
	    rumor_client_args("tags", argc, argv, usage, NULL, 0, &target)) {
	case 1:
		return 0;
	case 2:
		return 2;
	}
	strcpy(command, "tags");
	if (optind < argc &&
	    (rc = build(argc, argv, command, sizeof(command))) != 0)
		return rc;
	if (rumor_control_resolve(target.agent, target.control, path,
	                          sizeof(path), text, sizeof(text)) != 0) {
		fprintf(stderr, "rumor tags: %s\n", text);
		return 2;
	}
	if (rumor_control_open(path, command, 0, &fd, text, sizeof(text))) {
		fprintf(stderr, "rumor tags: %s\n", text);
		return 1;
	}
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)r, stdout);
	close(fd);
	return 0;
}
