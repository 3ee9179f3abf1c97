/*
 * Heartbeat monitors on a hash ring. Members are placed on a ring by a hash
 * of their id; each member sends its own heartbeat straight to its
 * `monitors` successors every round (a datagram of one entry), and watches
 * its `monitors` predecessors with the tight T_suspect. Everyone else's
 * heartbeats reach it through gossip, several hops old and, once N exceeds
 * what a round's datagrams carry, at irregular intervals, so for them the
 * detector waits the longer T_suspect_far (detector_hb.c). A crash is thus
 * noticed by its monitors within T_suspect + T_fail whatever N is, and
 * everyone else learns it as disseminated news in O(log N) rounds; the
 * bandwidth per member stays bounded. (Ring monitoring as in Rapid, Suresh
 * et al., USENIX ATC 2018, section 4.1, with K successors instead of an
 * expander of K rings.)
 *
 * Views differ slightly between members while the membership changes; a
 * member that watches X without being one of X's successors just sees X's
 * heartbeat through gossip and is correspondingly slower to suspect it,
 * which the far timeout is sized for.
 */
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

#define RING_REBUILD_MS 1000

uint64_t
rumor__id_hash(const struct rumor_member_id *id)
{
	uint8_t key[ID_KEY_LEN];
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a, then a finalizer */

	rumor__id_key(id, key);
	for (int i = 0; i < ID_KEY_LEN; i++)
		h = (h ^ key[i]) * 0x100000001b3ULL;
	return rumor_mix64(h);
}

static int
cmp_ring(const void *a, const void *b)
{
	const struct ring_slot *x = a, *y = b;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return 0; /* equal 64-bit hashes of distinct ids: order irrelevant */
}

void
rumor__ring_mark_dirty(struct rumor_core *core)
{
	core->ring_dirty = true;
}

static int
ring_fill(struct rumor_core *core)
{
	uint32_t n = core->n_live + 1;

	if (n > core->cap_ring) {
		struct ring_slot *r = realloc(core->ring, n * sizeof(*r));
		if (r == NULL)
			return RUMOR_ENOMEM;
		core->ring = r;
		core->cap_ring = n;
	}
	core->ring[0] = (struct ring_slot){core->self_hash, NULL};
	for (uint32_t i = 0; i < core->n_live; i++)
		core->ring[i + 1] =
		    (struct ring_slot){core->live[i]->ring_hash, core->live[i]};
	core->n_ring = n;
	qsort(core->ring, n, sizeof(*core->ring), cmp_ring);
	return 0;
}

static bool
in_set(struct member *const *set, uint32_t n, const struct member *m)
{
	for (uint32_t i = 0; i < n; i++)
		if (set[i] == m)
			return true;
	return false;
}

/* Start or stop watching m. A member newly watched must prove, with a
 * streak of first-hand heartbeats, that it sees us as its successor before
 * the tight T_suspect applies (detector_hb.c). */
static void
set_watched(struct rumor_core *core, struct member *m, bool watched)
{
	if (m->watched == watched)
		return;
	m->watched = watched;
	m->direct_streak = 0;
	rumor__detector_note(core, m);
}

void
rumor__ring_forget(struct rumor_core *core, const struct member *m)
{
	for (uint32_t i = 0; i < core->n_pred; i++)
		if (core->pred[i] == m)
			core->pred[i] = core->pred[--core->n_pred];
	for (uint32_t i = 0; i < core->n_succ; i++)
		if (core->succ[i] == m)
			core->succ[i] = core->succ[--core->n_succ];
	core->n_ring = 0; /* the sorted ring may hold it: rebuild */
	core->ring_dirty = true;
}

void
rumor__ring_update(struct rumor_core *core)
{
	struct member *pred[MAX_MONITORS];
	uint32_t self = 0, k = core->cfg.monitors, n, n_pred = 0;

	/* rebuilt at most every RING_REBUILD_MS: during a join storm the
	 * view changes every round, and a sort per round per member costs
	 * more than slightly stale monitor choices */
	if (!core->ring_dirty || core->now_ms < core->ring_next_ms)
		return;
	core->ring_dirty = false;
	core->ring_next_ms = core->now_ms + RING_REBUILD_MS;
	core->n_succ = 0;
	if (ring_fill(core) != 0) {
		core->n_ring = 0;
		return;
	}
	n = core->n_ring;
	while (core->ring[self].m != NULL)
		self++;
	if (k > n - 1)
		k = n - 1;
	for (uint32_t i = 1; i <= k; i++) {
		core->succ[core->n_succ++] = core->ring[(self + i) % n].m;
		pred[n_pred++] = core->ring[(self + n - i) % n].m;
	}
	/* only real changes of the watched set touch the members */
	for (uint32_t i = 0; i < core->n_pred; i++)
		if (!in_set(pred, n_pred, core->pred[i]))
			set_watched(core, core->pred[i], false);
	for (uint32_t i = 0; i < n_pred; i++)
		set_watched(core, pred[i], true);
	memcpy(core->pred, pred, n_pred * sizeof(pred[0]));
	core->n_pred = n_pred;
}
