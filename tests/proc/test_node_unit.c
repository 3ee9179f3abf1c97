/* SPDX-License-Identifier: MIT */
/*
 * The runtime's pure parts: join-stream framing, the version state file,
 * control socket paths, rate parsing and address conversion.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "node_internal.h"

static void
test_frame_whole_and_bytewise(void **state)
{
	uint8_t wire[4 + 5];
	struct frame_reader f;

	(void)state;
	rumor__frame_header(wire, 5);
	memcpy(wire + 4, "hello", 5);
	assert_memory_equal(wire, "\0\0\0\5", 4);
	rumor__frame_init(&f, 100);
	assert_int_equal(rumor__frame_feed(&f, wire, sizeof(wire)), 1);
	assert_int_equal(f.len, 5);
	assert_memory_equal(f.body, "hello", 5);
	rumor__frame_free(&f);

	rumor__frame_init(&f, 100);
	for (size_t i = 0; i < sizeof(wire); i++)
		assert_int_equal(rumor__frame_feed(&f, wire + i, 1),
		                 i + 1 == sizeof(wire) ? 1 : 0);
	assert_memory_equal(f.body, "hello", 5);
	/* a second frame on the same connection is not allowed */
	assert_int_equal(rumor__frame_feed(&f, wire, 1), RUMOR_EWIRE_TRAILING);
	rumor__frame_free(&f);
}

static void
test_frame_bad_lengths(void **state)
{
	uint8_t wire[12] = {0, 0, 0, 0};
	struct frame_reader f;

	(void)state;
	rumor__frame_init(&f, 100);
	assert_int_equal(rumor__frame_feed(&f, wire, 4), RUMOR_EWIRE_TRUNCATED);
	rumor__frame_free(&f);

	rumor__frame_header(wire, 101);
	rumor__frame_init(&f, 100);
	assert_int_equal(rumor__frame_feed(&f, wire, 4), RUMOR_EWIRE_TOO_BIG);
	rumor__frame_free(&f);

	/* the maximum announced costs nothing until bytes arrive */
	rumor__frame_header(wire, RUMOR_NODE_FRAME_MAX);
	rumor__frame_init(&f, RUMOR_NODE_FRAME_MAX);
	assert_int_equal(rumor__frame_feed(&f, wire, 4), 0);
	assert_null(f.body);
	rumor__frame_free(&f);

	rumor__frame_header(wire, 3);
	rumor__frame_init(&f, 100);
	assert_int_equal(rumor__frame_feed(&f, wire, 8), RUMOR_EWIRE_TRAILING);
	rumor__frame_free(&f);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_version_state(void **state)
{
	char dir[] = "/tmp/rumor-unit-XXXXXX", path[256], cmd[300];
	struct rumor_addr a;
	uint64_t v;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(rumor_addr_parse("127.0.0.1:3000", &a), 0);
	assert_int_equal(rumor_node_version_next(dir, &a, 5000, &v), 0);
	assert_int_equal(v, 5000);
	/* the same ms again, and a clock that stepped back */
	assert_int_equal(rumor_node_version_next(dir, &a, 5000, &v), 0);
	assert_int_equal(v, 5001);
	assert_int_equal(rumor_node_version_next(dir, &a, 1000, &v), 0);
	assert_int_equal(v, 5002);
	assert_int_equal(rumor_node_version_next(dir, &a, 9000, &v), 0);
	assert_int_equal(v, 9000);
	/* a rejoin's version is kept */
	assert_int_equal(rumor_node_version_save(dir, &a, 9500), 0);
	assert_int_equal(rumor_node_version_save(dir, &a, 10), 0);
	assert_int_equal(rumor_node_version_next(dir, &a, 9000, &v), 0);
	assert_int_equal(v, 9501);
	/* another address has its own */
	assert_int_equal(rumor_addr_parse("[::1]:3000", &a), 0);
	assert_int_equal(rumor_node_version_next(dir, &a, 1000, &v), 0);
	assert_int_equal(v, 1000);
	/* a corrupt file is reported and replaced */
	snprintf(path, sizeof(path), "%s/[::1]:3000.version", dir);
	write_file(path, "12x\n");
	assert_int_equal(rumor_node_version_next(dir, &a, 2000, &v),
	                 RUMOR_EINVAL);
	assert_int_equal(v, 2000);
	assert_int_equal(rumor_node_version_next(dir, &a, 2000, &v), 0);
	assert_int_equal(v, 2001);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The wall clock is an argument: step it an hour either way. */
static void
test_version_clock_steps(void **state)
{
	const uint64_t now = 1796040000000ULL, hour = 3600000ULL;
	char dir[] = "/tmp/rumor-unit-XXXXXX", cmd[300];
	struct rumor_addr a;
	uint64_t v, prev;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(rumor_addr_parse("10.0.0.1:3000", &a), 0);
	assert_int_equal(rumor_node_version_next(dir, &a, now, &prev), 0);
	assert_int_equal(prev, now);
	/* an hour back: still above every version used before */
	assert_int_equal(rumor_node_version_next(dir, &a, now - hour, &v), 0);
	assert_true(v > prev);
	prev = v;
	assert_int_equal(rumor_node_version_next(dir, &a, now - hour, &v), 0);
	assert_true(v > prev);
	prev = v;
	/* an hour forward: the clock wins again, and back stays above it */
	assert_int_equal(rumor_node_version_next(dir, &a, now + hour, &v), 0);
	assert_int_equal(v, now + hour);
	prev = v;
	assert_int_equal(rumor_node_version_next(dir, &a, now, &v), 0);
	assert_int_equal(v, prev + 1);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void
test_control_paths(void **state)
{
	char path[RUMOR_NODE_PATH_MAX], err[256],
	    dir[] = "/tmp/rumor-xdg-XXXXXX";
	struct rumor_addr a;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("XDG_RUNTIME_DIR", dir, 1);
	assert_int_equal(rumor_addr_parse("10.0.0.1:3000", &a), 0);
	assert_int_equal(rumor_node_control_path(&a, path, sizeof(path)), 0);
	assert_true(strstr(path, "/rumor/10.0.0.1:3000.sock") != NULL);
	assert_int_equal(rumor_control_resolve(NULL, NULL, path, sizeof(path),
	                                       err, sizeof(err)),
	                 0);
	assert_true(strstr(path, "/rumor/127.0.0.1:3000.sock") != NULL);
	assert_int_equal(rumor_control_resolve("nonsense", NULL, path,
	                                       sizeof(path), err, sizeof(err)),
	                 RUMOR_EINVAL);
	assert_non_null(strstr(err, "--agent nonsense"));
	assert_int_equal(rumor_control_resolve(NULL, "/x/y.sock", path,
	                                       sizeof(path), err, sizeof(err)),
	                 0);
	assert_string_equal(path, "/x/y.sock");
	/* the run dir is private; a shared one is refused */
	assert_int_equal(
	    rumor_node_run_dir(path, sizeof(path), err, sizeof(err)), 0);
	assert_int_equal(chmod(path, 0755), 0);
	assert_int_equal(
	    rumor_node_run_dir(path, sizeof(path), err, sizeof(err)),
	    RUMOR_EINVAL);
	assert_non_null(strstr(err, "not a private directory"));
	rmdir(path);
	rmdir(dir);
	unsetenv("XDG_RUNTIME_DIR");
}

static void
test_rates(void **state)
{
	double r = -1;

	(void)state;
	assert_int_equal(rumor_node_parse_rate("0.3", &r), 0);
	assert_true(r == 0.3);
	assert_int_equal(rumor_node_parse_rate("30%", &r), 0);
	assert_true(r > 0.299 && r < 0.301);
	assert_int_equal(rumor_node_parse_rate("1", &r), 0);
	assert_int_equal(rumor_node_parse_rate("0", &r), 0);
	assert_int_equal(rumor_node_parse_rate("1.01", &r), RUMOR_EINVAL);
	assert_int_equal(rumor_node_parse_rate("-0.1", &r), RUMOR_EINVAL);
	assert_int_equal(rumor_node_parse_rate("nan", &r), RUMOR_EINVAL);
	assert_int_equal(rumor_node_parse_rate("", &r), RUMOR_EINVAL);
	assert_int_equal(rumor_node_parse_rate("0.3x", &r), RUMOR_EINVAL);
}

static void
test_addr_roundtrip(void **state)
{
	const char *texts[] = {"127.0.0.1:3000", "[::1]:65535", "10.1.2.3:1"};
	struct sockaddr_storage ss;
	struct rumor_addr a, b;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(rumor_addr_parse(texts[i], &a), 0);
		rumor__addr_to_sockaddr(&a, &ss);
		assert_int_equal(
		    rumor__addr_from_sockaddr((struct sockaddr *)&ss, &b), 0);
		assert_true(rumor_addr_equal(&a, &b));
		assert_false(rumor__addr_is_unspecified(&a));
	}
	assert_int_equal(rumor_addr_parse("0.0.0.0:1", &a), 0);
	assert_true(rumor__addr_is_unspecified(&a));
	assert_int_equal(rumor_addr_parse("[::]:1", &a), 0);
	assert_true(rumor__addr_is_unspecified(&a));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_frame_whole_and_bytewise),
	    cmocka_unit_test(test_frame_bad_lengths),
	    cmocka_unit_test(test_version_state),
	    cmocka_unit_test(test_version_clock_steps),
	    cmocka_unit_test(test_control_paths),
	    cmocka_unit_test(test_rates),
	    cmocka_unit_test(test_addr_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
