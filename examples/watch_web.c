/* SPDX-License-Identifier: MIT */
/*
 * watch_web: join a rumor group and print the members tagged role=web as
 * they change, on the program's own libuv loop (docs/embedding.md).
 *
 *   watch_web SEED_HOST:PORT [SECONDS] [KEY=VALUE | -]
 *
 * Prints one line per member event ("join 127.0.0.1:3001#17... alive")
 * and, every second, the current list of matching members when it changed.
 * After SECONDS (default 0: until SIGINT) it leaves the group and exits 0.
 * The filter defaults to role=web; "-" prints every member.
 *
 * Build against the installed library:
 *   cc watch_web.c $(pkg-config --cflags --libs rumor) -o watch_web
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rumor/agent.h>

struct app {
	uv_loop_t *loop;
	uv_signal_t sigint;
	uv_timer_t every, deadline;
	struct rumor_agent *agent;
	const char *want; /* "key=value" or NULL: all */
	char last[4096];  /* the list as last printed */
};

/* Tags are encoded "key=value\n" lines (rumor/agent.h). */
static int
matches(const struct app *a, const struct rumor_agent_member *m)
{
	size_t n;

	if (a->want == NULL)
		return 1;
	n = strlen(a->want);
	for (size_t i = 0; m->tags != NULL && i + n < m->tags_len;) {
		if (memcmp(m->tags + i, a->want, n) == 0 &&
		    m->tags[i + n] == '\n')
			return 1;
		while (i < m->tags_len && m->tags[i] != '\n')
			i++;
		i++;
	}
	return 0;
}

static void
on_member(struct rumor_agent *agent, enum rumor_agent_event ev,
          const struct rumor_agent_member *m, void *user)
{
	struct app *a = user;

	(void)agent;
	if (matches(a, m))
		printf("%s %s %s\n", rumor_agent_event_name(ev), m->id_text,
		       rumor_status_name(m->status));
	fflush(stdout);
}

static void
on_log(struct rumor_agent *agent, enum rumor_agent_log_level level,
       const char *msg, void *user)
{
	(void)agent;
	(void)user;
	if (level <= RUMOR_AGENT_LOG_WARN)
		fprintf(stderr, "watch_web: %s\n", msg);
}

static void
print_list(uv_timer_t *t)
{
	struct app *a = t->data;
	struct rumor_agent_member *list;
	char now[sizeof(a->last)] = "";
	size_t n, k = 0;

	if (rumor_agent_members(a->agent, &list, &n) != 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (list[i].status == RUMOR_STATUS_ALIVE &&
		    matches(a, &list[i]))
			k += (size_t)snprintf(now + k, sizeof(now) - k, " %s",
			                      list[i].id_text);
	rumor_agent_members_free(list);
	if (k < sizeof(now) && strcmp(now, a->last) != 0) {
		printf("members:%s\n", now);
		fflush(stdout);
		memcpy(a->last, now, sizeof(now));
	}
}

static void
on_stopped(void *arg)
{
	(void)arg;
}

static void
on_left(struct rumor_agent *agent, int status, void *arg)
{
	struct app *a = arg;

	printf("left (%s)\n", status == 0 ? "ok" : rumor_strerror(status));
	rumor_agent_stop(agent, on_stopped, NULL);
	uv_close((uv_handle_t *)&a->every, NULL);
	uv_close((uv_handle_t *)&a->deadline, NULL);
	uv_close((uv_handle_t *)&a->sigint, NULL);
}

static void
leave(struct app *a)
{
	if (rumor_agent_leave(a->agent, on_left, a) != 0)
		on_left(a->agent, -1, a);
}

static void
on_deadline(uv_timer_t *t)
{
	leave(t->data);
}

static void
on_sigint(uv_signal_t *s, int signum)
{
	(void)signum;
	uv_signal_stop(s);
	leave(s->data);
}

int
main(int argc, char **argv)
{
	static struct app a;
	struct rumor_agent_options o;
	struct rumor_agent_callbacks cb = {
	    .on_member = on_member, .on_log = on_log, .user = &a};
	struct rumor_addr seed;
	long secs = argc > 2 ? atol(argv[2]) : 0;
	char err[256];

	if (argc < 2 || rumor_addr_parse(argv[1], &seed) != 0) {
		fprintf(stderr, "usage: watch_web SEED_HOST:PORT [SECONDS] "
		                "[KEY=VALUE | -]\n");
		return 2;
	}
	a.want =
	    argc > 3 ? (strcmp(argv[3], "-") ? argv[3] : NULL) : "role=web";
	a.loop = uv_default_loop();
	rumor_agent_options_init(&o);
	o.seeds = &seed;
	o.n_seeds = 1;
	if (rumor_agent_start(a.loop, &o, &cb, &a.agent, err, sizeof(err))) {
		fprintf(stderr, "watch_web: %s\n", err);
		uv_run(a.loop, UV_RUN_DEFAULT); /* let its handles close */
		return 1;
	}
	uv_timer_init(a.loop, &a.every);
	uv_timer_init(a.loop, &a.deadline);
	a.every.data = a.deadline.data = &a;
	uv_timer_start(&a.every, print_list, 1000, 1000);
	if (secs > 0)
		uv_timer_start(&a.deadline, on_deadline, (uint64_t)secs * 1000,
		               0);
	uv_signal_init(a.loop, &a.sigint);
	a.sigint.data = &a;
	uv_signal_start(&a.sigint, on_sigint, SIGINT);
	uv_run(a.loop, UV_RUN_DEFAULT);
	return uv_loop_close(a.loop) == 0 ? 0 : 1;
}
