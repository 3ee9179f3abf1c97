/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz model tests, without SDL: beliefs and truth at known times of
 * a hand-written log, detection spans, message pairing, backward seeks
 * equal to forward replays, merged per-member files, malformed lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dump.h"
#include "load.h"
#include "model.h"
#include "rumor/errors.h"
#include "timearg.h"

#define A "127.0.0.1:7001#1000"
#define B "127.0.0.1:7002#1001"
#define C "127.0.0.1:7003#1002"
#define D "127.0.0.1:7004#1003"
#define E "127.0.0.1:7005#1004"

static void
load(struct viz_model *m, const char *const *paths, size_t n, size_t ckpt_every,
     struct viz_load *ld_out)
{
	struct viz_load ld;
	assert_int_equal(viz_load_open(&ld, m, paths, n, 0, NULL), 0);
	if (ckpt_every) {
		m->ckpt_every = ckpt_every;
		m->ckpt_budget = 400; /* 5 members: 70 bytes each; thins */
	}
	assert_true(viz_load_poll(&ld, m, 0) > 0);
	if (ld_out)
		*ld_out = ld;
	viz_load_close(&ld);
}

static void
load1(struct viz_model *m, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", VIZ_DATA, name);
	const char *p = path;
	load(m, &p, 1, 0, NULL);
}

static enum viz_belief
belief(struct viz_model *m, const char *o, const char *j)
{
	int32_t oi = viz_model_find(m, o), ji = viz_model_find(m, j);
	assert_true(oi >= 0 && ji >= 0);
	return viz_state_belief(&m->cur, (uint32_t)oi, (uint32_t)ji);
}

static enum viz_truth
truth(struct viz_model *m, const char *j)
{
	int32_t ji = viz_model_find(m, j);
	assert_true(ji >= 0);
	return viz_state_truth(&m->cur, (uint32_t)ji);
}

static void
test_beliefs_after_crash(void **state)
{
	(void)state;
	struct viz_model m;
	load1(&m, "crash5.jsonl");
	assert_int_equal(m.n_members, 5);
	assert_int_equal(viz_model_duration(&m), 24000);

	assert_int_equal(viz_model_seek(&m, 9999), 0);
	assert_int_equal(truth(&m, C), VIZ_T_RUNNING);
	assert_int_equal(belief(&m, A, C), VIZ_B_ALIVE);

	assert_int_equal(viz_model_seek(&m, 12000), 0);
	assert_int_equal(truth(&m, C), VIZ_T_CRASHED);
	assert_int_equal(belief(&m, A, C), VIZ_B_SUSPECT);
	assert_int_equal(belief(&m, B, C), VIZ_B_SUSPECT);
	assert_int_equal(belief(&m, D, C), VIZ_B_ALIVE);
	assert_int_equal(belief(&m, E, C), VIZ_B_ALIVE);

	/* exactly at the fail line's ts it is applied */
	assert_int_equal(viz_model_seek(&m, 12500), 0);
	assert_int_equal(belief(&m, A, C), VIZ_B_FAILED);
	assert_int_equal(belief(&m, B, C), VIZ_B_SUSPECT);

	assert_int_equal(viz_model_seek(&m, 16200), 0);
	assert_int_equal(truth(&m, E), VIZ_T_LEFT);
	assert_int_equal(belief(&m, A, E), VIZ_B_LEFT);
	assert_int_equal(belief(&m, D, E), VIZ_B_ALIVE);

	assert_int_equal(viz_model_seek(&m, 24000), 0);
	assert_int_equal(belief(&m, A, C), VIZ_B_REMOVED);
	assert_int_equal(truth(&m, D), VIZ_T_STOPPED);
	uint32_t c[VIZ_B_MAX];
	/* running others: A, B (E left, D stopped, C crashed) */
	assert_int_equal(
	    viz_state_opinions(&m, &m.cur, (uint32_t)viz_model_find(&m, C), c),
	    2);
	assert_int_equal(c[VIZ_B_REMOVED], 2);
	viz_model_destroy(&m);
}

static void
test_detection_spans(void **state)
{
	(void)state;
	struct viz_model m;
	load1(&m, "crash5.jsonl");
	assert_int_equal(m.n_spans, 2);
	const struct viz_span *s = &m.spans[0];
	assert_int_equal(s->ev, RUMOR_LOG_CRASH);
	assert_int_equal(s->member, viz_model_find(&m, C));
	assert_int_equal(s->ts, 10000);
	assert_int_equal(s->first_suspect, 11200);
	assert_int_equal(s->first_detect, 12500);
	assert_int_equal(s->last_detect, 13800);
	assert_int_equal(s->expected, 4);
	assert_int_equal(viz_model_seek(&m, 13000), 0);
	assert_int_equal(viz_span_pending(&m, s, &m.cur), 2); /* D, E */
	s = &m.spans[1];
	assert_int_equal(s->ev, RUMOR_LOG_LEFT);
	assert_int_equal(s->member, viz_model_find(&m, E));
	assert_int_equal(s->first_detect, 16050);
	assert_int_equal(s->last_detect, 16300);
	assert_int_equal(s->expected, 3); /* A, B, D: C had crashed */
	viz_model_destroy(&m);
}

static void
test_messages(void **state)
{
	(void)state;
	struct viz_model m;
	load1(&m, "crash5.jsonl");
	assert_int_equal(m.n_msgs, 28);
	size_t dropped = 0;
	for (size_t i = 0; i < m.n_msgs; i++) {
		assert_int_equal(m.msgs[i].t_end - m.msgs[i].t_send, 40);
		dropped += m.msgs[i].dropped;
		if (i)
			assert_true(m.msgs[i].t_send >= m.msgs[i - 1].t_send);
	}
	assert_int_equal(dropped, 1);
	assert_int_equal(m.max_flight_ms, 40);
	assert_string_equal(m.kinds[m.msgs[0].kind], "gossip");
	viz_model_destroy(&m);
}

/*
 * tests/viz/data/demo4 (`rumor demo --nodes 4`, one host, one clock): 699
 * send lines, 627 receipts, each receipt's send traced (its msg id shared
 * by a heartbeat and another kind of the same sender, a heartbeat's by its
 * three monitors). Every receipt pairs with its own send, also when it is
 * read first (same millisecond): 695 messages (the 4 join-replies go to
 * the joiners' TCP ports, which name no member, and are not drawn), none
 * without its send, no negative flight. Before: 277 receipts read before
 * their send stood apart from it, as sends never received.
 */
static void
test_demo_pairs(void **state)
{
	(void)state;
	static const char *const names[] = {
	    "node-41310.jsonl", "node-41311.jsonl",    "node-41312.jsonl",
	    "node-41313.jsonl", "node-41313.r1.jsonl", "scenario.jsonl"};
	enum { N = sizeof(names) / sizeof(names[0]) };
	char path[N][512];
	const char *p[N];
	for (size_t i = 0; i < N; i++) {
		snprintf(path[i], sizeof(path[i]), "%s/demo4/%s", VIZ_DATA,
		         names[i]);
		p[i] = path[i];
	}
	struct viz_model m;
	load(&m, p, N, 0, NULL);
	size_t unsent = 0, received = 0;
	for (size_t i = 0; i < m.n_msgs; i++) {
		const struct viz_msg *g = &m.msgs[i];
		unsent += !g->sent;
		if (g->t_end == VIZ_NEVER)
			continue;
		received++;
		assert_true(g->t_end >= g->t_send);
	}
	assert_int_equal(unsent, 0);
	assert_int_equal(m.n_msgs, 695);
	assert_int_equal(received, 627);
	viz_model_destroy(&m);
}

static int
state_equal(const struct viz_model *m, const struct viz_state *a,
            const struct viz_state *b)
{
	for (uint32_t o = 0; o < m->n_members; o++) {
		if (viz_state_truth(a, o) != viz_state_truth(b, o) ||
		    a->heartbeat[o] != b->heartbeat[o])
			return 0;
		for (uint32_t j = 0; j < m->n_members; j++)
			if (viz_state_belief(a, o, j) !=
			    viz_state_belief(b, o, j))
				return 0;
	}
	return a->next == b->next;
}

/* Seeks in any order, through thinned checkpoints, equal fresh replays. */
static void
test_seek_backward_equals_forward(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof(path), "%s/crash5.jsonl", VIZ_DATA);
	const char *p = path;
	struct viz_model m, fresh;
	load(&m, &p, 1, 3, NULL);
	assert_true(m.n_ckpts > 0);
	assert_true(m.ckpt_every > 3); /* the budget thinned them */
	static const int64_t times[] = {24000, 0,     12000, 11999, 13800,
	                                5000,  16300, 100,   22400, 12500};
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		load(&fresh, &p, 1, 0, NULL);
		assert_int_equal(viz_model_seek(&m, times[i]), 0);
		assert_int_equal(viz_model_seek(&fresh, times[i]), 0);
		assert_true(state_equal(&m, &m.cur, &fresh.cur));
		viz_model_destroy(&fresh);
	}
	viz_model_destroy(&m);
}

static char *
dump(struct viz_model *m, int64_t t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(viz_dump_state(m, t, -1, -1, f), 0);
	fclose(f);
	return buf;
}

/* Per-member files and a scenario file merge into the single log. */
static void
test_split_files_merge(void **state)
{
	(void)state;
	static const char *const names[] = {"member-A.jsonl", "member-B.jsonl",
	                                    "member-C.jsonl", "member-D.jsonl",
	                                    "member-E.jsonl", "scenario.jsonl"};
	char paths[6][512];
	const char *pp[6];
	for (int i = 0; i < 6; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/split/%s", VIZ_DATA,
		         names[i]);
		pp[i] = paths[i];
	}
	struct viz_model one, many;
	load1(&one, "crash5.jsonl");
	load(&many, pp, 6, 0, NULL);
	assert_int_equal(one.n_ev, many.n_ev);
	static const int64_t times[] = {0, 700, 12000, 13500, 24000};
	for (size_t i = 0; i < 5; i++) {
		char *a = dump(&one, times[i]), *b = dump(&many, times[i]);
		/* member order may differ; compare what each dump says */
		assert_int_equal(strlen(a), strlen(b));
		free(a);
		free(b);
		for (uint32_t o = 0; o < one.n_members; o++)
			for (uint32_t j = 0; j < one.n_members; j++) {
				int32_t mo =
				    viz_model_find(&many, one.members[o].id);
				int32_t mj =
				    viz_model_find(&many, one.members[j].id);
				assert_int_equal(
				    viz_state_belief(&one.cur, o, j),
				    viz_state_belief(&many.cur, (uint32_t)mo,
				                     (uint32_t)mj));
			}
	}
	viz_model_destroy(&one);
	viz_model_destroy(&many);
}

static void
test_malformed_lines(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof(path), "%s/bad.jsonl", VIZ_DATA);
	const char *p = path;
	struct viz_model m;
	struct viz_load ld;
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);
	assert_int_equal(viz_load_open(&ld, &m, &p, 1, 0, err), 0);
	assert_int_equal(viz_load_poll(&ld, &m, 0), 3);
	viz_load_close(&ld);
	fclose(err);
	assert_int_equal(m.n_errors, 3);
	char want[600];
	snprintf(want, sizeof(want), "%s:2: unknown \"ev\" \"teleport\"", path);
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want), "%s:3: bad JSON", path);
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want), "%s:6: truncated line", path);
	assert_non_null(strstr(buf, want));
	/* the lines after the bad ones still play */
	assert_int_equal(viz_model_seek(&m, 900), 0);
	assert_int_equal(belief(&m, "127.0.0.1:7001#1", "127.0.0.1:7002#1"),
	                 VIZ_B_FAILED);
	free(buf);
	viz_model_destroy(&m);
}

static void
test_time_args(void **state)
{
	(void)state;
	int64_t t;
	assert_int_equal(viz_time_parse("35s", &t), 0);
	assert_int_equal(t, 35000);
	assert_int_equal(viz_time_parse("35.25s", &t), 0);
	assert_int_equal(t, 35250);
	assert_int_equal(viz_time_parse("1500ms", &t), 0);
	assert_int_equal(t, 1500);
	assert_int_equal(viz_time_parse("2m", &t), 0);
	assert_int_equal(t, 120000);
	assert_int_equal(viz_time_parse("7", &t), 0);
	assert_int_equal(t, 7000);
	assert_int_equal(viz_time_parse("end", &t), 0);
	assert_true(t == VIZ_TIME_END);
	assert_int_equal(viz_time_parse("-1s", &t), RUMOR_EINVAL);
	assert_int_equal(viz_time_parse("3x", &t), RUMOR_EINVAL);
	assert_int_equal(viz_time_parse("", &t), RUMOR_EINVAL);
	assert_int_equal(viz_time_parse("s", &t), RUMOR_EINVAL);
	assert_int_equal(viz_time_parse("nan", &t), RUMOR_EINVAL);
}

/* A ts going backwards is clamped and reported, never reordered. */
static void
test_out_of_order_record(void **state)
{
	(void)state;
	struct viz_model m;
	struct rumor_log_record r;
	assert_int_equal(viz_model_init(&m, NULL, 0), 0);
	memset(&r, 0, sizeof(r));
	r.ts = 100;
	r.ev = RUMOR_LOG_START;
	strcpy(r.node, A);
	assert_int_equal(viz_model_add(&m, &r), 0);
	r.ts = 50;
	r.ev = RUMOR_LOG_JOIN;
	strcpy(r.member, B);
	assert_int_equal(viz_model_add(&m, &r), RUMOR_EINVAL);
	assert_int_equal(m.ev[1].ts, 100);
	assert_int_equal(viz_model_seek(&m, 0), 0);
	assert_int_equal(belief(&m, A, B), VIZ_B_ALIVE);
	viz_model_destroy(&m);
}

/* The member panel's tags come from join and update lines. */
static void
test_tags_from_join_and_update(void **state)
{
	(void)state;
	struct viz_model m;
	struct rumor_log_record r;
	assert_int_equal(viz_model_init(&m, NULL, 0), 0);
	memset(&r, 0, sizeof(r));
	r.ts = 100;
	r.ev = RUMOR_LOG_JOIN;
	strcpy(r.node, A);
	strcpy(r.member, B);
	r.tags = (uint8_t *)"role=web\n";
	r.tags_len = 9;
	assert_int_equal(viz_model_add(&m, &r), 0);
	assert_string_equal(m.members[viz_model_find(&m, B)].tags, "role=web");
	r.ts = 200;
	r.ev = RUMOR_LOG_UPDATE;
	r.tags = (uint8_t *)"role=db\nzone=a\n";
	r.tags_len = 15;
	assert_int_equal(viz_model_add(&m, &r), 0);
	assert_string_equal(m.members[viz_model_find(&m, B)].tags,
	                    "role=db,zone=a");
	viz_model_destroy(&m);
}

/* n / Shift+n: the next and previous interesting events. */
static void
test_step_events(void **state)
{
	(void)state;
	struct viz_model m;
	load1(&m, "crash5.jsonl");
	ptrdiff_t i = viz_model_step_event(&m, 0, 1, -1);
	assert_true(i >= 0);
	assert_int_equal(m.ev[i].ts, 9000); /* alive A about B */
	i = viz_model_step_event(&m, 9000, 1, -1);
	assert_int_equal(m.ev[i].ts, 10000); /* the crash */
	i = viz_model_step_event(&m, 10000, 1, -1);
	assert_int_equal(m.ev[i].ts, 11200);
	i = viz_model_step_event(&m, 12000, -1, -1);
	assert_int_equal(m.ev[i].ts, 11600);
	i = viz_model_step_event(&m, 14000, 1, viz_model_find(&m, E));
	assert_int_equal(m.ev[i].ts, 16000);
	assert_int_equal(viz_model_step_event(&m, 24000, 1, -1), -1);
	viz_model_destroy(&m);
}

/* --follow: lines appended later (a partial one waits) are replayed. */
static void
test_follow_growing_log(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/rumor-viz-follow-XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	FILE *out = fdopen(fd, "w");
	FILE *in = fopen(VIZ_DATA "/crash5.jsonl", "r");
	assert_non_null(out);
	assert_non_null(in);
	char line[1024];
	int n = 0;
	while (n < 60 && fgets(line, sizeof(line), in)) {
		fputs(line, out);
		n++;
	}
	fflush(out);
	const char *p = tmpl;
	struct viz_model m;
	struct viz_load ld;
	assert_int_equal(viz_load_open(&ld, &m, &p, 1, 1, NULL), 0);
	assert_int_equal(viz_load_poll(&ld, &m, 0), 60);
	assert_int_equal(viz_load_poll(&ld, &m, 0), 0);
	int64_t d0 = viz_model_duration(&m);
	/* the rest; line 100 arrives in two pieces */
	long total = 60;
	while (fgets(line, sizeof(line), in)) {
		if (++n == 100) {
			fwrite(line, 1, 10, out);
			fflush(out);
			total += viz_load_poll(&ld, &m, 0);
			assert_int_equal(total, 99); /* the piece waits */
			fputs(line + 10, out);
		} else {
			fputs(line, out);
		}
	}
	fflush(out);
	total += viz_load_poll(&ld, &m, 0);
	assert_int_equal(total, 105);
	assert_true(viz_model_duration(&m) > d0);
	assert_int_equal(viz_model_duration(&m), 24000);
	assert_int_equal(m.n_errors, 0);
	assert_int_equal(viz_model_seek(&m, 24000), 0);
	assert_int_equal(belief(&m, A, C), VIZ_B_REMOVED);
	viz_load_close(&ld);
	viz_model_destroy(&m);
	fclose(in);
	fclose(out);
	unlink(tmpl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_beliefs_after_crash),
	    cmocka_unit_test(test_detection_spans),
	    cmocka_unit_test(test_messages),
	    cmocka_unit_test(test_seek_backward_equals_forward),
	    cmocka_unit_test(test_split_files_merge),
	    cmocka_unit_test(test_malformed_lines),
	    cmocka_unit_test(test_time_args),
	    cmocka_unit_test(test_out_of_order_record),
	    cmocka_unit_test(test_tags_from_join_and_update),
	    cmocka_unit_test(test_follow_growing_log),
	    cmocka_unit_test(test_step_events),
	    cmocka_unit_test(test_demo_pairs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
