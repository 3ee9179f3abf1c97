/* SPDX-License-Identifier: MIT */
/* The single-core fixture of fixture.h. */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

int
fx_send_cb(void *user, const struct rumor_addr *to, const uint8_t *data,
           size_t len)
{
	struct fixture *fx = user;

	if (fx->n_sent < FX_MAX_SENT && len <= sizeof(fx->sent[0].data)) {
		fx->sent[fx->n_sent].to = *to;
		fx->sent[fx->n_sent].len = len;
		memcpy(fx->sent[fx->n_sent].data, data, len);
		fx->n_sent++;
	}
	return 0;
}

void
fx_event_cb(void *user, const struct rumor_event *ev)
{
	struct fixture *fx = user;

	if (fx->n_events < FX_MAX_EVENTS)
		fx->events[fx->n_events++] = *ev;
}

void
fx_notice_cb(void *user, const struct rumor_notice *n)
{
	struct fixture *fx = user;

	fx->last_notice = *n;
	fx->n_notices++;
}

int
fx_stream_cb(void *user, uint64_t id, const struct rumor_addr *to,
             const uint8_t *req, size_t len)
{
	struct fixture *fx = user;

	(void)to, (void)req, (void)len;
	fx->last_stream_id = id;
	return 0;
}

static const struct rumor_callbacks callbacks = {
    .send_datagram = fx_send_cb,
    .stream_open = fx_stream_cb,
    .on_event = fx_event_cb,
    .on_notice = fx_notice_cb,
};

struct rumor_member_id
fx_id(uint16_t port, uint64_t version)
{
	struct rumor_member_id id;

	rumor_addr_parse("127.0.0.1:1", &id.addr);
	id.addr.port = port;
	id.version = version;
	return id;
}

struct wire_entry
fx_entry(uint16_t port, uint64_t version, uint64_t hb, int status)
{
	struct wire_entry e = {.id = fx_id(port, version),
	                       .heartbeat = hb,
	                       .status = (uint8_t)status};
	return e;
}

struct fixture *
fx_new(const struct rumor_config *cfg)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fx->sent = calloc(FX_MAX_SENT, sizeof(*fx->sent));
	fx->cfg = *cfg;
	fx->self = fx_id(3000, 100);
	fx->now = 10000;
	if (rumor_core_new(&fx->core, cfg, &callbacks, fx, &fx->self, 42,
	                   fx->now) != 0 ||
	    rumor_core_bootstrap(fx->core, fx->now) != 0)
		abort();
	return fx;
}

void
fx_free(struct fixture *fx)
{
	rumor_core_free(fx->core);
	free(fx->sent);
	free(fx);
}

int
fx_gossip(struct fixture *fx, struct rumor_member_id from, uint64_t from_hb,
          const struct wire_entry *entries, size_t n)
{
	uint8_t buf[65000];
	struct wire_writer w;
	struct wire_entry own = {.id = from, .heartbeat = from_hb};

	/* fresh message ids: the core refuses replays */
	rumor__wire_begin(&w, buf, sizeof(buf), RUMOR_MSG_GOSSIP,
	                  ++fx->next_msg_id, &from, 0);
	if (from_hb != UINT64_MAX)
		rumor__wire_add_entry(&w, &own);
	for (size_t i = 0; i < n; i++)
		rumor__wire_add_entry(&w, &entries[i]);
	return rumor_core_recv_datagram(fx->core, fx->now, &from.addr, buf,
	                                rumor__wire_finish(&w));
}

void
fx_run(struct fixture *fx, uint64_t ms)
{
	uint64_t until = fx->now + ms;

	for (;;) {
		uint64_t d = rumor_core_next_deadline(fx->core);
		if (d > until)
			break;
		fx->now = d > fx->now ? d : fx->now;
		rumor_core_handle_timeout(fx->core, fx->now);
	}
	fx->now = until;
	rumor_core_handle_timeout(fx->core, fx->now);
}

int
fx_count(const struct fixture *fx, enum rumor_event_kind kind,
         struct rumor_member_id member)
{
	int n = 0;

	for (size_t i = 0; i < fx->n_events; i++)
		n += fx->events[i].kind == kind &&
		     rumor_member_id_cmp(&fx->events[i].member, &member) == 0;
	return n;
}

int
fx_last(const struct fixture *fx, enum rumor_event_kind kind,
        struct rumor_member_id member)
{
	for (size_t i = fx->n_events; i-- > 0;)
		if (fx->events[i].kind == kind &&
		    rumor_member_id_cmp(&fx->events[i].member, &member) == 0)
			return (int)i;
	return -1;
}

struct find {
	struct rumor_member_id id;
	int status;
	uint64_t hb;
};

static void
visit(void *arg, const struct rumor_member_view *m)
{
	struct find *f = arg;

	if (rumor_member_id_cmp(&m->id, &f->id) == 0) {
		f->status = (int)m->status;
		f->hb = m->heartbeat;
	}
}

int
fx_status(struct fixture *fx, struct rumor_member_id id)
{
	struct find f = {.id = id, .status = -1};

	rumor_core_visit_members(fx->core, visit, &f);
	return f.status;
}

uint64_t
fx_heartbeat(struct fixture *fx, struct rumor_member_id id)
{
	struct find f = {.id = id, .status = -1};

	rumor_core_visit_members(fx->core, visit, &f);
	return f.hb;
}

int
fx_decode_sent(const struct fixture *fx, size_t i, struct wire_msg *msg,
               struct wire_entry *entries, size_t cap)
{
	return rumor__wire_decode(fx->sent[i].data, fx->sent[i].len, msg,
	                          entries, cap);
}
