/* SPDX-License-Identifier: MIT */
/*
 * rumor demo's report (demo.h): the analyzer on the real logs, the table
 * of detection times, the merged log and the replay by rumor-viz.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"
#include "rumor/analyze.h"
#include "rumor/log.h"

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

int
demo_report(struct demo *d)
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
		return demo_fail(d, "analyze");
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
