/* SPDX-License-Identifier: MIT */
/*
 * Join-stream framing: a u32 big-endian length, then that many bytes of
 * one message body; one frame per direction per connection. The body
 * buffer grows with the bytes that actually arrive, so a peer announcing
 * 4 MiB and sending nothing costs nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "node_internal.h"

void
rumor__frame_init(struct frame_reader *f, size_t max)
{
	memset(f, 0, sizeof(*f));
	f->max = max;
}

void
rumor__frame_free(struct frame_reader *f)
{
	free(f->body);
	f->body = NULL;
	f->cap = 0;
}

void
rumor__frame_header(uint8_t out[4], size_t len)
{
	out[0] = (uint8_t)(len >> 24);
	out[1] = (uint8_t)(len >> 16);
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
}

static int
take_header(struct frame_reader *f, const uint8_t **p, size_t *n)
{
	size_t k = 4 - f->hdr_got;

	if (k > *n)
		k = *n;
	memcpy(f->hdr + f->hdr_got, *p, k);
	f->hdr_got += k;
	*p += k;
	*n -= k;
	if (f->hdr_got < 4)
		return 0;
	f->len = (size_t)f->hdr[0] << 24 | (size_t)f->hdr[1] << 16 |
	         (size_t)f->hdr[2] << 8 | f->hdr[3];
	if (f->len == 0)
		return RUMOR_EWIRE_TRUNCATED;
	if (f->len > f->max)
		return RUMOR_EWIRE_TOO_BIG;
	return 1;
}

static int
grow(struct frame_reader *f, size_t need)
{
	size_t cap = f->cap ? f->cap : 4096;
	uint8_t *b;

	while (cap < need)
		cap *= 2;
	if (cap > f->len)
		cap = f->len;
	b = realloc(f->body, cap);
	if (b == NULL)
		return RUMOR_ENOMEM;
	f->body = b;
	f->cap = cap;
	return 0;
}

int
rumor__frame_feed(struct frame_reader *f, const uint8_t *p, size_t n)
{
	size_t k;
	int rc;

	if (f->hdr_got < 4) {
		rc = take_header(f, &p, &n);
		if (rc <= 0)
			return rc;
	} else if (f->got == f->len) {
		return n ? RUMOR_EWIRE_TRAILING : 1;
	}
	k = f->len - f->got;
	if (k > n)
		k = n;
	if (f->got + k > f->cap && (rc = grow(f, f->got + k)) != 0)
		return rc;
	if (k)
		memcpy(f->body + f->got, p, k);
	f->got += k;
	if (n > k)
		return RUMOR_EWIRE_TRAILING;
	return f->got == f->len ? 1 : 0;
}
