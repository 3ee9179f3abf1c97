/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz incidents: crashes, restarts, leaves, inferred silences,
 * partitions and heals, for `n` / Shift+n; finding a member by name.
 */
#include <string.h>

#include "model_internal.h"

static void
span_incident(const struct viz_model *m, const struct viz_span *sp,
              struct viz_incident *out)
{
	out->ts = sp->ts;
	out->member = sp->member;
	out->what = sp->ev == RUMOR_LOG_LEFT    ? "leave"
	            : sp->ev == VIZ_SPAN_SILENT ? "silent"
	            : sp->restart               ? "restart"
	                                        : "crash";
	(void)m;
}

/* Is a better than best in direction dir (ties: the earlier listed)? */
static int
better(int64_t a, int64_t best, int have, int dir)
{
	return !have || (dir > 0 ? a < best : a > best);
}

int
viz_model_step_incident(const struct viz_model *m, int64_t t, int dir,
                        struct viz_incident *out)
{
	int64_t ts = m->ts0 + t;
	int have = 0;
	for (size_t k = 0; k < viz_model_span_n(m); k++) {
		struct viz_incident c;
		span_incident(m, viz_model_span(m, k), &c);
		if ((dir > 0 ? c.ts > ts : c.ts < ts) &&
		    better(c.ts, out->ts, have, dir)) {
			*out = c;
			have = 1;
		}
	}
	for (size_t i = 0; i < 2 * m->n_cuts; i++) {
		int64_t c = m->cuts[i];
		if (c == VIZ_NEVER || !(dir > 0 ? c > ts : c < ts) ||
		    !better(c, out->ts, have, dir))
			continue;
		*out =
		    (struct viz_incident){c, -1, i % 2 ? "heal" : "partition"};
		have = 1;
	}
	return have;
}

int32_t
viz_model_match(const struct viz_model *m, const char *s, int32_t *other)
{
	int32_t hit = viz_model_find(m, s);
	if (hit >= 0 || !*s)
		return *s ? hit : -1;
	for (uint32_t j = 0; j < m->n_members; j++) {
		if (!strstr(m->members[j].id, s))
			continue;
		if (hit >= 0) {
			if (other)
				*other = (int32_t)j;
			return -2;
		}
		hit = (int32_t)j;
	}
	return hit;
}
