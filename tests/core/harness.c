/* SPDX-License-Identifier: MIT */
/* The scripted cluster of harness.h: a heap of timed deliveries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define DELAY_MS  2
#define MAX_CORES 256

struct delivery {
	uint64_t at, seq;
	int to, from;
	bool is_stream; /* a join request from `to` for `from` to serve */
	uint64_t stream_id;
	size_t len;
	uint8_t *data;
};

struct node {
	struct rumor_core *core;
	struct rumor_member_id id;
	bool running, blocked;
	bool deaf, mute; /* receives nothing / sends nothing */
	struct cluster *c;
	int index;
};

struct event_rec {
	uint64_t at;
	enum rumor_event_kind kind;
	struct rumor_member_id observer, member;
};

struct cluster {
	struct rumor_config cfg;
	/* directed links that lose everything: bit to of cut[from] */
	uint8_t cut[MAX_CORES][MAX_CORES / 8];
	struct node nodes[MAX_CORES];
	int n;
	uint64_t now, seq, rng;
	double loss;
	struct delivery *heap;
	size_t n_heap, cap_heap;
	struct event_rec *events;
	size_t n_events, cap_events;
};

static uint64_t
next_rand(struct cluster *c)
{
	uint64_t z = (c->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool
before(const struct delivery *a, const struct delivery *b)
{
	return a->at != b->at ? a->at < b->at : a->seq < b->seq;
}

static void
heap_push(struct cluster *c, struct delivery d)
{
	if (c->n_heap == c->cap_heap) {
		c->cap_heap = c->cap_heap ? c->cap_heap * 2 : 1024;
		c->heap = realloc(c->heap, c->cap_heap * sizeof(*c->heap));
	}
	size_t i = c->n_heap++;
	while (i > 0 && before(&d, &c->heap[(i - 1) / 2])) {
		c->heap[i] = c->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	c->heap[i] = d;
}

static struct delivery
heap_pop(struct cluster *c)
{
	struct delivery top = c->heap[0], last = c->heap[--c->n_heap];
	size_t i = 0;

	for (;;) {
		size_t l = 2 * i + 1, m = i;
		const struct delivery *best = &last;
		if (l < c->n_heap && before(&c->heap[l], best))
			best = &c->heap[m = l];
		if (l + 1 < c->n_heap && before(&c->heap[l + 1], best))
			m = l + 1;
		if (m == i)
			break;
		c->heap[i] = c->heap[m];
		i = m;
	}
	if (c->n_heap > 0)
		c->heap[i] = last;
	return top;
}

static int
index_of(struct cluster *c, const struct rumor_addr *a)
{
	int i = a->port - 3000;
	return i >= 0 && i < c->n ? i : -1;
}

static bool
link_cut(const struct cluster *c, int from, int to)
{
	return c->cut[from][to / 8] & (1u << (to % 8));
}

void
cluster_cut_link(struct cluster *c, int from, int to, bool cut)
{
	if (cut)
		c->cut[from][to / 8] |= (uint8_t)(1u << (to % 8));
	else
		c->cut[from][to / 8] &= (uint8_t) ~(1u << (to % 8));
}

static int
on_send(void *user, const struct rumor_addr *to, const uint8_t *data,
        size_t len)
{
	struct node *src = user;
	struct cluster *c = src->c;
	int dst = index_of(c, to);

	if (dst < 0 || src->blocked || c->nodes[dst].blocked || src->mute ||
	    c->nodes[dst].deaf || link_cut(c, src->index, dst))
		return 0;
	if (c->loss > 0 && (double)(next_rand(c) >> 11) * 0x1.0p-53 < c->loss)
		return 0;
	struct delivery d = {.at = c->now + DELAY_MS,
	                     .seq = c->seq++,
	                     .to = dst,
	                     .from = src->index,
	                     .len = len};
	d.data = malloc(len);
	memcpy(d.data, data, len);
	heap_push(c, d);
	return 0;
}

static int
on_stream(void *user, uint64_t stream_id, const struct rumor_addr *to,
          const uint8_t *req, size_t len)
{
	struct node *src = user;
	struct cluster *c = src->c;
	int dst = index_of(c, to);
	struct delivery d = {.at = c->now + DELAY_MS,
	                     .seq = c->seq++,
	                     .to = src->index,
	                     .from = dst,
	                     .is_stream = true,
	                     .stream_id = stream_id,
	                     .len = len};

	d.data = malloc(len);
	memcpy(d.data, req, len);
	heap_push(c, d);
	return 0;
}

static void
on_event(void *user, const struct rumor_event *ev)
{
	struct node *nd = user;
	struct cluster *c = nd->c;

	if (c->n_events == c->cap_events) {
		c->cap_events = c->cap_events ? c->cap_events * 2 : 1024;
		c->events =
		    realloc(c->events, c->cap_events * sizeof(*c->events));
	}
	c->events[c->n_events++] = (struct event_rec){.at = c->now,
	                                              .kind = ev->kind,
	                                              .observer = ev->observer,
	                                              .member = ev->member};
	if (getenv("HARNESS_VERBOSE")) {
		char a[RUMOR_ID_STRLEN], b[RUMOR_ID_STRLEN];
		rumor_member_id_format(&ev->observer, a, sizeof(a));
		rumor_member_id_format(&ev->member, b, sizeof(b));
		fprintf(stderr, "%8llu %s %s %s %s\n",
		        (unsigned long long)c->now, a,
		        rumor_event_name(ev->kind), b, rumor_via_name(ev->via));
	}
}

static const struct rumor_callbacks callbacks = {
    .send_datagram = on_send,
    .stream_open = on_stream,
    .on_event = on_event,
};

static void
node_create(struct cluster *c, int i, uint64_t version)
{
	struct node *nd = &c->nodes[i];

	nd->c = c;
	nd->index = i;
	rumor_addr_parse("127.0.0.1:3000", &nd->id.addr);
	nd->id.addr.port = (uint16_t)(3000 + i);
	nd->id.version = version;
	if (rumor_core_new(&nd->core, &c->cfg, &callbacks, nd, &nd->id,
	                   next_rand(c), c->now) != 0)
		abort();
	nd->running = true;
}

struct cluster *
cluster_new(int n, const struct rumor_config *cfg, uint64_t seed)
{
	struct cluster *c = calloc(1, sizeof(*c));

	c->cfg = *cfg;
	c->n = n;
	c->rng = seed;
	c->now = 10000; /* not 0: catches "0 means unset" bugs */
	for (int i = 0; i < n; i++)
		node_create(c, i, 100 + (uint64_t)i);
	return c;
}

void
cluster_free(struct cluster *c)
{
	for (int i = 0; i < c->n; i++)
		rumor_core_free(c->nodes[i].core);
	for (size_t i = 0; i < c->n_heap; i++)
		free(c->heap[i].data);
	free(c->heap);
	free(c->events);
	free(c);
}

void
cluster_start(struct cluster *c)
{
	struct rumor_addr intro = c->nodes[0].id.addr;

	rumor_core_bootstrap(c->nodes[0].core, c->now);
	for (int i = 1; i < c->n; i++)
		rumor_core_join(c->nodes[i].core, c->now, &intro, 1);
}

static void
deliver_stream(struct cluster *c, struct delivery *d)
{
	struct node *joiner = &c->nodes[d->to];
	uint64_t stream_id = d->stream_id;
	static uint8_t reply[1 << 20];
	size_t reply_len;

	if (!joiner->running)
		return;
	if (d->from < 0 || !c->nodes[d->from].running ||
	    c->nodes[d->from].blocked || joiner->blocked ||
	    c->nodes[d->from].deaf || c->nodes[d->from].mute || joiner->deaf ||
	    joiner->mute ||
	    rumor_core_stream_serve(c->nodes[d->from].core, c->now,
	                            &joiner->id.addr, d->data, d->len, reply,
	                            sizeof(reply), &reply_len) != 0) {
		rumor_core_stream_failed(joiner->core, c->now, stream_id,
		                         RUMOR_EINVAL);
		return;
	}
	rumor_core_stream_reply(joiner->core, c->now, stream_id, reply,
	                        reply_len);
}

static uint64_t
next_timer(struct cluster *c, int *who)
{
	uint64_t best = RUMOR_NO_DEADLINE;

	for (int i = 0; i < c->n; i++) {
		if (!c->nodes[i].running)
			continue;
		uint64_t d = rumor_core_next_deadline(c->nodes[i].core);
		if (d < best) {
			best = d;
			*who = i;
		}
	}
	return best;
}

/* One step: the earliest of the next delivery and the next timer. */
static bool
step(struct cluster *c, uint64_t until)
{
	int who = -1;
	uint64_t t = next_timer(c, &who);
	uint64_t dt = c->n_heap ? c->heap[0].at : RUMOR_NO_DEADLINE;

	if (t > until && dt > until)
		return false;
	if (dt <= t) {
		struct delivery d = heap_pop(c);
		c->now = d.at > c->now ? d.at : c->now;
		if (d.is_stream)
			deliver_stream(c, &d);
		else if (c->nodes[d.to].running && !c->nodes[d.to].blocked &&
		         !c->nodes[d.to].deaf)
			rumor_core_recv_datagram(c->nodes[d.to].core, c->now,
			                         &c->nodes[d.from].id.addr,
			                         d.data, d.len);
		free(d.data);
	} else {
		c->now = t > c->now ? t : c->now;
		rumor_core_handle_timeout(c->nodes[who].core, c->now);
	}
	return true;
}

void
cluster_run_for(struct cluster *c, uint64_t ms)
{
	uint64_t until = c->now + ms;

	while (step(c, until))
		;
	c->now = until;
}

uint64_t
cluster_now(const struct cluster *c)
{
	return c->now;
}

void
cluster_set_loss(struct cluster *c, double loss)
{
	c->loss = loss;
}

void
cluster_block(struct cluster *c, int i, bool blocked)
{
	c->nodes[i].blocked = blocked;
}

void
cluster_set_deaf(struct cluster *c, int i, bool deaf)
{
	c->nodes[i].deaf = deaf;
}

void
cluster_set_mute(struct cluster *c, int i, bool mute)
{
	c->nodes[i].mute = mute;
}

void
cluster_crash(struct cluster *c, int i)
{
	rumor_core_free(c->nodes[i].core);
	c->nodes[i].core = NULL;
	c->nodes[i].running = false;
}

void
cluster_leave(struct cluster *c, int i)
{
	rumor_core_leave(c->nodes[i].core, c->now);
}

void
cluster_restart(struct cluster *c, int i, uint64_t version)
{
	struct rumor_addr intro = c->nodes[0].id.addr;

	if (c->nodes[i].running)
		cluster_crash(c, i);
	node_create(c, i, version);
	rumor_core_join(c->nodes[i].core, c->now, &intro, 1);
}

void
cluster_restart_bootstrap(struct cluster *c, int i, uint64_t version)
{
	if (c->nodes[i].running)
		cluster_crash(c, i);
	node_create(c, i, version);
	rumor_core_bootstrap(c->nodes[i].core, c->now);
}

struct rumor_core *
cluster_core(struct cluster *c, int i)
{
	return c->nodes[i].core;
}

const struct rumor_member_id *
cluster_id(struct cluster *c, int i)
{
	return &c->nodes[i].id;
}

int
cluster_inject(struct cluster *c, int i, int from, const uint8_t *data,
               size_t len)
{
	return rumor_core_recv_datagram(c->nodes[i].core, c->now,
	                                &c->nodes[from].id.addr, data, len);
}

struct find_arg {
	const struct rumor_member_id *id;
	int status;
};

static void
find_visit(void *arg, const struct rumor_member_view *m)
{
	struct find_arg *f = arg;
	if (rumor_member_id_cmp(&m->id, f->id) == 0)
		f->status = (int)m->status;
}

int
cluster_status_of(struct cluster *c, int observer,
                  const struct rumor_member_id *id)
{
	struct find_arg f = {.id = id, .status = -1};

	rumor_core_visit_members(c->nodes[observer].core, find_visit, &f);
	return f.status;
}

int
cluster_status(struct cluster *c, int observer, int member)
{
	return cluster_status_of(c, observer, &c->nodes[member].id);
}

static bool
holds(struct cluster *c, int member, int status, bool everywhere)
{
	int seen = 0, total = 0;

	for (int i = 0; i < c->n; i++) {
		if (i == member || !c->nodes[i].running ||
		    rumor_core_state(c->nodes[i].core) != RUMOR_STATE_ACTIVE)
			continue;
		total++;
		seen += cluster_status(c, i, member) == status;
	}
	return everywhere ? seen == total : seen > 0;
}

static int
wait_for(struct cluster *c, int member, int status, bool everywhere,
         uint64_t timeout_ms)
{
	uint64_t until = c->now + timeout_ms;

	while (!holds(c, member, status, everywhere)) {
		if (c->now >= until)
			return -1;
		cluster_run_for(c, until - c->now < 10 ? until - c->now : 10);
	}
	return 0;
}

int
cluster_wait_everywhere(struct cluster *c, int member, int status,
                        uint64_t timeout_ms)
{
	return wait_for(c, member, status, true, timeout_ms);
}

int
cluster_wait_anywhere(struct cluster *c, int member, int status,
                      uint64_t timeout_ms)
{
	return wait_for(c, member, status, false, timeout_ms);
}

struct alive_arg {
	struct cluster *c;
	int observer, n;
};

/* Count m when it is the current id of another running core, alive. */
static void
alive_visit(void *arg, const struct rumor_member_view *m)
{
	struct alive_arg *a = arg;
	int j = index_of(a->c, &m->id.addr);

	a->n += m->status == RUMOR_STATUS_ALIVE && j >= 0 && j != a->observer &&
	        a->c->nodes[j].running &&
	        rumor_member_id_cmp(&m->id, &a->c->nodes[j].id) == 0;
}

/* Every running core lists every other running one alive: one visit of
 * each list (O(N^2)), not one per pair. */
static bool
converged(struct cluster *c)
{
	int running = 0;

	for (int i = 0; i < c->n; i++)
		running += c->nodes[i].running;
	for (int i = 0; i < c->n; i++) {
		struct alive_arg a = {.c = c, .observer = i};
		if (!c->nodes[i].running)
			continue;
		if (rumor_core_state(c->nodes[i].core) != RUMOR_STATE_ACTIVE)
			return false;
		rumor_core_visit_members(c->nodes[i].core, alive_visit, &a);
		if (a.n != running - 1)
			return false;
	}
	return true;
}

int
cluster_wait_converged(struct cluster *c, uint64_t timeout_ms)
{
	uint64_t until = c->now + timeout_ms;

	/* checking is O(N^2 log N): look every 10 virtual ms, not per step */
	while (!converged(c)) {
		if (c->now >= until)
			return -1;
		cluster_run_for(c, until - c->now < 10 ? until - c->now : 10);
	}
	return 0;
}

int
cluster_count_events(struct cluster *c, enum rumor_event_kind kind,
                     const struct rumor_member_id *member)
{
	int n = 0;
	for (size_t i = 0; i < c->n_events; i++)
		n += c->events[i].kind == kind &&
		     rumor_member_id_cmp(&c->events[i].member, member) == 0;
	return n;
}

uint64_t
cluster_first_event_ms(struct cluster *c, enum rumor_event_kind kind,
                       const struct rumor_member_id *member)
{
	for (size_t i = 0; i < c->n_events; i++)
		if (c->events[i].kind == kind &&
		    rumor_member_id_cmp(&c->events[i].member, member) == 0)
			return c->events[i].at;
	return UINT64_MAX;
}

uint64_t
cluster_last_event_ms(struct cluster *c, enum rumor_event_kind kind,
                      const struct rumor_member_id *member)
{
	uint64_t at = 0;

	for (size_t i = 0; i < c->n_events; i++)
		if (c->events[i].kind == kind &&
		    rumor_member_id_cmp(&c->events[i].member, member) == 0)
			at = c->events[i].at;
	return at;
}
