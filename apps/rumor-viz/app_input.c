/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz window input: keys, mouse (select, seek, zoom, pan, the
 * detection rows), the member search, notes in the status bar.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app_internal.h"

static void
seek(struct app *a, int64_t t)
{
	int64_t d = viz_model_duration(a->m);
	a->ui->t = t < 0 ? 0 : t > d ? d : t;
	a->ui->follow = 0;
}

/* A note in the window for a few seconds. */
void
viz__app_note(struct app *a, const char *fmt, const char *arg)
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
		viz__app_note(a, "%s",
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
			viz__app_note(a, "%s",
			              "select a member first (click, or /)");
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
		viz__app_note(a, "saved %s", full);
	} else {
		viz__app_note(a, "could not save %s (see the terminal)", path);
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
			viz__app_note(a, "selected %s", a->m->members[j].id);
		} else {
			viz__app_note(a, "no member matches '%s'", a->search);
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

void
viz__app_handle(struct app *a, SDL_Event *e)
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
