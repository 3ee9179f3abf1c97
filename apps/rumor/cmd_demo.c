/* SPDX-License-Identifier: MIT */
/*
 * rumor demo: a local cluster end to end (docs/agent.md). Starts the
 * introducer on 127.0.0.1:3000 and N-1 agents, waits until everyone lists
 * everyone, crashes one (SIGKILL), makes one leave (SIGTERM), restarts one
 * (a new version), waits for detection and cleanup, stops all, then runs
 * the analyzer on the real logs, merges them and renders the replay with
 * rumor-viz when it is built. It builds nothing: `make demo` builds first.
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
#include "rumor/analyze.h"
#include "rumor/log.h"
#include "rumor/node.h"

#define START_TIMEOUT_MS    5000
#define CONVERGE_TIMEOUT_MS 20000
/* After convergence, before the faults (see start_agents). */
#define SETTLE_MS          1000
#define DETECT_TIMEOUT_MS  15000
#define CLEANUP_TIMEOUT_MS 30000
#define STOP_TIMEOUT_MS    10000
#define BIT(s)             (1u << (s))

struct demo {
	int nodes, base_port, trace, frames;
	const char *drop_rate;
	char bin[PATH_MAX], viz[PATH_MAX], dir[PATH_MAX];
	struct rumor_cluster *c;
	int64_t t0;
	size_t crash, leave, restart, restarted;
	char crash_id[RUMOR_ID_STRLEN], leave_id[RUMOR_ID_STRLEN];
	char old_id[RUMOR_ID_STRLEN], new_id[RUMOR_ID_STRLEN];
	char err[1024];
};

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

static double
elapsed(const struct demo *d)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 -
	                d->t0) /
	       1000.0;
}

#define SAY(d, ...)                                                            \
	do {                                                                   \
		printf("[%5.1fs] ", elapsed(d));                               \
		printf(__VA_ARGS__);                                           \
		putchar('\n');                                                 \
		fflush(stdout);                                                \
	} while (0)

static int
fail(struct demo *d, const char *what)
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

/* ---- the scenario ---- */

static int
start_agents(struct demo *d)
{
	const char *args[8];
	char name[32], bind[32], join[32];
	size_t k = 0, idx;

	snprintf(join, sizeof(join), "127.0.0.1:%d", d->base_port);
	if (d->trace)
		args[k++] = "--trace";
	if (d->drop_rate) {
		args[k++] = "--drop-rate";
		args[k++] = d->drop_rate;
	}
	for (int i = 0; i < d->nodes; i++) {
		size_t n = k;
		if (i > 0) {
			args[n++] = "--join";
			args[n++] = join;
		}
		args[n] = NULL;
		snprintf(name, sizeof(name), "node-%d", d->base_port + i);
		snprintf(bind, sizeof(bind), "127.0.0.1:%d", d->base_port + i);
		if (rumor_cluster_start(d->c, name, bind, args, NULL,
		                        START_TIMEOUT_MS, &idx, d->err,
		                        sizeof(d->err)) != 0) {
			if (strstr(d->err, "address already in use"))
				fprintf(stderr,
				        "rumor demo: port %d is taken "
				        "(another agent or demo?); "
				        "--base-port picks others\n",
				        d->base_port + i);
			return fail(d, "starting an agent");
		}
		if (i == 0)
			SAY(d, "introducer %s up (%s)", bind,
			    rumor_cluster_agent(d->c, idx)->id_text);
	}
	SAY(d, "%d more agents started on ports %d-%d, joining through %s",
	    d->nodes - 1, d->base_port + 1, d->base_port + d->nodes - 1, join);
	if (rumor_cluster_wait_converged(d->c, CONVERGE_TIMEOUT_MS, d->err,
	                                 sizeof(d->err)) != 0)
		return fail(d, "waiting for everyone to list everyone");
	SAY(d, "all %d agents list all %d members as alive", d->nodes,
	    d->nodes);
	/* a running cluster, not one 50 ms old: give every member time to
	 * send its first heartbeats to its ring monitors (a member that dies
	 * before its monitors ever heard it is caught by the slower timeout
	 * for members heard only through gossip; docs/architecture.md) */
	usleep(SETTLE_MS * 1000);
	return 0;
}

static int
wait_gone(struct demo *d, const struct rumor_member_id *id, unsigned mask,
          const char *what)
{
	double t = elapsed(d);

	if (rumor_cluster_wait_status(d->c, id, mask, 1, DETECT_TIMEOUT_MS,
	                              d->err, sizeof(d->err)) != 0)
		return fail(d, what);
	SAY(d, "every other agent lists it %s (%.1f s later, polled)", what,
	    elapsed(d) - t);
	return 0;
}

static int
do_crash(struct demo *d)
{
	struct rumor_cluster_agent *a = rumor_cluster_agent(d->c, d->crash);

	snprintf(d->crash_id, sizeof(d->crash_id), "%s", a->id_text);
	rumor_cluster_crash(d->c, d->crash);
	SAY(d, "crash: SIGKILL %s (%s)", a->name, a->id_text);
	return wait_gone(d, &a->id, BIT(RUMOR_STATUS_FAILED), "failed");
}

static int
do_leave(struct demo *d)
{
	struct rumor_cluster_agent *a = rumor_cluster_agent(d->c, d->leave);
	int status = 0;

	snprintf(d->leave_id, sizeof(d->leave_id), "%s", a->id_text);
	rumor_cluster_leave(d->c, d->leave);
	SAY(d, "leave: SIGTERM %s (%s)", a->name, a->id_text);
	if (rumor_cluster_wait_exit(d->c, d->leave, STOP_TIMEOUT_MS, &status) ==
	    RUMOR_EINVAL) {
		snprintf(d->err, sizeof(d->err), "%s still running", a->name);
		return fail(d, "leave");
	}
	SAY(d, "%s announced its leave and exited with status %d", a->name,
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return wait_gone(d, &a->id, BIT(RUMOR_STATUS_LEFT), "left");
}

static int
do_restart(struct demo *d)
{
	struct rumor_cluster_agent *a = rumor_cluster_agent(d->c, d->restart);
	struct rumor_member_id old = a->id;

	snprintf(d->old_id, sizeof(d->old_id), "%s", a->id_text);
	if (rumor_cluster_restart(d->c, d->restart, START_TIMEOUT_MS,
	                          &d->restarted, d->err, sizeof(d->err)) != 0)
		return fail(d, "restart");
	a = rumor_cluster_agent(d->c, d->restarted);
	snprintf(d->new_id, sizeof(d->new_id), "%s", a->id_text);
	SAY(d, "restart: SIGKILL %s and start it again: %s -> %s", a->bind,
	    d->old_id, d->new_id);
	if (rumor_cluster_wait_converged(d->c, DETECT_TIMEOUT_MS, d->err,
	                                 sizeof(d->err)) != 0)
		return fail(d, "waiting for the new version to be listed");
	SAY(d, "every agent lists the new version as alive");
	return wait_gone(d, &old, BIT(RUMOR_STATUS_FAILED), "failed (old id)");
}

static int
no_tombstones(void *arg, size_t observer,
              const struct rumor_control_member *list, size_t n)
{
	(void)arg;
	(void)observer;
	for (size_t i = 0; i < n; i++)
		if (list[i].status == RUMOR_STATUS_FAILED ||
		    list[i].status == RUMOR_STATUS_LEFT)
			return 0;
	return 1;
}

/* Per-agent cost before stopping: RSS, CPU, bytes/s. */
static void
agent_costs(struct demo *d)
{
	long rss_min = LONG_MAX, rss_max = 0;
	double cpu = 0, bps = 0, up = 0;
	int n = 0;

	for (size_t i = 0; i < rumor_cluster_size(d->c); i++) {
		struct rumor_cluster_agent *a = rumor_cluster_agent(d->c, i);
		char text[256], buf[2048] = "";
		long long rss = 0, user = 0, sys = 0, ms = 0, bytes = 0;
		int fd;
		ssize_t r;
		if (!rumor_cluster_running(d->c, i) ||
		    rumor_control_open(a->sock, "stats", 0, &fd, text,
		                       sizeof(text)) != 0)
			continue;
		r = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[r > 0 ? r : 0] = '\0';
		char *p;
		if ((p = strstr(buf, "\"rss_kib\":")))
			rss = atoll(p + 10);
		if ((p = strstr(buf, "\"cpu_user_ms\":")))
			user = atoll(p + 14);
		if ((p = strstr(buf, "\"cpu_sys_ms\":")))
			sys = atoll(p + 13);
		if ((p = strstr(buf, "\"uptime_ms\":")))
			ms = atoll(p + 12);
		if ((p = strstr(buf, "\"bytes_sent\":")))
			bytes = atoll(p + 13);
		if (ms <= 0)
			continue;
		rss_min = rss < rss_min ? rss : rss_min;
		rss_max = rss > rss_max ? rss : rss_max;
		cpu += (double)(user + sys) / (double)ms;
		bps += (double)bytes * 1000.0 / (double)ms;
		up += (double)ms / 1000.0;
		n++;
	}
	if (n > 0)
		SAY(d,
		    "per agent: RSS %ld-%ld KiB, CPU %.2f%% of a core, "
		    "%.0f bytes/s sent (mean over %d agents, %.0f s up)",
		    rss_min, rss_max, 100.0 * cpu / n, bps / n, n, up / n);
}

static int
finish_cluster(struct demo *d)
{
	double t = elapsed(d);

	if (rumor_cluster_wait_all(d->c, no_tombstones, NULL,
	                           CLEANUP_TIMEOUT_MS, d->err,
	                           sizeof(d->err)) != 0)
		return fail(d, "waiting for cleanup");
	SAY(d, "cleanup: failed and left entries removed everywhere (%.1f s)",
	    elapsed(d) - t);
	agent_costs(d);
	if (rumor_cluster_stop_all(d->c, STOP_TIMEOUT_MS, d->err,
	                           sizeof(d->err)) != 0)
		return fail(d, "stopping the agents");
	SAY(d, "all agents stopped (SIGTERM: each left and exited 0)");
	return 0;
}

static void
pick_victims(struct demo *d)
{
	if (d->nodes < 6) {
		d->crash = 1;
		d->leave = 2;
		d->restart = 3;
	} else {
		d->crash = 3;
		d->leave = 5;
		d->restart = (size_t)d->nodes - 2;
	}
}

/* ---- afterwards: analysis, merged log, replay ---- */

static size_t
log_paths(struct demo *d, const char **paths)
{
	size_t n = 0;

	/* first: at equal ts the ground truth goes before what it caused */
	paths[n++] = rumor_cluster_scenario_log(d->c);
	for (size_t i = 0; i < rumor_cluster_size(d->c); i++)
		paths[n++] = rumor_cluster_agent(d->c, i)->log;
	return n;
}

static int
analyze(struct demo *d, const char **paths, size_t n,
        struct rumor_analysis **out)
{
	struct rumor_analyze_input in = {paths, n, 0};
	struct rumor_log_record rec = {0};
	struct rumor_log_reader *r;
	char path[PATH_MAX + 32];
	FILE *f;
	int rc;

	if (rumor_log_reader_open(&r, paths, n, NULL) != 0 ||
	    rumor_analysis_new(out, NULL) != 0)
		return -1;
	while ((rc = rumor_log_reader_next(r, &rec)) == 1)
		rumor_analysis_add(*out, &rec);
	rumor_log_record_clear(&rec);
	in.malformed_lines = rumor_log_reader_errors(r);
	rumor_log_reader_close(r);
	if (rumor_analysis_finish(*out, NULL) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/analysis.txt", d->dir);
	if ((f = fopen(path, "w")) != NULL) {
		rumor_analysis_write_text(*out, &in, f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/analysis.json", d->dir);
	if ((f = fopen(path, "w")) != NULL) {
		rumor_analysis_write_json(*out, &in, f);
		fclose(f);
	}
	return 0;
}

static void
fmt_s(char *buf, size_t cap, int64_t ms)
{
	if (ms == RUMOR_ANALYZE_NONE)
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%.3f s", (double)ms / 1000.0);
}

static void
crash_rows(const struct rumor_analyze_result *res, int *over)
{
	char s[24], f[24], a[24];

	for (size_t i = 0; i < res->n_crashes; i++) {
		const struct rumor_crash_report *r = &res->crashes[i];
		int ok = r->first_detect_ms != RUMOR_ANALYZE_NONE &&
		         r->all_detect_ms != RUMOR_ANALYZE_NONE &&
		         r->first_detect_ms <= 3000 && r->all_detect_ms <= 6000;
		if (r->cause == RUMOR_CAUSE_SUPERSEDED)
			continue;
		fmt_s(s, sizeof(s), r->first_suspect_ms);
		fmt_s(f, sizeof(f), r->first_detect_ms);
		fmt_s(a, sizeof(a), r->all_detect_ms);
		printf("  %-8s %-32s %9s %9s %9s %5zu/%-3zu %s\n",
		       rumor_crash_cause_name(r->cause), r->member, s, f, a,
		       r->n_detected, r->n_survivors,
		       ok ? "within 3 s / 6 s" : "OVER 3 s / 6 s");
		*over += !ok;
	}
}

static void
leave_rows(struct demo *d, const struct rumor_analyze_result *res)
{
	char f[24], a[24];

	for (size_t i = 0; i < res->n_leaves; i++) {
		const struct rumor_leave_report *r = &res->leaves[i];
		if (strcmp(r->member, d->leave_id) != 0)
			continue; /* the final shutdown's leaves */
		fmt_s(f, sizeof(f), r->first_ms);
		fmt_s(a, sizeof(a), r->all_ms);
		printf("  %-8s %-32s %9s %9s %9s %5zu/%-3zu %zu recorded as "
		       "fail\n",
		       "leave", r->member, "", f, a, r->n_leave, r->n_observers,
		       r->recorded_as_fail.n);
	}
}

static int
print_table(struct demo *d, const struct rumor_analyze_result *res)
{
	int over = 0;

	printf("\nDetection times (analyzer on the agents' logs; from the "
	       "event to the\nfirst suspicion, the first `fail`/`leave` and "
	       "the last survivor's):\n\n");
	printf("  %-8s %-32s %9s %9s %9s %9s %s\n", "event", "member",
	       "suspect", "first", "all", "observers", "requirement");
	crash_rows(res, &over);
	leave_rows(d, res);
	printf("\n  false failures: %zu", res->n_false_failures);
	if (res->traffic.has_trace)
		printf("; traffic: %.0f bytes/s and %.1f datagrams/s sent per "
		       "member",
		       res->traffic.bytes_per_member_per_s,
		       res->traffic.msgs_per_member_per_s);
	printf("\n  full report: %s/analysis.txt (and .json)\n\n", d->dir);
	return over;
}

static int
merge(struct demo *d, const char **paths, size_t n, char *merged, size_t cap)
{
	struct rumor_log_record rec = {0};
	struct rumor_log_reader *r;
	struct rumor_log_writer *w;
	int rc = 0;

	snprintf(merged, cap, "%s/merged.jsonl", d->dir);
	if (rumor_log_reader_open(&r, paths, n, NULL) != 0)
		return -1;
	if (rumor_log_writer_open(&w, merged,
	                          RUMOR_LOG_BUFFERED | RUMOR_LOG_TRUNCATE)) {
		rumor_log_reader_close(r);
		return -1;
	}
	while (rc == 0 && rumor_log_reader_next(r, &rec) == 1)
		rc = rumor_log_write_record(w, &rec);
	rumor_log_record_clear(&rec);
	rumor_log_reader_close(r);
	return rumor_log_writer_close(w) != 0 || rc != 0 ? -1 : 0;
}

/* Run rumor-viz with args; 0 when it exited 0. */
static int
run_viz(struct demo *d, char **argv)
{
	char errpath[PATH_MAX + 16];
	int status = 0;
	pid_t pid;

	snprintf(errpath, sizeof(errpath), "%s/viz.stderr", d->dir);
	fflush(NULL); /* or the child's freopen writes our buffer again */
	pid = fork();
	if (pid == 0) {
		if (freopen(errpath, "w", stderr) == NULL ||
		    freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execv(d->viz, argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void
render(struct demo *d, const struct rumor_analyze_result *res,
       const char *merged)
{
	const struct rumor_crash_report *cr = NULL;
	char png[PATH_MAX + 16], at[32], from[32], to[32],
	    frames[PATH_MAX + 16];

	if (access(d->viz, X_OK) != 0) {
		printf("rumor-viz is not built, so no replay was rendered. To "
		       "build it:\n"
		       "  scripts/build-sdl3.sh && make     (SDL3 from source, "
		       "about 90 s once)\n"
		       "then: %s %s\n",
		       d->viz, merged);
		return;
	}
	for (size_t i = 0; i < res->n_crashes; i++)
		if (strcmp(res->crashes[i].member, d->crash_id) == 0)
			cr = &res->crashes[i];
	if (cr == NULL || cr->first_detect_ms == RUMOR_ANALYZE_NONE)
		return;
	/* midway between the first and the last detection: both visible */
	int64_t all = cr->all_detect_ms != RUMOR_ANALYZE_NONE
	                  ? cr->all_detect_ms
	                  : cr->first_detect_ms;
	int64_t rel = cr->ts - res->start_ts;
	snprintf(at, sizeof(at), "%" PRId64 "ms",
	         rel + (cr->first_detect_ms + all) / 2);
	snprintf(png, sizeof(png), "%s/demo.png", d->dir);
	char *argv[] = {d->viz, "--render", png,         "--at",
	                at,     "--select", d->crash_id, (char *)merged,
	                NULL};
	if (run_viz(d, argv) == 0)
		printf("replay frame at crash + %.2f s: %s\n",
		       (double)(cr->first_detect_ms + all) / 2000.0, png);
	else
		printf("rumor-viz --render failed: see %s/viz.stderr\n",
		       d->dir);
	if (d->frames) {
		snprintf(frames, sizeof(frames), "%s/frames", d->dir);
		snprintf(from, sizeof(from), "%" PRId64 "ms",
		         rel > 1000 ? rel - 1000 : 0);
		snprintf(to, sizeof(to), "%" PRId64 "ms", rel + 5000);
		char *fargv[] = {d->viz, "--frames",     frames, "--fps",
		                 "10",   "--from",       from,   "--to",
		                 to,     (char *)merged, NULL};
		if (run_viz(d, fargv) == 0)
			printf("frames of the crash: %s/frame-*.png\n", frames);
	}
	printf("watch the replay: %s %s\n", d->viz, merged);
}

static int
report(struct demo *d)
{
	const char *paths[256];
	size_t n = log_paths(d, paths);
	struct rumor_analysis *a = NULL;
	const struct rumor_analyze_result *res;
	char merged[PATH_MAX + 32];
	int over;

	if (analyze(d, paths, n, &a) != 0 ||
	    rumor_analysis_finish(a, &res) != 0) {
		snprintf(d->err, sizeof(d->err), "cannot read the logs");
		rumor_analysis_free(a);
		return fail(d, "analyze");
	}
	over = print_table(d, res);
	if (merge(d, paths, n, merged, sizeof(merged)) != 0)
		printf("merging the logs failed (%s)\n", strerror(errno));
	else
		printf("merged log: %s\n", merged);
	render(d, res, merged);
	rumor_analysis_free(a);
	return over ? 1 : 0;
}

/* ---- command line ---- */

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
	double rate;
	char *end;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			d->nodes = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || d->nodes < 4 ||
			    d->nodes > 64) {
				fprintf(stderr,
				        "rumor demo: --nodes: '%s' is "
				        "not 4..64\n",
				        optarg);
				return 2;
			}
			break;
		case 'o':
			*out = optarg;
			break;
		case 'p':
			d->base_port = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || d->base_port < 1 ||
			    d->base_port > 65535 - 64) {
				fprintf(stderr,
				        "rumor demo: --base-port: '%s' "
				        "is not 1..65471\n",
				        optarg);
				return 2;
			}
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
	pick_victims(d);
	if (start_agents(d) || do_crash(d))
		return 1;
	sleep(1);
	if (do_leave(d))
		return 1;
	sleep(1);
	if (do_restart(d) || finish_cluster(d))
		return 1;
	return report(d);
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
