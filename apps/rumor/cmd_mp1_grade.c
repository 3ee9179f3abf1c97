/* SPDX-License-Identifier: MIT */
/*
 * rumor mp1-grade: score dbg.log files by the MP1 assignment's rules
 * (src/sim/mp1_grade.c, docs/mp1.md): the points per block and the reason
 * for every point lost.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "rumor/mp1.h"

#include "commands.h"

static void
usage(FILE *out)
{
	fputs("usage: rumor mp1-grade [--scenario NAME] DBG_LOG...\n"
	      "\n"
	      "Score MP1 dbg.log files (from rumor sim --mp1 or from an "
	      "MP1 solution)\n"
	      "by the assignment's rules: 30 points per log, 90 for the "
	      "three scenarios.\n"
	      "Prints the points per block and the reason for every point "
	      "lost.\n"
	      "\n"
	      "  --scenario NAME  singlefailure, multifailure or "
	      "msgdropsinglefailure;\n"
	      "                   default: from the header line rumor sim "
	      "writes, else\n"
	      "                   from the failure lines (never the drop "
	      "scenario)\n"
	      "  --help           this text\n"
	      "\n"
	      "Exit status: 0 all points, 1 points lost, 2 bad input.\n",
	      out);
}

static int
parse(int argc, char **argv, enum rumor_mp1_scenario *scenario)
{
	static const struct option opts[] = {
	    {"scenario", required_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		} else if (c == 's') {
			if (rumor_mp1_scenario_parse(optarg, scenario) == 0)
				continue;
			fprintf(stderr,
			        "rumor mp1-grade: --scenario '%s': expected "
			        "singlefailure, multifailure or "
			        "msgdropsinglefailure\n",
			        optarg);
		} else if (c == ':') {
			fprintf(stderr,
			        "rumor mp1-grade: option '%s' needs a value\n",
			        argv[optind - 1]);
		} else {
			fprintf(stderr,
			        "rumor mp1-grade: unknown option '%s' (try "
			        "--help)\n",
			        argv[optind - 1]);
		}
		return 2;
	}
	if (optind == argc) {
		fprintf(stderr, "rumor mp1-grade: no dbg.log given (try "
		                "--help)\n");
		return 2;
	}
	return -1;
}

int
cmd_mp1_grade(int argc, char **argv)
{
	enum rumor_mp1_scenario scenario = RUMOR_MP1_SCENARIO_MAX;
	int points = 0, max = 0, rc = parse(argc, argv, &scenario);

	if (rc >= 0)
		return rc;
	for (int i = optind; i < argc; i++) {
		struct rumor_mp1_grade g;
		char err[200] = "";

		errno = 0;
		rc = rumor_mp1_grade_file(argv[i], scenario, &g, err,
		                          sizeof(err));
		if (rc) {
			fprintf(stderr, "rumor mp1-grade: %s: %s\n", argv[i],
			        rc == RUMOR_ENOMEM ? "out of memory" : err);
			return 2;
		}
		rumor_mp1_grade_print(&g, argv[i], stdout);
		points += g.points;
		max += g.max;
		rumor_mp1_grade_free(&g);
	}
	if (argc - optind > 1)
		printf("total %d/%d\n", points, max);
	return points == max ? 0 : 1;
}
