/* SPDX-License-Identifier: MIT */
/*
 * Hostile-input helpers for the process tests: hand-made datagrams in the
 * core's wire format (src/core/wire.h: array(5) [version, kind, msg_id,
 * sender, body]) built with msgpack-c, a UDP socket to throw them at an
 * agent, an agent's stats as JSON, and the RSS and open descriptors of a
 * process from /proc.
 */
#ifndef RUMOR_PROC_CRAFT_H
#define RUMOR_PROC_CRAFT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>

#include "rumor/core.h"

/* One membership entry to put into a crafted message. */
struct craft_entry {
	struct rumor_member_id id;
	uint64_t heartbeat;
	uint64_t status; /* enum rumor_member_status (or anything) */
	uint64_t hops;
};

/* The fields of a crafted message; zero-initialise, then set. */
struct craft_msg {
	uint64_t version;                     /* RUMOR_PROTO_VERSION */
	uint64_t kind;                        /* enum rumor_msg_kind */
	int kind_as_string;                   /* wrong type for "kind" */
	uint64_t msg_id;                      /* >= 1 */
	const struct rumor_member_id *sender; /* NULL: nil */
	const struct craft_entry *entries;
	size_t n_entries;
	int extra_field; /* array(6): one field too many */
};

/* Encode into buf (cap bytes); returns the length (fails the test when it
 * does not fit). */
size_t craft_encode(const struct craft_msg *m, uint8_t *buf, size_t cap);

/* A UDP socket bound to 127.0.0.1:0; send datagrams to an agent. */
int craft_socket(void);
void craft_send(int fd, const struct rumor_addr *to, const uint8_t *data,
                size_t len);

/* The agent's `stats` object (caller json_decref's); fails the test on
 * error. */
json_t *craft_stats(const char *sock);
/* stats[key] as an integer (0 when absent), and malformed_by_err[name]. */
uint64_t craft_stat(json_t *stats, const char *key);
uint64_t craft_malformed(json_t *stats, const char *err_name);

/* VmRSS of pid in KiB, and the number of its open descriptors. */
uint64_t craft_rss_kib(pid_t pid);
size_t craft_fd_count(pid_t pid);

#endif
