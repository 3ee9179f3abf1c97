/* SPDX-License-Identifier: MIT */
/*
 * Sick members' faults in the ground truth (`sick`/`well` lines, docs/sim.md
 * "Sick members"): which member is sick when, whether a `fail` of it is
 * excused (its own fault, or link faults that leave it heard by no majority
 * of the running members), and whose fault a false failure most likely
 * came from.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze_internal.h"

static int
is_link_kind(const char *kind)
{
	return strcmp(kind, "oneway") == 0 || strcmp(kind, "cut") == 0;
}

int
rumor__fault_start(struct rumor_analysis *a, const struct rumor_log_record *rec)
{
	struct afault *f = rumor__vec_push(&a->faults, sizeof(*f));

	if (f == NULL)
		return RUMOR_ENOMEM;
	f->num = rec->msg;
	snprintf(f->kind, sizeof(f->kind), "%s", rec->via);
	f->link = is_link_kind(rec->via);
	f->both = strcmp(rec->via, "cut") == 0;
	f->start = rec->ts;
	f->end = NONE;
	f->n = rec->n_group_members;
	f->idx = calloc(f->n + 1, sizeof(*f->idx));
	f->bit = calloc(f->n + 1, sizeof(*f->bit));
	if (f->idx == NULL || f->bit == NULL)
		return RUMOR_ENOMEM;
	for (size_t i = 0; i < f->n; i++) {
		struct amember *m = rumor__member_get(a, rec->group_member[i]);
		if (m == NULL)
			return RUMOR_ENOMEM;
		f->idx[i] = m->idx;
		f->bit[i] = rec->group_of[i] == 0 ? 1 : 2;
	}
	return 0;
}

void
rumor__fault_end(struct rumor_analysis *a, const struct rumor_log_record *rec)
{
	struct afault *fs = a->faults.p;

	for (size_t i = a->faults.n; i-- > 0;)
		if (fs[i].num == rec->msg && fs[i].end == NONE) {
			fs[i].end = rec->ts;
			return;
		}
}

void
rumor__faults_free(struct rumor_analysis *a)
{
	struct afault *fs = a->faults.p;

	for (size_t i = 0; i < a->faults.n; i++) {
		free(fs[i].idx);
		free(fs[i].bit);
	}
	free(a->faults.p);
}

/* Fault f holds at ts, or ended at most the grace before. */
static int
holds(const struct rumor_analysis *a, const struct afault *f, int64_t ts)
{
	return f->start <= ts &&
	       (f->end == NONE || ts - f->end <= a->opt.partition_grace_ms);
}

/* m's side in f: bit 1 (a), 2 (b) or 0. By host:port: the faults are on
 * the process, so a new version it takes (rejoining after it was failed)
 * keeps its fault. */
static int
side_of(const struct rumor_analysis *a, const struct afault *f,
        const struct amember *m)
{
	int bits = 0;

	for (size_t i = 0; i < f->n; i++)
		if (rumor__same_hostport(a->members[f->idx[i]], m))
			bits |= f->bit[i];
	return bits;
}

/* Is the process of fault member x (any version of its host:port, the
 * newest known) running at ts? */
static int
process_running(const struct rumor_analysis *a, const struct amember *x,
                int64_t ts)
{
	struct hostport *h;

	if (rumor__member_running(x, ts))
		return 1;
	HASH_FIND(hh, a->hostports, x->id, x->hostport_len, h);
	return h != NULL && rumor__member_running(a->members[h->newest], ts);
}

/* Running processes (not m's) on side `bit` of f at ts. */
static size_t
running_on(const struct rumor_analysis *a, const struct afault *f, int bit,
           const struct amember *m, int64_t ts)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++) {
		const struct amember *x = a->members[f->idx[i]];
		n += f->bit[i] == bit && !rumor__same_hostport(x, m) &&
		     process_running(a, x, ts);
	}
	return n;
}

int
rumor__member_sick(const struct rumor_analysis *a, const struct amember *x,
                   int64_t ts)
{
	const struct afault *fs = a->faults.p;
	size_t others = 0, unheard = 0;

	for (size_t i = 0; i < a->faults.n; i++) {
		int s;
		if (!holds(a, &fs[i], ts) || !(s = side_of(a, &fs[i], x)))
			continue;
		if (!fs[i].link && (s & 1))
			return 1; /* its own fault: deaf, mute, slow, ... */
		if (fs[i].link && (s & 1))
			unheard += running_on(a, &fs[i], 2, x, ts);
		if (fs[i].link && fs[i].both && (s & 2))
			unheard += running_on(a, &fs[i], 1, x, ts);
	}
	if (unheard == 0)
		return 0;
	for (size_t i = 0; i < a->n_members; i++)
		others += a->members[i] != x &&
		          rumor__member_running(a->members[i], ts);
	/* heard by no majority of the others: its failure is expected */
	return unheard >= others || 2 * (others - unheard) <= others;
}

/* The newest fault that involves m (any side) at ts, or NULL. */
static const struct afault *
fault_of(const struct rumor_analysis *a, const struct amember *m, int64_t ts)
{
	const struct afault *fs = a->faults.p;

	for (size_t i = a->faults.n; i-- > 0;)
		if (holds(a, &fs[i], ts) && side_of(a, &fs[i], m))
			return &fs[i];
	return NULL;
}

void
rumor__false_cause(struct rumor_analysis *a, const struct amember *o,
                   const struct rumor_log_record *rec,
                   struct rumor_failure_report *r)
{
	const struct afault *fs = a->faults.p, *f = NULL;
	const struct amember *who = NULL;
	struct amember *from = NULL;

	if (rec->from[0])
		HASH_FIND_STR(a->by_id, rec->from, from);
	if (from != NULL && (f = fault_of(a, from, rec->ts)) != NULL)
		who = from; /* the observer heard it from a sick member */
	else if ((f = fault_of(a, o, rec->ts)) != NULL)
		who = o; /* the observer is sick itself */
	for (size_t i = a->faults.n; who == NULL && i-- > 0;)
		if (holds(a, &fs[i], rec->ts) && fs[i].n > 0) {
			f = &fs[i];
			who = a->members[f->idx[0]];
		}
	if (who == NULL)
		return;
	memcpy(r->cause, who->id, sizeof(r->cause));
	memcpy(r->cause_kind, f->kind, sizeof(r->cause_kind));
}
