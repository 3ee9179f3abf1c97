/* SPDX-License-Identifier: MIT */
/*
 * One sick member must never get a healthy one failed (issue 12): every
 * fault kind of the simulator for 1, 5, 15 and 60 s, on one member, on two
 * at once, and (N = 200) on 10% of the members, at 10% loss, with a crash
 * of a healthy member halfway through the fault. Each run's log is read by
 * the analyzer: no false failure (a `fail` of a running member heard by a
 * majority, docs/analyze.md), and the crash failed first within 3 s and by
 * every healthy member within 6 s (the floor of docs/architecture.md).
 *
 *   test_sim_sick fast   N = 16, every case; N = 200, 10% deaf for 5 s
 *   test_sim_sick full   N = 200, every case (label slow: under ASan the
 *                        N = 200 runs take minutes)
 *
 * Cases the protocol still loses (KNOWN below, found by this matrix and
 * reported in issue 12) are checked the other way: they must still show
 * false failures, so that a fix makes this test say so.
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

#include "rumor/analyze.h"
#include "rumor/sim.h"

enum who { ONE, TWO, TEN };
static const char *const who_name[] = {"one", "two", "10%"};
static const char *const kinds[] = {"deaf", "mute",  "oneway", "cut",
                                    "slow", "delay", "pause"};
static const unsigned durations[] = {1, 5, 15, 60};

/*
 * Known false failures: none at present. Until the fix of issue 12's last
 * defect, 10% of 200 members that reach nobody but hear everyone
 * (`--oneway 10%>*`, 5 s and longer) rejoined as new versions only they
 * knew and failed healthy members on a quorum of two of them (224 false
 * failures at 15 s), and two of member 0's monitors cut from it (`--cut
 * 10%/0-9`, 15 s and longer) failed it; now a rejoined member accuses
 * nobody until the group acknowledges its new id, a refutation on a
 * member's behalf goes to every accuser, and a failure decision postponed
 * by ill health reopens the refutation window (docs/architecture.md,
 * "Failure needs a quorum"). A case added here is checked the other way.
 */
static int
known(const char *kind, uint32_t n, enum who who, unsigned d)
{
	(void)kind, (void)n, (void)who, (void)d;
	return 0;
}

/* The fault argument for kind on who, from t0 for d seconds. */
static void
fault_arg(char *buf, size_t cap, const char *kind, enum who who, unsigned t0,
          unsigned d)
{
	const char *s = who == ONE ? "3" : who == TWO ? "3,7" : "10%";
	const char *p = who == ONE ? "4" : who == TWO ? "4,8" : "*";

	if (!strcmp(kind, "deaf") || !strcmp(kind, "mute"))
		snprintf(buf, cap, "--%s %s@%us+%us", kind, s, t0, d);
	else if (!strcmp(kind, "oneway"))
		snprintf(buf, cap, "--oneway %s>%s@%us+%us", s, p, t0, d);
	else if (!strcmp(kind, "cut"))
		snprintf(buf, cap, "--cut %s/%s@%us+%us", s,
		         who == TEN ? "0-9" : p, t0, d);
	else if (!strcmp(kind, "slow"))
		snprintf(buf, cap, "--slow %s:200ms@%us+%us", s, t0, d);
	else if (!strcmp(kind, "delay"))
		snprintf(buf, cap, "--delay %s:50ms~20ms@%us+%us", s, t0, d);
	else if (d == 1) /* pause: one second, or 300 ms of every second */
		snprintf(buf, cap, "--pause %s@%us+1s", s, t0);
	else
		snprintf(buf, cap, "--pause %s@%us+300ms/1s*%u", s, t0, d);
}

/* Run `rumor sim ARGS --log path`; fails the test on any error. */
static void
run_sim(const char *args, const char *path)
{
	char buf[512], *argv[32], *save = NULL;
	struct rumor_sim_options o;
	struct rumor_sim *sim;
	int argc = 0;

	snprintf(buf, sizeof(buf), "sim %s --log %s", args, path);
	for (char *t = strtok_r(buf, " ", &save); t && argc < 31;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	if (rumor_sim_options_parse(&o, argc, argv, stdout, stderr))
		fail_msg("rumor sim %s: refused", args);
	assert_int_equal(rumor_sim_new(&sim, &o.cfg), 0);
	assert_int_equal(rumor_sim_options_schedule(sim, &o), 0);
	assert_int_equal(rumor_sim_run_for(sim, o.duration_ms), 0);
	assert_int_equal(rumor_sim_finish(sim), 0);
	rumor_sim_free(sim);
	rumor_sim_options_free(&o);
}

static struct rumor_analysis *
analyze(const char *path, const struct rumor_analyze_result **res)
{
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	struct rumor_analysis *a;

	assert_int_equal(rumor_log_reader_open(&r, &path, 1, NULL), 0);
	assert_int_equal(rumor_analysis_new(&a, NULL), 0);
	while (rumor_log_reader_next(r, &rec) == 1)
		assert_int_equal(rumor_analysis_add(a, &rec), 0);
	rumor_log_record_clear(&rec);
	rumor_log_reader_close(r);
	assert_int_equal(rumor_analysis_finish(a, res), 0);
	return a;
}

/* One case; returns its false failures (printed with the command). */
static void
one_case(const char *kind, uint32_t n, enum who who, unsigned d)
{
	unsigned t0 = n > 100 ? 8 : 5;
	uint32_t victim = n > 100 ? 150 : 12;
	char fault[96], args[256], path[64];
	const struct rumor_analyze_result *res;
	const struct rumor_crash_report *c = NULL;
	struct rumor_analysis *a;
	int bad;

	fault_arg(fault, sizeof(fault), kind, who, t0, d);
	snprintf(args, sizeof(args),
	         "--nodes %u --loss 0.1 --seed 1 --duration %us %s "
	         "--crash %u@%ums",
	         n, t0 + d + 16, fault, victim, t0 * 1000 + d * 500);
	snprintf(path, sizeof(path), "/tmp/rumor-sick-%d.jsonl", (int)getpid());
	run_sim(args, path);
	a = analyze(path, &res);
	for (size_t i = 0; i < res->n_crashes; i++)
		if (res->crashes[i].cause == RUMOR_CAUSE_CRASH)
			c = &res->crashes[i];
	assert_non_null(c);
	bad = c->first_detect_ms == RUMOR_ANALYZE_NONE ||
	      c->first_detect_ms > 3000 ||
	      c->all_detect_ms == RUMOR_ANALYZE_NONE || c->all_detect_ms > 6000;
	printf("%-6s N=%-3u %-3s %2us: false failures %zu, sick failures "
	       "%zu; crash failed first %lld ms, by all %lld ms%s\n",
	       kind, n, who_name[who], d, res->n_false_failures,
	       res->n_sick_failures, (long long)c->first_detect_ms,
	       (long long)c->all_detect_ms,
	       known(kind, n, who, d) ? " (known)" : "");
	if (bad)
		fail_msg("crash detection past the floor: rumor sim %s", args);
	if (known(kind, n, who, d) ? res->n_false_failures == 0
	                           : res->n_false_failures != 0)
		fail_msg("%zu false failures (%s): rumor sim %s --log x.jsonl "
		         "&& rumor analyze x.jsonl",
		         res->n_false_failures,
		         known(kind, n, who, d) ? "known case now clean: move "
		                                  "it out of known()"
		                                : "want 0",
		         args);
	rumor_analysis_free(a);
	unlink(path);
}

static void
matrix(uint32_t n, int only_d, int skip_d)
{
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (size_t i = 0; i < 4; i++)
			for (int w = ONE; w <= (n > 100 ? TEN : TWO); w++) {
				unsigned d = durations[i];
				if ((only_d && d != (unsigned)only_d) ||
				    d == (unsigned)skip_d)
					continue;
				one_case(kinds[k], n, (enum who)w, d);
			}
}

static void
test_fast(void **state)
{
	(void)state;
	matrix(16, 0, 0);
	one_case("deaf", 200, TEN, 5); /* the case, at N = 200 */
}

static void
test_full(void **state)
{
	(void)state;
	matrix(200, 0, 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fast),
	    cmocka_unit_test(test_full),
	};
	char filter[64];

	if (argc > 1) {
		snprintf(filter, sizeof(filter), "test_%s", argv[1]);
		cmocka_set_test_filter(filter);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
