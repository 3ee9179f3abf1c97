/* SPDX-License-Identifier: MIT */
/* Member ids and addresses: parse, format, compare; bad input refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rumor/core.h"

static void
test_round_trips(void **state)
{
	const char *ok[] = {"127.0.0.1:3000#1764500000123", "10.1.2.3:1#1",
	                    "[::1]:3000#5",
	                    "[fe80::1:2]:65535#18446744073709551615"};
	char buf[RUMOR_ID_STRLEN];
	struct rumor_member_id id;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(rumor_member_id_parse(ok[i], &id), 0);
		assert_int_equal(rumor_member_id_format(&id, buf, sizeof(buf)),
		                 (int)strlen(ok[i]));
		assert_string_equal(buf, ok[i]);
	}
}

static void
test_bad_input(void **state)
{
	const char *bad[] = {"",
	                     "127.0.0.1",
	                     "127.0.0.1:3000",
	                     "127.0.0.1:#1",
	                     "127.0.0.1:70000#1",
	                     "127.0.0.1:3000#0",
	                     "127.0.0.1:3000#x",
	                     "127.0.0.1:3000#1x",
	                     "300.0.0.1:1#1",
	                     "::1:3000#1",
	                     "[::1]3000#1",
	                     "127.0.0.1:3000#99999999999999999999",
	                     "host.example:3000#1"};
	struct rumor_member_id id;
	struct rumor_addr a;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rumor_member_id_parse(bad[i], &id),
		                 RUMOR_EINVAL);
	assert_int_equal(rumor_addr_parse("1.2.3.4:-1", &a), RUMOR_EINVAL);
	assert_int_equal(rumor_addr_parse(NULL, &a), RUMOR_EINVAL);
}

static void
test_order_and_small_buffers(void **state)
{
	struct rumor_member_id a, b;
	char small[8];

	(void)state;
	rumor_member_id_parse("127.0.0.1:3000#5", &a);
	rumor_member_id_parse("127.0.0.1:3000#6", &b);
	assert_true(rumor_member_id_cmp(&a, &b) < 0);
	assert_true(rumor_member_id_cmp(&b, &a) > 0);
	rumor_member_id_parse("127.0.0.1:2999#9", &b);
	assert_true(rumor_member_id_cmp(&a, &b) > 0);
	assert_int_equal(rumor_member_id_cmp(&a, &a), 0);
	assert_int_equal(rumor_member_id_format(&a, small, sizeof(small)),
	                 RUMOR_ENOSPC);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(rumor_event_name(RUMOR_EV_FAIL), "fail");
	assert_string_equal(rumor_event_name(RUMOR_EV_MAX), "?");
	assert_string_equal(rumor_via_name(RUMOR_VIA_INTRODUCER), "introducer");
	assert_string_equal(rumor_msg_kind_name(RUMOR_MSG_JOIN_REPLY),
	                    "join-reply");
	assert_string_equal(rumor_err_name(RUMOR_EWIRE_TRUNCATED),
	                    "EWIRE_TRUNCATED");
	assert_string_equal(rumor_err_name(-999), "EUNKNOWN");
	assert_true(rumor_is_fatal(RUMOR_ENOMEM));
	assert_false(rumor_is_fatal(RUMOR_EWIRE_TYPE));
}

static void
test_config_validation(void **state)
{
	struct rumor_config cfg;
	const char *bad = NULL;

	(void)state;
	rumor_config_init(&cfg);
	assert_int_equal(rumor_config_validate(&cfg, &bad), 0);
	cfg.fanout = 0;
	assert_int_equal(rumor_config_validate(&cfg, &bad), RUMOR_EINVAL);
	assert_string_equal(bad, "fanout");
	rumor_config_init(&cfg);
	cfg.recv_drop_rate = 1.01;
	assert_int_equal(rumor_config_validate(&cfg, &bad), RUMOR_EINVAL);
	assert_string_equal(bad, "recv_drop_rate");
	rumor_config_init(&cfg);
	cfg.mtu_bytes = 100;
	assert_int_equal(rumor_config_validate(&cfg, &bad), RUMOR_EINVAL);
	assert_string_equal(bad, "mtu_bytes");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trips),
	    cmocka_unit_test(test_bad_input),
	    cmocka_unit_test(test_order_and_small_buffers),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_config_validation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
