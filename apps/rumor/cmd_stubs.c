/* Commands not built yet. Each moves to its own cmd_*.c when it is. */
#include <stdio.h>

#include "commands.h"

#define STUB(fn, name)                                                     \
	int fn(int argc, char **argv)                                      \
	{                                                                  \
		(void)argc;                                                \
		(void)argv;                                                \
		fprintf(stderr, "rumor %s: not implemented yet\n", name);  \
		return 2;                                                  \
	}

