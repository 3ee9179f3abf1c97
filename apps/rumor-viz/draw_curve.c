/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz dissemination curve: for one crash or leave (the selected
 * member's, else the latest before the playhead), the share of the expected
 * observers that have suspected it and that have noticed it (failed, or
 * left for a leave) against the time since it happened, with the 3 s and
 * 6 s requirement lines.
 */
#include <stdlib.h>
#include <string.h>

#include "draw_internal.h"
#include "timearg.h"

#define MAX_POINTS 4096

static const struct viz_span *
pick_span(const struct viz_model *m, int32_t member, int64_t now)
{
	const struct viz_span *best = NULL;
	for (size_t i = 0; i < viz_model_span_n(m); i++) {
		const struct viz_span *sp = viz_model_span(m, i);
		if (sp->ts > now)
			break;
		/* a leave with nobody to notice it has no curve */
		if (sp->expected && (member < 0 || sp->member == member))
			best = sp;
	}
	return best;
}

static int
noticed(const struct viz_span *sp, const struct viz_event *e)
{
	if (e->member != sp->member)
		return 0;
	return e->ev == RUMOR_LOG_FAIL || e->ev == RUMOR_LOG_REMOVE ||
	       (e->ev == RUMOR_LOG_LEAVE && sp->ev == RUMOR_LOG_LEFT);
}

struct curve {
	SDL_FPoint pt[MAX_POINTS];
	int n;
	uint32_t count;
};

static void
curve_step(struct curve *c, float x, float y0, float dy)
{
	if (c->n + 3 > MAX_POINTS)
		return;
	c->count++;
	c->pt[c->n++] = (SDL_FPoint){x, y0 - dy * (float)(c->count - 1)};
	c->pt[c->n++] = (SDL_FPoint){x, y0 - dy * (float)c->count};
}

/* Walk the events after the span, first suspicion / detection each. */
static void
build(const struct viz_model *m, const struct viz_span *sp, int64_t end,
      SDL_FRect b, int64_t xmax, struct curve *susp, struct curve *det)
{
	uint8_t *seen = calloc(sp->n_watch ? sp->n_watch : 1, 1);
	if (!seen)
		return;
	uint32_t total = sp->expected ? sp->expected : 1;
	float dy = b.h / (float)total, y0 = b.y + b.h;
	susp->pt[susp->n++] = (SDL_FPoint){b.x, y0};
	det->pt[det->n++] = (SDL_FPoint){b.x, y0};
	for (size_t i = viz_model_upper(m, sp->ts - 1); i < m->n_ev; i++) {
		const struct viz_event *e = &m->ev[i];
		if (e->ts > end)
			break;
		int32_t o = e->node;
		if (o < 0 || (uint32_t)o >= sp->n_watch || !sp->watch[o])
			continue;
		float x = b.x + b.w * (float)(e->ts - sp->ts) / (float)xmax;
		if (e->ev == RUMOR_LOG_SUSPECT && e->member == sp->member &&
		    !(seen[o] & 1)) {
			seen[o] |= 1;
			curve_step(susp, x, y0, dy);
		}
		if (noticed(sp, e) && !(seen[o] & 2)) {
			seen[o] |= 2;
			curve_step(det, x, y0, dy);
		}
	}
	float xe = b.x + b.w * (float)(end - sp->ts) / (float)xmax;
	float ys = susp->pt[susp->n - 1].y, yd = det->pt[det->n - 1].y;
	susp->pt[susp->n++] = (SDL_FPoint){xe, ys};
	det->pt[det->n++] = (SDL_FPoint){xe, yd};
	free(seen);
}

static void
polyline(SDL_Renderer *r, const struct curve *c, SDL_Color col)
{
	viz_set_color(r, col);
	SDL_RenderLines(r, c->pt, c->n);
	struct curve shifted;
	for (int i = 0; i < c->n; i++)
		shifted.pt[i] = (SDL_FPoint){c->pt[i].x + 1, c->pt[i].y};
	SDL_RenderLines(r, shifted.pt, c->n);
}

static void
frame(struct viz_draw *d, SDL_FRect b, int64_t xmax)
{
	viz_fill_rect(d->r, b.x, b.y, b.w, b.h, viz_col_bg);
	for (int64_t t = 1000; t < xmax; t += 1000) {
		float x = b.x + b.w * (float)t / (float)xmax;
		SDL_Color c =
		    t == 3000 || t == 6000 ? viz_col_dim : viz_col_grid;
		viz_fill_rect(d->r, x, b.y, 1, b.h, c);
		if (t == 3000 || t == 6000 || xmax <= 8000)
			viz_text_drawf(d->tx, VIZ_FONT_SMALL, x - 8,
			               b.y + b.h + 2, viz_col_dim, "%llds",
			               (long long)(t / 1000));
	}
	viz_text_draw(d->tx, VIZ_FONT_SMALL, b.x - 34, b.y - 7, viz_col_dim,
	              "100%");
	viz_text_draw(d->tx, VIZ_FONT_SMALL, b.x - 20, b.y + b.h - 7,
	              viz_col_dim, "0%");
}

void
viz__draw_curve(struct viz_draw *d, const struct viz_model *m,
                const struct viz_ui *ui, SDL_FRect box)
{
	int64_t now = m->ts0 + m->cur_t;
	int32_t sel = ui->selected >= 0 ? ui->selected : ui->hover;
	const struct viz_span *sp = pick_span(m, sel, now);
	if (!sp)
		sp = pick_span(m, -1, now);
	if (!sp || box.h < 60)
		return;
	char who[RUMOR_ID_STRLEN], title[200], fit[200];
	snprintf(title, sizeof(title), "%s %s: share of %u that noticed",
	         sp->ev == RUMOR_LOG_LEFT    ? "leave"
	         : sp->ev == VIZ_SPAN_SILENT ? "silence"
	                                     : "crash",
	         viz_member_short(m, (uint32_t)sp->member, who, sizeof(who)),
	         sp->expected);
	viz_text_fit(d->tx, VIZ_FONT_SMALL, title, box.w, fit, sizeof(fit));
	viz_text_draw(d->tx, VIZ_FONT_SMALL, box.x, box.y, viz_col_text, fit);
	SDL_FRect b = {box.x + 36, box.y + 26, box.w - 44, box.h - 46};
	int64_t last = sp->last_detect != VIZ_NEVER ? sp->last_detect : now;
	int64_t xmax = last - sp->ts + 1000;
	if (xmax < 7000)
		xmax = 7000;
	int64_t end = now < sp->ts + xmax ? now : sp->ts + xmax;
	frame(d, b, xmax);
	static struct curve susp, det; /* large; drawing is single-threaded */
	susp.n = det.n = 0;
	susp.count = det.count = 0;
	build(m, sp, end, b, xmax, &susp, &det);
	polyline(d->r, &susp, viz_belief_color[VIZ_B_SUSPECT]);
	int failed = sp->ev != RUMOR_LOG_LEFT;
	polyline(d->r, &det,
	         failed ? viz_belief_color[VIZ_B_FAILED]
	                : viz_belief_color[VIZ_B_LEFT]);
	float lx = b.x + b.w - 66;
	viz_text_draw(d->tx, VIZ_FONT_SMALL, lx, b.y + b.h - 34,
	              viz_belief_color[VIZ_B_SUSPECT], "suspected");
	viz_text_draw(d->tx, VIZ_FONT_SMALL, lx, b.y + b.h - 19,
	              failed ? viz_belief_color[VIZ_B_FAILED]
	                     : viz_belief_color[VIZ_B_LEFT],
	              failed ? "failed" : "left");
}
