/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz model: members, the event array, appending records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uthash.h>

#include "model_internal.h"
#include "rumor/errors.h"
#include "rumor/tags.h"

const char *
viz_via_name(const struct viz_model *m, uint8_t via)
{
	return via < m->n_vias ? m->vias[via] : "?";
}

/* Index of a "via" string; the table keeps the first 31, then "?". */
static uint8_t
via_code(struct viz_model *m, const char *via)
{
	for (unsigned i = 0; i < m->n_vias; i++)
		if (strcmp(via, m->vias[i]) == 0)
			return (uint8_t)i;
	if (m->n_vias == sizeof(m->vias) / sizeof(m->vias[0]))
		return (uint8_t)m->n_vias;
	snprintf(m->vias[m->n_vias], sizeof(m->vias[0]), "%s", via);
	return (uint8_t)m->n_vias++;
}

const char *
viz_truth_name(enum viz_truth t)
{
	static const char *const names[] = {"unseen",  "running", "left",
	                                    "stopped", "crashed", "silent",
	                                    "unknown"};
	return (unsigned)t < VIZ_T_MAX ? names[t] : "?";
}

const char *
viz_belief_name(enum viz_belief b)
{
	static const char *const names[] = {"unknown", "alive", "suspect",
	                                    "failed",  "left",  "removed"};
	return (unsigned)b < VIZ_B_MAX ? names[b] : "?";
}

int
viz_model_init(struct viz_model *m, const char *const *files, size_t n_files)
{
	memset(m, 0, sizeof(*m));
	m->ckpt_every = 1024;
	m->ckpt_budget = (size_t)192 << 20;
	strcpy(m->kinds[0], "?");
	m->n_kinds = 1;
	m->n_vias = 1; /* vias[0] = "": none */
	if (n_files > UINT16_MAX)
		return RUMOR_EINVAL;
	m->files = calloc(n_files ? n_files : 1, sizeof(char *));
	if (!m->files)
		return RUMOR_ENOMEM;
	for (size_t i = 0; i < n_files; i++) {
		m->files[i] = strdup(files[i]);
		if (!m->files[i])
			return RUMOR_ENOMEM;
		m->n_files++;
	}
	return 0;
}

void
viz_model_destroy(struct viz_model *m)
{
	struct viz_member_ix *e, *tmp;
	HASH_ITER(hh, m->member_ix, e, tmp)
	{
		HASH_DEL(m->member_ix, e);
		free(e);
	}
	HASH_ITER(hh, m->addr_ix, e, tmp)
	{
		HASH_DEL(m->addr_ix, e);
		free(e);
	}
	viz__msgs_destroy(m);
	for (size_t i = 0; i < m->n_spans; i++)
		free(m->spans[i].watch);
	free(m->spans);
	free(m->open_spans);
	for (size_t i = 0; i < m->n_silent; i++)
		free(m->silent[i].watch);
	free(m->silent);
	free(m->span_order);
	for (uint32_t j = 0; j < m->n_members; j++)
		free(m->members[j].about);
	free(m->slots);
	free(m->slot_cur);
	viz__ckpts_destroy(m);
	viz__state_destroy(&m->build);
	viz__state_destroy(&m->cur);
	for (uint16_t i = 0; i < m->n_files; i++)
		free(m->files[i]);
	free(m->files);
	free(m->members);
	free(m->ev);
	free(m->gt);
	free(m->cuts);
	memset(m, 0, sizeof(*m));
}

int32_t
viz_model_find(const struct viz_model *m, const char *id)
{
	struct viz_member_ix *e;
	HASH_FIND_STR(m->member_ix, id, e);
	return e ? (int32_t)e->index : -1;
}

int32_t
viz__member_by_addr(const struct viz_model *m, const char *addr)
{
	struct viz_member_ix *e;
	HASH_FIND_STR(m->addr_ix, addr, e);
	return e ? (int32_t)e->index : -1;
}

/* Index of id, adding it (and growing the build state) when new. */
int
viz__member_intern(struct viz_model *m, const char *id, int32_t *out)
{
	int32_t ix = viz_model_find(m, id);
	if (ix >= 0) {
		*out = ix;
		return 0;
	}
	if (m->n_members == m->members_cap) {
		uint32_t cap = m->members_cap ? m->members_cap * 2 : 64;
		void *p = realloc(m->members, cap * sizeof(*m->members));
		if (!p)
			return RUMOR_ENOMEM;
		m->members = p;
		m->members_cap = cap;
	}
	size_t len = strlen(id);
	struct viz_member_ix *e = malloc(sizeof(*e) + len + 1);
	if (!e)
		return RUMOR_ENOMEM;
	memcpy(e->id, id, len + 1);
	e->index = m->n_members;
	struct viz_member *mem = &m->members[m->n_members];
	memset(mem, 0, sizeof(*mem));
	mem->prev = -1;
	mem->last_ts = INT64_MIN;
	mem->last_peer = -1;
	mem->skew_vs = -1;
	snprintf(mem->id, sizeof(mem->id), "%s", id);
	const char *hash = strrchr(id, '#');
	if (hash)
		mem->version = strtoull(hash + 1, NULL, 10);
	int err = viz__state_reserve(&m->build, m->n_members + 1);
	if (err) {
		free(e);
		return err;
	}
	HASH_ADD(hh, m->member_ix, id, len, e);
	*out = (int32_t)m->n_members++;
	return hash ? viz__addr_set(m, id, (size_t)(hash - id), *out)
	            : viz__slot_new(m, *out);
}

uint16_t
viz__file_index(const struct viz_model *m, const char *file)
{
	if (!file)
		return 0;
	for (uint16_t i = 0; i < m->n_files; i++)
		if (m->files[i] == file || strcmp(m->files[i], file) == 0)
			return i;
	return 0;
}

static int
is_ground_truth(enum rumor_log_ev ev)
{
	return ev == RUMOR_LOG_CRASH || ev == RUMOR_LOG_RESTART ||
	       ev == RUMOR_LOG_PARTITION || ev == RUMOR_LOG_HEAL ||
	       ev == RUMOR_LOG_SICK || ev == RUMOR_LOG_WELL;
}

static int
is_trace(enum rumor_log_ev ev)
{
	return ev == RUMOR_LOG_SEND || ev == RUMOR_LOG_RECV ||
	       ev == RUMOR_LOG_DROP;
}

static int
cut_add(struct viz_model *m, const struct rumor_log_record *rec)
{
	if (rec->ev == RUMOR_LOG_HEAL) {
		for (size_t i = 0; i < m->n_cuts; i++)
			if (m->cuts[2 * i + 1] == VIZ_NEVER)
				m->cuts[2 * i + 1] = rec->ts;
		return 0;
	}
	int64_t *p = realloc(m->cuts, (m->n_cuts + 1) * 2 * sizeof(*p));
	if (!p)
		return RUMOR_ENOMEM;
	m->cuts = p;
	p[2 * m->n_cuts] = rec->ts;
	p[2 * m->n_cuts + 1] = VIZ_NEVER;
	m->n_cuts++;
	return 0;
}

static int
gt_add(struct viz_model *m, size_t i)
{
	if (m->n_gt == m->gt_cap) {
		size_t cap = m->gt_cap ? m->gt_cap * 2 : 16;
		void *p = realloc(m->gt, cap * sizeof(*m->gt));
		if (!p)
			return RUMOR_ENOMEM;
		m->gt = p;
		m->gt_cap = cap;
	}
	m->gt[m->n_gt++] = i;
	return 0;
}

static int
event_fill(struct viz_model *m, const struct rumor_log_record *rec,
           struct viz_event *e)
{
	int err;
	memset(e, 0, sizeof(*e));
	e->ts = rec->ts;
	e->ev = (uint8_t)rec->ev;
	e->node = -1;
	e->member = -1;
	e->replaces = -1;
	e->from = -1;
	e->line = rec->line > UINT32_MAX ? UINT32_MAX : (uint32_t)rec->line;
	e->file = viz__file_index(m, rec->file);
	e->via = via_code(m, rec->via);
	e->heartbeat = rec->heartbeat;
	e->has_heartbeat = rec->has_heartbeat ? 1 : 0;
	if (!is_ground_truth(rec->ev) && rec->node[0]) {
		err = viz__member_intern(m, rec->node, &e->node);
		if (err)
			return err;
		struct viz_member *me = &m->members[e->node];
		if (!me->logged) {
			me->logged = 1;
			e->replaces = me->prev;
		}
	}
	if (rec->member[0]) {
		err = viz__member_intern(m, rec->member, &e->member);
		if (err)
			return err;
	}
	if (rec->from[0])
		return viz__member_intern(m, rec->from, &e->from);
	return 0;
}

/* The tags a join/joined/update line gives member j ("k=v,..."). */
static void
note_tags(struct viz_model *m, const struct rumor_log_record *r, int32_t j)
{
	struct rumor_tag t;
	size_t pos = 0, k = 0;
	char *out;

	if (r->tags == NULL || j < 0)
		return;
	out = m->members[j].tags;
	out[0] = '\0';
	while (rumor_tags_next(r->tags, r->tags_len, &pos, &t) &&
	       k + 2 < sizeof(m->members[j].tags)) {
		int n = snprintf(out + k, sizeof(m->members[j].tags) - k,
		                 "%s%.*s=%.*s", k ? "," : "", (int)t.key_len,
		                 t.key, (int)t.value_len, t.value);
		if (n < 0)
			break;
		k += (size_t)n;
	}
}

int
viz_model_add(struct viz_model *m, const struct rumor_log_record *rec)
{
	struct rumor_log_record r = *rec;
	int late = 0;
	if (!m->has_ts0) {
		m->ts0 = m->ts_last = r.ts;
		m->has_ts0 = 1;
	}
	if (r.ts < m->ts_last) {
		r.ts = m->ts_last;
		late = 1;
	}
	m->ts_last = r.ts;
	if (is_ground_truth(r.ev))
		m->has_truth = 1;
	if (is_trace(r.ev)) {
		int32_t node = -1, peer = -1;
		int err = viz__msgs_add(m, &r, &node, &peer);
		viz__note_line(m, node, &r, peer);
		return err ? err : (late ? RUMOR_EINVAL : 0);
	}
	if (r.ev == RUMOR_LOG_PARTITION || r.ev == RUMOR_LOG_HEAL) {
		int err = cut_add(m, &r);
		if (err)
			return err;
	}
	if (m->n_ev == m->ev_cap) {
		size_t cap = m->ev_cap ? m->ev_cap * 2 : 4096;
		void *p = realloc(m->ev, cap * sizeof(*m->ev));
		if (!p)
			return RUMOR_ENOMEM;
		m->ev = p;
		m->ev_cap = cap;
	}
	struct viz_event *e = &m->ev[m->n_ev];
	int err = event_fill(m, &r, e);
	if (err)
		return err;
	m->n_ev++;
	note_tags(m, &r, r.ev == RUMOR_LOG_JOINED ? e->node : e->member);
	viz__note_line(m, e->node, &r, -1);
	err = viz__about_add(m, m->n_ev - 1);
	if (err)
		return err;
	if (r.ev == RUMOR_LOG_CRASH || r.ev == RUMOR_LOG_RESTART) {
		err = gt_add(m, m->n_ev - 1);
		if (err)
			return err;
	}
	err = viz__build_advance(m);
	if (err)
		return err;
	return late ? RUMOR_EINVAL : 0;
}

int64_t
viz_model_duration(const struct viz_model *m)
{
	return m->has_ts0 ? m->ts_last - m->ts0 : 0;
}

size_t
viz_model_upper(const struct viz_model *m, int64_t ts)
{
	size_t lo = 0, hi = m->n_ev;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->ev[mid].ts <= ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
is_interesting(const struct viz_event *e, int32_t member)
{
	if (member >= 0)
		return e->node == member || e->member == member;
	switch (e->ev) {
	case RUMOR_LOG_CRASH:
	case RUMOR_LOG_RESTART:
	case RUMOR_LOG_PARTITION:
	case RUMOR_LOG_HEAL:
	case RUMOR_LOG_SUSPECT:
	case RUMOR_LOG_ALIVE:
	case RUMOR_LOG_FAIL:
	case RUMOR_LOG_LEAVE:
	case RUMOR_LOG_LEFT:
	case RUMOR_LOG_REMOVE:
		return 1;
	default:
		return 0;
	}
}

ptrdiff_t
viz_model_step_event(const struct viz_model *m, int64_t t, int dir,
                     int32_t member)
{
	int64_t ts = m->ts0 + t;
	if (dir > 0) {
		for (size_t i = viz_model_upper(m, ts); i < m->n_ev; i++)
			if (is_interesting(&m->ev[i], member))
				return (ptrdiff_t)i;
		return -1;
	}
	/* first index with ts >= t, then walk down */
	size_t lo = 0, hi = m->n_ev;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->ev[mid].ts < ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i-- > 0;)
		if (is_interesting(&m->ev[i], member))
			return (ptrdiff_t)i;
	return -1;
}
