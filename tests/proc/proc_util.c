/* SPDX-License-Identifier: MIT */
/* Helpers for the process tests (proc_util.h). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc_util.h"

void
proc_env_init(struct proc_env *e)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->dir, sizeof(e->dir), "/tmp/rumor-proc-XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	snprintf(e->state, sizeof(e->state), "%s/state", e->dir);
	assert_int_equal(mkdir(e->state, 0700), 0);
	rumor_cluster_install_cleanup();
	assert_int_equal(rumor_cluster_new(&e->c, RUMOR_BIN, e->dir), 0);
}

void
proc_env_free(struct proc_env *e)
{
	char cmd[128];

	rumor_cluster_free(e->c);
	e->c = NULL;
	if (e->failed) {
		fprintf(stderr, "test files kept in %s\n", e->dir);
		return;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", e->dir);
}

void
proc_check(struct proc_env *e, int rc, const char *what)
{
	if (rc == 0)
		return;
	e->failed = 1;
	fail_msg("%s: %s", what, e->err);
}

size_t
proc_start(struct proc_env *e, const char *name, const char *bind,
           const char *join, const char *const *extra)
{
	const char *args[32];
	size_t k = 0, idx = 0;

	args[k++] = "--state-dir";
	args[k++] = e->state;
	if (join != NULL) {
		args[k++] = "--join";
		args[k++] = join;
	}
	for (size_t i = 0; extra && extra[i] && k < 30; i++)
		args[k++] = extra[i];
	args[k] = NULL;
	proc_check(e,
	           rumor_cluster_start(e->c, name, bind ? bind : "127.0.0.1:0",
	                               args, NULL, PROC_START_MS, &idx, e->err,
	                               sizeof(e->err)),
	           name);
	return idx;
}

const char *
proc_addr(struct proc_env *e, size_t i)
{
	static char buf[4][RUMOR_ADDR_STRLEN];
	static int next;
	char *b = buf[next++ % 4];

	rumor_addr_format(&rumor_cluster_agent(e->c, i)->id.addr, b,
	                  RUMOR_ADDR_STRLEN);
	return b;
}

void
proc_start_group(struct proc_env *e, size_t n, const char *const *extra)
{
	char name[32], join[RUMOR_ADDR_STRLEN];

	proc_start(e, "intro", NULL, NULL, extra);
	snprintf(join, sizeof(join), "%s", proc_addr(e, 0));
	for (size_t i = 1; i < n; i++) {
		snprintf(name, sizeof(name), "a%zu", i);
		proc_start(e, name, NULL, join, extra);
	}
	proc_check(e,
	           rumor_cluster_wait_converged(e->c, PROC_CONVERGE_MS, e->err,
	                                        sizeof(e->err)),
	           "converge");
	/* a running cluster, not one 50 ms old: every member has sent its
	 * first heartbeats to its ring monitors (one that dies before that is
	 * caught only by the slower far timeout, as in docs/architecture.md) */
	sleep(1);
}

struct rumor_analysis *
proc_analyze(struct proc_env *e, const struct rumor_analyze_result **res)
{
	const char *paths[64];
	size_t n = 0;
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	struct rumor_analysis *a;

	paths[n++] = rumor_cluster_scenario_log(e->c);
	for (size_t i = 0; i < rumor_cluster_size(e->c) && n < 64; i++)
		paths[n++] = rumor_cluster_agent(e->c, i)->log;
	assert_int_equal(rumor_log_reader_open(&r, paths, n, NULL), 0);
	assert_int_equal(rumor_analysis_new(&a, NULL), 0);
	while (rumor_log_reader_next(r, &rec) == 1)
		assert_int_equal(rumor_analysis_add(a, &rec), 0);
	rumor_log_record_clear(&rec);
	assert_int_equal(rumor_log_reader_errors(r), 0);
	rumor_log_reader_close(r);
	assert_int_equal(rumor_analysis_finish(a, res), 0);
	return a;
}

size_t
proc_count(struct proc_env *e, size_t i, enum rumor_log_ev ev,
           const char *member)
{
	const char *path = rumor_cluster_agent(e->c, i)->log;
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	size_t n = 0;

	assert_int_equal(rumor_log_reader_open(&r, &path, 1, NULL), 0);
	while (rumor_log_reader_next(r, &rec) == 1)
		n += rec.ev == ev &&
		     (member == NULL || strcmp(rec.member, member) == 0);
	rumor_log_record_clear(&rec);
	rumor_log_reader_close(r);
	return n;
}

size_t
proc_count_all_member(struct proc_env *e, enum rumor_log_ev ev,
                      const char *member)
{
	size_t n = 0;

	for (size_t i = 0; i < rumor_cluster_size(e->c); i++)
		n += proc_count(e, i, ev, member);
	return n;
}

int64_t
proc_first_ts(struct proc_env *e, size_t i, enum rumor_log_ev ev,
              const char *member)
{
	const char *path = rumor_cluster_agent(e->c, i)->log;
	struct rumor_log_reader *r;
	struct rumor_log_record rec = {0};
	int64_t ts = INT64_MIN;

	assert_int_equal(rumor_log_reader_open(&r, &path, 1, NULL), 0);
	while (ts == INT64_MIN && rumor_log_reader_next(r, &rec) == 1)
		if (rec.ev == ev && strcmp(rec.member, member) == 0)
			ts = rec.ts;
	rumor_log_record_clear(&rec);
	rumor_log_reader_close(r);
	return ts;
}

int
proc_run(char *out, size_t cap, const char *const *argv)
{
	int pipefd[2], status = 0;
	size_t len = 0;
	ssize_t r;
	pid_t pid;

	assert_int_equal(pipe(pipefd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) { /* read all of it, keeping what fits */
		char scratch[4096];
		int room = len + 1 < cap;
		r = room ? read(pipefd[0], out + len, cap - len - 1)
		         : read(pipefd[0], scratch, sizeof(scratch));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (room)
			len += (size_t)r;
	}
	out[len] = '\0';
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int
is_running_member(struct proc_env *e, size_t i)
{
	struct rumor_cluster_agent *a = rumor_cluster_agent(e->c, i);

	return rumor_cluster_running(e->c, i) && !a->crashed && !a->left;
}

struct truth {
	struct rumor_member_id self; /* as the agent reports itself */
	struct rumor_control_member *list;
	size_t n;
	int ok;
};

/* Does observer o's list hold exactly the truth? why gets the first
 * difference. */
static int
agrees(struct proc_env *e, struct truth *t, size_t o, int strict, char *why,
       size_t cap)
{
	char id[RUMOR_ID_STRLEN];
	size_t alive = 0, want = 0;

	for (size_t k = 0; k < t[o].n; k++) {
		const struct rumor_control_member *m = &t[o].list[k];
		int known = 0;
		for (size_t j = 0; j < rumor_cluster_size(e->c); j++)
			known |= t[j].ok &&
			         rumor_member_id_cmp(&t[j].self, &m->id) == 0;
		rumor_member_id_format(&m->id, id, sizeof(id));
		if (known && m->status == RUMOR_STATUS_ALIVE) {
			alive++;
			continue;
		}
		if (m->status == RUMOR_STATUS_ALIVE ||
		    m->status == RUMOR_STATUS_SUSPECT || strict) {
			snprintf(why, cap, "%s lists %s %s",
			         rumor_cluster_agent(e->c, o)->name, id,
			         rumor_status_name(m->status));
			return 0;
		}
	}
	for (size_t j = 0; j < rumor_cluster_size(e->c); j++)
		want += t[j].ok;
	if (alive != want)
		snprintf(why, cap, "%s lists %zu of the %zu running alive",
		         rumor_cluster_agent(e->c, o)->name, alive, want);
	return alive == want;
}

static int
one_membership(struct proc_env *e, int strict, char *why, size_t cap)
{
	size_t n = rumor_cluster_size(e->c);
	struct truth *t = calloc(n, sizeof(*t));
	int ok = 1;

	assert_non_null(t);
	for (size_t i = 0; i < n; i++) {
		struct rumor_cluster_agent *a = rumor_cluster_agent(e->c, i);
		char err[256];
		if (!is_running_member(e, i) ||
		    rumor_control_members(a->sock, 2000, &t[i].list, &t[i].n,
		                          err, sizeof(err)) != 0)
			continue;
		for (size_t k = 0; k < t[i].n; k++)
			if (t[i].list[k].is_self)
				t[i].self = t[i].list[k].id;
		t[i].ok = 1;
	}
	for (size_t i = 0; ok && i < n; i++) {
		if (is_running_member(e, i) && !t[i].ok) {
			snprintf(why, cap, "%s does not answer",
			         rumor_cluster_agent(e->c, i)->name);
			ok = 0;
		} else if (t[i].ok) {
			ok = agrees(e, t, i, strict, why, cap);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(t[i].list);
	free(t);
	return ok;
}

int
proc_wait_one_membership(struct proc_env *e, int strict, int timeout_ms)
{
	for (int waited = 0;; waited += 200) {
		if (one_membership(e, strict, e->err, sizeof(e->err)))
			return 0;
		if (waited >= timeout_ms)
			return RUMOR_EINVAL;
		usleep(200 * 1000);
	}
}

size_t
proc_count_all(struct proc_env *e, enum rumor_log_ev ev)
{
	size_t n = 0;

	for (size_t i = 0; i < rumor_cluster_size(e->c); i++)
		n += proc_count(e, i, ev, NULL);
	return n;
}

int
proc_stderr_has(struct proc_env *e, size_t i, const char *text)
{
	char line[1024];
	FILE *f = fopen(rumor_cluster_agent(e->c, i)->err, "r");
	int found = 0;

	if (f == NULL)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, text) != NULL;
	fclose(f);
	return found;
}

int
proc_setup(void **state)
{
	struct proc_env *e = calloc(1, sizeof(*e));

	if (e == NULL)
		return -1;
	proc_env_init(e);
	*state = e;
	return 0;
}

int
proc_teardown(void **state)
{
	proc_env_free(*state);
	free(*state);
	return 0;
}
