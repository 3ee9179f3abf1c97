/* SPDX-License-Identifier: MIT */
/*
 * Waiting on a local cluster: for an agent's `start` line (its id, when
 * the port was 0), for every agent's list to satisfy a predicate (polled
 * through the control sockets), and for all to stop.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster_internal.h"

static void
ignore_errors(void *arg, const char *file, uint64_t line, const char *msg)
{
	(void)arg;
	(void)file;
	(void)line;
	(void)msg;
}

/* The last line of a file (its stderr), for error messages. */
static void
last_line(const char *path, char *out, size_t cap)
{
	char line[512];
	FILE *f = fopen(path, "r");

	out[0] = '\0';
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '\n') {
			size_t k = strlen(line);
			if (k >= cap)
				k = cap - 1;
			memcpy(out, line, k);
			out[k] = '\0';
		}
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

/* 1 with the id filled in once the `start` line is there, else 0. */
static int
read_start(struct agent *a, struct rumor_log_reader **r)
{
	const char *path = a->pub.log;
	struct rumor_log_record rec = {0};
	int found = 0;

	if (*r == NULL) {
		if (access(path, R_OK) != 0 ||
		    rumor_log_reader_open(r, &path, 1, NULL) != 0)
			return 0;
		rumor_log_reader_on_error(*r, ignore_errors, NULL);
		rumor_log_reader_follow(*r, 1);
	}
	while (!found && rumor_log_reader_next(*r, &rec) == 1) {
		if (rec.ev == RUMOR_LOG_START &&
		    rumor_member_id_parse(rec.node, &a->pub.id) == 0) {
			snprintf(a->pub.id_text, sizeof(a->pub.id_text), "%s",
			         rec.node);
			a->start_ts = rec.ts;
			found = 1;
		}
	}
	rumor_log_record_clear(&rec);
	return found;
}

int
rumor__cluster_wait_start(struct rumor_cluster *c, size_t i, int timeout_ms,
                          char *err, size_t cap)
{
	struct agent *a = &c->agents[i];
	int64_t deadline = rumor__cluster_now_ms() + timeout_ms;
	struct rumor_log_reader *r = NULL;
	char tail[256];
	int found = 0;

	while (!(found = read_start(a, &r)) && rumor_cluster_running(c, i) &&
	       rumor__cluster_now_ms() < deadline)
		rumor__cluster_sleep_ms(20);
	if (!found)
		found = read_start(a, &r); /* it may have exited after start */
	rumor_log_reader_close(r);
	if (found)
		return 0;
	last_line(a->pub.err, tail, sizeof(tail));
	if (a->pub.pid > 0)
		snprintf(err, cap,
		         "%s (--bind %s): no start line in %s "
		         "after %d ms; stderr: %s",
		         a->pub.name, a->pub.bind, a->pub.log, timeout_ms,
		         tail);
	else
		snprintf(err, cap, "%s (--bind %s) exited (status %d): %s",
		         a->pub.name, a->pub.bind,
		         WIFEXITED(a->pub.status)
		             ? WEXITSTATUS(a->pub.status)
		             : 128 + WTERMSIG(a->pub.status),
		         tail);
	return RUMOR_EINVAL;
}

static int
is_member(const struct rumor_cluster_agent *a)
{
	return a->pid > 0 && !a->crashed && !a->left;
}

int
rumor_cluster_wait_all(struct rumor_cluster *c, rumor_cluster_pred pred,
                       void *arg, int timeout_ms, char *err, size_t cap)
{
	int64_t deadline = rumor__cluster_now_ms() + timeout_ms;

	for (;;) {
		int all = 1;
		for (size_t i = 0; all && i < c->n; i++) {
			struct rumor_control_member *list = NULL;
			size_t n = 0;
			if (!rumor_cluster_running(c, i) ||
			    !is_member(&c->agents[i].pub))
				continue;
			if (rumor_control_members(c->agents[i].pub.sock, 2000,
			                          &list, &n, err, cap) != 0 ||
			    !pred(arg, i, list, n)) {
				all = 0;
				if (list != NULL)
					snprintf(err, cap,
					         "%s does not agree yet",
					         c->agents[i].pub.name);
			}
			free(list);
		}
		if (all)
			return 0;
		if (rumor__cluster_now_ms() >= deadline)
			return RUMOR_EINVAL;
		rumor__cluster_sleep_ms(100);
	}
}

static const struct rumor_control_member *
find(const struct rumor_control_member *list, size_t n,
     const struct rumor_member_id *id)
{
	for (size_t k = 0; k < n; k++)
		if (rumor_member_id_cmp(&list[k].id, id) == 0)
			return &list[k];
	return NULL;
}

static int
pred_converged(void *arg, size_t observer,
               const struct rumor_control_member *list, size_t n)
{
	struct rumor_cluster *c = arg;

	(void)observer;
	for (size_t i = 0; i < c->n; i++) {
		const struct rumor_control_member *m;
		if (!is_member(&c->agents[i].pub))
			continue;
		m = find(list, n, &c->agents[i].pub.id);
		if (m == NULL || m->status != RUMOR_STATUS_ALIVE)
			return 0;
	}
	return 1;
}

int
rumor_cluster_wait_converged(struct rumor_cluster *c, int timeout_ms, char *err,
                             size_t cap)
{
	return rumor_cluster_wait_all(c, pred_converged, c, timeout_ms, err,
	                              cap);
}

struct status_arg {
	const struct rumor_member_id *member;
	unsigned mask;
	int absent_ok;
};

static int
pred_status(void *arg, size_t observer, const struct rumor_control_member *list,
            size_t n)
{
	const struct status_arg *s = arg;
	const struct rumor_control_member *m = find(list, n, s->member);

	(void)observer;
	if (m == NULL)
		return s->absent_ok;
	return (s->mask >> m->status) & 1;
}

int
rumor_cluster_wait_status(struct rumor_cluster *c,
                          const struct rumor_member_id *member,
                          unsigned status_mask, int absent_ok, int timeout_ms,
                          char *err, size_t cap)
{
	struct status_arg s = {member, status_mask, absent_ok};

	return rumor_cluster_wait_all(c, pred_status, &s, timeout_ms, err, cap);
}

int
rumor_cluster_stop_all(struct rumor_cluster *c, int timeout_ms, char *err,
                       size_t cap)
{
	int64_t deadline = rumor__cluster_now_ms() + timeout_ms;
	int rc = 0;

	for (size_t i = 0; i < c->n; i++)
		if (rumor_cluster_running(c, i))
			kill(c->agents[i].pub.pid, SIGTERM);
	for (size_t i = 0; i < c->n; i++) {
		struct rumor_cluster_agent *a = &c->agents[i].pub;
		int status = 0,
		    left = (int)(deadline - rumor__cluster_now_ms());
		int w =
		    rumor_cluster_wait_exit(c, i, left > 0 ? left : 0, &status);
		if (w == RUMOR_EINVAL) {
			kill(a->pid, SIGKILL);
			rumor_cluster_wait_exit(c, i, 5000, &status);
			if (rc == 0)
				snprintf(err, cap,
				         "%s did not stop within %d ms",
				         a->name, timeout_ms);
			rc = RUMOR_EINVAL;
		} else if (w == 0 && status != 0 && !a->crashed && rc == 0) {
			snprintf(err, cap, "%s exited with status %d", a->name,
			         WIFEXITED(status) ? WEXITSTATUS(status)
			                           : 128 + WTERMSIG(status));
			rc = RUMOR_EINVAL;
		}
	}
	return rc;
}
