/* SPDX-License-Identifier: MIT */
/*
 * rumor ping HOST:PORT [--count N] [--timeout MS]: UDP reachability of a
 * member. Sends PING datagrams to the agent's port and waits for its PONG
 * (the same port serves the TCP joins), printing the round-trip time.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "rumor/node.h"

/* --key-file: PINGs sealed, PONGs opened, as the agents do. */
static struct rumor_node_keys *keys;

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: rumor ping HOST:PORT [--count N] [--timeout MS] "
	        "[--interval MS]\n"
	        "                            [--key-file F]\n"
	        "\n"
	        "Sends PING datagrams to a member's UDP port and prints each "
	        "PONG's\n"
	        "round-trip time and the member id that answered.\n"
	        "\n"
	        "  --count N       pings to send (default 3)\n"
	        "  --timeout MS    wait this long for each answer (default "
	        "1000)\n"
	        "  --interval MS   pause between pings (default 200)\n"
	        "  --key-file F    seal the pings with F's primary key (an "
	        "agent started\n"
	        "                  with --key-file drops unsealed ones)\n"
	        "\n"
	        "Exit status: 0 when at least one PONG came back, 1 when "
	        "none did, 2 on a\n"
	        "usage error.\n");
}

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
open_socket(const struct rumor_addr *to)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (to->family == 6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(to->port);
		memcpy(&s6->sin6_addr, to->ip, 16);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(to->port);
		memcpy(&s4->sin_addr, to->ip, 4);
		len = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	/* connected: only the target's answers, and ICMP errors reported */
	if (fd >= 0 && connect(fd, (struct sockaddr *)&ss, len) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Wait for the PONG with this nonce: RTT in us, or -1 (timeout/error). */
static int64_t
await_pong(int fd, uint64_t nonce, int64_t sent_us, int timeout_ms,
           struct rumor_member_id *who, int *err)
{
	int64_t deadline = sent_us + (int64_t)timeout_ms * 1000;
	uint8_t buf[2048];

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int64_t left = (deadline - now_us()) / 1000;
		uint64_t got;
		ssize_t r;
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		r = recv(fd, buf, sizeof(buf), 0);
		if (r < 0) {
			*err = errno;
			return -1;
		}
		if (keys != NULL) { /* opened in place: a copy first */
			uint8_t sealed[sizeof(buf)];
			memcpy(sealed, buf, (size_t)r);
			r = rumor_node_keys_open(keys, sealed, (size_t)r, buf,
			                         sizeof(buf));
			if (r < 0)
				continue; /* not ours: ignore it */
		}
		if (rumor_wire_decode_pong(buf, (size_t)r, &got, who) == 0 &&
		    got == nonce)
			return now_us() - sent_us;
	}
}

static int
ping_once(int fd, const char *target, int seq, int timeout_ms)
{
	struct rumor_member_id who;
	char id[RUMOR_ID_STRLEN];
	uint8_t buf[64], sealed[64 + RUMOR_NODE_SEAL_OVERHEAD];
	uint64_t nonce = 0;
	int64_t sent, rtt;
	int len, err = 0;

	if (getrandom(&nonce, sizeof(nonce), 0) != sizeof(nonce))
		nonce = (uint64_t)now_us();
	nonce |= 1;
	len = rumor_wire_encode_ping(buf, sizeof(buf), NULL, nonce);
	if (len > 0 && keys != NULL)
		len = rumor_node_keys_seal(keys, buf, (size_t)len, sealed,
		                           sizeof(sealed));
	sent = now_us();
	if (len < 0 || send(fd, keys ? sealed : buf, (size_t)len, 0) != len) {
		printf("%s: seq=%d send failed: %s\n", target, seq,
		       strerror(errno));
		return 0;
	}
	rtt = await_pong(fd, nonce, sent, timeout_ms, &who, &err);
	if (rtt < 0) {
		printf("%s: seq=%d no answer within %d ms%s%s\n", target, seq,
		       timeout_ms, err ? ": " : "", err ? strerror(err) : "");
		return 0;
	}
	rumor_member_id_format(&who, id, sizeof(id));
	printf("pong from %s: seq=%d time=%.3f ms\n", id, seq,
	       (double)rtt / 1000.0);
	return 1;
}

static int
parse_int(const char *flag, const char *text, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || *end || v < min || v > max) {
		fprintf(stderr, "rumor ping: %s: '%s' is not a number %d..%d\n",
		        flag, text, min, max);
		return -1;
	}
	*out = (int)v;
	return 0;
}

int
cmd_ping(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"count", required_argument, NULL, 'c'},
	    {"timeout", required_argument, NULL, 't'},
	    {"interval", required_argument, NULL, 'i'},
	    {"key-file", required_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int count = 3, timeout_ms = 1000, interval_ms = 200, c, fd, ok = 0;
	const char *key_file = NULL;
	struct rumor_addr to;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		int rc = 0;
		if (c == 'c')
			rc = parse_int("--count", optarg, 1, 1000000, &count);
		else if (c == 't')
			rc = parse_int("--timeout", optarg, 1, 600000,
			               &timeout_ms);
		else if (c == 'i')
			rc = parse_int("--interval", optarg, 0, 600000,
			               &interval_ms);
		else if (c == 'k')
			key_file = optarg;
		else if (c == 'h') {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "rumor ping: %s '%s' (try --help)\n",
			        c == ':' ? "missing value for option"
			                 : "unknown option",
			        argv[optind - 1]);
			return 2;
		}
		if (rc != 0)
			return 2;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "rumor ping: expected one HOST:PORT (try "
		                "--help)\n");
		return 2;
	}
	if (rumor_addr_parse(argv[optind], &to) != 0 || to.port == 0) {
		fprintf(stderr,
		        "rumor ping: %s: not a numeric HOST:PORT (e.g. "
		        "127.0.0.1:3000)\n",
		        argv[optind]);
		return 2;
	}
	if (key_file != NULL) {
		char err[512];
		if (rumor_node_keys_load(&keys, key_file, err, sizeof(err))) {
			fprintf(stderr, "rumor ping: %s\n", err);
			return 2;
		}
	}
	if ((fd = open_socket(&to)) < 0) {
		fprintf(stderr, "rumor ping: %s: %s\n", argv[optind],
		        strerror(errno));
		return 1;
	}
	for (int seq = 1; seq <= count; seq++) {
		ok += ping_once(fd, argv[optind], seq, timeout_ms);
		if (seq < count && interval_ms > 0)
			usleep((useconds_t)interval_ms * 1000);
	}
	close(fd);
	rumor_node_keys_free(keys);
	keys = NULL;
	printf("%d sent, %d answered\n", count, ok);
	return ok > 0 ? 0 : 1;
}
