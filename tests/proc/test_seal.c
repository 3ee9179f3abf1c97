/* SPDX-License-Identifier: MIT */
/*
 * The seal and the keyring (src/node/seal.c): key parsing, round trips,
 * every single-byte alteration refused, keys the ring does not hold, the
 * types kept apart, keyring semantics (the primary is never removed), the
 * refusal frames.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "node_internal.h"

static const char hex1[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
/* the same 32 bytes in base64 */
static const char b64_1[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
static const char hex2[] =
    "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

static struct keyring *
ring_of(const char *const *keys, size_t n)
{
	struct keyring *kr = rumor__keyring_new();
	uint8_t k[SEAL_KEY_BYTES];

	assert_non_null(kr);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(rumor__key_parse(keys[i], k), 0);
		assert_int_equal(rumor__keyring_install(kr, k), 0);
	}
	return kr;
}

static void
test_key_parse(void **state)
{
	uint8_t a[SEAL_KEY_BYTES], b[SEAL_KEY_BYTES];
	char buf[128];

	(void)state;
	assert_int_equal(rumor__key_parse(hex1, a), 0);
	assert_int_equal(rumor__key_parse(b64_1, b), 0);
	assert_memory_equal(a, b, sizeof(a));
	for (int i = 0; i < 32; i++)
		assert_int_equal(a[i], i);
	snprintf(buf, sizeof(buf), "  %s \n", b64_1);
	assert_int_equal(rumor__key_parse(buf, b), 0);
	assert_int_equal(rumor__key_parse("", a), RUMOR_EINVAL);
	assert_int_equal(rumor__key_parse("00", a), RUMOR_EINVAL);
	snprintf(buf, sizeof(buf), "%.62s", hex1); /* 31 bytes */
	assert_int_equal(rumor__key_parse(buf, a), RUMOR_EINVAL);
	snprintf(buf, sizeof(buf), "%s00", hex1); /* 33 bytes */
	assert_int_equal(rumor__key_parse(buf, a), RUMOR_EINVAL);
	snprintf(buf, sizeof(buf), "%.63sg", hex1);
	assert_int_equal(rumor__key_parse(buf, a), RUMOR_EINVAL);
	assert_int_equal(
	    rumor__key_parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", a),
	    RUMOR_EINVAL); /* 24 bytes of base64 */
}

static void
test_roundtrip_and_tamper(void **state)
{
	const char *keys[] = {hex1};
	struct keyring *kr = ring_of(keys, 1);
	uint8_t msg[300], sealed[300 + SEAL_OVERHEAD], out[300];
	int len, r, idx = -5;

	(void)state;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7);
	len = rumor__seal(kr, -1, SEAL_DATAGRAM, msg, sizeof(msg), sealed,
	                  sizeof(sealed));
	assert_int_equal(len, (int)(sizeof(msg) + SEAL_OVERHEAD));
	assert_int_equal(sealed[0], SEAL_MAGIC);
	r = rumor__open(kr, SEAL_DATAGRAM, sealed, (size_t)len, out,
	                sizeof(out), &idx);
	assert_int_equal(r, (int)sizeof(msg));
	assert_int_equal(idx, 0);
	assert_memory_equal(out, msg, sizeof(msg));
	/* any flipped bit anywhere: refused */
	for (int i = 0; i < len; i++) {
		sealed[i] ^= 0x10;
		assert_int_equal(rumor__open(kr, SEAL_DATAGRAM, sealed,
		                             (size_t)len, out, sizeof(out),
		                             NULL),
		                 RUMOR_EAUTH);
		sealed[i] ^= 0x10;
	}
	/* every truncation: refused */
	for (int l = 0; l < len; l++)
		assert_int_equal(rumor__open(kr, SEAL_DATAGRAM, sealed,
		                             (size_t)l, out, sizeof(out), NULL),
		                 RUMOR_EAUTH);
	/* a datagram is not a stream frame (the type is authenticated) */
	sealed[1] = SEAL_REQUEST;
	assert_int_equal(rumor__open(kr, SEAL_REQUEST, sealed, (size_t)len, out,
	                             sizeof(out), NULL),
	                 RUMOR_EAUTH);
	/* the plaintext itself is not accepted */
	assert_int_equal(rumor__open(kr, SEAL_DATAGRAM, msg, sizeof(msg), out,
	                             sizeof(out), NULL),
	                 RUMOR_EAUTH);
	/* two seals of the same message differ (fresh nonces) */
	{
		uint8_t s2[sizeof(sealed)];
		sealed[1] = SEAL_DATAGRAM;
		rumor__seal(kr, -1, SEAL_DATAGRAM, msg, sizeof(msg), s2,
		            sizeof(s2));
		rumor__seal(kr, -1, SEAL_DATAGRAM, msg, sizeof(msg), sealed,
		            sizeof(sealed));
		assert_memory_not_equal(s2 + 6, sealed + 6, 24);
	}
	assert_int_equal(rumor__seal(kr, -1, SEAL_DATAGRAM, msg, sizeof(msg),
	                             sealed, sizeof(msg) + SEAL_OVERHEAD - 1),
	                 RUMOR_ENOSPC);
	rumor__keyring_free(kr);
}

static void
test_other_keys(void **state)
{
	const char *k1[] = {hex1}, *k2[] = {hex2}, *both[] = {hex2, hex1};
	struct keyring *a = ring_of(k1, 1), *b = ring_of(k2, 1);
	struct keyring *ab = ring_of(both, 2);
	uint8_t msg[] = "hello", sealed[64], out[64];
	int len, idx = -1;

	(void)state;
	len = rumor__seal(a, -1, SEAL_REPLY, msg, sizeof(msg), sealed,
	                  sizeof(sealed));
	assert_true(len > 0);
	assert_int_equal(rumor__open(b, SEAL_REPLY, sealed, (size_t)len, out,
	                             sizeof(out), NULL),
	                 RUMOR_EAUTH);
	/* a ring holding both opens it, with the second key */
	assert_int_equal(rumor__open(ab, SEAL_REPLY, sealed, (size_t)len, out,
	                             sizeof(out), &idx),
	                 (int)sizeof(msg));
	assert_int_equal(idx, 1);
	/* and seals with its primary (the first) unless told otherwise */
	len = rumor__seal(ab, -1, SEAL_REPLY, msg, sizeof(msg), sealed,
	                  sizeof(sealed));
	assert_int_equal(rumor__open(a, SEAL_REPLY, sealed, (size_t)len, out,
	                             sizeof(out), NULL),
	                 RUMOR_EAUTH);
	len = rumor__seal(ab, 1, SEAL_REPLY, msg, sizeof(msg), sealed,
	                  sizeof(sealed));
	assert_int_equal(rumor__open(a, SEAL_REPLY, sealed, (size_t)len, out,
	                             sizeof(out), NULL),
	                 (int)sizeof(msg));
	rumor__keyring_free(a);
	rumor__keyring_free(b);
	rumor__keyring_free(ab);
}

static void
test_keyring(void **state)
{
	const char *keys[] = {hex1};
	struct keyring *kr = ring_of(keys, 1);
	struct keyring_entry e;
	uint8_t k2[SEAL_KEY_BYTES];
	char id2[SEAL_ID_STRLEN];

	(void)state;
	assert_int_equal(rumor__key_parse(hex2, k2), 0);
	rumor__key_id_text(k2, id2);
	assert_int_equal(strlen(id2), 8);
	assert_int_equal(rumor__keyring_install(kr, k2), 0);
	assert_int_equal(rumor__keyring_install(kr, k2), 1);
	assert_int_equal(rumor__keyring_count(kr), 2);
	assert_int_equal(rumor__keyring_find(kr, id2), 1);
	assert_int_equal(rumor__keyring_find(kr, hex2), 1);
	assert_int_equal(rumor__keyring_find(kr, b64_1), 0);
	assert_int_equal(rumor__keyring_find(kr, "zz"), RUMOR_EINVAL);
	assert_int_equal(rumor__keyring_find(kr, "00000000"), RUMOR_ESTATE);
	/* the primary is never removed */
	assert_int_equal(rumor__keyring_remove(kr, 0), RUMOR_ESTATE);
	assert_int_equal(rumor__keyring_use(kr, 1), 0);
	assert_int_equal(rumor__keyring_entry(kr, 1, &e), 0);
	assert_true(e.primary);
	assert_string_equal(e.id, id2);
	assert_int_equal(rumor__keyring_remove(kr, 1), RUMOR_ESTATE);
	assert_int_equal(rumor__keyring_remove(kr, 0), 0);
	assert_int_equal(rumor__keyring_count(kr), 1);
	assert_int_equal(rumor__keyring_entry(kr, 0, &e), 0);
	assert_true(e.primary);
	assert_string_equal(e.id, id2);
	for (int i = 1; i < SEAL_MAX_KEYS; i++) {
		k2[0] = (uint8_t)i;
		assert_int_equal(rumor__keyring_install(kr, k2), 0);
	}
	k2[1] ^= 1;
	assert_int_equal(rumor__keyring_install(kr, k2), RUMOR_EFULL);
	rumor__keyring_free(kr);
}

static void
test_key_file(void **state)
{
	char path[] = "/tmp/rumor-seal-XXXXXX", err[256];
	struct keyring *kr;
	FILE *f;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	f = fdopen(fd, "w");
	fprintf(f, "# rotation in progress\n\n%s\n  %s\n", hex2, b64_1);
	fclose(f);
	kr = rumor__keyring_new();
	assert_int_equal(rumor__keyring_load(kr, path, err, sizeof(err)), 0);
	assert_int_equal(rumor__keyring_count(kr), 2);
	assert_int_equal(rumor__keyring_find(kr, hex2), 0);
	rumor__keyring_free(kr);
	/* a bad line is named */
	f = fopen(path, "w");
	fprintf(f, "%s\nnot-a-key\n", hex1);
	fclose(f);
	kr = rumor__keyring_new();
	assert_int_equal(rumor__keyring_load(kr, path, err, sizeof(err)),
	                 RUMOR_EINVAL);
	assert_non_null(strstr(err, ":2: not a 32-byte key"));
	rumor__keyring_free(kr);
	/* no key at all */
	f = fopen(path, "w");
	fprintf(f, "# nothing\n");
	fclose(f);
	kr = rumor__keyring_new();
	assert_int_equal(rumor__keyring_load(kr, path, err, sizeof(err)),
	                 RUMOR_EINVAL);
	assert_non_null(strstr(err, "no key"));
	rumor__keyring_free(kr);
	unlink(path);
	kr = rumor__keyring_new();
	assert_int_equal(rumor__keyring_load(kr, path, err, sizeof(err)),
	                 RUMOR_EINVAL);
	assert_non_null(strstr(err, "No such file"));
	rumor__keyring_free(kr);
}

static void
test_refusals(void **state)
{
	const uint8_t r1[] = {SEAL_MAGIC, SEAL_REFUSAL, SEAL_REFUSE_KEY};
	const uint8_t plain[] = {0x95, 1, 4, 0, 0xc0};
	char key[64];

	(void)state;
	assert_int_equal(rumor__refusal_code(r1, sizeof(r1)), SEAL_REFUSE_KEY);
	assert_int_equal(rumor__refusal_code(r1, 2), 0);
	assert_int_equal(rumor__refusal_code(plain, 3), 0);
	assert_false(rumor__is_sealed(plain, sizeof(plain)));
	assert_true(rumor__is_sealed(r1, sizeof(r1)));
	assert_non_null(
	    strstr(rumor__refusal_text(SEAL_REFUSE_KEY), "different key"));
	assert_int_equal(rumor_node_key_generate(key, sizeof(key)), 0);
	assert_int_equal(strlen(key), 44);
	{
		uint8_t k[SEAL_KEY_BYTES];
		assert_int_equal(rumor__key_parse(key, k), 0);
	}
	assert_int_equal(rumor_node_key_generate(key, 10), RUMOR_ENOSPC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_parse),
	    cmocka_unit_test(test_roundtrip_and_tamper),
	    cmocka_unit_test(test_other_keys),
	    cmocka_unit_test(test_keyring),
	    cmocka_unit_test(test_key_file),
	    cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
