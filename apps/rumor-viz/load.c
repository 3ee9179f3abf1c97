/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz loading through the event-log reader. The viewer never parses
 * JSON itself: a malformed line is skipped by the reader and reported here
 * with its file and line, and the rest of the log still plays.
 */
#include <errno.h>
#include <string.h>

#include "load.h"
#include "rumor/errors.h"

static void
on_error(void *arg, const char *file, uint64_t line, const char *msg)
{
	struct viz_load *ld = arg;
	snprintf(ld->last_error, sizeof(ld->last_error), "%s:%llu: %s", file,
	         (unsigned long long)line, msg);
	ld->n_errors++;
	if (ld->err_out)
		fprintf(ld->err_out, "rumor-viz: %s\n", ld->last_error);
}

int
viz_load_open(struct viz_load *ld, struct viz_model *m,
              const char *const *paths, size_t n, int follow, FILE *err_out)
{
	const char *bad = NULL;
	memset(ld, 0, sizeof(*ld));
	ld->err_out = err_out;
	int err = viz_model_init(m, paths, n);
	if (err)
		return err;
	err = rumor_log_reader_open(&ld->reader, paths, n, &bad);
	if (err) {
		if (err_out)
			fprintf(err_out, "rumor-viz: %s: %s\n",
			        bad ? bad : "(no log)",
			        err == RUMOR_ENOMEM ? "out of memory"
			                            : strerror(errno));
		return err;
	}
	rumor_log_reader_on_error(ld->reader, on_error, ld);
	rumor_log_reader_follow(ld->reader, follow);
	ld->follow = follow;
	return 0;
}

long
viz_load_poll(struct viz_load *ld, struct viz_model *m, size_t max)
{
	long n = 0;
	while (max == 0 || (size_t)n < max) {
		int rc = rumor_log_reader_next(ld->reader, &ld->rec);
		if (rc <= 0)
			break;
		int err = viz_model_add(m, &ld->rec);
		if (err == RUMOR_ENOMEM)
			return err;
		if (err == RUMOR_EINVAL && !ld->follow)
			on_error(ld, ld->rec.file, ld->rec.line,
			         "ts earlier than lines already shown; "
			         "placed at the latest ts");
		n++;
	}
	m->n_errors = ld->n_errors;
	return n;
}

void
viz_load_close(struct viz_load *ld)
{
	rumor_log_record_clear(&ld->rec);
	rumor_log_reader_close(ld->reader);
	ld->reader = NULL;
}
