/* SPDX-License-Identifier: MIT */
/*
 * Prometheus metrics: `--metrics-bind HOST:PORT` serves GET /metrics in
 * the text exposition format (version 0.0.4) through libmicrohttpd.
 *
 * Threading: none of our own. MHD runs with MHD_USE_EPOLL and no thread:
 * its one epoll descriptor is watched by a uv_poll on the agent's loop,
 * and MHD_run() is called when it is readable and on a 500 ms timer (for
 * MHD's connection timeouts). So the answer is built on the loop thread,
 * straight from the core and the agent's counters: no snapshot copies, no
 * mutex, and a scrape can never see a half-updated state. A scrape costs
 * the loop one pass over the membership list (O(N)).
 */
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "node_internal.h"

/* Buckets of the suspicion-to-failure histogram, ms (le). */
static const uint32_t buckets_ms[] = {250,  500,   1000,  2000, 3000,
                                      5000, 10000, 30000, 60000};
#define N_BUCKETS (sizeof(buckets_ms) / sizeof(buckets_ms[0]))
/* Suspicions tracked for the histogram at once (oldest overwritten). */
#define SUSPECT_SLOTS 1024

struct suspect_slot {
	struct rumor_member_id id;
	uint64_t since_ms;
};

struct metrics {
	struct node *n;
	struct MHD_Daemon *mhd;
	uv_poll_t poll;
	uv_timer_t timer;
	bool has_poll, has_timer;
	uint64_t leaves, joins, updates, scrapes;
	uint64_t hist[N_BUCKETS + 1]; /* last: +Inf */
	double hist_sum_s;
	uint64_t hist_count;
	struct suspect_slot sus[SUSPECT_SLOTS];
	uint32_t sus_next;
};

/* A growing text buffer. */
struct out {
	char *buf;
	size_t len, cap;
	bool failed;
};

static void
put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	for (;;) {
		va_start(ap, fmt);
		k = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
		if (k < 0) {
			o->failed = true;
			return;
		}
		if ((size_t)k < o->cap - o->len) {
			o->len += (size_t)k;
			return;
		}
		size_t cap = o->cap * 2 + (size_t)k;
		char *p = realloc(o->buf, cap);
		if (p == NULL) {
			o->failed = true;
			return;
		}
		o->buf = p;
		o->cap = cap;
	}
}

static void
counter(struct out *o, const char *name, const char *help, uint64_t v)
{
	put(o, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name,
	    name, (unsigned long long)v);
}

static void
gauge(struct out *o, const char *name, const char *help, uint64_t v)
{
	put(o, "# HELP %s %s\n# TYPE %s gauge\n%s %llu\n", name, help, name,
	    name, (unsigned long long)v);
}

static void
count_status(void *arg, const struct rumor_member_view *m)
{
	uint64_t *by = arg;

	if ((unsigned)m->status < RUMOR_STATUS_MAX)
		by[m->status]++;
}

static void
by_kind(struct out *o, const char *name, const char *help, const uint64_t *v)
{
	put(o, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
	for (int k = 1; k < RUMOR_MSG_KIND_MAX; k++)
		put(o, "%s{kind=\"%s\"} %llu\n", name, rumor_msg_kind_name(k),
		    (unsigned long long)v[k]);
}

static void
histogram(struct out *o, const struct metrics *m)
{
	const char *name = "rumor_suspicion_to_failure_seconds";
	uint64_t cum = 0;

	put(o,
	    "# HELP %s Time from this member's first suspect event about a "
	    "member to its fail event.\n# TYPE %s histogram\n",
	    name, name);
	for (size_t i = 0; i < N_BUCKETS; i++) {
		cum += m->hist[i];
		put(o, "%s_bucket{le=\"%g\"} %llu\n", name,
		    buckets_ms[i] / 1000.0, (unsigned long long)cum);
	}
	cum += m->hist[N_BUCKETS];
	put(o, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.3f\n%s_count %llu\n",
	    name, (unsigned long long)cum, name, m->hist_sum_s, name,
	    (unsigned long long)m->hist_count);
}

static void
render(struct metrics *m, struct out *o)
{
	struct node *n = m->n;
	struct rumor_stats s;
	uint64_t by[RUMOR_STATUS_MAX] = {0};

	rumor_core_stats(n->core, &s);
	rumor_core_visit_members(n->core, count_status, by);
	put(o, "# HELP rumor_members Entries of the membership list by "
	       "status (self included).\n# TYPE rumor_members gauge\n");
	for (int st = 0; st < RUMOR_STATUS_MAX; st++)
		put(o, "rumor_members{status=\"%s\"} %llu\n",
		    rumor_status_name(st), (unsigned long long)by[st]);
	counter(o, "rumor_suspicions_total", "Suspicions this member raised.",
	        s.suspicions);
	counter(o, "rumor_refutations_total",
	        "Suspicions of this member it refuted.", s.refutations);
	counter(o, "rumor_failures_declared_total",
	        "Members this member declared failed.", s.failures_declared);
	counter(o, "rumor_leaves_total", "Leave events seen.", m->leaves);
	counter(o, "rumor_joins_total", "Join events seen.", m->joins);
	counter(o, "rumor_updates_total", "Tag update events seen.",
	        m->updates);
	by_kind(o, "rumor_messages_sent_total",
	        "Datagrams and stream messages sent, by kind.", s.sent_by_kind);
	by_kind(o, "rumor_bytes_sent_total",
	        "Bytes of datagrams and stream messages sent, by kind.",
	        s.sent_bytes_by_kind);
	by_kind(o, "rumor_datagrams_received_total",
	        "Datagrams received that decoded, by kind.", s.recv_by_kind);
	by_kind(o, "rumor_bytes_received_total",
	        "Bytes of datagrams received that decoded, by kind.",
	        s.recv_bytes_by_kind);
	counter(o, "rumor_datagrams_malformed_total",
	        "Datagrams dropped as malformed (any decode error).",
	        s.recv_malformed);
	counter(o, "rumor_unauthenticated_total",
	        "Datagrams and stream messages that failed authentication.",
	        n->auth_failed_datagrams + n->auth_failed_streams);
	counter(o, "rumor_streams_opened_total",
	        "Join and sync streams this member opened.",
	        s.streams_opened + s.syncs);
	counter(o, "rumor_streams_served_total",
	        "Join and sync streams this member answered.",
	        s.streams_served);
	counter(o, "rumor_streams_failed_total", "Streams that failed.",
	        s.streams_failed);
	counter(o, "rumor_decisions_withheld_total",
	        "Accusations and failure decisions withheld while this "
	        "member's own health was in doubt.",
	        s.withheld);
	counter(o, "rumor_decisions_reopened_total",
	        "Failure decisions postponed by ill health for more than "
	        "T_suspect that gave the suspect a new refutation window.",
	        s.reopened);
	gauge(o, "rumor_broken_links",
	      "Ring predecessors whose heartbeats reach others but not us.",
	      s.broken_links);
	counter(o, "rumor_handler_drops_total",
	        "Event handler runs dropped (queue full).",
	        rumor__handlers_dropped(n));
	histogram(o, m);
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
       const char *version, const char *upload, size_t *upload_size,
       void **state)
{
	struct metrics *m = cls;
	struct MHD_Response *r;
	struct out o = {0};
	enum MHD_Result rc;
	unsigned status = MHD_HTTP_OK;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)state;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
		put(&o, "only GET\n");
	} else if (strcmp(url, "/metrics") != 0) {
		status = MHD_HTTP_NOT_FOUND;
		put(&o, "not found: try /metrics\n");
	} else if (m->n->core == NULL) {
		status = MHD_HTTP_SERVICE_UNAVAILABLE;
		put(&o, "starting\n");
	} else {
		m->scrapes++;
		render(m, &o);
	}
	if (o.failed) {
		free(o.buf);
		return MHD_NO;
	}
	r = MHD_create_response_from_buffer(o.len, o.buf,
	                                    MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(o.buf);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type",
	                        status == MHD_HTTP_OK
	                            ? "text/plain; version=0.0.4; charset=utf-8"
	                            : "text/plain");
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static void
run(struct metrics *m)
{
	if (m->mhd != NULL)
		MHD_run(m->mhd);
}

static void
on_poll(uv_poll_t *p, int status, int events)
{
	(void)status;
	(void)events;
	run(p->data);
}

static void
on_timer(uv_timer_t *t)
{
	run(t->data);
}

int
rumor__metrics_start(struct node *n, const struct rumor_node_options *opt,
                     char *err, size_t cap)
{
	struct metrics *m;
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	char text[RUMOR_ADDR_STRLEN];

	if (opt->metrics_bind == NULL)
		return 0;
	rumor__addr_to_sockaddr(opt->metrics_bind, &ss);
	rumor_addr_format(opt->metrics_bind, text, sizeof(text));
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return RUMOR_ENOMEM;
	m->n = n;
	n->metrics = m;
	m->mhd = MHD_start_daemon(
	    MHD_USE_EPOLL | (opt->metrics_bind->family == 6 ? MHD_USE_IPv6 : 0),
	    opt->metrics_bind->port, NULL, NULL, answer, m,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)16, MHD_OPTION_END);
	if (m->mhd == NULL) {
		snprintf(err, cap,
		         "--metrics-bind %s: cannot listen (address in use or "
		         "not local?)",
		         text);
		return RUMOR_EINVAL;
	}
	info = MHD_get_daemon_info(m->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (info == NULL ||
	    uv_poll_init(n->loop, &m->poll, info->epoll_fd) != 0) {
		snprintf(err, cap, "--metrics-bind %s: no epoll descriptor",
		         text);
		return RUMOR_EINVAL;
	}
	m->has_poll = true;
	m->poll.data = m;
	uv_poll_start(&m->poll, UV_READABLE, on_poll);
	uv_timer_init(n->loop, &m->timer);
	m->has_timer = true;
	m->timer.data = m;
	uv_timer_start(&m->timer, on_timer, 500, 500);
	rumor__node_say(n, "metrics: http://%s/metrics", text);
	return 0;
}

/* The open suspicion of id, or NULL. */
static struct suspect_slot *
find_suspect(struct metrics *m, const struct rumor_member_id *id)
{
	for (uint32_t i = 0; i < SUSPECT_SLOTS; i++)
		if (m->sus[i].since_ms != 0 &&
		    rumor_member_id_cmp(&m->sus[i].id, id) == 0)
			return &m->sus[i];
	return NULL;
}

void
rumor__metrics_event(struct node *n, const struct rumor_event *ev)
{
	struct metrics *m = n->metrics;
	struct suspect_slot *s;

	if (m == NULL)
		return;
	switch (ev->kind) {
	case RUMOR_EV_LEAVE:
		m->leaves++;
		return;
	case RUMOR_EV_JOIN:
		m->joins++;
		return;
	case RUMOR_EV_UPDATE:
		m->updates++;
		return;
	case RUMOR_EV_SUSPECT:
		if (find_suspect(m, &ev->member) != NULL)
			return; /* the first suspect event counts */
		m->sus[m->sus_next].id = ev->member;
		m->sus[m->sus_next].since_ms = ev->now_ms;
		m->sus_next = (m->sus_next + 1) % SUSPECT_SLOTS;
		return;
	case RUMOR_EV_ALIVE:
		if ((s = find_suspect(m, &ev->member)) != NULL)
			s->since_ms = 0; /* refuted */
		return;
	case RUMOR_EV_FAIL:
		if ((s = find_suspect(m, &ev->member)) != NULL) {
			uint64_t ms = ev->now_ms - s->since_ms;
			size_t b = 0;
			while (b < N_BUCKETS && ms > buckets_ms[b])
				b++;
			m->hist[b]++;
			m->hist_sum_s += (double)ms / 1000.0;
			m->hist_count++;
			s->since_ms = 0;
		}
		return;
	default:
		return;
	}
}

void
rumor__metrics_stop(struct node *n)
{
	struct metrics *m = n->metrics;

	if (m == NULL)
		return;
	if (m->has_poll) {
		n->prog_holds++;
		m->poll.data = n;
		uv_close((uv_handle_t *)&m->poll, rumor__node_release_cb);
	}
	if (m->has_timer) {
		n->prog_holds++;
		m->timer.data = n;
		uv_close((uv_handle_t *)&m->timer, rumor__node_release_cb);
	}
	m->has_poll = m->has_timer = false;
}

void
rumor__metrics_free(struct node *n)
{
	struct metrics *m = n->metrics;

	if (m == NULL)
		return;
	if (m->mhd)
		MHD_stop_daemon(m->mhd);
	free(m);
	n->metrics = NULL;
}
