/* SPDX-License-Identifier: MIT */
/* Common option parsing of the control-socket commands (client_args.h). */
#include <getopt.h>
#include <stdlib.h>

#include "client_args.h"

/* --agent, --control, --help, and at most this many of a command's own. */
#define MAX_FLAGS 8

enum { OPT_AGENT = 256, OPT_CONTROL, OPT_HELP, OPT_FLAG0 };

int
rumor_client_args(const char *cmd, int argc, char **argv,
                  void (*usage)(FILE *out), const struct client_flag *flags,
                  int n, struct client_target *target)
{
	struct option longopts[MAX_FLAGS + 4] = {
	    {"agent", required_argument, NULL, OPT_AGENT},
	    {"control", required_argument, NULL, OPT_CONTROL},
	    {"help", no_argument, NULL, OPT_HELP},
	};
	int c;

	if (n > MAX_FLAGS)
		abort(); /* a programming error, not input */
	for (int i = 0; i < n; i++)
		longopts[3 + i] = (struct option){
		    flags[i].name,
		    flags[i].value ? required_argument : no_argument, NULL,
		    OPT_FLAG0 + i};
	target->agent = target->control = NULL;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c == OPT_AGENT) {
			target->agent = optarg;
		} else if (c == OPT_CONTROL) {
			target->control = optarg;
		} else if (c == OPT_HELP || c == 'h') {
			usage(stdout);
			return 1;
		} else if (c >= OPT_FLAG0 && c < OPT_FLAG0 + n) {
			const struct client_flag *f = &flags[c - OPT_FLAG0];
			if (f->set)
				*f->set = 1;
			if (f->value)
				*f->value = optarg;
		} else {
			fprintf(stderr, "rumor %s: %s '%s' (try --help)\n", cmd,
			        c == ':' ? "missing value for option"
			                 : "unknown option",
			        argv[optind - 1]);
			return 2;
		}
	}
	return 0;
}
