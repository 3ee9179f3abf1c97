/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz timeline: ticks of events in three lanes (membership,
 * suspicion, failure), ground-truth crashes as lines, partitions as bands,
 * one detection span per crash or leave (nobody knows yet / spreading, with
 * the 3 s and 6 s requirement marks), the time axis and the playhead.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw_internal.h"
#include "timearg.h"

#define REQ_FIRST_MS 3000 /* a crash in one member's list within 3 s */
#define REQ_ALL_MS   6000 /* and in every member's list within 6 s */

/* Lane of an event and its priority within the lane (0: not drawn). */
static int
lane_of(int ev, int *prio)
{
	switch ((enum rumor_log_ev)ev) {
	case RUMOR_LOG_START:
	case RUMOR_LOG_JOINED:
	case RUMOR_LOG_JOIN:
		*prio = 1;
		return 0;
	case RUMOR_LOG_STOP:
		*prio = 2;
		return 0;
	case RUMOR_LOG_LEAVE:
	case RUMOR_LOG_LEFT:
		*prio = 3;
		return 0;
	case RUMOR_LOG_ALIVE:
		*prio = 1;
		return 1;
	case RUMOR_LOG_SUSPECT:
		*prio = 2;
		return 1;
	case RUMOR_LOG_REMOVE:
		*prio = 1;
		return 2;
	case RUMOR_LOG_FAIL:
		*prio = 2;
		return 2;
	default:
		*prio = 0;
		return -1;
	}
}

static void
ticks_build(struct viz_draw *d, const struct viz_model *m,
            const struct viz_ui *ui, int w)
{
	int64_t t0 = viz_layout_x_time(&d->l, ui, m, d->l.tl_x0);
	int64_t t1 = viz_layout_x_time(&d->l, ui, m, d->l.tl_x1);
	if (d->ticks[0] && d->ticks_w == w && d->ticks_n_ev == m->n_ev &&
	    d->ticks_t0 == t0 && d->ticks_t1 == t1)
		return;
	uint8_t prio[3][w];
	memset(prio, 0, sizeof(prio));
	for (int k = 0; k < 3; k++) {
		free(d->ticks[k]);
		free(d->tick_n[k]);
		d->ticks[k] = calloc((size_t)w, 1);
		d->tick_n[k] = calloc((size_t)w, sizeof(uint32_t));
		d->tick_max[k] = 1;
		if (!d->ticks[k] || !d->tick_n[k]) {
			free(d->ticks[k]);
			d->ticks[k] = NULL;
			return;
		}
	}
	for (size_t i = 0; i < m->n_ev; i++) {
		const struct viz_event *e = &m->ev[i];
		int p, lane = lane_of(e->ev, &p);
		if (lane < 0)
			continue;
		float x = viz_layout_time_x(&d->l, ui, m, e->ts - m->ts0);
		int c = (int)floorf(x - d->l.tl_x0);
		if (c < 0 || c >= w)
			continue;
		if (++d->tick_n[lane][c] > d->tick_max[lane])
			d->tick_max[lane] = d->tick_n[lane][c];
		if (p <= prio[lane][c])
			continue;
		prio[lane][c] = (uint8_t)p;
		d->ticks[lane][c] = (uint8_t)(e->ev + 1);
	}
	d->ticks_w = w;
	d->ticks_n_ev = m->n_ev;
	d->ticks_t0 = t0;
	d->ticks_t1 = t1;
}

static void
draw_ticks(struct viz_draw *d)
{
	const struct viz_layout *l = &d->l;
	SDL_FRect rects[2048];
	for (int ev = 0; ev < RUMOR_LOG_EV_MAX; ev++) {
		viz_set_color(d->r, viz_event_color(ev));
		for (int k = 0; k < 3; k++) {
			int n = 0;
			for (int c = 0; c < d->ticks_w; c++) {
				if (d->ticks[k][c] != ev + 1)
					continue;
				/* height: log of the events in the column */
				float f = logf(1 + (float)d->tick_n[k][c]) /
				          logf(1 + (float)d->tick_max[k]);
				float h = ceilf(l->lane_h * (0.3f + 0.7f * f));
				rects[n++] = (SDL_FRect){
				    l->tl_x0 + (float)c,
				    l->lane_y[k] + l->lane_h - h, 1, h};
				if (n == 2048) {
					SDL_RenderFillRects(d->r, rects, n);
					n = 0;
				}
			}
			if (n)
				SDL_RenderFillRects(d->r, rects, n);
		}
	}
}

static void
ground_truth(struct viz_draw *d, const struct viz_model *m,
             const struct viz_ui *ui)
{
	const struct viz_layout *l = &d->l;
	for (size_t i = 0; i < m->n_cuts; i++) {
		int64_t e = m->cuts[2 * i + 1];
		float x0 = viz_layout_time_x(l, ui, m, m->cuts[2 * i] - m->ts0);
		float x1 = e == VIZ_NEVER
		               ? l->tl_x1
		               : viz_layout_time_x(l, ui, m, e - m->ts0);
		SDL_Color c = viz_col_cut;
		c.a = 60;
		viz_fill_rect(d->r, x0, l->lane_y[0], fmaxf(x1 - x0, 1),
		              l->axis_y - l->lane_y[0], c);
	}
	for (size_t i = 0; i < m->n_gt; i++) {
		const struct viz_event *e = &m->ev[m->gt[i]];
		float x = viz_layout_time_x(l, ui, m, e->ts - m->ts0);
		SDL_Color c = e->ev == RUMOR_LOG_CRASH
		                  ? viz_belief_color[VIZ_B_FAILED]
		                  : viz_belief_color[VIZ_B_ALIVE];
		SDL_FColor fc = {c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, 1};
		SDL_Vertex v[3] = {{{x - 5, l->lane_y[0] - 8}, fc, {0, 0}},
		                   {{x + 5, l->lane_y[0] - 8}, fc, {0, 0}},
		                   {{x, l->lane_y[0] - 1}, fc, {0, 0}}};
		SDL_RenderGeometry(d->r, NULL, v, 3, NULL, 0);
	}
}

/*
 * "crash :3005  first 1.688 s  all 2.100 s" right of the bar, or left of
 * it when it would pass the timeline's right edge (never cut off).
 */
static void
span_label(struct viz_draw *d, const struct viz_model *m,
           const struct viz_span *sp, float x, float x_left, float y,
           int64_t now)
{
	char a[32], name[RUMOR_ID_STRLEN], parts[3][80];
	SDL_Color col[3] = {viz_col_text, viz_col_dim, viz_col_dim};
	SDL_Color ok = viz_belief_color[VIZ_B_ALIVE];
	SDL_Color bad = viz_belief_color[VIZ_B_FAILED];
	snprintf(parts[0], sizeof(parts[0]), "%s %s",
	         sp->ev == RUMOR_LOG_LEFT    ? "leave"
	         : sp->ev == VIZ_SPAN_SILENT ? "silent"
	         : sp->restart               ? "restart"
	                                     : "crash",
	         viz_member_short(m, (uint32_t)sp->member, name, sizeof(name)));
	parts[2][0] = 0;
	if (!sp->expected) {
		snprintf(parts[1], sizeof(parts[1]), "nobody to notice");
	} else if (sp->first_detect == VIZ_NEVER || sp->first_detect > now) {
		snprintf(parts[1], sizeof(parts[1]),
		         "nobody yet (%u to notice)",
		         viz_span_pending(m, sp, &m->cur));
	} else {
		int64_t first = sp->first_detect - sp->ts;
		snprintf(parts[1], sizeof(parts[1]), "first %s",
		         viz_time_format(first, a, sizeof(a)));
		col[1] = first <= REQ_FIRST_MS ? ok : bad;
		if (sp->last_detect != VIZ_NEVER && sp->last_detect <= now) {
			int64_t all = sp->last_detect - sp->ts;
			snprintf(parts[2], sizeof(parts[2]), "all %s",
			         viz_time_format(all, a, sizeof(a)));
			col[2] = all <= REQ_ALL_MS ? ok : bad;
		} else {
			snprintf(parts[2], sizeof(parts[2]), "%u not yet",
			         viz_span_pending(m, sp, &m->cur));
		}
	}
	float w = 0;
	for (int i = 0; i < 3; i++)
		w += viz_text_width(d->tx, VIZ_FONT_SMALL, parts[i]) + 8;
	if (x + w > d->l.tl_x1)
		x = x_left - w - 4;
	if (x < d->l.tl_x0)
		x = d->l.tl_x0;
	for (int i = 0; i < 3; i++)
		x += viz_text_draw(d->tx, VIZ_FONT_SMALL, x, y, col[i],
		                   parts[i]) +
		     8;
}

static void
draw_span(struct viz_draw *d, const struct viz_model *m,
          const struct viz_ui *ui, const struct viz_span *sp, float y,
          int labels)
{
	const struct viz_layout *l = &d->l;
	int64_t now = m->ts0 + m->cur_t;
	if (sp->ts > now)
		return;
	float h = l->span_row_h - 5;
	SDL_Color hot =
	    sp->ev == RUMOR_LOG_CRASH   ? viz_belief_color[VIZ_B_FAILED]
	    : sp->ev == VIZ_SPAN_SILENT ? viz_truth_color[VIZ_T_SILENT]
	                                : viz_belief_color[VIZ_B_LEFT];
	SDL_Color cold = viz_mix(hot, viz_col_panel, 0.6f);
	float x0 = viz_layout_time_x(l, ui, m, sp->ts - m->ts0);
	int64_t fd = sp->first_detect < now ? sp->first_detect : now;
	int64_t ld = sp->last_detect < now ? sp->last_detect : now;
	float x1 = viz_layout_time_x(l, ui, m, fd - m->ts0);
	float x2 = viz_layout_time_x(l, ui, m, ld - m->ts0);
	/* requirement window: 3 s and 6 s after the event */
	float r3 = viz_layout_time_x(l, ui, m, sp->ts - m->ts0 + REQ_FIRST_MS);
	float r6 = viz_layout_time_x(l, ui, m, sp->ts - m->ts0 + REQ_ALL_MS);
	viz_fill_rect(d->r, x0, y + h / 2, fmaxf(r6 - x0, 1), 1, viz_col_grid);
	viz_fill_rect(d->r, r3, y, 1, h, viz_col_dim);
	viz_fill_rect(d->r, r6, y, 1, h, viz_col_dim);
	viz_fill_rect(d->r, x0, y, fmaxf(x1 - x0, 2), h, cold);
	if (sp->first_detect <= now)
		viz_fill_rect(d->r, x1, y, fmaxf(x2 - x1, 2), h, hot);
	if (sp->first_suspect != VIZ_NEVER && sp->first_suspect <= now) {
		float xs =
		    viz_layout_time_x(l, ui, m, sp->first_suspect - m->ts0);
		viz_fill_rect(d->r, xs, y - 2, 2, h + 4,
		              viz_belief_color[VIZ_B_SUSPECT]);
	}
	if (labels)
		span_label(d, m, sp, fmaxf(x2, r6) + 6, x0, y - 2, now);
}

static void
draw_spans(struct viz_draw *d, const struct viz_model *m,
           const struct viz_ui *ui)
{
	const struct viz_layout *l = &d->l;
	size_t rows = (size_t)(l->spans_h / l->span_row_h);
	size_t n = viz_model_span_n(m), shown = 0;
	if (!rows)
		return;
	/* rows for the spans in view (up to their 6 s mark) only, so that
	 * labels fit when a zoom leaves few of them */
	int64_t v0 = viz_layout_x_time(l, ui, m, l->tl_x0);
	int64_t v1 = viz_layout_x_time(l, ui, m, l->tl_x1);
	for (size_t i = 0; i < n; i++) {
		const struct viz_span *sp = viz_model_span(m, i);
		int64_t t = sp->ts - m->ts0;
		shown += t <= v1 && t + REQ_ALL_MS >= v0;
	}
	for (size_t i = 0, k = 0; i < n; i++) {
		const struct viz_span *sp = viz_model_span(m, i);
		int64_t t = sp->ts - m->ts0;
		if (t > v1 || t + REQ_ALL_MS < v0)
			continue;
		draw_span(d, m, ui, sp,
		          l->spans_y + (float)(k++ % rows) * l->span_row_h,
		          shown <= rows);
	}
}

static void
axis(struct viz_draw *d, const struct viz_model *m, const struct viz_ui *ui)
{
	const struct viz_layout *l = &d->l;
	int64_t t0 = viz_layout_x_time(l, ui, m, l->tl_x0);
	int64_t t1 = viz_layout_x_time(l, ui, m, l->tl_x1);
	double per_px = (double)(t1 - t0 > 0 ? t1 - t0 : 1000) /
	                (double)(l->tl_x1 - l->tl_x0);
	static const int64_t steps[] = {10,    20,    50,     100,    200,
	                                500,   1000,  2000,   5000,   10000,
	                                20000, 60000, 120000, 300000, 600000};
	int64_t step = steps[sizeof(steps) / sizeof(steps[0]) - 1];
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if ((double)steps[i] / per_px >= 70) {
			step = steps[i];
			break;
		}
	viz_fill_rect(d->r, l->tl_x0, l->axis_y, l->tl_x1 - l->tl_x0, 1,
	              viz_col_grid);
	for (int64_t t = (t0 + step - 1) / step * step; t <= t1; t += step) {
		float x = viz_layout_time_x(l, ui, m, t);
		viz_fill_rect(d->r, x, l->axis_y, 1, 4, viz_col_dim);
		if (step >= 1000)
			viz_text_drawf(d->tx, VIZ_FONT_SMALL, x - 6,
			               l->axis_y + 4, viz_col_dim, "%lld s",
			               (long long)(t / 1000));
		else
			viz_text_drawf(d->tx, VIZ_FONT_SMALL, x - 6,
			               l->axis_y + 4, viz_col_dim, "%.2f s",
			               (double)t / 1000);
	}
}

void
viz__draw_timeline(struct viz_draw *d, const struct viz_model *m,
                   const struct viz_ui *ui)
{
	const struct viz_layout *l = &d->l;
	const SDL_FRect *t = &l->timeline;
	static const char *const lanes[3] = {"membership", "suspicion",
	                                     "failure"};
	viz_fill_rect(d->r, t->x, t->y, t->w, t->h, viz_col_panel);
	viz__title(d, t, "Timeline",
	           "click or drag to seek; triangles: crashes; bars: "
	           "crash/leave/silence until noticed by one (dark) and by "
	           "all (bright), marks at 3 s and 6 s");
	for (int k = 0; k < 3; k++) {
		viz_fill_rect(d->r, l->tl_x0, l->lane_y[k], l->tl_x1 - l->tl_x0,
		              l->lane_h, viz_col_bg);
		viz_text_draw(d->tx, VIZ_FONT_SMALL, t->x + 8, l->lane_y[k] - 1,
		              viz_col_dim, lanes[k]);
	}
	viz_text_draw(d->tx, VIZ_FONT_SMALL, t->x + 8, l->spans_y, viz_col_dim,
	              "detection");
	int w = (int)(l->tl_x1 - l->tl_x0) + 1;
	ticks_build(d, m, ui, w);
	SDL_Rect clip = {(int)l->tl_x0, (int)t->y, w, (int)t->h};
	SDL_SetRenderClipRect(d->r, &clip);
	if (d->ticks[0])
		draw_ticks(d);
	ground_truth(d, m, ui);
	draw_spans(d, m, ui);
	SDL_SetRenderClipRect(d->r, NULL);
	axis(d, m, ui);
	float x = viz_layout_time_x(l, ui, m, m->cur_t);
	if (x >= l->tl_x0 - 1 && x <= l->tl_x1 + 1) {
		SDL_Color shade = viz_col_panel;
		shade.a = 130;
		viz_fill_rect(d->r, x + 1, l->lane_y[0], l->tl_x1 - x,
		              l->lane_y[2] + l->lane_h - l->lane_y[0], shade);
		viz_fill_rect(d->r, x, l->lane_y[0] - 10, 1,
		              l->axis_y - l->lane_y[0] + 10, viz_col_playhead);
	}
}
