/*
 * rumor-viz side panel (legend; the selected member's details, or the list
 * of detections), status bar and help overlay.
 */
#include <stdio.h>
#include <string.h>

#include "draw_internal.h"
#include "timearg.h"

#define EVENTS_SHOWN 14
#define EVENTS_SCAN  200000 /* events searched backwards for the list */

struct pen {
	struct viz_draw *d;
	float x, y, w;
};

static void
line(struct pen *p, enum viz_font f, SDL_Color c, const char *s)
{
	viz_text_draw(p->d->tx, f, p->x, p->y, c, s);
	p->y += viz_text_height(p->d->tx, f) + 2;
}

static float
swatch(struct pen *p, float x, SDL_Color c, const char *label)
{
	viz_fill_rect(p->d->r, x, p->y + 3, 10, 10, c);
	return x + 14 +
	       viz_text_draw(p->d->tx, VIZ_FONT_SMALL, x + 14, p->y,
	                     viz_col_text, label) +
	       10;
}

static void
legend(struct pen *p)
{
	line(p, VIZ_FONT_SMALL, viz_col_dim, "true state");
	float x = p->x;
	x = swatch(p, x, viz_truth_color[VIZ_T_RUNNING], "running");
	x = swatch(p, x, viz_truth_color[VIZ_T_CRASHED], "crashed");
	x = swatch(p, x, viz_truth_color[VIZ_T_LEFT], "left");
	swatch(p, x, viz_truth_color[VIZ_T_STOPPED], "stopped");
	p->y += 18;
	line(p, VIZ_FONT_SMALL, viz_col_dim, "belief");
	x = p->x;
	x = swatch(p, x, viz_belief_color[VIZ_B_ALIVE], "alive");
	x = swatch(p, x, viz_belief_color[VIZ_B_SUSPECT], "suspect");
	swatch(p, x, viz_belief_color[VIZ_B_FAILED], "failed");
	p->y += 18;
	x = p->x;
	x = swatch(p, x, viz_belief_color[VIZ_B_LEFT], "left");
	x = swatch(p, x, viz_belief_color[VIZ_B_REMOVED], "removed");
	swatch(p, x, viz_belief_color[VIZ_B_UNKNOWN], "unknown");
	p->y += 20;
	line(p, VIZ_FONT_SMALL, viz_col_dim,
	     "white dot: belief contradicts truth");
	line(p, VIZ_FONT_SMALL, viz_col_dim,
	     "white cross: crash nobody noticed");
	p->y += 6;
}

static const char *
ev_text(const struct viz_model *m, const struct viz_event *e, char *buf,
        size_t len)
{
	char a[RUMOR_ID_STRLEN], b[RUMOR_ID_STRLEN], t[32];
	const char *who =
	    e->node >= 0 ? viz_member_short(m, (uint32_t)e->node, a, sizeof(a))
	                 : "(truth)";
	const char *what =
	    e->member >= 0
	        ? viz_member_short(m, (uint32_t)e->member, b, sizeof(b))
	        : "";
	const char *via = viz_via_name(m, e->via);
	snprintf(buf, len, "%s  %s %s %s%s%s",
	         viz_time_format(e->ts - m->ts0, t, sizeof(t)), who,
	         rumor_log_ev_name((enum rumor_log_ev)e->ev), what,
	         *via ? " via " : "", via);
	return buf;
}

/* "title: 198 alive, 2 suspect", the non-zero counts only, wrapped. */
static void
counts_line(struct pen *p, const char *title, const uint32_t c[VIZ_B_MAX])
{
	static const enum viz_belief order[VIZ_B_MAX] = {
	    VIZ_B_ALIVE, VIZ_B_SUSPECT, VIZ_B_FAILED,
	    VIZ_B_LEFT,  VIZ_B_REMOVED, VIZ_B_UNKNOWN};
	float lh = viz_text_height(p->d->tx, VIZ_FONT_SMALL) + 2;
	float x = p->x +
	          viz_text_draw(p->d->tx, VIZ_FONT_SMALL, p->x, p->y,
	                        viz_col_dim, title) +
	          6;
	for (int k = 0; k < VIZ_B_MAX; k++) {
		char buf[48];
		enum viz_belief b = order[k];
		if (!c[b])
			continue;
		snprintf(buf, sizeof(buf), "%u %s", c[b], viz_belief_name(b));
		float w = viz_text_width(p->d->tx, VIZ_FONT_SMALL, buf);
		if (x + w > p->x + p->w) {
			p->y += lh;
			x = p->x + 12;
		}
		SDL_Color col =
		    b == VIZ_B_UNKNOWN ? viz_col_dim : viz_belief_color[b];
		viz_text_draw(p->d->tx, VIZ_FONT_SMALL, x, p->y, col, buf);
		x += w + 8;
	}
	p->y += lh;
}

static void
member_events(struct pen *p, const struct viz_model *m, int32_t j, float bottom)
{
	const struct viz_event *shown[EVENTS_SHOWN];
	int n = 0;
	size_t scanned = 0;
	for (size_t i = m->cur.next;
	     i-- > 0 && n < EVENTS_SHOWN && scanned < EVENTS_SCAN; scanned++) {
		const struct viz_event *e = &m->ev[i];
		if (e->member == j || (e->node == j && e->member < 0))
			shown[n++] = e;
	}
	line(p, VIZ_FONT_SMALL, viz_col_dim, "latest events about it:");
	char buf[300];
	for (int k = n; k-- > 0 && p->y + 16 < bottom;)
		line(p, VIZ_FONT_SMALL, viz_event_color(shown[k]->ev),
		     ev_text(m, shown[k], buf, sizeof(buf)));
}

static void
member_details(struct pen *p, const struct viz_model *m, int32_t j,
               float bottom)
{
	struct viz_draw *d = p->d;
	const struct viz_state *s = &m->cur;
	char buf[300];
	line(p, VIZ_FONT_NORMAL, viz_col_accent, m->members[j].id);
	snprintf(buf, sizeof(buf), "member %d, version %llu, heartbeat %llu", j,
	         (unsigned long long)m->members[j].version,
	         (unsigned long long)s->heartbeat[j]);
	line(p, VIZ_FONT_SMALL, viz_col_text, buf);
	enum viz_truth t = viz_state_truth(s, (uint32_t)j);
	snprintf(buf, sizeof(buf), "true state: %s", viz_truth_name(t));
	line(p, VIZ_FONT_SMALL, viz_truth_color[t], buf);
	counts_line(p, "the others believe it:", d->op[j]);
	uint32_t own[VIZ_B_MAX] = {0};
	for (uint32_t k = 0; k < m->n_members; k++)
		if ((int32_t)k != j)
			own[viz_state_belief(s, (uint32_t)j, k)]++;
	counts_line(p, "it believes the others:", own);
	p->y += 4;
	member_events(p, m, j, bottom);
}

static void
detections(struct pen *p, const struct viz_model *m, float bottom)
{
	int64_t now = m->ts0 + m->cur_t;
	char buf[300], a[32], b[32], c[RUMOR_ID_STRLEN];
	line(p, VIZ_FONT_NORMAL, viz_col_text, "Detections");
	int any = 0;
	for (size_t i = 0; i < m->n_spans && p->y + 16 < bottom; i++) {
		const struct viz_span *sp = &m->spans[i];
		if (sp->ts > now)
			continue;
		any = 1;
		const char *who =
		    viz_member_short(m, (uint32_t)sp->member, c, sizeof(c));
		const char *what =
		    sp->ev == RUMOR_LOG_CRASH ? "crash" : "leave";
		if (sp->first_detect > now) {
			snprintf(buf, sizeof(buf), "%s %s at %s: %u to notice",
			         what, who,
			         viz_time_format(sp->ts - m->ts0, a, sizeof(a)),
			         viz_span_pending(m, sp, &m->cur));
			line(p, VIZ_FONT_SMALL, viz_col_dim, buf);
			continue;
		}
		int64_t f = sp->first_detect - sp->ts;
		int done = sp->last_detect <= now;
		int64_t l = done ? sp->last_detect - sp->ts : 0;
		if (done)
			snprintf(buf, sizeof(buf), "%s %s: first %s, all %s",
			         what, who, viz_time_format(f, a, sizeof(a)),
			         viz_time_format(l, b, sizeof(b)));
		else
			snprintf(buf, sizeof(buf),
			         "%s %s: first %s, %u not yet", what, who,
			         viz_time_format(f, a, sizeof(a)),
			         viz_span_pending(m, sp, &m->cur));
		int ok = f <= 3000 && (!done || l <= 6000);
		line(p, VIZ_FONT_SMALL,
		     ok ? viz_belief_color[VIZ_B_ALIVE]
		        : viz_belief_color[VIZ_B_FAILED],
		     buf);
	}
	if (!any)
		line(p, VIZ_FONT_SMALL, viz_col_dim,
		     "no crash or leave before the playhead");
	p->y += 6;
	line(p, VIZ_FONT_SMALL, viz_col_dim,
	     "click a member or a matrix cell for details");
}

void
viz__draw_panel(struct viz_draw *d, const struct viz_model *m,
                const struct viz_ui *ui)
{
	const SDL_FRect *r = &d->l.panel;
	viz_fill_rect(d->r, r->x, r->y, r->w, r->h, viz_col_panel);
	/* long ids are cut at the panel's edge */
	SDL_Rect clip = {(int)r->x, (int)r->y, (int)r->w - 6, (int)r->h};
	SDL_SetRenderClipRect(d->r, &clip);
	struct pen p = {d, r->x + 10, r->y + 6, r->w - 20};
	legend(&p);
	float bottom = r->y + r->h - (m->n_errors ? 40 : 6);
	if (r->h > 400) {
		float ch = r->h > 520 ? 170 : 130;
		viz__draw_curve(
		    d, m, ui,
		    (SDL_FRect){r->x + 10, bottom - ch, r->w - 20, ch});
		bottom -= ch + 8;
	}
	int32_t j = ui->selected >= 0 ? ui->selected : ui->hover;
	if (j >= 0 && (uint32_t)j < m->n_members)
		member_details(&p, m, j, bottom);
	else
		detections(&p, m, bottom);
	if (m->n_errors) {
		char buf[64];
		p.y = r->y + r->h - 38;
		snprintf(buf, sizeof(buf), "%llu malformed line(s) skipped",
		         (unsigned long long)m->n_errors);
		line(&p, VIZ_FONT_SMALL, viz_belief_color[VIZ_B_SUSPECT], buf);
		if (ui->note)
			line(&p, VIZ_FONT_SMALL, viz_col_dim, ui->note);
	}
	SDL_SetRenderClipRect(d->r, NULL);
}

void
viz__draw_status(struct viz_draw *d, const struct viz_model *m,
                 const struct viz_ui *ui)
{
	const struct viz_state *s = &m->cur;
	char a[32], b[32], buf[400];
	uint32_t running = 0, suspected = 0, failed = 0;
	for (uint32_t j = 0; j < m->n_members; j++) {
		running += viz_state_truth(s, j) == VIZ_T_RUNNING;
		suspected += d->op[j][VIZ_B_SUSPECT] > 0;
		failed += d->op[j][VIZ_B_FAILED] > 0;
	}
	viz_fill_rect(d->r, 0, 0, (float)d->w, 30, viz_col_panel);
	snprintf(buf, sizeof(buf),
	         "t = %s / %s    x%g    %s%s    members %u (%u running)    "
	         "suspected by someone %u    failed by someone %u",
	         viz_time_format(m->cur_t, a, sizeof(a)),
	         viz_time_format(viz_model_duration(m), b, sizeof(b)),
	         ui->speed, ui->playing ? "PLAYING" : "PAUSED",
	         ui->loading  ? "  LOADING"
	         : ui->follow ? "  FOLLOW"
	                      : "",
	         m->n_members, running, suspected, failed);
	const char *h = "? help";
	float hw = viz_text_width(d->tx, VIZ_FONT_NORMAL, h);
	SDL_Rect clip = {0, 0, d->w - (int)hw - 24, 30};
	SDL_SetRenderClipRect(d->r, &clip);
	viz_text_draw(d->tx, VIZ_FONT_NORMAL, 10, 6, viz_col_text, buf);
	SDL_SetRenderClipRect(d->r, NULL);
	viz_text_draw(d->tx, VIZ_FONT_NORMAL, (float)d->w - 10 - hw, 6,
	              viz_col_dim, h);
}

static const char *const help_lines[][2] = {
    {"Space", "play / pause"},
    {"Right / Left", "next / previous event"},
    {"Shift+Right / Left", "seek 1 s (Ctrl: 10 s)"},
    {"Home / End", "start / end (End rejoins the live head)"},
    {"+ / -", "speed x2 / half (0.125x to 64x)"},
    {"n / Shift+n", "next / previous crash, suspicion, failure, leave"},
    {"", "(events of the selected member, if one is selected)"},
    {"f", "follow growing logs on / off"},
    {"t", "message arrows on / off"},
    {"s", "save this frame as rumor-viz-<ms>.png"},
    {"click", "member or matrix cell: details of that member"},
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
