/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz export of a time range as an animated GIF (giflib).
 */
#ifndef RUMOR_VIZ_EXPORT_H
#define RUMOR_VIZ_EXPORT_H

#include "render.h"

/**
 * --video: frames from `from` to `to` (ms since the first line, both
 * included) every 1000/fps ms of log time into an animated GIF at path
 * (w x h, looping, 1/fps s a frame). path is replaced only when complete.
 * Returns 0, or -1 with a message on stderr naming path and the cause.
 */
int viz_export_gif(struct viz_model *m, struct viz_ui *ui, int w, int h,
                   const char *font, const char *path, double fps, int64_t from,
                   int64_t to);

#endif
