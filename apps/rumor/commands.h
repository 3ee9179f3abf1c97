/* SPDX-License-Identifier: MIT */
/* The rumor subcommands. Each takes argv[0] == its own name. */
#ifndef RUMOR_APP_COMMANDS_H
#define RUMOR_APP_COMMANDS_H

struct rumor_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

int cmd_agent(int argc, char **argv);
int cmd_members(int argc, char **argv);
int cmd_leave(int argc, char **argv);
int cmd_force_leave(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_tags(int argc, char **argv);
int cmd_ping(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_mp1_grade(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_keys(int argc, char **argv);

/**
 * Run "rumor COMMAND argv[1..]" again in this process with glibc's malloc
 * backing its heap with transparent huge pages (huge_pages.c), when the
 * kernel gives them on request and GLIBC_TUNABLES does not already choose;
 * RUMOR_NO_HUGE_PAGES in the environment turns it off. Returns only when it
 * did not run again.
 */
void rumor_huge_pages_reexec(const char *command, int argc, char **argv);

#endif
