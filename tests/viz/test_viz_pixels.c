/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz pixel tests on the software renderer (no display): after a
 * known crash and failure the member's colour on the ring, its matrix
 * cells and the timeline ticks of known events are the palette colours;
 * a crash nobody noticed is crossed out; frames are byte-identical; a
 * 1,200-member matrix is binned and still shows a single failure.
 * Probes sit at the centres of shapes, away from text and edges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "headless.h"
#include "load.h"

#define A "127.0.0.1:7001#1000"
#define C "127.0.0.1:7003#1002"
#define E "127.0.0.1:7005#1004"

struct fixture {
	struct viz_model m;
	struct viz_canvas cv;
	struct viz_ui ui;
};

static int
setup(void **state)
{
	static struct fixture f;
	struct viz_load ld;
	const char *p = VIZ_DATA "/crash5.jsonl";
	if (viz_load_open(&ld, &f.m, &p, 1, 0, stderr) ||
	    viz_load_poll(&ld, &f.m, 0) <= 0)
		return -1;
	viz_load_close(&ld);
	if (viz_canvas_open(&f.cv, 1280, 800, NULL))
		return -1;
	viz_ui_init(&f.ui);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	viz_canvas_close(&f->cv);
	viz_model_destroy(&f->m);
	return 0;
}

static void
draw_at(struct fixture *f, int64_t t)
{
	f->ui.t = t;
	assert_int_equal(viz_canvas_draw(&f->cv, &f->m, &f->ui), 0);
}

static void
assert_pixel(struct fixture *f, float x, float y, SDL_Color want)
{
	Uint8 r, g, b, a;
	assert_true(SDL_ReadSurfacePixel(f->cv.surface, (int)x, (int)y, &r, &g,
	                                 &b, &a));
	if (r != want.r || g != want.g || b != want.b)
		fail_msg("pixel (%d,%d) is %u,%u,%u; want %u,%u,%u", (int)x,
		         (int)y, r, g, b, want.r, want.g, want.b);
}

static uint32_t
ix(struct fixture *f, const char *id)
{
	int32_t j = viz_model_find(&f->m, id);
	assert_true(j >= 0);
	return (uint32_t)j;
}

static void
test_member_colours(void **state)
{
	struct fixture *f = *state;
	draw_at(f, 14000);
	const struct viz_layout *l = viz_draw_layout(f->cv.draw);
	uint32_t n = f->m.n_members;
	SDL_FPoint c = viz_layout_member_pos(l, ix(f, C), n);
	SDL_FPoint a = viz_layout_member_pos(l, ix(f, A), n);
	assert_pixel(f, c.x, c.y, viz_truth_color[VIZ_T_CRASHED]);
	assert_pixel(f, a.x, a.y, viz_truth_color[VIZ_T_RUNNING]);
	/* before anybody noticed, the crashed member is crossed out */
	draw_at(f, 10500);
	assert_pixel(f, c.x, c.y, (SDL_Color){255, 255, 255, 255});
	/* before the crash it is running */
	draw_at(f, 9000);
	assert_pixel(f, c.x, c.y, viz_truth_color[VIZ_T_RUNNING]);
}

static void
test_matrix_cells(void **state)
{
	struct fixture *f = *state;
	const struct viz_layout *l;
	SDL_FPoint p;
	draw_at(f, 12000);
	l = viz_draw_layout(f->cv.draw);
	p = viz_layout_cell_pos(l, ix(f, A), ix(f, C));
	assert_pixel(f, p.x, p.y, viz_belief_color[VIZ_B_SUSPECT]);
	draw_at(f, 13500); /* A failed C at 12.5 s, E only at 13.8 s */
	p = viz_layout_cell_pos(l, ix(f, A), ix(f, C));
	assert_pixel(f, p.x, p.y, viz_belief_color[VIZ_B_FAILED]);
	p = viz_layout_cell_pos(l, ix(f, E), ix(f, C));
	assert_pixel(f, p.x, p.y, viz_belief_color[VIZ_B_ALIVE]);
	/* back in time again: the texture follows */
	draw_at(f, 1000);
	p = viz_layout_cell_pos(l, ix(f, A), ix(f, C));
	assert_pixel(f, p.x, p.y, viz_belief_color[VIZ_B_ALIVE]);
}

static void
assert_tick(struct fixture *f, int64_t t, int lane, int ev)
{
	const struct viz_layout *l = viz_draw_layout(f->cv.draw);
	float x = viz_layout_time_x(l, &f->ui, &f->m, t);
	float col = l->tl_x0 + SDL_floorf(x - l->tl_x0);
	/* ticks grow from the bottom of the lane with the events in them */
	assert_pixel(f, col, l->lane_y[lane] + l->lane_h - 2,
	             viz_event_color(ev));
}

static void
test_timeline_ticks(void **state)
{
	struct fixture *f = *state;
	draw_at(f, 24000);
	assert_tick(f, 12500, 2, RUMOR_LOG_FAIL);    /* A fails C */
	assert_tick(f, 11200, 1, RUMOR_LOG_SUSPECT); /* A suspects C */
	assert_tick(f, 16000, 0, RUMOR_LOG_LEFT);    /* E leaves */
	/* nothing in the failure lane before the crash */
	const struct viz_layout *l = viz_draw_layout(f->cv.draw);
	float x = viz_layout_time_x(l, &f->ui, &f->m, 8000);
	assert_pixel(f, x, l->lane_y[2] + l->lane_h - 2, viz_col_bg);
}

static void
test_deterministic(void **state)
{
	struct fixture *f = *state;
	SDL_Surface *s = f->cv.surface;
	size_t len = (size_t)s->pitch * (size_t)s->h;
	draw_at(f, 12600);
	void *first = SDL_malloc(len);
	assert_non_null(first);
	memcpy(first, s->pixels, len);
	draw_at(f, 3000);
	draw_at(f, 12600);
	assert_memory_equal(first, s->pixels, len);
	SDL_free(first);
}

/* 1,200 members: one texel per bin of cells, failures win the bin. */
static void
test_large_matrix_binned(void **state)
{
	(void)state;
	struct viz_model m;
	struct rumor_log_record r;
	enum { N = 1200 };
	assert_int_equal(viz_model_init(&m, NULL, 0), 0);
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < N; i++) {
		snprintf(r.node, sizeof(r.node), "10.0.%d.%d:3000#1", i / 250,
		         i % 250);
		r.ev = RUMOR_LOG_START;
		assert_int_equal(viz_model_add(&m, &r), 0);
	}
	r.ts = 1000;
	r.ev = RUMOR_LOG_FAIL;
	snprintf(r.node, sizeof(r.node), "10.0.0.7:3000#1");
	snprintf(r.member, sizeof(r.member), "10.0.4.100:3000#1");
	assert_int_equal(viz_model_add(&m, &r), 0);
	struct viz_canvas cv;
	struct viz_ui ui;
	viz_ui_init(&ui);
	ui.t = 1000;
	assert_int_equal(viz_canvas_open(&cv, 1280, 800, NULL), 0);
	assert_int_equal(viz_canvas_draw(&cv, &m, &ui), 0);
	const struct viz_layout *l = viz_draw_layout(cv.draw);
	assert_true(l->per_bin > 1);
	assert_true(l->grid);
	SDL_FPoint p = viz_layout_cell_pos(l, 7, 1100);
	Uint8 cr, cg, cb, ca;
	assert_true(SDL_ReadSurfacePixel(cv.surface, (int)p.x, (int)p.y, &cr,
	                                 &cg, &cb, &ca));
	SDL_Color want = viz_belief_color[VIZ_B_FAILED];
	assert_int_equal(cr, want.r);
	assert_int_equal(cg, want.g);
	assert_int_equal(cb, want.b);
	viz_canvas_close(&cv);
	viz_model_destroy(&m);
}

/* Item 1 in pixels: a real cluster's SIGKILLed member (no ground truth)
 * is hollow, never crashed-orange or running-green, and the others'
 * correct fail cells carry no contradiction dot. */
static void
test_silent_member_hollow(void **state)
{
	(void)state;
	struct viz_model m;
	struct viz_load ld;
	const char *p[5];
	char buf[5][256];
	for (int i = 0; i < 5; i++) {
		snprintf(buf[i], sizeof(buf[i]),
		         VIZ_DATA "/realkill/member-%d.jsonl", i);
		p[i] = buf[i];
	}
	assert_int_equal(viz_load_open(&ld, &m, p, 5, 0, NULL), 0);
	assert_true(viz_load_poll(&ld, &m, 0) > 0);
	viz_load_close(&ld);
	struct viz_canvas cv;
	struct viz_ui ui;
	viz_ui_init(&ui);
	ui.t = 4000;
	assert_int_equal(viz_canvas_open(&cv, 1280, 800, NULL), 0);
	assert_int_equal(viz_canvas_draw(&cv, &m, &ui), 0);
	const struct viz_layout *l = viz_draw_layout(cv.draw);
	int32_t k = viz_model_match(&m, ":35985", NULL);
	int32_t o = viz_model_match(&m, ":33098", NULL);
	assert_true(k >= 0 && o >= 0);
	SDL_FPoint c = viz_layout_member_pos(l, m.members[k].slot, m.n_slots);
	Uint8 r, g, b, a;
	assert_true(SDL_ReadSurfacePixel(cv.surface, (int)c.x, (int)c.y, &r, &g,
	                                 &b, &a));
	assert_int_equal(r, viz_col_panel.r);
	assert_int_equal(g, viz_col_panel.g);
	assert_int_equal(b, viz_col_panel.b);
	/* the cell's corner (where a contradiction dot would be) */
	SDL_FPoint cell =
	    viz_layout_cell_pos(l, m.members[o].slot, m.members[k].slot);
	float corner = l->cell / 2 - 2;
	assert_true(SDL_ReadSurfacePixel(cv.surface, (int)(cell.x - corner),
	                                 (int)(cell.y - corner), &r, &g, &b,
	                                 &a));
	SDL_Color want = viz_belief_color[VIZ_B_FAILED];
	assert_int_equal(r, want.r);
	assert_int_equal(g, want.g);
	assert_int_equal(b, want.b);
	viz_canvas_close(&cv);
	viz_model_destroy(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_member_colours),
	    cmocka_unit_test(test_matrix_cells),
	    cmocka_unit_test(test_timeline_ticks),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_large_matrix_binned),
	    cmocka_unit_test(test_silent_member_hollow),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
