/* SPDX-License-Identifier: MIT */
/*
 * The event-log writer: whole lines only. Unbuffered, every line is one
 * write() on an O_APPEND descriptor, so a crash between lines never leaves
 * half a line and lines of concurrent appenders do not interleave. BUFFERED
 * (the simulator) collects whole lines and writes whole buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log_internal.h"

/* Buffered mode writes when this much is collected. */
#define BUFFER_BYTES (64 * 1024)
/* A memory writer's flag: lines stay in buf until moved (never flushed). */
#define MEMORY 0x100
/* Formatted member ids remembered (direct-mapped). */
#define ID_CACHE 256

struct id_cache_entry {
	struct rumor_member_id id;
	int valid;
	char text[RUMOR_ID_STRLEN];
};

struct rumor_log_writer {
	int fd;
	int own_fd;     /* close fd at the end (not for stdout) */
	int is_regular; /* a partial write can be truncated away */
	int flags;
	struct rumor__jbuf line; /* the line being built */
	struct rumor__jbuf buf;  /* BUFFERED: whole lines waiting */
	struct id_cache_entry ids[ID_CACHE];
};

int
rumor_log_writer_open(struct rumor_log_writer **out, const char *path,
                      int flags)
{
	struct rumor_log_writer *w;
	struct stat st;
	int oflags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;

	*out = NULL;
	if (path == NULL || path[0] == '\0') {
		errno = EINVAL;
		return RUMOR_EINVAL;
	}
	w = calloc(1, sizeof(*w));
	if (w == NULL)
		return RUMOR_ENOMEM;
	w->flags = flags;
	if (strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
	} else {
		if (flags & RUMOR_LOG_TRUNCATE)
			oflags |= O_TRUNC;
		w->fd = open(path, oflags, 0644);
		if (w->fd < 0) {
			int err = errno;
			free(w);
			errno = err;
			return RUMOR_EINVAL;
		}
		w->own_fd = 1;
	}
	w->is_regular = fstat(w->fd, &st) == 0 && S_ISREG(st.st_mode);
	*out = w;
	return 0;
}

/*
 * Write all n bytes. A short write to a regular file means the disk is full
 * or a limit was hit; if the rest then fails, the bytes already written are
 * truncated away so that the file still ends with a whole line.
 */
static int
write_whole(struct rumor_log_writer *w, const char *p, size_t n)
{
	size_t done = 0;
	int err;

	while (done < n) {
		ssize_t r = write(w->fd, p + done, n - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? errno : EIO;
			goto fail;
		}
		done += (size_t)r;
	}
	return 0;
fail:
	if (done > 0 && w->is_regular) {
		off_t end = lseek(w->fd, 0, SEEK_CUR);
		if (end >= (off_t)done && ftruncate(w->fd, end - (off_t)done))
			(void)0; /* nothing better to do: err is reported */
	}
	errno = err;
	return -1;
}

int
rumor_log_writer_open_memory(struct rumor_log_writer **out)
{
	struct rumor_log_writer *w = calloc(1, sizeof(*w));

	*out = w;
	if (w == NULL)
		return RUMOR_ENOMEM;
	w->fd = -1;
	w->flags = RUMOR_LOG_BUFFERED | MEMORY;
	return 0;
}

int
rumor_log_writer_move(struct rumor_log_writer *to,
                      struct rumor_log_writer *from)
{
	int rc;

	if (from->buf.len == 0)
		return 0;
	rc = rumor__writer_put_line(to, &from->buf); /* whole lines */
	from->buf.len = 0;
	return rc;
}

const char *
rumor_log_writer_take(struct rumor_log_writer *w, size_t *len)
{
	*len = 0;
	if (!(w->flags & MEMORY) || w->buf.len == 0)
		return NULL;
	*len = w->buf.len;
	w->buf.len = 0; /* the bytes stay until the next line is put */
	return w->buf.p;
}

int
rumor_log_writer_flush(struct rumor_log_writer *w)
{
	int rc;

	if (w->buf.len == 0 || (w->flags & MEMORY))
		return 0;
	rc = write_whole(w, w->buf.p, w->buf.len);
	w->buf.len = 0;
	return rc;
}

int
rumor__writer_put_line(struct rumor_log_writer *w, const struct rumor__jbuf *b)
{
	if (b->oom) {
		errno = ENOMEM;
		return -1;
	}
	if (!(w->flags & RUMOR_LOG_BUFFERED))
		return write_whole(w, b->p, b->len);
	if (w->flags & MEMORY) {
		rumor__jbuf_put(&w->buf, b->p, b->len);
		if (w->buf.oom) {
			w->buf.oom = 0;
			errno = ENOMEM;
			return -1;
		}
		return 0;
	}
	if (w->buf.len + b->len > BUFFER_BYTES &&
	    rumor_log_writer_flush(w) != 0)
		return -1;
	if (b->len > BUFFER_BYTES)
		return write_whole(w, b->p, b->len);
	if (w->buf.cap < BUFFER_BYTES &&
	    rumor__jbuf_reserve(&w->buf, BUFFER_BYTES) != 0) {
		w->buf.oom = 0;
		errno = ENOMEM;
		return -1;
	}
	rumor__jbuf_put(&w->buf, b->p, b->len);
	return 0;
}

static int
same_id(const struct rumor_member_id *a, const struct rumor_member_id *b)
{
	return a->version == b->version && rumor_addr_equal(&a->addr, &b->addr);
}

int
rumor__writer_format_id(struct rumor_log_writer *w,
                        const struct rumor_member_id *id, char *buf)
{
	uint64_t h = id->version * 0x9e3779b97f4a7c15ull + id->addr.port;
	struct id_cache_entry *e;

	for (size_t i = 0; i < sizeof(id->addr.ip); i++)
		h = h * 31 + id->addr.ip[i];
	e = &w->ids[(h ^ (h >> 32)) % ID_CACHE];
	if (!e->valid || !same_id(&e->id, id)) {
		if (rumor_member_id_format(id, e->text, sizeof(e->text)) < 0) {
			e->valid = 0;
			errno = EINVAL;
			return -1;
		}
		e->id = *id;
		e->valid = 1;
	}
	memcpy(buf, e->text, RUMOR_ID_STRLEN);
	return 0;
}

struct rumor__jbuf *
rumor__writer_scratch(struct rumor_log_writer *w)
{
	w->line.oom = 0;
	return &w->line;
}

int
rumor_log_writer_close(struct rumor_log_writer *w)
{
	int rc, err = 0;

	if (w == NULL)
		return 0;
	rc = rumor_log_writer_flush(w);
	if (rc != 0)
		err = errno;
	if (w->own_fd && close(w->fd) != 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	rumor__jbuf_free(&w->line);
	rumor__jbuf_free(&w->buf);
	free(w);
	if (rc != 0)
		errno = err;
	return rc;
}
