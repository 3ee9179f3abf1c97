/* SPDX-License-Identifier: MIT */
/*
 * Analyzer tests on small hand-written logs with exactly known answers
 * (tests/log/data): a real-cluster layout (one log per member plus a
 * scenario log, epoch ms) and a simulator-style log with a partition.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <jansson.h>

#include "log_test_util.h"
#include "rumor/analyze.h"

#define T0   1764500000000LL
#define A    "127.0.0.1:3000#1764500000000"
#define B    "127.0.0.1:3001#1764500000100"
#define C    "127.0.0.1:3002#1764500000200"
#define D    "127.0.0.1:3003#1764500000300"
#define B2   "127.0.0.1:3001#1764500020000"
#define NONE RUMOR_ANALYZE_NONE

static const char *const cluster_files[] = {
    RUMOR_TEST_DATA "/cluster/scenario.jsonl",
    RUMOR_TEST_DATA "/cluster/a.jsonl",
    RUMOR_TEST_DATA "/cluster/b.jsonl",
    RUMOR_TEST_DATA "/cluster/b2.jsonl",
    RUMOR_TEST_DATA "/cluster/c.jsonl",
    RUMOR_TEST_DATA "/cluster/d.jsonl",
};
#define N_CLUSTER (sizeof(cluster_files) / sizeof(cluster_files[0]))
static const char *const sim_file[] = {RUMOR_TEST_DATA "/partition_sim.jsonl"};

static struct rumor_analysis *
analyze(const char *const *paths, size_t n,
        const struct rumor_analyze_options *opt)
{
	struct rumor_log_reader *r;
	struct rumor_analysis *a;
	struct rumor_log_record rec = {0};

	assert_int_equal(rumor_log_reader_open(&r, paths, n, NULL), 0);
	assert_int_equal(rumor_analysis_new(&a, opt), 0);
	while (rumor_log_reader_next(r, &rec) == 1)
		assert_int_equal(rumor_analysis_add(a, &rec), 0);
	assert_int_equal(rumor_log_reader_errors(r), 0);
	rumor_log_reader_close(r);
	assert_int_equal(rumor_analysis_finish(a, NULL), 0);
	return a;
}

static const struct rumor_analyze_result *
result(struct rumor_analysis *a)
{
	const struct rumor_analyze_result *res = NULL;

	assert_int_equal(rumor_analysis_finish(a, &res), 0);
	assert_non_null(res);
	return res;
}

/* D crashes at +10 s: A detects after 2500 ms, B after 3000, C never. */
static void
test_crash_detected_by_two_of_three(void **state)
{
	struct rumor_analysis *a = analyze(cluster_files, N_CLUSTER, NULL);
	const struct rumor_analyze_result *res = result(a);
	const struct rumor_crash_report *c;

	(void)state;
	assert_int_equal(res->start_ts, T0);
	assert_int_equal(res->duration_ms, 30000);
	assert_int_equal(res->n_members, 5);
	assert_int_equal(res->n_crashes, 2);
	c = &res->crashes[0];
	assert_string_equal(c->member, D);
	assert_int_equal(c->cause, RUMOR_CAUSE_CRASH);
	assert_int_equal(c->ts, T0 + 10000);
	assert_int_equal(c->first_suspect_ms, 1000);
	assert_int_equal(c->first_detect_ms, 2500);
	assert_int_equal(c->all_detect_ms, NONE);
	assert_int_equal(c->p50_detect_ms, 2500);
	assert_int_equal(c->n_survivors, 3);
	assert_int_equal(c->n_detected, 2);
	assert_int_equal(c->undetected_by.n, 1);
	assert_string_equal(c->undetected_by.ids[0], C);
	assert_int_equal(res->n_undetected, 1);
	rumor_analysis_free(a);
}

/* B restarts as B2 at +20 s without a crash line: the old id counts as
 * crashed then; A fails it (superseded) after 50 ms, C after 300 ms. */
static void
test_restart(void **state)
{
	struct rumor_analysis *a = analyze(cluster_files, N_CLUSTER, NULL);
	const struct rumor_analyze_result *res = result(a);
	const struct rumor_crash_report *c = &res->crashes[1];

	(void)state;
	assert_string_equal(c->member, B);
	assert_int_equal(c->cause, RUMOR_CAUSE_RESTART);
	assert_int_equal(c->ts, T0 + 20000);
	assert_int_equal(c->first_suspect_ms, NONE);
	assert_int_equal(c->first_detect_ms, 50);
	assert_int_equal(c->all_detect_ms, 300);
	assert_int_equal(c->n_survivors, 2); /* A and C; not B2, not D */
	assert_int_equal(c->n_detected, 2);
	assert_int_equal(c->undetected_by.n, 0);
	/* summaries over both crashes */
	assert_int_equal(res->first_detect.n, 2);
	assert_int_equal(res->first_detect.p50, 50);
	assert_int_equal(res->first_detect.max, 2500);
	assert_int_equal(res->all_detect.n, 1);
	assert_int_equal(res->all_detect.max, 300);
	/* B2's join: A logged it 10 ms before B2's `joined`, C 200 after */
	assert_int_equal(res->n_joins, 4); /* B, C, D, B2; A bootstrapped */
	assert_string_equal(res->joins[3].member, B2);
	assert_int_equal(res->joins[3].first_ms, -10);
	assert_int_equal(res->joins[3].all_ms, 200);
	assert_int_equal(res->joins[3].n_observers, 2);
	assert_int_equal(res->join_all.n, 4);
	assert_int_equal(res->join_all.p50, 180);
	assert_int_equal(res->join_all.p99, 280);
	assert_int_equal(res->join_first.max, -10);
	rumor_analysis_free(a);
}

/* C fails A at +8 s (twice) while A runs with no partition. */
static void
test_false_failure(void **state)
{
	struct rumor_analysis *a = analyze(cluster_files, N_CLUSTER, NULL);
	const struct rumor_analyze_result *res = result(a);

	(void)state;
	assert_int_equal(res->n_false_failures, 1);
	assert_int_equal(res->n_false_failed_members, 1);
	assert_int_equal(res->false_failures[0].ts, T0 + 8000);
	assert_string_equal(res->false_failures[0].observer, C);
	assert_string_equal(res->false_failures[0].member, A);
	assert_string_equal(res->false_failures[0].via, "timeout");
	assert_int_equal(res->n_partition_failures, 0);
	assert_int_equal(res->n_unknown_failures, 0);
	rumor_analysis_free(a);
}

/* A leaves at +25 s: C logs leave after 200 ms, B2 logs fail instead. */
static void
test_leave_recorded_as_fail(void **state)
{
	struct rumor_analysis *a = analyze(cluster_files, N_CLUSTER, NULL);
	const struct rumor_analyze_result *res = result(a);
	const struct rumor_leave_report *l;

	(void)state;
	assert_int_equal(res->n_leaves, 1);
	l = &res->leaves[0];
	assert_string_equal(l->member, A);
	assert_int_equal(l->ts, T0 + 25000);
	assert_true(l->has_left_line);
	assert_int_equal(l->first_ms, 200);
	assert_int_equal(l->all_ms, NONE);
	assert_int_equal(l->n_observers, 2);
	assert_int_equal(l->n_leave, 1);
	assert_int_equal(l->recorded_as_fail.n, 1);
	assert_string_equal(l->recorded_as_fail.ids[0], B2);
	assert_int_equal(l->missing.n, 0);
	assert_int_equal(res->n_leaves_recorded_as_fail, 1);
	rumor_analysis_free(a);
}

/* Trace lines: 2500 bytes sent by 5 members over 30 s; A sent 2000 bytes
 * in its 25 s. */
static void
test_trace_bytes(void **state)
{
	struct rumor_analysis *a = analyze(cluster_files, N_CLUSTER, NULL);
	const struct rumor_analyze_result *res = result(a);
	const struct rumor_traffic *t = &res->traffic;

	(void)state;
	assert_true(t->has_trace);
	assert_int_equal(t->sent, 3);
	assert_int_equal(t->recv, 1);
	assert_int_equal(t->dropped, 1);
	assert_int_equal(t->bytes_sent, 2500);
	assert_int_equal(t->sent_by_kind[RUMOR_MSG_GOSSIP], 3);
	assert_float_equal(t->bytes_per_member_per_s, 2500.0 / 5 / 30, 1e-9);
	assert_float_equal(t->max_member_bytes_per_s, 2000.0 / 25, 1e-9);
	assert_string_equal(t->max_member, A);
	rumor_analysis_free(a);
}

/*
 * Partition [[m0,m1],[m2,m3]] from 1 s to 4 s: fails of m2 then are
 * partition failures (two across the cut, one by m2's own side); m1's fail
 * of m3 2 s after the heal is one too (within the grace), m0's fail of m1
 * 16 s after is a false failure. m2 then crashes and restarts at 10 s:
 * everyone had already failed it, so detection is at once.
 */
static void
test_partition_failures(void **state)
{
	struct rumor_analyze_options opt;
	struct rumor_analysis *a = analyze(sim_file, 1, NULL);
	const struct rumor_analyze_result *res = result(a);

	(void)state;
	assert_int_equal(res->start_ts, 0);
	assert_int_equal(res->n_partition_failures, 4);
	assert_true(res->partition_failures[0].across);
	assert_string_equal(res->partition_failures[0].member,
	                    "127.0.0.1:3002#1");
	assert_true(res->partition_failures[1].across);
	assert_false(res->partition_failures[2].across);
	assert_string_equal(res->partition_failures[2].observer,
	                    "127.0.0.1:3003#1");
	assert_false(res->partition_failures[3].across);
	assert_int_equal(res->partition_failures[3].ts, 6000);
	assert_int_equal(res->n_false_failures, 1);
	assert_int_equal(res->false_failures[0].ts, 20000);
	assert_int_equal(res->n_crashes, 1);
	assert_int_equal(res->crashes[0].cause, RUMOR_CAUSE_RESTART);
	assert_int_equal(res->crashes[0].first_detect_ms, 0);
	assert_int_equal(res->crashes[0].all_detect_ms, 0);
	assert_int_equal(res->crashes[0].n_survivors, 3);
	assert_int_equal(res->n_joins, 0); /* only a bootstrap */
	assert_false(res->traffic.has_trace);
	rumor_analysis_free(a);

	rumor_analyze_options_init(&opt);
	opt.partition_grace_ms = 1000;
	a = analyze(sim_file, 1, &opt);
	res = result(a);
	assert_int_equal(res->n_partition_failures, 3);
	assert_int_equal(res->n_false_failures, 2);
	rumor_analysis_free(a);
	opt.partition_grace_ms = -1;
	assert_int_equal(rumor_analysis_new(&a, &opt), RUMOR_EINVAL);
}

static json_t *
json_of(struct rumor_analysis *a)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *files[] = {"x.jsonl"};
	struct rumor_analyze_input in = {files, 1, 7};
	json_error_t err;
	json_t *doc;

	assert_non_null(f);
	assert_int_equal(rumor_analysis_write_json(a, &in, f), 0);
	fclose(f);
	doc = json_loads(buf, 0, &err);
	if (doc == NULL)
		fail_msg("bad JSON: %s", err.text);
	free(buf);
	return doc;
}

static void
test_json_schema(void **state)
{
	struct rumor_analysis *a = analyze(cluster_files, N_CLUSTER, NULL);
	json_t *doc = json_of(a), *c0, *l0;

	(void)state;
	assert_string_equal(json_string_value(json_object_get(doc, "schema")),
	                    "rumor-analyze/1");
	assert_int_equal(
	    json_integer_value(json_object_get(doc, "malformed_lines")), 7);
	c0 = json_array_get(json_object_get(doc, "crashes"), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(c0, "first_detect_ms")), 2500);
	assert_true(json_is_null(json_object_get(c0, "all_detect_ms")));
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(c0, "undetected_by"), 0)),
	                    C);
	assert_int_equal(
	    json_integer_value(json_object_get(doc, "false_failures")), 1);
	assert_int_equal(
	    json_array_size(json_object_get(doc, "false_failure_list")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(doc, "partition_failures")), 0);
	l0 = json_array_get(json_object_get(doc, "leaves"), 0);
	assert_int_equal(json_integer_value(json_object_get(l0, "first_ms")),
	                 200);
	assert_true(json_is_null(json_object_get(l0, "all_ms")));
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(l0, "recorded_as_fail"), 0)),
	                    B2);
	assert_int_equal(json_array_size(json_object_get(doc, "joins")), 4);
	assert_float_equal(
	    json_real_value(json_object_get(doc, "bytes_per_member_per_s")),
	    16.7, 1e-9);
	json_decref(doc);
	rumor_analysis_free(a);

	a = analyze(sim_file, 1, NULL);
	doc = json_of(a);
	assert_true(
	    json_is_null(json_object_get(doc, "bytes_per_member_per_s")));
	assert_true(json_is_null(json_object_get(doc, "traffic")));
	json_decref(doc);
	rumor_analysis_free(a);
}

static void
test_text_and_state(void **state)
{
	struct rumor_analysis *a;
	struct rumor_log_record rec = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(rumor_analysis_new(&a, NULL), 0);
	assert_int_equal(rumor_analysis_write_text(a, NULL, stdout),
	                 RUMOR_ESTATE);
	assert_int_equal(rumor_analysis_finish(a, NULL), 0);
	assert_int_equal(rumor_analysis_add(a, &rec), RUMOR_ESTATE);
	f = open_memstream(&buf, &len);
	assert_int_equal(rumor_analysis_write_text(a, NULL, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "0 records"));
	assert_non_null(strstr(buf, "Crashes: 0"));
	free(buf);
	rumor_analysis_free(a);
	rumor_analysis_free(NULL);
}

/* rumor analyze's exit status: 0 with one readable log, 1 with none, 2 on
 * a usage error. */
static int
run_cli(const char *args)
{
	char cmd[4096];
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' analyze %s >/dev/null 2>&1", RUMOR_BIN,
	         args);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void
test_cli_exit_status(void **state)
{
	(void)state;
	assert_int_equal(run_cli("--json " RUMOR_TEST_DATA
	                         "/partition_sim.jsonl /nonexistent.jsonl"),
	                 0);
	assert_int_equal(run_cli("/nonexistent.jsonl " RUMOR_TEST_DATA), 1);
	assert_int_equal(run_cli(""), 2);
	assert_int_equal(run_cli("--bogus x"), 2);
	assert_int_equal(run_cli("--partition-grace -5 x"), 2);
	assert_int_equal(run_cli("--help"), 0);
}

/* ---- sick members (`sick`/`well` ground truth) ---- */

static const char *const sick_ids[] = {
    "127.0.0.1:3000#1",  "127.0.0.1:3001#6",  "127.0.0.1:3002#11",
    "127.0.0.1:3003#16", "127.0.0.1:3004#21", "127.0.0.1:3005#26"};

static void
add_line(struct rumor_analysis *a, int64_t ts, enum rumor_log_ev ev, int node,
         int member, int from)
{
	struct rumor_log_record rec = {0};

	rec.ts = ts;
	rec.ev = ev;
	snprintf(rec.node, sizeof(rec.node), "%s",
	         node < 0 ? "sim" : sick_ids[node]);
	if (member >= 0)
		snprintf(rec.member, sizeof(rec.member), "%s",
		         sick_ids[member]);
	if (from >= 0)
		snprintf(rec.from, sizeof(rec.from), "%s", sick_ids[from]);
	if (ev == RUMOR_LOG_FAIL)
		snprintf(rec.via, sizeof(rec.via), "timeout");
	assert_int_equal(rumor_analysis_add(a, &rec), 0);
}

/* A `sick` or `well` line: fault num of kind, groups[i] for member i
 * (-1: not listed). */
static void
add_fault_line(struct rumor_analysis *a, int64_t ts, int on, uint64_t num,
               const char *kind, const int groups[6])
{
	struct rumor_log_record rec = {0};
	char members[6][RUMOR_ID_STRLEN];
	uint32_t of[6];

	rec.ts = ts;
	rec.ev = on ? RUMOR_LOG_SICK : RUMOR_LOG_WELL;
	strcpy(rec.node, "sim");
	snprintf(rec.via, sizeof(rec.via), "%s", kind);
	rec.msg = num;
	rec.has_msg = 1;
	rec.group_member = members;
	rec.group_of = of;
	for (int i = 0; i < 6; i++)
		if (groups[i] >= 0) {
			snprintf(members[rec.n_group_members], RUMOR_ID_STRLEN,
			         "%s", sick_ids[i]);
			of[rec.n_group_members++] = (uint32_t)groups[i];
		}
	assert_int_equal(rumor_analysis_add(a, &rec), 0);
}

/* An analysis of the six sick_ids members, started and joined. */
static struct rumor_analysis *
six_members(void)
{
	struct rumor_analysis *a;

	assert_int_equal(rumor_analysis_new(&a, NULL), 0);
	for (int i = 0; i < 6; i++)
		add_line(a, 10 * i, RUMOR_LOG_START, i, -1, -1);
	for (int i = 0; i < 6; i++)
		for (int j = 0; j < 6; j++)
			if (i != j)
				add_line(a, 100, RUMOR_LOG_JOIN, i, j, -1);
	return a;
}

/*
 * Real-cluster logs without ground truth: member 5 wrote nothing after its
 * start and no stop line (a SIGKILL writes none), so fails of it are
 * silent (unknown), not false; member 4, failed at 2.5 s, wrote a line
 * at 3 s: it was running, so that fail is false. (Before, both counted as
 * false failures.)
 */
static void
test_silent_member_unknown(void **state)
{
	const struct rumor_analyze_result *res;
	struct rumor_analysis *a;

	(void)state;
	a = six_members();
	add_line(a, 2000, RUMOR_LOG_FAIL, 1, 5, -1);
	add_line(a, 2000, RUMOR_LOG_FAIL, 2, 5, -1);
	add_line(a, 2500, RUMOR_LOG_FAIL, 1, 4, -1);
	add_line(a, 3000, RUMOR_LOG_SUSPECT, 4, 1, -1);
	for (int i = 0; i < 5; i++)
		add_line(a, 5000, RUMOR_LOG_STOP, i, -1, -1);
	res = result(a);
	assert_int_equal(res->n_silent_failures, 2);
	assert_int_equal(res->n_false_failures, 1);
	assert_int_equal(res->n_false_failed_members, 1);
	assert_string_equal(res->false_failures[0].member, sick_ids[4]);
	rumor_analysis_free(a);
}

/*
 * Member 3 deaf 1-3 s: its own fail is expected; m2's fail of m1 told by
 * m3 is false and blames m3; member 0 crashes at 1.5 s and m3 is not
 * counted among the survivors. After the grace, a fail of m3 is false.
 * Member 3 one-way muted to all others from 50 s: heard by no majority,
 * its fail is expected; muted to m1 only (30 s): its fail is false, and
 * blames m1 (the fail's `from`, on the fault's other side).
 */
static void
test_sick_failures(void **state)
{
	static const int deaf3[6] = {-1, -1, -1, 0, -1, -1};
	static const int mute3_all[6] = {1, 1, 1, 0, 1, 1};
	static const int mute3_one[6] = {-1, 1, -1, 0, -1, -1};
	const struct rumor_analyze_result *res;
	struct rumor_analysis *a;

	(void)state;
	a = six_members();
	add_fault_line(a, 1000, 1, 0, "deaf", deaf3);
	add_line(a, 1500, RUMOR_LOG_CRASH, -1, 0, -1);
	add_line(a, 2000, RUMOR_LOG_FAIL, 1, 3, -1); /* expected */
	add_line(a, 2500, RUMOR_LOG_FAIL, 2, 1, 3);  /* false, from m3 */
	add_line(a, 2900, RUMOR_LOG_FAIL, 1, 0, -1); /* the crash */
	for (int i = 2; i < 6; i++)
		if (i != 3)
			add_line(a, 3100, RUMOR_LOG_FAIL, i, 0, -1);
	add_fault_line(a, 3000, 0, 0, "deaf", deaf3);
	add_line(a, 14000, RUMOR_LOG_FAIL, 2, 3, -1); /* past the grace */
	add_fault_line(a, 30000, 1, 1, "oneway", mute3_one);
	add_line(a, 31000, RUMOR_LOG_FAIL, 4, 3, 1); /* heard by m2, m4, m5 */
	add_fault_line(a, 32000, 0, 1, "oneway", mute3_one);
	add_fault_line(a, 50000, 1, 2, "oneway", mute3_all);
	add_line(a, 51000, RUMOR_LOG_FAIL, 5, 3, 1); /* heard by nobody */
	add_fault_line(a, 52000, 0, 2, "oneway", mute3_all);
	for (int i = 1; i < 6; i++) /* the simulator's closing stop lines */
		add_line(a, 60000, RUMOR_LOG_STOP, i, -1, -1);
	res = result(a);
	assert_int_equal(res->n_sick_failures, 2);
	assert_string_equal(res->sick_failures[0].member, sick_ids[3]);
	assert_int_equal(res->sick_failures[1].ts, 51000);
	assert_int_equal(res->n_false_failures, 3);
	assert_string_equal(res->false_failures[0].member, sick_ids[1]);
	assert_string_equal(res->false_failures[0].cause, sick_ids[3]);
	assert_string_equal(res->false_failures[0].cause_kind, "deaf");
	assert_int_equal(res->false_failures[1].ts, 14000);
	assert_string_equal(res->false_failures[1].cause, "");
	assert_int_equal(res->false_failures[2].ts, 31000);
	assert_string_equal(res->false_failures[2].cause, sick_ids[1]);
	assert_int_equal(res->n_crashes, 1);
	assert_int_equal(res->crashes[0].n_sick_observers, 1);
	assert_int_equal(res->crashes[0].n_survivors, 4);
	assert_int_equal(res->crashes[0].all_detect_ms, 1600);
	rumor_analysis_free(a);
}

/* One line with explicit ids (NULL: none). */
static void
add_id_line(struct rumor_analysis *a, int64_t ts, enum rumor_log_ev ev,
            const char *node, const char *member)
{
	struct rumor_log_record rec = {0};

	rec.ts = ts;
	rec.ev = ev;
	snprintf(rec.node, sizeof(rec.node), "%s", node);
	if (member != NULL)
		snprintf(rec.member, sizeof(rec.member), "%s", member);
	if (ev == RUMOR_LOG_FAIL)
		snprintf(rec.via, sizeof(rec.via), "timeout");
	assert_int_equal(rumor_analysis_add(a, &rec), 0);
}

/*
 * A fault is the process's: member 3 reaches nobody from 1 s, is failed,
 * and rejoins as 3#17, which is as cut off as 3#16 was. A fail of 3#17 is
 * expected, and 3#17 is no survivor of member 0's crash at 3 s (it may not
 * hear it): before, it counted as healthy (a false failure, and the crash
 * undetected by all).
 */
static void
test_sick_new_version(void **state)
{
	static const int mute3_all[6] = {1, 1, 1, 0, 1, 1};
	static const char *const m3v2 = "127.0.0.1:3003#17";
	const struct rumor_analyze_result *res;
	struct rumor_analysis *a;

	(void)state;
	a = six_members();
	add_fault_line(a, 1000, 1, 0, "oneway", mute3_all);
	add_line(a, 2000, RUMOR_LOG_FAIL, 1, 3, -1); /* expected */
	add_id_line(a, 2100, RUMOR_LOG_JOINED, m3v2, NULL);
	for (int j = 0; j < 6; j++)
		if (j != 3)
			add_id_line(a, 2100, RUMOR_LOG_JOIN, m3v2, sick_ids[j]);
	add_line(a, 3000, RUMOR_LOG_CRASH, -1, 0, -1);
	for (int i = 1; i < 6; i++)
		if (i != 3)
			add_line(a, 4000, RUMOR_LOG_FAIL, i, 0, -1);
	add_id_line(a, 5000, RUMOR_LOG_FAIL, sick_ids[2], m3v2); /* expected */
	add_fault_line(a, 20000, 0, 0, "oneway", mute3_all);
	res = result(a);
	assert_int_equal(res->n_false_failures, 0);
	assert_int_equal(res->n_sick_failures, 2);
	assert_int_equal(res->sick_failures[1].ts, 5000);
	for (size_t i = 0; i < res->n_crashes; i++)
		if (res->crashes[i].cause == RUMOR_CAUSE_CRASH) {
			assert_int_equal(res->crashes[i].n_sick_observers, 1);
			assert_int_equal(res->crashes[i].n_survivors, 4);
			assert_int_equal(res->crashes[i].all_detect_ms, 1000);
		}
	rumor_analysis_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crash_detected_by_two_of_three),
	    cmocka_unit_test(test_restart),
	    cmocka_unit_test(test_false_failure),
	    cmocka_unit_test(test_leave_recorded_as_fail),
	    cmocka_unit_test(test_trace_bytes),
	    cmocka_unit_test(test_partition_failures),
	    cmocka_unit_test(test_json_schema),
	    cmocka_unit_test(test_text_and_state),
	    cmocka_unit_test(test_cli_exit_status),
	    cmocka_unit_test(test_sick_failures),
	    cmocka_unit_test(test_sick_new_version),
	    cmocka_unit_test(test_silent_member_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
