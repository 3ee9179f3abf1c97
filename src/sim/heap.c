/* SPDX-License-Identifier: MIT */
/* Binary min-heap of simulator events ordered by (at_ms, seq). */
#include <stdlib.h>

#include "rumor/errors.h"

#include "heap.h"

static inline int
ev_before(const struct sim_event *a, const struct sim_event *b)
{
	if (a->at_ms != b->at_ms)
		return a->at_ms < b->at_ms;
	return a->seq < b->seq;
}

void
rumor__sim_heap_init(struct sim_heap *h)
{
	h->ev = NULL;
	h->len = h->cap = 0;
	h->next_seq = 0;
}

void
rumor__sim_heap_destroy(struct sim_heap *h)
{
	free(h->ev);
	rumor__sim_heap_init(h);
}

int
rumor__sim_heap_push(struct sim_heap *h, const struct sim_event *ev)
{
	if (h->len == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 1024;
		struct sim_event *n = realloc(h->ev, cap * sizeof(*n));

		if (!n)
			return RUMOR_ENOMEM;
		h->ev = n;
		h->cap = cap;
	}
	struct sim_event e = *ev;
	size_t i = h->len++;

	e.seq = h->next_seq++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!ev_before(&e, &h->ev[parent]))
			break;
		h->ev[i] = h->ev[parent];
		i = parent;
	}
	h->ev[i] = e;
	return 0;
}

int
rumor__sim_heap_pop(struct sim_heap *h, struct sim_event *out)
{
	if (!h->len)
		return 0;
	*out = h->ev[0];
	struct sim_event last = h->ev[--h->len];
	size_t i = 0, n = h->len;

	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= n)
			break;
		if (child + 1 < n &&
		    ev_before(&h->ev[child + 1], &h->ev[child]))
			child++;
		if (!ev_before(&h->ev[child], &last))
			break;
		h->ev[i] = h->ev[child];
		i = child;
	}
	if (n)
		h->ev[i] = last;
	return 1;
}
