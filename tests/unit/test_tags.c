/* SPDX-License-Identifier: MIT */
/* Member tags: the encoding, the wire, and the core's merge rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "rumor/tags.h"

#define T(s) ((const uint8_t *)(s)), strlen(s)

static void
test_encoding_canonical(void **state)
{
	uint8_t buf[64];
	size_t len = 0;
	const char *v;
	size_t vlen;

	(void)state;
	assert_int_equal(rumor_tags_put(buf, sizeof(buf), &len, "zone", "a"),
	                 0);
	assert_int_equal(rumor_tags_put(buf, sizeof(buf), &len, "role", "web"),
	                 0);
	assert_int_equal(rumor_tags_put_pair(buf, sizeof(buf), &len, "dc=x=1"),
	                 0);
	assert_int_equal(len, strlen("dc=x=1\nrole=web\nzone=a\n"));
	assert_memory_equal(buf, "dc=x=1\nrole=web\nzone=a\n", len);
	assert_int_equal(rumor_tags_validate(buf, len), 0);
	/* replacing keeps one line per key */
	assert_int_equal(rumor_tags_put(buf, sizeof(buf), &len, "role", "db"),
	                 0);
	assert_memory_equal(buf, "dc=x=1\nrole=db\nzone=a\n", len);
	assert_int_equal(rumor_tags_get(buf, len, "role", &v, &vlen), 1);
	assert_int_equal(vlen, 2);
	assert_memory_equal(v, "db", 2);
	assert_int_equal(rumor_tags_delete(buf, &len, "dc"), 1);
	assert_int_equal(rumor_tags_delete(buf, &len, "dc"), 0);
	assert_memory_equal(buf, "role=db\nzone=a\n", len);
	/* over the cap: E2BIG, nothing changed */
	assert_int_equal(rumor_tags_put(buf, 20, &len, "long", "xxxxxxx"),
	                 RUMOR_E2BIG);
	assert_int_equal(len, strlen("role=db\nzone=a\n"));
}

static void
test_encoding_refuses_bad_text(void **state)
{
	uint8_t buf[64];
	size_t len = 0;

	(void)state;
	assert_int_equal(rumor_tags_put(buf, sizeof(buf), &len, "", "v"),
	                 RUMOR_EINVAL);
	assert_int_equal(rumor_tags_put(buf, sizeof(buf), &len, "a\nb", "v"),
	                 RUMOR_EINVAL);
	assert_int_equal(rumor_tags_put(buf, sizeof(buf), &len, "k", "\xff"),
	                 RUMOR_EINVAL);
	/* overlong "/" and a UTF-16 surrogate are not UTF-8 */
	assert_int_equal(
	    rumor_tags_put(buf, sizeof(buf), &len, "k", "\xc0\xaf"),
	    RUMOR_EINVAL);
	assert_int_equal(
	    rumor_tags_put(buf, sizeof(buf), &len, "k", "\xed\xa0\x80"),
	    RUMOR_EINVAL);
	assert_int_equal(rumor_tags_put_pair(buf, sizeof(buf), &len, "novalue"),
	                 RUMOR_EINVAL);
	assert_int_equal(len, 0);
	assert_int_equal(rumor_tags_put(buf, sizeof(buf), &len, "k",
	                                "caf\xc3\xa9 \xf0\x9f\x8d\xb5"),
	                 0);
	assert_int_equal(rumor_tags_validate(T("b=1\na=2\n")), RUMOR_EINVAL);
	assert_int_equal(rumor_tags_validate(T("a=1\na=2\n")), RUMOR_EINVAL);
	assert_int_equal(rumor_tags_validate(T("a=1")), RUMOR_EINVAL);
	assert_int_equal(rumor_tags_validate(T("=1\n")), RUMOR_EINVAL);
	assert_int_equal(rumor_tags_validate(T("a\n")), RUMOR_EINVAL);
	assert_int_equal(rumor_tags_validate(NULL, 0), 0);
}

static void
test_wire_round_trip_and_bad_tags(void **state)
{
	uint8_t buf[512];
	struct wire_writer w;
	struct wire_entry e = fx_entry(3001, 1, 7, RUMOR_STATUS_ALIVE), got[4];
	struct wire_msg msg;
	size_t len;

	(void)state;
	e.tags_ver = 3;
	e.tags = (const uint8_t *)"role=web\n";
	e.tags_len = 9;
	rumor__wire_begin(&w, buf, sizeof(buf), RUMOR_MSG_GOSSIP, 1, &e.id, 0);
	assert_int_equal(rumor__wire_add_entry(&w, &e), 0);
	len = rumor__wire_finish(&w);
	assert_int_equal(rumor__wire_decode(buf, len, &msg, got, 4), 0);
	assert_int_equal(got[0].tags_ver, 3);
	assert_int_equal(got[0].tags_len, 9);
	assert_memory_equal(got[0].tags, "role=web\n", 9);
	assert_int_equal(got[0].heartbeat, 7);

	/* not canonical: the datagram is malformed */
	e.tags = (const uint8_t *)"zz=1\naa=2\n";
	e.tags_len = 10;
	rumor__wire_begin(&w, buf, sizeof(buf), RUMOR_MSG_GOSSIP, 2, &e.id, 0);
	rumor__wire_add_entry(&w, &e);
	len = rumor__wire_finish(&w);
	assert_int_equal(rumor__wire_decode(buf, len, &msg, got, 4),
	                 RUMOR_EWIRE_RANGE);
}

struct tags_of {
	struct rumor_member_id id;
	char tags[600];
	uint64_t version;
};

static void
visit(void *arg, const struct rumor_member_view *m)
{
	struct tags_of *t = arg;

	if (rumor_member_id_cmp(&m->id, &t->id) != 0)
		return;
	memcpy(t->tags, m->tags, m->tags_len);
	t->tags[m->tags_len] = '\0';
	t->version = m->tags_version;
}

static struct tags_of
tags_of(struct fixture *fx, struct rumor_member_id id)
{
	struct tags_of t = {.id = id};

	rumor_core_visit_members(fx->core, visit, &t);
	return t;
}

static struct wire_entry
tagged(uint16_t port, uint64_t hb, uint64_t ver, const char *tags)
{
	struct wire_entry e = fx_entry(port, 1, hb, RUMOR_STATUS_ALIVE);

	e.tags_ver = ver;
	e.tags = (const uint8_t *)tags;
	e.tags_len = (uint32_t)strlen(tags);
	return e;
}

static struct fixture *
setup(void)
{
	struct rumor_config cfg;

	rumor_config_init(&cfg);
	return fx_new(&cfg);
}

/* Versions 1..3 of B's tags in every order: the newest always wins, and
 * each adoption is one update event. */
static void
test_newest_wins_in_any_order(void **state)
{
	static const int orders[6][3] = {{1, 2, 3}, {1, 3, 2}, {2, 1, 3},
	                                 {2, 3, 1}, {3, 1, 2}, {3, 2, 1}};
	static const char *const text[4] = {"", "v=1\n", "v=2\n", "v=3\n"};

	(void)state;
	for (int o = 0; o < 6; o++) {
		struct fixture *fx = setup();
		struct rumor_member_id b = fx_id(3001, 1);
		int updates = 0, best = 0;

		for (int i = 0; i < 3; i++) {
			int v = orders[o][i];
			/* heartbeats in any order too: tags ride beside them */
			struct wire_entry e = tagged(3001, 10 - (uint64_t)v,
			                             (uint64_t)v, text[v]);
			assert_int_equal(
			    fx_gossip(fx, fx_id(3002, 1), 5, &e, 1), 0);
			if (v > best) {
				updates += best != 0; /* the first is a join */
				best = v;
			}
		}
		struct tags_of t = tags_of(fx, b);
		assert_int_equal(t.version, 3);
		assert_string_equal(t.tags, "v=3\n");
		assert_int_equal(fx_count(fx, RUMOR_EV_UPDATE, b), updates);
		assert_int_equal(fx_count(fx, RUMOR_EV_JOIN, b), 1);
		fx_free(fx);
	}
}

/* Entries without tags (heartbeats, gossip) never erase known tags. */
static void
test_entry_without_tags_keeps_them(void **state)
{
	struct fixture *fx = setup();
	struct wire_entry e = tagged(3001, 5, 2, "role=web\n");

	(void)state;
	fx_gossip(fx, fx_id(3002, 1), 5, &e, 1);
	assert_int_equal(fx_gossip(fx, fx_id(3001, 1), 9, NULL, 0), 0);
	assert_string_equal(tags_of(fx, fx_id(3001, 1)).tags, "role=web\n");
	fx_free(fx);
}

static void
test_set_tags_cap_and_datagram(void **state)
{
	struct rumor_config cfg;
	struct fixture *fx;
	uint8_t big[2048];
	size_t len = 0;
	char v[1100];

	(void)state;
	rumor_config_init(&cfg);
	fx = fx_new(&cfg);
	memset(v, 'x', 600);
	v[600] = '\0';
	assert_int_equal(rumor_tags_put(big, sizeof(big), &len, "k", v), 0);
	assert_int_equal(rumor_core_tags_max(fx->core), 512);
	assert_int_equal(rumor_core_set_tags(fx->core, big, len), RUMOR_E2BIG);
	assert_int_equal(rumor_core_set_tags(fx->core, T("bad")), RUMOR_EINVAL);
	fx_free(fx);

	/* a cap past what a datagram holds is bounded by the datagram */
	cfg.tags_max_bytes = 4000;
	cfg.mtu_bytes = 1000;
	fx = fx_new(&cfg);
	assert_true(rumor_core_tags_max(fx->core) < 1000 - 64);
	assert_int_equal(rumor_core_set_tags(fx->core, big, len), 0);
	len = 0;
	memset(v, 'x', 1000);
	v[1000] = '\0';
	assert_int_equal(rumor_tags_put(big, sizeof(big), &len, "k", v), 0);
	assert_int_equal(rumor_core_set_tags(fx->core, big, len), RUMOR_E2BIG);
	fx_free(fx);
}

/* How many sent datagrams carry the fixture's own tags. */
static int
sent_with_own_tags(struct fixture *fx, size_t from)
{
	struct wire_entry got[256];
	struct wire_msg msg;
	int n = 0;

	for (size_t i = from; i < fx->n_sent; i++) {
		if (fx_decode_sent(fx, i, &msg, got, 256) != 0)
			continue;
		for (size_t k = 0; k < msg.n_entries; k++)
			n += got[k].tags_ver != 0 &&
			     rumor_member_id_cmp(&got[k].id, &fx->self) == 0;
	}
	return n;
}

/* A change is news for a while, then no datagram carries the tags. */
static void
test_tags_are_news_then_silent(void **state)
{
	struct fixture *fx = setup();
	size_t mark;

	(void)state;
	for (uint16_t p = 3001; p < 3009; p++)
		fx_gossip(fx, fx_id(p, 1), 5, NULL, 0);
	fx_run(fx, 1000);
	mark = fx->n_sent;
	assert_int_equal(rumor_core_set_tags(fx->core, T("role=web\n")), 0);
	assert_int_equal(fx_count(fx, RUMOR_EV_UPDATE, fx->self), 1);
	/* setting the same tags again is no change */
	assert_int_equal(rumor_core_set_tags(fx->core, T("role=web\n")), 0);
	assert_int_equal(fx_count(fx, RUMOR_EV_UPDATE, fx->self), 1);
	fx_run(fx, 1000);
	assert_true(sent_with_own_tags(fx, mark) >= 3);
	/* the news is spent after retransmit_mult * ceil(log2(N + 1)) */
	fx_run(fx, 5000);
	mark = fx->n_sent;
	fx_run(fx, 3000);
	assert_true(fx->n_sent > mark);
	assert_int_equal(sent_with_own_tags(fx, mark), 0);
	fx_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_encoding_canonical),
	    cmocka_unit_test(test_encoding_refuses_bad_text),
	    cmocka_unit_test(test_wire_round_trip_and_bad_tags),
	    cmocka_unit_test(test_newest_wins_in_any_order),
	    cmocka_unit_test(test_entry_without_tags_keeps_them),
	    cmocka_unit_test(test_set_tags_cap_and_datagram),
	    cmocka_unit_test(test_tags_are_news_then_silent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
