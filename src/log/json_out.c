/* SPDX-License-Identifier: MIT */
/*
 * Building JSON lines by hand. jansson's json_dumpb costs ~1.9 us a line
 * (an object and its values are allocated per line); the simulator writes
 * millions of lines, so the writer formats directly into one reused buffer.
 * The escaper follows RFC 8259 section 7 and is tested by round trips
 * through jansson (tests/log/test_log_writer.c).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log_internal.h"
#include "rumor/utf8.h"

void
rumor__jbuf_free(struct rumor__jbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

int
rumor__jbuf_reserve(struct rumor__jbuf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (b->cap - b->len >= n)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2) {
			b->oom = 1;
			return -1;
		}
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (p == NULL) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void
rumor__jbuf_putc(struct rumor__jbuf *b, char c)
{
	if (rumor__jbuf_reserve(b, 1) == 0)
		b->p[b->len++] = c;
}

void
rumor__jbuf_put(struct rumor__jbuf *b, const char *s, size_t n)
{
	if (rumor__jbuf_reserve(b, n) == 0) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
	}
}

static void
put_escape(struct rumor__jbuf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

	switch (c) {
	case '"':
		rumor__jbuf_put(b, "\\\"", 2);
		break;
	case '\\':
		rumor__jbuf_put(b, "\\\\", 2);
		break;
	case '\b':
		rumor__jbuf_put(b, "\\b", 2);
		break;
	case '\f':
		rumor__jbuf_put(b, "\\f", 2);
		break;
	case '\n':
		rumor__jbuf_put(b, "\\n", 2);
		break;
	case '\r':
		rumor__jbuf_put(b, "\\r", 2);
		break;
	case '\t':
		rumor__jbuf_put(b, "\\t", 2);
		break;
	default:
		rumor__jbuf_put(b, u, sizeof(u));
	}
}

void
rumor__json_str(struct rumor__jbuf *b, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	const unsigned char *run = s; /* start of bytes copied as they are */

	rumor__jbuf_putc(b, '"');
	while (*s) {
		size_t n;

		if (*s >= 0x20 && *s != '"' && *s != '\\' && *s < 0x80) {
			s++;
			continue;
		}
		rumor__jbuf_put(b, (const char *)run, (size_t)(s - run));
		if (*s < 0x80) {
			put_escape(b, *s);
			n = 1;
		} else if ((n = rumor_utf8_len(s, SIZE_MAX)) != 0) {
			rumor__jbuf_put(b, (const char *)s, n);
		} else {
			rumor__jbuf_put(b, "\\ufffd", 6);
			n = 1;
		}
		s += n;
		run = s;
	}
	rumor__jbuf_put(b, (const char *)run, (size_t)(s - run));
	rumor__jbuf_putc(b, '"');
}

void
rumor__json_u64(struct rumor__jbuf *b, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	rumor__jbuf_put(b, tmp + i, sizeof(tmp) - i);
}

void
rumor__json_i64(struct rumor__jbuf *b, int64_t v)
{
	if (v < 0) {
		rumor__jbuf_putc(b, '-');
		/* -(v + 1) + 1 avoids overflowing on INT64_MIN */
		rumor__json_u64(b, (uint64_t)(-(v + 1)) + 1);
	} else {
		rumor__json_u64(b, (uint64_t)v);
	}
}

void
rumor__json_begin(struct rumor__jbuf *b)
{
	b->len = 0;
	b->n_fields = 0;
	rumor__jbuf_putc(b, '{');
}

void
rumor__json_key(struct rumor__jbuf *b, const char *key)
{
	if (b->n_fields++ > 0)
		rumor__jbuf_putc(b, ',');
	rumor__jbuf_putc(b, '"');
	rumor__jbuf_put(b, key, strlen(key));
	rumor__jbuf_put(b, "\":", 2);
}

void
rumor__json_end(struct rumor__jbuf *b)
{
	rumor__jbuf_put(b, "}\n", 2);
}

/* Contract integers must fit jansson's json_int_t (int64). */
int
rumor__check_u64(uint64_t v)
{
	if (v > (uint64_t)INT64_MAX) {
		errno = ERANGE;
		return -1;
	}
	return 0;
}

void
rumor__key_str(struct rumor__jbuf *b, const char *key, const char *val)
{
	rumor__json_key(b, key);
	rumor__json_str(b, val);
}

void
rumor__key_u64(struct rumor__jbuf *b, const char *key, uint64_t val)
{
	rumor__json_key(b, key);
	rumor__json_u64(b, val);
}

/* Start a line with ts, node and ev. */
void
rumor__line_begin(struct rumor__jbuf *b, int64_t ts, const char *node,
                  enum rumor_log_ev ev)
{
	rumor__json_begin(b);
	rumor__json_key(b, "ts");
	rumor__json_i64(b, ts);
	rumor__key_str(b, "node", node);
	rumor__key_str(b, "ev", rumor_log_ev_name(ev));
}
