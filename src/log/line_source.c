/* SPDX-License-Identifier: MIT */
/*
 * Lines of one log file, read with read() into a growing buffer. In follow
 * mode a last line without its newline stays in the buffer until the rest
 * of it is appended.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log_internal.h"

#define READ_BYTES (64 * 1024)

void
rumor__line_source_init(struct rumor__line_source *s, int fd, int own_fd)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->own_fd = own_fd;
}

void
rumor__line_source_destroy(struct rumor__line_source *s)
{
	if (s->own_fd && s->fd >= 0)
		close(s->fd);
	free(s->buf);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

/* Read more bytes. 1 when some arrived, 0 at end of file, -1 on error. */
static int
fill(struct rumor__line_source *s)
{
	ssize_t r;

	if (s->start > 0) { /* move the pending bytes to the front */
		memmove(s->buf, s->buf + s->start, s->end - s->start);
		s->end -= s->start;
		s->start = 0;
	}
	if (s->cap - s->end < READ_BYTES + 1) {
		size_t cap = s->end + READ_BYTES + 1;
		char *p = realloc(s->buf, cap);
		if (p == NULL) {
			errno = ENOMEM;
			return -1;
		}
		s->buf = p;
		s->cap = cap;
	}
	do
		r = read(s->fd, s->buf + s->end, READ_BYTES);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	s->at_eof = r == 0;
	s->end += (size_t)r;
	return r > 0;
}

/* Drop the pending bytes of a line over the limit; 1 when its end was
 * found (the rest of the buffer follows it). */
static int
skip_long(struct rumor__line_source *s)
{
	char *nl = memchr(s->buf + s->start, '\n', s->end - s->start);

	if (nl == NULL) {
		s->start = s->end = 0;
		return 0;
	}
	s->start = (size_t)(nl + 1 - s->buf);
	s->skipping = 0;
	return 1;
}

enum rumor__line_status
rumor__line_next(struct rumor__line_source *s, int may_read, int follow,
                 const char **line, size_t *len)
{
	for (;;) {
		char *p = s->buf + s->start;
		size_t avail = s->end - s->start;
		char *nl =
		    s->skipping || avail == 0 ? NULL : memchr(p, '\n', avail);
		int r;

		if (s->skipping) {
			if (skip_long(s))
				return RUMOR__LINE_TOO_LONG;
		} else if (nl != NULL && (size_t)(nl - p) > RUMOR__MAX_LINE) {
			s->start += (size_t)(nl - p) + 1;
			s->line_no++;
			return RUMOR__LINE_TOO_LONG;
		} else if (nl != NULL) {
			*nl = '\0';
			*line = p;
			*len = (size_t)(nl - p);
			s->start += *len + 1;
			s->line_no++;
			return RUMOR__LINE_OK;
		} else if (avail > RUMOR__MAX_LINE) {
			s->line_no++;
			s->skipping = 1;
			continue;
		}
		if (!may_read)
			return RUMOR__LINE_NONE;
		r = fill(s);
		if (r < 0)
			return RUMOR__LINE_ERROR;
		if (r > 0)
			continue;
		/* end of file */
		if (s->skipping) {
			if (follow)
				return RUMOR__LINE_NONE;
			s->skipping = 0;
			return RUMOR__LINE_TOO_LONG;
		}
		if (follow || s->end == s->start)
			return RUMOR__LINE_NONE;
		s->buf[s->end] = '\0';
		*line = s->buf + s->start;
		*len = s->end - s->start;
		s->start = s->end;
		s->line_no++;
		return RUMOR__LINE_PARTIAL;
	}
}
