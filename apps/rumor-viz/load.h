/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz loading: the event-log reader (src/log) feeding the model.
 */
#ifndef RUMOR_VIZ_LOAD_H
#define RUMOR_VIZ_LOAD_H

#include <stdint.h>
#include <stdio.h>

#include "model.h"

struct viz_load {
	struct rumor_log_reader *reader;
	struct rumor_log_record rec;
	FILE *err_out;        /**< where malformed lines are reported */
	char last_error[256]; /**< "FILE:LINE: message" of the latest one */
	uint64_t n_errors;
	int follow; /**< lines appended out of ts order are clamped silently */
};

/**
 * Open the logs (merged by ts) and initialise m for them. Malformed lines
 * are reported to err_out (NULL: not printed) as "FILE:LINE: message".
 * follow != 0 keeps reading what is appended later. Returns 0,
 * RUMOR_ENOMEM, or RUMOR_EINVAL with a message naming the file on err_out.
 */
int viz_load_open(struct viz_load *ld, struct viz_model *m,
                  const char *const *paths, size_t n, int follow,
                  FILE *err_out);

/**
 * Read up to max records (0: until the end, or in follow mode until nothing
 * more is there yet) into m. Returns the number read (>= 0) or
 * RUMOR_ENOMEM.
 */
long viz_load_poll(struct viz_load *ld, struct viz_model *m, size_t max);

void viz_load_close(struct viz_load *ld);

#endif
