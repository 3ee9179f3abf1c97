/* SPDX-License-Identifier: MIT */
/*
 * Writes the seed corpus (tests/fuzz/corpus/<target>/) from real traffic:
 *
 *   datagram/  datagrams the cores send in a simulated run of 8 members
 *              with a crash, a leave and a restart (gossip with every
 *              status, pings, pongs), a PING from rumor_wire_encode_ping,
 *              and the msgpack amplification headers (regression seeds);
 *   stream/    a join request, its reply, an anti-entropy SYNC and its
 *              reply, captured from two cores wired together by hand.
 *
 * usage: fuzz_gen_corpus CORPUS_DIR   (run once; the output is committed)
 *
 * The found-* files beside these seeds are the coverage-minimised inputs of
 * fuzzing runs (fuzz_TARGET -merge=1 NEW_DIR SEEDS RUN_CORPUS).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"
#include "rumor/sim.h"

static const char *out_dir;

static void
save(const char *target, const char *name, const uint8_t *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, target);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, target, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(data, 1, len, f) != len ||
	    fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* ---- datagrams from a simulated run ---- */

static unsigned seen[RUMOR_MSG_KIND_MAX + 1], saved[RUMOR_MSG_KIND_MAX + 1];

static void
on_send(void *arg, uint32_t from, const struct rumor_addr *to,
        const uint8_t *data, size_t len)
{
	unsigned kind = len > 2 && data[2] < RUMOR_MSG_KIND_MAX ? data[2] : 0;
	char name[64];

	(void)arg;
	(void)from;
	(void)to;
	/* a spread over the run: every 97th of each kind, 12 at most */
	if (seen[kind]++ % 97 != 0 || saved[kind] >= 12)
		return;
	snprintf(name, sizeof(name), "%s-%02u",
	         kind ? rumor_msg_kind_name((int)kind) : "other",
	         saved[kind]++);
	save("datagram", name, data, len);
}

static void
datagrams(void)
{
	struct rumor_sim_config cfg;
	struct rumor_sim_hooks hooks = {.on_send = on_send};
	struct rumor_sim_action acts[] = {
	    {RUMOR_SIM_CRASH, 3000, 3, 3},
	    {RUMOR_SIM_LEAVE, 4000, 5, 5},
	    {RUMOR_SIM_RESTART, 5000, 6, 6},
	};
	struct rumor_member_id me = {.version = 9};
	struct rumor_sim *sim;
	uint8_t buf[64];
	int len;

	rumor_sim_config_init(&cfg);
	cfg.n_members = 8;
	if (rumor_sim_new(&sim, &cfg) != 0)
		exit(1);
	rumor_sim_set_hooks(sim, &hooks);
	for (size_t i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
		rumor_sim_schedule(sim, &acts[i]);
	rumor_sim_run_for(sim, 9000);
	rumor_sim_free(sim);
	rumor_addr_parse("127.0.0.1:4000", &me.addr);
	len = rumor_wire_encode_ping(buf, sizeof(buf), &me, 77);
	save("datagram", "ping-probe", buf, (size_t)len);
	len = rumor_wire_encode_ping(buf, sizeof(buf), NULL, 78);
	save("datagram", "ping-anonymous", buf, (size_t)len);
	save("datagram", "amplify-map32", (const uint8_t *)"\xdf\x04\0\0\0", 5);
	save("datagram", "amplify-array32",
	     (const uint8_t *)"\xdd\xff\xff\xff\xff", 5);
}

/* ---- streams from two cores wired by hand ---- */

struct queued {
	int to;
	size_t len;
	uint8_t data[1500];
};

struct pair {
	struct rumor_core *core[2];
	struct fuzz_capture cap[2];
	int syncs;
	struct queued q[256]; /* datagrams between the two, in flight */
	size_t nq;
};

static struct pair P;

static int
pair_send(void *user, const struct rumor_addr *to, const uint8_t *data,
          size_t len)
{
	int self = (int)(intptr_t)user;
	struct queued *q;

	(void)to;
	if (P.nq == sizeof(P.q) / sizeof(P.q[0]) || len > sizeof(q->data))
		return -1; /* lost, as UDP may */
	q = &P.q[P.nq++];
	q->to = !self;
	q->len = len;
	memcpy(q->data, data, len);
	return 0;
}

/* Deliver what is in flight (not from inside a callback). */
static void
deliver(uint64_t now)
{
	struct rumor_addr from;

	while (P.nq > 0) {
		struct queued q = P.q[0];
		memmove(&P.q[0], &P.q[1], --P.nq * sizeof(P.q[0]));
		rumor_addr_parse(q.to ? "127.0.0.1:3000" : "127.0.0.1:3001",
		                 &from);
		rumor_core_recv_datagram(P.core[q.to], now, &from, q.data,
		                         q.len);
	}
}

static int
pair_stream(void *user, uint64_t sid, const struct rumor_addr *to,
            const uint8_t *req, size_t len)
{
	int self = (int)(intptr_t)user;
	struct fuzz_capture *c = &P.cap[self];

	(void)to;
	memcpy(c->req, req, len);
	c->len = len;
	c->stream_id = sid;
	c->opened++;
	return 0;
}

static void
pair_event(void *user, const struct rumor_event *ev)
{
	(void)user;
	(void)ev;
}

static struct rumor_core *
pair_core(int i)
{
	struct rumor_config cfg;
	struct rumor_callbacks cb = {.send_datagram = pair_send,
	                             .stream_open = pair_stream,
	                             .on_event = pair_event};
	struct rumor_member_id self = {.version = (uint64_t)i + 5};
	struct rumor_core *core;

	rumor_config_init(&cfg);
	rumor_addr_parse(i ? "127.0.0.1:3001" : "127.0.0.1:3000", &self.addr);
	if (rumor_core_new(&core, &cfg, &cb, (void *)(intptr_t)i, &self, 1,
	                   FUZZ_T0) != 0)
		exit(1);
	return core;
}

/* Serve core[from]'s pending stream at core[!from]; save both ends. */
static void
answer(int from, uint64_t now, const char *req_name, const char *reply_name)
{
	static uint8_t reply[65536];
	struct fuzz_capture *c = &P.cap[from];
	struct rumor_addr peer;
	size_t len = 0;

	rumor_addr_parse("127.0.0.1:5000", &peer);
	save("stream", req_name, c->req, c->len);
	if (rumor_core_stream_serve(P.core[!from], now, &peer, c->req, c->len,
	                            reply, sizeof(reply), &len) != 0)
		exit(1);
	save("stream", reply_name, reply, len);
	rumor_core_stream_reply(P.core[from], now, c->stream_id, reply, len);
	c->opened = 0;
}

static void
streams(void)
{
	struct rumor_addr seed;
	uint64_t t;

	P.core[0] = pair_core(0);
	P.core[1] = pair_core(1);
	rumor_core_bootstrap(P.core[0], FUZZ_T0);
	rumor_addr_parse("127.0.0.1:3000", &seed);
	rumor_core_join(P.core[1], FUZZ_T0, &seed, 1);
	answer(1, FUZZ_T0, "join-req", "join-reply");
	/* run both until each has synced once (t_sync_ms, 10 s) */
	for (t = FUZZ_T0; t < FUZZ_T0 + 25000 && P.syncs < 2; t += 50) {
		for (int i = 0; i < 2; i++) {
			rumor_core_handle_timeout(P.core[i], t);
			deliver(t);
			if (P.cap[i].opened) {
				char rq[32], rp[32];
				snprintf(rq, sizeof(rq), "sync-%d", P.syncs);
				snprintf(rp, sizeof(rp), "sync-reply-%d",
				         P.syncs++);
				answer(i, t, rq, rp);
			}
		}
	}
	rumor_core_free(P.core[0]);
	rumor_core_free(P.core[1]);
	if (P.syncs < 2) {
		fprintf(stderr, "no anti-entropy stream within 25 s\n");
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	out_dir = argv[1];
	mkdir(out_dir, 0755);
	datagrams();
	streams();
	printf("corpus written to %s\n", out_dir);
	return 0;
}
