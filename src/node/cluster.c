/* SPDX-License-Identifier: MIT */
/*
 * Local clusters of agent processes for `rumor demo` and tests/proc: spawn
 * `rumor agent` children with their files in one directory, crash, leave
 * and restart them, and write the ground truth (crash, restart) to the
 * scenario log. No child may outlive us: each gets PR_SET_PDEATHSIG
 * (SIGKILL), and every pid we have not reaped is in a table that an
 * atexit hook and the SIGINT/SIGTERM/SIGHUP handlers SIGKILL
 * (async-signal-safe: the table is a fixed array of pids).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cluster_internal.h"

#define MAX_PIDS 1024

static volatile sig_atomic_t n_pids;
static volatile pid_t pids[MAX_PIDS];

static void
pid_add(pid_t pid)
{
	for (int i = 0; i < MAX_PIDS; i++)
		if (pids[i] == 0) {
			pids[i] = pid;
			if (i >= n_pids)
				n_pids = i + 1;
			return;
		}
}

static void
pid_remove(pid_t pid)
{
	for (int i = 0; i < n_pids; i++)
		if (pids[i] == pid)
			pids[i] = 0;
}

static void
kill_all(void)
{
	for (int i = 0; i < n_pids; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
}

static void
on_fatal_signal(int sig)
{
	static const char msg[] = "\ninterrupted: every agent started here "
	                          "was killed\n";

	kill_all();
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to do */
	}
	signal(sig, SIG_DFL);
	_exit(128 + sig);
}

void
rumor_cluster_install_cleanup(void)
{
	static int done;
	struct sigaction sa;

	if (done++)
		return;
	atexit(kill_all);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void
rumor__cluster_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int64_t
rumor__cluster_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
rumor_cluster_new(struct rumor_cluster **out, const char *rumor_bin,
                  const char *dir)
{
	struct rumor_cluster *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (c == NULL)
		return RUMOR_ENOMEM;
	snprintf(c->bin, sizeof(c->bin), "%s", rumor_bin);
	snprintf(c->dir, sizeof(c->dir), "%s", dir);
	snprintf(c->scenario_path, sizeof(c->scenario_path),
	         "%s/scenario.jsonl", dir);
	if ((mkdir(dir, 0755) != 0 && errno != EEXIST) ||
	    (rc = rumor_log_writer_open(&c->scenario, c->scenario_path, 0)) !=
	        0) {
		free(c);
		return RUMOR_EINVAL;
	}
	*out = c;
	return 0;
}

static void
free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static char **
dup_strv(const char *const *v)
{
	size_t n = 0;
	char **d;

	while (v && v[n])
		n++;
	if ((d = calloc(n + 1, sizeof(*d))) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((d[i] = strdup(v[i])) == NULL) {
			free_strv(d);
			return NULL;
		}
	return d;
}

void
rumor_cluster_free(struct rumor_cluster *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		struct rumor_cluster_agent *a = &c->agents[i].pub;
		if (a->pid > 0) {
			kill(a->pid, SIGKILL);
			waitpid(a->pid, &a->status, 0);
			pid_remove(a->pid);
			a->pid = 0;
		}
		free_strv(c->agents[i].args);
		free_strv(c->agents[i].prefix);
	}
	free(c->agents);
	rumor_log_writer_close(c->scenario);
	free(c);
}

struct rumor_cluster_agent *
rumor_cluster_agent(struct rumor_cluster *c, size_t i)
{
	return i < c->n ? &c->agents[i].pub : NULL;
}

size_t
rumor_cluster_size(const struct rumor_cluster *c)
{
	return c->n;
}

const char *
rumor_cluster_scenario_log(const struct rumor_cluster *c)
{
	return c->scenario_path;
}

/* In the child: files, signals, death with the parent, exec. */
static void
child_exec(struct rumor_cluster *c, struct agent *a, pid_t parent)
{
	char *argv[128];
	size_t k = 0;
	sigset_t none;
	int fd;

	setpgid(0, 0); /* the terminal's Ctrl-C is for the parent */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	fd = open(a->pub.err, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
	}
	if ((fd = open("/dev/null", O_RDONLY)) >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	for (size_t i = 0; a->prefix && a->prefix[i] && k < 100; i++)
		argv[k++] = a->prefix[i];
	argv[k++] = c->bin;
	argv[k++] = "agent";
	argv[k++] = "--bind";
	argv[k++] = a->pub.bind;
	argv[k++] = "--log";
	argv[k++] = a->pub.log;
	argv[k++] = "--control";
	argv[k++] = a->pub.sock;
	for (size_t i = 0; a->args && a->args[i] && k < 126; i++)
		argv[k++] = a->args[i];
	argv[k] = NULL;
	execvp(argv[0], argv);
	fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static struct agent *
agent_add(struct rumor_cluster *c, const char *name, const char *bind)
{
	struct agent *a;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct agent *v = realloc(c->agents, cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		c->agents = v;
		c->cap = cap;
	}
	a = &c->agents[c->n];
	memset(a, 0, sizeof(*a));
	snprintf(a->pub.name, sizeof(a->pub.name), "%s", name);
	snprintf(a->pub.bind, sizeof(a->pub.bind), "%s", bind);
	/* lengths were checked by the caller */
	if (snprintf(a->pub.log, sizeof(a->pub.log), "%s/%s.jsonl", c->dir,
	             name) >= (int)sizeof(a->pub.log) ||
	    snprintf(a->pub.sock, sizeof(a->pub.sock), "%s/%s.sock", c->dir,
	             name) >= (int)sizeof(a->pub.sock) ||
	    snprintf(a->pub.err, sizeof(a->pub.err), "%s/%s.stderr", c->dir,
	             name) >= (int)sizeof(a->pub.err))
		return NULL;
	return a;
}

static int
spawn(struct rumor_cluster *c, struct agent *a)
{
	pid_t parent = getpid(), pid;

	unlink(a->pub.log); /* a fresh log per process */
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return RUMOR_EINVAL;
	if (pid == 0)
		child_exec(c, a, parent);
	setpgid(pid, pid); /* also from here: no race with a quick kill */
	a->pub.pid = pid;
	pid_add(pid);
	return 0;
}

int
rumor_cluster_start(struct rumor_cluster *c, const char *name, const char *bind,
                    const char *const *args, const char *const *prefix,
                    int timeout_ms, size_t *index, char *err, size_t cap)
{
	struct agent *a;
	int rc;

	if (strlen(c->dir) + strlen(name) + 10 >= RUMOR_NODE_PATH_MAX) {
		snprintf(err, cap,
		         "%s/%s.stderr: path too long (at most %d "
		         "bytes: a Unix socket path limit)",
		         c->dir, name, RUMOR_NODE_PATH_MAX - 1);
		return RUMOR_EINVAL;
	}
	a = agent_add(c, name, bind);
	if (a == NULL || (args && !(a->args = dup_strv(args))) ||
	    (prefix && !(a->prefix = dup_strv(prefix))))
		return RUMOR_ENOMEM;
	c->n++;
	*index = c->n - 1;
	if (spawn(c, a) != 0) {
		snprintf(err, cap, "fork: %s", strerror(errno));
		return RUMOR_EINVAL;
	}
	rc = rumor__cluster_wait_start(c, *index, timeout_ms, err, cap);
	return rc;
}

static int
write_truth(struct rumor_cluster *c, enum rumor_log_ev ev, int64_t ts,
            const char *member)
{
	struct rumor_log_record rec = {0};

	rec.ts = ts;
	rec.ev = ev;
	snprintf(rec.node, sizeof(rec.node), "scenario");
	snprintf(rec.member, sizeof(rec.member), "%s", member);
	return rumor_log_write_record(c->scenario, &rec) ? RUMOR_EINVAL : 0;
}

int
rumor_cluster_crash(struct rumor_cluster *c, size_t i)
{
	struct rumor_cluster_agent *a = rumor_cluster_agent(c, i);
	int64_t ts = rumor_log_wall_ms();

	if (a == NULL || a->pid <= 0)
		return RUMOR_ESTATE;
	kill(a->pid, SIGKILL);
	a->crashed = 1;
	write_truth(c, RUMOR_LOG_CRASH, ts, a->id_text);
	waitpid(a->pid, &a->status, 0);
	pid_remove(a->pid);
	a->pid = 0;
	return 0;
}

int
rumor_cluster_leave(struct rumor_cluster *c, size_t i)
{
	struct rumor_cluster_agent *a = rumor_cluster_agent(c, i);

	if (a == NULL || a->pid <= 0)
		return RUMOR_ESTATE;
	a->left = 1;
	return kill(a->pid, SIGTERM) == 0 ? 0 : RUMOR_ESTATE;
}

int
rumor_cluster_restart(struct rumor_cluster *c, size_t i, int timeout_ms,
                      size_t *index, char *err, size_t cap)
{
	struct rumor_cluster_agent *old = rumor_cluster_agent(c, i);
	char name[32], bind[RUMOR_ADDR_STRLEN];
	struct agent *a;
	int rc, gen = 1;
	size_t base;

	if (old == NULL || old->pid <= 0)
		return RUMOR_ESTATE;
	rumor_addr_format(&old->id.addr, bind, sizeof(bind));
	base = strcspn(old->name, ".");
	for (size_t k = 0; k < c->n; k++) {
		const char *other = c->agents[k].pub.name;
		if (strncmp(other, old->name, base) == 0 &&
		    (other[base] == '\0' || other[base] == '.'))
			gen++;
	}
	snprintf(name, sizeof(name), "%.*s.r%d", (int)base, old->name, gen - 1);
	rumor_cluster_crash(c, i);
	rc = rumor_cluster_start(c, name, bind,
	                         (const char *const *)c->agents[i].args,
	                         (const char *const *)c->agents[i].prefix,
	                         timeout_ms, index, err, cap);
	if (rc != 0)
		return rc;
	a = &c->agents[*index];
	return write_truth(c, RUMOR_LOG_RESTART, a->start_ts, a->pub.id_text);
}

int
rumor_cluster_running(struct rumor_cluster *c, size_t i)
{
	struct rumor_cluster_agent *a = rumor_cluster_agent(c, i);

	if (a == NULL || a->pid <= 0)
		return 0;
	if (waitpid(a->pid, &a->status, WNOHANG) == a->pid) {
		pid_remove(a->pid);
		a->pid = 0;
		return 0;
	}
	return 1;
}

int
rumor_cluster_wait_exit(struct rumor_cluster *c, size_t i, int timeout_ms,
                        int *status)
{
	struct rumor_cluster_agent *a = rumor_cluster_agent(c, i);
	int64_t deadline = rumor__cluster_now_ms() + timeout_ms;

	if (a == NULL)
		return RUMOR_EINVAL;
	if (a->pid <= 0) {
		*status = a->status;
		return RUMOR_ESTATE;
	}
	while (rumor_cluster_running(c, i)) {
		if (rumor__cluster_now_ms() >= deadline)
			return RUMOR_EINVAL;
		rumor__cluster_sleep_ms(10);
	}
	*status = a->status;
	return 0;
}
