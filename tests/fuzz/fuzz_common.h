/* SPDX-License-Identifier: MIT */
/*
 * Shared by the fuzz targets and the corpus generator: cores built through
 * the public API only (include/rumor/core.h), with callbacks that keep
 * nothing, at a fixed start time, so that every input runs against the same
 * fresh state.
 */
#ifndef RUMOR_FUZZ_COMMON_H
#define RUMOR_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "rumor/core.h"

/* Core time at which every fuzz core starts (not 0: "0 means unset" bugs). */
#define FUZZ_T0 10000

/* libFuzzer's entry point, also called by the standalone replay main. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The last request a core asked to open a stream with (copied). */
struct fuzz_capture {
	uint8_t req[65536];
	size_t len;
	uint64_t stream_id;
	int opened;
};

/*
 * A core for member 127.0.0.1:port#version whose stream_open copies into
 * cap (may be NULL). Aborts on failure (a harness bug, not a finding).
 */
struct rumor_core *fuzz_core_new(uint16_t port, uint64_t version,
                                 struct fuzz_capture *cap);
/*
 * An ACTIVE introducer (port 3000) that has served one join (of
 * 127.0.0.1:3001), so the fuzzed input meets a table with a member in it.
 */
struct rumor_core *fuzz_active_core(void);
/* A JOINING core (127.0.0.1:3002, seed 127.0.0.1:3000); *stream_id gets
 * the id of its outstanding join stream. */
struct rumor_core *fuzz_joining_core(uint64_t *stream_id);

#endif
