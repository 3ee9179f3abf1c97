/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz headless output (--render, --frames): SDL_CreateSoftwareRenderer
 * on a surface needs neither SDL_Init(VIDEO) nor a display.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "headless.h"

int
viz_canvas_open(struct viz_canvas *c, int w, int h, const char *font)
{
	memset(c, 0, sizeof(*c));
	c->surface = SDL_CreateSurface(w, h, SDL_PIXELFORMAT_XRGB8888);
	if (c->surface)
		c->renderer = SDL_CreateSoftwareRenderer(c->surface);
	if (c->renderer)
		c->draw = viz_draw_new(c->renderer, font);
	if (!c->draw) {
		fprintf(stderr, "rumor-viz: cannot create a %dx%d canvas: %s\n",
		        w, h, SDL_GetError());
		viz_canvas_close(c);
		return -1;
	}
	return 0;
}

void
viz_canvas_close(struct viz_canvas *c)
{
	viz_draw_free(c->draw);
	if (c->renderer)
		SDL_DestroyRenderer(c->renderer);
	if (c->surface)
		SDL_DestroySurface(c->surface);
	memset(c, 0, sizeof(*c));
}

int
viz_canvas_draw(struct viz_canvas *c, struct viz_model *m,
                const struct viz_ui *ui)
{
	if (viz_draw_frame(c->draw, m, ui)) {
		fprintf(stderr, "rumor-viz: drawing failed: out of memory\n");
		return -1;
	}
	SDL_FlushRenderer(c->renderer);
	return 0;
}

int
viz_headless_render(struct viz_model *m, const struct viz_ui *ui, int w, int h,
                    const char *font, const char *path)
{
	struct viz_canvas c;
	if (viz_canvas_open(&c, w, h, font))
		return -1;
	int rc = viz_canvas_draw(&c, m, ui);
	if (!rc)
		rc = viz_png_write_renderer(c.renderer, path, 0);
	viz_canvas_close(&c);
	return rc;
}

static double
now_ms(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int
viz_headless_frames(struct viz_model *m, struct viz_ui *ui, int w, int h,
                    const char *font, const char *dir, double fps, int64_t from,
                    int64_t to, int stats)
{
	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "rumor-viz: --frames %s: %s\n", dir,
		        strerror(errno));
		return -1;
	}
	struct viz_canvas c;
	if (viz_canvas_open(&c, w, h, font))
		return -1;
	/* CPU time too: the machine may be shared, wall time then lies */
	double draw_ms = 0, draw_max = 0, draw_cpu = 0, png_ms = 0;
	long n = 0;
	int rc = 0;
	for (; rc == 0; n++) {
		int64_t t = from + (int64_t)llround((double)n * 1000.0 / fps);
		if (t > to)
			break;
		char path[4096];
		snprintf(path, sizeof(path), "%s/frame-%06ld.png", dir, n);
		ui->t = t;
		double t0 = now_ms(CLOCK_MONOTONIC);
		double c0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
		rc = viz_canvas_draw(&c, m, ui);
		double t1 = now_ms(CLOCK_MONOTONIC);
		draw_cpu += now_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
		if (!rc)
			rc = viz_png_write_renderer(c.renderer, path, 1);
		draw_ms += t1 - t0;
		draw_max = fmax(draw_max, t1 - t0);
		png_ms += now_ms(CLOCK_MONOTONIC) - t1;
	}
	if (stats && n)
		fprintf(stderr,
		        "rumor-viz: %ld frames %dx%d, %u members: draw %.2f ms "
		        "avg (%.2f ms CPU), %.2f ms max; png %.2f ms avg\n",
		        n, w, h, m->n_members, draw_ms / (double)n,
		        draw_cpu / (double)n, draw_max, png_ms / (double)n);
	viz_canvas_close(&c);
	return rc;
}
