/* SPDX-License-Identifier: MIT */
/* Lines from the core's events and message traces (event-log.md). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "log_internal.h"

#define format_id(id, buf) rumor__writer_format_id(w, id, buf)

int
rumor_log_write_event(struct rumor_log_writer *w, int64_t ts,
                      const struct rumor_event *ev)
{
	struct rumor__jbuf *b = rumor__writer_scratch(w);
	enum rumor_log_ev lev = rumor_log_ev_from_core(ev->kind);
	char node[RUMOR_ID_STRLEN], member[RUMOR_ID_STRLEN];
	char from[RUMOR_ID_STRLEN];
	int with_from = ev->from.version != 0;
	int about_member = lev != RUMOR_LOG_JOINED && lev != RUMOR_LOG_LEFT;
	int with_hb = lev == RUMOR_LOG_SUSPECT || lev == RUMOR_LOG_ALIVE ||
	              lev == RUMOR_LOG_FAIL;

	if (lev == RUMOR_LOG_EV_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (format_id(&ev->observer, node) != 0 ||
	    (about_member && format_id(&ev->member, member) != 0) ||
	    (with_from && format_id(&ev->from, from) != 0))
		return -1;
	if (with_hb && rumor__check_u64(ev->heartbeat) != 0)
		return -1;
	rumor__line_begin(b, ts, node, lev);
	if (about_member)
		rumor__key_str(b, "member", member);
	if (ev->via != RUMOR_VIA_NONE)
		rumor__key_str(b, "via", rumor_via_name(ev->via));
	if (with_from)
		rumor__key_str(b, "from", from);
	if (with_hb)
		rumor__key_u64(b, "heartbeat", ev->heartbeat);
	if (ev->tags_version != 0 &&
	    (lev == RUMOR_LOG_JOIN || lev == RUMOR_LOG_JOINED ||
	     lev == RUMOR_LOG_UPDATE))
		rumor__key_tags(b, ev->tags, ev->tags_len);
	rumor__json_end(b);
	return rumor__writer_put_line(w, b);
}

/* "drop-rate", or the error's name lower-cased: EWIRE_TRUNCATED gives
 * "wire-truncated". */
static void
drop_reason(int err, char *buf, size_t cap)
{
	const char *name = rumor_err_name(err);
	size_t i = 0;

	if (err == RUMOR_EDROPPED) {
		strcpy(buf, "drop-rate");
		return;
	}
	if (name[0] == 'E')
		name++;
	for (; name[i] && i + 1 < cap; i++)
		buf[i] = name[i] == '_' ? '-'
		                        : (char)tolower((unsigned char)name[i]);
	buf[i] = '\0';
}

static const enum rumor_log_ev trace_ev[] = {
    [RUMOR_TRACE_SEND] = RUMOR_LOG_SEND,
    [RUMOR_TRACE_RECV] = RUMOR_LOG_RECV,
    [RUMOR_TRACE_DROP] = RUMOR_LOG_DROP,
};

int
rumor_log_write_trace(struct rumor_log_writer *w, int64_t ts,
                      const struct rumor_trace *tr)
{
	struct rumor__jbuf *b = rumor__writer_scratch(w);
	char node[RUMOR_ID_STRLEN], peer[RUMOR_ID_STRLEN], reason[32];

	if ((unsigned)tr->dir > RUMOR_TRACE_DROP) {
		errno = EINVAL;
		return -1;
	}
	if (format_id(&tr->observer, node) != 0)
		return -1;
	if (tr->peer.version != 0
	        ? format_id(&tr->peer, peer) != 0
	        : rumor_addr_format(&tr->peer_addr, peer, sizeof(peer)) < 0) {
		errno = EINVAL;
		return -1;
	}
	if (rumor__check_u64(tr->bytes) != 0 ||
	    rumor__check_u64(tr->msg_id) != 0)
		return -1;
	rumor__line_begin(b, ts, node, trace_ev[tr->dir]);
	rumor__key_str(b, "peer", peer);
	rumor__key_u64(b, "bytes", tr->bytes);
	if (tr->msg_kind > 0 && tr->msg_kind < RUMOR_MSG_KIND_MAX)
		rumor__key_str(b, "kind", rumor_msg_kind_name(tr->msg_kind));
	if (tr->msg_id != 0)
		rumor__key_u64(b, "msg", tr->msg_id);
	if (tr->dir == RUMOR_TRACE_DROP) {
		drop_reason(tr->err, reason, sizeof(reason));
		rumor__key_str(b, "reason", reason);
	}
	rumor__json_end(b);
	return rumor__writer_put_line(w, b);
}
