/* SPDX-License-Identifier: MIT */
/*
 * The membership table: entries by member id, address slots that remember
 * the greatest dead version of each host:port (so that no stale gossip ever
 * brings back a failed, left or superseded id, even after its entry was
 * removed), the live array used to pick gossip targets, and the freshness
 * lists that order which entries a gossip datagram carries.
 */
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"

bool
rumor__is_live(enum rumor_member_status status)
{
	return status == RUMOR_STATUS_ALIVE || status == RUMOR_STATUS_SUSPECT;
}

static void
addr_key(const struct rumor_addr *addr, uint8_t key[ADDR_KEY_LEN])
{
	key[0] = addr->family;
	key[1] = (uint8_t)(addr->port >> 8);
	key[2] = (uint8_t)addr->port;
	memcpy(key + 3, addr->ip, 16);
}

void
rumor__id_key(const struct rumor_member_id *id, uint8_t key[ID_KEY_LEN])
{
	addr_key(&id->addr, key);
	for (int i = 0; i < 8; i++)
		key[ADDR_KEY_LEN + i] = (uint8_t)(id->version >> (56 - 8 * i));
}

struct member *
rumor__member_find(struct rumor_core *core, const struct rumor_member_id *id)
{
	return rumor__index_find(&core->members,
	                         rumor__index_hash_id(&core->members, id), id);
}

/* ---- growable pointer arrays with O(1) swap-remove ---- */

static int
array_reserve(void ***arr, uint32_t *cap, uint32_t need)
{
	void **p;
	uint32_t ncap;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, ncap * sizeof(*p));
	if (p == NULL)
		return RUMOR_ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

static int
live_add(struct rumor_core *core, struct member *m)
{
	if (array_reserve((void ***)&core->live, &core->cap_live,
	                  core->n_live + 1) != 0)
		return RUMOR_ENOMEM;
	m->live_index = core->n_live;
	core->live[core->n_live++] = m;
	core->live_digest ^=
	    m->ring_hash ^ rumor__tags_term(m->ring_hash, m->tags_ver);
	rumor__ring_add(core, m);
	return 0;
}

static void
live_remove(struct rumor_core *core, struct member *m)
{
	uint32_t i = m->live_index;

	if (i == UINT32_MAX)
		return;
	core->live[i] = core->live[--core->n_live];
	core->live[i]->live_index = i;
	m->live_index = UINT32_MAX;
	core->live_digest ^=
	    m->ring_hash ^ rumor__tags_term(m->ring_hash, m->tags_ver);
	rumor__ring_del(core, m);
	m->watched = false;
}

static void
reconnect_add(struct rumor_core *core, struct addr_slot *s)
{
	if (s->reconnect_index != UINT32_MAX ||
	    array_reserve((void ***)&core->reconnect, &core->cap_reconnect,
	                  core->n_reconnect + 1) != 0)
		return; /* without memory, just no reconnect probes to it */
	s->reconnect_index = core->n_reconnect;
	core->reconnect[core->n_reconnect++] = s;
}

static void
reconnect_remove(struct rumor_core *core, struct addr_slot *s)
{
	uint32_t i = s->reconnect_index;

	if (i == UINT32_MAX)
		return;
	core->reconnect[i] = core->reconnect[--core->n_reconnect];
	core->reconnect[i]->reconnect_index = i;
	s->reconnect_index = UINT32_MAX;
}

/* ---- freshness lists ---- */

static void
fresh_unlink(struct rumor_core *core, struct member *m)
{
	int l = m->fresh_level;

	if (l < 0)
		return;
	if (m->fresh_prev)
		m->fresh_prev->fresh_next = m->fresh_next;
	else
		core->fresh_head[l] = m->fresh_next;
	if (m->fresh_next)
		m->fresh_next->fresh_prev = m->fresh_prev;
	else
		core->fresh_tail[l] = m->fresh_prev;
	m->fresh_prev = m->fresh_next = NULL;
	m->fresh_level = -1;
}

static void
fresh_push_tail(struct rumor_core *core, struct member *m, int l)
{
	m->fresh_level = l;
	m->fresh_next = NULL;
	m->fresh_prev = core->fresh_tail[l];
	if (core->fresh_tail[l])
		core->fresh_tail[l]->fresh_next = m;
	else
		core->fresh_head[l] = m;
	core->fresh_tail[l] = m;
}

void
rumor__fresh_sent(struct rumor_core *core, struct member *m)
{
	int l = m->fresh_level;

	if (l < 0)
		return;
	fresh_unlink(core, m);
	fresh_push_tail(core, m, FRESH_LEVELS - 1);
}

static int
hop_level(uint8_t hops)
{
	return hops < FRESH_HOP_LEVELS ? hops : FRESH_HOP_LEVELS - 1;
}

/* ---- address slots ---- */

struct addr_slot *
rumor__slot_get(struct rumor_core *core, const struct rumor_addr *addr,
                bool create)
{
	uint8_t key[ADDR_KEY_LEN];
	struct addr_slot *s;

	addr_key(addr, key);
	HASH_FIND(hh, core->slots, key, ADDR_KEY_LEN, s);
	if (s != NULL || !create)
		return s;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	memcpy(s->key, key, ADDR_KEY_LEN);
	s->addr = *addr;
	s->reconnect_index = UINT32_MAX;
	HASH_ADD(hh, core->slots, key, ADDR_KEY_LEN, s);
	return s;
}

void
rumor__slot_mark_dead(struct rumor_core *core, struct addr_slot *slot,
                      uint64_t version, uint64_t now_ms, bool retry)
{
	if (version > slot->dead_floor) {
		slot->dead_floor = version;
		slot->dead_since_ms = now_ms;
	}
	if (retry &&
	    (slot->current == NULL || !rumor__is_live(slot->current->status)))
		reconnect_add(core, slot);
}

void
rumor__reconnect_expire(struct rumor_core *core, uint64_t now_ms)
{
	for (uint32_t i = 0; i < core->n_reconnect;) {
		struct addr_slot *s = core->reconnect[i];
		if (now_ms - s->dead_since_ms > core->cfg.reconnect_timeout_ms)
			reconnect_remove(core, s);
		else
			i++;
	}
}

/* ---- entries ---- */

/* The first cache line of struct member holds what lookups, merges and
 * packing read. */
_Static_assert(offsetof(struct member, fresh_prev) == 64,
               "struct member: line 1 is lookup, merge and packing");

/* Zeroed and cache-line aligned (see struct member). */
static struct member *
member_alloc(void)
{
	size_t size = (sizeof(struct member) + 63) & ~(size_t)63;
	struct member *m = aligned_alloc(64, size);

	if (m != NULL)
		memset(m, 0, size);
	return m;
}

struct member *
rumor__member_add(struct rumor_core *core, const struct wire_entry *e,
                  uint64_t now_ms)
{
	struct addr_slot *slot;
	struct member *m;

	if (core->members.count + 1 >= core->cfg.max_members)
		return NULL;
	slot = rumor__slot_get(core, &e->id.addr, true);
	if (slot == NULL || (m = member_alloc()) == NULL)
		return NULL;
	m->id = e->id;
	m->heartbeat = e->heartbeat;
	m->hops = e->hops < 255 ? e->hops + 1 : 255;
	m->status = RUMOR_STATUS_ALIVE;
	m->last_progress_ms = now_ms;
	m->status_since_ms = now_ms;
	m->fresh_level = -1;
	m->live_index = UINT32_MAX;
	m->dl_index = UINT32_MAX;
	m->slot = slot;
	m->ring_hash = rumor__id_hash(&m->id);
	if (rumor__index_insert(&core->members, m) != 0) {
		free(m);
		return NULL;
	}
	if (live_add(core, m) != 0) {
		rumor__index_remove(&core->members, m);
		free(m);
		return NULL;
	}
	fresh_push_tail(core, m, hop_level(m->hops));
	slot->current = m;
	reconnect_remove(core, slot);
	rumor__detector_note(core, m);
	return m;
}

void
rumor__member_delete(struct rumor_core *core, struct member *m)
{
	if (m->dissem)
		rumor__dissem_drop(core, m->dissem);
	rumor__detector_forget(core, m);
	fresh_unlink(core, m);
	live_remove(core, m);
	if (m->slot->current == m)
		m->slot->current = NULL;
	rumor__index_remove(&core->members, m);
	rumor__acc_clear(m);
	rumor__tags_drop(core, m);
	free(m);
}

void
rumor__member_set_status(struct rumor_core *core, struct member *m,
                         enum rumor_member_status status, uint64_t now_ms)
{
	m->status = status;
	m->status_since_ms = now_ms;
	rumor__detector_note(core, m);
	if (rumor__is_live(status))
		return;
	/* failed or left: no longer a target, and its heartbeat is not news */
	live_remove(core, m);
	fresh_unlink(core, m);
	if (status == RUMOR_STATUS_LEFT) {
		if (m->id.version > m->slot->left_version)
			m->slot->left_version = m->id.version;
		reconnect_remove(core, m->slot); /* it left: do not retry */
	} else if (m->id.version > m->slot->failed_version) {
		m->slot->failed_version = m->id.version;
	}
	rumor__slot_mark_dead(core, m->slot, m->id.version, now_ms,
	                      status == RUMOR_STATUS_FAILED);
}

void
rumor__member_progress(struct rumor_core *core, struct member *m,
                       uint64_t heartbeat, uint8_t hops, uint64_t now_ms)
{
	m->heartbeat = heartbeat;
	m->hops = hops;
	m->last_progress_ms = now_ms;
	if (m->fresh_level >= 0 && m->fresh_level != hop_level(hops)) {
		fresh_unlink(core, m);
		fresh_push_tail(core, m, hop_level(hops));
	}
}

void
rumor__member_to_entry(const struct member *m, struct wire_entry *e)
{
	e->id = m->id;
	e->heartbeat = m->heartbeat;
	e->status = (uint8_t)m->status;
	e->hops = m->hops;
	e->n_acc = 0;
	e->tags_ver = 0;
	e->tags = NULL;
	e->tags_len = 0;
	if (m->acc != NULL && m->status != RUMOR_STATUS_ALIVE &&
	    m->status != RUMOR_STATUS_LEFT) {
		e->n_acc = m->acc->n;
		memcpy(e->acc, m->acc->a, m->acc->n * sizeof(e->acc[0]));
	}
}

void
rumor__self_to_entry(const struct rumor_core *core, struct wire_entry *e)
{
	e->id = core->self_id;
	e->heartbeat = core->self_heartbeat;
	e->status = (uint8_t)core->self_status;
	e->hops = 0;
	e->n_acc = 0;
	e->tags_ver = 0;
	e->tags = NULL;
	e->tags_len = 0;
}
