/* SPDX-License-Identifier: MIT */
/*
 * Reader tests: k-way merge by ts (ties: file order, then line order),
 * follow mode with a partial last line, malformed lines reported as
 * FILE:LINE and skipped, open errors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "log_test_util.h"
#include "rumor/log.h"

#define LINE(ts, node)                                                         \
	"{\"ts\":" #ts ",\"node\":\"" node "\",\"ev\":\"start\"}\n"

static void
test_merge_order_with_ties(void **state)
{
	char *dir = tmpdir_make();
	char *p[3];
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	/* expected (node, line) in order */
	static const struct {
		const char *node;
		uint64_t line;
	} want[] = {
	    {"b1", 1}, {"a1", 1}, {"a2", 2}, {"b2", 2}, {"c1", 1},
	    {"c2", 2}, {"a3", 3}, {"c3", 3}, {"b3", 3}, {"b4", 4},
	};

	(void)state;
	p[0] = strdup(tmp_path(dir, "a.jsonl"));
	p[1] = strdup(tmp_path(dir, "b.jsonl"));
	p[2] = strdup(tmp_path(dir, "c.jsonl"));
	write_text(p[0], LINE(5, "a1") LINE(5, "a2") LINE(9, "a3"), 0);
	write_text(
	    p[1], LINE(1, "b1") LINE(5, "b2") LINE(10, "b3") LINE(10, "b4"), 0);
	write_text(p[2], LINE(5, "c1") LINE(7, "c2") LINE(9, "c3"), 0);
	assert_int_equal(
	    rumor_log_reader_open(&r, (const char *const *)p, 3, NULL), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(rumor_log_reader_next(r, &rec), 1);
		assert_string_equal(rec.node, want[i].node);
		assert_int_equal(rec.line, want[i].line);
		assert_string_equal(rec.file, p[want[i].node[0] - 'a']);
	}
	assert_int_equal(rumor_log_reader_next(r, &rec), 0);
	assert_int_equal(rumor_log_reader_next(r, &rec), 0);
	rumor_log_reader_close(r);
	for (int i = 0; i < 3; i++)
		free(p[i]);
	tmpdir_remove(dir);
}

static void
test_follow_partial_line(void **state)
{
	char *dir = tmpdir_make();
	const char *path = strdup(tmp_path(dir, "f.jsonl"));
	const char *path2 = strdup(tmp_path(dir, "g.jsonl"));
	const char *paths[] = {path, path2};
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	struct error_list errs = {0};

	(void)state;
	write_text(path, LINE(1, "x") "{\"ts\":2,\"node\":\"y\",\"e", 0);
	write_text(path2, "", 0);
	assert_int_equal(rumor_log_reader_open(&r, paths, 2, NULL), 0);
	rumor_log_reader_on_error(r, collect_error, &errs);
	rumor_log_reader_follow(r, 1);
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_string_equal(rec.node, "x");
	assert_int_equal(rumor_log_reader_next(r, &rec), 0); /* partial */
	assert_int_equal(rumor_log_reader_next(r, &rec), 0);
	write_text(path, "v\":\"start\"}", 1); /* still no newline */
	assert_int_equal(rumor_log_reader_next(r, &rec), 0);
	write_text(path, "\n" LINE(3, "z"), 1);
	write_text(path2, LINE(2, "w"), 1);
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_string_equal(rec.node, "y");
	assert_int_equal(rec.line, 2);
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_string_equal(rec.node, "w");
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_string_equal(rec.node, "z");
	assert_int_equal(rec.line, 3);
	assert_int_equal(rumor_log_reader_next(r, &rec), 0);
	assert_int_equal(errs.n, 0);
	/* leaving follow mode: a partial last line is now malformed */
	write_text(path, "{\"ts\":4", 1);
	rumor_log_reader_follow(r, 0);
	assert_int_equal(rumor_log_reader_next(r, &rec), 0);
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.msg[0], "f.jsonl:4: truncated line"));
	rumor_log_reader_close(r);
	free((char *)path);
	free((char *)path2);
	tmpdir_remove(dir);
}

static void
test_malformed_lines(void **state)
{
	char *dir = tmpdir_make();
	const char *path = strdup(tmp_path(dir, "bad.jsonl"));
	const char *paths[] = {path};
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	struct error_list errs = {0};
	static const char *const want[] = {
	    "bad.jsonl:2: bad JSON",
	    "bad.jsonl:3: unknown \"ev\" \"explode\"",
	    "bad.jsonl:4: bad JSON",
	    "bad.jsonl:5: \"ts\" is not an integer",
	    "bad.jsonl:6: \"member\" is not a string",
	    "bad.jsonl:7: missing \"member\"",
	    "bad.jsonl:8: not a JSON object",
	    "bad.jsonl:9: \"node\" is longer than 79 bytes",
	    "bad.jsonl:10: \"bytes\" is not a non-negative integer",
	    "bad.jsonl:11: \"groups\"[1] is not an array",
	    "bad.jsonl:12: missing \"ts\"",
	    "bad.jsonl:14: bad JSON",
	    "bad.jsonl:16: truncated line (no newline at end of file)",
	};

	(void)state;
	write_text(
	    path,
	    LINE(
	        1,
	        "ok1") "{\"ts\":2,\"node\":\"a\",\"ev\":\"fail\",\"mem\n"
	               "{\"ts\":3,\"node\":\"a\",\"ev\":\"explode\"}\n"
	               "not json at all\n"
	               "{\"ts\":\"4\",\"node\":\"a\",\"ev\":\"start\"}\n"
	               "{\"ts\":5,\"node\":\"a\",\"ev\":\"fail\",\"member\":5}"
	               "\n"
	               "{\"ts\":6,\"node\":\"a\",\"ev\":\"crash\"}\n"
	               "[1,2,3]\n"
	               "{\"ts\":8,\"node\":"
	               "\"01234567890123456789012345678901234"
	               "5678901234567890123456789012345678901234567890\","
	               "\"ev\":\"start\"}\n"
	               "{\"ts\":9,\"node\":\"a\",\"ev\":\"send\",\"peer\":"
	               "\"b\","
	               "\"bytes\":-1}\n"
	               "{\"ts\":10,\"node\":\"sim\",\"ev\":\"partition\","
	               "\"groups\":[[\"a\"],\"b\"]}\n"
	               "{\"node\":\"a\",\"ev\":\"start\"}\n"
	               "   \n"
	               "{\"ts\":13,\"ts\":14,\"node\":\"a\",\"ev\":\"start\"}\n"
	               "{\"ts\":15,\"node\":\"ok2\",\"ev\":\"start\",\"new\":["
	               "1]}\n"
	               "{\"ts\":16,\"node\":\"a\",\"ev\":",
	    0);
	assert_int_equal(rumor_log_reader_open(&r, paths, 1, NULL), 0);
	rumor_log_reader_on_error(r, collect_error, &errs);
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_string_equal(rec.node, "ok1");
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_string_equal(rec.node, "ok2");
	assert_int_equal(rec.line, 15);
	assert_int_equal(rumor_log_reader_next(r, &rec), 0);
	assert_int_equal(errs.n, sizeof(want) / sizeof(want[0]));
	assert_int_equal(rumor_log_reader_errors(r), errs.n);
	for (size_t i = 0; i < errs.n; i++) {
		if (strstr(errs.msg[i], want[i]) == NULL)
			fail_msg("error %zu: got '%s', want '%s'", i,
			         errs.msg[i], want[i]);
		assert_non_null(strstr(errs.msg[i], path));
	}
	rumor_log_reader_close(r);
	free((char *)path);
	tmpdir_remove(dir);
}

/* Without an error callback the message goes to stderr; a line over the
 * limit is skipped and the next one read. */
static void
test_line_too_long(void **state)
{
	char *dir = tmpdir_make();
	const char *path = strdup(tmp_path(dir, "long.jsonl"));
	const char *paths[] = {path};
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	struct error_list errs = {0};
	size_t n = (1u << 20) + 100;
	char *big = malloc(n + 2);

	(void)state;
	memset(big, 'x', n);
	big[n] = '\n';
	big[n + 1] = '\0';
	write_text(path, LINE(1, "a"), 0);
	write_text(path, big, 1);
	write_text(path, LINE(2, "b"), 1);
	assert_int_equal(rumor_log_reader_open(&r, paths, 1, NULL), 0);
	rumor_log_reader_on_error(r, collect_error, &errs);
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_string_equal(rec.node, "a");
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_string_equal(rec.node, "b");
	assert_int_equal(rec.line, 3);
	assert_int_equal(rumor_log_reader_next(r, &rec), 0);
	assert_int_equal(errs.n, 1);
	if (strstr(errs.msg[0], "long.jsonl:2: line longer than") == NULL)
		fail_msg("got %s", errs.msg[0]);
	rumor_log_reader_close(r);
	free(big);
	free((char *)path);
	tmpdir_remove(dir);
}

static void
test_open_errors(void **state)
{
	char *dir = tmpdir_make();
	const char *good = strdup(tmp_path(dir, "ok.jsonl"));
	const char *paths[] = {good, "/nonexistent/x.jsonl"};
	const char *dirs[] = {dir};
	const char *bad = NULL;
	struct rumor_log_reader *r = (void *)1;

	(void)state;
	write_text(good, LINE(1, "a"), 0);
	errno = 0;
	assert_int_equal(rumor_log_reader_open(&r, paths, 2, &bad),
	                 RUMOR_EINVAL);
	assert_null(r);
	assert_int_equal(errno, ENOENT);
	assert_ptr_equal(bad, paths[1]);
	errno = 0;
	assert_int_equal(rumor_log_reader_open(&r, dirs, 1, &bad),
	                 RUMOR_EINVAL);
	assert_int_equal(errno, EISDIR);
	assert_int_equal(rumor_log_reader_open(&r, paths, 0, &bad),
	                 RUMOR_EINVAL);
	free((char *)good);
	tmpdir_remove(dir);
}

/* A partition line keeps its groups; the record owns the arrays. */
static void
test_partition_groups(void **state)
{
	char *dir = tmpdir_make();
	const char *path = strdup(tmp_path(dir, "p.jsonl"));
	const char *paths[] = {path};
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};

	(void)state;
	write_text(path,
	           "{\"ts\":1,\"node\":\"scenario\",\"ev\":\"partition\","
	           "\"groups\":[[\"a#1\",\"b#1\"],[],[\"c#1\"]]}\n"
	           "{\"ts\":2,\"node\":\"scenario\",\"ev\":\"heal\"}\n",
	           0);
	assert_int_equal(rumor_log_reader_open(&r, paths, 1, NULL), 0);
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_int_equal(rec.ev, RUMOR_LOG_PARTITION);
	assert_int_equal(rec.n_groups, 3);
	assert_int_equal(rec.n_group_members, 3);
	assert_string_equal(rec.group_member[2], "c#1");
	assert_int_equal(rec.group_of[0], 0);
	assert_int_equal(rec.group_of[1], 0);
	assert_int_equal(rec.group_of[2], 2);
	assert_int_equal(rumor_log_reader_next(r, &rec), 1);
	assert_int_equal(rec.ev, RUMOR_LOG_HEAL);
	assert_null(rec.group_member);
	assert_int_equal(rec.n_group_members, 0);
	rumor_log_reader_close(r);
	free((char *)path);
	tmpdir_remove(dir);
}

static void
test_ev_names(void **state)
{
	enum rumor_log_ev ev;

	(void)state;
	for (int i = 0; i < RUMOR_LOG_EV_MAX; i++) {
		assert_int_equal(
		    rumor_log_ev_parse(rumor_log_ev_name((enum rumor_log_ev)i),
		                       &ev),
		    0);
		assert_int_equal(ev, i);
	}
	assert_string_equal(rumor_log_ev_name(RUMOR_LOG_EV_MAX), "?");
	assert_int_equal(rumor_log_ev_parse("nope", &ev), RUMOR_EINVAL);
	assert_int_equal(rumor_log_ev_from_core(RUMOR_EV_FAIL), RUMOR_LOG_FAIL);
	assert_int_equal(rumor_log_ev_from_core(RUMOR_EV_MAX),
	                 RUMOR_LOG_EV_MAX);
	assert_true(rumor_log_wall_ms() > 1700000000000LL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_merge_order_with_ties),
	    cmocka_unit_test(test_follow_partial_line),
	    cmocka_unit_test(test_malformed_lines),
	    cmocka_unit_test(test_line_too_long),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_partition_groups),
	    cmocka_unit_test(test_ev_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
