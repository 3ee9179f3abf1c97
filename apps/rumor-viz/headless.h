/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz headless output: frames drawn by the software renderer into a
 * surface (no video driver, no window, byte-identical run to run).
 */
#ifndef RUMOR_VIZ_HEADLESS_H
#define RUMOR_VIZ_HEADLESS_H

#include "render.h"

/** An off-screen canvas of w x h pixels. */
struct viz_canvas {
	SDL_Surface *surface;
	SDL_Renderer *renderer;
	struct viz_draw *draw;
};

/**
 * Create a canvas (font: TTF path or NULL). Returns 0, or -1 with a message
 * on stderr.
 */
int viz_canvas_open(struct viz_canvas *c, int w, int h, const char *font);
void viz_canvas_close(struct viz_canvas *c);
/** Draw m at ui->t and flush, so c->surface holds the frame. 0 or -1. */
int viz_canvas_draw(struct viz_canvas *c, struct viz_model *m,
                    const struct viz_ui *ui);

/** --render: one PNG at ui->t. Returns 0 or -1 (message on stderr). */
int viz_headless_render(struct viz_model *m, const struct viz_ui *ui, int w,
                        int h, const char *font, const char *path);

/**
 * --frames: PNGs DIR/frame-000000.png ... from `from` to `to` (ms, both
 * included) every 1000/fps ms of log time. stats != 0 prints draw and
 * encode times. Returns 0 or -1.
 */
int viz_headless_frames(struct viz_model *m, struct viz_ui *ui, int w, int h,
                        const char *font, const char *dir, double fps,
                        int64_t from, int64_t to, int stats);

#endif
