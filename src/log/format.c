/* SPDX-License-Identifier: MIT */
/* Lines from any record: ground truth, start/stop (event-log.md). */
#include <errno.h>

#include "log_internal.h"

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
	if ((rec->has_bytes && rumor__check_u64(rec->bytes) != 0) ||
	    (rec->has_msg && rumor__check_u64(rec->msg) != 0) ||
	    (rec->has_heartbeat && rumor__check_u64(rec->heartbeat) != 0))
		return -1;
	rumor__line_begin(b, rec->ts, rec->node, rec->ev);
	if (rec->member[0])
		rumor__key_str(b, "member", rec->member);
	if (rec->via[0])
		rumor__key_str(b, "via", rec->via);
	if (rec->from[0])
		rumor__key_str(b, "from", rec->from);
	if (rec->has_heartbeat)
		rumor__key_u64(b, "heartbeat", rec->heartbeat);
	if (rec->peer[0])
		rumor__key_str(b, "peer", rec->peer);
	if (rec->has_bytes)
		rumor__key_u64(b, "bytes", rec->bytes);
	if (rec->kind[0])
		rumor__key_str(b, "kind", rec->kind);
	if (rec->has_msg)
		rumor__key_u64(b, "msg", rec->msg);
	if (rec->reason[0])
		rumor__key_str(b, "reason", rec->reason);
	if (rec->tags != NULL)
		rumor__key_tags(b, rec->tags, rec->tags_len);
	if ((rec->ev == RUMOR_LOG_PARTITION || rec->ev == RUMOR_LOG_SICK ||
	     rec->ev == RUMOR_LOG_WELL) &&
	    put_groups(b, rec) != 0)
		return -1;
	rumor__json_end(b);
	return rumor__writer_put_line(w, b);
}
