/* Formatting events, traces and records as contract lines (event-log.md). */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "log_internal.h"

/* Contract integers must fit jansson's json_int_t (int64). */
static int
check_u64(uint64_t v)
{
	if (v > (uint64_t)INT64_MAX) {
		errno = ERANGE;
		return -1;
	}
	return 0;
}

static void
key_str(struct rumor__jbuf *b, const char *key, const char *val)
{
	rumor__json_key(b, key);
	rumor__json_str(b, val);
}

static void
key_u64(struct rumor__jbuf *b, const char *key, uint64_t val)
{
	rumor__json_key(b, key);
	rumor__json_u64(b, val);
}

/* Start a line with ts, node and ev. */
static void
line_begin(struct rumor__jbuf *b, int64_t ts, const char *node,
           enum rumor_log_ev ev)
{
	rumor__json_begin(b);
	rumor__json_key(b, "ts");
	rumor__json_i64(b, ts);
	key_str(b, "node", node);
	key_str(b, "ev", rumor_log_ev_name(ev));
}

static int
format_id(const struct rumor_member_id *id, char *buf)
{
	if (rumor_member_id_format(id, buf, RUMOR_ID_STRLEN) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int
rumor_log_write_event(struct rumor_log_writer *w, int64_t ts,
                      const struct rumor_event *ev)
{
	struct rumor__jbuf *b = rumor__writer_scratch(w);
	enum rumor_log_ev lev = rumor_log_ev_from_core(ev->kind);
	char node[RUMOR_ID_STRLEN], member[RUMOR_ID_STRLEN];
	int about_member = lev != RUMOR_LOG_JOINED && lev != RUMOR_LOG_LEFT;
	int with_hb = lev == RUMOR_LOG_SUSPECT || lev == RUMOR_LOG_ALIVE ||
	              lev == RUMOR_LOG_FAIL;

	if (lev == RUMOR_LOG_EV_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (format_id(&ev->observer, node) != 0 ||
	    (about_member && format_id(&ev->member, member) != 0))
		return -1;
	if (with_hb && check_u64(ev->heartbeat) != 0)
		return -1;
	line_begin(b, ts, node, lev);
	if (about_member)
		key_str(b, "member", member);
	if (ev->via != RUMOR_VIA_NONE)
		key_str(b, "via", rumor_via_name(ev->via));
	if (with_hb)
		key_u64(b, "heartbeat", ev->heartbeat);
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
	if (check_u64(tr->bytes) != 0 || check_u64(tr->msg_id) != 0)
		return -1;
	line_begin(b, ts, node, trace_ev[tr->dir]);
	key_str(b, "peer", peer);
	key_u64(b, "bytes", tr->bytes);
	if (tr->msg_kind > 0 && tr->msg_kind < RUMOR_MSG_KIND_MAX)
		key_str(b, "kind", rumor_msg_kind_name(tr->msg_kind));
	if (tr->msg_id != 0)
		key_u64(b, "msg", tr->msg_id);
	if (tr->dir == RUMOR_TRACE_DROP) {
		drop_reason(tr->err, reason, sizeof(reason));
		key_str(b, "reason", reason);
	}
	rumor__json_end(b);
	return rumor__writer_put_line(w, b);
}

/* "groups":[["a","b"],["c"]] from the record's group arrays. */
static int
put_groups(struct rumor__jbuf *b, const struct rumor_log_record *rec)
{
	size_t n_groups = rec->n_groups;

	if (n_groups == 0) { /* not given: as many as group_of names */
		for (size_t i = 0; i < rec->n_group_members; i++)
			if (rec->group_of[i] >= n_groups)
				n_groups = (size_t)rec->group_of[i] + 1;
	}
	for (size_t i = 0; i < rec->n_group_members; i++) {
		if (rec->group_of[i] >= n_groups) {
			errno = EINVAL;
			return -1;
		}
	}
	rumor__json_key(b, "groups");
	rumor__jbuf_putc(b, '[');
	for (size_t g = 0; g < n_groups; g++) {
		int first = 1;
		rumor__jbuf_put(b, g ? ",[" : "[", g ? 2 : 1);
		for (size_t i = 0; i < rec->n_group_members; i++) {
			if (rec->group_of[i] != g)
				continue;
			if (!first)
				rumor__jbuf_putc(b, ',');
			rumor__json_str(b, rec->group_member[i]);
			first = 0;
		}
		rumor__jbuf_putc(b, ']');
	}
	rumor__jbuf_putc(b, ']');
	return 0;
}

int
rumor_log_write_record(struct rumor_log_writer *w,
                       const struct rumor_log_record *rec)
{
	struct rumor__jbuf *b = rumor__writer_scratch(w);

	if ((unsigned)rec->ev >= RUMOR_LOG_EV_MAX) {
		errno = EINVAL;
		return -1;
	}
	if ((rec->has_bytes && check_u64(rec->bytes) != 0) ||
	    (rec->has_msg && check_u64(rec->msg) != 0) ||
	    (rec->has_heartbeat && check_u64(rec->heartbeat) != 0))
		return -1;
	line_begin(b, rec->ts, rec->node, rec->ev);
	if (rec->member[0])
		key_str(b, "member", rec->member);
	if (rec->via[0])
		key_str(b, "via", rec->via);
	if (rec->has_heartbeat)
		key_u64(b, "heartbeat", rec->heartbeat);
	if (rec->peer[0])
		key_str(b, "peer", rec->peer);
	if (rec->has_bytes)
		key_u64(b, "bytes", rec->bytes);
	if (rec->kind[0])
		key_str(b, "kind", rec->kind);
	if (rec->has_msg)
		key_u64(b, "msg", rec->msg);
	if (rec->reason[0])
		key_str(b, "reason", rec->reason);
	if (rec->ev == RUMOR_LOG_PARTITION && put_groups(b, rec) != 0)
		return -1;
	rumor__json_end(b);
	return rumor__writer_put_line(w, b);
}
