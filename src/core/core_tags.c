/* SPDX-License-Identifier: MIT */
/*
 * Member tags in the core: each member's encoded tags (rumor/tags.h) with a
 * version that only its member raises, by one per change. Merge rule: a
 * received entry's tags replace ours when their version is greater; equal
 * or smaller versions are ignored, so the newest tags win whatever order
 * the messages arrive in. Tags are independent of the heartbeat and of
 * suspicion: a refutation or a suspicion never touches them, and a member
 * that takes a new version (a forced rejoin) keeps its tags and their
 * version (its new id is a new member to the others).
 *
 * Spreading: a change is news (dissem.c) whose entry carries the tags; it
 * also enters the anti-entropy digest (sync.c), so a member that missed the
 * news differs in digest and gets the tags by the next sync. Heartbeats and
 * the freshness part of gossip never carry tags.
 */
#include <stdlib.h>
#include <string.h>

#include "core_internal.h"
#include "rumor/tags.h"

uint64_t
rumor__tags_term(uint64_t ring_hash, uint64_t tags_ver)
{
	/* splitmix64's finalizer (Steele, Lea, Flood, OOPSLA 2014) */
	uint64_t z = ring_hash ^ (tags_ver * 0x9e3779b97f4a7c15ull);

	if (tags_ver == 0)
		return 0;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Copy len bytes into *dst (freed first); NULL for 0 bytes. */
static int
copy_tags(uint8_t **dst, const uint8_t *src, size_t len)
{
	uint8_t *p = NULL;

	if (len > 0 && (p = malloc(len)) == NULL)
		return RUMOR_ENOMEM;
	if (len > 0)
		memcpy(p, src, len);
	free(*dst);
	*dst = p;
	return 0;
}

bool
rumor__tags_adopt(struct rumor_core *core, struct member *m,
                  const struct wire_entry *e)
{
	bool live = m->live_index != UINT32_MAX;

	if (e->tags_ver <= m->tags_ver || !rumor__is_live(m->status) ||
	    copy_tags(&m->tags, e->tags, e->tags_len) != 0)
		return false;
	if (live)
		core->live_digest ^=
		    rumor__tags_term(m->ring_hash, m->tags_ver) ^
		    rumor__tags_term(m->ring_hash, e->tags_ver);
	core->tags_bytes += e->tags_len;
	core->tags_bytes -= m->tags_len;
	m->tags_len = e->tags_len;
	m->tags_ver = e->tags_ver;
	return true;
}

void
rumor__tags_merge(struct rumor_core *core, struct member *m,
                  const struct wire_entry *e, enum rumor_via via)
{
	if (e->tags_ver == 0 || !rumor__tags_adopt(core, m, e))
		return;
	rumor__emit_member(core, RUMOR_EV_UPDATE, m, via);
	rumor__dissem_push_tags(core, m);
}

void
rumor__tags_drop(struct rumor_core *core, struct member *m)
{
	core->tags_bytes -= m->tags_len;
	free(m->tags);
	m->tags = NULL;
	m->tags_len = 0;
}

void
rumor__member_to_entry_tags(const struct member *m, struct wire_entry *e)
{
	rumor__member_to_entry(m, e);
	e->tags_ver = m->tags_ver;
	e->tags = m->tags;
	e->tags_len = m->tags_len;
}

void
rumor__self_to_entry_tags(const struct rumor_core *core, struct wire_entry *e)
{
	rumor__self_to_entry(core, e);
	e->tags_ver = core->self_tags_ver;
	e->tags = core->self_tags;
	e->tags_len = core->self_tags_len;
}

void
rumor__emit_member(struct rumor_core *core, enum rumor_event_kind kind,
                   const struct member *m, enum rumor_via via)
{
	rumor__emit_tags(core, kind, &m->id, via, m->heartbeat, m->tags,
	                 m->tags_len, m->tags_ver);
}

size_t
rumor_core_tags_max(const struct rumor_core *core)
{
	size_t room = core->cfg.mtu_bytes - WIRE_HEADER_MAX_BYTES -
	              WIRE_ENTRY_MAX_BYTES - WIRE_TAGS_OVERHEAD;

	return core->cfg.tags_max_bytes < room ? core->cfg.tags_max_bytes
	                                       : room;
}

int
rumor_core_set_tags(struct rumor_core *core, const uint8_t *tags, size_t len)
{
	int rc;

	if (core->state == RUMOR_STATE_LEFT ||
	    core->state == RUMOR_STATE_LEAVING)
		return RUMOR_ESTATE;
	if (rumor_tags_validate(tags, len) != 0)
		return RUMOR_EINVAL;
	if (len > rumor_core_tags_max(core))
		return RUMOR_E2BIG;
	if (core->self_tags_ver != 0 && len == core->self_tags_len &&
	    (len == 0 || memcmp(tags, core->self_tags, len) == 0))
		return 0;
	if ((rc = copy_tags(&core->self_tags, tags, len)) != 0)
		return rc;
	core->self_tags_len = (uint32_t)len;
	core->self_tags_ver++;
	if (core->state != RUMOR_STATE_ACTIVE)
		return 0; /* the join request carries them */
	rumor__emit_tags(core, RUMOR_EV_UPDATE, &core->self_id, RUMOR_VIA_SELF,
	                 core->self_heartbeat, core->self_tags,
	                 core->self_tags_len, core->self_tags_ver);
	return rumor__dissem_push_self_tags(core);
}

const uint8_t *
rumor_core_tags(const struct rumor_core *core, size_t *len, uint64_t *version)
{
	*len = core->self_tags_len;
	*version = core->self_tags_ver;
	return core->self_tags;
}
