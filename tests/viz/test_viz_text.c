/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz text layout (item 5): every string drawn lies inside the
 * frame and inside the clip rectangle in force (nothing cut off), and no
 * two strings overlap, at 1280x800 and 800x500, in every view, with and
 * without a selection; a long detection list ends in "+N more"; matrix
 * rows and columns carry member names (item 7); ring places stay put when
 * a member appears while following (item 6).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "headless.h"
#include "load.h"

#define MAX_BOXES 4096

struct box {
	SDL_FRect r;
	char s[96];
	int clipped; /* partly outside its clip rectangle */
};

static struct box boxes[MAX_BOXES];
static int n_boxes;

static void
on_text(void *arg, const SDL_FRect *b, const SDL_Rect *clip, const char *s)
{
	(void)arg;
	if (n_boxes == MAX_BOXES)
		return;
	struct box *x = &boxes[n_boxes++];
	x->r = *b;
	snprintf(x->s, sizeof(x->s), "%s", s);
	x->clipped = clip && (b->x < clip->x - 1 || b->y < clip->y - 1 ||
	                      b->x + b->w > clip->x + clip->w + 1 ||
	                      b->y + b->h > clip->y + clip->h + 1);
}

static int
overlap(const SDL_FRect *a, const SDL_FRect *b)
{
	/* one pixel of slack: glyph boxes include line spacing */
	return a->x + 1 < b->x + b->w && b->x + 1 < a->x + a->w &&
	       a->y + 2 < b->y + b->h && b->y + 2 < a->y + a->h;
}

/* Draw m at ui in w x h and check every string. */
static void
check_frame(struct viz_model *m, struct viz_ui *ui, int w, int h,
            const char *what)
{
	struct viz_canvas cv;
	assert_int_equal(viz_canvas_open(&cv, w, h, NULL), 0);
	viz_text_set_log(viz_draw_text(cv.draw), on_text, NULL);
	n_boxes = 0;
	assert_int_equal(viz_canvas_draw(&cv, m, ui), 0);
	for (int i = 0; i < n_boxes; i++) {
		const struct box *b = &boxes[i];
		if (b->r.x < 0 || b->r.y < 0 || b->r.x + b->r.w > (float)w ||
		    b->r.y + b->r.h > (float)h)
			fail_msg("%s %dx%d: '%s' leaves the frame", what, w, h,
			         b->s);
		if (b->clipped)
			fail_msg("%s %dx%d: '%s' is cut off", what, w, h, b->s);
		for (int k = 0; k < i; k++)
			if (overlap(&b->r, &boxes[k].r))
				fail_msg("%s %dx%d: '%s' overlaps '%s'", what,
				         w, h, b->s, boxes[k].s);
	}
	viz_canvas_close(&cv);
}

static int
drawn(const char *needle)
{
	for (int i = 0; i < n_boxes; i++)
		if (strstr(boxes[i].s, needle))
			return 1;
	return 0;
}

static void
load_files(struct viz_model *m, const char *const *p, size_t n)
{
	struct viz_load ld;
	assert_int_equal(viz_load_open(&ld, m, p, n, 0, NULL), 0);
	assert_true(viz_load_poll(&ld, m, 0) > 0);
	viz_load_close(&ld);
}

static void
all_sizes(struct viz_model *m, struct viz_ui *ui, const char *what)
{
	static const int sizes[][2] = {{1280, 800}, {800, 500}, {1920, 1080}};
	for (int v = 0; v < 3; v++) {
		ui->view = (enum viz_view)v;
		for (size_t i = 0; i < 3; i++)
			check_frame(m, ui, sizes[i][0], sizes[i][1], what);
	}
	ui->view = VIZ_VIEW_RING;
}

static void
test_crash5(void **state)
{
	(void)state;
	struct viz_model m;
	struct viz_ui ui;
	const char *p = VIZ_DATA "/crash5.jsonl";
	load_files(&m, &p, 1);
	viz_ui_init(&ui);
	for (int64_t t = 0; t <= 24000; t += 6300) {
		ui.t = t;
		ui.selected = -1;
		all_sizes(&m, &ui, "crash5");
		ui.selected = viz_model_find(&m, "127.0.0.1:7003#1002");
		all_sizes(&m, &ui, "crash5 selected");
	}
	/* item 7: the matrix names its rows and columns */
	ui.t = 12000;
	check_frame(&m, &ui, 1280, 800, "names");
	assert_true(drawn(":7003"));
	viz_model_destroy(&m);
}

static void
test_real_cluster(void **state)
{
	(void)state;
	struct viz_model m;
	struct viz_ui ui;
	const char *p[5];
	char buf[5][256];
	for (int i = 0; i < 5; i++) {
		snprintf(buf[i], sizeof(buf[i]),
		         VIZ_DATA "/realkill/member-%d.jsonl", i);
		p[i] = buf[i];
	}
	load_files(&m, p, 5);
	viz_ui_init(&ui);
	ui.t = 4000;
	all_sizes(&m, &ui, "realkill");

	ui.selected = viz_model_match(&m, ":35985", NULL);
	ui.cell_obs = viz_model_match(&m, ":33098", NULL);
	all_sizes(&m, &ui, "realkill cell");
	viz_model_destroy(&m);
}

/* 40 members, 24 crashes: the list must end in "+N more". */
static void
test_many_detections(void **state)
{
	(void)state;
	struct viz_model m;
	struct viz_ui ui;
	struct rumor_log_record r;
	assert_int_equal(viz_model_init(&m, NULL, 0), 0);
	enum { N = 40, CRASHES = 24 };
	char id[N][RUMOR_ID_STRLEN];
	for (int i = 0; i < N; i++)
		snprintf(id[i], sizeof(id[i]), "127.0.0.1:%d#1", 4000 + i);
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < N; i++) {
		memcpy(r.node, id[i], sizeof(r.node));
		r.ev = RUMOR_LOG_START;
		assert_int_equal(viz_model_add(&m, &r), 0);
		for (int j = 0; j < N; j++) {
			if (j == i)
				continue;
			r.ev = RUMOR_LOG_JOIN;
			memcpy(r.member, id[j], sizeof(r.member));
			assert_int_equal(viz_model_add(&m, &r), 0);
		}
		r.member[0] = 0;
	}
	for (int c = 0; c < CRASHES; c++) {
		r.ts = 1000 + 2000 * c;
		strcpy(r.node, "sim");
		memcpy(r.member, id[c], sizeof(r.member));
		r.ev = RUMOR_LOG_CRASH;
		assert_int_equal(viz_model_add(&m, &r), 0);
		r.ts += 1500;
		r.ev = RUMOR_LOG_FAIL;
		memcpy(r.node, id[N - 1], sizeof(r.node));
		assert_int_equal(viz_model_add(&m, &r), 0);
	}
	viz_ui_init(&ui);
	ui.t = 60000;
	all_sizes(&m, &ui, "many");
	check_frame(&m, &ui, 1280, 800, "many");
	assert_true(drawn(" more"));
	viz_model_destroy(&m);
}

/* Item 6: following, a new member takes a free place; nobody moves. */
static void
test_ring_places_stable(void **state)
{
	(void)state;
	struct viz_model m;
	struct viz_ui ui;
	struct rumor_log_record r;
	struct viz_canvas cv;
	SDL_FPoint before[6];
	assert_int_equal(viz_model_init(&m, NULL, 0), 0);
	memset(&r, 0, sizeof(r));
	r.ev = RUMOR_LOG_START;
	viz_ui_init(&ui);
	ui.stable = 1;
	assert_int_equal(viz_canvas_open(&cv, 1280, 800, NULL), 0);
	for (int i = 0; i < 7; i++) {
		snprintf(r.node, sizeof(r.node), "127.0.0.1:%d#1", 5000 + i);
		assert_int_equal(viz_model_add(&m, &r), 0);
		if (i < 5)
			continue;
		assert_int_equal(viz_canvas_draw(&cv, &m, &ui), 0);
		const struct viz_layout *l = viz_draw_layout(cv.draw);
		for (uint32_t k = 0; k < 6; k++) {
			SDL_FPoint p = viz_layout_member_pos(l, k, m.n_slots);
			if (i == 5)
				before[k] = p;
			else
				assert_true(p.x == before[k].x &&
				            p.y == before[k].y);
		}
	}
	viz_canvas_close(&cv);
	viz_model_destroy(&m);
}

/* Item 8: an empty log (a --follow file nothing was written to yet)
 * says so instead of a blank window. */
static void
test_empty_log_says_so(void **state)
{
	(void)state;
	struct viz_model m;
	struct viz_ui ui;
	const char *files[] = {"/var/log/rumor/a.jsonl"};
	assert_int_equal(viz_model_init(&m, files, 1), 0);
	viz_ui_init(&ui);
	ui.follow = 1;
	check_frame(&m, &ui, 1280, 800, "empty");
	assert_true(drawn("No line in /var/log/rumor/a.jsonl yet"));
	assert_true(drawn("following"));
	viz_model_destroy(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crash5),
	    cmocka_unit_test(test_real_cluster),
	    cmocka_unit_test(test_many_detections),
	    cmocka_unit_test(test_ring_places_stable),
	    cmocka_unit_test(test_empty_log_says_so),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
