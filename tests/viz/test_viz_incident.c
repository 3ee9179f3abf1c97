/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz on a real cluster's logs (tests/viz/data/realkill, made by
 * scripts/viz-incident.sh: five real agents with --trace, member-2
 * (":35985") SIGKILLed about 2.06 s in, the others stopped with SIGTERM;
 * no ground-truth line): the killed member is "silent", never "crashed"
 * and never "running" after its last line; the others' correct fail lines
 * contradict nothing; the silence gets an inferred detection span.
 *
 * Also tests/viz/data/demo4: `rumor demo --nodes 4` (one host, one
 * clock; :41311 SIGKILLed, :41313 restarted as a new version), whose
 * senders use the same msg id for a heartbeat and for another kind.
 *
 * argv[1] is the rumor-viz binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "viz_cli_util.h"

#define DIR VIZ_DATA "/realkill/"
#define LOGS                                                                   \
	DIR "member-0.jsonl", DIR "member-1.jsonl", DIR "member-2.jsonl",      \
	    DIR "member-3.jsonl", DIR "member-4.jsonl"
#define KILLED ":35985"

static const char *
str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return v && json_is_string(v) ? json_string_value(v) : "(none)";
}

static json_int_t
num(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v))
		fail_msg("%s is not a number", key);
	return json_integer_value(v);
}

/* Item 1: no ground truth, so no "running" after the last line, no
 * contradiction, and what the logs show: silence. */
static void
test_killed_member_is_silent(void **state)
{
	(void)state;
	json_t *d = dump_args("--at", "1s", LOGS, NULL);
	assert_false(json_is_true(json_object_get(d, "ground_truth")));
	assert_string_equal(str(dump_member(d, KILLED), "truth"), "running");
	json_decref(d);

	/* after its last line (2.063 s) and before others noticed: silent
	 * once the others logged for a second more, never "running" */
	d = dump_args("--at", "2.5s", LOGS, NULL);
	assert_string_equal(str(dump_member(d, KILLED), "truth"), "unknown");
	json_decref(d);
	d = dump_args("--at", "3.2s", LOGS, NULL);
	json_t *k = dump_member(d, KILLED);
	assert_string_equal(str(k, "truth"), "silent");
	assert_int_equal(num(k, "silent_since_ms"), 2063);
	assert_non_null(strstr(str(k, "last_line"), "member-2.jsonl:217"));
	json_decref(d);

	/* every observer failed it: correct, so no contradiction */
	d = dump_args("--at", "4s", LOGS, NULL);
	assert_int_equal(num(d, "contradictions"), 0);
	assert_string_equal(str(dump_member(d, ":33098"), "truth"), "running");
	json_t *sp = json_array_get(json_object_get(d, "detections"), 0);
	assert_non_null(sp);
	assert_string_equal(str(sp, "event"), "silent");
	assert_true(json_is_true(json_object_get(sp, "inferred")));
	assert_non_null(strstr(str(sp, "member"), KILLED));
	assert_int_equal(num(sp, "at_ms"), 2063);
	assert_int_equal(num(sp, "first_detect_ms"), 3563);
	assert_int_equal(num(sp, "last_detect_ms"), 3582);
	assert_int_equal(num(sp, "expected"), 4);
	json_decref(d);

	/* the others' leaves at the end wait for nobody silent */
	d = dump_args("--at", "end", LOGS, NULL);
	size_t i;
	json_array_foreach(json_object_get(d, "detections"), i, sp)
	{
		assert_int_equal(num(sp, "pending_count"), 0);
	}
	json_decref(d);
}

/* Wall-clock time beside log time (epoch ms in real logs). */
static void
test_wall_clock(void **state)
{
	(void)state;
	json_t *d = dump_args("--at", "0", LOGS, NULL);
	assert_string_equal(str(d, "wall"), "2026-12-06 05:30:41.616 UTC");
	json_decref(d);
	d = dump_at("1s", VIZ_DATA "/crash5.jsonl"); /* virtual time */
	assert_string_equal(str(d, "wall"), "");
	json_decref(d);
}

/* Copy src to dst with every ts moved by shift ms (a skewed clock). */
static void
shifted_copy(const char *src, const char *dst, long long shift)
{
	FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
	assert_non_null(in);
	assert_non_null(out);
	char line[4096];
	while (fgets(line, sizeof(line), in)) {
		long long ts;
		int n;
		assert_int_equal(sscanf(line, "{\"ts\":%lld%n", &ts, &n), 1);
		fprintf(out, "{\"ts\":%lld%s", ts + shift, line + n);
	}
	fclose(in);
	fclose(out);
}

/* Member-3's (":47707") clock 1.5 s ahead: messages received before
 * they were sent. The same logs unshifted: no warning. */
static void
test_clock_skew(void **state)
{
	(void)state;
	json_t *d = dump_args("--at", "end", LOGS, NULL);
	assert_int_equal(json_array_size(json_object_get(d, "skew")), 0);
	json_decref(d);
	char dir[] = "/tmp/rumor-viz-skew-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char p[5][128];
	for (int i = 0; i < 5; i++) {
		char src[512];
		snprintf(src, sizeof(src), DIR "member-%d.jsonl", i);
		snprintf(p[i], sizeof(p[i]), "%s/member-%d.jsonl", dir, i);
		shifted_copy(src, p[i], i == 3 ? 1500 : 0);
	}
	d = dump_args("--at", "end", p[0], p[1], p[2], p[3], p[4], NULL);
	json_t *sk = json_array_get(json_object_get(d, "skew"), 0);
	assert_non_null(sk);
	assert_non_null(strstr(str(sk, "member"), ":47707"));
	assert_true(num(sk, "at_least_ms") >= 1400);
	assert_true(num(sk, "at_least_ms") <= 1500);
	json_decref(d);
	for (int i = 0; i < 5; i++)
		unlink(p[i]);
	rmdir(dir);
}

#define DEMO   VIZ_DATA "/demo4/"
#define DEMO_N 6
static const char *const demo_files[DEMO_N] = {
    "node-41310.jsonl", "node-41311.jsonl",    "node-41312.jsonl",
    "node-41313.jsonl", "node-41313.r1.jsonl", "scenario.jsonl"};

/* The demo's logs, file `shifted` (or none: -1) moved by shift ms. */
static json_t *
demo_dump(int shifted, long long shift)
{
	char dir[] = "/tmp/rumor-viz-demo-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char p[DEMO_N][128];
	for (int i = 0; i < DEMO_N; i++) {
		char src[512];
		snprintf(src, sizeof(src), DEMO "%s", demo_files[i]);
		snprintf(p[i], sizeof(p[i]), "%s/%s", dir, demo_files[i]);
		shifted_copy(src, p[i], i == shifted ? shift : 0);
	}
	json_t *d =
	    dump_args("--at", "end", p[0], p[1], p[2], p[3], p[4], p[5], NULL);
	for (int i = 0; i < DEMO_N; i++)
		unlink(p[i]);
	rmdir(dir);
	return d;
}

/* One host, one clock: a receipt pairs with its own send, not with a
 * send of another class or to another monitor that has the same msg id
 * (heartbeat 2 and gossip 2 of one sender), so no skew. Before the fix:
 * :41310 ahead of :41311 >= 1021 ms, :41312 of :41310 >= 398 ms. */
static void
test_one_host_no_skew(void **state)
{
	(void)state;
	json_t *d = demo_dump(-1, 0);
	json_t *sk = json_object_get(d, "skew");
	if (json_array_size(sk) != 0)
		fail_msg("skew on one host: %s ahead of %s >= %lld ms",
		         str(json_array_get(sk, 0), "member"),
		         str(json_array_get(sk, 0), "ahead_of"),
		         (long long)num(json_array_get(sk, 0), "at_least_ms"));
	json_decref(d);
}

/* The same logs with :41312's clock 1.5 s ahead: still found. */
static void
test_one_host_shifted(void **state)
{
	(void)state;
	json_t *d = demo_dump(2, 1500);
	json_t *sk = json_array_get(json_object_get(d, "skew"), 0);
	assert_non_null(sk);
	assert_int_equal(json_array_size(json_object_get(d, "skew")), 1);
	assert_non_null(strstr(str(sk, "member"), ":41312"));
	assert_true(num(sk, "at_least_ms") >= 1400);
	assert_true(num(sk, "at_least_ms") <= 1500);
	json_decref(d);
}

/* Who told whom: :33098 failed :35985 on :47707's word, whose own
 * detector had timed out. */
static void
test_belief_path(void **state)
{
	(void)state;
	json_t *d = dump_args("--at", "4s", "--select", KILLED, "--observer",
	                      ":33098", LOGS, NULL);
	json_t *path = json_object_get(d, "path");
	json_t *hops = json_object_get(path, "hops");
	assert_int_equal(json_array_size(hops), 2);
	json_t *h0 = json_array_get(hops, 0), *h1 = json_array_get(hops, 1);
	assert_non_null(strstr(str(h0, "node"), ":33098"));
	assert_string_equal(str(h0, "ev"), "fail");
	assert_string_equal(str(h0, "via"), "gossip");
	assert_non_null(strstr(str(h0, "from"), ":47707"));
	assert_non_null(strstr(str(h1, "node"), ":47707"));
	assert_string_equal(str(h1, "via"), "timeout");
	assert_string_equal(str(path, "text"),
	                    ":33098 believes :35985 failed since 3.582 s, told "
	                    "by :47707 (gossip); :47707 had it at 3.565 s, its "
	                    "own detector (timeout)");
	json_decref(d);
}

int
main(int argc, char **argv)
{
	if (argc < 2 || access(argv[1], X_OK)) {
		printf("SKIP: rumor-viz binary not given or not built\n");
		return 77;
	}
	viz_cli_bin = argv[1];
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_killed_member_is_silent),
	    cmocka_unit_test(test_wall_clock),
	    cmocka_unit_test(test_clock_skew),
	    cmocka_unit_test(test_one_host_no_skew),
	    cmocka_unit_test(test_one_host_shifted),
	    cmocka_unit_test(test_belief_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
