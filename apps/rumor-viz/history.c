/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz history: each member's own latest line (for "silent since
 * ..."), the events by or about each member (for the panel), and the path a
 * belief took from member to member, read from the events' "from" fields.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "rumor/errors.h"

/* Member o's own latest line, for "silent since ..." */
void
viz__note_line(struct viz_model *m, int32_t o,
               const struct rumor_log_record *rec, int32_t peer)
{
	if (o < 0)
		return;
	struct viz_member *me = &m->members[o];
	/* its first line: whoever named it earlier has a clock behind */
	if (me->last_ts == INT64_MIN && me->n_about) {
		const struct viz_event *e = &m->ev[me->about[0]];
		if (e->node >= 0 && e->node != o)
			viz__skew_note(m, o, e->node, rec->ts - e->ts,
			               "named before its first line");
	}
	me->last_ts = rec->ts;
	me->last_line =
	    rec->line > UINT32_MAX ? UINT32_MAX : (uint32_t)rec->line;
	me->last_file = viz__file_index(m, rec->file);
	me->last_ev = (uint8_t)rec->ev;
	me->last_peer = peer;
	if (rec->ev == RUMOR_LOG_STOP || rec->ev == RUMOR_LOG_LEFT)
		me->ended = 1;
}

/* Event i goes into the history of its member (or of its writer). */
int
viz__about_add(struct viz_model *m, size_t i)
{
	const struct viz_event *e = &m->ev[i];
	int32_t j = e->member >= 0 ? e->member : e->node;
	if (j < 0 || i > UINT32_MAX)
		return 0;
	struct viz_member *me = &m->members[j];
	if (me->n_about == me->about_cap) {
		uint32_t cap = me->about_cap ? me->about_cap * 2 : 16;
		void *p = realloc(me->about, cap * sizeof(*me->about));
		if (!p)
			return RUMOR_ENOMEM;
		me->about = p;
		me->about_cap = cap;
	}
	me->about[me->n_about++] = (uint32_t)i;
	return 0;
}

/* Index into j's history of the first event with index >= upto. */
static uint32_t
about_upper(const struct viz_member *me, size_t upto)
{
	uint32_t lo = 0, hi = me->n_about;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (me->about[mid] < upto)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
viz_model_member_events(const struct viz_model *m, uint32_t j, size_t upto,
                        const struct viz_event **out, size_t max)
{
	if (j >= m->n_members)
		return 0;
	const struct viz_member *me = &m->members[j];
	size_t n = 0;
	for (uint32_t k = about_upper(me, upto); k-- > 0 && n < max;)
		out[n++] = &m->ev[me->about[k]];
	return n;
}

/* The belief an event leaves its observer with (UNKNOWN: none). */
static enum viz_belief
belief_of(const struct viz_event *e)
{
	switch ((enum rumor_log_ev)e->ev) {
	case RUMOR_LOG_JOIN:
	case RUMOR_LOG_ALIVE:
		return VIZ_B_ALIVE;
	case RUMOR_LOG_SUSPECT:
		return VIZ_B_SUSPECT;
	case RUMOR_LOG_FAIL:
		return VIZ_B_FAILED;
	case RUMOR_LOG_LEAVE:
		return VIZ_B_LEFT;
	case RUMOR_LOG_REMOVE:
		return VIZ_B_REMOVED;
	default:
		return VIZ_B_UNKNOWN;
	}
}

/*
 * Latest event of observer o about member j before history position k
 * (exclusive) that leaves o believing b (any belief when b is UNKNOWN).
 */
static const struct viz_event *
find_back(const struct viz_model *m, const struct viz_member *mj, uint32_t k,
          int32_t o, enum viz_belief b)
{
	while (k-- > 0) {
		const struct viz_event *e = &m->ev[mj->about[k]];
		enum viz_belief eb = belief_of(e);
		if (e->node == o && eb != VIZ_B_UNKNOWN &&
		    (b == VIZ_B_UNKNOWN || eb == b))
			return e;
	}
	return NULL;
}

/* The same, forward from position k (the teller logged it later than
 * the listener: their clocks disagree). */
static const struct viz_event *
find_forward(const struct viz_model *m, const struct viz_member *mj, uint32_t k,
             int32_t o, enum viz_belief b)
{
	for (; k < mj->n_about; k++) {
		const struct viz_event *e = &m->ev[mj->about[k]];
		if (e->node == o && belief_of(e) == b)
			return e;
	}
	return NULL;
}

size_t
viz_model_belief_path(const struct viz_model *m, int64_t t, uint32_t o,
                      uint32_t j, struct viz_hop *hops, size_t max)
{
	if (o >= m->n_members || j >= m->n_members || !max)
		return 0;
	const struct viz_member *mj = &m->members[j];
	uint32_t k = about_upper(mj, viz_model_upper(m, m->ts0 + t));
	const struct viz_event *e =
	    find_back(m, mj, k, (int32_t)o, VIZ_B_UNKNOWN);
	size_t n = 0;
	while (e && n < max) {
		hops[n++] = (struct viz_hop){e, 0};
		int32_t f = e->from;
		/* the origin: own detector, the member itself, or unknown */
		if (f < 0 || f == e->node || f == (int32_t)j)
			break;
		enum viz_belief b = belief_of(e);
		uint32_t pos = about_upper(mj, (size_t)(e - m->ev));
		const struct viz_event *next = find_back(m, mj, pos, f, b);
		if (!next) {
			next = find_forward(m, mj, pos, f, b);
			if (next)
				hops[n - 1].skew = 1;
		}
		/* a loop would mean a corrupt log; stop at the first repeat */
		for (size_t i = 0; next && i < n; i++)
			if (hops[i].e == next)
				next = NULL;
		e = next;
	}
	return n;
}
