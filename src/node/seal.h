/* SPDX-License-Identifier: MIT */
/*
 * Authenticated encryption of everything an agent puts on the network
 * (docs/security.md): every datagram and every join/sync stream frame is
 * sealed with XChaCha20-Poly1305 (libsodium's
 * crypto_aead_xchacha20poly1305_ietf) under the keyring's primary key,
 * with a fresh random 24-byte nonce, and opened with any installed key.
 *
 *   0      1      2       6                       30
 *   +------+------+-------+-----------------------+-------------------+
 *   | 0xc1 | type | keyid | nonce (24 bytes)      | ciphertext + tag  |
 *   +------+------+-------+-----------------------+-------------------+
 *   type: 0x11 datagram, 0x12 stream request, 0x13 stream reply
 *   keyid: first 4 bytes of BLAKE2b("rumor key id" || key)
 *   associated data: bytes 0..5 (so a datagram is no stream frame)
 *
 * 0xc1 is the one byte MessagePack never uses, so a sealed message is never
 * mistaken for a plaintext one (which starts with an array header). A
 * stream whose request cannot be opened is answered with a 3-byte
 * plaintext refusal, 0xc1 0x1f CODE, that tells the joiner why (it is not
 * authenticated: it only words an error the joiner has anyway).
 */
#ifndef RUMOR_NODE_SEAL_H
#define RUMOR_NODE_SEAL_H

#include <stddef.h>
#include <stdint.h>

#define SEAL_MAGIC     0xc1
#define SEAL_KEY_BYTES 32
#define SEAL_ID_BYTES  4
#define SEAL_HDR_BYTES (2 + SEAL_ID_BYTES + 24)
/* Bytes a seal adds to a message: header + Poly1305 tag. */
#define SEAL_OVERHEAD (SEAL_HDR_BYTES + 16)
/* At most this many keys in a ring. */
#define SEAL_MAX_KEYS 16
/* "1a2b3c4d" plus NUL. */
#define SEAL_ID_STRLEN (2 * SEAL_ID_BYTES + 1)
/* The plaintext refusal of a stream request: magic, type, code. */
#define SEAL_REFUSAL_BYTES 3

enum seal_type {
	SEAL_DATAGRAM = 0x11,
	SEAL_REQUEST = 0x12,
	SEAL_REPLY = 0x13,
	SEAL_REFUSAL = 0x1f
};

/* Why a stream request was refused (the byte after SEAL_REFUSAL). */
enum seal_refusal {
	SEAL_REFUSE_KEY = 1,   /* sealed, but no key of ours opens it */
	SEAL_REFUSE_CLEAR = 2, /* we need a key; the request was not sealed */
	SEAL_REFUSE_NOKEY = 3  /* sealed, but we run in the clear */
};

struct keyring;

/*
 * Parse a 32-byte key written as 64 hex digits or as 44 characters of
 * standard base64 (padding included); surrounding blanks are ignored.
 * Returns 0, or RUMOR_EINVAL.
 */
int rumor__key_parse(const char *text, uint8_t key[SEAL_KEY_BYTES]);
/* The key's id as 8 hex digits into out (SEAL_ID_STRLEN bytes). */
void rumor__key_id_text(const uint8_t key[SEAL_KEY_BYTES], char *out);

/* A ring with no key (sodium_init is called here). NULL on ENOMEM. */
struct keyring *rumor__keyring_new(void);
/* Wipe every key and free. NULL allowed. */
void rumor__keyring_free(struct keyring *kr);
/*
 * Read keys from path, one per line (hex or base64; blank lines and lines
 * starting with '#' are skipped); the first becomes the primary. Returns
 * 0, or RUMOR_EINVAL with err (cap bytes) naming "PATH:LINE: why" or the
 * errno of the read; at least one key is required.
 */
int rumor__keyring_load(struct keyring *kr, const char *path, char *err,
                        size_t cap);
size_t rumor__keyring_count(const struct keyring *kr);

/*
 * Install a key (accepted on receive; not used to send). Returns 0, 1 when
 * it was already installed, or RUMOR_EFULL (SEAL_MAX_KEYS).
 */
int rumor__keyring_install(struct keyring *kr,
                           const uint8_t key[SEAL_KEY_BYTES]);
/*
 * Find the key named by `which`: the key itself (hex/base64) or its 8-digit
 * id. Returns its index, or RUMOR_EINVAL (not a key or id), or
 * RUMOR_ESTATE (not installed).
 */
int rumor__keyring_find(const struct keyring *kr, const char *which);
/* Make key i the primary (what is sent). Returns 0 or RUMOR_EINVAL. */
int rumor__keyring_use(struct keyring *kr, size_t i);
/* Remove key i. Returns 0, RUMOR_EINVAL, or RUMOR_ESTATE for the primary. */
int rumor__keyring_remove(struct keyring *kr, size_t i);

/* Key i's id text, whether it is the primary, how many messages it opened. */
struct keyring_entry {
	char id[SEAL_ID_STRLEN];
	int primary;
	uint64_t opened;
};
int rumor__keyring_entry(const struct keyring *kr, size_t i,
                         struct keyring_entry *out);

/*
 * Seal len bytes of `in` as `type` under key `key_index` (-1: the primary)
 * into out (cap >= len + SEAL_OVERHEAD). Returns the sealed length, or
 * RUMOR_ENOSPC / RUMOR_ESTATE (empty ring).
 */
int rumor__seal(const struct keyring *kr, int key_index, enum seal_type type,
                const uint8_t *in, size_t len, uint8_t *out, size_t cap);
/*
 * Open a sealed message of `type` into out (cap >= len - SEAL_OVERHEAD).
 * Returns the plaintext length (*key_index, if not NULL, is the key that
 * opened it), or RUMOR_EAUTH (not sealed, another type, or no installed
 * key opens it: forged, altered or under a key we do not hold).
 */
int rumor__open(struct keyring *kr, enum seal_type type, const uint8_t *in,
                size_t len, uint8_t *out, size_t cap, int *key_index);

/* 1 when data looks sealed (starts with SEAL_MAGIC), else 0. */
int rumor__is_sealed(const uint8_t *data, size_t len);
/* The refusal code when data is a refusal frame, else 0. */
int rumor__refusal_code(const uint8_t *data, size_t len);
/* A human-readable reason for a refusal code (as the joiner sees it). */
const char *rumor__refusal_text(int code);

#endif
