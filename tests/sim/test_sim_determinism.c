/* SPDX-License-Identifier: MIT */
/*
 * The simulator's guarantees, checked on whole runs: the same seed gives a
 * byte-identical log, another seed a different one, tracing does not change
 * what the protocol does, neither does the number of threads, the log holds
 * the ground truth, and bad `rumor sim` arguments are refused naming the
 * flag and the value.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "rumor/log.h"
#include "rumor/sim.h"

#define SCENARIO                                                               \
	"--nodes 32 --loss 0.1 --delay-ms 1..20 --crash 3@4s --restart 4@5s "  \
	"--leave 5@6s --partition 10-14@7s --heal@12s --restart 6@13s "        \
	"--duration 20s"

static char tmpdir[64];

static int
setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/rumor-simtest-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct rumor_sim_stats last_stats; /* of the last run() */

/* Run `rumor sim ARGS --seed S --log DIR/NAME [--trace]`; returns path. */
static char *
run(const char *args, uint64_t seed, const char *name, int trace)
{
	static char path[4][128];
	static int slot;
	char line[512], *argv[64], *tok, *save = NULL;
	int argc = 0;
	struct rumor_sim_options o;
	struct rumor_sim *sim;

	slot = (slot + 1) % 4;
	snprintf(path[slot], sizeof(path[slot]), "%s/%s", tmpdir, name);
	snprintf(line, sizeof(line), "%s --seed %llu --log %s%s", args,
	         (unsigned long long)seed, path[slot], trace ? " --trace" : "");
	argv[argc++] = "sim";
	for (tok = strtok_r(line, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	assert_int_equal(
	    rumor_sim_options_parse(&o, argc, argv, stdout, stderr), 0);
	assert_int_equal(rumor_sim_new(&sim, &o.cfg), 0);
	assert_int_equal(rumor_sim_options_schedule(sim, &o), 0);
	assert_int_equal(rumor_sim_run_for(sim, o.duration_ms), 0);
	assert_int_equal(rumor_sim_finish(sim), 0);
	rumor_sim_stats(sim, &last_stats);
	rumor_sim_free(sim);
	rumor_sim_options_free(&o);
	return path[slot];
}

/* The file's bytes (NUL-terminated), its length in *len. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
test_same_seed_identical_log(void **state)
{
	size_t la, lb, lc;
	char *a, *b, *c;

	(void)state;
	a = slurp(run(SCENARIO, 7, "a.jsonl", 1), &la);
	/* the same file again: the simulator replaces it, never appends */
	b = slurp(run(SCENARIO, 7, "a.jsonl", 1), &lb);
	c = slurp(run(SCENARIO, 8, "c.jsonl", 1), &lc);
	assert_true(la > 10000);
	if (la != lb || memcmp(a, b, la))
		fail_msg("seed 7 twice gave different logs (%zu and %zu "
		         "bytes): rumor sim " SCENARIO " --seed 7 --trace",
		         la, lb);
	assert_true(la != lc || memcmp(a, c, la));
	free(a);
	free(b);
	free(c);
}

/* A send/recv/drop line (looks only inside the line: no strstr on the
 * whole buffer, which is quadratic under ASan's interceptors). */
static int
is_trace_line(const char *line, size_t len)
{
	const char *p = memmem(line, len, "\"ev\":\"", 6);
	size_t rest;

	if (!p)
		return 0;
	p += 6;
	rest = len - (size_t)(p - line);
	return rest >= 5 &&
	       (!memcmp(p, "send\"", 5) || !memcmp(p, "recv\"", 5) ||
	        !memcmp(p, "drop\"", 5));
}

/* Drop send/recv/drop lines: what is left must not depend on --trace. */
static size_t
strip_trace(char *buf, size_t len)
{
	char *out = buf, *line = buf, *end = buf + len, *nl;

	for (; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));
		assert_non_null(nl);
		if (is_trace_line(line, (size_t)(nl - line)))
			continue;
		memmove(out, line, (size_t)(nl + 1 - line));
		out += nl + 1 - line;
	}
	*out = '\0';
	return (size_t)(out - buf);
}

static void
test_trace_changes_nothing_else(void **state)
{
	size_t lt, lp, ls;
	char *traced, *plain;

	(void)state;
	traced = slurp(run(SCENARIO, 3, "t.jsonl", 1), &lt);
	plain = slurp(run(SCENARIO, 3, "p.jsonl", 0), &lp);
	assert_null(memmem(plain, lp, "\"ev\":\"send\"", 12));
	ls = strip_trace(traced, lt);
	assert_true(ls < lt / 2); /* mostly trace lines */
	if (ls != lp || memcmp(traced, plain, lp))
		fail_msg(
		    "--trace changed the protocol's events: rumor sim " SCENARIO
		    " --seed 3 with and without --trace");
	free(traced);
	free(plain);
}

/* Enough members that most virtual ms are shared between the threads. */
#define SCENARIO_400                                                           \
	"--nodes 400 --loss 0.1 --delay-ms 1..20 --crash 3@3s --restart 4@4s " \
	"--leave 5@5s --partition 10-200@5s --heal@7s --restart 6@7s "         \
	"--gossip-entries 16 --duration 9s --deaf 20@2s+3s --mute 21@2s+3s "  \
	"--oneway 22>23@2s+3s --cut 24/25@2s+3s --slow 26:200ms@2s+3s "        \
	"--delay 27:50ms~20ms@2s+3s --pause 28@2s+300ms/1s*3 --deaf 5%@6s+2s"

static void
expect_same_log(const char *args, int trace, int min_shared)
{
	size_t l1, l2;
	char *one, *two, with_threads[512];

	snprintf(with_threads, sizeof(with_threads), "%s --threads 1", args);
	one = slurp(run(with_threads, 4, "one.jsonl", trace), &l1);
	assert_int_equal(last_stats.rounds_shared, 0);
	snprintf(with_threads, sizeof(with_threads), "%s --threads 2", args);
	two = slurp(run(with_threads, 4, "two.jsonl", trace), &l2);
	if (last_stats.rounds_shared < (uint64_t)min_shared)
		fail_msg(
		    "rumor sim %s: %llu ms shared, want >= %d", with_threads,
		    (unsigned long long)last_stats.rounds_shared, min_shared);
	if (l1 != l2 || memcmp(one, two, l1))
		fail_msg("--threads 2 changed the log (%zu and %zu bytes): "
		         "rumor sim %s --seed 4%s",
		         l1, l2, args, trace ? " --trace" : "");
	free(one);
	free(two);
}

static void
test_threads_change_nothing(void **state)
{
	(void)state;
	expect_same_log(SCENARIO, 1, 0);
	/* 400 members: no trace lines (100 MB), events and ground truth */
	expect_same_log(SCENARIO_400, 0, 4000); /* of 9,000 ms */
}

static void
test_log_holds_ground_truth(void **state)
{
	const char *path = run(SCENARIO, 5, "g.jsonl", 0);
	struct rumor_log_reader *r;
	struct rumor_log_record rec;
	int starts = 0, stops = 0, crashes = 0, restarts = 0, parts = 0;
	int heals = 0, left = 0;
	int64_t last_ts = 0;

	(void)state;
	memset(&rec, 0, sizeof(rec));
	assert_int_equal(rumor_log_reader_open(&r, &path, 1, NULL), 0);
	while (rumor_log_reader_next(r, &rec) == 1) {
		assert_true(rec.ts >= last_ts); /* virtual ms, in order */
		last_ts = rec.ts;
		switch (rec.ev) {
		case RUMOR_LOG_START:
			starts++;
			break;
		case RUMOR_LOG_STOP:
			stops++;
			break;
		case RUMOR_LOG_LEFT:
			left++;
			break;
		case RUMOR_LOG_CRASH:
			assert_string_equal(rec.node, "sim");
			/* --crash 3@4s, and the two restarts of running ones */
			assert_true(rec.ts == 4000 || rec.ts == 5000 ||
			            rec.ts == 13000);
			crashes++;
			break;
		case RUMOR_LOG_RESTART:
			assert_string_equal(rec.node, "sim");
			assert_true(rec.ts == 5000 || rec.ts == 13000);
			/* the new id: version 1 + virtual ms */
			assert_non_null(
			    strstr(rec.member, rec.ts == 5000 ? ":3004#5001"
			                                      : ":3006#13001"));
			restarts++;
			break;
		case RUMOR_LOG_PARTITION: {
			size_t cut = 0;
			int64_t g0 = -1, g12 = -1;

			assert_int_equal(rec.ts, 7000);
			assert_int_equal(rec.n_group_members, 32);
			for (size_t i = 0; i < rec.n_group_members; i++) {
				const char *m = rec.group_member[i];

				cut += rec.group_of[i] != 0;
				if (strstr(m, ":3000#"))
					g0 = rec.group_of[i];
				if (strstr(m, ":3012#"))
					g12 = rec.group_of[i];
			}
			assert_int_equal(cut, 5); /* members 10..14 */
			assert_int_equal(g0, 0);
			assert_int_equal(g12, 1);
			parts++;
			break;
		}
		case RUMOR_LOG_HEAL:
			assert_int_equal(rec.ts, 12000);
			heals++;
			break;
		default:
			break;
		}
	}
	assert_int_equal(rumor_log_reader_errors(r), 0);
	rumor_log_reader_close(r);
	rumor_log_record_clear(&rec);
	assert_int_equal(crashes, 3);
	assert_int_equal(restarts, 2);
	assert_int_equal(parts, 1);
	assert_int_equal(heals, 1);
	assert_int_equal(left, 1);
	assert_int_equal(starts, 32 + 2);
	/* everyone but the crashed member 3 and the leaver stops at the end */
	assert_int_equal(stops, 32 - 1 - 1 + 1);
}

/* ---- command line ---- */

static void
expect_refused(const char *arg1, const char *arg2, const char *want)
{
	char *argv[6] = {"sim",        "--nodes",    "16",
	                 (char *)arg1, (char *)arg2, NULL};
	int argc = arg2 ? 5 : 4;
	struct rumor_sim_options o;
	char *msg = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);
	int rc;

	rc = rumor_sim_options_parse(&o, argc, argv, stdout, err);
	fclose(err);
	rumor_sim_options_free(&o);
	if (rc != 2 || !strstr(msg, want))
		fail_msg("rumor sim --nodes 16 %s %s: exit %d, message '%s' "
		         "(want 2 and '%s')",
		         arg1, arg2 ? arg2 : "", rc, msg, want);
	free(msg);
}

static void
test_bad_arguments_name_flag_and_value(void **state)
{
	(void)state;
	expect_refused("--crash", "20@1s", "--crash '20@1s'");
	expect_refused("--crash", "3@30", "--crash '3@30'");
	expect_refused("--loss", "1.5", "--loss '1.5'");
	expect_refused("--delay-ms", "9..3", "--delay-ms '9..3'");
	expect_refused("--duration", "90", "--duration '90'");
	expect_refused("--partition", "4-2@1s", "--partition '4-2@1s'");
	expect_refused("--heal@soon", NULL, "--heal 'soon'");
	expect_refused("--seed", "-1", "--seed '-1'");
	expect_refused("--deaf", "16@1s+1s", "--deaf '16@1s+1s'");
	expect_refused("--deaf", "3@1s", "--deaf '3@1s'");
	expect_refused("--cut", "3>4@1s+1s", "--cut '3>4@1s+1s'");
	expect_refused("--fanout", "0", "--fanout '0'");
	expect_refused("--mtu", "10", "--mtu '10'");
	expect_refused("--drop-rate", "2", "--drop-rate '2'");
	expect_refused("--gossip-ms", "5", "--gossip-ms '5'");
	expect_refused("--threads", "0", "--threads '0'");
	expect_refused("--threads", "17", "--threads '17'");
	expect_refused("--bogus", NULL, "unknown option '--bogus'");
	expect_refused("--crash", NULL, "'--crash' needs a value");
	expect_refused("extra", NULL, "unexpected argument 'extra'");
}

static void
test_good_arguments(void **state)
{
	char *argv[] = {
	    "sim",    "--nodes",      "50",     "--heal@40s", "--heal",
	    "@50s",   "--crash",      "7@30s",  "--crash",    "8-9@1.5s",
	    "--seed", "0x10",         "--loss", "10%",        "--delay-ms",
	    "2..30",  "--suspect-ms", "2s",     "--duration", "2m",
	    NULL};
	struct rumor_sim_options o;

	(void)state;
	assert_int_equal(rumor_sim_options_parse(&o, 20, argv, stdout, stderr),
	                 0);
	assert_int_equal(o.cfg.n_members, 50);
	assert_int_equal(o.n_actions, 4);
	assert_int_equal(o.actions[0].kind, RUMOR_SIM_HEAL);
	assert_int_equal(o.actions[0].at_ms, 40000);
	assert_int_equal(o.actions[1].at_ms, 50000);
	assert_int_equal(o.actions[3].first, 8);
	assert_int_equal(o.actions[3].last, 9);
	assert_int_equal(o.actions[3].at_ms, 1500);
	assert_int_equal(o.cfg.seed, 16);
	assert_true(o.cfg.loss > 0.0999 && o.cfg.loss < 0.1001);
	assert_int_equal(o.cfg.delay_min_ms, 2);
	assert_int_equal(o.cfg.delay_max_ms, 30);
	assert_int_equal(o.cfg.core.t_suspect_ms, 2000);
	assert_int_equal(o.duration_ms, 120000);
	assert_string_equal(argv[3], "--heal@40s"); /* argv untouched */
	rumor_sim_options_free(&o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_same_seed_identical_log),
	    cmocka_unit_test(test_trace_changes_nothing_else),
	    cmocka_unit_test(test_threads_change_nothing),
	    cmocka_unit_test(test_log_holds_ground_truth),
	    cmocka_unit_test(test_bad_arguments_name_flag_and_value),
	    cmocka_unit_test(test_good_arguments),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
