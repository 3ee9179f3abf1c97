/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz who told whom: for the selected matrix cell (observer, member)
 * the path its belief took, drawn on the ring as thick arrows from the
 * origin to the observer, each hop numbered with its time, and the cells
 * of the hops outlined in the matrix; hovering a cell shows the same path
 * in words beside the mouse.
 */
#include <math.h>
#include <string.h>

#include "draw_internal.h"
#include "timearg.h"

#define MAX_HOPS 32

static void
hop_arrow(struct viz_draw *d, SDL_FPoint a, SDL_FPoint b, const char *label)
{
	float dx = b.x - a.x, dy = b.y - a.y, len = sqrtf(dx * dx + dy * dy);
	if (len < 1)
		return;
	float ux = dx / len, uy = dy / len, back = d->l.node_r + 6;
	SDL_FPoint tip = {b.x - ux * back, b.y - uy * back};
	viz_thick_line(d->r, a.x + ux * back, a.y + uy * back, tip.x, tip.y, 3,
	               viz_col_accent);
	SDL_FColor fc = {viz_col_accent.r / 255.0f, viz_col_accent.g / 255.0f,
	                 viz_col_accent.b / 255.0f, 1};
	SDL_Vertex v[3] = {
	    {{tip.x, tip.y}, fc, {0, 0}},
	    {{tip.x - ux * 10 - uy * 5, tip.y - uy * 10 + ux * 5}, fc, {0, 0}},
	    {{tip.x - ux * 10 + uy * 5, tip.y - uy * 10 - ux * 5}, fc, {0, 0}}};
	SDL_RenderGeometry(d->r, NULL, v, 3, NULL, 0);
	float w = viz_text_width(d->tx, VIZ_FONT_SMALL, label);
	float mx = (a.x + b.x) / 2 - w / 2, my = (a.y + b.y) / 2 - 8;
	viz_fill_rect(d->r, mx - 2, my, w + 4, 16, viz_col_bg);
	viz_text_draw(d->tx, VIZ_FONT_SMALL, mx, my, viz_col_accent, label);
}

static void
ring_path(struct viz_draw *d, const struct viz_model *m,
          const struct viz_hop *hops, size_t n)
{
	const struct viz_layout *l = &d->l;
	for (size_t i = n; i-- > 1;) {
		const struct viz_event *from = hops[i].e, *to = hops[i - 1].e;
		char label[48], t[32];
		snprintf(label, sizeof(label), "%zu: %s", n - i,
		         viz_time_format(to->ts - m->ts0, t, sizeof(t)));
		hop_arrow(d,
		          viz_layout_member_pos(l, m->members[from->node].slot,
		                                m->n_slots),
		          viz_layout_member_pos(l, m->members[to->node].slot,
		                                m->n_slots),
		          label);
	}
}

static void
matrix_hops(struct viz_draw *d, const struct viz_model *m,
            const struct viz_hop *hops, size_t n, uint32_t j)
{
	const struct viz_layout *l = &d->l;
	if (l->per_bin != 1)
		return;
	viz_set_color(d->r, viz_col_accent);
	for (size_t i = 0; i < n; i++) {
		SDL_FPoint p = viz_layout_cell_pos(
		    l, m->members[hops[i].e->node].slot, m->members[j].slot);
		SDL_FRect rc = {p.x - l->cell / 2 + 1, p.y - l->cell / 2 + 1,
		                l->cell - 2, l->cell - 2};
		SDL_RenderRect(d->r, &rc);
	}
}

/* The path in words in a box near the hovered cell, inside the matrix. */
static void
tooltip(struct viz_draw *d, const struct viz_model *m, uint32_t o, uint32_t j,
        const struct viz_hop *hops, size_t n)
{
	const struct viz_layout *l = &d->l;
	char text[2048], line[512];
	if (n)
		viz_path_text(m, hops, n, j, text, sizeof(text));
	else
		snprintf(text, sizeof(text), "no line of it about that member");
	float w = fminf(420, l->main.w - 20), lh = 16, x, y;
	SDL_FPoint p =
	    viz_layout_cell_pos(l, m->members[o].slot, m->members[j].slot);
	/* wrap into at most 8 lines */
	char lines[8][512];
	int nl = 0;
	const char *s = text;
	while (*s && nl < 8) {
		snprintf(line, sizeof(line), "%.*s", (int)sizeof(line) - 1, s);
		size_t cut = strlen(line);
		while (viz_text_width(d->tx, VIZ_FONT_SMALL, line) > w - 12) {
			char *sp = strrchr(line, ' ');
			if (!sp)
				break;
			*sp = 0;
			cut = strlen(line);
		}
		snprintf(lines[nl++], sizeof(lines[0]), "%s", line);
		s += cut;
		while (*s == ' ')
			s++;
	}
	float h = (float)nl * lh + 10;
	x = fminf(p.x + 12, l->main.x + l->main.w - w - 4);
	y = fminf(p.y + 12, l->main.y + l->main.h - h - 4);
	SDL_Color bg = viz_col_bg;
	bg.a = 240;
	viz_fill_rect(d->r, x, y, w, h, bg);
	viz_set_color(d->r, viz_col_accent);
	SDL_FRect rc = {x, y, w, h};
	SDL_RenderRect(d->r, &rc);
	for (int i = 0; i < nl; i++)
		viz_text_draw(d->tx, VIZ_FONT_SMALL, x + 6,
		              y + 5 + lh * (float)i, viz_col_text, lines[i]);
}

void
viz__draw_path(struct viz_draw *d, const struct viz_model *m,
               const struct viz_ui *ui)
{
	struct viz_hop hops[MAX_HOPS];
	int hovering = ui->hover_obs >= 0 && ui->hover >= 0;
	int32_t o = hovering ? ui->hover_obs : ui->cell_obs;
	int32_t j = hovering ? ui->hover : ui->selected;
	if (o < 0 || j < 0)
		return;
	size_t n = viz_model_belief_path(m, m->cur_t, (uint32_t)o, (uint32_t)j,
	                                 hops, MAX_HOPS);
	if (!d->l.grid)
		ring_path(d, m, hops, n);
	matrix_hops(d, m, hops, n, (uint32_t)j);
	if (hovering)
		tooltip(d, m, (uint32_t)o, (uint32_t)j, hops, n);
}
