/* SPDX-License-Identifier: MIT */
/*
 * rumor demo: a local cluster end to end (docs/agent.md). Starts the
 * introducer on 127.0.0.1:3000 and N-1 agents, waits until everyone lists
 * everyone, crashes one (SIGKILL), makes one leave (SIGTERM), restarts one
 * (a new version), waits for detection and cleanup, stops all, then runs
 * the analyzer on the real logs, merges them and renders the replay with
 * rumor-viz when it is built. It builds nothing: `make demo` builds first.
 * This file: the command line and the run; the parts are in demo.h.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "demo.h"
#include "rumor/analyze.h"
#include "rumor/args.h"
#include "rumor/log.h"
#include "rumor/node.h"

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: rumor demo [--nodes N] [--out DIR] [--base-port P] "
	        "[--drop-rate P]\n"
	        "                  [--no-trace] [--frames]\n"
	        "\n"
	        "Runs a local cluster end to end: the introducer on "
	        "127.0.0.1:3000 and\n"
	        "N-1 more agents; once everyone lists everyone, one member "
	        "is killed\n"
	        "(SIGKILL), one leaves (SIGTERM), one restarts (a new "
	        "version). Then it\n"
	        "prints the detection times the analyzer finds in the real "
	        "logs, merges\n"
	        "the logs and renders the replay with rumor-viz when that is "
	        "built.\n"
	        "Every agent it started is stopped on exit, error or Ctrl-C.\n"
	        "\n"
	        "  --nodes N       agents, 4..64 (default 8)\n"
	        "  --out DIR       output directory (default "
	        "demo-out/YYYYmmdd-HHMMSS)\n"
	        "  --base-port P   the introducer's port; the others follow "
	        "(default 3000)\n"
	        "  --drop-rate P   every agent drops this fraction of what it "
	        "receives\n"
	        "  --no-trace      no send/recv lines (no message arrows in "
	        "the replay)\n"
	        "  --frames        also render PNG frames of the crash "
	        "(DIR/frames/)\n");
}

double
demo_elapsed(const struct demo *d)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 -
	                d->t0) /
	       1000.0;
}

int
demo_fail(struct demo *d, const char *what)
{
	fprintf(stderr, "rumor demo: %s: %s\n", what, d->err);
	fprintf(stderr, "rumor demo: logs and agent stderr are in %s/\n",
	        d->dir);
	return 1;
}

/* The rumor binary (ourselves) and rumor-viz beside it. */
static int
find_binaries(struct demo *d)
{
	ssize_t k = readlink("/proc/self/exe", d->bin, sizeof(d->bin) - 1);
	char *slash;

	if (k <= 0)
		return -1;
	d->bin[k] = '\0';
	snprintf(d->viz, sizeof(d->viz), "%s", d->bin);
	slash = strrchr(d->viz, '/');
	if (slash != NULL)
		snprintf(slash + 1,
		         sizeof(d->viz) - (size_t)(slash + 1 - d->viz),
		         "rumor-viz");
	return 0;
}

static int
make_out_dir(struct demo *d, const char *out)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	if (out != NULL) {
		snprintf(d->dir, sizeof(d->dir), "%s", out);
	} else {
		localtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
		if (mkdir("demo-out", 0755) != 0 && errno != EEXIST)
			return -1;
		snprintf(d->dir, sizeof(d->dir), "demo-out/%s", stamp);
	}
	return mkdir(d->dir, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* A whole number within spec, or a message and -1. */
static int
demo_int(const struct rumor_arg_spec *spec, const char *text, int *out)
{
	char err[RUMOR_ARG_ERR_MAX];
	uint64_t v;

	if (rumor_arg_uint(spec, text, &v, err, sizeof(err)) != 0) {
		fprintf(stderr, "rumor demo: %s\n", err);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int
parse_args(struct demo *d, int argc, char **argv, const char **out)
{
	static const struct option longopts[] = {
	    {"nodes", required_argument, NULL, 'n'},
	    {"out", required_argument, NULL, 'o'},
	    {"base-port", required_argument, NULL, 'p'},
	    {"drop-rate", required_argument, NULL, 'd'},
	    {"no-trace", no_argument, NULL, 't'},
	    {"frames", no_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static const struct rumor_arg_spec nodes_spec = {
	    .flag = "--nodes", .min = 4, .max = 64};
	static const struct rumor_arg_spec port_spec = {
	    .flag = "--base-port", .min = 1, .max = 65535 - 64};
	double rate;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (demo_int(&nodes_spec, optarg, &d->nodes))
				return 2;
			break;
		case 'o':
			*out = optarg;
			break;
		case 'p':
			if (demo_int(&port_spec, optarg, &d->base_port))
				return 2;
			break;
		case 'd':
			if (rumor_node_parse_rate(optarg, &rate) != 0) {
				fprintf(stderr,
				        "rumor demo: --drop-rate: '%s' "
				        "is not in [0, 1] or 0%%..100%%\n",
				        optarg);
				return 2;
			}
			d->drop_rate = optarg;
			break;
		case 't':
			d->trace = 0;
			break;
		case 'f':
			d->frames = 1;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			fprintf(stderr, "rumor demo: %s '%s' (try --help)\n",
			        c == ':' ? "missing value for option"
			                 : "unknown option",
			        argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "rumor demo: unexpected argument '%s'\n",
		        argv[optind]);
		return 2;
	}
	return 0;
}

static int
run(struct demo *d)
{
	demo_pick_victims(d);
	if (demo_start_agents(d) || demo_crash(d))
		return 1;
	sleep(1);
	if (demo_leave(d))
		return 1;
	sleep(1);
	if (demo_restart(d) || demo_finish_cluster(d))
		return 1;
	return demo_report(d);
}

int
cmd_demo(int argc, char **argv)
{
	static struct demo d;
	const char *out = NULL;
	struct timespec ts;
	int rc;

	memset(&d, 0, sizeof(d));
	d.nodes = 8;
	d.base_port = 3000;
	d.trace = 1;
	if ((rc = parse_args(&d, argc, argv, &out)) != 0)
		return rc == 1 ? 0 : rc;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	d.t0 = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (find_binaries(&d) != 0 || make_out_dir(&d, out) != 0) {
		fprintf(stderr, "rumor demo: %s: %s\n", out ? out : "demo-out",
		        strerror(errno));
		return 1;
	}
	rumor_cluster_install_cleanup();
	if (rumor_cluster_new(&d.c, d.bin, d.dir) != 0) {
		fprintf(stderr, "rumor demo: %s: %s\n", d.dir, strerror(errno));
		return 1;
	}
	SAY(&d, "rumor demo: %d agents on 127.0.0.1:%d-%d; logs in %s/",
	    d.nodes, d.base_port, d.base_port + d.nodes - 1, d.dir);
	rc = run(&d);
	rumor_cluster_free(d.c);
	return rc;
}
