/* SPDX-License-Identifier: MIT */
/*
 * The analyzer's member table: for every member id, when it ran (first own
 * line or ground-truth restart, until stop/crash/leave/supersede), and its
 * place in the current partition.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze_internal.h"

struct amember *
rumor__member_get(struct rumor_analysis *a, const char *id)
{
	struct amember *m;
	const char *hash;

	HASH_FIND_STR(a->by_id, id, m);
	if (m != NULL)
		return m;
	if (a->n_members == a->cap_members) {
		size_t cap = a->cap_members ? a->cap_members * 2 : 64;
		struct amember **p = realloc(a->members, cap * sizeof(*p));
		if (p == NULL)
			return NULL;
		a->members = p;
		a->cap_members = cap;
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return NULL;
	snprintf(m->id, sizeof(m->id), "%s", id);
	hash = strrchr(m->id, '#');
	m->hostport_len = hash ? (size_t)(hash - m->id) : strlen(m->id);
	m->version = hash ? strtoull(hash + 1, NULL, 10) : 0;
	m->start_ts = m->stop_ts = m->gone_ts = m->cut_until = NONE;
	m->last_own_ts = NONE;
	m->group = GROUP_REST;
	m->crash = m->leave = m->join = -1;
	m->idx = a->n_members;
	a->members[a->n_members++] = m;
	HASH_ADD_STR(a->by_id, id, m);
	return m;
}

int
rumor__same_hostport(const struct amember *x, const struct amember *y)
{
	return x->hostport_len == y->hostport_len &&
	       memcmp(x->id, y->id, x->hostport_len) == 0;
}

int
rumor__member_running(const struct amember *m, int64_t ts)
{
	return m->start_ts != NONE && m->start_ts <= ts &&
	       (m->stop_ts == NONE || m->stop_ts > ts);
}

void
rumor__member_stop(struct amember *m, int64_t ts, int gone)
{
	if (m->stop_ts == NONE)
		m->stop_ts = ts;
	if (gone && m->gone_ts == NONE)
		m->gone_ts = ts;
}

static int
add_crash(struct rumor_analysis *a, struct amember *m, int64_t ts,
          enum rumor_crash_cause cause)
{
	struct crash *c = rumor__vec_push(&a->crashes, sizeof(*c));

	if (c == NULL)
		return RUMOR_ENOMEM;
	c->member = m->idx;
	c->cause = cause;
	c->ts = ts;
	c->first_suspect = NONE;
	m->crash = (long)a->crashes.n - 1;
	rumor__member_stop(m, ts, 1);
	return 0;
}

int
rumor__member_crash(struct rumor_analysis *a, struct amember *m, int64_t ts)
{
	if (m->crash >= 0 || (m->stop_ts != NONE && m->stop_ts <= ts))
		return 0; /* already crashed or ended */
	if (m->start_ts == NONE)
		m->start_ts = ts; /* it ran, since when is unknown */
	return add_crash(a, m, ts, RUMOR_CAUSE_CRASH);
}

/*
 * m runs from ts: the older running version of its host:port (if any) is
 * superseded at ts, and counts as crashed with the given cause.
 */
static int
start(struct rumor_analysis *a, struct amember *m, int64_t ts,
      enum rumor_crash_cause cause)
{
	struct hostport *h;
	struct amember *old;

	if (m->start_ts != NONE || m->stop_ts != NONE)
		return 0;
	m->start_ts = ts;
	HASH_FIND(hh, a->hostports, m->id, m->hostport_len, h);
	if (h == NULL) {
		h = calloc(1, sizeof(*h));
		if (h == NULL)
			return RUMOR_ENOMEM;
		memcpy(h->key, m->id, m->hostport_len);
		h->newest = m->idx;
		HASH_ADD(hh, a->hostports, key, m->hostport_len, h);
		return 0;
	}
	old = a->members[h->newest];
	if (m->version <= old->version)
		return 0;
	h->newest = m->idx;
	m->is_new_version = 1;
	if (old->stop_ts == NONE && old->start_ts != NONE)
		return add_crash(a, old, ts, cause);
	if (cause == RUMOR_CAUSE_RESTART && old->crash >= 0) {
		/* crash then restart lines, as a harness writes them */
		struct crash *c = &((struct crash *)a->crashes.p)[old->crash];
		if (c->cause == RUMOR_CAUSE_CRASH &&
		    ts - c->ts <= RESTART_WINDOW_MS)
			c->cause = RUMOR_CAUSE_RESTART;
	}
	return 0;
}

int
rumor__member_seen(struct rumor_analysis *a, struct amember *m, int64_t ts)
{
	if (m->observable)
		return 0;
	m->observable = 1;
	return start(a, m, ts, RUMOR_CAUSE_SUPERSEDED);
}

int
rumor__member_restart(struct rumor_analysis *a, struct amember *m, int64_t ts)
{
	return start(a, m, ts, RUMOR_CAUSE_RESTART);
}

/*
 * Recompute who is cut off: a member is while some running member is in
 * another group. Members a partition line does not list form one more
 * group (GROUP_REST).
 */
static int
update_cuts(struct rumor_analysis *a, int64_t ts)
{
	size_t *count = calloc(a->n_groups + 1, sizeof(*count)), total = 0;

	if (count == NULL)
		return RUMOR_ENOMEM;
	for (size_t i = 0; a->partition_active && i < a->n_members; i++) {
		struct amember *m = a->members[i];
		if (rumor__member_running(m, ts)) {
			count[m->group == GROUP_REST ? a->n_groups
			                             : m->group]++;
			total++;
		}
	}
	for (size_t i = 0; i < a->n_members; i++) {
		struct amember *m = a->members[i];
		size_t g = m->group == GROUP_REST ? a->n_groups : m->group;
		int cut = a->partition_active && total > count[g];
		if (cut)
			m->cut_until = CUT_NOW;
		else if (m->cut_until == CUT_NOW)
			m->cut_until = ts;
	}
	free(count);
	return 0;
}

int
rumor__partition_set(struct rumor_analysis *a,
                     const struct rumor_log_record *rec)
{
	for (size_t i = 0; i < a->n_members; i++)
		a->members[i]->group = GROUP_REST;
	a->n_groups = rec->n_groups;
	for (size_t i = 0; i < rec->n_group_members; i++) {
		struct amember *m = rumor__member_get(a, rec->group_member[i]);
		if (m == NULL)
			return RUMOR_ENOMEM;
		m->group = rec->group_of[i];
		if (m->group >= a->n_groups) /* a hand-made record */
			a->n_groups = (size_t)m->group + 1;
	}
	a->partition_active = 1;
	return update_cuts(a, rec->ts);
}

void
rumor__partition_heal(struct rumor_analysis *a, int64_t ts)
{
	for (size_t i = 0; i < a->n_members; i++)
		a->members[i]->group = GROUP_REST;
	a->partition_active = 0;
	a->n_groups = 0;
	for (size_t i = 0; i < a->n_members; i++)
		if (a->members[i]->cut_until == CUT_NOW)
			a->members[i]->cut_until = ts;
}

int
rumor__member_cut(const struct rumor_analysis *a, const struct amember *m,
                  int64_t ts)
{
	return m->cut_until == CUT_NOW ||
	       (m->cut_until != NONE &&
	        ts - m->cut_until <= a->opt.partition_grace_ms);
}
