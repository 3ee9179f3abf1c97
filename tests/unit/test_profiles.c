/* SPDX-License-Identifier: MIT */
/*
 * Named settings (--profile lan|wan|lean): each is valid, moves the timings
 * together, and a command line's --profile is the base its flags change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rumor/core.h"

static void
test_every_profile_valid(void **state)
{
	const char *const *names = rumor_config_profile_names();
	struct rumor_config cfg, d;

	(void)state;
	rumor_config_init(&d);
	for (size_t i = 0; names[i] != NULL; i++) {
		assert_int_equal(rumor_config_profile(&cfg, names[i]), 0);
		assert_int_equal(rumor_config_validate(&cfg, NULL), 0);
		/* 6 heartbeats per T_suspect or more: loss-tolerant */
		assert_true(cfg.t_suspect_ms >= 6 * cfg.t_heartbeat_ms);
		assert_true(cfg.monitors >= 2);
	}
	assert_int_equal(rumor_config_profile(&cfg, "lan"), 0);
	assert_memory_equal(&cfg, &d, sizeof(cfg)); /* lan = the defaults */
	assert_int_equal(rumor_config_profile(&cfg, "wan"), 0);
	assert_true(cfg.t_heartbeat_ms > d.t_heartbeat_ms);
}

static void
test_unknown_profile_refused(void **state)
{
	struct rumor_config cfg;

	(void)state;
	rumor_config_init(&cfg);
	cfg.fanout = 7;
	assert_int_equal(rumor_config_profile(&cfg, "wann"), RUMOR_EINVAL);
	assert_int_equal(cfg.fanout, 7); /* untouched */
	assert_int_equal(rumor_config_profile(&cfg, NULL), RUMOR_EINVAL);
}

static void
test_profile_from_args(void **state)
{
	char *argv[] = {
	    "agent",         "--monitors", "3",         "--profile", "lean",
	    "--profile=wan", "--",         "--profile", "lan",       NULL};
	char *bad_argv[] = {"sim", "--profile", "fast", NULL};
	struct rumor_config cfg, wan;
	const char *bad = NULL;

	(void)state;
	rumor_config_init(&cfg);
	rumor_config_profile(&wan, "wan");
	/* the last before "--" wins */
	assert_int_equal(rumor_config_profile_args(&cfg, 9, argv, &bad), 0);
	assert_memory_equal(&cfg, &wan, sizeof(cfg));
	assert_int_equal(rumor_config_profile_args(&cfg, 3, bad_argv, &bad),
	                 RUMOR_EINVAL);
	assert_string_equal(bad, "fast");
	/* none: untouched */
	rumor_config_init(&cfg);
	cfg.fanout = 5;
	assert_int_equal(rumor_config_profile_args(&cfg, 3, argv, NULL), 0);
	assert_int_equal(cfg.fanout, 5);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_profile_valid),
	    cmocka_unit_test(test_unknown_profile_refused),
	    cmocka_unit_test(test_profile_from_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
