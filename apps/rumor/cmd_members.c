/* SPDX-License-Identifier: MIT */
/*
 * rumor members [--json] [--agent HOST:PORT | --control PATH]: the
 * membership list of a running agent, through its control socket.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client_args.h"
#include "commands.h"
#include "rumor/node.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: rumor members [--json] [--stats] [--agent HOST:PORT | "
	        "--control PATH]\n"
	        "\n"
	        "Lists what a running agent believes: every member id, its "
	        "status\n"
	        "(alive, suspect, failed, left), heartbeat and how long ago "
	        "the heartbeat\n"
	        "last advanced. Failed and left entries stay until "
	        "T_cleanup.\n"
	        "\n"
	        "  --agent HOST:PORT  the agent bound there (default "
	        "127.0.0.1:3000)\n"
	        "  --control PATH     the agent with this control socket\n"
	        "  --json             a JSON array of {member, status, "
	        "heartbeat, age_ms, self}\n"
	        "  --stats            the agent's counters instead (JSON): "
	        "bytes, CPU, RSS\n");
}

static int
print_stats(const char *path)
{
	char text[512], buf[4096];
	ssize_t r;
	int fd;

	if (rumor_control_open(path, "stats", 0, &fd, text, sizeof(text))) {
		fprintf(stderr, "rumor members: %s\n", text);
		return 1;
	}
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)r, stdout);
	close(fd);
	return 0;
}

static void
print_json(const struct rumor_control_member *m, size_t n)
{
	char id[RUMOR_ID_STRLEN];

	/* ids and status names are plain ASCII: nothing to escape */
	printf("[");
	for (size_t i = 0; i < n; i++) {
		rumor_member_id_format(&m[i].id, id, sizeof(id));
		printf("%s\n {\"member\":\"%s\",\"status\":\"%s\","
		       "\"heartbeat\":%" PRIu64 ",\"age_ms\":%" PRIu64
		       ",\"self\":%s%s}",
		       i ? "," : "", id, rumor_status_name(m[i].status),
		       m[i].heartbeat, m[i].age_ms,
		       m[i].is_self ? "true" : "false",
		       m[i].joining ? ",\"joining\":true" : "");
	}
	printf("\n]\n");
}

static void
print_table(const struct rumor_control_member *m, size_t n)
{
	char id[RUMOR_ID_STRLEN];

	printf("%-36s %-8s %10s %s\n", "MEMBER", "STATUS", "HEARTBEAT",
	       "HEARD");
	for (size_t i = 0; i < n; i++) {
		rumor_member_id_format(&m[i].id, id, sizeof(id));
		if (m[i].is_self)
			printf("%-36s %-8s %10" PRIu64 " (self%s)\n", id,
			       m[i].joining ? "joining"
			                    : rumor_status_name(m[i].status),
			       m[i].heartbeat,
			       m[i].joining ? ", no seed has answered its join "
			                      "yet"
			                    : "");
		else
			printf("%-36s %-8s %10" PRIu64 " %.1f s ago\n", id,
			       rumor_status_name(m[i].status), m[i].heartbeat,
			       (double)m[i].age_ms / 1000.0);
	}
}

int
cmd_members(int argc, char **argv)
{
	int json = 0, stats = 0;
	const struct client_flag flags[] = {{"json", &json, NULL},
	                                    {"stats", &stats, NULL}};
	struct client_target target;
	struct rumor_control_member *list;
	char path[RUMOR_NODE_PATH_MAX], err[512];
	size_t n;

	switch (rumor_client_args("members", argc, argv, usage, flags, 2,
	                          &target)) {
	case 1:
		return 0;
	case 2:
		return 2;
	}
	if (optind < argc) {
		fprintf(stderr, "rumor members: unexpected argument '%s'\n",
		        argv[optind]);
		return 2;
	}
	if (rumor_control_resolve(target.agent, target.control, path,
	                          sizeof(path), err, sizeof(err)) != 0) {
		fprintf(stderr, "rumor members: %s\n", err);
		return 2;
	}
	if (stats)
		return print_stats(path);
	if (rumor_control_members(path, 0, &list, &n, err, sizeof(err))) {
		fprintf(stderr, "rumor members: %s\n", err);
		return 1;
	}
	if (json)
		print_json(list, n);
	else
		print_table(list, n);
	free(list);
	return 0;
}
