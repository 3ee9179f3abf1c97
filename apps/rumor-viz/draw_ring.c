/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz ring (a grid above 64 members): each member filled with its
 * true state, surrounded by what the running others believe about it; a
 * crashed member nobody has noticed yet is crossed out in white. Traced
 * messages fly along curved arrows; dropped ones stop short and fade.
 */
#include <math.h>

#include "draw_internal.h"

#define MSG_MIN_MS    300 /* a message stays visible at least this long */
#define MSG_ALL_MAX   32  /* more members: only the selected one's messages */
#define MSG_MAX_DRAWN 1500

static const enum viz_belief arc_order[VIZ_B_MAX] = {
    VIZ_B_ALIVE, VIZ_B_SUSPECT, VIZ_B_FAILED,
    VIZ_B_LEFT,  VIZ_B_REMOVED, VIZ_B_UNKNOWN};

static int
unnoticed_crash(const struct viz_draw *d, const struct viz_model *m, uint32_t j)
{
	const uint32_t *op = d->op[j];
	return viz_state_truth(&m->cur, j) == VIZ_T_CRASHED &&
	       op[VIZ_B_FAILED] + op[VIZ_B_REMOVED] == 0 &&
	       op[VIZ_B_ALIVE] + op[VIZ_B_SUSPECT] > 0;
}

static void
cross(SDL_Renderer *r, float x, float y, float s)
{
	SDL_Color w = {255, 255, 255, 255};
	viz_thick_line(r, x - s, y - s, x + s, y + s, 2, w);
	viz_thick_line(r, x - s, y + s, x + s, y - s, 2, w);
}

/* Inferred states (no ground truth) are hollow: a ring, not a disc. */
static int
hollow(enum viz_truth t)
{
	return t == VIZ_T_SILENT || t == VIZ_T_UNKNOWN;
}

static void
ring_node(struct viz_draw *d, const struct viz_model *m,
          const struct viz_ui *ui, uint32_t k)
{
	const struct viz_layout *l = &d->l;
	uint32_t j = viz_model_slot_member(m, k);
	SDL_FPoint p = viz_layout_member_pos(l, k, m->n_slots);
	float nr = l->node_r, r0 = nr + 1.5f, r1 = nr + fmaxf(3, nr * 0.6f);
	const uint32_t *op = d->op[j];
	uint32_t total = 0;
	for (int b = 0; b < VIZ_B_MAX; b++)
		total += op[b];
	if ((int32_t)j == ui->selected || (int32_t)j == ui->hover)
		viz_fill_arc(d->r, p.x, p.y, r1 + 1.5f, r1 + 4, 0, 2 * SDL_PI_F,
		             (int32_t)j == ui->selected ? viz_col_accent
		                                        : viz_col_dim);
	float a0 = -SDL_PI_F / 2;
	for (int q = 0; q < VIZ_B_MAX && total; q++) {
		uint32_t c = op[arc_order[q]];
		if (!c)
			continue;
		float a1 = a0 + 2 * SDL_PI_F * (float)c / (float)total;
		viz_fill_arc(d->r, p.x, p.y, r0, r1, a0, a1,
		             viz_belief_color[arc_order[q]]);
		a0 = a1;
	}
	if (!total)
		viz_fill_arc(d->r, p.x, p.y, r0, r1, 0, 2 * SDL_PI_F,
		             viz_belief_color[VIZ_B_UNKNOWN]);
	enum viz_truth t = viz_state_truth(&m->cur, j);
	viz_fill_circle(d->r, p.x, p.y, nr, viz_truth_color[t]);
	if (hollow(t))
		viz_fill_circle(d->r, p.x, p.y, nr * 0.6f, viz_col_panel);
	if (unnoticed_crash(d, m, j))
		cross(d->r, p.x, p.y, nr * 0.5f);
}

static void
ring_label(struct viz_draw *d, const struct viz_model *m, uint32_t k)
{
	const struct viz_layout *l = &d->l;
	char buf[RUMOR_ID_STRLEN];
	uint32_t j = viz_model_slot_member(m, k);
	float a = -SDL_PI_F / 2 + 2 * SDL_PI_F * (float)k / (float)l->ring_n;
	float rr = l->ring_R + l->node_r * 1.6f + 12;
	const char *s = viz_member_short(m, j, buf, sizeof(buf));
	float w = viz_text_width(d->tx, VIZ_FONT_SMALL, s);
	float x =
	    l->ring_cx + rr * SDL_cosf(a) - w / 2 + SDL_cosf(a) * w * 0.35f;
	float y = l->ring_cy + rr * SDL_sinf(a) - 7;
	viz_text_draw(d->tx, VIZ_FONT_SMALL, x, y, viz_col_dim, s);
}

/* Names around the ring: every step-th one when neighbours would touch
 * (labels are as far apart as the places, along the circle). */
static void
ring_labels(struct viz_draw *d, const struct viz_model *m)
{
	const struct viz_layout *l = &d->l;
	float maxw = 0;
	for (uint32_t k = 0; k < m->n_slots; k++) {
		char buf[RUMOR_ID_STRLEN];
		float w = viz_text_width(
		    d->tx, VIZ_FONT_SMALL,
		    viz_member_short(m, viz_model_slot_member(m, k), buf,
		                     sizeof(buf)));
		maxw = w > maxw ? w : maxw;
	}
	float rr = l->ring_R + l->node_r * 1.6f + 12;
	float gap = 2 * SDL_PI_F * rr / (float)l->ring_n;
	uint32_t step = (uint32_t)ceilf((maxw + 8) / gap);
	if (step < 1)
		step = 1;
	for (uint32_t k = 0; k < m->n_slots; k += step)
		ring_label(d, m, k);
}

static void
grid_node(struct viz_draw *d, const struct viz_model *m,
          const struct viz_ui *ui, uint32_t k)
{
	const struct viz_layout *l = &d->l;
	uint32_t j = viz_model_slot_member(m, k);
	SDL_FPoint p = viz_layout_member_pos(l, k, m->n_slots);
	float c = l->node_r, g = c >= 6 ? 1 : 0;
	float x = p.x - c / 2 + g, y = p.y - c / 2 + g, w = c - 2 * g;
	float th = floorf(w * 0.62f);
	const uint32_t *op = d->op[j];
	uint32_t total = 0;
	for (int b = 0; b < VIZ_B_MAX; b++)
		total += op[b];
	enum viz_truth t = viz_state_truth(&m->cur, j);
	viz_fill_rect(d->r, x, y, w, th, viz_truth_color[t]);
	if (hollow(t) && w >= 6)
		viz_fill_rect(d->r, x + 2, y + 2, w - 4, th - 4, viz_col_panel);
	float bx = x;
	for (int q = 0; q < VIZ_B_MAX && total; q++) {
		uint32_t n = op[arc_order[q]];
		if (!n)
			continue;
		float bw = w * (float)n / (float)total;
		viz_fill_rect(d->r, bx, y + th, bw, w - th,
		              viz_belief_color[arc_order[q]]);
		bx += bw;
	}
	if (!total)
		viz_fill_rect(d->r, x, y + th, w, w - th,
		              viz_belief_color[VIZ_B_UNKNOWN]);
	if (unnoticed_crash(d, m, j) && c >= 8)
		cross(d->r, x + w / 2, y + th / 2, th * 0.3f);
	if ((int32_t)j == ui->selected || (int32_t)j == ui->hover) {
		SDL_FRect rc = {x - g, y - g, c, c};
		viz_set_color(d->r, (int32_t)j == ui->selected ? viz_col_accent
		                                               : viz_col_text);
		SDL_RenderRect(d->r, &rc);
	}
}

/* Quadratic curve from a towards b bulging left, up to fraction f. */
static void
arrow(SDL_Renderer *r, SDL_FPoint a, SDL_FPoint b, float f, SDL_Color c)
{
	enum { SEG = 10 };
	SDL_FPoint pts[SEG + 1];
	float mx = (a.x + b.x) / 2 - (b.y - a.y) * 0.15f;
	float my = (a.y + b.y) / 2 + (b.x - a.x) * 0.15f;
	for (int i = 0; i <= SEG; i++) {
		float u = f * (float)i / SEG, v = 1 - u;
		pts[i].x = v * v * a.x + 2 * u * v * mx + u * u * b.x;
		pts[i].y = v * v * a.y + 2 * u * v * my + u * u * b.y;
	}
	viz_set_color(r, c);
	SDL_RenderLines(r, pts, SEG + 1);
	c.a = 255;
	viz_fill_rect(r, pts[SEG].x - 1.5f, pts[SEG].y - 1.5f, 3, 3, c);
}

static void
messages(struct viz_draw *d, const struct viz_model *m, int32_t sel)
{
	int64_t ts = m->ts0 + m->cur_t;
	int64_t back =
	    m->max_flight_ms > MSG_MIN_MS ? m->max_flight_ms : MSG_MIN_MS;
	size_t i = viz_model_msg_lower(m, ts - back);
	unsigned drawn = 0;
	for (; i < m->n_msgs && drawn < MSG_MAX_DRAWN; i++) {
		const struct viz_msg *g = &m->msgs[i];
		if (g->t_send > ts)
			break;
		int64_t end =
		    g->t_end == VIZ_NEVER ? g->t_send + MSG_MIN_MS : g->t_end;
		int64_t dur = end - g->t_send;
		if (dur < MSG_MIN_MS)
			dur = MSG_MIN_MS;
		float f = (float)(ts - g->t_send) / (float)dur;
		if (f > 1 || g->from == g->to)
			continue;
		if (m->n_slots > MSG_ALL_MAX &&
		    (sel < 0 || (g->from != sel && g->to != sel)))
			continue;
		SDL_FPoint a = viz_layout_member_pos(
		    &d->l, m->members[g->from].slot, m->n_slots);
		SDL_FPoint b = viz_layout_member_pos(
		    &d->l, m->members[g->to].slot, m->n_slots);
		SDL_Color c = {170, 200, 255, 110};
		if (g->dropped) {
			c = (SDL_Color){255, 80, 80,
			                (Uint8)(220 * (1 - f * 0.8f))};
			f = fminf(f, 0.6f);
		}
		arrow(d->r, a, b, f, c);
		drawn++;
	}
}

void
viz__draw_ring(struct viz_draw *d, const struct viz_model *m,
               const struct viz_ui *ui)
{
	const struct viz_layout *l = &d->l;
	viz_fill_rect(d->r, l->ring.x, l->ring.y, l->ring.w, l->ring.h,
	              viz_col_panel);
	viz__title(d, &l->ring, "Members",
	           l->grid ? "top: true state, bar: what others believe"
	                   : "fill: true state, ring: what others believe");
	for (uint32_t k = 0; k < m->n_slots; k++) {
		if (l->grid)
			grid_node(d, m, ui, k);
		else
			ring_node(d, m, ui, k);
	}
	if (!l->grid && m->n_slots)
		ring_labels(d, m);
	if (ui->show_trace && m->n_msgs)
		messages(d, m, ui->selected >= 0 ? ui->selected : ui->hover);
}
