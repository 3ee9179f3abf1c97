/* SPDX-License-Identifier: MIT */
/*
 * rumor-viz --video FILE.gif: the frames of --from..--to (every 1/fps s of
 * log time, as --frames) as one animated GIF with giflib, for incident
 * reports. One 256-colour palette (median cut of the first frame,
 * GifQuantizeBuffer) maps every frame through a 32x32x32 lookup table;
 * each frame stores only the rectangle that changed. Written to a
 * temporary file and renamed when complete, like the PNGs.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include <gif_lib.h>

#include "export.h"
#include "headless.h"

struct gif_out {
	GifFileType *gif;
	int w, h;
	GifColorType pal[256];
	int n_pal;
	uint8_t *lut;        /* [32768] rgb555 -> palette index */
	uint8_t *cur, *prev; /* [w * h] palette indices */
	long frames;
};

/* The first frame's median-cut palette, and the nearest-colour table. */
static int
palette(struct gif_out *g, const SDL_Surface *s)
{
	size_t n = (size_t)g->w * (size_t)g->h;
	uint8_t *r = malloc(n), *gr = malloc(n), *b = malloc(n);
	int rc = -1;
	if (r && gr && b) {
		for (int y = 0; y < g->h; y++) {
			const uint32_t *row =
			    (const uint32_t *)((const uint8_t *)s->pixels +
			                       (size_t)y * (size_t)s->pitch);
			for (int x = 0; x < g->w; x++) {
				size_t i = (size_t)y * (size_t)g->w + (size_t)x;
				r[i] = (uint8_t)(row[x] >> 16);
				gr[i] = (uint8_t)(row[x] >> 8);
				b[i] = (uint8_t)row[x];
			}
		}
		g->n_pal = 256;
		rc =
		    GifQuantizeBuffer((unsigned)g->w, (unsigned)g->h, &g->n_pal,
		                      r, gr, b, g->cur, g->pal) == GIF_OK
		        ? 0
		        : -1;
	}
	free(r);
	free(gr);
	free(b);
	for (int c = 0; rc == 0 && c < 32768; c++) {
		int R = (c >> 10) << 3 | 4, G = ((c >> 5) & 31) << 3 | 4,
		    B = (c & 31) << 3 | 4, best = 0, bd = 1 << 30;
		for (int k = 0; k < g->n_pal; k++) {
			int dr = R - g->pal[k].Red, dg = G - g->pal[k].Green,
			    db = B - g->pal[k].Blue;
			int dd = dr * dr * 2 + dg * dg * 4 + db * db * 3;
			if (dd < bd) {
				bd = dd;
				best = k;
			}
		}
		g->lut[c] = (uint8_t)best;
	}
	return rc;
}

static void
map_frame(struct gif_out *g, const SDL_Surface *s)
{
	for (int y = 0; y < g->h; y++) {
		const uint32_t *row =
		    (const uint32_t *)((const uint8_t *)s->pixels +
		                       (size_t)y * (size_t)s->pitch);
		uint8_t *out = g->cur + (size_t)y * (size_t)g->w;
		for (int x = 0; x < g->w; x++) {
			uint32_t p = row[x];
			out[x] = g->lut[(p >> 9 & 0x7c00) | (p >> 6 & 0x3e0) |
			                (p >> 3 & 0x1f)];
		}
	}
}

static int
begin(struct gif_out *g, int fd)
{
	int err;
	g->gif = EGifOpenFileHandle(fd, &err);
	if (!g->gif)
		return -1;
	EGifSetGifVersion(g->gif, true);
	ColorMapObject *cm = GifMakeMapObject(256, g->pal);
	if (!cm)
		return -1;
	int rc = EGifPutScreenDesc(g->gif, g->w, g->h, 8, 0, cm);
	GifFreeMapObject(cm);
	/* loop forever (NETSCAPE2.0 application extension) */
	static const uint8_t loop[3] = {1, 0, 0};
	if (rc == GIF_OK)
		rc = EGifPutExtensionLeader(g->gif, APPLICATION_EXT_FUNC_CODE);
	if (rc == GIF_OK)
		rc = EGifPutExtensionBlock(g->gif, 11, "NETSCAPE2.0");
	if (rc == GIF_OK)
		rc = EGifPutExtensionBlock(g->gif, 3, loop);
	if (rc == GIF_OK)
		rc = EGifPutExtensionTrailer(g->gif);
	return rc == GIF_OK ? 0 : -1;
}

/* The rectangle that changed since the previous frame (all: first). */
static void
changed(const struct gif_out *g, int *x0, int *y0, int *x1, int *y1)
{
	*x0 = g->w;
	*y0 = g->h;
	*x1 = *y1 = -1;
	for (int y = 0; y < g->h; y++) {
		const uint8_t *a = g->cur + (size_t)y * (size_t)g->w;
		const uint8_t *b = g->prev + (size_t)y * (size_t)g->w;
		if (g->frames && !memcmp(a, b, (size_t)g->w))
			continue;
		int l = 0, r = g->w - 1;
		while (g->frames && l < r && a[l] == b[l])
			l++;
		while (g->frames && r > l && a[r] == b[r])
			r--;
		*x0 = l < *x0 ? l : *x0;
		*x1 = r > *x1 ? r : *x1;
		*y0 = y < *y0 ? y : *y0;
		*y1 = y;
	}
	if (*x1 < 0) /* nothing changed: one pixel, to carry the delay */
		*x0 = *y0 = *x1 = *y1 = 0;
}

static int
put_frame(struct gif_out *g, int delay_cs)
{
	int x0, y0, x1, y1;
	changed(g, &x0, &y0, &x1, &y1);
	GraphicsControlBlock gcb = {.DisposalMode = DISPOSE_DO_NOT,
	                            .DelayTime = delay_cs,
	                            .TransparentColor = NO_TRANSPARENT_COLOR};
	GifByteType ext[4];
	size_t len = EGifGCBToExtension(&gcb, ext);
	int rc =
	    EGifPutExtension(g->gif, GRAPHICS_EXT_FUNC_CODE, (int)len, ext);
	if (rc == GIF_OK)
		rc = EGifPutImageDesc(g->gif, x0, y0, x1 - x0 + 1, y1 - y0 + 1,
		                      false, NULL);
	for (int y = y0; rc == GIF_OK && y <= y1; y++)
		rc = EGifPutLine(g->gif, g->cur + (size_t)y * (size_t)g->w + x0,
		                 x1 - x0 + 1);
	uint8_t *t = g->prev;
	g->prev = g->cur;
	g->cur = t;
	g->frames++;
	return rc == GIF_OK ? 0 : -1;
}

static int
frames(struct gif_out *g, struct viz_canvas *c, struct viz_model *m,
       struct viz_ui *ui, double fps, int64_t from, int64_t to, int fd)
{
	for (long n = 0;; n++) {
		int64_t t = from + (int64_t)llround((double)n * 1000.0 / fps);
		if (t > to)
			break;
		ui->t = t;
		if (viz_canvas_draw(c, m, ui))
			return -1;
		if (n == 0 && (palette(g, c->surface) || begin(g, fd)))
			return -1;
		map_frame(g, c->surface);
		/* centiseconds, rounded without drift */
		int delay = (int)(llround((double)(n + 1) * 100.0 / fps) -
		                  llround((double)n * 100.0 / fps));
		if (put_frame(g, delay))
			return -1;
	}
	return 0;
}

int
viz_export_gif(struct viz_model *m, struct viz_ui *ui, int w, int h,
               const char *font, const char *path, double fps, int64_t from,
               int64_t to)
{
	struct viz_canvas c;
	char tmp[4096];
	struct gif_out g = {.w = w, .h = h};
	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >=
	    (int)sizeof(tmp))
		return fprintf(stderr, "rumor-viz: %s: path too long\n", path),
		       -1;
	if (viz_canvas_open(&c, w, h, font))
		return -1;
	signal(SIGXFSZ, SIG_IGN);
	int fd = mkstemp(tmp);
	g.lut = malloc(32768);
	g.cur = malloc((size_t)w * (size_t)h);
	g.prev = calloc((size_t)w * (size_t)h, 1);
	int rc = fd < 0 || !g.lut || !g.cur || !g.prev ? -1 : 0;
	if (fd >= 0)
		fchmod(fd, 0644);
	errno = 0;
	if (!rc)
		rc = frames(&g, &c, m, ui, fps, from, to, fd);
	int gerr = 0;
	if (g.gif && EGifCloseFile(g.gif, &gerr) != GIF_OK)
		rc = -1;
	else if (!g.gif && fd >= 0)
		close(fd);
	if (!rc && rename(tmp, path))
		rc = -1;
	if (rc) {
		fprintf(stderr, "rumor-viz: %s: cannot write the GIF: %s\n",
		        path,
		        errno  ? strerror(errno)
		        : gerr ? GifErrorString(gerr)
		               : "out of memory");
		if (fd >= 0)
			unlink(tmp);
	}
	free(g.lut);
	free(g.cur);
	free(g.prev);
	viz_canvas_close(&c);
	return rc;
}
