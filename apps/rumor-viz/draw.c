/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz frame: seek the model to the playhead, lay out, draw the parts.
 */
#include <stdlib.h>
#include <string.h>

#include "draw_internal.h"
#include "rumor/errors.h"

void
viz_ui_init(struct viz_ui *ui)
{
	memset(ui, 0, sizeof(*ui));
	ui->speed = 1;
	ui->selected = ui->hover = ui->hover_obs = ui->cell_obs = -1;
	ui->st_span = 3000;
	ui->show_trace = 1;
}

struct viz_draw *
viz_draw_new(SDL_Renderer *r, const char *font)
{
	struct viz_draw *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->r = r;
	d->tx = viz_text_new(r, font);
	if (!d->tx) {
		free(d);
		return NULL;
	}
	d->op_version = UINT64_MAX;
	d->mtex_version = UINT64_MAX;
	return d;
}

void
viz_draw_free(struct viz_draw *d)
{
	if (!d)
		return;
	viz_text_free(d->tx);
	if (d->mtex)
		SDL_DestroyTexture(d->mtex);
	free(d->mpix);
	free(d->op);
	for (int i = 0; i < 3; i++) {
		free(d->ticks[i]);
		free(d->tick_n[i]);
	}
	free(d);
}

struct viz_text *
viz_draw_text(struct viz_draw *d)
{
	return d->tx;
}

const struct viz_layout *
viz_draw_layout(const struct viz_draw *d)
{
	return &d->l;
}

int
viz__opinions(struct viz_draw *d, const struct viz_model *m)
{
	const struct viz_state *s = &m->cur;
	if (d->op && d->op_n == m->n_members && d->op_version == s->version &&
	    d->op_t == m->cur_t)
		return 0;
	if (d->op_n != m->n_members || !d->op) {
		free(d->op);
		d->op = calloc(m->n_members ? m->n_members : 1, sizeof(*d->op));
		if (!d->op)
			return RUMOR_ENOMEM;
		d->op_n = m->n_members;
	}
	for (uint32_t j = 0; j < m->n_members; j++)
		viz_state_opinions(m, s, j, d->op[j]);
	d->op_version = s->version;
	d->op_t = m->cur_t;
	return 0;
}

void
viz__title(struct viz_draw *d, const SDL_FRect *r, const char *title,
           const char *sub)
{
	SDL_Rect clip = {(int)r->x, (int)r->y, (int)r->w - 4, 24};
	SDL_SetRenderClipRect(d->r, &clip);
	float w = viz_text_draw(d->tx, VIZ_FONT_NORMAL, r->x + 8, r->y + 5,
	                        viz_col_text, title);
	char fit[256];
	viz_text_fit(d->tx, VIZ_FONT_SMALL, sub, r->w - 30 - w, fit,
	             sizeof(fit));
	viz_text_draw(d->tx, VIZ_FONT_SMALL, r->x + 8 + w + 10, r->y + 7,
	              viz_col_dim, fit);
	SDL_SetRenderClipRect(d->r, NULL);
}

/* Nothing read yet (an empty log, or one still to be written): say so
 * rather than show an empty frame. */
static void
empty_note(struct viz_draw *d, const struct viz_model *m,
           const struct viz_ui *ui)
{
	const SDL_FRect *r = &d->l.main;
	char buf[600], fit[600];
	snprintf(buf, sizeof(buf), "No line in %s%s yet",
	         m->n_files ? m->files[0] : "the logs",
	         m->n_files > 1 ? " and the others" : "");
	viz_text_fit(d->tx, VIZ_FONT_BIG, buf, r->w - 40, fit, sizeof(fit));
	viz_text_draw(d->tx, VIZ_FONT_BIG, r->x + 20, r->y + r->h / 2 - 30,
	              viz_col_text, fit);
	viz_text_draw(d->tx, VIZ_FONT_NORMAL, r->x + 20, r->y + r->h / 2,
	              viz_col_dim,
	              ui->follow ? "following: lines appear as they are written"
	                         : "the log is empty (or all its lines were "
	                           "malformed)");
}

int
viz_draw_frame(struct viz_draw *d, struct viz_model *m, const struct viz_ui *ui)
{
	int err = viz_model_seek(m, ui->t);
	if (err)
		return err;
	if (!SDL_GetRenderOutputSize(d->r, &d->w, &d->h))
		return RUMOR_EINVAL;
	uint32_t ring_n = m->n_slots;
	if (ui->stable) /* members may appear: keep places for them */
		ring_n = (ring_n + 8) / 8 * 8;
	viz_layout_compute(&d->l, d->w, d->h, m->n_slots, ring_n);
	err = viz__opinions(d, m);
	if (err)
		return err;
	viz_set_color(d->r, viz_col_bg);
	SDL_RenderClear(d->r);
	if (ui->view == VIZ_VIEW_SPACETIME) {
		viz__draw_spacetime(d, m, ui);
	} else if (ui->view == VIZ_VIEW_PLOTS) {
		viz__draw_plots(d, m, ui);
	} else {
		viz__draw_ring(d, m, ui);
		err = viz__draw_matrix(d, m, ui);
		if (err)
			return err;
		viz__draw_path(d, m, ui);
	}
	if (!m->n_ev && !m->n_msgs)
		empty_note(d, m, ui);
	viz__draw_timeline(d, m, ui);
	viz__draw_panel(d, m, ui);
	viz__draw_status(d, m, ui);
	if (ui->show_help)
		viz__draw_help(d);
	return 0;
}
