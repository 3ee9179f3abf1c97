/* SPDX-License-Identifier: MIT */
/* Addresses and member ids: parse, format, compare. Pure functions. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rumor/core.h"

/* Parse a decimal number in [min, max] spanning exactly [s, end). */
static int
parse_u64(const char *s, const char *end, uint64_t min, uint64_t max,
          uint64_t *out)
{
	uint64_t v = 0;
	if (s == end || end - s > 20)
		return RUMOR_EINVAL;
	for (const char *p = s; p < end; p++) {
		if (*p < '0' || *p > '9')
			return RUMOR_EINVAL;
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return RUMOR_EINVAL;
		v = v * 10 + d;
	}
	if (v < min || v > max)
		return RUMOR_EINVAL;
	*out = v;
	return 0;
}

/* Parse "host:port" occupying [text, end). */
static int
addr_parse_span(const char *text, const char *end, struct rumor_addr *out)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon, *hs = text, *he;
	uint64_t port;

	memset(out, 0, sizeof(*out));
	if (text < end && *text == '[') {
		he = memchr(text, ']', (size_t)(end - text));
		if (he == NULL || he + 1 >= end || he[1] != ':')
			return RUMOR_EINVAL;
		hs = text + 1;
		colon = he + 1;
		out->family = 6;
	} else {
		colon = NULL;
		for (const char *p = text; p < end; p++)
			if (*p == ':')
				colon = p;
		if (colon == NULL)
			return RUMOR_EINVAL;
		he = colon;
		out->family = 4;
	}
	if (he - hs <= 0 || (size_t)(he - hs) >= sizeof(host))
		return RUMOR_EINVAL;
	memcpy(host, hs, (size_t)(he - hs));
	host[he - hs] = '\0';
	if (parse_u64(colon + 1, end, 0, 65535, &port) != 0)
		return RUMOR_EINVAL;
	out->port = (uint16_t)port;
	if (inet_pton(out->family == 4 ? AF_INET : AF_INET6, host, out->ip) !=
	    1)
		return RUMOR_EINVAL;
	return 0;
}

int
rumor_addr_parse(const char *text, struct rumor_addr *out)
{
	if (text == NULL || out == NULL)
		return RUMOR_EINVAL;
	return addr_parse_span(text, text + strlen(text), out);
}

int
rumor_addr_format(const struct rumor_addr *addr, char *buf, size_t cap)
{
	char host[INET6_ADDRSTRLEN];
	int n;

	if (addr->family != 4 && addr->family != 6)
		return RUMOR_EINVAL;
	if (inet_ntop(addr->family == 4 ? AF_INET : AF_INET6, addr->ip, host,
	              sizeof(host)) == NULL)
		return RUMOR_EINVAL;
	if (addr->family == 4)
		n = snprintf(buf, cap, "%s:%u", host, (unsigned)addr->port);
	else
		n = snprintf(buf, cap, "[%s]:%u", host, (unsigned)addr->port);
	if (n < 0 || (size_t)n >= cap)
		return RUMOR_ENOSPC;
	return n;
}

int
rumor_addr_equal(const struct rumor_addr *a, const struct rumor_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	       memcmp(a->ip, b->ip, sizeof(a->ip)) == 0;
}

int
rumor_member_id_parse(const char *text, struct rumor_member_id *out)
{
	const char *hash;

	if (text == NULL || out == NULL)
		return RUMOR_EINVAL;
	hash = strrchr(text, '#');
	if (hash == NULL)
		return RUMOR_EINVAL;
	if (addr_parse_span(text, hash, &out->addr) != 0)
		return RUMOR_EINVAL;
	return parse_u64(hash + 1, hash + strlen(hash), 1, UINT64_MAX,
	                 &out->version);
}

int
rumor_member_id_format(const struct rumor_member_id *id, char *buf, size_t cap)
{
	int n = rumor_addr_format(&id->addr, buf, cap);
	int m;

	if (n < 0)
		return n;
	m = snprintf(buf + n, cap - (size_t)n, "#%" PRIu64, id->version);
	if (m < 0 || (size_t)m >= cap - (size_t)n)
		return RUMOR_ENOSPC;
	return n + m;
}

int
rumor_member_id_cmp(const struct rumor_member_id *a,
                    const struct rumor_member_id *b)
{
	int c;

	if (a->addr.family != b->addr.family)
		return a->addr.family < b->addr.family ? -1 : 1;
	c = memcmp(a->addr.ip, b->addr.ip, sizeof(a->addr.ip));
	if (c != 0)
		return c < 0 ? -1 : 1;
	if (a->addr.port != b->addr.port)
		return a->addr.port < b->addr.port ? -1 : 1;
	if (a->version != b->version)
		return a->version < b->version ? -1 : 1;
	return 0;
}
