/* SPDX-License-Identifier: MIT */
/*
 * rumor analyze [--json] [--partition-grace MS] LOG...: detection times,
 * false failures, leave/join propagation and bandwidth from event logs
 * (docs/analyze.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "rumor/analyze.h"
#include "rumor/log.h"

/* Malformed lines printed before the rest are only counted. */
#define MAX_SHOWN 20

static void
usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: rumor analyze [--json] [--partition-grace MS] LOG...\n"
	    "\n"
	    "Reads event logs (a simulator log, or the per-member logs of a "
	    "cluster\n"
	    "with its scenario log; '-' is standard input), merged by ts, "
	    "and reports\n"
	    "crash detection times, false failures, failures across "
	    "partitions,\n"
	    "leave and join propagation and bytes sent per member per "
	    "second.\n"
	    "\n"
	    "  --json                 the JSON document of "
	    "docs/analyze.md\n"
	    "  --partition-grace MS   fails up to MS after a heal still "
	    "count as\n"
	    "                         partition failures (default 10000)\n"
	    "  -h, --help             this help\n"
	    "\n"
	    "Exit status: 0 when at least one log was read, 1 when none "
	    "could be,\n"
	    "2 on a usage error.\n");
}

static void
on_error(void *arg, const char *file, uint64_t line, const char *msg)
{
	uint64_t *shown = arg;

	if ((*shown)++ < MAX_SHOWN)
		fprintf(stderr, "%s:%" PRIu64 ": %s\n", file, line, msg);
}

/* Keep the paths that can be opened; report the others. */
static size_t
readable_paths(char **paths, int n, const char **out)
{
	size_t k = 0;

	for (int i = 0; i < n; i++) {
		struct stat st;
		int fd = strcmp(paths[i], "-") ? open(paths[i], O_RDONLY) : 0;
		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(fd);
			fd = -1;
			errno = EISDIR;
		}
		if (fd < 0) {
			fprintf(stderr, "rumor analyze: %s: %s\n", paths[i],
			        strerror(errno));
			continue;
		}
		if (fd > 0)
			close(fd);
		out[k++] = paths[i];
	}
	return k;
}

static int
parse_ms(const char *text, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (errno || end == text || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

/* Read every record into the analysis. 0 or a RUMOR_E* code. */
static int
consume(struct rumor_log_reader *r, struct rumor_analysis *a)
{
	struct rumor_log_record rec = {0};
	int rc = 0;

	while (rc == 0 && rumor_log_reader_next(r, &rec) == 1)
		rc = rumor_analysis_add(a, &rec);
	rumor_log_record_clear(&rec);
	return rc;
}

static int
run(const char **paths, size_t n, const struct rumor_analyze_options *opt,
    int json)
{
	struct rumor_log_reader *r;
	struct rumor_analysis *a;
	struct rumor_analyze_input in = {paths, n, 0};
	const char *bad = NULL;
	uint64_t shown = 0;
	int rc;

	rc = rumor_log_reader_open(&r, paths, n, &bad);
	if (rc != 0) {
		fprintf(stderr, "rumor analyze: %s: %s\n", bad ? bad : "-",
		        strerror(errno));
		return 1;
	}
	rumor_log_reader_on_error(r, on_error, &shown);
	rc = rumor_analysis_new(&a, opt);
	if (rc == 0)
		rc = consume(r, a);
	in.malformed_lines = rumor_log_reader_errors(r);
	rumor_log_reader_close(r);
	if (shown > MAX_SHOWN)
		fprintf(stderr,
		        "rumor analyze: %" PRIu64 " malformed lines skipped "
		        "(the first %d shown)\n",
		        shown, MAX_SHOWN);
	if (rc == 0)
		rc = rumor_analysis_finish(a, NULL);
	if (rc == 0)
		rc = json ? rumor_analysis_write_json(a, &in, stdout)
		          : rumor_analysis_write_text(a, &in, stdout);
	if (rc != 0)
		fprintf(stderr, "rumor analyze: %s\n",
		        rc == RUMOR_EINVAL ? strerror(errno)
		                           : rumor_strerror(rc));
	rumor_analysis_free(a);
	return rc ? 1 : 0;
}

int
cmd_analyze(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"partition-grace", required_argument, NULL, 'g'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct rumor_analyze_options opt;
	const char **paths;
	int json = 0, c, rc;
	size_t n;

	rumor_analyze_options_init(&opt);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'g':
			if (parse_ms(optarg, &opt.partition_grace_ms) != 0) {
				fprintf(stderr,
				        "rumor analyze: --partition-grace: "
				        "'%s' is not a number of ms >= 0\n",
				        optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "rumor analyze: no LOG given\n");
		usage(stderr);
		return 2;
	}
	paths = calloc((size_t)(argc - optind), sizeof(*paths));
	if (paths == NULL) {
		fprintf(stderr, "rumor analyze: out of memory\n");
		return 1;
	}
	n = readable_paths(argv + optind, argc - optind, paths);
	if (n == 0) {
		fprintf(stderr, "rumor analyze: no log could be read\n");
		free(paths);
		return 1;
	}
	rc = run(paths, n, &opt, json);
	free(paths);
	return rc;
}
