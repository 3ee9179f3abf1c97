/* SPDX-License-Identifier: MIT */
/*
 * Two embedded agents (librumor.so, rumor/agent.h) on one loop in one
 * process, and a third member as a real `rumor agent` process:
 *
 *   A starts a group (tags role=db from its options); B joins A; the
 *   process C joins A with --tag role=web. Every one of A and B must list
 *   all three alive with their tags (convergence time printed). B then
 *   sets its tags (rumor_agent_set_tags; bad encodings and an oversize set
 *   are refused) and A must get B's update event with them. Then B leaves:
 *   its leave callback fires with 0 and A reports B's `leave` event. C is
 *   sent SIGTERM; A is stopped; every stop callback fires and the loop
 *   closes with no handle left (uv_loop_close == 0; ASan checks the rest).
 *
 * Usage: test_two_in_one RUMOR_BIN. Timeouts are generous (60 s per step)
 * for a loaded 2-core machine.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rumor/agent.h"

#define STEP_MS 60000
#define A_TAGS  "role=db\n"
#define B_TAGS  "role=web\nzone=a\n"

struct world {
	uv_loop_t loop;
	uv_timer_t tick;
	struct rumor_agent *a, *b;
	pid_t c;
	char dir[64];
	int step;
	uint64_t step_start, t0;
	int b_left, a_saw_b_leave, a_saw_b_update, stopped;
	struct rumor_member_id b_id;
};

static void
fail(const char *what)
{
	fprintf(stderr, "test_two_in_one: FAIL: %s\n", what);
	exit(1);
}

static void
on_member(struct rumor_agent *a, enum rumor_agent_event ev,
          const struct rumor_agent_member *m, void *user)
{
	struct world *w = user;

	if (m->id.version == 0 || m->id_text[0] == '\0')
		fail("member event without an id");
	if (a == w->a && ev == RUMOR_AGENT_EV_LEAVE && !m->is_self &&
	    rumor_member_id_cmp(&m->id, &w->b_id) == 0)
		w->a_saw_b_leave = 1;
	if (a == w->a && ev == RUMOR_AGENT_EV_UPDATE && !m->is_self &&
	    rumor_member_id_cmp(&m->id, &w->b_id) == 0 &&
	    m->tags_len == strlen(B_TAGS) &&
	    memcmp(m->tags, B_TAGS, m->tags_len) == 0)
		w->a_saw_b_update = 1;
}

static void
on_log(struct rumor_agent *a, enum rumor_agent_log_level level, const char *msg,
       void *user)
{
	struct world *w = user;

	fprintf(stderr, "  [%s %d] %s\n", a == w->a ? "A" : "B", (int)level,
	        msg);
}

static int
alive_count(struct rumor_agent *a)
{
	struct rumor_agent_member *list;
	size_t n;
	int alive = 0;

	if (rumor_agent_members(a, &list, &n) != 0)
		fail("rumor_agent_members");
	for (size_t i = 0; i < n; i++)
		alive += list[i].status == RUMOR_STATUS_ALIVE;
	if (n == 0 || !list[0].is_self)
		fail("the list does not start with self");
	rumor_agent_members_free(list);
	return alive;
}

/* a's list shows A with role=db, B without tags, C with role=web. */
static void
check_tags(struct world *w, struct rumor_agent *a)
{
	struct rumor_member_id ida = rumor_agent_self(w->a);
	struct rumor_agent_member *list;
	size_t n;
	int seen = 0;

	if (rumor_agent_members(a, &list, &n) != 0)
		fail("rumor_agent_members");
	for (size_t i = 0; i < n; i++) {
		const char *want =
		    rumor_member_id_cmp(&list[i].id, &ida) == 0 ? A_TAGS
		    : rumor_member_id_cmp(&list[i].id, &w->b_id) == 0
		        ? ""
		        : "role=web\n";
		if (list[i].tags_len != strlen(want) ||
		    (list[i].tags_len > 0 &&
		     memcmp(list[i].tags, want, list[i].tags_len) != 0)) {
			fprintf(stderr, "%s: tags '%.*s', want '%s'\n",
			        list[i].id_text, (int)list[i].tags_len,
			        list[i].tags ? (const char *)list[i].tags : "",
			        want);
			fail("member view tags");
		}
		seen++;
	}
	rumor_agent_members_free(list);
	if (seen != 3)
		fail("not 3 members listed");
}

static void
set_b_tags(struct world *w)
{
	static uint8_t big[4096];

	if (rumor_agent_set_tags(w->b, (const uint8_t *)"b=1\na=2\n", 8) !=
	    RUMOR_EINVAL)
		fail("unsorted tags not RUMOR_EINVAL");
	if (rumor_agent_set_tags(w->b, NULL, 3) != RUMOR_EINVAL)
		fail("NULL tags not RUMOR_EINVAL");
	memset(big, 'v', sizeof(big));
	memcpy(big, "k=", 2);
	big[sizeof(big) - 1] = '\n';
	if (rumor_agent_set_tags(w->b, big, sizeof(big)) != RUMOR_E2BIG)
		fail("4096 bytes of tags not RUMOR_E2BIG");
	if (rumor_agent_set_tags(w->b, (const uint8_t *)B_TAGS,
	                         strlen(B_TAGS)) != 0)
		fail("rumor_agent_set_tags");
}

static void
spawn_c(struct world *w)
{
	struct rumor_member_id a = rumor_agent_self(w->a);
	char join[RUMOR_ADDR_STRLEN], ctl[128], *bin = getenv("RUMOR_BIN");

	rumor_addr_format(&a.addr, join, sizeof(join));
	snprintf(ctl, sizeof(ctl), "%s/c.sock", w->dir);
	w->c = fork();
	if (w->c == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl(bin, bin, "agent", "--bind", "127.0.0.1:0", "--join",
		      join, "--control", ctl, "--state-dir", w->dir, "--quiet",
		      "--tag", "role=web", (char *)NULL);
		_exit(127);
	}
	if (w->c < 0)
		fail("fork");
}

static void
on_b_left(struct rumor_agent *a, int status, void *arg)
{
	struct world *w = arg;

	if (a != w->b || status != 0)
		fail("B's leave callback: wrong agent or status");
	w->b_left = 1;
}

static void
on_stopped(void *arg)
{
	((struct world *)arg)->stopped++;
}

static void
next(struct world *w)
{
	w->step++;
	w->step_start = uv_now(&w->loop);
}

static void
on_tick(uv_timer_t *t)
{
	struct world *w = t->data;
	uint64_t now = uv_now(&w->loop);

	if (now - w->step_start > STEP_MS) {
		fprintf(stderr, "step %d timed out\n", w->step);
		fail("timeout");
	}
	switch (w->step) {
	case 0: /* converge: A and B list A, B and C alive */
		if (alive_count(w->a) == 3 && alive_count(w->b) == 3) {
			printf("converged: 2 embedded + 1 process in %.3f s\n",
			       (double)(now - w->t0) / 1000.0);
			check_tags(w, w->a);
			check_tags(w, w->b);
			set_b_tags(w);
			w->t0 = now;
			next(w);
		}
		break;
	case 1: /* A gets B's update with its new tags */
		if (w->a_saw_b_update) {
			printf("update seen by A in %.3f s\n",
			       (double)(now - w->t0) / 1000.0);
			if (rumor_agent_leave(w->b, on_b_left, w) != 0)
				fail("rumor_agent_leave");
			if (rumor_agent_leave(w->b, on_b_left, w) !=
			    RUMOR_ESTATE)
				fail("a second leave is not RUMOR_ESTATE");
			next(w);
		}
		break;
	case 2: /* B's leave completes; A hears it */
		if (w->b_left && w->a_saw_b_leave) {
			rumor_agent_stop(w->b, on_stopped, w);
			w->b = NULL;
			kill(w->c, SIGTERM);
			next(w);
		}
		break;
	case 3: /* C exits 0 after its own leave */
		if (waitpid(w->c, NULL, WNOHANG) == w->c) {
			rumor_agent_stop(w->a, on_stopped, w);
			w->a = NULL;
			uv_close((uv_handle_t *)&w->tick, NULL);
			next(w);
		}
		break;
	}
}

int
main(int argc, char **argv)
{
	static struct world w;
	struct rumor_agent_options o;
	struct rumor_agent_callbacks cb = {
	    .on_member = on_member, .on_log = on_log, .user = &w};
	struct rumor_addr seed;
	char err[256];
	int rc;

	if (argc != 2)
		fail("usage: test_two_in_one RUMOR_BIN");
	setenv("RUMOR_BIN", argv[1], 1);
	snprintf(w.dir, sizeof(w.dir), "/tmp/rumor-two-XXXXXX");
	if (mkdtemp(w.dir) == NULL)
		fail("mkdtemp");
	uv_loop_init(&w.loop);
	rumor_agent_options_init(&o);
	o.cfg.t_gossip_ms = 200;
	/* misuse is an error, not a crash: NULL out (it crashed), NULL tags
	 * with a length (start accepted them, set_tags refused) */
	if (rumor_agent_start(&w.loop, &o, &cb, NULL, err, sizeof(err)) !=
	    RUMOR_EINVAL)
		fail("start with NULL out not RUMOR_EINVAL");
	o.tags = NULL;
	o.tags_len = 5;
	if (rumor_agent_start(&w.loop, &o, &cb, &w.a, err, sizeof(err)) !=
	        RUMOR_EINVAL ||
	    w.a != NULL)
		fail("start with NULL tags of length 5 not RUMOR_EINVAL");
	uv_run(&w.loop, UV_RUN_NOWAIT); /* the refused agent's handles close */
	o.tags = (const uint8_t *)A_TAGS;
	o.tags_len = strlen(A_TAGS);
	if ((rc = rumor_agent_start(&w.loop, &o, &cb, &w.a, err,
	                            sizeof(err))) != 0) {
		fprintf(stderr, "start A: %s\n", err);
		fail("start A");
	}
	seed = rumor_agent_self(w.a).addr;
	o.seeds = &seed;
	o.n_seeds = 1;
	o.tags = NULL;
	o.tags_len = 0;
	if ((rc = rumor_agent_start(&w.loop, &o, &cb, &w.b, err,
	                            sizeof(err))) != 0) {
		fprintf(stderr, "start B: %s\n", err);
		fail("start B");
	}
	w.b_id = rumor_agent_self(w.b);
	if (rumor_addr_equal(&w.b_id.addr, &seed))
		fail("A and B share an address");
	w.t0 = uv_now(&w.loop);
	spawn_c(&w);
	uv_timer_init(&w.loop, &w.tick);
	w.tick.data = &w;
	uv_timer_start(&w.tick, on_tick, 20, 20);
	next(&w);
	w.step = 0;
	uv_run(&w.loop, UV_RUN_DEFAULT);
	if (w.stopped != 2)
		fail("not every stop callback fired");
	if ((rc = uv_loop_close(&w.loop)) != 0)
		fail("uv_loop_close: a handle was left open");
	snprintf(err, sizeof(err), "rm -rf '%s'", w.dir);
	if (system(err) != 0)
		fail("removing the temporary directory");
	printf("ok: leave callback, leave event, two stops, loop closed\n");
	return 0;
}
