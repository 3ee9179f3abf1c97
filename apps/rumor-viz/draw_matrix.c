/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz membership matrix: rows are observers, columns members (one
 * per address: the version running at the playhead), each cell what that
 * observer believes now. Drawn as one streaming texture of bins x bins
 * texels scaled by an integer factor with nearest sampling (exact colours
 * at cell centres); above ~500 members one texel covers several cells and
 * shows the most alarming belief among them (failed > suspect > left >
 * removed > alive > unknown). Rows of observers that are not running are
 * dimmed. Strips above and left show the truth as known; a white corner
 * dot marks a belief that contradicts it (never where truth is unknown).
 * Rows and columns are labelled with member names.
 */
#include <stdlib.h>

#include "draw_internal.h"
#include "rumor/errors.h"

static const uint8_t alarm[VIZ_B_MAX] = {
    [VIZ_B_UNKNOWN] = 0, [VIZ_B_ALIVE] = 1,   [VIZ_B_REMOVED] = 2,
    [VIZ_B_LEFT] = 3,    [VIZ_B_SUSPECT] = 4, [VIZ_B_FAILED] = 5};

static uint32_t
argb(SDL_Color c)
{
	return 0xff000000u | (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
}

/* Belief shown for bin (R, C); *dim when no observer in it runs. */
static enum viz_belief
bin_belief(const struct viz_model *m, const struct viz_layout *l, uint32_t R,
           uint32_t C, int *dim)
{
	const struct viz_state *s = &m->cur;
	enum viz_belief best = VIZ_B_UNKNOWN, best_dead = VIZ_B_UNKNOWN;
	int any_running = 0;
	uint32_t k1 = viz_layout_bin_first(l, R + 1);
	uint32_t c0 = viz_layout_bin_first(l, C);
	uint32_t c1 = viz_layout_bin_first(l, C + 1);
	for (uint32_t k = viz_layout_bin_first(l, R); k < k1; k++) {
		uint32_t o = viz_model_slot_member(m, k);
		int run = viz_state_truth(s, o) == VIZ_T_RUNNING;
		any_running |= run;
		const uint8_t *row = s->belief + (size_t)o * s->cap;
		for (uint32_t c = c0; c < c1; c++) {
			enum viz_belief b = row[viz_model_slot_member(m, c)];
			enum viz_belief *t = run ? &best : &best_dead;
			if (alarm[b] > alarm[*t])
				*t = b;
		}
	}
	*dim = !any_running;
	return any_running ? best : best_dead;
}

static int
texture_reset(struct viz_draw *d, uint32_t bins)
{
	if (d->mtex)
		SDL_DestroyTexture(d->mtex);
	free(d->mpix);
	d->mtex = SDL_CreateTexture(d->r, SDL_PIXELFORMAT_ARGB8888,
	                            SDL_TEXTUREACCESS_STREAMING, (int)bins,
	                            (int)bins);
	d->mpix = malloc((size_t)bins * bins * sizeof(uint32_t));
	if (!d->mtex || !d->mpix)
		return RUMOR_ENOMEM;
	SDL_SetTextureScaleMode(d->mtex, SDL_SCALEMODE_NEAREST);
	SDL_SetTextureBlendMode(d->mtex, SDL_BLENDMODE_NONE);
	d->mtex_bins = bins;
	d->mtex_version = UINT64_MAX;
	return 0;
}

static int
texture_update(struct viz_draw *d, const struct viz_model *m)
{
	const struct viz_layout *l = &d->l;
	uint32_t bins = l->bins;
	if (!d->mtex || d->mtex_bins != bins) {
		int err = texture_reset(d, bins);
		if (err)
			return err;
	}
	if (d->mtex_version == m->cur.version && d->mtex_t == m->cur_t)
		return 0;
	uint32_t lit[VIZ_B_MAX], dimmed[VIZ_B_MAX];
	for (int b = 0; b < VIZ_B_MAX; b++) {
		lit[b] = argb(viz_belief_color[b]);
		dimmed[b] =
		    argb(viz_mix(viz_belief_color[b], viz_col_panel, 0.6f));
	}
	for (uint32_t R = 0; R < bins; R++)
		for (uint32_t C = 0; C < bins; C++) {
			int dim;
			enum viz_belief b = bin_belief(m, l, R, C, &dim);
			d->mpix[(size_t)R * bins + C] =
			    dim ? dimmed[b] : lit[b];
		}
	SDL_UpdateTexture(d->mtex, NULL, d->mpix, (int)(bins * 4));
	d->mtex_version = m->cur.version;
	d->mtex_t = m->cur_t;
	return 0;
}

static enum viz_truth
bin_truth(const struct viz_model *m, const struct viz_layout *l, uint32_t B)
{
	/* crashed > left > stopped > running > silent > unknown > unseen */
	static const uint8_t rank[VIZ_T_MAX] = {0, 3, 5, 4, 6, 2, 1};
	enum viz_truth best = VIZ_T_UNSEEN;
	uint32_t k1 = viz_layout_bin_first(l, B + 1);
	for (uint32_t k = viz_layout_bin_first(l, B); k < k1; k++) {
		enum viz_truth t =
		    viz_state_truth(&m->cur, viz_model_slot_member(m, k));
		if (rank[t] > rank[best])
			best = t;
	}
	return best;
}

static void
truth_strips(struct viz_draw *d, const struct viz_model *m)
{
	const struct viz_layout *l = &d->l;
	for (uint32_t B = 0; B < l->bins; B++) {
		enum viz_truth t = bin_truth(m, l, B);
		SDL_Color c = viz_truth_color[t];
		float p = (float)B * l->cell;
		viz_fill_rect(d->r, l->mx + p, l->my - 9, l->cell, 6, c);
		viz_fill_rect(d->r, l->mx - 9, l->my + p, 6, l->cell, c);
		if (t == VIZ_T_SILENT || t == VIZ_T_UNKNOWN) { /* hollow */
			viz_fill_rect(d->r, l->mx + p + 1, l->my - 8,
			              l->cell - 2, 4, viz_col_panel);
			viz_fill_rect(d->r, l->mx - 8, l->my + p + 1, 4,
			              l->cell - 2, viz_col_panel);
		}
	}
}

static void
contradiction_dots(struct viz_draw *d, const struct viz_model *m)
{
	const struct viz_layout *l = &d->l;
	const struct viz_state *s = &m->cur;
	float dot = l->cell >= 15 ? 3 : 2;
	if (l->per_bin != 1 || l->cell < 6)
		return;
	viz_set_color(d->r, (SDL_Color){255, 255, 255, 255});
	for (uint32_t r = 0; r < m->n_slots; r++) {
		uint32_t o = viz_model_slot_member(m, r);
		if (viz_state_truth(s, o) != VIZ_T_RUNNING)
			continue;
		for (uint32_t c = 0; c < m->n_slots; c++) {
			uint32_t j = viz_model_slot_member(m, c);
			if (j == o ||
			    !viz_contradicts(viz_state_truth(s, j),
			                     viz_state_belief(s, o, j)))
				continue;
			SDL_FRect rc = {l->mx + (float)c * l->cell + 1,
			                l->my + (float)r * l->cell + 1, dot,
			                dot};
			SDL_RenderFillRect(d->r, &rc);
		}
	}
}

/* Member names: rows on the left, columns upwards; every step-th one
 * when the cells are smaller than a line of text. */
static void
name_labels(struct viz_draw *d, const struct viz_model *m,
            const struct viz_ui *ui)
{
	const struct viz_layout *l = &d->l;
	float lh = viz_text_height(d->tx, VIZ_FONT_SMALL);
	uint32_t step = 1;
	while ((float)step * l->cell < lh)
		step = step < 5 ? 5 : step * 2;
	for (uint32_t B = 0; B < l->bins; B += step) {
		char buf[RUMOR_ID_STRLEN], fit[RUMOR_ID_STRLEN];
		uint32_t k = viz_layout_bin_first(l, B);
		if (k >= m->n_slots)
			break;
		uint32_t j = viz_model_slot_member(m, k);
		SDL_Color c =
		    (int32_t)j == ui->selected ? viz_col_accent : viz_col_dim;
		viz_text_fit(d->tx, VIZ_FONT_SMALL,
		             viz_member_short(m, j, buf, sizeof(buf)), 56, fit,
		             sizeof(fit));
		float mid = ((float)B + 0.5f) * l->cell;
		float w = viz_text_width(d->tx, VIZ_FONT_SMALL, fit);
		viz_text_draw(d->tx, VIZ_FONT_SMALL, l->mx - 12 - w,
		              l->my + mid - lh / 2, c, fit);
		viz_text_draw_up(d->tx, VIZ_FONT_SMALL, l->mx + mid - lh / 2,
		                 l->my - 12, c, fit);
	}
}

static void
outline(SDL_Renderer *r, float x, float y, float w, float h, SDL_Color c)
{
	SDL_FRect rc = {x, y, w, h};
	viz_set_color(r, c);
	SDL_RenderRect(r, &rc);
}

static void
highlight(struct viz_draw *d, const struct viz_model *m,
          const struct viz_ui *ui)
{
	const struct viz_layout *l = &d->l;
	float side = (float)l->bins * l->cell;
	if (ui->selected >= 0) {
		uint32_t k = m->members[ui->selected].slot;
		float p = (float)viz_layout_bin_of(l, k) * l->cell;
		/* outlines just outside the cells, which stay visible */
		outline(d->r, l->mx + p - 2, l->my - 2, l->cell + 4, side + 4,
		        viz_col_accent);
		outline(d->r, l->mx - 2, l->my + p - 2, side + 4, l->cell + 4,
		        viz_col_accent);
	}
	int32_t o = ui->cell_obs >= 0 ? ui->cell_obs : ui->hover_obs;
	int32_t j = ui->cell_obs >= 0 ? ui->selected : ui->hover;
	if (o >= 0 && j >= 0) {
		SDL_FPoint p = viz_layout_cell_pos(l, m->members[o].slot,
		                                   m->members[j].slot);
		outline(d->r, p.x - l->cell / 2 - 2, p.y - l->cell / 2 - 2,
		        l->cell + 4, l->cell + 4, viz_col_text);
	}
}

int
viz__draw_matrix(struct viz_draw *d, const struct viz_model *m,
                 const struct viz_ui *ui)
{
	const struct viz_layout *l = &d->l;
	viz_fill_rect(d->r, l->matrix.x, l->matrix.y, l->matrix.w, l->matrix.h,
	              viz_col_panel);
	viz__title(d, &l->matrix, "Membership matrix",
	           l->per_bin > 1 ? "row believes column (binned: worst)"
	                          : "row believes column");
	if (!l->bins)
		return 0;
	int err = texture_update(d, m);
	if (err)
		return err;
	SDL_FRect dst = {l->mx, l->my, (float)l->bins * l->cell,
	                 (float)l->bins * l->cell};
	SDL_RenderTexture(d->r, d->mtex, NULL, &dst);
	truth_strips(d, m);
	contradiction_dots(d, m);
	name_labels(d, m, ui);
	highlight(d, m, ui);
	return 0;
}
