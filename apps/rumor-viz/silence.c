/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz without ground truth: what the logs themselves show.
 *
 * A real cluster's logs have no crash lines (a SIGKILLed process writes
 * nothing). There a member is known to run at t only while its own log
 * goes on at or after t. When its log ends without stop/left while the
 * others keep logging for VIZ_SILENT_GRACE_MS and more, it is SILENT from
 * then on; the silence is an inference, drawn apart from ground truth,
 * and gets a detection span of its own measured from its last line (an
 * upper bound of the real detection time: the process died after it).
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "rumor/errors.h"

int64_t
viz_model_silent_from(const struct viz_model *m, uint32_t j)
{
	if (m->has_truth || j >= m->n_members)
		return VIZ_NEVER;
	const struct viz_member *me = &m->members[j];
	if (!me->logged || me->ended || me->last_ts == INT64_MIN)
		return VIZ_NEVER;
	int64_t need = me->last_ts + VIZ_SILENT_GRACE_MS;
	size_t i = viz_model_upper(m, need - 1);
	size_t k = viz_model_msg_lower(m, need);
	int64_t a = i < m->n_ev ? m->ev[i].ts : VIZ_NEVER;
	int64_t b = k < m->n_msgs ? m->msgs[k].t_send : VIZ_NEVER;
	return a < b ? a : b;
}

/* Truth of member j at ts now when the logs carry no ground truth. */
static enum viz_truth
inferred(const struct viz_model *m, uint32_t j, enum viz_truth t, int64_t now)
{
	const struct viz_member *me = &m->members[j];
	if (t == VIZ_T_UNSEEN) /* named by others, no log of its own */
		return !me->logged && me->n_about &&
		               m->ev[me->about[0]].ts <= now
		           ? VIZ_T_UNKNOWN
		           : VIZ_T_UNSEEN;
	if (t != VIZ_T_RUNNING || me->last_ts >= now)
		return t;
	return viz_model_silent_from(m, j) <= now ? VIZ_T_SILENT
	                                          : VIZ_T_UNKNOWN;
}

int
viz__truth_shown(struct viz_model *m)
{
	struct viz_state *s = &m->cur;
	if (!s->shown) {
		s->shown = malloc(s->cap ? s->cap : 1);
		if (!s->shown)
			return RUMOR_ENOMEM;
	}
	if (s->cap)
		memcpy(s->shown, s->truth, s->cap);
	if (m->has_truth)
		return 0;
	int64_t now = m->ts0 + m->cur_t;
	for (uint32_t j = 0; j < m->n_members && j < s->cap; j++)
		s->shown[j] = (uint8_t)inferred(m, j, s->truth[j], now);
	return 0;
}

static int
detects(const struct viz_event *e, int32_t j)
{
	return e->member == j &&
	       (e->ev == RUMOR_LOG_FAIL || e->ev == RUMOR_LOG_REMOVE);
}

/* Expected observers: logging at the member's last line and holding it
 * alive or suspect then. */
static int
silence_open(struct viz_model *m, struct viz_state *scratch, uint32_t j,
             struct viz_span *sp)
{
	const struct viz_member *me = &m->members[j];
	size_t at = viz_model_upper(m, me->last_ts);
	int err = viz__state_seek(m, scratch, at);
	if (err)
		return err;
	*sp = (struct viz_span){.member = (int32_t)j,
	                        .ev = VIZ_SPAN_SILENT,
	                        .ts = me->last_ts,
	                        .first_suspect = VIZ_NEVER,
	                        .first_detect = VIZ_NEVER,
	                        .last_detect = VIZ_NEVER,
	                        .latest = VIZ_NEVER,
	                        .n_watch = m->n_members};
	sp->watch = calloc(sp->n_watch ? sp->n_watch : 1, 1);
	if (!sp->watch)
		return RUMOR_ENOMEM;
	for (uint32_t o = 0; o < m->n_members; o++) {
		enum viz_belief b = viz_state_belief(scratch, o, j);
		if (o != j && scratch->truth[o] == VIZ_T_RUNNING &&
		    m->members[o].last_ts >= me->last_ts &&
		    (b == VIZ_B_ALIVE || b == VIZ_B_SUSPECT)) {
			sp->watch[o] = 1;
			sp->expected++;
		}
	}
	return 0;
}

/* Who noticed, and when; observers that stopped logging before they
 * noticed are not expected to. */
static void
silence_scan(const struct viz_model *m, uint32_t j, struct viz_span *sp)
{
	for (size_t i = viz_model_upper(m, sp->ts); i < m->n_ev; i++) {
		const struct viz_event *e = &m->ev[i];
		int32_t o = e->node;
		if (e->ev == RUMOR_LOG_SUSPECT && e->member == (int32_t)j &&
		    sp->first_suspect == VIZ_NEVER)
			sp->first_suspect = e->ts;
		if (o < 0 || sp->watch[o] != 1 || !detects(e, (int32_t)j))
			continue;
		sp->watch[o] = 2;
		sp->detected++;
		if (sp->first_detect == VIZ_NEVER)
			sp->first_detect = e->ts;
		sp->latest = e->ts;
	}
	for (uint32_t o = 0; o < sp->n_watch; o++)
		if (sp->watch[o] == 1 &&
		    (m->members[o].ended ||
		     viz_model_silent_from(m, o) != VIZ_NEVER)) {
			sp->watch[o] = 0;
			sp->expected--;
		}
	if (sp->detected && sp->detected == sp->expected)
		sp->last_detect = sp->latest;
}

static void
silence_clear(struct viz_model *m)
{
	for (size_t i = 0; i < m->n_silent; i++)
		free(m->silent[i].watch);
	free(m->silent);
	m->silent = NULL;
	m->n_silent = 0;
}

static int
silence_build(struct viz_model *m)
{
	struct viz_state scratch = {0};
	int err = 0;
	silence_clear(m);
	for (uint32_t j = 0; j < m->n_members && !err; j++) {
		if (viz_model_silent_from(m, j) == VIZ_NEVER)
			continue;
		void *p =
		    realloc(m->silent, (m->n_silent + 1) * sizeof(*m->silent));
		if (!p) {
			err = RUMOR_ENOMEM;
			break;
		}
		m->silent = p;
		struct viz_span *sp = &m->silent[m->n_silent];
		err = silence_open(m, &scratch, j, sp);
		if (!err) {
			silence_scan(m, j, sp);
			m->n_silent++;
		}
	}
	viz__state_destroy(&scratch);
	return err;
}

static int64_t
order_ts(const struct viz_model *m, size_t k)
{
	return k < m->n_spans ? m->spans[k].ts : m->silent[k - m->n_spans].ts;
}

/* Both lists are in ts order: merge them (ground truth first on ties). */
static int
order_build(struct viz_model *m)
{
	size_t n = m->n_spans + m->n_silent, a = 0, b = m->n_spans;
	size_t *p = realloc(m->span_order, (n ? n : 1) * sizeof(*p));
	if (!p)
		return RUMOR_ENOMEM;
	m->span_order = p;
	for (size_t k = 0; k < n; k++) {
		int take_a = a < m->n_spans &&
		             (b == n || order_ts(m, a) <= order_ts(m, b));
		p[k] = take_a ? a++ : b++;
	}
	m->n_span_order = n;
	return 0;
}

/* Open leave spans stop waiting for observers that went silent. */
static void
spans_drop_silent(struct viz_model *m)
{
	for (size_t i = 0; i < m->n_open;) {
		struct viz_span *sp = &m->spans[m->open_spans[i]];
		for (uint32_t o = 0; o < sp->n_watch; o++)
			if (sp->watch[o] == 1 &&
			    viz_model_silent_from(m, o) != VIZ_NEVER) {
				sp->watch[o] = 0;
				sp->expected--;
			}
		if (sp->detected == sp->expected) {
			sp->last_detect = sp->detected ? sp->latest : VIZ_NEVER;
			m->open_spans[i] = m->open_spans[--m->n_open];
		} else {
			i++;
		}
	}
}

int
viz__silence_refresh(struct viz_model *m)
{
	int rebuilt = 0;
	if (m->silent_n_ev != m->n_ev || m->silent_ts_last != m->ts_last) {
		int err = silence_build(m);
		if (err)
			return err;
		if (!m->has_truth)
			spans_drop_silent(m);
		m->silent_n_ev = m->n_ev;
		m->silent_ts_last = m->ts_last;
		rebuilt = 1;
	}
	if (rebuilt || m->n_span_order != m->n_spans + m->n_silent)
		return order_build(m);
	return 0;
}

size_t
viz_model_span_n(const struct viz_model *m)
{
	return m->n_span_order;
}

const struct viz_span *
viz_model_span(const struct viz_model *m, size_t k)
{
	size_t i = m->span_order[k];
	return i < m->n_spans ? &m->spans[i] : &m->silent[i - m->n_spans];
}
