/* SPDX-License-Identifier: MIT */
/*
 * The event-log reader: a k-way merge of several files by ts. Each file
 * holds at most one parsed line (its head) in a binary min-heap keyed by
 * (ts, file index); a file's lines keep their order because only its next
 * line enters the heap after its head left it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log_internal.h"

struct log_file {
	char *path;
	struct rumor__line_source src;
	struct rumor_log_record head;
	int has_head;
	int ended; /* read error: no more lines from this file */
};

struct rumor_log_reader {
	struct log_file *files;
	size_t n;
	size_t *heap; /* indices of files whose head is valid */
	size_t heap_len;
	int follow;
	uint64_t errors;
	void (*on_error)(void *arg, const char *file, uint64_t line,
	                 const char *msg);
	void *arg;
};

static void
report(struct rumor_log_reader *r, struct log_file *f, uint64_t line,
       const char *msg)
{
	r->errors++;
	if (r->on_error != NULL)
		r->on_error(r->arg, f->path, line, msg);
	else
		fprintf(stderr, "%s:%llu: %s\n", f->path,
		        (unsigned long long)line, msg);
}

static int
open_one(struct log_file *f, const char *path)
{
	struct stat st;
	int fd = 0;

	if (strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fd != 0)
			close(fd);
		errno = EISDIR;
		return -1;
	}
	rumor__line_source_init(&f->src, fd, fd != 0);
	return 0;
}

int
rumor_log_reader_open(struct rumor_log_reader **out, const char *const *paths,
                      size_t n, const char **bad_path)
{
	struct rumor_log_reader *r;

	*out = NULL;
	if (n == 0) {
		errno = EINVAL;
		return RUMOR_EINVAL;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL || (r->files = calloc(n, sizeof(*r->files))) == NULL ||
	    (r->heap = calloc(n, sizeof(*r->heap))) == NULL)
		goto nomem;
	for (; r->n < n; r->n++) {
		struct log_file *f = &r->files[r->n];
		const char *shown =
		    strcmp(paths[r->n], "-") ? paths[r->n] : "<stdin>";
		if ((f->path = strdup(shown)) == NULL)
			goto nomem;
		if (open_one(f, paths[r->n]) != 0) {
			int err = errno;
			free(f->path);
			if (bad_path != NULL)
				*bad_path = paths[r->n];
			rumor_log_reader_close(r);
			errno = err;
			return RUMOR_EINVAL;
		}
	}
	*out = r;
	return 0;
nomem:
	rumor_log_reader_close(r);
	errno = ENOMEM;
	return RUMOR_ENOMEM;
}

void
rumor_log_reader_close(struct rumor_log_reader *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		rumor__line_source_destroy(&r->files[i].src);
		rumor_log_record_clear(&r->files[i].head);
		free(r->files[i].path);
	}
	free(r->files);
	free(r->heap);
	free(r);
}

/*
 * Parse the file's next line into its head. 1 when it has a head, 0 when
 * nothing (more) is available. In follow mode a file at end of file is read
 * again only when may_read is set, so that a fast-growing file cannot keep
 * the others waiting.
 */
static int
load_head(struct rumor_log_reader *r, struct log_file *f, int may_read)
{
	char err[256];

	while (!f->ended) {
		const char *line;
		size_t len;
		enum rumor__line_status st =
		    rumor__line_next(&f->src, may_read, r->follow, &line, &len);

		switch (st) {
		case RUMOR__LINE_NONE:
			return 0;
		case RUMOR__LINE_ERROR:
			snprintf(err, sizeof(err), "read error: %s",
			         strerror(errno));
			report(r, f, 0, err);
			f->ended = 1;
			return 0;
		case RUMOR__LINE_TOO_LONG:
			snprintf(err, sizeof(err), "line longer than %u bytes",
			         RUMOR__MAX_LINE);
			report(r, f, f->src.line_no, err);
			continue;
		case RUMOR__LINE_OK:
		case RUMOR__LINE_PARTIAL:
			break;
		}
		if (len == 0 || strspn(line, " \t\r") == len)
			continue; /* blank line */
		f->head.file = f->path;
		f->head.line = f->src.line_no;
		if (rumor__parse_line(line, len, &f->head, err, sizeof(err)) ==
		    0) {
			f->has_head = 1;
			return 1;
		}
		if (st == RUMOR__LINE_PARTIAL) {
			char msg[300];
			snprintf(msg, sizeof(msg),
			         "truncated line (no newline at end of "
			         "file): %s",
			         err);
			report(r, f, f->src.line_no, msg);
		} else {
			report(r, f, f->src.line_no, err);
		}
	}
	return 0;
}

/* Heap order: (ts, file index). */
static int
before(const struct rumor_log_reader *r, size_t a, size_t b)
{
	int64_t ta = r->files[a].head.ts, tb = r->files[b].head.ts;

	return ta < tb || (ta == tb && a < b);
}

static void
heap_push(struct rumor_log_reader *r, size_t fi)
{
	size_t i = r->heap_len++;

	while (i > 0 && before(r, fi, r->heap[(i - 1) / 2])) {
		r->heap[i] = r->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	r->heap[i] = fi;
}

static size_t
heap_pop(struct rumor_log_reader *r)
{
	size_t top = r->heap[0], last = r->heap[--r->heap_len], i = 0;

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= r->heap_len)
			break;
		if (c + 1 < r->heap_len &&
		    before(r, r->heap[c + 1], r->heap[c]))
			c++;
		if (!before(r, r->heap[c], last))
			break;
		r->heap[i] = r->heap[c];
		i = c;
	}
	if (r->heap_len > 0)
		r->heap[i] = last;
	return top;
}

/* Give every file without a head the chance to read one. */
static void
poll_files(struct rumor_log_reader *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct log_file *f = &r->files[i];
		if (!f->has_head && load_head(r, f, 1))
			heap_push(r, i);
	}
}

int
rumor_log_reader_next(struct rumor_log_reader *r, struct rumor_log_record *rec)
{
	struct log_file *f;
	size_t fi;

	if (r->heap_len == 0)
		poll_files(r);
	if (r->heap_len == 0)
		return 0;
	fi = heap_pop(r);
	f = &r->files[fi];
	rumor_log_record_clear(rec);
	*rec = f->head;
	f->head.group_member = NULL;
	f->head.group_of = NULL;
	f->head.tags = NULL;
	f->has_head = 0;
	/* In follow mode a file that reached its end waits for the next poll
	 * (when every file has been drained). */
	if (load_head(r, f, !(r->follow && f->src.at_eof)))
		heap_push(r, fi);
	return 1;
}

void
rumor_log_reader_on_error(struct rumor_log_reader *r,
                          void (*cb)(void *arg, const char *file, uint64_t line,
                                     const char *msg),
                          void *arg)
{
	r->on_error = cb;
	r->arg = arg;
}

void
rumor_log_reader_follow(struct rumor_log_reader *r, int follow)
{
	r->follow = follow != 0;
}

uint64_t
rumor_log_reader_errors(const struct rumor_log_reader *r)
{
	return r->errors;
}
