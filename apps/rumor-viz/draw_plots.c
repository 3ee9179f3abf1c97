/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz plots from trace lines: bytes per second and datagrams per
 * second, one line per message kind, sent by the selected member (or by
 * all members together), over the timeline's range, with the playhead; and
 * a table of the members' traffic in the second before the playhead.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "draw_internal.h"
#include "timearg.h"

#define TABLE_W    300.0f
#define TABLE_ROWS 40

static void
view_range(const struct viz_model *m, const struct viz_ui *ui, int64_t *t0,
           int64_t *t1)
{
	*t0 = 0;
	*t1 = viz_model_duration(m);
	if (ui->view_t1 > ui->view_t0) {
		*t0 = ui->view_t0;
		*t1 = ui->view_t1;
	}
	if (*t1 - *t0 < 1000)
		*t1 = *t0 + 1000;
}

/* "12.3 k" style numbers for axes and the table */
static void
si(double v, char *buf, size_t len)
{
	if (v >= 1e6)
		snprintf(buf, len, "%.1f M", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, len, "%.1f k", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
}

static void
chart(struct viz_draw *d, const struct viz_model *m, const struct viz_ui *ui,
      const struct viz_rates *r, SDL_FRect b, int bytes, const char *title)
{
	char top[32];
	double max = bytes ? r->max_bytes : r->max_datagrams;
	viz_fill_rect(d->r, b.x, b.y, b.w, b.h, viz_col_bg);
	si(max, top, sizeof(top));
	viz_text_draw(d->tx, VIZ_FONT_SMALL, b.x, b.y - 16, viz_col_text,
	              title);
	viz_text_draw(d->tx, VIZ_FONT_SMALL, b.x - 52, b.y, viz_col_dim, top);
	viz_text_draw(d->tx, VIZ_FONT_SMALL, b.x - 16, b.y + b.h - 14,
	              viz_col_dim, "0");
	if (max <= 0) {
		viz_text_draw(d->tx, VIZ_FONT_SMALL, b.x + 8, b.y + 8,
		              viz_col_dim, "no trace lines here (--trace)");
		return;
	}
	const double *v = bytes ? r->bytes : r->datagrams;
	SDL_FPoint pts[1024];
	for (unsigned k = 0; k < r->n_kinds; k++) {
		uint32_t n = r->n_buckets < 1024 ? r->n_buckets : 1024;
		int any = 0;
		for (uint32_t i = 0; i < n; i++) {
			double y = v[(size_t)k * r->n_buckets + i];
			any |= y > 0;
			pts[i].x = b.x + b.w * ((float)i + 0.5f) / (float)n;
			pts[i].y = b.y + b.h - (float)(y / max) * (b.h - 2);
		}
		if (!any)
			continue;
		viz_set_color(d->r, viz_kind_color(k));
		SDL_RenderLines(d->r, pts, (int)n);
	}
	int64_t t0 = r->t0, t1 = r->t0 + r->bucket_ms * r->n_buckets;
	char a[32], e[32];
	viz_time_format(t0, a, sizeof(a));
	viz_time_format(t1, e, sizeof(e));
	viz_text_draw(d->tx, VIZ_FONT_SMALL, b.x, b.y + b.h + 2, viz_col_dim,
	              a);
	viz_text_draw(d->tx, VIZ_FONT_SMALL,
	              b.x + b.w - viz_text_width(d->tx, VIZ_FONT_SMALL, e),
	              b.y + b.h + 2, viz_col_dim, e);
	float x = b.x + b.w * (float)(m->cur_t - t0) / (float)(t1 - t0);
	if (x >= b.x && x <= b.x + b.w)
		viz_fill_rect(d->r, x, b.y, 1, b.h, viz_col_playhead);
	(void)ui;
}

/* Members by bytes sent in the second before the playhead. */
struct row {
	uint32_t j;
	double sent, recv, dgrams;
};

static int
by_sent(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	return x->sent < y->sent ? 1 : x->sent > y->sent ? -1 : 0;
}

static void
table(struct viz_draw *d, const struct viz_model *m, SDL_FRect b)
{
	struct row *rows =
	    calloc(m->n_members ? m->n_members : 1, sizeof(*rows));
	if (!rows)
		return;
	int64_t ts = m->ts0 + m->cur_t;
	for (uint32_t j = 0; j < m->n_members; j++)
		rows[j].j = j;
	for (size_t i = viz_model_msg_lower(m, ts - 1000 - m->max_flight_ms);
	     i < m->n_msgs && m->msgs[i].t_send <= ts; i++) {
		const struct viz_msg *g = &m->msgs[i];
		if (g->sent && g->t_send > ts - 1000) {
			rows[g->from].sent += g->bytes;
			rows[g->from].dgrams++;
		}
		if (g->t_end != VIZ_NEVER && g->t_end > ts - 1000 &&
		    g->t_end <= ts)
			rows[g->to].recv += g->bytes;
	}
	qsort(rows, m->n_members, sizeof(*rows), by_sent);
	float y = b.y;
	viz_text_draw(d->tx, VIZ_FONT_SMALL, b.x, y, viz_col_text,
	              "last second: member   sent B/s  recv B/s  dgrams/s");
	y += 18;
	for (uint32_t i = 0; i < m->n_members && i < TABLE_ROWS; i++) {
		char name[RUMOR_ID_STRLEN], fit[RUMOR_ID_STRLEN], a[32], c[32];
		if (y + 16 > b.y + b.h)
			break;
		viz_text_fit(d->tx, VIZ_FONT_SMALL,
		             viz_member_short(m, rows[i].j, name, sizeof(name)),
		             100, fit, sizeof(fit));
		viz_text_draw(d->tx, VIZ_FONT_SMALL, b.x, y, viz_col_dim, fit);
		si(rows[i].sent, a, sizeof(a));
		si(rows[i].recv, c, sizeof(c));
		viz_text_drawf(d->tx, VIZ_FONT_SMALL, b.x + 104, y,
		               viz_col_text, "%8s  %8s  %6.0f", a, c,
		               rows[i].dgrams);
		y += 16;
	}
	free(rows);
}

void
viz__draw_plots(struct viz_draw *d, const struct viz_model *m,
                const struct viz_ui *ui)
{
	const SDL_FRect *r = &d->l.main;
	char who[RUMOR_ID_STRLEN], sub[200];
	viz_fill_rect(d->r, r->x, r->y, r->w, r->h, viz_col_panel);
	snprintf(sub, sizeof(sub), "from trace lines, sent by %s, per kind",
	         ui->selected >= 0 ? viz_member_short(m, (uint32_t)ui->selected,
	                                              who, sizeof(who))
	                           : "all members");
	viz__title(d, r, "Traffic", sub);
	int64_t t0, t1;
	view_range(m, ui, &t0, &t1);
	int with_table = r->w >= 2.2f * TABLE_W;
	float cw = r->w - (with_table ? TABLE_W + 90 : 80);
	uint32_t nb = (uint32_t)((t1 - t0 + 999) / 1000);
	int64_t bucket = 1000;
	while (nb > (uint32_t)(cw / 3) && nb > 1) { /* >= 3 px a bucket */
		bucket *= 2;
		nb = (uint32_t)((t1 - t0 + bucket - 1) / bucket);
	}
	struct viz_rates rates;
	if (viz_rates_compute(m, ui->selected, 0, t0, bucket, nb, &rates))
		return;
	float ch = (r->h - 140) / 2;
	char t[40];
	snprintf(t, sizeof(t), "bytes/s (buckets of %s)",
	         viz_time_format(bucket, sub, sizeof(sub)));
	chart(d, m, ui, &rates, (SDL_FRect){r->x + 62, r->y + 60, cw, ch}, 1,
	      t);
	chart(d, m, ui, &rates, (SDL_FRect){r->x + 62, r->y + 100 + ch, cw, ch},
	      0, "datagrams/s");
	float lx = r->x + 62;
	for (unsigned k = 1; k < m->n_kinds; k++) {
		viz_fill_rect(d->r, lx, r->y + r->h - 14, 14, 3,
		              viz_kind_color(k));
		lx +=
		    20 +
		    viz_text_draw(d->tx, VIZ_FONT_SMALL, lx + 18,
		                  r->y + r->h - 20, viz_col_text, m->kinds[k]) +
		    8;
	}
	viz_rates_free(&rates);
	if (with_table)
		table(d, m,
		      (SDL_FRect){r->x + r->w - TABLE_W - 4, r->y + 40, TABLE_W,
		                  r->h - 50});
}
