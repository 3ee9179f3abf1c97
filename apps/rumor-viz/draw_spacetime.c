/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz space-time view (as ShiViz draws executions, in real time): a
 * lane per member (one per address), time flowing right around the
 * playhead over ui->st_span ms; each traced message an arrow from its send
 * on the sender's lane to its receipt on the receiver's, coloured by kind
 * (a drop ends in a red cross); membership events as ticks on the
 * observer's lane; crashes as triangles; after a member's last line
 * (no ground truth) its lane is greyed. With a member selected only its
 * lane and those of the members it exchanged messages with are shown. The
 * selected matrix cell's belief path is drawn as thick arrows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw_internal.h"
#include "timearg.h"

#define MAX_ARROWS 6000
#define LABEL_W    78.0f

/* A colour per message kind (index into m->kinds), cycling. */
SDL_Color
viz_kind_color(unsigned kind)
{
	static const SDL_Color c[] = {
	    {138, 144, 156, 255}, /* "?" */
	    {86, 180, 233, 255},  {240, 228, 66, 255}, {204, 121, 167, 255},
	    {0, 158, 115, 255},   {230, 159, 0, 255},  {160, 130, 230, 255},
	    {255, 255, 255, 255}};
	return c[kind < 8 ? kind : 1 + (kind - 1) % 7];
}

struct lanes {
	int32_t *of_slot; /* lane of each slot, -1 hidden */
	uint32_t n;
	float y0, h;
	float x0, x1;
	int64_t w0, w1; /* window, ts */
};

static float
tx(const struct lanes *L, int64_t ts)
{
	return L->x0 + (float)((double)(ts - L->w0) * (L->x1 - L->x0) /
	                       (double)(L->w1 - L->w0));
}

static float
ly(const struct lanes *L, const struct viz_model *m, int32_t member)
{
	int32_t k = L->of_slot[m->members[member].slot];
	return k < 0 ? -1 : L->y0 + ((float)k + 0.5f) * L->h;
}

/* Which slots get a lane: all, or the selected member's and its peers'. */
static uint32_t
pick_lanes(const struct viz_model *m, const struct viz_ui *ui, struct lanes *L)
{
	uint8_t *show = calloc(m->n_slots ? m->n_slots : 1, 1);
	if (!show)
		return 0;
	if (ui->selected < 0) {
		memset(show, 1, m->n_slots);
	} else {
		show[m->members[ui->selected].slot] = 1;
		struct viz_hop hops[32];
		size_t n = ui->cell_obs < 0
		               ? 0
		               : viz_model_belief_path(
		                     m, m->cur_t, (uint32_t)ui->cell_obs,
		                     (uint32_t)ui->selected, hops, 32);
		for (size_t h = 0; h < n; h++) /* the path's members too */
			show[m->members[hops[h].e->node].slot] = 1;
		size_t i = viz_model_msg_lower(m, L->w0 - m->max_flight_ms);
		for (; i < m->n_msgs && m->msgs[i].t_send <= L->w1; i++) {
			const struct viz_msg *g = &m->msgs[i];
			if (g->from == ui->selected)
				show[m->members[g->to].slot] = 1;
			if (g->to == ui->selected)
				show[m->members[g->from].slot] = 1;
		}
	}
	uint32_t n = 0;
	for (uint32_t k = 0; k < m->n_slots; k++)
		L->of_slot[k] = show[k] ? (int32_t)n++ : -1;
	free(show);
	return n;
}

static void
lane_backgrounds(struct viz_draw *d, const struct viz_model *m,
                 const struct viz_ui *ui, const struct lanes *L)
{
	char name[RUMOR_ID_STRLEN], fit[RUMOR_ID_STRLEN];
	float th = viz_text_height(d->tx, VIZ_FONT_SMALL);
	for (uint32_t k = 0; k < m->n_slots; k++) {
		if (L->of_slot[k] < 0)
			continue;
		uint32_t j = viz_model_slot_member(m, k);
		float y = L->y0 + (float)L->of_slot[k] * L->h;
		SDL_Color bg = L->of_slot[k] % 2 ? viz_col_panel : viz_col_bg;
		viz_fill_rect(d->r, L->x0, y, L->x1 - L->x0, L->h, bg);
		viz_fill_rect(d->r, L->x0, y + L->h / 2, L->x1 - L->x0, 1,
		              viz_col_grid);
		/* greyed after its own last line when that is all we know */
		int64_t sf = viz_model_silent_from(m, j);
		if (sf != VIZ_NEVER) {
			float xs = fmaxf(tx(L, m->members[j].last_ts), L->x0);
			if (xs < L->x1) {
				SDL_Color g = viz_truth_color[VIZ_T_SILENT];
				g.a = 50;
				viz_fill_rect(d->r, xs, y, L->x1 - xs, L->h, g);
			}
		}
		if (L->h + 1 >= th) {
			SDL_Color c =
			    (int32_t)j == ui->selected
			        ? viz_col_accent
			        : viz_truth_color[viz_state_truth(&m->cur, j)];
			viz_text_fit(d->tx, VIZ_FONT_SMALL,
			             viz_member_short(m, j, name, sizeof(name)),
			             LABEL_W - 8, fit, sizeof(fit));
			viz_text_draw(d->tx, VIZ_FONT_SMALL, L->x0 - LABEL_W,
			              y + (L->h - th) / 2, c, fit);
		}
	}
}

static void
cross(SDL_Renderer *r, float x, float y, float s, SDL_Color c)
{
	viz_thick_line(r, x - s, y - s, x + s, y + s, 2, c);
	viz_thick_line(r, x - s, y + s, x + s, y - s, 2, c);
}

static void
arrows(struct viz_draw *d, const struct viz_model *m, const struct lanes *L)
{
	size_t i = viz_model_msg_lower(m, L->w0 - m->max_flight_ms);
	unsigned drawn = 0;
	for (; i < m->n_msgs && drawn < MAX_ARROWS; i++) {
		const struct viz_msg *g = &m->msgs[i];
		if (g->t_send > L->w1)
			break;
		int64_t end = g->t_end == VIZ_NEVER ? g->t_send : g->t_end;
		if (end < L->w0)
			continue;
		float y0 = ly(L, m, g->from), y1 = ly(L, m, g->to);
		if (y0 < 0 || y1 < 0)
			continue;
		float x0 = tx(L, g->t_send), x1 = tx(L, end);
		SDL_Color c = viz_kind_color(g->kind);
		c.a = 200;
		viz_set_color(d->r, c);
		SDL_RenderLine(d->r, x0, y0, x1, y1);
		if (g->dropped)
			cross(d->r, x1, y1, 3, (SDL_Color){255, 80, 80, 255});
		else
			viz_fill_rect(d->r, x1 - 1.5f, y1 - 1.5f, 3, 3, c);
		drawn++;
	}
}

static void
events(struct viz_draw *d, const struct viz_model *m, const struct lanes *L)
{
	float h = fmaxf(L->h * 0.7f, 3);
	for (size_t i = viz_model_upper(m, L->w0 - 1); i < m->n_ev; i++) {
		const struct viz_event *e = &m->ev[i];
		if (e->ts > L->w1)
			break;
		int32_t who = e->node >= 0 ? e->node : e->member;
		if (who < 0)
			continue;
		float y = ly(L, m, who), x = tx(L, e->ts);
		if (y < 0)
			continue;
		if (e->node < 0) { /* ground truth: a triangle on the lane */
			SDL_Color c = viz_event_color(e->ev);
			SDL_FColor fc = {c.r / 255.0f, c.g / 255.0f,
			                 c.b / 255.0f, 1};
			SDL_Vertex v[3] = {{{x - 5, y - h / 2 - 4}, fc, {0, 0}},
			                   {{x + 5, y - h / 2 - 4}, fc, {0, 0}},
			                   {{x, y}, fc, {0, 0}}};
			SDL_RenderGeometry(d->r, NULL, v, 3, NULL, 0);
			continue;
		}
		viz_fill_rect(d->r, x - 1, y - h / 2, 3, h,
		              viz_event_color(e->ev));
	}
}

/* The selected cell's belief: teller's event -> listener's event. */
static void
path(struct viz_draw *d, const struct viz_model *m, const struct viz_ui *ui,
     const struct lanes *L)
{
	struct viz_hop hops[32];
	if (ui->cell_obs < 0 || ui->selected < 0)
		return;
	size_t n = viz_model_belief_path(m, m->cur_t, (uint32_t)ui->cell_obs,
	                                 (uint32_t)ui->selected, hops, 32);
	for (size_t i = 0; i + 1 < n; i++) {
		const struct viz_event *a = hops[i + 1].e, *b = hops[i].e;
		float ya = ly(L, m, a->node), yb = ly(L, m, b->node);
		if (ya < 0 || yb < 0)
			continue;
		viz_thick_line(d->r, tx(L, a->ts), ya, tx(L, b->ts), yb, 3,
		               viz_col_accent);
	}
	for (size_t i = 0; i < n; i++) {
		float y = ly(L, m, hops[i].e->node);
		if (y >= 0)
			viz_fill_circle(d->r, tx(L, hops[i].e->ts), y, 4,
			                viz_col_accent);
	}
}

static void
legend(struct viz_draw *d, const struct viz_model *m, float x, float y)
{
	for (unsigned k = 1; k < m->n_kinds; k++) {
		viz_fill_rect(d->r, x, y + 4, 14, 3, viz_kind_color(k));
		x += 18 +
		     viz_text_draw(d->tx, VIZ_FONT_SMALL, x + 18, y,
		                   viz_col_text, m->kinds[k]) +
		     10;
	}
	if (m->n_kinds > 1)
		viz_text_draw(d->tx, VIZ_FONT_SMALL, x, y, viz_col_dim,
		              "x: dropped");
}

void
viz__draw_spacetime(struct viz_draw *d, const struct viz_model *m,
                    const struct viz_ui *ui)
{
	const SDL_FRect *r = &d->l.main;
	char a[32];
	viz_fill_rect(d->r, r->x, r->y, r->w, r->h, viz_col_panel);
	viz_time_format(ui->st_span, a, sizeof(a));
	char sub[160];
	snprintf(sub, sizeof(sub),
	         "%s shown (wheel: zoom, drag: pan); a lane per member%s", a,
	         ui->selected >= 0 ? ", the selected one and its peers" : "");
	viz__title(d, r, "Space-time", sub);
	struct lanes L = {0};
	L.of_slot = calloc(m->n_slots ? m->n_slots : 1, sizeof(int32_t));
	if (!L.of_slot)
		return;
	L.x0 = r->x + LABEL_W + 8;
	L.x1 = r->x + r->w - 10;
	L.w0 = m->ts0 + m->cur_t - ui->st_span * 3 / 4;
	L.w1 = L.w0 + ui->st_span;
	L.n = pick_lanes(m, ui, &L);
	L.y0 = r->y + 48;
	L.h = L.n ? fminf(48, (r->y + r->h - 8 - L.y0) / (float)L.n) : 0;
	legend(d, m, r->x + 10, r->y + 28);
	SDL_Rect clip = {(int)r->x, (int)r->y + 44, (int)r->w,
	                 (int)(r->h - 44)};
	SDL_SetRenderClipRect(d->r, &clip);
	lane_backgrounds(d, m, ui, &L);
	SDL_Rect lanes = {(int)L.x0, (int)L.y0, (int)(L.x1 - L.x0),
	                  (int)(r->y + r->h - L.y0)};
	SDL_SetRenderClipRect(d->r, &lanes);
	events(d, m, &L);
	if (ui->show_trace)
		arrows(d, m, &L);
	path(d, m, ui, &L);
	float xp = tx(&L, m->ts0 + m->cur_t);
	viz_fill_rect(d->r, xp, L.y0, 1, (float)L.n * L.h, viz_col_playhead);
	SDL_SetRenderClipRect(d->r, NULL);
	free(L.of_slot);
}
