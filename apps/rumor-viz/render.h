/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz rendering: one pure function of (model at t, UI state, output
 * size) onto an SDL renderer. The window, the headless exporter and the
 * pixel tests all call viz_draw; nothing here reads the wall clock.
 */
#ifndef RUMOR_VIZ_RENDER_H
#define RUMOR_VIZ_RENDER_H

#include <SDL3/SDL.h>

#include "describe.h"
#include "model.h"

/* ---- palette (Okabe-Ito hues; state never depends on hue alone) ---- */

extern const SDL_Color viz_belief_color[VIZ_B_MAX];
extern const SDL_Color viz_truth_color[VIZ_T_MAX];
extern const SDL_Color viz_col_bg, viz_col_panel, viz_col_grid, viz_col_text,
    viz_col_dim, viz_col_accent, viz_col_playhead, viz_col_cut;

/** Colour of message kind k (index into viz_model.kinds). */
SDL_Color viz_kind_color(unsigned k);

/** Colour of timeline ticks of event ev (enum rumor_log_ev). */
SDL_Color viz_event_color(int ev);

/* ---- text (SDL3_ttf, DejaVu Sans; debug font when none) ---- */

struct viz_text;
struct viz_draw;

enum viz_font { VIZ_FONT_SMALL, VIZ_FONT_NORMAL, VIZ_FONT_BIG, VIZ_FONT_MAX };

/**
 * Text drawing for renderer r with the TTF font at path (NULL: DejaVu
 * Sans). When the font cannot be opened it warns once on stderr and falls
 * back to SDL's 8x8 debug font. Returns NULL only when out of memory.
 */
struct viz_text *viz_text_new(SDL_Renderer *r, const char *path);
void viz_text_free(struct viz_text *tx);
/** Draw s at (x, y) (top left); returns its width in pixels. */
float viz_text_draw(struct viz_text *tx, enum viz_font f, float x, float y,
                    SDL_Color c, const char *s);
/** printf-style viz_text_draw. */
float viz_text_drawf(struct viz_text *tx, enum viz_font f, float x, float y,
                     SDL_Color c, const char *fmt, ...)
    SDL_PRINTF_VARARG_FUNC(6);
/** Draw s reading upwards from (x, y) (its bottom left); returns its
 * length in pixels. Nothing without a TTF font. */
float viz_text_draw_up(struct viz_text *tx, enum viz_font f, float x, float y,
                       SDL_Color c, const char *s);
/** s, or s cut with "..." so that it is at most max_w pixels wide (""
 * when not even that fits), in buf. Returns buf. */
const char *viz_text_fit(struct viz_text *tx, enum viz_font f, const char *s,
                         float max_w, char *buf, size_t len);
/** For tests: called with every string drawn, its box and the clip
 * rectangle in force (NULL when none). */
typedef void (*viz_text_log_fn)(void *arg, const SDL_FRect *box,
                                const SDL_Rect *clip, const char *s);
void viz_text_set_log(struct viz_text *tx, viz_text_log_fn fn, void *arg);
/** The drawing context's text (for viz_text_set_log). */
struct viz_text *viz_draw_text(struct viz_draw *d);
/** Width of s in pixels. */
float viz_text_width(struct viz_text *tx, enum viz_font f, const char *s);
/** Line height of font f in pixels. */
float viz_text_height(struct viz_text *tx, enum viz_font f);

/* ---- UI state (everything the user controls) ---- */

/** The main area: ring and matrix, the space-time diagram, or plots. */
enum viz_view { VIZ_VIEW_RING, VIZ_VIEW_SPACETIME, VIZ_VIEW_PLOTS };

struct viz_ui {
	int64_t t;    /**< playhead, ms since the first line */
	double speed; /**< log ms per wall ms, 0.125 .. 64 */
	int playing;
	int follow;        /**< stick to the live head of growing logs */
	int loading;       /**< the log is still being read */
	int32_t selected;  /**< member index or -1 */
	int32_t hover;     /**< member under the mouse or -1 */
	int32_t hover_obs; /**< matrix row under the mouse or -1 */
	int show_trace;    /**< message arrows */
	int show_help;
	int64_t view_t0, view_t1; /**< timeline range, ms; t1 <= t0: all */
	const char *note;    /**< status-bar note (last error...), or NULL */
	int32_t cell_obs;    /**< observer of the selected matrix cell (the
	                        cell is (cell_obs, selected)), or -1 */
	enum viz_view view;  /**< what the main area shows */
	int64_t st_span;     /**< space-time view: ms shown, 100 .. 600000 */
	int stable;          /**< members may still appear (follow, loading):
	                        ring places are kept for 8 more */
	const char *search;  /**< the member search being typed, or NULL */
	uint64_t note_until; /**< SDL_GetTicks() when a note goes, 0: never */
};

void viz_ui_init(struct viz_ui *ui);

/* ---- layout ---- */

struct viz_layout {
	SDL_FRect status, ring, matrix, panel, timeline;
	SDL_FRect main;  /**< ring and matrix together (other views) */
	uint32_t ring_n; /**< places on the ring (>= members shown) */
	/* matrix geometry: `bins` per side of `cell` px; with more members
	 * than pixels a bin holds per_bin (rounded up) members */
	float mx, my, cell;
	uint32_t bins, per_bin, n;
	/* timeline geometry */
	float tl_x0, tl_x1;      /**< time axis */
	float lane_y[3], lane_h; /**< membership, suspicion, failure */
	float spans_y, spans_h, span_row_h;
	float axis_y;
	/* ring geometry */
	int grid;     /**< 1: grid of squares, 0: circle */
	float node_r; /**< circle: node radius; grid: cell */
	uint32_t grid_cols;
	float ring_cx, ring_cy, ring_R; /**< circle centre and radius */
	float grid_x0, grid_y0;
};

/**
 * Compute the layout for an output of w x h pixels and n slots (one per
 * address, viz_slot); ring_n >= n places on the ring (more keep the places
 * of the members seen so far when others appear).
 */
void viz_layout_compute(struct viz_layout *l, int w, int h, uint32_t n,
                        uint32_t ring_n);

/** Centre of slot k on the ring or grid (n: ignored, l->ring_n used). */
SDL_FPoint viz_layout_member_pos(const struct viz_layout *l, uint32_t k,
                                 uint32_t n);

/** x of time t (ms) on the timeline for the UI's view range. */
float viz_layout_time_x(const struct viz_layout *l, const struct viz_ui *ui,
                        const struct viz_model *m, int64_t t);
/** Inverse of viz_layout_time_x, clamped to the log. */
int64_t viz_layout_x_time(const struct viz_layout *l, const struct viz_ui *ui,
                          const struct viz_model *m, float x);

/** Centre of matrix cell (observer o, member j) when cell >= 1 px. */
SDL_FPoint viz_layout_cell_pos(const struct viz_layout *l, uint32_t o,
                               uint32_t j);

/** Matrix bin of member (or observer) j. */
uint32_t viz_layout_bin_of(const struct viz_layout *l, uint32_t j);
/** First member in matrix bin k (l->n when past the end). */
uint32_t viz_layout_bin_first(const struct viz_layout *l, uint32_t k);

/** Member at (x, y) on the ring/grid, or -1. */
int32_t viz_layout_hit_member(const struct viz_layout *l, uint32_t n, float x,
                              float y);
/** Matrix cell at (x, y): 1 and *o, *j set, or 0. */
int viz_layout_hit_cell(const struct viz_layout *l, uint32_t n, float x,
                        float y, uint32_t *o, uint32_t *j);

/* ---- drawing ---- */

struct viz_draw;

/**
 * Drawing context for renderer r (owned by the caller; free the context
 * before the renderer). font: TTF path or NULL. Returns NULL when out of
 * memory.
 */
struct viz_draw *viz_draw_new(SDL_Renderer *r, const char *font);
void viz_draw_free(struct viz_draw *d);

/**
 * Draw the whole frame for m at ui->t (seeks m), at the renderer's output
 * size. Returns 0, or RUMOR_ENOMEM.
 */
int viz_draw_frame(struct viz_draw *d, struct viz_model *m,
                   const struct viz_ui *ui);

/**
 * The detection row of the side panel at (x, y) in the last frame: 1 with
 * *member and *t (when it happened, ms since the first line), else 0.
 */
int viz_draw_hit_detection(const struct viz_draw *d, float x, float y,
                           int32_t *member, int64_t *t);

/** The layout of the last frame drawn. */
const struct viz_layout *viz_draw_layout(const struct viz_draw *d);

/* parts, in draw_*.c */
void viz__draw_ring(struct viz_draw *d, const struct viz_model *m,
                    const struct viz_ui *ui);
int viz__draw_matrix(struct viz_draw *d, const struct viz_model *m,
                     const struct viz_ui *ui);
void viz__draw_timeline(struct viz_draw *d, const struct viz_model *m,
                        const struct viz_ui *ui);
void viz__draw_panel(struct viz_draw *d, const struct viz_model *m,
                     const struct viz_ui *ui);
void viz__draw_status(struct viz_draw *d, const struct viz_model *m,
                      const struct viz_ui *ui);
void viz__draw_help(struct viz_draw *d);

/* ---- shapes (shapes.c) ---- */

void viz_set_color(SDL_Renderer *r, SDL_Color c);
void viz_fill_rect(SDL_Renderer *r, float x, float y, float w, float h,
                   SDL_Color c);
void viz_fill_circle(SDL_Renderer *r, float cx, float cy, float rad,
                     SDL_Color c);
/** Annulus sector from angle a0 to a1 (radians), radii r0 < r1. */
void viz_fill_arc(SDL_Renderer *r, float cx, float cy, float r0, float r1,
                  float a0, float a1, SDL_Color c);
/** Segment of width w. */
void viz_thick_line(SDL_Renderer *r, float x0, float y0, float x1, float y1,
                    float w, SDL_Color c);
SDL_Color viz_mix(SDL_Color a, SDL_Color b, float t);

/* ---- PNG (libpng) ---- */

/**
 * Write renderer r's current output to a PNG file; fast != 0 trades size
 * for speed (frame sequences). Returns 0, or -1 with a message on stderr
 * naming path.
 */
int viz_png_write_renderer(SDL_Renderer *r, const char *path, int fast);
/** The same for a surface. Never removes or truncates path on failure:
 * a regular file is replaced by rename only when complete. */
int viz_png_write_surface(SDL_Surface *s, const char *path, int fast);

#endif
