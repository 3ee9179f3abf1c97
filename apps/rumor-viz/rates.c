/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz traffic from trace lines: bytes and datagrams per second per
 * member and message kind, sent (at the send line) or received (at the
 * recv or drop line; drops were received too), in time buckets.
 */
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"
#include "rumor/errors.h"

void
viz_rates_free(struct viz_rates *r)
{
	free(r->bytes);
	free(r->datagrams);
	memset(r, 0, sizeof(*r));
}

static void
count(struct viz_rates *r, unsigned kind, int64_t t, uint32_t bytes)
{
	if (t < r->t0)
		return;
	int64_t b = (t - r->t0) / r->bucket_ms;
	if (b >= (int64_t)r->n_buckets || kind >= r->n_kinds)
		return;
	double per_s = 1000.0 / (double)r->bucket_ms;
	size_t i = (size_t)kind * r->n_buckets + (size_t)b;
	r->bytes[i] += bytes * per_s;
	r->datagrams[i] += per_s;
}

int
viz_rates_compute(const struct viz_model *m, int32_t member, int recv,
                  int64_t t0, int64_t bucket_ms, uint32_t n_buckets,
                  struct viz_rates *out)
{
	memset(out, 0, sizeof(*out));
	out->t0 = t0;
	out->bucket_ms = bucket_ms < 1 ? 1 : bucket_ms;
	out->n_buckets = n_buckets;
	out->n_kinds = m->n_kinds;
	size_t n = (size_t)m->n_kinds * (n_buckets ? n_buckets : 1);
	out->bytes = calloc(n, sizeof(double));
	out->datagrams = calloc(n, sizeof(double));
	if (!out->bytes || !out->datagrams) {
		viz_rates_free(out);
		return RUMOR_ENOMEM;
	}
	int64_t from = m->ts0 + t0 - (recv ? m->max_flight_ms : 0);
	int64_t to = m->ts0 + t0 + (int64_t)n_buckets * out->bucket_ms;
	for (size_t i = viz_model_msg_lower(m, from);
	     i < m->n_msgs && m->msgs[i].t_send < to; i++) {
		const struct viz_msg *g = &m->msgs[i];
		if (!recv && g->sent && (member < 0 || g->from == member))
			count(out, g->kind, g->t_send - m->ts0, g->bytes);
		if (recv && g->t_end != VIZ_NEVER &&
		    (member < 0 || g->to == member))
			count(out, g->kind, g->t_end - m->ts0, g->bytes);
	}
	for (size_t i = 0; i < n; i++) {
		if (out->bytes[i] > out->max_bytes)
			out->max_bytes = out->bytes[i];
		if (out->datagrams[i] > out->max_datagrams)
			out->max_datagrams = out->datagrams[i];
	}
	return 0;
}
