/* SPDX-License-Identifier: MIT */
/* The --json document (schema "rumor-analyze/1", docs/analyze.md). */
#include <errno.h>
#include <jansson.h>
#include <math.h>

#include "analyze_internal.h"

/* An int64 time or null. */
static json_t *
ms(int64_t v)
{
	return v == NONE ? json_null() : json_integer(v);
}

static json_t *
ids(const struct rumor_id_list *l)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr != NULL && i < l->n; i++)
		json_array_append_new(arr, json_string(l->ids[i]));
	return arr;
}

static json_t *
summary(const struct rumor_summary *s)
{
	return json_pack("{s:I,s:o,s:o,s:o}", "n", (json_int_t)s->n, "p50",
	                 ms(s->p50), "p99", ms(s->p99), "max", ms(s->max));
}

/* A rate rounded to 0.1, or null. */
static json_t *
rate(int has, double v)
{
	return has ? json_real(round(v * 10) / 10) : json_null();
}

/* Crashes the summaries are over: not the superseded ids. */
static size_t
counted_crashes(const struct rumor_analyze_result *res)
{
	size_t n = 0;

	for (size_t i = 0; i < res->n_crashes; i++)
		n += res->crashes[i].cause != RUMOR_CAUSE_SUPERSEDED;
	return n;
}

static json_t *
crashes(const struct rumor_analyze_result *res)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < res->n_crashes; i++) {
		const struct rumor_crash_report *c = &res->crashes[i];
		json_array_append_new(
		    arr, json_pack("{s:s,s:s,s:I,s:o,s:o,s:o,s:o,s:I,s:I,s:o}",
		                   "member", c->member, "cause",
		                   rumor_crash_cause_name(c->cause), "ts",
		                   (json_int_t)c->ts, "first_suspect_ms",
		                   ms(c->first_suspect_ms), "first_detect_ms",
		                   ms(c->first_detect_ms), "all_detect_ms",
		                   ms(c->all_detect_ms), "p50_detect_ms",
		                   ms(c->p50_detect_ms), "survivors",
		                   (json_int_t)c->n_survivors, "detected",
		                   (json_int_t)c->n_detected, "undetected_by",
		                   ids(&c->undetected_by)));
		if (c->n_sick_observers)
			json_object_set_new(
			    json_array_get(arr, json_array_size(arr) - 1),
			    "sick_observers",
			    json_integer((json_int_t)c->n_sick_observers));
	}
	return arr;
}

static json_t *
failures(const struct rumor_failure_report *f, size_t n, int with_across)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack(
		    "{s:I,s:s,s:s,s:s}", "ts", (json_int_t)f[i].ts, "observer",
		    f[i].observer, "member", f[i].member, "via", f[i].via);
		if (with_across)
			json_object_set_new(o, "across",
			                    json_boolean(f[i].across));
		if (f[i].cause[0]) {
			json_object_set_new(o, "cause",
			                    json_string(f[i].cause));
			json_object_set_new(o, "cause_kind",
			                    json_string(f[i].cause_kind));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *
leaves(const struct rumor_analyze_result *res)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < res->n_leaves; i++) {
		const struct rumor_leave_report *l = &res->leaves[i];
		json_array_append_new(
		    arr,
		    json_pack("{s:s,s:I,s:b,s:o,s:o,s:I,s:I,s:o,s:o}", "member",
		              l->member, "ts", (json_int_t)l->ts, "left_line",
		              l->has_left_line, "first_ms", ms(l->first_ms),
		              "all_ms", ms(l->all_ms), "observers",
		              (json_int_t)l->n_observers, "logged_leave",
		              (json_int_t)l->n_leave, "recorded_as_fail",
		              ids(&l->recorded_as_fail), "missing",
		              ids(&l->missing)));
	}
	return arr;
}

static json_t *
joins(const struct rumor_analyze_result *res)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < res->n_joins; i++) {
		const struct rumor_join_report *j = &res->joins[i];
		json_array_append_new(
		    arr,
		    json_pack("{s:s,s:I,s:o,s:o,s:I,s:I,s:o}", "member",
		              j->member, "ts", (json_int_t)j->ts, "first_ms",
		              ms(j->first_ms), "all_ms", ms(j->all_ms),
		              "observers", (json_int_t)j->n_observers,
		              "logged_join", (json_int_t)j->n_joined, "missing",
		              ids(&j->missing)));
	}
	return arr;
}

static json_t *
traffic(const struct rumor_traffic *t)
{
	json_t *kinds;

	if (!t->has_trace)
		return json_null();
	kinds = json_object();
	for (int k = 0; k < RUMOR_MSG_KIND_MAX; k++) {
		if (t->sent_by_kind[k] == 0)
			continue;
		json_object_set_new(kinds, k ? rumor_msg_kind_name(k) : "other",
		                    json_pack("{s:I,s:I}", "messages",
		                              (json_int_t)t->sent_by_kind[k],
		                              "bytes",
		                              (json_int_t)t->bytes_by_kind[k]));
	}
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:o}", "sent",
	                 (json_int_t)t->sent, "received", (json_int_t)t->recv,
	                 "dropped", (json_int_t)t->dropped, "bytes_sent",
	                 (json_int_t)t->bytes_sent, "bytes_received",
	                 (json_int_t)t->bytes_recv, "sent_by_kind", kinds);
}

static json_t *
input(const struct rumor_analyze_input *in)
{
	json_t *files = json_array();

	for (size_t i = 0; in != NULL && i < in->n_files; i++)
		json_array_append_new(files, json_string(in->files[i]));
	return files;
}

static json_t *
document(const struct rumor_analyze_result *res,
         const struct rumor_analyze_input *in)
{
	const struct rumor_traffic *t = &res->traffic;
	json_t *doc = json_pack(
	    "{s:s,s:o,s:I,s:I,s:o,s:o,s:I,s:I}", "schema", "rumor-analyze/1",
	    "files", input(in), "malformed_lines",
	    (json_int_t)(in ? in->malformed_lines : 0), "records",
	    (json_int_t)res->n_records, "start_ts", ms(res->start_ts), "end_ts",
	    ms(res->end_ts), "duration_ms", (json_int_t)res->duration_ms,
	    "members", (json_int_t)res->n_members);

	if (doc == NULL)
		return NULL;
	json_object_set_new(doc, "crashes", crashes(res));
	json_object_set_new(
	    doc, "crash_summary",
	    json_pack("{s:I,s:o,s:o,s:o,s:I}", "count",
	              (json_int_t)counted_crashes(res), "first_suspect_ms",
	              summary(&res->first_suspect), "first_detect_ms",
	              summary(&res->first_detect), "all_detect_ms",
	              summary(&res->all_detect), "undetected",
	              (json_int_t)res->n_undetected));
	json_object_set_new(doc, "false_failures",
	                    json_integer((json_int_t)res->n_false_failures));
	json_object_set_new(
	    doc, "false_failed_members",
	    json_integer((json_int_t)res->n_false_failed_members));
	json_object_set_new(
	    doc, "false_failure_list",
	    failures(res->false_failures, res->n_false_failures, 0));
	json_object_set_new(
	    doc, "partition_failures",
	    json_integer((json_int_t)res->n_partition_failures));
	json_object_set_new(
	    doc, "partition_failure_list",
	    failures(res->partition_failures, res->n_partition_failures, 1));
	json_object_set_new(doc, "sick_failures",
	                    json_integer((json_int_t)res->n_sick_failures));
	json_object_set_new(
	    doc, "sick_failure_list",
	    failures(res->sick_failures, res->n_sick_failures, 0));
	json_object_set_new(doc, "unknown_failures",
	                    json_integer((json_int_t)res->n_unknown_failures));
	json_object_set_new(doc, "silent_failures",
	                    json_integer((json_int_t)res->n_silent_failures));
	json_object_set_new(doc, "leaves", leaves(res));
	json_object_set_new(
	    doc, "leave_summary",
	    json_pack("{s:I,s:o,s:o,s:I}", "count", (json_int_t)res->n_leaves,
	              "first_ms", summary(&res->leave_first), "all_ms",
	              summary(&res->leave_all), "recorded_as_fail",
	              (json_int_t)res->n_leaves_recorded_as_fail));
	json_object_set_new(doc, "joins", joins(res));
	json_object_set_new(doc, "join_summary",
	                    json_pack("{s:I,s:o,s:o}", "count",
	                              (json_int_t)res->n_joins, "first_ms",
	                              summary(&res->join_first), "all_ms",
	                              summary(&res->join_all)));
	json_object_set_new(doc, "bytes_per_member_per_s",
	                    rate(t->has_trace, t->bytes_per_member_per_s));
	json_object_set_new(doc, "messages_per_member_per_s",
	                    rate(t->has_trace, t->msgs_per_member_per_s));
	json_object_set_new(doc, "max_member_bytes_per_s",
	                    rate(t->has_trace, t->max_member_bytes_per_s));
	json_object_set_new(doc, "max_member",
	                    t->has_trace ? json_string(t->max_member)
	                                 : json_null());
	json_object_set_new(doc, "traffic", traffic(t));
	return doc;
}

int
rumor_analysis_write_json(const struct rumor_analysis *a,
                          const struct rumor_analyze_input *in, FILE *out)
{
	json_t *doc;
	int rc;

	if (!a->finished)
		return RUMOR_ESTATE;
	doc = document(&a->res, in);
	if (doc == NULL)
		return RUMOR_ENOMEM;
	errno = 0;
	rc = json_dumpf(doc, out,
	                JSON_INDENT(2) | JSON_PRESERVE_ORDER |
	                    JSON_REAL_PRECISION(12));
	json_decref(doc);
	if (rc != 0 || fputc('\n', out) == EOF || fflush(out) != 0) {
		if (errno == 0)
			errno = EIO;
		return RUMOR_EINVAL;
	}
	return 0;
}
