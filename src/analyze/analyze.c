/* SPDX-License-Identifier: MIT */
/*
 * The analyzer's streaming pass: every record updates the member table
 * (who runs, since when, until when), the ground truth (crashes, restarts,
 * partitions) and the per-observer first times of fail/leave/join, and
 * classifies every `fail` at the moment it is logged. Reports are computed
 * in finish.c, once the end of the log is known.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze_internal.h"

void *
rumor__vec_push(struct vec *v, size_t elem_size)
{
	char *p;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		p = realloc(v->p, cap * elem_size);
		if (p == NULL)
			return NULL;
		v->p = p;
		v->cap = cap;
	}
	p = (char *)v->p + v->n++ * elem_size;
	memset(p, 0, elem_size);
	return p;
}

int
rumor__obs_set_min(struct obs_times *t, size_t idx, int64_t ts)
{
	if (idx >= t->cap) {
		size_t cap = t->cap ? t->cap : 16;
		int64_t *p;
		while (cap <= idx)
			cap *= 2;
		p = realloc(t->ts, cap * sizeof(*p));
		if (p == NULL)
			return RUMOR_ENOMEM;
		for (size_t i = t->cap; i < cap; i++)
			p[i] = NONE;
		t->ts = p;
		t->cap = cap;
	}
	if (t->ts[idx] == NONE || ts < t->ts[idx])
		t->ts[idx] = ts;
	return 0;
}

int64_t
rumor__obs_get(const struct obs_times *t, size_t idx)
{
	return idx < t->cap ? t->ts[idx] : NONE;
}

void
rumor_analyze_options_init(struct rumor_analyze_options *opt)
{
	opt->partition_grace_ms = 10000;
}

const char *
rumor_crash_cause_name(enum rumor_crash_cause cause)
{
	switch (cause) {
	case RUMOR_CAUSE_CRASH:
		return "crash";
	case RUMOR_CAUSE_RESTART:
		return "restart";
	case RUMOR_CAUSE_SUPERSEDED:
		return "superseded";
	}
	return "?";
}

int
rumor_analysis_new(struct rumor_analysis **out,
                   const struct rumor_analyze_options *opt)
{
	struct rumor_analysis *a;

	*out = NULL;
	if (opt != NULL && opt->partition_grace_ms < 0)
		return RUMOR_EINVAL;
	a = calloc(1, sizeof(*a));
	if (a == NULL)
		return RUMOR_ENOMEM;
	if (opt != NULL)
		a->opt = *opt;
	else
		rumor_analyze_options_init(&a->opt);
	a->first_ts = a->last_ts = NONE;
	*out = a;
	return 0;
}

/* The leave of m, created on first need. NULL on ENOMEM. */
static struct leave *
leave_of(struct rumor_analysis *a, struct amember *m, int64_t ts)
{
	struct leave *l;

	if (m->leave >= 0)
		return &((struct leave *)a->leaves.p)[m->leave];
	l = rumor__vec_push(&a->leaves, sizeof(*l));
	if (l == NULL)
		return NULL;
	l->member = m->idx;
	l->ts = ts;
	m->leave = (long)a->leaves.n - 1;
	rumor__member_stop(m, ts, 1);
	return l;
}

static struct join *
join_of(struct rumor_analysis *a, struct amember *m)
{
	struct join *j;

	if (m->join >= 0)
		return &((struct join *)a->joins.p)[m->join];
	j = rumor__vec_push(&a->joins, sizeof(*j));
	if (j == NULL)
		return NULL;
	j->member = m->idx;
	j->ts = NONE;
	m->join = (long)a->joins.n - 1;
	return j;
}

/* Keep one report per (observer, member) pair. 1 when new, 0 when seen,
 * or RUMOR_ENOMEM. */
static int
pair_new(struct rumor_analysis *a, const struct amember *o,
         const struct amember *x, int64_t ts)
{
	struct pair *p;
	char key[2 * RUMOR_ID_STRLEN];

	snprintf(key, sizeof(key), "%s\n%s", o->id, x->id);
	HASH_FIND_STR(a->pairs, key, p);
	if (p != NULL)
		return 0;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return RUMOR_ENOMEM;
	memcpy(p->key, key, sizeof(key));
	p->ts = ts;
	HASH_ADD_STR(a->pairs, key, p);
	return 1;
}

static int
failure_report(struct rumor_analysis *a, struct vec *v, struct amember *o,
               struct amember *x, const struct rumor_log_record *rec)
{
	struct rumor_failure_report *f;
	int rc = pair_new(a, o, x, rec->ts);

	if (rc <= 0)
		return rc;
	f = rumor__vec_push(v, sizeof(*f));
	if (f == NULL)
		return RUMOR_ENOMEM;
	f->ts = rec->ts;
	memcpy(f->observer, o->id, sizeof(f->observer));
	memcpy(f->member, x->id, sizeof(f->member));
	memcpy(f->via, rec->via, sizeof(f->via));
	f->across = a->partition_active && o->group != x->group;
	if (v == &a->false_f && !x->falsely_failed) {
		x->falsely_failed = 1;
		a->n_false_failed_members++;
	}
	if (v == &a->false_f)
		rumor__false_cause(a, o, rec, f);
	return 0;
}

/*
 * A `fail` of x by o: the detection of a crash or restart, a leave recorded
 * as a failure, a failure across a partition, or a false failure.
 */
static int
on_fail(struct rumor_analysis *a, struct amember *o, struct amember *x,
        const struct rumor_log_record *rec)
{
	int64_t ts = rec->ts;

	if (x->leave >= 0) {
		struct leave *l = &((struct leave *)a->leaves.p)[x->leave];
		if (ts >= l->ts)
			return rumor__obs_set_min(&l->fail, o->idx, ts);
	}
	if (x->crash >= 0) {
		struct crash *c = &((struct crash *)a->crashes.p)[x->crash];
		if (ts >= c->ts)
			return rumor__obs_set_min(&c->detect, o->idx, ts);
	}
	if (x->start_ts == NONE) {
		a->n_unknown_failures++;
		return 0;
	}
	if (!rumor__member_running(x, ts) ||
	    strcmp(rec->via, "superseded") == 0)
		return 0;
	if (rumor__member_cut(a, x, ts))
		return failure_report(a, &a->partition_f, o, x, rec);
	if (a->faults.n && rumor__member_sick(a, x, ts))
		return failure_report(a, &a->sick_f, o, x, rec);
	return failure_report(a, &a->false_f, o, x, rec);
}

static void
on_suspect(struct rumor_analysis *a, struct amember *x, int64_t ts)
{
	struct crash *c;

	if (x->crash < 0)
		return;
	c = &((struct crash *)a->crashes.p)[x->crash];
	if (ts >= c->ts && (c->first_suspect == NONE || ts < c->first_suspect))
		c->first_suspect = ts;
}

static int
kind_index(const char *kind)
{
	for (int k = 1; k < RUMOR_MSG_KIND_MAX; k++)
		if (strcmp(kind, rumor_msg_kind_name(k)) == 0)
			return k;
	return 0;
}

static void
on_trace(struct rumor_analysis *a, struct amember *o,
         const struct rumor_log_record *rec)
{
	struct rumor_traffic *t = &a->traffic;
	int k;

	t->has_trace = 1;
	if (rec->ev == RUMOR_LOG_RECV) {
		t->recv++;
		t->bytes_recv += rec->bytes;
		return;
	}
	if (rec->ev == RUMOR_LOG_DROP) {
		t->dropped++;
		return;
	}
	k = kind_index(rec->kind);
	t->sent++;
	t->bytes_sent += rec->bytes;
	t->sent_by_kind[k]++;
	t->bytes_by_kind[k] += rec->bytes;
	o->sent++;
	o->bytes_sent += rec->bytes;
}

/* A line about member x written by observer o. */
static int
on_member_event(struct rumor_analysis *a, struct amember *o,
                const struct rumor_log_record *rec)
{
	struct amember *x = rumor__member_get(a, rec->member);
	struct leave *l;
	struct join *j;

	if (x == NULL)
		return RUMOR_ENOMEM;
	if (x == o)
		return 0;
	switch (rec->ev) {
	case RUMOR_LOG_FAIL:
		return on_fail(a, o, x, rec);
	case RUMOR_LOG_SUSPECT:
		on_suspect(a, x, rec->ts);
		return 0;
	case RUMOR_LOG_LEAVE:
		l = leave_of(a, x, rec->ts);
		return l ? rumor__obs_set_min(&l->leave, o->idx, rec->ts)
		         : RUMOR_ENOMEM;
	case RUMOR_LOG_JOIN:
		j = join_of(a, x);
		return j ? rumor__obs_set_min(&j->join, o->idx, rec->ts)
		         : RUMOR_ENOMEM;
	default:
		return 0;
	}
}

/* A line written by member o about itself or about another member. */
static int
on_own_line(struct rumor_analysis *a, const struct rumor_log_record *rec)
{
	struct amember *o = rumor__member_get(a, rec->node);
	struct leave *l;
	struct join *j;
	int rc;

	if (o == NULL)
		return RUMOR_ENOMEM;
	if ((rc = rumor__member_seen(a, o, rec->ts)) != 0)
		return rc;
	o->last_own_ts = rec->ts;
	switch (rec->ev) {
	case RUMOR_LOG_STOP:
		o->stop_line = 1;
		rumor__member_stop(o, rec->ts, 0);
		return 0;
	case RUMOR_LOG_JOINED:
		if ((j = join_of(a, o)) == NULL)
			return RUMOR_ENOMEM;
		if (j->ts == NONE) {
			j->ts = rec->ts;
			j->bootstrap =
			    strcmp(rec->via, "self") == 0 && !o->is_new_version;
		}
		return 0;
	case RUMOR_LOG_LEFT:
		if ((l = leave_of(a, o, rec->ts)) == NULL)
			return RUMOR_ENOMEM;
		l->has_left_line = 1;
		return 0;
	case RUMOR_LOG_SEND:
	case RUMOR_LOG_RECV:
	case RUMOR_LOG_DROP:
		on_trace(a, o, rec);
		return 0;
	case RUMOR_LOG_JOIN:
	case RUMOR_LOG_SUSPECT:
	case RUMOR_LOG_FAIL:
	case RUMOR_LOG_LEAVE:
		return on_member_event(a, o, rec);
	default:
		return 0;
	}
}

static int
on_ground_truth(struct rumor_analysis *a, const struct rumor_log_record *rec)
{
	struct amember *m;

	switch (rec->ev) {
	case RUMOR_LOG_CRASH:
	case RUMOR_LOG_RESTART:
		if ((m = rumor__member_get(a, rec->member)) == NULL)
			return RUMOR_ENOMEM;
		return rec->ev == RUMOR_LOG_CRASH
		           ? rumor__member_crash(a, m, rec->ts)
		           : rumor__member_restart(a, m, rec->ts);
	case RUMOR_LOG_PARTITION:
		return rumor__partition_set(a, rec);
	case RUMOR_LOG_SICK:
		return rumor__fault_start(a, rec);
	case RUMOR_LOG_WELL:
		rumor__fault_end(a, rec);
		return 0;
	default: /* heal */
		rumor__partition_heal(a, rec->ts);
		return 0;
	}
}

int
rumor_analysis_add(struct rumor_analysis *a, const struct rumor_log_record *in)
{
	struct rumor_log_record rec = *in;

	if (a->finished)
		return RUMOR_ESTATE;
	if (a->last_ts != NONE && rec.ts < a->last_ts)
		rec.ts = a->last_ts;
	if (a->first_ts == NONE)
		a->first_ts = rec.ts;
	a->last_ts = rec.ts;
	a->n_records++;
	switch (rec.ev) {
	case RUMOR_LOG_CRASH:
	case RUMOR_LOG_RESTART:
	case RUMOR_LOG_PARTITION:
	case RUMOR_LOG_HEAL:
	case RUMOR_LOG_SICK:
	case RUMOR_LOG_WELL:
		return on_ground_truth(a, &rec);
	default:
		return on_own_line(a, &rec);
	}
}

int
rumor_analysis_finish(struct rumor_analysis *a,
                      const struct rumor_analyze_result **out)
{
	int rc = 0;

	if (!a->finished) {
		rc = rumor__finish(a);
		if (rc != 0) {
			rumor__result_free(&a->res);
			return rc;
		}
		a->finished = 1;
	}
	if (out != NULL)
		*out = &a->res;
	return 0;
}

void
rumor_analysis_free(struct rumor_analysis *a)
{
	struct amember *m, *mt;
	struct hostport *h, *ht;
	struct pair *p, *pt;

	if (a == NULL)
		return;
	rumor__result_free(&a->res);
	for (size_t i = 0; i < a->crashes.n; i++)
		free(((struct crash *)a->crashes.p)[i].detect.ts);
	for (size_t i = 0; i < a->leaves.n; i++) {
		free(((struct leave *)a->leaves.p)[i].leave.ts);
		free(((struct leave *)a->leaves.p)[i].fail.ts);
	}
	for (size_t i = 0; i < a->joins.n; i++)
		free(((struct join *)a->joins.p)[i].join.ts);
	free(a->crashes.p);
	free(a->leaves.p);
	free(a->joins.p);
	free(a->false_f.p);
	free(a->partition_f.p);
	free(a->sick_f.p);
	rumor__faults_free(a);
	HASH_ITER(hh, a->by_id, m, mt)
	{
		HASH_DEL(a->by_id, m);
		free(m);
	}
	HASH_ITER(hh, a->hostports, h, ht)
	{
		HASH_DEL(a->hostports, h);
		free(h);
	}
	HASH_ITER(hh, a->pairs, p, pt)
	{
		HASH_DEL(a->pairs, p);
		free(p);
	}
	free(a->members);
	free(a);
}
