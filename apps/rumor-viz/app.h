/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz interactive window.
 */
#ifndef RUMOR_VIZ_APP_H
#define RUMOR_VIZ_APP_H

#include "load.h"
#include "render.h"

struct viz_app_opts {
	int w, h;
	const char *font;
	int follow;      /**< --follow given: End rejoins the live head */
	int stats;       /**< print frame times at exit */
	long quit_after; /**< quit after this many frames (tests); 0 never */
	int play;        /**< start playing */
};

/**
 * Open a window and play m (ld keeps reading when following) until the
 * user quits. Returns the exit status: 0, or 1 when no window could be
 * opened (message on stderr).
 */
int viz_app_run(struct viz_model *m, struct viz_load *ld, struct viz_ui *ui,
                const struct viz_app_opts *o);

#endif
