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
int cmd_monitor(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_ping(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_mp1_grade(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_keys(int argc, char **argv);

#endif
