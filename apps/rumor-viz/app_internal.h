/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz window internals shared by app.c (loop, loading, pacing) and
 * app_input.c (keys, mouse, search).
 */
#ifndef RUMOR_VIZ_APP_INTERNAL_H
#define RUMOR_VIZ_APP_INTERNAL_H

#include "app.h"

#define NOTE_MS 5000 /* a note stays this long */

struct app {
	struct viz_model *m;
	struct viz_load *ld;
	struct viz_ui *ui;
	const struct viz_app_opts *o;
	SDL_Window *win;
	SDL_Renderer *ren;
	struct viz_draw *draw;
	int dragging, quit;
	float drag_x;
	int dirty; /**< something changed: draw a frame */
	char note_buf[3200];
	char search[80];
	double frame_ms, frame_max, frame_cpu;
	long frames;
};

/** Handle one SDL event (marks a->dirty when the frame must change). */
void viz__app_handle(struct app *a, SDL_Event *e);
/** Show fmt (with one %s, arg) in the status bar for NOTE_MS. */
void viz__app_note(struct app *a, const char *fmt, const char *arg);

#endif
