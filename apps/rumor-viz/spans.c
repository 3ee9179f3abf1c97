/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz detection spans: for every crash (ground-truth "crash" line) and
 * every voluntary leave (the member's own "left" line), when it happened,
 * the first suspicion, the first detection (fail, or leave for a leave) and
 * the moment the last expected observer noticed.
 *
 * Expected observers are the members that were running at that moment and
 * had the member in their list (alive or suspect). One that stops, leaves
 * or crashes before noticing is no longer expected. When all expected
 * observers have noticed, last_detect is the latest of their detections.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "rumor/errors.h"

static int detects(const struct viz_span *sp, const struct viz_event *e);

/*
 * Lines of one millisecond come in file order, so an observer's leave
 * line can precede the leaver's own left line of the same ms: such an
 * observer was expected too, and noticed at once.
 */
static void
same_ms_detections(const struct viz_model *m, const struct viz_event *e,
                   const struct viz_state *s, struct viz_span *sp)
{
	for (size_t i = m->n_ev - 1; i-- > 0 && m->ev[i].ts == e->ts;) {
		const struct viz_event *x = &m->ev[i];
		int32_t o = x->node;
		if (o < 0 || o == sp->member || (uint32_t)o >= sp->n_watch ||
		    sp->watch[o] || s->truth[o] != VIZ_T_RUNNING ||
		    !detects(sp, x))
			continue;
		sp->watch[o] = 2;
		sp->expected++;
		sp->detected++;
		sp->first_detect = sp->latest = x->ts;
	}
}

static int
span_open(struct viz_model *m, const struct viz_event *e, int32_t member,
          const struct viz_state *s)
{
	if (member < 0)
		return 0;
	if (m->n_spans == m->spans_cap) {
		size_t cap = m->spans_cap ? m->spans_cap * 2 : 16;
		void *p = realloc(m->spans, cap * sizeof(*m->spans));
		if (!p)
			return RUMOR_ENOMEM;
		m->spans = p;
		m->spans_cap = cap;
	}
	if (m->n_open == m->open_cap) {
		size_t cap = m->open_cap ? m->open_cap * 2 : 16;
		void *p = realloc(m->open_spans, cap * sizeof(*m->open_spans));
		if (!p)
			return RUMOR_ENOMEM;
		m->open_spans = p;
		m->open_cap = cap;
	}
	struct viz_span sp = {
	    .member = member,
	    .ev = e->ev,
	    .ts = e->ts,
	    .first_suspect = VIZ_NEVER,
	    .first_detect = VIZ_NEVER,
	    .last_detect = VIZ_NEVER,
	    .latest = VIZ_NEVER,
	    .n_watch = m->n_members,
	};
	sp.watch = calloc(sp.n_watch ? sp.n_watch : 1, 1);
	if (!sp.watch)
		return RUMOR_ENOMEM;
	for (uint32_t o = 0; o < sp.n_watch; o++) {
		enum viz_belief b = viz_state_belief(s, o, (uint32_t)member);
		if ((int32_t)o != member && s->truth[o] == VIZ_T_RUNNING &&
		    (b == VIZ_B_ALIVE || b == VIZ_B_SUSPECT)) {
			sp.watch[o] = 1;
			sp.expected++;
		}
	}
	same_ms_detections(m, e, s, &sp);
	m->spans[m->n_spans] = sp;
	if (sp.expected > sp.detected)
		m->open_spans[m->n_open++] = m->n_spans;
	else if (sp.expected)
		sp.last_detect = sp.latest;
	m->spans[m->n_spans] = sp;
	m->n_spans++;
	return 0;
}

static int
detects(const struct viz_span *sp, const struct viz_event *e)
{
	if (e->member != sp->member || e->ts < sp->ts)
		return 0;
	switch (e->ev) {
	case RUMOR_LOG_FAIL:
	case RUMOR_LOG_REMOVE:
		return 1;
	case RUMOR_LOG_LEAVE:
		return sp->ev == RUMOR_LOG_LEFT;
	default:
		return 0;
	}
}

/* The observer whose truth this event may end, or -1. */
static int32_t
ended_observer(const struct viz_event *e, const struct viz_state *s)
{
	int32_t o = -1;
	if (e->ev == RUMOR_LOG_LEFT || e->ev == RUMOR_LOG_STOP)
		o = e->node;
	else if (e->ev == RUMOR_LOG_CRASH)
		o = e->member;
	else if (e->replaces >= 0)
		o = e->replaces;
	if (o < 0 || s->truth[o] == VIZ_T_RUNNING)
		return -1;
	return o;
}

/* Update one open span; returns 1 when it is complete. */
static int
span_update(struct viz_span *sp, const struct viz_event *e, int32_t ended)
{
	int32_t o = e->node;
	if (e->ev == RUMOR_LOG_SUSPECT && e->member == sp->member &&
	    sp->first_suspect == VIZ_NEVER)
		sp->first_suspect = e->ts;
	if (o >= 0 && (uint32_t)o < sp->n_watch && sp->watch[o] == 1 &&
	    detects(sp, e)) {
		sp->watch[o] = 2;
		sp->detected++;
		if (sp->first_detect == VIZ_NEVER)
			sp->first_detect = e->ts;
		sp->latest = e->ts;
	}
	if (ended >= 0 && (uint32_t)ended < sp->n_watch &&
	    sp->watch[ended] == 1) {
		sp->watch[ended] = 0;
		sp->expected--;
	}
	return sp->detected == sp->expected;
}

/* A restart (crash and restart lines at one ts): the crashed version's
 * span says so. */
static void
mark_restart(struct viz_model *m, const struct viz_event *e)
{
	uint32_t slot = m->members[e->member].slot;
	for (size_t i = m->n_spans; i-- > 0 && m->spans[i].ts == e->ts;)
		if (m->spans[i].ev == RUMOR_LOG_CRASH &&
		    m->members[m->spans[i].member].slot == slot)
			m->spans[i].restart = 1;
}

int
viz__spans_on_event(struct viz_model *m, const struct viz_event *e,
                    const struct viz_state *after)
{
	int32_t ended = ended_observer(e, after);
	for (size_t i = 0; i < m->n_open;) {
		struct viz_span *sp = &m->spans[m->open_spans[i]];
		if (span_update(sp, e, ended)) {
			sp->last_detect = sp->detected ? sp->latest : VIZ_NEVER;
			m->open_spans[i] = m->open_spans[--m->n_open];
		} else {
			i++;
		}
	}
	if (e->ev == RUMOR_LOG_RESTART && e->member >= 0)
		mark_restart(m, e);
	if (e->ev == RUMOR_LOG_CRASH)
		return span_open(m, e, e->member, after);
	if (e->ev == RUMOR_LOG_LEFT)
		return span_open(m, e, e->node, after);
	return 0;
}

uint32_t
viz_span_pending(const struct viz_model *m, const struct viz_span *sp,
                 const struct viz_state *s)
{
	uint32_t n = 0, lim = sp->n_watch < s->cap ? sp->n_watch : s->cap;
	(void)m;
	for (uint32_t o = 0; o < lim; o++) {
		if (!sp->watch[o] || viz_state_truth(s, o) != VIZ_T_RUNNING)
			continue;
		enum viz_belief b =
		    viz_state_belief(s, o, (uint32_t)sp->member);
		if (b == VIZ_B_ALIVE || b == VIZ_B_SUSPECT)
			n++;
	}
	return n;
}
