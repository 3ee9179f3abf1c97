/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz time arguments: "35s", "35.2s", "1500ms", "2m", "35" (seconds),
 * "end".
 */
#ifndef RUMOR_VIZ_TIMEARG_H
#define RUMOR_VIZ_TIMEARG_H

#include <stdint.h>

/** "End of the log" from viz_time_parse. */
#define VIZ_TIME_END INT64_MAX

/**
 * Parse s into ms (>= 0), or VIZ_TIME_END for "end". Returns 0, or
 * RUMOR_EINVAL for anything else (negative, no digits, unknown unit,
 * over 10^12 s).
 */
int viz_time_parse(const char *s, int64_t *ms);

/** Format ms as "12.345 s" into buf (>= 24 bytes). Returns buf. */
char *viz_time_format(int64_t ms, char *buf, unsigned len);

#endif
