/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz replay: applying events to a state, checkpoints, seeking.
 *
 * The build state follows the appended events; every ckpt_every events it
 * is copied into a checkpoint. A seek restores the nearest checkpoint at or
 * before the target and replays at most ckpt_every events, so going back
 * is as fast as going forward. When the checkpoints would exceed
 * ckpt_budget bytes (1,000 members make 1 MB each) every other one is
 * dropped and the spacing doubled.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "rumor/errors.h"

int
viz__state_reserve(struct viz_state *s, uint32_t n)
{
	if (n <= s->cap)
		return 0;
	uint32_t cap = s->cap ? s->cap : 64;
	while (cap < n)
		cap *= 2;
	uint8_t *belief = calloc((size_t)cap * cap, 1);
	uint8_t *truth = calloc(cap, 1);
	uint64_t *hb = calloc(cap, sizeof(*hb));
	if (!belief || !truth || !hb) {
		free(belief);
		free(truth);
		free(hb);
		return RUMOR_ENOMEM;
	}
	for (uint32_t o = 0; o < s->cap; o++)
		memcpy(belief + (size_t)o * cap, s->belief + (size_t)o * s->cap,
		       s->cap);
	if (s->cap) {
		memcpy(truth, s->truth, s->cap);
		memcpy(hb, s->heartbeat, s->cap * sizeof(*hb));
	}
	viz__state_destroy(s);
	s->belief = belief;
	s->truth = truth;
	s->heartbeat = hb;
	s->cap = cap;
	s->version++;
	return 0;
}

void
viz__state_destroy(struct viz_state *s)
{
	free(s->belief);
	free(s->truth);
	free(s->heartbeat);
	free(s->shown);
	s->shown = NULL;
	s->belief = s->truth = NULL;
	s->heartbeat = NULL;
	s->cap = 0;
}

static void
set_belief(struct viz_state *s, int32_t o, int32_t j, enum viz_belief b)
{
	if (o < 0 || j < 0)
		return;
	s->belief[(size_t)o * s->cap + (size_t)j] = (uint8_t)b;
}

/* An observer that writes anything is up, unless it already ended. */
static void
mark_up(struct viz_state *s, int32_t o)
{
	if (o >= 0 && s->truth[o] == VIZ_T_UNSEEN)
		s->truth[o] = VIZ_T_RUNNING;
}

void
viz__state_apply(struct viz_state *s, const struct viz_event *e)
{
	int32_t o = e->node, j = e->member;
	mark_up(s, o);
	/* a new version at the same address: the old process is gone */
	if (e->replaces >= 0 && s->truth[e->replaces] == VIZ_T_RUNNING)
		s->truth[e->replaces] = VIZ_T_STOPPED;
	switch ((enum rumor_log_ev)e->ev) {
	case RUMOR_LOG_START:
	case RUMOR_LOG_JOINED:
		if (o >= 0)
			s->truth[o] = VIZ_T_RUNNING;
		set_belief(s, o, o, VIZ_B_ALIVE);
		break;
	case RUMOR_LOG_JOIN:
	case RUMOR_LOG_ALIVE:
		set_belief(s, o, j, VIZ_B_ALIVE);
		break;
	case RUMOR_LOG_SUSPECT:
		set_belief(s, o, j, VIZ_B_SUSPECT);
		break;
	case RUMOR_LOG_FAIL:
		set_belief(s, o, j, VIZ_B_FAILED);
		break;
	case RUMOR_LOG_LEAVE:
		set_belief(s, o, j, VIZ_B_LEFT);
		break;
	case RUMOR_LOG_REMOVE:
		set_belief(s, o, j, VIZ_B_REMOVED);
		break;
	case RUMOR_LOG_LEFT:
		if (o >= 0)
			s->truth[o] = VIZ_T_LEFT;
		set_belief(s, o, o, VIZ_B_LEFT);
		break;
	case RUMOR_LOG_STOP:
		if (o >= 0 && s->truth[o] == VIZ_T_RUNNING)
			s->truth[o] = VIZ_T_STOPPED;
		break;
	case RUMOR_LOG_CRASH:
		if (j >= 0)
			s->truth[j] = VIZ_T_CRASHED;
		break;
	case RUMOR_LOG_RESTART:
		if (j >= 0)
			s->truth[j] = VIZ_T_RUNNING;
		break;
	default:
		break;
	}
	if (j >= 0 && e->has_heartbeat && e->heartbeat > s->heartbeat[j])
		s->heartbeat[j] = e->heartbeat;
	s->version++;
}

static size_t
ckpt_size(uint32_t n)
{
	return (size_t)n * n + n + (size_t)n * sizeof(uint64_t);
}

static void
ckpt_free(struct viz_ckpt *c)
{
	free(c->truth);
	free(c->belief);
	free(c->heartbeat);
}

void
viz__ckpts_destroy(struct viz_model *m)
{
	for (size_t i = 0; i < m->n_ckpts; i++)
		ckpt_free(&m->ckpts[i]);
	free(m->ckpts);
	m->ckpts = NULL;
	m->n_ckpts = m->ckpts_cap = 0;
}

/* Keep every other checkpoint and double the spacing. */
static void
ckpts_thin(struct viz_model *m)
{
	size_t k = 0;
	for (size_t i = 0; i < m->n_ckpts; i++) {
		if (i % 2 == 0) {
			m->ckpt_bytes -= ckpt_size(m->ckpts[i].n);
			ckpt_free(&m->ckpts[i]);
		} else {
			m->ckpts[k++] = m->ckpts[i];
		}
	}
	m->n_ckpts = k;
	m->ckpt_every *= 2;
}

static int
ckpt_take(struct viz_model *m)
{
	const struct viz_state *s = &m->build;
	uint32_t n = m->n_members;
	while (m->n_ckpts && m->ckpt_bytes + ckpt_size(n) > m->ckpt_budget)
		ckpts_thin(m);
	if (m->n_ckpts == m->ckpts_cap) {
		size_t cap = m->ckpts_cap ? m->ckpts_cap * 2 : 64;
		void *p = realloc(m->ckpts, cap * sizeof(*m->ckpts));
		if (!p)
			return RUMOR_ENOMEM;
		m->ckpts = p;
		m->ckpts_cap = cap;
	}
	struct viz_ckpt c = {.next = s->next, .n = n};
	c.truth = malloc(n ? n : 1);
	c.belief = malloc(n ? (size_t)n * n : 1);
	c.heartbeat = malloc(n ? n * sizeof(uint64_t) : 1);
	if (!c.truth || !c.belief || !c.heartbeat) {
		ckpt_free(&c);
		return RUMOR_ENOMEM;
	}
	memcpy(c.truth, s->truth, n);
	memcpy(c.heartbeat, s->heartbeat, n * sizeof(uint64_t));
	for (uint32_t o = 0; o < n; o++)
		memcpy(c.belief + (size_t)o * n, s->belief + (size_t)o * s->cap,
		       n);
	m->ckpts[m->n_ckpts++] = c;
	m->ckpt_bytes += ckpt_size(n);
	return 0;
}

int
viz__build_advance(struct viz_model *m)
{
	const struct viz_event *e = &m->ev[m->n_ev - 1];
	viz__state_apply(&m->build, e);
	m->build.next = m->n_ev;
	int err = viz__spans_on_event(m, e, &m->build);
	if (err)
		return err;
	size_t last = m->n_ckpts ? m->ckpts[m->n_ckpts - 1].next : 0;
	if (m->build.next - last >= m->ckpt_every)
		return ckpt_take(m);
	return 0;
}

static void
state_restore(struct viz_state *s, const struct viz_ckpt *c)
{
	memset(s->belief, 0, (size_t)s->cap * s->cap);
	memset(s->truth, 0, s->cap);
	memset(s->heartbeat, 0, s->cap * sizeof(uint64_t));
	s->next = 0;
	if (c) {
		memcpy(s->truth, c->truth, c->n);
		memcpy(s->heartbeat, c->heartbeat, c->n * sizeof(uint64_t));
		for (uint32_t o = 0; o < c->n; o++)
			memcpy(s->belief + (size_t)o * s->cap,
			       c->belief + (size_t)o * c->n, c->n);
		s->next = c->next;
	}
	s->version++;
}

/* Last checkpoint with next <= target, or NULL. */
static const struct viz_ckpt *
ckpt_find(const struct viz_model *m, size_t target)
{
	size_t lo = 0, hi = m->n_ckpts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->ckpts[mid].next <= target)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &m->ckpts[lo - 1] : NULL;
}

int
viz__state_seek(struct viz_model *m, struct viz_state *s, size_t target)
{
	int err = viz__state_reserve(s, m->n_members);
	if (err)
		return err;
	const struct viz_ckpt *c = ckpt_find(m, target);
	size_t from = c ? c->next : 0;
	if (target < s->next || from > s->next)
		state_restore(s, c);
	for (; s->next < target; s->next++)
		viz__state_apply(s, &m->ev[s->next]);
	return 0;
}

int
viz_model_seek(struct viz_model *m, int64_t t)
{
	uint32_t cap = m->cur.cap;
	int err = viz__state_seek(m, &m->cur, viz_model_upper(m, m->ts0 + t));
	if (err)
		return err;
	if (cap != m->cur.cap) { /* regrown: the shown truth too */
		free(m->cur.shown);
		m->cur.shown = NULL;
	}
	m->cur_t = t;
	err = viz__silence_refresh(m);
	if (!err)
		err = viz__slots_current(m, &m->cur);
	return err ? err : viz__truth_shown(m);
}

uint32_t
viz_state_opinions(const struct viz_model *m, const struct viz_state *s,
                   uint32_t j, uint32_t counts[VIZ_B_MAX])
{
	uint32_t n = 0, lim = m->n_members < s->cap ? m->n_members : s->cap;
	memset(counts, 0, VIZ_B_MAX * sizeof(counts[0]));
	for (uint32_t o = 0; o < lim; o++) {
		if (o == j || viz_state_truth(s, o) != VIZ_T_RUNNING)
			continue;
		counts[s->belief[(size_t)o * s->cap + j]]++;
		n++;
	}
	return n;
}
