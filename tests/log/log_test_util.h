/* SPDX-License-Identifier: MIT */
/* Helpers shared by the event-log tests. */
#ifndef RUMOR_LOG_TEST_UTIL_H
#define RUMOR_LOG_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

/** A fresh directory under $TMPDIR (or /tmp); removed by tmpdir_remove. */
char *tmpdir_make(void);
/** Remove the directory and the files in it (one level). */
void tmpdir_remove(char *dir);
/** dir/name in a static buffer (one at a time). */
const char *tmp_path(const char *dir, const char *name);
/** Write (or append, when append) text to path; asserts on failure. */
void write_text(const char *path, const char *text, int append);
/** The whole file as a NUL-terminated heap string; NULL on error. */
char *read_text(const char *path);

/** Malformed lines collected by collect_error(). */
struct error_list {
	size_t n;
	char msg[32][300]; /* "FILE:LINE: message" */
};
void collect_error(void *arg, const char *file, uint64_t line, const char *msg);

#endif
