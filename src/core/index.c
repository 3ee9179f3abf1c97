/* SPDX-License-Identifier: MIT */
/*
 * The member index: member id key -> entry, open addressing with linear
 * probing, each slot holding the key's full 64-bit hash beside the entry
 * pointer.
 *
 * Why not uthash (which still keys the address slots, members.c): every
 * received gossip entry is looked up, and in the simulator (N tables of N
 * entries, hundreds of MB) each lookup is a walk of cache misses. uthash's
 * chains cost one miss for the bucket and one per chained element (the hash
 * it compares sits in the element); here a lookup costs one miss for the
 * slot, whose stored hash rules out the other keys without touching them,
 * and one for the entry, whose id and heartbeat share its first cache line.
 * At N = 1,000 lookups were 30% of the simulator's time with uthash
 * (docs/sim.md, Speed). Concurrency Kit's ck_hs, the packaged open-addressing
 * set, would dereference every probed entry: Debian builds it without
 * pointer packing, where it keeps hash bits in the slot.
 *
 * The table stays at most half full, so a probe sequence is short; deletion
 * shifts the following run back (no tombstones). The hash is seeded per core
 * so that nobody can choose ids that collide in every member's table.
 */
#include <stdlib.h>

#include "core_internal.h"

#define INDEX_MIN_SLOTS 16u

uint64_t
rumor__index_hash(const struct member_index *idx, const uint8_t *key)
{
	return XXH3_64bits_withSeed(key, ID_KEY_LEN, idx->seed);
}

uint64_t
rumor__index_hash_id(const struct member_index *idx,
                     const struct rumor_member_id *id)
{
	uint8_t key[ID_KEY_LEN];

	rumor__id_key(id, key);
	return rumor__index_hash(idx, key);
}

struct member *
rumor__index_find(const struct member_index *idx, uint64_t hash,
                  const struct rumor_member_id *id)
{
	if (idx->count == 0)
		return NULL;
	for (uint32_t i = (uint32_t)hash & idx->mask;;
	     i = (i + 1) & idx->mask) {
		const struct index_slot *s = &idx->slots[i];
		if (s->m == NULL)
			return NULL;
		if (s->hash == hash && rumor_member_id_cmp(&s->m->id, id) == 0)
			return s->m;
	}
}

void
rumor__index_prefetch(const struct member_index *idx, const uint64_t *hashes,
                      size_t n)
{
	if (idx->count == 0)
		return;
	for (size_t i = 0; i < n; i++)
		__builtin_prefetch(
		    &idx->slots[(uint32_t)hashes[i] & idx->mask]);
	/* the slots now arrive in parallel; each tells where its entry is */
	for (size_t i = 0; i < n; i++) {
		const struct index_slot *s =
		    &idx->slots[(uint32_t)hashes[i] & idx->mask];
		if (s->m != NULL && s->hash == hashes[i])
			__builtin_prefetch(s->m);
	}
}

static void
place(struct index_slot *slots, uint32_t mask, uint64_t hash, struct member *m)
{
	uint32_t i = (uint32_t)hash & mask;

	while (slots[i].m != NULL)
		i = (i + 1) & mask;
	slots[i].hash = hash;
	slots[i].m = m;
}

static int
grow(struct member_index *idx)
{
	uint32_t cap = idx->slots ? 2 * (idx->mask + 1) : INDEX_MIN_SLOTS;
	struct index_slot *slots = calloc(cap, sizeof(*slots));

	if (slots == NULL)
		return RUMOR_ENOMEM;
	for (uint32_t i = 0; idx->slots && i <= idx->mask; i++)
		if (idx->slots[i].m != NULL)
			place(slots, cap - 1, idx->slots[i].hash,
			      idx->slots[i].m);
	free(idx->slots);
	idx->slots = slots;
	idx->mask = cap - 1;
	return 0;
}

int
rumor__index_insert(struct member_index *idx, struct member *m)
{
	if (idx->slots == NULL || 2 * (idx->count + 1) > idx->mask + 1) {
		if (idx->mask >= UINT32_MAX / 4)
			return RUMOR_ENOMEM;
		int rc = grow(idx);
		if (rc != 0)
			return rc;
	}
	place(idx->slots, idx->mask, rumor__index_hash_id(idx, &m->id), m);
	idx->count++;
	return 0;
}

/* Is home slot h cyclically in (hole, i]? Then the entry at i stays. */
static bool
stays(uint32_t hole, uint32_t i, uint32_t h)
{
	return hole <= i ? (hole < h && h <= i) : (hole < h || h <= i);
}

void
rumor__index_remove(struct member_index *idx, const struct member *m)
{
	uint32_t i = (uint32_t)rumor__index_hash_id(idx, &m->id) & idx->mask;
	uint32_t hole;

	while (idx->slots[i].m != m)
		i = (i + 1) & idx->mask;
	hole = i;
	for (i = (i + 1) & idx->mask; idx->slots[i].m != NULL;
	     i = (i + 1) & idx->mask) {
		uint32_t home = (uint32_t)idx->slots[i].hash & idx->mask;
		if (stays(hole, i, home))
			continue;
		idx->slots[hole] = idx->slots[i];
		hole = i;
	}
	idx->slots[hole].m = NULL;
	idx->slots[hole].hash = 0;
	idx->count--;
}

struct member *
rumor__index_next(const struct member_index *idx, uint32_t *pos)
{
	for (; idx->slots && *pos <= idx->mask; (*pos)++)
		if (idx->slots[*pos].m != NULL)
			return idx->slots[(*pos)++].m;
	return NULL;
}

void
rumor__index_free(struct member_index *idx)
{
	free(idx->slots);
	idx->slots = NULL;
	idx->mask = 0;
	idx->count = 0;
}
