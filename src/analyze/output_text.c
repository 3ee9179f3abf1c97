/* SPDX-License-Identifier: MIT */
/* Human-readable tables of the results (rumor analyze without --json). */
#include <errno.h>
#include <inttypes.h>

#include "analyze_internal.h"

/* Rows listed per table before "... and N more". */
#define MAX_ROWS 20

/* A time in ms, or "-". buf has 24 bytes. */
static const char *
fmt_ms(char *buf, int64_t v)
{
	if (v == NONE)
		return "-";
	snprintf(buf, 24, "%" PRId64, v);
	return buf;
}

/* ts as seconds after the start of the log: "+30.000s". */
static const char *
fmt_at(char *buf, const struct rumor_analyze_result *res, int64_t ts)
{
	int64_t d = ts - res->start_ts;

	snprintf(buf, 24, "%s%" PRId64 ".%03" PRId64 "s", d < 0 ? "-" : "+",
	         (d < 0 ? -d : d) / 1000, (d < 0 ? -d : d) % 1000);
	return buf;
}

static void
summary_line(FILE *out, const char *what, const struct rumor_summary *s)
{
	char a[24], b[24], c[24];

	fprintf(out, "  %-22s n %-5zu p50 %-8s p99 %-8s max %s\n", what, s->n,
	        fmt_ms(a, s->p50), fmt_ms(b, s->p99), fmt_ms(c, s->max));
}

static void
id_list(FILE *out, const char *what, const struct rumor_id_list *l)
{
	if (l->n == 0)
		return;
	fprintf(out, "    %s:", what);
	for (size_t i = 0; i < l->n && i < MAX_ROWS; i++)
		fprintf(out, " %s", l->ids[i]);
	if (l->n > MAX_ROWS)
		fprintf(out, " ... and %zu more", l->n - MAX_ROWS);
	fputc('\n', out);
}

static void
crashes(FILE *out, const struct rumor_analyze_result *res)
{
	char t[24], a[24], b[24], c[24], d[24];
	size_t n_more = 0;

	fprintf(out, "\nCrashes: %zu (times in ms after the crash)\n",
	        res->n_crashes);
	if (res->n_crashes == 0)
		return;
	fprintf(out, "  %-34s %-10s %-10s %8s %8s %8s %8s %9s %10s\n", "member",
	        "cause", "at", "suspect", "first", "p50", "all", "survivors",
	        "undetected");
	for (size_t i = 0, superseded = 0; i < res->n_crashes; i++) {
		const struct rumor_crash_report *r = &res->crashes[i];
		if (r->cause == RUMOR_CAUSE_SUPERSEDED &&
		    ++superseded > MAX_ROWS) {
			n_more++;
			continue;
		}
		fprintf(out, "  %-34s %-10s %-10s %8s %8s %8s %8s %9zu %10zu\n",
		        r->member, rumor_crash_cause_name(r->cause),
		        fmt_at(t, res, r->ts), fmt_ms(a, r->first_suspect_ms),
		        fmt_ms(b, r->first_detect_ms),
		        fmt_ms(c, r->p50_detect_ms),
		        fmt_ms(d, r->all_detect_ms), r->n_survivors,
		        r->undetected_by.n);
		id_list(out, "undetected by", &r->undetected_by);
	}
	if (n_more)
		fprintf(out,
		        "  ... and %zu more superseded ids (--json lists "
		        "all)\n",
		        n_more);
	fprintf(out, "  over crashes and restarts (not superseded ids):\n");
	summary_line(out, "first suspicion", &res->first_suspect);
	summary_line(out, "first detection", &res->first_detect);
	summary_line(out, "detection by all", &res->all_detect);
}

static void
failures(FILE *out, const struct rumor_analyze_result *res, const char *title,
         const struct rumor_failure_report *f, size_t n)
{
	char t[24];

	fprintf(out, "\n%s: %zu\n", title, n);
	for (size_t i = 0; i < n && i < MAX_ROWS; i++)
		fprintf(out, "  %-10s %s failed %s (via %s)%s%s%s%s%s\n",
		        fmt_at(t, res, f[i].ts), f[i].observer, f[i].member,
		        f[i].via[0] ? f[i].via : "-",
		        f[i].across ? " across the partition" : "",
		        f[i].cause[0] ? ", caused by " : "", f[i].cause,
		        f[i].cause[0] ? " " : "", f[i].cause_kind);
	if (n > MAX_ROWS)
		fprintf(out, "  ... and %zu more (--json lists all)\n",
		        n - MAX_ROWS);
}

static void
leaves(FILE *out, const struct rumor_analyze_result *res)
{
	char t[24], a[24], b[24];

	fprintf(out, "\nLeaves: %zu (times in ms after the leave began)\n",
	        res->n_leaves);
	if (res->n_leaves == 0)
		return;
	fprintf(out, "  %-34s %-10s %8s %8s %9s %8s %7s\n", "member", "at",
	        "first", "all", "observers", "as fail", "missing");
	for (size_t i = 0; i < res->n_leaves; i++) {
		const struct rumor_leave_report *l = &res->leaves[i];
		fprintf(out, "  %-34s %-10s %8s %8s %9zu %8zu %7zu\n",
		        l->member, fmt_at(t, res, l->ts),
		        fmt_ms(a, l->first_ms), fmt_ms(b, l->all_ms),
		        l->n_observers, l->recorded_as_fail.n, l->missing.n);
		id_list(out, "recorded as fail by", &l->recorded_as_fail);
		id_list(out, "never logged by", &l->missing);
	}
}

static void
joins(FILE *out, const struct rumor_analyze_result *res)
{
	size_t incomplete = 0;

	for (size_t i = 0; i < res->n_joins; i++)
		incomplete += res->joins[i].missing.n > 0;
	fprintf(out,
	        "\nJoins: %zu (ms after `joined`; %zu not seen by every "
	        "member)\n",
	        res->n_joins, incomplete);
	if (res->n_joins == 0)
		return;
	summary_line(out, "first join elsewhere", &res->join_first);
	summary_line(out, "join everywhere", &res->join_all);
}

static void
traffic(FILE *out, const struct rumor_traffic *t)
{
	if (!t->has_trace) {
		fprintf(out, "\nTraffic: no trace lines (run with --trace)\n");
		return;
	}
	fprintf(out,
	        "\nTraffic: %.1f bytes/member/s, %.2f messages/member/s; "
	        "busiest %s %.1f bytes/s\n",
	        t->bytes_per_member_per_s, t->msgs_per_member_per_s,
	        t->max_member, t->max_member_bytes_per_s);
	fprintf(out,
	        "  sent %" PRIu64 " (%" PRIu64 " bytes), received %" PRIu64
	        ", dropped %" PRIu64 "\n",
	        t->sent, t->bytes_sent, t->recv, t->dropped);
	for (int k = 0; k < RUMOR_MSG_KIND_MAX; k++)
		if (t->sent_by_kind[k])
			fprintf(out,
			        "  %-10s %10" PRIu64 " messages %12" PRIu64
			        " bytes\n",
			        k ? rumor_msg_kind_name(k) : "other",
			        t->sent_by_kind[k], t->bytes_by_kind[k]);
}

int
rumor_analysis_write_text(const struct rumor_analysis *a,
                          const struct rumor_analyze_input *in, FILE *out)
{
	const struct rumor_analyze_result *res = &a->res;

	if (!a->finished)
		return RUMOR_ESTATE;
	fprintf(out,
	        "%zu file(s), %" PRIu64 " records (%" PRIu64
	        " malformed lines skipped), %zu members, %.3f s of log\n",
	        in ? in->n_files : 0, res->n_records,
	        in ? in->malformed_lines : 0, res->n_members,
	        (double)res->duration_ms / 1000.0);
	crashes(out, res);
	failures(out, res, "False failures", res->false_failures,
	         res->n_false_failures);
	if (res->n_false_failures)
		fprintf(out, "  (of %zu distinct members)\n",
		        res->n_false_failed_members);
	failures(out, res, "Partition failures (expected)",
	         res->partition_failures, res->n_partition_failures);
	if (res->n_sick_failures)
		failures(out, res, "Failures of sick members (expected)",
		         res->sick_failures, res->n_sick_failures);
	if (res->n_unknown_failures)
		fprintf(out,
		        "  (%zu fail lines about members never seen "
		        "running)\n",
		        res->n_unknown_failures);
	if (res->n_silent_failures)
		fprintf(out,
		        "Unknown: %zu fail lines about members whose own log "
		        "had ended (no later line, no stop line) and no "
		        "ground truth says crashed: killed or alive is unknown "
		        "(add the scenario log, docs/analyze.md)\n",
		        res->n_silent_failures);
	leaves(out, res);
	joins(out, res);
	traffic(out, &res->traffic);
	errno = 0;
	if (fflush(out) != 0 || ferror(out)) {
		if (errno == 0)
			errno = EIO;
		return RUMOR_EINVAL;
	}
	return 0;
}
