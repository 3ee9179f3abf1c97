/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz --dump-state: the model at one time as JSON, for tests and
 * scripts (what every observer believes, detection progress).
 */
#ifndef RUMOR_VIZ_DUMP_H
#define RUMOR_VIZ_DUMP_H

#include <stdio.h>

#include "model.h"

/**
 * Seek m to t (ms since the first line) and write the state as one JSON
 * object (indented, keys in a fixed order) to out. With observer and
 * member >= 0 it also gives "path": how that observer came to believe
 * what it believes about the member, hop by hop (viz_model_belief_path).
 * Returns 0, RUMOR_ENOMEM, or RUMOR_EINVAL when writing failed.
 */
int viz_dump_state(struct viz_model *m, int64_t t, int32_t observer,
                   int32_t member, FILE *out);

#endif
