/* SPDX-License-Identifier: MIT */
/* Internal interfaces between the files of src/log. Not installed. */
#ifndef RUMOR_LOG_INTERNAL_H
#define RUMOR_LOG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "rumor/log.h"

/* ---- json_out.c: building one JSON line in a growable buffer ---- */

/** A growable byte buffer; oom is set (and sticks) when growing failed. */
struct rumor__jbuf {
	char *p;
	size_t len, cap;
	int oom;
	int n_fields; /* fields written in the current object */
};

void rumor__jbuf_free(struct rumor__jbuf *b);
/** Make room for n more bytes. 0 or -1 (and b->oom set). */
int rumor__jbuf_reserve(struct rumor__jbuf *b, size_t n);
void rumor__jbuf_putc(struct rumor__jbuf *b, char c);
void rumor__jbuf_put(struct rumor__jbuf *b, const char *s, size_t n);
/**
 * Append s as a quoted JSON string: '"', '\\' and control characters are
 * escaped, valid UTF-8 is copied, each byte of invalid UTF-8 becomes
 * "\ufffd". Never fails except by b->oom.
 */
void rumor__json_str(struct rumor__jbuf *b, const char *s);
void rumor__json_i64(struct rumor__jbuf *b, int64_t v);
void rumor__json_u64(struct rumor__jbuf *b, uint64_t v);
/** Start an object line: "{" and reset the field count. */
void rumor__json_begin(struct rumor__jbuf *b);
/** Append ,"key": (no comma before the first field). key is plain ASCII. */
void rumor__json_key(struct rumor__jbuf *b, const char *key);
/** Close the object and end the line: "}\n". */
void rumor__json_end(struct rumor__jbuf *b);

/** -1 with errno ERANGE when v does not fit a JSON int64, else 0. */
int rumor__check_u64(uint64_t v);
/** Field helpers: ,"key":"val" / ,"key":val. */
void rumor__key_str(struct rumor__jbuf *b, const char *key, const char *val);
void rumor__key_u64(struct rumor__jbuf *b, const char *key, uint64_t val);
/** "tags":{"k":"v",...} from a canonical encoding (rumor/tags.h). */
void rumor__key_tags(struct rumor__jbuf *b, const uint8_t *tags, size_t len);
/** The canonical encoding of a JSON object of strings (heap, *len bytes;
 * NULL with *len 0 for {}). -1 when obj is not such an object or a key or
 * value is not allowed in tags. */
int rumor__tags_from_json(const void *obj, uint8_t **out, size_t *len);
/** Start a line with "ts", "node" and "ev". */
void rumor__line_begin(struct rumor__jbuf *b, int64_t ts, const char *node,
                       enum rumor_log_ev ev);

/* ---- writer.c ---- */

/** Append one finished line (b->p, b->len, ends in '\n') to the log. */
int rumor__writer_put_line(struct rumor_log_writer *w,
                           const struct rumor__jbuf *b);
/**
 * Format a member id into buf (RUMOR_ID_STRLEN bytes) through the writer's
 * cache (formatting with inet_ntop/snprintf was half the cost of a line).
 * 0, or -1 with errno EINVAL for an id that cannot be formatted.
 */
int rumor__writer_format_id(struct rumor_log_writer *w,
                            const struct rumor_member_id *id, char *buf);
/** The writer's scratch buffer for building one line. */
struct rumor__jbuf *rumor__writer_scratch(struct rumor_log_writer *w);

/* ---- line_source.c: lines of one file, with follow semantics ---- */

struct rumor__line_source {
	int fd;
	int own_fd;
	char *buf;
	size_t start, end, cap;
	uint64_t line_no; /* number of the last line returned */
	int at_eof;       /* the last read() returned 0 */
	int skipping;     /* inside a line over the length limit */
};

/** Longest line accepted, in bytes (a 1,000-member partition is ~40 KiB). */
#define RUMOR__MAX_LINE (1u << 20)

enum rumor__line_status {
	RUMOR__LINE_OK,       /* *line, *len: one line without its '\n' */
	RUMOR__LINE_PARTIAL,  /* the last line has no '\n' (end of file) */
	RUMOR__LINE_TOO_LONG, /* a line over RUMOR__MAX_LINE was skipped */
	RUMOR__LINE_NONE,     /* nothing more (yet) */
	RUMOR__LINE_ERROR     /* read() failed: errno */
};

void rumor__line_source_init(struct rumor__line_source *s, int fd, int own_fd);
void rumor__line_source_destroy(struct rumor__line_source *s);
/**
 * Next line. With may_read 0 only what is buffered is returned. With
 * follow set a last line without '\n' waits (NONE) instead of being
 * returned as PARTIAL. The line points into the source's buffer and is
 * valid until the next call; it is NUL-terminated at len.
 */
enum rumor__line_status rumor__line_next(struct rumor__line_source *s,
                                         int may_read, int follow,
                                         const char **line, size_t *len);

/* ---- parse.c ---- */

/**
 * Parse one line into rec (rec's group arrays must be NULL). Returns 0,
 * or -1 with a message for the user in err (errcap bytes).
 */
int rumor__parse_line(const char *line, size_t len,
                      struct rumor_log_record *rec, char *err, size_t errcap);

#endif
