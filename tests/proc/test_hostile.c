/* SPDX-License-Identifier: MIT */
/*
 * Hostile networks against real agents on 127.0.0.1 (issue 6): malformed,
 * oversized, replayed datagrams and a garbage flood thrown at an agent over
 * UDP (each counted by kind in its stats, membership unchanged, memory
 * bounded), and the keyring (a wrong key or none cannot join and is told
 * why; a key rotation under load with no false failure). One ctest entry
 * per scenario (`test_hostile NAME`).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "craft.h"
#include "proc_util.h"

#define BIT(s) (1u << (s))

static void
check_one_membership(struct proc_env *e, int strict, int timeout_ms,
                     const char *what)
{
	proc_check(e, proc_wait_one_membership(e, strict, timeout_ms), what);
}

/* ---- malformed datagrams ---- */

/* A member no agent knows, carried by every crafted message: if any of them
 * were applied, it would show up in a list. */
static struct craft_entry
ghost(void)
{
	struct craft_entry g = {.heartbeat = 50, .status = RUMOR_STATUS_ALIVE};

	assert_int_equal(rumor_member_id_parse("127.0.0.9:9999#7", &g.id), 0);
	return g;
}

/* The id of a gossip message agent `obs` received from `from`, read from
 * obs's trace lines. */
static uint64_t
received_msg_id(struct proc_env *e, size_t obs, const char *from)
{
	const char *path = rumor_cluster_agent(e->c, obs)->log;
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	uint64_t id = 0;

	assert_int_equal(rumor_log_reader_open(&r, &path, 1, NULL), 0);
	while (rumor_log_reader_next(r, &rec) == 1)
		if (rec.ev == RUMOR_LOG_RECV && rec.has_msg &&
		    strcmp(rec.peer, from) == 0 &&
		    strcmp(rec.kind, "gossip") == 0)
			id = rec.msg;
	rumor_log_record_clear(&rec);
	rumor_log_reader_close(r);
	return id;
}

struct sent {
	const char *err; /* the counter it must land in */
	uint64_t n;
};

static void
expect(struct sent *s, size_t *k, const char *err, uint64_t n)
{
	for (size_t i = 0; i < *k; i++)
		if (strcmp(s[i].err, err) == 0) {
			s[i].n += n;
			return;
		}
	s[*k].err = err;
	s[(*k)++].n = n;
}

static void
test_badinput(void **state)
{
	/* the replay window is on with a key; here, in the clear, by flag */
	/* heartbeat gossip on: the replay check needs b to have sent more
	 * than 64 message ids (ring heartbeats carry none) */
	static const char *const extra[] = {"--trace", "--replay-window",
	                                    "--gossip-entries", "16", NULL};
	struct proc_env *e = *state;
	struct rumor_cluster_agent *a, *b;
	struct craft_entry ent[200], g = ghost();
	struct craft_msg m = {.version = RUMOR_PROTO_VERSION,
	                      .kind = RUMOR_MSG_GOSSIP,
	                      .msg_id = 1};
	struct rumor_member_id stranger;
	struct sent sent[16];
	size_t k = 0, total = 0;
	uint8_t buf[8192];
	size_t len;
	json_t *before, *after;
	int fd = craft_socket();

	proc_start_group(e, 3, extra);
	a = rumor_cluster_agent(e->c, 0);
	b = rumor_cluster_agent(e->c, 1);
	sleep(2); /* b has sent a few hundred datagrams by now */
	check_one_membership(e, 0, PROC_CONVERGE_MS, "before");
	before = craft_stats(a->sock);
	assert_int_equal(rumor_member_id_parse("127.0.0.1:1#5", &stranger), 0);
	m.sender = &stranger;
	m.entries = &g;
	m.n_entries = 1;
	len = craft_encode(&m, buf, sizeof(buf));
	/* truncated: every prefix of a valid message, the empty one too */
	for (size_t l = 0; l < len; l++)
		craft_send(fd, &a->id.addr, buf, l);
	expect(sent, &k, "EWIRE_TRUNCATED", len);
	/* trailing bytes after a valid message */
	buf[len] = 0xc0;
	craft_send(fd, &a->id.addr, buf, len + 1);
	expect(sent, &k, "EWIRE_TRAILING", 1);
	/* a map32 header declaring 2^26 pairs (msgpack-c would ask 4 GiB) */
	craft_send(fd, &a->id.addr, (const uint8_t *)"\xdf\x04\x00\x00\x00", 5);
	expect(sent, &k, "EWIRE_TRUNCATED", 1);
	/* oversized: 200 distinct entries, more than any datagram may hold */
	for (size_t i = 0; i < 200; i++) {
		ent[i] = g;
		ent[i].id.addr.port = (uint16_t)(10000 + i);
	}
	m.entries = ent;
	m.n_entries = 200;
	craft_send(fd, &a->id.addr, buf, craft_encode(&m, buf, sizeof(buf)));
	expect(sent, &k, "EWIRE_TOO_BIG", 1);
	/* duplicated member in one message */
	ent[1] = ent[0];
	m.n_entries = 2;
	craft_send(fd, &a->id.addr, buf, craft_encode(&m, buf, sizeof(buf)));
	expect(sent, &k, "EWIRE_DUPLICATE", 1);
	m.entries = &g;
	m.n_entries = 1;
	/* wrong protocol version */
	m.version = 2;
	craft_send(fd, &a->id.addr, buf, craft_encode(&m, buf, sizeof(buf)));
	expect(sent, &k, "EWIRE_VERSION", 1);
	m.version = RUMOR_PROTO_VERSION;
	/* wrong type (kind as a string), unknown kind, stream-only kind */
	m.kind_as_string = 1;
	craft_send(fd, &a->id.addr, buf, craft_encode(&m, buf, sizeof(buf)));
	expect(sent, &k, "EWIRE_TYPE", 1);
	m.kind_as_string = 0;
	m.kind = 99;
	craft_send(fd, &a->id.addr, buf, craft_encode(&m, buf, sizeof(buf)));
	m.kind = RUMOR_MSG_JOIN_REQ;
	craft_send(fd, &a->id.addr, buf, craft_encode(&m, buf, sizeof(buf)));
	expect(sent, &k, "EWIRE_KIND", 2);
	m.kind = RUMOR_MSG_GOSSIP;
	/* replayed: as b, with an id a has already received from b (a
	 * duplicate delivery), and b's very first id (far behind) */
	m.sender = &b->id;
	for (int i = 0; i < 100 && m.msg_id <= 80; i++) {
		usleep(200 * 1000); /* until id 1 is out of the window */
		m.msg_id = received_msg_id(e, 0, b->id_text);
	}
	assert_true(m.msg_id > 80);
	craft_send(fd, &a->id.addr, buf, craft_encode(&m, buf, sizeof(buf)));
	craft_send(fd, &a->id.addr, buf, len = craft_encode(&m, buf, 8192));
	m.msg_id = 1;
	craft_send(fd, &a->id.addr, buf, craft_encode(&m, buf, sizeof(buf)));
	expect(sent, &k, "EREPLAY", 3);
	usleep(500 * 1000);
	after = craft_stats(a->sock);
	for (size_t i = 0; i < k; i++) {
		uint64_t d = craft_malformed(after, sent[i].err) -
		             craft_malformed(before, sent[i].err);
		print_message("%-16s sent %3llu, counted %3llu\n", sent[i].err,
		              (unsigned long long)sent[i].n,
		              (unsigned long long)d);
		assert_int_equal(d, sent[i].n);
		total += sent[i].n;
	}
	assert_int_equal(craft_stat(after, "recv_malformed") -
	                     craft_stat(before, "recv_malformed"),
	                 total);
	json_decref(before);
	json_decref(after);
	close(fd);
	/* nothing was applied: the ghost is nowhere, nobody suspected */
	check_one_membership(e, 1, PROC_CONVERGE_MS, "after");
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(
		    proc_count(e, i, RUMOR_LOG_JOIN, "127.0.0.9:9999#7"), 0);
	assert_int_equal(proc_count_all(e, RUMOR_LOG_SUSPECT), 0);
	assert_int_equal(proc_count_all(e, RUMOR_LOG_FAIL), 0);
}

/* ---- a garbage flood ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random datagrams: pure noise, or noise behind plausible headers (a
 * 5-array with our version, or the amplification headers). */
static size_t
garbage(uint8_t *buf, size_t cap)
{
	size_t len = rng() % cap;
	uint64_t r = rng();

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)rng();
	if (len >= 5 && r % 4 == 0)
		memcpy(buf, "\x95\x01\x01", 3);
	else if (len >= 5 && r % 4 == 1)
		buf[0] = r & 4 ? 0xdf : 0xdd;
	else if (len >= 1 && r % 4 == 2)
		buf[0] = 0xc1; /* looks sealed */
	return len;
}

struct flood_result {
	uint64_t rss_before, rss_after, received, malformed, auth_failed;
};

static void
flood(struct proc_env *e, size_t i, size_t count, struct flood_result *res)
{
	struct rumor_cluster_agent *a = rumor_cluster_agent(e->c, i);
	json_t *before, *after;
	uint8_t buf[1500];
	int fd = craft_socket();

	res->rss_before = craft_rss_kib(a->pid);
	before = craft_stats(a->sock);
	for (size_t n = 0; n < count; n++) {
		craft_send(fd, &a->id.addr, buf, garbage(buf, sizeof(buf)));
		if (n % 200 == 199)
			usleep(2000); /* let it read: count what it saw */
	}
	usleep(500 * 1000);
	after = craft_stats(a->sock);
	res->rss_after = craft_rss_kib(a->pid);
	res->received = craft_stat(after, "datagrams_recv") -
	                craft_stat(before, "datagrams_recv");
	res->malformed = craft_stat(after, "recv_malformed") -
	                 craft_stat(before, "recv_malformed");
	res->auth_failed = craft_stat(after, "auth_failed_datagrams") -
	                   craft_stat(before, "auth_failed_datagrams") +
	                   craft_stat(after, "clear_refused") -
	                   craft_stat(before, "clear_refused");
	json_decref(before);
	json_decref(after);
	close(fd);
	print_message("flood of %zu at %s: core saw %llu (%llu malformed), "
	              "%llu refused before the core; RSS %llu -> %llu KiB\n",
	              count, a->name, (unsigned long long)res->received,
	              (unsigned long long)res->malformed,
	              (unsigned long long)res->auth_failed,
	              (unsigned long long)res->rss_before,
	              (unsigned long long)res->rss_after);
}

static void
write_key(const char *path, const char *key)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, key, strlen(key)), (ssize_t)strlen(key));
	assert_int_equal(write(fd, "\n", 1), 1);
	close(fd);
}

static const char key1[] =
    "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";
static const char key2[] = "q83vASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4k=";

static void
test_flood(void **state)
{
	struct proc_env *e = *state;
	struct flood_result r;
	char kf[128];
	const char *keyed[] = {"--key-file", kf, NULL};
	size_t k0;

	/* in the clear: the garbage reaches the core's decoder */
	proc_start_group(e, 3, NULL);
	sleep(2); /* warm-up: the RSS before is the steady one */
	flood(e, 0, 100000, &r);
	assert_true(r.malformed + r.auth_failed >= r.received * 99 / 100);
	assert_true(r.received > 10000);
	assert_true(UNDER_ASAN || r.rss_after <= r.rss_before + 2048);
	check_one_membership(e, 1, PROC_CONVERGE_MS, "after the flood");
	/* with a key: refused before the core */
	snprintf(kf, sizeof(kf), "%s/k1", e->dir);
	write_key(kf, key1);
	k0 = proc_start(e, "kintro", NULL, NULL, keyed);
	proc_start(e, "k1", NULL, proc_addr(e, k0), keyed);
	proc_start(e, "k2", NULL, proc_addr(e, k0), keyed);
	sleep(2);
	flood(e, k0, 30000, &r);
	assert_int_equal(r.malformed, 0);
	assert_true(r.auth_failed > 3000);
	assert_true(UNDER_ASAN || r.rss_after <= r.rss_before + 2048);
	assert_int_equal(proc_count_all(e, RUMOR_LOG_SUSPECT), 0);
	assert_int_equal(proc_count_all(e, RUMOR_LOG_FAIL), 0);
}

/* ---- keys ---- */

static void
keys_cmd(struct proc_env *e, size_t i, const char *verb, const char *arg,
         int want_status, const char *want_text)
{
	char out[4096];
	const char *argv[] = {RUMOR_BIN,
	                      "keys",
	                      verb,
	                      arg ? arg : "--control",
	                      arg ? "--control"
	                          : rumor_cluster_agent(e->c, i)->sock,
	                      arg ? rumor_cluster_agent(e->c, i)->sock : NULL,
	                      NULL};
	int st = proc_run(out, sizeof(out), argv);

	if (st != want_status || (want_text && !strstr(out, want_text)))
		fail_msg(
		    "rumor keys %s at %s: exit %d, wanted %d with '%s': %s",
		    verb, rumor_cluster_agent(e->c, i)->name, st, want_status,
		    want_text ? want_text : "", out);
}

static void
test_keys(void **state)
{
	struct proc_env *e = *state;
	char kf1[128], kf2[128], id1[16], id2[16], out[4096];
	const char *k1args[] = {"--key-file", kf1, NULL};
	const char *k2args[] = {"--key-file", kf2, NULL};
	size_t wrong, clear, late;
	const size_t n = 5;

	snprintf(kf1, sizeof(kf1), "%s/k1", e->dir);
	snprintf(kf2, sizeof(kf2), "%s/k2", e->dir);
	write_key(kf1, key1);
	write_key(kf2, key2);
	proc_start_group(e, n, k1args);
	/* a member with another key cannot join, and is told why */
	wrong = proc_start(e, "wrongkey", NULL, proc_addr(e, 0), k2args);
	clear = proc_start(e, "clear", NULL, proc_addr(e, 0), NULL);
	sleep(3);
	assert_true(proc_stderr_has(e, wrong, "different key"));
	assert_true(proc_stderr_has(e, clear, "requires encryption"));
	assert_true(proc_stderr_has(e, clear, "run in the clear"));
	assert_true(proc_stderr_has(e, 0, "encrypted: 1 key(s)"));
	assert_int_equal(proc_count(e, wrong, RUMOR_LOG_JOINED, NULL), 0);
	assert_int_equal(proc_count(e, clear, RUMOR_LOG_JOINED, NULL), 0);
	{
		json_t *s = craft_stats(rumor_cluster_agent(e->c, 0)->sock);
		assert_true(craft_stat(s, "auth_failed_streams") >= 2);
		json_decref(s);
	}
	assert_int_equal(rumor_cluster_crash(e->c, wrong), 0);
	assert_int_equal(rumor_cluster_crash(e->c, clear), 0);
	/* rotation: install everywhere, use everywhere, remove everywhere */
	for (size_t i = 0; i < n; i++)
		keys_cmd(e, i, "install", key2, 0, "installed");
	sleep(1);
	for (size_t i = 0; i < n; i++)
		keys_cmd(e, i, "use", key2, 0, "primary");
	sleep(1);
	{
		const char *argv[] = {RUMOR_BIN,
		                      "keys",
		                      "list",
		                      "--control",
		                      rumor_cluster_agent(e->c, 0)->sock,
		                      NULL};
		assert_int_equal(proc_run(out, sizeof(out), argv), 0);
		print_message("%s", out);
		/* KEY ID PRIMARY OPENED: the old one first, the new primary */
		assert_int_equal(sscanf(strchr(out, '\n') + 1, "%15s", id1), 1);
		assert_non_null(strstr(out, " *"));
	}
	keys_cmd(e, 0, "remove", key2, 1, "primary key");
	for (size_t i = 0; i < n; i++)
		keys_cmd(e, i, "remove", id1, 0, "removed");
	{
		const char *argv[] = {
		    RUMOR_BIN, "keys",      "list",
		    "--json",  "--control", rumor_cluster_agent(e->c, 3)->sock,
		    NULL};
		assert_int_equal(proc_run(out, sizeof(out), argv), 0);
		assert_null(strstr(out, id1));
		assert_int_equal(sscanf(out, "{\"key_id\":\"%8[0-9a-f]", id2),
		                 1);
		assert_non_null(strstr(out, "\"primary\":true"));
	}
	/* past T_suspect + T_fail with only the new key: nobody suspected */
	sleep(3);
	check_one_membership(e, 0, PROC_CONVERGE_MS, "after the rotation");
	for (size_t i = 0; i < n; i++) {
		json_t *s = craft_stats(rumor_cluster_agent(e->c, i)->sock);
		assert_int_equal(craft_stat(s, "auth_failed_datagrams"), 0);
		assert_int_equal(craft_stat(s, "recv_malformed"), 0);
		json_decref(s);
	}
	assert_int_equal(proc_count_all(e, RUMOR_LOG_SUSPECT), 0);
	assert_int_equal(proc_count_all(e, RUMOR_LOG_FAIL), 0);
	{ /* rumor ping seals with --key-file; unsealed pings are dropped */
		const char *argv[] = {RUMOR_BIN, "ping", proc_addr(e, 1),
		                      "--count", "2",    "--key-file",
		                      kf2,       NULL};
		assert_int_equal(proc_run(out, sizeof(out), argv), 0);
		assert_non_null(strstr(out, "2 sent, 2 answered"));
		argv[5] = NULL;
		assert_int_equal(proc_run(out, sizeof(out), argv), 1);
		assert_non_null(strstr(out, "2 sent, 0 answered"));
	}
	/* a newcomer with only the new key joins */
	late = proc_start(e, "late", NULL, proc_addr(e, 2), k2args);
	check_one_membership(e, 0, PROC_CONVERGE_MS, "newcomer, new key");
	assert_int_equal(proc_count(e, late, RUMOR_LOG_JOINED, NULL), 1);
	/* an agent in the clear has no keyring to change */
	proc_start(e, "plain", NULL, NULL, NULL);
	keys_cmd(e, late + 1, "list", NULL, 1, "runs in the clear");
	proc_check(
	    e,
	    rumor_cluster_stop_all(e->c, PROC_STOP_MS, e->err, sizeof(e->err)),
	    "stop all");
}

/* `rumor agent --help` names a flag for every field of struct rumor_config
 * (keep this list in step with include/rumor/core.h). */
static void
test_help(void **state)
{
	static const char *const flags[] = {
	    "--heartbeat-ms",
	    "--gossip-ms",
	    "--fanout",
	    "--suspect-ms",
	    "--fail-ms",
	    "--cleanup-ms",
	    "--mtu",
	    "--max-members",
	    "--retransmit-mult",
	    "--leave-grace-ms",
	    "--reconnect-ms",
	    "--reconnect-timeout-ms",
	    "--max-stream-conns",
	    "--monitors",
	    "--suspect-far-ms",
	    "--gossip-entries",
	    "--sync-ms",
	    "--drop-rate",
	    "--trace",
	    "--replay-window",
	    "--key-file",
	};
	const char *argv[] = {RUMOR_BIN, "agent", "--help", NULL};
	char out[16384];

	(void)state;
	assert_int_equal(proc_run(out, sizeof(out), argv), 0);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strstr(out, flags[i]) == NULL)
			fail_msg("rumor agent --help does not mention %s",
			         flags[i]);
}

/* ---- idle TCP connections must not starve joins (issue 17 item 2) ---- */

#define IDLE_CONNS 130

static int
tcp_open(uint16_t port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET,
	                         .sin_port = htons(port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Reopen every connection the agent closed; how many were reopened. */
static int
keep_open(int *fds, uint16_t port)
{
	int reopened = 0;
	char b;

	for (int i = 0; i < IDLE_CONNS; i++) {
		if (fds[i] >= 0) {
			ssize_t r = recv(fds[i], &b, 1, MSG_DONTWAIT);
			if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				continue;
			close(fds[i]);
		}
		fds[i] = tcp_open(port);
		reopened++;
	}
	return reopened;
}

static double
secs_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
test_starve(void **state)
{
	struct proc_env *e = *state;
	int fds[IDLE_CONNS];
	struct rumor_cluster_agent *intro;
	struct timespec t0;
	size_t joiner;
	double took = -1;
	json_t *st;

	proc_start_group(e, 2, NULL);
	intro = rumor_cluster_agent(e->c, 0);
	for (int i = 0; i < IDLE_CONNS; i++)
		fds[i] = -1;
	keep_open(fds, intro->id.addr.port);
	usleep(200 * 1000);
	keep_open(fds, intro->id.addr.port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	joiner = proc_start(e, "joiner", NULL, proc_addr(e, 0), NULL);
	while (secs_since(&t0) < 12) {
		keep_open(fds, intro->id.addr.port);
		if (proc_count(e, joiner, RUMOR_LOG_JOINED, NULL) > 0) {
			took = secs_since(&t0);
			break;
		}
		usleep(100 * 1000);
	}
	print_message("%d idle connections kept open: joined after %.2f s\n",
	              IDLE_CONNS, took);
	st = craft_stats(intro->sock);
	print_message(
	    "refused %llu, evicted %llu, timed out %llu\n",
	    (unsigned long long)craft_stat(st, "stream_conns_refused"),
	    (unsigned long long)craft_stat(st, "stream_conns_evicted"),
	    (unsigned long long)craft_stat(st, "stream_conns_timed_out"));
	for (int i = 0; i < IDLE_CONNS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	assert_true(took >= 0 && took < 4);
	assert_true(craft_stat(st, "stream_conns_evicted") > 0);
	json_decref(st);
	assert_true(proc_stderr_has(e, 0, "join/sync connection from"));
	proc_check(
	    e,
	    rumor_cluster_stop_all(e->c, PROC_STOP_MS, e->err, sizeof(e->err)),
	    "stop all");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_badinput, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_flood, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_starve, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test_setup_teardown(test_keys, proc_setup,
	                                    proc_teardown),
	    cmocka_unit_test(test_help),
	};
	char filter[64];

	if (argc > 1) {
		snprintf(filter, sizeof(filter), "test_%s", argv[1]);
		cmocka_set_test_filter(filter);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
