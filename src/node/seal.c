/* SPDX-License-Identifier: MIT */
/*
 * The keyring and the seal (seal.h): XChaCha20-Poly1305 from libsodium,
 * keys kept in sodium_malloc'd memory (guarded, locked, wiped on free).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "rumor/errors.h"
#include "rumor/node.h"
#include "seal.h"

struct keyring_key {
	uint8_t key[SEAL_KEY_BYTES];
	uint8_t id[SEAL_ID_BYTES];
	uint64_t opened;
};

struct keyring {
	struct keyring_key *keys; /* SEAL_MAX_KEYS, sodium_malloc'd */
	size_t n, primary;
};

static void
key_id(const uint8_t key[SEAL_KEY_BYTES], uint8_t id[SEAL_ID_BYTES])
{
	static const char ctx[] = "rumor key id";
	uint8_t h[16];
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const uint8_t *)ctx, sizeof(ctx) - 1);
	crypto_generichash_update(&st, key, SEAL_KEY_BYTES);
	crypto_generichash_final(&st, h, sizeof(h));
	memcpy(id, h, SEAL_ID_BYTES);
}

void
rumor__key_id_text(const uint8_t key[SEAL_KEY_BYTES], char *out)
{
	uint8_t id[SEAL_ID_BYTES];

	key_id(key, id);
	sodium_bin2hex(out, SEAL_ID_STRLEN, id, sizeof(id));
}

int
rumor__key_parse(const char *text, uint8_t key[SEAL_KEY_BYTES])
{
	char buf[128];
	size_t len, got = 0;
	const char *end;

	while (isspace((unsigned char)*text))
		text++;
	len = strlen(text);
	while (len > 0 && isspace((unsigned char)text[len - 1]))
		len--;
	if (len == 0 || len >= sizeof(buf))
		return RUMOR_EINVAL;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (len == 2 * SEAL_KEY_BYTES &&
	    sodium_hex2bin(key, SEAL_KEY_BYTES, buf, len, NULL, &got, &end) ==
	        0 &&
	    got == SEAL_KEY_BYTES && *end == '\0')
		return 0;
	if (sodium_base642bin(key, SEAL_KEY_BYTES, buf, len, NULL, &got, &end,
	                      sodium_base64_VARIANT_ORIGINAL) == 0 &&
	    got == SEAL_KEY_BYTES && *end == '\0')
		return 0;
	sodium_memzero(buf, sizeof(buf));
	return RUMOR_EINVAL;
}

struct keyring *
rumor__keyring_new(void)
{
	struct keyring *kr;

	if (sodium_init() < 0 || (kr = calloc(1, sizeof(*kr))) == NULL)
		return NULL;
	kr->keys = sodium_malloc(SEAL_MAX_KEYS * sizeof(*kr->keys));
	if (kr->keys == NULL) {
		free(kr);
		return NULL;
	}
	sodium_memzero(kr->keys, SEAL_MAX_KEYS * sizeof(*kr->keys));
	return kr;
}

void
rumor__keyring_free(struct keyring *kr)
{
	if (kr == NULL)
		return;
	sodium_free(kr->keys); /* wipes */
	free(kr);
}

size_t
rumor__keyring_count(const struct keyring *kr)
{
	return kr ? kr->n : 0;
}

int
rumor__keyring_install(struct keyring *kr, const uint8_t key[SEAL_KEY_BYTES])
{
	for (size_t i = 0; i < kr->n; i++)
		if (sodium_memcmp(kr->keys[i].key, key, SEAL_KEY_BYTES) == 0)
			return 1;
	if (kr->n == SEAL_MAX_KEYS)
		return RUMOR_EFULL;
	memcpy(kr->keys[kr->n].key, key, SEAL_KEY_BYTES);
	key_id(key, kr->keys[kr->n].id);
	kr->keys[kr->n].opened = 0;
	kr->n++;
	return 0;
}

static int
load_line(struct keyring *kr, char *line, const char *path, int lineno,
          char *err, size_t cap)
{
	uint8_t key[SEAL_KEY_BYTES];
	char *p = line;
	int rc;

	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	if (rumor__key_parse(p, key) != 0) {
		snprintf(err, cap,
		         "--key-file %s:%d: not a 32-byte key (64 hex digits "
		         "or 44 characters of base64)",
		         path, lineno);
		return RUMOR_EINVAL;
	}
	rc = rumor__keyring_install(kr, key);
	sodium_memzero(key, sizeof(key));
	if (rc == RUMOR_EFULL) {
		snprintf(err, cap, "--key-file %s:%d: more than %d keys", path,
		         lineno, SEAL_MAX_KEYS);
		return RUMOR_EINVAL;
	}
	return 0;
}

int
rumor__keyring_load(struct keyring *kr, const char *path, char *err, size_t cap)
{
	char line[256];
	int lineno = 0, rc = 0;
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		snprintf(err, cap, "--key-file %s: %s", path, strerror(errno));
		return RUMOR_EINVAL;
	}
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		rc = load_line(kr, line, path, lineno, err, cap);
	}
	sodium_memzero(line, sizeof(line));
	if (rc == 0 && ferror(f)) {
		snprintf(err, cap, "--key-file %s: %s", path, strerror(errno));
		rc = RUMOR_EINVAL;
	}
	fclose(f);
	if (rc == 0 && kr->n == 0) {
		snprintf(err, cap, "--key-file %s: no key in it", path);
		rc = RUMOR_EINVAL;
	}
	kr->primary = 0;
	return rc;
}

int
rumor__keyring_find(const struct keyring *kr, const char *which)
{
	uint8_t key[SEAL_KEY_BYTES], id[SEAL_ID_BYTES];
	size_t got = 0;
	const char *end;
	int by_key;

	if (strlen(which) == 2 * SEAL_ID_BYTES &&
	    sodium_hex2bin(id, sizeof(id), which, strlen(which), NULL, &got,
	                   &end) == 0 &&
	    got == SEAL_ID_BYTES && *end == '\0') {
		by_key = 0;
	} else if (rumor__key_parse(which, key) == 0) {
		by_key = 1;
	} else {
		return RUMOR_EINVAL;
	}
	for (size_t i = 0; i < kr->n; i++) {
		int same = by_key ? sodium_memcmp(kr->keys[i].key, key,
		                                  SEAL_KEY_BYTES) == 0
		                  : memcmp(kr->keys[i].id, id, sizeof(id)) == 0;
		if (same) {
			sodium_memzero(key, sizeof(key));
			return (int)i;
		}
	}
	sodium_memzero(key, sizeof(key));
	return RUMOR_ESTATE;
}

int
rumor__keyring_use(struct keyring *kr, size_t i)
{
	if (i >= kr->n)
		return RUMOR_EINVAL;
	kr->primary = i;
	return 0;
}

int
rumor__keyring_remove(struct keyring *kr, size_t i)
{
	if (i >= kr->n)
		return RUMOR_EINVAL;
	if (i == kr->primary)
		return RUMOR_ESTATE;
	memmove(&kr->keys[i], &kr->keys[i + 1],
	        (kr->n - i - 1) * sizeof(kr->keys[0]));
	kr->n--;
	sodium_memzero(&kr->keys[kr->n], sizeof(kr->keys[0]));
	if (kr->primary > i)
		kr->primary--;
	return 0;
}

int
rumor__keyring_entry(const struct keyring *kr, size_t i,
                     struct keyring_entry *out)
{
	if (i >= kr->n)
		return RUMOR_EINVAL;
	sodium_bin2hex(out->id, sizeof(out->id), kr->keys[i].id, SEAL_ID_BYTES);
	out->primary = i == kr->primary;
	out->opened = kr->keys[i].opened;
	return 0;
}

int
rumor__seal(const struct keyring *kr, int key_index, enum seal_type type,
            const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	const struct keyring_key *k;
	unsigned long long clen = 0;

	if (kr == NULL || kr->n == 0)
		return RUMOR_ESTATE;
	if (cap < len + SEAL_OVERHEAD || len > (size_t)1 << 30)
		return RUMOR_ENOSPC;
	k = &kr->keys[key_index >= 0 && (size_t)key_index < kr->n
	                  ? (size_t)key_index
	                  : kr->primary];
	out[0] = SEAL_MAGIC;
	out[1] = (uint8_t)type;
	memcpy(out + 2, k->id, SEAL_ID_BYTES);
	randombytes_buf(out + 2 + SEAL_ID_BYTES, 24);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
	    out + SEAL_HDR_BYTES, &clen, in, len, out, 2 + SEAL_ID_BYTES, NULL,
	    out + 2 + SEAL_ID_BYTES, k->key);
	return (int)(SEAL_HDR_BYTES + clen);
}

static int
try_key(struct keyring_key *k, const uint8_t *in, size_t len, uint8_t *out)
{
	unsigned long long mlen = 0;

	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
	        out, &mlen, NULL, in + SEAL_HDR_BYTES, len - SEAL_HDR_BYTES, in,
	        2 + SEAL_ID_BYTES, in + 2 + SEAL_ID_BYTES, k->key) != 0)
		return -1;
	k->opened++;
	return (int)mlen;
}

int
rumor__open(struct keyring *kr, enum seal_type type, const uint8_t *in,
            size_t len, uint8_t *out, size_t cap, int *key_index)
{
	if (kr == NULL || len < SEAL_OVERHEAD || in[0] != SEAL_MAGIC ||
	    in[1] != (uint8_t)type || cap < len - SEAL_OVERHEAD ||
	    len > (size_t)1 << 30)
		return RUMOR_EAUTH;
	/* the id picks the key; a colliding id just costs one more try */
	for (size_t i = 0; i < kr->n; i++) {
		int r;
		if (memcmp(kr->keys[i].id, in + 2, SEAL_ID_BYTES) != 0)
			continue;
		if ((r = try_key(&kr->keys[i], in, len, out)) >= 0) {
			if (key_index)
				*key_index = (int)i;
			return r;
		}
	}
	return RUMOR_EAUTH;
}

int
rumor__is_sealed(const uint8_t *data, size_t len)
{
	return len > 0 && data[0] == SEAL_MAGIC;
}

int
rumor__refusal_code(const uint8_t *data, size_t len)
{
	if (len != SEAL_REFUSAL_BYTES || data[0] != SEAL_MAGIC ||
	    data[1] != SEAL_REFUSAL)
		return 0;
	return data[2] ? data[2] : 255;
}

const char *
rumor__refusal_text(int code)
{
	switch (code) {
	case SEAL_REFUSE_KEY:
		return "refused: no key installed there opens our request "
		       "(the member uses a different key; check --key-file "
		       "and `rumor keys list` on both sides)";
	case SEAL_REFUSE_CLEAR:
		return "refused: the member there requires encryption and "
		       "this agent runs in the clear (start it with "
		       "--key-file)";
	case SEAL_REFUSE_NOKEY:
		return "refused: the member there runs in the clear and "
		       "cannot open our sealed request (start it with the "
		       "same --key-file, or this one without)";
	default:
		return "refused by the member there (unknown reason)";
	}
}

int
rumor_node_key_generate(char *buf, size_t cap)
{
	uint8_t key[SEAL_KEY_BYTES];

	if (cap < sodium_base64_ENCODED_LEN(SEAL_KEY_BYTES,
	                                    sodium_base64_VARIANT_ORIGINAL))
		return RUMOR_ENOSPC;
	if (sodium_init() < 0)
		return RUMOR_EINTERNAL;
	randombytes_buf(key, sizeof(key));
	sodium_bin2base64(buf, cap, key, sizeof(key),
	                  sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(key, sizeof(key));
	return 0;
}

/* ---- the public wrapper for tools (include/rumor/node.h) ---- */

_Static_assert(RUMOR_NODE_SEAL_OVERHEAD == SEAL_OVERHEAD,
               "node.h and seal.h disagree on the seal's size");

struct rumor_node_keys {
	struct keyring *kr;
};

int
rumor_node_keys_load(struct rumor_node_keys **out, const char *path, char *err,
                     size_t cap)
{
	struct rumor_node_keys *k = calloc(1, sizeof(*k));

	*out = NULL;
	if (k == NULL || (k->kr = rumor__keyring_new()) == NULL) {
		snprintf(err, cap, "out of memory");
		free(k);
		return RUMOR_ENOMEM;
	}
	if (rumor__keyring_load(k->kr, path, err, cap) != 0) {
		rumor_node_keys_free(k);
		return RUMOR_EINVAL;
	}
	*out = k;
	return 0;
}

void
rumor_node_keys_free(struct rumor_node_keys *k)
{
	if (k == NULL)
		return;
	rumor__keyring_free(k->kr);
	free(k);
}

int
rumor_node_keys_seal(const struct rumor_node_keys *k, const uint8_t *in,
                     size_t len, uint8_t *out, size_t cap)
{
	return rumor__seal(k->kr, -1, SEAL_DATAGRAM, in, len, out, cap);
}

int
rumor_node_keys_open(struct rumor_node_keys *k, const uint8_t *in, size_t len,
                     uint8_t *out, size_t cap)
{
	return rumor__open(k->kr, SEAL_DATAGRAM, in, len, out, cap, NULL);
}
