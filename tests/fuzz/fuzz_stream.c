/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: one stream message (what a join or anti-entropy stream
 * carries) into both ends: rumor_core_stream_serve of a fresh ACTIVE core
 * (a join request or a SYNC: merge, then the whole list back), and
 * rumor_core_stream_reply of a fresh JOINING core (the join reply), each
 * followed by a timer round and a free.
 */
#include <stdlib.h>

#include "fuzz_common.h"

static uint8_t reply[1 << 20];

static void
run_timers(struct rumor_core *core)
{
	for (uint64_t t = FUZZ_T0 + 100; t < FUZZ_T0 + 6000; t += 900)
		if (rumor_is_fatal(rumor_core_handle_timeout(core, t)))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rumor_core *core = fuzz_active_core();
	struct rumor_addr peer;
	uint64_t sid = 0;
	size_t len = 0;
	int rc;

	rumor_addr_parse("127.0.0.1:4000", &peer);
	rc = rumor_core_stream_serve(core, FUZZ_T0 + 2, &peer, data, size,
	                             reply, sizeof(reply), &len);
	if (rumor_is_fatal(rc) || (rc == 0 && len > sizeof(reply)))
		abort();
	run_timers(core);
	rumor_core_free(core);

	core = fuzz_joining_core(&sid);
	rc = rumor_core_stream_reply(core, FUZZ_T0 + 2, sid, data, size);
	if (rumor_is_fatal(rc))
		abort();
	run_timers(core);
	rumor_core_free(core);
	return 0;
}
