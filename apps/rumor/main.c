/* SPDX-License-Identifier: MIT */
/*
 * rumor: one multi-call binary (serf/consul style). Each command lives in
 * its own cmd_*.c file and is listed here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "rumor/version.h"

static const struct rumor_command commands[] = {
    {"agent", cmd_agent, "run a member (UDP gossip + TCP join on one port)"},
    {"members", cmd_members, "list the members a running agent knows"},
    {"leave", cmd_leave, "make a running agent leave the group"},
    {"force-leave", cmd_force_leave, "record that a failed member left"},
    {"monitor", cmd_monitor, "stream a running agent's events"},
    {"set", cmd_set,
     "change a running agent's setting (drop-rate, deaf, mute)"},
    {"tags", cmd_tags, "show or change a running agent's tags"},
    {"ping", cmd_ping, "check that a member answers on UDP"},
    {"keys", cmd_keys, "list or change a running agent's keyring"},
    {"sim", cmd_sim, "simulate a cluster deterministically"},
    {"mp1-grade", cmd_mp1_grade, "score MP1 dbg.log files by its rules"},
    {"analyze", cmd_analyze, "detection times and false failures from logs"},
    {"demo", cmd_demo, "run a local cluster end to end"},
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: rumor COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-11s %s\n", commands[i].name,
		        commands[i].help);
	fprintf(out, "  %-11s %s\n", "version",
	        "print the release and wire protocol versions");
	fprintf(out, "\n'rumor COMMAND --help' for a command's options.\n");
}

/* Output that could not be written (a full disk, /dev/full) is an error,
 * not a success: stdio keeps it until the end. */
static int
finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "rumor: writing standard output: %s\n",
		        strerror(errno ? errno : EIO));
		return rc ? rc : 1;
	}
	return rc;
}

/* `rumor --version` and `rumor version`: the release and the wire protocol
 * it speaks (members of another wire version are refused). */
static int
version(void)
{
	printf("rumor %s (wire protocol version %d)\n", RUMOR_VERSION_STRING,
	       RUMOR_WIRE_VERSION);
	return finish(0);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))
		return version();
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return finish(0);
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(argv[1], commands[i].name))
			return finish(commands[i].run(argc - 1, argv + 1));
	}
	fprintf(stderr, "rumor: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
