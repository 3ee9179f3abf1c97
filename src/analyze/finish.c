/* SPDX-License-Identifier: MIT */
/*
 * Reports, computed once the whole log has been seen: who counted as a
 * survivor/observer of each crash, leave and join, the times, and the
 * summaries.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_internal.h"

static int
id_add(struct rumor_id_list *l, const char *id)
{
	/* grow at powers of two: n is the only size kept */
	if ((l->n & (l->n - 1)) == 0) {
		size_t cap = l->n ? l->n * 2 : 1;
		void *p = realloc(l->ids, cap * sizeof(*l->ids));
		if (p == NULL)
			return RUMOR_ENOMEM;
		l->ids = p;
	}
	memcpy(l->ids[l->n++], id, RUMOR_ID_STRLEN);
	return 0;
}

static int64_t
obs_min(const struct obs_times *t)
{
	int64_t best = NONE;

	for (size_t i = 0; i < t->cap; i++)
		if (t->ts[i] != NONE && (best == NONE || t->ts[i] < best))
			best = t->ts[i];
	return best;
}

static int64_t
ms_after(int64_t ts, int64_t t0)
{
	return ts == NONE ? NONE : ts - t0;
}

/*
 * Whether m must have seen what happened to x at t0: it ran at t0 and was
 * not a version of x (a restarted process need not log its old id). It
 * counts when it saw it (d set) or never went away (crash, leave
 * or supersede) before the end of the log. 1: counts, 0: does not.
 */
static int
is_observer(const struct amember *m, const struct amember *x, int64_t t0,
            int64_t d)
{
	if (rumor__same_hostport(m, x) || !m->observable ||
	    !rumor__member_running(m, t0))
		return 0;
	return d != NONE || m->gone_ts == NONE;
}

/* 1 when m logged `join` of x at some time: x was in m's list. */
static int
knew(const struct rumor_analysis *a, const struct amember *m,
     const struct amember *x)
{
	const struct join *j;

	if (x->join < 0)
		return 0;
	j = &((const struct join *)a->joins.p)[x->join];
	return rumor__obs_get(&j->join, m->idx) != NONE;
}

/* First fail of x by m at/after tc; tc when m had already failed x. */
static int64_t
detect_time(const struct rumor_analysis *a, const struct crash *c,
            const struct amember *m, const struct amember *x)
{
	int64_t d = rumor__obs_get(&c->detect, m->idx);
	char key[2 * RUMOR_ID_STRLEN];
	struct pair *p;

	if (d != NONE)
		return d;
	snprintf(key, sizeof(key), "%s\n%s", m->id, x->id);
	HASH_FIND_STR(a->pairs, key, p);
	return p != NULL && p->ts <= c->ts ? c->ts : NONE;
}

static int
crash_report(struct rumor_analysis *a, const struct crash *c,
             struct rumor_crash_report *r, int64_t *scratch)
{
	const struct amember *x = a->members[c->member];
	int64_t worst = NONE;
	size_t n = 0;

	memcpy(r->member, x->id, sizeof(r->member));
	r->cause = c->cause;
	r->ts = c->ts;
	r->first_suspect_ms = ms_after(c->first_suspect, c->ts);
	r->first_detect_ms = NONE;
	for (size_t i = 0; i < a->n_members; i++) {
		const struct amember *m = a->members[i];
		int64_t d = detect_time(a, c, m, x);
		if (d != NONE && (r->first_detect_ms == NONE ||
		                  d - c->ts < r->first_detect_ms))
			r->first_detect_ms = d - c->ts; /* any observer */
		if (!is_observer(m, x, c->ts, d) ||
		    (d == NONE && !knew(a, m, x)))
			continue; /* x was never in m's list: nothing to do */
		if (a->faults.n && rumor__member_sick(a, m, c->ts)) {
			r->n_sick_observers++; /* it may not hear: not counted
			                        */
			continue;
		}
		r->n_survivors++;
		if (d == NONE) {
			if (id_add(&r->undetected_by, m->id) != 0)
				return RUMOR_ENOMEM;
			continue;
		}
		r->n_detected++;
		scratch[n++] = d - c->ts;
		if (worst == NONE || d - c->ts > worst)
			worst = d - c->ts;
	}
	r->all_detect_ms =
	    r->undetected_by.n == 0 && r->n_survivors > 0 ? worst : NONE;
	if (n > 0) {
		struct rumor_summary s;
		rumor__summarize(scratch, n, &s);
		r->p50_detect_ms = s.p50;
	} else {
		r->p50_detect_ms = NONE;
	}
	return 0;
}

static int
leave_report(struct rumor_analysis *a, const struct leave *l,
             struct rumor_leave_report *r)
{
	const struct amember *x = a->members[l->member];
	int64_t worst = NONE;

	memcpy(r->member, x->id, sizeof(r->member));
	r->ts = l->ts;
	r->has_left_line = l->has_left_line;
	r->first_ms = ms_after(obs_min(&l->leave), l->ts);
	for (size_t i = 0; i < a->n_members; i++) {
		const struct amember *m = a->members[i];
		int64_t dl = rumor__obs_get(&l->leave, i);
		int64_t df = rumor__obs_get(&l->fail, i);
		if (df != NONE && id_add(&r->recorded_as_fail, m->id) != 0)
			return RUMOR_ENOMEM;
		if (!is_observer(m, x, l->ts, dl != NONE ? dl : df) ||
		    (dl == NONE && df == NONE && !knew(a, m, x)))
			continue;
		r->n_observers++;
		if (dl != NONE) {
			r->n_leave++;
			if (worst == NONE || dl - l->ts > worst)
				worst = dl - l->ts;
		} else if (df == NONE && id_add(&r->missing, m->id) != 0) {
			return RUMOR_ENOMEM;
		}
	}
	r->all_ms =
	    r->n_leave == r->n_observers && r->n_observers > 0 ? worst : NONE;
	return 0;
}

static int
join_report(struct rumor_analysis *a, const struct join *j,
            struct rumor_join_report *r)
{
	const struct amember *x = a->members[j->member];
	int64_t worst = NONE;

	memcpy(r->member, x->id, sizeof(r->member));
	r->ts = j->ts;
	r->first_ms = ms_after(obs_min(&j->join), j->ts);
	for (size_t i = 0; i < a->n_members; i++) {
		const struct amember *m = a->members[i];
		int64_t d = rumor__obs_get(&j->join, i);
		if (!is_observer(m, x, j->ts, d))
			continue;
		r->n_observers++;
		if (d == NONE) {
			if (id_add(&r->missing, m->id) != 0)
				return RUMOR_ENOMEM;
			continue;
		}
		r->n_joined++;
		if (worst == NONE || d - j->ts > worst)
			worst = d - j->ts;
	}
	r->all_ms = r->missing.n == 0 && r->n_observers > 0 ? worst : NONE;
	return 0;
}

/* Summary of the non-NONE values at offset `off` of n structs. */
static void
summarize_field(const void *base, size_t n, size_t size, size_t off,
                int64_t *scratch, struct rumor_summary *out,
                int skip_superseded)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const char *e = (const char *)base + i * size;
		int64_t v;
		if (skip_superseded &&
		    ((const struct rumor_crash_report *)e)->cause ==
		        RUMOR_CAUSE_SUPERSEDED)
			continue;
		memcpy(&v, e + off, sizeof(v));
		if (v != NONE)
			scratch[k++] = v;
	}
	rumor__summarize(scratch, k, out);
}

static int
crashes_finish(struct rumor_analysis *a, int64_t *scratch)
{
	struct rumor_analyze_result *res = &a->res;
	const size_t sz = sizeof(struct rumor_crash_report);

	res->crashes = calloc(a->crashes.n + 1, sz);
	if (res->crashes == NULL)
		return RUMOR_ENOMEM;
	while (res->n_crashes < a->crashes.n) {
		const struct crash *c =
		    &((const struct crash *)a->crashes.p)[res->n_crashes];
		struct rumor_crash_report *r = &res->crashes[res->n_crashes++];
		if (crash_report(a, c, r, scratch) != 0)
			return RUMOR_ENOMEM;
		res->n_undetected += r->undetected_by.n;
	}
	summarize_field(res->crashes, res->n_crashes, sz,
	                offsetof(struct rumor_crash_report, first_suspect_ms),
	                scratch, &res->first_suspect, 1);
	summarize_field(res->crashes, res->n_crashes, sz,
	                offsetof(struct rumor_crash_report, first_detect_ms),
	                scratch, &res->first_detect, 1);
	summarize_field(res->crashes, res->n_crashes, sz,
	                offsetof(struct rumor_crash_report, all_detect_ms),
	                scratch, &res->all_detect, 1);
	return 0;
}

static int
leaves_joins_finish(struct rumor_analysis *a, int64_t *scratch)
{
	struct rumor_analyze_result *res = &a->res;
	const size_t lsz = sizeof(struct rumor_leave_report);
	const size_t jsz = sizeof(struct rumor_join_report);

	res->leaves = calloc(a->leaves.n + 1, lsz);
	res->joins = calloc(a->joins.n + 1, jsz);
	if (res->leaves == NULL || res->joins == NULL)
		return RUMOR_ENOMEM;
	while (res->n_leaves < a->leaves.n) {
		const struct leave *l =
		    &((const struct leave *)a->leaves.p)[res->n_leaves];
		struct rumor_leave_report *r = &res->leaves[res->n_leaves++];
		if (leave_report(a, l, r) != 0)
			return RUMOR_ENOMEM;
		res->n_leaves_recorded_as_fail += r->recorded_as_fail.n;
	}
	for (size_t i = 0; i < a->joins.n; i++) {
		const struct join *j = &((struct join *)a->joins.p)[i];
		if (j->ts == NONE || j->bootstrap) /* nothing to measure */
			continue;
		if (join_report(a, j, &res->joins[res->n_joins++]) != 0)
			return RUMOR_ENOMEM;
	}
	summarize_field(res->leaves, res->n_leaves, lsz,
	                offsetof(struct rumor_leave_report, first_ms), scratch,
	                &res->leave_first, 0);
	summarize_field(res->leaves, res->n_leaves, lsz,
	                offsetof(struct rumor_leave_report, all_ms), scratch,
	                &res->leave_all, 0);
	summarize_field(res->joins, res->n_joins, jsz,
	                offsetof(struct rumor_join_report, first_ms), scratch,
	                &res->join_first, 0);
	summarize_field(res->joins, res->n_joins, jsz,
	                offsetof(struct rumor_join_report, all_ms), scratch,
	                &res->join_all, 0);
	return 0;
}

static void
traffic_finish(struct rumor_analysis *a)
{
	struct rumor_traffic *t = &a->res.traffic;
	double duration_s = (double)a->res.duration_ms / 1000.0;

	*t = a->traffic;
	if (!t->has_trace || a->res.n_members == 0)
		return;
	if (duration_s > 0) {
		t->bytes_per_member_per_s = (double)t->bytes_sent /
		                            (double)a->res.n_members /
		                            duration_s;
		t->msgs_per_member_per_s =
		    (double)t->sent / (double)a->res.n_members / duration_s;
	}
	for (size_t i = 0; i < a->n_members; i++) {
		const struct amember *m = a->members[i];
		int64_t end = m->stop_ts != NONE ? m->stop_ts : a->last_ts;
		int64_t life = m->start_ts != NONE ? end - m->start_ts : 0;
		double rate;
		if (!m->observable)
			continue;
		rate = (double)m->bytes_sent /
		       ((life < 1000 ? 1000 : life) / 1000.0);
		if (rate > t->max_member_bytes_per_s || !t->max_member[0]) {
			t->max_member_bytes_per_s = rate;
			memcpy(t->max_member, m->id, sizeof(t->max_member));
		}
	}
}

/*
 * A false failure needs the member running when it was failed. Without a
 * ground-truth crash, a member whose own log ends before the fail with no
 * `stop` line of its own may have been killed (SIGKILL writes nothing):
 * such a fail is silent (unknown), not false. Known only at the end, when
 * every member's last own line has been read.
 */
static void
silent_failures(struct rumor_analysis *a)
{
	struct rumor_failure_report *f = a->false_f.p;
	size_t kept = 0;

	for (size_t i = 0; i < a->n_members; i++)
		a->members[i]->falsely_failed = 0;
	a->n_false_failed_members = 0;
	for (size_t i = 0; i < a->false_f.n; i++) {
		struct amember *x = rumor__member_get(a, f[i].member);
		if (x != NULL && !x->stop_line && x->last_own_ts < f[i].ts) {
			a->n_silent_failures++;
			continue;
		}
		if (x != NULL && !x->falsely_failed) {
			x->falsely_failed = 1;
			a->n_false_failed_members++;
		}
		f[kept++] = f[i];
	}
	a->false_f.n = kept;
}

int
rumor__finish(struct rumor_analysis *a)
{
	struct rumor_analyze_result *res = &a->res;
	size_t n = a->n_members;
	int64_t *scratch;
	int rc;

	if (a->crashes.n > n)
		n = a->crashes.n;
	if (a->leaves.n + a->joins.n > n)
		n = a->leaves.n + a->joins.n;
	scratch = malloc((n + 1) * sizeof(*scratch));
	if (scratch == NULL)
		return RUMOR_ENOMEM;
	res->start_ts = a->first_ts;
	res->end_ts = a->last_ts;
	res->duration_ms = a->first_ts == NONE ? 0 : a->last_ts - a->first_ts;
	res->n_records = a->n_records;
	for (size_t i = 0; i < a->n_members; i++)
		res->n_members += a->members[i]->observable;
	silent_failures(a);
	res->n_false_failures = a->false_f.n;
	res->n_false_failed_members = a->n_false_failed_members;
	res->n_silent_failures = a->n_silent_failures;
	res->false_failures = a->false_f.p;
	res->n_partition_failures = a->partition_f.n;
	res->partition_failures = a->partition_f.p;
	res->n_sick_failures = a->sick_f.n;
	res->sick_failures = a->sick_f.p;
	res->n_unknown_failures = a->n_unknown_failures;
	rc = crashes_finish(a, scratch);
	if (rc == 0)
		rc = leaves_joins_finish(a, scratch);
	if (rc == 0)
		traffic_finish(a);
	free(scratch);
	return rc;
}

void
rumor__result_free(struct rumor_analyze_result *res)
{
	for (size_t i = 0; i < res->n_crashes; i++)
		free(res->crashes[i].undetected_by.ids);
	for (size_t i = 0; i < res->n_leaves; i++) {
		free(res->leaves[i].recorded_as_fail.ids);
		free(res->leaves[i].missing.ids);
	}
	for (size_t i = 0; i < res->n_joins; i++)
		free(res->joins[i].missing.ids);
	free(res->crashes);
	free(res->leaves);
	free(res->joins);
	/* false/partition failure arrays belong to the analysis */
	memset(res, 0, sizeof(*res));
}
