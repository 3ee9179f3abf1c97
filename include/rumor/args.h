/* SPDX-License-Identifier: MIT */
/*
 * rumor/args.h: THE parser for command-line numbers and durations, shared
 * by `rumor sim`, `rumor agent` and the other commands, and rumor-viz
 * (library rumor_util, src/util/args.c). Use it for every new flag, so
 * every message has the same shape, naming the flag, the value and what
 * is allowed:
 *
 *   --nodes: '100000' is out of range (allowed: 1..60000)
 *   --count: 'x' is not a whole number (allowed: 1..1000000)
 *   --duration: '5' has no unit (ms, s, min or h; allowed: 0ms..1000000000s)
 *
 * Example:
 *   static const struct rumor_arg_spec nodes = {
 *       .flag = "--nodes", .min = 1, .max = 60000};
 *   char err[RUMOR_ARG_ERR_MAX];
 *   uint64_t n;
 *   if (rumor_arg_uint(&nodes, text, &n, err, sizeof(err)) != 0)
 *       fprintf(stderr, "rumor sim: %s (try --help)\n", err);
 *
 * No floating point: "1.1s" is exactly 1100 ms, "1.0005s" is refused.
 */
#ifndef RUMOR_ARGS_H
#define RUMOR_ARGS_H

#include <stddef.h>
#include <stdint.h>

/** Room for any message these functions write (truncated beyond). */
#define RUMOR_ARG_ERR_MAX 256

/** What a duration without a unit means. */
enum rumor_arg_bare {
	RUMOR_ARG_BARE_NONE = 0, /**< refused: a unit is required */
	RUMOR_ARG_BARE_MS,       /**< milliseconds ("200" = 200 ms) */
	RUMOR_ARG_BARE_S,        /**< seconds ("35" = 35 s) */
};

/** One flag's allowed values. */
struct rumor_arg_spec {
	const char *flag; /**< as typed ("--nodes"), named in messages */
	uint64_t min;     /**< inclusive; for durations in ms */
	uint64_t max;     /**< inclusive; for durations in ms */
	/** The allowed values as shown in messages when min..max is not the
	 *  whole truth ("10..60000", "0 or 2.."); NULL: min..max. */
	const char *range;
	enum rumor_arg_bare bare; /**< durations only */
};

/**
 * A whole number in [s->min, s->max]: decimal digits, or 0x and hex
 * digits; no sign, space or other character. On success stores *out and
 * returns 0; otherwise returns RUMOR_EINVAL, leaves *out alone and writes a
 * one-line message (no newline, no program name) into err[errlen] (if err
 * is not NULL).
 */
int rumor_arg_uint(const struct rumor_arg_spec *s, const char *text,
                   uint64_t *out, char *err, size_t errlen);

/**
 * A duration "<int>[.<frac>]<unit>", unit ms, s, m or min, or h (or none
 * as s->bare says), as a whole number of milliseconds in [s->min, s->max]
 * (s->max at most 10^15). On success stores *ms and returns 0; otherwise
 * RUMOR_EINVAL and a message as rumor_arg_uint's.
 */
int rumor_arg_duration(const struct rumor_arg_spec *s, const char *text,
                       uint64_t *ms, char *err, size_t errlen);

/**
 * ms as exact text in the largest unit of h, s and ms that divides it
 * ("1h", "90s", "1500ms") into
 * buf[len]; returns buf.
 */
char *rumor_arg_format_ms(uint64_t ms, char *buf, size_t len);

#endif
