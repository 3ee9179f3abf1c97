/* SPDX-License-Identifier: MIT */
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
 * The ring is kept sorted incrementally (a member entering or leaving the
 * live set is one binary search and one memmove), so the monitors follow
 * the membership at once. Views still differ between members while the
 * membership changes; a member that watches X without being one of X's
 * successors gets no first-hand heartbeats from X, and the tight timeout
 * applies only after one of them came since it was watched (detector_hb.c).
 */
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

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

static uint64_t
slot_hash(const struct rumor_core *core, const struct member *m)
{
	return m ? m->ring_hash : core->self_hash;
}

/* The first position whose hash is >= h. */
static uint32_t
lower_bound(const struct rumor_core *core, uint64_t h)
{
	uint32_t lo = 0, hi = core->n_ring;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (core->ring[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The position of m (NULL: ourselves), or n_ring when absent. */
static uint32_t
find(const struct rumor_core *core, const struct member *m)
{
	uint64_t h = slot_hash(core, m);

	for (uint32_t i = lower_bound(core, h);
	     i < core->n_ring && core->ring[i].hash == h; i++)
		if (core->ring[i].m == m)
			return i;
	return core->n_ring;
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
 * first-hand heartbeat, that it sees us as its successor before the tight
 * T_suspect applies (detector_hb.c). */
static void
set_watched(struct rumor_core *core, struct member *m, bool watched)
{
	if (m->watched == watched)
		return;
	m->watched = watched;
	/* a heartbeat from before counts no more (detector_hb.c), nor its
	 * arrival record (suspicion.c) */
	m->watched_since_ms = core->now_ms;
	m->hb_bits = 0;
	m->link_broken = false;
	rumor__detector_note(core, m);
}

/* Our successors (who watch us) and predecessors (whom we watch). */
static void
recompute(struct rumor_core *core)
{
	struct member *pred[MAX_MONITORS];
	uint32_t self = find(core, NULL), k = core->cfg.monitors,
	         n = core->n_ring;
	uint32_t n_pred = 0;

	core->n_succ = 0;
	if (self == n) /* no memory to hold ourselves: no ring */
		n = 1;
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

void
rumor__ring_add(struct rumor_core *core, struct member *m)
{
	uint64_t h = slot_hash(core, m);
	uint32_t at;

	if (core->n_ring == core->cap_ring) {
		uint32_t cap = core->cap_ring ? 2 * core->cap_ring : 16;
		struct ring_slot *r = realloc(core->ring, cap * sizeof(*r));
		if (r == NULL)
			return; /* without memory the ring just lacks m */
		core->ring = r;
		core->cap_ring = cap;
	}
	at = lower_bound(core, h);
	memmove(&core->ring[at + 1], &core->ring[at],
	        (core->n_ring - at) * sizeof(core->ring[0]));
	core->ring[at] = (struct ring_slot){h, m};
	core->n_ring++;
	recompute(core);
}

void
rumor__ring_del(struct rumor_core *core, struct member *m)
{
	uint32_t at = find(core, m);

	if (at == core->n_ring)
		return;
	memmove(&core->ring[at], &core->ring[at + 1],
	        (core->n_ring - at - 1) * sizeof(core->ring[0]));
	core->n_ring--;
	recompute(core);
}

uint32_t
rumor__ring_watchers(const struct rumor_core *core, const struct member *m,
                     struct member **out, uint32_t max)
{
	uint32_t at = find(core, m), n = core->n_ring, k = core->cfg.monitors;
	uint32_t got = 0;

	if (at == n)
		return 0;
	if (k > n - 1)
		k = n - 1;
	for (uint32_t i = 1; i <= k && got < max; i++) {
		struct member *w = core->ring[(at + i) % n].m;
		if (w != NULL) /* NULL is ourselves */
			out[got++] = w;
	}
	return got;
}
