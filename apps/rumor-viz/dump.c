/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz --dump-state, built with jansson. Times are ms since the first
 * line ("t"); a stage later than the dumped time is null, so the dump shows
 * what the viewer shows at that time.
 */
#include <jansson.h>

#include "describe.h"
#include "dump.h"
#include "rumor/errors.h"

static json_t *
opt_time(const struct viz_model *m, int64_t ts, int64_t t)
{
	if (ts == VIZ_NEVER || ts - m->ts0 > t)
		return json_null();
	return json_integer(ts - m->ts0);
}

/* A silent member: since when, and its last line. */
static void
silence_json(const struct viz_model *m, uint32_t j, json_t *obj)
{
	char buf[300];
	json_object_set_new(obj, "silent_since_ms",
	                    json_integer(m->members[j].last_ts - m->ts0));
	json_object_set_new(
	    obj, "last_line",
	    json_string(viz_last_line_text(m, j, buf, sizeof(buf))));
}

static json_t *
members_json(const struct viz_model *m, const struct viz_state *s)
{
	json_t *arr = json_array();
	for (uint32_t j = 0; j < m->n_members; j++) {
		uint32_t c[VIZ_B_MAX];
		viz_state_opinions(m, s, j, c);
		json_t *op = json_object();
		for (int b = 0; b < VIZ_B_MAX; b++)
			json_object_set_new(op, viz_belief_name(b),
			                    json_integer(c[b]));
		enum viz_truth t = viz_state_truth(s, j);
		json_t *obj = json_pack(
		    "{s:s, s:I, s:I, s:s, s:I, s:o}", "id", m->members[j].id,
		    "version", (json_int_t)m->members[j].version, "slot",
		    (json_int_t)m->members[j].slot, "truth", viz_truth_name(t),
		    "heartbeat", (json_int_t)s->heartbeat[j], "opinions", op);
		if (t == VIZ_T_SILENT)
			silence_json(m, j, obj);
		json_array_append_new(arr, obj);
	}
	return arr;
}

/* Beliefs that contradict the truth as known, by running observers. */
static json_int_t
contradictions(const struct viz_model *m, const struct viz_state *s)
{
	json_int_t n = 0;
	for (uint32_t o = 0; o < m->n_members; o++) {
		if (viz_state_truth(s, o) != VIZ_T_RUNNING)
			continue;
		for (uint32_t j = 0; j < m->n_members; j++)
			n += j != o &&
			     viz_contradicts(viz_state_truth(s, j),
			                     viz_state_belief(s, o, j));
	}
	return n;
}

static const char *
span_event(const struct viz_span *sp)
{
	return sp->ev == RUMOR_LOG_CRASH  ? "crash"
	       : sp->ev == RUMOR_LOG_LEFT ? "left"
	                                  : "silent";
}

static json_t *
beliefs_json(const struct viz_model *m, const struct viz_state *s)
{
	json_t *obj = json_object();
	for (uint32_t o = 0; o < m->n_members; o++) {
		if (viz_state_truth(s, o) == VIZ_T_UNSEEN)
			continue;
		json_t *row = json_object();
		for (uint32_t j = 0; j < m->n_members; j++) {
			enum viz_belief b = viz_state_belief(s, o, j);
			if (b != VIZ_B_UNKNOWN)
				json_object_set_new(
				    row, m->members[j].id,
				    json_string(viz_belief_name(b)));
		}
		json_object_set_new(obj, m->members[o].id, row);
	}
	return obj;
}

static json_t *
span_json(const struct viz_model *m, const struct viz_span *sp,
          const struct viz_state *s, int64_t t)
{
	json_t *pending = json_array();
	uint32_t lim = sp->n_watch < s->cap ? sp->n_watch : s->cap;
	for (uint32_t o = 0; o < lim; o++) {
		enum viz_belief b =
		    viz_state_belief(s, o, (uint32_t)sp->member);
		if (sp->watch[o] && viz_state_truth(s, o) == VIZ_T_RUNNING &&
		    (b == VIZ_B_ALIVE || b == VIZ_B_SUSPECT))
			json_array_append_new(pending,
			                      json_string(m->members[o].id));
	}
	return json_pack(
	    "{s:s, s:s, s:b, s:I, s:o, s:o, s:o, s:I, s:I, s:o}", "member",
	    m->members[sp->member].id, "event", span_event(sp), "inferred",
	    sp->ev == VIZ_SPAN_SILENT, "at_ms", (json_int_t)(sp->ts - m->ts0),
	    "first_suspect_ms", opt_time(m, sp->first_suspect, t),
	    "first_detect_ms", opt_time(m, sp->first_detect, t),
	    "last_detect_ms", opt_time(m, sp->last_detect, t), "expected",
	    (json_int_t)sp->expected, "pending_count",
	    (json_int_t)json_array_size(pending), "pending", pending);
}

/* Members whose log runs ahead of another's (causality broken). */
static json_t *
skew_json(const struct viz_model *m)
{
	json_t *arr = json_array();
	for (uint32_t j = 0; j < m->n_members; j++) {
		const struct viz_member *me = &m->members[j];
		if (!me->skew_ms)
			continue;
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:I, s:s}", "member", me->id,
		                   "ahead_of", m->members[me->skew_vs].id,
		                   "at_least_ms", (json_int_t)me->skew_ms,
		                   "evidence", me->skew_how));
	}
	return arr;
}

/* The path of a belief, origin last, and the sentence saying it. */
static json_t *
path_json(const struct viz_model *m, int64_t t, uint32_t o, uint32_t j)
{
	struct viz_hop hops[64];
	size_t n = viz_model_belief_path(m, t, o, j, hops, 64);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct viz_event *e = hops[i].e;
		json_array_append_new(
		    arr, json_pack("{s:s, s:s, s:I, s:s, s:s?, s:b}", "node",
		                   m->members[e->node].id, "ev",
		                   rumor_log_ev_name((enum rumor_log_ev)e->ev),
		                   "t_ms", (json_int_t)(e->ts - m->ts0), "via",
		                   viz_via_name(m, e->via), "from",
		                   e->from >= 0 ? m->members[e->from].id : NULL,
		                   "skew", hops[i].skew));
	}
	char text[2048];
	return json_pack("{s:o, s:s}", "hops", arr, "text",
	                 viz_path_text(m, hops, n, j, text, sizeof(text)));
}

int
viz_dump_state(struct viz_model *m, int64_t t, int32_t observer, int32_t member,
               FILE *out)
{
	int err = viz_model_seek(m, t);
	if (err)
		return err;
	const struct viz_state *s = &m->cur;
	json_t *spans = json_array();
	for (size_t k = 0; k < viz_model_span_n(m); k++) {
		const struct viz_span *sp = viz_model_span(m, k);
		/* a silence is known only once others logged past it */
		int64_t known =
		    sp->ev == VIZ_SPAN_SILENT
		        ? viz_model_silent_from(m, (uint32_t)sp->member)
		        : sp->ts;
		if (known - m->ts0 <= t)
			json_array_append_new(spans, span_json(m, sp, s, t));
	}
	char wall[48];
	json_t *root = json_pack(
	    "{s:I, s:I, s:s, s:I, s:b, s:I, s:I, s:I, s:I, s:I, s:o, s:o, "
	    "s:o}",
	    "t_ms", (json_int_t)t, "ts", (json_int_t)(m->ts0 + t), "wall",
	    viz_wall_time(m, m->ts0 + t, wall, sizeof(wall)), "duration_ms",
	    (json_int_t)viz_model_duration(m), "ground_truth", m->has_truth,
	    "contradictions", contradictions(m, s), "events_applied",
	    (json_int_t)s->next, "events_total", (json_int_t)m->n_ev,
	    "messages", (json_int_t)m->n_msgs, "errors",
	    (json_int_t)m->n_errors, "members", members_json(m, s), "beliefs",
	    beliefs_json(m, s), "detections", spans);
	if (!root)
		return RUMOR_ENOMEM;
	json_object_set_new(root, "skew", skew_json(m));
	if (observer >= 0 && member >= 0)
		json_object_set_new(
		    root, "path",
		    path_json(m, t, (uint32_t)observer, (uint32_t)member));
	err = json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (err || fputc('\n', out) == EOF)
		return RUMOR_EINVAL;
	return 0;
}
