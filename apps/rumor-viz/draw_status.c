/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz status bar (time in log and wall clock, state, members as
 * known, warnings), the member search box and the help overlay.
 */
#include <stdio.h>
#include <string.h>

#include "draw_internal.h"
#include "timearg.h"

/* "members 5: 4 running, 1 silent" over the versions shown. */
static void
members_text(const struct viz_draw *d, const struct viz_model *m, char *buf,
             size_t len)
{
	uint32_t n[VIZ_T_MAX] = {0}, suspected = 0, failed = 0;
	for (uint32_t k = 0; k < m->n_slots; k++) {
		uint32_t j = viz_model_slot_member(m, k);
		n[viz_state_truth(&m->cur, j)]++;
		suspected += d->op[j][VIZ_B_SUSPECT] > 0;
		failed += d->op[j][VIZ_B_FAILED] > 0;
	}
	size_t at = (size_t)snprintf(buf, len, "members %u:", m->n_slots);
	static const enum viz_truth order[] = {
	    VIZ_T_RUNNING, VIZ_T_SILENT,  VIZ_T_UNKNOWN, VIZ_T_CRASHED,
	    VIZ_T_LEFT,    VIZ_T_STOPPED, VIZ_T_UNSEEN};
	const char *sep = " ";
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!n[order[i]] || at >= len)
			continue;
		at += (size_t)snprintf(
		    buf + at, len - at, "%s%u %s", sep, n[order[i]],
		    order[i] == VIZ_T_UNSEEN ? "not started"
		                             : viz_truth_name(order[i]));
		sep = ", ";
	}
	if (at < len)
		snprintf(buf + at, len - at,
		         "    suspected by someone %u    failed by someone %u",
		         suspected, failed);
}

void
viz__draw_status(struct viz_draw *d, const struct viz_model *m,
                 const struct viz_ui *ui)
{
	char a[32], b[32], wall[48], mem[200], buf[600], fit[600];
	viz_fill_rect(d->r, 0, 0, (float)d->w, 30, viz_col_panel);
	members_text(d, m, mem, sizeof(mem));
	viz_wall_time(m, m->ts0 + m->cur_t, wall, sizeof(wall));
	const char *state = ui->follow    ? "LIVE"
	                    : ui->playing ? "PLAYING"
	                                  : "PAUSED";
	snprintf(buf, sizeof(buf), "t = %s / %s%s%s%s    x%g    %s%s    %s",
	         viz_time_format(m->cur_t, a, sizeof(a)),
	         viz_time_format(viz_model_duration(m), b, sizeof(b)),
	         *wall ? "  (" : "", wall, *wall ? ")" : "", ui->speed, state,
	         ui->loading ? "  LOADING" : "", mem);
	const char *h = "? help";
	float hw = viz_text_width(d->tx, VIZ_FONT_NORMAL, h);
	float room = (float)d->w - hw - 34;
	/* warnings first: they must not be cut off */
	const char *warn = ui->note_until    ? ui->note
	                   : m->skew_text[0] ? m->skew_text
	                   : !m->has_truth && m->has_ts0
	                       ? "no ground truth in these logs"
	                       : NULL;
	if (warn) {
		char wf[300];
		SDL_Color wc = ui->note_until ? viz_col_accent
		                              : viz_belief_color[VIZ_B_SUSPECT];
		viz_text_fit(d->tx, VIZ_FONT_NORMAL, warn, room * 0.45f, wf,
		             sizeof(wf));
		float ww = viz_text_width(d->tx, VIZ_FONT_NORMAL, wf);
		viz_text_draw(d->tx, VIZ_FONT_NORMAL, 10 + room - ww, 6, wc,
		              wf);
		room -= ww + 20;
	}
	viz_text_fit(d->tx, VIZ_FONT_NORMAL, buf, room, fit, sizeof(fit));
	viz_text_draw(d->tx, VIZ_FONT_NORMAL, 10, 6, viz_col_text, fit);
	viz_text_draw(d->tx, VIZ_FONT_NORMAL, (float)d->w - 10 - hw, 6,
	              viz_col_dim, h);
	if (ui->search) {
		float y = (float)d->h - 34;
		viz_fill_rect(d->r, 8, y, 420, 26, viz_col_bg);
		viz_text_drawf(d->tx, VIZ_FONT_NORMAL, 14, y + 5,
		               viz_col_accent, "find member: %s_", ui->search);
	}
}

static const char *const help_lines[][2] = {
    {"Space", "play / pause"},
    {"Right / Left", "next / previous event"},
    {"Shift+Right / Left", "seek 1 s (Ctrl: 10 s)"},
    {"Home / End", "start / end (End rejoins the live head)"},
    {"+ / -", "speed x2 / half (0.125x to 64x)"},
    {"n / Shift+n", "next / previous incident: crash, restart, leave,"},
    {"", "silence, partition, heal (jumps there, selects it)"},
    {"e / Shift+e", "next / previous event of the selected member"},
    {"/", "find a member by (part of) its id; Enter selects"},
    {"v", "view: ring + matrix, space-time, plots"},
    {"f", "follow growing logs on / off"},
    {"t", "message arrows on / off"},
    {"s", "save this frame as rumor-viz-<ms>.png"},
    {"click", "member: details; matrix cell: how that belief spread"},
    {"", "detection row: jump to it; wheel/drag: space-time zoom/pan"},
    {"click / drag", "on the timeline: seek"},
    {"wheel / 0", "zoom the timeline around the mouse / whole log"},
    {"Esc / q / ?", "clear selection / quit / this help"},
};

void
viz__draw_help(struct viz_draw *d)
{
	size_t n = sizeof(help_lines) / sizeof(help_lines[0]);
	float w = 600, h = 56 + 20 * (float)n;
	float x = ((float)d->w - w) / 2, y = ((float)d->h - h) / 2;
	SDL_Color bg = viz_col_bg;
	bg.a = 245;
	viz_fill_rect(d->r, x, y, w, h, bg);
	viz_set_color(d->r, viz_col_accent);
	SDL_FRect rc = {x, y, w, h};
	SDL_RenderRect(d->r, &rc);
	viz_text_draw(d->tx, VIZ_FONT_BIG, x + 16, y + 10, viz_col_accent,
	              "rumor-viz keys");
	for (size_t i = 0; i < n; i++) {
		float ly = y + 42 + 20 * (float)i;
		viz_text_draw(d->tx, VIZ_FONT_NORMAL, x + 16, ly,
		              viz_col_accent, help_lines[i][0]);
		viz_text_draw(d->tx, VIZ_FONT_NORMAL, x + 180, ly, viz_col_text,
		              help_lines[i][1]);
	}
}
