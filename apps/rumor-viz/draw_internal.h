/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz drawing context shared by the draw_*.c files.
 */
#ifndef RUMOR_VIZ_DRAW_INTERNAL_H
#define RUMOR_VIZ_DRAW_INTERNAL_H

#include "render.h"

/* A row of the panel's detection list, for clicks. */
struct viz_det_row {
	float y0, y1;
	int32_t member;
	int64_t t; /**< when it happened, ms since the first line */
};
#define VIZ_DET_ROWS 64

struct viz_draw {
	SDL_Renderer *r;
	struct viz_det_row det[VIZ_DET_ROWS];
	size_t n_det;
	struct viz_text *tx;
	struct viz_layout l;
	int w, h;

	/* membership matrix as one streaming texture (bins x bins) */
	SDL_Texture *mtex;
	uint32_t mtex_bins;
	uint64_t mtex_version;
	int64_t mtex_t;
	uint32_t *mpix;

	/* what the others believe about each member, per state version */
	uint32_t (*op)[VIZ_B_MAX];
	uint32_t op_n;
	uint64_t op_version;
	int64_t op_t;

	/* timeline tick columns: per lane, event kind + 1 per pixel (0 none) */
	uint8_t *ticks[3];
	uint32_t *tick_n[3]; /* events per pixel column */
	uint32_t tick_max[3];
	int ticks_w;
	size_t ticks_n_ev;
	int64_t ticks_t0, ticks_t1;
};

/** Panel title at the top left of r and a dim subtitle after it. */
void viz__title(struct viz_draw *d, const SDL_FRect *r, const char *title,
                const char *sub);

/** Dissemination curve of a crash or leave in box (draw_curve.c). */
void viz__draw_curve(struct viz_draw *d, const struct viz_model *m,
                     const struct viz_ui *ui, SDL_FRect box);

/** The space-time view and the plots in the main area. */
void viz__draw_spacetime(struct viz_draw *d, const struct viz_model *m,
                         const struct viz_ui *ui);
void viz__draw_plots(struct viz_draw *d, const struct viz_model *m,
                     const struct viz_ui *ui);
/** The selected (or hovered) matrix cell's belief path on the ring and
 * the hovered cell's tooltip. */
void viz__draw_path(struct viz_draw *d, const struct viz_model *m,
                    const struct viz_ui *ui);

/** Refresh d->op for m->cur (cached by state version). */
int viz__opinions(struct viz_draw *d, const struct viz_model *m);

#endif
