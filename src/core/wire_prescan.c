/* SPDX-License-Identifier: MIT */
/*
 * Structural pre-scan of MessagePack bytes before msgpack-c unpacks them.
 * Why: msgpack-c 4.0 sizes every container from its declared count before
 * reading a single element, so a 5-byte map32 header declaring 2^26 pairs
 * makes it ask for 4 GiB. Here every declared count is checked against the
 * bytes that remain (each element takes at least one byte), nesting depth
 * and the total element count are capped, and trailing bytes are refused.
 * This plays the role of msgpuck's mp_check() in tarantool's SWIM.
 */
#include <string.h>

#include "wire.h"

#define PRESCAN_MAX_DEPTH 5

static uint64_t
be_read(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/*
 * Size of the header of the value at p (bytes before its payload or its
 * elements), its payload length (str/bin/ext bytes) and its element count
 * (array: n, map: 2n). Returns 0 or an error.
 */
static int
value_header(const uint8_t *p, size_t left, size_t *hdr, uint64_t *payload,
             uint64_t *elems)
{
	uint8_t b = p[0];
	int n = 0;

	*payload = 0;
	*elems = 0;
	*hdr = 1;
	if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
		return 0;
	if (b >= 0x80 && b <= 0x8f) {
		*elems = 2u * (b & 0x0f);
		return 0;
	}
	if (b >= 0x90 && b <= 0x9f) {
		*elems = b & 0x0f;
		return 0;
	}
	if (b >= 0xa0 && b <= 0xbf) {
		*payload = b & 0x1f;
		return 0;
	}
	switch (b) {
	case 0xc1:
		return RUMOR_EWIRE_TYPE; /* never used by MessagePack */
	case 0xc4:
	case 0xd9:
		n = 1;
		break; /* bin8, str8 */
	case 0xc5:
	case 0xda:
		n = 2;
		break;
	case 0xc6:
	case 0xdb:
		n = 4;
		break;
	case 0xc7:
		n = 1;
		*payload = 1;
		break; /* ext8: len, type */
	case 0xc8:
		n = 2;
		*payload = 1;
		break;
	case 0xc9:
		n = 4;
		*payload = 1;
		break;
	case 0xca:
		*payload = 4;
		return 0;
	case 0xcb:
		*payload = 8;
		return 0;
	case 0xcc:
	case 0xd0:
		*payload = 1;
		return 0;
	case 0xcd:
	case 0xd1:
		*payload = 2;
		return 0;
	case 0xce:
	case 0xd2:
		*payload = 4;
		return 0;
	case 0xcf:
	case 0xd3:
		*payload = 8;
		return 0;
	case 0xd4:
		*payload = 2;
		return 0; /* fixext: type + data */
	case 0xd5:
		*payload = 3;
		return 0;
	case 0xd6:
		*payload = 5;
		return 0;
	case 0xd7:
		*payload = 9;
		return 0;
	case 0xd8:
		*payload = 17;
		return 0;
	case 0xdc:
	case 0xde:
		n = 2;
		break;
	case 0xdd:
	case 0xdf:
		n = 4;
		break;
	default:
		return RUMOR_EWIRE_TYPE;
	}
	if (left < 1 + (size_t)n)
		return RUMOR_EWIRE_TRUNCATED;
	*hdr = 1 + (size_t)n;
	uint64_t count = be_read(p + 1, n);
	if (b == 0xdc || b == 0xdd)
		*elems = count;
	else if (b == 0xde || b == 0xdf)
		*elems = 2 * count;
	else
		*payload += count;
	return 0;
}

int
rumor__wire_prescan(const uint8_t *data, size_t len)
{
	uint64_t pending[PRESCAN_MAX_DEPTH + 1];
	int depth = 0;
	size_t pos = 0, hdr;
	uint64_t payload, elems, total = 0;
	int rc;

	pending[0] = 1; /* exactly one top-level value */
	while (depth >= 0) {
		if (pending[depth] == 0) {
			depth--;
			continue;
		}
		if (pos >= len)
			return RUMOR_EWIRE_TRUNCATED;
		pending[depth]--;
		if (++total > len)
			return RUMOR_EWIRE_TOO_BIG;
		rc =
		    value_header(data + pos, len - pos, &hdr, &payload, &elems);
		if (rc != 0)
			return rc;
		pos += hdr;
		if (payload > len - pos)
			return RUMOR_EWIRE_TRUNCATED;
		pos += (size_t)payload;
		if (elems == 0)
			continue;
		/* every element needs at least one byte: a count beyond
		 * the bytes left is a cut (or lying) message */
		if (elems > len - pos)
			return RUMOR_EWIRE_TRUNCATED;
		if (depth + 1 > PRESCAN_MAX_DEPTH)
			return RUMOR_EWIRE_TOO_BIG;
		pending[++depth] = elems;
	}
	return pos == len ? 0 : RUMOR_EWIRE_TRAILING;
}
