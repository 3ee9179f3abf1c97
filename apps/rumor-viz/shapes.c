/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz palette and shapes (triangle fans and strips through
 * SDL_RenderGeometry; colours land exactly on the software renderer).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render.h"

/* alive, suspect, failed, left: Okabe-Ito; unknown / removed: greys */
const SDL_Color viz_belief_color[VIZ_B_MAX] = {
    [VIZ_B_UNKNOWN] = {52, 56, 64, 255},
    [VIZ_B_ALIVE] = {0, 158, 115, 255},
    [VIZ_B_SUSPECT] = {230, 159, 0, 255},
    [VIZ_B_FAILED] = {213, 94, 0, 255},
    [VIZ_B_LEFT] = {0, 114, 178, 255},
    [VIZ_B_REMOVED] = {120, 124, 132, 255},
};

const SDL_Color viz_truth_color[VIZ_T_MAX] = {
    [VIZ_T_UNSEEN] = {44, 47, 54, 255},
    [VIZ_T_RUNNING] = {0, 158, 115, 255},
    [VIZ_T_LEFT] = {0, 114, 178, 255},
    [VIZ_T_STOPPED] = {86, 180, 233, 255},
    [VIZ_T_CRASHED] = {213, 94, 0, 255},
    /* inferred, not ground truth: greys, drawn hollow (draw_ring.c) */
    [VIZ_T_SILENT] = {150, 142, 170, 255},
    [VIZ_T_UNKNOWN] = {78, 82, 92, 255},
};

const SDL_Color viz_col_bg = {21, 23, 28, 255};
const SDL_Color viz_col_panel = {30, 33, 40, 255};
const SDL_Color viz_col_grid = {56, 61, 71, 255};
const SDL_Color viz_col_text = {220, 224, 230, 255};
const SDL_Color viz_col_dim = {138, 144, 156, 255};
const SDL_Color viz_col_accent = {240, 228, 66, 255};
const SDL_Color viz_col_playhead = {255, 255, 255, 255};
const SDL_Color viz_col_cut = {204, 121, 167, 255};

SDL_Color
viz_event_color(int ev)
{
	switch ((enum rumor_log_ev)ev) {
	case RUMOR_LOG_SUSPECT:
		return viz_belief_color[VIZ_B_SUSPECT];
	case RUMOR_LOG_FAIL:
	case RUMOR_LOG_CRASH:
		return viz_belief_color[VIZ_B_FAILED];
	case RUMOR_LOG_LEAVE:
	case RUMOR_LOG_LEFT:
		return viz_belief_color[VIZ_B_LEFT];
	case RUMOR_LOG_REMOVE:
	case RUMOR_LOG_STOP:
		return viz_belief_color[VIZ_B_REMOVED];
	case RUMOR_LOG_PARTITION:
	case RUMOR_LOG_HEAL:
		return viz_col_cut;
	default:
		return viz_belief_color[VIZ_B_ALIVE];
	}
}

static SDL_FColor
fcolor(SDL_Color c)
{
	return (SDL_FColor){c.r / 255.0f, c.g / 255.0f, c.b / 255.0f,
	                    c.a / 255.0f};
}

SDL_Color
viz_mix(SDL_Color a, SDL_Color b, float t)
{
	SDL_Color c;
	c.r = (Uint8)(a.r + (b.r - a.r) * t + 0.5f);
	c.g = (Uint8)(a.g + (b.g - a.g) * t + 0.5f);
	c.b = (Uint8)(a.b + (b.b - a.b) * t + 0.5f);
	c.a = (Uint8)(a.a + (b.a - a.a) * t + 0.5f);
	return c;
}

void
viz_set_color(SDL_Renderer *r, SDL_Color c)
{
	SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE
	                                         : SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

void
viz_fill_rect(SDL_Renderer *r, float x, float y, float w, float h, SDL_Color c)
{
	SDL_FRect rc = {x, y, w, h};
	viz_set_color(r, c);
	SDL_RenderFillRect(r, &rc);
}

void
viz_fill_circle(SDL_Renderer *r, float cx, float cy, float rad, SDL_Color c)
{
	enum { SEG = 32 };
	SDL_Vertex v[SEG + 1];
	int idx[SEG * 3];
	SDL_FColor fc = fcolor(c);
	v[0] = (SDL_Vertex){{cx, cy}, fc, {0, 0}};
	for (int i = 0; i < SEG; i++) {
		float a = (float)i * 2.0f * SDL_PI_F / SEG;
		v[i + 1] = (SDL_Vertex){
		    {cx + rad * SDL_cosf(a), cy + rad * SDL_sinf(a)},
		    fc,
		    {0, 0}};
		idx[3 * i] = 0;
		idx[3 * i + 1] = i + 1;
		idx[3 * i + 2] = (i + 1) % SEG + 1;
	}
	SDL_RenderGeometry(r, NULL, v, SEG + 1, idx, SEG * 3);
}

void
viz_fill_arc(SDL_Renderer *r, float cx, float cy, float r0, float r1, float a0,
             float a1, SDL_Color c)
{
	enum { MAXSEG = 48 };
	SDL_Vertex v[2 * (MAXSEG + 1)];
	int idx[6 * MAXSEG];
	int seg = (int)ceilf((a1 - a0) / (2.0f * SDL_PI_F) * MAXSEG);
	if (seg < 1)
		seg = 1;
	if (seg > MAXSEG)
		seg = MAXSEG;
	SDL_FColor fc = fcolor(c);
	for (int i = 0; i <= seg; i++) {
		float a = a0 + (a1 - a0) * (float)i / (float)seg;
		float ca = SDL_cosf(a), sa = SDL_sinf(a);
		v[2 * i] =
		    (SDL_Vertex){{cx + r0 * ca, cy + r0 * sa}, fc, {0, 0}};
		v[2 * i + 1] =
		    (SDL_Vertex){{cx + r1 * ca, cy + r1 * sa}, fc, {0, 0}};
	}
	for (int i = 0; i < seg; i++) {
		int *p = &idx[6 * i];
		p[0] = 2 * i;
		p[1] = 2 * i + 1;
		p[2] = 2 * i + 3;
		p[3] = 2 * i;
		p[4] = 2 * i + 3;
		p[5] = 2 * i + 2;
	}
	SDL_RenderGeometry(r, NULL, v, 2 * (seg + 1), idx, 6 * seg);
}

void
viz_thick_line(SDL_Renderer *r, float x0, float y0, float x1, float y1, float w,
               SDL_Color c)
{
	float dx = x1 - x0, dy = y1 - y0;
	float len = SDL_sqrtf(dx * dx + dy * dy);
	if (len < 0.01f)
		return;
	float nx = -dy / len * w * 0.5f, ny = dx / len * w * 0.5f;
	SDL_FColor fc = fcolor(c);
	SDL_Vertex v[4] = {
	    {{x0 + nx, y0 + ny}, fc, {0, 0}},
	    {{x1 + nx, y1 + ny}, fc, {0, 0}},
	    {{x1 - nx, y1 - ny}, fc, {0, 0}},
	    {{x0 - nx, y0 - ny}, fc, {0, 0}},
	};
	static const int idx[6] = {0, 1, 2, 0, 2, 3};
	SDL_RenderGeometry(r, NULL, v, 4, idx, 6);
}
