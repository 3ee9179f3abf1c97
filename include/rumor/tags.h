/* SPDX-License-Identifier: MIT */
/*
 * Member tags: key=value pairs a member carries (serf's tags, memberlist's
 * node meta), in one canonical encoding that the core stores, compares and
 * sends as opaque bytes:
 *
 *   tags := ( key "=" value "\n" )*   sorted by key (bytewise), keys unique
 *   key  := 1 or more bytes of UTF-8, no "=", no control character
 *   value:= 0 or more bytes of UTF-8, no control character
 *
 * (control: U+0000..U+001F and U+007F). The size that a cap bounds is the
 * encoded length: "role=web\nzone=a\n" is 16 bytes. Equal tag sets have
 * equal encodings, so a change is a byte comparison.
 *
 * All functions are pure (no allocation, no global state); buffers are the
 * caller's.
 */
#ifndef RUMOR_TAGS_H
#define RUMOR_TAGS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Default cap of a member's encoded tags, bytes (memberlist's meta). */
#define RUMOR_TAGS_MAX_DEFAULT 512

/** One tag, pointing into the encoding (not NUL-terminated). */
struct rumor_tag {
	const char *key;
	size_t key_len;
	const char *value;
	size_t value_len;
};

/**
 * Check that tags[len] is a canonical encoding (above). Returns 0 or
 * RUMOR_EINVAL (bad UTF-8, a control character, an empty key, a key with
 * "=", keys out of order or repeated, a missing final "\n").
 */
int rumor_tags_validate(const uint8_t *tags, size_t len);

/**
 * Iterate a valid encoding: *pos starts at 0. Returns 1 with *out set to
 * the next tag, or 0 at the end.
 */
int rumor_tags_next(const uint8_t *tags, size_t len, size_t *pos,
                    struct rumor_tag *out);

/**
 * Set key to value in the encoding buf[*len] (capacity cap bytes), keeping
 * it canonical; key and value are NUL-terminated. Returns 0; RUMOR_EINVAL
 * for a bad key or value (see above; nothing changed); RUMOR_E2BIG when the
 * result would exceed cap (nothing changed).
 */
int rumor_tags_put(uint8_t *buf, size_t cap, size_t *len, const char *key,
                   const char *value);

/**
 * Set one "key=value" (the text up to the first "=" is the key) as
 * rumor_tags_put does. RUMOR_EINVAL also when the text has no "=".
 */
int rumor_tags_put_pair(uint8_t *buf, size_t cap, size_t *len,
                        const char *pair);

/** Remove key from buf[*len]. Returns 1 when it was there, else 0. */
int rumor_tags_delete(uint8_t *buf, size_t *len, const char *key);

/**
 * Find key in a valid encoding. Returns 1 with *value and *value_len
 * pointing into tags, or 0 when absent.
 */
int rumor_tags_get(const uint8_t *tags, size_t len, const char *key,
                   const char **value, size_t *value_len);

#ifdef __cplusplus
}
#endif
#endif
