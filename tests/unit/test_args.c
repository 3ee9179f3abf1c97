/* SPDX-License-Identifier: MIT */
/*
 * The shared parser of command-line numbers and durations (rumor/args.h):
 * values, limits, and messages that name the flag, the value and the
 * allowed range (issue 17 items 10, 11).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rumor/args.h"
#include "rumor/errors.h"

static char err[RUMOR_ARG_ERR_MAX];

static void
test_uint_values(void **state)
{
	static const struct rumor_arg_spec s = {
	    .flag = "--nodes", .min = 1, .max = 60000};
	uint64_t v = 7;

	(void)state;
	assert_int_equal(rumor_arg_uint(&s, "60000", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 60000);
	assert_int_equal(rumor_arg_uint(&s, "0x10", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 16);
	assert_int_equal(rumor_arg_uint(&s, "010", &v, err, sizeof(err)), 0);
	assert_int_equal(v, 10);
	v = 7;
	assert_int_equal(rumor_arg_uint(&s, "100000", &v, err, sizeof(err)),
	                 RUMOR_EINVAL);
	assert_int_equal(v, 7);
	assert_string_equal(
	    err, "--nodes: '100000' is out of range (allowed: 1..60000)");
	assert_int_equal(rumor_arg_uint(&s, "0", &v, err, sizeof(err)),
	                 RUMOR_EINVAL);
	assert_string_equal(err,
	                    "--nodes: '0' is out of range (allowed: 1..60000)");
	static const char *const junk[] = {"",    "-1", "+1",  " 1", "1 ",
	                                   "1e3", "0x", "abc", "1.5"};
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		assert_int_equal(
		    rumor_arg_uint(&s, junk[i], &v, err, sizeof(err)),
		    RUMOR_EINVAL);
		assert_non_null(
		    strstr(err, "is not a whole number (allowed: 1..60000)"));
	}
	/* past 2^64: out of range, not wrapped */
	assert_int_equal(
	    rumor_arg_uint(&s, "99999999999999999999999", &v, err, sizeof(err)),
	    RUMOR_EINVAL);
	assert_non_null(strstr(err, "is out of range"));
}

static void
test_uint_range_text(void **state)
{
	static const struct rumor_arg_spec s = {
	    .flag = "--heartbeat-ms", .max = UINT32_MAX, .range = "10..60000"};
	uint64_t v;

	(void)state;
	assert_int_equal(
	    rumor_arg_uint(&s, "999999999999", &v, err, sizeof(err)),
	    RUMOR_EINVAL);
	assert_string_equal(err,
	                    "--heartbeat-ms: '999999999999' is out of range "
	                    "(allowed: 10..60000)");
}

static void
test_duration_values(void **state)
{
	static const struct rumor_arg_spec s = {.flag = "--duration",
	                                        .max = 3600000000ULL};
	static const struct {
		const char *text;
		uint64_t ms;
	} ok[] = {{"1.1s", 1100},   {"500ms", 500},          {"2m", 120000},
	          {"2min", 120000}, {"1h", 3600000},         {"0.001s", 1},
	          {"0s", 0},        {"1000h", 3600000000ULL}};
	uint64_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(
		    rumor_arg_duration(&s, ok[i].text, &v, err, sizeof(err)),
		    0);
		assert_int_equal(v, ok[i].ms);
	}
	assert_int_equal(rumor_arg_duration(&s, "5", &v, err, sizeof(err)),
	                 RUMOR_EINVAL);
	assert_string_equal(err,
	                    "--duration: '5' has no unit (ms, s, min or h) "
	                    "(allowed: 0ms..1000h)");
	assert_int_equal(
	    rumor_arg_duration(&s, "99999999h", &v, err, sizeof(err)),
	    RUMOR_EINVAL);
	assert_string_equal(err, "--duration: '99999999h' is out of range "
	                         "(allowed: 0ms..1000h)");
	assert_int_equal(
	    rumor_arg_duration(&s, "1.0005s", &v, err, sizeof(err)),
	    RUMOR_EINVAL);
	assert_non_null(strstr(err, "not a whole number of ms"));
	static const char *const junk[] = {"",    "s",   "1x",  "1.s",
	                                   "-1s", ".5s", "1 s", "1.5sec"};
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		assert_int_equal(
		    rumor_arg_duration(&s, junk[i], &v, err, sizeof(err)),
		    RUMOR_EINVAL);
		assert_non_null(strstr(err, "is not a duration"));
	}
	assert_int_equal(rumor_arg_duration(&s, "99999999999999999999999h", &v,
	                                    err, sizeof(err)),
	                 RUMOR_EINVAL);
	assert_non_null(strstr(err, "is out of range"));
}

static void
test_duration_bare(void **state)
{
	static const struct rumor_arg_spec ms = {
	    .flag = "--stagger-ms", .max = 60000, .bare = RUMOR_ARG_BARE_MS};
	static const struct rumor_arg_spec sec = {
	    .flag = "--at", .max = 60000, .bare = RUMOR_ARG_BARE_S};
	uint64_t v;

	(void)state;
	assert_int_equal(rumor_arg_duration(&ms, "200", &v, err, sizeof(err)),
	                 0);
	assert_int_equal(v, 200);
	assert_int_equal(rumor_arg_duration(&sec, "1.5", &v, err, sizeof(err)),
	                 0);
	assert_int_equal(v, 1500);
	assert_int_equal(rumor_arg_duration(&ms, "61s", &v, err, sizeof(err)),
	                 RUMOR_EINVAL);
	assert_string_equal(err, "--stagger-ms: '61s' is out of range "
	                         "(allowed: 0ms..60s)");
}

static void
test_format(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(rumor_arg_format_ms(0, b, sizeof(b)), "0ms");
	assert_string_equal(rumor_arg_format_ms(1500, b, sizeof(b)), "1500ms");
	assert_string_equal(rumor_arg_format_ms(90000, b, sizeof(b)), "90s");
	assert_string_equal(rumor_arg_format_ms(7200000, b, sizeof(b)), "2h");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uint_values),
	    cmocka_unit_test(test_uint_range_text),
	    cmocka_unit_test(test_duration_values),
	    cmocka_unit_test(test_duration_bare),
	    cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
