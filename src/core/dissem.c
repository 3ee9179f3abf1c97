/* SPDX-License-Identifier: MIT */
/*
 * Dissemination (piggybacking) of status changes: joins, suspicions,
 * refutations, failures and leaves. Each piece of news is one item naming a
 * member; what is sent is that member's state at send time, so newer news
 * about the same member simply replaces the old (its count restarts).
 * Items are sent fewest-transmissions-first and dropped after
 * retransmit_mult * ceil(log2(N + 1)) transmissions: SWIM's infection-style
 * dissemination (Das, Gupta, Motivala, DSN 2002, section 4.1), which reaches
 * every member with high probability in O(log N) rounds.
 *
 * Items live in one list per transmit count, so picking the next item and
 * counting a transmission are O(1).
 */
#include <stdlib.h>

#include "core_internal.h"

uint32_t
rumor__dissem_limit(const struct rumor_core *core)
{
	uint32_t n = core->members.count + 1, log2n = 0;

	while ((1u << log2n) < n + 1 && log2n < 31)
		log2n++; /* ceil(log2(n + 1)) */
	uint32_t limit = core->cfg.retransmit_mult * (log2n ? log2n : 1);
	return limit < DISSEM_MAX_TRANSMITS ? limit : DISSEM_MAX_TRANSMITS;
}

static void
list_unlink(struct rumor_core *core, struct dissem_item *it)
{
	uint32_t t = it->transmits;

	if (it->prev)
		it->prev->next = it->next;
	else
		core->dissem_head[t] = it->next;
	if (it->next)
		it->next->prev = it->prev;
	else
		core->dissem_tail[t] = it->prev;
	it->prev = it->next = NULL;
}

static void
list_append(struct rumor_core *core, struct dissem_item *it)
{
	uint32_t t = it->transmits;

	it->next = NULL;
	it->prev = core->dissem_tail[t];
	if (core->dissem_tail[t])
		core->dissem_tail[t]->next = it;
	else
		core->dissem_head[t] = it;
	core->dissem_tail[t] = it;
}

/* Put (or put back) an item at count 0: it is fresh news again. */
static int
push(struct rumor_core *core, struct dissem_item **slot, struct member *m,
     bool is_self)
{
	struct dissem_item *it = *slot;

	if (it != NULL) {
		list_unlink(core, it);
	} else {
		it = calloc(1, sizeof(*it));
		if (it == NULL)
			return RUMOR_ENOMEM;
		it->member = m;
		it->is_self = is_self;
		*slot = it;
		core->n_dissem++;
	}
	it->transmits = 0;
	list_append(core, it);
	return 0;
}

int
rumor__dissem_push(struct rumor_core *core, struct member *m)
{
	return push(core, &m->dissem, m, false);
}

int
rumor__dissem_push_self(struct rumor_core *core)
{
	return push(core, &core->self_dissem, NULL, true);
}

/* A tags item stays one until it is dropped: later status news about the
 * member restarts its count and still carries the tags. */
int
rumor__dissem_push_tags(struct rumor_core *core, struct member *m)
{
	int rc = push(core, &m->dissem, m, false);

	if (rc == 0)
		m->dissem->tags = m->tags_ver != 0;
	return rc;
}

int
rumor__dissem_push_self_tags(struct rumor_core *core)
{
	int rc = push(core, &core->self_dissem, NULL, true);

	if (rc == 0)
		core->self_dissem->tags = core->self_tags_ver != 0;
	return rc;
}

void
rumor__dissem_drop(struct rumor_core *core, struct dissem_item *it)
{
	list_unlink(core, it);
	if (it->is_self)
		core->self_dissem = NULL;
	else
		it->member->dissem = NULL;
	core->n_dissem--;
	free(it);
}

struct dissem_item *
rumor__dissem_first(struct rumor_core *core)
{
	for (uint32_t t = 0; t < DISSEM_MAX_TRANSMITS; t++)
		if (core->dissem_head[t])
			return core->dissem_head[t];
	return NULL;
}

struct dissem_item *
rumor__dissem_next(struct rumor_core *core, struct dissem_item *it)
{
	if (it->next)
		return it->next;
	for (uint32_t t = it->transmits + 1; t < DISSEM_MAX_TRANSMITS; t++)
		if (core->dissem_head[t])
			return core->dissem_head[t];
	return NULL;
}

void
rumor__dissem_sent(struct rumor_core *core, struct dissem_item *it)
{
	list_unlink(core, it);
	it->transmits++;
	if (it->transmits >= rumor__dissem_limit(core)) {
		it->transmits--; /* list_unlink in drop uses the count */
		list_append(core, it);
		rumor__dissem_drop(core, it);
		return;
	}
	list_append(core, it);
}
