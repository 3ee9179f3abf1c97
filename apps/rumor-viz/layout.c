/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz layout: fixed regions computed from the output size.
 *
 *  +---------------------------------------------------------------+
 *  | status bar                                                     |
 *  +----------------+----------------------------+------------------+
 *  | ring / grid    | membership matrix          | details, legend, |
 *  |                |                            | detections       |
 *  +----------------+----------------------------+------------------+
 *  | timeline: lanes of ticks, detection spans, axis, playhead      |
 *  +---------------------------------------------------------------+
 */
#include <math.h>

#include "render.h"

#define RING_MAX 64 /* more members: a grid */
#define PAD      8.0f

static float
clampf(float v, float lo, float hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void
matrix_geometry(struct viz_layout *l, uint32_t n)
{
	/* names of rows on the left, of columns upwards above */
	float side = fminf(l->matrix.w - 80, l->matrix.h - 96);
	l->mx = l->matrix.x + 72;
	l->my = l->matrix.y + 88;
	l->bins = l->per_bin = 0;
	l->n = n;
	l->cell = 0;
	if (n == 0 || side < 1)
		return;
	uint32_t s = (uint32_t)side;
	/* whole pixels per cell keep cell colours exact; with more members
	 * than pixels, each pixel is a bin of 1-2 (or more) members */
	l->bins = n <= s ? n : s;
	l->per_bin = (n + l->bins - 1) / l->bins;
	l->cell = n <= s ? floorf(side / (float)n) : 1;
	if (l->cell > 40)
		l->cell = 40;
}

static void
ring_geometry(struct viz_layout *l, uint32_t n)
{
	float w = l->ring.w, h = l->ring.h - 26;
	l->grid = n > RING_MAX;
	if (!l->grid) {
		n = l->ring_n;
		float R = fminf(w, h) / 2 - 28;
		float nr = n ? SDL_PI_F * R / (float)n * 0.5f : 10;
		l->node_r = clampf(nr, 4, 15);
		l->ring_R =
		    fminf(w, h) / 2 - l->node_r * 1.7f - (n <= 40 ? 40 : 12);
		l->ring_cx = l->ring.x + w / 2;
		l->ring_cy = l->ring.y + 26 + h / 2;
		return;
	}
	n = l->ring_n;
	uint32_t cols = (uint32_t)ceilf(sqrtf((float)n * w / h));
	if (cols < 1)
		cols = 1;
	uint32_t rows = (n + cols - 1) / cols;
	l->grid_cols = cols;
	l->node_r = floorf(fminf(w / (float)cols, h / (float)rows));
	l->grid_x0 = l->ring.x + (w - l->node_r * (float)cols) / 2;
	l->grid_y0 = l->ring.y + 26;
}

static void
timeline_geometry(struct viz_layout *l)
{
	const SDL_FRect *t = &l->timeline;
	l->tl_x0 = t->x + 96;
	l->tl_x1 = t->x + t->w - 14;
	l->lane_h = 14;
	l->lane_y[0] = t->y + 26;
	l->lane_y[1] = l->lane_y[0] + l->lane_h + 4;
	l->lane_y[2] = l->lane_y[1] + l->lane_h + 4;
	l->spans_y = l->lane_y[2] + l->lane_h + 8;
	l->axis_y = t->y + t->h - 20;
	l->spans_h = l->axis_y - 4 - l->spans_y;
	l->span_row_h = 15;
}

void
viz_layout_compute(struct viz_layout *l, int w, int h, uint32_t n,
                   uint32_t ring_n)
{
	l->ring_n = ring_n > n ? ring_n : n;
	float W = (float)w, H = (float)h;
	float th = clampf(H * 0.24f, 160, 240);
	float pw = clampf(W * 0.24f, 250, 360);
	float top = 30 + PAD;
	l->status = (SDL_FRect){0, 0, W, 30};
	l->timeline = (SDL_FRect){PAD, H - th - PAD, W - 2 * PAD, th};
	float mh = l->timeline.y - PAD - top;
	l->panel = (SDL_FRect){W - pw - PAD, top, pw, mh};
	float rw = W - pw - 3 * PAD;
	float ringw = floorf(rw * 0.45f);
	l->ring = (SDL_FRect){PAD, top, ringw, mh};
	l->matrix = (SDL_FRect){PAD + ringw + PAD, top, rw - ringw - PAD, mh};
	l->main = (SDL_FRect){PAD, top, rw, mh};
	matrix_geometry(l, n);
	ring_geometry(l, n);
	timeline_geometry(l);
}

SDL_FPoint
viz_layout_member_pos(const struct viz_layout *l, uint32_t j, uint32_t n)
{
	n = l->ring_n;
	if (!l->grid) {
		float a = -SDL_PI_F / 2 +
		          2 * SDL_PI_F * (float)j / (float)(n ? n : 1);
		return (SDL_FPoint){l->ring_cx + l->ring_R * SDL_cosf(a),
		                    l->ring_cy + l->ring_R * SDL_sinf(a)};
	}
	uint32_t c = j % l->grid_cols, r = j / l->grid_cols;
	return (SDL_FPoint){l->grid_x0 + ((float)c + 0.5f) * l->node_r,
	                    l->grid_y0 + ((float)r + 0.5f) * l->node_r};
}

static void
view_range(const struct viz_ui *ui, const struct viz_model *m, int64_t *v0,
           int64_t *v1)
{
	if (ui->view_t1 > ui->view_t0) {
		*v0 = ui->view_t0;
		*v1 = ui->view_t1;
		return;
	}
	*v0 = 0;
	*v1 = viz_model_duration(m);
	if (*v1 < 1000)
		*v1 = 1000;
}

float
viz_layout_time_x(const struct viz_layout *l, const struct viz_ui *ui,
                  const struct viz_model *m, int64_t t)
{
	int64_t v0, v1;
	view_range(ui, m, &v0, &v1);
	return l->tl_x0 + (float)((double)(t - v0) * (l->tl_x1 - l->tl_x0) /
	                          (double)(v1 - v0));
}

int64_t
viz_layout_x_time(const struct viz_layout *l, const struct viz_ui *ui,
                  const struct viz_model *m, float x)
{
	int64_t v0, v1;
	view_range(ui, m, &v0, &v1);
	double f = (x - l->tl_x0) / (l->tl_x1 - l->tl_x0);
	int64_t t = v0 + (int64_t)llround(f * (double)(v1 - v0));
	int64_t d = viz_model_duration(m);
	return t < 0 ? 0 : t > d ? d : t;
}

uint32_t
viz_layout_bin_of(const struct viz_layout *l, uint32_t j)
{
	if (l->bins == l->n || !l->n)
		return j;
	return (uint32_t)((uint64_t)j * l->bins / l->n);
}

uint32_t
viz_layout_bin_first(const struct viz_layout *l, uint32_t k)
{
	if (l->bins == l->n || !l->bins)
		return k;
	return (uint32_t)(((uint64_t)k * l->n + l->bins - 1) / l->bins);
}

SDL_FPoint
viz_layout_cell_pos(const struct viz_layout *l, uint32_t o, uint32_t j)
{
	return (SDL_FPoint){
	    l->mx + ((float)viz_layout_bin_of(l, j) + 0.5f) * l->cell,
	    l->my + ((float)viz_layout_bin_of(l, o) + 0.5f) * l->cell};
}

int32_t
viz_layout_hit_member(const struct viz_layout *l, uint32_t n, float x, float y)
{
	if (l->grid) {
		if (x < l->grid_x0 || y < l->grid_y0 || l->node_r <= 0)
			return -1;
		uint32_t c = (uint32_t)((x - l->grid_x0) / l->node_r);
		uint32_t r = (uint32_t)((y - l->grid_y0) / l->node_r);
		if (c >= l->grid_cols)
			return -1;
		uint32_t j = r * l->grid_cols + c;
		return j < n ? (int32_t)j : -1;
	}
	float best = (l->node_r + 6) * (l->node_r + 6);
	int32_t hit = -1;
	for (uint32_t j = 0; j < n; j++) {
		SDL_FPoint p = viz_layout_member_pos(l, j, n);
		float d = (p.x - x) * (p.x - x) + (p.y - y) * (p.y - y);
		if (d <= best) {
			best = d;
			hit = (int32_t)j;
		}
	}
	return hit;
}

int
viz_layout_hit_cell(const struct viz_layout *l, uint32_t n, float x, float y,
                    uint32_t *o, uint32_t *j)
{
	if (!l->bins || x < l->mx || y < l->my)
		return 0;
	uint32_t c = (uint32_t)((x - l->mx) / l->cell);
	uint32_t r = (uint32_t)((y - l->my) / l->cell);
	if (c >= l->bins || r >= l->bins)
		return 0;
	*j = viz_layout_bin_first(l, c);
	*o = viz_layout_bin_first(l, r);
	return *j < n && *o < n;
}
