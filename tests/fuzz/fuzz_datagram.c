/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: one datagram into a fresh ACTIVE core with a member in its
 * table (rumor_core_recv_datagram: pre-scan, msgpack-c, schema check,
 * replay window, merge), then a timer round so whatever it changed is
 * gossiped and timed out, then free (leaks are findings too).
 */
#include <stdlib.h>

#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rumor_core *core = fuzz_active_core();
	struct rumor_addr from;
	int rc;

	rumor_addr_parse("127.0.0.1:3001", &from);
	rc = rumor_core_recv_datagram(core, FUZZ_T0 + 2, &from, data, size);
	if (rumor_is_fatal(rc))
		abort();
	/* the same bytes again: a replay must be refused, never crash */
	rc = rumor_core_recv_datagram(core, FUZZ_T0 + 3, &from, data, size);
	if (rumor_is_fatal(rc))
		abort();
	for (uint64_t t = FUZZ_T0 + 100; t < FUZZ_T0 + 10000; t += 700)
		if (rumor_is_fatal(rumor_core_handle_timeout(core, t)))
			abort();
	rumor_core_free(core);
	return 0;
}
