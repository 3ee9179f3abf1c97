/* SPDX-License-Identifier: MIT */
/*
 * Between the core and the loop. The core's callbacks (datagrams out,
 * join streams, events, traces, notices) land here, and every call into
 * the core is followed by rumor__node_after_core: re-arm the one timer at
 * rumor_core_next_deadline, stop once the core has left, stop on a fatal
 * error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "node_internal.h"

static void
on_timer(uv_timer_t *t)
{
	struct node *n = t->data;
	int rc;

	if (n->stopping)
		return;
	rc = rumor_core_handle_timeout(n->core, uv_now(n->loop));
	rumor__node_after_core(n, rc, "rumor_core_handle_timeout");
}

static void
rearm(struct node *n)
{
	uint64_t d = rumor_core_next_deadline(n->core);
	uint64_t now = uv_now(n->loop);

	if (!n->has_timer) {
		uv_timer_init(n->loop, &n->timer);
		n->timer.data = n;
		n->has_timer = true;
	}
	if (d == RUMOR_NO_DEADLINE)
		uv_timer_stop(&n->timer);
	else
		uv_timer_start(&n->timer, on_timer, d > now ? d - now : 0, 0);
}

void
rumor__node_after_core(struct node *n, int rc, const char *what)
{
	n->pending_uv_err = 0; /* a sync stream's connect error: no notice */
	if (n->stopping)
		return;
	if (rumor_is_fatal(rc)) {
		rumor__node_log(n, RUMOR_AGENT_LOG_ERROR, "%s: %s; stopping",
		                what, rumor_strerror(rc));
		rumor__node_halt(n, rc);
		return;
	}
	if (rumor_core_state(n->core) == RUMOR_STATE_LEFT) {
		rumor__node_halt(n, 0);
		return;
	}
	rearm(n);
}

int
rumor__node_recv(struct node *n, const struct rumor_addr *from,
                 const uint8_t *data, size_t len)
{
	int rc =
	    rumor_core_recv_datagram(n->core, uv_now(n->loop), from, data, len);

	rumor__node_after_core(n, rumor_is_fatal(rc) ? rc : 0,
	                       "rumor_core_recv_datagram");
	return rc;
}

int
rumor__node_request_leave(struct node *n)
{
	int rc;

	if (n->stopping || n->leaving)
		return RUMOR_ESTATE;
	rc = rumor_core_leave(n->core, uv_now(n->loop));
	if (rc == RUMOR_ESTATE)
		return rc;
	n->leaving = true;
	rumor__node_after_core(n, rumor_is_fatal(rc) ? rc : 0,
	                       "rumor_core_leave");
	return 0;
}

/* ---- the core's callbacks ---- */

static int
cb_send(void *user, const struct rumor_addr *to, const uint8_t *data,
        size_t len)
{
	return rumor__udp_send(user, to, data, len);
}

static int
cb_stream_open(void *user, uint64_t stream_id, const struct rumor_addr *to,
               const uint8_t *req, size_t len)
{
	return rumor__stream_open(user, stream_id, to, req, len);
}

static void
cb_event(void *user, const struct rumor_event *ev)
{
	rumor__node_event(user, ev);
}

static void
cb_trace(void *user, const struct rumor_trace *tr)
{
	struct node *n = user;

	if (n->log == NULL ||
	    rumor_log_write_trace(n->log, rumor_log_wall_ms(), tr) == 0)
		return;
	n->log_lost++;
	if (!n->log_failed) {
		n->log_failed = true;
		rumor__node_log(n, RUMOR_AGENT_LOG_ERROR,
		                "log %s: trace: %s (further errors not shown)",
		                n->log_path, strerror(errno));
	}
}

static void
notice_join_failed(struct node *n, const struct rumor_notice *no,
                   const char *where)
{
	const char *why = n->pending_reason   ? n->pending_reason
	                  : n->pending_uv_err ? uv_strerror(n->pending_uv_err)
	                                      : rumor_strerror(no->err);

	rumor__node_log(n, RUMOR_AGENT_LOG_WARN,
	                "join via %s failed: %s; retrying in %" PRIu64 " ms",
	                where, why, no->value);
	n->pending_uv_err = 0;
	rumor__resolve_again(n);
}

/* At most one line per second: a flood of garbage must not flood stderr. */
static void
bad_datagram(struct node *n, const struct rumor_notice *no, const char *where)
{
	uint64_t now = uv_now(n->loop);
	char more[64] = "";

	if (n->bad_last_ms != 0 && now - n->bad_last_ms < 1000) {
		n->bad_suppressed++;
		return;
	}
	if (n->bad_suppressed)
		snprintf(more, sizeof(more),
		         " (and %" PRIu64 " more before, "
		         "not shown)",
		         n->bad_suppressed);
	rumor__node_log(
	    n, RUMOR_AGENT_LOG_WARN,
	    "malformed datagram from %s (%" PRIu64 " bytes): %s%s%s", where,
	    no->value, rumor_strerror(no->err),
	    no->err == RUMOR_EWIRE_VERSION
	        ? " (this agent speaks wire protocol version " RUMOR_STR(
	              RUMOR_WIRE_VERSION) " only; see docs/operations.md, "
	                                  "\"Upgrades\")"
	        : "",
	    more);
	n->bad_last_ms = now;
	n->bad_suppressed = 0;
}

void
rumor__node_auth_failed(struct node *n, const struct rumor_addr *from,
                        const char *what)
{
	uint64_t now = uv_now(n->loop);
	char where[RUMOR_ADDR_STRLEN], more[64] = "";

	if (n->auth_last_ms != 0 && now - n->auth_last_ms < 1000) {
		n->auth_suppressed++;
		return;
	}
	if (n->auth_suppressed)
		snprintf(more, sizeof(more),
		         " (and %" PRIu64 " more before, not shown)",
		         n->auth_suppressed);
	rumor_addr_format(from, where, sizeof(where));
	rumor__node_log(n, RUMOR_AGENT_LOG_WARN, "from %s: %s; dropped%s",
	                where, what, more);
	n->auth_last_ms = now;
	n->auth_suppressed = 0;
}

static void
cb_notice(void *user, const struct rumor_notice *no)
{
	struct node *n = user;
	char where[RUMOR_ADDR_STRLEN], id[RUMOR_ID_STRLEN];

	rumor_addr_format(&no->addr, where, sizeof(where));
	switch (no->kind) {
	case RUMOR_NOTICE_JOIN_FAILED:
		notice_join_failed(n, no, where);
		break;
	case RUMOR_NOTICE_REACHABLE:
		rumor__node_log(n, RUMOR_AGENT_LOG_DEBUG,
		                "udp reachable: %s answered a ping in %" PRIu64
		                " ms",
		                where, no->value);
		break;
	case RUMOR_NOTICE_REJOINED:
		rumor_member_id_format(rumor_core_self(n->core), id,
		                       sizeof(id));
		rumor__node_say(n,
		                "declared failed by the group: rejoined as a "
		                "new version (%s)",
		                id);
		rumor_node_version_save(n->state_dir, &n->bind, no->value);
		break;
	case RUMOR_NOTICE_BAD_DATAGRAM:
		bad_datagram(n, no, where);
		break;
	case RUMOR_NOTICE_JOIN_REJECTED:
		rumor__node_log(n, RUMOR_AGENT_LOG_WARN,
		                "join via %s refused: %s", where,
		                rumor_strerror(no->err));
		break;
	case RUMOR_NOTICE_VERSION_RAISED:
		rumor__node_say(n,
		                "join via %s refused: this address holds a "
		                "version at or above ours in the group (an "
		                "earlier process used it: state directory lost "
		                "or clock behind); taking version %" PRIu64
		                " and trying again",
		                where, no->value);
		rumor_node_version_save(n->state_dir, &n->bind, no->value);
		break;
	case RUMOR_NOTICE_BROKEN_LINK:
		rumor__node_log(
		    n, RUMOR_AGENT_LOG_WARN,
		    "broken link: %s is alive (others hear it) but "
		    "its heartbeats have not reached us for %" PRIu64 " ms",
		    where, no->value);
		break;
	case RUMOR_NOTICE_STARTED_GROUP:
		rumor__node_say(n,
		                "seed is itself joining: %s asked to join us "
		                "before any seed answered; starting the group "
		                "with it (the seeds are still tried)",
		                where);
		break;
	}
}

void
rumor__node_callbacks(struct rumor_callbacks *cb)
{
	memset(cb, 0, sizeof(*cb));
	cb->send_datagram = cb_send;
	cb->stream_open = cb_stream_open;
	cb->on_event = cb_event;
	cb->on_trace = cb_trace;
	cb->on_notice = cb_notice;
}
