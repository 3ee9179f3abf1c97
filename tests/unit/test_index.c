/* SPDX-License-Identifier: MIT */
/*
 * The member index (src/core/index.c): lookups after inserts (ids that differ
 * in one field only are other members), removals that
 * shift a probe run back across the end of the table, growth, iteration,
 * and a long random sequence checked against a plain array.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core_internal.h"

static struct member *
entry(uint64_t n)
{
	struct member *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	m->id.addr.family = 4;
	m->id.addr.ip[0] = 10;
	m->id.addr.ip[3] = (uint8_t)n;
	m->id.addr.port = (uint16_t)(3000 + (n >> 8) % 1000);
	m->id.version = 1 + n / 256000;
	return m;
}

static uint64_t
hash(const struct member_index *idx, const struct member *m)
{
	uint8_t key[ID_KEY_LEN];

	rumor__id_key(&m->id, key);
	return rumor__index_hash(idx, key);
}

static struct member *
find(const struct member_index *idx, const struct member *m)
{
	return rumor__index_find(idx, hash(idx, m), &m->id);
}

/* Keys whose home is the last of the 16 first slots: their probe run wraps. */
static void
test_remove_shifts_back_across_the_end(void **state)
{
	struct member_index idx = {.seed = 42};
	struct member *m[4];
	int n = 0;

	(void)state;
	for (uint64_t k = 0; n < 4; k++) {
		struct member *c = entry(k);
		if ((hash(&idx, c) & 15) == 15)
			m[n++] = c;
		else
			free(c);
	}
	for (int i = 0; i < 4; i++)
		assert_int_equal(rumor__index_insert(&idx, m[i]), 0);
	assert_int_equal(idx.mask, 15); /* 4 of 16: no growth */
	assert_ptr_equal(idx.slots[15].m, m[0]);
	assert_ptr_equal(idx.slots[0].m, m[1]);
	assert_ptr_equal(idx.slots[2].m, m[3]);

	rumor__index_remove(&idx, m[0]);
	assert_null(find(&idx, m[0]));
	for (int i = 1; i < 4; i++)
		assert_ptr_equal(find(&idx, m[i]), m[i]);
	assert_ptr_equal(idx.slots[15].m, m[1]); /* moved back to its home */
	assert_null(idx.slots[2].m);

	rumor__index_remove(&idx, m[2]);
	assert_ptr_equal(find(&idx, m[3]), m[3]);
	assert_int_equal(idx.count, 2);
	for (int i = 0; i < 4; i++)
		free(m[i]);
	rumor__index_free(&idx);
}

/* Ids that differ only in the version, or the port, are other members. */
static void
test_versions_and_ports_are_distinct(void **state)
{
	struct member_index idx = {.seed = 3};
	struct member *a = entry(5), *b = entry(5), *c = entry(5);

	(void)state;
	b->id.version = a->id.version + 1;
	c->id.addr.port = (uint16_t)(a->id.addr.port + 1);
	assert_int_equal(rumor__index_insert(&idx, a), 0);
	assert_null(find(&idx, b));
	assert_null(find(&idx, c));
	assert_int_equal(rumor__index_insert(&idx, b), 0);
	assert_ptr_equal(find(&idx, a), a);
	assert_ptr_equal(find(&idx, b), b);
	assert_null(find(&idx, c));
	free(a);
	free(b);
	free(c);
	rumor__index_free(&idx);
}

static void
test_iteration_visits_each_once(void **state)
{
	struct member_index idx = {.seed = 7};
	enum { N = 1000 };
	struct member *m[N];
	int seen[N] = {0};
	struct member *it;
	uint32_t pos = 0;

	(void)state;
	assert_null(rumor__index_next(&idx, &pos)); /* empty, never allocated */
	for (int i = 0; i < N; i++) {
		m[i] = entry((uint64_t)i);
		m[i]->heartbeat = (uint64_t)i;
		assert_int_equal(rumor__index_insert(&idx, m[i]), 0);
	}
	assert_true(2 * idx.count <= idx.mask + 1); /* at most half full */
	while ((it = rumor__index_next(&idx, &pos)) != NULL)
		seen[it->heartbeat]++;
	for (int i = 0; i < N; i++) {
		assert_int_equal(seen[i], 1);
		free(m[i]);
	}
	rumor__index_free(&idx);
}

/* 200,000 random inserts and removals against a plain array. */
static void
test_random_operations_match_a_model(void **state)
{
	enum { KEYS = 3000, OPS = 200000 };
	struct member_index idx = {.seed = 99};
	static struct member *m[KEYS];
	static bool in[KEYS];
	struct rumor_rng rng;
	uint32_t count = 0;

	(void)state;
	rumor_rng_seed(&rng, 5);
	for (int i = 0; i < KEYS; i++)
		m[i] = entry(1000000 + (uint64_t)i);
	for (int op = 0; op < OPS; op++) {
		int k = (int)rumor_rng_below(&rng, KEYS);
		if (in[k]) {
			rumor__index_remove(&idx, m[k]);
			count--;
		} else {
			assert_int_equal(rumor__index_insert(&idx, m[k]), 0);
			count++;
		}
		in[k] = !in[k];
		assert_int_equal(idx.count, count);
		int probe = (int)rumor_rng_below(&rng, KEYS);
		assert_ptr_equal(find(&idx, m[probe]),
		                 in[probe] ? m[probe] : NULL);
	}
	for (int i = 0; i < KEYS; i++) {
		assert_ptr_equal(find(&idx, m[i]), in[i] ? m[i] : NULL);
		free(m[i]);
	}
	rumor__index_free(&idx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_remove_shifts_back_across_the_end),
	    cmocka_unit_test(test_versions_and_ports_are_distinct),
	    cmocka_unit_test(test_iteration_visits_each_once),
	    cmocka_unit_test(test_random_operations_match_a_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
