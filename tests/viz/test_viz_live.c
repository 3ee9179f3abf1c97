/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz on a fresh real incident: scripts/viz-incident.sh starts five
 * real agents (free ports, --trace), SIGKILLs member-2 and stops the rest
 * with SIGTERM; then --dump-state on the members' own logs (no ground
 * truth) must show member-2 silent, no belief contradicting what is
 * known, and an inferred detection span of member-2 that every other
 * member completed.
 *
 * argv: rumor-viz binary, rumor binary, the script.
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

static const char *rumor, *script;

static void
test_live_incident(void **state)
{
	(void)state;
	char dir[] = "/tmp/rumor-viz-live-XXXXXX", cmd[1024], p[5][128];
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "RUMOR_BIN='%s' '%s' '%s' 5 2 6", rumor,
	         script, dir);
	assert_int_equal(system(cmd), 0);
	for (int i = 0; i < 5; i++)
		snprintf(p[i], sizeof(p[i]), "%s/member-%d.jsonl", dir, i);
	/* member-2's id, from its start line */
	char *first = slurp(p[2]), id[128];
	assert_int_equal(sscanf(first, "{\"ts\":%*d,\"node\":\"%127[^\"]", id),
	                 1);
	free(first);
	json_t *d =
	    dump_args("--at", "end", p[0], p[1], p[2], p[3], p[4], NULL);
	assert_false(json_is_true(json_object_get(d, "ground_truth")));
	json_t *k = dump_member(d, id);
	assert_string_equal(json_string_value(json_object_get(k, "truth")),
	                    "silent");
	assert_int_equal(
	    json_integer_value(json_object_get(d, "contradictions")), 0);
	size_t i;
	json_t *sp;
	int found = 0;
	json_array_foreach(json_object_get(d, "detections"), i, sp)
	{
		const char *who =
		    json_string_value(json_object_get(sp, "member"));
		if (strcmp(who, id) != 0)
			continue;
		found = 1;
		assert_string_equal(
		    json_string_value(json_object_get(sp, "event")), "silent");
		assert_int_equal(
		    json_integer_value(json_object_get(sp, "expected")), 4);
		assert_true(
		    json_is_integer(json_object_get(sp, "last_detect_ms")));
	}
	assert_true(found);
	json_decref(d);
	for (int j = 0; j < 5; j++)
		unlink(p[j]);
	rmdir(dir);
}

int
main(int argc, char **argv)
{
	if (argc < 4 || access(argv[1], X_OK) || access(argv[2], X_OK)) {
		printf("SKIP: rumor-viz or rumor not built\n");
		return 77;
	}
	viz_cli_bin = argv[1];
	rumor = argv[2];
	script = argv[3];
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_live_incident)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
