/* SPDX-License-Identifier: MIT */
/*
 * The codec: round trips, every truncation, each malformed class with its
 * own error, the msgpack-c amplification headers, and that a malformed
 * datagram is counted and changes nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

static size_t
encode_gossip(uint8_t *buf, size_t cap, size_t n)
{
	struct wire_writer w;
	struct rumor_member_id sender = fx_id(3001, 7);

	rumor__wire_begin(&w, buf, cap, RUMOR_MSG_GOSSIP, 99, &sender, 0);
	for (size_t i = 0; i < n; i++) {
		struct wire_entry e = fx_entry((uint16_t)(4000 + i), 5 + i,
		                               1000 * i, (int)(i % 4));
		e.hops = (uint8_t)i;
		assert_int_equal(rumor__wire_add_entry(&w, &e), 0);
	}
	return rumor__wire_finish(&w);
}

static void
test_round_trip(void **state)
{
	uint8_t buf[1400];
	struct wire_entry entries[16];
	struct wire_msg msg;
	size_t len = encode_gossip(buf, sizeof(buf), 10);

	(void)state;
	assert_int_equal(rumor__wire_decode(buf, len, &msg, entries, 16), 0);
	assert_int_equal(msg.kind, RUMOR_MSG_GOSSIP);
	assert_int_equal(msg.msg_id, 99);
	assert_true(msg.has_sender);
	assert_int_equal(msg.sender.version, 7);
	assert_int_equal(msg.n_entries, 10);
	for (size_t i = 0; i < 10; i++) {
		assert_int_equal(entries[i].id.addr.port, 4000 + i);
		assert_int_equal(entries[i].id.version, 5 + i);
		assert_int_equal(entries[i].heartbeat, 1000 * i);
		assert_int_equal(entries[i].status, i % 4);
		assert_int_equal(entries[i].hops, i);
	}
}

static void
test_ipv6_and_ping(void **state)
{
	uint8_t buf[256];
	struct wire_entry e, out[2];
	struct wire_msg msg;
	struct wire_writer w;
	struct rumor_member_id id, resp;
	uint64_t nonce;
	int len;

	(void)state;
	assert_int_equal(rumor_member_id_parse("[::1]:3000#5", &id), 0);
	e = (struct wire_entry){.id = id, .heartbeat = 3};
	rumor__wire_begin(&w, buf, sizeof(buf), RUMOR_MSG_GOSSIP, 1, &id, 0);
	rumor__wire_add_entry(&w, &e);
	assert_int_equal(
	    rumor__wire_decode(buf, rumor__wire_finish(&w), &msg, out, 2), 0);
	assert_int_equal(rumor_member_id_cmp(&out[0].id, &id), 0);

	len = rumor__wire_encode_nonce(buf, sizeof(buf), RUMOR_MSG_PONG, 4, &id,
	                               0xabcdef);
	assert_true(len > 0);
	assert_int_equal(
	    rumor_wire_decode_pong(buf, (size_t)len, &nonce, &resp), 0);
	assert_int_equal(nonce, 0xabcdef);
	/* an anonymous PING is fine, an anonymous PONG is not */
	len = rumor_wire_encode_ping(buf, sizeof(buf), NULL, 5);
	assert_int_equal(rumor__wire_decode(buf, (size_t)len, &msg, NULL, 0),
	                 0);
	len = rumor__wire_encode_nonce(buf, sizeof(buf), RUMOR_MSG_PONG, 4,
	                               NULL, 1);
	assert_int_equal(rumor__wire_decode(buf, (size_t)len, &msg, NULL, 0),
	                 RUMOR_EWIRE_TYPE);
}

static void
test_every_prefix_fails(void **state)
{
	uint8_t buf[1400];
	struct wire_entry entries[16];
	struct wire_msg msg;
	size_t len = encode_gossip(buf, sizeof(buf), 12);

	(void)state;
	for (size_t cut = 0; cut < len; cut++) {
		int rc = rumor__wire_decode(buf, cut, &msg, entries, 16);
		assert_int_equal(rc, RUMOR_EWIRE_TRUNCATED);
	}
}

static void
test_amplification_headers(void **state)
{
	static const uint8_t map32[] = {0xdf, 0x04, 0x00, 0x00, 0x00};
	static const uint8_t arr32[] = {0xdd, 0x04, 0x00, 0x00, 0x00};
	static const uint8_t arr32max[] = {0xdd, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t str32[] = {0xdb, 0xff, 0xff, 0xff, 0xff};
	struct wire_msg msg;

	(void)state;
	/* refused by the pre-scan before msgpack-c could size them */
	assert_int_equal(rumor__wire_prescan(map32, 5), RUMOR_EWIRE_TRUNCATED);
	assert_int_equal(rumor__wire_decode(map32, 5, &msg, NULL, 0),
	                 RUMOR_EWIRE_TRUNCATED);
	assert_int_equal(rumor__wire_decode(arr32, 5, &msg, NULL, 0),
	                 RUMOR_EWIRE_TRUNCATED);
	assert_int_equal(rumor__wire_decode(arr32max, 5, &msg, NULL, 0),
	                 RUMOR_EWIRE_TRUNCATED);
	assert_int_equal(rumor__wire_decode(str32, 5, &msg, NULL, 0),
	                 RUMOR_EWIRE_TRUNCATED);
}

static void
test_depth_trailing_reserved(void **state)
{
	uint8_t deep[16];
	uint8_t buf[1400];
	struct wire_entry entries[16];
	struct wire_msg msg;
	size_t len;

	(void)state;
	memset(deep, 0x91, sizeof(deep)); /* [[[[...]]]] */
	deep[15] = 0xc0;
	assert_int_equal(rumor__wire_decode(deep, 16, &msg, NULL, 0),
	                 RUMOR_EWIRE_TOO_BIG);
	len = encode_gossip(buf, sizeof(buf), 2);
	buf[len] = 0x00;
	assert_int_equal(rumor__wire_decode(buf, len + 1, &msg, entries, 16),
	                 RUMOR_EWIRE_TRAILING);
	buf[0] = 0xc1;
	assert_int_equal(rumor__wire_decode(buf, len, &msg, entries, 16),
	                 RUMOR_EWIRE_TYPE);
}

/* Re-encode a gossip message with one field replaced, by hand. */
static size_t
craft(uint8_t *buf, int version, int kind, int port, int status, int iplen)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	uint8_t ip[16] = {127, 0, 0, 1};
	size_t len;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 5);
	msgpack_pack_int(&pk, version);
	msgpack_pack_int(&pk, kind);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_array(&pk, 3);
	msgpack_pack_bin(&pk, 4);
	msgpack_pack_bin_body(&pk, ip, 4);
	msgpack_pack_int(&pk, 3001);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_array(&pk, 1);
	msgpack_pack_array(&pk, 6);
	msgpack_pack_bin(&pk, (size_t)iplen);
	msgpack_pack_bin_body(&pk, ip, (size_t)iplen);
	if (port < 0)
		msgpack_pack_str_with_body(&pk, "x", 1);
	else
		msgpack_pack_int(&pk, port);
	msgpack_pack_int(&pk, 9);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_int(&pk, status);
	msgpack_pack_int(&pk, 0);
	memcpy(buf, sb.data, sb.size);
	len = sb.size;
	msgpack_sbuffer_destroy(&sb);
	return len;
}

static void
test_malformed_classes(void **state)
{
	uint8_t buf[256];
	struct wire_entry entries[4];
	struct wire_msg msg;
	const struct {
		int version, kind, port, status, iplen, err;
	} cases[] = {
	    {1, 1, 4000, 0, 4, 0},
	    {2, 1, 4000, 0, 4, RUMOR_EWIRE_VERSION},
	    {1, 9, 4000, 0, 4, RUMOR_EWIRE_KIND},
	    {1, 0, 4000, 0, 4, RUMOR_EWIRE_KIND},
	    {1, 1, -1, 0, 4, RUMOR_EWIRE_TYPE},
	    {1, 1, 0, 0, 4, RUMOR_EWIRE_RANGE},
	    {1, 1, 70000, 0, 4, RUMOR_EWIRE_RANGE},
	    {1, 1, 4000, 4, 4, RUMOR_EWIRE_RANGE},
	    {1, 1, 4000, 0, 5, RUMOR_EWIRE_RANGE},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len =
		    craft(buf, cases[i].version, cases[i].kind, cases[i].port,
		          cases[i].status, cases[i].iplen);
		assert_int_equal(rumor__wire_decode(buf, len, &msg, entries, 4),
		                 cases[i].err);
	}
}

static void
test_duplicates_and_capacity(void **state)
{
	uint8_t buf[4096];
	struct wire_entry entries[64], e = fx_entry(4000, 1, 1, 0);
	struct rumor_member_id sender = fx_id(3001, 1);
	struct wire_writer w;
	struct wire_msg msg;
	size_t len;

	(void)state;
	rumor__wire_begin(&w, buf, sizeof(buf), RUMOR_MSG_GOSSIP, 1, &sender,
	                  0);
	rumor__wire_add_entry(&w, &e);
	rumor__wire_add_entry(&w, &e);
	len = rumor__wire_finish(&w);
	assert_int_equal(rumor__wire_decode(buf, len, &msg, entries, 64),
	                 RUMOR_EWIRE_DUPLICATE);
	/* a duplicate far apart in a long message (the sorted path) */
	rumor__wire_begin(&w, buf, sizeof(buf), RUMOR_MSG_GOSSIP, 1, &sender,
	                  0);
	for (int i = 0; i < 40; i++) {
		e = fx_entry((uint16_t)(4000 + i), 1, 1, 0);
		rumor__wire_add_entry(&w, &e);
	}
	e = fx_entry(4003, 1, 7, 0);
	rumor__wire_add_entry(&w, &e);
	len = rumor__wire_finish(&w);
	assert_int_equal(rumor__wire_decode(buf, len, &msg, entries, 64),
	                 RUMOR_EWIRE_DUPLICATE);
	assert_int_equal(rumor__wire_decode(buf, len, &msg, entries, 8),
	                 RUMOR_EWIRE_TOO_BIG);
}

static void
test_writer_never_exceeds_mtu(void **state)
{
	uint8_t buf[300];
	struct wire_entry entries[64];
	struct wire_msg msg;
	struct wire_writer w;
	struct rumor_member_id sender = fx_id(3001, 1);
	size_t added = 0;

	(void)state;
	rumor__wire_begin(&w, buf, sizeof(buf), RUMOR_MSG_GOSSIP, 1, &sender,
	                  0);
	for (int i = 0; i < 64; i++) {
		struct wire_entry e =
		    fx_entry((uint16_t)(4000 + i), RUMOR_NUMBER_MAX - 1,
		             RUMOR_NUMBER_MAX, 3);
		if (rumor__wire_add_entry(&w, &e) == 0)
			added++;
	}
	size_t len = rumor__wire_finish(&w);
	assert_true(len <= sizeof(buf));
	assert_true(added > 0 && added < 64);
	assert_int_equal(rumor__wire_decode(buf, len, &msg, entries, 64), 0);
	assert_int_equal(msg.n_entries, added);
}

struct snapshot {
	int n;
	uint64_t sum;
};

static void
snap(void *arg, const struct rumor_member_view *m)
{
	struct snapshot *s = arg;
	s->n++;
	s->sum += m->heartbeat * 31 + m->id.version * 7 + m->status;
}

static void
test_core_counts_and_keeps_state(void **state)
{
	struct rumor_config cfg;
	struct fixture *fx;
	struct rumor_stats st;
	struct snapshot before = {0}, after = {0};
	uint8_t buf[1400];
	struct wire_entry e = fx_entry(3001, 1, 5, 0);
	size_t len;

	(void)state;
	rumor_config_init(&cfg);
	fx = fx_new(&cfg);
	fx_gossip(fx, fx_id(3002, 1), 3, &e, 1);
	rumor_core_visit_members(fx->core, snap, &before);
	len = encode_gossip(buf, sizeof(buf), 8);
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(rumor_core_recv_datagram(fx->core, fx->now,
		                                          &e.id.addr, buf, cut),
		                 RUMOR_EWIRE_TRUNCATED);
	rumor_core_visit_members(fx->core, snap, &after);
	assert_int_equal(before.n, after.n);
	assert_true(before.sum == after.sum);
	rumor_core_stats(fx->core, &st);
	assert_int_equal(st.recv_malformed, len);
	assert_int_equal(st.malformed_by_err[-RUMOR_EWIRE_TRUNCATED], len);
	assert_true(fx->n_notices > 0);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_ipv6_and_ping),
	    cmocka_unit_test(test_every_prefix_fails),
	    cmocka_unit_test(test_amplification_headers),
	    cmocka_unit_test(test_depth_trailing_reserved),
	    cmocka_unit_test(test_malformed_classes),
	    cmocka_unit_test(test_duplicates_and_capacity),
	    cmocka_unit_test(test_writer_never_exceeds_mtu),
	    cmocka_unit_test(test_core_counts_and_keeps_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
