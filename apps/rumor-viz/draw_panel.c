/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz side panel: legend; the selected member's details (truth as
 * known, silence, what the others believe, its newest events, the path of
 * the selected matrix cell's belief), or the list of detections, each row
 * clickable, "+N more" when they do not fit.
 */
#include <stdio.h>
#include <string.h>

#include "draw_internal.h"
#include "timearg.h"

#define REQ_FIRST_MS 3000
#define REQ_ALL_MS   6000

struct pen {
	struct viz_draw *d;
	float x, y, w;
};

static float
lh(struct pen *p, enum viz_font f)
{
	return viz_text_height(p->d->tx, f) + 2;
}

/* One line, cut with "..." to the pen's width. */
static void
line(struct pen *p, enum viz_font f, SDL_Color c, const char *s)
{
	char fit[512];
	viz_text_fit(p->d->tx, f, s, p->w, fit, sizeof(fit));
	viz_text_draw(p->d->tx, f, p->x, p->y, c, fit);
	p->y += lh(p, f);
}

/* Words wrapped to the pen's width, at most max_lines lines. */
static void
wrap(struct pen *p, enum viz_font f, SDL_Color c, const char *s, int max_lines,
     float bottom)
{
	char buf[512];
	while (*s && max_lines-- > 0 && p->y + lh(p, f) <= bottom) {
		size_t n = strlen(s);
		snprintf(buf, sizeof(buf), "%.*s", (int)sizeof(buf) - 1, s);
		size_t cut = strlen(buf);
		while (viz_text_width(p->d->tx, f, buf) > p->w) {
			char *sp = strrchr(buf, ' ');
			if (!sp)
				break;
			*sp = 0;
			cut = strlen(buf);
		}
		if (max_lines == 0 && cut < n)
			line(p, f, c, s);
		else
			line(p, f, c, buf);
		s += cut;
		while (*s == ' ')
			s++;
	}
}

/* A colour and its name, on the next line when the line is full. */
static float
swatch(struct pen *p, float x, SDL_Color c, const char *label, int hollow)
{
	float w = 14 + viz_text_width(p->d->tx, VIZ_FONT_SMALL, label);
	if (x > p->x && x + w > p->x + p->w) {
		x = p->x;
		p->y += 18;
	}
	viz_fill_rect(p->d->r, x, p->y + 3, 10, 10, c);
	if (hollow)
		viz_fill_rect(p->d->r, x + 2, p->y + 5, 6, 6, viz_col_panel);
	return x + 14 +
	       viz_text_draw(p->d->tx, VIZ_FONT_SMALL, x + 14, p->y,
	                     viz_col_text, label) +
	       10;
}

static void
legend(struct pen *p, const struct viz_model *m)
{
	line(p, VIZ_FONT_SMALL, viz_col_dim,
	     m->has_truth ? "true state (ground truth in the logs)"
	                  : "state (no ground truth: from the logs)");
	float x = p->x;
	x = swatch(p, x, viz_truth_color[VIZ_T_RUNNING], "running", 0);
	if (m->has_truth) {
		x = swatch(p, x, viz_truth_color[VIZ_T_CRASHED], "crashed", 0);
	} else {
		x = swatch(p, x, viz_truth_color[VIZ_T_SILENT], "silent", 1);
	}
	x = swatch(p, x, viz_truth_color[VIZ_T_LEFT], "left", 0);
	swatch(p, x, viz_truth_color[VIZ_T_STOPPED], "stopped", 0);
	p->y += 18;
	line(p, VIZ_FONT_SMALL, viz_col_dim, "belief");
	x = p->x;
	x = swatch(p, x, viz_belief_color[VIZ_B_ALIVE], "alive", 0);
	x = swatch(p, x, viz_belief_color[VIZ_B_SUSPECT], "suspect", 0);
	swatch(p, x, viz_belief_color[VIZ_B_FAILED], "failed", 0);
	p->y += 18;
	x = p->x;
	x = swatch(p, x, viz_belief_color[VIZ_B_LEFT], "left", 0);
	x = swatch(p, x, viz_belief_color[VIZ_B_REMOVED], "removed", 0);
	swatch(p, x, viz_belief_color[VIZ_B_UNKNOWN], "unknown", 0);
	p->y += 20;
	line(p, VIZ_FONT_SMALL, viz_col_dim,
	     "white dot: belief contradicts known truth");
	if (m->has_truth)
		line(p, VIZ_FONT_SMALL, viz_col_dim,
		     "white cross: crash nobody noticed");
	p->y += 6;
}

static const char *
ev_text(const struct viz_model *m, const struct viz_event *e, char *buf,
        size_t len)
{
	char a[RUMOR_ID_STRLEN], b[RUMOR_ID_STRLEN], f[RUMOR_ID_STRLEN + 8],
	    t[32];
	const char *who =
	    e->node >= 0 ? viz_member_short(m, (uint32_t)e->node, a, sizeof(a))
	                 : "(truth)";
	const char *what =
	    e->member >= 0
	        ? viz_member_short(m, (uint32_t)e->member, b, sizeof(b))
	        : "";
	const char *via = viz_via_name(m, e->via);
	f[0] = 0;
	if (e->from >= 0 && e->from != e->node) {
		char c[RUMOR_ID_STRLEN];
		snprintf(f, sizeof(f), " from %s",
		         viz_member_short(m, (uint32_t)e->from, c, sizeof(c)));
	}
	snprintf(buf, len, "%s  %s %s %s%s%s%s",
	         viz_time_format(e->ts - m->ts0, t, sizeof(t)), who,
	         rumor_log_ev_name((enum rumor_log_ev)e->ev), what,
	         *via ? " via " : "", via, f);
	return buf;
}

/* "title: 198 alive, 2 suspect", the non-zero counts only, wrapped. */
static void
counts_line(struct pen *p, const char *title, const uint32_t c[VIZ_B_MAX])
{
	static const enum viz_belief order[VIZ_B_MAX] = {
	    VIZ_B_ALIVE, VIZ_B_SUSPECT, VIZ_B_FAILED,
	    VIZ_B_LEFT,  VIZ_B_REMOVED, VIZ_B_UNKNOWN};
	float h = lh(p, VIZ_FONT_SMALL);
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
			p->y += h;
			x = p->x + 12;
		}
		SDL_Color col =
		    b == VIZ_B_UNKNOWN ? viz_col_dim : viz_belief_color[b];
		viz_text_draw(p->d->tx, VIZ_FONT_SMALL, x, p->y, col, buf);
		x += w + 8;
	}
	p->y += h;
}

/* The newest events that fit, newest first; how many older ones not. */
static void
member_events(struct pen *p, const struct viz_model *m, int32_t j, float bottom)
{
	enum { MAX = 64 };
	const struct viz_event *ev[MAX];
	float h = lh(p, VIZ_FONT_SMALL);
	int fit = (int)((bottom - p->y) / h) - 1;
	if (fit < 1)
		return;
	if (fit > MAX)
		fit = MAX;
	size_t n = viz_model_member_events(m, (uint32_t)j, m->cur.next, ev,
	                                   (size_t)fit);
	size_t total = 0, hi = m->members[j].n_about;
	while (total < hi && m->members[j].about[total] < m->cur.next)
		total++;
	char buf[400];
	snprintf(buf, sizeof(buf),
	         "newest events by or about it (%zu):", total);
	line(p, VIZ_FONT_SMALL, viz_col_dim, buf);
	for (size_t k = 0; k < n && p->y + h <= bottom; k++) {
		if (k + 1 == n && total > n && k > 0) {
			snprintf(buf, sizeof(buf), "+%zu earlier", total - k);
			line(p, VIZ_FONT_SMALL, viz_col_dim, buf);
			break;
		}
		line(p, VIZ_FONT_SMALL, viz_event_color(ev[k]->ev),
		     ev_text(m, ev[k], buf, sizeof(buf)));
	}
}

static void
truth_lines(struct pen *p, const struct viz_model *m, uint32_t j)
{
	char buf[400], t[32];
	enum viz_truth tr = viz_state_truth(&m->cur, j);
	const struct viz_member *me = &m->members[j];
	SDL_Color c = viz_truth_color[tr];
	if (tr == VIZ_T_SILENT || tr == VIZ_T_UNKNOWN) {
		snprintf(buf, sizeof(buf),
		         "%s since %s (inferred, no ground "
		         "truth)",
		         tr == VIZ_T_SILENT ? "silent" : "no line",
		         viz_time_format(me->last_ts - m->ts0, t, sizeof(t)));
		line(p, VIZ_FONT_SMALL, c, buf);
		line(p, VIZ_FONT_SMALL, viz_col_dim,
		     viz_last_line_text(m, j, buf, sizeof(buf)));
		return;
	}
	snprintf(buf, sizeof(buf), "state: %s%s", viz_truth_name(tr),
	         m->has_truth          ? " (ground truth)"
	         : tr == VIZ_T_RUNNING ? " (its own log goes on)"
	                               : " (its own line)");
	line(p, VIZ_FONT_SMALL, c, buf);
}

static void
member_details(struct pen *p, const struct viz_model *m,
               const struct viz_ui *ui, int32_t j, float bottom)
{
	struct viz_draw *d = p->d;
	const struct viz_state *s = &m->cur;
	const struct viz_member *me = &m->members[j];
	char buf[2048], name[RUMOR_ID_STRLEN];
	line(p, VIZ_FONT_NORMAL, viz_col_accent,
	     viz_member_short(m, (uint32_t)j, name, sizeof(name)));
	line(p, VIZ_FONT_SMALL, viz_col_dim, me->id);
	snprintf(buf, sizeof(buf), "version %llu (%u of this address)",
	         (unsigned long long)me->version, me->nth);
	line(p, VIZ_FONT_SMALL, viz_col_text, buf);
	if (me->tags[0]) {
		snprintf(buf, sizeof(buf), "tags %s", me->tags);
		line(p, VIZ_FONT_SMALL, viz_col_text, buf);
	}
	if (s->heartbeat[j])
		snprintf(buf, sizeof(buf), "heartbeat %llu (highest logged)",
		         (unsigned long long)s->heartbeat[j]);
	else
		snprintf(buf, sizeof(buf), "heartbeat: in no line yet");
	line(p, VIZ_FONT_SMALL, viz_col_text, buf);
	truth_lines(p, m, (uint32_t)j);
	counts_line(p, "the others believe it:", d->op[j]);
	uint32_t own[VIZ_B_MAX] = {0};
	for (uint32_t k = 0; k < m->n_slots; k++) {
		uint32_t o = viz_model_slot_member(m, k);
		if ((int32_t)o != j)
			own[viz_state_belief(s, (uint32_t)j, o)]++;
	}
	counts_line(p, "it believes the others:", own);
	if (ui->cell_obs >= 0 && ui->selected == j) {
		struct viz_hop hops[32];
		size_t n = viz_model_belief_path(
		    m, m->cur_t, (uint32_t)ui->cell_obs, (uint32_t)j, hops, 32);
		p->y += 4;
		wrap(
		    p, VIZ_FONT_SMALL, viz_col_accent,
		    n ? viz_path_text(m, hops, n, (uint32_t)j, buf, sizeof(buf))
		      : "that observer has no line about it yet",
		    6, bottom);
	}
	p->y += 4;
	member_events(p, m, j, bottom);
}

/* The row text of a detection and whether it met the requirement. */
static int
detection_text(const struct viz_model *m, const struct viz_span *sp, char *buf,
               size_t len)
{
	int64_t now = m->ts0 + m->cur_t;
	char a[32], b[32], c[RUMOR_ID_STRLEN];
	const char *who =
	    viz_member_short(m, (uint32_t)sp->member, c, sizeof(c));
	const char *what = sp->ev == RUMOR_LOG_LEFT    ? "leave"
	                   : sp->ev == VIZ_SPAN_SILENT ? "silent"
	                   : sp->restart               ? "restart"
	                                               : "crash";
	if (!sp->expected) {
		snprintf(buf, len, "%s %s at %s: nobody to notice", what, who,
		         viz_time_format(sp->ts - m->ts0, a, sizeof(a)));
		return -1;
	}
	if (sp->first_detect > now) {
		snprintf(buf, len, "%s %s at %s: %u to notice", what, who,
		         viz_time_format(sp->ts - m->ts0, a, sizeof(a)),
		         viz_span_pending(m, sp, &m->cur));
		return -1;
	}
	int64_t f = sp->first_detect - sp->ts;
	int done = sp->last_detect <= now;
	int64_t l = done ? sp->last_detect - sp->ts : 0;
	const char *after =
	    sp->ev == VIZ_SPAN_SILENT ? " after its last line" : "";
	if (done)
		snprintf(buf, len, "%s %s: first %s, all %s%s", what, who,
		         viz_time_format(f, a, sizeof(a)),
		         viz_time_format(l, b, sizeof(b)), after);
	else
		snprintf(buf, len, "%s %s: first %s%s, %u not yet", what, who,
		         viz_time_format(f, a, sizeof(a)), after,
		         viz_span_pending(m, sp, &m->cur));
	return f <= REQ_FIRST_MS && (!done || l <= REQ_ALL_MS);
}

/* A span is listed once it is known at the playhead. */
static int
span_known(const struct viz_model *m, const struct viz_span *sp)
{
	int64_t at = sp->ev == VIZ_SPAN_SILENT
	                 ? viz_model_silent_from(m, (uint32_t)sp->member)
	                 : sp->ts;
	return at <= m->ts0 + m->cur_t;
}

static void
detections(struct pen *p, const struct viz_model *m, float bottom)
{
	struct viz_draw *d = p->d;
	float h = lh(p, VIZ_FONT_SMALL);
	size_t n = 0, total = 0;
	char buf[400];
	line(p, VIZ_FONT_NORMAL, viz_col_text, "Detections");
	d->n_det = 0;
	for (size_t k = 0; k < viz_model_span_n(m); k++)
		total += span_known(m, viz_model_span(m, k));
	for (size_t k = 0; k < viz_model_span_n(m); k++) {
		const struct viz_span *sp = viz_model_span(m, k);
		if (!span_known(m, sp))
			continue;
		/* keep a line for "+N more" unless this is the last */
		if (p->y + h * (n + 1 < total ? 2 : 1) > bottom - h) {
			snprintf(buf, sizeof(buf),
			         "+%zu more (n: next incident)", total - n);
			line(p, VIZ_FONT_SMALL, viz_col_dim, buf);
			break;
		}
		int ok = detection_text(m, sp, buf, sizeof(buf));
		if (d->n_det < VIZ_DET_ROWS)
			d->det[d->n_det++] = (struct viz_det_row){
			    p->y, p->y + h, sp->member, sp->ts - m->ts0};
		line(p, VIZ_FONT_SMALL,
		     ok < 0   ? viz_col_dim
		     : ok > 0 ? viz_belief_color[VIZ_B_ALIVE]
		              : viz_belief_color[VIZ_B_FAILED],
		     buf);
		n++;
	}
	if (!total)
		line(p, VIZ_FONT_SMALL, viz_col_dim,
		     m->has_truth ? "no crash or leave before the playhead"
		                  : "no leave or silence before the playhead");
	p->y += 6;
	line(p, VIZ_FONT_SMALL, viz_col_dim,
	     "click a row, a member or a matrix cell for details");
}

void
viz__draw_panel(struct viz_draw *d, const struct viz_model *m,
                const struct viz_ui *ui)
{
	const SDL_FRect *r = &d->l.panel;
	viz_fill_rect(d->r, r->x, r->y, r->w, r->h, viz_col_panel);
	struct pen p = {d, r->x + 10, r->y + 6, r->w - 20};
	d->n_det = 0;
	legend(&p, m);
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
		member_details(&p, m, ui, j, bottom);
	else
		detections(&p, m, bottom);
	if (m->n_errors) {
		char buf[64];
		p.y = r->y + r->h - 38;
		snprintf(buf, sizeof(buf), "%llu malformed line(s) skipped",
		         (unsigned long long)m->n_errors);
		line(&p, VIZ_FONT_SMALL, viz_belief_color[VIZ_B_SUSPECT], buf);
		if (ui->note && !ui->note_until)
			line(&p, VIZ_FONT_SMALL, viz_col_dim, ui->note);
	}
}

int
viz_draw_hit_detection(const struct viz_draw *d, float x, float y,
                       int32_t *member, int64_t *t)
{
	const SDL_FRect *r = &d->l.panel;
	if (x < r->x || x >= r->x + r->w)
		return 0;
	for (size_t i = 0; i < d->n_det; i++)
		if (y >= d->det[i].y0 && y < d->det[i].y1) {
			*member = d->det[i].member;
			*t = d->det[i].t;
			return 1;
		}
	return 0;
}
