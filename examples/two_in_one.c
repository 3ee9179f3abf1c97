/* SPDX-License-Identifier: MIT */
/*
 * two_in_one: two rumor members in one process on one libuv loop. The
 * first starts a group, the second joins it; once each lists both alive
 * the program prints the time it took, stops both and exits 0 (1 after
 * 30 s without convergence).
 *
 *   cc two_in_one.c $(pkg-config --cflags --libs rumor) -o two_in_one
 */
#include <stdio.h>

#include <rumor/agent.h>

static struct rumor_agent *agents[2];
static int stopped, converged;

static int
alive(struct rumor_agent *a)
{
	struct rumor_agent_member *list;
	size_t n;
	int k = 0;

	if (rumor_agent_members(a, &list, &n) != 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		k += list[i].status == RUMOR_STATUS_ALIVE;
	rumor_agent_members_free(list);
	return k;
}

static void
on_stopped(void *arg)
{
	(void)arg;
	stopped++;
}

static void
on_tick(uv_timer_t *t)
{
	uint64_t *t0 = t->data;
	uint64_t now = uv_now(t->loop);

	if (alive(agents[0]) == 2 && alive(agents[1]) == 2) {
		printf("converged in %.3f s\n", (double)(now - *t0) / 1000.0);
		converged = 1;
	} else if (now - *t0 < 30000) {
		return;
	}
	for (int i = 0; i < 2; i++)
		rumor_agent_stop(agents[i], on_stopped, NULL);
	uv_close((uv_handle_t *)t, NULL);
}

int
main(void)
{
	uv_loop_t *loop = uv_default_loop();
	struct rumor_agent_options o;
	struct rumor_addr first;
	uv_timer_t tick;
	uint64_t t0;
	char err[256];

	rumor_agent_options_init(&o); /* 127.0.0.1, any free port */
	if (rumor_agent_start(loop, &o, NULL, &agents[0], err, sizeof(err))) {
		fprintf(stderr, "two_in_one: %s\n", err);
		return 1;
	}
	first = rumor_agent_self(agents[0]).addr;
	o.seeds = &first;
	o.n_seeds = 1;
	if (rumor_agent_start(loop, &o, NULL, &agents[1], err, sizeof(err))) {
		fprintf(stderr, "two_in_one: %s\n", err);
		return 1;
	}
	t0 = uv_now(loop);
	uv_timer_init(loop, &tick);
	tick.data = &t0;
	uv_timer_start(&tick, on_tick, 10, 10);
	uv_run(loop, UV_RUN_DEFAULT);
	if (uv_loop_close(loop) != 0 || stopped != 2)
		return 1;
	return converged ? 0 : 1;
}
