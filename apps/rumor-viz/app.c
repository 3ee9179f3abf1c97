/*
 * rumor-viz interactive window: events, playback clock, follow mode.
 * Log time advances by wall time x speed; everything drawn is a function of
 * the playhead (viz_draw_frame).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"

#define POLL_CHUNK     2000 /* records read between clock checks */
#define POLL_MS        6    /* reading time per frame (loading, following) */
#define FRAME_MS       16.0 /* frames are at least this far apart */
#define IDLE_FOLLOW_MS 100  /* following: look for new lines this often */
#define IDLE_MS        1000 /* paused: wake up this often (notes expire) */
#define NOTE_MS        5000 /* a note stays this long */

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

/* Thread CPU time: frame cost even when the machine is shared. */
static double
cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
seek(struct app *a, int64_t t)
{
	int64_t d = viz_model_duration(a->m);
	a->ui->t = t < 0 ? 0 : t > d ? d : t;
	a->ui->follow = 0;
}

/* A note in the window for a few seconds. */
static void
note(struct app *a, const char *fmt, const char *arg)
{
	snprintf(a->note_buf, sizeof(a->note_buf), fmt, arg);
	a->ui->note = a->note_buf;
	a->ui->note_until = SDL_GetTicks() + NOTE_MS;
}

/* n / Shift+n: the next incident, its member selected. */
static void
step_incident(struct app *a, int dir)
{
	struct viz_incident in;
	if (!viz_model_step_incident(a->m, a->ui->t, dir, &in)) {
		note(a, "%s",
		     dir > 0 ? "no incident after this"
		             : "no incident before this");
		return;
	}
	seek(a, in.ts - a->m->ts0);
	a->ui->selected = in.member;
	a->ui->cell_obs = -1;
}

static void
step_event(struct app *a, int dir, int interesting)
{
	const struct viz_model *m = a->m;
	if (interesting) {
		if (a->ui->selected < 0) {
			note(a, "%s", "select a member first (click, or /)");
			return;
		}
		ptrdiff_t i =
		    viz_model_step_event(m, a->ui->t, dir, a->ui->selected);
		if (i >= 0)
			seek(a, m->ev[i].ts - m->ts0);
		return;
	}
	int64_t ts = m->ts0 + a->ui->t;
	size_t i = viz_model_upper(m, ts);
	if (dir > 0 && i < m->n_ev)
		seek(a, m->ev[i].ts - m->ts0);
	if (dir < 0) {
		while (i > 0 && m->ev[i - 1].ts >= ts)
			i--;
		if (i > 0)
			seek(a, m->ev[i - 1].ts - m->ts0);
	}
}

static void
save_frame(struct app *a)
{
	char path[64], dir[2048], full[2200];
	snprintf(path, sizeof(path), "rumor-viz-%lld.png", (long long)a->ui->t);
	if (viz_png_write_renderer(a->ren, path, 0) == 0) {
		fprintf(stderr, "rumor-viz: saved %s\n", path);
		if (!getcwd(dir, sizeof(dir)))
			snprintf(dir, sizeof(dir), ".");
		snprintf(full, sizeof(full), "%s/%s", dir, path);
		note(a, "saved %s", full);
	} else {
		note(a, "could not save %s (see the terminal)", path);
	}
}

/* Typing a member's name after '/': Enter selects, Esc cancels. */
static void
search_key(struct app *a, SDL_Keycode key)
{
	struct viz_ui *ui = a->ui;
	size_t n = strlen(a->search);
	if (key == SDLK_BACKSPACE && n) {
		a->search[n - 1] = 0;
		return;
	}
	if (key != SDLK_RETURN && key != SDLK_KP_ENTER && key != SDLK_ESCAPE)
		return;
	if (key != SDLK_ESCAPE) {
		int32_t other, j = viz_model_match(a->m, a->search, &other);
		if (j == -2)
			j = other; /* several: the last one named, say so */
		if (j >= 0) {
			ui->selected = j;
			ui->cell_obs = -1;
			note(a, "selected %s", a->m->members[j].id);
		} else {
			note(a, "no member matches '%s'", a->search);
		}
	}
	ui->search = NULL;
	SDL_StopTextInput(a->win);
}

static void
on_key(struct app *a, const SDL_KeyboardEvent *k)
{
	struct viz_ui *ui = a->ui;
	if (ui->search) {
		search_key(a, k->key);
		return;
	}
	int shift = (k->mod & SDL_KMOD_SHIFT) != 0;
	int ctrl = (k->mod & SDL_KMOD_CTRL) != 0;
	switch (k->key) {
	case SDLK_SPACE:
		if (!ui->playing && ui->t >= viz_model_duration(a->m) &&
		    !ui->follow)
			ui->t = 0;
		ui->playing = !ui->playing;
		break;
	case SDLK_RIGHT:
	case SDLK_LEFT: {
		int dir = k->key == SDLK_RIGHT ? 1 : -1;
		if (shift || ctrl)
			seek(a, ui->t + dir * (ctrl ? 10000 : 1000));
		else
			step_event(a, dir, 0);
		break;
	}
	case SDLK_HOME:
		seek(a, 0);
		break;
	case SDLK_END:
		seek(a, viz_model_duration(a->m));
		ui->follow = a->o->follow;
		break;
	case SDLK_EQUALS: /* '+' is Shift+'=' on US keyboards */
	case SDLK_PLUS:
	case SDLK_KP_PLUS:
		if (ui->speed < 64)
			ui->speed *= 2;
		break;
	case SDLK_MINUS:
	case SDLK_KP_MINUS:
		if (ui->speed > 0.125)
			ui->speed /= 2;
		break;
	case SDLK_N:
		step_incident(a, shift ? -1 : 1);
		break;
	case SDLK_E:
		step_event(a, shift ? -1 : 1, 1);
		break;
	case SDLK_V:
		ui->view = (enum viz_view)((ui->view + 1) % 3);
		break;
	case SDLK_F:
		ui->follow = !ui->follow;
		break;
	case SDLK_T:
		ui->show_trace = !ui->show_trace;
		break;
	case SDLK_S:
		save_frame(a);
		break;
	case SDLK_0:
		ui->view_t0 = ui->view_t1 = 0;
		break;
	case SDLK_SLASH:
		if (shift) {
			ui->show_help = !ui->show_help;
			break;
		}
		a->search[0] = 0;
		ui->search = a->search;
		SDL_StartTextInput(a->win);
		break;
	case SDLK_QUESTION:
		ui->show_help = !ui->show_help;
		break;
	case SDLK_ESCAPE:
		if (ui->show_help)
			ui->show_help = 0;
		else
			ui->selected = -1;
		break;
	case SDLK_Q:
		a->quit = 1;
		break;
	default:
		break;
	}
}

static int
in_rect(const SDL_FRect *r, float x, float y)
{
	return x >= r->x && y >= r->y && x < r->x + r->w && y < r->y + r->h;
}

static void
on_click(struct app *a, float x, float y)
{
	const struct viz_layout *l = viz_draw_layout(a->draw);
	uint32_t o, j;
	int32_t member;
	int64_t t;
	if (in_rect(&l->timeline, x, y)) {
		a->dragging = 1;
		seek(a, viz_layout_x_time(l, a->ui, a->m, x));
		return;
	}
	if (viz_draw_hit_detection(a->draw, x, y, &member, &t)) {
		seek(a, t);
		a->ui->selected = member;
		a->ui->cell_obs = -1;
		return;
	}
	if (a->ui->view != VIZ_VIEW_RING) {
		if (in_rect(&l->main, x, y))
			a->dragging = 2; /* pan the space-time view */
		a->drag_x = x;
		return;
	}
	int32_t hit = viz_layout_hit_member(l, a->m->n_slots, x, y);
	a->ui->cell_obs = -1;
	if (hit >= 0)
		hit = (int32_t)viz_model_slot_member(a->m, (uint32_t)hit);
	else if (viz_layout_hit_cell(l, a->m->n_slots, x, y, &o, &j)) {
		hit = (int32_t)viz_model_slot_member(a->m, j);
		a->ui->cell_obs = (int32_t)viz_model_slot_member(a->m, o);
	}
	if (hit >= 0)
		a->ui->selected =
		    hit == a->ui->selected && a->ui->cell_obs < 0 ? -1 : hit;
}

static void
on_motion(struct app *a, float x, float y)
{
	const struct viz_layout *l = viz_draw_layout(a->draw);
	uint32_t o, j;
	if (a->dragging == 2) { /* the view's time follows the mouse */
		double ms_per_px = (double)a->ui->st_span / l->main.w;
		seek(a, a->ui->t - (int64_t)((x - a->drag_x) * ms_per_px));
		a->drag_x = x;
		return;
	}
	if (a->dragging) {
		seek(a, viz_layout_x_time(l, a->ui, a->m, x));
		return;
	}
	if (a->ui->view != VIZ_VIEW_RING)
		return;
	int32_t k = viz_layout_hit_member(l, a->m->n_slots, x, y);
	a->ui->hover =
	    k >= 0 ? (int32_t)viz_model_slot_member(a->m, (uint32_t)k) : -1;
	a->ui->hover_obs = -1;
	if (a->ui->hover < 0 &&
	    viz_layout_hit_cell(l, a->m->n_slots, x, y, &o, &j)) {
		a->ui->hover = (int32_t)viz_model_slot_member(a->m, j);
		a->ui->hover_obs = (int32_t)viz_model_slot_member(a->m, o);
	}
}

/* Zoom the timeline by `f` around the time under x. */
static void
on_wheel(struct app *a, float x, float y, float dy)
{
	const struct viz_layout *l = viz_draw_layout(a->draw);
	struct viz_ui *ui = a->ui;
	if (ui->view == VIZ_VIEW_SPACETIME && in_rect(&l->main, x, y) && dy) {
		int64_t s = dy > 0 ? ui->st_span * 4 / 5 : ui->st_span * 5 / 4;
		ui->st_span = s < 100 ? 100 : s > 600000 ? 600000 : s;
		return;
	}
	if (!in_rect(&l->timeline, x, y) || dy == 0)
		return;
	int64_t d = viz_model_duration(a->m);
	int64_t v0 = viz_layout_x_time(l, ui, a->m, l->tl_x0);
	int64_t v1 = viz_layout_x_time(l, ui, a->m, l->tl_x1);
	int64_t c = viz_layout_x_time(l, ui, a->m, x);
	double f = dy > 0 ? 0.8 : 1.25;
	int64_t n0 = c - (int64_t)((double)(c - v0) * f);
	int64_t n1 = c + (int64_t)((double)(v1 - c) * f);
	if (n1 - n0 < 200)
		return;
	ui->view_t0 = n0 < 0 ? 0 : n0;
	ui->view_t1 = n1 > d ? d : n1;
	if (ui->view_t0 == 0 && ui->view_t1 == d)
		ui->view_t0 = ui->view_t1 = 0;
}

static void
handle(struct app *a, SDL_Event *e)
{
	/* everything but motion that changes nothing redraws */
	if (e->type != SDL_EVENT_MOUSE_MOTION)
		a->dirty = 1;
	switch (e->type) {
	case SDL_EVENT_QUIT:
		a->quit = 1;
		break;
	case SDL_EVENT_KEY_DOWN:
		on_key(a, &e->key);
		break;
	case SDL_EVENT_TEXT_INPUT:
		if (a->ui->search && strlen(a->search) + strlen(e->text.text) <
		                         sizeof(a->search))
			strcat(a->search, e->text.text);
		break;
	case SDL_EVENT_MOUSE_BUTTON_DOWN:
		if (e->button.button == SDL_BUTTON_LEFT)
			on_click(a, e->button.x, e->button.y);
		break;
	case SDL_EVENT_MOUSE_BUTTON_UP:
		a->dragging = 0;
		break;
	case SDL_EVENT_MOUSE_MOTION: {
		struct viz_ui before = *a->ui;
		on_motion(a, e->motion.x, e->motion.y);
		a->dirty |= before.hover != a->ui->hover ||
		            before.hover_obs != a->ui->hover_obs ||
		            before.t != a->ui->t;
		break;
	}
	case SDL_EVENT_MOUSE_WHEEL:
		on_wheel(a, e->wheel.mouse_x, e->wheel.mouse_y, e->wheel.y);
		break;
	default:
		break;
	}
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
			handle(a, &e);
	}
	while (SDL_PollEvent(&e))
		handle(a, &e);
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
