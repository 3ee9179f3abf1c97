/*
 * rumor-viz membership matrix: rows are observers, columns members, each
 * cell what that observer believes now. Drawn as one streaming texture of
 * bins x bins texels scaled by an integer factor with nearest sampling
 * (exact colours at cell centres); above ~500 members one texel covers
 * several cells and shows the most alarming belief among them (failed >
 * suspect > left > removed > alive > unknown). Rows of observers that are
 * not running are dimmed. Strips above and left show the true state; a
 * white corner dot marks a belief that contradicts it.
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
bin_belief(const struct viz_state *s, const struct viz_layout *l, uint32_t R,
           uint32_t C, int *dim)
{
	enum viz_belief best = VIZ_B_UNKNOWN, best_dead = VIZ_B_UNKNOWN;
	int any_running = 0;
	uint32_t o1 = viz_layout_bin_first(l, R + 1);
	uint32_t j0 = viz_layout_bin_first(l, C);
	uint32_t j1 = viz_layout_bin_first(l, C + 1);
	for (uint32_t o = viz_layout_bin_first(l, R); o < o1; o++) {
		int run = s->truth[o] == VIZ_T_RUNNING;
		any_running |= run;
		const uint8_t *row = s->belief + (size_t)o * s->cap;
		for (uint32_t j = j0; j < j1; j++) {
			enum viz_belief b = row[j];
			enum viz_belief *t = run ? &best : &best_dead;
			if (alarm[b] > alarm[*t])
				*t = b;
		}
	}
	*dim = !any_running;
	return any_running ? best : best_dead;
}

static int
texture_update(struct viz_draw *d, const struct viz_model *m)
{
	const struct viz_layout *l = &d->l;
	const struct viz_state *s = &m->cur;
	uint32_t bins = l->bins;
	if (!d->mtex || d->mtex_bins != bins) {
		if (d->mtex)
			SDL_DestroyTexture(d->mtex);
		free(d->mpix);
		d->mtex = SDL_CreateTexture(d->r, SDL_PIXELFORMAT_ARGB8888,
		                            SDL_TEXTUREACCESS_STREAMING,
		                            (int)bins, (int)bins);
		d->mpix = malloc((size_t)bins * bins * sizeof(uint32_t));
		if (!d->mtex || !d->mpix)
			return RUMOR_ENOMEM;
		SDL_SetTextureScaleMode(d->mtex, SDL_SCALEMODE_NEAREST);
		SDL_SetTextureBlendMode(d->mtex, SDL_BLENDMODE_NONE);
		d->mtex_bins = bins;
		d->mtex_version = UINT64_MAX;
	}
	if (d->mtex_version == s->version && d->mtex_t == m->cur_t)
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
			enum viz_belief b = bin_belief(s, l, R, C, &dim);
			d->mpix[(size_t)R * bins + C] =
			    dim ? dimmed[b] : lit[b];
		}
	SDL_UpdateTexture(d->mtex, NULL, d->mpix, (int)(bins * 4));
	d->mtex_version = s->version;
	d->mtex_t = m->cur_t;
	return 0;
}

static enum viz_truth
bin_truth(const struct viz_state *s, const struct viz_layout *l, uint32_t B)
{
	static const uint8_t rank[VIZ_T_MAX] = {0, 1, 3, 2, 4};
	enum viz_truth best = VIZ_T_UNSEEN;
	uint32_t j1 = viz_layout_bin_first(l, B + 1);
	for (uint32_t j = viz_layout_bin_first(l, B); j < j1; j++)
		if (rank[s->truth[j]] > rank[best])
			best = s->truth[j];
	return best;
}

static void
truth_strips(struct viz_draw *d, const struct viz_model *m)
{
	const struct viz_layout *l = &d->l;
	for (uint32_t B = 0; B < l->bins; B++) {
		SDL_Color c = viz_truth_color[bin_truth(&m->cur, l, B)];
		float p = (float)B * l->cell;
		viz_fill_rect(d->r, l->mx + p, l->my - 9, l->cell, 6, c);
		viz_fill_rect(d->r, l->mx - 9, l->my + p, 6, l->cell, c);
	}
}

static int
contradicts(enum viz_truth t, enum viz_belief b)
{
	return (t == VIZ_T_RUNNING &&
	        (b == VIZ_B_FAILED || b == VIZ_B_LEFT || b == VIZ_B_SUSPECT)) ||
	       ((t == VIZ_T_CRASHED || t == VIZ_T_LEFT) && b == VIZ_B_ALIVE);
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
	for (uint32_t o = 0; o < m->n_members; o++) {
		if (s->truth[o] != VIZ_T_RUNNING)
			continue;
		for (uint32_t j = 0; j < m->n_members; j++) {
			if (j == o || !contradicts(s->truth[j],
			                           viz_state_belief(s, o, j)))
				continue;
			SDL_FRect rc = {l->mx + (float)j * l->cell + 1,
			                l->my + (float)o * l->cell + 1, dot,
			                dot};
			SDL_RenderFillRect(d->r, &rc);
		}
	}
}

static void
index_labels(struct viz_draw *d, const struct viz_model *m)
{
	const struct viz_layout *l = &d->l;
	uint32_t step = 1;
	while ((float)step * l->cell < 26)
		step = step < 5 ? 5 : step * 2;
	for (uint32_t B = 0; B < l->bins; B += step) {
		char buf[16];
		uint32_t j = viz_layout_bin_first(l, B);
		if (j >= m->n_members)
			break;
		snprintf(buf, sizeof(buf), "%u", j);
		float x = l->mx + ((float)B + 0.5f) * l->cell -
		          viz_text_width(d->tx, VIZ_FONT_SMALL, buf) / 2;
		viz_text_draw(d->tx, VIZ_FONT_SMALL, x, l->my - 25, viz_col_dim,
		              buf);
		float w = viz_text_width(d->tx, VIZ_FONT_SMALL, buf);
		viz_text_draw(d->tx, VIZ_FONT_SMALL, l->mx - 12 - w,
		              l->my + ((float)B + 0.5f) * l->cell - 7,
		              viz_col_dim, buf);
	}
}

static void
highlight(struct viz_draw *d, const struct viz_ui *ui)
{
	const struct viz_layout *l = &d->l;
	float side = (float)l->bins * l->cell;
	SDL_Color c = viz_col_accent;
	viz_set_color(d->r, c);
	if (ui->selected >= 0) {
		float x = l->mx +
		          (float)viz_layout_bin_of(l, (uint32_t)ui->selected) *
		              l->cell;
		/* outlines just outside the cells, which stay visible */
		SDL_FRect col = {x - 2, l->my - 2, l->cell + 4, side + 4};
		SDL_FRect row = {
		    l->mx - 2,
		    l->my - 2 +
		        (float)viz_layout_bin_of(l, (uint32_t)ui->selected) *
		            l->cell,
		    side + 4, l->cell + 4};
		SDL_RenderRect(d->r, &col);
		SDL_RenderRect(d->r, &row);
	}
	if (ui->hover_obs >= 0 && ui->hover >= 0) {
		SDL_FPoint p = viz_layout_cell_pos(l, (uint32_t)ui->hover_obs,
		                                   (uint32_t)ui->hover);
		SDL_FRect rc = {p.x - l->cell / 2 - 1, p.y - l->cell / 2 - 1,
		                l->cell + 2, l->cell + 2};
		viz_set_color(d->r, viz_col_text);
		SDL_RenderRect(d->r, &rc);
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
	           l->per_bin > 1 ? "rows: observers, columns: members "
	                            "(binned: worst belief shown)"
	                          : "rows: observers, columns: members");
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
	index_labels(d, m);
	highlight(d, ui);
	return 0;
}
