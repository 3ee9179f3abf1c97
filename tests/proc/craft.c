/* SPDX-License-Identifier: MIT */
/* Hostile-input helpers (craft.h). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <cmocka.h>
#include <msgpack.h>

#include "craft.h"
#include "rumor/node.h"

static void
pack_id(msgpack_packer *pk, const struct rumor_member_id *id, size_t extra)
{
	size_t iplen = id->addr.family == 6 ? 16 : 4;

	msgpack_pack_array(pk, 3 + extra);
	msgpack_pack_bin(pk, iplen);
	msgpack_pack_bin_body(pk, id->addr.ip, iplen);
	msgpack_pack_uint64(pk, id->addr.port);
	msgpack_pack_uint64(pk, id->version);
}

size_t
craft_encode(const struct craft_msg *m, uint8_t *buf, size_t cap)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	size_t len;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, m->extra_field ? 6 : 5);
	msgpack_pack_uint64(&pk, m->version);
	if (m->kind_as_string) {
		msgpack_pack_str(&pk, 6);
		msgpack_pack_str_body(&pk, "gossip", 6);
	} else {
		msgpack_pack_uint64(&pk, m->kind);
	}
	msgpack_pack_uint64(&pk, m->msg_id);
	if (m->sender)
		pack_id(&pk, m->sender, 0);
	else
		msgpack_pack_nil(&pk);
	msgpack_pack_array(&pk, m->n_entries);
	for (size_t i = 0; i < m->n_entries; i++) {
		const struct craft_entry *e = &m->entries[i];
		size_t iplen = e->id.addr.family == 6 ? 16 : 4;
		msgpack_pack_array(&pk, 6);
		msgpack_pack_bin(&pk, iplen);
		msgpack_pack_bin_body(&pk, e->id.addr.ip, iplen);
		msgpack_pack_uint64(&pk, e->id.addr.port);
		msgpack_pack_uint64(&pk, e->id.version);
		msgpack_pack_uint64(&pk, e->heartbeat);
		msgpack_pack_uint64(&pk, e->status);
		msgpack_pack_uint64(&pk, e->hops);
	}
	if (m->extra_field)
		msgpack_pack_nil(&pk);
	assert_true(sb.size <= cap);
	memcpy(buf, sb.data, sb.size);
	len = sb.size;
	msgpack_sbuffer_destroy(&sb);
	return len;
}

int
craft_socket(void)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	return fd;
}

void
craft_send(int fd, const struct rumor_addr *to, const uint8_t *data, size_t len)
{
	struct sockaddr_in sin = {.sin_family = AF_INET};

	memcpy(&sin.sin_addr, to->ip, 4);
	sin.sin_port = htons(to->port);
	/* loopback can still run out of buffer under a flood: retry */
	for (int i = 0; i < 100; i++) {
		if (sendto(fd, data, len, 0, (struct sockaddr *)&sin,
		           sizeof(sin)) == (ssize_t)len)
			return;
		usleep(1000);
	}
	fail_msg("sendto: could not send %zu bytes", len);
}

json_t *
craft_stats(const char *sock)
{
	char text[512], buf[16384];
	size_t len = 0;
	ssize_t r;
	json_error_t jerr;
	json_t *o;
	int fd;

	if (rumor_control_open(sock, "stats", 0, &fd, text, sizeof(text)))
		fail_msg("stats: %s", text);
	while (len + 1 < sizeof(buf) &&
	       (r = read(fd, buf + len, sizeof(buf) - len - 1)) > 0)
		len += (size_t)r;
	close(fd);
	buf[len] = '\0';
	o = json_loads(buf, 0, &jerr);
	if (o == NULL)
		fail_msg("stats: not JSON: %s: %s", jerr.text, buf);
	return o;
}

uint64_t
craft_stat(json_t *stats, const char *key)
{
	json_t *v = json_object_get(stats, key);

	return json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
}

uint64_t
craft_malformed(json_t *stats, const char *err_name)
{
	return craft_stat(json_object_get(stats, "malformed_by_err"), err_name);
}

uint64_t
craft_rss_kib(pid_t pid)
{
	char path[64], line[256];
	unsigned long long kib = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

size_t
craft_fd_count(pid_t pid)
{
	char path[64];
	struct dirent *d;
	size_t n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if ((dir = opendir(path)) == NULL)
		return 0;
	while ((d = readdir(dir)) != NULL)
		n += d->d_name[0] != '.';
	closedir(dir);
	return n;
}
