/* SPDX-License-Identifier: MIT */
/* rumor_addr <-> struct sockaddr: the only place the two meet. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "node_internal.h"

socklen_t
rumor__addr_to_sockaddr(const struct rumor_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == 6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(a->port);
		memcpy(&s6->sin6_addr, a->ip, 16);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(a->port);
	memcpy(&s4->sin_addr, a->ip, 4);
	return sizeof(*s4);
}

int
rumor__addr_from_sockaddr(const struct sockaddr *sa, struct rumor_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
		out->family = 4;
		out->port = ntohs(s4->sin_port);
		memcpy(out->ip, &s4->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		out->family = 6;
		out->port = ntohs(s6->sin6_port);
		memcpy(out->ip, &s6->sin6_addr, 16);
		return 0;
	}
	return RUMOR_EINVAL;
}

int
rumor__addr_is_unspecified(const struct rumor_addr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->ip, zero, a->family == 6 ? 16 : 4) == 0;
}
