/* SPDX-License-Identifier: MIT */
/*
 * What an agent costs: the core's counters plus CPU time and memory of the
 * process, as the `stats` control command and the summary on stop give
 * them.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "node_internal.h"

/* Resident set size in KiB from /proc/self/statm; 0 when unknown. */
static uint64_t
rss_kib(void)
{
	unsigned long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (uint64_t)resident * (uint64_t)sysconf(_SC_PAGESIZE) / 1024;
}

/*
 * Peak RSS in KiB, never below an RSS this process has reported: Linux
 * updates ru_maxrss lazily (an idle agent showed rss_kib 2788 with
 * max_rss_kib 2648), so the peak is also taken over our own readings.
 */
static uint64_t
max_rss_kib(const struct rusage *ru, uint64_t rss)
{
	static uint64_t peak;

	if ((uint64_t)ru->ru_maxrss > peak)
		peak = (uint64_t)ru->ru_maxrss;
	if (rss > peak)
		peak = rss;
	return peak;
}

static uint64_t
tv_ms(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
}

static void
set_int(json_t *o, const char *key, uint64_t v)
{
	json_object_set_new(o, key, json_integer((json_int_t)v));
}

/* What hostile input cost: failed opens, and malformed datagrams by kind. */
static void
add_security(struct node *n, const struct rumor_stats *st, json_t *o)
{
	json_t *by = json_object();
	struct keyring_entry e;

	json_object_set_new(o, "encrypted", json_boolean(n->keys != NULL));
	for (size_t i = 0; i < rumor__keyring_count(n->keys); i++)
		if (rumor__keyring_entry(n->keys, i, &e) == 0 && e.primary)
			json_object_set_new(o, "key_primary",
			                    json_string(e.id));
	if (n->keys != NULL)
		set_int(o, "keys", rumor__keyring_count(n->keys));
	set_int(o, "auth_failed",
	        n->auth_failed_datagrams + n->auth_failed_streams);
	set_int(o, "auth_failed_datagrams", n->auth_failed_datagrams);
	set_int(o, "auth_failed_streams", n->auth_failed_streams);
	set_int(o, "clear_refused", n->clear_refused);
	set_int(o, "stream_conns_refused", n->stream_refused);
	set_int(o, "stream_conns_evicted", n->stream_evicted);
	set_int(o, "stream_conns_timed_out", n->stream_timed_out);
	set_int(o, "stream_conns_open", n->n_in);
	for (int err = -1; err >= RUMOR_ERROR_MIN; err--)
		if (st->malformed_by_err[-err] != 0)
			set_int(by, rumor_err_name(err),
			        st->malformed_by_err[-err]);
	json_object_set_new(o, "malformed_by_err", by);
}

char *
rumor__node_stats_json(struct node *n)
{
	struct rumor_stats st;
	struct rusage ru;
	char id[RUMOR_ID_STRLEN];
	uint64_t up = uv_now(n->loop) - n->start_loop_ms;
	json_t *o;
	char *s;
	uint64_t rss = rss_kib();

	rumor_core_stats(n->core, &st);
	getrusage(RUSAGE_SELF, &ru);
	rumor_member_id_format(rumor_core_self(n->core), id, sizeof(id));
	o = json_pack("{sssIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsI}", "member",
	              id, "uptime_ms", (json_int_t)up, "members",
	              (json_int_t)rumor_core_member_count(n->core),
	              "datagrams_sent", (json_int_t)st.datagrams_sent,
	              "bytes_sent", (json_int_t)st.bytes_sent, "send_errors",
	              (json_int_t)st.send_errors, "datagrams_recv",
	              (json_int_t)st.datagrams_recv, "bytes_recv",
	              (json_int_t)st.bytes_recv, "recv_dropped",
	              (json_int_t)st.recv_dropped, "recv_malformed",
	              (json_int_t)st.recv_malformed, "gossip_rounds",
	              (json_int_t)st.gossip_rounds, "streams_served",
	              (json_int_t)st.streams_served, "streams_opened",
	              (json_int_t)st.streams_opened, "streams_failed",
	              (json_int_t)st.streams_failed, "suspicions",
	              (json_int_t)st.suspicions, "refutations",
	              (json_int_t)st.refutations, "failures_declared",
	              (json_int_t)st.failures_declared, "cpu_user_ms",
	              (json_int_t)tv_ms(ru.ru_utime), "cpu_sys_ms",
	              (json_int_t)tv_ms(ru.ru_stime), "rss_kib",
	              (json_int_t)rss, "max_rss_kib",
	              (json_int_t)max_rss_kib(&ru, rss));
	if (o == NULL)
		return NULL;
	/* an agent whose seeds never answered lists itself alive: say so */
	json_object_set_new(
	    o, "joining",
	    json_boolean(rumor_core_state(n->core) == RUMOR_STATE_JOINING));
	json_object_set_new(o, "suspicions_withheld",
	                    json_integer((json_int_t)st.withheld));
	json_object_set_new(o, "failures_vetoed",
	                    json_integer((json_int_t)st.vetoed));
	json_object_set_new(o, "failures_reopened",
	                    json_integer((json_int_t)st.reopened));
	json_object_set_new(o, "broken_links",
	                    json_integer((json_int_t)st.broken_links));
	json_object_set_new(o, "stream_bytes_sent",
	                    json_integer((json_int_t)st.stream_bytes_sent));
	json_object_set_new(o, "syncs", json_integer((json_int_t)st.syncs));
	json_object_set_new(o, "deaf", json_boolean(n->deaf));
	json_object_set_new(o, "mute", json_boolean(n->mute));
	set_int(o, "deaf_dropped", n->deaf_dropped);
	set_int(o, "mute_dropped", n->mute_dropped);
	add_security(n, &st, o);
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

void
rumor__node_print_summary(struct node *n)
{
	struct rumor_stats st;
	struct rusage ru;
	uint64_t up = uv_now(n->loop) - n->start_loop_ms;
	double secs = up > 0 ? (double)up / 1000.0 : 1.0;

	if (n->core == NULL)
		return;
	rumor_core_stats(n->core, &st);
	getrusage(RUSAGE_SELF, &ru);
	rumor__node_say(n,
	                "stop after %.1f s: sent %" PRIu64
	                " datagrams, %" PRIu64
	                " bytes (%.0f B/s); received %" PRIu64 " (%" PRIu64
	                " dropped, %" PRIu64 " malformed, %" PRIu64
	                " failed authentication); CPU %" PRIu64
	                " ms; max RSS %" PRIu64 " KiB",
	                secs, st.datagrams_sent, st.bytes_sent,
	                (double)st.bytes_sent / secs, st.datagrams_recv,
	                st.recv_dropped, st.recv_malformed,
	                n->auth_failed_datagrams + n->auth_failed_streams,
	                tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime),
	                max_rss_kib(&ru, rss_kib()));
}
