/* SPDX-License-Identifier: MIT */
/*
 * rumor/utf8.h: well-formed UTF-8, one check for the tags (src/core/tags.c)
 * and the log's JSON strings (src/log/json_out.c). Not installed.
 */
#ifndef RUMOR_UTF8_H
#define RUMOR_UTF8_H

#include <stddef.h>
#include <stdint.h>

/**
 * Length in bytes (1..4) of the well-formed UTF-8 sequence at s[0..n), or
 * 0 when it is not one: a stray continuation byte, a truncated sequence,
 * an overlong form, a surrogate (U+D800..DFFF) or a code point over
 * U+10FFFF (RFC 3629, section 4). Any ASCII byte, control characters
 * included, is 1. n >= 1. A NUL-terminated string may pass SIZE_MAX: NUL is
 * never a continuation byte, so nothing past it is read.
 */
size_t rumor_utf8_len(const uint8_t *s, size_t n);

#endif
