/* SPDX-License-Identifier: MIT */
/*
 * The MP1 checker on hand-made logs: a perfect log of each scenario scores
 * 30/30, and one mutation at a time loses exactly the points the rules
 * say (docs/mp1.md):
 *
 *   mutation            single  multi  drop
 *   one false positive    -10    -10     0   (drop: accuracy not scored)
 *   one duplicate removal   0    -10     0   (only multi counts lines)
 *   one missing join      -10    -10   -15
 *   one missing removal   -10    -12   -15   (multi: 2 + the 25 lines)
 *
 * plus: the reasons name the line at fault; self-joins all or none; bad
 * lines that say "joined"/"removed" in another form; scenario detection;
 * files that are not a dbg.log.
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

#include "rumor/mp1.h"

enum mutation {
	PERFECT,
	FALSE_POSITIVE,
	DUPLICATE_REMOVAL,
	MISSING_JOIN,
	MISSING_REMOVAL,
	SELF_JOINS,      /* every member also logs its own join: fine */
	SOME_SELF_JOINS, /* only member 1 does: not all or none */
	BAD_JOIN_LINE,
	BAD_REMOVE_LINE,
	NO_FAILURE_LINE,
	DEBUG_LINES, /* other lines in the entry format: ignored */
	MUTATION_MAX
};

static char tmpdir[64];

static int
setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/rumor-mp1grade-XXXXXX");
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

/* Failed members (1-based MP1 numbers): 7 alone, or 3..7. */
static int
is_failed(enum rumor_mp1_scenario s, int m)
{
	return s == RUMOR_MP1_MULTI ? m >= 3 && m <= 7 : m == 7;
}

static void
write_joins(FILE *f, enum mutation mut)
{
	for (int o = 1; o <= 10; o++)
		for (int m = 1; m <= 10; m++) {
			if ((m == o && mut != SELF_JOINS &&
			     !(mut == SOME_SELF_JOINS && o == 1)) ||
			    (mut == MISSING_JOIN && o == 4 && m == 9))
				continue;
			fprintf(f,
			        "\n %d.0.0.0:0 [%d] Node %d.0.0.0:0 joined at "
			        "time %d",
			        o, o / 2 + 2, m, o / 2 + 2);
		}
	if (mut == BAD_JOIN_LINE)
		fprintf(f, "\n 1.0.0.0:0 [9] Node 2.0.0.0:0 has joined");
	if (mut == DEBUG_LINES)
		fprintf(f, "\n 1.0.0.0:0 [9] heartbeat 12 sent to 3 members"
		           "\nstray text without the prefix");
}

static void
write_removals(FILE *f, enum rumor_mp1_scenario s, enum mutation mut)
{
	for (int m = 1; m <= 10; m++)
		for (int o = 1; o <= 10; o++) {
			if (!is_failed(s, m) || is_failed(s, o) ||
			    (mut == MISSING_REMOVAL && o == 10 && m == 7))
				continue;
			fprintf(f,
			        "\n %d.0.0.0:0 [%d] Node %d.0.0.0:0 removed "
			        "at time %d",
			        o, 130 + o % 3, m, 130 + o % 3);
			/* the same line twice costs nothing: it is not a
			 * distinct line */
			if (mut == DUPLICATE_REMOVAL && o == 2)
				fprintf(f,
				        "\n %d.0.0.0:0 [%d] Node %d.0.0.0:0 "
				        "removed at time %d",
				        o, 130 + o % 3, m, 130 + o % 3);
		}
	if (mut == FALSE_POSITIVE)
		fprintf(f, "\n 2.0.0.0:0 [200] Node 9.0.0.0:0 removed at time "
		           "200");
	if (mut == DUPLICATE_REMOVAL)
		fprintf(f, "\n 2.0.0.0:0 [160] Node 7.0.0.0:0 removed at time "
		           "160");
	if (mut == BAD_REMOVE_LINE)
		fprintf(f, "\n 2.0.0.0:0 [200] Node 9.0.0.0:0 was removed");
}

/* A hand-made dbg.log for scenario s with one mutation; header: rumor's
 * header line naming the scenario. */
static const char *
write_log(enum rumor_mp1_scenario s, enum mutation mut, int header)
{
	static char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d-%d.log", tmpdir, s, mut);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "131");
	if (header)
		fprintf(f,
		        "\n 0.0.0.0:0 [0] rumor mp1: scenario %s, seed 1, 1 "
		        "tick = 100 ms",
		        rumor_mp1_scenario_name(s));
	write_joins(f, mut);
	for (int m = 1; m <= 10 && mut != NO_FAILURE_LINE; m++)
		if (is_failed(s, m))
			fprintf(f,
			        "\n %d.0.0.0:0 [100] Node failed at time%s100",
			        m, s == RUMOR_MP1_MULTI ? " = " : "=");
	write_removals(f, s, mut);
	assert_int_equal(fclose(f), 0);
	return path;
}

static struct rumor_mp1_grade
grade(const char *path, enum rumor_mp1_scenario s)
{
	struct rumor_mp1_grade g;
	char err[200];

	assert_int_equal(rumor_mp1_grade_file(path, s, &g, err, sizeof(err)),
	                 0);
	return g;
}

static int
block_points(const struct rumor_mp1_grade *g, const char *name)
{
	for (size_t i = 0; i < g->n_blocks; i++)
		if (!strcmp(g->blocks[i].name, name))
			return g->blocks[i].points;
	fail_msg("no block %s", name);
	return -1;
}

static int
has_reason(const struct rumor_mp1_grade *g, const char *needle)
{
	for (size_t i = 0; i < g->n_reasons; i++)
		if (strstr(g->reasons[i], needle))
			return 1;
	return 0;
}

/* Expected total for each (mutation, scenario): the rules' arithmetic. */
static const int expected[][RUMOR_MP1_SCENARIO_MAX] = {
    [PERFECT] = {30, 30, 30},           [FALSE_POSITIVE] = {20, 20, 30},
    [DUPLICATE_REMOVAL] = {30, 20, 30}, [MISSING_JOIN] = {20, 20, 15},
    [MISSING_REMOVAL] = {20, 18, 15},   [SELF_JOINS] = {30, 30, 30},
    [SOME_SELF_JOINS] = {20, 20, 15},   [BAD_JOIN_LINE] = {20, 20, 15},
    [BAD_REMOVE_LINE] = {20, 20, 30},   [NO_FAILURE_LINE] = {10, 10, 15},
    [DEBUG_LINES] = {30, 30, 30},
};

static void
test_points_matrix(void **state)
{
	(void)state;
	for (int mut = 0; mut < MUTATION_MAX; mut++)
		for (int s = 0; s < RUMOR_MP1_SCENARIO_MAX; s++) {
			struct rumor_mp1_grade g =
			    grade(write_log(s, mut, 0), s);

			if (g.points != expected[mut][s]) {
				rumor_mp1_grade_print(&g, "log", stderr);
				fail_msg("mutation %d, %s: %d points, %d "
				         "expected",
				         mut, rumor_mp1_scenario_name(s),
				         g.points, expected[mut][s]);
			}
			assert_int_equal(g.max, 30);
			/* a reason for every point lost, none otherwise */
			assert_int_equal(g.n_reasons > 0, g.points < 30);
			rumor_mp1_grade_free(&g);
		}
}

static void
test_false_positive(void **state)
{
	struct rumor_mp1_grade g;

	(void)state;
	g = grade(write_log(RUMOR_MP1_SINGLE, FALSE_POSITIVE, 0),
	          RUMOR_MP1_SINGLE);
	assert_int_equal(block_points(&g, "join"), 10);
	assert_int_equal(block_points(&g, "completeness"), 10);
	assert_int_equal(block_points(&g, "accuracy"), 0);
	assert_true(has_reason(&g, "2.0.0.0:0 removed 9.0.0.0:0 at time 200, "
	                           "but 9.0.0.0:0 did not fail"));
	assert_int_equal(g.n_reasons, 1);
	rumor_mp1_grade_free(&g);

	g = grade(write_log(RUMOR_MP1_MULTI, FALSE_POSITIVE, 0),
	          RUMOR_MP1_MULTI);
	assert_int_equal(block_points(&g, "completeness"), 10);
	assert_int_equal(block_points(&g, "accuracy"), 0);
	assert_true(has_reason(&g, "26 distinct removal lines"));
	rumor_mp1_grade_free(&g);

	/* drop: reported as a note, not a reason */
	g = grade(write_log(RUMOR_MP1_MSGDROP, FALSE_POSITIVE, 0),
	          RUMOR_MP1_MSGDROP);
	assert_int_equal(g.n_reasons, 0);
	assert_true(g.n_notes > 0 && strstr(g.notes[0], "did not fail"));
	rumor_mp1_grade_free(&g);
}

static void
test_duplicate_removal(void **state)
{
	struct rumor_mp1_grade g;

	(void)state;
	g = grade(write_log(RUMOR_MP1_MULTI, DUPLICATE_REMOVAL, 0),
	          RUMOR_MP1_MULTI);
	assert_int_equal(block_points(&g, "join"), 10);
	assert_int_equal(block_points(&g, "completeness"), 10);
	assert_int_equal(block_points(&g, "accuracy"), 0);
	assert_true(has_reason(&g, "2.0.0.0:0 removed 7.0.0.0:0 again at "
	                           "time 160 (first at time 132"));
	rumor_mp1_grade_free(&g);
}

static void
test_missing_join(void **state)
{
	struct rumor_mp1_grade g;

	(void)state;
	g = grade(write_log(RUMOR_MP1_MSGDROP, MISSING_JOIN, 0),
	          RUMOR_MP1_MSGDROP);
	assert_int_equal(block_points(&g, "join"), 0);
	assert_int_equal(block_points(&g, "completeness"), 15);
	assert_true(has_reason(&g, "4.0.0.0:0 logged no join of 9.0.0.0:0"));
	assert_int_equal(g.n_reasons, 1);
	rumor_mp1_grade_free(&g);
}

static void
test_missing_removal(void **state)
{
	struct rumor_mp1_grade g;

	(void)state;
	g = grade(write_log(RUMOR_MP1_SINGLE, MISSING_REMOVAL, 0),
	          RUMOR_MP1_SINGLE);
	assert_true(has_reason(&g, "8 distinct removal lines mention the "
	                           "failed member 7.0.0.0:0, 9 needed; no "
	                           "removal of it by 10.0.0.0:0"));
	rumor_mp1_grade_free(&g);
}

static void
test_scenario_detection(void **state)
{
	struct rumor_mp1_grade g;

	(void)state;
	/* no header: the failure lines' format */
	g = grade(write_log(RUMOR_MP1_MULTI, PERFECT, 0),
	          RUMOR_MP1_SCENARIO_MAX);
	assert_int_equal(g.scenario, RUMOR_MP1_MULTI);
	assert_int_equal(g.source, RUMOR_MP1_FROM_FORMAT);
	assert_int_equal(g.n_failed, 5);
	assert_string_equal(g.failed[0], "3.0.0.0:0");
	assert_int_equal(g.fail_time, 100);
	rumor_mp1_grade_free(&g);
	g = grade(write_log(RUMOR_MP1_MSGDROP, PERFECT, 0),
	          RUMOR_MP1_SCENARIO_MAX);
	assert_int_equal(g.scenario, RUMOR_MP1_SINGLE);
	rumor_mp1_grade_free(&g);
	/* rumor's header names the drop scenario */
	g = grade(write_log(RUMOR_MP1_MSGDROP, MISSING_JOIN, 1),
	          RUMOR_MP1_SCENARIO_MAX);
	assert_int_equal(g.scenario, RUMOR_MP1_MSGDROP);
	assert_int_equal(g.source, RUMOR_MP1_FROM_HEADER);
	assert_int_equal(g.points, 15);
	rumor_mp1_grade_free(&g);
	/* the caller wins; multi lines under single rules are not its
	 * failure lines */
	g = grade(write_log(RUMOR_MP1_MULTI, PERFECT, 1), RUMOR_MP1_SINGLE);
	assert_int_equal(g.source, RUMOR_MP1_FROM_CALLER);
	assert_int_equal(g.points, 10);
	assert_true(has_reason(&g, "failure: expected 1 member failed"));
	rumor_mp1_grade_free(&g);
}

static void
test_not_a_dbg_log(void **state)
{
	char path[160], err[200];
	struct rumor_mp1_grade g;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/x.jsonl", tmpdir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"ts\":0,\"node\":\"sim\",\"ev\":\"crash\"}\n", f);
	fclose(f);
	assert_int_equal(rumor_mp1_grade_file(path, RUMOR_MP1_SCENARIO_MAX, &g,
	                                      err, sizeof(err)),
	                 RUMOR_EINVAL);
	assert_non_null(strstr(err, "not 131"));
	f = fopen(path, "w");
	fclose(f);
	assert_int_equal(rumor_mp1_grade_file(path, RUMOR_MP1_SCENARIO_MAX, &g,
	                                      err, sizeof(err)),
	                 RUMOR_EINVAL);
	assert_non_null(strstr(err, "empty"));
	snprintf(path, sizeof(path), "%s/missing.log", tmpdir);
	assert_int_equal(rumor_mp1_grade_file(path, RUMOR_MP1_SCENARIO_MAX, &g,
	                                      err, sizeof(err)),
	                 RUMOR_EINVAL);
	assert_non_null(strstr(err, "No such file"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_points_matrix),
	    cmocka_unit_test(test_false_positive),
	    cmocka_unit_test(test_duplicate_removal),
	    cmocka_unit_test(test_missing_join),
	    cmocka_unit_test(test_missing_removal),
	    cmocka_unit_test(test_scenario_detection),
	    cmocka_unit_test(test_not_a_dbg_log),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
