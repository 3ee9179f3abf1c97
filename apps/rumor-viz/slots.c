/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz slots: one place in the ring and the matrix per address
 * (host:port), shared by every version that ran there (a restart is a new
 * member id, fail-stop). The playhead shows the latest version that has
 * started by then, so ids not started yet take no room and a restarted
 * member keeps its place.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "rumor/errors.h"

int
viz__slot_new(struct viz_model *m, int32_t index)
{
	if (m->n_slots == m->slots_cap) {
		uint32_t cap = m->slots_cap ? m->slots_cap * 2 : 64;
		void *p = realloc(m->slots, cap * sizeof(*m->slots));
		if (!p)
			return RUMOR_ENOMEM;
		m->slots = p;
		m->slots_cap = cap;
	}
	m->slots[m->n_slots] = (struct viz_slot){index, index};
	m->members[index].slot = m->n_slots++;
	m->members[index].nth = 1;
	return 0;
}

/*
 * Put member `index` into the version chain of its address (prev links,
 * ordered by version: a stale version may be named after a newer one) and
 * number the versions 1, 2, ... from the oldest.
 */
static void
slot_insert(struct viz_model *m, uint32_t slot, int32_t index)
{
	struct viz_slot *s = &m->slots[slot];
	struct viz_member *mem = &m->members[index];
	mem->slot = slot;
	if (mem->version > m->members[s->latest].version) {
		mem->prev = s->latest;
		s->latest = index;
	} else {
		int32_t k = s->latest;
		while (m->members[k].prev >= 0 &&
		       m->members[m->members[k].prev].version > mem->version)
			k = m->members[k].prev;
		mem->prev = m->members[k].prev;
		m->members[k].prev = index;
	}
	uint32_t n = 0;
	for (int32_t k = s->latest; k >= 0; k = m->members[k].prev)
		n++;
	for (int32_t k = s->latest; k >= 0; k = m->members[k].prev) {
		m->members[k].nth = n--;
		if (m->members[k].prev < 0)
			s->first = k;
	}
}

/* The slot of address host:port (len bytes of id); latest version. */
int
viz__addr_set(struct viz_model *m, const char *id, size_t len, int32_t index)
{
	struct viz_member_ix *e;
	HASH_FIND(hh, m->addr_ix, id, len, e);
	if (e) {
		slot_insert(m, m->members[e->index].slot, index);
		e->index = (uint32_t)m->slots[m->members[index].slot].latest;
		return 0;
	}
	e = malloc(sizeof(*e) + len + 1);
	if (!e)
		return RUMOR_ENOMEM;
	memcpy(e->id, id, len);
	e->id[len] = 0;
	HASH_ADD(hh, m->addr_ix, id, len, e);
	e->index = (uint32_t)index;
	return viz__slot_new(m, index);
}

int
viz__slots_current(struct viz_model *m, const struct viz_state *s)
{
	if (m->n_slots) {
		void *p = realloc(m->slot_cur, m->n_slots * sizeof(int32_t));
		if (!p)
			return RUMOR_ENOMEM;
		m->slot_cur = p;
	}
	for (uint32_t k = 0; k < m->n_slots; k++) {
		int32_t j = m->slots[k].latest;
		while (m->members[j].prev >= 0 &&
		       ((uint32_t)j >= s->cap || s->truth[j] == VIZ_T_UNSEEN))
			j = m->members[j].prev;
		m->slot_cur[k] = j;
	}
	return 0;
}
