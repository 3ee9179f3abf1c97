/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz interactive window: events, playback clock, follow mode.
 * Log time advances by wall time x speed; everything drawn is a function of
 * the playhead (viz_draw_frame).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app_internal.h"

#define POLL_CHUNK     2000 /* records read between clock checks */
#define POLL_MS        6    /* reading time per frame (loading, following) */
#define FRAME_MS       16.0 /* frames are at least this far apart */
#define IDLE_FOLLOW_MS 100  /* following: look for new lines this often */
#define IDLE_MS        1000 /* paused: wake up this often (notes expire) */

/* Thread CPU time: frame cost even when the machine is shared. */
static double
cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Read appended (or not yet loaded) lines for at most POLL_MS. */
static void
read_more(struct app *a)
{
	struct viz_ui *ui = a->ui;
	/* the playhead waits at the end of what is loaded: read longer */
	int wait = ui->loading && ui->t >= viz_model_duration(a->m);
	Uint64 until = SDL_GetTicksNS() + (wait ? 40 : POLL_MS) * 1000000ull;
	long n;
	size_t n_ev = a->m->n_ev, n_msgs = a->m->n_msgs;
	int64_t last = a->m->ts_last;
	do {
		n = viz_load_poll(a->ld, a->m, POLL_CHUNK);
	} while (n == POLL_CHUNK && SDL_GetTicksNS() < until);
	if (n >= 0 && n < POLL_CHUNK && !a->o->follow) {
		ui->loading = 0;
		ui->stable = 0;
		a->dirty = 1;
	}
	if (a->m->n_ev != n_ev || a->m->n_msgs != n_msgs ||
	    a->m->ts_last != last)
		a->dirty = 1;
	if (a->ld->n_errors)
		ui->note = a->ld->last_error;
}

static void
advance(struct app *a, double dt_ms)
{
	struct viz_ui *ui = a->ui;
	if (a->ld && a->ld->reader && (a->o->follow || ui->loading))
		read_more(a);
	int64_t d = viz_model_duration(a->m);
	if (ui->follow) {
		a->dirty |= ui->t != d;
		ui->t = d;
		return;
	}
	if (!ui->playing)
		return;
	a->dirty = 1;
	ui->t += (int64_t)(dt_ms * ui->speed);
	if (ui->t >= d) {
		ui->t = d;
		if (!a->o->follow && !ui->loading)
			ui->playing = 0;
	}
}

/* Something moves on its own: playing, loading, dragging. */
static int
animating(const struct app *a)
{
	const struct viz_ui *ui = a->ui;
	return ui->playing || ui->loading || a->dragging || a->dirty;
}

/*
 * Handle what is queued. When nothing animates, sleep in the event queue
 * (no frame is drawn until something changes): up to IDLE_FOLLOW_MS when
 * following growing logs (then look for new lines), else until an event,
 * or until a status note expires.
 */
static void
wait_events(struct app *a)
{
	SDL_Event e;
	if (!animating(a)) {
		Sint32 ms = a->o->follow ? IDLE_FOLLOW_MS : IDLE_MS;
		if (SDL_WaitEventTimeout(&e, ms))
			viz__app_handle(a, &e);
	}
	while (SDL_PollEvent(&e))
		viz__app_handle(a, &e);
	if (a->ui->note_until && SDL_GetTicks() >= a->ui->note_until) {
		a->ui->note_until = 0;
		a->ui->note = NULL;
		a->dirty = 1;
	}
}

static int
app_open(struct app *a)
{
	if (!SDL_Init(SDL_INIT_VIDEO)) {
		fprintf(stderr,
		        "rumor-viz: cannot open a window: %s (no display? "
		        "--render, --frames and --dump-state work without "
		        "one)\n",
		        SDL_GetError());
		return -1;
	}
	if (!SDL_CreateWindowAndRenderer("rumor-viz", a->o->w, a->o->h,
	                                 SDL_WINDOW_RESIZABLE, &a->win,
	                                 &a->ren)) {
		fprintf(stderr, "rumor-viz: cannot open a window: %s\n",
		        SDL_GetError());
		return -1;
	}
	/* --stats measures how fast frames can be drawn: no vsync wait */
	SDL_SetRenderVSync(a->ren, a->o->stats ? 0 : 1);
	a->draw = viz_draw_new(a->ren, a->o->font);
	return a->draw ? 0 : -1;
}

static void
app_close(struct app *a)
{
	if (a->o->stats && a->frames)
		fprintf(stderr,
		        "rumor-viz: %ld frames, draw+present %.2f ms avg "
		        "(%.2f ms CPU), %.2f ms max (renderer %s, no "
		        "vsync)\n",
		        a->frames, a->frame_ms / (double)a->frames,
		        a->frame_cpu / (double)a->frames, a->frame_max,
		        SDL_GetRendererName(a->ren));
	viz_draw_free(a->draw);
	if (a->ren)
		SDL_DestroyRenderer(a->ren);
	if (a->win)
		SDL_DestroyWindow(a->win);
	SDL_Quit();
}

int
viz_app_run(struct viz_model *m, struct viz_load *ld, struct viz_ui *ui,
            const struct viz_app_opts *o)
{
	struct app a = {.m = m, .ld = ld, .ui = ui, .o = o};
	if (app_open(&a)) {
		app_close(&a);
		return 1;
	}
	Uint64 last = SDL_GetTicksNS();
	a.dirty = 1;
	while (!a.quit) {
		wait_events(&a);
		Uint64 now = SDL_GetTicksNS();
		double cpu0 = cpu_ms();
		advance(&a, (double)(now - last) / 1e6);
		last = now;
		if (!a.dirty)
			continue;
		if (viz_draw_frame(a.draw, m, ui)) {
			fprintf(stderr, "rumor-viz: out of memory\n");
			break;
		}
		SDL_RenderPresent(a.ren);
		a.dirty = 0;
		double ms = (double)(SDL_GetTicksNS() - now) / 1e6;
		a.frame_ms += ms;
		a.frame_cpu += cpu_ms() - cpu0;
		a.frame_max = ms > a.frame_max ? ms : a.frame_max;
		a.frames++;
		if (o->quit_after && a.frames >= o->quit_after)
			a.quit = 1;
		/* no more than ~60 frames a second, vsync or not */
		if (!o->stats && ms < FRAME_MS)
			SDL_DelayNS((Uint64)((FRAME_MS - ms) * 1e6));
	}
	app_close(&a);
	return 0;
}
